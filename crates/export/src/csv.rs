//! One row per cell: the category code of each dimension, its label, the value, the status.
//! Codes make rows joinable in scripts; labels make them readable in a spreadsheet.

use finsam_stats::Table;

use crate::labels::cells;
use crate::{Lang, Meta};

/// The two kinds of CSV written, named by who reads them. Everything that differs between them is
/// decided here, so that the API and the yearly export cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `,` between fields, a decimal point and no byte-order mark: for programs (R, pandas, csv
    /// modules), which read it as it has always been written.
    #[default]
    Plain,
    /// `;` between fields, a decimal comma and a UTF-8 byte-order mark: for Excel and LibreOffice
    /// in a Swedish locale, where `,` is the decimal sign (a decimal point turns 51.5 into a date
    /// or text) and a file without a BOM is read as Windows-1252 (`Män` shown as `MÃ¤n`).
    Swedish,
}

impl Dialect {
    /// The dialect of a field separator as a client names it: `,` or `;`.
    pub fn from_separator(separator: &str) -> Option<Dialect> {
        match separator {
            "," => Some(Dialect::Plain),
            ";" => Some(Dialect::Swedish),
            _ => None,
        }
    }

    pub fn separator(self) -> char {
        match self {
            Dialect::Plain => ',',
            Dialect::Swedish => ';',
        }
    }

    fn number(self, value: rust_decimal::Decimal) -> String {
        let text = value.normalize().to_string();
        match self {
            Dialect::Plain => text,
            Dialect::Swedish => text.replace('.', ","),
        }
    }

    fn preamble(self) -> &'static str {
        match self {
            Dialect::Plain => "",
            Dialect::Swedish => "\u{feff}",
        }
    }
}

pub fn write(table: &Table, meta: &Meta, lang: Lang, dialect: Dialect) -> String {
    let separator = dialect.separator();
    let mut header: Vec<String> = Vec::new();
    for d in &table.dimensions {
        header.push(d.id.clone());
        header.push(format!("{}_label", d.id));
    }
    header.extend(["value".to_owned(), "status".to_owned()]);
    let mut out = dialect.preamble().to_owned();
    out.push_str(&line(&header, separator));
    for (i, positions) in cells(&table.dimensions).into_iter().enumerate() {
        let mut row: Vec<String> = Vec::new();
        for (d, position) in table.dimensions.iter().zip(positions) {
            let category = &d.categories[position];
            row.push(category.code.clone());
            row.push(lang.category(category).to_owned());
        }
        row.push(table.values[i].map(|v| dialect.number(v)).unwrap_or_default());
        row.push(meta.status.get(i).cloned().flatten().unwrap_or_default());
        out.push_str(&line(&row, separator));
    }
    out
}

/// RFC 4180 quoting: fields with the separator, quotes or line breaks are quoted.
fn line(fields: &[String], separator: char) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains(separator) || f.contains('"') || f.contains('\n') || f.contains('\r') {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(&separator.to_string()))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use finsam_stats::{Category, Dimension, Selection, Table, TableId};
    use rust_decimal::Decimal;

    use super::{Dialect, write};
    use crate::{Lang, Meta};

    fn category(code: &str, label_sv: &str) -> Category {
        Category { code: code.to_owned(), label_sv: label_sv.to_owned(), label_en: code.to_owned(), unit: None }
    }

    /// Women and men by a share, a count and a suppressed cell; one label holds both separators.
    fn table() -> Table {
        let dimension = |id: &str, categories: Vec<Category>| Dimension {
            id: id.to_owned(),
            label_sv: id.to_owned(),
            label_en: id.to_owned(),
            categories,
        };
        Table {
            id: TableId::IndividualParticipants,
            selection: Selection::National,
            dimensions: vec![
                dimension("gender", vec![category("women", "Kvinnor; alla"), category("men", "Män")]),
                dimension("measure", vec![category("share", "Andel, %"), category("participants", "Deltagare")]),
            ],
            values: ["51.50", "12608", "48.5", ""]
                .map(|v| (!v.is_empty()).then(|| Decimal::from_str(v).unwrap()))
                .to_vec(),
            notes: Vec::new(),
        }
    }

    fn meta() -> Meta {
        Meta { status: vec![None, None, None, Some(".".to_owned())], ..Meta::default() }
    }

    #[test]
    fn the_plain_dialect_is_as_programs_have_always_read_it() {
        let text = write(&table(), &meta(), Lang::Sv, Dialect::Plain);
        assert_eq!(
            text,
            "gender,gender_label,measure,measure_label,value,status\r\n\
             women,Kvinnor; alla,share,\"Andel, %\",51.5,\r\n\
             women,Kvinnor; alla,participants,Deltagare,12608,\r\n\
             men,Män,share,\"Andel, %\",48.5,\r\n\
             men,Män,participants,Deltagare,,.\r\n"
        );
    }

    #[test]
    fn the_swedish_dialect_has_a_bom_decimal_commas_and_quotes_labels_with_semicolons() {
        let text = write(&table(), &meta(), Lang::Sv, Dialect::Swedish);
        assert_eq!(
            text,
            "\u{feff}gender;gender_label;measure;measure_label;value;status\r\n\
             women;\"Kvinnor; alla\";share;Andel, %;51,5;\r\n\
             women;\"Kvinnor; alla\";participants;Deltagare;12608;\r\n\
             men;Män;share;Andel, %;48,5;\r\n\
             men;Män;participants;Deltagare;;.\r\n"
        );
        let bytes = text.as_bytes();
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF], "the UTF-8 byte-order mark");
        assert!(bytes.windows(4).any(|w| w == "Män".as_bytes()), "Män in UTF-8, not recoded");
    }

    #[test]
    fn the_separators_a_client_names_are_the_two_dialects() {
        for dialect in [Dialect::Plain, Dialect::Swedish] {
            assert_eq!(Dialect::from_separator(&dialect.separator().to_string()), Some(dialect));
        }
        assert_eq!(Dialect::from_separator("\t"), None);
        assert_eq!(Dialect::default(), Dialect::Plain);
    }
}
