use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, post};
use finsam_domain::access::Action;
use finsam_domain::release::{ReleaseInput, parse_release};
use finsam_store::open_releases::Release;
use serde_json::Value;
use tracing_actix_web::RequestId;

use crate::auth::Auth;
use crate::error::Problem;
use crate::open_releases;
use crate::routes::registration::store_actor;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// Publish the next release of a closed year's open statistics (`{"note": "..."}`, required, at
/// most 1000 characters). Its tables are protected together with every earlier release of the
/// year, frozen and served from then on at `/api/v1/open/…` (the latest release of each year,
/// or `?release=N`); they never change, whatever is corrected afterwards.
#[utoipa::path(
    operation_id = "publish_open_release",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    request_body(content = ReleaseInput, content_type = "application/json"),
    responses(
        (status = 201, description = "The release, published", body = Release),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The year is open (`year_not_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No note, a blank one, or one too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/years/{year}/releases")]
pub async fn publish(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ManageYears, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let value = if bytes.is_empty() { Value::Object(Default::default()) } else { body::json(&req, &bytes)? };
    let note = parse_release(&value).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (cache, threshold) = (state.open.clone(), state.disclosure_threshold);
    let release = with_conn(&state, move |conn| {
        open_releases::publish(conn, year, &note, &store_actor(&auth, &request_id), threshold, &cache)
    })
    .await?;
    Ok(HttpResponse::Created().json(release))
}
