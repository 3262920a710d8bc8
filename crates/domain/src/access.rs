//! Who may do what, for which förbund. One table, so that every endpoint applies the same rules.

use crate::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's subject: who acted, as the identity provider names them.
    pub sub: String,
    pub role: Role,
    /// The förbund a registrar or integration acts for.
    pub forbund: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadRegistration,
    WriteRegistration,
    SubmitYear,
    ReadAudit,
    /// Read a reporting year's state and deadline.
    ReadYear,
    /// Close, reopen, set deadlines.
    ManageYears,
    /// Follow every förbund's registration of a year.
    ReadCompleteness,
    /// Import a year's reference statistics (inhabitants 16–64, försörjningsmått).
    ManageReferenceStatistics,
    /// Read the reference statistics.
    ReadReferenceStatistics,
    /// Decide an allocation year's parameters.
    DecideAllocation,
    /// Compute an allocation (what-if) and read the decided parameters.
    CalculateAllocation,
    /// Set a year's money settings: the equity recommendation, the administration limit, the
    /// national support spent.
    SetMoneySettings,
    /// Read them.
    ReadMoneySettings,
    /// Add a municipality's membership in a förbund, or change its end or share.
    ManageMemberships,
    /// Read a förbund's annual report, audit and discharge for a year.
    ReadAnnualReport,
    /// Enter a förbund's annual-report dates, audits, discharges and auditors' remarks.
    WriteAnnualReport,
    /// Follow every förbund's annual report of a year (who sent it within three months).
    FollowAnnualReports,
    /// Read the yearly national report with exact figures.
    ReadNationalReport,
    /// Read the analysts' commentary of a year's report.
    ReadReportCommentary,
    /// Write or delete the commentary of a report section.
    WriteReportCommentary,
}

