-- pgbench script of bench/run (its diagnosis, BENCH_DIAGNOSE): what a registration could cost
-- if the store wrote it in ONE statement: the insert and its audit event in one autocommitted
-- statement (a data-modifying CTE, the event's JSON built from the returned row). Not a proposal
-- for the SQL itself: a measure of the ceiling. (Before migration 000008 it also kept the event
-- off the data_version counter row, which every audited write then locked until commit.)
-- Variables (pgbench -D): forbund, run.
WITH i AS (
    INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date)
    VALUES (:forbund, 'one-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats', NULL,
            'individual', 'work_oriented', DATE '2023-01-01', NULL)
    RETURNING *)
INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, before, after, reason,
                          request_id)
SELECT 'bench', 'registrar', i.forbund_key, 'insats', i.id::text, 'create', NULL,
       to_jsonb(i) || '{"years": [], "target_groups": []}'::jsonb, NULL, gen_random_uuid()::text
FROM i
RETURNING id;
