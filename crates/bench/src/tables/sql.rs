//! The baseline: the same national tables for one year as hand-written GROUP BY queries run by
//! PostgreSQL itself, returning only the aggregated rows (what a careful analyst would write).

/// One query per table (two for costs), `$1` the year; each returns its table's figures.
pub const QUERIES: [(&str, &str); 11] = [
    (
        "insatser-by-kind",
        "SELECT i.kind, count(*) FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         WHERE y.year = $1 AND i.deleted_at IS NULL GROUP BY ROLLUP (i.kind)",
    ),
    (
        "individual-insatser",
        "SELECT i.orientation, count(*) FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         WHERE y.year = $1 AND i.deleted_at IS NULL AND i.kind = 'individual' GROUP BY ROLLUP (i.orientation)",
    ),
    (
        "individual-participants",
        "SELECT i.orientation, sum(y.participants_women), sum(y.participants_men),
                sum(y.participants_women + y.participants_men)
         FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         WHERE y.year = $1 AND i.deleted_at IS NULL AND i.kind = 'individual' GROUP BY ROLLUP (i.orientation)",
    ),
    (
        "structural-insatser",
        "SELECT i.orientation, count(*), count(y.participants_women),
                sum(y.participants_women + y.participants_men)
         FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         WHERE y.year = $1 AND i.deleted_at IS NULL AND i.kind = 'structural' GROUP BY ROLLUP (i.orientation)",
    ),
    (
        "target-groups",
        "SELECT coalesce(g.target_group, 'none'), count(*)
         FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         LEFT JOIN insats_target_groups g ON g.insats_id = i.id
         WHERE y.year = $1 AND i.deleted_at IS NULL AND i.kind = 'individual' GROUP BY 1",
    ),
    (
        "costs (insatser)",
        "SELECT i.kind, sum(y.budget), sum(y.outcome) FROM insats_years y JOIN insatser i ON i.id = y.insats_id
         WHERE y.year = $1 AND i.deleted_at IS NULL GROUP BY ROLLUP (i.kind)",
    ),
    (
        "costs (administration)",
        "SELECT sum(administration_budget), sum(administration_outcome) FROM forbund_finances WHERE year = $1",
    ),
    (
        "contributions",
        "SELECT sum(contributions_state), sum(contributions_regions), sum(contributions_municipalities)
         FROM forbund_finances WHERE year = $1",
    ),
    (
        "equity",
        "SELECT sum(equity_opening), sum(equity_closing - equity_opening), sum(equity_closing)
         FROM forbund_finances WHERE year = $1",
    ),
    (
        "completeness",
        "WITH members AS (
             SELECT DISTINCT forbund_key, municipality_code FROM memberships
             WHERE valid_from <= make_date($1, 12, 31) AND (valid_to IS NULL OR valid_to > make_date($1, 1, 1))),
         registered AS (
             SELECT i.forbund_key FROM insats_years y JOIN insatser i ON i.id = y.insats_id
             WHERE y.year = $1 AND i.deleted_at IS NULL
             UNION SELECT forbund_key FROM forbund_finances WHERE year = $1)
         SELECT (SELECT count(DISTINCT forbund_key) FROM members),
                (SELECT count(*) FROM registered r WHERE r.forbund_key IN (SELECT forbund_key FROM members)),
                (SELECT count(*) FROM forbund_years WHERE year = $1 AND status = 'submitted'),
                (SELECT count(DISTINCT municipality_code) FROM members)",
    ),
    (
        "exits",
        "SELECT sum(exits_work_women), sum(exits_work_men), sum(exits_studies_women), sum(exits_studies_men),
                sum(exits_job_seeking_women), sum(exits_job_seeking_men), sum(exits_other_women),
                sum(exits_other_men)
         FROM insats_years y JOIN insatser i ON i.id = y.insats_id WHERE y.year = $1 AND i.deleted_at IS NULL",
    ),
];
