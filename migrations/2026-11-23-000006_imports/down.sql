DROP TABLE import_progress;
DROP TABLE import_requests;
-- As migration 000004 made it: every event takes the next version.
CREATE OR REPLACE FUNCTION audit_events_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 RETURNING version INTO NEW.data_version;
    RETURN NEW;
END;
$$;
