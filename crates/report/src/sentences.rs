//! The kinds of generated sentence, as the HTML marks them (`data-sentence`), and what each
//! claims, so that a reader can check a sentence against the tables it cites:
//! every figure carries its table and cell (`data-table`, `data-cell`), and a word chosen by a
//! number carries its range (`data-word`, [`crate::words::SHARE_WORDS`]).

/// Counts or amounts, each a cell of a table: "Förbunden registrerade 571 insatser: …".
pub const COUNT: &str = "count";
/// "NN % av deltagarna … var kvinnor och MM % män": the first figure is the women's share of
/// the participants, the second the men's.
pub const GENDER_SHARE: &str = "gender_share";
/// A share word followed by the percentage it follows: "majoriteten (83 %) …".
pub const SHARE_WORD: &str = "share_word";
/// A share word chosen by two counts, part and whole, in that order: "hälften (148 av 296) …";
/// the word follows the part's percentage of the whole in whole percent.
pub const SHARE_OF_COUNT: &str = "share_of_count";
/// The first figure is the largest among its table's categories (totals aside).
pub const LARGEST: &str = "largest";
/// "fler" / "färre" / "lika många": compares the sentence's first figure with its second.
pub const MORE_OR_FEWER: &str = "more_or_fewer";

pub const ALL: [&str; 6] = [COUNT, GENDER_SHARE, SHARE_WORD, SHARE_OF_COUNT, LARGEST, MORE_OR_FEWER];
