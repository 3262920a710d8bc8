-- pgbench script of bench/run (its diagnosis, BENCH_DIAGNOSE): the statements ONE registration through the API sends, in
-- its order (POST …/insatser with no target groups): the pool's connection check, then the one
-- statement of crates/store/src/registration/one_statement.rs: the insert, the target groups
-- (none here) and the audit event, whose JSON is the record as the API serialises it, sent as
-- text with the id, version and times filled in by the statement. 2 round trips; until issue 14
-- it was 11 (from PostgreSQL's statement log), then 6 (a förbund check, BEGIN, the insert, the
-- audit INSERT, COMMIT).
-- The times' colons are chr(58): pgbench would read `:MI` in a format as a variable.
-- Variables (pgbench -D): forbund, run.
SELECT 1;
WITH new AS (
    INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date)
    VALUES (:forbund, 'sql-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats', NULL,
            'individual', 'work_oriented', DATE '2023-01-01', NULL)
    RETURNING id, version, created_at, updated_at
), groups AS (
    INSERT INTO insats_target_groups (insats_id, target_group)
    SELECT new.id, g FROM new, unnest('{}'::text[]) AS g
), audit AS (
    INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, after, request_id)
    SELECT 'bench', 'registrar', :forbund, 'insats', new.id::text, 'create',
           format('{"kind": "individual", "name": "Benchmark insats", "years": [], "end_date": null, '
                  '"start_date": "2023-01-01", "description": null, "forbund_key": "%s", '
                  '"orientation": "work_oriented", "external_ref": "%s-%s", "target_groups": []}',
                  :forbund::text, 'sql', :run::text)::jsonb
             || jsonb_build_object('id', new.id, 'version', new.version,
                  'created_at', translate(to_char(new.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24"c"MI"c"SS.US"Z"'), 'c', chr(58)),
                  'updated_at', translate(to_char(new.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24"c"MI"c"SS.US"Z"'), 'c', chr(58))),
           gen_random_uuid()::text
    FROM new
)
SELECT id, version, created_at, updated_at FROM new;
