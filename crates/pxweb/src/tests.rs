//! A table of two years, the nation, a county and a förbund, through selection, cube and CSV.

use finsam_domain::ErrorCode;
use finsam_export::Lang;
use finsam_stats::{Selection, Table, TableId};
use rust_decimal::Decimal;

use crate::selection::{Asked, Request, resolve};
use crate::variables::{Level, PxTable, Region};
use crate::{Block, assemble, csv};

fn regions() -> Vec<Region> {
    vec![
        Region::nation(),
        Region { code: "10".into(), name: "Blekinge län".into(), level: Level::County, county: None },
        Region { code: "f".into(), name: "Förbundet".into(), level: Level::Forbund, county: Some("10".into()) },
    ]
}

fn table() -> PxTable {
    let info = TableId::InsatserByKind.info();
    let own = info.dimensions.clone();
    PxTable::new(info, &own, &[2022, 2023], regions(), "2024-04-02T10:00:00+00:00".into())
}

/// The v1 table of a region for both years: value = region base + year offset + cell position.
fn block(region: &str, base: i64) -> Block {
    let info = TableId::InsatserByKind.info();
    let mut dimensions = vec![finsam_stats::catalog::year_dimension(&[2022, 2023])];
    dimensions.extend(info.dimensions.clone());
    let cells: usize = dimensions.iter().map(|d| d.categories.len()).product();
    let values = (0..cells).map(|i| Some(Decimal::from(base + i as i64))).collect();
    let mut status = vec![None; cells];
    status[1] = Some(".".to_owned());
    Block {
        region: region.into(),
        table: Table { id: TableId::InsatserByKind, selection: Selection::National, dimensions, values, notes: vec![] },
        status,
    }
}

fn ask(pairs: &[(&str, &[&str])]) -> Request {
    Request {
        selection: Some(
            pairs
                .iter()
                .map(|(v, codes)| Asked {
                    variable_code: (*v).into(),
                    codelist: None,
                    value_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
                })
                .collect(),
        ),
        placement: None,
    }
}

#[test]
fn left_out_variables_are_eliminated_to_their_total_or_refused_when_mandatory() {
    let table = table();
    let chosen = resolve(&table, &ask(&[("year", &["2023"]), ("measure", &["insatser"])]), Lang::Sv, false).unwrap();
    assert_eq!(chosen.codes(&table, 1), ["00"]);
    assert_eq!(chosen.codes(&table, 2), ["total"]);
    assert_eq!(chosen.cells(), 1);
    let refused = resolve(&table, &ask(&[("year", &["2023"])]), Lang::Sv, false).unwrap_err();
    assert_eq!((refused.field.as_str(), refused.code), ("valuecodes[measure]", ErrorCode::MandatoryVariable));
    let refused = resolve(&table, &ask(&[("kind", &["total"])]), Lang::Sv, true).unwrap_err();
    assert_eq!((refused.field.as_str(), refused.code), ("selection", ErrorCode::MandatoryVariable));
}

#[test]
fn a_codelist_narrows_the_regions_and_an_unknown_one_is_refused() {
    let table = table();
    let mut request = ask(&[("year", &["*"]), ("region", &["*"]), ("measure", &["*"])]);
    request.selection.as_mut().unwrap()[1].codelist = Some("agg_counties".into());
    let chosen = resolve(&table, &request, Lang::Sv, false).unwrap();
    assert_eq!(chosen.codes(&table, 1), ["10"]);
    request.selection.as_mut().unwrap()[1].codelist = Some("nuts2".into());
    let refused = resolve(&table, &request, Lang::Sv, false).unwrap_err();
    assert_eq!((refused.field.as_str(), refused.code), ("codelist[region]", ErrorCode::UnknownCodelist));
}

#[test]
fn the_cube_takes_each_cell_from_its_regions_table_and_marks_what_is_missing() {
    let table = table();
    let request = ask(&[("year", &["2022"]), ("region", &["00", "f"]), ("kind", &["individual"]), ("measure", &["*"])]);
    let chosen = resolve(&table, &request, Lang::Sv, false).unwrap();
    // No block for the förbund: its cells are not available.
    let cube = assemble(&table, &chosen, &[block("00", 100)]);
    let ids: Vec<&str> = cube.table.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["year", "region", "kind", "measure"]);
    // 2022 is the block's first year, individual its first kind: cells 0 and 1 of the block.
    assert_eq!(cube.table.values, [Some(100.into()), Some(101.into()), None, None]);
    assert_eq!(cube.status, [None, Some(".".into()), Some("..".into()), Some("..".into())]);
}

#[test]
fn csv_rows_are_the_stub_and_columns_the_heading_in_texts_or_codes() {
    let table = table();
    let request = ask(&[("year", &["*"]), ("kind", &["individual"]), ("measure", &["insatser"])]);
    let chosen = resolve(&table, &request, Lang::Sv, false).unwrap();
    let cube = assemble(&table, &chosen, &[block("00", 0)]);
    let texts = csv::write(&cube, &chosen, "T", Lang::Sv, csv::params(&[]).unwrap());
    let (kind, measure) = (&cube.table.dimensions[1], &cube.table.dimensions[2]);
    let expected = format!(
        "{},{},2022,2023\r\n{},{},0,6\r\n",
        kind.label_sv, measure.label_sv, kind.categories[0].label_sv, measure.categories[0].label_sv
    );
    assert_eq!(texts, expected);
    let codes = csv::write(
        &cube,
        &chosen,
        "T",
        Lang::Sv,
        csv::params(&["UseCodes,SeparatorSemicolon,IncludeTitle".into()]).unwrap(),
    );
    assert_eq!(codes, "T\r\nkind;measure;2022;2023\r\nindividual;insatser;0;6\r\n");
    let clash = csv::params(&["SeparatorTab,SeparatorSpace".into()]).unwrap_err();
    assert_eq!(clash.code, ErrorCode::BadOutputFormatParams);
}
