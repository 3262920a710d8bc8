//! The frame of every page: head, skip link, header with the section's menu, main landmark
//! (carrying the page's parameters as `data-` attributes for its script), footer, and the
//! security headers.

use actix_web::HttpResponse;
use actix_web::http::header;
use finsam_domain::codes::Code;
use finsam_domain::codes::{AnnualReportTimeliness, DischargeStatus, RemarkCategory};
use finsam_domain::{ErrorCode, ExitReason, Gender, Kind, Orientation, Party, Role, TargetGroup};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::{Serialize, Serializer};

use crate::assets::asset_path;

/// Only the service's own origin, for everything; no inline script or style anywhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Which menu the header shows.
pub enum Menu<'a> {
    None,
    Forbund { key: &'a str, year: i32 },
    Analys { year: i32 },
}

pub struct Page<'a> {
    /// The `<title>` and the `<h1>`.
    pub title: String,
    /// Names the page for its script (`data-sida`).
    pub id: &'static str,
    /// The page's own module, beside the shared `finsam.js`.
    pub script: &'static str,
    pub menu: Menu<'a>,
    /// The path of this page, to mark the current menu item.
    pub path: String,
    pub forbund: Option<&'a str>,
    pub year: Option<i32>,
    pub insats: Option<i64>,
}

/// How people sign in to the pages, as the server is configured (app data; absent: development).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    /// Tokens pasted from `finsam token`: every page says so in a banner.
    Development,
    /// The organisation's identity provider, through `/auth/sign-in`; a session cookie.
    Provider,
}

impl SignInMode {
    fn code(self) -> &'static str {
        match self {
            SignInMode::Development => "utveckling",
            SignInMode::Provider => "idp",
        }
    }
}

/// Where the pages' forms may lead beyond this site (app data; absent: nowhere): the identity
/// provider's origin, whose end-session endpoint the sign-out form's POST is redirected to.
/// `form-action` covers the redirects after a form's submission too, so without it the browser
/// stops the sign-out at the provider's door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderOrigin(pub String);

/// The pages' policy, with `form-action` widened to the provider's origin when there is one.
fn content_security_policy(provider: Option<&ProviderOrigin>) -> String {
    match provider {
        Some(ProviderOrigin(origin)) => {
            CONTENT_SECURITY_POLICY.replacen("form-action 'self'", &format!("form-action 'self' {origin}"), 1)
        }
        None => CONTENT_SECURITY_POLICY.to_owned(),
    }
}

/// The frame's one part that depends on the server's configuration, filled in as the response
/// is made (the handlers render without the request).
const SIGN_IN_MARK: &str = "<!--finsam:inloggning-->";

/// A rendered page; the sign-in mode is read from the app data when it is sent.
pub struct Rendered(String);

impl actix_web::Responder for Rendered {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, req: &actix_web::HttpRequest) -> HttpResponse {
        let mode = req.app_data::<actix_web::web::Data<SignInMode>>().map_or(SignInMode::Development, |m| *m.get_ref());
        let provider = req.app_data::<actix_web::web::Data<ProviderOrigin>>();
        let banner = html! {
            span hidden id="inloggningslage" data-lage=(mode.code()) {}
            @if mode == SignInMode::Development {
                // A landmark of its own (a named region), so that no content of the page is outside one.
                section.utvecklingsbanner aria-label="Utvecklingsinloggning" {
                    p {
                        strong { "Utvecklingsinloggning. " }
                        "Tjänsten är inte kopplad till någon organisations inloggningstjänst: inloggning sker "
                        "med en token från kommandot finsam token. Använd den inte för riktiga uppgifter."
                    }
                }
            }
        };
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, content_security_policy(provider.map(|p| p.get_ref()))))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(self.0.replacen(SIGN_IN_MARK, &banner.into_string(), 1))
    }
}

pub fn render(page: Page<'_>, content: Markup) -> Rendered {
    let markup = html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " – Finsam uppföljning" }
                link rel="icon" type="image/svg+xml" href=(asset_path("ikon.svg"));
                link rel="stylesheet" href=(asset_path("finsam.css"));
                script type="module" src=(asset_path(page.script)) {}
            }
            body {
                a.hoppa href="#innehall" { "Hoppa till innehållet" }
                (PreEscaped(SIGN_IN_MARK))
                header.sidhuvud {
                    div.ram {
                        a.varumarke href="/" { "Finsam " span { "uppföljning" } }
                        (menu(&page.menu, &page.path))
                        div.anvandare id="anvandare" {}
                    }
                }
                main.ram id="innehall" tabindex="-1" data-sida=(page.id) data-forbund=[page.forbund]
                    data-ar=[page.year] data-insats=[page.insats] {
                    h1 { (page.title) }
                    div id="sidmeddelande" role="alert" {}
                    (content)
                }
                script id="koder" type="application/json" { (PreEscaped(code_names())) }
                script id="felkoder" type="application/json" { (PreEscaped(error_texts())) }
                footer.sidfot {
                    div.ram {
                        p {
                            "Nationell uppföljning av finansiell samordning (Finsam). Tjänsten lagrar inga "
                            "personer: deltagare finns bara som antal."
                        }
                        p { a href="/api/v1/docs/" { "API-dokumentation" } }
                    }
                }
            }
        }
    };
    Rendered(markup.into_string())
}

