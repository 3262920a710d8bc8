//! `GET` and `POST /api/v2/tables/{id}/data`: the figures of a selection, as JSON-stat 2.0
//! (default), CSV, XLSX or a PC-Axis file.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use finsam_domain::ErrorCode;
use finsam_export::{Lang, Meta};
use finsam_pxweb::{Chosen, Cube, PxError, PxTable, Request, assemble, csv, jsonstat, px, selection};

use super::config::DATA_FORMATS;
use super::source::{Source, edition};
use super::{base, count_call, ok, only_known, problem, table_id};
use crate::error::Problem;
use crate::routes::body;
use crate::routes::params;
use crate::routes::tables::lang;
use crate::routes::with_read_conn;
use crate::{ApiError, AppState};

type Query = web::Query<Vec<(String, String)>>;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(data_get).service(data_post);
}

const DATA_DESCRIPTION: &str = "json-stat2 (default), csv, xlsx or px";

/// The figures of a selection. `valuecodes[VAR]=` takes codes and expressions, comma-separated:
/// `*`, `?` and `*` inside a code, `top(n[,offset])`, `bottom(n[,offset])`, `from(x)`, `to(x)`,
/// `[range(a,b)]` (bracketed, as it holds a comma); `codelist[region]=` applies a codelist. A
/// variable left out is eliminated (its `eliminationValueCode`) or, if it may not be, is a
/// 400; no selection at all is the default selection. Without a token the open tables
/// (suppressed cells have status "."; ".." where a region is not in a year's release); with an
/// analyst's or admin's bearer token the exact, live figures.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_get_data",
    params(
        ("id" = String, Path, description = "A table id from GET /api/v2/tables"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
        ("outputFormat" = Option<String>, Query, description = DATA_DESCRIPTION),
        ("outputFormatParams" = Option<String>, Query, description = "csv only, comma-separated: UseCodes, UseTexts or UseCodesAndTexts; IncludeTitle; SeparatorTab, SeparatorSpace or SeparatorSemicolon"),
        ("heading" = Option<String>, Query, description = "Variables in the heading (csv), comma-separated"),
        ("stub" = Option<String>, Query, description = "Variables in the stub (csv), comma-separated"),
    ),
    responses(
        (status = 200, description = "The figures in the format asked for"),
        (status = 400, description = "An unknown variable, value or codelist, a bad expression, a mandatory variable left out, more cells than maxDataCells, or a bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or none published yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/tables/{id}/data")]
pub async fn data_get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang", "outputFormat", "outputFormatParams", "heading", "stub"], true)?;
    let request = selection::from_query(&query).map_err(problem)?;
    answer(state, req, &path, &query, request, false).await
}

