//! Bulk imports in the store: written a chunk at a time, audited as the rows read back, all or
//! nothing across chunks for an atomic batch.

use diesel::prelude::*;
use finsam_domain::import::{self, Format, ImportStatus, Mode};
use finsam_store::audit;
use finsam_store::imports;
use finsam_store::registration::insatser;
use finsam_store::schema::{audit_events, insats_years, insatser as insatser_table};
use finsam_test_db::TestDb;

const FORBUND: &str = "samordningsforbundet-i-blekinge";

const INTEGRATION: finsam_store::registration::Actor<'static> =
    finsam_store::registration::Actor { sub: "case-system", role: finsam_domain::Role::Integration, request_id: None };

const HEADER: &str = "external_ref,name,description,kind,orientation,target_groups,start_date,end_date,year,\
participants_women,participants_men,budget,outcome,exits_work_women,exits_work_men,exits_studies_women,\
exits_studies_men,exits_job_seeking_women,exits_job_seeking_men,exits_other_women,exits_other_men";

/// `rows` insatser of one 2023 line each; the row at `bad` (if any) has no valid budget.
fn csv(rows: usize, bad: Option<usize>) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..rows {
        let budget = if Some(i) == bad { "lots".to_owned() } else { format!("{}", 1000 + i) };
        text.push_str(&format!("r{i},Insats {i},,individual,preparatory,,2023-01-01,,2023,3,4,{budget},,,,,,,,,\n"));
    }
    text
}

/// The test years' default deadlines have passed: an integration may write them once moved.
fn open_years(conn: &mut PgConnection) {
    diesel::sql_query(
        "INSERT INTO reporting_years (year, deadline) SELECT y, '2100-12-31' FROM generate_series(2022, 2024) y",
    )
    .execute(conn)
    .unwrap();
}

fn count_insatser(conn: &mut PgConnection) -> i64 {
    insatser_table::table.filter(insatser_table::forbund_key.eq(FORBUND)).count().get_result(conn).unwrap()
}

fn count_events(conn: &mut PgConnection) -> i64 {
    audit_events::table.filter(audit_events::forbund_key.eq(FORBUND)).count().get_result(conn).unwrap()
}

fn apply(conn: &mut PgConnection, body: &str, mode: Mode, progress: &mut Vec<usize>) -> import::ImportSummary {
    let source = import::scan(Format::Csv, body.as_bytes(), mode).expect("a batch");
    imports::apply(conn, FORBUND, &source, &INTEGRATION, false, &mut |rows| progress.push(rows)).expect("applied")
}

#[test]
fn every_event_of_an_import_holds_the_record_as_it_reads_back() {
    let db = TestDb::new();
    let mut conn = db.conn();
    open_years(&mut conn);
    // Amounts without öre, exits, groups, a description and an end: what the database might
    // store otherwise than it was sent.
    let body = format!(
        "{HEADER}\n\
         a,Arbetsträning,Stöd till arbete,individual,work_oriented,young|women_only,2022-03-01,2024-06-30,2022,5,6,1000,999.5,1,0,0,1,0,0,1,1\n\
         a,Arbetsträning,Stöd till arbete,individual,work_oriented,young|women_only,2022-03-01,2024-06-30,2023,7,8,2000.25,,,,,,,,,\n\
         b,Samverkan,,structural,develop_cooperation,,2023-01-01,,2023,,,500,,,,,,,,,\n\
         c,Utan år,,structural,needs_analysis,,2023-01-01,,,,,,,,,,,,,,\n"
    );
    let summary = apply(&mut conn, &body, Mode::Atomic, &mut Vec::new());
    assert_eq!((summary.status, summary.created, summary.rejected), (ImportStatus::Applied, 3, 0), "{summary:?}");
    let records = insatser::list(&mut conn, FORBUND, None).unwrap();
    assert_eq!(records.len(), 3);
    for record in &records {
        let events = audit::for_entity(&mut conn, "insats", &record.id.to_string()).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].action.as_str(), events[0].before.as_ref()), ("create", None));
        assert_eq!(events[0].after, Some(serde_json::to_value(record).unwrap()), "{}", record.insats.name);
        for year in &record.years {
            let events = audit::for_entity(&mut conn, "insats_year", &format!("{}/{}", record.id, year.year)).unwrap();
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].after, Some(serde_json::to_value(year).unwrap()));
        }
    }
    let a = records.iter().find(|r| r.insats.external_ref.as_deref() == Some("a")).unwrap();
    assert_eq!(a.years[0].figures.budget.to_string(), "1000.00", "stored at the column's scale");

    // Changed rows are read back: their versions and times are the database's.
    let changed = body.replace("2000.25", "2100").replace("Samverkan", "Samverkan Syd");
    let summary = apply(&mut conn, &changed, Mode::Atomic, &mut Vec::new());
    assert_eq!((summary.created, summary.updated, summary.unchanged), (0, 2, 1), "{summary:?}");
    for record in insatser::list(&mut conn, FORBUND, None).unwrap() {
        let events = audit::for_entity(&mut conn, "insats", &record.id.to_string()).unwrap();
        match record.insats.external_ref.as_deref() {
            Some("b") => {
                assert_eq!((events.len(), events[1].action.as_str(), record.version), (2, "replace", 2));
                assert_eq!(events[1].after, Some(serde_json::to_value(&record).unwrap()));
                assert_eq!(events[1].before, events[0].after);
            }
            Some("a") => {
                assert_eq!(events.len(), 1, "only a year of it changed");
                let year = &record.years[1];
                let events = audit::for_entity(&mut conn, "insats_year", &format!("{}/2023", record.id)).unwrap();
                assert_eq!((events.len(), events[1].action.as_str(), year.version), (2, "replace", 2));
                assert_eq!(events[1].after, Some(serde_json::to_value(year).unwrap()));
            }
            _ => assert_eq!(events.len(), 1),
        }
    }
}

