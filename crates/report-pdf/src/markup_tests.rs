//! The PDF edition of a small hand-built report, read back with pdftotext (skipped loudly
//! without it, failing in CI).

use finsam_domain::report_section::ReportSection;
use finsam_report::model::{Block, Cell, Chart, Figure, Form, Report, Row, Run, Section, Sentence, TableBlock};
use finsam_report::number;
use finsam_stats::TableId;
use rust_decimal::Decimal;

use crate::tests::{pdf_text, squeezed};

fn figure(value: i64, form: Form) -> Figure {
    let value = match form {
        Form::Percent(_) => Decimal::new(value, 1),
        _ => Decimal::from(value),
    };
    Figure {
        text: number::format(value, form),
        table: TableId::IndividualParticipants,
        cell: vec!["2023".into(), "01".into(), "participants".into()],
        form,
        value: Some(value),
    }
}

fn text(s: &str) -> Sentence {
    Sentence { kind: None, runs: vec![Run::Text(s.into())] }
}

const COMMENTARY: &str =
    "Förbundet #1 i [Västra Götaland] ökade *mycket*.\nRad två: $x$ // ingen kommentar\n\n= Inte en rubrik";

fn counties() -> TableBlock {
    let names = ["Stockholms län", "Västra Götalands län", "Skåne län", "Östergötlands län", "Jönköpings län"];
    let rows = (0..70)
        .map(|i| Row {
            cells: vec![
                Cell::Text(format!("{} {}", names[i % names.len()], i + 1)),
                Cell::Figure(figure(12_608 + i as i64, Form::Count)),
                Cell::Figure(figure(547, Form::Percent(1))),
            ],
            total: false,
        })
        .chain(std::iter::once(Row {
            cells: vec![
                Cell::Text("Riket".into()),
                Cell::Figure(figure(1_234_567, Form::Count)),
                Cell::Figure(figure(500, Form::Percent(1))),
            ],
            total: true,
        }))
        .collect();
    TableBlock {
        number: 1,
        caption: "Deltagare per län, 2023".into(),
        columns: vec!["Län".into(), "Deltagarantal".into(), "Andel kvinnor".into()],
        rows,
        note: Some("Källa: Finsams uppföljning.".into()),
    }
}

fn report() -> Report {
    let categories = vec!["Kvinnor".to_owned(), "Män".to_owned()];
    let series = vec![("Deltagare".to_owned(), vec![figure(6_900, Form::Count), figure(5_708, Form::Count)])];
    let (svg, svg_html) = finsam_report::chart::bars("Deltagare efter kön", &categories, &series);
    let chart = Chart {
        number: 1,
        caption: "Deltagare efter kön".into(),
        svg,
        svg_html,
        data: TableBlock {
            number: 0,
            caption: "Deltagare efter kön".into(),
            columns: vec!["Kön".into(), "Deltagare".into()],
            rows: vec![
                Row {
                    cells: vec![Cell::Text("Kvinnor".into()), Cell::Figure(figure(6_900, Form::Count))],
                    total: false,
                },
                Row { cells: vec![Cell::Text("Män".into()), Cell::Figure(figure(5_708, Form::Count))], total: false },
            ],
            note: None,
        },
    };
    Report {
        year: 2023,
        title: "Samordningsförbundens insatser och målgrupper 2023".into(),
        edition: "Exakta uppgifter hämtade 2026-12-01 kl. 22.49".into(),
        open: false,
        sections: vec![
            Section {
                section: ReportSection::Summary,
                number: "1".into(),
                heading: "Sammanfattning".into(),
                blocks: vec![
                    Block::Paragraph(vec![
                        Sentence {
                            kind: Some("participants-total"),
                            runs: vec![
                                Run::Text("Deltagarna var ".into()),
                                Run::Figure(figure(12_608, Form::Count)),
                                Run::Text(", av dem ".into()),
                                Run::Word { text: "majoriteten".into(), code: "majority" },
                                Run::Text(" kvinnor (".into()),
                                Run::Figure(figure(547, Form::Percent(1))),
                                Run::Text(").".into()),
                            ],
                        },
                        text("Flest fanns i Västra Götalands län."),
                    ]),
                    Block::List(vec![text("1. Första punkten"), text("- Andra punkten")]),
                ],
                commentary: Some(COMMENTARY.into()),
            },
            Section {
                section: ReportSection::Individual,
                number: "2".into(),
                heading: "Individinriktade insatser".into(),
                blocks: vec![
                    Block::Subheading("Deltagare per län".into()),
                    Block::Table(counties()),
                    Block::Chart(chart),
                    Block::Note(vec![text("Andelarna är avrundade till en decimal.")]),
                ],
                commentary: None,
            },
        ],
    }
}

