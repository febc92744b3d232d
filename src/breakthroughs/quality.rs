//! Whether a registration is a breakthrough at all: example 003 asks that its targets be
//! "higher than, or new compared with, the targets the province assigned". Each target tied to
//! an indicator is checked against the target the unit already has for the year (its own, its
//! group's, the province's or the plan's — `indicators::store::Targets`), in the indicator's
//! direction.

use serde::Serialize;

use super::Target;
use crate::indicators::store::Targets;
use crate::indicators::{Catalogue, Direction};

/// What the check says of one target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Beyond the target already assigned.
    Higher { assigned: f64 },
    /// No target assigned for that indicator: a new target.
    New,
    /// Not beyond the target already assigned: flagged.
    NotHigher { assigned: f64 },
    /// Not tied to an indicator: to be judged by a reader.
    Unchecked,
}

impl Verdict {
    pub fn flagged(self) -> bool {
        matches!(self, Verdict::NotHigher { .. })
    }
    pub fn label(self) -> String {
        match self {
            Verdict::Higher { assigned } => {
                format!("Cao hơn chỉ tiêu được giao ({})", pct(assigned))
            }
            Verdict::New => "Chỉ tiêu mới (chưa được giao)".into(),
            Verdict::NotHigher { assigned } => format!(
                "Không cao hơn chỉ tiêu được giao ({}): chưa đạt yêu cầu khâu đột phá",
                pct(assigned)
            ),
            Verdict::Unchecked => "Không gắn chỉ số: cần xem xét".into(),
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Verdict::Higher { .. } | Verdict::New => "st-ok",
            Verdict::NotHigher { .. } => "st-over",
            Verdict::Unchecked => "st-late",
        }
    }
}

pub fn pct(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{} %", s.replace('.', ","))
}

/// The verdict on each target of a registration for `unit` (`None`: the province's own,
/// checked against the province's targets).
pub fn verdicts(targets: &[Target], assigned: &Targets, unit: Option<i64>) -> Vec<Verdict> {
    let cat = Catalogue::national();
    targets
        .iter()
        .map(|t| {
            let (Some(ind), Some(aim)) = (cat.indicator(&t.indicator), t.target) else {
                return Verdict::Unchecked;
            };
            match assigned.for_unit(unit, &ind.code) {
                None => Verdict::New,
                Some(a) => {
                    let beyond = match ind.direction {
                        Direction::Higher => aim > a,
                        Direction::Lower => aim < a,
                    };
                    if beyond {
                        Verdict::Higher { assigned: a }
                    } else {
                        Verdict::NotHigher { assigned: a }
                    }
                }
            }
        })
        .collect()
}

/// How many targets are flagged.
pub fn flags(v: &[Verdict]) -> usize {
    v.iter().filter(|v| v.flagged()).count()
}