#[test]
fn an_atomic_batch_with_a_rejected_row_in_a_later_chunk_writes_nothing() {
    let db = TestDb::new();
    let mut conn = db.conn();
    open_years(&mut conn);
    // A chunk is 2 000 rows: the bad row is in the second, after the first was written.
    let body = csv(2_100, Some(2_050));
    let mut progress = Vec::new();
    let summary = apply(&mut conn, &body, Mode::Atomic, &mut progress);
    assert_eq!(summary.status, ImportStatus::Refused);
    assert_eq!((summary.total, summary.created, summary.rejected), (2_100, 2_099, 1));
    assert_eq!(summary.errors.len(), 1);
    let error = &summary.errors[0];
    assert_eq!((error.index, error.line, error.field.as_str()), (2_050, Some(2_052), "budget"));
    assert_eq!(progress, [2_000], "the first chunk was written before the bad row was read");
    assert_eq!((count_insatser(&mut conn), count_events(&mut conn)), (0, 0), "rolled back");
    let years: i64 = insats_years::table.count().get_result(&mut conn).unwrap();
    assert_eq!(years, 0);
}

#[test]
fn a_partial_batch_writes_the_good_rows_of_every_chunk() {
    let db = TestDb::new();
    let mut conn = db.conn();
    open_years(&mut conn);
    let body = csv(2_100, Some(10));
    let mut progress = Vec::new();
    let summary = apply(&mut conn, &body, Mode::Partial, &mut progress);
    assert_eq!(summary.status, ImportStatus::Applied);
    assert_eq!((summary.created, summary.rejected, summary.errors[0].index), (2_099, 1, 10));
    assert_eq!(progress, [1_999, 2_099]);
    assert_eq!((count_insatser(&mut conn), count_events(&mut conn)), (2_099, 2 * 2_099));

    // Again, now with every row: the rows of both chunks are found and only the missing one written.
    let summary = apply(&mut conn, &csv(2_100, None), Mode::Atomic, &mut Vec::new());
    assert_eq!((summary.created, summary.updated, summary.unchanged), (1, 0, 2_099), "{summary:?}");
    assert_eq!(count_insatser(&mut conn), 2_100);
    let ids: Vec<i64> =
        insatser_table::table.select(insatser_table::id).order(insatser_table::id).load(&mut conn).unwrap();
    let refs: Vec<String> = insatser_table::table
        .select(insatser_table::external_ref.assume_not_null())
        .order(insatser_table::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(ids.len(), 2_100);
    assert_eq!(refs[..3], ["r0", "r1", "r2"], "ids follow the rows' order");
    assert_eq!(refs[2_099], "r10");
}
