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
pub fn read_audit(a: &Actor) -> Result<(), AppError> {
    ok(matches!(a.role, Role::Admin | Role::Secretariat))
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
}
