//! The codes behind a frame's `key` column. Each insats-year is reduced to one integer that
//! encodes its insats' förbund, orientation and target-group set; every insats table comes from
//! a single group-by on that key. Grouping on one integer column is polars' fastest path, and the
//! groups (förbund × 7 orientations × target-group sets in use) stay few enough to finish the
//! arithmetic exactly, in Rust.

use std::ops::Range;

/// The four individual orientations, then the three structural ones: a key's category.
pub(crate) const ORIENTATIONS: [&str; 7] = [
    "work_oriented",
    "preparatory",
    "identify_needs",
    "preventive",
    "develop_cooperation",
    "competence_raising",
    "needs_analysis",
];
pub(crate) const INDIVIDUAL: Range<usize> = 0..4;
pub(crate) const STRUCTURAL: Range<usize> = 4..7;

/// Bit `i` of a key's target-group set stands for `TARGET_GROUPS[i]`.
pub(crate) const TARGET_GROUPS: [&str; 6] = [
    "women_only",
    "men_only",
    "young",
    "young_with_disability",
    "young_with_activity_compensation",
    "long_term_sick_listed",
];

/// In the order of `InsatsYearRow::exits`; women then men for each.
pub(crate) const EXIT_REASONS: [&str; 4] = ["work", "studies", "job_seeking", "other"];
pub(crate) const EXIT_COLUMNS: [&str; 8] = [
    "exits_work_women",
    "exits_work_men",
    "exits_studies_women",
    "exits_studies_men",
    "exits_job_seeking_women",
    "exits_job_seeking_men",
    "exits_other_women",
    "exits_other_men",
];

const GROUP_SETS: i64 = 1 << TARGET_GROUPS.len();
const CATEGORIES: i64 = ORIENTATIONS.len() as i64;
const PER_FORBUND: i64 = CATEGORIES * GROUP_SETS;

/// What one key stands for.
pub(crate) struct KeyParts {
    pub(crate) forbund: usize,
    pub(crate) category: usize,
    pub(crate) groups: u32,
}

/// key = (förbund · 7 + category) · 64 + target-group set.
pub(crate) fn encode(forbund: u32, category: usize, groups: u32) -> i64 {
    i64::from(forbund) * PER_FORBUND + category as i64 * GROUP_SETS + i64::from(groups)
}

pub(crate) fn decode(key: i64) -> KeyParts {
    KeyParts {
        forbund: (key / PER_FORBUND) as usize,
        category: (key % PER_FORBUND / GROUP_SETS) as usize,
        groups: (key % GROUP_SETS) as u32,
    }
}

/// The keys of one förbund's insatser: a range, so selecting a förbund is a cheap comparison.
pub(crate) fn forbund_keys(forbund: u32) -> Range<i64> {
    encode(forbund, 0, 0)..encode(forbund + 1, 0, 0)
}

/// The target-group set as bits; `Err` with the first unknown code.
pub(crate) fn target_group_set(codes: &[String]) -> Result<u32, &str> {
    codes.iter().try_fold(0, |set, code| match TARGET_GROUPS.iter().position(|g| g == code) {
        Some(bit) => Ok(set | 1 << bit),
        None => Err(code.as_str()),
    })
}
