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
    request_body(content = AllocationWhatIf, content_type = "application/json", description = "Parameters; any left out come from the decided ones"),
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
    request_body(content = AllocationDecision, content_type = "application/json", description = "Every parameter the model needs; none has a default"),
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

/// The request bodies as the OpenAPI document describes them. The handlers read the bodies with
/// `allocation::parse_parameters`, which also takes JSON numbers for the amounts and fractions
/// and treats `null` as "not set"; the document names the plainest form.
mod body_schema {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{
        AdditionalProperties, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
    };

    use crate::routes::params::{FIRST_YEAR, LAST_YEAR};

    /// Whole, non-negative kronor.
    const KRONOR: &str = "^[0-9]{1,14}(\\.0{1,2})?$";
    /// A fraction from 0 to 1.
    const FRACTION: &str = "^(0(\\.[0-9]{1,4})?|1(\\.0{1,4})?)$";

    /// Every parameter but the equity rule, which only damping needs.
    const ALWAYS: [&str; 7] = [
        "frame",
        "national_support",
        "base_amount",
        "forsorjningsmatt_weight",
        "population_weight",
        "damping",
        "statistics_year",
    ];

    /// Which values `damping` may take in a schema.
    #[derive(Clone, Copy)]
    enum DampingForm {
        None,
        MaxFall,
        Either,
    }

    fn typed(kind: Type, nullable: bool) -> ObjectBuilder {
        let kind = if nullable { SchemaType::from_iter([kind, Type::Null]) } else { SchemaType::Type(kind) };
        ObjectBuilder::new().schema_type(kind)
    }

    fn text(pattern: &str, example: &str, description: &str, nullable: bool) -> RefOr<Schema> {
        typed(Type::String, nullable)
            .pattern(Some(pattern))
            .examples([example])
            .description(Some(description))
            .build()
            .into()
    }

    fn closed(mut object: Object) -> Object {
        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        object
    }

    fn damping(form: DampingForm, nullable: bool) -> RefOr<Schema> {
        let description = "Whether, and how far, a förbund's allocation may fall from the previous year's: \
             \"none\", or {\"max_fall\": <fraction from 0 to 1>}";
        let none = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["none"]));
        let max_fall = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("max_fall", text(FRACTION, "0.10", "The largest fall allowed, a fraction from 0 to 1", false))
            .required("max_fall");
        match form {
            DampingForm::None => none.description(Some(description)).build().into(),
            DampingForm::MaxFall => closed(max_fall.description(Some(description)).build()).into(),
            DampingForm::Either => {
                let mut one_of = OneOfBuilder::new().item(none.build()).item(closed(max_fall.build()));
                if nullable {
                    one_of = one_of.item(ObjectBuilder::new().schema_type(Type::Null).build());
                }
                RefOr::T(Schema::OneOf(one_of.description(Some(description)).build()))
            }
        }
    }

    /// The parameters' object: `required` are the ones it must hold; `nullable` lets a value be
    /// `null`, "not set".
    fn parameters(title: &str, required: &[&str], form: DampingForm, nullable: bool) -> Object {
        let equity_rules = ["no_effect", "excluded_from_protection"].map(serde_json::Value::from);
        let equity_rule = typed(Type::String, nullable)
            .enum_values(Some(equity_rules.into_iter().chain(nullable.then_some(serde_json::Value::Null))))
            .description(Some(
                "How equity above the national council's recommendation affects damping: no_effect, or \
                 excluded_from_protection (such förbund are not protected); needed when there is damping",
            ));
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .title(Some(title))
            .property("frame", text(KRONOR, "339000000", "The state's money for the year, whole kronor", nullable))
            .property(
                "national_support",
                text(KRONOR, "3000000", "Taken off the frame before anything is distributed, whole kronor", nullable),
            )
            .property("base_amount", text(KRONOR, "400000", "What every förbund gets first, whole kronor", nullable))
            .property(
                "forsorjningsmatt_weight",
                text(
                    FRACTION,
                    "0.75",
                    "The share of what is left after the base amounts that försörjningsmått distributes; the \
                     two weights sum to 1",
                    nullable,
                ),
            )
            .property(
                "population_weight",
                text(FRACTION, "0.25", "The share that inhabitants aged 16–64 distribute", nullable),
            )
            .property("damping", damping(form, nullable))
            .property("equity_rule", equity_rule.build())
            .property(
                "statistics_year",
                typed(Type::Integer, nullable)
                    .minimum(Some(FIRST_YEAR))
                    .maximum(Some(LAST_YEAR))
                    .description(Some("The year of the reference statistics the keys use"))
                    .build(),
            );
        for name in required {
            object = object.required(*name);
        }
        closed(object.build())
    }

    /// The decision's body (`PUT /api/v1/allocations/{year}`): every parameter the model needs,
    /// with no default; the equity rule is needed only with damping.
    pub struct AllocationDecision;

    impl utoipa::PartialSchema for AllocationDecision {
        fn schema() -> RefOr<Schema> {
            let mut every = ALWAYS.to_vec();
            every.push("equity_rule");
            let one_of = OneOfBuilder::new()
                .item(parameters("Without damping", &ALWAYS, DampingForm::None, false))
                .item(parameters("With damping", &every, DampingForm::MaxFall, false))
                .description(Some(
                    "Every parameter of the allocation year; none has a default. Rules between them are in the \
                     operation's description (the weights sum to 1, the national support is less than the frame, \
                     the statistics year has statistics imported) and a 422 names each one broken.",
                ))
                .build();
            RefOr::T(Schema::OneOf(one_of))
        }
    }

    impl utoipa::ToSchema for AllocationDecision {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("AllocationDecision")
        }
    }

    /// A what-if's body (`POST /api/v1/allocations/{year}/calculate`): any of the parameters;
    /// one left out or `null` is taken from the year's decision.
    pub struct AllocationWhatIf;

    impl utoipa::PartialSchema for AllocationWhatIf {
        fn schema() -> RefOr<Schema> {
            let mut object = parameters("What-if", &[], DampingForm::Either, true);
            object.description = Some(
                "Any of the decision's parameters; each one left out or null is taken from the year's decided \
                 parameters, if the year is decided."
                    .to_owned(),
            );
            object.into()
        }
    }

    impl utoipa::ToSchema for AllocationWhatIf {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("AllocationWhatIf")
        }
    }
}

pub use body_schema::{AllocationDecision, AllocationWhatIf};
