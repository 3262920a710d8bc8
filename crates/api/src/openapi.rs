//! The OpenAPI document: collected from the route annotations, so the spec and the routes
//! cannot drift; `openapi/openapi.json` holds the committed copy (a test compares them).

use actix_web::App;
use finsam_stats::TableId;
use std::collections::BTreeSet;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ArrayItems, Object, ObjectBuilder, SchemaType, Type,
};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::Problem;
use crate::routes::{self, params};

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
        (name = "allocation", description = "The state's allocation model: reference statistics, decided parameters, calculations"),
        (name = "annual reports", description = "Each förbund's annual report, audit and discharge, and who sent the annual report in time"),
        (name = "reports", description = "The yearly national report, generated from the tables, as HTML or PDF, and the analysts' commentary on its sections"),
        (name = "pxweb", description = "The tables through PxWeb API 2 (PxTools/PxApiSpecs, PxAPI-2.yml) under /api/v2, for R pxweb, pxwebpy and PxWeb 2: configuration, tables, JSON-stat metadata, default selections, codelists and data as json-stat2, csv, xlsx or px. With no token, the open tables from the published releases, suppressed cells with status \".\"; with an analyst's or admin's bearer token, the exact figures as registered now. Calls are limited per client (maxCallsPerTimeWindow in timeWindow seconds; X-Rate-Limit-* headers; 429 with Retry-After)."),
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
    let (_, mut api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    parameter_rules(&mut api);
    closed_bodies(&mut api);
    field_rules(&mut api);
    import_body(&mut api);
    common_responses(&mut api);
    crate::openapi_codes::describe_error_codes(&mut api);
    api
}

/// Control characters as `char::is_control` has them (Unicode Cc), which free text refuses; a
/// multi-line text allows tab, line feed and carriage return.
const CONTROL: &str = "\\u0000-\\u001f\\u007f-\\u009f";
const CONTROL_MULTILINE: &str = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f";

/// A date within the dates the service keeps (2004-01-01 to 2100-12-31), as `format: date`
/// leaves the year open.
const DATE_IN_RANGE: &str = "^(200[4-9]|20[1-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$";

/// The rules of the domain's readers on single fields of request bodies that the derived schemas
/// do not say: free text without control characters, and not blank where it is required (it is
/// trimmed first); dates within the years kept; target groups each at most once.
fn field_rules(api: &mut utoipa::openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else { return };
    // (schema, property, multi-line, required)
    const TEXTS: [(&str, &str, bool, bool); 7] = [
        ("InsatsInput", "name", false, true),
        ("InsatsInput", "external_ref", false, false),
        ("InsatsInput", "description", true, false),
        ("ReleaseInput", "note", true, true),
        ("ReopenInput", "reason", true, true),
        ("Remark", "text", true, false),
        ("Discharge", "diary_number", false, false),
    ];
    let mut edit = |schema: &str, property: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let Some(found) = components.schemas.get_mut(schema) else { return };
        let mut value = serde_json::to_value(&*found).expect("a schema serialises");
        let Some(field) = value.pointer_mut(&format!("/properties/{property}")) else { return };
        f(field);
        *found = serde_json::from_value(value).expect("an edited schema reads back");
    };
    for (schema, property, multiline, required) in TEXTS {
        let control = if multiline { CONTROL_MULTILINE } else { CONTROL };
        let pattern = match required {
            true => format!("^[^{control}]*[^\\s{control}][^{control}]*$"),
            false => format!("^[^{control}]*$"),
        };
        edit(schema, property, &|field| field["pattern"] = pattern.clone().into());
    }
    for property in ["start_date", "end_date"] {
        edit("InsatsInput", property, &|field| field["pattern"] = DATE_IN_RANGE.into());
    }
    for (schema, property) in
        [("MembershipInput", "valid_from"), ("MembershipInput", "valid_to"), ("MembershipChange", "valid_to")]
    {
        edit(schema, property, &|field| field["pattern"] = DATE_IN_RANGE.into());
    }
    edit("InsatsInput", "target_groups", &|field| field["uniqueItems"] = true.into());
    // Decimals the readers take as a string or as a JSON number (the pattern speaks of strings).
    const DECIMALS: [(&str, &str, bool); 18] = [
        ("Contributions", "state", false),
        ("Contributions", "regions", false),
        ("Contributions", "municipalities", false),
        ("Administration", "budget", false),
        ("Administration", "outcome", true),
        ("Equity", "opening", false),
        ("Equity", "closing", true),
        ("InsatsYearInput", "budget", false),
        ("InsatsYearInput", "outcome", true),
        ("AllocationWhatIf", "frame", true),
        ("AllocationWhatIf", "national_support", true),
        ("AllocationWhatIf", "base_amount", true),
        ("MoneySettingsBody", "administration_share_limit_percent", true),
        ("MoneySettingsBody", "national_support_spent", true),
        ("EquityStepBody", "contributions_up_to", true),
        ("EquityStepBody", "max_percent", false),
        ("MembershipInput", "share", true),
        ("MembershipChange", "share", false),
    ];
    for (schema, property, nullable) in DECIMALS {
        let types: &[&str] = if nullable { &["string", "number", "null"] } else { &["string", "number"] };
        edit(schema, property, &|field| field["type"] = types.into());
    }
}

