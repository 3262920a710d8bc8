//! National tables for analysts (exact figures) and for a förbund's own registrars.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::Datelike;
use finsam_domain::ErrorCode;
use finsam_domain::access::{self, TableScope};
use finsam_export::csv::Dialect;
use finsam_export::{Lang, Meta};
use finsam_stats::catalog::TableInfo;
use finsam_stats::{Selection, Table, TableId};
use finsam_store::reference;
use serde::Serialize;

use super::{params, with_read_conn};
use crate::auth::Auth;
use crate::error::Problem;
use crate::{ApiError, AppState};

const LONGEST_SERIES: i32 = 50;
type Query = web::Query<Vec<(String, String)>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    JsonStat,
    Csv,
    Xlsx,
}

/// What a table request asks for, read from its query.
pub struct TableRequest {
    pub years: Vec<i32>,
    pub selection: Selection,
    pub format: Format,
    /// The CSV dialect, by `?csv_separator=`: only with `format=csv`.
    pub csv: Dialect,
    pub lang: Lang,
}

/// A table's description, as listed by `GET /api/v1/tables`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TableDescription {
    #[schema(example = "individual-insatser")]
    pub id: String,
    pub title_sv: String,
    pub title_en: String,
    /// Dimension ids in order; `year` first, `measure` last.
    pub dimensions: Vec<String>,
    /// Category codes of each dimension after `year`, in order.
    #[schema(value_type = Object)]
    pub categories: serde_json::Value,
    /// Unit of each measure: count, percent or SEK.
    #[schema(value_type = Object)]
    pub units: serde_json::Value,
    pub rounding: String,
    pub source: String,
}

impl From<TableInfo> for TableDescription {
    fn from(info: TableInfo) -> Self {
        let mut dimensions = vec!["year".to_owned()];
        dimensions.extend(info.dimensions.iter().map(|d| d.id.clone()));
        let categories = info
            .dimensions
            .iter()
            .map(|d| (d.id.clone(), d.categories.iter().map(|c| c.code.clone()).collect::<Vec<_>>().into()))
            .collect::<serde_json::Map<_, _>>();
        let units = info
            .dimensions
            .iter()
            .flat_map(|d| d.categories.iter())
            .filter_map(|c| Some((c.code.clone(), serde_json::Value::from(c.unit.as_ref()?.label.clone()))))
            .collect::<serde_json::Map<_, _>>();
        TableDescription {
            id: info.id.code().to_owned(),
            title_sv: info.title_sv.to_owned(),
            title_en: info.title_en.to_owned(),
            dimensions,
            categories: categories.into(),
            units: units.into(),
            rounding: info.rounding.to_owned(),
            source: info.source.to_owned(),
        }
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(one).service(quality);
}

/// Every national table: id, titles, dimensions and their codes, units, rounding rule, source.
#[utoipa::path(
    tag = "tables",
    operation_id = "list_tables",
    responses(
        (status = 200, description = "The tables", body = Vec<TableDescription>),
    ),
    security(("bearer" = []))
)]
#[get("/tables")]
pub async fn list(_auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(descriptions(&TableId::ALL))
}

/// The descriptions of `ids`: `TableId::ALL` for the exact tables, `TableId::OPEN` for the open.
pub fn descriptions(ids: &[TableId]) -> Vec<TableDescription> {
    ids.iter().map(|id| id.info().into()).collect()
}

/// The table a path names among `ids`; 404 for another.
pub fn table_id(code: &str, ids: &[TableId]) -> Result<TableId, ApiError> {
    TableId::from_code(code)
        .filter(|id| ids.contains(id))
        .ok_or_else(|| ApiError::not_found(format!("no table {code:?}")))
}

/// One table, computed from the registered data as it is now. `?year=` (default: last year) or
/// `?from=&to=` for a series; `?county=` or `?forbund=` to narrow it (registrars: their own
/// förbund only); `?format=json|json-stat2|csv|xlsx`, with `&csv_separator=;` for Swedish
/// spreadsheets; `?lang=sv|en` for labels.
#[utoipa::path(
    tag = "tables",
    operation_id = "get_table",
    params(
        ("table_id" = String, Path, description = "A table id from GET /api/v1/tables"),
        ("year" = Option<i32>, Query, description = "One year (default: last calendar year)"),
        ("from" = Option<i32>, Query, description = "First year of a series (with `to`)"),
        ("to" = Option<i32>, Query, description = "Last year of a series (with `from`)"),
        ("county" = Option<String>, Query, description = "A county code"),
        ("forbund" = Option<String>, Query, description = "A förbund key"),
        ("format" = Option<String>, Query, description = "json (default), json-stat2, csv or xlsx"),
        ("csv_separator" = Option<String>, Query, description = CSV_SEPARATOR),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The table in the format asked for"),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A registrar asking beyond its förbund", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such table", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tables/{table_id}")]
