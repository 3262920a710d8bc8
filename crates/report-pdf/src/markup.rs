//! The PDF edition of the report: its model written as Typst markup, then [`render`]ed. Every
//! text from the model goes through [`escape`] or [`string_literal`], so a förbund's name or an
//! analyst's commentary prints verbatim. Tables and charts are numbered by the model ("Tabell 3.",
//! "Diagram 2."), as in the HTML edition, not by typst; so are the sections.
//!
//! A4 with 25 mm margins, Libertinus Serif 11 pt, Swedish (hyphenation, quotes); a title page
//! without a number, then the page number in the footer; the table of contents ("Innehåll") on
//! its own page; tables that break across pages with their header row repeated and figures in
//! tabular digits, right-aligned; commentary in a bordered box headed "Analytikerns kommentar";
//! notes in smaller type.

use std::fmt::Write as _;

use finsam_report::model::{Block, Cell, Chart, Report, Run, Section, Sentence, TableBlock};

use crate::{PdfError, escape, render, string_literal};

/// The report as PDF bytes. CPU-bound (see [`render`]): from async code, inside `web::block`.
pub fn pdf(report: &Report) -> Result<Vec<u8>, PdfError> {
    let (main, files) = markup(report);
    let files: Vec<(&str, &[u8])> = files.iter().map(|(name, svg)| (name.as_str(), svg.as_bytes())).collect();
    render(&main, &files)
}

/// The Typst markup of the report and the files it reads (`diagram-N.svg`, one per chart).
pub fn markup(report: &Report) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(64 * 1024);
    let mut files = Vec::new();
    out.push_str(PREAMBLE);
    let _ = writeln!(out, "#set document(title: {})", string_literal(&report.title));
    title_page(&mut out, report);
    out.push_str("#outline(title: \"Innehåll\", depth: 1)\n#pagebreak()\n\n");
    for s in &report.sections {
        section(&mut out, &mut files, s);
    }
    (out, files)
}

/// The page, the type and the look of headings, figures and tables.
const PREAMBLE: &str = r#"#set text(lang: "sv", region: "SE", font: "Libertinus Serif", size: 11pt)
#set page(
  paper: "a4",
  margin: 25mm,
  numbering: "1",
  footer: context if here().page() > 1 { align(center, counter(page).display("1")) },
)
#set par(justify: true)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#show figure: set block(breakable: true)
#show figure.caption: set align(left)
#show figure.caption: set text(weight: "bold")
#show table: set text(number-width: "tabular", features: ("tnum",), hyphenate: false)
#show table: set par(justify: false)
#set table(
  inset: (x: 5pt, y: 3pt),
  stroke: (_, y) => (bottom: (if y == 0 { 0.8pt } else { 0.4pt }) + luma(45%)),
)

"#;

fn title_page(out: &mut String, report: &Report) {
    out.push_str("#page(numbering: none)[\n#set par(justify: false)\n#v(30%)\n");
    let _ = writeln!(out, "#text(size: 24pt, weight: \"bold\")[{}]\n", escape(&one_line(&report.title)));
    if !report.title.contains(&report.year.to_string()) {
        let _ = writeln!(out, "#text(size: 18pt)[{}]\n", report.year);
    }
    let _ = writeln!(out, "#v(2em)\n#emph[{}]", escape(&format!("{}.", report.edition.trim_end_matches('.'))));
    out.push_str("]\n\n");
}

fn section(out: &mut String, files: &mut Vec<(String, String)>, s: &Section) {
    let _ = writeln!(out, "= {}\n", escape(&one_line(&format!("{} {}", s.number, s.heading))));
    for block in &s.blocks {
        match block {
            Block::Subheading(text) => {
                let _ = writeln!(out, "== {}\n", escape(&one_line(text)));
            }
            Block::Paragraph(sentences) => {
                let _ = writeln!(out, "{}\n", sentences_markup(sentences));
            }
            Block::Note(sentences) => {
                let _ = writeln!(out, "#text(size: 9pt)[{}]\n", sentences_markup(sentences));
            }
            Block::List(items) => {
                let items: Vec<String> = items.iter().map(|s| format!("[{}]", sentence(s))).collect();
                let _ = writeln!(out, "#list(\n  {},\n)\n", items.join(",\n  "));
            }
            Block::Table(t) => table(out, t),
            Block::Chart(c) => chart(out, files, c),
        }
    }
    if let Some(text) = &s.commentary {
        commentary(out, text);
    }
}

fn sentences_markup(sentences: &[Sentence]) -> String {
    sentences.iter().map(sentence).collect::<Vec<_>>().join(" ")
}

fn sentence(s: &Sentence) -> String {
    s.runs
        .iter()
        .map(|run| match run {
            Run::Text(text) => escape(text),
            Run::Figure(figure) => escape(&figure.text),
            Run::Word { text, .. } => escape(text),
        })
        .collect()
}

