use actix_web::{HttpResponse, get, web};
use finsam_domain::ErrorCode;
use finsam_store::reference;

use super::{params, with_conn};
use crate::error::Problem;
use crate::{ApiError, AppState};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(counties).service(municipalities).service(forbund_list).service(forbund_one);
}

type Query = web::Query<Vec<(String, String)>>;

/// Sweden's 21 counties (län).
#[utoipa::path(
    operation_id = "list_counties",
    tag = "reference",
    responses(
        (status = 200, description = "Counties by code", body = Vec<reference::County>),
        (status = 400, description = "Unknown query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/counties")]
async fn counties(state: web::Data<AppState>, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &[])?;
    let rows = with_conn(&state, |conn| Ok(reference::list_counties(conn)?)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Sweden's 290 municipalities; `?county=NN` narrows the list to one county.
#[utoipa::path(
    operation_id = "list_municipalities",
    tag = "reference",
    params(("county" = Option<String>, Query, description = "A county code, e.g. 10")),
    responses(
        (status = 200, description = "Municipalities by code", body = Vec<reference::Municipality>),
        (status = 400, description = "Unknown county or parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/municipalities")]
async fn municipalities(state: web::Data<AppState>, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["county"])?;
    let county = params::get(&query, "county").map(str::to_owned);
    let rows = with_conn(&state, move |conn| {
        if let Some(code) = &county
            && !reference::list_counties(conn)?.iter().any(|c| &c.code == code)
        {
            return Err(ApiError::invalid_field(
                "county",
                ErrorCode::UnknownCounty,
                format!("no county has the code {code:?}"),
            ));
        }
        Ok(reference::list_municipalities(conn, county.as_deref())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Every förbund with the municipalities that were members at some time during `?year=`
/// (default: the current year).
#[utoipa::path(
    operation_id = "list_forbund",
    tag = "reference",
    params(("year" = Option<i32>, Query, description = "The calendar year of the membership")),
    responses(
        (status = 200, description = "Förbund by key", body = Vec<reference::Forbund>),
        (status = 400, description = "Bad year or unknown parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forbund")]
async fn forbund_list(state: web::Data<AppState>, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["year"])?;
    let year = params::year(params::get(&query, "year"))?;
    let rows = with_conn(&state, move |conn| Ok(reference::list_forbund(conn, year)?)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// One förbund with its members during `?year=` (default: the current year).
#[utoipa::path(
    operation_id = "get_forbund",
    tag = "reference",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = Option<i32>, Query, description = "The calendar year of the membership"),
    ),
    responses(
        (status = 200, description = "The förbund", body = reference::Forbund),
        (status = 400, description = "Bad year or unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forbund/{forbund_key}")]
async fn forbund_one(
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["year"])?;
    let year = params::year(params::get(&query, "year"))?;
    let key = key.into_inner();
    if !params::is_forbund_key(&key) {
        return Err(ApiError::not_found(format!("no förbund {key:?}")));
    }
    let row = with_conn(&state, move |conn| {
        reference::get_forbund(conn, &key, year)?.ok_or_else(|| ApiError::not_found(format!("no förbund {key:?}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(row))
}
