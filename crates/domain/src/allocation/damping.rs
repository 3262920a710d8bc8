//! Damping: no protected förbund falls by more than the year's limit from its previous
//! allocation. Those the keys leave under their floor are lifted to it; the cost is taken from
//! all the others in proportion to their allocations before damping; whoever that pushes under its
//! own floor is held there too, and the rest is spread again, until no one more falls under.

use rust_decimal::Decimal;

use super::error::AllocationError;
use super::inputs::ForbundInput;
use super::largest_remainder::{decimal, split};
use super::parameters::{DampingRule, EquityRule};
use super::result::Protection;

pub(super) struct Damped {
    pub totals: Vec<i128>,
    pub protection: Vec<Protection>,
    pub rounds: u32,
}

/// `before`: each förbund's allocation before damping, whole kronor, summing to `distributed`.
pub(super) fn damp(
    before: &[i128],
    forbund: &[&ForbundInput],
    rule: DampingRule,
    distributed: i128,
) -> Result<Damped, AllocationError> {
    let DampingRule::Floor { max_fall, equity_rule } = rule else {
        return Ok(Damped {
            totals: before.to_vec(),
            protection: vec![Protection::NoDamping; before.len()],
            rounds: 0,
        });
    };
    let floors: Vec<Option<i128>> = forbund
        .iter()
        .map(|f| match f.previous_allocation {
            Some(_) if excluded(f, equity_rule) => Ok(None),
            Some(previous) => floor(previous, max_fall).map(Some),
            None => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    let mut held = vec![false; before.len()];
    let mut totals = before.to_vec();
    let mut rounds = 0;
    loop {
        let under: Vec<usize> =
            (0..totals.len()).filter(|&i| !held[i] && floors[i].is_some_and(|floor| totals[i] < floor)).collect();
        if under.is_empty() {
            break;
        }
        rounds += 1;
        for i in under {
            held[i] = true;
        }
        let held_floors: i128 = (0..totals.len()).filter(|&i| held[i]).filter_map(|i| floors[i]).sum();
        if held_floors > distributed {
            return Err(AllocationError::DampingInfeasible {
                floors: decimal(held_floors),
                distributed: decimal(distributed),
            });
        }
        let others: Vec<usize> = (0..totals.len()).filter(|&i| !held[i]).collect();
        let weights: Vec<Decimal> = others.iter().map(|&i| decimal(before[i])).collect();
        // With nothing before damping among the others there is nothing to take from them; the
        // floors then cover all that is distributed, or the check above has refused them.
        let spread = if weights.iter().any(|w| !w.is_zero()) {
            split(distributed - held_floors, &weights)?
        } else {
            vec![0; others.len()]
        };
        for (&i, total) in others.iter().zip(spread) {
            totals[i] = total;
        }
        for i in (0..totals.len()).filter(|&i| held[i]) {
            totals[i] = floors[i].expect("only förbund with a floor are held");
        }
    }
    let protection = forbund
        .iter()
        .zip(&floors)
        .zip(&held)
        .map(|((f, floor), &held)| match (f.previous_allocation, floor) {
            (None, _) => Protection::NoPreviousAllocation,
            (Some(_), None) => Protection::ExcludedForEquity,
            (Some(_), Some(floor)) if held => Protection::HeldAtFloor { floor: decimal(*floor) },
            (Some(_), Some(floor)) => Protection::AboveFloor { floor: decimal(*floor) },
        })
        .collect();
    Ok(Damped { totals, protection, rounds })
}

fn excluded(forbund: &ForbundInput, rule: EquityRule) -> bool {
    rule == EquityRule::ExcludedFromProtection && forbund.equity_above_recommendation == Some(true)
}

/// The least whole kronor that is no more than `max_fall` below `previous`: previous × (1 −
/// max_fall), rounded up, so that rounding never lets a protected förbund fall further.
fn floor(previous: Decimal, max_fall: Decimal) -> Result<i128, AllocationError> {
    let (previous, kept) = (previous.normalize(), (Decimal::ONE - max_fall).normalize());
    let product = previous.mantissa().checked_mul(kept.mantissa()).ok_or(AllocationError::TooLargeToCompute)?;
    let unit = 10i128.checked_pow(previous.scale() + kept.scale()).ok_or(AllocationError::TooLargeToCompute)?;
    let whole = product / unit + i128::from(product % unit != 0);
    Ok(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn forbund(previous: Option<&str>, above: Option<bool>) -> ForbundInput {
        ForbundInput {
            forbund_key: "f".to_owned(),
            previous_allocation: previous.map(d),
            equity_above_recommendation: above,
        }
    }

    fn ten_percent(equity_rule: EquityRule) -> DampingRule {
        DampingRule::Floor { max_fall: d("0.10"), equity_rule }
    }

    #[test]
    fn floors_are_rounded_up_to_whole_kronor() {
        assert_eq!(floor(d("1000000"), d("0.10")).unwrap(), 900_000);
        // 1 234 567.89 × 0.9 = 1 111 111.101 → 1 111 112.
        assert_eq!(floor(d("1234567.89"), d("0.1")).unwrap(), 1_111_112);
        assert_eq!(floor(d("500"), d("1")).unwrap(), 0);
        assert_eq!(floor(d("500"), d("0")).unwrap(), 500);
    }

    #[test]
    fn whoever_the_cost_pushes_under_its_floor_is_held_there_in_a_further_round() {
        // Previous 1000, 1000, 1000; floors 900 each. Before damping 600, 920, 1480 (3000).
        // Round 1: the first is lifted to 900; the other two share 2100 in proportion 920:1480:
        // 2100 × 920 / 2400 = 805 → under 900, so round 2 holds it at 900 too;
        // the third gets 3000 − 1800 = 1200.
        let all = [forbund(Some("1000"), None), forbund(Some("1000"), None), forbund(Some("1000"), None)];
        let refs: Vec<&ForbundInput> = all.iter().collect();
        let damped = damp(&[600, 920, 1480], &refs, ten_percent(EquityRule::NoEffect), 3000).unwrap();
        assert_eq!(damped.totals, [900, 900, 1200]);
        assert_eq!(damped.rounds, 2);
        let floor = d("900");
        assert_eq!(
            damped.protection,
            [Protection::HeldAtFloor { floor }, Protection::HeldAtFloor { floor }, Protection::AboveFloor { floor }]
        );
    }

    #[test]
    fn equity_above_the_recommendation_takes_the_protection_away_only_under_that_rule() {
        // Before 700 and 1300 (2000), previous 1000 each, floors 900.
        let all = [forbund(Some("1000"), Some(true)), forbund(Some("1000"), Some(false))];
        let refs: Vec<&ForbundInput> = all.iter().collect();
        let excluded = damp(&[700, 1300], &refs, ten_percent(EquityRule::ExcludedFromProtection), 2000).unwrap();
        assert_eq!(excluded.totals, [700, 1300]);
        assert_eq!(excluded.protection[0], Protection::ExcludedForEquity);
        // Without the rule it is lifted by 200, which the other bears.
        let protected = damp(&[700, 1300], &refs, ten_percent(EquityRule::NoEffect), 2000).unwrap();
        assert_eq!(protected.totals, [900, 1100]);
    }

    #[test]
    fn a_förbund_new_this_year_has_no_floor_and_floors_beyond_the_money_are_refused() {
        let all = [forbund(None, None), forbund(Some("3000"), None)];
        let refs: Vec<&ForbundInput> = all.iter().collect();
        // Floor 2700 of 2000 distributed.
        let error = damp(&[1000, 1000], &refs, ten_percent(EquityRule::NoEffect), 2000).err().unwrap();
        assert_eq!(error, AllocationError::DampingInfeasible { floors: d("2700"), distributed: d("2000") });
        let damped = damp(&[100, 2900], &refs, ten_percent(EquityRule::NoEffect), 3000).unwrap();
        assert_eq!(damped.protection[0], Protection::NoPreviousAllocation);
        assert_eq!(damped.rounds, 0);
    }
}
