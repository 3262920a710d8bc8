//! The published national figures for 2023 the demo must reproduce, and the choices the report
//! leaves open (stated here, once).

/// Individual insatser per orientation (work-oriented, preparatory, identify needs, preventive).
pub const INDIVIDUAL_INSATSER: [u64; 4] = [162, 99, 29, 6];
/// Participants per orientation, women and men. The report gives the totals (12 608, 5 863,
/// 1 810, 272) and whole-percent gender shares (52/62/57/57 % women, 55 % overall; of all women
/// 57/32/9 %, of all men 66/24/9 %); these counts satisfy every one of them.
pub const INDIVIDUAL_WOMEN: [u64; 4] = [6494, 3622, 1023, 156];
pub const INDIVIDUAL_MEN: [u64; 4] = [6114, 2241, 787, 116];
/// Individual insatser with no specific target group.
pub const NO_TARGET_GROUP: u64 = 148;

/// Structural insatser per orientation (develop cooperation, competence-raising, needs analysis),
/// how many of them track participants, and their participants.
pub const STRUCTURAL_INSATSER: [u64; 3] = [139, 109, 27];
pub const STRUCTURAL_TRACKING: [u64; 3] = [69, 70, 9];
pub const STRUCTURAL_PARTICIPANTS: [u64; 3] = [40_411, 20_203, 3_182];
/// The one web service whose visitors were counted: 71 % of "develop cooperation".
pub const WEB_SERVICE_PARTICIPANTS: u64 = 28_692;

/// Budgeted insats costs split 83/17 between individual and structural insatser (in kronor).
pub const INDIVIDUAL_BUDGET_SEK: u64 = 498_000_000;
pub const STRUCTURAL_BUDGET_SEK: u64 = 102_000_000;
pub const ADMINISTRATION_BUDGET_SEK: u64 = 95_000_000;

/// State contributions to the förbund in 2023 (kronor); regions and municipalities add as much.
pub const STATE_CONTRIBUTIONS_SEK: u64 = 339_000_000;

/// Equity of all förbund, MSEK: opening 2016 (= closing 2016 − result 2016), closing 2016–2022.
pub const EQUITY_OPENING_2016_MSEK: i64 = 176;
pub const EQUITY_CLOSING_MSEK: [(i32, i64); 7] =
    [(2016, 205), (2017, 230), (2018, 217), (2019, 207), (2020, 241), (2021, 237), (2022, 218)];
/// 2023's closing equity is not published; the demo's is a plausible continuation.
pub const EQUITY_CLOSING_2023_MSEK: i64 = 204;

/// Förbund with registered data for 2023 (of 72), and of those, how many submitted the year.
pub const REGISTERED_FORBUND: usize = 65;
pub const SUBMITTED_FORBUND: usize = 58;
