-- pgbench script of bench/run: the baseline, one single-row INSERT per transaction into the
-- same insatser table the API writes to (same constraints, foreign keys and indexes), with a
-- unique external_ref, as the API request carries one. No audit event, no read-back.
-- Variables (pgbench -D): forbund, run.
INSERT INTO insatser (forbund_key, external_ref, name, kind, orientation, start_date)
VALUES (:forbund, 'pgbench-' || :run::text || '-' || nextval('bench_ref_seq'), 'Benchmark insats',
        'individual', 'work_oriented', DATE '2023-01-01');
