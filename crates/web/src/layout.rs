//! The frame of every page: head, skip link, header with the section's menu, main landmark
//! (carrying the page's parameters as `data-` attributes for its script), footer, and the
//! security headers.

use actix_web::HttpResponse;
use actix_web::http::header;
use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Kind, Orientation, Party, Role, TargetGroup};
use maud::{DOCTYPE, Markup, PreEscaped, html};

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

pub fn render(page: Page<'_>, content: Markup) -> HttpResponse {
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
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(markup.into_string())
}

fn menu(menu: &Menu<'_>, current: &str) -> Markup {
    let links: Vec<(String, &str)> = match menu {
        Menu::None => return html! {},
        Menu::Forbund { key, year } => vec![
            (format!("/forbund/{key}/insatser?ar={year}"), "Insatser"),
            (format!("/forbund/{key}/insatser/ny?ar={year}"), "Ny insats"),
            (format!("/forbund/{key}/ekonomi/{year}"), "Ekonomi"),
            (format!("/forbund/{key}/import"), "Import"),
        ],
        Menu::Analys { year } => vec![
            (format!("/analys/{year}"), "Översikt"),
            (format!("/analys/{year}/fullstandighet"), "Fullständighet"),
            (format!("/analys/{year}/datakvalitet"), "Datakvalitet"),
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
    fn list<T: Code>(name: &str) -> String {
        let entries: Vec<String> =
            T::ALL.iter().map(|v| format!("{}:{}", json_string(v.code()), json_string(v.name_sv()))).collect();
        format!("{}:{{{}}}", json_string(name), entries.join(","))
    }
    let lists = [
        list::<Kind>("kind"),
        list::<Orientation>("orientation"),
        list::<TargetGroup>("target_group"),
        list::<ExitReason>("exit_reason"),
        list::<Gender>("gender"),
        list::<Party>("party"),
        list::<Role>("role"),
    ];
    format!("{{{}}}", lists.join(","))
}

/// A JSON string that is also safe inside a `<script>` element.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_json_safe_in_a_script() {
        assert_eq!(json_string("a\"b</script>&"), "\"a\\\"b\\u003c/script\\u003e\\u0026\"");
        let names = code_names();
        assert!(names.starts_with("{\"kind\":{\"individual\":\"Individinriktad insats\""), "{names}");
        assert!(names.contains("\"work_oriented\":\"Arbetslivsinriktad\""));
        assert!(names.contains("\"gender\":{\"women\":\"Kvinnor\",\"men\":\"Män\"}"), "{names}");
        assert!(names.contains("\"role\":{\"registrar\":\"Registrerare\""), "{names}");
    }
}
