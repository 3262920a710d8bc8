use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use finsam_domain::access::Action;
use finsam_domain::allocation::{self, ROUNDING_RULE};
use serde_json::{Value, json};
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

fn body_or_empty(req: &HttpRequest, bytes: &Bytes) -> Result<Value, ApiError> {
    if bytes.is_empty() { Ok(Value::Object(Default::default())) } else { body::json(req, bytes) }
}

/// The decision as the API shows it: parameters, each förbund's total, version and time.
fn decision_json(decision: &finsam_store::allocations::Decision) -> Value {
    json!({
        "year": decision.year,
        "parameters": decision.parameters,
        "totals": decision.totals.iter().map(|(k, t)| json!({"forbund_key": k, "total": t})).collect::<Vec<_>>(),
        "forbund": decision.forbund,
        "version": decision.version,
        "decided_at": decision.decided_at,
    })
}

/// Compute the state's allocation of a year (admin, analyst) without storing anything: a
/// what-if. The body holds parameters (see `PUT /api/v1/allocations/{year}`); each one absent
/// or `null` is taken from the year's decided parameters, if the year is decided. Computed over
/// the stored reference statistics of `statistics_year`, the memberships of the year (with their
/// shares) and the previous year's decided allocation (damping floors and change). The answer:
/// the totals (`distributed` = frame − national support, which the förbund's totals sum to
/// exactly), and per förbund base, by försörjningsmått, by population, damping adjustment,
/// total, previous allocation, change, share and `explanation` (its municipalities with their
/// shares and figures, its key shares, its damping status). Whole kronor, largest remainder
/// (`rounding`). 422 names every parameter missing or wrong.
#[utoipa::path(
    operation_id = "calculate_allocation",
    tag = "allocation",
    params(("year" = i32, Path, description = "The allocation year")),
    request_body(content = Object, content_type = "application/json", description = "Parameters; any left out come from the decided ones"),
    responses(
        (status = 200, description = "The allocation, per förbund with its explanation", body = Object),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or analyst", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Parameters missing or wrong (each named), or inputs that cannot be allocated", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations/{year}/calculate")]
pub async fn calculate(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::CalculateAllocation, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let parameters = allocation::parse_parameters(year, &body_or_empty(&req, &bytes)?).map_err(ApiError::validation)?;
    let result = with_conn(&state, move |conn| {
        usecases::allocations::calculate(conn, &auth.acting(""), year, parameters).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({"year": year, "allocation": result, "rounding": ROUNDING_RULE})))
}

/// Decide the state's allocation of a year (admin): every parameter in the body —
/// `frame`, `national_support`, `base_amount` (whole kronor), `forsorjningsmatt_weight`,
/// `population_weight` (fractions summing to 1), `damping` (`"none"` or `{"max_fall": 0.10}`),
/// `equity_rule` (`no_effect` or `excluded_from_protection`; needed with damping) and
/// `statistics_year`. None has a default: the sources give none for today. The allocation is
/// computed and stored with the parameters (each förbund's total, for the next year's damping),
/// replacing an earlier decision; audited. 422 names every parameter missing or wrong, and
/// nothing is stored.
#[utoipa::path(
    operation_id = "put_allocation",
    tag = "allocation",
    params(("year" = i32, Path, description = "The allocation year")),
    request_body(content = Object, content_type = "application/json", description = "Every parameter"),
    responses(
        (status = 200, description = "Replaced the year's decision", body = Object),
        (status = 201, description = "The year's first decision", body = Object),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Parameters missing or wrong (each named); nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/allocations/{year}")]
pub async fn decide(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::DecideAllocation, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let parameters = allocation::parse_parameters(year, &body_or_empty(&req, &bytes)?).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (decision, result, created) = with_conn(&state, move |conn| {
        usecases::allocations::decide(conn, &auth.acting(&request_id), year, parameters).map_err(|e| auth.refused(e))
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    let mut out = decision_json(&decision);
    out["allocation"] = json!(result);
    out["rounding"] = json!(ROUNDING_RULE);
    Ok(HttpResponse::build(status).json(out))
}

/// The decided allocation of a year (admin, analyst): its parameters, each förbund's total, and
/// under `forbund` each one's parts (base, by försörjningsmått, by population, damping
/// adjustment, previous allocation) with the explanation of its computation as decided.
#[utoipa::path(
    operation_id = "get_allocation",
    tag = "allocation",
    params(("year" = i32, Path, description = "The allocation year")),
    responses(
        (status = 200, description = "The decision", body = Object),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or analyst", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The year is not decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/allocations/{year}")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::CalculateAllocation, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let decision = with_conn(&state, move |conn| {
        usecases::allocations::decided(conn, &auth.acting(""), year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(decision_json(&decision)))
}
