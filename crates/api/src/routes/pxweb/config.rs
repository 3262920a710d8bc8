//! `GET /api/v2/config`: what a client needs before it asks for data.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

use super::{BASE, PxWebSettings};
use crate::error::Problem;
use crate::{ApiError, AppState};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(config);
}

/// `ConfigResponse` of the specification.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigResponse {
    /// The version of the specification kept to.
    #[schema(example = "2.0.0")]
    pub api_version: String,
    pub app_version: String,
    pub languages: Vec<Language>,
    pub default_language: String,
    /// The most cells one data request may select.
    pub max_data_cells: usize,
    /// Calls per client in `timeWindow` seconds (`/config` itself not counted).
    pub max_calls_per_time_window: u32,
    pub time_window: u64,
    /// The licence of the open tables, as the operator set it (`--open-data-license`); "not
    /// set" until then.
    pub license: String,
    pub source_references: Vec<SourceReference>,
    pub default_data_format: String,
    pub data_formats: Vec<String>,
    pub features: Vec<Feature>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Language {
    pub id: String,
    pub label: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceReference {
    pub language: String,
    pub text: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Feature {
    pub id: String,
    pub params: Vec<KeyValue>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// The formats data comes in, the default first.
pub const DATA_FORMATS: [&str; 4] = ["json-stat2", "csv", "xlsx", "px"];

/// The API's languages, limits, licence and formats.
#[utoipa::path(
    tag = "pxweb",
    operation_id = "pxweb_config",
    responses(
        (status = 200, description = "The configuration", body = ConfigResponse),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/config")]
pub async fn config(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    super::only_known(&query, &["lang"], false)?;
    let quota = state.pxweb.calls.peek(&super::client(&req));
    Ok(super::ok(quota).json(response(&state.pxweb)))
}

fn response(settings: &PxWebSettings) -> ConfigResponse {
    let pair = |key: &str, value: &str| KeyValue { key: key.to_owned(), value: value.to_owned() };
    ConfigResponse {
        api_version: "2.0.0".to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        languages: vec![
            Language { id: "sv".to_owned(), label: "Svenska".to_owned() },
            Language { id: "en".to_owned(), label: "English".to_owned() },
        ],
        default_language: "sv".to_owned(),
        max_data_cells: settings.max_data_cells,
        max_calls_per_time_window: settings.calls.limit(),
        time_window: settings.calls.window().as_secs(),
        license: settings.license.clone().unwrap_or_else(|| "not set".to_owned()),
        source_references: vec![
            SourceReference {
                language: "sv".to_owned(),
                text: "Källa: Uppföljning av finansiell samordning (finsam)".to_owned(),
            },
            SourceReference {
                language: "en".to_owned(),
                text: "Source: Follow-up of financial coordination (finsam)".to_owned(),
            },
        ],
        default_data_format: DATA_FORMATS[0].to_owned(),
        data_formats: DATA_FORMATS.iter().map(|f| (*f).to_owned()).collect(),
        features: vec![Feature {
            id: "exact-tables".to_owned(),
            params: vec![pair("authorization", "Bearer token of an analyst or admin"), pair("base", BASE)],
        }],
    }
}
