//! Closed reporting years: imports respect them as single registrations do.

use reqwest::Method;
use serde_json::json;

use super::batch::{batch, counts, errors, import, insatser, refs, row, summary_counts};
use crate::e2e::support::{OWN, TestApp, token};

#[actix_rt::test]
async fn imports_respect_closed_years_as_single_registrations_do() {
    let app = TestApp::spawn().await;
    let first = import(&app, "", &batch("atomic", vec![row("open-a", "A")]), None).await;
    assert_eq!(first.body["created"], 1, "{}", first.body);
    let response =
        app.request(Method::POST, "/api/v1/years/2023/close", Some(&token("admin", None))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let before = app.snapshot();

    // New figures for a closed year are refused by row, naming the year; unchanged ones are fine.
    let mut only_2024 = row("open-c", "C");
    only_2024["years"] = json!({"2024": {"participants": {"women": 1, "men": 1}, "budget": "10.00"}});
    let got =
        import(&app, "", &batch("partial", vec![row("open-a", "A"), row("closed-b", "B"), only_2024]), None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 3, 1, 0, 1, 1), "{}", got.body);
    assert_eq!(errors(&got.body), [(1, None, "/insatser/1/years/2023".to_owned(), "year_closed".to_owned())]);
    assert_eq!(refs(&insatser(&app, OWN).await), ["open-a", "open-c"]);
    let before_changes = app.snapshot();
    assert_ne!(before_changes, before);

    // Changing a closed year's figures, or what decides where the insats counts in it: refused.
    let mut budget = row("open-a", "A");
    budget["years"]["2023"]["budget"] = json!("1.00");
    let mut groups = row("open-a", "A");
    groups["target_groups"] = json!(["young"]);
    for (changed, field) in [(budget, "/insatser/0/years/2023"), (groups, "/insatser/0/target_groups")] {
        let got = import(&app, "", &batch("atomic", vec![changed]), None).await;
        assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 1, 0, 0, 0, 1), "{}", got.body);
        assert_eq!(errors(&got.body), [(0, None, field.to_owned(), "year_closed".to_owned())], "{}", got.body);
    }
    assert_eq!(app.snapshot(), before_changes, "a write to a closed year got through");
    // Its name may change, as with PUT.
    let got = import(&app, "", &batch("atomic", vec![row("open-a", "A, nytt namn")]), None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 1, 0, 1, 0, 0), "{}", got.body);
    app.stop().await;
}
