//! Open tables: the national tables after disclosure control, for anyone, with no token, from
//! the published releases of closed years only (see `crate::open_releases`). Person counts from
//! 1 to the threshold, and enough other cells that none can be computed back, are suppressed
//! (status `"."`); see `finsam_export::open`.

use finsam_domain::ErrorCode;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use finsam_export::Meta;
use finsam_export::csv::Dialect;
use finsam_export::open::{self, Names, OpenTable, OpenYear};
use finsam_stats::TableId;
use finsam_store::open_releases::{self as stored_releases, Release};
use finsam_store::reference;

use super::tables::{
    CSV_SEPARATOR, TableDescription, TableRequest, check_selection, csv_dialect, descriptions, lang,
    parse_query_allowing, render, table_id,
};
use super::{params, with_read_conn};
use crate::error::Problem;
use crate::open_releases::{self, ReleaseCache};
use crate::{ApiError, AppState};

type Query = web::Query<Vec<(String, String)>>;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(releases).service(one).service(export);
}

/// Every published release: year, number, publication time, the data it was made from and its
/// revision note. Open tables and exports serve the latest release of each year unless
/// `?release=` asks for an earlier one.
#[utoipa::path(
    tag = "open data",
    operation_id = "list_open_releases",
    responses((status = 200, description = "The releases, by year and number", body = Vec<Release>)),
)]
#[get("/open/releases")]
pub async fn releases(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let all = with_read_conn(&state, |conn| Ok(stored_releases::list(conn)?)).await?;
    Ok(HttpResponse::Ok().json(all))
}

/// Every open table: id, titles, dimensions and their codes, units, rounding rule, source.
#[utoipa::path(
    tag = "open data",
    operation_id = "list_open_tables",
    responses((status = 200, description = "The tables", body = Vec<TableDescription>)),
)]
#[get("/open/tables")]
pub async fn list() -> HttpResponse {
    HttpResponse::Ok().json(descriptions(&TableId::OPEN))
}

/// One table after disclosure control, from the latest release of each year asked for (or
/// `?release=N` of one year): the same parameters as `GET /api/v1/tables/{table_id}`, the year
/// defaulting to the latest published one. Suppressed values are `null` with status `"."`; the
/// method and threshold are in the notes. A year with no release answers 404 `not_published`.
#[utoipa::path(
    tag = "open data",
    operation_id = "get_open_table",
    params(
        ("table_id" = String, Path, description = "A table id from GET /api/v1/open/tables"),
        ("year" = Option<i32>, Query, description = "One year (default: the latest published year)"),
        ("from" = Option<i32>, Query, description = "First year of a series (with `to`): the latest release of each year"),
        ("to" = Option<i32>, Query, description = "Last year of a series (with `from`)"),
        ("release" = Option<i32>, Query, minimum = 1, description = "A release of the one year asked for (default: its latest)"),
        ("county" = Option<String>, Query, description = "A county code"),
        ("forbund" = Option<String>, Query, description = "A förbund key"),
        ("format" = Option<String>, Query, description = "json (default), json-stat2, csv or xlsx"),
        ("csv_separator" = Option<String>, Query, description = CSV_SEPARATOR),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The table in the format asked for"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or a year or release not published (`not_published`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/open/tables/{table_id}")]
pub async fn one(state: web::Data<AppState>, path: web::Path<String>, query: Query) -> Result<HttpResponse, ApiError> {
    let id = table_id(&path, &TableId::OPEN)?;
    let mut request = parse_query_allowing(&query, &["release"])?;
    let wanted = release_param(&query, &request)?;
    let defaulted = ["year", "from", "to"].iter().all(|name| params::get(&query, name).is_none());
    let cache = state.open.clone();
    let selection = request.selection.clone();
    let years = request.years.clone();
    let (table, years, release) = with_read_conn(&state, move |conn| {
        check_selection(conn, &selection)?;
        let years = match (defaulted, open_releases::latest_year(conn)?) {
            (true, Some(latest)) => vec![latest],
            _ => years,
        };
        let opened = open_years(conn, &cache, &years, wanted)?;
        let mut blocks = Vec::with_capacity(opened.len());
        for (open, release) in &opened {
            // A förbund registered after a release was made is not in it.
            blocks.push(open.table(id, &selection).ok_or_else(|| {
                ApiError::not_found(format!(
                    "release {} of {} holds no table for this selection: it was made before the selection existed",
                    release.release, release.year
                ))
            })?);
        }
        let table = open::series(&blocks).ok_or_else(|| ApiError::internal(&"no years"))?;
        let last = opened.into_iter().last().map(|(open, release)| (open.threshold, release));
        Ok((table, years, last))
    })
    .await?;
    request.years = years;
    let (threshold, release) = release.ok_or_else(|| ApiError::internal(&"no years"))?;
    render(&table.table, &id.info(), &meta(&table, request.lang, threshold, &release), &request)
}

