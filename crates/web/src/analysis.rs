//! Pages for national analysts: the dashboard of a year's tables with charts and downloads,
//! registration completeness (who has not reported), and the data-quality flags.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use crate::default_year;
use crate::layout::{Menu, Page, Rendered, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/analys", web::get().to(latest))
        .route("/analys/{year:\\d{4}}", web::get().to(dashboard))
        .route("/analys/{year:\\d{4}}/fullstandighet", web::get().to(completeness))
        .route("/analys/{year:\\d{4}}/datakvalitet", web::get().to(quality));
}

/// The tables of the dashboard: id, heading, and what its chart shows.
pub const TABLES: &[(&str, &str)] = &[
    ("insatser-by-kind", "Insatser per typ"),
    ("individual-insatser", "Individinriktade insatser per inriktning"),
    ("individual-participants", "Deltagare efter inriktning och kön"),
    ("structural-insatser", "Strukturövergripande insatser per inriktning"),
    ("target-groups", "Målgrupper för individinriktade insatser"),
    ("costs", "Kostnader: budget och utfall"),
    ("contributions", "Medlemsbidrag per part"),
    ("equity", "Eget kapital"),
    ("completeness", "Registreringens fullständighet"),
    ("exits", "Avslut efter orsak och kön"),
];

/// The generated yearly report's formats (`/api/v1/reports/{year}.{format}`): file ending, label.
const REPORT_FORMATS: &[(&str, &str)] = &[("pdf", "PDF"), ("html", "HTML")];

const FORMATS: &[(&str, &str)] =
    &[("json", "JSON"), ("json-stat2", "JSON-stat"), ("csv", "CSV"), ("xlsx", "Excel (XLSX)")];

fn page(title: String, id: &'static str, year: i32, path: String) -> Page<'static> {
    Page {
        title,
        id,
        script: "analys.js",
        menu: Menu::Analys { year },
        path,
        forbund: None,
        year: Some(year),
        insats: None,
    }
}

async fn latest() -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/analys/{}", default_year()))).finish()
}

/// Year, county and förbund; the lists are filled from the reference API.
fn filters(year: i32, with_forbund: bool) -> Markup {
    html! {
        form.filter id="urval" role="search" aria-label="Urval" {
            div.falt {
                label for="f-ar" { "År" }
                input id="f-ar" type="number" min="2004" max="2100" value=(year);
            }
            div.falt {
                label for="f-lan" { "Län" }
                select id="f-lan" { option value="" { "Hela landet" } }
            }
            @if with_forbund {
                div.falt {
                    label for="f-forbund" { "Samordningsförbund" }
                    select id="f-forbund" { option value="" { "Alla förbund" } }
                }
            }
            div.knappar { button.knapp type="submit" { "Visa" } }
        }
        p id="urval-text" role="status" aria-live="polite" {}
    }
}

/// The year's national report, for the whole nation whatever the selection. Downloaded by the
/// script as the tables are, so that it goes with the same sign-in (token or session cookie).
fn report(year: i32) -> Markup {
    html! {
        section.kort id="arsrapport" aria-labelledby="r-arsrapport" {
            h2 id="r-arsrapport" { "Årsrapport " (year) }
            p {
                "Rapporten gäller hela landet, oavsett urval. Analytikernas kommentarer står i egna "
                "markerade rutor: " a href=(format!("/analys/{year}/kommentarer")) { "skriv kommentarer till rapporten" } "."
            }
            div.nedladdning {
                span id="n-arsrapport" { "Ladda ner rapporten:" }
                @for (format, label) in REPORT_FORMATS {
                    button.knapp.sekundar.liten type="button" data-rapport=(format)
                        aria-describedby="n-arsrapport r-arsrapport" { (label) }
                }
            }
        }
    }
}

async fn dashboard(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        (filters(year, true))
        (report(year))
        nav.innehall aria-label="Tabeller på sidan" {
            ul { @for (id, heading) in TABLES { li { a href=(format!("#t-{id}")) { (heading) } } } }
        }
        @for (id, heading) in TABLES {
            section.kort.tabell-kort id=(format!("t-{id}")) aria-labelledby=(format!("r-{id}")) data-tabell=(id) {
                h2 id=(format!("r-{id}")) { (heading) }
                div.diagram id=(format!("d-{id}")) {}
                div.tabell-rulla id=(format!("tab-{id}")) { p { "Hämtar …" } }
                div.nedladdning {
                    span id=(format!("n-{id}")) { "Ladda ner tabellen:" }
                    @for (format, label) in FORMATS {
                        button.knapp.sekundar.liten type="button" data-tabell=(id) data-format=(format)
                            aria-describedby=(format!("n-{id} r-{id}")) { (label) }
                    }
                }
            }
        }
    };
    render(page(format!("Nationell översikt {year}"), "oversikt", year, format!("/analys/{year}")), content)
}

async fn completeness(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        (filters(year, false))
        section.kort aria-labelledby="rubrik-summa" {
            h2 id="rubrik-summa" { "Sammanfattning" }
            div id="fullstandighet-summa" aria-live="polite" {}
            div.diagram id="d-fullstandighet" {}
        }
        div.falt.kryss {
            input id="f-bara-saknas" type="checkbox" checked;
            label for="f-bara-saknas" { "Visa bara förbund som inte har lämnat in" }
        }
        p id="antal" role="status" aria-live="polite" {}
        div.tabell-rulla {
            table id="fullstandighet" {
                caption { "Samordningsförbundens rapportering för " (year) }
                thead {
                    tr {
                        th scope="col" { "Samordningsförbund" }
                        th scope="col" { "Läge" }
                        th scope="col" { "Senaste ändring" }
                        th scope="col" { "Saknas" }
                    }
                }
                tbody {}
            }
        }
    };
    let path = format!("/analys/{year}/fullstandighet");
    render(page(format!("Fullständighet {year}"), "fullstandighet", year, path), content)
}

async fn quality(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        (filters(year, true))
        p {
            "Flaggor för uppgifter som är tillåtna men värda en kontroll, till exempel medlemsbidrag "
            "som avviker från fördelningen 2:1:1."
        }
        div id="kvalitet-summa" aria-live="polite" {}
        div.tabell-rulla {
            table id="kvalitet" {
                caption { "Datakvalitetsflaggor " (year) }
                thead {
                    tr {
                        th scope="col" { "Flagga" }
                        th scope="col" { "Samordningsförbund" }
                        th scope="col" { "Insats" }
                        th scope="col" { "Detaljer" }
                    }
                }
                tbody {}
            }
        }
    };
    let path = format!("/analys/{year}/datakvalitet");
    render(page(format!("Datakvalitet {year}"), "datakvalitet", year, path), content)
}
