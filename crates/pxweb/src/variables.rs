//! A PxWeb table's variables: the years (time), the regions (geo), the table's own dimensions
//! and its measures (the contents), with what may be left out of a selection.

use finsam_export::Lang;
use finsam_stats::catalog::TableInfo;
use finsam_stats::{Category, Dimension, TableId};

/// The time variable's code.
pub const YEAR: &str = "year";
/// The region variable's code.
pub const REGION: &str = "region";
/// The contents variable's code.
pub const MEASURE: &str = "measure";
/// The nation's region code, as Statistics Sweden writes "Riket".
pub const NATION: &str = "00";
/// The category that eliminates a dimension of its own: the table's total over it.
const TOTAL: &str = "total";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Nation,
    County,
    Forbund,
}

/// One value of the region variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: Level,
    /// A förbund's county (the one it counts in for the latest year); `None` for the others.
    pub county: Option<String>,
}

impl Region {
    pub fn nation() -> Region {
        Region { code: NATION.to_owned(), name: "Riket".to_owned(), level: Level::Nation, county: None }
    }

    fn label(&self, lang: Lang) -> String {
        match (self.level, lang) {
            (Level::Nation, Lang::En) => "Sweden".to_owned(),
            _ => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Time,
    Geo,
    Metric,
    Other,
}

/// One variable: its values in order, and the value that stands for all of them when the
/// variable is left out of a selection (`None`: it may not be left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub code: String,
    pub label_sv: String,
    pub label_en: String,
    pub values: Vec<Category>,
    pub role: Role,
    pub elimination: Option<String>,
}

impl Variable {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.label_sv, &self.label_en)
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.values.iter().position(|v| v.code == code)
    }

    pub fn as_dimension(&self, positions: &[usize]) -> Dimension {
        Dimension {
            id: self.code.clone(),
            label_sv: self.label_sv.clone(),
            label_en: self.label_en.clone(),
            categories: positions.iter().map(|&p| self.values[p].clone()).collect(),
        }
    }
}

/// A statistic as one PxWeb table.
#[derive(Debug, Clone)]
pub struct PxTable {
    pub id: TableId,
    pub info: TableInfo,
    /// `year`, `region`, the table's own dimensions, `measure`.
    pub variables: Vec<Variable>,
    pub regions: Vec<Region>,
    /// RFC 3339: when the figures were made (a release's publication, or the reading).
    pub updated: String,
    /// What the figures went through, e.g. disclosure control, in the language asked for.
    pub notes: Vec<String>,
}

impl PxTable {
    /// `own` are the table's dimensions after `year` (the catalog's, or a computed table's where
    /// the categories depend on the data, such as the förbund of `allocation`).
    pub fn new(info: TableInfo, own: &[Dimension], years: &[i32], regions: Vec<Region>, updated: String) -> PxTable {
        let year = Variable {
            code: YEAR.to_owned(),
            label_sv: "År".to_owned(),
            label_en: "Year".to_owned(),
            values: finsam_stats::catalog::year_dimension(years).categories,
            role: Role::Time,
            elimination: None,
        };
        let region = Variable {
            code: REGION.to_owned(),
            label_sv: "Region".to_owned(),
            label_en: "Region".to_owned(),
            values: regions
                .iter()
                .map(|r| Category {
                    code: r.code.clone(),
                    label_sv: r.label(Lang::Sv),
                    label_en: r.label(Lang::En),
                    unit: None,
                })
                .collect(),
            role: Role::Geo,
            elimination: Some(NATION.to_owned()),
        };
        let mut variables = vec![year, region];
        for d in own {
            let measure = d.id == MEASURE;
            variables.push(Variable {
                code: d.id.clone(),
                label_sv: d.label_sv.clone(),
                label_en: d.label_en.clone(),
                values: d.categories.clone(),
                role: if measure { Role::Metric } else { Role::Other },
                elimination: (!measure && d.categories.iter().any(|c| c.code == TOTAL)).then(|| TOTAL.to_owned()),
            });
        }
        PxTable { id: info.id, info, variables, regions, updated, notes: Vec::new() }
    }

    pub fn variable(&self, code: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.code == code)
    }

    pub fn years(&self) -> &[Category] {
        &self.variables[0].values
    }

    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(self.info.title_sv, self.info.title_en)
    }
}
