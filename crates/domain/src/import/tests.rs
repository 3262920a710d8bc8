use serde_json::json;

use super::{Mode, parse_csv, parse_json};

fn insats(external_ref: &str) -> serde_json::Value {
    json!({
        "external_ref": external_ref, "name": "Arbetsträning", "kind": "individual",
        "orientation": "work_oriented", "target_groups": ["young"], "start_date": "2023-01-01",
        "years": { "2023": { "participants": { "women": 12, "men": 8 }, "budget": "250000.00" } }
    })
}

#[test]
fn a_good_batch_reads_every_row_with_its_years() {
    let batch = parse_json(&json!({ "mode": "partial", "insatser": [insats("a"), insats("b")] }), Mode::Atomic)
        .expect("a batch");
    assert_eq!(batch.mode, Mode::Partial);
    assert_eq!((batch.total, batch.rows.len(), batch.rejected()), (2, 2, 0));
    assert_eq!(batch.rows[1].external_ref, "b");
    assert_eq!(batch.rows[1].years[&2023].participants.map(|p| p.total()), Some(20));
}

#[test]
fn row_problems_name_the_row_and_the_field_and_keep_the_good_rows() {
    let mut bad = insats("c");
    bad["years"]["2023"]["participants"]["women"] = json!(-1);
    bad["orientation"] = json!("needs_analysis");
    let mut no_ref = insats("x");
    no_ref.as_object_mut().expect("object").remove("external_ref");
    let batch =
        parse_json(&json!({ "insatser": [insats("a"), bad, insats("a"), no_ref] }), Mode::Atomic).expect("a batch");
    assert_eq!(batch.mode, Mode::Atomic);
    assert_eq!(batch.rows.len(), 1);
    assert_eq!(batch.rejected(), 3);
    let fields: Vec<(usize, &str, &str)> =
        batch.errors.iter().map(|e| (e.index, e.field.as_str(), e.code.as_str())).collect();
    assert!(fields.contains(&(1, "/insatser/1/orientation", "orientation_not_of_kind")), "{fields:?}");
    assert!(fields.contains(&(2, "/insatser/2/external_ref", "duplicate_in_batch")), "{fields:?}");
    assert!(fields.contains(&(3, "/insatser/3/external_ref", "required")), "{fields:?}");
}

#[test]
fn year_figures_are_checked_against_their_insats() {
    let mut early = insats("a");
    early["years"] = json!({ "2021": { "participants": { "women": 1, "men": 1 }, "budget": "1" }, "20x1": {} });
    let batch = parse_json(&json!({ "insatser": [early] }), Mode::Atomic).expect("a batch");
    let codes: Vec<(&str, &str)> = batch.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert!(codes.contains(&("/insatser/0/years/2021", "year_outside_insats")), "{codes:?}");
    assert!(codes.contains(&("/insatser/0/years/20x1", "not_a_year")), "{codes:?}");
}

#[test]
fn a_malformed_batch_is_refused_as_a_whole() {
    let errors = parse_json(&json!({ "mode": "sometimes", "rows": [] }), Mode::Atomic).expect_err("refused");
    let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
    assert_eq!(codes, [("/rows", "unknown_field"), ("/mode", "unknown_code"), ("/insatser", "required")]);
}

const HEADER: &str = "external_ref,name,kind,orientation,target_groups,start_date,year,participants_women,participants_men,budget,exits_work_women,exits_work_men";

#[test]
fn csv_lines_of_one_external_ref_make_one_insats() {
    let text = format!(
        "{HEADER}\n\
         a,Arbetsträning,individual,work_oriented,young|long_term_sick_listed,2022-01-01,2022,3,4,1000,,\n\
         a,Arbetsträning,individual,work_oriented,young|long_term_sick_listed,2022-01-01,2023,5,6,2000.50,,\n\
         b,Samverkan,structural,develop_cooperation,,2023-01-01,2023,,,500,,\n"
    );
    let batch = parse_csv(&text, Mode::Atomic).expect("a batch");
    assert_eq!(batch.errors, []);
    assert_eq!((batch.total, batch.rows.len()), (2, 2));
    let a = &batch.rows[0];
    assert_eq!(a.line, Some(2));
    assert_eq!(a.insats.target_groups.len(), 2);
    assert_eq!(a.years.keys().copied().collect::<Vec<_>>(), [2022, 2023]);
    assert_eq!(a.years[&2023].budget.to_string(), "2000.50");
    assert_eq!(batch.rows[1].years[&2023].participants, None);
}

