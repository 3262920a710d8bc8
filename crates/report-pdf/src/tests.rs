//! Rendering real markup and reading the text back out of the PDF with poppler's pdftotext.
//! Without pdftotext the text checks are skipped loudly, except in CI (`CI` set), where they fail.

use std::path::Path;
use std::process::Command;

use super::*;

const PDFTOTEXT: &str = "/usr/bin/pdftotext";

/// Whether pdftotext is here. Without it the text checks are skipped loudly on a developer's
/// machine, and fail in CI (where `CI` is set): .ci/run installs poppler-utils.
fn pdftotext_available() -> bool {
    if Path::new(PDFTOTEXT).exists() {
        return true;
    }
    let message = "the PDF text checks need Debian's poppler-utils (apt-get install poppler-utils)";
    if std::env::var_os("CI").is_some() {
        panic!("CI: {message}");
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let line = "!".repeat(78);
        let _ = writeln!(std::io::stderr(), "\n{line}\n!! SKIPPED: {message}.\n{line}\n");
    });
    false
}

/// The PDF's text as `pdftotext -layout` sees it, with no-break spaces (U+00A0, U+202F) as plain
/// spaces (pdftotext keeps them or not, depending on its version); None without pdftotext.
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
    if !pdftotext_available() {
        return None;
    }
    let file = std::env::temp_dir().join(format!("finsam-report-pdf-{}-{:016x}.pdf", std::process::id(), fnv(pdf)));
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new(PDFTOTEXT).arg("-layout").arg(&file).arg("-").output().unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " "))
}

/// A file name per document, so that tests running in parallel do not share one.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The text with every run of whitespace as one space, for comparing across line breaks.
pub(crate) fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const CHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="10" y="30" width="40" height="60" fill="#1f5f8b"/>
  <rect x="60" y="50" width="40" height="40" fill="#1f5f8b"/>
  <text x="10" y="98" font-family="Libertinus Serif" font-size="8">Deltagare 2023</text>
</svg>"##;

const DOCUMENT: &str = r#"
#set document(title: "Uppföljning av Finsam 2023")
#set text(lang: "sv", font: "Libertinus Serif", size: 11pt)
#set page(paper: "a4", margin: 25mm, numbering: "1")
#set heading(numbering: "1.")

#outline(title: "Innehåll")

= Deltagare

Andelen kvinnor var 54,7 % och deltagarna var 12 608 i hela landet.

Västra Götalands län hade flest.

#table(
  columns: (1fr, auto),
  table.header([*Län*], [*Deltagare*]),
  [Västra Götalands län], [12 608],
  [Skåne län], [9 001],
)

#figure(image("d.svg", width: 60%), caption: [Deltagare per år])
"#;

#[test]
fn a_small_report_renders_to_a_pdf_whose_text_can_be_extracted() {
    let pdf = render(DOCUMENT, &[("d.svg", CHART.as_bytes())]).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF: {:?}", &pdf[..pdf.len().min(16)]);
    let Some(text) = pdf_text(&pdf) else { return };
    for expected in ["Innehåll", "Deltagare", "54,7 %", "12 608", "Västra Götalands län", "Skåne län"] {
        assert!(text.contains(expected), "{expected:?} not in the PDF's text:\n{text}");
    }
}

#[test]
fn escaped_text_is_printed_verbatim_and_never_runs() {
    let hostile = "#panic(\"x\") *fet* _kursiv_ $x$ <a> @b [c] \\ // kommentar = rubrik - lista";
    let tricky = "1. inte en lista ... -- --- -1 https://example.se ~ `kod` {} 'citat' x:y";
    let main = format!(
        "#set text(lang: \"sv\")\n{}\n\n{}\n\n= Rubrik\n{}\n",
        escape(hostile),
        escape(tricky),
        escape("= inte rubrik\n- inte lista\n+ inte heller\n/ term: nej\n12. nej")
    );
    let pdf = render(&main, &[]).unwrap_or_else(|error| panic!("{error}\n{main}"));
    let Some(text) = pdf_text(&pdf) else { return };
    let text = squeezed(&text);
    for expected in [hostile, tricky, "= inte rubrik - inte lista + inte heller / term: nej 12. nej"] {
        assert!(text.contains(&squeezed(expected)), "{expected:?} not verbatim in the PDF's text:\n{text}");
    }
}

#[test]
fn string_literals_hold_any_text() {
    let text = "\"citat\" \\ #x\n[y] \t z \u{1}";
    let main = format!("#set text(lang: \"sv\")\n#let s = {}\n#s.len() #s", string_literal(text));
    let pdf = render(&main, &[]).unwrap_or_else(|error| panic!("{error}\n{main}"));
    assert_eq!(string_literal("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    let Some(text) = pdf_text(&pdf) else { return };
    assert!(
        squeezed(&text).starts_with(&format!("{} \"citat\" \\ #x [y] z", "\"citat\" \\ #x\n[y] \t z \u{1}".len())),
        "{text}"
    );
}

#[test]
fn bad_markup_is_an_error_with_typst_message_and_place() {
    let error = render("#set text(lang: \"sv\")\nHej\n#nope(1)\n", &[]).unwrap_err();
    let PdfError::Compile(message) = &error else { panic!("not a compile error: {error:?}") };
    assert!(message.contains("unknown variable: nope"), "{message}");
    assert!(message.contains("line 3, column 2"), "{message}");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let error = render("#image(\"diagram-9.svg\")", &[("diagram-1.svg", CHART.as_bytes())]).unwrap_err();
    assert!(matches!(error, PdfError::Compile(_)), "{error:?}");
    assert!(error.to_string().contains("diagram-9.svg"), "{error}");
}
