//! Who may see or change what. Plain functions over the actor and the object's scope, so
//! tests can call them directly and every handler asks the same questions.

use serde::{Deserialize, Serialize};

use super::Actor;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages units, bodies, accounts; may do everything.
    Admin,
    /// Secretariat or standing-agency officer: enters directives, confirms completions,
    /// decides extensions, reads the whole province.
    Secretariat,
    /// Unit officer: reads and updates only its own unit's work.
    Officer,
    /// Leader: reads everything in the province, changes nothing.
    Leader,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "secretariat" => Some(Role::Secretariat),
            "officer" => Some(Role::Officer),
            "leader" => Some(Role::Leader),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretariat => "secretariat",
            Role::Officer => "officer",
            Role::Leader => "leader",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Secretariat => "Thư ký / Cơ quan thường trực",
            Role::Officer => "Cán bộ đơn vị",
            Role::Leader => "Lãnh đạo (chỉ xem)",
        }
    }
}

/// The part of an object the policy needs: whose work it is, in which province.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub province_code: &'a str,
    pub unit_id: Option<i64>,
}

fn same_province(a: &Actor, province: &str) -> bool {
    a.province_code.as_deref() == Some(province)
}

fn ok(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An administrator sees the country and chooses any province.
pub fn sees_country(a: &Actor) -> bool {
    a.role == Role::Admin
}

/// A unit officer sees only its own unit's work: lists are narrowed to the unit.
pub fn own_unit_only(a: &Actor) -> bool {
    a.role == Role::Officer
}

/// The secretariat's work: the inbox of confirmations and extensions, accounts, the audit trail.
pub fn does_secretariat_work(a: &Actor) -> bool {
    matches!(a.role, Role::Admin | Role::Secretariat)
}

/// Reading the national dashboard and the country's scorecards.
pub fn read_country(a: &Actor) -> Result<(), AppError> {
    ok(sees_country(a))
}

/// Reading the province dashboards: everyone but unit officers, who have their unit's page.
pub fn read_dashboards(a: &Actor) -> Result<(), AppError> {
    ok(!own_unit_only(a))
}

/// Reading a list narrowed to a unit (the overdue list): an officer only for its own unit.
pub fn read_unit_list(a: &Actor, unit: Option<i64>) -> Result<(), AppError> {
    ok(!own_unit_only(a) || (unit.is_some() && unit == a.unit_id))
}

/// Reading the list of accounts.
pub fn read_accounts(a: &Actor) -> Result<(), AppError> {
    ok(does_secretariat_work(a))
}

/// The roles an actor may give the accounts it creates.
pub fn grantable_roles(a: &Actor) -> &'static [Role] {
    if sees_country(a) {
        &[Role::Officer, Role::Leader, Role::Secretariat, Role::Admin]
    } else {
        &[Role::Officer, Role::Leader]
    }
}

/// Of a task's assignments, those the actor may see: an officer its own unit's only.
pub fn visible<T>(a: &Actor, items: Vec<T>, unit_of: impl Fn(&T) -> i64) -> Vec<T> {
    if own_unit_only(a) {
        items
            .into_iter()
            .filter(|x| Some(unit_of(x)) == a.unit_id)
            .collect()
    } else {
        items
    }
}

/// Reading a province-wide view (dashboards, directive lists, unit registry).
pub fn read_province(a: &Actor, province: &str) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat | Role::Leader | Role::Officer => same_province(a, province),
    })
}

/// Reading one unit's work (its assignments, progress, evidence).
pub fn read_unit_work(a: &Actor, s: &Scope) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat | Role::Leader => same_province(a, s.province_code),
        Role::Officer => s.unit_id.is_some() && a.unit_id == s.unit_id,
    })
}

/// Reporting progress, marking done, requesting an extension.
pub fn work_on(a: &Actor, s: &Scope) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Officer => s.unit_id.is_some() && a.unit_id == s.unit_id,
        Role::Secretariat | Role::Leader => false,
    })
}

