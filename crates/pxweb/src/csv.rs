//! CSV as PxWeb writes it: one row per combination of the stub's values, one column per
//! combination of the heading's, labelled by texts, codes or both (`outputFormatParams`).

use finsam_domain::ErrorCode;
use finsam_export::Lang;
use finsam_stats::{Category, Dimension};

use crate::cube::{Cube, NOT_AVAILABLE};
use crate::error::PxError;
use crate::selection::Chosen;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Labels {
    Codes,
    #[default]
    Texts,
    CodesAndTexts,
}

/// What `outputFormatParams` ask of a CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub labels: Labels,
    pub title: bool,
    pub separator: char,
}

impl Default for Params {
    fn default() -> Self {
        Params { labels: Labels::default(), title: false, separator: ',' }
    }
}

/// Reads `outputFormatParams` (comma-separated or repeated).
pub fn params(entries: &[String]) -> Result<Params, PxError> {
    let field = "outputFormatParams";
    let mut params = Params::default();
    let (mut labels, mut separator) = (None, None);
    for entry in entries.iter().flat_map(|e| e.split(',')).map(str::trim).filter(|e| !e.is_empty()) {
        let clash = |what: &str| {
            PxError::bad(field, ErrorCode::BadOutputFormatParams, format!("{entry} contradicts another {what}"))
        };
        match entry.to_ascii_lowercase().as_str() {
            "usecodes" => labels.replace(Labels::Codes).map_or(Ok(()), |_| Err(clash("label choice")))?,
            "usetexts" => labels.replace(Labels::Texts).map_or(Ok(()), |_| Err(clash("label choice")))?,
            "usecodesandtexts" => {
                labels.replace(Labels::CodesAndTexts).map_or(Ok(()), |_| Err(clash("label choice")))?
            }
            "includetitle" => params.title = true,
            "separatortab" => separator.replace('\t').map_or(Ok(()), |_| Err(clash("separator")))?,
            "separatorspace" => separator.replace(' ').map_or(Ok(()), |_| Err(clash("separator")))?,
            "separatorsemicolon" => separator.replace(';').map_or(Ok(()), |_| Err(clash("separator")))?,
            _ => {
                return Err(PxError::bad(
                    field,
                    ErrorCode::BadOutputFormatParams,
                    format!(
                        "{entry:?} is not one of UseCodes, UseTexts, UseCodesAndTexts, IncludeTitle, SeparatorTab, SeparatorSpace, SeparatorSemicolon"
                    ),
                ));
            }
        }
    }
    params.labels = labels.unwrap_or_default();
    params.separator = separator.unwrap_or(',');
    Ok(params)
}

pub fn write(cube: &Cube, chosen: &Chosen, title: &str, lang: Lang, params: Params) -> String {
    let dims = &cube.table.dimensions;
    let at = |code: &str| dims.iter().position(|d| d.id == code).expect("placed variables are the cube's");
    let stub: Vec<usize> = chosen.stub.iter().map(|c| at(c)).collect();
    let heading: Vec<usize> = chosen.heading.iter().map(|c| at(c)).collect();
    let size = cube.table.size();
    let label = |c: &Category| match params.labels {
        Labels::Codes => c.code.clone(),
        Labels::Texts => lang.category(c).to_owned(),
        Labels::CodesAndTexts => format!("{} {}", c.code, lang.category(c)),
    };
    let name = |d: &Dimension| match params.labels {
        Labels::Codes => d.id.clone(),
        _ => lang.dimension(d).to_owned(),
    };
    let field = |text: &str| quote(text, params.separator);
    let mut out = String::new();
    if params.title {
        out.push_str(&field(title));
        out.push_str("\r\n");
    }
    let mut header: Vec<String> = stub.iter().map(|&d| field(&name(&dims[d]))).collect();
    let columns = combinations(&heading, &size);
    for combination in &columns {
        let text: Vec<String> = heading.iter().zip(combination).map(|(&d, &p)| label(&dims[d].categories[p])).collect();
        header.push(field(&text.join(" ")));
    }
    push_row(&mut out, &header, params.separator);
    for row in combinations(&stub, &size) {
        let mut fields: Vec<String> =
            stub.iter().zip(&row).map(|(&d, &p)| field(&label(&dims[d].categories[p]))).collect();
        for column in &columns {
            let mut coords = vec![0; dims.len()];
            for (&d, &p) in stub.iter().zip(&row).chain(heading.iter().zip(column)) {
                coords[d] = p;
            }
            let index = coords.iter().zip(&size).fold(0, |acc, (&c, &n)| acc * n + c);
            fields.push(match (cube.table.values[index], &cube.status[index]) {
                (Some(value), _) => value.normalize().to_string(),
                (None, Some(status)) => status.clone(),
                (None, None) => NOT_AVAILABLE.to_owned(),
            });
        }
        push_row(&mut out, &fields, params.separator);
    }
    out
}

fn push_row(out: &mut String, fields: &[String], separator: char) {
    out.push_str(&fields.join(&separator.to_string()));
    out.push_str("\r\n");
}

/// Every combination of the dimensions' positions, the last varying fastest.
fn combinations(dims: &[usize], size: &[usize]) -> Vec<Vec<usize>> {
    let mut all = vec![Vec::new()];
    for &d in dims {
        all =
            all.into_iter().flat_map(|prefix| (0..size[d]).map(move |p| [prefix.clone(), vec![p]].concat())).collect();
    }
    all
}

fn quote(text: &str, separator: char) -> String {
    if text.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
