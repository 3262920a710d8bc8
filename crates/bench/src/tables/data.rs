//! Synthetic registrations generated inside PostgreSQL (generate_series), so that setting up a
//! million rows takes seconds and is not what is measured.

use diesel::prelude::*;
use diesel::sql_types::Integer;

pub fn generate(conn: &mut PgConnection, rows: u32) -> anyhow::Result<()> {
    let rows = i32::try_from(rows)?;
    conn.transaction(|conn| {
        diesel::sql_query(
            "INSERT INTO insatser (forbund_key, external_ref, name, kind, orientation, start_date)
             SELECT f.keys[1 + g % f.n], 'bench-' || g, 'Insats ' || g,
                    CASE WHEN g % 2 = 0 THEN 'individual' ELSE 'structural' END,
                    CASE WHEN g % 2 = 0
                         THEN (ARRAY['work_oriented','preparatory','identify_needs','preventive'])[1 + (g / 2) % 4]
                         ELSE (ARRAY['develop_cooperation','competence_raising','needs_analysis'])[1 + (g / 2) % 3]
                    END,
                    DATE '2020-01-01'
             FROM generate_series(1, $1) g,
                  (SELECT array_agg(forbund_key ORDER BY forbund_key) AS keys, count(*)::int AS n FROM forbund) f",
        )
        .bind::<Integer, _>(rows)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO insats_target_groups (insats_id, target_group)
             SELECT id, (ARRAY['young','long_term_sick_listed','young_with_disability'])[1 + (id / 2) % 3]
             FROM insatser WHERE kind = 'individual' AND id % 4 = 0",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO insats_years (insats_id, kind, year, participants_women, participants_men, budget, outcome,
                 exits_work_women, exits_work_men, exits_studies_women, exits_studies_men,
                 exits_job_seeking_women, exits_job_seeking_men, exits_other_women, exits_other_men)
             SELECT id, kind, 2023,
                    CASE WHEN kind = 'individual' OR id % 2 = 1 THEN 5 + id % 50 END,
                    CASE WHEN kind = 'individual' OR id % 2 = 1 THEN 3 + id % 40 END,
                    (id % 1000) * 100.25, (id % 1000) * 98.50,
                    e, e, e, e, e, e, e, e
             FROM insatser, LATERAL (SELECT CASE WHEN kind = 'individual' THEN (id % 2)::int END AS e) x",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO forbund_finances (forbund_key, year, contributions_state, contributions_regions,
                 contributions_municipalities, administration_budget, administration_outcome,
                 equity_opening, equity_closing)
             SELECT forbund_key, 2023, 4000000, 2000000, 2000000, 600000, 580000, 1200000, 1100000 FROM forbund",
        )
        .execute(conn)?;
        diesel::sql_query("ANALYZE").execute(conn)?;
        Ok::<_, anyhow::Error>(())
    })
}
