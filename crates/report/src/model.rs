//! What a generated report is, independent of how it is printed: sections of paragraphs,
//! tables and charts, in which every number is a [`Figure`] that knows the table cell it comes
//! from. The HTML and the PDF editions are both written from this one model, so they cannot
//! disagree with each other or with the tables.

use finsam_domain::report_section::ReportSection;
use finsam_stats::TableId;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub year: i32,
    /// "Samordningsförbundens insatser och målgrupper 2023"
    pub title: String,
    /// Which figures these are and as of when, e.g. "Exakta uppgifter … hämtade 2026-12-01 kl. 22.49".
    pub edition: String,
    /// Whether this is the public edition, from an open release with its suppressions.
    pub open: bool,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub section: ReportSection,
    /// "1", "2" …: the sections are numbered in order.
    pub number: String,
    pub heading: String,
    pub blocks: Vec<Block>,
    /// An analyst's own words for the section and year, printed verbatim in a marked box.
    pub commentary: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Subheading(String),
    Paragraph(Vec<Sentence>),
    Table(TableBlock),
    Chart(Chart),
    /// A bulleted list, each item a sentence.
    List(Vec<Sentence>),
    /// A method or source note, printed smaller.
    Note(Vec<Sentence>),
}

/// One sentence. A sentence that states or implies a number has a `kind`, so that a reader (and
/// a test) can find every generated claim and check it against the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// `None` for fixed text; otherwise what the sentence claims (see [`crate::sentences`]).
    pub kind: Option<&'static str>,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    Figure(Figure),
    /// A word chosen by a figure's value ("majoriteten", "knappt hälften"): `code` names the
    /// range it stands for ([`crate::words`]).
    Word {
        text: String,
        code: &'static str,
    },
}

/// A number as printed, with the cell it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Swedish: decimal comma, no-break space between thousands and before "%"; "." when the
    /// open edition's cell is suppressed.
    pub text: String,
    pub table: TableId,
    /// One category code per dimension of the table, in its order (year first, measure last).
    pub cell: Vec<String>,
    pub form: Form,
    /// The cell's value as the table gives it; `None` when suppressed or missing.
    pub value: Option<Decimal>,
}

/// How a cell's value is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A whole number, grouped: "12 608".
    Count,
    /// A percentage with this many decimals: "54,7 %" (1, as the tables) or "55 %" (0, in the
    /// text, as the 2023 report printed them).
    Percent(u32),
    /// Millions of kronor with this many decimals: "339", "337,93".
    Msek(u32),
    /// Whole kronor, grouped: "498 000 000".
    Sek,
}

impl Form {
    /// The code the HTML writes in `data-form`.
    pub fn code(self) -> String {
        match self {
            Form::Count => "count".into(),
            Form::Percent(d) => format!("percent{d}"),
            Form::Msek(d) => format!("msek{d}"),
            Form::Sek => "sek".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableBlock {
    /// "Tabell 1": numbered in order through the report.
    pub number: u32,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Under the table: its source, unit and the like.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A total row, printed bold.
    pub total: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Figure(Figure),
}

/// A chart: the SVG (vectors; its numbers are the figures' texts) and the same figures as a table
/// for those who cannot see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// "Diagram 1": numbered in order through the report, apart from the tables.
    pub number: u32,
    pub caption: String,
    /// A standalone SVG document.
    pub svg: String,
    /// The SVG for the HTML: the same with each number's `data-table`/`data-cell`.
    pub svg_html: String,
    pub data: TableBlock,
}
