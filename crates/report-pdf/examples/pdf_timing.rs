//! How long `finsam_report_pdf::pdf` takes for a report of the demo year's size, for
//! BENCHMARKS.md (bench/run, part report-pdf). Release build:
//!
//!     cargo run --release -p finsam-report-pdf --example pdf_timing -- [runs] [out.pdf]
//!
//! The report is made here, not read from a database: the twelve sections of the yearly report,
//! each with paragraphs of figures, a table over the 21 counties and a bar chart of them, the
//! analyst's commentary, and the appendix's table of 79 förbund with their municipalities (the
//! reference data of 2023: 79 förbund, 290 municipalities). The first run includes parsing the
//! fonts; the median is of all runs. Prints one line: `runs=N median_s=… min_s=… max_s=… bytes=…`.

use std::time::Instant;

use finsam_domain::report_section::ReportSection;
use finsam_report::model::{Block, Cell, Chart, Figure, Form, Report, Row, Run, Section, Sentence, TableBlock};
use finsam_report::number;
use finsam_stats::TableId;
use rust_decimal::Decimal;

const COUNTIES: [&str; 21] = [
    "Stockholms län",
    "Uppsala län",
    "Södermanlands län",
    "Östergötlands län",
    "Jönköpings län",
    "Kronobergs län",
    "Kalmar län",
    "Gotlands län",
    "Blekinge län",
    "Skåne län",
    "Hallands län",
    "Västra Götalands län",
    "Värmlands län",
    "Örebro län",
    "Västmanlands län",
    "Dalarnas län",
    "Gävleborgs län",
    "Västernorrlands län",
    "Jämtlands län",
    "Västerbottens län",
    "Norrbottens län",
];

fn figure(value: Decimal, form: Form) -> Figure {
    Figure {
        text: number::format(value, form),
        table: TableId::IndividualParticipants,
        cell: vec!["2023".into(), "01".into(), "participants".into()],
        form,
        value: Some(value),
    }
}

fn count(n: i64) -> Figure {
    figure(Decimal::from(n), Form::Count)
}

fn percent(tenths: i64) -> Figure {
    figure(Decimal::new(tenths, 1), Form::Percent(1))
}

fn text(s: &str) -> Run {
    Run::Text(s.into())
}

fn county_table(number: u32, caption: &str) -> TableBlock {
    let rows = COUNTIES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let n = 200 + 37 * i as i64;
            Row {
                cells: vec![
                    Cell::Text((*name).into()),
                    Cell::Figure(count(n)),
                    Cell::Figure(count(n * 11 / 20)),
                    Cell::Figure(count(n * 9 / 20)),
                    Cell::Figure(percent(550)),
                ],
                total: false,
            }
        })
        .chain(std::iter::once(Row {
            cells: vec![
                Cell::Text("Riket".into()),
                Cell::Figure(count(12_608)),
                Cell::Figure(count(6_896)),
                Cell::Figure(count(5_712)),
                Cell::Figure(percent(547)),
            ],
            total: true,
        }))
        .collect();
    TableBlock {
        number,
        caption: caption.into(),
        columns: vec!["Län".into(), "Deltagare".into(), "Kvinnor".into(), "Män".into(), "Andel kvinnor".into()],
        rows,
        note: Some("Källa: Finsams nationella uppföljning. Andelar avrundade till en decimal.".into()),
    }
}

fn chart(number: u32, caption: &str) -> Chart {
    let categories: Vec<String> = COUNTIES.iter().map(|c| (*c).to_owned()).collect();
    let women: Vec<Figure> = (0..21).map(|i| count(110 + 20 * i)).collect();
    let men: Vec<Figure> = (0..21).map(|i| count(90 + 17 * i)).collect();
    let series = vec![("Kvinnor".to_owned(), women), ("Män".to_owned(), men)];
    let (svg, svg_html) = finsam_report::chart::bars(caption, &categories, &series);
    Chart { number, caption: caption.into(), svg, svg_html, data: county_table(0, caption) }
}

