//! The service's first promise over HTTP: it never stores a person. Valid identity numbers in
//! disguise go through every door a client's text comes in by; each is refused for it (or, when
//! it only looks something up, not found), no answer repeats it, nothing is stored and the log of
//! the server does not hold it either.

mod doors;
mod log;
mod numbers;

use diesel::RunQueryDsl;

use crate::e2e::support::TestApp;
use numbers::shows;

/// Every row of every table of the service, the audit log among them.
fn everything(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    let mut conn = app.db.conn();
    let tables = diesel::sql_query(
        "SELECT table_name::text AS text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load::<Text>(&mut conn)
    .unwrap();
    assert!(tables.iter().any(|t| t.text == "audit_events"), "the audit log is among the tables");
    let mut rows = Vec::new();
    for table in tables {
        let query = format!(
            "SELECT '{0}: ' || to_jsonb(t)::text AS text FROM \"{0}\" t ORDER BY to_jsonb(t)::text",
            table.text
        );
        rows.extend(diesel::sql_query(query).load::<Text>(&mut conn).unwrap().into_iter().map(|r| r.text));
    }
    rows
}

#[actix_rt::test]
async fn no_door_lets_a_disguised_identity_number_in_or_out() {
    let log_from = log::start();
    // More imports than a minute allows one client by default.
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(10_000, 5_000)).await;
    let before = everything(&app);
    let numbers = numbers::disguised();
    let mut failures = Vec::new();
    for number in &numbers {
        for door in doors::ALL {
            let expected = door.expected();
            let answer = door.send(&app, &number.text).await;
            let refused = answer.body.contains("\"personal_identity_number\"");
            if answer.status != expected.status || (expected.refused_for_it && !refused) {
                failures.push(format!("{door:?}, {}: {} {}", number.what, answer.status, answer.body));
            }
            if shows(&answer.body, number) {
                failures.push(format!("{door:?}, {}: the answer repeats it: {}", number.what, answer.body));
            }
        }
    }
    assert_eq!(everything(&app), before, "something was stored");
    app.stop().await;
    let logged = log::since(log_from);
    assert!(logged.contains("/imports") && logged.contains("\"message\":\"request\""), "the log is captured");
    assert!(logged.contains("/api/v1/forbund/[personnummer]/insatser"), "a path is logged, masked");
    for number in &numbers {
        for line in logged.lines().filter(|line| shows(line, number)) {
            failures.push(format!("{}: logged: {line}", number.what));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
