//! Each förbund's area: its member municipalities with their shares, and the försörjningsmått and
//! inhabitants they bring, checked against the rules the inputs must follow.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use super::error::AllocationError;
use super::inputs::{AllocationInput, ForbundInput, MunicipalityStatistics};
use super::result::MunicipalityPart;

/// One förbund with what its municipalities bring to the keys.
pub(super) struct Area<'a> {
    pub forbund: &'a ForbundInput,
    pub municipalities: Vec<MunicipalityPart>,
    /// Σ share × försörjningsmått, SEK thousands.
    pub forsorjningsmatt: Decimal,
    /// Σ share × inhabitants aged 16–64.
    pub inhabitants_16_64: Decimal,
}

/// The förbund's areas, ordered by key, or every rule the inputs break. `equity_needed`: the
/// year's equity rule depends on each förbund's standing against the recommendation.
pub(super) fn areas(input: &AllocationInput, equity_needed: bool) -> Result<Vec<Area<'_>>, Vec<AllocationError>> {
    let mut errors = Vec::new();
    let statistics = statistics_by_code(&input.statistics.municipalities, &mut errors);
    let mut areas = forbund_by_key(&input.forbund, equity_needed, &mut errors);
    let mut shares: HashMap<&str, Decimal> = HashMap::new();
    let mut seen = HashSet::new();
    for (index, membership) in input.memberships.iter().enumerate() {
        let (forbund, municipality) = (&membership.forbund_key, &membership.municipality_code);
        let Some((_, area)) = areas.get_mut(forbund.as_str()) else {
            errors.push(AllocationError::UnknownForbund { index, forbund: forbund.clone() });
            continue;
        };
        if !seen.insert((forbund.as_str(), municipality.as_str())) {
            let (forbund, municipality) = (forbund.clone(), municipality.clone());
            errors.push(AllocationError::DuplicateMembership { index, forbund, municipality });
            continue;
        }
        let share = membership.share;
        if share < Decimal::ZERO || share > Decimal::ONE {
            errors.push(AllocationError::ShareOutOfRange { index, municipality: municipality.clone() });
            continue;
        }
        let total = shares.entry(municipality).or_default();
        let before = *total;
        *total += share;
        if before <= Decimal::ONE && *total > Decimal::ONE {
            errors.push(AllocationError::SharesExceedOne { index, municipality: municipality.clone(), total: *total });
        }
        let Some(statistic) = statistics.get(municipality.as_str()) else {
            errors.push(AllocationError::MissingStatistics { index, municipality: municipality.clone() });
            continue;
        };
        area.municipalities.push(MunicipalityPart {
            municipality_code: municipality.clone(),
            share,
            inhabitants_16_64: statistic.inhabitants_16_64,
            forsorjningsmatt: statistic.forsorjningsmatt,
            counted_inhabitants_16_64: share * Decimal::from(statistic.inhabitants_16_64),
            counted_forsorjningsmatt: share * statistic.forsorjningsmatt,
        });
    }
    // A sum that went over 1 is reported once, at the membership that took it there; the final
    // sum is the one worth showing.
    for error in &mut errors {
        if let AllocationError::SharesExceedOne { municipality, total, .. } = error {
            *total = shares[municipality.as_str()];
        }
    }
    let with_members: HashSet<&str> = input.memberships.iter().map(|m| m.forbund_key.as_str()).collect();
    for (key, (index, area)) in &areas {
        if !with_members.contains(key) {
            errors.push(AllocationError::NoMembers { index: *index, forbund: area.forbund.forbund_key.clone() });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(areas
        .into_values()
        .map(|(_, mut area)| {
            area.municipalities.sort_by(|a, b| a.municipality_code.cmp(&b.municipality_code));
            area.forsorjningsmatt = area.municipalities.iter().map(|m| m.counted_forsorjningsmatt).sum();
            area.inhabitants_16_64 = area.municipalities.iter().map(|m| m.counted_inhabitants_16_64).sum();
            area
        })
        .collect())
}

fn statistics_by_code<'a>(
    rows: &'a [MunicipalityStatistics],
    errors: &mut Vec<AllocationError>,
) -> HashMap<&'a str, &'a MunicipalityStatistics> {
    let mut by_code = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let municipality = || row.municipality_code.clone();
        if row.inhabitants_16_64 < 0 {
            errors.push(AllocationError::NegativeInhabitants { index, municipality: municipality() });
        }
        if row.forsorjningsmatt < Decimal::ZERO {
            errors.push(AllocationError::NegativeForsorjningsmatt { index, municipality: municipality() });
        }
        if by_code.insert(row.municipality_code.as_str(), row).is_some() {
            errors.push(AllocationError::DuplicateStatistics { index, municipality: municipality() });
        }
    }
    by_code
}

/// The förbund by key (so that ties in the rounding fall the same way whatever the order given),
/// each with its index in the input for the error paths.
fn forbund_by_key<'a>(
    forbund: &'a [ForbundInput],
    equity_needed: bool,
    errors: &mut Vec<AllocationError>,
) -> BTreeMap<&'a str, (usize, Area<'a>)> {
    if forbund.is_empty() {
        errors.push(AllocationError::NoForbund);
    }
    let mut by_key = BTreeMap::new();
    for (index, f) in forbund.iter().enumerate() {
        let key = || f.forbund_key.clone();
        if f.previous_allocation.is_some_and(|p| p < Decimal::ZERO) {
            errors.push(AllocationError::NegativePreviousAllocation { index, forbund: key() });
        }
        if equity_needed && f.equity_above_recommendation.is_none() {
            errors.push(AllocationError::EquityAssessmentMissing { index, forbund: key() });
        }
        let area = Area {
            forbund: f,
            municipalities: Vec::new(),
            forsorjningsmatt: Decimal::ZERO,
            inhabitants_16_64: Decimal::ZERO,
        };
        match by_key.entry(f.forbund_key.as_str()) {
            Entry::Vacant(entry) => {
                entry.insert((index, area));
            }
            Entry::Occupied(_) => errors.push(AllocationError::DuplicateForbund { index, forbund: key() }),
        }
    }
    by_key
}
