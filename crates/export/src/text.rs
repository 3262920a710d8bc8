//! Tables for a terminal: one row per combination of the dimensions before `measure`, one
//! column per measure, numbers right-aligned with Swedish digit grouping.

use finsam_stats::Table;
use finsam_stats::catalog::TableInfo;

use crate::Lang;
use crate::labels::cells;

pub fn render(table: &Table, info: &TableInfo, lang: Lang) -> String {
    let (rows_dims, measure) = table.dimensions.split_at(table.dimensions.len() - 1);
    let measure = &measure[0];
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = rows_dims.iter().map(|d| lang.dimension(d).to_owned()).collect();
    header.extend(measure.categories.iter().map(|c| lang.category(c).to_owned()));
    grid.push(header);
    let per_row = measure.categories.len();
    for (chunk, positions) in table.values.chunks(per_row).zip(cells(&table.dimensions).into_iter().step_by(per_row)) {
        let mut row: Vec<String> =
            rows_dims.iter().zip(&positions).map(|(d, p)| lang.category(&d.categories[*p]).to_owned()).collect();
        for (value, category) in chunk.iter().zip(&measure.categories) {
            let decimals = category.unit.as_ref().map_or(0, |u| u.decimals);
            row.push(value.map_or("–".to_owned(), |v| group(&format!("{:.*}", decimals as usize, v))));
        }
        grid.push(row);
    }
    let widths: Vec<usize> =
        (0..grid[0].len()).map(|c| grid.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = format!("{}\n", lang.pick(info.title_sv, info.title_en));
    for (i, row) in grid.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, text)| {
                let pad = widths[c] - text.chars().count();
                if c < rows_dims.len() {
                    format!("{text}{}", " ".repeat(pad))
                } else {
                    format!("{}{text}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
            out.push('\n');
        }
    }
    out
}

/// 1234567.5 → "1 234 567.5": groups of three with a space, as Swedish tables print them.
fn group(number: &str) -> String {
    let (sign, digits) = number.strip_prefix('-').map_or(("", number), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(super::group("1234567.50"), "1\u{a0}234\u{a0}567.50");
        assert_eq!(super::group("-999"), "-999");
        assert_eq!(super::group("12608"), "12\u{a0}608");
    }
}
