//! The state's money and the förbund's equity for admins and analysts (`/analys/{year}/ekonomi`):
//! the ledger of the state's funds (table `state-funds`), each förbund's equity against the
//! recommendation's steps (`equity-by-forbund`), the administration's share nationally
//! (`administration-share`), each with download links, and for an admin the year's money
//! settings (`PUT /api/v1/money-settings/{year}`). A setting left empty is not set: the sources
//! give no numbers, so the page never invents one. Each field's wrapper names the body's JSON
//! pointer (`data-path`), so that the API's errors land beside the right field.

use actix_web::web;
use maud::{Markup, html};

use crate::layout::{Menu, Page, Rendered, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/analys/{year:\\d{4}}/ekonomi", web::get().to(money));
}

/// The tables of the page: the table API's id, the section's id and its heading.
pub const TABLES: &[(&str, &str, &str)] = &[
    ("state-funds", "statens-medel", "Statens medel"),
    ("equity-by-forbund", "eget-kapital", "Eget kapital mot rekommendationen"),
    ("administration-share", "administration", "Administrationens andel"),
];

const FORMATS: &[(&str, &str)] = &[("csv", "CSV"), ("xlsx", "XLSX")];

fn downloads(table: &str, section: &str) -> Markup {
    html! {
        div.nedladdning {
            span id=(format!("n-{section}")) { "Ladda ner tabellen:" }
            @for (format, label) in FORMATS {
                button.knapp.sekundar.liten type="button" data-tabell=(table) data-format=(format)
                    aria-describedby=(format!("n-{section} r-{section}")) { (label) }
            }
        }
    }
}

fn section(table: &str, id: &str, heading: &str, body: Markup) -> Markup {
    html! {
        section.kort id=(id) aria-labelledby=(format!("r-{id}")) data-tabell=(table) {
            h2 id=(format!("r-{id}")) { (heading) }
            (body)
            div.anteckningar id=(format!("noter-{id}")) aria-live="polite" {}
            (downloads(table, id))
        }
    }
}

fn settings_form(year: i32) -> Markup {
    html! {
        form id="ekonomi-form" novalidate aria-labelledby="rubrik-installningar" hidden {
            h2 id="rubrik-installningar" { "Inställningar för " (year) }
            p.hjalp {
                "Ett tomt fält betyder att uppgiften inte är satt. Källorna ger inga standardvärden."
            }
            div.fel-sammanfattning hidden tabindex="-1" {}
            fieldset.falt data-path="/equity_recommendation" {
                legend { "Rekommendation för eget kapital (trappa)" }
                p.hjalp id="h-trappa" {
                    "Högst så många procent av medlemsbidragen får det egna kapitalet vara, efter "
                    "medlemsbidragens storlek. Gränserna ska stiga och procentsatserna får inte öka; det "
                    "sista steget har ingen övre gräns. Utan steg bedöms inget förbund."
                }
                div id="steg" {}
                p id="inga-steg" { "Ingen rekommendation är satt." }
                div.knappar {
                    button.knapp.sekundar.liten id="lagg-till-steg" type="button" { "Lägg till steg" }
                }
            }
            div.rad {
                div.falt data-path="/administration_share_limit_percent" {
                    label for="f-admin-limit" { "Gräns för administrationens andel (%)" }
                    p.hjalp id="h-f-admin-limit" { "Andel av förbundets kostnader, t.ex. 30." }
                    input id="f-admin-limit" name="administration_share_limit_percent" type="text"
                        inputmode="decimal" autocomplete="off" aria-describedby="h-f-admin-limit";
                }
                div.falt data-path="/national_support_spent" {
                    label for="f-national-support-spent" { "Använt nationellt stöd (kr)" }
                    p.hjalp id="h-f-national-support-spent" { "Det som av det nationella stödet har använts under året." }
                    input id="f-national-support-spent" name="national_support_spent" type="text"
                        inputmode="decimal" autocomplete="off" aria-describedby="h-f-national-support-spent";
                }
            }
            div.knappar {
                button.knapp type="submit" { "Spara" }
            }
            p.formstatus role="status" aria-live="polite" {}
        }
    }
}

async fn money(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let [(ledger, ledger_id, ledger_heading), (equity, equity_id, equity_heading), (admin, admin_id, admin_heading)] =
        TABLES
    else {
        unreachable!("three tables")
    };
    let content = html! {
        p.ingress {
            "Hur statens medel för året har använts, och förbundens eget kapital mot "
            "rekommendationen. Belopp i hela kronor."
        }
        (section(ledger, ledger_id, ledger_heading, html! {
            div.tabell-rulla {
                table id="tabell-statens-medel" {
                    caption { "Statens medel " (year) }
                    thead { tr { th scope="col" { "Post" } th.tal scope="col" { "Belopp" } } }
                    tbody { tr { td colspan="2" { "Hämtar …" } } }
                }
            }
        }))
        (section(equity, equity_id, equity_heading, html! {
            div id="rekommendation" aria-live="polite" {}
            // Wide: the region scrolls, so it takes focus for keyboard users.
            div.tabell-rulla tabindex="0" role="region" aria-labelledby="c-eget-kapital" {
                table id="tabell-eget-kapital" {
                    caption id="c-eget-kapital" { "Eget kapital per samordningsförbund " (year) ", förbund över rekommendationen först" }
                    thead {
                        tr {
                            th scope="col" { "Samordningsförbund" }
                            th.tal scope="col" { "Medlemsbidrag" }
                            th.tal scope="col" { "Statens tilldelning" }
                            th.tal scope="col" { "Utgående eget kapital" }
                            th.tal scope="col" { "Andel av medlemsbidragen" }
                            th.tal scope="col" { "Andel av tilldelningen" }
                            th.tal scope="col" { "Rekommenderat högst" }
                            th scope="col" { "Bedömning" }
                        }
                    }
                    tbody { tr { td colspan="8" { "Hämtar …" } } }
                    tfoot {}
                }
            }
        }))
        (section(admin, admin_id, admin_heading, html! {
            div id="administrationsgrans" aria-live="polite" {}
            div.tabell-rulla {
                table id="tabell-administration" {
                    caption { "Administrationens andel av kostnaderna, hela landet " (year) }
                    thead {
                        tr {
                            th scope="col" { "Avser" }
                            th.tal scope="col" { "Administration" }
                            th.tal scope="col" { "Insatser" }
                            th.tal scope="col" { "Administrationens andel" }
                        }
                    }
                    tbody { tr { td colspan="4" { "Hämtar …" } } }
                }
            }
        }))
        (settings_form(year))
    };
    let page = Page {
        title: format!("Statens medel och eget kapital {year}"),
        id: "ekonomi",
        script: "ekonomi.js",
        menu: Menu::Analys { year },
        path: format!("/analys/{year}/ekonomi"),
        forbund: None,
        year: Some(year),
        insats: None,
    };
    render(page, content)
}

#[cfg(test)]
mod tests {
    use finsam_domain::money_settings::FIELDS;

    use super::*;

    #[test]
    fn the_form_asks_for_every_setting_the_api_reads() {
        let html = settings_form(2024).into_string();
        for name in FIELDS {
            assert!(html.contains(&format!("data-path=\"/{name}\"")), "{name} has its field");
        }
        for id in ["f-admin-limit", "f-national-support-spent"] {
            assert!(html.contains(&format!("for=\"{id}\"")), "{id} is labelled");
        }
    }
}
