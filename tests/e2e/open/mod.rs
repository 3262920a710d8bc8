//! Open tables over HTTP, with no token: disclosure control checked from the outside (an
//! attacker's own linear program over everything published for the nation, the counties and the
//! förbund), no insats-level data in any output, the yearly ZIP, bad input, and series against
//! single years.

mod attacker;
mod bad_input;
mod export_zip;
mod fetch;
mod formats;
mod inequality_attack;
mod no_insats_text;
mod recovery;
mod release_attack;
mod releases;
mod series;

const YEAR: &str = "2023";
