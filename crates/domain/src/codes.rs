//! The code lists of the national follow-up, with their stable codes (CONTRACT.md) and their
//! Swedish and English names: the only definition of them in the service.
//!
//! Everything else takes them from here. The statistics index their arrays and key bits by
//! [`Code::index`] and build the tables' categories and labels from [`Code::ALL`]; the exports
//! label cells with those tables' labels; the pages are rendered from the enums and carry the
//! lists as JSON (`<script id="koder">`) for their scripts. The database holds them as code
//! tables (`insats_kinds`, `orientations`, `target_groups`), per-code columns
//! (`exits_<reason>_<gender>`, `participants_<gender>`, `contributions_<party>`) and CHECK
//! constraints, and `tests/store/code_tables.rs` holds those to the enums.
//!
//! Adding an orientation or a target group is therefore a variant here plus a migration that
//! inserts it (and `openapi/openapi.json` regenerated, which lists the enums' values). An exit
//! reason or a party is also a column per code: the store's schema and the statistics' input
//! rows change with its migration (their sizes and `match`es no longer compile until they do).
//! A gender would reshape every count (`women`, `men` fields and pairs) and is not foreseen.

use serde::{Deserialize, Serialize};

/// A closed list of codes: every value, its code on the wire, its names. The one definition
/// of each list: the statistics index their arrays by it, the exports and pages take their
/// labels from it, and a store test holds the database's code tables to it.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in the order tables and forms list them.
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    /// The Swedish name, as forms show it and the database's code tables hold it.
    fn name_sv(self) -> &'static str;
    /// The Swedish name where the context already says what the list is (a table's category
    /// under its dimension's label): shorter for a few codes, the name itself for most.
    fn short_sv(self) -> &'static str;
    /// The English name, for tables and exports in English.
    fn name_en(self) -> &'static str;
    /// The position in `ALL`, to index arrays with one slot per code.
    fn index(self) -> usize;

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.code() == code)
    }

    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|value| value.code()).collect()
    }
}

macro_rules! first_of {
    ($first:literal $(, $rest:literal)*) => {
        $first
    };
}

/// `Variant = "code", "Swedish name", "English name"[, short "Swedish short name"];`
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident {
        $($variant:ident = $code:literal, $sv:literal, $en:literal $(, short $short:literal)?;)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        impl Code for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            fn name_sv(self) -> &'static str {
                match self { $($name::$variant => $sv,)+ }
            }
            fn short_sv(self) -> &'static str {
                match self { $($name::$variant => first_of!($($short,)? $sv),)+ }
            }
            fn name_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
            fn index(self) -> usize {
                // Fieldless variants are numbered from 0 in declaration order, the order of ALL.
                self as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list! {
    /// Whether an insats is for individuals or for the structures of the parties.
    Kind {
        Individual = "individual", "Individinriktad insats", "Individual", short "Individinriktad";
        Structural = "structural", "Strukturövergripande insats", "Structural", short "Strukturövergripande";
    }
}

impl Kind {
    /// The insatser of the kind taken together, as an item of the cost table.
    pub fn insatser_sv(self) -> &'static str {
        match self {
            Kind::Individual => "Individinriktade insatser",
            Kind::Structural => "Strukturövergripande insatser",
        }
    }

    pub fn insatser_en(self) -> &'static str {
        match self {
            Kind::Individual => "Individual insatser",
            Kind::Structural => "Structural insatser",
        }
    }
}

code_list! {
    /// Preciserad inriktning; each belongs to one kind.
    Orientation {
        WorkOriented = "work_oriented", "Arbetslivsinriktad", "Work-oriented";
        Preparatory = "preparatory", "Förberedande", "Preparatory";
        IdentifyNeeds = "identify_needs", "Identifiera individens behov", "Identify the individual's needs";
        Preventive = "preventive", "Förebyggande", "Preventive";
        DevelopCooperation = "develop_cooperation", "Utveckla samverkan", "Develop cooperation";
        CompetenceRaising = "competence_raising", "Kompetenshöjande", "Competence-raising";
        NeedsAnalysis = "needs_analysis", "Behovsanalys", "Needs analysis";
    }
}

impl Orientation {
    pub fn kind(self) -> Kind {
        match self {
            Orientation::WorkOriented
            | Orientation::Preparatory
            | Orientation::IdentifyNeeds
            | Orientation::Preventive => Kind::Individual,
            Orientation::DevelopCooperation | Orientation::CompetenceRaising | Orientation::NeedsAnalysis => {
                Kind::Structural
            }
        }
    }

    pub fn of_kind(kind: Kind) -> Vec<Orientation> {
        Orientation::ALL.iter().copied().filter(|o| o.kind() == kind).collect()
    }
}

code_list! {
    /// Målgrupp of an individual insats; an insats has a set of them, the empty set meaning "no
    /// specific target group".
    TargetGroup {
        WomenOnly = "women_only", "Endast kvinnor", "Women only";
        MenOnly = "men_only", "Endast män", "Men only";
        Young = "young", "Unga", "Young people";
        YoungWithDisability = "young_with_disability", "Unga med funktionsnedsättning", "Young people with disabilities";
        YoungWithActivityCompensation = "young_with_activity_compensation", "Unga med aktivitetsersättning",
            "Young people with activity compensation";
        LongTermSickListed = "long_term_sick_listed", "Långtidssjukskrivna", "Long-term sick-listed";
    }
}