/// The import's body as the import reads it: a JSON batch `{"mode", "insatser"}` (closed; each
/// row is checked on its own and a bad row is reported in the 200's `errors`, so any value is a
/// row the request accepts), or CSV. The CSV schema's pattern is the plainest batch the import
/// takes: the five required columns in this order and unquoted cells, five a line; the
/// description says the rest.
fn import_body(api: &mut utoipa::openapi::OpenApi) {
    let Some(operation) =
        api.paths.paths.get_mut("/api/v1/forbund/{forbund_key}/imports").and_then(|item| item.post.as_mut())
    else {
        return;
    };
    let cell = "[^,\\r\\n\"]*";
    let line = format!("{cell},{cell},{cell},{cell},{cell}");
    let body = serde_json::json!({
        "description": "The batch. JSON: `{\"mode\": \"atomic\" | \"partial\", \"insatser\": [...]}`, no other field; \
            each row is an insats (the fields of an insats' body, `external_ref` required, no `version`) with its \
            figures in `years`, keyed by year (the fields of a year's body, no `version`). CSV (RFC 4180): \
            a header naming `external_ref`, `name`, `kind`, `orientation` and `start_date` and any of the other \
            columns of the README in any order, then one line per insats-year with as many cells as the header \
            (the schema shows the form programs write; the README says how `;` or tab files with decimal commas, \
            Swedish column names and labels, and Windows-1252 are read). XLSX: a workbook whose first sheet (or \
            `?sheet=`) holds the same columns, read as that CSV. A batch that is none of these is a 422 as a whole; a row's problems reject that row only, in the \
            200's `errors`.",
        "required": true,
        "content": {
            "application/json": {"schema": {
                "type": "object",
                "required": ["insatser"],
                "properties": {
                    "mode": {
                        "description": "atomic (default: `?mode=`, or atomic) or partial; wins over `?mode=`",
                        "oneOf": [{"$ref": "#/components/schemas/Mode"}, {"type": "null"}]
                    },
                    "insatser": {"type": "array"}
                },
                "additionalProperties": false
            }},
            "text/csv": {"schema": {
                "type": "string",
                "pattern": format!("^external_ref,name,kind,orientation,start_date(\\r?\\n{line})*(\\r?\\n)?$"),
            }},
            (crate::routes::XLSX): {"schema": {"type": "string", "format": "binary"}}
        }
    });
    let mut body: utoipa::openapi::request_body::RequestBody =
        serde_json::from_value(body).expect("the import's body reads");
    let rows = ArrayBuilder::new()
        .items(Object::with_type(SchemaType::AnyValue))
        .max_items(Some(finsam_domain::import::MAX_ROWS))
        .description(Some(
            "The rows: insatser with their `years`. Any value is a row: one that breaks a rule is rejected alone, \
             with its problems in the summary's `errors`.",
        ))
        .build();
    if let Some(RefOr::T(Schema::Object(batch))) =
        body.content.get_mut("application/json").and_then(|json| match json {
            RefOr::T(json) => json.schema.as_mut(),
            RefOr::Ref(_) => None,
        })
    {
        batch.properties.insert("insatser".to_owned(), RefOr::T(Schema::Array(rows)));
    }
    operation.request_body = Some(RefOr::T(body));
}

