//! Spreadsheets for imports: a workbook read into the import's CSV form, so that every rule
//! and every error of the CSV import holds for it too, and the template förbund fill in.

pub mod read;
pub mod template;

pub use read::xlsx_to_csv;
pub use template::template;
