use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::codes::{AnnualReportTimeliness, Code, DischargeStatus, RemarkCategory};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    date("2024-12-01")
}

fn members() -> Vec<Member> {
    members_of(&["1080".into(), "1082".into()], &["10".into()])
}

fn valid() -> Value {
    json!({
        "adopted_on": "2024-03-20", "received_on": "2024-03-28",
        "members": [
            {"member": "municipality:1080", "auditors_report_received_on": "2024-04-02",
             "discharge": {"status": "granted", "decided_on": "2024-05-01", "diary_number": "KS 2024/117"}},
            {"member": "region:10", "auditors_report_received_on": "2024-04-05"},
            {"member": "state", "discharge": {"status": "pending"}}
        ],
        "remarks": [
            {"category": "goals_unclear"},
            {"category": "other", "text": "Internkontrollen bör stärkas."}
        ]
    })
}

fn problems(value: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> =
        parse(value, 2023).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect();
    found.sort();
    found
}

fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(p, c)| ((*p).to_owned(), (*c).to_owned())).collect()
}

#[test]
fn members_are_the_state_the_regions_and_the_municipalities() {
    let codes: Vec<String> = members().iter().map(Member::code).collect();
    assert_eq!(codes, ["state", "region:10", "municipality:1080", "municipality:1082"]);
    assert!(members_of(&[], &[]).is_empty(), "no member municipality, no förbund that year");
    for code in ["state", "region:10", "municipality:1080"] {
        assert_eq!(Member::from_code(code).unwrap().code(), code);
    }
    for bad in ["State", "region:1", "region:ab", "municipality:108", "county:10", "region", ""] {
        assert_eq!(Member::from_code(bad), None, "{bad}");
    }
    assert_eq!(serde_json::to_value(Member::Region("10".into())).unwrap(), "region:10");
}

#[test]
fn a_valid_report_reads_and_matches_the_schema_type() {
    let (report, version) = parse(&valid(), 2023).unwrap();
    assert_eq!(version, None);
    assert_eq!(report.members.len(), 3);
    assert_eq!(report.members[1].discharge, Discharge::pending(), "a left-out discharge is pending");
    assert_eq!(report.members[0].discharge.diary_number.as_deref(), Some("KS 2024/117"));
    assert_eq!(report.remarks[0], Remark { category: RemarkCategory::GoalsUnclear, text: None });
    assert!(check_members(&report, 2023, &members()).is_empty());
    let typed: AnnualReportInput = serde_json::from_value(valid()).unwrap();
    assert_eq!(typed.report, report);
    let empty = parse(&json!({}), 2023).unwrap().0;
    assert_eq!(empty, AnnualReport { adopted_on: None, received_on: None, members: vec![], remarks: vec![] });
}

#[test]
fn three_months_after_the_year_is_on_time_a_day_later_is_late() {
    assert_eq!(deadline(2023), date("2024-03-31"));
    assert_eq!(timeliness(2023, Some(date("2024-03-31"))), AnnualReportTimeliness::OnTime);
    assert_eq!(timeliness(2023, Some(date("2024-01-15"))), AnnualReportTimeliness::OnTime);
    assert_eq!(timeliness(2023, Some(date("2024-04-01"))), AnnualReportTimeliness::Late);
    assert_eq!(timeliness(2023, None), AnnualReportTimeliness::Missing);
}

#[test]
fn dates_come_after_the_year_in_order_and_not_ahead_of_today() {
    let mut value = valid();
    value["adopted_on"] = json!("2023-12-31");
    value["members"][1]["auditors_report_received_on"] = json!("2024-13-01");
    assert_eq!(
        problems(&value),
        owned(&[("/adopted_on", "before_year_end"), ("/members/1/auditors_report_received_on", "not_a_date")])
    );
    let mut value = valid();
    value["members"][0]["auditors_report_received_on"] = json!("2024-12-02");
    value["members"][0]["discharge"]["decided_on"] = json!("2025-01-10");
    let (report, _) = parse(&value, 2023).unwrap();
    let future: Vec<(String, String)> =
        check_dates(&report, today()).into_iter().map(|e| (e.path, e.code.to_string())).collect();
    assert_eq!(
        future,
        owned(&[
            ("/members/0/auditors_report_received_on", "date_in_future"),
            ("/members/0/discharge/decided_on", "date_in_future"),
        ])
    );
    assert!(check_dates(&parse(&valid(), 2023).unwrap().0, today()).is_empty());
    let mut value = valid();
    value["received_on"] = json!("2024-03-19");
    value["members"][0]["discharge"]["decided_on"] = json!("2024-04-01");
    assert_eq!(
        problems(&value),
        owned(&[("/members/0/discharge/decided_on", "dates_out_of_order"), ("/received_on", "dates_out_of_order")])
    );
}

#[test]
fn a_decision_needs_its_date_and_the_auditors_report_and_pending_has_no_date() {
    let mut value = valid();
    value["members"][0]["discharge"] = json!({"status": "refused"});
    value["members"][1]["discharge"] = json!({"status": "granted", "decided_on": "2024-05-01"});
    value["members"][1]["auditors_report_received_on"] = Value::Null;
    value["members"][2]["discharge"] = json!({"status": "pending", "decided_on": "2024-05-01"});
    assert_eq!(
        problems(&value),
        owned(&[
            ("/members/0/discharge/decided_on", "required"),
            ("/members/1/discharge/status", "auditors_report_missing"),
            ("/members/2/discharge/decided_on", "decided_on_while_pending"),
        ])
    );
    let mut value = valid();
    value["members"][0]["discharge"]["status"] = json!("approved");
    assert_eq!(problems(&value), owned(&[("/members/0/discharge/status", "unknown_code")]));
}

