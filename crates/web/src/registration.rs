//! Pages for a förbund's registrars: its insatser for a year, one insats with its year figures
//! and history, the förbund's finances, and the import of Excel and CSV files. Each field's
//! wrapper names the JSON pointer the API uses for it (`data-path`), so that the API's
//! validation errors land beside the right field.

use actix_web::web;
use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Kind, Orientation, Party, TargetGroup};
use maud::{Markup, html};

use crate::layout::{Menu, Page, Rendered, render};
use crate::{default_year, year_param};

type Query = web::Query<Vec<(String, String)>>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forbund/{forbund_key}/insatser", web::get().to(list))
        .route("/forbund/{forbund_key}/insatser/ny", web::get().to(new))
        .route("/forbund/{forbund_key}/insatser/{id:\\d{1,18}}", web::get().to(edit))
        .route("/forbund/{forbund_key}/insatser/{id:\\d{1,18}}/historik", web::get().to(history))
        .route("/forbund/{forbund_key}/ekonomi/{year:\\d{4}}", web::get().to(finances))
        .route("/forbund/{forbund_key}/import", web::get().to(import));
}

fn page<'a>(title: String, id: &'static str, script: &'static str, key: &'a str, year: i32, path: String) -> Page<'a> {
    Page {
        title,
        id,
        script,
        menu: Menu::Forbund { key, year },
        path,
        forbund: Some(key),
        year: Some(year),
        insats: None,
    }
}

/// A labelled field; `control` must carry `id` and, with help, `aria-describedby="h-{id}"`.
fn field(path: &str, id: &str, label: &str, help: Option<&str>, control: Markup) -> Markup {
    html! {
        div.falt data-path=(path) {
            label for=(id) { (label) }
            @if let Some(help) = help { p.hjalp id=(format!("h-{id}")) { (help) } }
            (control)
        }
    }
}

fn text_input(path: &str, id: &str, label: &str, help: Option<&str>, mode: &str) -> Markup {
    let described = help.map(|_| format!("h-{id}"));
    field(
        path,
        id,
        label,
        help,
        html! {
            input id=(id) name=(path) type="text" inputmode=(mode) autocomplete="off" aria-describedby=[described];
        },
    )
}

fn count_input(path: &str, id: &str, label: &str) -> Markup {
    html! {
        div.falt.kort-falt data-path=(path) {
            label for=(id) { (label) }
            input id=(id) name=(path) type="text" inputmode="numeric" autocomplete="off";
        }
    }
}

fn money_input(path: &str, id: &str, label: &str) -> Markup {
    html! {
        div.falt data-path=(path) {
            label for=(id) { (label) " (kr)" }
            input id=(id) name=(path) type="text" inputmode="decimal" autocomplete="off";
        }
    }
}

async fn list(path: web::Path<String>, query: Query) -> Rendered {
    let key = path.into_inner();
    let year = year_param(&query).unwrap_or_else(default_year);
    let content = html! {
        form.filter id="filter" role="search" aria-label="Urval av insatser" {
            div.falt {
                label for="f-ar" { "Verksamhetsår" }
                input id="f-ar" name="ar" type="number" min="2004" max="2100" value=(year);
            }
            div.falt {
                label for="f-sok" { "Sök på namn eller referens" }
                input id="f-sok" type="search" autocomplete="off";
            }
            div.falt {
                label for="f-typ" { "Typ av insats" }
                select id="f-typ" {
                    option value="" { "Alla" }
                    @for kind in Kind::ALL { option value=(kind.code()) { (kind.name_sv()) } }
                }
            }
            div.falt.kryss {
                input id="f-saknar" type="checkbox";
                label for="f-saknar" { "Bara insatser som saknar uppgifter för året" }
            }
        }
        section.kort id="arsstatus" aria-labelledby="rubrik-ar" {
            h2 id="rubrik-ar" { "Verksamhetsår " (year) }
            div id="ar-status" aria-live="polite" { p { "Hämtar …" } }
            div.knappar {
                button.knapp type="button" id="lamna-in" { "Lämna in verksamhetsår " (year) }
                a.knapp.sekundar href=(format!("/forbund/{key}/ekonomi/{year}")) { "Förbundets ekonomi " (year) }
                a.knapp.sekundar href=(format!("/forbund/{key}/insatser/ny?ar={year}")) { "Ny insats" }
            }
            p id="lamna-in-status" role="status" {}
        }
        p id="antal" role="status" aria-live="polite" {}
        div.tabell-rulla {
            table id="insatser" {
                caption { "Insatser som pågår under " (year) }
                thead {
                    tr {
                        @for (code, label) in [("name", "Namn"), ("kind", "Typ"), ("orientation", "Inriktning"),
                            ("start_date", "Period"), ("participants", "Deltagare (kv/m)"), ("budget", "Budget"),
                            ("outcome", "Utfall"), ("status", "Årets uppgifter")] {
                            th scope="col" aria-sort="none" {
                                button.sortera type="button" data-sortera=(code) { (label) }
                            }
                        }
                    }
                }
                tbody {}
            }
        }
    };
    let path = format!("/forbund/{key}/insatser");
    render(page(format!("Insatser {year}"), "insatser", "registrering.js", &key, year, path), content)
}

