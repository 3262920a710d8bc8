//! The annual report, audit and discharge (issue 17): a förbund's registrars enter the dates,
//! each member's auditors' report and discharge and the auditors' remarks; analysts and admins
//! follow every förbund's annual report of a year, with who sent it within three months of the
//! year's end. As on the other pages, each field's wrapper names the JSON pointer the API uses
//! for it (`data-path`), and the script (`arsredovisning.js`) fills in the members of the year.

use actix_web::web;
use finsam_domain::codes::{Code, RemarkCategory};
use maud::{Markup, html};

use crate::layout::{Menu, Page, Rendered, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forbund/{forbund_key}/arsredovisning/{year:\\d{4}}", web::get().to(annual_report))
        .route("/analys/{year:\\d{4}}/arsredovisningar", web::get().to(follow_up));
}

/// A date field with its format as help.
fn date_input(path: &str, id: &str, label: &str) -> Markup {
    html! {
        div.falt data-path=(path) {
            label for=(id) { (label) }
            p.hjalp id=(format!("h-{id}")) { "ÅÅÅÅ-MM-DD, tomt om det inte har skett än" }
            input id=(id) name=(path) type="text" inputmode="numeric" autocomplete="off" aria-describedby=(format!("h-{id}"));
        }
    }
}

async fn annual_report(path: web::Path<(String, i32)>) -> Rendered {
    let (key, year) = path.into_inner();
    let content = html! {
        form.filter id="ar-val" aria-label="Välj år" {
            div.falt {
                label for="f-arsredovisning-ar" { "Verksamhetsår" }
                input id="f-arsredovisning-ar" type="number" min="2004" max="2100" value=(year);
            }
        }
        form id="arsredovisning-form" novalidate aria-labelledby="rubrik-arsredovisning" {
            h2 id="rubrik-arsredovisning" { "Årsredovisning för " (year) }
            div.fel-sammanfattning hidden tabindex="-1" {}
            p.hjalp {
                "Styrelsen ska upprätta årsredovisningen inom tre månader efter årets slut. En årsredovisning "
                "som har kommit in till Försäkringskassan senast 31 mars " (year + 1) " är i tid."
            }
            div.rad {
                (date_input("/adopted_on", "f-adopted_on", "Fastställd av styrelsen"))
                (date_input("/received_on", "f-received_on", "Inkommen till Försäkringskassan"))
            }
            fieldset.falt data-path="/members" {
                legend { "Revision och ansvarsfrihet per medlem" }
                p.hjalp {
                    "Varje medlem beslutar om ansvarsfrihet för styrelsen när dess revisorers revisionsberättelse "
                    "har kommit in. Försäkringskassan beslutar för staten när alla revisionsberättelser har kommit in."
                }
                div id="medlemmar" { p { "Hämtar medlemmarna …" } }
            }
            fieldset.falt data-path="/remarks" {
                legend { "Revisorernas anmärkningar" }
                div.kryssrutor {
                    @for category in RemarkCategory::ALL.iter().filter(|c| **c != RemarkCategory::Other) {
                        div.kryss {
                            input id=(format!("f-anm-{}", category.code())) type="checkbox" name="/remarks"
                                value=(category.code());
                            label for=(format!("f-anm-{}", category.code())) { (category.name_sv()) }
                        }
                    }
                }
                p.hjalp id="h-andra" { "Andra anmärkningar med egen text. Skriv aldrig personnummer eller annat som pekar ut en person." }
                div id="andra-anmarkningar" {}
                div.knappar {
                    button.knapp.sekundar.liten type="button" id="ny-anmarkning" { "Lägg till en annan anmärkning" }
                }
            }
            div.knappar { button.knapp type="submit" { "Spara årsredovisningen" } }
            p.formstatus role="status" aria-live="polite" {}
            div id="arsredovisning-resultat" aria-live="polite" {}
        }
    };
    let page = Page {
        title: format!("Årsredovisning {year}"),
        id: "arsredovisning",
        script: "arsredovisning.js",
        menu: Menu::Forbund { key: &key, year },
        path: format!("/forbund/{key}/arsredovisning/{year}"),
        forbund: Some(&key),
        year: Some(year),
        insats: None,
    };
    render(page, content)
}

async fn follow_up(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        form.filter id="urval" aria-label="Välj år" {
            div.falt {
                label for="f-ar" { "År" }
                input id="f-ar" type="number" min="2004" max="2100" value=(year);
            }
            div.knappar { button.knapp type="submit" { "Visa" } }
        }
        p {
            "Förbundens årsredovisningar för " (year) ": om årsredovisningen har kommit in inom tre månader "
            "efter årets slut (senast 31 mars " (year + 1) "), revisionsberättelser, ansvarsfrihet och "
            "revisorernas anmärkningar."
        }
        section.kort aria-labelledby="rubrik-summa" {
            h2 id="rubrik-summa" { "Sammanfattning" }
            div id="arsredovisningar-summa" aria-live="polite" {}
        }
        div.falt.kryss {
            input id="f-bara-ej-i-tid" type="checkbox";
            label for="f-bara-ej-i-tid" { "Visa bara förbund vars årsredovisning saknas eller kom in sent" }
        }
        p id="antal" role="status" aria-live="polite" {}
        div.tabell-rulla {
            table id="arsredovisningar" {
                caption { "Årsredovisningar för " (year) }
                thead {
                    tr {
                        th scope="col" { "Samordningsförbund" }
                        th scope="col" { "Läge" }
                        th scope="col" { "Fastställd" }
                        th scope="col" { "Inkommen" }
                        th scope="col" { "Revisionsberättelser" }
                        th scope="col" { "Ansvarsfrihet" }
                        th scope="col" { "Anmärkningar" }
                    }
                }
                tbody {}
            }
        }
    };
    let page = Page {
        title: format!("Årsredovisningar {year}"),
        id: "arsredovisningar",
        script: "arsredovisning.js",
        menu: Menu::Analys { year },
        path: format!("/analys/{year}/arsredovisningar"),
        forbund: None,
        year: Some(year),
        insats: None,
    };
    render(page, content)
}