pub async fn one(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    let id = table_id(&path, &TableId::ALL)?;
    let request = parse(&query, &auth)?;
    let (tables, selection, years) = (state.tables.clone(), request.selection.clone(), request.years.clone());
    let (table, updated) = with_read_conn(&state, move |conn| {
        check_selection(conn, &selection)?;
        let snapshot = tables.snapshot(conn)?;
        let table = snapshot.frames.compute(id, &years, &selection).map_err(|e| ApiError::internal(&e))?;
        Ok((table, chrono::Utc::now().to_rfc3339()))
    })
    .await?;
    let meta = Meta { updated, ..Meta::default() };
    render(&table, &id.info(), &meta, &request)
}

pub fn render(table: &Table, info: &TableInfo, meta: &Meta, request: &TableRequest) -> Result<HttpResponse, ApiError> {
    let name = format!("{}-{}", info.id.code(), years_label(&request.years));
    Ok(match request.format {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({
            "id": info.id.code(),
            "title": request.lang.pick(info.title_sv, info.title_en),
            "selection": table.selection,
            "dimensions": table.dimensions,
            "size": table.size(),
            "values": table.values,
            "status": meta.status,
            "rounding": info.rounding,
            "source": info.source,
            "notes": meta.notes.iter().cloned().chain(table.notes.iter().map(|n| request.lang.pick(&n.text_sv, &n.text_en).to_owned())).collect::<Vec<_>>(),
            "data_notes": table.notes,
            "updated": meta.updated,
        })),
        Format::JsonStat => HttpResponse::Ok().json(finsam_export::jsonstat::dataset(table, info, meta, request.lang)),
        Format::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
            .body(finsam_export::csv::write(table, meta, request.lang, request.csv)),
        Format::Xlsx => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")))
            .body(finsam_export::xlsx::write(table, info, meta, request.lang).map_err(|e| ApiError::internal(&e))?),
    })
}

fn years_label(years: &[i32]) -> String {
    match years {
        [single] => single.to_string(),
        [first, .., last] => format!("{first}-{last}"),
        [] => String::new(),
    }
}

/// Reads the query; a registrar's selection defaults to, and must be, its own förbund.
pub fn parse(query: &[(String, String)], auth: &Auth) -> Result<TableRequest, ApiError> {
    let request = parse_query(query)?;
    let selection = match (access::table_scope(&auth.0), request.selection) {
        (TableScope::Own(own), selection) => match selection {
            Selection::National => Selection::Forbund(own.to_owned()),
            Selection::Forbund(key) if key == own => Selection::Forbund(key),
            _ => return Err(ApiError::forbidden(format!("this token reads the tables of förbund {own:?} only"))),
        },
        (TableScope::Any, selection) => selection,
    };
    Ok(TableRequest { selection, ..request })
}

/// Reads the query of a table request, for any caller.
pub fn parse_query(query: &[(String, String)]) -> Result<TableRequest, ApiError> {
    parse_query_allowing(query, &[])
}

/// The same, allowing the parameters `extra` too (the caller reads them).
pub fn parse_query_allowing(query: &[(String, String)], extra: &[&str]) -> Result<TableRequest, ApiError> {
    let known: Vec<&str> = ["year", "from", "to", "county", "forbund", "format", "csv_separator", "lang"]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    params::only_known(query, &known)?;
    let years = match (params::get(query, "year"), params::get(query, "from"), params::get(query, "to")) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(ApiError::invalid_field("year", ErrorCode::YearOrSeries, "give either year, or from and to"));
        }
        (year, None, None) => vec![match year {
            Some(year) => params::year(Some(year))?,
            None => chrono::Utc::now().year() - 1,
        }],
        (None, Some(from), Some(to)) => {
            let (from, to) = (params::year(Some(from))?, params::year(Some(to))?);
            if from > to || to - from >= LONGEST_SERIES {
                return Err(ApiError::invalid_field(
                    "to",
                    ErrorCode::BadSeries,
                    format!("must be from `from` to at most {} years later", LONGEST_SERIES - 1),
                ));
            }
            (from..=to).collect()
        }
        (None, Some(_), None) => {
            return Err(ApiError::invalid_field("to", ErrorCode::Required, "a series needs both from and to"));
        }
        (None, None, Some(_)) => {
            return Err(ApiError::invalid_field("from", ErrorCode::Required, "a series needs both from and to"));
        }
    };
    let selection = match (params::get(query, "county"), params::get(query, "forbund")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_field("county", ErrorCode::CountyOrForbund, "give either county or forbund"));
        }
        (Some(county), None) => Selection::County(county.to_owned()),
        (None, Some(forbund)) => Selection::Forbund(forbund.to_owned()),
        (None, None) => Selection::National,
    };
    let format = match params::get(query, "format").unwrap_or("json") {
        "json" => Format::Json,
        "json-stat2" | "jsonstat" => Format::JsonStat,
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => {
            return Err(ApiError::invalid_field(
                "format",
                ErrorCode::UnknownFormat,
                "must be json, json-stat2, csv or xlsx",
            ));
        }
    };
    let csv = match (params::get(query, "csv_separator"), format) {
        (None, _) => Dialect::default(),
        (Some(separator), Format::Csv) => csv_dialect(separator)?,
        // A separator with another format is a mistake the answer would hide.
        (Some(_), _) => {
            return Err(ApiError::invalid_field(
                "csv_separator",
                ErrorCode::SeparatorNeedsCsv,
                "is given only with format=csv",
            ));
        }
    };
    Ok(TableRequest { years, selection, format, csv, lang: lang(query)? })
}

