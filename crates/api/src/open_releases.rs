//! Releases of open statistics: publishing one (the year's tables protected together with every
//! earlier release of the year, then frozen in PostgreSQL), and reading them back. Open tables
//! are only ever served from releases, never computed live: a live table would move with every
//! registration, and the difference between two readings would give suppressed cells away.

use finsam_domain::ErrorCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use diesel::PgConnection;
use diesel::prelude::*;
use finsam_domain::codes::Code;
use finsam_domain::reporting_year::YearState;
use finsam_export::open::{OpenTable, OpenYear};
use finsam_stats::{Frames, Selection, Table, TableId};
use finsam_store::audit::{self, NewAuditEvent};
use finsam_store::open_releases::{self, NewRelease, Release, StoredTable, StoredTableRow};
use finsam_store::reference;
use finsam_store::registration::{Actor, WriteError, reporting_years};
use finsam_store::statistics;

use crate::ApiError;
use crate::error::{FieldError, VersionSource};
use crate::metrics::Histogram;

/// Releases read back, by release id. A release never changes, so nothing is ever stale; there
/// are a few per year.
#[derive(Default)]
pub struct ReleaseCache {
    releases: Mutex<HashMap<i64, Arc<OpenYear>>>,
    /// How long protecting each published year took, for `/metrics`.
    pub protect_seconds: Histogram,
}

impl ReleaseCache {
    /// The tables of `release`, from memory or the database.
    pub fn open_year(&self, conn: &mut PgConnection, release: &Release) -> Result<Arc<OpenYear>, ApiError> {
        if let Some(found) = self.lock().get(&release.id) {
            return Ok(found.clone());
        }
        let open = Arc::new(load(conn, release)?);
        self.lock().insert(release.id, open.clone());
        Ok(open)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<OpenYear>>> {
        self.releases.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Publishes the next release of a closed year, protected so that no suppressed cell of it or
/// of an earlier release of the year can be recovered by combining them. `threshold` is the
/// server's disclosure threshold; it is stored with the release.
///
/// The year's lock is held exclusively throughout, so no write to its data is in flight when the
/// snapshot is taken and none can start until the release is committed; the snapshot is one
/// REPEATABLE READ transaction, in which the release and its audit event are written too.
pub fn publish(
    conn: &mut PgConnection,
    year: i32,
    note: &str,
    actor: &Actor<'_>,
    threshold: i64,
    cache: &ReleaseCache,
) -> Result<Release, ApiError> {
    reporting_years::exclusively(conn, year, |conn| {
        conn.build_transaction().repeatable_read().run(|conn| {
            if reporting_years::get(conn, year)?.state != YearState::Closed {
                return Err(not_closed(year));
            }
            let (version, inputs) = statistics::load_inputs_in_snapshot(conn)?;
            // The release's number for its data: the highest audit event id included.
            let data_version = version.last_event;
            let frames = Frames::new(&inputs).map_err(|e| ApiError::internal(&e))?;
            let counties: Vec<String> = reference::names(conn)?.0.into_iter().map(|(code, _)| code).collect();
            let mut earlier = Vec::new();
            for release in open_releases::of_year(conn, year)? {
                earlier.push(cache.open_year(conn, &release)?);
            }
            let earlier: Vec<&OpenYear> = earlier.iter().map(Arc::as_ref).collect();
            let started = std::time::Instant::now();
            let open = OpenYear::build_after(&frames, &counties, year, threshold, &earlier)
                .map_err(|e| ApiError::internal(&e))?;
            cache.protect_seconds.observe(started.elapsed());
            let new = NewRelease { year, published_by: actor.sub, data_version, threshold, note };
            let release = open_releases::insert(conn, &new, &stored(&open)?)?;
            record(conn, actor, &release)?;
            tracing::info!(
                year,
                release = release.release,
                data_version,
                protect_ms = started.elapsed().as_millis() as u64,
                "open release published"
            );
            Ok(release)
        })
    })
}

fn not_closed(year: i32) -> ApiError {
    let detail = format!("{year} is open: close it before publishing a release of it");
    ApiError::from_write(
        WriteError::Conflict { code: ErrorCode::YearNotClosed, field: "year", detail },
        VersionSource::None,
    )
}

/// A national event: the release as listed, with the note as its reason.
fn record(conn: &mut PgConnection, actor: &Actor<'_>, release: &Release) -> QueryResult<()> {
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: None,
            entity: "open_release",
            entity_id: &format!("{}/{}", release.year, release.release),
            action: "publish",
            before: None,
            after: Some(serde_json::to_value(release).expect("releases serialise")),
            reason: Some(&release.note),
            request_id: actor.request_id,
        },
    )?;
    Ok(())
}

/// The release of `year` to serve: number `wanted`, or the latest. `not_published` (404)
/// naming the published years when there is none.
pub fn find(conn: &mut PgConnection, year: i32, wanted: Option<i32>) -> Result<Release, ApiError> {
    let releases = open_releases::of_year(conn, year)?;
    let found = match wanted {
        Some(number) => releases.iter().find(|r| r.release == number),
        None => releases.last(),
    };
    if let Some(found) = found {
        return Ok(found.clone());
    }
    let detail = match (wanted, releases.last()) {
        (Some(number), Some(last)) => {
            format!("{year} has no release {number}: its releases are 1 to {}", last.release)
        }
        _ => {
            let years = published_years(conn)?;
            let years = if years.is_empty() {
                "none yet".to_owned()
            } else {
                years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
            };
            format!(
                "nothing of {year} is published: open tables come from releases of closed years; published years: {years}"
            )
        }
    };
    let field = if wanted.is_some() { "release" } else { "year" };
    Err(ApiError {
        errors: vec![FieldError::new(field, ErrorCode::NotPublished, detail.clone())],
        ..ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotPublished, detail)
    })
}

