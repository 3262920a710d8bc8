-- The history of every change: append-only. The triggers refuse UPDATE, DELETE and TRUNCATE for
-- every role, the table owner and the application included, so no code path can rewrite history.
CREATE TABLE audit_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    actor_role  TEXT NOT NULL CHECK (actor_role IN ('registrar', 'integration', 'analyst', 'admin', 'system')),
    forbund_key TEXT REFERENCES forbund (forbund_key),
    entity      TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
    entity_id   TEXT NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 200),
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    before      JSONB,
    after       JSONB,
    reason      TEXT CHECK (length(reason) <= 2000),
    request_id  TEXT CHECK (length(request_id) <= 100)
);
CREATE INDEX audit_events_forbund_idx ON audit_events (forbund_key, id);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
