//! The code lists of the national follow-up, with their stable codes (CONTRACT.md) and Swedish
//! names.

use serde::{Deserialize, Serialize};

/// A closed list of codes: every value, its code on the wire, its Swedish name.
pub trait Code: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn name_sv(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.code() == code)
    }

    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|value| value.code()).collect()
    }
}

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $sv:literal;)+ }) => {
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
        Individual = "individual", "Individinriktad insats";
        Structural = "structural", "Strukturövergripande insats";
    }
}

code_list! {
    /// Preciserad inriktning; each belongs to one kind.
    Orientation {
        WorkOriented = "work_oriented", "Arbetslivsinriktad";
        Preparatory = "preparatory", "Förberedande";
        IdentifyNeeds = "identify_needs", "Identifiera individens behov";
        Preventive = "preventive", "Förebyggande";
        DevelopCooperation = "develop_cooperation", "Utveckla samverkan";
        CompetenceRaising = "competence_raising", "Kompetenshöjande";
        NeedsAnalysis = "needs_analysis", "Behovsanalys";
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
        WomenOnly = "women_only", "Endast kvinnor";
        MenOnly = "men_only", "Endast män";
        Young = "young", "Unga";
        YoungWithDisability = "young_with_disability", "Unga med funktionsnedsättning";
        YoungWithActivityCompensation = "young_with_activity_compensation", "Unga med aktivitetsersättning";
        LongTermSickListed = "long_term_sick_listed", "Långtidssjukskrivna";
    }
}

code_list! {
    /// Why participants left an insats during a year.
    ExitReason {
        Work = "work", "Arbete";
        Studies = "studies", "Studier";
        JobSeeking = "job_seeking", "Arbetssökande";
        Other = "other", "Annat";
    }
}

code_list! {
    /// The parties of a förbund, by kind, as contributors.
    Party {
        State = "state", "Staten (Försäkringskassan, Arbetsförmedlingen)";
        Regions = "regions", "Regioner";
        Municipalities = "municipalities", "Kommuner";
    }
}

code_list! {
    /// Who is calling, from the token's `role` claim.
    Role {
        Registrar = "registrar", "Registrerare";
        Integration = "integration", "Verksamhetssystem";
        Analyst = "analyst", "Analytiker";
        Admin = "admin", "Administratör";
        System = "system", "Tjänsten själv";
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

    #[test]
    fn four_individual_and_three_structural_orientations() {
        assert_eq!(Orientation::of_kind(Kind::Individual).len(), 4);
        assert_eq!(
            Orientation::of_kind(Kind::Structural),
            vec![Orientation::DevelopCooperation, Orientation::CompetenceRaising, Orientation::NeedsAnalysis]
        );
    }
}
