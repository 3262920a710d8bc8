-- pgbench script of bench/run (its diagnosis, BENCH_DIAGNOSE): what one registration needs at least, as proposed for the
-- store: the insert returns the whole record (a new insats has no years and the groups were just
-- written), the förbund is checked by the foreign key (a violation → 404), the pool does not test
-- the connection first; then the audit event and the commit. 4 round trips, the same rows as
-- api-statements.sql. Variables (pgbench -D): forbund, run.
BEGIN;
INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date)
VALUES (:forbund, 'lean-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats', NULL,
        'individual', 'work_oriented', DATE '2023-01-01', NULL)
RETURNING id \gset
INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, before, after, reason, request_id)
VALUES ('bench', 'registrar', :forbund, 'insats', :id::text, 'create', NULL,
        format('{"id": %s, "kind": "individual", "name": "Benchmark insats", "years": [], "version": 1, '
               '"end_date": null, "created_at": "%s", "start_date": "2023-01-01", "updated_at": "%s", '
               '"description": null, "forbund_key": "%s", "orientation": "work_oriented", '
               '"external_ref": "%s-%s-%s", "target_groups": []}',
               :id::bigint, now(), now(), :forbund::text, 'lean', :run::text, :id::bigint)::jsonb,
        NULL, gen_random_uuid()::text);
COMMIT;