/// What `?csv_separator=` offers, for the OpenAPI document of every route that takes it.
pub const CSV_SEPARATOR: &str = ", (default: UTF-8, decimal point, for programs) or ; (UTF-8 with a byte-order \
     mark, decimal comma, for Excel and LibreOffice in a Swedish locale)";

/// `?csv_separator=,|;`: the CSV dialect it names.
pub fn csv_dialect(separator: &str) -> Result<Dialect, ApiError> {
    Dialect::from_separator(separator)
        .ok_or_else(|| ApiError::invalid_field("csv_separator", ErrorCode::UnknownSeparator, "must be , or ;"))
}

/// `?lang=sv|en`, Swedish by default.
pub fn lang(query: &[(String, String)]) -> Result<Lang, ApiError> {
    match params::get(query, "lang") {
        None => Ok(Lang::Sv),
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| ApiError::invalid_field("lang", ErrorCode::UnknownLang, "must be sv or en")),
    }
}

/// A county or förbund that does not exist is a mistake to report, not an empty table.
pub fn check_selection(conn: &mut diesel::PgConnection, selection: &Selection) -> Result<(), ApiError> {
    match selection {
        Selection::National => Ok(()),
        Selection::County(code) => match reference::list_counties(conn)?.iter().any(|c| &c.code == code) {
            true => Ok(()),
            false => Err(ApiError::invalid_field(
                "county",
                ErrorCode::UnknownCounty,
                format!("no county has the code {code:?}"),
            )),
        },
        Selection::Forbund(key) => match params::is_forbund_key(key) && reference::forbund_exists(conn, key)? {
            true => Ok(()),
            false => Err(ApiError::invalid_field("forbund", ErrorCode::UnknownForbund, format!("no förbund {key:?}"))),
        },
    }
}

/// A data-quality flag, for analysts to follow up.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QualityFlagBody {
    /// contributions_off_2_1_1, individual_zero_participants, missing_year_figures,
    /// equity_above_recommendation, administration_share_above_limit, closing_equity_pending or
    /// no_registration
    pub code: String,
    pub forbund_key: String,
    pub insats_id: Option<i64>,
    pub detail: String,
}

/// Data-quality flags for a year (`?year=`, default last year), nationally or for `?county=` /
/// `?forbund=` (registrars: their own förbund).
#[utoipa::path(
    tag = "tables",
    operation_id = "list_quality_flags",
    params(
        ("year" = Option<i32>, Query, description = "The year (default: last calendar year)"),
        ("county" = Option<String>, Query, description = "A county code"),
        ("forbund" = Option<String>, Query, description = "A förbund key"),
    ),
    responses(
        (status = 200, description = "The flags, by förbund", body = Vec<QualityFlagBody>),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A registrar asking beyond its förbund", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/quality")]
pub async fn quality(state: web::Data<AppState>, auth: Auth, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["year", "county", "forbund"])?;
    let request = parse(&query, &auth)?;
    let (tables, selection, year) = (state.tables.clone(), request.selection, request.years[0]);
    let flags = with_read_conn(&state, move |conn| {
        check_selection(conn, &selection)?;
        let snapshot = tables.snapshot(conn)?;
        Ok(finsam_stats::quality(&snapshot.inputs, year, &selection))
    })
    .await?;
    let body: Vec<QualityFlagBody> = flags
        .into_iter()
        .map(|f| QualityFlagBody {
            code: f.code.to_owned(),
            forbund_key: f.forbund_key,
            insats_id: f.insats_id,
            detail: f.detail,
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
