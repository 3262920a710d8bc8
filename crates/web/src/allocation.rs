//! The state's allocation of a year for admins and analysts (`/analys/{year}/fordelning`): the
//! decided parameters (or which are not set: the sources give no defaults), a what-if form with
//! every parameter that calls `POST /api/v1/allocations/{year}/calculate`, the result per förbund
//! with each förbund's explanation, and for an admin the decision (`PUT
//! /api/v1/allocations/{year}`). Each field's wrapper names the body's JSON pointer
//! (`data-path`), so that the API's errors land beside the right field.

use actix_web::web;
use maud::{Markup, html};

use crate::layout::{Menu, Page, Rendered, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/analys/{year:\\d{4}}/fordelning", web::get().to(allocation));
}

/// The parameters as the form asks for them: the body's field, the field's id, its Swedish
/// label and help. The order and names are `finsam_domain::allocation::PARAMETER_FIELDS`'
/// (a test keeps them together); `damping` is a fieldset of its own.
pub const PARAMETERS: &[(&str, &str, &str, Option<&str>)] = &[
    ("frame", "f-frame", "Ram (kr)", Some("Statens medel för året, hela kronor.")),
    (
        "national_support",
        "f-national-support",
        "Nationellt stöd (kr)",
        Some("Dras från ramen innan något fördelas; 0 om inget avsätts."),
    ),
    ("base_amount", "f-base-amount", "Grundbelopp per förbund (kr)", None),
    (
        "forsorjningsmatt_weight",
        "f-forsorjningsmatt-weight",
        "Vikt för försörjningsmått (andel 0–1)",
        Some("Andel av det som är kvar efter grundbeloppen, t.ex. 0,75."),
    ),
    (
        "population_weight",
        "f-population-weight",
        "Vikt för befolkning 16–64 år (andel 0–1)",
        Some("Vikterna ska tillsammans vara 1."),
    ),
    ("damping", "f-damping-none", "Dämpning", None),
    ("equity_rule", "f-equity-rule", "Eget kapital och dämpningen", Some("Behövs när året har dämpning.")),
    (
        "statistics_year",
        "f-statistics-year",
        "Statistikår",
        Some("Året för referensstatistiken som nycklarna använder."),
    ),
];

fn text_field(name: &str, id: &str, label: &str, help: Option<&str>, mode: &str) -> Markup {
    let described = help.map(|_| format!("h-{id}"));
    html! {
        div.falt data-path=(format!("/{name}")) {
            label for=(id) { (label) }
            @if let Some(help) = help { p.hjalp id=(format!("h-{id}")) { (help) } }
            input id=(id) name=(name) type="text" inputmode=(mode) autocomplete="off" aria-describedby=[described];
        }
    }
}

fn parameter(name: &str) -> (&'static str, &'static str, &'static str, Option<&'static str>) {
    *PARAMETERS.iter().find(|p| p.0 == name).expect("a parameter of the form")
}

