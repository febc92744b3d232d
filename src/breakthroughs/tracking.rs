//! An accepted registration followed: its milestones as the tasks they became (in the official
//! states, as every task), its targets with their indicator's value for the year so far, and
//! its status rolled up from the milestones.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Breakthrough, State};
use crate::error::AppResult;
use crate::store::{Day, Db};
use crate::tracking::Status;
use crate::with_db;

/// A milestone of an accepted registration and the task it became.
#[derive(Debug, Clone, Serialize)]
pub struct TrackedMilestone {
    pub position: i64,
    pub title: String,
    pub due_on: Day,
    pub product: String,
    pub task_id: Option<i64>,
    pub assignment_id: Option<i64>,
    pub percent: i32,
    pub status: Option<Status>,
    pub awaiting_confirmation: bool,
}

/// Where a registration stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Not accepted yet: nothing is tracked.
    NotTracked,
    OnTrack,
    /// A milestone is overdue.
    Behind,
    Done,
    /// Every milestone done, one or more late.
    DoneLate,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::NotTracked => "Chưa theo dõi",
            Progress::OnTrack => "Đang thực hiện đúng lộ trình",
            Progress::Behind => "Chậm lộ trình",
            Progress::Done => "Hoàn thành đúng lộ trình",
            Progress::DoneLate => "Hoàn thành, có mốc chậm",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Progress::NotTracked => "st-late",
            Progress::OnTrack => "st-prog",
            Progress::Behind => "st-over",
            Progress::Done => "st-ok",
            Progress::DoneLate => "st-late",
        }
    }
}

/// The status of a registration from its milestones' statuses.
pub fn roll_up(state: State, statuses: &[Status]) -> Progress {
    if state != State::Accepted || statuses.is_empty() {
        return Progress::NotTracked;
    }
    if statuses.contains(&Status::Overdue) {
        return Progress::Behind;
    }
    let done = |s: &Status| matches!(s, Status::DoneOnTime | Status::DoneLate);
    if statuses.iter().all(done) {
        if statuses.contains(&Status::DoneLate) {
            Progress::DoneLate
        } else {
            Progress::Done
        }
    } else {
        Progress::OnTrack
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    breakthrough_id: i64,
    position: i64,
    title: String,
    due_on: Day,
    product: String,
    task_id: Option<i64>,
    assignment_id: Option<i64>,
    a_due: Option<Day>,
    completed_on: Option<Day>,
    percent: Option<i32>,
    review: Option<String>,
}

/// The milestones of the given registrations with their tasks' states on `as_of`, by
/// registration.
pub async fn milestones(
    db: &Db,
    ids: &[i64],
    as_of: NaiveDate,
) -> AppResult<HashMap<i64, Vec<TrackedMilestone>>> {
    let mut out: HashMap<i64, Vec<TrackedMilestone>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    // ids are ours (integers), never user text
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT m.breakthrough_id, m.position, m.title, m.due_on, m.product, m.task_id, a.id AS assignment_id, \
         a.due_on AS a_due, a.completed_on, a.percent, a.review \
         FROM breakthrough_milestones m LEFT JOIN assignments a ON a.task_id = m.task_id \
         WHERE m.breakthrough_id IN ({list}) ORDER BY m.breakthrough_id, m.position"
    );
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
    for r in rows {
        let status = r.assignment_id.map(|_| {
            crate::tracking::status::status_as_of(
                r.a_due.map(Day::date),
                false,
                r.completed_on.map(Day::date),
                as_of,
            )
        });
        out.entry(r.breakthrough_id)
            .or_default()
            .push(TrackedMilestone {
                position: r.position,
                title: r.title,
                due_on: r.due_on,
                product: r.product,
                task_id: r.task_id,
                assignment_id: r.assignment_id,
                percent: r.percent.unwrap_or(0),
                status,
                awaiting_confirmation: r.completed_on.is_some()
                    && r.review.as_deref() == Some("pending"),
            });
    }
    Ok(out)
}

/// A registration's progress from its tracked milestones.
pub fn progress(b: &Breakthrough, m: Option<&Vec<TrackedMilestone>>) -> Progress {
    let statuses: Vec<Status> = m.into_iter().flatten().filter_map(|m| m.status).collect();
    roll_up(b.state(), &statuses)
}
