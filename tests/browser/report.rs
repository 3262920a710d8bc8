//! The generated report in the browser (issue 19): an analyst opens the year's report; every
//! figure in it (text, tables and the charts' SVG) is looked up in the table API by the table
//! and cell it names, every generated sentence is checked against the numbers it cites, no
//! other number stands in the text, and axe-core finds nothing. Then the same for the open
//! edition of the published year, against the open tables.

use serde_json::{Value, json};

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{YEAR, screenshots, sign_in};
use crate::browser::report_checks::{Found, Tables, expected_text, shown, whole_percent, word_range};
use crate::browser::webdriver::Browser;
use crate::e2e::support::token;

const COLLECT: &str = r#"
const figure = e => ({table: e.getAttribute('data-table'), cell: e.getAttribute('data-cell'),
                      form: e.getAttribute('data-form'), text: e.textContent});
return {
  figures: [...document.querySelectorAll('[data-table]')].map(figure),
  sentences: [...document.querySelectorAll('[data-sentence]')].map(s => ({
    kind: s.getAttribute('data-sentence'), text: s.textContent,
    parts: [...s.querySelectorAll('[data-table], [data-word]')].map(e =>
      e.hasAttribute('data-word') ? {word: e.getAttribute('data-word')} : figure(e))})),
  rows: [...document.querySelectorAll('main table tbody tr')].map(tr => ({
    header: tr.querySelector('th') ? tr.querySelector('th').textContent : null,
    figures: [...tr.querySelectorAll('[data-table]')].map(figure)})),
  loose: (() => {
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (p.closest('[data-table], aside.kommentar, h2, caption, figcaption, svg title')) continue;
      if (/\d/.test(n.textContent)) out.push(n.textContent);
    }
    return out;
  })(),
};"#;

