//! Properties over random years: 1–7 förbund with 1–3 municipalities of their own each (some
//! counted only in part), up to two municipalities split between two förbund, any weights, a
//! damping limit of 0–50 % or none, either equity rule, and previous allocations around an even
//! share (some förbund without one).

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

/// inhabitants 16–64, försörjningsmått (SEK thousands), share in hundredths.
type Own = (i64, i64, i64);
/// the two förbund, the first's share in hundredths, inhabitants, försörjningsmått.
type Split = (Index, Index, i64, i64, i64);

#[derive(Debug, Clone)]
struct Year {
    frame: i64,
    support_percent: i64,
    base_percent: i64,
    forsorjningsmatt_percent: i64,
    max_fall_percent: Option<i64>,
    equity_excludes: bool,
}

fn own() -> impl Strategy<Value = Own> {
    (1i64..200_000, 1i64..5_000_000, prop_oneof![3 => Just(100i64), 1 => 1i64..=100])
}

fn year() -> impl Strategy<Value = Year> {
    (10_000_000i64..1_000_000_000, 0i64..=10, 0i64..=100, 0i64..=100, prop::option::of(0i64..=50), any::<bool>())
        .prop_map(
            |(frame, support_percent, base_percent, forsorjningsmatt_percent, max_fall_percent, equity_excludes)| {
                Year {
                    frame,
                    support_percent,
                    base_percent,
                    forsorjningsmatt_percent,
                    max_fall_percent,
                    equity_excludes,
                }
            },
        )
}

fn inputs() -> impl Strategy<Value = AllocationInput> {
    (1usize..8)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(prop::collection::vec(own(), 1..4), n),
                prop::collection::vec(
                    (any::<Index>(), any::<Index>(), 1i64..100, 0i64..100_000, 0i64..1_000_000),
                    0..3,
                ),
                year(),
                // Previous allocation in % of an even share (with öre), and the equity standing.
                prop::collection::vec((prop::option::weighted(0.8, 5_000i64..15_000), any::<bool>()), n),
            )
        })
        .prop_map(|(owns, splits, year, previous)| build(&owns, &splits, &year, &previous))
}

fn build(owns: &[Vec<Own>], splits: &[Split], year: &Year, previous: &[(Option<i64>, bool)]) -> AllocationInput {
    let n = owns.len() as i64;
    let support = year.frame * year.support_percent / 100;
    let distributed = year.frame - support;
    let base = distributed / n * year.base_percent / 100;
    let weight = Decimal::new(year.forsorjningsmatt_percent, 2);
    let mut statistics = Vec::new();
    let mut memberships = Vec::new();
    for (f, municipalities) in owns.iter().enumerate() {
        for (m, &(inhabitants, forsorjningsmatt, share)) in municipalities.iter().enumerate() {
            let code = format!("{f:02}{m:02}");
            statistics.push(MunicipalityStatistics {
                municipality_code: code.clone(),
                inhabitants_16_64: inhabitants,
                forsorjningsmatt: Decimal::from(forsorjningsmatt),
            });
            memberships.push(Membership {
                forbund_key: key(f),
                municipality_code: code,
                share: Decimal::new(share, 2),
            });
        }
    }
    for (s, (a, b, share, inhabitants, forsorjningsmatt)) in splits.iter().enumerate() {
        let (a, b) = (a.index(owns.len()), b.index(owns.len()));
        let code = format!("99{s:02}");
        statistics.push(MunicipalityStatistics {
            municipality_code: code.clone(),
            inhabitants_16_64: *inhabitants,
            forsorjningsmatt: Decimal::from(*forsorjningsmatt),
        });
        memberships.push(Membership {
            forbund_key: key(a),
            municipality_code: code.clone(),
            share: Decimal::new(*share, 2),
        });
        if b != a {
            let rest = Decimal::new(100 - share, 2);
            memberships.push(Membership { forbund_key: key(b), municipality_code: code, share: rest });
        }
    }
    let forbund = previous
        .iter()
        .enumerate()
        .map(|(f, (percent, above))| ForbundInput {
            forbund_key: key(f),
            // An even share × percent / 10 000, in öre.
            previous_allocation: percent.map(|p| Decimal::new(distributed / n * p / 100, 2)),
            equity_above_recommendation: Some(*above),
        })
        .collect();
    AllocationInput {
        parameters: AllocationParameters {
            year: 2025,
            frame: Some(Decimal::from(year.frame)),
            national_support: Some(Decimal::from(support)),
            base_amount: Some(Decimal::from(base)),
            forsorjningsmatt_weight: Some(weight),
            population_weight: Some(Decimal::ONE - weight),
            damping: Some(match year.max_fall_percent {
                Some(p) => Damping::MaxFall(Decimal::new(p, 2)),
                None => Damping::None,
            }),
            equity_rule: Some(if year.equity_excludes {
                EquityRule::ExcludedFromProtection
            } else {
                EquityRule::NoEffect
            }),
            statistics_year: Some(2023),
        },
        statistics: ReferenceStatistics { year: 2023, municipalities: statistics },
        forbund,
        memberships,
    }
}