/// Request bodies say what the handlers refuse: an unknown field anywhere in a body is a 422
/// (the domain's reader names it), so every object a body can hold is closed
/// (`additionalProperties: false`), and the `*Input` bodies that utoipa writes as `allOf` of a
/// record and a version (an `allOf` cannot be closed) are written out as one closed object.
/// Objects only responses use stay as they are.
fn closed_bodies(api: &mut utoipa::openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else { return };
    let schemas = &mut components.schemas;
    let inputs: Vec<String> = schemas.keys().filter(|name| name.ends_with("Input")).cloned().collect();
    for name in inputs {
        let Some(RefOr::T(Schema::AllOf(all))) = schemas.get(&name) else { continue };
        let mut merged = ObjectBuilder::new().description(all.description.clone()).build();
        for part in &all.items {
            let part = match part {
                RefOr::Ref(r) => schemas.get(r.ref_location.trim_start_matches("#/components/schemas/")),
                own => Some(own),
            };
            if let Some(RefOr::T(Schema::Object(part))) = part {
                merged.properties.extend(part.properties.clone());
                merged.required.extend(part.required.clone());
            }
        }
        schemas.insert(name, RefOr::T(Schema::Object(merged)));
    }
    let mut reachable: Vec<String> = api
        .paths
        .paths
        .values()
        .flat_map(|item| [&item.get, &item.put, &item.post, &item.delete, &item.patch])
        .flatten()
        .filter_map(|operation| operation.request_body.as_ref())
        .flat_map(|body| references(&serde_json::to_value(body).expect("a body serialises")))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = reachable.pop() {
        let Some(schema) = schemas.get_mut(&name) else { continue };
        if !seen.insert(name) {
            continue;
        }
        close(schema);
        reachable.extend(references(&serde_json::to_value(&*schema).expect("a schema serialises")));
    }
}

/// Closes the objects of `schema`, its own and those written out inside it.
fn close(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            if !object.properties.is_empty() && object.additional_properties.is_none() {
                object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
            object.properties.values_mut().for_each(close);
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                close(items);
            }
        }
        Schema::OneOf(one) => one.items.iter_mut().for_each(close),
        _ => {}
    }
}

