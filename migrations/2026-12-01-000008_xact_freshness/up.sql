-- Freshness without a serialisation point. The data_version counter made every audited write
-- take one row's lock until commit, so all writers in the country queued on it. Instead each
-- audit event records the transaction that wrote it, and a cache tells what it has not yet seen
-- from PostgreSQL's own snapshots (`pg_current_snapshot()`, on a hot standby too): an event is
-- new to a reading when its transaction was not yet committed for that reading's snapshot.
-- The store's `freshness` module holds the rule.
DROP TRIGGER audit_events_version ON audit_events;
DROP FUNCTION audit_events_next_version();
DROP TABLE data_version;
-- The counter's values stay with the events that have them: the history is not rewritten.
-- Events from now on leave the column NULL; its index served only the counter's refreshes and
-- would cost every new event an entry.
DROP INDEX audit_events_data_version_idx;

-- Added without a default first, then given one: a volatile default in ADD COLUMN would fill
-- every existing row with this migration's transaction. Older events keep NULL, which reads as
-- "older than any snapshot" (no comparison holds for NULL); the history stays as it was written.
ALTER TABLE audit_events ADD COLUMN xact_id xid8;
ALTER TABLE audit_events ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id();
-- A refresh reads from its snapshot's xmin on: only recent events.
CREATE INDEX audit_events_xact_idx ON audit_events (xact_id);

-- With no counter, a release's number for its data is the highest audit event id it includes
-- (releases made before this migration keep the counter's value, which never exceeded it).
COMMENT ON COLUMN open_releases.data_version IS
    'the highest audit event id the release includes (before migration 000008: the data_version counter)';
