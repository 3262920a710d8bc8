//! Three förbund, five municipalities (0103 split half and half between alfa and beta), the 2016
//! memo's base amount and weights, and a damping of 10 % that binds for gamma. Every figure below
//! was computed by hand; the arithmetic is in the comments.

use super::*;

fn input() -> AllocationInput {
    AllocationInput {
        // D = 10 000 001 − 1 000 000 = 9 000 001 kr distributed.
        parameters: parameters("10000001", "1000000"),
        statistics: ReferenceStatistics {
            year: 2023,
            municipalities: vec![
                statistic("0101", 10_000, "3000"),
                statistic("0102", 5_000, "1000"),
                statistic("0103", 8_000, "2000"),
                statistic("0104", 9_000, "2500"),
                statistic("0105", 6_000, "1500"),
                // In no förbund: not counted.
                statistic("0199", 50_000, "90000"),
            ],
        },
        forbund: vec![
            // Given out of order: the result is by key all the same.
            forbund("gamma", Some("2000000"), Some(false)),
            forbund("alfa", Some("4000000"), Some(true)),
            forbund("beta", Some("3000000"), Some(false)),
        ],
        memberships: vec![
            member("alfa", "0101", "1"),
            member("alfa", "0102", "1"),
            member("alfa", "0103", "0.5"),
            member("beta", "0103", "0.5"),
            member("beta", "0104", "1"),
            member("gamma", "0105", "1"),
        ],
    }
}

#[test]
fn three_forbund_five_municipalities_one_split_and_damping_binding_for_one() {
    let allocation = allocate(&input()).unwrap();

    assert_eq!(allocation.distributed, d("9000001"));
    // Base: 3 × 400 000 = 1 200 000; left for the keys R = 9 000 001 − 1 200 000 = 7 800 001.
    assert_eq!(allocation.base_total, d("1200000"));
    // R × 0.75 = 5 850 000.75 and R × 0.25 = 1 950 000.25: floors 7 800 000, the krona left over
    // goes to the larger remainder (0.75).
    assert_eq!(allocation.by_forsorjningsmatt_total, d("5850001"));
    assert_eq!(allocation.by_population_total, d("1950000"));
    // F: alfa 3000 + 1000 + 0.5 × 2000 = 5000; beta 0.5 × 2000 + 2500 = 3500; gamma 1500; Σ 10 000.
    // P: alfa 10 000 + 5000 + 0.5 × 8000 = 19 000; beta 4000 + 9000 = 13 000; gamma 6000; Σ 38 000.
    assert_eq!(allocation.forsorjningsmatt_total, d("10000"));
    assert_eq!(allocation.inhabitants_16_64_total, d("38000"));

    let [alfa, beta, gamma] = &allocation.forbund[..] else { panic!("three förbund") };
    assert_eq!(
        (alfa.forbund_key.as_str(), beta.forbund_key.as_str(), gamma.forbund_key.as_str()),
        ("alfa", "beta", "gamma")
    );
    for f in [alfa, beta, gamma] {
        assert_eq!(f.base, d("400000"));
    }
    // By försörjningsmått, 5 850 001 × 5000 / 10 000 = 2 925 000.5, × 3500 / 10 000 = 2 047 500.35,
    // × 1500 / 10 000 = 877 500.15: floors 5 850 000, the krona left over to alfa (0.5).
    assert_eq!(
        (alfa.by_forsorjningsmatt, beta.by_forsorjningsmatt, gamma.by_forsorjningsmatt),
        (d("2925001"), d("2047500"), d("877500"))
    );
    // By population, 1 950 000 × 19 000 / 38 000 = 975 000, × 13 000 / 38 000 = 667 105.26…,
    // × 6000 / 38 000 = 307 894.74…: floors 1 949 999, the krona to gamma (0.74 > 0.26).
    assert_eq!((alfa.by_population, beta.by_population, gamma.by_population), (d("975000"), d("667105"), d("307895")));
    // Before damping: alfa 400 000 + 2 925 001 + 975 000 = 4 300 001; beta 400 000 + 2 047 500 +
    // 667 105 = 3 114 605; gamma 400 000 + 877 500 + 307 895 = 1 585 395; Σ 9 000 001.
    assert_eq!(
        (alfa.before_damping(), beta.before_damping(), gamma.before_damping()),
        (d("4300001"), d("3114605"), d("1585395"))
    );

    // Floors, previous × 0.9: beta 2 700 000, gamma 1 800 000; alfa's equity is above the
    // recommendation, so it has none. Gamma (1 585 395) is under: lifted by 214 605 to 1 800 000.
    // Alfa and beta share 9 000 001 − 1 800 000 = 7 200 001 in proportion 4 300 001 : 3 114 605
    // (Σ 7 414 606): 4 175 543.717… and 3 024 457.283…; the krona left over to alfa (0.717).
    // Beta's 3 024 457 is above its floor: one round.
    assert_eq!((alfa.total, beta.total, gamma.total), (d("4175544"), d("3024457"), d("1800000")));
    // 4 175 544 − 4 300 001; 3 024 457 − 3 114 605; 1 800 000 − 1 585 395.
    assert_eq!(
        (alfa.damping_adjustment, beta.damping_adjustment, gamma.damping_adjustment),
        (d("-124457"), d("-90148"), d("214605"))
    );
    assert_eq!(allocation.damping_cost, d("214605"));
    assert_eq!(allocation.damping_rounds, 1);
    assert_eq!(alfa.explanation.damping, Protection::ExcludedForEquity);
    assert_eq!(beta.explanation.damping, Protection::AboveFloor { floor: d("2700000") });
    assert_eq!(gamma.explanation.damping, Protection::HeldAtFloor { floor: d("1800000") });

    // Against the year before: 4 175 544 − 4 000 000; 3 024 457 − 3 000 000; 1 800 000 − 2 000 000.
    assert_eq!((alfa.change, beta.change, gamma.change), (Some(d("175544")), Some(d("24457")), Some(d("-200000"))));
    // Shares of 9 000 001: 0.4639492…, 0.3360507…, 0.1999999777….
    assert_eq!(
        (alfa.share.round_dp(7), beta.share.round_dp(7), gamma.share.round_dp(7)),
        (d("0.4639493"), d("0.3360507"), d("0.2000000"))
    );

    // The totals are exactly what is distributed, and each row is its parts.
    assert_eq!(alfa.total + beta.total + gamma.total, allocation.distributed);
    for f in [alfa, beta, gamma] {
        assert_eq!(f.base + f.by_forsorjningsmatt + f.by_population + f.damping_adjustment, f.total);
    }
}

