use actix_web::{HttpResponse, get, web};
use finsam_store::reference;

use super::{params, with_conn};
use crate::{ApiError, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(counties).service(municipalities).service(forbund_list).service(forbund_one);
}

type Query = web::Query<Vec<(String, String)>>;

#[get("/counties")]
async fn counties(state: web::Data<AppState>, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &[])?;
    let rows = with_conn(&state, |conn| Ok(reference::list_counties(conn)?)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// `?county=NN` narrows the list to one county.
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
                "unknown_county",
                format!("no county has the code {code:?}"),
            ));
        }
        Ok(reference::list_municipalities(conn, county.as_deref())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Every förbund with the municipalities that were members at some time during `?year=`.
#[get("/forbund")]
async fn forbund_list(state: web::Data<AppState>, query: Query) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["year"])?;
    let year = params::year(params::get(&query, "year"))?;
    let rows = with_conn(&state, move |conn| Ok(reference::list_forbund(conn, year)?)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[get("/forbund/{forbund_key}")]
async fn forbund_one(
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    params::only_known(&query, &["year"])?;
    let year = params::year(params::get(&query, "year"))?;
    let key = key.into_inner();
    let row = with_conn(&state, move |conn| {
        reference::get_forbund(conn, &key, year)?.ok_or_else(|| ApiError::not_found(format!("no förbund {key:?}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(row))
}
