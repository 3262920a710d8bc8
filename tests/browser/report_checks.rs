//! Reading the generated report the way a sceptical reader would: every figure looked up in the
//! table API and compared with its printed text, every generated sentence checked against the
//! numbers it cites. The rules here are written again, independently of `finsam-report`: the
//! Swedish number forms, and the ranges the share words stand for.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::e2e::support::{TestApp, parts};

/// One figure as the browser found it.
#[derive(Debug, Clone)]
pub struct Found {
    pub table: String,
    pub cell: Vec<String>,
    pub form: String,
    pub text: String,
}

impl Found {
    pub fn from_json(v: &Value) -> Found {
        Found {
            table: v["table"].as_str().unwrap().to_owned(),
            cell: v["cell"].as_str().unwrap().split(',').map(str::to_owned).collect(),
            form: v["form"].as_str().unwrap().to_owned(),
            text: v["text"].as_str().unwrap().to_owned(),
        }
    }
}

/// The API's tables, fetched once per table and year.
pub struct Tables<'a> {
    pub app: &'a TestApp,
    /// `/api/v1/tables` or `/api/v1/open/tables`.
    pub base: &'static str,
    pub token: Option<String>,
    fetched: HashMap<(String, String), Value>,
}

impl<'a> Tables<'a> {
    pub fn new(app: &'a TestApp, base: &'static str, token: Option<String>) -> Tables<'a> {
        Tables { app, base, token, fetched: HashMap::new() }
    }

    pub async fn table(&mut self, id: &str, year: &str) -> &Value {
        let key = (id.to_owned(), year.to_owned());
        if !self.fetched.contains_key(&key) {
            let path = format!("{}/{id}?year={year}", self.base);
            let response = self.app.request(reqwest::Method::GET, &path, self.token.as_deref()).send().await.unwrap();
            let (status, _, body) = parts(response).await;
            assert_eq!(status, 200, "{path}: {body}");
            self.fetched.insert(key.clone(), body);
        }
        &self.fetched[&key]
    }

    /// The cell's value and status (`"."` when suppressed).
    pub async fn cell(&mut self, id: &str, cell: &[String]) -> (Option<Decimal>, Option<String>) {
        let table = self.table(id, &cell[0]).await;
        let mut index = 0;
        let dimensions = table["dimensions"].as_array().unwrap();
        assert_eq!(dimensions.len(), cell.len(), "{id}: {cell:?} names one code per dimension");
        for (dimension, code) in dimensions.iter().zip(cell) {
            let categories = dimension["categories"].as_array().unwrap();
            let position = categories
                .iter()
                .position(|c| c["code"] == code.as_str())
                .unwrap_or_else(|| panic!("{id}: no category {code} in {}", dimension["id"]));
            index = index * categories.len() + position;
        }
        let value = &table["values"][index];
        let value = value
            .as_str()
            .map(|s| s.parse().unwrap())
            .or_else(|| value.as_f64().map(|f| f.to_string().parse().unwrap()));
        let status = table["status"].get(index).and_then(Value::as_str).map(str::to_owned);
        (value, status)
    }

    /// The Swedish labels of the categories `cell` names, one per dimension.
    pub async fn labels(&mut self, id: &str, cell: &[String]) -> Vec<String> {
        let table = self.table(id, &cell[0]).await;
        table["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .zip(cell)
            .filter_map(|(d, code)| d["categories"].as_array().unwrap().iter().find(|c| c["code"] == code.as_str()))
            .map(|c| c["label_sv"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The values of one measure over a dimension's categories, totals aside.
    pub async fn column(&mut self, id: &str, year: &str, dimension: &str, measure: &str) -> Vec<Option<Decimal>> {
        let table = self.table(id, year).await.clone();
        let dims = table["dimensions"].as_array().unwrap();
        let codes: Vec<String> = dims.iter().find(|d| d["id"] == dimension).unwrap()["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .filter(|c| c != "total")
            .collect();
        let mut out = Vec::new();
        for code in codes {
            let cell: Vec<String> = dims
                .iter()
                .map(|d| match d["id"].as_str().unwrap() {
                    "year" => year.to_owned(),
                    "measure" => measure.to_owned(),
                    id if id == dimension => code.clone(),
                    _ => "total".to_owned(),
                })
                .collect();
            out.push(self.cell(id, &cell).await.0);
        }
        out
    }
}

fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// What a figure's text must say for `value` in `form`, written out the Swedish way: groups of
/// three by a no-break space, decimal comma, minus sign, "%" after a no-break space.
pub fn expected_text(value: Decimal, form: &str) -> String {
    let (scaled, decimals, percent) = match form {
        "count" | "sek" => (value, 0, false),
        "percent0" => (value, 0, true),
        "percent1" => (value, 1, true),
        "msek0" => (value / Decimal::from(1_000_000), 0, false),
        "msek1" => (value / Decimal::from(1_000_000), 1, false),
        "msek2" => (value / Decimal::from(1_000_000), 2, false),
        other => panic!("unknown form {other}"),
    };
    let rounded = round(scaled, decimals);
    let plain = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = plain.split_once('.').map_or((plain.as_str(), ""), |(w, f)| (w, f));
    let digits: Vec<char> = whole.chars().collect();
    let mut text = String::new();
    if rounded < Decimal::ZERO {
        text.push('\u{2212}');
    }
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push('\u{a0}');
        }
        text.push(*d);
    }
    if !fraction.is_empty() {
        text.push(',');
        text.push_str(fraction);
    }
    if percent {
        text.push_str("\u{a0}%");
    }
    text
}

/// The number a figure's text shows, read back.
pub fn shown(text: &str) -> Decimal {
    let plain: String = text
        .replace('\u{2212}', "-")
        .replace(',', ".")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    plain.parse().unwrap_or_else(|_| panic!("{text:?} is not a number"))
}

/// The whole percentages each share word stands for (the report's promise, restated).
pub fn word_range(code: &str) -> (i64, i64) {
    match code {
        "none" => (0, 0),
        "few" => (1, 24),
        "about_a_third" => (25, 39),
        "under_half" => (40, 49),
        "half" => (50, 50),
        "over_half" => (51, 59),
        "majority" => (60, 99),
        "all" => (100, 100),
        other => panic!("unknown share word {other}"),
    }
}

pub fn whole_percent(part: Decimal, whole: Decimal) -> i64 {
    i64::try_from(round(part * Decimal::from(100) / whole, 0)).unwrap()
}