#[test]
fn members_are_named_once_and_must_be_members_that_year() {
    let mut value = valid();
    value["members"][1]["member"] = json!("municipality:1080");
    value["members"][2]["member"] = json!("kommun:1080");
    assert_eq!(
        problems(&value),
        owned(&[("/members/1/member", "duplicate_member"), ("/members/2/member", "unknown_code")])
    );
    let mut value = valid();
    value["members"][1]["member"] = json!("municipality:1280");
    let (report, _) = parse(&value, 2023).unwrap();
    let errors = check_members(&report, 2023, &members());
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].path.as_str(), errors[0].code), ("/members/1/member", crate::ErrorCode::NotAMember));
    assert!(errors[0].message.contains("municipality:1082"), "{}", errors[0].message);
    assert_eq!(check_members(&report, 2022, &[])[0].message, "the förbund has no members in 2022");
}

#[test]
fn the_state_decides_once_every_members_auditors_report_is_in() {
    let mut value = valid();
    value["members"][2] = json!({"member": "state", "auditors_report_received_on": "2024-04-01",
        "discharge": {"status": "granted", "decided_on": "2024-06-01", "diary_number": "FK 2024/003873"}});
    let (report, _) = parse(&value, 2023).unwrap();
    let errors = check_members(&report, 2023, &members());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "/members/2/discharge/status");
    assert_eq!(errors[0].code, crate::ErrorCode::AuditorsReportMissing);
    assert!(errors[0].message.ends_with("missing: municipality:1082"), "{}", errors[0].message);
    let mut all = value;
    all["members"].as_array_mut().unwrap().push(json!({"member": "municipality:1082",
        "auditors_report_received_on": "2024-04-03"}));
    let (report, _) = parse(&all, 2023).unwrap();
    assert!(check_members(&report, 2023, &members()).is_empty());
}

#[test]
fn remark_texts_are_checked_like_every_free_text() {
    let mut value = valid();
    value["remarks"] = json!([
        {"category": "other"},
        {"category": "other", "text": "Ordföranden 19121212-1212 har jäv"},
        {"category": "result_not_consistent_with_equity_goal", "text": "Se 811218-9876"},
        {"category": "other", "text": "  "},
        {"category": "surplus"},
        {"category": "goals_unclear", "text": "x".repeat(2001)},
    ]);
    value["members"][0]["discharge"]["diary_number"] = json!("191212121212");
    let found = problems(&value);
    assert_eq!(
        found,
        owned(&[
            ("/members/0/discharge/diary_number", "personal_identity_number"),
            ("/remarks/0/text", "required"),
            ("/remarks/1/text", "personal_identity_number"),
            ("/remarks/2/text", "personal_identity_number"),
            ("/remarks/3/text", "blank"),
            ("/remarks/4/category", "unknown_code"),
            ("/remarks/5/text", "too_long"),
        ])
    );
    let errors = parse(&value, 2023).unwrap_err();
    assert!(errors.iter().all(|e| !e.message.contains("1212") && !e.message.contains("9876")), "{errors:?}");
    // Diary numbers, dates and amounts in a remark are no person.
    let mut fine = valid();
    fine["remarks"][1]["text"] = json!("Dnr FK 2024/003873, beslut 2024-04-02, underskott 1 070 000 kr");
    assert!(parse(&fine, 2023).is_ok());
}

#[test]
fn wrong_shapes_and_unknown_fields_are_named() {
    let value = json!({"members": {"member": "state"}, "remarks": ["goals_unclear"], "discharge": 1, "version": 0});
    assert_eq!(
        problems(&value),
        owned(&[
            ("/discharge", "unknown_field"),
            ("/members", "not_an_array"),
            ("/remarks/0", "not_an_object"),
            ("/version", "not_a_version"),
        ])
    );
}

#[test]
fn the_follow_up_counts_on_time_late_and_missing() {
    let (report, _) = parse(&valid(), 2023).unwrap();
    let mut late = report.clone();
    late.received_on = Some(date("2024-04-01"));
    let of = |key: &str, report: Option<AnnualReport>| ForbundOfYear {
        forbund_key: key.to_owned(),
        name: key.to_uppercase(),
        members: members(),
        report,
    };
    let list = follow_up(2023, vec![of("c", None), of("a", Some(report)), of("b", Some(late))]);
    assert_eq!(list.deadline, date("2024-03-31"));
    assert_eq!(list.totals, TimelinessCounts { forbund: 3, on_time: 1, late: 1, missing: 1 });
    let keys: Vec<&str> = list.forbund.iter().map(|f| f.forbund_key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
    let a = &list.forbund[0];
    assert_eq!(a.timeliness, AnnualReportTimeliness::OnTime);
    assert_eq!((a.members, a.auditors_reports_received), (4, 2));
    assert_eq!(a.discharge, DischargeCounts { granted: 1, refused: 0, pending: 3 });
    assert_eq!(a.remarks, [RemarkCategory::GoalsUnclear, RemarkCategory::Other]);
    assert_eq!(list.forbund[2].timeliness, AnnualReportTimeliness::Missing);
    assert_eq!(list.forbund[2].discharge.pending, 4);
    assert_eq!(DischargeStatus::Pending.code(), "pending");
}