/// Every figure and sentence of the report on the page, checked; returns how many figures.
async fn check_page(browser: &Browser, tables: &mut Tables<'_>, exact: bool) -> usize {
    let found = browser.script(COLLECT, json!([])).await;
    let figures: Vec<Found> = found["figures"].as_array().unwrap().iter().map(Found::from_json).collect();
    assert!(figures.len() > 150, "a report has its figures: {}", figures.len());
    let mut problems = Vec::new();
    for f in &figures {
        let (value, status) = tables.cell(&f.table, &f.cell).await;
        let expected = match (value, status.as_deref()) {
            (_, Some(".")) => ".".to_owned(),
            (Some(v), _) => expected_text(v, &f.form),
            (None, _) => "–".to_owned(),
        };
        if f.text != expected {
            problems.push(format!(
                "{} {:?} ({}): printed {:?}, the table gives {expected:?}",
                f.table, f.cell, f.form, f.text
            ));
        }
    }
    // A table row's figures are of the category its header names (a share printed in the
    // wrong row, as Table 1 of 2023 had two, would cite another row's cell or another value).
    for row in found["rows"].as_array().unwrap() {
        let Some(header) = row["header"].as_str() else { continue };
        for f in row["figures"].as_array().unwrap().iter().map(Found::from_json) {
            let labels = tables.labels(&f.table, &f.cell).await;
            if !labels.iter().any(|l| l == header) {
                problems.push(format!("row {header:?} holds {} {:?}, of {labels:?}", f.table, f.cell));
            }
        }
    }
    let mut kinds = std::collections::BTreeSet::new();
    for s in found["sentences"].as_array().unwrap() {
        let kind = s["kind"].as_str().unwrap();
        kinds.insert(kind.to_owned());
        if let Err(problem) = check_sentence(tables, kind, s).await {
            problems.push(format!("{kind}: {problem} in {:?}", s["text"]));
        }
    }
    assert!(problems.is_empty(), "{} disagreements with the tables:\n{}", problems.len(), problems.join("\n"));
    if exact {
        let expected: std::collections::BTreeSet<String> =
            finsam_report::sentences::ALL.iter().map(|k| (*k).to_owned()).collect();
        assert_eq!(kinds, expected, "every kind of generated sentence is in the demo's report");
        // Numbers that are no table's: years, dates, the time of the reading, the law's number.
        let allowed = regex_lite::Regex::new(
            r"\d{4}-\d{2}-\d{2}|kl\. \d{2}\.\d{2}|\(2003:1210\)|\b(19|20)\d{2}\b|(Tabell|Diagram|diagram) \d+",
        )
        .unwrap();
        let loose: Vec<String> = found["loose"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .filter(|t| allowed.replace_all(t, "").chars().any(|c| c.is_ascii_digit()))
            .collect();
        assert!(loose.is_empty(), "numbers in the text that name no table cell: {loose:?}");
    }
    figures.len()
}

fn parts(s: &Value) -> (Vec<Found>, Vec<String>) {
    let mut figures = Vec::new();
    let mut words = Vec::new();
    for p in s["parts"].as_array().unwrap() {
        match p.get("word") {
            Some(w) => words.push(w.as_str().unwrap().to_owned()),
            None => figures.push(Found::from_json(p)),
        }
    }
    (figures, words)
}

async fn check_sentence(tables: &mut Tables<'_>, kind: &str, s: &Value) -> Result<(), String> {
    let (figures, words) = parts(s);
    let text = s["text"].as_str().unwrap();
    let value = |f: &Found| (f.text != "." && f.text != "–").then(|| shown(&f.text));
    match kind {
        "count" => Ok(()),
        "gender_share" => {
            let pattern =
                regex_lite::Regex::new(r"^(\d+)\u{a0}% av deltagarna .* var kvinnor och (\d+)\u{a0}% män\.$").unwrap();
            let caps = pattern.captures(text).ok_or("not of the form 'NN % … kvinnor och MM % män'")?;
            for (i, gender) in [(1, "women"), (2, "men")] {
                let cell =
                    vec![figures[0].cell[0].clone(), "total".into(), gender.into(), "share_of_orientation".into()];
                let share = tables.cell("individual-participants", &cell).await.0.ok_or("no share")?;
                let printed: i64 = caps[i].parse().unwrap();
                let table = i64::try_from(
                    share.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                )
                .unwrap();
                if printed != table {
                    return Err(format!("{printed} % {gender}, the table gives {share}"));
                }
            }
            Ok(())
        }
        "share_word" => {
            let percent = value(&figures[0]).ok_or("no share")?;
            in_range(&words[0], i64::try_from(percent.round()).unwrap())
        }
        "share_of_count" => {
            let (part, whole) = (value(&figures[0]).ok_or("no part")?, value(&figures[1]).ok_or("no whole")?);
            in_range(&words[0], whole_percent(part, whole))
        }
        "largest" => {
            let f = &figures[0];
            let measure = f.cell.last().unwrap();
            let column = tables.column(&f.table, &f.cell[0], "orientation", measure).await;
            let max = column.into_iter().flatten().max().ok_or("an empty column")?;
            if value(f) == Some(max) { Ok(()) } else { Err(format!("{} is not the largest, {max} is", f.text)) }
        }
        "more_or_fewer" => {
            let (a, b) = (value(&figures[0]).ok_or("no first")?, value(&figures[1]).ok_or("no second")?);
            let right = match a.cmp(&b) {
                std::cmp::Ordering::Greater => "more",
                std::cmp::Ordering::Less => "fewer",
                std::cmp::Ordering::Equal => "as_many",
            };
            if words[0] == right { Ok(()) } else { Err(format!("says {} of {a} against {b}", words[0])) }
        }
        other => Err(format!("unknown sentence kind {other}")),
    }
}

fn in_range(word: &str, percent: i64) -> Result<(), String> {
    let (low, high) = word_range(word);
    if (low..=high).contains(&percent) { Ok(()) } else { Err(format!("{word} for {percent} %")) }
}

#[actix_rt::test]
async fn every_figure_and_sentence_of_the_html_report_agrees_with_the_table_api() {
    let Some((app, browser)) = crate::browser::harness::start().await else { return };
    let analyst = token("analyst", None);
    // Signed in with a token, the pages call the API with it, not with a cookie: the report is
    // fetched so and written into the page, as the browser would show the response.
    sign_in(&app, &browser, &analyst).await;
    let written = browser
        .script(
            "return fetch(arguments[0], {headers: {Authorization: 'Bearer ' + arguments[1]}})
               .then(r => r.text().then(t => [r.status, r.headers.get('content-type'), t]))
               .then(([status, type, text]) => { document.open(); document.write(text); document.close();
                                                 return [status, type]; });",
            json!([format!("/api/v1/reports/{YEAR}.html"), analyst]),
        )
        .await;
    assert_eq!(written, json!([200, "text/html; charset=utf-8"]));
    browser.find("main section#summary").await;
    let mut exact = Tables::new(&app, "/api/v1/tables", Some(analyst.clone()));
    let checked = check_page(&browser, &mut exact, true).await;
    browser.script("document.querySelectorAll('details').forEach(d => d.open = true)", json!([])).await;
    assert_no_violations(&browser, "the report (exact)").await;
    browser.screenshot_page(&screenshots(), "30-rapport.png", 1280).await;

    app.publish(YEAR, "Första publiceringen").await;
    browser.goto(&format!("{}/api/v1/open/reports/{YEAR}.html", app.base)).await;
    browser.find("main section#summary").await;
    let mut open = Tables::new(&app, "/api/v1/open/tables", None);
    let open_checked = check_page(&browser, &mut open, false).await;
    let note = browser.find("section#follow_up p.not").await;
    assert!(browser.text(&note).await.contains("Röjandekontroll"), "the open edition states the method");
    browser.script("document.querySelectorAll('details').forEach(d => d.open = true)", json!([])).await;
    assert_no_violations(&browser, "the report (open)").await;
    eprintln!("report: {checked} figures of the exact edition and {open_checked} of the open one agree with the API");
    browser.quit().await;
    app.stop().await;
}
