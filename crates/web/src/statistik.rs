//! The public statistics page: anyone, signed in or not, picks one of the open tables, narrows
//! it by year, region and the table's own variables, and sees a chart and a table of the
//! published figures, with suppressed cells marked, and downloads the same selection as a file.
//! The script (statistik.js) calls only the PxWeb API (`/api/v2`), without a token: the page
//! shows the open, disclosure-controlled statistics, whoever looks at it.

use actix_web::web;
use maud::html;

use crate::layout::{Menu, Page, Rendered, render};

/// The files the selection can be downloaded as: PxWeb's `outputFormat`, file ending, label.
const FORMATS: &[(&str, &str, &str)] = &[("csv", "csv", "CSV"), ("xlsx", "xlsx", "Excel (XLSX)"), ("px", "px", "PX")];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/statistik", web::get().to(statistik));
}

async fn statistik() -> Rendered {
    let content = html! {
        p.ingress {
            "Nationell statistik om finansiell samordning: insatser, deltagare och ekonomi per år, "
            "för hela landet, per län och per samordningsförbund. Du behöver inte logga in."
        }
        p {
            "Siffrorna kommer från de publicerade, fastställda uppgifterna. Antal personer som är så få "
            "att de skulle kunna peka ut någon visas inte (röjandekontroll)."
        }
        form id="urval" novalidate aria-describedby="urval-hjalp" {
            p.hjalp id="urval-hjalp" { "Välj en tabell och sedan vad den ska visa." }
            div.falt {
                label for="f-tabell" { "Tabell" }
                select id="f-tabell" name="tabell" {
                    option value="" { "Hämtar tabeller …" }
                }
            }
            // Filled from the table's metadata: a fieldset per variable.
            div id="variabler" {}
            div.knappar {
                button.knapp type="submit" id="visa" disabled { "Visa" }
            }
        }
        // What the page is doing, and the service's errors, in Swedish, read out as they come.
        div id="statistik-status" role="status" aria-live="polite" {}
        div id="statistik-fel" aria-live="assertive" {}
        section.kort id="resultat" aria-labelledby="r-resultat" hidden {
            h2 id="r-resultat" { "Resultat" }
            p id="resultat-urval" {}
            h3 id="r-diagram" { "Diagram" }
            p.hjalp id="diagram-text" {}
            div.diagram id="diagram" {}
            h3 id="r-tabell" { "Tabell" }
            // Focusable, so that a keyboard can scroll a table wider than the screen.
            div.tabell-rulla id="tabell" tabindex="0" role="region" aria-labelledby="r-tabell" {}
            div id="teckenforklaring" {
                p.hjalp { strong { "Teckenförklaring: " } }
                ul.hjalp {
                    li { strong { "." } " Värdet är skyddat (röjandekontroll): antalet personer är så litet, "
                        "eller kan räknas fram ur andra värden, att det inte visas." }
                    li { strong { ".." } " Uppgift saknas: till exempel ett förbund som inte fanns med i årets publicering." }
                }
            }
            div.nedladdning {
                span id="n-urval" { "Ladda ner urvalet:" }
                @for (format, ending, label) in FORMATS {
                    button.knapp.sekundar.liten type="button" data-format=(format) data-filandelse=(ending)
                        aria-describedby="n-urval" { "Ladda ner " (label) }
                }
            }
            div id="nedladdning-status" role="status" aria-live="polite" {}
        }
    };
    render(
        Page {
            title: "Statistik".into(),
            id: "statistik",
            script: "statistik.js",
            menu: Menu::None,
            path: "/statistik".into(),
            forbund: None,
            year: None,
            insats: None,
        },
        content,
    )
}