code_list! {
    /// Why participants left an insats during a year.
    ExitReason {
        Work = "work", "Arbete", "Work";
        Studies = "studies", "Studier", "Studies";
        JobSeeking = "job_seeking", "Arbetssökande", "Job seeking";
        Other = "other", "Annat", "Other";
    }
}

code_list! {
    /// The genders participants (and those who left) are counted by; never a person's.
    Gender {
        Women = "women", "Kvinnor", "Women";
        Men = "men", "Män", "Men";
    }
}

code_list! {
    /// The parties of a förbund, by kind, as contributors.
    Party {
        State = "state", "Staten (Försäkringskassan, Arbetsförmedlingen)", "The state", short "Staten";
        Regions = "regions", "Regioner", "Regions";
        Municipalities = "municipalities", "Kommuner", "Municipalities";
    }
}

code_list! {
    /// A member's decision on discharge (ansvarsfrihet) for the förbund's board for a year.
    DischargeStatus {
        Granted = "granted", "Ansvarsfrihet beviljad", "Granted", short "Beviljad";
        Refused = "refused", "Ansvarsfrihet vägrad", "Refused", short "Vägrad";
        Pending = "pending", "Inte beslutad", "Pending";
    }
}

code_list! {
    /// What the auditors remarked on in a förbund's year (what they most often remark on, and the rest).
    RemarkCategory {
        GoalsUnclear = "goals_unclear", "Mål och måluppfyllelse är otydliga", "Goals and goal attainment unclear",
            short "Otydliga mål";
        ResultNotConsistentWithEquityGoal = "result_not_consistent_with_equity_goal",
            "Resultatet stämmer inte med det finansiella målet för eget kapital",
            "Result not consistent with the equity goal", short "Resultat mot målet för eget kapital";
        Other = "other", "Annan anmärkning", "Other", short "Annat";
    }
}

code_list! {
    /// Whether a förbund's annual report reached Försäkringskassan within three months of the
    /// year's end (by 31 March of the next year).
    AnnualReportTimeliness {
        OnTime = "on_time", "Inkommen i tid", "Received on time", short "I tid";
        Late = "late", "Inkommen sent", "Received late", short "Sent";
        Missing = "missing", "Inte inkommen", "Not received", short "Saknas";
    }
}

code_list! {
    /// Who is calling, from the token's `role` claim.
    Role {
        Registrar = "registrar", "Registrerare", "Registrar";
        Integration = "integration", "Verksamhetssystem", "Case system integration";
        Analyst = "analyst", "Analytiker", "Analyst";
        Admin = "admin", "Administratör", "Administrator";
        System = "system", "Tjänsten själv", "The service itself";
    }
}

impl Role {
    /// Registrars and integrations act for one förbund, named in the token.
    pub fn needs_forbund(self) -> bool {
        matches!(self, Role::Registrar | Role::Integration)
    }

    /// The role a token's `role` claim names. `system` is the service acting on its own (the
    /// demo load, the CLI's publishing) and no token may claim it: it is exempt from deadlines.
    pub fn from_claim(claim: &str) -> Option<Role> {
        Role::from_code(claim).filter(|role| *role != Role::System)
    }

    /// The roles a token may carry.
    pub fn claimable() -> Vec<&'static str> {
        Role::ALL.iter().filter(|role| **role != Role::System).map(|role| role.code()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for orientation in Orientation::ALL {
            assert_eq!(Orientation::from_code(orientation.code()), Some(*orientation));
            assert_eq!(serde_json::to_value(orientation).unwrap(), orientation.code());
        }
        for group in TargetGroup::ALL {
            assert_eq!(serde_json::to_value(group).unwrap(), group.code());
        }
        assert_eq!(Kind::from_code("Individual"), None, "codes are exact");
    }

    fn positions_are_indices<T: Code + PartialEq + std::fmt::Debug>() {
        for (position, value) in T::ALL.iter().enumerate() {
            assert_eq!(value.index(), position, "{value:?}");
            assert_eq!(T::from_code(value.code()), Some(*value));
        }
    }

    #[test]
    fn every_list_indexes_in_the_order_of_all() {
        positions_are_indices::<Kind>();
        positions_are_indices::<Orientation>();
        positions_are_indices::<TargetGroup>();
        positions_are_indices::<ExitReason>();
        positions_are_indices::<Gender>();
        positions_are_indices::<Party>();
        positions_are_indices::<Role>();
        positions_are_indices::<DischargeStatus>();
        positions_are_indices::<RemarkCategory>();
        positions_are_indices::<AnnualReportTimeliness>();
    }

    #[test]
    fn a_short_name_only_where_one_is_given() {
        assert_eq!(Party::State.short_sv(), "Staten");
        assert_eq!(Party::State.name_sv(), "Staten (Försäkringskassan, Arbetsförmedlingen)");
        assert_eq!(Kind::Individual.short_sv(), "Individinriktad");
        assert_eq!(Orientation::IdentifyNeeds.short_sv(), Orientation::IdentifyNeeds.name_sv());
        assert_eq!(Gender::Men.name_en(), "Men");
    }

    #[test]
    fn four_individual_and_three_structural_orientations() {
        assert_eq!(Orientation::of_kind(Kind::Individual).len(), 4);
        assert_eq!(
            Orientation::of_kind(Kind::Structural),
            vec![Orientation::DevelopCooperation, Orientation::CompetenceRaising, Orientation::NeedsAnalysis]
        );
    }
}
