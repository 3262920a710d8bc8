-- pgbench script of bench/run (its diagnosis, BENCH_DIAGNOSE): what a registration could cost
-- if the store wrote it in ONE statement and the audit event did not take the hot data_version
-- row: the insert and its audit event in one autocommitted statement (a data-modifying CTE,
-- the event's JSON built from the returned row), the event's data_version from a sequence, so
-- that the trigger leaves the data_version row alone. Not a proposal for the SQL itself (a
-- sequence is not in commit order, which the table cache needs): a measure of the ceiling.
-- Variables (pgbench -D): forbund, run.
WITH i AS (
    INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date)
    VALUES (:forbund, 'one-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats', NULL,
            'individual', 'work_oriented', DATE '2023-01-01', NULL)
    RETURNING *)
INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, before, after, reason,
                          request_id, data_version)
SELECT 'bench', 'registrar', i.forbund_key, 'insats', i.id::text, 'create', NULL,
       to_jsonb(i) || '{"years": [], "target_groups": []}'::jsonb, NULL, gen_random_uuid()::text,
       nextval('bench_data_version_seq')
FROM i
RETURNING id;
