-- pgbench script of bench/run (its diagnosis, BENCH_DIAGNOSE): the statements ONE registration through the API sends, in
-- its order (POST …/insatser with no target groups): the pool's connection check, the förbund
-- check, then one transaction with the insert, which returns the whole record, and the audit
-- event. 6 round trips; the audit JSON (the record, as the API serialises it) is sent as text
-- and parsed into jsonb, as the API's is. Until issue 14 it was 11, from PostgreSQL's statement
-- log (log_statement = all): the target groups rewritten even when none (a DELETE and an empty
-- INSERT, which diesel sends as "SELECT 1 … WHERE 1=0") and the record read back (FOR UPDATE,
-- groups, years); these 6 follow from the store's code, not yet from a new log.
-- Variables (pgbench -D): forbund, run.
SELECT 1;
SELECT EXISTS (SELECT forbund_key, name FROM forbund WHERE forbund_key = :forbund);
BEGIN;
INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date)
VALUES (:forbund, 'sql-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats', NULL,
        'individual', 'work_oriented', DATE '2023-01-01', NULL)
RETURNING id, forbund_key, external_ref, name, description, kind, orientation, start_date, end_date,
          version, created_at, updated_at \gset
INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, before, after, reason, request_id)
VALUES ('bench', 'registrar', :forbund, 'insats', :id::text, 'create', NULL,
        format('{"id": %s, "kind": "individual", "name": "Benchmark insats", "years": [], "version": 1, '
               '"end_date": null, "created_at": "%s", "start_date": "2023-01-01", "updated_at": "%s", '
               '"description": null, "forbund_key": "%s", "orientation": "work_oriented", '
               '"external_ref": "%s-%s-%s", "target_groups": []}',
               :id::bigint, now(), now(), :forbund::text, 'sql', :run::text, :id::bigint)::jsonb,
        NULL, gen_random_uuid()::text);
COMMIT;
