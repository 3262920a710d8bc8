//! The yearly national report's inputs: the exact edition for analysts and admins, computed
//! from the registered data as it stands, and the open edition from the latest open release of
//! the year, with its suppressions. The report itself is `finsam-report`'s; this gathers what
//! it is made from.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::PgConnection;
use finsam_domain::access::Action;
use finsam_report::{ForbundEntry, Inputs, MembershipChange, SourceTable};
use finsam_store::membership_history::{self, NamedMembership};
use finsam_store::open_releases::Release;

use crate::{Acting, Refused};

/// Whether `who` may read the exact edition: asked before the tables are computed.
pub fn may_read_exact(who: &Acting<'_>) -> Result<(), Refused> {
    who.may(Action::ReadNationalReport, None)
}

/// The exact edition of `year`'s report from `tables` ([`finsam_report::exact_tables`]), the
/// data as of `as_of`.
pub fn exact(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    tables: Vec<SourceTable>,
    as_of: DateTime<Utc>,
) -> Result<Inputs, Refused> {
    may_read_exact(who)?;
    let edition = format!(
        "Exakta uppgifter för analytiker, hämtade ur uppföljningstjänsten {} (UTC)",
        as_of.format("%Y-%m-%d kl. %H.%M")
    );
    common(conn, year, edition, false, None, tables)
}

/// The open edition of `year`'s report from `release`, whose national tables are `tables`.
pub fn open(conn: &mut PgConnection, release: &Release, tables: Vec<SourceTable>) -> Result<Inputs, Refused> {
    let as_of = release
        .data_as_of
        .map_or_else(String::new, |t| format!(", med uppgifter till och med {}", t.format("%Y-%m-%d")));
    let edition = format!(
        "Öppen version ur publicering {} av {}, publicerad {}{as_of}",
        release.release,
        release.year,
        release.published_at.format("%Y-%m-%d")
    );
    let note = format!(
        "Celler som skulle kunna peka ut enskilda personer visas som \"{}\". {}",
        finsam_export::open::SUPPRESSED,
        finsam_export::open::method_note(finsam_export::Lang::Sv, release.threshold)
    );
    common(conn, release.year, edition, true, Some(note), tables)
}

fn common(
    conn: &mut PgConnection,
    year: i32,
    edition: String,
    open: bool,
    method_note: Option<String>,
    tables: Vec<SourceTable>,
) -> Result<Inputs, Refused> {
    let history = membership_history::all(conn)?;
    let commentary = finsam_store::report_commentary::for_year(conn, year)?;
    Ok(Inputs {
        year,
        edition,
        open,
        method_note,
        tables,
        forbund: at_year_end(&history, year),
        changes: changes(&history, year),
        commentary,
    })
}

/// The förbund with members on the last day of `year`, under each county they have members in.
fn at_year_end(history: &[NamedMembership], year: i32) -> Vec<ForbundEntry> {
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let mut entries: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for m in history.iter().filter(|m| m.valid_from <= last && m.valid_to.is_none_or(|to| last < to)) {
        let members = entries.entry((m.county.as_str(), m.forbund.as_str())).or_default();
        if !members.contains(&m.municipality) {
            members.push(m.municipality.clone());
        }
    }
    entries
        .into_iter()
        .map(|((county, forbund), municipalities)| ForbundEntry {
            name: forbund.to_owned(),
            county: county.to_owned(),
            municipalities,
        })
        .collect()
}

/// Joins and departures during `year`. The history begins where its earliest membership does:
/// memberships starting that day are where the record starts, not changes.
fn changes(history: &[NamedMembership], year: i32) -> Vec<MembershipChange> {
    let start = history.iter().map(|m| m.valid_from).min();
    let in_year = |d: NaiveDate| d.year() == year;
    let mut out: Vec<MembershipChange> = Vec::new();
    for m in history {
        if in_year(m.valid_from) && Some(m.valid_from) != start {
            out.push(change(m, m.valid_from, true));
        }
        // `valid_to` is the first day without membership: leaving on 1 January left the year before.
        if let Some(to) = m.valid_to.and_then(|to| to.pred_opt()).filter(|d| in_year(*d)) {
            out.push(change(m, to, false));
        }
    }
    out.sort_by(|a, b| (&a.date, &a.municipality).cmp(&(&b.date, &b.municipality)));
    out
}

fn change(m: &NamedMembership, date: NaiveDate, joined: bool) -> MembershipChange {
    MembershipChange {
        date: date.format("%Y-%m-%d").to_string(),
        municipality: m.municipality.clone(),
        forbund: m.forbund.clone(),
        joined,
    }
}