/// A numbered table: caption above, header row repeated on every page it runs over, text left
/// and figures right, total rows bold, the note under it in smaller type.
fn table(out: &mut String, t: &TableBlock) {
    let columns = t.columns.len().max(t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)).max(1);
    let caption = format!("Tabell {}. {}", t.number, one_line(&t.caption));
    // Table 1 has nine columns: in smaller type they fit the page without breaking a word.
    if columns > 6 {
        out.push_str("#[\n#set text(size: 8.5pt)\n");
    }
    let _ = writeln!(
        out,
        "#figure(\n  kind: table,\n  supplement: none,\n  numbering: none,\n  caption: figure.caption(position: top)[{}],\n  table(",
        escape(&caption)
    );
    let first = if columns > 6 { "auto" } else { "1fr" };
    let _ = writeln!(out, "    columns: ({first},) + (auto,) * {},", columns - 1);
    let _ = writeln!(out, "    align: (x, _) => if x == 0 {{ left + bottom }} else {{ right + bottom }},");
    let header: Vec<String> = t.columns.iter().map(|c| format!("strong[{}]", escape(c))).collect();
    let _ = writeln!(out, "    table.header({}),", header.join(", "));
    for row in &t.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| {
                let text = escape(match cell {
                    Cell::Text(text) => text,
                    Cell::Figure(figure) => &figure.text,
                });
                if row.total { format!("strong[{text}]") } else { format!("[{text}]") }
            })
            .collect();
        if !cells.is_empty() {
            let _ = writeln!(out, "    {},", cells.join(", "));
        }
    }
    out.push_str("  ),\n)\n\n");
    if columns > 6 {
        out.push_str("]\n\n");
    }
    if let Some(note) = &t.note {
        let _ = writeln!(out, "#text(size: 9pt)[{}]\n", escape(note));
    }
}

/// A numbered chart: caption above, the SVG as vectors over the text width, its figures as the
/// image's alternative text (for screen readers of the tagged PDF).
fn chart(out: &mut String, files: &mut Vec<(String, String)>, c: &Chart) {
    let name = format!("diagram-{}.svg", c.number);
    let caption = format!("Diagram {}. {}", c.number, one_line(&c.caption));
    let _ = writeln!(
        out,
        "#figure(\n  kind: image,\n  supplement: none,\n  numbering: none,\n  caption: figure.caption(position: top)[{}],\n  image({}, width: 100%, alt: {}),\n)\n",
        escape(&caption),
        string_literal(&name),
        string_literal(&alt_text(&caption, &c.data)),
    );
    files.push((name, c.svg.clone()));
}

/// "Diagram 1. Deltagare per län. Stockholms län: Kvinnor 1 204, Män 998; …"
fn alt_text(caption: &str, data: &TableBlock) -> String {
    let rows: Vec<String> = data
        .rows
        .iter()
        .map(|row| {
            let text = |cell: &Cell| match cell {
                Cell::Text(text) => text.clone(),
                Cell::Figure(figure) => figure.text.clone(),
            };
            let mut cells = row.cells.iter();
            let label = cells.next().map(text).unwrap_or_default();
            let values: Vec<String> = cells
                .enumerate()
                .map(|(i, cell)| match data.columns.get(i + 1) {
                    Some(column) => format!("{column} {}", text(cell)),
                    None => text(cell),
                })
                .collect();
            format!("{label}: {}", values.join(", "))
        })
        .collect();
    if rows.is_empty() { format!("{caption}.") } else { format!("{caption}. {}.", rows.join("; ")) }
}

/// The analyst's words in their own box, verbatim: a line break stays a line break, an empty
/// line starts a new paragraph.
fn commentary(out: &mut String, text: &str) {
    out.push_str("#block(width: 100%, breakable: true, inset: (x: 10pt, y: 8pt), stroke: 1.5pt + rgb(\"#1f4e79\"))[\n");
    out.push_str("#heading(level: 3, outlined: false)[Analytikerns kommentar]\n\n");
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraph: Vec<String> = Vec::new();
    for line in normalised.split('\n').map(|line| line.trim_matches([' ', '\t'])) {
        if !line.is_empty() {
            paragraph.push(escape(line));
        } else if !paragraph.is_empty() {
            // A backslash before a line break is Typst's forced line break.
            let _ = writeln!(out, "{}\n", paragraph.join(" \\\n"));
            paragraph.clear();
        }
    }
    if !paragraph.is_empty() {
        let _ = writeln!(out, "{}\n", paragraph.join(" \\\n"));
    }
    out.push_str("]\n\n");
}

/// A heading or caption on one line (a line break would end it in markup). Not
/// `split_whitespace`: that would split at the no-break spaces inside figures too.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}
