use diesel::PgConnection;
use finsam_domain::FieldError;
use finsam_domain::access::Denied;
use finsam_domain::version::VersionSource;
use finsam_store::reference;
use finsam_store::registration::WriteError;

/// Why a use case changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The actor may not do this (for this förbund).
    #[error("denied: {0:?}")]
    Denied(Denied),
    /// Nothing by that key; the sentence names what is missing.
    #[error("{0}")]
    NotFound(String),
    /// The input breaks rules that need the stored data to be checked (every problem listed).
    #[error("{} problems with the input", .0.len())]
    Invalid(Vec<FieldError>),
    /// The request contradicts itself (e.g. two different versions): nothing to validate.
    #[error("{}: {}", .0.path, .0.message)]
    Malformed(FieldError),
    /// The store refused the write (a version, a conflict) or failed; `VersionSource` says where
    /// the writer's expected version came from.
    #[error("{0}")]
    Write(WriteError, VersionSource),
}

impl From<WriteError> for Refused {
    fn from(error: WriteError) -> Self {
        Refused::Write(error, VersionSource::None)
    }
}

impl From<diesel::result::Error> for Refused {
    fn from(error: diesel::result::Error) -> Self {
        Refused::Write(error.into(), VersionSource::None)
    }
}

/// What a failed write of a förbund's data says: a missing förbund or `what` (after the
/// transaction, so the common path pays nothing for telling the two apart), or the error itself
/// with where its version came from.
pub(crate) fn explain(
    conn: &mut PgConnection,
    error: Refused,
    forbund: &str,
    what: Option<String>,
    source: VersionSource,
) -> Refused {
    match error {
        Refused::Write(WriteError::NotFound, _) => match (what, reference::forbund_exists(conn, forbund)) {
            (Some(what), Ok(true)) => Refused::NotFound(what),
            (_, Ok(_)) => Refused::NotFound(format!("no förbund {forbund:?}")),
            (_, Err(error)) => error.into(),
        },
        Refused::Write(error, VersionSource::None) => Refused::Write(error, source),
        other => other,
    }
}
