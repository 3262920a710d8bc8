//! Typst markup to PDF, inside the process: no browser, no external program, no font on the
//! machine. Typst gives what the report needs of a typesetter: A4 pages with page numbers, an
//! outline, tables that break across pages with their header repeated, numbered figures, SVG
//! charts kept as vectors, and fonts subset and embedded with ToUnicode maps (so the text can be
//! searched, copied and extracted). The fonts are the ones compiled into `typst-assets`: the body
//! face is Libertinus Serif (SIL Open Font License 1.1, which allows embedding), with å ä ö,
//! no-break space U+00A0, narrow no-break space U+202F and tabular figures.
//!
//! This is the only crate that depends on typst. [`pdf`] (in [`markup`]) writes the report's
//! model (`finsam-report`) as markup and renders it.
//!
//! [`render`] is CPU-bound (tens to hundreds of milliseconds for a report): async callers must run
//! it off the executor, in actix-web's `web::block` or tokio's `spawn_blocking`. Each call ends
//! by evicting typst's memoisation cache, so a long-running server does not grow with every PDF.
//!
//! Text that comes from data or from people (a förbund's name, an analyst's commentary) goes into
//! markup through [`escape`] (content) or [`string_literal`] (code), never as it stands: otherwise
//! a `#` or a `[` in it would run as Typst code or change the layout.

mod escape;
pub mod markup;
mod world;

#[cfg(test)]
mod markup_tests;
#[cfg(test)]
mod tests;

pub use escape::{escape, string_literal};
pub use markup::pdf;

use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst_layout::PagedDocument;

/// What went wrong turning markup into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The markup did not compile; the errors' messages (with line and column in the markup when
    /// known, and typst's hints), one a line.
    #[error("Typst compile error: {0}")]
    Compile(String),
    /// The laid-out document could not be written as PDF.
    #[error("PDF export error: {0}")]
    Export(String),
}

/// Compiles `main` (Typst markup) with `files` reachable by their names (e.g.
/// `#image("diagram-1.svg")`), to PDF bytes.
///
/// CPU-bound: from async code call it inside `web::block` (or `spawn_blocking`).
pub fn render(main: &str, files: &[(&str, &[u8])]) -> Result<Vec<u8>, PdfError> {
    let world = world::ReportWorld::new(main, files);
    let result = compile(&world);
    // Typst memoises across calls in a process-wide cache; without eviction every report ever
    // rendered would stay in memory. 0: keep nothing (reports are rarely rendered twice alike).
    typst::comemo::evict(0);
    result
}

fn compile(world: &world::ReportWorld) -> Result<Vec<u8>, PdfError> {
    let Warned { output, warnings: _ } = typst::compile::<PagedDocument>(world);
    let document = output.map_err(|errors| PdfError::Compile(messages(world, &errors)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| PdfError::Export(messages(world, &errors)))
}

/// The diagnostics one a line: "line 3, column 5: unknown variable: x (hint: …)".
fn messages(world: &world::ReportWorld, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let mut line = match world.line_column(diagnostic) {
                Some((line, column)) => format!("line {line}, column {column}: {}", diagnostic.message),
                None => diagnostic.message.to_string(),
            };
            for hint in &diagnostic.hints {
                line.push_str(&format!(" (hint: {})", hint.v));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl world::ReportWorld {
    /// Where in the main markup a diagnostic points, 1-based, when it points there.
    fn line_column(&self, diagnostic: &SourceDiagnostic) -> Option<(usize, usize)> {
        if diagnostic.span.id()? != typst::World::main(self) {
            return None;
        }
        let range = self.range(diagnostic.span)?;
        let (line, column) = self.main_source().lines().byte_to_line_column(range.start)?;
        Some((line + 1, column + 1))
    }
}
