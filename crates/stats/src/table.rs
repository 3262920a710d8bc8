//! What a computed table is: dimensions (the last is `measure`) and values in row-major order,
//! the shape of JSON-stat 2.0.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::TableId;

/// Which data a table covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "level", content = "code", rename_all = "snake_case")]
pub enum Selection {
    National,
    /// A county code; a förbund counts in the county holding most of its member
    /// municipalities during the year (ties: the lowest county code).
    County(String),
    /// A forbund_key.
    Forbund(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// "count", "percent" or "SEK"
    pub label: String,
    /// Decimals shown: 0 for counts, 1 for shares, 2 for money.
    pub decimals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub label_sv: String,
    pub label_en: String,
    /// Only on categories of the `measure` dimension.
    pub unit: Option<Unit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    /// `year`, `kind`, `orientation`, `gender`, `target_group`, `item`, `party`, `reason`, `measure`
    pub id: String,
    pub label_sv: String,
    pub label_en: String,
    pub categories: Vec<Category>,
}

/// One computed table. `values` has one entry per combination of categories, the last
/// dimension varying fastest; `None` where a value does not exist (a share of nothing, a
/// measure that does not apply to a category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    pub selection: Selection,
    pub dimensions: Vec<Dimension>,
    pub values: Vec<Option<Decimal>>,
    /// What the values leave out, computed with them (e.g. förbund whose closing equity is
    /// pending); the fixed rounding rule and source are in the catalog's `TableInfo`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<TableNote>,
}

/// The code of the note on förbund whose closing equity is pending: `count` of them in `year`.
pub const PENDING_CLOSING_EQUITY: &str = "closing_equity_pending";

/// The code of the note on a year with no decided allocation.
pub const ALLOCATION_NOT_DECIDED: &str = "allocation_not_decided";

/// The code of the note on a year whose equity recommendation (its steps) no admin has set.
pub const EQUITY_RECOMMENDATION_NOT_SET: &str = "equity_recommendation_not_set";

/// The code of the note on a year whose national support spent no admin has set.
pub const NATIONAL_SUPPORT_SPENT_NOT_SET: &str = "national_support_spent_not_set";

/// A note on one year's values: a machine code with a count, and the same in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableNote {
    /// `closing_equity_pending`, `allocation_not_decided`, `equity_recommendation_not_set` or
    /// `national_support_spent_not_set`
    pub code: String,
    pub year: i32,
    pub count: i64,
    pub text_sv: String,
    pub text_en: String,
}

impl Table {
    pub fn size(&self) -> Vec<usize> {
        self.dimensions.iter().map(|d| d.categories.len()).collect()
    }

    /// The value at one category code per dimension, e.g. `["2023", "individual", "insatser"]`.
    pub fn get(&self, codes: &[&str]) -> Option<Decimal> {
        assert_eq!(codes.len(), self.dimensions.len(), "one code per dimension");
        let mut index = 0;
        for (dimension, code) in self.dimensions.iter().zip(codes) {
            let position = dimension
                .categories
                .iter()
                .position(|c| c.code == *code)
                .unwrap_or_else(|| panic!("{} has no category {code}", dimension.id));
            index = index * dimension.categories.len() + position;
        }
        self.values[index]
    }
}