/// The years with at least one release, oldest first.
pub fn published_years(conn: &mut PgConnection) -> Result<Vec<i32>, ApiError> {
    let mut years: Vec<i32> = open_releases::list(conn)?.into_iter().map(|r| r.year).collect();
    years.dedup();
    Ok(years)
}

/// The latest year with a release, if any.
pub fn latest_year(conn: &mut PgConnection) -> Result<Option<i32>, ApiError> {
    Ok(published_years(conn)?.last().copied())
}

/// A release's tables as rows: one per table and selection.
fn stored(open: &OpenYear) -> Result<Vec<StoredTable>, ApiError> {
    let json = |value: serde_json::Result<serde_json::Value>| value.map_err(|e| ApiError::internal(&e));
    let mut rows = Vec::new();
    for id in TableId::OPEN {
        let tables = open.family(id).iter().zip(open.exact_family(id));
        for (position, (selection, (published, exact))) in open.selections.iter().zip(tables).enumerate() {
            let (level, code) = match selection {
                Selection::National => ("national", None),
                Selection::County(code) => ("county", Some(code.clone())),
                Selection::Forbund(key) => ("forbund", Some(key.clone())),
            };
            rows.push(StoredTable {
                table_id: id.code().to_owned(),
                position: i32::try_from(position).map_err(|e| ApiError::internal(&e))?,
                level,
                code,
                published: json(serde_json::to_value(published))?,
                exact: json(serde_json::to_value(exact))?,
            });
        }
    }
    Ok(rows)
}

/// A release's tables read back into the shape they were published from.
fn load(conn: &mut PgConnection, release: &Release) -> Result<OpenYear, ApiError> {
    let corrupt = |what: &str| ApiError::internal(&format!("release {}/{}: {what}", release.year, release.release));
    let mut by_table: HashMap<String, Vec<StoredTableRow>> = HashMap::new();
    for row in open_releases::tables(conn, release.id)? {
        by_table.entry(row.table_id.clone()).or_default().push(row);
    }
    let (mut open, mut exact) = (Vec::new(), Vec::new());
    let mut selections = None;
    for id in TableId::OPEN {
        let rows = by_table.remove(id.code()).ok_or_else(|| corrupt(&format!("no {}", id.code())))?;
        let here: Vec<Selection> = rows.iter().map(selection).collect::<Option<_>>().ok_or_else(|| corrupt("level"))?;
        if selections.get_or_insert_with(|| here.clone()) != &here {
            return Err(corrupt("tables of different selections"));
        }
        let (mut published, mut truth) = (Vec::new(), Vec::new());
        for row in rows {
            published.push(serde_json::from_value::<OpenTable>(row.published).map_err(|e| corrupt(&e.to_string()))?);
            truth.push(serde_json::from_value::<Table>(row.exact).map_err(|e| corrupt(&e.to_string()))?);
        }
        open.push(published);
        exact.push(truth);
    }
    let selections = selections.unwrap_or_default();
    OpenYear::from_parts(release.year, release.threshold, selections, open, exact).ok_or_else(|| corrupt("shape"))
}

fn selection(row: &StoredTableRow) -> Option<Selection> {
    match (row.level.as_str(), &row.code) {
        ("national", None) => Some(Selection::National),
        ("county", Some(code)) => Some(Selection::County(code.clone())),
        ("forbund", Some(key)) => Some(Selection::Forbund(key.clone())),
        _ => None,
    }
}
