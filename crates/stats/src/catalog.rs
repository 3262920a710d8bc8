//! The tables (ids and codes fixed by CONTRACT.md) and what describes them: titles, dimensions
//! with their categories, units, the rounding rule and the source note.

use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Kind, Orientation, Party, TargetGroup};
use serde::{Deserialize, Serialize};

use crate::table::{Category, Dimension, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableId {
    InsatserByKind,
    IndividualInsatser,
    IndividualParticipants,
    StructuralInsatser,
    TargetGroups,
    Costs,
    Contributions,
    Equity,
    Completeness,
    Exits,
}

pub const ROUNDING_RULE: &str = "Shares are percentages computed from exact counts or amounts and rounded once, \
     half away from zero, to one decimal; they need not add up to exactly 100. Counts are exact; money is in SEK \
     with öre.";

pub const SOURCE: &str = "Finsam follow-up service: registrations by the samordningsförbund. An insats counts in a \
     year when it has figures registered for that year. A förbund counts in the county holding most of its member \
     municipalities during the year (ties: the lowest county code), so that counties add up to the nation.";

/// What describes a table, apart from its values.
#[derive(Debug, Clone, Serialize)]
pub struct TableInfo {
    pub id: TableId,
    pub title_sv: &'static str,
    pub title_en: &'static str,
    /// The dimensions after `year`, the last one `measure`.
    pub dimensions: Vec<Dimension>,
    pub rounding: &'static str,
    pub source: &'static str,
}

impl TableId {
    pub const ALL: [TableId; 10] = [
        TableId::InsatserByKind,
        TableId::IndividualInsatser,
        TableId::IndividualParticipants,
        TableId::StructuralInsatser,
        TableId::TargetGroups,
        TableId::Costs,
        TableId::Contributions,
        TableId::Equity,
        TableId::Completeness,
        TableId::Exits,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TableId::InsatserByKind => "insatser-by-kind",
            TableId::IndividualInsatser => "individual-insatser",
            TableId::IndividualParticipants => "individual-participants",
            TableId::StructuralInsatser => "structural-insatser",
            TableId::TargetGroups => "target-groups",
            TableId::Costs => "costs",
            TableId::Contributions => "contributions",
            TableId::Equity => "equity",
            TableId::Completeness => "completeness",
            TableId::Exits => "exits",
        }
    }

    pub fn from_code(code: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|id| id.code() == code)
    }

    pub fn info(self) -> TableInfo {
        let (title_sv, title_en, dimensions) = match self {
            TableId::InsatserByKind => {
                ("Insatser efter typ", "Insatser by kind", vec![kinds(), measure(&[COUNT_INSATSER, SHARE])])
            }
            TableId::IndividualInsatser => (
                "Individinriktade insatser efter preciserad inriktning",
                "Individual insatser by orientation",
                vec![orientations(Kind::Individual), measure(&[COUNT_INSATSER, SHARE])],
            ),
            TableId::IndividualParticipants => (
                "Deltagare i individinriktade insatser efter inriktning och kön",
                "Participants in individual insatser by orientation and gender",
                vec![
                    orientations(Kind::Individual),
                    genders(),
                    measure(&[COUNT_PARTICIPANTS, SHARE_OF_ORIENTATION, SHARE_OF_GENDER]),
                ],
            ),
            TableId::StructuralInsatser => (
                "Strukturövergripande insatser efter preciserad inriktning",
                "Structural insatser by orientation",
                vec![
                    orientations(Kind::Structural),
                    measure(&[COUNT_INSATSER, SHARE, TRACKING, COUNT_PARTICIPANTS, SHARE_OF_PARTICIPANTS]),
                ],
            ),
            TableId::TargetGroups => (
                "Individinriktade insatser efter målgrupp",
                "Individual insatser by target group",
                vec![target_groups(), measure(&[COUNT_INSATSER])],
            ),
            TableId::Costs => (
                "Kostnader: budget och utfall",
                "Costs: budget and outcome",
                vec![cost_items(), measure(&[BUDGET, OUTCOME, SHARE_OF_INSATS_BUDGET])],
            ),
            TableId::Contributions => {
                ("Medlemsbidrag efter part", "Contributions by party", vec![parties(), measure(&[AMOUNT, SHARE])])
            }
            TableId::Equity => ("Eget kapital", "Equity", vec![measure(&[OPENING, RESULT, CLOSING])]),
            TableId::Completeness => (
                "Registreringens fullständighet",
                "Registration completeness",
                vec![measure(&[FORBUND, REGISTERED, SUBMITTED, MUNICIPALITIES])],
            ),
            TableId::Exits => (
                "Avslut efter orsak och kön",
                "Exits by reason and gender",
                vec![exit_reasons(), genders(), measure(&[EXITS])],
            ),
        };
        TableInfo { id: self, title_sv, title_en, dimensions, rounding: ROUNDING_RULE, source: SOURCE }
    }
}

/// The `year` dimension for the given years, oldest first.
pub fn year_dimension(years: &[i32]) -> Dimension {
    Dimension {
        id: "year".into(),
        label_sv: "År".into(),
        label_en: "Year".into(),
        categories: years.iter().map(|y| plain(&y.to_string(), &y.to_string(), &y.to_string())).collect(),
    }
}