/// Entering directives and tasks, confirming or returning completions, deciding extensions.
pub fn direct(a: &Actor, province: &str) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, province),
        Role::Officer | Role::Leader => false,
    })
}

/// Changing the registry: units, groups, bodies.
pub fn administer(a: &Actor, province: &str) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, province),
        _ => false,
    })
}

/// Importing one-stop data and reading the imports: the province's secretariat; an import
/// over the whole country (no province) is the administrators'.
pub fn import_data(a: &Actor, province: Option<&str>) -> Result<(), AppError> {
    match province {
        Some(p) => direct(a, p),
        None => ok(a.role == Role::Admin),
    }
}

/// The holiday calendar is national: administrators keep it.
pub fn administer_calendar(a: &Actor) -> Result<(), AppError> {
    ok(a.role == Role::Admin)
}

/// Setting up report templates and schedules, accepting or returning submissions of a
/// province, reading its consolidations and the notification outbox.
pub fn run_reporting(a: &Actor, province: &str) -> Result<(), AppError> {
    direct(a, province)
}

/// Receiving a report: the secretariat of the province, or an officer of the receiving
/// unit (a standing agency consolidating its units' reports).
pub fn receive_reports(a: &Actor, province: &str, receiver_unit: i64) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, province),
        Role::Officer => a.unit_id == Some(receiver_unit),
        Role::Leader => false,
    })
}

/// Reading a schedule's consolidation: the province's secretariat and leaders, or an officer
/// of the receiving unit.
pub fn read_schedule(a: &Actor, province: &str, receiver_unit: i64) -> Result<(), AppError> {
    match a.role {
        Role::Officer => receive_reports(a, province, receiver_unit),
        _ => read_province(a, province),
    }
}

/// The audit trail shows every change; it is for those who run the system.
/// Who reads the audit trail, and which part: the whole country (None) for an administrator,
/// its own province's for a secretariat.
pub fn read_audit(a: &Actor) -> Result<Option<String>, AppError> {
    match a.role {
        Role::Admin => Ok(None),
        Role::Secretariat => a.province_code.clone().map(Some).ok_or(AppError::Forbidden),
        _ => Err(AppError::Forbidden),
    }
}

/// What the policy needs of a meeting: its province and its body's standing agency.
pub struct MeetingScope<'a> {
    pub province_code: &'a str,
    pub standing_unit_id: Option<i64>,
}

/// Preparing and running a meeting: the province's secretariat, or an officer of the
/// standing agency of the meeting's body.
pub fn run_meeting(a: &Actor, m: &MeetingScope) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, m.province_code),
        Role::Officer => a.unit_id.is_some() && a.unit_id == m.standing_unit_id,
        Role::Leader => false,
    })
}

/// Reading a meeting: the province's readers; an officer when its unit runs it, is a member
/// or is invited (`units`: the meeting's units).
pub fn read_meeting(a: &Actor, m: &MeetingScope, units: &[i64]) -> Result<(), AppError> {
    match a.role {
        Role::Officer => {
            ok(a.unit_id.is_some_and(|u| units.contains(&u)) || run_meeting(a, m).is_ok())
        }
        _ => read_province(a, m.province_code),
    }
}

/// An account as the policy sees it.
pub struct AccountScope {
    pub role: Role,
    pub province: Option<String>,
}

/// Creating, locking and resetting accounts: administrators for anyone; the secretariat for
/// officers and leaders of its own province.
pub fn manage_account(a: &Actor, target: &AccountScope) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => {
            matches!(target.role, Role::Officer | Role::Leader)
                && target
                    .province
                    .as_deref()
                    .is_some_and(|p| same_province(a, p))
        }
        Role::Officer | Role::Leader => false,
    })
}

/// What the policy needs of a breakthrough registration: its province, its unit (none for one
/// of the province's own) and, for one of the province's own, the standing agency proposing it.
pub struct BreakthroughScope<'a> {
    pub province_code: &'a str,
    pub unit_id: Option<i64>,
    pub proposer_unit_id: Option<i64>,
}

