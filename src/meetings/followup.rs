//! The follow-up of the previous meeting's conclusions: the first agenda item fills itself
//! from the tasks of the previous notice of conclusions of the same body and their official
//! status as of the meeting day, per lead unit.

use chrono::NaiveDate;
use serde::Serialize;

use super::Meeting;
use crate::directives::Directive;
use crate::error::AppResult;
use crate::store::{Day, Db};
use crate::tracking::{Assignment, Status, ASSIGNMENT_SELECT};
use crate::with_db;

#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    pub task_id: i64,
    pub title: String,
    pub due_on: Option<Day>,
    pub status: Status,
    pub percent: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitFollowup {
    pub unit_id: i64,
    pub unit_name: String,
    pub tasks: Vec<TaskLine>,
}

impl UnitFollowup {
    pub fn count(&self, s: Status) -> usize {
        self.tasks.iter().filter(|t| t.status == s).count()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Followup {
    pub previous_meeting_id: Option<i64>,
    pub previous_title: Option<String>,
    pub notice: Option<Directive>,
    pub as_of: Day,
    pub units: Vec<UnitFollowup>,
}

impl Followup {
    pub fn count(&self, s: Status) -> usize {
        self.units.iter().map(|u| u.count(s)).sum()
    }
    pub fn total(&self) -> usize {
        self.units.iter().map(|u| u.tasks.len()).sum()
    }
}

/// The previous meeting of the same body whose notice was issued, before this one.
pub async fn previous(db: &Db, m: &Meeting) -> AppResult<Option<(i64, String, i64)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, title, notice_directive_id FROM meetings WHERE body_id = $1 AND id <> $2 \
         AND notice_directive_id IS NOT NULL AND (planned_on < $3 OR (planned_on = $3 AND id < $2)) \
         ORDER BY planned_on DESC, id DESC LIMIT 1"
    )
    .bind(m.body_id)
    .bind(m.id)
    .bind(m.planned_on)
    .fetch_optional(p)
    .await
    })?)
}

/// The follow-up as of the meeting day (as of today while the meeting is ahead).
pub async fn followup(db: &Db, m: &Meeting, today: NaiveDate) -> AppResult<Followup> {
    let as_of = today.min(m.planned_on.date());
    let Some((prev_id, prev_title, directive_id)) = previous(db, m).await? else {
        return Ok(Followup {
            previous_meeting_id: None,
            previous_title: None,
            notice: None,
            as_of: Day(as_of),
            units: vec![],
        });
    };
    let notice = crate::directives::get_directive(db, directive_id).await?;
    let sql =
        format!("{ASSIGNMENT_SELECT} WHERE a.directive_id = $1 ORDER BY u.name_sort, a.task_id");
    let rows: Vec<Assignment> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(directive_id)
        .fetch_all(p)
        .await)?;
    let mut units: Vec<UnitFollowup> = Vec::new();
    for a in rows {
        let line = TaskLine {
            task_id: a.task_id,
            title: a.task_title.clone(),
            due_on: a.due_on,
            status: a.status(as_of),
            percent: a.percent,
        };
        match units.last_mut() {
            Some(u) if u.unit_id == a.unit_id => u.tasks.push(line),
            _ => units.push(UnitFollowup {
                unit_id: a.unit_id,
                unit_name: a.unit_name,
                tasks: vec![line],
            }),
        }
    }
    Ok(Followup {
        previous_meeting_id: Some(prev_id),
        previous_title: Some(prev_title),
        notice: Some(notice),
        as_of: Day(as_of),
        units,
    })
}