fn key(f: usize) -> String {
    format!("f{f}")
}

/// The allocation, unless the floors cannot all be met (refused, and tested elsewhere).
fn allocated(input: &AllocationInput) -> Result<Allocation, TestCaseError> {
    match allocate(input) {
        Ok(allocation) => Ok(allocation),
        Err(errors) if matches!(errors[..], [AllocationError::DampingInfeasible { .. }]) => {
            Err(TestCaseError::reject("floors beyond the money"))
        }
        Err(errors) => Err(TestCaseError::fail(format!("refused: {errors:?}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_allocations_sum_to_what_is_distributed_to_the_krona(input in inputs()) {
        let allocation = allocated(&input)?;
        let sum = |column: fn(&ForbundAllocation) -> Decimal| allocation.forbund.iter().map(column).sum::<Decimal>();
        prop_assert_eq!(sum(|f| f.total), allocation.distributed);
        prop_assert_eq!(allocation.distributed, input.parameters.frame.unwrap() - input.parameters.national_support.unwrap());
        prop_assert_eq!(sum(|f| f.base), allocation.base_total);
        prop_assert_eq!(sum(|f| f.by_forsorjningsmatt), allocation.by_forsorjningsmatt_total);
        prop_assert_eq!(sum(|f| f.by_population), allocation.by_population_total);
        prop_assert_eq!(sum(|f| f.damping_adjustment), Decimal::ZERO);
        prop_assert_eq!(allocation.base_total + allocation.by_forsorjningsmatt_total + allocation.by_population_total, allocation.distributed);
        for f in &allocation.forbund {
            prop_assert_eq!(f.before_damping() + f.damping_adjustment, f.total);
            prop_assert!(f.total.fract().is_zero() && f.by_forsorjningsmatt.fract().is_zero() && f.by_population.fract().is_zero());
            prop_assert!(f.total >= Decimal::ZERO);
        }
    }

    #[test]
    fn more_forsorjningsmatt_or_inhabitants_never_lowers_a_forbunds_allocation_before_damping(
        input in inputs(),
        which in any::<Index>(),
        forsorjningsmatt in any::<bool>(),
        more in prop_oneof![1i64..10, 1i64..2_000_000],
    ) {
        let before = allocated(&input)?;
        let f = which.index(input.forbund.len());
        // The förbund's first municipality of its own: raising it raises no other förbund's.
        let code = format!("{f:02}00");
        let mut raised = input.clone();
        let row = raised.statistics.municipalities.iter_mut().find(|m| m.municipality_code == code).unwrap();
        if forsorjningsmatt {
            row.forsorjningsmatt += Decimal::from(more);
        } else {
            row.inhabitants_16_64 += more;
        }
        let after = allocated(&raised)?;
        let (was, is) = (before.forbund[f].before_damping(), after.forbund[f].before_damping());
        prop_assert!(is >= was, "{}: {} → {}", key(f), was, is);
    }

    #[test]
    fn no_protected_forbund_falls_by_more_than_the_limit(input in inputs()) {
        let allocation = allocated(&input)?;
        let Some(Damping::MaxFall(limit)) = input.parameters.damping else {
            prop_assert!(allocation.forbund.iter().all(|f| f.explanation.damping == Protection::NoDamping && f.damping_adjustment.is_zero()));
            return Ok(());
        };
        let excludes = input.parameters.equity_rule == Some(EquityRule::ExcludedFromProtection);
        for f in &allocation.forbund {
            let given = input.forbund.iter().find(|g| g.forbund_key == f.forbund_key).unwrap();
            let protected = given.previous_allocation.is_some() && !(excludes && given.equity_above_recommendation == Some(true));
            prop_assert_eq!(f.explanation.damping.floor().is_some(), protected, "{}", &f.forbund_key);
            if let (true, Some(previous)) = (protected, given.previous_allocation) {
                // The floor is rounded up, so not even the krona of rounding lets it fall further.
                prop_assert!(previous - f.total <= previous * limit, "{}: {} → {}", &f.forbund_key, previous, f.total);
                prop_assert!(f.total >= f.explanation.damping.floor().unwrap());
            }
            if let Protection::HeldAtFloor { floor } = f.explanation.damping {
                prop_assert_eq!(f.total, floor);
            }
        }
    }
}
