//! The error codes in the OpenAPI document: `Problem.code` and the field errors' `code` list
//! every code with its meaning, from the one list in `finsam_domain::ErrorCode`.

use finsam_domain::ErrorCode;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

pub(crate) fn describe_error_codes(api: &mut OpenApi) {
    let list: String =
        ErrorCode::ALL.iter().map(|code| format!("\n- `{}`: {}", code.as_str(), code.meaning())).collect();
    let Some(components) = api.components.as_mut() else { return };
    for (schema, field, lead) in [
        ("Problem", "code", "The stable code clients act on (the `type` is `urn:finsam:problem:<code>`). One of:"),
        ("FieldError", "code", "The rule the field breaks. One of the codes listed under `Problem.code`."),
        ("RowError", "code", "The rule the row breaks. One of the codes listed under `Problem.code`."),
    ] {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else { continue };
        let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut(field) else { continue };
        property.description = Some(if schema == "Problem" { format!("{lead}{list}") } else { lead.to_owned() });
    }
}

#[cfg(test)]
mod tests {
    use finsam_domain::ErrorCode;

    #[test]
    fn the_document_lists_every_error_code_with_its_meaning() {
        let api = crate::openapi::openapi();
        let json = serde_json::to_value(&api).unwrap();
        let description =
            json["components"]["schemas"]["Problem"]["properties"]["code"]["description"].as_str().unwrap();
        for code in ErrorCode::ALL {
            assert!(description.contains(&format!("`{}`: {}", code.as_str(), code.meaning())), "{code}");
        }
        let field = &json["components"]["schemas"]["FieldError"]["properties"]["code"]["description"];
        assert!(field.as_str().unwrap().contains("Problem.code"), "{field}");
    }
}