/// Writing and submitting a registration: the province's secretariat (for any unit, and for
/// the province's own); a unit's officer for its unit's; a standing agency's officer for the
/// province's own it proposes (`standing`: whether the actor's unit is a standing agency).
pub fn register_breakthrough(
    a: &Actor,
    s: &BreakthroughScope,
    standing: bool,
) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, s.province_code),
        Role::Officer => match s.unit_id {
            Some(u) => a.unit_id == Some(u),
            None => standing && a.unit_id.is_some() && a.unit_id == s.proposer_unit_id,
        },
        Role::Leader => false,
    })
}

/// Reading a registration: the province's readers; an officer its unit's, and the province's
/// own (they are the province's, every unit works to them).
pub fn read_breakthrough(a: &Actor, s: &BreakthroughScope) -> Result<(), AppError> {
    match a.role {
        Role::Officer => ok(
            same_province(a, s.province_code) && (s.unit_id.is_none() || a.unit_id == s.unit_id)
        ),
        _ => read_province(a, s.province_code),
    }
}

/// Issuing a call for registrations, accepting or returning registrations, deciding the
/// province's own: the province's secretariat.
pub fn review_breakthroughs(a: &Actor, province: &str) -> Result<(), AppError> {
    direct(a, province)
}

/// Entering a unit's rank commitment: its officer, or the secretariat that consolidates them.
pub fn commit_rank(a: &Actor, province: &str, unit_id: i64) -> Result<(), AppError> {
    ok(match a.role {
        Role::Admin => true,
        Role::Secretariat => same_province(a, province),
        Role::Officer => a.unit_id == Some(unit_id),
        Role::Leader => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            full_name: "U".into(),
            role,
            unit_id: unit,
            unit_name: None,
            body_id: None,
            province_code: Some("75".into()),
            csrf: String::new(),
            via_session: false,
            unread_notices: 0,
        }
    }

    #[test]
    fn officer_touches_only_own_unit() {
        let own = Scope {
            province_code: "75",
            unit_id: Some(7),
        };
        let other = Scope {
            province_code: "75",
            unit_id: Some(8),
        };
        let o = actor(Role::Officer, Some(7));
        assert!(work_on(&o, &own).is_ok());
        assert!(work_on(&o, &other).is_err());
        assert!(read_unit_work(&o, &other).is_err());
        assert!(direct(&o, "75").is_err());
    }

    #[test]
    fn leader_reads_but_never_writes() {
        let l = actor(Role::Leader, Some(1));
        let s = Scope {
            province_code: "75",
            unit_id: Some(8),
        };
        assert!(read_unit_work(&l, &s).is_ok());
        assert!(work_on(&l, &s).is_err());
        assert!(direct(&l, "75").is_err());
        assert!(read_province(&l, "01").is_err());
    }

    #[test]
    fn who_sees_what_of_the_views() {
        let admin = actor(Role::Admin, None);
        let secretary = actor(Role::Secretariat, Some(1));
        let leader = actor(Role::Leader, Some(1));
        let officer = actor(Role::Officer, Some(7));
        assert!(read_country(&admin).is_ok());
        for a in [&secretary, &leader, &officer] {
            assert!(read_country(a).is_err());
        }
        assert!(read_dashboards(&leader).is_ok());
        assert!(read_dashboards(&officer).is_err());
        // an officer reads the overdue list of its own unit only
        assert!(read_unit_list(&officer, Some(7)).is_ok());
        assert!(read_unit_list(&officer, Some(8)).is_err());
        assert!(read_unit_list(&officer, None).is_err());
        assert!(read_unit_list(&leader, None).is_ok());
        assert!(read_accounts(&secretary).is_ok());
        assert!(read_accounts(&leader).is_err());
        assert_eq!(grantable_roles(&secretary), &[Role::Officer, Role::Leader]);
        assert!(grantable_roles(&admin).contains(&Role::Admin));
        assert_eq!(visible(&officer, vec![7, 8, 7], |u| *u), vec![7, 7]);
        assert_eq!(visible(&leader, vec![7, 8], |u| *u), vec![7, 8]);
    }
}