fn appendix(number: u32) -> TableBlock {
    let rows = (0..79)
        .map(|i| Row {
            cells: vec![
                Cell::Text(format!("Samordningsförbundet {} nr {}", COUNTIES[i % 21].trim_end_matches(" län"), i + 1)),
                Cell::Text(COUNTIES[i % 21].into()),
                Cell::Text((0..(2 + i % 6)).map(|m| format!("Kommun {}", i * 4 + m)).collect::<Vec<_>>().join(", ")),
            ],
            total: false,
        })
        .collect();
    TableBlock {
        number,
        caption: "Samordningsförbund och deras medlemskommuner vid årets slut".into(),
        columns: vec!["Förbund".into(), "Län".into(), "Kommuner".into()],
        rows,
        note: None,
    }
}

fn report() -> Report {
    let (mut tables, mut charts) = (0, 0);
    let sections = ReportSection::ALL
        .iter()
        .enumerate()
        .map(|(i, &section)| {
            let mut blocks = Vec::new();
            for _ in 0..3 {
                blocks.push(Block::Paragraph(vec![
                    Sentence {
                        kind: Some("participants-total"),
                        runs: vec![
                            text("Under året deltog "),
                            Run::Figure(count(12_608)),
                            text(" personer i individinriktade insatser, av dem "),
                            Run::Word { text: "drygt hälften".into(), code: "just-over-half" },
                            text(" kvinnor ("),
                            Run::Figure(percent(547)),
                            text(")."),
                        ],
                    },
                    Sentence {
                        kind: None,
                        runs: vec![text(
                            "Förbunden i Västra Götalands län och Skåne län hade flest deltagare, vilket följer \
                             av att de har flest invånare och flest förbund; andelen kvinnor skilde sig lite mellan länen.",
                        )],
                    },
                ]));
            }
            blocks.push(Block::Subheading("Per län".into()));
            tables += 1;
            blocks.push(Block::Table(county_table(tables, "Deltagare per län och kön, 2023")));
            charts += 1;
            blocks.push(Block::Chart(chart(charts, "Deltagare per län och kön, 2023")));
            blocks.push(Block::List(vec![
                Sentence { kind: None, runs: vec![text("Uppgifterna gäller förbund som har registrerat året.")] },
                Sentence { kind: None, runs: vec![text("En person kan delta i flera insatser.")] },
            ]));
            blocks.push(Block::Note(vec![Sentence {
                kind: None,
                runs: vec![text("Metod: exakta antal från registreringarna; andelar avrundas en gång.")],
            }]));
            if section == ReportSection::Appendix {
                tables += 1;
                blocks.push(Block::Table(appendix(tables)));
            }
            Section {
                section,
                number: (i + 1).to_string(),
                heading: section.heading_sv().to_owned(),
                blocks,
                commentary: Some(
                    "Året präglades av fler deltagare än förra året.\nSärskilt i län med nya förbund.\n\n\
                     Analytikern noterar att tre förbund avviker (#1, [2] och *3*)."
                        .into(),
                ),
            }
        })
        .collect();
    Report {
        year: 2023,
        title: "Samordningsförbundens insatser och målgrupper 2023".into(),
        edition: "Exakta uppgifter".into(),
        open: false,
        sections,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(5, |a| a.parse().expect("runs: a number"));
    let out = args.next();
    let report = report();
    let mut seconds = Vec::with_capacity(runs);
    let mut pdf = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        pdf = finsam_report_pdf::pdf(&report).unwrap_or_else(|error| panic!("{error}"));
        seconds.push(start.elapsed().as_secs_f64());
    }
    if let Some(out) = out {
        std::fs::write(&out, &pdf).unwrap_or_else(|error| panic!("{out}: {error}"));
    }
    let mut sorted = seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    println!(
        "runs={} median_s={median:.3} min_s={:.3} max_s={:.3} bytes={}",
        sorted.len(),
        sorted[0],
        sorted[sorted.len() - 1],
        pdf.len()
    );
}
