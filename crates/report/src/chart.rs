//! Bar charts as SVG: one row per category, one bar per series, each bar labelled with its
//! figure as printed. Written by hand because a chart here is a few rectangles and texts; the
//! same SVG goes into the PDF (as vectors) and the HTML (where each number also carries its
//! table cell).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::model::Figure;

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 210.0;
const VALUE_WIDTH: f64 = 60.0;
const BAR: f64 = 16.0;
const GAP: f64 = 10.0;
const TOP: f64 = 8.0;
/// Series colours with a contrast of at least 3:1 against white, told apart by the legend too.
const COLOURS: [&str; 3] = ["#1f4e79", "#b35900", "#2e7d32"];

/// (plain SVG, SVG with `data-table`/`data-cell` on each number).
pub fn bars(title: &str, categories: &[String], series: &[(String, Vec<Figure>)]) -> (String, String) {
    (draw(title, categories, series, false), draw(title, categories, series, true))
}

fn draw(title: &str, categories: &[String], series: &[(String, Vec<Figure>)], sourced: bool) -> String {
    let max = series
        .iter()
        .flat_map(|(_, figs)| figs.iter().filter_map(|f| f.value))
        .max()
        .filter(|m| *m > Decimal::ZERO)
        .unwrap_or(Decimal::ONE);
    let group = series.len() as f64 * BAR + GAP;
    let legend = if series.len() > 1 { 24.0 } else { 0.0 };
    let height = TOP + legend + categories.len() as f64 * group + 4.0;
    let scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max.to_f64().unwrap_or(1.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" font-family=\"Libertinus Serif, serif\" font-size=\"12\" role=\"img\" \
         aria-label=\"{}\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    if series.len() > 1 {
        let mut x = LABEL_WIDTH;
        for (i, (name, _)) in series.iter().enumerate() {
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{TOP}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" \
                 fill=\"#000\">{}</text>",
                COLOURS[i % COLOURS.len()],
                x + 16.0,
                TOP + 10.0,
                escape(name)
            ));
            x += 150.0;
        }
    }
    for (row, category) in categories.iter().enumerate() {
        let y0 = TOP + legend + row as f64 * group;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#000\">{}</text>",
            LABEL_WIDTH - 8.0,
            y0 + series.len() as f64 * BAR / 2.0 + 4.0,
            escape(category)
        ));
        for (i, (_, figs)) in series.iter().enumerate() {
            let fig = &figs[row];
            let y = y0 + i as f64 * BAR;
            let width = fig.value.and_then(|v| v.to_f64()).map_or(0.0, |v| (v * scale).max(0.0));
            svg.push_str(&format!(
                "<rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"/>",
                BAR - 2.0,
                COLOURS[i % COLOURS.len()]
            ));
            let source = if sourced { crate::html::source_attributes(fig) } else { String::new() };
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" fill=\"#000\"{source}>{}</text>",
                LABEL_WIDTH + width + 4.0,
                y + BAR - 5.0,
                escape(&fig.text)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
