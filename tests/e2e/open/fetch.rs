//! Reading the open endpoints' answers: the plain JSON format of a table, raw bytes, ZIP entries
//! and the list of tables.

use std::io::{Cursor, Read};

use serde_json::Value;

use crate::e2e::support::{TestApp, parts};

/// A table in the plain JSON format: dimensions with their category codes, values, statuses.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Plain {
    pub(super) dims: Vec<(String, Vec<String>)>,
    pub(super) size: Vec<usize>,
    pub(super) values: Vec<Option<f64>>,
    pub(super) status: Vec<Option<String>>,
}

impl Plain {
    pub(super) fn parse(body: &Value, what: &str) -> Plain {
        let dims: Vec<(String, Vec<String>)> = body["dimensions"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: no dimensions in {body}"))
            .iter()
            .map(|d| {
                let codes = d["categories"].as_array().unwrap().iter();
                (d["id"].as_str().unwrap().to_owned(), codes.map(|c| c["code"].as_str().unwrap().to_owned()).collect())
            })
            .collect();
        let size: Vec<usize> = body["size"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as usize).collect();
        assert_eq!(size, dims.iter().map(|(_, c)| c.len()).collect::<Vec<_>>(), "{what}: size is the dimensions'");
        let n: usize = size.iter().product();
        let values: Vec<Option<f64>> = body["values"].as_array().unwrap().iter().map(number).collect();
        assert_eq!(values.len(), n, "{what}: one value per cell");
        let status: Vec<Option<String>> = match &body["status"] {
            // The exact tables have none.
            Value::Array(status) if status.is_empty() => vec![None; n],
            Value::Array(status) => status.iter().map(|s| s.as_str().map(str::to_owned)).collect(),
            other => panic!("{what}: status is {other}"),
        };
        assert_eq!(status.len(), n, "{what}: one status per cell");
        for (i, s) in status.iter().enumerate() {
            if let Some(s) = s {
                assert_eq!(s, ".", "{what}: the only status is the suppression mark");
                assert_eq!(values[i], None, "{what}: cell {i} is suppressed yet has a value");
            }
        }
        Plain { dims, size, values, status }
    }

    pub(super) fn dim(&self, id: &str) -> Option<usize> {
        self.dims.iter().position(|(d, _)| d == id)
    }

    pub(super) fn pos(&self, dim: usize, code: &str) -> Option<usize> {
        self.dims[dim].1.iter().position(|c| c == code)
    }

    pub(super) fn coords(&self, mut index: usize) -> Vec<usize> {
        let mut coords = vec![0; self.size.len()];
        for (d, &n) in self.size.iter().enumerate().rev() {
            coords[d] = index % n;
            index /= n;
        }
        coords
    }

    pub(super) fn index(&self, coords: &[usize]) -> usize {
        coords.iter().zip(&self.size).fold(0, |acc, (&c, &n)| acc * n + c)
    }

    pub(super) fn suppressed(&self, i: usize) -> bool {
        self.status[i].is_some()
    }

    pub(super) fn label(&self, i: usize) -> String {
        let coords = self.coords(i);
        self.dims.iter().zip(coords).map(|((id, codes), c)| format!("{id}={}", codes[c])).collect::<Vec<_>>().join(",")
    }

    /// Indices of the cells of `measure` (the last dimension).
    pub(super) fn cells_of(&self, measure: &str) -> Vec<usize> {
        let m = self.dims.len() - 1;
        assert_eq!(self.dims[m].0, "measure");
        let at = self.pos(m, measure).unwrap_or_else(|| panic!("no measure {measure}"));
        (0..self.values.len()).filter(|&i| self.coords(i)[m] == at).collect()
    }
}

pub(super) fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Null => None,
        Value::Number(n) => n.as_f64(),
        Value::String(s) => Some(s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))),
        other => panic!("not a value: {other}"),
    }
}

/// A JSON answer of an open endpoint, asked for with no token.
pub(super) async fn open_json(app: &TestApp, path: &str) -> Value {
    let (status, _, body) = parts(app.get(path).await).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// An open table in the plain JSON format: a status for every value.
pub(super) async fn open_table(app: &TestApp, path: &str) -> Plain {
    let body = open_json(app, path).await;
    let plain = Plain::parse(&body, path);
    assert_eq!(body["status"].as_array().map(Vec::len), Some(plain.values.len()), "{path}: a status per value");
    plain
}

/// Status, content type and raw bytes.
pub(super) async fn raw(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.bytes().await.unwrap().to_vec())
}

/// Every entry of a ZIP, by name, in archive order.
pub(super) fn unzip(bytes: &[u8], what: &str) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{what} is no zip: {e}"));
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let name = file.name().unwrap().into_owned();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap_or_else(|e| panic!("{what}: {name}: {e}"));
            (name, content)
        })
        .collect()
}

pub(super) async fn table_ids(app: &TestApp) -> Vec<String> {
    let list = open_json(app, "/api/v1/open/tables").await;
    list.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}
