//! A förbund's registrar in the browser: sign in, create an insats (a validation error first,
//! then fixed), fill its year, submit the year; the finances and a CSV import with a dry run.

use serde_json::{Value, json};

use crate::browser::harness::{
    YEAR, api_get, assert_contrast, assert_labelled, assert_same_origin, demo_forbund, normalize, open, screenshots,
    sign_in, sign_in_with_form, start,
};
use crate::browser::webdriver::{Browser, ENTER, TAB};
use crate::e2e::support::token;

async fn field_error(browser: &Browser, path: &str) -> String {
    let css = format!("[data-path=\"{path}\"] > .falt-fel");
    browser.find(&css).await;
    let text = browser.script("return document.querySelector(arguments[0]).textContent", json!([css])).await;
    text.as_str().unwrap().to_owned()
}

#[actix_rt::test]
async fn a_registrar_creates_an_insats_fixes_a_validation_error_fills_its_year_and_submits_the_year() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let (forbund, _) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&forbund));

    // The sign-in page, from the keyboard: the skip link comes first.
    browser.goto(&format!("{}/logga-in", app.base)).await;
    browser.find("#f-token").await;
    browser.press(TAB).await;
    let first = browser.script("return document.activeElement.textContent", json!([])).await;
    assert_eq!(first, "Hoppa till innehållet", "the first Tab reaches the skip link");
    assert_labelled(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot(&shots, "01-logga-in.png").await;

    let landed = sign_in_with_form(&app, &browser, &registrar).await;
    assert!(landed.contains(&format!("/forbund/{forbund}/insatser")), "a registrar starts at the insatser: {landed}");

    // The year is chosen in the list's filter.
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    browser.fill("#f-ar", &YEAR.to_string()).await;
    browser.press(ENTER).await;
    browser.wait_until(&format!("location.search === '?ar={YEAR}'")).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let listed = api_get(&app, &format!("/api/v1/forbund/{forbund}/insatser?year={YEAR}"), &registrar).await;
    let listed = listed.as_array().unwrap().len();
    assert!(listed > 0, "the demo registered insatser for {forbund}");
    assert_eq!(browser.find_all("#insatser tbody tr").await.len(), listed, "every insats of the year is listed");
    let counter = browser.find("#antal").await;
    assert_eq!(browser.text(&counter).await, format!("Visar {listed} av {listed} insatser."));
    let not_submitted = browser.find("#ar-status[data-inlamnat='nej']").await;
    assert!(browser.text(&not_submitted).await.contains("Inte inlämnat"));
    // Sorting by budget, from the column header.
    let sort = browser.find("button[data-sortera='budget']").await;
    browser.click(&sort).await;
    let th = browser
        .script(
            "return document.querySelector('button[data-sortera=budget]').parentElement.getAttribute('aria-sort')",
            json!([]),
        )
        .await;
    assert_eq!(th, "ascending");
    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "02-insatser.png", 1280).await;

    // A new insats that ends before it starts: the API's rule, shown in Swedish at the field.
    let new = browser.find("nav.meny a[href*='/insatser/ny']").await;
    browser.click(&new).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    browser.fill("#f-name", "Arbetsträning i webbläsaren").await;
    browser.fill("#f-external_ref", "webb-1").await;
    let kind = browser.find("#f-kind option[value='individual']").await;
    browser.click(&kind).await;
    let orientation = browser.find("#f-orientation option[value='work_oriented']").await;
    browser.click(&orientation).await;
    let young = browser.find("#f-tg-young").await;
    browser.click(&young).await;
    browser.fill("#f-start_date", "2023-01-01").await;
    browser.fill("#f-end_date", "2022-12-31").await;
    let save = browser.find("#insats-form button[type='submit']").await;
    browser.click(&save).await;
    assert_eq!(field_error(&browser, "/end_date").await, "Fel: Slutdatum får inte vara före startdatum.");
    let end = browser.find("#f-end_date").await;
    assert_eq!(browser.attribute(&end, "aria-invalid").await.as_deref(), Some("true"));
    let described = browser.attribute(&end, "aria-describedby").await.unwrap_or_default();
    let error_id =
        browser.script("return document.querySelector('[data-path=\"/end_date\"] > .falt-fel').id", json!([])).await;
    assert!(described.split(' ').any(|id| id == error_id), "the field is described by its error: {described}");
    let summary =
        browser.script("return document.activeElement.classList.contains('fel-sammanfattning')", json!([])).await;
    assert_eq!(summary, true, "the error summary takes focus");
    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "03-ny-insats-med-fel.png", 1280).await;
    let after_error = api_get(&app, &format!("/api/v1/forbund/{forbund}/insatser"), &registrar).await;
    assert!(!after_error.to_string().contains("webbläsaren"), "nothing was created");

    // Fixed: saved, and on to the insats' own page.
    browser.fill("#f-end_date", "2024-12-31").await;
    browser.click(&save).await;
    browser.wait_until("/\\/insatser\\/\\d+$/.test(location.pathname)").await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let message = browser.find("#sidmeddelande .meddelande.ok").await;
    assert!(browser.text(&message).await.contains("Insatsen är sparad"));
    assert!(browser.find_all("[aria-invalid='true']").await.is_empty(), "no field left marked");

    // Its figures for the year.
    let year_choice = browser.script("return document.getElementById('f-year').value", json!([])).await;
    assert_eq!(year_choice, YEAR.to_string());
    browser.fill("#f-women", "7").await;
    browser.fill("#f-men", "5").await;
    browser.fill("#f-budget", "250 000").await;
    browser.fill("#f-outcome", "243 500,50").await;
    let save_year = browser.find("#ar-form button[type='submit']").await;
    browser.click(&save_year).await;
    let saved = browser.find("#ar-form .formstatus .meddelande.ok").await;
    assert_eq!(browser.text(&saved).await, format!("Uppgifterna för {YEAR} är sparade."));
    assert_labelled(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "04-insats-med-arsuppgifter.png", 1280).await;

    let insatser = api_get(&app, &format!("/api/v1/forbund/{forbund}/insatser?year={YEAR}"), &registrar).await;
    let created: &Value = insatser
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Arbetsträning i webbläsaren")
        .expect("the insats exists in the API");
    assert_eq!(created["external_ref"], "webb-1");
    assert_eq!(created["kind"], "individual");
    assert_eq!(created["orientation"], "work_oriented");
    assert_eq!(created["target_groups"], json!(["young"]));
    assert_eq!(created["end_date"], "2024-12-31");
    let years = created["years"].as_array().unwrap();
    assert_eq!(years.len(), 1);
    assert_eq!(years[0]["year"], YEAR);
    assert_eq!(years[0]["participants"], json!({"women": 7, "men": 5}));
    assert_eq!(years[0]["budget"], "250000.00");
    assert_eq!(years[0]["outcome"], "243500.50");
    let id = created["id"].as_i64().unwrap();

    // Its history.
    open(&app, &browser, &format!("/forbund/{forbund}/insatser/{id}/historik")).await;
    let history = browser.find("#historik tbody").await;
    let history = browser.text(&history).await;
    assert!(history.contains("Skapade insatsen"), "{history}");
    assert!(history.contains(&format!("Skapade årsuppgifter {YEAR}")), "{history}");
    assert!(history.contains("Namn: – → Arbetsträning i webbläsaren"), "{history}");
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "05-historik.png", 1280).await;

    // The year, submitted from the list.
    open(&app, &browser, &format!("/forbund/{forbund}/insatser?ar={YEAR}")).await;
    let submit = browser.find("#lamna-in").await;
    assert_eq!(browser.text(&submit).await, format!("Lämna in verksamhetsår {YEAR}"));
    browser.click(&submit).await;
    let done = browser.find("#lamna-in-status .meddelande.ok").await;
    assert!(browser.text(&done).await.contains(&format!("Verksamhetsår {YEAR} är inlämnat")));
    browser.wait_until("document.querySelector('#ar-status').dataset.inlamnat === 'ja'").await;
    let status = browser.find("#ar-status").await;
    assert!(browser.text(&status).await.contains("Inlämnat"));
    browser.screenshot_page(&shots, "06-aret-inlamnat.png", 1280).await;

    let report = api_get(&app, &format!("/api/v1/years/{YEAR}/completeness"), &token("admin", None)).await;
    let row = report["forbund"].as_array().unwrap().iter().find(|f| f["forbund_key"] == forbund.as_str()).unwrap();
    assert_eq!(row["state"], "submitted", "{row}");
    assert!(row["submitted_at"].is_string());

    browser.quit().await;
    app.stop().await;
}

