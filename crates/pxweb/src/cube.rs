//! The figures a selection takes, gathered from the tables computed (or published) for each
//! region: one table of the chosen values with a status per cell.

use std::collections::HashMap;

use finsam_stats::{Selection, Table};
use rust_decimal::Decimal;

use crate::selection::Chosen;
use crate::variables::{PxTable, REGION};

/// The status of a cell the tables do not have, such as a förbund in a year before it was.
pub const NOT_AVAILABLE: &str = "..";

/// A table for one region (dimensions `year`, its own, `measure`; any years) with its status
/// per value, or none.
pub struct Block {
    pub region: String,
    pub table: Table,
    pub status: Vec<Option<String>>,
}

/// The chosen cells: dimensions of the variables not eliminated, in the table's order.
#[derive(Debug, Clone)]
pub struct Cube {
    pub table: Table,
    pub status: Vec<Option<String>>,
}

impl Cube {
    pub fn has_status(&self) -> bool {
        self.status.iter().any(Option::is_some)
    }
}

/// For each block: its dimensions' positions by code.
struct Indexed<'a> {
    block: &'a Block,
    positions: Vec<HashMap<&'a str, usize>>,
    size: Vec<usize>,
}

impl Indexed<'_> {
    fn find(&self, codes: &[&str]) -> Option<usize> {
        let mut index = 0;
        for ((positions, &n), code) in self.positions.iter().zip(&self.size).zip(codes) {
            index = index * n + positions.get(code)?;
        }
        Some(index)
    }
}

pub fn assemble(table: &PxTable, chosen: &Chosen, blocks: &[Block]) -> Cube {
    let indexed: Vec<Indexed<'_>> = blocks
        .iter()
        .map(|block| Indexed {
            block,
            positions: block
                .table
                .dimensions
                .iter()
                .map(|d| d.categories.iter().enumerate().map(|(p, c)| (c.code.as_str(), p)).collect())
                .collect(),
            size: block.table.size(),
        })
        .collect();
    let mut by_region: HashMap<&str, Vec<&Indexed<'_>>> = HashMap::new();
    for block in &indexed {
        by_region.entry(block.block.region.as_str()).or_default().push(block);
    }
    let codes: Vec<Vec<String>> = (0..table.variables.len()).map(|i| chosen.codes(table, i)).collect();
    let region_at = table.variables.iter().position(|v| v.code == REGION);
    let total: usize = codes.iter().map(Vec::len).product();
    let (mut values, mut status) = (Vec::with_capacity(total), Vec::with_capacity(total));
    let mut coords = vec![0usize; codes.len()];
    for _ in 0..total {
        let cell: Vec<&str> = codes.iter().zip(&coords).map(|(c, &i)| c[i].as_str()).collect();
        let region = region_at.map_or(crate::variables::NATION, |r| cell[r]);
        // The block's dimensions are the table's without `region`.
        let wanted: Vec<&str> =
            cell.iter().enumerate().filter(|(i, _)| Some(*i) != region_at).map(|(_, c)| *c).collect();
        let found = by_region
            .get(region)
            .and_then(|blocks| blocks.iter().find_map(|b| b.find(&wanted).map(|index| (b.block, index))));
        let (value, mark): (Option<Decimal>, Option<String>) = match found {
            Some((block, index)) => (block.table.values[index], block.status.get(index).cloned().flatten()),
            None => (None, Some(NOT_AVAILABLE.to_owned())),
        };
        values.push(value);
        status.push(mark);
        for d in (0..coords.len()).rev() {
            coords[d] += 1;
            if coords[d] < codes[d].len() {
                break;
            }
            coords[d] = 0;
        }
    }
    let dimensions = table
        .variables
        .iter()
        .zip(&chosen.positions)
        .filter_map(|(v, p)| p.as_ref().map(|p| v.as_dimension(p)))
        .collect();
    Cube {
        table: Table { id: table.id, selection: Selection::National, dimensions, values, notes: Vec::new() },
        status,
    }
}
