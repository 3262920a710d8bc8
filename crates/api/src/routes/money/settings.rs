//! A year's money settings: what no source gives a number for, so an admin sets it.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, put};
use finsam_domain::access::Action;
use finsam_domain::money_settings::{self, MoneySettings};
use finsam_store::money_settings::StoredSettings;
use serde_json::{Value, json};
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// One step of the national council's recommendation.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EquityStepBody {
    /// The step covers a förbund whose total member contributions of the year are at most this
    /// (SEK); `null` on the last step only. The limits rise from step to step.
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$", example = "15000000")]
    contributions_up_to: Option<String>,
    /// The closing equity the step allows, in percent of the year's contributions (0–100, at
    /// most two decimals); it must not rise from step to step.
    #[schema(value_type = String, pattern = "^(100(\\.0{1,2})?|[0-9]{1,2}(\\.[0-9]{1,2})?)$", example = "20")]
    max_percent: String,
}

/// A year's money settings; each field `null` or absent is not set.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MoneySettingsBody {
    /// The recommendation's steps ("trappa"), 1 to 20, the last with no limit.
    #[schema(min_items = 1, max_items = 20)]
    equity_recommendation: Option<Vec<EquityStepBody>>,
    /// Above this share of the costs (budget, or outcome when every outcome is given) a
    /// förbund's administration is flagged, percent.
    #[schema(value_type = Option<String>, pattern = "^(100(\\.0{1,2})?|[0-9]{1,2}(\\.[0-9]{1,2})?)$", example = "30")]
    administration_share_limit_percent: Option<String>,
    /// What of the national support was spent, SEK (the state's ledger).
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$", example = "1930000.00")]
    national_support_spent: Option<String>,
}

fn settings_json(year: i32, stored: Option<&StoredSettings>) -> Value {
    match stored {
        Some(stored) => json!(stored),
        None => {
            let mut unset = json!(MoneySettings::unset(year));
            unset["version"] = json!(0);
            unset
        }
    }
}

/// A year's money settings (admin, analyst). A year with none set answers every setting `null`
/// and version 0: none has a default, as no source gives one.
#[utoipa::path(
    operation_id = "get_money_settings",
    tag = "allocation",
    params(("year" = i32, Path, description = "The year the settings are for")),
    responses(
        (status = 200, description = "The settings", body = Object),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or analyst", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/money-settings/{year}")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ReadMoneySettings, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let stored = with_conn(&state, move |conn| {
        usecases::money_settings::get(conn, &auth.acting(""), year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(settings_json(year, stored.as_ref())))
}

/// Set a year's money settings (admin), replacing what was set; audited. `equity_recommendation`:
/// the national council's steps, each `contributions_up_to` (SEK, inclusive; `null` on the last)
/// and `max_percent`: the equity assessment (table `equity-by-forbund`, quality flag
/// `equity_above_recommendation`) uses them. `administration_share_limit_percent`: the quality
/// flag `administration_share_above_limit`. `national_support_spent`: the table `state-funds`.
/// 422 names every field wrong, and nothing is stored.
#[utoipa::path(
    operation_id = "put_money_settings",
    tag = "allocation",
    params(("year" = i32, Path, description = "The year the settings are for")),
    request_body(content = MoneySettingsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced the year's settings", body = Object),
        (status = 201, description = "The year's first settings", body = Object),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A setting wrong (each named); nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/money-settings/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::SetMoneySettings, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let settings = money_settings::parse(year, &body::json(&req, &bytes)?).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (stored, created) = with_conn(&state, move |conn| {
        usecases::money_settings::put(conn, &auth.acting(&request_id), &settings).map_err(|e| auth.refused(e))
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(settings_json(year, Some(&stored))))
}
