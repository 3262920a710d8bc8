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
    Allocation,
    EquityByForbund,
    AdministrationShare,
    StateFunds,
}

pub const ROUNDING_RULE: &str = "Shares are percentages computed from exact counts or amounts and rounded once, \
     half away from zero, to one decimal; they need not add up to exactly 100. Counts are exact; money is in SEK \
     with öre.";

pub const SOURCE: &str = "Finsam follow-up service: registrations by the samordningsförbund. An insats counts in a \
     year when it has figures registered for that year. A förbund counts in the county holding most of its member \
     municipalities during the year (ties: the lowest county code), so that counties add up to the nation.";

pub const ALLOCATION_SOURCE: &str = "The allocation an admin decided for the year (PUT /api/v1/allocations/{year}), \
     computed by the state's allocation model over the reference statistics and memberships named in its parameters; \
     the previous year is that year's decision. Each förbund's computation is explained by GET /api/v1/allocations/{year}.";

pub const ALLOCATION_ROUNDING: &str = "Whole kronor: each part is rounded by largest remainder, so that the parts \
     sum exactly to what is distributed (frame less national support). Shares and the change in percent are rounded \
     once, half away from zero, to one decimal.";

pub const STATE_FUNDS_SOURCE: &str = "The frame and national support of the decided allocation; paid to the förbund is \
     the sum of their decided allocations; national support spent is set by an admin (PUT /api/v1/money-settings/{year}). \
     Spent = paid + national support spent; unspent = frame − spent.";

pub const EQUITY_SOURCE: &str = "The förbund's registered finances (closing equity, contributions of every member) \
     and the decided state allocation of the year, against the national council's recommendation as an admin set its \
     steps for the year (PUT /api/v1/money-settings/{year}): the acceptable closing equity, as a share of the year's \
     contributions, for the step the contributions fall in. No source gives the steps: without them the assessment is \
     left empty and the table says so.";

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
    pub const ALL: [TableId; 14] = [
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
        TableId::Allocation,
        TableId::EquityByForbund,
        TableId::AdministrationShare,
        TableId::StateFunds,
    ];

    /// The tables that open releases hold, in this order. The money tables that came later are
    /// exact-only: a release is a snapshot that must read back as it was published, and the
    /// releases already made have none of them.
    pub const OPEN: [TableId; 10] = [
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
            TableId::Allocation => "allocation",
            TableId::EquityByForbund => "equity-by-forbund",
            TableId::AdministrationShare => "administration-share",
            TableId::StateFunds => "state-funds",
        }
    }

    pub fn from_code(code: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|id| id.code() == code)
    }

    /// Whether open releases hold this table.
    pub fn is_open(self) -> bool {
        TableId::OPEN.contains(&self)
    }

    /// Whether the table has a `forbund` dimension (its categories are the selection's förbund
    /// of the years asked for, then `total`): then the catalog lists only `total` for it.
    pub fn by_forbund(self) -> bool {
        matches!(self, TableId::Allocation | TableId::EquityByForbund)
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
            TableId::Allocation => (
                "Statens medelstilldelning per förbund",
                "The state's allocation by förbund",
                vec![
                    forbund_total(),
                    measure(&[
                        BASE,
                        BY_FORSORJNINGSMATT,
                        BY_POPULATION,
                        DAMPING,
                        TOTAL,
                        PREVIOUS,
                        CHANGE,
                        CHANGE_PERCENT,
                        SHARE,
                    ]),
                ],
            ),
            TableId::EquityByForbund => (
                "Eget kapital per förbund mot rekommendationen",
                "Equity by förbund against the recommendation",
                vec![
                    forbund_total(),
                    measure(&[
                        CONTRIBUTIONS,
                        STATE_ALLOCATION,
                        CLOSING,
                        SHARE_OF_CONTRIBUTIONS,
                        SHARE_OF_ALLOCATION,
                        RECOMMENDED_MAX,
                        ABOVE_RECOMMENDATION,
                    ]),
                ],
            ),
            TableId::AdministrationShare => (
                "Administrationens andel av kostnaderna",
                "Administration share of costs",
                vec![measure(&[
                    ADMINISTRATION_BUDGET,
                    INSATS_BUDGET,
                    SHARE_OF_BUDGET,
                    ADMINISTRATION_OUTCOME,
                    INSATS_OUTCOME,
                    SHARE_OF_OUTCOME,
                ])],
            ),
            TableId::StateFunds => (
                "Statens medel: tilldelning och förbrukning",
                "The state's funds: allocated and spent",
                vec![measure(&[FRAME, NATIONAL_SUPPORT, PAID, SUPPORT_SPENT, SPENT, UNSPENT])],
            ),
        };
        let source = match self {
            TableId::Allocation => ALLOCATION_SOURCE,
            TableId::StateFunds => STATE_FUNDS_SOURCE,
            TableId::EquityByForbund => EQUITY_SOURCE,
            _ => SOURCE,
        };
        let rounding = match self {
            TableId::Allocation => ALLOCATION_ROUNDING,
            _ => ROUNDING_RULE,
        };
        TableInfo { id: self, title_sv, title_en, dimensions, rounding, source }
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
const BASE: Measure = ("base", "Grundbelopp", "Base amount", "SEK", 0);
const BY_FORSORJNINGSMATT: Measure = ("by_forsorjningsmatt", "Efter försörjningsmått", "By försörjningsmått", "SEK", 0);
const BY_POPULATION: Measure = ("by_population", "Efter befolkning 16–64 år", "By population aged 16–64", "SEK", 0);
const DAMPING: Measure = ("damping_adjustment", "Dämpning", "Damping adjustment", "SEK", 0);
const TOTAL: Measure = ("total", "Tilldelning", "Allocation", "SEK", 0);
const PREVIOUS: Measure = ("previous", "Föregående års tilldelning", "Previous year's allocation", "SEK", 0);
const CHANGE: Measure = ("change", "Förändring mot föregående år", "Change against the previous year", "SEK", 0);
const CHANGE_PERCENT: Measure = (
    "change_percent",
    "Förändring mot föregående år, procent",
    "Change against the previous year, percent",
    "percent",
    1,
);
const CONTRIBUTIONS: Measure = ("contributions", "Medlemsbidrag", "Contributions", "SEK", 2);
const STATE_ALLOCATION: Measure = ("allocation", "Statens tilldelning", "State allocation", "SEK", 0);
const SHARE_OF_CONTRIBUTIONS: Measure = (
    "share_of_contributions",
    "Eget kapital i procent av medlemsbidragen",
    "Equity as percent of contributions",
    "percent",
    1,
);
const SHARE_OF_ALLOCATION: Measure = (
    "share_of_allocation",
    "Eget kapital i procent av statens tilldelning",
    "Equity as percent of the state allocation",
    "percent",
    1,
);
const RECOMMENDED_MAX: Measure =
    ("recommended_max_share", "Rekommenderad högsta andel", "Recommended maximum share", "percent", 2);
