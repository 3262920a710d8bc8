//! The OpenAPI document: collected from the route annotations, so the spec and the routes
//! cannot drift; `openapi/openapi.json` holds the committed copy (a test compares them).

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::Problem;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finsam",
        description = "The national follow-up service for financial coordination of rehabilitation (Finsam). \
            Förbund register insatser, yearly figures and finances; analysts read national tables. \
            No person is ever stored: participants are counts. Errors are RFC 9457 problem details \
            (`application/problem+json`) with a stable `code` and the offending fields in `errors`.",
        version = "1.0.0",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    components(schemas(Problem, finsam_domain::FieldError)),
    modifiers(&BearerToken),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "reference", description = "Counties, municipalities, förbund and membership"),
        (name = "insatser", description = "Insatser and their yearly figures"),
        (name = "finances", description = "Förbund finances per year"),
        (name = "reporting years", description = "Submitting, closing and reopening a year; deadlines; completeness"),
        (name = "audit", description = "The history of every change"),
        (name = "tables", description = "National tables with exact figures"),
        (name = "imports", description = "Bulk upserts from the förbund's case systems, and import jobs"),
        (name = "open data", description = "The tables after disclosure control, for anyone, and the yearly export"),
    )
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Claims: sub, role (registrar | integration | analyst | admin), forbund (for registrar \
                         and integration), iss, aud, exp.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as the running service serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    api
}

/// Pretty JSON with a final newline: the form committed under `openapi/`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().expect("the OpenAPI document serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_spec_is_what_the_code_generates() {
        let committed = include_str!("../../../openapi/openapi.json");
        assert!(
            committed == super::openapi_json(),
            "openapi/openapi.json differs from the routes' spec: regenerate it with \
             `cargo run -p finsam -- openapi --out openapi/openapi.json` and commit it"
        );
    }
}
