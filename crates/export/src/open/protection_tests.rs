//! Protection of whole years on hand-made frames: the bound exits ≤ participants, and releases
//! after corrections, each with its negative control; and the time a demo-sized year takes.

use std::time::Instant;

use finsam_stats::{Frames, Inputs, InsatsRow, InsatsYearRow, MembershipRow, TableId};

use super::OpenYear;
use super::releases::{Version, counterparts};
use crate::disclosure::{Release, Status, combined_intervals, protect};

const YEAR: i32 = 2023;
const T: i64 = 4;

/// One individual insats-year: (förbund, orientation, participants (women, men), exits per reason).
type Figures = (&'static str, &'static str, (i64, i64), [(i64, i64); 4]);

/// One insats-year of any kind: (förbund, orientation, participants, exits); `None` as in [`InsatsYearRow`].
type Row = (String, String, Option<(i64, i64)>, Option<[(i64, i64); 4]>);

/// Förbund `(key, county)`, each with one municipality, and their insatser.
fn inputs(forbund: &[(String, String)], insatser: &[Row]) -> Inputs {
    let mut inputs = Inputs { forbund: forbund.iter().map(|(k, _)| k.clone()).collect(), ..Inputs::default() };
    for (i, (key, county)) in forbund.iter().enumerate() {
        inputs.memberships.push(MembershipRow {
            forbund_key: key.clone(),
            municipality_code: format!("{county}{i:02}"),
            county_code: county.clone(),
            valid_from_year: 2020,
            valid_to_year: None,
        });
    }
    for (n, (key, orientation, participants, exits)) in insatser.iter().enumerate() {
        let id = n as i64 + 1;
        let individual =
            ["work_oriented", "preparatory", "identify_needs", "preventive"].contains(&orientation.as_str());
        inputs.insatser.push(InsatsRow {
            id,
            forbund_key: key.clone(),
            kind: if individual { "individual" } else { "structural" }.into(),
            orientation: orientation.clone(),
            target_groups: vec![],
        });
        inputs.insats_years.push(InsatsYearRow {
            insats_id: id,
            year: YEAR,
            participants: *participants,
            budget_ore: 100_000,
            outcome_ore: None,
            exits: *exits,
        });
    }
    inputs
}

fn counties() -> Vec<String> {
    (1..=21).map(|c| format!("{c:02}")).collect()
}

fn year_of(inputs: &Inputs) -> OpenYear {
    OpenYear::build(&Frames::new(inputs).expect("frames"), &counties(), YEAR, T).expect("builds")
}

fn after(inputs: &Inputs, earlier: &[&OpenYear]) -> OpenYear {
    OpenYear::build_after(&Frames::new(inputs).expect("frames"), &counties(), YEAR, T, earlier).expect("builds")
}

/// Individual insatser of small förbund in county 01, beside a large one in 02.
fn small_forbund(figures: &[Figures]) -> Inputs {
    let mut forbund: Vec<(String, String)> = vec![("big".into(), "02".into())];
    let mut insatser = vec![("big".to_owned(), "work_oriented".to_owned(), Some((300, 280)), Some([(40, 30); 4]))];
    for &(key, orientation, participants, exits) in figures {
        if !forbund.iter().any(|(k, _)| k == key) {
            forbund.push((key.into(), "01".into()));
        }
        insatser.push((key.into(), orientation.into(), Some(participants), Some(exits)));
    }
    inputs(&forbund, &insatser)
}

fn version(year: &OpenYear) -> Version<'_> {
    let families = super::PERSON_TABLES.map(|id| year.exact_family(id));
    Version::new(&year.selections, families, year.parents.as_ref().expect("built here"))
}

/// The suppressed person cells of any release an attacker holding all of them (and knowing
/// which cells are unchanged) pins down to within the threshold, as (release, cell).
fn exposed(releases: &[(&Version, &[Status])]) -> Vec<(usize, usize, (f64, f64))> {
    let list: Vec<Release> =
        releases.iter().map(|(v, status)| Release { system: v.persons.system(), status }).collect();
    let versions: Vec<&Version> = releases.iter().map(|(v, _)| *v).collect();
    let intervals = combined_intervals(&list, &counterparts(&versions));
    let mut found = Vec::new();
    for (r, release) in intervals.iter().enumerate() {
        for (c, interval) in release.iter().enumerate() {
            if let Some((lo, hi)) = *interval
                && hi - lo <= T as f64 + 1e-6
            {
                found.push((r, c, (lo, hi)));
            }
        }
    }
    found
}

