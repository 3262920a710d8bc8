//! The columns of an import file: each one's code (the header programs write), its Swedish name
//! (the header of the template and of the spreadsheets förbund keep), what its cells hold and how
//! a person fills it in. A header cell may be either name; a cell of a coded column may hold the
//! code or the Swedish name from [`crate::codes`]. The one list: the CSV reader, the XLSX reader
//! and the template all take it from here.

use std::borrow::Cow;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::csv::CSV_COLUMNS;
use crate::codes::{Code, ExitReason, Gender, Kind, Orientation, TargetGroup};
use crate::insats;

/// What the cells of a column hold, which decides how they are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Kind,
    Orientation,
    /// A set, its members separated by `|`, `,` or `;`.
    TargetGroups,
    /// `ÅÅÅÅ-MM-DD`; in XLSX also a date cell.
    Date,
    Year,
    /// A whole number of persons.
    Count,
    /// SEK with at most two decimals.
    Amount,
}

#[derive(Debug, Clone)]
pub struct ImportColumn {
    pub code: &'static str,
    pub name_sv: String,
    pub cell: CellKind,
    /// Whether every line must have it (for an individual insats the participants are needed
    /// too, which the rules say).
    pub required: bool,
    /// How to fill it in, for the template's explanation sheet.
    pub explanation_sv: String,
}

/// Every column, in the order of [`CSV_COLUMNS`].
pub fn columns() -> &'static [ImportColumn] {
    static COLUMNS: OnceLock<Vec<ImportColumn>> = OnceLock::new();
    COLUMNS.get_or_init(build)
}

fn build() -> Vec<ImportColumn> {
    let list = |names: Vec<&str>| names.join(", ");
    let kinds = list(Kind::ALL.iter().map(|k| k.short_sv()).collect());
    let orientations = |kind: Kind| list(Orientation::of_kind(kind).iter().map(|o| o.name_sv()).collect());
    let groups = list(TargetGroup::ALL.iter().map(|g| g.name_sv()).collect());
    let column = |code: &'static str, name_sv: &str, cell: CellKind, required: bool, explanation_sv: String| {
        ImportColumn { code, name_sv: name_sv.to_owned(), cell, required, explanation_sv }
    };
    let mut columns = vec![
        column(
            "external_ref",
            "Referens",
            CellKind::Text,
            true,
            format!(
                "Insatsens id i förbundets eget system eller kalkylark, högst {} tecken. En insats som redan \
                 finns med samma referens uppdateras, annars skapas den. Flera rader med samma referens är samma \
                 insats, en rad per år.",
                insats::EXTERNAL_REF.max_chars
            ),
        ),
        column(
            "name",
            "Namn",
            CellKind::Text,
            true,
            format!("Insatsens namn, högst {} tecken.", insats::NAME.max_chars),
        ),
        column(
            "description",
            "Beskrivning",
            CellKind::Text,
            false,
            format!(
                "Valfri beskrivning, högst {} tecken. Skriv aldrig personnummer eller andra uppgifter om personer.",
                insats::DESCRIPTION.max_chars
            ),
        ),
        column("kind", "Typ av insats", CellKind::Kind, true, format!("En av: {kinds}.")),
        column(
            "orientation",
            "Inriktning",
            CellKind::Orientation,
            true,
            format!(
                "Preciserad inriktning. Individinriktade: {}. Strukturövergripande: {}.",
                orientations(Kind::Individual),
                orientations(Kind::Structural)
            ),
        ),
        column(
            "target_groups",
            "Målgrupper",
            CellKind::TargetGroups,
            false,
            format!(
                "Bara individinriktade insatser. Inga, en eller flera av: {groups}, åtskilda med kommatecken. \
                 Tom cell betyder ingen särskild målgrupp."
            ),
        ),
        column("start_date", "Startdatum", CellKind::Date, true, "Datum då insatsen startade, ÅÅÅÅ-MM-DD.".into()),
        column(
            "end_date",
            "Slutdatum",
            CellKind::Date,
            false,
            "Datum då insatsen slutade, ÅÅÅÅ-MM-DD; tomt om den pågår.".into(),
        ),
        column(
            "year",
            "År",
            CellKind::Year,
            false,
            "Verksamhetsåret som radens deltagare, budget och utfall gäller, till exempel 2025. Tomt om raden \
             bara beskriver insatsen."
                .into(),
        ),
    ];
    for gender in Gender::ALL {
        columns.push(column(
            CSV_COLUMNS[columns.len()],
            &format!("Deltagare {}", gender.name_sv().to_lowercase()),
            CellKind::Count,
            false,
            format!(
                "Antal {} som deltog under året, ett heltal. Krävs för individinriktade insatser; tomt för en \
                 strukturövergripande insats som inte följer upp deltagare.",
                gender.name_sv().to_lowercase()
            ),
        ));
    }
    columns.push(column(
        "budget",
        "Budget",
        CellKind::Amount,
        false,
        "Årets budget för insatsen i kronor, högst två decimaler (till exempel 250 000,50). Krävs på rader med år."
            .into(),
    ));
    columns.push(column(
        "outcome",
        "Utfall",
        CellKind::Amount,
        false,
        "Årets utfall i kronor, högst två decimaler; tomt tills det är känt.".into(),
    ));
    for reason in ExitReason::ALL {
        for gender in Gender::ALL {
            columns.push(column(
                CSV_COLUMNS[columns.len()],
                &format!("Avslut {} {}", reason.name_sv().to_lowercase(), gender.name_sv().to_lowercase()),
                CellKind::Count,
                false,
                format!(
                    "Antal {} som avslutade insatsen under året med orsaken {}. Valfritt; fylls orsakerna i \
                     ska alla fyllas i.",
                    gender.name_sv().to_lowercase(),
                    reason.name_sv().to_lowercase()
                ),
            ));
        }
    }
    assert_eq!(columns.iter().map(|c| c.code).collect::<Vec<_>>(), CSV_COLUMNS, "the CSV columns, in order");
    columns
}