fn insats_form(edit: bool) -> Markup {
    html! {
        form id="insats-form" novalidate aria-labelledby="rubrik-insats" {
            h2 id="rubrik-insats" { @if edit { "Insatsen" } @else { "Uppgifter om insatsen" } }
            div.fel-sammanfattning hidden tabindex="-1" {}
            (text_input("/name", "f-name", "Namn", None, "text"))
            (text_input("/external_ref", "f-external_ref", "Referens i verksamhetssystemet (valfri)",
                Some("Samma referens vid import uppdaterar insatsen i stället för att skapa en ny."), "text"))
            (field("/description", "f-description", "Beskrivning (valfri)",
                Some("Skriv aldrig personnummer eller annat som pekar ut en person."),
                html! { textarea id="f-description" name="/description" rows="3" aria-describedby="h-f-description" {} }))
            div.rad {
                (field("/kind", "f-kind", "Typ av insats", None, html! {
                    select id="f-kind" name="/kind" {
                        option value="" { "Välj typ" }
                        @for kind in Kind::ALL { option value=(kind.code()) { (kind.name_sv()) } }
                    }
                }))
                (field("/orientation", "f-orientation", "Preciserad inriktning", None, html! {
                    select id="f-orientation" name="/orientation" {
                        option value="" { "Välj inriktning" }
                        @for kind in Kind::ALL {
                            optgroup label=(kind.name_sv()) data-kind=(kind.code()) {
                                @for o in Orientation::of_kind(*kind) { option value=(o.code()) { (o.name_sv()) } }
                            }
                        }
                    }
                }))
            }
            fieldset.falt data-path="/target_groups" aria-describedby="h-malgrupper" {
                legend { "Målgrupper" }
                p.hjalp id="h-malgrupper" {
                    "För individinriktade insatser. Välj ingen om insatsen inte har någon särskild målgrupp."
                }
                div.kryssrutor {
                    @for group in TargetGroup::ALL {
                        div.kryss {
                            input id=(format!("f-tg-{}", group.code())) type="checkbox" name="/target_groups"
                                value=(group.code());
                            label for=(format!("f-tg-{}", group.code())) { (group.name_sv()) }
                        }
                    }
                }
            }
            div.rad {
                (text_input("/start_date", "f-start_date", "Startdatum", Some("ÅÅÅÅ-MM-DD"), "numeric"))
                (text_input("/end_date", "f-end_date", "Slutdatum (valfritt)", Some("ÅÅÅÅ-MM-DD, tomt om den pågår"), "numeric"))
            }
            div.knappar {
                button.knapp type="submit" { @if edit { "Spara ändringar" } @else { "Spara insatsen" } }
            }
            p.formstatus role="status" aria-live="polite" {}
        }
    }
}

async fn new(path: web::Path<String>, query: Query) -> Rendered {
    let key = path.into_inner();
    let year = year_param(&query).unwrap_or_else(default_year);
    let content = html! {
        p { a href=(format!("/forbund/{key}/insatser?ar={year}")) { "← Tillbaka till insatserna" } }
        (insats_form(false))
    };
    let path = format!("/forbund/{key}/insatser/ny");
    render(page("Ny insats".into(), "ny-insats", "insats.js", &key, year, path), content)
}

