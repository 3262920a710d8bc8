use diesel::prelude::*;
use finsam_domain::version::Expected;
use finsam_domain::{FieldError, finances, insats};
use finsam_store::reference;
use finsam_store::schema;
use finsam_usecases::{Acting, Refused, finances as put_finances, forbund_years, insats_years, insatser};

use crate::plan::plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub insatser: usize,
    pub finances: usize,
    pub submitted: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds insatser: the demo loads only into an empty registration")]
    NotEmpty,
    #[error("the demo's own {what} was refused: {errors:?}")]
    Invalid { what: String, errors: Vec<FieldError> },
    #[error("writing {what}: {error}")]
    Write { what: String, error: Refused },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Registers the demo in one transaction: all of it, or (on any refusal) nothing.
pub fn load(conn: &mut PgConnection) -> Result<DemoSummary, DemoError> {
    conn.transaction(|conn| {
        let existing: i64 = schema::insatser::table.count().get_result(conn)?;
        if existing > 0 {
            return Err(DemoError::NotEmpty);
        }
        let keys: Vec<String> = reference::list_forbund(conn, 2023)?.into_iter().map(|f| f.forbund_key).collect();
        let plan = plan(&keys);
        let system = Acting::system("finsam demo");
        let who = Acting::new(&system, None);
        let invalid = |what: String| move |errors| DemoError::Invalid { what, errors };
        let write = |what: String| move |error| DemoError::Write { what, error };
        for planned in &plan.insatser {
            let what = format!("insats {}", planned.insats["external_ref"]);
            let (new, _) = insats::parse(&planned.insats).map_err(invalid(what.clone()))?;
            let record = insatser::create(conn, &who, &planned.forbund, &new).map_err(write(what.clone()))?;
            insats_years::put(conn, &who, &planned.forbund, record.id, 2023, &planned.year_2023, None)
                .map_err(write(what))?;
        }
        for (forbund, year, payload) in &plan.finances {
            let what = format!("finances {forbund} {year}");
            let (parsed, _) = finances::parse(payload).map_err(invalid(what.clone()))?;
            put_finances::put(conn, &who, forbund, *year, &parsed, Expected::NONE).map_err(write(what))?;
        }
        for forbund in &plan.submitted {
            forbund_years::submit(conn, &who, forbund, 2023).map_err(write(format!("submitting {forbund}")))?;
        }
        Ok(DemoSummary {
            insatser: plan.insatser.len(),
            finances: plan.finances.len(),
            submitted: plan.submitted.len(),
        })
    })
}