/// The same with the selection as a body (`VariablesSelection`): `{"selection": [{"variableCode":
/// "year", "valueCodes": ["top(2)"]}, …], "placement": {"heading": […], "stub": […]}}`.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_post_data",
    params(
        ("id" = String, Path, description = "A table id from GET /api/v2/tables"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
        ("outputFormat" = Option<String>, Query, description = DATA_DESCRIPTION),
        ("outputFormatParams" = Option<String>, Query, description = "As for GET"),
    ),
    request_body(content = Object, description = "VariablesSelection", content_type = "application/json"),
    responses(
        (status = 200, description = "The figures in the format asked for"),
        (status = 400, description = "As for GET, or a body that is not a VariablesSelection", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or none published yet", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[post("/tables/{id}/data")]
pub async fn data_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
    bytes: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang", "outputFormat", "outputFormatParams"], false)?;
    // No body at all asks for the default selection.
    let request = match bytes.is_empty() {
        true => Request::default(),
        false => serde_json::from_value(body::json(&req, &bytes)?).map_err(|e| {
            ApiError::invalid_field("body", ErrorCode::BadBody, format!("not a VariablesSelection: {e}"))
        })?,
    };
    answer(state, req, &path, &query, request, true).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    JsonStat,
    Csv,
    Xlsx,
    Px,
}

fn format(query: &[(String, String)]) -> Result<Format, ApiError> {
    match params::get(query, "outputFormat").map(str::to_ascii_lowercase).as_deref() {
        None | Some("json-stat2") => Ok(Format::JsonStat),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") => Ok(Format::Xlsx),
        Some("px") => Ok(Format::Px),
        Some(_) => Err(ApiError::invalid_field(
            "outputFormat",
            ErrorCode::UnknownFormat,
            format!("must be one of {}", DATA_FORMATS.join(", ")),
        )),
    }
}

/// `outputFormatParams`: for csv only. The workbook is the v1 tables' (one row per cell, with
/// the labels and a sheet describing the table), so it has no layout to choose.
fn format_params(query: &[(String, String)], format: Format) -> Result<csv::Params, ApiError> {
    let entries: Vec<String> =
        query.iter().filter(|(name, _)| name == "outputFormatParams").map(|(_, v)| v.clone()).collect();
    if format != Format::Csv && entries.iter().any(|e| !e.trim().is_empty()) {
        return Err(problem(PxError::bad(
            "outputFormatParams",
            ErrorCode::BadOutputFormatParams,
            "only csv takes outputFormatParams",
        )));
    }
    csv::params(&entries).map_err(problem)
}

async fn answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: &str,
    query: &[(String, String)],
    request: Request,
    post: bool,
) -> Result<HttpResponse, ApiError> {
    let id = table_id(path)?;
    let lang = lang(query)?;
    let format = format(query)?;
    let params = format_params(query, format)?;
    let edition = edition(&req).await?;
    let quota = count_call(&state, &req)?;
    let loader = state.clone();
    let max = state.pxweb.max_data_cells;
    let (table, chosen, cube) = with_read_conn(&state, move |conn| {
        let source = Source::load(conn, &loader, edition)?;
        let table = source.table(conn, &loader, id, lang)?;
        let chosen = selection::resolve(&table, &request, lang, post).map_err(problem)?;
        let cells = chosen.cells();
        if cells > max {
            return Err(problem(PxError::bad(
                if post { "selection" } else { "valuecodes" },
                ErrorCode::TooManyCells,
                format!("the selection has {cells} cells; at most {max} (maxDataCells) may be asked for at once"),
            )));
        }
        let blocks = source.blocks(&table, &chosen)?;
        let cube = assemble(&table, &chosen, &blocks);
        Ok((table, chosen, cube))
    })
    .await?;
    render(&table, &chosen, &cube, format, params, lang, &base(&req), ok(quota))
}

#[allow(clippy::too_many_arguments)]
fn render(
    table: &PxTable,
    chosen: &Chosen,
    cube: &Cube,
    format: Format,
    params: csv::Params,
    lang: Lang,
    base: &str,
    mut response: actix_web::HttpResponseBuilder,
) -> Result<HttpResponse, ApiError> {
    let name = table.id.code();
    let attachment =
        |extension: &str| (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{extension}\""));
    Ok(match format {
        Format::JsonStat => response.json(jsonstat::dataset(table, cube, lang, base)),
        Format::Csv => response
            .content_type("text/csv; charset=utf-8")
            .insert_header(attachment("csv"))
            .body(csv::write(cube, chosen, table.title(lang), lang, params)),
        Format::Xlsx => {
            let meta = Meta {
                updated: table.updated.clone(),
                status: cube.status.clone(),
                notes: table.notes.clone(),
                disclosure_threshold: None,
            };
            let bytes = finsam_export::xlsx::write(&cube.table, &table.info, &meta, lang)
                .map_err(|e| ApiError::internal(&e))?;
            response
                .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .insert_header(attachment("xlsx"))
                .body(bytes)
        }
        Format::Px => {
            let file = px::PxFile {
                table: &cube.table,
                status: &cube.status,
                table_id: name,
                title: table.title(lang),
                source: table.info.source,
                updated: &table.updated,
                notes: &table.notes,
                lang,
            };
            response.content_type("text/plain; charset=utf-8").insert_header(attachment("px")).body(px::write(&file))
        }
    })
}