fn year_form() -> Markup {
    html! {
        section.kort aria-labelledby="rubrik-arsuppgifter" {
            h2 id="rubrik-arsuppgifter" { "Uppgifter för ett verksamhetsår" }
            form id="ar-form" novalidate {
                div.fel-sammanfattning hidden tabindex="-1" {}
                div.falt data-path="year" {
                    label for="f-year" { "Verksamhetsår" }
                    select id="f-year" {}
                }
                fieldset.falt data-path="/participants" {
                    legend { "Deltagare under året" }
                    div.kryss {
                        input id="f-ej-foljs" type="checkbox";
                        label for="f-ej-foljs" { "Deltagare följs inte upp (bara strukturövergripande insatser)" }
                    }
                    div.rad {
                        @for gender in Gender::ALL {
                            (count_input(&format!("/participants/{}", gender.code()),
                                &format!("f-{}", gender.code()), gender.name_sv()))
                        }
                    }
                }
                div.rad {
                    (money_input("/budget", "f-budget", "Budget"))
                    (money_input("/outcome", "f-outcome", "Utfall"))
                }
                details id="avslut" {
                    summary { "Avslut under året (valfritt)" }
                    fieldset.falt data-path="/exits" {
                        legend { "Deltagare som avslutat insatsen, efter orsak" }
                        @for reason in ExitReason::ALL {
                            fieldset.falt.rad data-path=(format!("/exits/{}", reason.code())) {
                                legend { (reason.name_sv()) }
                                @for gender in Gender::ALL {
                                    (count_input(&format!("/exits/{}/{}", reason.code(), gender.code()),
                                        &format!("f-exit-{}-{}", reason.code(), gender.code()), gender.name_sv()))
                                }
                            }
                        }
                    }
                }
                div.knappar { button.knapp type="submit" { "Spara årets uppgifter" } }
                p.formstatus role="status" aria-live="polite" {}
            }
        }
    }
}

async fn edit(path: web::Path<(String, i64)>, query: Query) -> Rendered {
    let (key, id) = path.into_inner();
    let year = year_param(&query).unwrap_or_else(default_year);
    let content = html! {
        p.lankrad {
            a href=(format!("/forbund/{key}/insatser?ar={year}")) { "← Tillbaka till insatserna" }
            a href=(format!("/forbund/{key}/insatser/{id}/historik")) { "Ändringshistorik" }
        }
        div id="insats-innehall" {
            (insats_form(true))
            (year_form())
        }
    };
    let path = format!("/forbund/{key}/insatser/{id}");
    let mut page = page(format!("Insats {id}"), "insats", "insats.js", &key, year, path);
    page.insats = Some(id);
    render(page, content)
}

async fn history(path: web::Path<(String, i64)>) -> Rendered {
    let (key, id) = path.into_inner();
    let year = default_year();
    let content = html! {
        p.lankrad { a href=(format!("/forbund/{key}/insatser/{id}")) { "← Tillbaka till insatsen" } }
        p {
            "Varje ändring av insatsen och dess årsuppgifter: vem, när och vad som ändrades. "
            "Historiken kan inte ändras i efterhand."
        }
        p id="historik-status" role="status" aria-live="polite" {}
        div.tabell-rulla {
            table id="historik" {
                caption { "Ändringar, äldst först" }
                thead { tr { th scope="col" { "Tidpunkt" } th scope="col" { "Vem" } th scope="col" { "Vad" }
                    th scope="col" { "Ändrade uppgifter" } } }
                tbody {}
            }
        }
    };
    let path = format!("/forbund/{key}/insatser/{id}/historik");
    let mut page = page(format!("Historik för insats {id}"), "historik", "insats.js", &key, year, path);
    page.insats = Some(id);
    render(page, content)
}