#[test]
fn each_forbunds_computation_is_explained_with_its_municipalities_and_shares() {
    let allocation = allocate(&input()).unwrap();
    let alfa = &allocation.forbund[0].explanation;
    assert_eq!(
        alfa.municipalities,
        [
            MunicipalityPart {
                municipality_code: "0101".to_owned(),
                share: d("1"),
                inhabitants_16_64: 10_000,
                forsorjningsmatt: d("3000"),
                counted_inhabitants_16_64: d("10000"),
                counted_forsorjningsmatt: d("3000"),
            },
            MunicipalityPart {
                municipality_code: "0102".to_owned(),
                share: d("1"),
                inhabitants_16_64: 5_000,
                forsorjningsmatt: d("1000"),
                counted_inhabitants_16_64: d("5000"),
                counted_forsorjningsmatt: d("1000"),
            },
            // Half of the split municipality: 0.5 × 8000 and 0.5 × 2000.
            MunicipalityPart {
                municipality_code: "0103".to_owned(),
                share: d("0.5"),
                inhabitants_16_64: 8_000,
                forsorjningsmatt: d("2000"),
                counted_inhabitants_16_64: d("4000"),
                counted_forsorjningsmatt: d("1000"),
            },
        ]
    );
    // 5000 of 10 000 and 19 000 of 38 000.
    assert_eq!((alfa.forsorjningsmatt, alfa.inhabitants_16_64), (d("5000"), d("19000")));
    assert_eq!((alfa.forsorjningsmatt_share, alfa.population_share), (d("0.5"), d("0.5")));
    let beta = &allocation.forbund[1].explanation;
    // 3500 of 10 000 = 0.35, 13 000 of 38 000 = 0.3421052….
    assert_eq!((beta.forsorjningsmatt, beta.inhabitants_16_64), (d("3500"), d("13000")));
    assert_eq!((beta.forsorjningsmatt_share, beta.population_share.round_dp(7)), (d("0.35"), d("0.3421053")));
    assert_eq!(beta.municipalities.iter().map(|m| m.municipality_code.as_str()).collect::<Vec<_>>(), ["0103", "0104"]);
}

#[test]
fn without_damping_the_keys_alone_decide() {
    let mut input = input();
    input.parameters.damping = Some(Damping::None);
    input.parameters.equity_rule = None;
    let allocation = allocate(&input).unwrap();
    let totals: Vec<Decimal> = allocation.forbund.iter().map(|f| f.total).collect();
    // The totals before damping above.
    assert_eq!(totals, [d("4300001"), d("3114605"), d("1585395")]);
    assert!(
        allocation
            .forbund
            .iter()
            .all(|f| f.damping_adjustment.is_zero() && f.explanation.damping == Protection::NoDamping)
    );
    assert_eq!(allocation.damping_rounds, 0);
}