#[test]
fn csv_problems_name_the_line_and_column() {
    let text = format!(
        "{HEADER}\n\
         a,Arbetsträning,individual,work_oriented,,2022-01-01,2022,3,x,1000,,\n\
         b,Samverkan,structural,develop_cooperation,,2023-01-01,2023,,,500,,\n\
         b,Annat namn,structural,develop_cooperation,,2023-01-01,2024,,,500,,\n\
         c,Arbetsträning,individual,work_oriented,,2022-01-01,2022,3,3,1000,1,0\n"
    );
    let batch = parse_csv(&text, Mode::Partial).expect("a batch");
    let errors: Vec<(Option<usize>, &str, &str)> =
        batch.errors.iter().map(|e| (e.line, e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(errors[..2], [(Some(2), "participants_men", "not_a_count"), (Some(4), "name", "conflicting_lines")]);
    // Exits are all or nothing: the columns left out are named.
    assert_eq!(errors[2..].len(), 6);
    assert!(errors[2..].iter().all(|(line, _, code)| *line == Some(5) && *code == "required"));
    assert_eq!(errors[2].1, "exits_studies_women");
}

#[test]
fn an_unknown_csv_column_is_refused() {
    let errors = parse_csv("external_ref,nmae\n", Mode::Atomic).expect_err("refused");
    assert_eq!(errors[0].code, "unknown_column");
}

/// A valid personal identity number, in the 12-digit form, in the 10-digit one and without separators.
const NUMBERS: [&str; 3] = ["19121212-1212", "121212+1212", "191212121212"];

fn codes_without(errors: &[(String, String, String)], number: &str) -> Vec<(String, String)> {
    for (field, code, detail) in errors {
        assert!(!field.contains(number) && !detail.contains(number), "{field} {code} {detail} repeats {number}");
    }
    errors.iter().map(|(field, code, _)| (field.clone(), code.clone())).collect()
}

#[test]
fn json_rows_with_an_identity_number_anywhere_are_refused_for_it_without_repeating_it() {
    for number in NUMBERS {
        let mut rows = vec![insats("a"), insats("b"), insats("c"), insats("d"), insats("e")];
        rows[0]["name"] = json!(format!("Stöd {number}"));
        rows[1][number] = json!("x");
        rows[2]["years"][number] = json!({});
        rows[3]["kind"] = json!(number);
        rows[4]["years"]["2023"]["budget"] = json!(number);
        let batch = parse_json(&json!({ "insatser": rows }), Mode::Partial).expect("a batch");
        let errors: Vec<_> = batch.errors.iter().map(|e| (e.field.clone(), e.code.clone(), e.detail.clone())).collect();
        let pin = "personal_identity_number".to_owned();
        assert_eq!(
            codes_without(&errors, number),
            [
                ("/insatser/0/name".to_owned(), pin.clone()),
                ("/insatser/1/[personnummer]".to_owned(), pin.clone()),
                ("/insatser/2/years/[personnummer]".to_owned(), pin.clone()),
                ("/insatser/3/kind".to_owned(), pin.clone()),
                ("/insatser/4/years/2023/budget".to_owned(), pin),
            ],
            "{number}"
        );
        assert!(batch.rows.is_empty() && batch.has_identity_number());
    }
}

#[test]
fn a_batch_whose_own_fields_carry_an_identity_number_is_refused_without_repeating_it() {
    for number in NUMBERS {
        let errors =
            parse_json(&json!({ "mode": number, number: 1, "insatser": [] }), Mode::Atomic).expect_err("refused");
        let errors: Vec<_> = errors.into_iter().map(|e| (e.path, e.code, e.message)).collect();
        let mut found = codes_without(&errors, number);
        found.sort();
        let pin = "personal_identity_number".to_owned();
        assert_eq!(found, [("/[personnummer]".to_owned(), pin.clone()), ("/mode".to_owned(), pin)], "{number}");
    }
}

#[test]
fn csv_cells_and_columns_with_an_identity_number_are_refused_without_repeating_it() {
    for number in NUMBERS {
        let line = |external_ref: &str, name: &str, year: &str, budget: &str| {
            format!("{external_ref},{name},individual,work_oriented,,2022-01-01,{year},3,4,{budget},,\n")
        };
        let text = format!(
            "{HEADER}\n{}{}{}{}{}",
            line("a", &format!("Stöd {number}"), "2022", "1000"),
            line("b", "Stöd", number, "1000"),
            line("c", "Stöd", "2022", number),
            line("d", "Stöd", "2022", "1000"),
            line("d", &format!("Stöd {number}"), "2023", "1000"),
        );
        let batch = parse_csv(&text, Mode::Partial).expect("a batch");
        let errors: Vec<_> = batch.errors.iter().map(|e| (e.field.clone(), e.code.clone(), e.detail.clone())).collect();
        let found = codes_without(&errors, number);
        let lines: Vec<(usize, Option<usize>)> = batch.errors.iter().map(|e| (e.index, e.line)).collect();
        let pin = "personal_identity_number".to_owned();
        assert_eq!(
            found,
            [
                ("name".to_owned(), pin.clone()),
                ("year".to_owned(), pin.clone()),
                ("budget".to_owned(), pin.clone()),
                ("name".to_owned(), pin.clone()),
                ("name".to_owned(), "conflicting_lines".to_owned()),
            ],
            "{number}"
        );
        assert_eq!(lines, [(0, Some(2)), (1, Some(3)), (2, Some(4)), (3, Some(6)), (3, Some(6))]);
        assert!(batch.rows.is_empty(), "a row rejected on a later line is not written either");

        let header = format!("{HEADER},{number}\n");
        let errors = parse_csv(&header, Mode::Atomic).expect_err("refused");
        let errors: Vec<_> = errors.into_iter().map(|e| (e.path, e.code, e.message)).collect();
        assert_eq!(codes_without(&errors, number), [("column [personnummer]".to_owned(), pin)]);
    }
}