async fn finances(path: web::Path<(String, i32)>) -> Rendered {
    let (key, year) = path.into_inner();
    let content = html! {
        form.filter id="ar-val" aria-label="Välj år" {
            div.falt {
                label for="f-ekonomi-ar" { "Verksamhetsår" }
                input id="f-ekonomi-ar" type="number" min="2004" max="2100" value=(year);
            }
        }
        form id="ekonomi-form" novalidate aria-labelledby="rubrik-ekonomi" {
            h2 id="rubrik-ekonomi" { "Förbundets ekonomi " (year) }
            div.fel-sammanfattning hidden tabindex="-1" {}
            fieldset.falt data-path="/contributions" {
                legend { "Medlemsbidrag (samverkansmedel)" }
                p.hjalp { "Fördelningen ska vara 50 % staten, 25 % regioner och 25 % kommuner." }
                div.rad {
                    @for party in Party::ALL {
                        (money_input(&format!("/contributions/{}", party.code()), &format!("f-{}", party.code()),
                            party.name_sv()))
                    }
                }
            }
            fieldset.falt data-path="/administration" {
                legend { "Administration" }
                div.rad {
                    (money_input("/administration/budget", "f-adm-budget", "Budget"))
                    (money_input("/administration/outcome", "f-adm-outcome", "Utfall"))
                }
            }
            fieldset.falt data-path="/equity" {
                legend { "Eget kapital" }
                div.rad {
                    (money_input("/equity/opening", "f-opening", "Ingående"))
                    (money_input("/equity/closing", "f-closing", "Utgående"))
                }
            }
            div.knappar { button.knapp type="submit" { "Spara ekonomin" } }
            p.formstatus role="status" aria-live="polite" {}
            div id="ekonomi-resultat" aria-live="polite" {}
        }
    };
    let path = format!("/forbund/{key}/ekonomi/{year}");
    render(page(format!("Ekonomi {year}"), "ekonomi", "registrering.js", &key, year, path), content)
}

/// Where the API serves the template (crates/api/src/routes/import_template.rs).
const IMPORT_TEMPLATE: &str = "/api/v1/imports/template.xlsx";

/// What the file input accepts: CSV and Excel workbooks, by extension and by type.
const IMPORT_ACCEPT: &str = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn import(path: web::Path<String>) -> Rendered {
    let key = path.into_inner();
    let year = default_year();
    let content = html! {
        p {
            "Läs in insatser och deras årsuppgifter från en Excel-fil (.xlsx) eller en CSV-fil, med en rad per "
            "insats och år. En insats känns igen på sin referens: finns den uppdateras den, annars skapas den, "
            "och flera rader med samma referens är samma insats. Gör först en provkörning: den kontrollerar "
            "allt och sparar inget."
        }
        p {
            a href=(IMPORT_TEMPLATE) download { "Ladda ned importmallen (Excel)" }
            " – den har kolumnerna, listor att välja ur, ett exempel och en förklaring av varje kolumn."
        }
        form id="import-form" novalidate {
            div.fel-sammanfattning hidden tabindex="-1" {}
            (field("file", "f-fil", "Fil (Excel eller CSV)", Some("Kolumnerna heter som i mallen (Referens, \
                Namn, Typ av insats …) eller har sina koder (external_ref, name, kind …), i valfri ordning. I en CSV-fil \
                skiljs fälten åt med kommatecken, semikolon eller tabb; med semikolon eller tabb skrivs belopp med \
                decimalkomma. Excel sparar en sådan fil som ”CSV (semikolonavgränsad)”."), html! {
                input id="f-fil" type="file" accept=(IMPORT_ACCEPT) aria-describedby="h-f-fil";
            }))
            (field("text", "f-csv", "… eller klistra in CSV", None, html! {
                textarea id="f-csv" rows="6" spellcheck="false" {}
            }))
            div.falt.kryss {
                input id="f-prov" type="checkbox" checked;
                label for="f-prov" { "Provkörning: kontrollera utan att spara" }
            }
            fieldset.falt {
                legend { "Om någon rad har fel" }
                div.kryss {
                    input id="f-atomic" type="radio" name="mode" value="atomic" checked;
                    label for="f-atomic" { "Spara ingenting (allt eller inget)" }
                }
                div.kryss {
                    input id="f-partial" type="radio" name="mode" value="partial";
                    label for="f-partial" { "Spara de rader som är rätt" }
                }
            }
            div.knappar { button.knapp type="submit" { "Importera" } }
            p.formstatus role="status" aria-live="polite" {}
        }
        section id="import-resultat" aria-labelledby="rubrik-resultat" hidden {
            h2 id="rubrik-resultat" tabindex="-1" { "Sammanfattning" }
            div id="import-sammanfattning" {}
        }
    };
    let path = format!("/forbund/{key}/import");
    render(page("Importera insatser".into(), "import", "registrering.js", &key, year, path), content)
}
