//! Batches larger than a chunk (2 000 rows): read, checked and written a chunk at a time, yet
//! answered as one batch: an atomic one with a bad row late in it writes nothing, a partial one
//! writes the good rows of every chunk, and errors name their rows and lines.

use diesel::RunQueryDsl;

use super::batch::{counts, errors, import_csv, summary_counts};
use crate::e2e::support::TestApp;

const HEADER: &str = "external_ref,name,kind,orientation,start_date,year,participants_women,participants_men,budget";

/// `rows` insatser of one 2023 line each; the row at `bad` has a count that is no count.
fn csv(rows: usize, bad: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..rows {
        let women = if i == bad { "-1".to_owned() } else { (i % 9).to_string() };
        text.push_str(&format!(
            "chunk-{i},Insats {i},individual,preparatory,2023-01-01,2023,{women},2,{}.00\n",
            100 + i
        ));
    }
    text
}

/// Audit events of the entity, all created by the import (the audit API pages by 1 000).
fn events(app: &TestApp, entity: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM audit_events WHERE entity = $1 AND action = 'create'")
        .bind::<diesel::sql_types::Text, _>(entity)
        .get_result::<Count>(&mut app.db.conn())
        .unwrap()
        .n
}

#[actix_rt::test]
async fn imports_a_batch_of_several_chunks_is_all_or_nothing_when_atomic_and_keeps_the_good_rows_when_partial() {
    let app = TestApp::spawn().await;
    let before = app.snapshot();
    let body = csv(4_500, 4_321);

    let atomic = import_csv(&app, "", &body).await;
    assert_eq!(atomic.status, 200, "{}", atomic.body);
    assert_eq!(counts(&atomic.body), summary_counts("refused", "atomic", 4_500, 4_499, 0, 0, 1), "{}", atomic.body);
    let error = [(4_321, Some(4_323), "participants_women".to_owned(), "not_a_count".to_owned())];
    assert_eq!(errors(&atomic.body), error);
    assert_eq!(app.snapshot(), before, "the chunks written before the bad row were rolled back");

    let partial = import_csv(&app, "?mode=partial", &body).await;
    assert_eq!(partial.status, 200, "{}", partial.body);
    assert_eq!(counts(&partial.body), summary_counts("applied", "partial", 4_500, 4_499, 0, 0, 1), "{}", partial.body);
    assert_eq!(errors(&partial.body), error);
    assert_eq!((events(&app, "insats"), events(&app, "insats_year")), (4_499, 4_499));

    // The same batch again: every row of every chunk found, none written twice.
    let again = import_csv(&app, "?mode=partial", &body).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "partial", 4_500, 0, 0, 4_499, 1), "{}", again.body);
    app.stop().await;
}
