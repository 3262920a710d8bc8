//! Open tables: the national tables after disclosure control, for anyone, with no token. Person
//! counts from 1 to the threshold, and enough other cells that none can be computed back, are
//! suppressed (status `"."`); see `finsam_export::open`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use finsam_export::Meta;
use finsam_export::open::{self, Names, OpenTable};
use finsam_store::reference;

use super::tables::{TableDescription, check_selection, descriptions, lang, parse_query, render, table_id};
use super::{params, with_read_conn};
use crate::error::Problem;
use crate::{ApiError, AppState};

type Query = web::Query<Vec<(String, String)>>;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(one).service(export);
}

/// Every open table: id, titles, dimensions and their codes, units, rounding rule, source.
#[utoipa::path(
    tag = "open data",
    operation_id = "list_open_tables",
    responses((status = 200, description = "The tables", body = Vec<TableDescription>)),
)]
#[get("/open/tables")]
pub async fn list() -> HttpResponse {
    HttpResponse::Ok().json(descriptions())
}

/// One table after disclosure control: the same parameters as `GET /api/v1/tables/{table_id}`.
/// Suppressed values are `null` with status `"."`; the method and threshold are in the notes.
#[utoipa::path(
    tag = "open data",
    operation_id = "get_open_table",
    params(
        ("table_id" = String, Path, description = "A table id from GET /api/v1/open/tables"),
        ("year" = Option<i32>, Query, description = "One year (default: last calendar year)"),
        ("from" = Option<i32>, Query, description = "First year of a series (with `to`)"),
        ("to" = Option<i32>, Query, description = "Last year of a series (with `from`)"),
        ("county" = Option<String>, Query, description = "A county code"),
        ("forbund" = Option<String>, Query, description = "A förbund key"),
        ("format" = Option<String>, Query, description = "json (default), json-stat2, csv or xlsx"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The table in the format asked for"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/open/tables/{table_id}")]
pub async fn one(state: web::Data<AppState>, path: web::Path<String>, query: Query) -> Result<HttpResponse, ApiError> {
    let id = table_id(&path)?;
    let request = parse_query(&query)?;
    let (cache, tables, threshold) = (state.open.clone(), state.tables.clone(), state.disclosure_threshold);
    let (selection, years) = (request.selection.clone(), request.years.clone());
    let table = with_read_conn(&state, move |conn| {
        check_selection(conn, &selection)?;
        let years = cache.years(conn, &tables, &years, threshold)?;
        let blocks: Option<Vec<&OpenTable>> = years.iter().map(|year| year.table(id, &selection)).collect();
        let blocks = blocks.ok_or_else(|| ApiError::internal(&"a listed county or förbund has no open table"))?;
        open::series(&blocks).ok_or_else(|| ApiError::internal(&"no years"))
    })
    .await?;
    render(&table.table, &id.info(), &meta(&table, request.lang, threshold), &request)
}

fn meta(table: &OpenTable, lang: finsam_export::Lang, threshold: i64) -> Meta {
    Meta {
        updated: chrono::Utc::now().to_rfc3339(),
        status: table.status.clone(),
        notes: vec![open::method_note(lang, threshold)],
        disclosure_threshold: Some(threshold),
    }
}

/// Every open table of a year in JSON-stat 2.0, CSV and XLSX, nationally, by county and by
/// förbund, with a README on the method, as one ZIP. `?csv_separator=;` for Swedish
/// spreadsheets; `?lang=en` for English labels.
#[utoipa::path(
    tag = "open data",
    operation_id = "export_open_tables",
    params(
        ("file" = String, Path, description = "`{year}.zip`, e.g. 2023.zip"),
        ("csv_separator" = Option<String>, Query, description = ", (default) or ;"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The ZIP", content_type = "application/zip"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a year's ZIP", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/open/export/{file}")]
pub async fn export(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    let year = path
        .strip_suffix(".zip")
        .ok_or_else(|| ApiError::not_found(format!("no export {:?}; ask for {{year}}.zip", path.as_str())))?;
    let year = params::year(Some(year))?;
    params::only_known(&query, &["csv_separator", "lang"])?;
    let separator = match params::get(&query, "csv_separator").unwrap_or(",") {
        "," => ',',
        ";" => ';',
        _ => return Err(ApiError::invalid_field("csv_separator", "unknown_separator", "must be , or ;")),
    };
    let lang = lang(&query)?;
    let (cache, tables, threshold) = (state.open.clone(), state.tables.clone(), state.disclosure_threshold);
    let root = format!("finsam-open-{year}");
    let zip_root = root.clone();
    let bytes = with_read_conn(&state, move |conn| {
        let open = cache.years(conn, &tables, &[year], threshold)?.remove(0);
        let (counties, forbund) = reference::names(conn)?;
        let updated = chrono::Utc::now().to_rfc3339();
        let files = open::export_files(&open, &Names { counties, forbund }, &updated, lang, separator)
            .map_err(|e| ApiError::internal(&e))?;
        open::zip_files(&files, &zip_root).map_err(|e| ApiError::internal(&e))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{root}.zip\"")))
        .body(bytes))
}