const ABOVE_RECOMMENDATION: Measure =
    ("above_recommendation", "Över rekommendationen", "Above the recommendation", "count", 0);
const ADMINISTRATION_BUDGET: Measure =
    ("administration_budget", "Administration, budget", "Administration, budget", "SEK", 2);
const INSATS_BUDGET: Measure = ("insats_budget", "Insatser, budget", "Insatser, budget", "SEK", 2);
const SHARE_OF_BUDGET: Measure =
    ("share_of_budget", "Administrationens andel av budgeten", "Administration share of the budget", "percent", 1);
const ADMINISTRATION_OUTCOME: Measure =
    ("administration_outcome", "Administration, utfall", "Administration, outcome", "SEK", 2);
const INSATS_OUTCOME: Measure = ("insats_outcome", "Insatser, utfall", "Insatser, outcome", "SEK", 2);
const SHARE_OF_OUTCOME: Measure =
    ("share_of_outcome", "Administrationens andel av utfallet", "Administration share of the outcome", "percent", 1);
const FRAME: Measure = ("frame", "Statens ram", "The state's frame", "SEK", 2);
const NATIONAL_SUPPORT: Measure =
    ("national_support", "Avsatt för nationellt stöd", "Set aside for national support", "SEK", 2);
const PAID: Measure = ("paid_to_forbund", "Utbetalt till förbunden", "Paid to the förbund", "SEK", 2);
const SUPPORT_SPENT: Measure =
    ("national_support_spent", "Förbrukat nationellt stöd", "National support spent", "SEK", 2);
const SPENT: Measure = ("spent", "Förbrukat", "Spent", "SEK", 2);
const UNSPENT: Measure = ("unspent", "Ej förbrukat", "Unspent", "SEK", 2);

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

/// The `forbund` dimension as the catalog lists it: only `total`; a computed table puts the
/// selection's förbund before it.
fn forbund_total() -> Dimension {
    dimension("forbund", "Samordningsförbund", "Förbund", vec![total()])
}

/// A förbund as a category of the `forbund` dimension: its key, labelled by its name.
pub fn forbund_category(key: &str, name: &str) -> Category {
    plain(key, name, name)
}

fn exit_reasons() -> Dimension {
    code_list::<ExitReason>("reason", "Orsak", "Reason")
}
