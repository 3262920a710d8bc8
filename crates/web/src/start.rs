//! The start page and sign-in.

use actix_web::http::header;
use actix_web::{Either, HttpRequest, HttpResponse, web};
use maud::html;

use crate::layout::{Menu, Page, Rendered, SignInMode, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(start))
        .route("/logga-in", web::get().to(sign_in))
        .route("/ingen-behorighet", web::get().to(no_role));
}

async fn start() -> Rendered {
    let content = html! {
        p.ingress {
            "Här registrerar samordningsförbunden sina insatser, deltagare och sin ekonomi för "
            "verksamhetsåret, och Försäkringskassans analytiker följer upp de nationella tabellerna."
        }
        div id="mina-sidor" {
            p { a.knapp href="/logga-in" { "Logga in" } }
        }
        div.kort-rad {
            section.kort aria-labelledby="rubrik-forbund" {
                h2 id="rubrik-forbund" { "För samordningsförbund" }
                p { "Registrera insatser och deras årsuppgifter, förbundets ekonomi, importera från "
                    "verksamhetssystemet och lämna in verksamhetsåret." }
            }
            section.kort aria-labelledby="rubrik-analys" {
                h2 id="rubrik-analys" { "För analytiker" }
                p { "Nationella tabeller och diagram per år, län och förbund, nedladdning i alla format, "
                    "vilka förbund som inte har rapporterat och datakvalitet." }
            }
            section.kort aria-labelledby="rubrik-statistik" {
                h2 id="rubrik-statistik" { "För alla" }
                p { "Den publicerade statistiken om insatser, deltagare och ekonomi, för hela landet, per län "
                    "och per förbund, i diagram och tabeller och att ladda ner. Ingen inloggning behövs." }
                p { a.knapp.sekundar href="/statistik" { "Statistik" } }
            }
        }
    };
    render(
        Page {
            title: "Finsam uppföljning".into(),
            id: "start",
            script: "start.js",
            menu: Menu::None,
            path: "/".into(),
            forbund: None,
            year: Some(crate::default_year()),
            insats: None,
        },
        content,
    )
}

/// With an identity provider, sign-in is the provider's: on to `/auth/sign-in`, with the page
/// to come back to (`/auth/sign-in` accepts only paths of this site).
async fn sign_in(req: HttpRequest, query: web::Query<Vec<(String, String)>>) -> Either<Rendered, HttpResponse> {
    if req.app_data::<web::Data<SignInMode>>().is_some_and(|mode| *mode.get_ref() == SignInMode::Provider) {
        let back = query.iter().find(|(k, _)| k == "tillbaka").map_or("/", |(_, v)| v.as_str());
        let location = format!("/auth/sign-in?return={}", encode(back));
        return Either::Right(HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish());
    }
    Either::Left(development_sign_in())
}

/// A query value, percent-encoded but for the unreserved characters (RFC 3986 §2.3).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signed in at the provider, but no role here: what it means and how to get access, nothing else.
async fn no_role() -> Rendered {
    let content = html! {
        p.ingress {
            "Du är inloggad hos din organisation, men du har ingen behörighet i Finsam uppföljning."
        }
        h2 { "Så får du behörighet" }
        ul {
            li { "Arbetar du på ett samordningsförbund: be förbundets förbundschef eller den som administrerar "
                "behörigheter i er organisation att ge dig rollen registrerare för ert förbund." }
            li { "Arbetar du med den nationella uppföljningen på Försäkringskassan: be den som administrerar "
                "behörigheter för Finsam uppföljning att ge dig rollen analytiker." }
        }
        p { "När du har fått behörighet loggar du in på nytt." }
    };
    render(
        Page {
            title: "Ingen behörighet".into(),
            id: "ingen-behorighet",
            script: "start.js",
            menu: Menu::None,
            path: "/ingen-behorighet".into(),
            forbund: None,
            year: None,
            insats: None,
        },
        content,
    )
}

fn development_sign_in() -> Rendered {
    let content = html! {
        form id="inloggning" novalidate {
            div.falt data-path="token" {
                label for="f-token" { "Inloggningstoken (JWT)" }
                p.hjalp id="h-token" {
                    "Klistra in den token du fått. Den sparas bara i den här webbläsarflikens "
                    "sessionslagring och skickas till tjänstens API i varje anrop."
                }
                textarea id="f-token" name="token" rows="5" autocomplete="off" spellcheck="false"
                    aria-describedby="h-token" required {}
            }
            div.knappar { button.knapp type="submit" { "Logga in" } }
        }
        details.hjalpruta {
            summary { "Var får jag en token?" }
            p {
                strong { "I utvecklingsmiljö: " }
                "skapa en med kommandot "
                code { "finsam token --role registrar --forbund <förbundsnyckel> --data-dir <mapp>" }
                " (eller " code { "--role analyst" } "), med samma datamapp eller "
                code { "FINSAM_JWT_SECRET" } " som servern."
            }
            p {
                strong { "I drift: " }
                "tjänsten kopplas till organisationens inloggningstjänst (OpenID Connect), och "
                "inloggningen sker där i stället för här."
            }
        }
    };
    render(
        Page {
            title: "Logga in".into(),
            id: "logga-in",
            script: "start.js",
            menu: Menu::None,
            path: "/logga-in".into(),
            forbund: None,
            year: Some(crate::default_year()),
            insats: None,
        },
        content,
    )
}
