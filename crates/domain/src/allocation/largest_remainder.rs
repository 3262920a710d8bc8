//! Largest-remainder rounding (Hamilton's method) in exact integer arithmetic: whole kronor that
//! sum to exactly the amount split. Integers rather than decimal division, so that no quotient is
//! rounded to 28 digits before the remainders are compared.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::error::AllocationError;

/// `total` whole kronor split in proportion to `weights` (non-negative, not all zero): each part
/// gets the whole kronor of its exact quota, and the kronor left over go one each to the parts
/// with the largest remainders, ties to the earlier part.
///
/// When one weight grows and none of the others does, its part never shrinks: its quota grows and
/// every other remainder that could pass it either shrinks or, if its whole kronor fell by one,
/// adds the krona it lost to those left over (`tests::a_growing_weight_never_loses_a_krona`).
pub(super) fn split(total: i128, weights: &[Decimal]) -> Result<Vec<i128>, AllocationError> {
    let weights = common_scale(weights)?;
    let sum = weights.iter().try_fold(0i128, |sum, w| sum.checked_add(*w)).ok_or(AllocationError::TooLargeToCompute)?;
    assert!(sum > 0, "split() needs a weight above zero");
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for weight in &weights {
        let numerator = total.checked_mul(*weight).ok_or(AllocationError::TooLargeToCompute)?;
        parts.push(numerator / sum);
        remainders.push(numerator % sum);
    }
    let left_over = total - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    for &i in order.iter().take(usize::try_from(left_over).expect("fewer kronor left over than parts")) {
        parts[i] += 1;
    }
    Ok(parts)
}

/// The weights as integers, all multiplied by the same power of ten.
fn common_scale(weights: &[Decimal]) -> Result<Vec<i128>, AllocationError> {
    let weights: Vec<Decimal> = weights.iter().map(|w| w.normalize()).collect();
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    weights
        .iter()
        .map(|w| {
            10i128
                .checked_pow(scale - w.scale())
                .and_then(|f| w.mantissa().checked_mul(f))
                .ok_or(AllocationError::TooLargeToCompute)
        })
        .collect()
}

/// A whole-kronor amount as an integer.
pub(super) fn kronor(amount: Decimal) -> Result<i128, AllocationError> {
    amount.trunc().to_i128().ok_or(AllocationError::TooLargeToCompute)
}

pub(super) fn decimal(kronor: i128) -> Decimal {
    Decimal::from_i128_with_scale(kronor, 0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn left_over_kronor_go_to_the_largest_remainders() {
        // 10 by 1:1:1 = 3.33… each; one krona left over, tied, goes to the first.
        assert_eq!(split(10, &[d("1"), d("1"), d("1")]).unwrap(), [4, 3, 3]);
        // 100 by 0.125 / 0.5 / 0.375 = 12.5, 50, 37.5: ties again to the earlier.
        assert_eq!(split(100, &[d("0.125"), d("0.5"), d("0.375")]).unwrap(), [13, 50, 37]);
        // 7 by 1:2:4 = 1, 2, 4 exactly.
        assert_eq!(split(7, &[d("1"), d("2.0"), d("4.00")]).unwrap(), [1, 2, 4]);
        // A zero weight gets nothing, even with kronor left over.
        assert_eq!(split(2, &[d("0"), d("1"), d("1")]).unwrap(), [0, 1, 1]);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn parts_sum_to_the_total_and_stay_within_a_krona_of_their_quota(
            total in 0i128..10_000_000_000,
            weights in prop::collection::vec(0u64..1_000_000, 1..12),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let sum: u64 = weights.iter().sum();
            let parts = split(total, &weights.iter().map(|w| Decimal::from(*w)).collect::<Vec<_>>()).unwrap();
            prop_assert_eq!(parts.iter().sum::<i128>(), total);
            for (part, weight) in parts.iter().zip(&weights) {
                let quota_floor = total * i128::from(*weight) / i128::from(sum);
                prop_assert!(*part == quota_floor || *part == quota_floor + 1);
            }
        }

        #[test]
        fn a_growing_weight_never_loses_a_krona(
            // Small steps against few kronor, so that the kronor left over decide.
            total in 0i128..100,
            weights in prop::collection::vec(0u64..1000, 2..8),
            which in any::<prop::sample::Index>(),
            more in 1u64..20,
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let i = which.index(weights.len());
            let before = split(total, &weights.iter().map(|w| Decimal::from(*w)).collect::<Vec<_>>()).unwrap();
            let mut grown = weights.clone();
            grown[i] += more;
            let after = split(total, &grown.iter().map(|w| Decimal::from(*w)).collect::<Vec<_>>()).unwrap();
            prop_assert!(after[i] >= before[i], "{:?} → {:?}", before, after);
        }
    }
}
