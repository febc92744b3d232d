//! The year's emulation summary per unit, for the emulation council (example 003: these
//! "are criteria of the emulation and rewards of units and of their heads"): tasks done on
//! time, reports sent on time, the index rank against the commitment, the breakthrough's
//! status — one row per unit, from what steerco already tracks.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::commitments::{self, Outcome, Standing};
use super::tracking::{self, Progress};
use super::{Breakthrough, State};
use crate::error::AppResult;
use crate::store::{Day, Db};
use crate::with_db;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub due: i64,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
}

impl Counts {
    /// The on-time share of what was due, in percent.
    pub fn share(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 * 100.0 / self.due as f64)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub tasks: Counts,
    pub reports: Counts,
    pub committed_rank: Option<i64>,
    pub standing: Option<Standing>,
    pub outcome: Outcome,
    /// The unit's registrations: (title, state, progress).
    pub breakthroughs: Vec<(String, State, Progress)>,
}

impl Row {
    /// The registrations in one line, as the council reads it.
    pub fn breakthrough_line(&self) -> String {
        if self.breakthroughs.is_empty() {
            return "Chưa đăng ký".into();
        }
        self.breakthroughs
            .iter()
            .map(|(t, s, p)| match s {
                State::Accepted => format!("{t}: {}", p.label()),
                s => format!("{t}: {}", s.label()),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub year: i32,
    pub as_of: Day,
    /// The year is over: the comparison with the commitments is final.
    pub final_: bool,
    pub rows: Vec<Row>,
}

type Tally = (i64, i64, i64, i64, i64);

/// The summary of a province's units for `year`, counted up to `today` (or the year's end).
pub async fn summary(db: &Db, province: &str, year: i32, today: NaiveDate) -> AppResult<Summary> {
    let standings = commitments::standings(db, province, year).await?;
    summary_with(db, province, year, today, standings).await
}

/// The summary with the year's standings already read (a page that shows the board too
/// computes it once).
pub async fn summary_with(
    db: &Db,
    province: &str,
    year: i32,
    today: NaiveDate,
    standings: HashMap<String, Standing>,
) -> AppResult<Summary> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let as_of = today.min(last);
    let (from, to) = (Day(first), Day(as_of));
    // (unit, due, on time, late, missing) of the assignments due in the year so far
    let tasks: Vec<Tally> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT unit_id, COUNT(*), \
         CAST(SUM(CASE WHEN completed_on IS NOT NULL AND completed_on <= due_on THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN completed_on IS NOT NULL AND completed_on > due_on THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN completed_on IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
         FROM assignments WHERE province_code = $1 AND recurring = FALSE AND withdrawn_at IS NULL AND due_on >= $2 AND due_on <= $3 GROUP BY unit_id"
    )
    .bind(province)
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await
    })?;
    let reports: Vec<Tally> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT unit_id, COUNT(*), \
         CAST(SUM(CASE WHEN state IN ('submitted', 'accepted') AND late = FALSE THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN state IN ('submitted', 'accepted') AND late = TRUE THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN state NOT IN ('submitted', 'accepted') THEN 1 ELSE 0 END) AS BIGINT) \
         FROM report_requests WHERE province_code = $1 AND due_on >= $2 AND due_on <= $3 GROUP BY unit_id"
    )
    .bind(province)
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await
    })?;
    let counts = |rows: Vec<Tally>| -> HashMap<i64, Counts> {
        rows.into_iter()
            .map(|(u, due, on_time, late, missing)| {
                (
                    u,
                    Counts {
                        due,
                        on_time,
                        late,
                        missing,
                    },
                )
            })
            .collect()
    };
    let (tasks, reports) = (counts(tasks), counts(reports));
    let committed: HashMap<i64, commitments::Commitment> = commitments::of_year(db, province, year)
        .await?
        .into_iter()
        .map(|c| (c.unit_id, c))
        .collect();
    let registrations: Vec<Breakthrough> = match super::calls::of_year(db, province, year).await? {
        Some(c) => super::of_call(db, c.id).await?,
        None => vec![],
    };
    let ids: Vec<i64> = registrations.iter().map(|b| b.id).collect();
    let tracked = tracking::milestones(db, &ids, as_of).await?;
    let mut by_unit: HashMap<i64, Vec<(String, State, Progress)>> = HashMap::new();
    for b in &registrations {
        if let Some(u) = b.unit_id {
            by_unit.entry(u).or_default().push((
                b.title.clone(),
                b.state(),
                tracking::progress(b, tracked.get(&b.id)),
            ));
        }
    }
    let units = crate::org::province_units(db, province).await?;
    let mut rows: Vec<Row> = units
        .into_iter()
        .filter(|u| matches!(u.kind.as_str(), "department" | "commune" | "other"))
        .map(|u| {
            let standing = standings.get(&u.code).cloned();
            let c = committed.get(&u.id);
            let rank = c.map(|c| c.target_rank);
            let outcome = c.map_or(Outcome::NoRank, |c| {
                commitments::compare(c, standing.as_ref()).0
            });
            Row {
                tasks: tasks.get(&u.id).cloned().unwrap_or_default(),
                reports: reports.get(&u.id).cloned().unwrap_or_default(),
                committed_rank: rank,
                standing,
                outcome,
                breakthroughs: by_unit.remove(&u.id).unwrap_or_default(),
                unit_id: u.id,
                unit_code: u.code,
                unit_name: u.name,
                unit_kind: u.kind,
            }
        })
        .collect();
    // the departments and agencies first (a few), then the communes
    rows.sort_by_key(|r| r.unit_kind == "commune");
    Ok(Summary {
        year,
        as_of: Day(as_of),
        final_: today.year() > year,
        rows,
    })
}