#[test]
fn a_report_prints_with_title_page_contents_tables_charts_and_commentary() {
    let report = report();
    let (main, files) = crate::markup::markup(&report);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "diagram-1.svg");
    let pdf = crate::pdf(&report).unwrap_or_else(|error| panic!("{error}\n{main}"));
    assert!(pdf.starts_with(b"%PDF"));
    let Some(text) = pdf_text(&pdf) else { return };
    let pages: Vec<&str> = text.split('\u{c}').filter(|page| !page.trim().is_empty()).collect();
    assert!(pages.len() >= 4, "title, contents and at least two pages of sections: {} pages\n{text}", pages.len());

    // The title page: title and edition, no page number.
    let title = squeezed(pages[0]);
    assert!(title.contains("Samordningsförbundens insatser och målgrupper 2023"), "{title}");
    assert!(title.contains("Exakta uppgifter hämtade 2026-12-01 kl. 22.49."), "{title}");
    assert!(!pages[0].lines().any(|line| line.trim() == "1"), "a number on the title page:\n{}", pages[0]);
    // The contents, numbered by the model, and the page number in the footer.
    let contents = squeezed(pages[1]);
    assert!(contents.contains("Innehåll"), "{contents}");
    assert!(contents.contains("1 Sammanfattning") && contents.contains("2 Individinriktade insatser"), "{contents}");
    assert_eq!(pages[1].lines().rev().find(|line| !line.trim().is_empty()).map(str::trim), Some("2"));

    let all = squeezed(&text);
    for expected in [
        "Deltagarna var 12 608, av dem majoriteten kvinnor (54,7 %). Flest fanns i Västra Götalands län.",
        "1. Första punkten",
        "- Andra punkten",
        "Analytikerns kommentar",
        "Förbundet #1 i [Västra Götaland] ökade *mycket*. Rad två: $x$ // ingen kommentar",
        "= Inte en rubrik",
        "Tabell 1. Deltagare per län, 2023",
        "Västra Götalands län 2 12 609 54,7 %",
        "Riket 1 234 567 50,0 %",
        "Källa: Finsams uppföljning.",
        "Diagram 1. Deltagare efter kön",
        "Andelarna är avrundade till en decimal.",
    ] {
        assert!(all.contains(expected), "{expected:?} not in the PDF's text:\n{text}");
    }
    // 71 rows do not fit on one page: the table breaks, and its header row comes again.
    let headers = pages.iter().filter(|page| squeezed(page).contains("Län Deltagarantal Andel kvinnor")).count();
    assert!(headers >= 2, "the header row on {headers} page(s):\n{text}");
    // Figures right-aligned: on each page the percentages end in one column.
    for page in &pages {
        let ends: std::collections::BTreeSet<usize> = page
            .lines()
            .filter(|line| line.contains("län ") && line.trim_end().ends_with('%'))
            .map(|line| line.trim_end().chars().count())
            .collect();
        assert!(ends.len() <= 1, "the percentages end in columns {ends:?}:\n{page}");
    }
    // To look at it: FINSAM_PDF_SAMPLE=/tmp/report.pdf cargo test -p finsam-report-pdf markup
    if let Some(path) = std::env::var_os("FINSAM_PDF_SAMPLE") {
        std::fs::write(path, &pdf).unwrap();
    }
}