fn published(year: &OpenYear) -> (Version<'_>, Vec<Status>) {
    let v = version(year);
    let status = v.published_status(year);
    (v, status)
}

#[test]
fn exits_within_participants_expose_what_the_equalities_alone_protect() {
    // Förbund "s": 6 women and 8 men took part, 4 women and 6 men left, most of them small
    // groups; the equalities alone leave every hidden count wide, the bound does not.
    let data = small_forbund(&[("s", "work_oriented", (6, 8), [(2, 3), (1, 1), (1, 1), (0, 1)])]);
    let open = year_of(&data);
    let (current, _) = published(&open);
    let mut equalities_only = version(&open);
    equalities_only.persons.bounds.clear();
    let old = protect(&equalities_only.persons.cells, &equalities_only.persons.relations, T);
    assert!(exposed(&[(&equalities_only, &old)]).is_empty(), "equalities alone: the old pattern passes");
    let found = exposed(&[(&current, &old)]);
    assert!(!found.is_empty(), "with exits ≤ participants the old pattern gives a cell away");

    let (v, status) = published(&open);
    assert!(exposed(&[(&v, &status)]).is_empty(), "the year as built knows the bound");
    let hidden = |s: &[Status]| s.iter().filter(|s| s.is_suppressed()).count();
    assert!(hidden(&status) > hidden(&old), "{} vs {}", hidden(&status), hidden(&old));
}

/// Two small förbund in county 01; "t" has a woman in a small group whose partner is the cheapest
/// cell of its table above the threshold.
fn before_correction() -> Inputs {
    small_forbund(&[
        ("t", "work_oriented", (2, 30), [(1, 10), (0, 2), (0, 3), (0, 1)]),
        ("t", "preparatory", (10, 12), [(3, 2), (1, 1), (0, 2), (1, 1)]),
        ("t", "identify_needs", (20, 25), [(5, 5), (2, 2), (3, 3), (1, 1)]),
        ("u", "work_oriented", (40, 44), [(9, 9), (4, 4), (5, 5), (3, 3)]),
    ])
}

/// "t"'s identify-needs women corrected from 20 to 60: the cheapest partners change, and cells
/// suppressed in the first release are published unchanged in a second protected alone.
fn after_correction() -> Inputs {
    small_forbund(&[
        ("t", "work_oriented", (2, 30), [(1, 10), (0, 2), (0, 3), (0, 1)]),
        ("t", "preparatory", (10, 12), [(3, 2), (1, 1), (0, 2), (1, 1)]),
        ("t", "identify_needs", (60, 25), [(5, 5), (2, 2), (3, 3), (1, 1)]),
        ("u", "work_oriented", (40, 44), [(9, 9), (4, 4), (5, 5), (3, 3)]),
    ])
}

#[test]
fn a_second_release_protected_alone_gives_cells_away_and_one_protected_after_the_first_does_not() {
    let first = year_of(&before_correction());
    let (v1, s1) = published(&first);
    assert!(exposed(&[(&v1, &s1)]).is_empty());

    let alone = year_of(&after_correction());
    let (v2, s2) = published(&alone);
    assert!(exposed(&[(&v2, &s2)]).is_empty(), "safe on its own");
    let found = exposed(&[(&v1, &s1), (&v2, &s2)]);
    assert!(!found.is_empty(), "negative control: the two releases together give cells away");

    let second = after(&after_correction(), &[&first]);
    let (v2, s2) = published(&second);
    let found = exposed(&[(&v1, &s1), (&v2, &s2)]);
    assert!(found.is_empty(), "{found:?}");

    // The first release as stored (no levels kept) gives the same second release.
    let stored = OpenYear::from_parts(
        first.year,
        first.threshold,
        first.selections.clone(),
        first.tables.clone(),
        first.exact.clone(),
    )
    .expect("shapes agree");
    let again = after(&after_correction(), &[&stored]);
    assert!(again.tables == second.tables, "levels guessed from today's attribution agree");
}

#[test]
fn unchanged_data_gets_the_first_release_pattern() {
    let data = before_correction();
    let first = year_of(&data);
    let second = after(&data, &[&first]);
    assert!(first.tables == second.tables);
    let third = after(&data, &[&first, &second]);
    assert!(third.tables == first.tables);
}

