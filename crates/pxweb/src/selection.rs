//! A data request's selection: read from the query (`valuecodes[VAR]=`, `codelist[VAR]=`,
//! `heading=`, `stub=`) or the body (`VariablesSelection`), then resolved against a table's
//! variables into the positions of the values it takes.

use finsam_domain::ErrorCode;
use finsam_export::Lang;
use serde::{Deserialize, Serialize};

use crate::codelist;
use crate::error::PxError;
use crate::expression::{select, split_get};
use crate::variables::{NATION, PxTable, Role};

/// `VariableSelection` of the specification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Asked {
    pub variable_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codelist: Option<String>,
    #[serde(default)]
    pub value_codes: Vec<String>,
}

/// `VariablePlacementType`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    #[serde(default)]
    pub heading: Vec<String>,
    #[serde(default)]
    pub stub: Vec<String>,
}

/// `VariablesSelection`: no `selection` at all asks for the default one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub selection: Option<Vec<Asked>>,
    #[serde(default)]
    pub placement: Option<Placement>,
}

/// The selection parameters of a GET: `valuecodes[VAR]`, `codelist[VAR]`, `heading`, `stub`.
/// Other parameters are the caller's to check.
pub fn from_query(pairs: &[(String, String)]) -> Result<Request, PxError> {
    let mut asked: Vec<Asked> = Vec::new();
    let mut placement = Placement::default();
    let mut placed = false;
    for (name, value) in pairs {
        let variable = |prefix: &str| name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(']'));
        let mut entry = |code: &str| -> usize {
            match asked.iter().position(|a| a.variable_code.eq_ignore_ascii_case(code)) {
                Some(found) => found,
                None => {
                    asked.push(Asked { variable_code: code.to_owned(), codelist: None, value_codes: Vec::new() });
                    asked.len() - 1
                }
            }
        };
        if let Some(code) = variable("valuecodes[") {
            let at = entry(code);
            asked[at].value_codes.extend(split_get(value));
        } else if let Some(code) = variable("codelist[") {
            let at = entry(code);
            if asked[at].codelist.replace(value.clone()).is_some() {
                return Err(PxError::bad(name, ErrorCode::Duplicate, "one codelist per variable"));
            }
        } else if name == "heading" || name == "stub" {
            let list = if name == "heading" { &mut placement.heading } else { &mut placement.stub };
            list.extend(value.split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()));
            placed = true;
        }
    }
    Ok(Request { selection: (!asked.is_empty()).then_some(asked), placement: placed.then_some(placement) })
}

/// The values a request takes of each variable, as positions in the variable's values;
/// `None` where the variable is eliminated (its elimination value stands for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub positions: Vec<Option<Vec<usize>>>,
    /// The codelist applied to each variable, if any.
    pub codelists: Vec<Option<String>>,
    pub heading: Vec<String>,
    pub stub: Vec<String>,
}

impl Chosen {
    /// How many cells the selection has.
    pub fn cells(&self) -> usize {
        self.positions.iter().map(|p| p.as_ref().map_or(1, Vec::len)).product()
    }

    /// The codes taken of variable `index`, the elimination value for an eliminated one.
    pub fn codes(&self, table: &PxTable, index: usize) -> Vec<String> {
        let variable = &table.variables[index];
        match &self.positions[index] {
            Some(positions) => positions.iter().map(|&p| variable.values[p].code.clone()).collect(),
            None => variable.elimination.iter().cloned().collect(),
        }
    }
}

/// The default selection (`/defaultselection`, and data asked with no selection): the latest
/// year, the nation, and every value of the other variables.
pub fn default(table: &PxTable) -> Chosen {
    let positions = table
        .variables
        .iter()
        .map(|v| match v.role {
            Role::Time => Some(vec![v.values.len().saturating_sub(1)]),
            Role::Geo => Some(vec![v.position(NATION).unwrap_or(0)]),
            Role::Metric | Role::Other => Some((0..v.values.len()).collect()),
        })
        .collect();
    place(table, positions, vec![None; table.variables.len()], None).expect("the default placement is valid")
}