type Measure = (&'static str, &'static str, &'static str, &'static str, u32);
const COUNT_INSATSER: Measure = ("insatser", "Antal insatser", "Insatser", "count", 0);
const SHARE: Measure = ("share", "Andel", "Share", "percent", 1);
const COUNT_PARTICIPANTS: Measure = ("participants", "Antal deltagare", "Participants", "count", 0);
const SHARE_OF_ORIENTATION: Measure = (
    "share_of_orientation",
    "Andel av inriktningens deltagare",
    "Share of the orientation's participants",
    "percent",
    1,
);
const SHARE_OF_GENDER: Measure = (
    "share_of_gender",
    "Andel av alla deltagare av samma kön",
    "Share of all participants of the gender",
    "percent",
    1,
);
const TRACKING: Measure =
    ("tracking_participants", "Insatser som följer deltagare", "Insatser that track participants", "count", 0);
const SHARE_OF_PARTICIPANTS: Measure =
    ("share_of_participants", "Andel av deltagarna", "Share of participants", "percent", 1);
const BUDGET: Measure = ("budget", "Budget", "Budget", "SEK", 2);
const OUTCOME: Measure = ("outcome", "Utfall", "Outcome", "SEK", 2);
const SHARE_OF_INSATS_BUDGET: Measure =
    ("share_of_insats_budget", "Andel av insatsernas budget", "Share of the insatser's budget", "percent", 1);
const AMOUNT: Measure = ("amount", "Belopp", "Amount", "SEK", 2);
const OPENING: Measure = ("opening", "Ingående eget kapital", "Opening equity", "SEK", 2);
const RESULT: Measure = ("result", "Årets resultat", "Result of the year", "SEK", 2);
const CLOSING: Measure = ("closing", "Utgående eget kapital", "Closing equity", "SEK", 2);
const FORBUND: Measure = ("forbund", "Förbund", "Förbund", "count", 0);
const REGISTERED: Measure = ("forbund_registered", "Förbund som registrerat", "Förbund that registered", "count", 0);
const SUBMITTED: Measure = ("forbund_submitted", "Förbund som rapporterat klart", "Förbund that submitted", "count", 0);
const MUNICIPALITIES: Measure = ("municipalities_covered", "Kommuner i förbund", "Municipalities covered", "count", 0);
const EXITS: Measure = ("exits", "Avslutade deltagare", "Exits", "count", 0);

fn plain(code: &str, sv: &str, en: &str) -> Category {
    Category { code: code.into(), label_sv: sv.into(), label_en: en.into(), unit: None }
}

/// A domain code as a category, under its list's dimension: the short Swedish name.
fn coded<T: Code>(value: T) -> Category {
    plain(value.code(), value.short_sv(), value.name_en())
}

fn total() -> Category {
    plain("total", "Totalt", "Total")
}

fn dimension(id: &str, sv: &str, en: &str, categories: Vec<Category>) -> Dimension {
    Dimension { id: id.into(), label_sv: sv.into(), label_en: en.into(), categories }
}

/// Every code of a list, then `total`.
fn code_list<T: Code>(id: &str, sv: &str, en: &str) -> Dimension {
    dimension(id, sv, en, T::ALL.iter().map(|&value| coded(value)).chain([total()]).collect())
}

fn measure(measures: &[Measure]) -> Dimension {
    Dimension {
        id: "measure".into(),
        label_sv: "Mått".into(),
        label_en: "Measure".into(),
        categories: measures
            .iter()
            .map(|(code, sv, en, unit, decimals)| Category {
                unit: Some(Unit { label: (*unit).into(), decimals: *decimals }),
                ..plain(code, sv, en)
            })
            .collect(),
    }
}

fn kinds() -> Dimension {
    code_list::<Kind>("kind", "Typ av insats", "Kind")
}

/// The orientations of one kind, then `total` (of that kind).
fn orientations(kind: Kind) -> Dimension {
    let categories = Orientation::of_kind(kind).into_iter().map(coded).chain([total()]).collect();
    dimension("orientation", "Preciserad inriktning", "Orientation", categories)
}

fn genders() -> Dimension {
    code_list::<Gender>("gender", "Kön", "Gender")
}

/// Every target group and `none`, the insatser with no specific target group; no total, as an
/// insats counts in each of its groups.
fn target_groups() -> Dimension {
    let none = plain("none", "Ingen specifik målgrupp", "No specific target group");
    let categories = TargetGroup::ALL.iter().map(|&group| coded(group)).chain([none]).collect();
    dimension("target_group", "Målgrupp", "Target group", categories)
}

/// The insatser of each kind, administration, then `total`.
fn cost_items() -> Dimension {
    let insatser = Kind::ALL.iter().map(|&kind| plain(kind.code(), kind.insatser_sv(), kind.insatser_en()));
    let administration = plain("administration", "Administration", "Administration");
    dimension("item", "Kostnadspost", "Item", insatser.chain([administration, total()]).collect())
}

fn parties() -> Dimension {
    code_list::<Party>("party", "Part", "Party")
}

fn exit_reasons() -> Dimension {
    code_list::<ExitReason>("reason", "Orsak", "Reason")
}
