//! Words that state a share, chosen by the share as printed (whole percent), so that the words
//! and the number beside them cannot disagree. Each word has a code naming its range; the ranges
//! cover 0–100 without gaps or overlaps.

use rust_decimal::Decimal;

/// (code, word, lowest whole percent, highest whole percent), both inclusive.
pub const SHARE_WORDS: &[(&str, &str, i64, i64)] = &[
    ("none", "ingen", 0, 0),
    ("few", "en liten del", 1, 24),
    ("about_a_third", "ungefär en tredjedel", 25, 39),
    ("under_half", "knappt hälften", 40, 49),
    ("half", "hälften", 50, 50),
    ("over_half", "drygt hälften", 51, 59),
    ("majority", "majoriteten", 60, 99),
    ("all", "samtliga", 100, 100),
];

/// The word for a whole percentage (0–100), with its code.
pub fn share_word(whole_percent: Decimal) -> (&'static str, &'static str) {
    let p = whole_percent.trunc().try_into().unwrap_or(0i64).clamp(0, 100);
    SHARE_WORDS
        .iter()
        .find(|(_, _, low, high)| (*low..=*high).contains(&p))
        .map(|(code, word, _, _)| (*code, *word))
        .expect("the ranges cover 0–100")
}

/// "fler" or "färre" or "lika många": how `a` compares with `b`.
pub fn more_or_fewer(a: Decimal, b: Decimal) -> (&'static str, &'static str) {
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => ("more", "fler"),
        std::cmp::Ordering::Less => ("fewer", "färre"),
        std::cmp::Ordering::Equal => ("as_many", "lika många"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ranges_cover_every_whole_percent_once() {
        for p in 0..=100 {
            let n = SHARE_WORDS.iter().filter(|(_, _, low, high)| (*low..=*high).contains(&p)).count();
            assert_eq!(n, 1, "{p} % is in {n} ranges");
        }
        assert_eq!(share_word(Decimal::from(50)), ("half", "hälften"));
        assert_eq!(share_word(Decimal::from(55)), ("over_half", "drygt hälften"));
        assert_eq!(share_word(Decimal::from(49)), ("under_half", "knappt hälften"));
        assert_eq!(share_word(Decimal::from(83)), ("majority", "majoriteten"));
    }
}