/// A demo-sized year: 72 förbund in 21 counties, some 300 individual insatser and 275
/// structural ones, groups from a handful to a hundred, exits some 30 % of participants.
fn demo_sized(bump: &[usize]) -> Inputs {
    let mut seed: u64 = 2023;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let forbund: Vec<(String, String)> = (0..72).map(|i| (format!("f{i:02}"), format!("{:02}", 1 + i % 21))).collect();
    let mut insatser = Vec::new();
    let individual = [("work_oriented", 162), ("preparatory", 99), ("identify_needs", 29), ("preventive", 6)];
    for (orientation, count) in individual {
        for _ in 0..count {
            let n = insatser.len();
            let owner = (n * 37 + 11) % 72;
            let mut size = |_: ()| if next(5) == 0 { next(7) as i64 } else { 5 + next(70) as i64 };
            let (mut w, m) = (size(()), size(()));
            if bump.contains(&owner) && n % 3 == 0 {
                w += 3;
            }
            let exit = |p: i64, percent: i64| p * percent / 100;
            let exits = [12, 5, 8, 5].map(|pc| (exit(w, pc), exit(m, pc)));
            insatser.push((forbund[owner].0.clone(), orientation.to_owned(), Some((w, m)), Some(exits)));
        }
    }
    for (orientation, count) in [("develop_cooperation", 139), ("competence_raising", 109), ("needs_analysis", 27)] {
        for k in 0..count {
            let owner = (insatser.len() * 37 + 11) % 72;
            let participants = (k % 2 == 0).then(|| (next(300) as i64, next(200) as i64));
            insatser.push((forbund[owner].0.clone(), orientation.to_owned(), participants, None));
        }
    }
    inputs(&forbund, &insatser)
}

#[test]
fn a_demo_sized_year_and_its_second_release_are_protected_in_seconds() {
    let started = Instant::now();
    let first = year_of(&demo_sized(&[]));
    let one = started.elapsed();
    let started = Instant::now();
    let second = after(&demo_sized(&[3, 17, 40, 58, 66]), &[&first]);
    let two = started.elapsed();
    let (v1, s1) = published(&first);
    let (v2, s2) = published(&second);
    let hidden = |s: &[Status]| s.iter().filter(|s| s.is_suppressed()).count();
    println!(
        "demo-sized year: {} person cells, {} suppressed, built in {one:.2?}; second release {} suppressed, built in {two:.2?}",
        s1.len(),
        hidden(&s1),
        hidden(&s2)
    );
    assert!(hidden(&s1) > 0 && first.tables != second.tables);
    assert_eq!(v1.persons.bounds.len(), 3 * first.selections.len(), "exits ≤ participants holds at every node");
    let started = Instant::now();
    let found = exposed(&[(&v1, &s1), (&v2, &s2)]);
    println!("combined audit of both releases in {:.2?}", started.elapsed());
    assert!(found.is_empty(), "{found:?}");
    // Generous even for a debug build; `cargo test --release` shows the real figures.
    assert!(one.as_secs() < 60 && two.as_secs() < 60);
}

#[test]
fn small_exits_everywhere_do_not_hide_large_participant_counts() {
    // Two förbund, each alone in its county, whose exits are all small: protecting them draws
    // partners from the exits; the participants they are bounded by are far above the threshold
    // and stay published (a fallback to the zeros of empty counties once cascaded through the
    // bound into every national table).
    let forbund = [("own", "10"), ("other", "12")].map(|(k, c)| (k.to_owned(), c.to_owned()));
    let mut rows: Vec<Row> = Vec::new();
    for key in ["own", "other"] {
        for _ in 0..2 {
            rows.push((key.into(), "work_oriented".into(), Some((12, 8)), Some([(2, 1), (0, 1), (1, 0), (0, 0)])));
        }
        rows.push((key.into(), "develop_cooperation".into(), Some((30, 10)), None));
    }
    let open = year_of(&inputs(&forbund, &rows));
    let national = |id| open.table(id, &finsam_stats::Selection::National).expect("the nation");
    assert_eq!(national(TableId::IndividualParticipants).suppressed(), 0);
    assert_eq!(national(TableId::StructuralInsatser).suppressed(), 0);
    assert!(national(TableId::Exits).suppressed() > 0);
    let (v, status) = published(&open);
    assert!(exposed(&[(&v, &status)]).is_empty());
}
