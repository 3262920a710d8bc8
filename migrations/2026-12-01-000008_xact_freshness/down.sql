-- The counter as migrations 000004 and 000006 left it. Events written since keep NULL, as
-- those before 000004 did; the counter starts at the number of events, as 000004 had it.
DROP INDEX audit_events_xact_idx;
COMMENT ON COLUMN open_releases.data_version IS NULL;
ALTER TABLE audit_events DROP COLUMN xact_id;

CREATE TABLE data_version (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    version   BIGINT NOT NULL
);
INSERT INTO data_version (version) SELECT count(*) FROM audit_events;
CREATE INDEX audit_events_data_version_idx ON audit_events (data_version);

CREATE FUNCTION audit_events_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.data_version IS NULL THEN
        UPDATE data_version SET version = version + 1 RETURNING version INTO NEW.data_version;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_version
    BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_next_version();
