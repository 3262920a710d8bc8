//! The start page and sign-in.

use actix_web::{HttpResponse, web};
use maud::html;

use crate::layout::{Menu, Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(start)).route("/logga-in", web::get().to(sign_in));
}

async fn start() -> HttpResponse {
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

async fn sign_in() -> HttpResponse {
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
                "organisationens inloggningstjänst skickar dig hit med token i adressens fragment ("
                code { "/logga-in#access_token=…" } "); sidan sparar den och tar bort den ur adressfältet."
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
