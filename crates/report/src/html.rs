//! The HTML edition: one standalone page (no script, no external resource), every figure in a
//! `<span>` naming its table and cell, every generated sentence marked with its kind.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::{Block, Cell, Chart, Figure, Report, Run, Section, Sentence, TableBlock};

const STYLE: &str = "body{font-family:'Libertinus Serif',Georgia,serif;max-width:52rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#111}table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;\
font-weight:bold;padding:.3rem 0}th,td{border-bottom:1px solid #999;padding:.2rem .5rem}td{text-align:right;\
font-variant-numeric:tabular-nums}th[scope=col]{text-align:right;vertical-align:bottom}th[scope=col]:first-child,\
th[scope=row]{text-align:left}tr.totalt{font-weight:bold}.not{font-size:.9rem}aside.kommentar{border:2px solid \
#1f4e79;padding:.5rem 1rem;margin:1rem 0}aside.kommentar p{white-space:pre-wrap}figure{margin:1rem 0}\
svg{max-width:100%;height:auto}.utgava{font-style:italic}";

pub fn render(report: &Report) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (report.title) }
                    p.utgava { (report.edition) "." }
                }
                nav aria-label="Innehåll" {
                    h2 { "Innehåll" }
                    ol {
                        @for s in &report.sections {
                            li { a href={ "#" (s.section.code()) } { (s.number) " " (s.heading) } }
                        }
                    }
                }
                main {
                    @for s in &report.sections { (section(s)) }
                }
            }
        }
    };
    page.into_string()
}

fn section(s: &Section) -> Markup {
    let heading_id = format!("rubrik-{}", s.section.code());
    html! {
        section id=(s.section.code()) aria-labelledby=(heading_id) {
            h2 id=(heading_id) { (s.number) " " (s.heading) }
            @for b in &s.blocks { (block(b)) }
            @if let Some(text) = &s.commentary {
                aside.kommentar aria-label={ "Analytikerns kommentar till " (s.heading) } {
                    h3 { "Analytikerns kommentar" }
                    p { (text) }
                }
            }
        }
    }
}

fn block(b: &Block) -> Markup {
    html! {
        @match b {
            Block::Subheading(text) => h3 { (text) },
            Block::Paragraph(sentences) => p { (sentences_markup(sentences)) },
            Block::Note(sentences) => p.not { (sentences_markup(sentences)) },
            Block::List(items) => ul { @for s in items { li { (sentence(s)) } } },
            Block::Table(t) => (table(t, true)),
            Block::Chart(c) => (chart(c)),
        }
    }
}

fn sentences_markup(sentences: &[Sentence]) -> Markup {
    html! {
        @for (i, s) in sentences.iter().enumerate() {
            @if i > 0 { " " }
            (sentence(s))
        }
    }
}

fn sentence(s: &Sentence) -> Markup {
    let runs = html! { @for r in &s.runs { (run(r)) } };
    html! {
        @if let Some(kind) = s.kind {
            span.mening data-sentence=(kind) { (runs) }
        } @else {
            (runs)
        }
    }
}

fn run(r: &Run) -> Markup {
    html! {
        @match r {
            Run::Text(t) => (t),
            Run::Figure(f) => (figure(f)),
            Run::Word { text, code } => span data-word=(code) { (text) },
        }
    }
}

fn figure(f: &Figure) -> Markup {
    html! {
        span.tal data-table=(f.table.code()) data-cell=(f.cell.join(",")) data-form=(f.form.code())
            data-status=[f.text.eq(".").then_some("suppressed")] { (f.text) }
    }
}

/// The attributes `figure` writes, for a figure inside an SVG.
pub(crate) fn source_attributes(f: &Figure) -> String {
    format!(
        " data-table=\"{}\" data-cell=\"{}\" data-form=\"{}\"",
        f.table.code(),
        crate::chart::escape(&f.cell.join(",")),
        f.form.code()
    )
}

fn table(t: &TableBlock, numbered: bool) -> Markup {
    html! {
        table {
            caption {
                @if numbered { "Tabell " (t.number) ". " }
                (t.caption)
            }
            thead { tr { @for c in &t.columns { th scope="col" { (c) } } } }
            tbody {
                @for row in &t.rows {
                    tr class=[row.total.then_some("totalt")] {
                        @for (i, cell) in row.cells.iter().enumerate() {
                            @match cell {
                                Cell::Text(text) if i == 0 => th scope="row" { (text) },
                                Cell::Text(text) => td { (text) },
                                Cell::Figure(f) => td { (figure(f)) },
                            }
                        }
                    }
                }
            }
        }
        @if let Some(note) = &t.note { p.not { (note) } }
    }
}

fn chart(c: &Chart) -> Markup {
    html! {
        figure {
            figcaption { "Diagram " (c.number) ". " (c.caption) }
            (PreEscaped(&c.svg_html))
            details {
                summary { "Uppgifterna i diagrammet" }
                (table(&c.data, false))
            }
        }
    }
}