/// Resolves `request` against `table`; `field` names the request's part in errors
/// (`valuecodes` for a GET, `selection` for a POST body).
pub fn resolve(table: &PxTable, request: &Request, lang: Lang, post: bool) -> Result<Chosen, PxError> {
    let Some(asked) = &request.selection else {
        let mut chosen = default(table);
        if let Some(placement) = &request.placement {
            chosen = place(table, chosen.positions, chosen.codelists, Some(placement))?;
        }
        return Ok(chosen);
    };
    let field = |variable: &str, index: usize, part: &str| match post {
        true => format!("selection[{index}].{part}"),
        false => format!("{}[{variable}]", if part == "codelist" { "codelist" } else { "valuecodes" }),
    };
    let mut positions = vec![None; table.variables.len()];
    let mut codelists = vec![None; table.variables.len()];
    let mut seen = vec![false; table.variables.len()];
    for (index, a) in asked.iter().enumerate() {
        let at =
            table.variables.iter().position(|v| v.code.eq_ignore_ascii_case(&a.variable_code)).ok_or_else(|| {
                let codes: Vec<&str> = table.variables.iter().map(|v| v.code.as_str()).collect();
                PxError::bad(
                    field(&a.variable_code, index, "variableCode"),
                    ErrorCode::UnknownVariable,
                    format!(
                        "table {} has no variable {:?}; its variables: {}",
                        table.id.code(),
                        a.variable_code,
                        codes.join(", ")
                    ),
                )
            })?;
        if std::mem::replace(&mut seen[at], true) {
            return Err(PxError::bad(
                field(&a.variable_code, index, "variableCode"),
                ErrorCode::Duplicate,
                format!("variable {:?} is selected twice", a.variable_code),
            ));
        }
        let variable = &table.variables[at];
        let all: Vec<&str> = variable.values.iter().map(|v| v.code.as_str()).collect();
        let domain: Vec<usize> = match &a.codelist {
            None => (0..all.len()).collect(),
            Some(id) => {
                let list = codelist::find(table, &variable.code, id, lang).ok_or_else(|| {
                    PxError::bad(
                        field(&variable.code, index, "codelist"),
                        ErrorCode::UnknownCodelist,
                        format!("variable {} has no codelist {id:?}", variable.code),
                    )
                })?;
                codelists[at] = Some(list.id.to_owned());
                list.values.iter().filter_map(|m| variable.position(&m.code)).collect()
            }
        };
        if a.value_codes.is_empty() {
            continue;
        }
        let codes: Vec<&str> = domain.iter().map(|&p| all[p]).collect();
        let time = variable.role == Role::Time;
        let picked = select(&a.value_codes, &codes, &field(&variable.code, index, "valueCodes"), time)?;
        positions[at] = Some(picked.into_iter().map(|p| domain[p]).collect());
    }
    for (at, variable) in table.variables.iter().enumerate() {
        if positions[at].is_none() && variable.elimination.is_none() {
            return Err(PxError::bad(
                match post {
                    true => "selection".to_owned(),
                    false => format!("valuecodes[{}]", variable.code),
                },
                ErrorCode::MandatoryVariable,
                format!("variable {} is mandatory: select at least one of its values", variable.code),
            ));
        }
    }
    place(table, positions, codelists, request.placement.as_ref())
}

/// The heading and stub of the output: as placed, else the year in the heading and the rest in
/// the stub. Eliminated variables are in neither.
fn place(
    table: &PxTable,
    positions: Vec<Option<Vec<usize>>>,
    codelists: Vec<Option<String>>,
    placement: Option<&Placement>,
) -> Result<Chosen, PxError> {
    let present: Vec<&str> =
        table.variables.iter().zip(&positions).filter(|(_, p)| p.is_some()).map(|(v, _)| v.code.as_str()).collect();
    let check = |list: &[String], field: &str| -> Result<Vec<String>, PxError> {
        list.iter()
            .map(|code| {
                present.iter().find(|p| p.eq_ignore_ascii_case(code)).map(|p| (*p).to_owned()).ok_or_else(|| {
                    PxError::bad(
                        field,
                        ErrorCode::UnknownVariable,
                        format!("{code:?} is not a variable of the selection"),
                    )
                })
            })
            .collect()
    };
    let (mut heading, mut stub) = match placement {
        Some(p) => (check(&p.heading, "heading")?, check(&p.stub, "stub")?),
        None => (vec![crate::variables::YEAR.to_owned()], Vec::new()),
    };
    if let Some(twice) = heading.iter().find(|h| stub.contains(h)) {
        return Err(PxError::bad("stub", ErrorCode::Duplicate, format!("{twice} is both in the heading and the stub")));
    }
    for code in &present {
        if !heading.iter().any(|h| h == code) && !stub.iter().any(|s| s == code) {
            stub.push((*code).to_owned());
        }
    }
    if heading.is_empty() {
        heading.push(stub.pop().expect("a selection has variables"));
    }
    Ok(Chosen { positions, codelists, heading, stub })
}