#[actix_rt::test]
async fn a_registrar_keeps_the_finances_and_imports_a_csv_after_a_dry_run() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let (forbund, _) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&forbund));
    sign_in(&app, &browser, &registrar).await;

    // Finances: an amount with öre beyond two decimals is refused at its field; contributions
    // off 2:1:1 are kept with a warning.
    open(&app, &browser, &format!("/forbund/{forbund}/ekonomi/{YEAR}")).await;
    browser.fill("#f-state", "2 000 000").await;
    browser.fill("#f-regions", "1000000,005").await;
    browser.fill("#f-municipalities", "1500000").await;
    browser.fill("#f-adm-budget", "600000").await;
    browser.fill("#f-adm-outcome", "580000").await;
    browser.fill("#f-opening", "1200000").await;
    browser.fill("#f-closing", "1100000").await;
    let save = browser.find("#ekonomi-form button[type='submit']").await;
    browser.click(&save).await;
    assert_eq!(
        field_error(&browser, "/contributions/regions").await,
        "Fel: Beloppet får ha högst två decimaler (ören)."
    );
    browser.fill("#f-regions", "1000000").await;
    browser.click(&save).await;
    let saved = browser.find("#ekonomi-form .formstatus .meddelande.ok").await;
    assert_eq!(browser.text(&saved).await, format!("Ekonomin för {YEAR} är sparad."));
    let result = browser.find("#ekonomi-resultat").await;
    let result = normalize(&browser.text(&result).await);
    assert!(result.contains("avviker från fördelningen 2:1:1"), "{result}");
    assert!(result.contains("-100 000 kr"), "{result}");
    assert_labelled(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "07-ekonomi.png", 1280).await;
    let finances = api_get(&app, &format!("/api/v1/forbund/{forbund}/finances/{YEAR}"), &registrar).await;
    assert_eq!(finances["contributions"]["municipalities"], "1500000.00");
    assert_eq!(finances["result"], "-100000.00");

    // Import: a dry run reports and writes nothing; then the good row is imported.
    let csv = "external_ref,name,kind,orientation,target_groups,start_date,end_date,year,participants_women,participants_men,budget,outcome\n\
               csv-1,Från verksamhetssystemet,individual,preparatory,young|long_term_sick_listed,2023-02-01,,2023,4,6,100000,90000\n\
               csv-2,Felaktig rad,individual,needs_analysis,,2023-01-01,,2023,1,1,1000,1000\n";
    open(&app, &browser, &format!("/forbund/{forbund}/import")).await;
    browser.fill("#f-csv", csv).await;
    let partial = browser.find("#f-partial").await;
    browser.click(&partial).await;
    let send = browser.find("#import-form button[type='submit']").await;
    browser.click(&send).await;
    browser.wait_until("!document.getElementById('import-resultat').hidden").await;
    let summary = browser.find("#import-sammanfattning").await;
    let text = browser.text(&summary).await;
    assert!(text.contains("Provkörning: inget har sparats."), "{text}");
    let counts = browser
        .script("return [...document.querySelectorAll('#import-antal tbody td')].map(td => td.textContent)", json!([]))
        .await;
    assert_eq!(counts, json!(["1", "0", "0", "1"]), "one new, one rejected");
    let errors = browser.find("#import-fel tbody").await;
    let errors = browser.text(&errors).await;
    assert!(errors.contains("Inriktningen hör inte till den valda typen av insats."), "{errors}");
    assert_labelled(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "08-import-provkorning.png", 1280).await;
    let before = api_get(&app, &format!("/api/v1/forbund/{forbund}/insatser"), &registrar).await;
    assert!(!before.to_string().contains("csv-1"), "a dry run writes nothing");

    let dry = browser.find("#f-prov").await;
    browser.click(&dry).await;
    browser.click(&send).await;
    browser
        .wait_until("document.getElementById('import-sammanfattning').textContent.includes('Importen är genomförd')")
        .await;
    let after = api_get(&app, &format!("/api/v1/forbund/{forbund}/insatser?year={YEAR}"), &registrar).await;
    let imported = after.as_array().unwrap().iter().find(|i| i["external_ref"] == "csv-1").expect("imported");
    assert_eq!(imported["orientation"], "preparatory");
    assert_eq!(imported["years"][0]["participants"], json!({"women": 4, "men": 6}));
    assert!(!after.to_string().contains("csv-2"), "the bad row is not imported");

    browser.quit().await;
    app.stop().await;
}
