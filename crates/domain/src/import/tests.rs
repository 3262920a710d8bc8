use crate::ErrorCode;
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
        let errors: Vec<_> =
            batch.errors.iter().map(|e| (e.field.clone(), e.code.to_string(), e.detail.clone())).collect();
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
        let errors: Vec<_> = errors.into_iter().map(|e| (e.path, e.code.to_string(), e.message)).collect();
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
        let errors: Vec<_> =
            batch.errors.iter().map(|e| (e.field.clone(), e.code.to_string(), e.detail.clone())).collect();
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
        let errors: Vec<_> = errors.into_iter().map(|e| (e.path, e.code.to_string(), e.message)).collect();
        assert_eq!(codes_without(&errors, number), [("column [personnummer]".to_owned(), pin)]);
    }
}

/// Every chunk of `size` rows, in order.
fn chunks_of(format: super::Format, body: &str, mode: Mode, size: usize) -> Vec<super::Chunk> {
    let source = super::scan(format, body.as_bytes(), mode).expect("a batch");
    let mut chunks = Vec::new();
    let read: Result<(), ()> = source.chunks(size, |chunk| {
        chunks.push(chunk);
        Ok(())
    });
    read.expect("no receiver error");
    chunks
}

#[test]
fn csv_chunks_hold_consecutive_insatser_and_their_errors_and_add_up_to_the_batch() {
    // Lines of one insats apart in the file; an error in the second chunk and one in the third.
    let text = format!(
        "{HEADER}\n\
         a,Arbetsträning,individual,work_oriented,,2022-01-01,2022,3,4,1000,,\n\
         b,Samverkan,structural,develop_cooperation,,2023-01-01,2023,,,500,,\n\
         c,Arbetsträning,individual,work_oriented,,2022-01-01,2022,3,x,1000,,\n\
         a,Arbetsträning,individual,work_oriented,,2022-01-01,2023,5,6,2000,,\n\
         d,Samverkan,structural,develop_cooperation,,2023-01-01,2023,,,500,,\n\
         e,Samverkan,structural,develop_cooperation,,2023-01-01,2023,,,-1,,\n"
    );
    let chunks = chunks_of(super::Format::Csv, &text, Mode::Partial, 2);
    let indices: Vec<Vec<usize>> = chunks.iter().map(|c| c.rows.iter().map(|r| r.index).collect()).collect();
    assert_eq!(indices, [vec![0, 1], vec![3], vec![]]);
    assert_eq!(chunks[0].rows[0].years.keys().copied().collect::<Vec<_>>(), [2022, 2023], "both lines of a");
    type Found<'a> = Vec<(usize, Option<usize>, &'a str, &'a str)>;
    let errors: Vec<Found<'_>> = chunks
        .iter()
        .map(|c| c.errors.iter().map(|e| (e.index, e.line, e.field.as_str(), e.code.as_str())).collect())
        .collect();
    assert_eq!(
        errors,
        [
            vec![],
            vec![(2, Some(4), "participants_men", "not_a_count")],
            vec![(4, Some(7), "budget", "negative_amount")]
        ]
    );
    let whole = parse_csv(&text, Mode::Partial).expect("a batch");
    assert_eq!(whole.rows, chunks.iter().flat_map(|c| c.rows.clone()).collect::<Vec<_>>());
    assert_eq!(whole.errors, chunks.iter().flat_map(|c| c.errors.clone()).collect::<Vec<_>>());
    assert_eq!(whole.total, 5);
}

#[test]
fn csv_rows_read_straight_into_types_are_the_rows_the_rules_read() {
    // Debug builds compare every row read straight into types with the rules' reading of it
    // (and panic on a difference); these rows take that path with every kind of cell filled.
    let header = super::CSV_COLUMNS.join(",");
    let text = format!(
        "{header}\n\
         a,Arbetsträning,\"Stöd, med komma\",individual,work_oriented,long_term_sick_listed|young,2022-03-01,2024-06-30,2022,5,6,1000,999.5,1,0,0,1,0,0,1,1\n\
         a,Arbetsträning,\"Stöd, med komma\",individual,work_oriented,long_term_sick_listed|young,2022-03-01,2024-06-30,2024,7,8,0.01,0,,,,,,,,\n\
         b,  Samverkan  ,,structural,needs_analysis,,2004-01-01,,2004,,,500,,,,,,,,,\n\
         c,Förebyggande,,individual,preventive,men_only,2100-12-31,,,,,,,,,,,,,,\n\
         d,Mätt,,structural,competence_raising,,2023-01-01,2023-01-01,2023,0,0,99999999999999.99,,0,0,0,0,0,0,0,0\n"
    );
    let batch = parse_csv(&text, Mode::Atomic).expect("a batch");
    assert_eq!(batch.errors, []);
    assert_eq!(batch.rows.len(), 4);
    let a = &batch.rows[0];
    assert_eq!(a.insats.description.as_deref(), Some("Stöd, med komma"));
    assert_eq!(a.insats.target_groups, [crate::TargetGroup::Young, crate::TargetGroup::LongTermSickListed]);
    assert_eq!(a.years[&2022].exits.map(|e| e.sum().total()), Some(4));
    assert_eq!(a.years[&2024].outcome.map(|o| o.to_string()).as_deref(), Some("0"));
    assert_eq!(batch.rows[1].insats.name, "Samverkan");
    assert!(batch.rows[2].years.is_empty());
    assert_eq!(batch.rows[3].years[&2023].participants.map(|p| p.total()), Some(0));

    // Cells the typed reading leaves to the rules, which read them alike or refuse them.
    let unusual = format!(
        "{header}\n\
         e,Insats,,individual,preparatory, young | long_term_sick_listed ,2022-01-01,,2023,+5,6,100,,,,,,,,,\n\
         f,Insats,,individual,preparatory,,2022-01-01,,2023,5,6,100,,1,,,,,,,\n\
         g,Insats,,individual,preparatory,,2022-01-01,,2023,5,6,100,,6,0,0,0,0,0,0,0\n\
         h,Insats,,individual,preparatory,,2022-01-01,,02023,5,6,100,,,,,,,,,\n"
    );
    let batch = parse_csv(&unusual, Mode::Partial).expect("a batch");
    let e = &batch.rows[0];
    assert_eq!((e.external_ref.as_str(), e.insats.target_groups.len()), ("e", 2));
    assert_eq!(e.years[&2023].participants.map(|p| p.women), Some(5));
    let codes: Vec<(usize, &str, &str)> =
        batch.errors.iter().map(|e| (e.index, e.field.as_str(), e.code.as_str())).collect();
    assert!(codes.contains(&(1, "exits_work_men", "required")), "{codes:?}");
    assert!(codes.contains(&(2, "exits", "exits_exceed_participants")), "{codes:?}");
    assert_eq!(batch.rows.iter().map(|r| r.external_ref.as_str()).collect::<Vec<_>>(), ["e", "h"]);
}

