-- A counter that every audited write moves, in commit order. Each audit event takes the next
-- value under the counter row's lock, held until its transaction commits; so a reader that
-- sees version V sees every event numbered up to V, and caches keyed by it are never stale
-- (an identity id is not enough: ids are handed out at insert, not at commit).
CREATE TABLE data_version (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    version   BIGINT NOT NULL
);
INSERT INTO data_version (version) SELECT count(*) FROM audit_events;

-- Events older than this migration keep NULL: the history is append-only, even here.
ALTER TABLE audit_events ADD COLUMN data_version BIGINT;
CREATE INDEX audit_events_data_version_idx ON audit_events (data_version);

CREATE FUNCTION audit_events_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 RETURNING version INTO NEW.data_version;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_version
    BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_next_version();
