//! The statistics cache's freshness (finsam_store::freshness) against concurrent writers: a
//! read that starts after a write's commit sees it, and a refresh reads only the new events.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use diesel::prelude::*;
use finsam_stats::Inputs;
use finsam_store::freshness;
use finsam_store::statistics::{self, Refreshed};
use finsam_test_db::TestDb;

use crate::usecases::support::{FORBUND, acting, insats, registrar};

fn ids(inputs: &Inputs) -> HashSet<i64> {
    inputs.insatser.iter().map(|row| row.id).collect()
}

fn create(conn: &mut PgConnection, name: &str) -> i64 {
    finsam_usecases::insatser::create(conn, &acting(&registrar()), FORBUND, &insats(name.to_owned()))
        .expect("created")
        .id
}

fn refresh(conn: &mut PgConnection, version: &freshness::DataVersion, inputs: &mut Inputs) -> Refreshed {
    statistics::refresh(conn, version, inputs).expect("refreshed").expect("insatser can be patched in")
}

#[test]
fn reads_started_after_a_commit_see_it_and_refreshes_read_only_new_events() {
    const WRITERS: usize = 4;
    const EACH: usize = 750;
    const READERS: usize = 2;
    let db = TestDb::new();
    // Ids in the order their creation returned, i.e. after its commit.
    let committed = Mutex::new(Vec::<i64>::new());
    let writing = AtomicBool::new(true);
    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (db, committed) = (&db, &committed);
                scope.spawn(move || {
                    let mut conn = db.conn();
                    for n in 0..EACH {
                        let id = create(&mut conn, &format!("w{writer}-{n}"));
                        committed.lock().unwrap().push(id);
                    }
                })
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let (db, committed, writing) = (&db, &committed, &writing);
                scope.spawn(move || {
                    let mut conn = db.conn();
                    let (mut version, mut inputs) = statistics::load_inputs(&mut conn).expect("loaded");
                    let (mut refreshes, mut with_events) = (0, 0);
                    loop {
                        let last = !writing.load(Ordering::SeqCst);
                        let known = committed.lock().unwrap().len();
                        let before = ids(&inputs);
                        let refreshed = refresh(&mut conn, &version, &mut inputs);
                        let after = ids(&inputs);
                        let missing: Vec<i64> = committed.lock().unwrap()[..known]
                            .iter()
                            .copied()
                            .filter(|id| !after.contains(id))
                            .collect();
                        assert!(missing.is_empty(), "committed before the read began, not in it: {missing:?}");
                        assert!(after.is_superset(&before), "nothing is deleted here");
                        assert_eq!(refreshed.events_read, after.len() - before.len(), "one event per new insats");
                        refreshes += 1;
                        with_events += usize::from(refreshed.events_read > 0);
                        version = refreshed.version;
                        if last {
                            break;
                        }
                    }
                    assert!(freshness::is_current(&mut conn, &version).unwrap(), "nothing written since");
                    (refreshes, with_events, inputs)
                })
            })
            .collect();
        for writer in writers {
            writer.join().expect("the writer ran");
        }
        writing.store(false, Ordering::SeqCst);
        let mut conn = db.conn();
        let (_, everything) = statistics::load_inputs(&mut conn).unwrap();
        assert_eq!(everything.insatser.len(), WRITERS * EACH);
        for reader in readers {
            let (refreshes, with_events, inputs) = reader.join().expect("the reader ran");
            assert!(with_events > 2, "refreshes came while writing: {with_events} of {refreshes}");
            assert_eq!(ids(&inputs), ids(&everything), "patched as loaded anew");
            assert_eq!(inputs.insatser.len(), everything.insatser.len());
        }
    });
}

#[test]
fn a_write_running_at_the_snapshot_is_read_once_it_commits() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let (started_tx, started) = mpsc::channel();
    let (commit_tx, commit) = mpsc::channel::<()>();
    let db = &db;
    std::thread::scope(|scope| {
        let slow = scope.spawn(move || {
            let mut writer = db.conn();
            writer
                .transaction(|conn| {
                    let id = create(conn, "slow");
                    started_tx.send(()).unwrap();
                    commit.recv().unwrap();
                    diesel::QueryResult::Ok(id)
                })
                .unwrap()
        });
        started.recv().unwrap();
        let (version, mut inputs) = statistics::load_inputs(&mut conn).unwrap();
        assert!(inputs.insatser.is_empty(), "running, not committed");

        // A later transaction commits first.
        let fast = create(&mut db.conn(), "fast");
        let first = refresh(&mut conn, &version, &mut inputs);
        assert_eq!((first.events_read, ids(&inputs)), (1, HashSet::from([fast])));

        commit_tx.send(()).unwrap();
        let slow = slow.join().unwrap();
        assert!(!freshness::is_current(&mut conn, &first.version).unwrap(), "the slow write is new to it");
        let second = refresh(&mut conn, &first.version, &mut inputs);
        assert_eq!((second.events_read, ids(&inputs)), (1, HashSet::from([fast, slow])));

        let third = refresh(&mut conn, &second.version, &mut inputs);
        assert_eq!(third.events_read, 0);
        assert!(freshness::is_current(&mut conn, &third.version).unwrap());
    });
}

#[test]
fn events_from_before_the_transaction_ids_are_older_than_any_snapshot() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let (version, _) = statistics::load_inputs(&mut conn).unwrap();
    // As the xact_freshness migration left the events before it.
    diesel::sql_query(
        "INSERT INTO audit_events (actor, actor_role, entity, entity_id, action, xact_id) \
         VALUES ('registrar-1', 'registrar', 'insats', '1', 'create', NULL)",
    )
    .execute(&mut conn)
    .unwrap();
    assert!(freshness::is_current(&mut conn, &version).unwrap());
}