impl Action {
    /// About the nation, not one förbund: a registrar's own förbund does not enter into it.
    fn is_national(self) -> bool {
        matches!(
            self,
            Action::ReadYear
                | Action::ManageYears
                | Action::ReadCompleteness
                | Action::ManageReferenceStatistics
                | Action::ReadReferenceStatistics
                | Action::DecideAllocation
                | Action::CalculateAllocation
                | Action::SetMoneySettings
                | Action::ReadMoneySettings
                | Action::ManageMemberships
                | Action::FollowAnnualReports
                | Action::ReadNationalReport
                | Action::ReadReportCommentary
                | Action::WriteReportCommentary
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// A registrar or integration asking about another förbund than its own.
    OtherForbund,
    /// The role may not do this at all.
    Role,
}

/// `forbund`: the förbund the request is about, if any.
pub fn authorize(actor: &Actor, action: Action, forbund: Option<&str>) -> Result<(), Denied> {
    use Action::*;
    use Role::*;
    let allowed = matches!(
        (actor.role, action),
        (Admin | System, _)
            | (_, ReadYear)
            | (
                Analyst,
                ReadRegistration
                    | ReadCompleteness
                    | ReadReferenceStatistics
                    | CalculateAllocation
                    | ReadMoneySettings
                    | ReadAnnualReport
                    | FollowAnnualReports
                    | ReadNationalReport
                    | ReadReportCommentary
                    | WriteReportCommentary
            )
            | (
                Registrar,
                ReadRegistration | WriteRegistration | SubmitYear | ReadAudit | ReadAnnualReport | WriteAnnualReport
            )
            | (Integration, ReadRegistration | WriteRegistration | ReadAudit)
    );
    if !allowed {
        return Err(Denied::Role);
    }
    if action.is_national() {
        return Ok(());
    }
    match (actor.role.needs_forbund(), forbund) {
        (true, Some(key)) if actor.forbund.as_deref() != Some(key) => Err(Denied::OtherForbund),
        (true, None) => Err(Denied::OtherForbund),
        _ => Ok(()),
    }
}

/// Whose national tables an actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableScope<'a> {
    /// Any selection: the nation, a county, any förbund.
    Any,
    /// Its own förbund's only (registrars and integrations): their selection defaults to it.
    Own(&'a str),
}

pub fn table_scope(actor: &Actor) -> TableScope<'_> {
    match actor.role.needs_forbund() {
        true => TableScope::Own(actor.forbund.as_deref().unwrap_or_default()),
        false => TableScope::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { sub: "someone".into(), role, forbund: role.needs_forbund().then(|| "own".to_owned()) }
    }

    #[test]
    fn the_whole_table() {
        use Action::*;
        let own = Some("own");
        let other = Some("other");
        // (role, action, result for own förbund, result for another förbund)
        let table = [
            (Role::Registrar, ReadRegistration, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, WriteRegistration, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, SubmitYear, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, ReadAudit, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, ManageYears, Err(Denied::Role), Err(Denied::Role)),
            (Role::Registrar, ReadYear, Ok(()), Ok(())),
            (Role::Registrar, ReadCompleteness, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ReadRegistration, Ok(()), Err(Denied::OtherForbund)),
            (Role::Integration, WriteRegistration, Ok(()), Err(Denied::OtherForbund)),
            (Role::Integration, SubmitYear, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ReadAudit, Ok(()), Err(Denied::OtherForbund)),
            (Role::Integration, ReadYear, Ok(()), Ok(())),
            (Role::Integration, ManageYears, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ReadCompleteness, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadRegistration, Ok(()), Ok(())),
            (Role::Analyst, WriteReportCommentary, Ok(()), Ok(())),
            (Role::Registrar, ReadReportCommentary, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, WriteReportCommentary, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, WriteRegistration, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, SubmitYear, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadAudit, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadYear, Ok(()), Ok(())),
            (Role::Analyst, ManageYears, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadCompleteness, Ok(()), Ok(())),
            (Role::Analyst, ReadNationalReport, Ok(()), Ok(())),
            (Role::Registrar, ReadNationalReport, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ReadNationalReport, Err(Denied::Role), Err(Denied::Role)),
            (Role::Admin, WriteRegistration, Ok(()), Ok(())),
            (Role::Admin, ManageYears, Ok(()), Ok(())),
            (Role::Admin, ReadCompleteness, Ok(()), Ok(())),
            (Role::Admin, ManageReferenceStatistics, Ok(()), Ok(())),
            (Role::Admin, DecideAllocation, Ok(()), Ok(())),
            (Role::Analyst, ManageReferenceStatistics, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadReferenceStatistics, Ok(()), Ok(())),
            (Role::Analyst, DecideAllocation, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, CalculateAllocation, Ok(()), Ok(())),
            (Role::Registrar, ReadReferenceStatistics, Err(Denied::Role), Err(Denied::Role)),
            (Role::Registrar, CalculateAllocation, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ManageReferenceStatistics, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, DecideAllocation, Err(Denied::Role), Err(Denied::Role)),
            (Role::Admin, SetMoneySettings, Ok(()), Ok(())),
            (Role::Analyst, SetMoneySettings, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadMoneySettings, Ok(()), Ok(())),
            (Role::Registrar, ReadMoneySettings, Err(Denied::Role), Err(Denied::Role)),
            (Role::Admin, ManageMemberships, Ok(()), Ok(())),
            (Role::Registrar, ManageMemberships, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ManageMemberships, Err(Denied::Role), Err(Denied::Role)),
            // The annual report: the förbund's registrars enter it, analysts read and follow it.
            (Role::Registrar, ReadAnnualReport, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, WriteAnnualReport, Ok(()), Err(Denied::OtherForbund)),
            (Role::Registrar, FollowAnnualReports, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, ReadAnnualReport, Err(Denied::Role), Err(Denied::Role)),
            (Role::Integration, WriteAnnualReport, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, ReadAnnualReport, Ok(()), Ok(())),
            (Role::Analyst, WriteAnnualReport, Err(Denied::Role), Err(Denied::Role)),
            (Role::Analyst, FollowAnnualReports, Ok(()), Ok(())),
            (Role::Admin, WriteAnnualReport, Ok(()), Ok(())),
            (Role::Admin, FollowAnnualReports, Ok(()), Ok(())),
        ];
        for (role, action, for_own, for_other) in table {
            assert_eq!(authorize(&actor(role), action, own), for_own, "{role:?} {action:?} own");
            assert_eq!(authorize(&actor(role), action, other), for_other, "{role:?} {action:?} other");
        }
    }
}