fn menu(menu: &Menu<'_>, current: &str) -> Markup {
    let links: Vec<(String, &str)> = match menu {
        Menu::None => return html! {},
        Menu::Forbund { key, year } => vec![
            (format!("/forbund/{key}/insatser?ar={year}"), "Insatser"),
            (format!("/forbund/{key}/insatser/ny?ar={year}"), "Ny insats"),
            (format!("/forbund/{key}/ekonomi/{year}"), "Ekonomi"),
            (format!("/forbund/{key}/arsredovisning/{year}"), "Årsredovisning"),
            (format!("/forbund/{key}/import"), "Import"),
        ],
        Menu::Analys { year } => vec![
            (format!("/analys/{year}"), "Översikt"),
            (format!("/analys/{year}/fullstandighet"), "Fullständighet"),
            (format!("/analys/{year}/datakvalitet"), "Datakvalitet"),
            (format!("/analys/{year}/arsredovisningar"), "Årsredovisningar"),
            (format!("/analys/{year}/fordelning"), "Medelsfördelning"),
            (format!("/analys/{year}/ekonomi"), "Statens medel och eget kapital"),
            (format!("/analys/{year}/kommentarer"), "Rapportens kommentarer"),
        ],
    };
    html! {
        nav.meny aria-label="Huvudmeny" {
            ul {
                @for (href, text) in &links {
                    @let path = href.split('?').next().unwrap_or_default();
                    li {
                        @if path == current {
                            a href=(href) aria-current="page" { (text) }
                        } @else {
                            a href=(href) { (text) }
                        }
                    }
                }
            }
        }
    }
}

/// The code lists' Swedish names as JSON for the scripts: one source, the domain crate.
fn code_names() -> String {
    fn list<T: Code>() -> Object<&'static str> {
        Object(T::ALL.iter().map(|v| (v.code(), v.name_sv())).collect())
    }
    script_json(&Object(vec![
        ("kind", list::<Kind>()),
        ("orientation", list::<Orientation>()),
        ("target_group", list::<TargetGroup>()),
        ("exit_reason", list::<ExitReason>()),
        ("gender", list::<Gender>()),
        ("party", list::<Party>()),
        ("role", list::<Role>()),
        ("discharge_status", list::<DischargeStatus>()),
        ("remark_category", list::<RemarkCategory>()),
        ("annual_report_timeliness", list::<AnnualReportTimeliness>()),
        // Which roles act for one förbund (and start on its pages): the domain decides.
        (
            "role_scope",
            Object(
                Role::ALL.iter().map(|r| (r.code(), if r.needs_forbund() { "forbund" } else { "national" })).collect(),
            ),
        ),
    ]))
}

/// The Swedish sentence for every error code, as JSON for the scripts (meddelanden.js): the
/// texts live with the codes in the domain crate.
fn error_texts() -> String {
    script_json(&Object(ErrorCode::ALL.iter().map(|code| (code.as_str(), code.text_sv())).collect()))
}

/// Pairs as a JSON object in their own order (a serde_json map would sort them by key), so the
/// lists keep the domain crate's order.
struct Object<V>(Vec<(&'static str, V)>);

impl<V: Serialize> Serialize for Object<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// JSON by serde_json that is also safe inside a `<script>` element: `<`, `>` and `&` can only
/// stand inside strings there, and as escapes no `</script>` or `<!--` can end or alter the element.
fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("string keys and values always serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_may_lead_to_the_provider_only_when_there_is_one() {
        assert_eq!(content_security_policy(None), CONTENT_SECURITY_POLICY);
        let widened = content_security_policy(Some(&ProviderOrigin("https://idp.example".into())));
        assert!(widened.contains("; form-action 'self' https://idp.example; "), "{widened}");
        assert_eq!(widened.replace(" https://idp.example", ""), CONTENT_SECURITY_POLICY);
    }

    #[test]
    fn code_names_are_json_safe_in_a_script() {
        assert_eq!(script_json(&"a\"b</script>&\n"), r#""a\"b\u003c/script\u003e\u0026\n""#);
        let parsed: serde_json::Value = serde_json::from_str(&script_json(&"</script><!--&")).unwrap();
        assert_eq!(parsed, "</script><!--&");
        let names = code_names();
        assert!(names.starts_with("{\"kind\":{\"individual\":\"Individinriktad insats\""), "{names}");
        assert!(names.contains("\"work_oriented\":\"Arbetslivsinriktad\""));
        assert!(names.contains("\"gender\":{\"women\":\"Kvinnor\",\"men\":\"Män\"}"), "{names}");
        assert!(names.contains("\"role\":{\"registrar\":\"Registrerare\""), "{names}");
    }

    #[test]
    fn every_error_code_reaches_the_pages_with_its_swedish_text() {
        let texts: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&error_texts()).unwrap();
        assert_eq!(texts.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            assert_eq!(texts[code.as_str()], code.text_sv(), "{code}");
        }
    }
}
