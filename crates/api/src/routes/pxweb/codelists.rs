//! `GET /api/v2/codelists/{id}`: the groupings of the region variable.

use actix_web::{HttpRequest, HttpResponse, get, web};
use finsam_domain::ErrorCode;
use finsam_pxweb::{PxError, codelist, jsonstat};
use finsam_stats::TableId;
use serde_json::json;

use super::source::{Source, edition};
use super::{base, count_call, ok, only_known, problem};
use crate::error::Problem;
use crate::routes::tables::lang;
use crate::routes::with_read_conn;
use crate::{ApiError, AppState};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(one);
}

/// A codelist (`CodelistResponse`): `vs_counties` (the nation and the counties), `vs_forbund`
/// (the förbund) or `agg_counties` (each county and the förbund that count in it, by the
/// latest year's membership).
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_get_codelist",
    params(
        ("id" = String, Path, description = "vs_counties, vs_forbund or agg_counties"),
        ("lang" = Option<String>, Query, description = "sv (default) or en"),
    ),
    responses(
        (status = 200, description = "The codelist", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that does not verify", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such codelist, or no table published yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/codelists/{id}")]
pub async fn one(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    only_known(&query, &["lang"], false)?;
    let (lang, base) = (lang(&query)?, base(&req));
    let id = path.into_inner();
    if !codelist::IDS.contains(&id.as_str()) {
        return Err(problem(PxError::not_found(
            "id",
            ErrorCode::UnknownCodelist,
            format!("no codelist {id:?}; the codelists are {}", codelist::IDS.join(", ")),
        )));
    }
    let edition = edition(&req).await?;
    let quota = count_call(&state, &req)?;
    let loader = state.clone();
    // Every table of an edition has the same regions; the first one's are the codelists'.
    let table = with_read_conn(&state, move |conn| {
        let source = Source::load(conn, &loader, edition)?;
        source.table(conn, &loader, TableId::OPEN[0], lang)
    })
    .await?;
    let list = codelist::all(&table.regions, lang).into_iter().find(|c| c.id == id).expect("a listed id");
    let code = jsonstat::code(lang);
    Ok(ok(quota).json(json!({
        "id": list.id,
        "label": list.label,
        "language": code,
        "languages": ["sv", "en"],
        "elimination": list.kind == codelist::Kind::Valueset && list.values.iter().any(|v| v.code == finsam_pxweb::variables::NATION),
        "eliminationValueCode": finsam_pxweb::variables::NATION,
        "type": list.kind.code(),
        "values": list.values.iter().map(|v| json!({ "code": v.code, "label": v.label, "valueMap": v.value_map })).collect::<Vec<_>>(),
        "links": [{ "rel": "self", "hreflang": code, "href": format!("{base}/codelists/{}?lang={code}", list.id) }],
    })))
}
