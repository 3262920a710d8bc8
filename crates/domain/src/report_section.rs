//! The sections of the yearly national report, in the order of the 2023 report
//! (`reference/national-report-2023-structure.md`). The code names an analyst's commentary
//! (`PUT /api/v1/reports/{year}/commentary/{section}`) and the section's anchor in the HTML.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSection {
    Summary,
    Forbund,
    FollowUp,
    Insatser,
    Individual,
    TargetGroups,
    Structural,
    Costs,
    StateFunds,
    Completeness,
    Exits,
    Appendix,
}

impl ReportSection {
    pub const ALL: [ReportSection; 12] = [
        ReportSection::Summary,
        ReportSection::Forbund,
        ReportSection::FollowUp,
        ReportSection::Insatser,
        ReportSection::Individual,
        ReportSection::TargetGroups,
        ReportSection::Structural,
        ReportSection::Costs,
        ReportSection::StateFunds,
        ReportSection::Completeness,
        ReportSection::Exits,
        ReportSection::Appendix,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportSection::Summary => "summary",
            ReportSection::Forbund => "forbund",
            ReportSection::FollowUp => "follow_up",
            ReportSection::Insatser => "insatser",
            ReportSection::Individual => "individual",
            ReportSection::TargetGroups => "target_groups",
            ReportSection::Structural => "structural",
            ReportSection::Costs => "costs",
            ReportSection::StateFunds => "state_funds",
            ReportSection::Completeness => "completeness",
            ReportSection::Exits => "exits",
            ReportSection::Appendix => "appendix",
        }
    }

    /// The heading as the report prints it.
    pub fn heading_sv(self) -> &'static str {
        match self {
            ReportSection::Summary => "Sammanfattning",
            ReportSection::Forbund => "Samordningsförbunden",
            ReportSection::FollowUp => "Nationell uppföljning",
            ReportSection::Insatser => "Insatser",
            ReportSection::Individual => "Individinriktade insatser",
            ReportSection::TargetGroups => "Målgrupper",
            ReportSection::Structural => "Strukturövergripande insatser",
            ReportSection::Costs => "Kostnader och administration",
            ReportSection::StateFunds => "Statens medel och eget kapital",
            ReportSection::Completeness => "Registreringens fullständighet",
            ReportSection::Exits => "Avslut",
            ReportSection::Appendix => "Bilaga: förbunden och deras kommuner",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportSection> {
        ReportSection::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The longest commentary an analyst may write for one section, in characters: a few pages.
pub const MAX_COMMENTARY_CHARS: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::ReportSection;

    #[test]
    fn every_code_reads_back_and_no_two_sections_share_one() {
        for section in ReportSection::ALL {
            assert_eq!(ReportSection::from_code(section.code()), Some(section));
        }
        let mut codes: Vec<_> = ReportSection::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ReportSection::ALL.len());
        assert_eq!(ReportSection::from_code("Summary"), None);
    }
}
