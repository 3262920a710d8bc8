//! Optimistic concurrency: which version of a row a writer last saw, and where it said so.
//! `If-Match` answers 412 when stale, a `version` in the body 409; nothing sent, 428.

use crate::ErrorCode;
use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    IfMatch,
    Body,
    None,
}

/// The version a writer expects to replace, if it sent one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub version: Option<i32>,
    pub source: VersionSource,
}

impl Expected {
    pub const NONE: Expected = Expected { version: None, source: VersionSource::None };

    /// `If-Match` wins over `version` in the body, and the two must agree when both are sent.
    pub fn reconcile(if_match: Option<i32>, in_body: Option<i32>) -> Result<Expected, FieldError> {
        match (if_match, in_body) {
            (Some(header), Some(body)) if header != body => Err(FieldError::new(
                "/version",
                ErrorCode::VersionMismatch,
                format!("the body says version {body} but If-Match says {header}"),
            )),
            (Some(header), _) => Ok(Expected { version: Some(header), source: VersionSource::IfMatch }),
            (None, Some(body)) => Ok(Expected { version: Some(body), source: VersionSource::Body }),
            (None, None) => Ok(Expected::NONE),
        }
    }

    /// Whether a row now at `current` may be replaced.
    pub fn check(self, current: i32) -> Result<(), Stale> {
        match self.version {
            None => Err(Stale::Required { current }),
            Some(expected) if expected != current => Err(Stale::Moved { expected, current }),
            Some(_) => Ok(()),
        }
    }
}

/// Why a replacement was refused for its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// The row has moved on since the writer read it.
    Moved { expected: i32, current: i32 },
    /// The row exists, and replacing it needs the version the writer last saw.
    Required { current: i32 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_wins_and_must_agree_with_the_body() {
        assert_eq!(Expected::reconcile(Some(3), None).unwrap().source, VersionSource::IfMatch);
        assert_eq!(
            Expected::reconcile(Some(3), Some(3)).unwrap(),
            Expected { version: Some(3), source: VersionSource::IfMatch }
        );
        assert_eq!(Expected::reconcile(None, Some(2)).unwrap().source, VersionSource::Body);
        assert_eq!(Expected::reconcile(Some(3), Some(2)).unwrap_err().code, "version_mismatch");
        assert_eq!(Expected::reconcile(None, None).unwrap(), Expected::NONE);
    }

    #[test]
    fn a_stale_or_missing_version_is_refused() {
        let sent = |v| Expected { version: Some(v), source: VersionSource::Body };
        assert_eq!(sent(2).check(2), Ok(()));
        assert_eq!(sent(1).check(2), Err(Stale::Moved { expected: 1, current: 2 }));
        assert_eq!(Expected::NONE.check(2), Err(Stale::Required { current: 2 }));
    }
}
