//! The tables that count insatser: by kind, individual and structural by orientation, and
//! individual insatser by target group. An insats counts in a year when it has figures for it.

use finsam_domain::codes::Code;
use finsam_domain::{Kind, TargetGroup};
use rust_decimal::Decimal;

use super::totals::YearTotals;
use super::values::{count, share};

/// `kind` × `measure`; shares of all insatser.
pub(crate) fn by_kind(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[kind, measure] = codes else { panic!("insatser-by-kind has two dimensions after year") };
    let total = year.all().insatser;
    let n = match Kind::from_code(kind) {
        Some(kind) => year.of_kind(kind).insatser,
        None if kind == "total" => total,
        None => panic!("insatser-by-kind has no kind {kind}"),
    };
    match measure {
        "insatser" => count(n),
        "share" => share(n, total),
        _ => panic!("insatser-by-kind has no measure {measure}"),
    }
}

/// `orientation` × `measure`; shares of all individual insatser.
pub(crate) fn individual(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[orientation, measure] = codes else { panic!("individual-insatser has two dimensions after year") };
    let total = year.individual();
    let n = year.orientation(orientation, total).insatser;
    match measure {
        "insatser" => count(n),
        "share" => share(n, total.insatser),
        _ => panic!("individual-insatser has no measure {measure}"),
    }
}

/// `orientation` × `measure`. Participants are summed over the insatser that track them only;
/// an untracked insats still counts among the insatser.
pub(crate) fn structural(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[orientation, measure] = codes else { panic!("structural-insatser has two dimensions after year") };
    let total = year.structural();
    let figures = year.orientation(orientation, total);
    match measure {
        "insatser" => count(figures.insatser),
        "share" => share(figures.insatser, total.insatser),
        "tracking_participants" => count(figures.tracking),
        "participants" => count(figures.participants()),
        "share_of_participants" => share(figures.participants(), total.participants()),
        _ => panic!("structural-insatser has no measure {measure}"),
    }
}

/// `target_group` × `measure`: individual insatser, each counted once in every group it has;
/// `none` counts those with no specific target group.
pub(crate) fn target_groups(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[group, measure] = codes else { panic!("target-groups has two dimensions after year") };
    assert_eq!(measure, "insatser", "target-groups has no measure {measure}");
    if group == "none" {
        return count(year.no_target_group);
    }
    let group = TargetGroup::from_code(group).unwrap_or_else(|| panic!("target-groups has no group {group}"));
    count(year.target_groups[group.index()])
}
