//! Money: SEK with öre precision, as `Decimal`, never a float. On the wire a decimal string
//! ("250000.00"); plain JSON numbers are accepted too.

use crate::ErrorCode;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// NUMERIC(16,2): fourteen digits before the point.
pub fn max_amount() -> Decimal {
    Decimal::new(9_999_999_999_999_999, 2)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    NotAnAmount,
    TooManyDecimals,
    Negative,
    TooLarge,
}

impl MoneyError {
    pub fn code(self) -> ErrorCode {
        match self {
            MoneyError::NotAnAmount => ErrorCode::NotAnAmount,
            MoneyError::TooManyDecimals => ErrorCode::TooManyDecimals,
            MoneyError::Negative => ErrorCode::NegativeAmount,
            MoneyError::TooLarge => ErrorCode::AmountTooLarge,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            MoneyError::NotAnAmount => "must be an amount in SEK, e.g. \"250000.00\"",
            MoneyError::TooManyDecimals => "must have at most 2 decimals (öre)",
            MoneyError::Negative => "must not be negative",
            MoneyError::TooLarge => "must be less than 100 000 000 000 000 SEK",
        }
    }
}

pub fn parse(value: &Value, allow_negative: bool) -> Result<Decimal, MoneyError> {
    let amount = match value {
        Value::String(text) if is_plain_decimal(text) => Decimal::from_str(text).map_err(|_| MoneyError::TooLarge)?,
        Value::Number(number) => {
            let text = number.to_string();
            Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)).map_err(|_| MoneyError::TooLarge)?
        }
        _ => return Err(MoneyError::NotAnAmount),
    };
    if amount.normalize().scale() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if amount.is_sign_negative() && !amount.is_zero() && !allow_negative {
        return Err(MoneyError::Negative);
    }
    if amount.abs() > max_amount() {
        return Err(MoneyError::TooLarge);
    }
    Ok(amount)
}

/// `-?digits(.digits)?`: no exponent, no spaces, no thousands separators.
fn is_plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && whole.len() <= 20
        && fraction.len() <= 20
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn accepts_strings_and_numbers_with_ore_precision() {
        assert_eq!(parse(&json!("250000.00"), false), Ok(Decimal::new(25_000_000, 2)));
        assert_eq!(parse(&json!("243500.5"), false), Ok(Decimal::new(2_435_005, 1)));
        assert_eq!(parse(&json!(243500.5), false), Ok(Decimal::new(2_435_005, 1)));
        assert_eq!(parse(&json!(1000), false), Ok(Decimal::new(1000, 0)));
        assert_eq!(parse(&json!("1.500"), false), Ok(Decimal::new(15, 1)), "trailing zeros are not öre");
        assert_eq!(parse(&json!("-12.50"), true), Ok(Decimal::new(-1250, 2)));
        assert_eq!(parse(&json!("99999999999999.99"), false), Ok(max_amount()));
    }

    #[test]
    fn refuses_what_is_not_money() {
        for (value, error) in [
            (json!("1.005"), MoneyError::TooManyDecimals),
            (json!(0.001), MoneyError::TooManyDecimals),
            (json!("-1.00"), MoneyError::Negative),
            (json!("100000000000000.00"), MoneyError::TooLarge),
            (json!(1e300), MoneyError::TooLarge),
            (json!("1 000"), MoneyError::NotAnAmount),
            (json!("1e5"), MoneyError::NotAnAmount),
            (json!("12,50"), MoneyError::NotAnAmount),
            (json!(""), MoneyError::NotAnAmount),
            (json!("."), MoneyError::NotAnAmount),
            (json!(null), MoneyError::NotAnAmount),
            (json!(true), MoneyError::NotAnAmount),
        ] {
            assert_eq!(parse(&value, false), Err(error), "{value}");
        }
    }
}
