//! The codes behind a frame's `key` column. Each insats-year is reduced to one integer that
//! encodes its insats' förbund, orientation and target-group set; every insats table comes from
//! a single group-by on that key. Grouping on one integer column is polars' fastest path, and the
//! groups (förbund × orientations × target-group sets in use) stay few enough to finish the
//! arithmetic exactly, in Rust.
//!
//! Every position here is a domain code's `index()`, so a code added to the domain has its slot
//! in the keys, the totals and the exit columns without a change in this crate.

use std::ops::Range;

use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Orientation, Party, TargetGroup};

/// A key's category is its orientation's index.
pub(crate) const ORIENTATIONS: usize = Orientation::ALL.len();
/// Bit `i` of a key's target-group set stands for the target group of index `i`.
pub(crate) const TARGET_GROUPS: usize = TargetGroup::ALL.len();
/// A contributions column per party, named by its code.
pub(crate) const PARTIES: usize = Party::ALL.len();
/// One exit column per reason and gender, see [`exit_column`].
pub(crate) const EXIT_COLUMNS: usize = ExitReason::ALL.len() * Gender::ALL.len();

const GROUP_SETS: i64 = 1 << TARGET_GROUPS;
const CATEGORIES: i64 = ORIENTATIONS as i64;
const PER_FORBUND: i64 = CATEGORIES * GROUP_SETS;

/// The position of an exit column: reasons in domain order, each with its genders in domain
/// order (work women, work men, studies women, …).
pub(crate) fn exit_column(reason: ExitReason, gender: Gender) -> usize {
    reason.index() * Gender::ALL.len() + gender.index()
}

/// The exit columns' names in [`exit_column`] order: `exits_<reason>_<gender>`, as the store
/// names them too.
pub(crate) fn exit_column_names() -> [String; EXIT_COLUMNS] {
    std::array::from_fn(|position| {
        let reason = ExitReason::ALL[position / Gender::ALL.len()];
        let gender = Gender::ALL[position % Gender::ALL.len()];
        debug_assert_eq!(exit_column(reason, gender), position);
        format!("exits_{}_{}", reason.code(), gender.code())
    })
}

/// What one key stands for.
pub(crate) struct KeyParts {
    pub(crate) forbund: usize,
    pub(crate) category: usize,
    pub(crate) groups: u32,
}

/// key = (förbund · orientations + category) · 2^target groups + target-group set.
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
    codes.iter().try_fold(0, |set, code| match TargetGroup::from_code(code) {
        Some(group) => Ok(set | 1 << group.index()),
        None => Err(code.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_columns_are_the_reasons_by_gender() {
        let names = exit_column_names();
        assert_eq!(names[0], "exits_work_women");
        assert_eq!(names[exit_column(ExitReason::JobSeeking, Gender::Men)], "exits_job_seeking_men");
        assert_eq!(names.len(), 8);
    }

    #[test]
    fn a_key_decodes_to_what_was_encoded() {
        let last = Orientation::ALL.len() - 1;
        let all_groups = (1 << TARGET_GROUPS) - 1;
        for (forbund, category, groups) in [(0, 0, 0), (3, last, all_groups), (71, 2, 0b101)] {
            let parts = decode(encode(forbund, category, groups));
            assert_eq!((parts.forbund, parts.category, parts.groups), (forbund as usize, category, groups));
            assert!(forbund_keys(forbund).contains(&encode(forbund, category, groups)));
        }
    }
}
