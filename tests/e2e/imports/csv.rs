//! CSV imports: lines grouped by external_ref into insatser, errors naming line and column.

use serde_json::{Value, json};

use super::batch::{by_ref, counts, errors, import_csv, insatser, refs, summary_counts};
use crate::e2e::support::{OWN, TestApp};

const CSV_HEADER: &str = "external_ref,name,description,kind,orientation,target_groups,start_date,end_date,year,participants_women,participants_men,budget,outcome";

#[actix_rt::test]
async fn imports_csv_groups_lines_by_external_ref_and_errors_name_line_and_column() {
    let app = TestApp::spawn().await;
    let csv = format!(
        "{CSV_HEADER}\n\
         csv-1,Arbetsträning,\"Stöd, mot arbete\",individual,work_oriented,young|long_term_sick_listed,2023-01-01,,2023,12,8,250000.00,243500.50\n\
         csv-2,Samverkan,,structural,develop_cooperation,,2022-03-01,2024-12-31,2023,,,100000.00,\n\
         csv-1,Arbetsträning,\"Stöd, mot arbete\",individual,work_oriented,young|long_term_sick_listed,2023-01-01,,2024,10,9,260000.00,\n"
    );
    let got = import_csv(&app, "", &csv).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 2, 0, 0, 0), "{}", got.body);

    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["csv-1", "csv-2"]);
    let one = by_ref(&list, "csv-1");
    assert_eq!(
        (one["name"].as_str(), one["description"].as_str(), one["kind"].as_str(), one["end_date"].clone()),
        (Some("Arbetsträning"), Some("Stöd, mot arbete"), Some("individual"), Value::Null)
    );
    assert_eq!(one["target_groups"], json!(["young", "long_term_sick_listed"]));
    let years: Vec<(i64, Value, String, Value)> = one["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["participants"].clone(),
                y["budget"].as_str().unwrap().to_owned(),
                y["outcome"].clone(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (2023, json!({"women": 12, "men": 8}), "250000.00".to_owned(), json!("243500.50")),
            (2024, json!({"women": 10, "men": 9}), "260000.00".to_owned(), Value::Null),
        ]
    );
    let two = by_ref(&list, "csv-2");
    assert_eq!(
        (two["kind"].as_str(), two["end_date"].as_str(), two["target_groups"].clone()),
        (Some("structural"), Some("2024-12-31"), json!([]))
    );
    assert_eq!(two["years"].as_array().unwrap().len(), 1);
    assert_eq!((two["years"][0]["year"].as_i64(), two["years"][0]["participants"].clone()), (Some(2023), Value::Null));
    assert_eq!(two["years"][0]["budget"], "100000.00");

    // The same CSV again: unchanged.
    let again = import_csv(&app, "", &csv).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    let before = app.snapshot();

    // Errors name the CSV line and column: a bad count on the second line of an insats (line 3),
    // and a bad date on the only line of another (line 4).
    let bad = format!(
        "{CSV_HEADER}\n\
         csv-3,Ny,,individual,work_oriented,young,2023-01-01,,2023,1,1,1000.00,\n\
         csv-3,Ny,,individual,work_oriented,young,2023-01-01,,2024,1,x,1000.00,\n\
         csv-4,Annan,,individual,work_oriented,,2023-13-01,,2023,1,1,1000.00,\n\
         csv-5,Bra,,individual,work_oriented,,2023-01-01,,2023,1,1,1000.00,\n"
    );
    let got = import_csv(&app, "", &bad).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 3, 1, 0, 0, 2), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [
            (0, Some(3), "participants_men".to_owned(), "not_a_count".to_owned()),
            (1, Some(4), "start_date".to_owned(), "not_a_date".to_owned()),
        ],
        "{}",
        got.body
    );
    assert_eq!(app.snapshot(), before, "a refused CSV batch wrote");

    // ?mode=partial on CSV: the good row is written.
    let got = import_csv(&app, "?mode=partial", &bad).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 3, 1, 0, 0, 2), "{}", got.body);
    assert_eq!(refs(&insatser(&app, OWN).await), ["csv-1", "csv-2", "csv-5"]);

    // Lines of one external_ref that disagree on the insats are named by line and column.
    let conflicting = format!(
        "{CSV_HEADER}\n\
         csv-6,Namn,,individual,work_oriented,,2023-01-01,,2023,1,1,1000.00,\n\
         csv-6,Annat namn,,individual,work_oriented,,2023-01-01,,2024,1,1,1000.00,\n"
    );
    let got = import_csv(&app, "", &conflicting).await;
    assert_eq!(errors(&got.body), [(0, Some(3), "name".to_owned(), "conflicting_lines".to_owned())], "{}", got.body);

    // A header with an unknown column refuses the whole batch.
    let got = import_csv(&app, "", "external_ref,name,colour\nx,y,z\n").await;
    assert_eq!(
        (got.status, got.body["errors"][0]["path"].as_str(), got.body["errors"][0]["code"].as_str()),
        (422, Some("column colour"), Some("unknown_column")),
        "{}",
        got.body
    );
    app.stop().await;
}