/// `?release=N`: only with one year.
fn release_param(query: &Query, request: &TableRequest) -> Result<Option<i32>, ApiError> {
    let Some(wanted) = params::integer(params::get(query, "release"), "release", 1, i64::from(i32::MAX))? else {
        return Ok(None);
    };
    if request.years.len() != 1 {
        return Err(ApiError::invalid_field(
            "release",
            ErrorCode::ReleaseNeedsYear,
            "a release is of one year: give year, not from and to",
        ));
    }
    Ok(Some(wanted as i32))
}

/// The release to serve of each year, opened: `wanted` of a single year, else the latest of each.
fn open_years(
    conn: &mut diesel::PgConnection,
    cache: &ReleaseCache,
    years: &[i32],
    wanted: Option<i32>,
) -> Result<Vec<(Arc<OpenYear>, Release)>, ApiError> {
    years
        .iter()
        .map(|&year| {
            let release = open_releases::find(conn, year, wanted)?;
            Ok((cache.open_year(conn, &release)?, release))
        })
        .collect()
}

/// The release's own time and threshold, so that its files are the same whenever they are read.
fn meta(table: &OpenTable, lang: finsam_export::Lang, threshold: i64, release: &Release) -> Meta {
    Meta {
        updated: release.published_at.to_rfc3339(),
        status: table.status.clone(),
        notes: vec![open::method_note(lang, threshold), release_note(lang, release)],
        disclosure_threshold: Some(threshold),
    }
}

pub(crate) fn release_note(lang: finsam_export::Lang, release: &Release) -> String {
    let published = release.published_at.format("%Y-%m-%d");
    match lang {
        finsam_export::Lang::Sv => {
            format!("Publicering {} av {}, {published}: {}", release.release, release.year, release.note)
        }
        finsam_export::Lang::En => {
            format!("Release {} of {}, {published}: {}", release.release, release.year, release.note)
        }
    }
}

/// Every open table of a year's latest release (or `?release=N`) in JSON-stat 2.0, CSV and
/// XLSX, nationally, by county and by förbund, with a README on the method, as one ZIP: the same
/// bytes whenever it is read. `?csv_separator=;` for Swedish spreadsheets; `?lang=en` for
/// English labels.
#[utoipa::path(
    tag = "open data",
    operation_id = "export_open_tables",
    params(
        ("file" = String, Path, description = "`{year}.zip`, e.g. 2023.zip"),
        ("release" = Option<i32>, Query, minimum = 1, description = "A release of the year (default: its latest)"),
        ("csv_separator" = Option<String>, Query, description = CSV_SEPARATOR),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The ZIP", content_type = "application/zip"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a year's ZIP, or the year or release not published (`not_published`)", body = Problem, content_type = "application/problem+json"),
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
    params::only_known(&query, &["csv_separator", "lang", "release"])?;
    let dialect = params::get(&query, "csv_separator").map_or(Ok(Dialect::default()), csv_dialect)?;
    let lang = lang(&query)?;
    let wanted = params::integer(params::get(&query, "release"), "release", 1, i64::from(i32::MAX))?.map(|n| n as i32);
    let cache = state.open.clone();
    let root = format!("finsam-open-{year}");
    let zip_root = root.clone();
    let bytes = with_read_conn(&state, move |conn| {
        let release = open_releases::find(conn, year, wanted)?;
        let open = cache.open_year(conn, &release)?;
        let (counties, forbund) = reference::names(conn)?;
        let updated = release.published_at.to_rfc3339();
        let files = open::export_files(&open, &Names { counties, forbund }, &updated, lang, dialect)
            .map_err(|e| ApiError::internal(&e))?;
        open::zip_files(&files, &zip_root).map_err(|e| ApiError::internal(&e))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{root}.zip\"")))
        .body(bytes))
}