fn form() -> Markup {
    let field = |name: &str, mode: &str| {
        let (name, id, label, help) = parameter(name);
        text_field(name, id, label, help, mode)
    };
    let (_, _, equity_label, equity_help) = parameter("equity_rule");
    html! {
        form id="fordelning-form" novalidate aria-labelledby="rubrik-prova" {
            h2 id="rubrik-prova" { "Pröva en fördelning" }
            p.hjalp {
                "Ändra parametrarna och välj Beräkna: fördelningen räknas fram men sparas inte. Ett tomt fält "
                "tas från årets beslut, om året är beslutat."
            }
            div.fel-sammanfattning hidden tabindex="-1" {}
            div.rad {
                (field("frame", "decimal"))
                (field("national_support", "decimal"))
                (field("base_amount", "decimal"))
            }
            div.rad {
                (field("forsorjningsmatt_weight", "decimal"))
                (field("population_weight", "decimal"))
            }
            fieldset.falt data-path="/damping" {
                legend { "Dämpning" }
                p.hjalp id="h-dampning" {
                    "Hur mycket ett förbunds tilldelning högst får minska mot föregående år."
                }
                div.kryss {
                    input id="f-damping-none" type="radio" name="damping" value="none" aria-describedby="h-dampning";
                    label for="f-damping-none" { "Ingen dämpning" }
                }
                div.kryss {
                    input id="f-damping-max-fall" type="radio" name="damping" value="max_fall"
                        aria-describedby="h-dampning";
                    label for="f-damping-max-fall" { "Högst en viss minskning" }
                }
                div.falt data-path="/damping/max_fall" {
                    label for="f-max-fall" { "Största minskning (andel 0–1)" }
                    p.hjalp id="h-f-max-fall" { "T.ex. 0,10 för högst 10 % minskning." }
                    input id="f-max-fall" name="max_fall" type="text" inputmode="decimal" autocomplete="off"
                        aria-describedby="h-f-max-fall";
                }
            }
            div.falt data-path="/equity_rule" {
                label for="f-equity-rule" { (equity_label) }
                @if let Some(help) = equity_help { p.hjalp id="h-f-equity-rule" { (help) } }
                select id="f-equity-rule" name="equity_rule" aria-describedby="h-f-equity-rule" {
                    option value="" { "Inte vald" }
                    option value="no_effect" { "Påverkar inte skyddet" }
                    option value="excluded_from_protection" {
                        "Förbund med eget kapital över rekommendationen skyddas inte"
                    }
                }
            }
            (field("statistics_year", "numeric"))
            div.knappar {
                button.knapp type="submit" { "Beräkna" }
                button.knapp.sekundar id="besluta" type="button" hidden { "Besluta fördelningen …" }
            }
            p.formstatus role="status" aria-live="polite" {}
        }
        dialog id="bekrafta" aria-labelledby="rubrik-bekrafta" aria-describedby="text-bekrafta" {
            h2 id="rubrik-bekrafta" { "Besluta fördelningen?" }
            p id="text-bekrafta" {}
            div.knappar {
                button.knapp id="bekrafta-ja" type="button" { "Besluta" }
                button.knapp.sekundar id="bekrafta-nej" type="button" { "Avbryt" }
            }
        }
    }
}

async fn allocation(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        p.ingress {
            "Försäkringskassans fördelning av statens medel mellan samordningsförbunden: ett grundbelopp "
            "per förbund, resten efter försörjningsmått och antal invånare 16–64 år i förbundens kommuner, "
            "och dämpning mot föregående år om året har det. Hela kronor, avrundade med största rest så att "
            "delarna summerar exakt till det som fördelas."
        }
        section.kort id="beslut" aria-labelledby="rubrik-beslut" {
            h2 id="rubrik-beslut" { "Beslutade parametrar " (year) }
            div id="beslut-innehall" aria-live="polite" { p { "Hämtar …" } }
        }
        (form())
        section id="resultat" aria-labelledby="rubrik-resultat" hidden {
            h2 id="rubrik-resultat" tabindex="-1" { "Fördelning per förbund" }
            div id="resultat-summa" {}
            div.tabell-rulla {
                table id="fordelning" {
                    caption id="fordelning-rubrik" {}
                    thead {
                        tr {
                            th scope="col" { "Samordningsförbund" }
                            th.tal scope="col" { "Grundbelopp" }
                            th.tal scope="col" { "Efter försörjningsmått" }
                            th.tal scope="col" { "Efter befolkning" }
                            th.tal scope="col" { "Dämpning" }
                            th.tal scope="col" { "Totalt" }
                            th.tal scope="col" { "Föregående år" }
                            th.tal scope="col" { "Förändring (kr)" }
                            th.tal scope="col" { "Förändring (%)" }
                            th.tal scope="col" { "Andel" }
                        }
                    }
                    tbody {}
                    tfoot {}
                }
            }
        }
    };
    let path = format!("/analys/{year}/fordelning");
    let page = Page {
        title: format!("Statens medelsfördelning {year}"),
        id: "fordelning",
        script: "fordelning.js",
        menu: Menu::Analys { year },
        path,
        forbund: None,
        year: Some(year),
        insats: None,
    };
    render(page, content)
}

#[cfg(test)]
mod tests {
    use finsam_domain::allocation::PARAMETER_FIELDS;

    use super::*;

    #[test]
    fn the_form_asks_for_every_parameter_the_api_reads() {
        let asked: Vec<&str> = PARAMETERS.iter().map(|p| p.0).collect();
        assert_eq!(asked, PARAMETER_FIELDS);
        let html = form().into_string();
        for (name, id, _, _) in PARAMETERS {
            assert!(html.contains(&format!("data-path=\"/{name}\"")), "{name} has its field");
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("for=\"{id}\"")), "{id} is labelled");
        }
    }
}
