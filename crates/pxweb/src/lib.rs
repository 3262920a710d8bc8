//! The national tables as PxWeb API 2 (PxTools/PxApiSpecs, `PxAPI-2.yml`) sees them. Each
//! statistic is one PxWeb table: the years as its time variable, a region variable (the nation,
//! the counties, the förbund) and the table's own dimensions, `measure` (the contents) last.
//! Pure: the figures computed or published for each region come in, documents go out; HTTP and
//! the database are the API's.

pub mod codelist;
pub mod csv;
pub mod cube;
pub mod error;
pub mod expression;
pub mod jsonstat;
pub mod px;
pub mod selection;
pub mod variables;

pub use cube::{Block, Cube, assemble};
pub use error::{PxError, Status};
pub use selection::{Chosen, Request};
pub use variables::{Level, PxTable, Region};

#[cfg(test)]
mod tests;
