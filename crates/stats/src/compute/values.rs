//! How figures become cell values: counts as whole numbers, money from öre with two decimals,
//! shares as percent rounded once to one decimal from the exact integers (never via a float,
//! which could land a true x.x5 on the wrong side).

use rust_decimal::Decimal;

pub(crate) fn count(n: i64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

pub(crate) fn money(ore: i64) -> Option<Decimal> {
    Some(Decimal::new(ore, 2))
}

/// `part / whole` in percent, rounded half away from zero to one decimal; `None` for a share
/// of nothing.
pub(crate) fn share(part: i64, whole: i64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    // Tenths of a percent = part * 1000 / whole; i128 keeps part * 1000 exact for any i64.
    let numerator = i128::from(part) * 1000;
    let denominator = i128::from(whole);
    // Adding half the divisor before the truncating division rounds the magnitude half up,
    // i.e. half away from zero once the sign is put back.
    let tenths = (2 * numerator.abs() + denominator.abs()) / (2 * denominator.abs());
    let signed = if (numerator < 0) != (denominator < 0) { -tenths } else { tenths };
    Some(Decimal::from_i128_with_scale(signed, 1))
}