#[test]
fn json_chunks_find_a_duplicate_in_an_earlier_chunk() {
    let body = json!({ "insatser": [insats("a"), insats("b"), insats("c"), insats("a")] }).to_string();
    let chunks = chunks_of(super::Format::Json, &body, Mode::Partial, 2);
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[1].rows.iter().map(|r| r.index).collect::<Vec<_>>(), [2]);
    assert_eq!(chunks[1].errors.len(), 1);
    assert_eq!((chunks[1].errors[0].index, chunks[1].errors[0].code.as_str()), (3, "duplicate_in_batch"));
}

#[test]
fn a_json_body_reads_as_the_whole_body_read_into_one_value_would() {
    let read = |body: &str| super::parse(super::Format::Json, body.as_bytes(), Mode::Atomic);
    let as_value = |body: &str| match serde_json::from_slice::<serde_json::Value>(body.as_bytes()) {
        Ok(value) => parse_json(&value, Mode::Atomic),
        Err(e) => Err(vec![crate::FieldError::new("", ErrorCode::NotJson, format!("the body is not JSON: {e}"))]),
    };
    let one = json!(insats("a")).to_string();
    let two = json!(insats("b")).to_string();
    for body in [
        format!(r#"{{"insatser": [{one}], "mode": "partial"}}"#),
        // A repeated key: the last one counts.
        format!(r#"{{"insatser": [{one}], "insatser": [{two}, {one}], "mode": "x", "mode": "partial"}}"#),
        format!(r#"{{"insatser": [{two}], "insatser": 3}}"#),
        format!(r#"{{"insatser": [{one}], "zz": 1, "aa": [1, 2], "aa": null}}"#),
        // Refused by a `Value` though any parser could skip it.
        format!(r#"{{"insatser": [{one}, {{"name": 1e400}}]}}"#),
        format!(r#"{{"insatser": [{one}]}} trailing"#),
        r#"{"insatser": [], "mode": null}"#.to_owned(),
        r#"{"insatser": {"a": [1]}}"#.to_owned(),
        r#"[{"insatser": []}]"#.to_owned(),
        r#""insatser""#.to_owned(),
        r#"{"insatser": ["#.to_owned(),
        String::new(),
    ] {
        assert_eq!(read(&body), as_value(&body), "{body}");
    }
    let repeated = read(&format!(r#"{{"insatser": [{one}], "insatser": [{two}, {one}]}}"#)).unwrap();
    assert_eq!(repeated.rows.iter().map(|r| r.external_ref.as_str()).collect::<Vec<_>>(), ["b", "a"]);
}

#[test]
fn a_source_tells_whether_a_row_has_an_identity_number_without_keeping_rows() {
    let clean = json!({ "insatser": [insats("a"), insats("b")] }).to_string();
    let source = super::scan(super::Format::Json, clean.as_bytes(), Mode::Atomic).expect("a batch");
    assert!(!source.has_identity_number());
    let mut rows = vec![insats("a"), insats("b")];
    rows[1]["description"] = json!(format!("Kontakt {}", NUMBERS[0]));
    let with = json!({ "insatser": rows }).to_string();
    let source = super::scan(super::Format::Json, with.as_bytes(), Mode::Atomic).expect("a batch");
    assert!(source.has_identity_number());
    let csv = format!("{HEADER}\na,Stöd,individual,work_oriented,,2022-01-01,2022,3,4,{},,\n", NUMBERS[2]);
    let source = super::scan(super::Format::Csv, csv.as_bytes(), Mode::Atomic).expect("a batch");
    assert!(source.has_identity_number());
}
