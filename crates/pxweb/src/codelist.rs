//! The groupings of the region variable a selection may apply (`codelist[region]=…`): the
//! counties, the förbund, and each county made of its förbund. Every value of a codelist is a
//! region the tables hold figures for, so applying one narrows the values and never sums.

use finsam_export::Lang;

use crate::variables::{Level, NATION, PxTable, REGION, Region};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Aggregation,
    Valueset,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Aggregation => "Aggregation",
            Kind::Valueset => "Valueset",
        }
    }
}

/// One value: its code (a region's), and the region codes it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub code: String,
    pub label: String,
    pub value_map: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codelist {
    pub id: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub values: Vec<Mapped>,
}

/// The ids, for listing without building.
pub const IDS: [&str; 3] = ["vs_counties", "vs_forbund", "agg_counties"];

/// Every codelist over `regions`, in `lang`.
pub fn all(regions: &[Region], lang: Lang) -> Vec<Codelist> {
    let label = |r: &Region| match (r.level, lang) {
        (Level::Nation, Lang::En) => "Sweden".to_owned(),
        _ => r.name.clone(),
    };
    let own = |r: &Region| Mapped { code: r.code.clone(), label: label(r), value_map: vec![r.code.clone()] };
    let counties: Vec<&Region> = regions.iter().filter(|r| r.level == Level::County).collect();
    vec![
        Codelist {
            id: IDS[0],
            label: lang.pick("Riket och län", "Sweden and counties"),
            kind: Kind::Valueset,
            values: regions.iter().filter(|r| r.level != Level::Forbund).map(own).collect(),
        },
        Codelist {
            id: IDS[1],
            label: lang.pick("Samordningsförbund", "Coordination associations"),
            kind: Kind::Valueset,
            values: regions.iter().filter(|r| r.level == Level::Forbund).map(own).collect(),
        },
        Codelist {
            id: IDS[2],
            label: lang.pick("Län efter samordningsförbund", "Counties by coordination association"),
            kind: Kind::Aggregation,
            values: counties
                .iter()
                .map(|county| Mapped {
                    code: county.code.clone(),
                    label: label(county),
                    value_map: regions
                        .iter()
                        .filter(|r| r.county.as_deref() == Some(county.code.as_str()))
                        .map(|r| r.code.clone())
                        .collect(),
                })
                .collect(),
        },
    ]
}

/// The codelist `id` of `table`'s variable `variable`, if it has one by that id.
pub fn find(table: &PxTable, variable: &str, id: &str, lang: Lang) -> Option<Codelist> {
    if variable != REGION || table.regions.len() < 2 {
        return None;
    }
    all(&table.regions, lang).into_iter().find(|c| c.id == id)
}

/// The codelists the region variable offers (none where the table has only the nation).
pub fn of_region(table: &PxTable, lang: Lang) -> Vec<Codelist> {
    if table.regions.len() < 2 || !table.regions.iter().any(|r| r.code == NATION) {
        return Vec::new();
    }
    all(&table.regions, lang)
}
