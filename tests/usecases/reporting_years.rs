//! The write guard of reporting years: its rules, and that a close racing a write cannot let the
//! write into the closed year.

use std::sync::mpsc;
use std::time::Duration;

use chrono::NaiveDate;
use diesel::prelude::*;
use finsam_domain::Role;
use finsam_domain::codes::Code;
use finsam_store::registration::WriteError;
use finsam_store::registration::reporting_years::{self, check_writable};
use finsam_test_db::TestDb;
use finsam_usecases::reporting_years::{close, reopen, set_deadline};

use crate::usecases::support::{acting, admin};

/// Long enough for a lock wait to show.
const WAIT: Duration = Duration::from_millis(500);

fn refusal(result: Result<(), WriteError>) -> Option<&'static str> {
    match result {
        Ok(()) => None,
        Err(WriteError::Conflict { code, field, detail }) => {
            assert_eq!(field, "year");
            assert!(detail.contains("2023") || detail.contains("2020"), "{detail}");
            Some(code.as_str())
        }
        Err(other) => panic!("not a conflict: {other}"),
    }
}

fn check(conn: &mut PgConnection, year: i32, role: &str) -> Option<&'static str> {
    let role = Role::from_code(role).expect("a role");
    refusal(conn.transaction(|conn| check_writable(conn, year, role)))
}

#[test]
fn closed_years_and_passed_deadlines_refuse_all_but_admins() {
    let db = TestDb::new();
    let mut conn = db.conn();
    // No row: 31 March of the next year, long past for 2020.
    let year = reporting_years::get(&mut conn, 2020).unwrap();
    assert_eq!((year.deadline, year.deadline_passed), (NaiveDate::from_ymd_opt(2021, 3, 31).unwrap(), true));
    assert_eq!(check(&mut conn, 2020, "registrar"), Some("deadline_passed"));
    assert_eq!(check(&mut conn, 2020, "integration"), Some("deadline_passed"));
    assert_eq!(check(&mut conn, 2020, "admin"), None);
    assert_eq!(check(&mut conn, 2020, "system"), None);

    let far = NaiveDate::from_ymd_opt(2033, 12, 31).unwrap();
    let (_, changed) = set_deadline(&mut conn, &acting(&admin()), 2023, far).unwrap();
    assert!(changed);
    assert!(!set_deadline(&mut conn, &acting(&admin()), 2023, far).unwrap().1, "the same deadline again");
    assert_eq!(check(&mut conn, 2023, "registrar"), None);

    let (closed, changed) = close(&mut conn, &acting(&admin()), 2023).unwrap();
    assert!(changed && closed.closed_by.as_deref() == Some("admin-1"));
    assert!(!close(&mut conn, &acting(&admin()), 2023).unwrap().1, "closing twice");
    for role in ["registrar", "integration", "system"] {
        assert_eq!(check(&mut conn, 2023, role), Some("year_closed"), "{role}");
    }
    assert_eq!(check(&mut conn, 2023, "admin"), None, "an admin corrects a closed year");
    let (open, changed) = reopen(&mut conn, &acting(&admin()), 2023, "Rättelse").unwrap();
    assert!(changed && open.closed_at.is_none() && open.deadline == far);
    assert_eq!(check(&mut conn, 2023, "registrar"), None);

    let events = finsam_store::audit::for_entity(&mut conn, "reporting_year", "2023").unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["set_deadline", "close", "reopen"]);
    assert_eq!(events[2].reason.as_deref(), Some("Rättelse"));
    assert_eq!(events[2].after.as_ref().unwrap()["reason"], "Rättelse");
    assert!(events.iter().all(|e| e.forbund_key.is_none()));
}

#[test]
fn a_close_waits_for_a_write_in_flight() {
    let db = TestDb::new();
    let (mut writer, mut closer) = (db.conn(), db.conn());
    let (done, finished) = mpsc::channel();
    std::thread::scope(|scope| {
        writer
            .transaction(|writer| {
                check_writable(writer, 2023, Role::System)?;
                scope.spawn(move || {
                    close(&mut closer, &acting(&admin()), 2023).unwrap();
                    done.send(()).unwrap();
                });
                assert!(finished.recv_timeout(WAIT).is_err(), "the close did not wait for the write to commit");
                Ok::<_, WriteError>(())
            })
            .unwrap();
        finished.recv_timeout(Duration::from_secs(30)).expect("the close goes through once the write committed");
    });
    assert_eq!(check(&mut db.conn(), 2023, "registrar"), Some("year_closed"));
}

#[test]
fn a_write_that_starts_during_a_close_sees_it() {
    let db = TestDb::new();
    let (mut writer, mut closer) = (db.conn(), db.conn());
    std::thread::scope(|scope| {
        let write = closer
            .transaction(|closer| {
                close(closer, &acting(&admin()), 2023)?;
                let write = scope.spawn(move || check(&mut writer, 2023, "system"));
                std::thread::sleep(WAIT);
                assert!(!write.is_finished(), "the write did not wait for the close to commit");
                Ok::<_, finsam_usecases::Refused>(write)
            })
            .unwrap();
        assert_eq!(write.join().unwrap(), Some("year_closed"));
    });
}
