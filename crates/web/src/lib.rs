//! Web pages for förbund registrars and national analysts, in Swedish.
//!
//! The pages are server-rendered shells (maud) with embedded CSS and plain JavaScript modules.
//! The browser keeps the bearer token in `sessionStorage` after sign-in and calls the same JSON
//! API as every other client, so the API's roles apply unchanged: a page shows what the API
//! answers for the token, and a 403 or 404 shows a Swedish message and no data. Nothing is
//! loaded from outside the service: every page carries a `Content-Security-Policy` that allows
//! only the service's own origin, and the assets are compiled into the binary.
//!
//! Mount with `App::new().configure(finsam_web::configure)`; the paths (`/`, `/logga-in`,
//! `/forbund/{forbund_key}/…`, `/analys/{year}/…`, `/statistik`, `/resurser/…`) do not touch `/api`,
//! `/health` or `/metrics`.

mod allocation;
mod analysis;
mod annual_report;
mod assets;
mod layout;
mod money;
mod registration;
mod report_commentary;
mod start;
mod statistik;

use actix_web::web;

pub use assets::asset_path;
pub use layout::{CONTENT_SECURITY_POLICY, ProviderOrigin, SignInMode};

/// Registers every page and the assets.
pub fn configure(cfg: &mut web::ServiceConfig) {
    start::configure(cfg);
    registration::configure(cfg);
    analysis::configure(cfg);
    annual_report::configure(cfg);
    allocation::configure(cfg);
    money::configure(cfg);
    report_commentary::configure(cfg);
    statistik::configure(cfg);
    assets::configure(cfg);
}

/// The year most pages open on: the last calendar year, the one being reported.
fn default_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year() - 1
}

/// `?ar=2023` from a page's query, when it is a plausible year.
fn year_param(query: &[(String, String)]) -> Option<i32> {
    query.iter().find(|(k, _)| k == "ar").and_then(|(_, v)| v.parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_param_reads_plausible_years_only() {
        let q = |v: &str| vec![("ar".to_owned(), v.to_owned())];
        assert_eq!(year_param(&q("2023")), Some(2023));
        assert_eq!(year_param(&q("23")), None);
        assert_eq!(year_param(&q("x")), None);
        assert_eq!(year_param(&[]), None);
    }
}
