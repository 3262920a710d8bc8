//! The Finsam domain: code lists, the registration payloads and the rules they follow. Pure:
//! no I/O, no HTTP, no SQL. Payloads are read from JSON values field by field so that every
//! problem of a payload is reported at once, each with its JSON path and the rule it breaks.

pub mod access;
pub mod allocation;
pub mod annual_report;
pub mod changes;
pub mod codes;
pub mod completeness;
pub mod error_code;
pub mod field_error;
pub mod finances;
pub mod forbund_key;
pub mod identity;
pub mod import;
pub mod insats;
pub mod insats_year;
pub mod membership;
pub mod money;
pub mod money_settings;
pub mod personnummer;
mod reader;
pub mod records;
pub mod reference_statistics;
pub mod release;
pub mod report_commentary;
pub mod report_section;
pub mod reporting_year;
pub mod statistics_rows;
pub mod version;

pub use codes::{ExitReason, Gender, Kind, Orientation, Party, Role, TargetGroup};
pub use error_code::ErrorCode;
pub use field_error::{FieldError, Warning};
