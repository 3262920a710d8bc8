//! The analysts' commentary on a year's report (`/analys/{year}/kommentarer`): one form per
//! section of the report, in its order, each saved on its own (`PUT
//! /api/v1/reports/{year}/commentary/{section}`) or removed. The text is printed verbatim in a
//! marked box of its own; the generated text is not edited here or anywhere. Each field's
//! wrapper names the body's JSON pointer (`data-path="/text"`), so that the API's errors land
//! beside it.

use actix_web::web;
use finsam_domain::report_section::{MAX_COMMENTARY_CHARS, ReportSection};
use maud::{Markup, html};

use crate::layout::{Menu, Page, Rendered, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/analys/{year:\\d{4}}/kommentarer", web::get().to(commentary));
}

fn section_form(section: ReportSection) -> Markup {
    let code = section.code();
    let field = format!("f-kommentar-{code}");
    html! {
        form.kort.kommentar id=(format!("kommentar-{code}")) data-avsnitt=(code) novalidate
            aria-labelledby=(format!("r-{code}")) {
            h2 id=(format!("r-{code}")) { (section.heading_sv()) }
            div.fel-sammanfattning hidden tabindex="-1" {}
            div.falt data-path="/text" {
                label for=(field) { "Kommentar till avsnittet " (section.heading_sv()) }
                p.hjalp id=(format!("h-{field}")) {
                    "Högst " (MAX_COMMENTARY_CHARS) " tecken. Texten skrivs ut som den står, i en egen ruta. "
                    "Skriv inga personnummer eller samordningsnummer."
                }
                textarea id=(field) name="text" rows="6" maxlength=(MAX_COMMENTARY_CHARS)
                    aria-describedby=(format!("h-{field}")) {}
            }
            p.hjalp.senast {}
            div.knappar {
                button.knapp type="submit" { "Spara" }
                button.knapp.sekundar type="button" data-ta-bort=(code) { "Ta bort kommentaren" }
            }
            p.formstatus role="status" aria-live="polite" {}
        }
    }
}

async fn commentary(path: web::Path<i32>) -> Rendered {
    let year = path.into_inner();
    let content = html! {
        p.ingress {
            "Analytikernas egna kommentarer till årsrapporten " (year) ", avsnitt för avsnitt. "
            "Den genererade texten ändras inte för hand; kommentaren står i en egen markerad ruta."
        }
        @for section in ReportSection::ALL { (section_form(section)) }
    };
    let page = Page {
        title: format!("Kommentarer till årsrapporten {year}"),
        id: "kommentarer",
        script: "kommentarer.js",
        menu: Menu::Analys { year },
        path: format!("/analys/{year}/kommentarer"),
        forbund: None,
        year: Some(year),
        insats: None,
    };
    render(page, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_a_labelled_field_for_the_text() {
        for section in ReportSection::ALL {
            let html = section_form(section).into_string();
            let id = format!("f-kommentar-{}", section.code());
            assert!(html.contains(&format!("for=\"{id}\"")) && html.contains(&format!("id=\"{id}\"")), "{id}");
            assert!(html.contains("data-path=\"/text\""));
        }
    }
}