/// How a header cell or a label is compared: case, surrounding space and Unicode form aside
/// (a Mac writes `å` as `a` and a ring).
fn folded(text: &str) -> String {
    text.trim().nfc().flat_map(char::to_lowercase).collect()
}

/// The position in [`CSV_COLUMNS`] of the column a header cell names, by code or Swedish name.
pub fn position(header: &str) -> Option<usize> {
    let header = folded(header);
    columns().iter().position(|c| c.code == header || folded(&c.name_sv) == header)
}

/// The code a cell of a coded column names, by its code or its Swedish names; `None` when it
/// names none (the rules then refuse the cell as it is).
fn code_of<C: Code>(cell: &str) -> Option<&'static str> {
    if let Some(value) = C::from_code(cell) {
        return Some(value.code());
    }
    let cell = folded(cell);
    C::ALL.iter().find(|v| folded(v.name_sv()) == cell || folded(v.short_sv()) == cell).map(|v| v.code())
}

/// A cell of a coded column as codes: labels read as their codes, target groups joined by `|`.
/// Anything unknown is left as it is, for the rules to refuse by name.
pub(crate) fn coded(kind: CellKind, cell: &str) -> Cow<'_, str> {
    let one = |code: Option<&'static str>| code.map_or(Cow::Borrowed(cell), Cow::Borrowed);
    match kind {
        CellKind::Kind => one(code_of::<Kind>(cell)),
        CellKind::Orientation => one(code_of::<Orientation>(cell)),
        CellKind::TargetGroups => {
            let groups: Vec<&str> = cell.split(['|', ',', ';']).map(str::trim).collect();
            let codes: Vec<&str> = groups.iter().map(|g| code_of::<TargetGroup>(g).unwrap_or(g)).collect();
            match codes == groups && !cell.contains([',', ';']) {
                true => Cow::Borrowed(cell),
                false => Cow::Owned(codes.join("|")),
            }
        }
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_by_code_or_swedish_name_in_any_case_and_form() {
        assert_eq!(position("external_ref"), Some(0));
        assert_eq!(position(" Deltagare Kvinnor "), Some(9));
        assert_eq!(position("Målgrupper"), Some(5));
        assert_eq!(position("Ma\u{30a}lgrupper"), Some(5));
        assert_eq!(position("Avslut arbetssökande män"), Some(18));
        assert_eq!(position("Deltagare"), None);
    }

    #[test]
    fn labels_read_as_their_codes_and_unknown_cells_stay_as_they_are() {
        assert_eq!(coded(CellKind::Kind, "Individinriktad"), "individual");
        assert_eq!(coded(CellKind::Kind, "strukturövergripande insats"), "structural");
        assert_eq!(coded(CellKind::Orientation, "Arbetslivsinriktad"), "work_oriented");
        assert_eq!(coded(CellKind::Orientation, "work_oriented"), "work_oriented");
        assert_eq!(coded(CellKind::TargetGroups, "Unga, Långtidssjukskrivna"), "young|long_term_sick_listed");
        assert_eq!(coded(CellKind::TargetGroups, "young|women_only"), "young|women_only");
        assert_eq!(coded(CellKind::TargetGroups, "Unga|Gamla"), "young|Gamla");
        assert_eq!(coded(CellKind::Kind, "Blandad"), "Blandad");
    }
}
