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

/// What a failed write of a förbund's data says. A missing förbund comes first, as it did when
/// it was asked before the write (a closed year of an unknown förbund is a 404, not a 409); it is
/// asked only now, after the transaction, so the common path pays nothing for it. Else `what`
/// for a missing row, or the error itself with where its version came from.
pub(crate) fn explain(
    conn: &mut PgConnection,
    error: Refused,
    forbund: &str,
    what: Option<String>,
    source: VersionSource,
) -> Refused {
    let error = match error {
        Refused::Write(WriteError::Database(lost), _) => return Refused::Write(WriteError::Database(lost), source),
        Refused::Write(error, _) => error,
        other => return other,
    };
    match reference::forbund_exists(conn, forbund) {
        Err(lost) => lost.into(),
        Ok(false) => Refused::NotFound(format!("no förbund {forbund:?}")),
        Ok(true) => match (error, what) {
            (WriteError::NotFound(_), Some(what)) => Refused::NotFound(what),
            (WriteError::NotFound(_), None) => Refused::NotFound(format!("no förbund {forbund:?}")),
            (error, _) => Refused::Write(error, source),
        },
    }
}
