//! Swedish typography for figures: decimal comma, a no-break space between groups of three and
//! before "%", a minus sign (U+2212). Rounding is the tables' rule, half away from zero; a value
//! printed with fewer decimals than its table has is rounded once more from the table's value,
//! so that a reader of the table gets the same figure.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::Form;

pub const NBSP: char = '\u{a0}';
pub const MINUS: char = '\u{2212}';

/// `value` as `form` prints it.
pub fn format(value: Decimal, form: Form) -> String {
    match form {
        Form::Count | Form::Sek => grouped(value, 0),
        Form::Percent(decimals) => format!("{}{NBSP}%", grouped(value, decimals)),
        Form::Msek(decimals) => grouped(value / Decimal::from(1_000_000), decimals),
    }
}

/// The value `form` shows, before it is written out: what a sentence's words must follow.
pub fn shown(value: Decimal, form: Form) -> Decimal {
    match form {
        Form::Count | Form::Sek => round(value, 0),
        Form::Percent(d) => round(value, d),
        Form::Msek(d) => round(value / Decimal::from(1_000_000), d),
    }
}

pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// 1234567.456 at 2 decimals → "1 234 567,46".
pub fn grouped(value: Decimal, decimals: u32) -> String {
    let rounded = round(value, decimals);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push(MINUS);
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push(',');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    #[test]
    fn swedish_forms() {
        assert_eq!(format(dec("12608"), Form::Count), "12\u{a0}608");
        assert_eq!(format(dec("54.7"), Form::Percent(1)), "54,7\u{a0}%");
        assert_eq!(format(dec("54.5"), Form::Percent(0)), "55\u{a0}%");
        assert_eq!(format(dec("49.5"), Form::Percent(0)), "50\u{a0}%");
        assert_eq!(format(dec("339000000"), Form::Msek(0)), "339");
        assert_eq!(format(dec("337930000"), Form::Msek(2)), "337,93");
        assert_eq!(format(dec("-14000000"), Form::Msek(0)), "\u{2212}14");
        assert_eq!(format(dec("-0.4"), Form::Count), "0");
        assert_eq!(format(dec("498000000.00"), Form::Sek), "498\u{a0}000\u{a0}000");
        assert_eq!(format(dec("100"), Form::Percent(1)), "100,0\u{a0}%");
    }

    #[test]
    fn shown_is_what_is_printed() {
        assert_eq!(shown(dec("54.45"), Form::Percent(0)), dec("54"));
        assert_eq!(shown(dec("1070000"), Form::Msek(2)), dec("1.07"));
    }
}
