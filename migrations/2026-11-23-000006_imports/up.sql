-- Bulk imports from the förbund's case systems. A request is remembered by its Idempotency-Key
-- (per förbund) with a fingerprint of what was sent, so that a blind retry gets the stored
-- summary instead of a second import. Large batches wait here as jobs: the body is kept until a
-- worker has applied it, in the same transaction that marks the job done, so a job is applied
-- exactly once and never in part, across restarts.
CREATE TABLE import_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    forbund_key     TEXT NOT NULL REFERENCES forbund (forbund_key),
    idempotency_key TEXT CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    -- sha256 (hex) of content type, mode and body
    fingerprint     TEXT NOT NULL,
    content_type    TEXT NOT NULL CHECK (content_type IN ('json', 'csv')),
    mode            TEXT NOT NULL CHECK (mode IN ('atomic', 'partial')),
    -- running: a synchronous import inside its transaction (never seen committed)
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    rows_total      INTEGER NOT NULL CHECK (rows_total >= 0),
    body            BYTEA,
    summary         JSONB,
    error           TEXT,
    created_by      TEXT NOT NULL,
    created_role    TEXT NOT NULL,
    request_id      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ,
    UNIQUE (forbund_key, idempotency_key),
    CHECK ((state = 'queued') = (body IS NOT NULL)),
    CHECK ((state = 'done') = (summary IS NOT NULL))
);
CREATE INDEX import_requests_queued_idx ON import_requests (id) WHERE state = 'queued';

-- How far a running job has come; written outside the job's transaction (which holds its
-- results until commit), so no foreign key: it would wait on the job's row lock.
CREATE TABLE import_progress (
    import_id  BIGINT PRIMARY KEY,
    rows_done  INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An import writes thousands of audit events in one transaction. Taking each event's version
-- with its own UPDATE of the counter row costs time quadratic in the batch (every UPDATE leaves
-- a row version that stays until commit, and the next UPDATE walks past all of them: 100 000
-- insatser took minutes). So an import takes its whole range of versions with one UPDATE,
-- `version = version + n`, and numbers its events itself; an event that arrives with a version
-- keeps it. The range is taken under the counter row's lock, held until commit, so the
-- guarantees above hold unchanged: one version per event, versions in commit order, a reader
-- that sees version V sees every event numbered up to V.
CREATE OR REPLACE FUNCTION audit_events_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.data_version IS NULL THEN
        UPDATE data_version SET version = version + 1 RETURNING version INTO NEW.data_version;
    END IF;
    RETURN NEW;
END;
$$;
