//! Text from data or from people, made safe for Typst markup and code.

/// Text made safe to place in Typst markup content (every markup-significant character escaped:
/// \ # $ * _ ` < > @ [ ] ~ / = - + ' " and line starts), so that a förbund name or an analyst's
/// commentary is printed verbatim and can never run as Typst code.
///
/// Each such character gets a backslash (Typst's escape for "this character, literally"). Also
/// escaped: `.` (`...` is an ellipsis shorthand, `1.` at a line start an enumeration), `:` (term
/// lists) and `{` `}`. With `/` escaped, `//` and `/*` start no comment and `https://` makes no
/// link; with `-` escaped, `--`, `---`, `-?` and `-1` stay as typed; with the quotes escaped they
/// stay straight. Line breaks are kept: one is a space in the output, an empty line a new
/// paragraph, as in the markup around the text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '#'
                | '$'
                | '*'
                | '_'
                | '`'
                | '<'
                | '>'
                | '@'
                | '['
                | ']'
                | '~'
                | '/'
                | '='
                | '-'
                | '+'
                | '\''
                | '"'
                | '.'
                | ':'
                | '{'
                | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Typst string literal (with quotes) for `text`, for use inside code mode.
///
/// Backslash and double quote are escaped, newline, carriage return and tab written as `\n`,
/// `\r`, `\t`, and any other control character as `\u{…}`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
