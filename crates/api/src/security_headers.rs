//! The headers that keep browsers from second-guessing or framing what the service sends, in
//! one place so the API, its documentation and the web pages cannot drift apart. The web pages
//! (crates/web) set their own stricter policy on each page; these fill in wherever nothing did.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;

/// For the vendored Swagger UI under `/api/v1/docs/`. Its `index.html` has no inline script
/// (the configuration is the separate `swagger-initializer.js`), so scripts need only 'self'.
/// React sets the inline styles it uses through the DOM, which CSP does not restrict, so no
/// 'unsafe-inline' for styles either: the one `<style>` element it renders, in the top bar's
/// SVG logo (swagger-ui-standalone-preset.js, 5.32.6), is allowed by its hash; a new Swagger UI
/// with another logo shows up as a violation in the browser test. Its stylesheet draws icons as
/// `data:` SVG images. It fetches the document and runs "Try it out" against this origin only.
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// On every response: a JSON body, a problem or a download is what its content type says and
/// never sniffed into HTML or script. `DefaultHeaders` leaves a header a handler set alone.
pub fn every_response() -> DefaultHeaders {
    DefaultHeaders::new().add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}

/// Around the Swagger UI's files, which come from the vendored bundle with no headers of their own.
pub fn docs() -> DefaultHeaders {
    DefaultHeaders::new().add((header::CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY))
}
