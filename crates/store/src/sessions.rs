//! Sign-in attempts and sessions of the pages' users (see the sign_in migration). The keys are
//! SHA-256 hashes of what the browser holds; the caller hashes, this module only stores.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{sessions, sign_in_attempts};

/// A started sign-in: what the callback needs to finish it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sign_in_attempts)]
pub struct Attempt {
    pub state_hash: Vec<u8>,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in user of the pages.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id_hash: Vec<u8>,
    pub sub: String,
    pub role: String,
    pub forbund_key: Option<String>,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub fn insert_attempt(conn: &mut PgConnection, attempt: &Attempt) -> QueryResult<()> {
    // Attempts nobody finished are cleared as new ones start, so the table stays small.
    diesel::delete(sign_in_attempts::table.filter(sign_in_attempts::expires_at.lt(diesel::dsl::now))).execute(conn)?;
    diesel::insert_into(sign_in_attempts::table).values(attempt).execute(conn)?;
    Ok(())
}

/// The attempt of this state, removed: a second callback with the same state finds nothing.
pub fn take_attempt(conn: &mut PgConnection, state_hash: &[u8]) -> QueryResult<Option<Attempt>> {
    diesel::delete(
        sign_in_attempts::table
            .filter(sign_in_attempts::state_hash.eq(state_hash))
            .filter(sign_in_attempts::expires_at.gt(diesel::dsl::now)),
    )
    .returning(Attempt::as_returning())
    .get_result(conn)
    .optional()
}

pub fn insert_session(conn: &mut PgConnection, session: &Session) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::expires_at.lt(diesel::dsl::now))).execute(conn)?;
    diesel::insert_into(sessions::table).values(session).execute(conn)?;
    Ok(())
}

/// The live session of this id, if any.
pub fn get_session(conn: &mut PgConnection, id_hash: &[u8]) -> QueryResult<Option<Session>> {
    sessions::table
        .filter(sessions::id_hash.eq(id_hash))
        .filter(sessions::expires_at.gt(diesel::dsl::now))
        .select(Session::as_select())
        .first(conn)
        .optional()
}

/// Ends the session; the ended one is returned for the provider's sign-out.
pub fn delete_session(conn: &mut PgConnection, id_hash: &[u8]) -> QueryResult<Option<Session>> {
    diesel::delete(sessions::table.filter(sessions::id_hash.eq(id_hash)))
        .returning(Session::as_returning())
        .get_result(conn)
        .optional()
}
