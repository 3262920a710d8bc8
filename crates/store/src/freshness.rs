//! Which audited writes a reading of the data includes, told by PostgreSQL's transaction
//! snapshots: each audit event records the transaction that wrote it (`xact_id`, see the
//! xact_freshness migration), and an event is new to a reading when its transaction had not
//! committed for that reading's snapshot. Writers share nothing to make this so (no counter row
//! to lock), and a snapshot is what every replica has too.
//!
//! The reading keeps its snapshot's xmin and xmax and, from the transactions between them (those
//! that may have been running), the ones whose events it saw. It does not trust the snapshot's
//! list of running transactions: on a hot standby `pg_current_snapshot()` lists none (PostgreSQL
//! 15 keeps a standby's running transactions where that function does not look), and
//! `pg_visible_in_snapshot()` would then call a transaction visible that was still running, and
//! its events would never be read. Which events a reading saw is right on a standby as well
//! (tests/standby/freshness-on-a-standby.sh checks both on a real standby).

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Text};

/// A reading of the data, as far as audited writes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataVersion {
    /// `pg_current_snapshot()` of the reading, for logs.
    pub snapshot: String,
    /// The transactions from the snapshot's xmin up to its xmax whose events the reading saw.
    committed: Vec<String>,
    /// The highest audit event id the reading sees: a number for people (e.g. an open release's
    /// `data_version`). Ids are handed out at insert, not at commit, so it does not tell what a
    /// reading includes.
    pub last_event: i64,
}

/// Events visible now that the reading `$1`/`$2` (snapshot, committed) did not see. NULL (events
/// older than the xact_freshness migration) satisfies no comparison: older than any snapshot.
/// The first comparison is the index's range: only events from the reading's xmin on are read.
const NEW_SINCE: &str = "xact_id >= pg_snapshot_xmin($1::pg_snapshot) \
     AND (xact_id >= pg_snapshot_xmax($1::pg_snapshot) OR xact_id <> ALL($2::text[]::xid8[]))";

#[derive(QueryableByName)]
struct Reading {
    #[diesel(sql_type = Text)]
    snapshot: String,
    #[diesel(sql_type = Array<Text>)]
    committed: Vec<String>,
    #[diesel(sql_type = BigInt)]
    last_event: i64,
}

/// The reading of this transaction's snapshot: call it inside the REPEATABLE READ transaction
/// that reads the data, so that the two match.
pub fn current(conn: &mut PgConnection) -> QueryResult<DataVersion> {
    let reading: Reading = diesel::sql_query(
        "SELECT s::text AS snapshot, \
                ARRAY(SELECT DISTINCT xact_id::text FROM audit_events \
                      WHERE xact_id >= pg_snapshot_xmin(s) AND xact_id < pg_snapshot_xmax(s)) AS committed, \
                coalesce((SELECT max(id) FROM audit_events), 0) AS last_event \
         FROM pg_current_snapshot() AS s",
    )
    .get_result(conn)?;
    Ok(DataVersion { snapshot: reading.snapshot, committed: reading.committed, last_event: reading.last_event })
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    new: bool,
}

/// Whether every audit event visible now was in `version`: one indexed look-up. Called outside
/// a transaction it sees every write committed before it started.
pub fn is_current(conn: &mut PgConnection, version: &DataVersion) -> QueryResult<bool> {
    let found: Exists =
        diesel::sql_query(format!("SELECT EXISTS (SELECT 1 FROM audit_events WHERE {NEW_SINCE}) AS new"))
            .bind::<Text, _>(&version.snapshot)
            .bind::<Array<Text>, _>(&version.committed)
            .get_result(conn)?;
    Ok(!found.new)
}

#[derive(QueryableByName)]
struct NewEvent {
    #[diesel(sql_type = Text)]
    entity: String,
    #[diesel(sql_type = Text)]
    entity_id: String,
}

/// The (entity, entity id) of each audit event visible now that `version` did not see.
pub fn events_since(conn: &mut PgConnection, version: &DataVersion) -> QueryResult<Vec<(String, String)>> {
    let events: Vec<NewEvent> =
        diesel::sql_query(format!("SELECT entity, entity_id FROM audit_events WHERE {NEW_SINCE}"))
            .bind::<Text, _>(&version.snapshot)
            .bind::<Array<Text>, _>(&version.committed)
            .load(conn)?;
    Ok(events.into_iter().map(|e| (e.entity, e.entity_id)).collect())
}
