DROP TRIGGER audit_events_version ON audit_events;
DROP FUNCTION audit_events_next_version();
DROP INDEX audit_events_data_version_idx;
DROP TABLE data_version;
ALTER TABLE audit_events DROP COLUMN data_version;
