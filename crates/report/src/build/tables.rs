//! The report's numbered tables, each cell a figure of one table of the service.

use finsam_stats::TableId;

use super::Ctx;
use crate::model::{Block, Cell, Form, Row, TableBlock};

/// Rows of one figure per (row code, measure) of a table whose rows are `dimension`.
fn by_rows(ctx: &Ctx, id: TableId, dimension: &str, leading: &[&str], columns: &[(&str, Form)]) -> Vec<Row> {
    ctx.codes(id, dimension)
        .iter()
        .map(|code| {
            let mut cells = vec![Cell::Text(ctx.label(id, dimension, code))];
            for (measure, form) in columns {
                let mut codes: Vec<&str> = vec![code];
                codes.extend(leading);
                codes.push(measure);
                cells.push(Cell::Figure(ctx.fig(id, &codes, *form)));
            }
            Row { cells, total: code == "total" }
        })
        .collect()
}

fn block(ctx: &mut Ctx, caption: String, columns: &[&str], rows: Vec<Row>, note: Option<String>) -> Block {
    let number = ctx.next_table();
    Block::Table(TableBlock { number, caption, columns: columns.iter().map(|c| (*c).to_owned()).collect(), rows, note })
}

pub(super) fn individual(ctx: &mut Ctx) -> Block {
    let i = TableId::IndividualInsatser;
    let p = TableId::IndividualParticipants;
    let rows = ctx
        .codes(i, "orientation")
        .iter()
        .map(|code| {
            let o = code.as_str();
            let cells = vec![
                Cell::Text(ctx.label(i, "orientation", o)),
                Cell::Figure(ctx.fig(i, &[o, "insatser"], Form::Count)),
                Cell::Figure(ctx.fig(i, &[o, "share"], Form::Percent(1))),
                Cell::Figure(ctx.fig(p, &[o, "total", "participants"], Form::Count)),
                Cell::Figure(ctx.fig(p, &[o, "total", "share_of_gender"], Form::Percent(1))),
                Cell::Figure(ctx.fig(p, &[o, "women", "share_of_orientation"], Form::Percent(1))),
                Cell::Figure(ctx.fig(p, &[o, "men", "share_of_orientation"], Form::Percent(1))),
                Cell::Figure(ctx.fig(p, &[o, "women", "share_of_gender"], Form::Percent(1))),
                Cell::Figure(ctx.fig(p, &[o, "men", "share_of_gender"], Form::Percent(1))),
            ];
            Row { cells, total: o == "total" }
        })
        .collect();
    let caption = format!("Individinriktade insatser efter preciserad inriktning {}", ctx.year());
    block(
        ctx,
        caption,
        &[
            "Preciserad inriktning",
            "Insatser",
            "Andel",
            "Deltagare",
            "Andel av deltagarna",
            "Kvinnor",
            "Män",
            "Andel av alla kvinnor",
            "Andel av alla män",
        ],
        rows,
        Some("Kvinnor och män: andel av inriktningens deltagare.".into()),
    )
}

pub(super) fn structural(ctx: &mut Ctx) -> Block {
    let s = TableId::StructuralInsatser;
    let rows = by_rows(
        ctx,
        s,
        "orientation",
        &[],
        &[
            ("insatser", Form::Count),
            ("share", Form::Percent(1)),
            ("tracking_participants", Form::Count),
            ("participants", Form::Count),
            ("share_of_participants", Form::Percent(1)),
        ],
    );
    let caption = format!("Strukturövergripande insatser efter preciserad inriktning {}", ctx.year());
    block(
        ctx,
        caption,
        &["Preciserad inriktning", "Insatser", "Andel", "Följer deltagare", "Deltagare", "Andel av deltagarna"],
        rows,
        Some("Deltagare räknas bara i de insatser som följer sina deltagare.".into()),
    )
}

pub(super) fn costs(ctx: &mut Ctx) -> Block {
    let rows = by_rows(
        ctx,
        TableId::Costs,
        "item",
        &[],
        &[("budget", Form::Msek(1)), ("outcome", Form::Msek(1)), ("share_of_insats_budget", Form::Percent(1))],
    );
    let caption = format!("Kostnader {}, budget och utfall, MSEK", ctx.year());
    block(ctx, caption, &["Kostnadspost", "Budget", "Utfall", "Andel av insatsernas budget"], rows, None)
}

/// Table 3: the equity of all förbund as a series of years.
pub(super) fn equity(ctx: &mut Ctx) -> Block {
    let e = TableId::Equity;
    let years = ctx.years(e);
    let row = |label: &str, measure: &str| {
        let mut cells = vec![Cell::Text(label.to_owned())];
        cells.extend(years.iter().map(|y| Cell::Figure(ctx.fig_of(e, *y, &[measure], Form::Msek(0)))));
        Row { cells, total: false }
    };
    let rows = vec![row("Årets resultat", "result"), row("Utgående eget kapital", "closing")];
    let mut columns = vec!["".to_owned()];
    columns.extend(years.iter().map(|y| y.to_string()));
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    block(ctx, "Förbundens samlade eget kapital per år, MSEK".into(), &columns, rows, None)
}

pub(super) fn completeness(ctx: &mut Ctx) -> Block {
    let c = TableId::Completeness;
    let cells = ["forbund", "forbund_registered", "forbund_submitted", "municipalities_covered"]
        .iter()
        .map(|m| Cell::Figure(ctx.fig(c, &[m], Form::Count)))
        .collect();
    let caption = format!("Registreringens fullständighet {}", ctx.year());
    block(
        ctx,
        caption,
        &["Förbund", "Har registrerat", "Har rapporterat klart", "Kommuner i förbund"],
        vec![Row { cells, total: false }],
        None,
    )
}

pub(super) fn exits(ctx: &mut Ctx) -> Block {
    let e = TableId::Exits;
    let rows = ctx
        .codes(e, "reason")
        .iter()
        .map(|code| {
            let mut cells = vec![Cell::Text(ctx.label(e, "reason", code))];
            for gender in ["women", "men", "total"] {
                cells.push(Cell::Figure(ctx.fig(e, &[code, gender, "exits"], Form::Count)));
            }
            Row { cells, total: code == "total" }
        })
        .collect();
    let caption = format!("Avslutade deltagare efter orsak och kön {}", ctx.year());
    block(ctx, caption, &["Orsak", "Kvinnor", "Män", "Totalt"], rows, None)
}