/// The component schemas `value` refers to.
fn references(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(map) => {
            let own =
                map.get("$ref").and_then(|r| r.as_str()?.strip_prefix("#/components/schemas/")).map(str::to_owned);
            own.into_iter().chain(map.values().flat_map(references)).collect()
        }
        serde_json::Value::Array(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

/// Query parameters with a closed list of values, and the values: what the handlers accept.
const CODE_LISTS: [(&str, &[&str]); 4] = [
    ("format", &["json", "json-stat2", "csv", "xlsx"]),
    ("lang", &["sv", "en"]),
    ("csv_separator", &[",", ";"]),
    ("mode", &["atomic", "partial"]),
];

/// The rules the handlers apply to the parameters that recur across operations, written into
/// every operation that has them, from the constants the handlers check: a client (or a fuzzer)
/// reads what a valid value is instead of learning it from 400s and 404s. Years lie within
/// `params::FIRST_YEAR..=LAST_YEAR`, förbund keys have the reference data's form, table ids are
/// the catalog's, ids are positive, an `If-Match` is a version.
fn parameter_rules(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        // Open releases hold only the open tables.
        let tables: &[TableId] = if path.contains("/open/") { &TableId::OPEN } else { &TableId::ALL };
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else { continue };
                let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() else { continue };
                let in_path = parameter.parameter_in == ParameterIn::Path;
                // A header is text or absent, never `null` (utoipa writes an `Option` as nullable).
                if parameter.parameter_in == ParameterIn::Header {
                    schema.schema_type = SchemaType::Type(Type::String);
                }
                match parameter.name.as_str() {
                    "year" | "from" | "to" => {
                        schema.minimum = Some(params::FIRST_YEAR.into());
                        schema.maximum = Some(params::LAST_YEAR.into());
                    }
                    "forbund_key" | "forbund" => {
                        schema.pattern = Some(params::FORBUND_KEY_PATTERN.to_owned());
                        schema.max_length = Some(params::FORBUND_KEY_MAX_LEN);
                    }
                    "table_id" if in_path => {
                        schema.enum_values = Some(tables.iter().map(|id| id.code().into()).collect());
                    }
                    "id" if in_path => schema.minimum = Some(1.into()),
                    "valid_from" if in_path => schema.pattern = Some(DATE_IN_RANGE.to_owned()),
                    "municipality_code" if in_path => schema.pattern = Some("^[0-9]{4}$".to_owned()),
                    // The reference data's counties: any other code is a 400 `unknown_county`.
                    "county" => {
                        schema.enum_values =
                            Some(finsam_store::reference::county_codes().into_iter().map(Into::into).collect());
                    }
                    // A version, as `body::if_match` reads it: 3, "3" or W/"3".
                    "If-Match" => schema.pattern = Some("^(W/)?\"?[1-9][0-9]{0,8}\"?$".to_owned()),
                    // The yearly export of a year within the years kept.
                    "file" if in_path => schema.pattern = Some("^(200[4-9]|20[1-9][0-9]|2100)\\.zip$".to_owned()),
                    name if !in_path => {
                        if let Some((_, codes)) = CODE_LISTS.iter().find(|(list, _)| *list == name) {
                            schema.enum_values = Some(codes.iter().map(|&code| code.into()).collect());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The answers every operation of a kind gives, written once: 401 wherever a token is required,
/// 415 wherever the body is JSON (unless the operation says it otherwise, as the import does).
fn common_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let problem = |description: &str| {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        ResponseBuilder::new().description(description).content(crate::error::PROBLEM_JSON, content).build()
    };
    for item in api.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            if operation.security.is_some() {
                responses.entry("401".to_owned()).or_insert_with(|| problem("No valid token").into());
            }
            let json_body = matches!(&operation.request_body, Some(RefOr::T(body)) if body.content.contains_key("application/json"));
            if json_body {
                responses.entry("415".to_owned()).or_insert_with(|| problem("Not JSON").into());
            }
        }
    }
}

/// Pretty JSON with a final newline: the form committed under `openapi/`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().expect("the OpenAPI document serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use finsam_domain::import::Mode;
    use finsam_export::Lang;

    use super::CODE_LISTS;
    use crate::routes::tables::parse_query;

    /// Every value the document lists is one the handlers take.
    #[test]
    fn the_code_lists_are_what_the_handlers_accept() {
        for (name, codes) in CODE_LISTS {
            for &code in codes {
                let accepted = match name {
                    "format" => parse_query(&[("format".to_owned(), code.to_owned())]).is_ok(),
                    "lang" => Lang::from_code(code).is_some(),
                    "csv_separator" => parse_query(&[
                        ("format".to_owned(), "csv".to_owned()),
                        ("csv_separator".to_owned(), code.to_owned()),
                    ])
                    .is_ok(),
                    "mode" => Mode::from_code(code).is_some(),
                    other => panic!("no check for {other}"),
                };
                assert!(accepted, "{name}={code:?}");
            }
        }
    }

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
