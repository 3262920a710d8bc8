//! `GET /api/v2/tables`, `/tables/{id}`, `/tables/{id}/metadata` and
//! `/tables/{id}/defaultselection`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use finsam_domain::ErrorCode;
use finsam_export::Lang;
use finsam_pxweb::{PxError, PxTable, jsonstat, selection};
use serde_json::{Value, json};

use super::source::{Source, edition};
use super::{base, count_call, ok, only_known, problem, table_id};
use crate::error::Problem;
use crate::routes::params;
use crate::routes::tables::lang;
use crate::routes::with_read_conn;
use crate::{ApiError, AppState};

type Query = web::Query<Vec<(String, String)>>;

/// At most this many tables a page.
const LARGEST_PAGE: i64 = 1000;
const DEFAULT_PAGE: i64 = 20;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(one).service(metadata).service(default_selection);
}

/// Every table (`TablesResponse`): `query` matches ids, titles and variable names in either
/// language, `pastDays` keeps tables updated in the last days, with `pageNumber` and `pageSize`.
/// Without a token the open tables; with an analyst's or admin's bearer token the exact ones.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_list_tables",
    params(
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
        ("query" = Option<String>, Query, description = "Words every listed table matches"),
        ("pastDays" = Option<i64>, Query, minimum = 1, description = "Only tables updated in the last days"),
        ("includeDiscontinued" = Option<bool>, Query, description = "No table is discontinued"),
        ("pageNumber" = Option<i64>, Query, minimum = 1, description = "Default 1"),
        ("pageSize" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Default 20"),
    ),
    responses(
        (status = 200, description = "The tables of the page", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/tables")]
pub async fn list(state: web::Data<AppState>, req: HttpRequest, query: Query) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang", "query", "pastDays", "includeDiscontinued", "pageNumber", "pageSize"], false)?;
    let lang = lang(&query)?;
    let words: Vec<String> =
        params::get(&query, "query").unwrap_or_default().split_whitespace().map(str::to_lowercase).collect();
    let past_days = params::integer(params::get(&query, "pastDays"), "pastDays", 1, 100_000)?;
    let page_number =
        params::integer(params::get(&query, "pageNumber"), "pageNumber", 1, i64::from(i32::MAX))?.unwrap_or(1);
    let page_size =
        params::integer(params::get(&query, "pageSize"), "pageSize", 1, LARGEST_PAGE)?.unwrap_or(DEFAULT_PAGE);
    if let Some(value) = params::get(&query, "includeDiscontinued") {
        params_boolean(value, "includeDiscontinued")?;
    }
    let edition = edition(&req).await?;
    let quota = count_call(&state, &req)?;
    let (tables_state, base) = (state.clone(), base(&req));
    let tables = with_read_conn(&state, move |conn| {
        let source = Source::load(conn, &tables_state, edition)?;
        if source.years().is_empty() {
            return Ok(Vec::new());
        }
        let mut tables = Vec::new();
        for &id in edition.tables() {
            tables.push(source.table(conn, &tables_state, id, lang)?);
        }
        Ok(tables)
    })
    .await?;
    let now = chrono::Utc::now();
    let matching: Vec<&PxTable> = tables
        .iter()
        .filter(|t| words.iter().all(|w| searchable(t).contains(w.as_str())))
        .filter(|t| {
            past_days.is_none_or(|days| {
                chrono::DateTime::parse_from_rfc3339(&t.updated)
                    .is_ok_and(|updated| now.signed_duration_since(updated) <= chrono::Duration::days(days))
            })
        })
        .collect();
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    let pages = ((total + page_size - 1) / page_size).max(1);
    let start = usize::try_from((page_number - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let shown: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(usize::try_from(page_size).unwrap_or(usize::MAX))
        .map(|t| table_json(t, lang, &base))
        .collect();
    let page_link = |rel: &str, number: i64| json!({ "rel": rel, "hreflang": jsonstat::code(lang), "href": format!("{base}/tables?lang={}&pageNumber={number}&pageSize={page_size}", jsonstat::code(lang)) });
    let mut links = vec![page_link("self", page_number)];
    if page_number > 1 {
        links.push(page_link("previous", page_number - 1));
    }
    if page_number < pages {
        links.push(page_link("next", page_number + 1));
    }
    links.push(page_link("last", pages));
    Ok(ok(quota).json(json!({
        "language": jsonstat::code(lang),
        "tables": shown,
        "page": { "pageNumber": page_number, "pageSize": page_size, "totalElements": total, "totalPages": pages, "links": links },
        "links": [page_link("self", page_number)],
    })))
}

fn params_boolean(value: &str, name: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ApiError::invalid_field(name, ErrorCode::NotABoolean, "must be true or false")),
    }
}

/// What `query` searches: the id, both titles and every variable's names.
fn searchable(table: &PxTable) -> String {
    let mut text = vec![table.id.code().to_owned(), table.info.title_sv.to_owned(), table.info.title_en.to_owned()];
    for v in &table.variables {
        text.extend([v.code.clone(), v.label_sv.clone(), v.label_en.clone()]);
    }
    text.join(" ").to_lowercase()
}

/// `Table` of the specification.
fn table_json(table: &PxTable, lang: Lang, base: &str) -> Value {
    let years = table.years();
    let code = jsonstat::code(lang);
    let link = |rel: &str, path: &str| json!({ "rel": rel, "hreflang": code, "href": format!("{base}/tables/{}{path}?lang={code}", table.id.code()) });
    json!({
        "type": "Table",
        "id": table.id.code(),
        "label": table.title(lang),
        "description": table.info.source,
        "sortCode": table.id.code(),
        "updated": table.updated,
        "firstPeriod": years.first().map(|y| y.code.clone()),
        "lastPeriod": years.last().map(|y| y.code.clone()),
        "category": "public",
        "variableNames": table.variables.iter().map(|v| v.label(lang)).collect::<Vec<_>>(),
        "discontinued": false,
        "source": table.info.source,
        "subjectCode": "FINSAM",
        "timeUnit": "Annual",
        "paths": [[{ "id": "FINSAM", "label": lang.pick("Finansiell samordning", "Financial coordination") }]],
        "links": [link("self", ""), link("metadata", "/metadata"), link("data", "/data")],
    })
}

/// One table (`TableResponse`).
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_get_table",
    params(
        ("id" = String, Path, description = "A table id from GET /api/v2/tables"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The table", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or none published yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/tables/{id}")]
pub async fn one(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang"], false)?;
    let (lang, base) = (lang(&query)?, base(&req));
    let table = load(&state, &req, &path, lang).await?.0;
    let mut body = table_json(&table, lang, &base);
    body["language"] = json!(jsonstat::code(lang));
    Ok(ok(count_call(&state, &req)?).json(body))
}

/// The table and the quota, loaded for `path` in the caller's edition.
pub(super) async fn load(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    path: &str,
    lang: Lang,
) -> Result<(PxTable, super::source::Edition), ApiError> {
    let id = table_id(path)?;
    let edition = edition(req).await?;
    let loader = state.clone();
    let table = with_read_conn(state, move |conn| {
        let source = Source::load(conn, &loader, edition)?;
        source.table(conn, &loader, id, lang)
    })
    .await?;
    Ok((table, edition))
}

/// The table's metadata: JSON-stat 2.0 with every variable and value and no figures; per
/// variable whether it may be left out (`extension.elimination`, `eliminationValueCode`), the
/// codelists of the region, the time and metric roles. `codelist[region]=` applies one.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_get_metadata",
    params(
        ("id" = String, Path, description = "A table id from GET /api/v2/tables"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
        ("defaultSelection" = Option<bool>, Query, description = "Only the values of the default selection"),
    ),
    responses(
        (status = 200, description = "JSON-stat 2.0 dataset without values", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or none published yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/tables/{id}/metadata")]
pub async fn metadata(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang", "defaultSelection"], true)?;
    if query.iter().any(|(name, _)| name.starts_with("valuecodes[")) {
        return Err(ApiError::invalid_field(
            "valuecodes",
            ErrorCode::UnknownParameter,
            "metadata takes codelist[VAR], not valuecodes",
        ));
    }
    let default = params::get(&query, "defaultSelection")
        .map(|v| params_boolean(v, "defaultSelection"))
        .transpose()?
        .unwrap_or(false);
    let (lang, base) = (lang(&query)?, base(&req));
    let (table, _) = load(&state, &req, &path, lang).await?;
    let request = selection::from_query(&query).map_err(problem)?;
    let mut codelists = vec![None; table.variables.len()];
    for asked in request.selection.iter().flatten() {
        let at = table.variables.iter().position(|v| v.code.eq_ignore_ascii_case(&asked.variable_code)).ok_or_else(
            || {
                problem(PxError::bad(
                    format!("codelist[{}]", asked.variable_code),
                    ErrorCode::UnknownVariable,
                    "the table has no such variable",
                ))
            },
        )?;
        let id = asked.codelist.as_deref().unwrap_or_default();
        if finsam_pxweb::codelist::find(&table, &table.variables[at].code, id, lang).is_none() {
            return Err(problem(PxError::bad(
                format!("codelist[{}]", asked.variable_code),
                ErrorCode::UnknownCodelist,
                format!("no codelist {id:?} for the variable"),
            )));
        }
        codelists[at] = Some(id.to_owned());
    }
    let mut body = jsonstat::metadata(&table, &codelists, lang, &base);
    if default {
        let chosen = selection::default(&table);
        let narrowed = narrowed(&table, &chosen);
        body = jsonstat::metadata(&narrowed, &codelists, lang, &base);
    }
    Ok(ok(count_call(&state, &req)?).json(body))
}

/// The table with only the values `chosen` takes.
fn narrowed(table: &PxTable, chosen: &finsam_pxweb::Chosen) -> PxTable {
    let mut narrowed = table.clone();
    for (variable, positions) in narrowed.variables.iter_mut().zip(&chosen.positions) {
        if let Some(positions) = positions {
            variable.values = positions.iter().map(|&p| variable.values[p].clone()).collect();
        }
    }
    narrowed
}

/// The selection data asked with none gets (`SelectionResponse`): the latest year, the nation
/// and every value of the other variables.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_get_default_selection",
    params(
        ("id" = String, Path, description = "A table id from GET /api/v2/tables"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The default selection", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table, or none published yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/tables/{id}/defaultselection")]
pub async fn default_selection(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang"], false)?;
    let (lang, base) = (lang(&query)?, base(&req));
    let (table, _) = load(&state, &req, &path, lang).await?;
    let chosen = selection::default(&table);
    let selection: Vec<Value> = table
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| json!({ "variableCode": v.code, "valueCodes": chosen.codes(&table, i) }))
        .collect();
    let code = jsonstat::code(lang);
    Ok(ok(count_call(&state, &req)?).json(json!({
        "language": code,
        "selection": selection,
        "placement": { "heading": chosen.heading, "stub": chosen.stub },
        "links": [{ "rel": "data", "hreflang": code, "href": format!("{base}/tables/{}/data?lang={code}", table.id.code()) }],
    })))
}
