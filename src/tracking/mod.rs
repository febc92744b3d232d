//! Tracking: what each unit owes, its progress updates, completion confirmed or returned by
//! the secretariat, extensions, and the status of an assignment computed as of any date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::deadline::Recurrence;
use crate::error::{AppError, AppResult, Validator};
use crate::store::{Arg, Page};
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::with_db;

pub mod status;

pub use status::{status_as_of, status_sql_case, Status};

/// Where the secretariat's review of a reported completion stands (column `assignments.review`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Nothing reported done yet.
    None,
    /// Reported done, waiting for the secretariat.
    Pending,
    Confirmed,
    /// Sent back with a reason: the work is open again.
    Returned,
}

impl Review {
    pub fn parse(s: &str) -> Review {
        match s {
            "pending" => Review::Pending,
            "confirmed" => Review::Confirmed,
            "returned" => Review::Returned,
            _ => Review::None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Review::None => "none",
            Review::Pending => "pending",
            Review::Confirmed => "confirmed",
            Review::Returned => "returned",
        }
    }
}

/// The decision on an extension request (column `extensions.decision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Refused,
}

impl Decision {
    pub fn parse(s: &str) -> Decision {
        match s {
            "approved" => Decision::Approved,
            "refused" => Decision::Refused,
            _ => Decision::Pending,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Assignment {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub directive_id: i64,
    pub province_code: String,
    pub due_on: Option<Day>,
    pub recurring: bool,
    pub percent: i32,
    pub completed_on: Option<Day>,
    pub review: String,
    pub review_reason: String,
    pub last_update_at: Option<String>,
    pub task_title: String,
    pub task_ref: String,
    pub deadline_text: String,
    pub recurrence: Option<String>,
    pub directive_number: String,
}

macro_rules! assignment_cols {
    () => {
        "SELECT a.id, a.task_id, a.unit_id, u.name AS unit_name, a.directive_id, a.province_code, \
         a.due_on, a.recurring, a.percent, a.completed_on, a.review, a.review_reason, a.last_update_at, \
         t.title AS task_title, t.ref AS task_ref, t.deadline_text, t.recurrence, d.number AS directive_number"
    };
}
macro_rules! assignment_from {
    () => {
        "FROM assignments a JOIN units u ON u.id = a.unit_id \
         JOIN tasks t ON t.id = a.task_id AND a.withdrawn_at IS NULL \
         JOIN directives d ON d.id = a.directive_id"
    };
}
pub const ASSIGNMENT_SELECT_COLS: &str = assignment_cols!();
pub const ASSIGNMENT_FROM: &str = assignment_from!();
/// Every query that returns [`Assignment`] starts from here.
pub const ASSIGNMENT_SELECT: &str = concat!(assignment_cols!(), " ", assignment_from!());

impl Assignment {
    pub fn status(&self, as_of: NaiveDate) -> Status {
        status_as_of(
            self.due_on.map(Day::date),
            self.recurring,
            self.completed_on.map(Day::date),
            as_of,
        )
    }
    pub fn scope(&self) -> policy::Scope<'_> {
        policy::Scope {
            province_code: &self.province_code,
            unit_id: Some(self.unit_id),
        }
    }
    pub fn recurrence(&self) -> Option<Recurrence> {
        self.recurrence.as_deref().and_then(Recurrence::parse)
    }
    pub fn review(&self) -> Review {
        Review::parse(&self.review)
    }
    /// Reported done and waiting for the secretariat's confirmation.
    pub fn awaits_confirmation(&self) -> bool {
        self.review() == Review::Pending && self.completed_on.is_some()
    }
    /// Days until the due date (negative when overdue).
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        status::days_left(self.due_on.map(Day::date), today)
    }
}

pub async fn get_assignment(db: &Db, id: i64) -> AppResult<Assignment> {
    let sql = format!("{ASSIGNMENT_SELECT} WHERE a.id = $1");
    crate::store::by_id::<Assignment>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("phân công"))
}

/// Reads an assignment the actor is allowed to see.
pub async fn read_assignment(db: &Db, actor: &Actor, id: i64) -> AppResult<Assignment> {
    let a = get_assignment(db, id).await?;
    policy::read_unit_work(actor, &a.scope())?;
    Ok(a)
}

pub async fn task_assignments(db: &Db, task_id: i64) -> AppResult<Vec<Assignment>> {
    let sql = format!("{ASSIGNMENT_SELECT} WHERE a.task_id = $1 ORDER BY u.name_sort");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(task_id)
        .fetch_all(p)
        .await)?)
}

/// An assignment with what the unit still has to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Owed {
    pub assignment: Assignment,
    pub status: Status,
    pub days_left: Option<i64>,
    /// For ongoing duties: whether the current period has a progress update.
    pub reported_this_period: Option<bool>,
}

fn urgency(o: &Owed) -> (u8, i64) {
    match o.status {
        Status::Overdue => (0, o.days_left.unwrap_or(0)),
        Status::InProgress if o.days_left.is_some() => (1, o.days_left.unwrap_or(0)),
        Status::Ongoing if o.reported_this_period == Some(false) => (2, 0),
        Status::InProgress => (3, 0),
        Status::Ongoing => (4, 0),
        Status::DoneLate | Status::DoneOnTime => (5, 0),
    }
}

/// "What my unit owes": every assignment of the unit, most urgent first — overdue work
/// (longest overdue first), then work due soonest, ongoing duties not yet reported this
/// period, work without a date, reported ongoing duties, and finished work last.
pub async fn unit_owes(db: &Db, unit_id: i64, as_of: NaiveDate) -> AppResult<Vec<Owed>> {
    let sql = format!("{ASSIGNMENT_SELECT} WHERE a.unit_id = $1 AND a.issued_on <= $2");
    let d = as_of.format("%Y-%m-%d").to_string();
    let rows: Vec<Assignment> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(unit_id)
        .bind(&d)
        .fetch_all(p)
        .await)?;
    // Ongoing duties reported in the current period: one query for the unit, not one per
    // row, and only the periods that contain `as_of` (month, quarter, year).
    let periods: Vec<String> = [
        Recurrence::Monthly,
        Recurrence::Quarterly,
        Recurrence::HalfYearly,
        Recurrence::Yearly,
    ]
    .iter()
    .map(|r| r.period_of(as_of))
    .collect();
    let reported: Vec<(i64, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT DISTINCT pu.assignment_id, pu.period FROM progress_updates pu JOIN assignments a ON a.id = pu.assignment_id \
         WHERE a.unit_id = $1 AND a.recurring = TRUE AND pu.period IN ($2, $3, $4, $5)"
    )
    .bind(unit_id)
    .bind(&periods[0])
    .bind(&periods[1])
    .bind(&periods[2])
    .bind(&periods[3])
    .fetch_all(p)
    .await
    })?;
    let reported: std::collections::HashSet<(i64, String)> = reported.into_iter().collect();
    let mut out: Vec<Owed> = rows
        .into_iter()
        .map(|a| {
            let status = a.status(as_of);
            let reported_this_period = a
                .recurrence()
                .filter(|_| a.recurring)
                .map(|r| reported.contains(&(a.id, r.period_of(as_of))));
            Owed {
                days_left: a.days_left(as_of),
                status,
                reported_this_period,
                assignment: a,
            }
        })
        .collect();
    out.sort_by_key(|o| (urgency(o), o.assignment.id));
    Ok(out)
}

/// For an ongoing task: the period containing `as_of` and the assignments that have reported
/// in it (ongoing duties are reported once per period). None for a task with a deadline.
/// A task as an actor may see it on a day: an officer sees its own unit's assignment only; an
/// ongoing duty carries its period and which assignments have reported in it. The page and the
/// API both read this.
pub struct TaskView {
    pub task: crate::directives::Task,
    pub directive: crate::directives::Directive,
    pub assignments: Vec<Assignment>,
    /// The period of an ongoing duty that holds the day ("2026-11"), if it is one.
    pub period: Option<String>,
    pub reported: std::collections::HashSet<i64>,
}

pub async fn task_for(db: &Db, actor: &Actor, task_id: i64, day: NaiveDate) -> AppResult<TaskView> {
    let (task, directive) = crate::directives::get_task(db, task_id).await?;
    policy::read_province(actor, &directive.province_code)?;
    let assignments = policy::visible(actor, task_assignments(db, task_id).await?, |a| a.unit_id);
    let (period, reported) = match reports_this_period(db, &task, day).await? {
        Some((p, r)) => (Some(p), r),
        None => (None, Default::default()),
    };
    Ok(TaskView {
        task,
        directive,
        assignments,
        period,
        reported,
    })
}

/// The unit whose work an actor reads on "Việc của đơn vị": the one asked for, else its own.
pub async fn unit_for(db: &Db, actor: &Actor, asked: Option<i64>) -> AppResult<crate::org::Unit> {
    let unit_id = asked
        .or(actor.unit_id)
        .ok_or(AppError::NotFound("đơn vị"))?;
    let unit = crate::org::get_unit(db, unit_id).await?;
    policy::read_unit_work(
        actor,
        &policy::Scope {
            province_code: &unit.province_code,
            unit_id: Some(unit.id),
        },
    )?;
    Ok(unit)
}

pub async fn reports_this_period(
    db: &Db,
    task: &crate::directives::Task,
    as_of: NaiveDate,
) -> AppResult<Option<(String, std::collections::HashSet<i64>)>> {
    match task.recurrence.as_deref().and_then(Recurrence::parse) {
        Some(r) => {
            let period = r.period_of(as_of);
            let reported = task_reported_in(db, task.id, &period).await?;
            Ok(Some((period, reported)))
        }
        None => Ok(None),
    }
}

/// Assignments of a task with a progress update for `period`.
async fn task_reported_in(
    db: &Db,
    task_id: i64,
    period: &str,
) -> AppResult<std::collections::HashSet<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT DISTINCT pu.assignment_id FROM progress_updates pu JOIN assignments a ON a.id = pu.assignment_id \
         WHERE a.task_id = $1 AND pu.period = $2"
    )
    .bind(task_id)
    .bind(period)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---- progress ----

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ProgressUpdate {
    pub id: i64,
    pub assignment_id: i64,
    pub period: String,
    pub author: Option<String>,
    pub result: String,
    pub difficulties: String,
    pub proposals: String,
    pub percent: i32,
    pub marks_done: bool,
    pub attachment_id: Option<i64>,
    pub attachment_name: Option<String>,
    pub created_at: String,
}

pub async fn progress_of(db: &Db, assignment_id: i64) -> AppResult<Vec<ProgressUpdate>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT pu.id, pu.assignment_id, pu.period, us.full_name AS author, pu.result, pu.difficulties, pu.proposals, pu.percent, \
         pu.marks_done, pu.attachment_id, at.filename AS attachment_name, pu.created_at \
         FROM progress_updates pu LEFT JOIN users us ON us.id = pu.author_id LEFT JOIN attachments at ON at.id = pu.attachment_id \
         WHERE pu.assignment_id = $1 ORDER BY pu.id DESC"
    )
    .bind(assignment_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProgressInput {
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub difficulties: String,
    #[serde(default)]
    pub proposals: String,
    pub percent: Option<i32>,
    /// Marks the assignment done (completion then awaits the secretariat's confirmation).
    #[serde(default)]
    pub done: bool,
    /// Date the work was finished; today when empty. Never in the future.
    #[serde(default)]
    pub completed_on: Option<String>,
    /// Reporting period for ongoing duties ("2025-03"); the current one when empty.
    #[serde(default)]
    pub period: Option<String>,
}

pub struct Evidence {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
/// A progress report's result, difficulties or proposals, in characters.
pub const MAX_PROGRESS_TEXT: usize = 20_000;
/// A progress report's request: its evidence file plus the form's text fields.
pub const MAX_PROGRESS_REQUEST_BYTES: usize = MAX_EVIDENCE_BYTES + 1024 * 1024;

pub async fn post_progress(
    db: &Db,
    actor: &Actor,
    assignment_id: i64,
    input: &ProgressInput,
    evidence: Option<Evidence>,
    today: NaiveDate,
) -> AppResult<i64> {
    let a = get_assignment(db, assignment_id).await?;
    policy::work_on(actor, &a.scope())?;
    let mut v = Validator::default();
    let result = nfc(&input.result);
    v.check(!result.is_empty(), "result", "Nhập kết quả thực hiện.");
    let percent = if input.done { Some(100) } else { input.percent };
    v.check(
        percent.is_some_and(|p| (0..=100).contains(&p)),
        "percent",
        "Tỷ lệ hoàn thành phải từ 0 đến 100.",
    );
    let completed_on = match input
        .completed_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => today,
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        {
            Ok(d) if d <= today => d,
            Ok(_) => {
                v.push("completed_on", "Ngày hoàn thành không thể ở tương lai.");
                today
            }
            Err(_) => {
                v.push("completed_on", "Ngày hoàn thành không hợp lệ.");
                today
            }
        },
    };
    // A completion is not dated before the assignment was issued, nor before the unit's last
    // report that said it was not done yet: a back-dated completion would turn overdue work
    // into work done on time.
    if input.done {
        let (issued, last): (Day, Option<String>) = with_db!(db, |p| {
            sqlx::query_as(
            "SELECT a.issued_on, (SELECT MAX(u.created_at) FROM progress_updates u WHERE u.assignment_id = a.id AND u.marks_done = FALSE) \
             FROM assignments a WHERE a.id = $1"
        )
        .bind(assignment_id)
        .fetch_one(p)
        .await
        })?;
        let last_report = last
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| crate::clock::vn_date(t.with_timezone(&chrono::Utc)));
        if completed_on < issued.date() {
            v.push(
                "completed_on",
                format!(
                    "Ngày hoàn thành không thể trước ngày giao nhiệm vụ ({}).",
                    issued.show()
                ),
            );
        } else if let Some(r) = last_report.filter(|r| completed_on < *r) {
            v.push(
                "completed_on",
                format!(
                    "Ngày hoàn thành không thể trước lần báo cáo gần nhất ({}).",
                    Day(r).show()
                ),
            );
        }
    }
    if input.done && a.recurring {
        v.push(
            "done",
            "Nhiệm vụ thường xuyên không đánh dấu hoàn thành; hãy báo cáo theo từng kỳ.",
        );
    }
    if input.done && a.completed_on.is_some() && a.review() != Review::Returned {
        v.push("done", "Nhiệm vụ đã được báo cáo hoàn thành.");
    }
    if let Some(e) = &evidence {
        v.check(
            e.data.len() <= MAX_EVIDENCE_BYTES,
            "evidence",
            "Tệp minh chứng vượt quá 10 MB.",
        );
        v.check(
            !e.filename.trim().is_empty(),
            "evidence",
            "Tệp minh chứng thiếu tên.",
        );
    }
    for (field, text) in [
        ("result", &input.result),
        ("difficulties", &input.difficulties),
        ("proposals", &input.proposals),
    ] {
        v.check(
            text.chars().count() <= MAX_PROGRESS_TEXT,
            field,
            "Nội dung quá dài (tối đa 20.000 ký tự mỗi mục).",
        );
    }
    let period = match (
        a.recurrence(),
        input
            .period
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        // a period of the duty's own rhythm ("2026-11" for a monthly one), a real one
        (Some(r), Some(p)) => {
            use crate::indicators::period::Period;
            let span = |k: &str| Period::parse(k).map(|x| x.span);
            if span(p).is_some() && span(p) == span(&r.period_of(today)) {
                p.to_string()
            } else {
                v.push(
                    "period",
                    format!("Kỳ báo cáo không hợp lệ (ví dụ {}).", r.period_of(today)),
                );
                String::new()
            }
        }
        (Some(r), None) => r.period_of(today),
        (None, _) => String::new(),
    };
    v.finish()?;
    let percent = percent.unwrap_or(0);
    let now = db.now_utc();
    let before = serde_json::json!({"percent": a.percent, "completed_on": a.completed_on, "review": a.review});
    let mut w = crate::work::Work::begin(db).await?;
    let id = crate::in_work!(w, |tx, audit| {
        let attachment_id: Option<i64> = match &evidence {
            Some(e) => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO attachments (filename, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(e.filename.trim())
                .bind(&e.content_type)
                .bind(e.data.len() as i64)
                .bind(&e.data)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                Some(id)
            }
            None => None,
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO progress_updates (assignment_id, period, author_id, result, difficulties, proposals, percent, marks_done, attachment_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(assignment_id)
        .bind(&period)
        .bind(actor.user_id)
        .bind(&result)
        .bind(nfc(&input.difficulties))
        .bind(nfc(&input.proposals))
        .bind(percent)
        .bind(input.done)
        .bind(attachment_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        if input.done {
            sqlx::query("UPDATE assignments SET percent = 100, completed_on = $1, review = 'pending', review_reason = '', last_update_at = $2 WHERE id = $3")
                .bind(completed_on.format("%Y-%m-%d").to_string())
                .bind(&now)
                .bind(assignment_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("UPDATE assignments SET percent = $1, last_update_at = $2 WHERE id = $3")
                .bind(percent)
                .bind(&now)
                .bind(assignment_id)
                .execute(&mut *tx)
                .await?;
        }
        audit.push(crate::audit::Entry::new(actor, if input.done { "report_done" } else { "report_progress" }, "assignment", assignment_id)
                .before(&before)
                .after(&serde_json::json!({"percent": percent, "done": input.done, "period": period, "result": result,
                    "completed_on": input.done.then(|| completed_on.to_string()), "evidence": evidence.as_ref().map(|e| &e.filename)})));
        id
    });
    w.touches(&a.province_code);
    w.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ReviewInput {
    /// "confirm" or "return".
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// The secretariat confirms a reported completion, or returns it with a reason (the
/// assignment is then unfinished again and its status computed as such).
/// Reopens a confirmed completion: it awaits confirmation again, with the reason kept and
/// audited (a confirmation made by mistake, a product found wanting).
pub async fn reopen_confirmation(
    db: &Db,
    actor: &Actor,
    assignment_id: i64,
    reason: &str,
) -> AppResult<()> {
    let a = get_assignment(db, assignment_id).await?;
    policy::direct(actor, &a.province_code)?;
    let reason = nfc(reason);
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Nhập lý do mở lại."));
    }
    if a.review() != Review::Confirmed {
        return Err(AppError::Conflict(
            "Chỉ mở lại một hoàn thành đã được xác nhận.".into(),
        ));
    }
    let mut w = crate::work::Work::begin(db).await?;
    let changed = crate::in_work!(w, |tx| {
        sqlx::query(
        "UPDATE assignments SET review = 'pending', review_reason = $1 WHERE id = $2 AND review = 'confirmed'"
    )
    .bind(&reason)
    .bind(assignment_id)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Err(AppError::Conflict("Hoàn thành này vừa được xử lý.".into()));
    }
    w.audit(
        crate::audit::Entry::new(actor, "reopen_done", "assignment", assignment_id)
            .before(&serde_json::json!({"review": "confirmed"}))
            .after(&serde_json::json!({"review": "pending", "reason": reason})),
    );
    w.touches(&a.province_code);
    w.commit().await
}

/// Several completions decided at once (the inbox's checkboxes): the same decision and reason
/// for each, each in its own unit of work as `review_completion` does it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BulkReviewInput {
    #[serde(default)]
    pub ids: Vec<i64>,
    /// "confirm" or "return".
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// The outcome of a bulk decision: the assignments decided, and those left with the reason
/// (already decided by someone else, not awaiting confirmation).
#[derive(Debug, Clone, Default, Serialize)]
pub struct BulkReview {
    pub decided: Vec<i64>,
    pub skipped: Vec<(i64, String)>,
}

/// At most this many completions are decided in one request.
pub const MAX_BULK: usize = 200;

pub async fn review_completions(
    db: &Db,
    actor: &Actor,
    input: &BulkReviewInput,
) -> AppResult<BulkReview> {
    let mut v = Validator::default();
    v.check(
        !input.ids.is_empty(),
        "ids",
        "Chọn ít nhất một báo cáo hoàn thành.",
    )
    .check(
        input.ids.len() <= MAX_BULK,
        "ids",
        "Tối đa 200 báo cáo hoàn thành mỗi lần.",
    )
    .check(
        matches!(input.decision.as_str(), "confirm" | "return"),
        "decision",
        "Chọn xác nhận hoặc trả lại.",
    )
    .check(
        input.decision != "return" || !input.reason.trim().is_empty(),
        "reason",
        "Nhập lý do trả lại.",
    );
    v.finish()?;
    let one = ReviewInput {
        decision: input.decision.clone(),
        reason: input.reason.clone(),
    };
    let mut out = BulkReview::default();
    let mut ids = input.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        match review_completion(db, actor, id, &one).await {
            Ok(()) => out.decided.push(id),
            Err(AppError::Conflict(m)) => out.skipped.push((id, m)),
            Err(AppError::NotFound(_)) => {
                out.skipped.push((id, "Không tìm thấy phân công.".into()))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

pub async fn review_completion(
    db: &Db,
    actor: &Actor,
    assignment_id: i64,
    input: &ReviewInput,
) -> AppResult<()> {
    let a = get_assignment(db, assignment_id).await?;
    policy::direct(actor, &a.province_code)?;
    if !a.awaits_confirmation() {
        return Err(AppError::Conflict(
            "Phân công này không có báo cáo hoàn thành đang chờ xác nhận.".into(),
        ));
    }
    let reason = nfc(&input.reason);
    let before = serde_json::json!({"completed_on": a.completed_on, "review": a.review, "percent": a.percent});
    let (sql, action, after) = match input.decision.as_str() {
        "confirm" => (
            "UPDATE assignments SET review = 'confirmed', review_reason = $1 WHERE id = $2 AND review = 'pending'",
            "confirm_done",
            serde_json::json!({"review": "confirmed"}),
        ),
        "return" if reason.is_empty() => {
            return Err(AppError::invalid("reason", "Nhập lý do trả lại."));
        }
        "return" => (
            "UPDATE assignments SET review = 'returned', review_reason = $1, completed_on = NULL, percent = 90 WHERE id = $2 AND review = 'pending'",
            "return_done",
            serde_json::json!({"review": "returned", "reason": reason}),
        ),
        _ => return Err(AppError::invalid("decision", "Chọn xác nhận hoặc trả lại.")),
    };
    let mut w = crate::work::Work::begin(db).await?;
    let changed = crate::in_work!(w, |tx| sqlx::query(sql)
        .bind(&reason)
        .bind(assignment_id)
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected()))?;
    // the update is conditional: of two decisions sent at once, the second changes nothing
    if changed == 0 {
        return Err(AppError::Conflict(
            "Báo cáo hoàn thành này vừa được xử lý.".into(),
        ));
    }
    w.audit(
        crate::audit::Entry::new(actor, action, "assignment", assignment_id)
            .before(&before)
            .after(&after),
    );
    w.touches(&a.province_code);
    w.commit().await
}

// ---- extensions ----

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Extension {
    pub id: i64,
    pub assignment_id: i64,
    pub requested_by_name: Option<String>,
    pub requested_due: String,
    pub reason: String,
    pub decision: String,
    pub decision_note: String,
    pub created_at: String,
    pub decided_at: Option<String>,
    /// The date approved, when shorter than the one asked.
    pub granted_due: Option<String>,
}

impl Extension {
    pub fn decision(&self) -> Decision {
        Decision::parse(&self.decision)
    }
    /// How many days after the deadline `due` the request was made (`None`: in time).
    pub fn asked_late(&self, due: Option<Day>) -> Option<i64> {
        asked_late(&self.created_at, due)
    }
}

/// Days between a deadline and a request made after it (its stored UTC instant, read as a
/// day in Vietnam); `None` when made on or before the deadline.
pub fn asked_late(created_at: &str, due: Option<Day>) -> Option<i64> {
    let at = chrono::DateTime::parse_from_rfc3339(created_at).ok()?;
    let asked = crate::clock::vn_date(at.with_timezone(&chrono::Utc));
    let due = due?.date();
    (asked > due).then(|| (asked - due).num_days())
}

pub async fn extensions_of(db: &Db, assignment_id: i64) -> AppResult<Vec<Extension>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT e.id, e.assignment_id, u.full_name AS requested_by_name, e.requested_due, e.reason, e.decision, e.decision_note, \
         e.created_at, e.decided_at, e.granted_due FROM extensions e LEFT JOIN users u ON u.id = e.requested_by WHERE e.assignment_id = $1 ORDER BY e.id DESC"
    )
    .bind(assignment_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ExtensionRequest {
    pub requested_due: String,
    pub reason: String,
}

/// A unit asks for more time, at `now` (the server's clock: whether it asked after the
/// deadline is read from it).
pub async fn request_extension(
    db: &Db,
    actor: &Actor,
    assignment_id: i64,
    input: &ExtensionRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<i64> {
    let a = get_assignment(db, assignment_id).await?;
    policy::work_on(actor, &a.scope())?;
    let mut v = Validator::default();
    let reason = nfc(&input.reason);
    v.check(!reason.is_empty(), "reason", "Nêu lý do đề nghị gia hạn.");
    let due = NaiveDate::parse_from_str(input.requested_due.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(input.requested_due.trim(), "%d/%m/%Y"));
    match (&due, a.due_on.map(crate::store::Day::date)) {
        (Err(_), _) => v.push("requested_due", "Hạn đề nghị không hợp lệ."),
        (Ok(_), None) => v.push(
            "requested_due",
            "Nhiệm vụ không có hạn cụ thể nên không cần gia hạn.",
        ),
        (Ok(n), Some(cur)) if *n <= cur => {
            v.push("requested_due", "Hạn đề nghị phải sau hạn hiện tại.")
        }
        _ => {}
    }
    if a.completed_on.is_some() {
        v.push("requested_due", "Nhiệm vụ đã báo cáo hoàn thành.");
    }
    v.finish()?;
    let due = due
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let mut w = crate::work::Work::begin(db).await?;
    // read in the unit of work, so that on SQLite two requests sent at once cannot both pass
    let pending: (i64,) = crate::in_work!(w, |tx| sqlx::query_as(
        "SELECT COUNT(*) FROM extensions WHERE assignment_id = $1 AND decision = 'pending'"
    )
    .bind(assignment_id)
    .fetch_one(&mut *tx)
    .await)?;
    if pending.0 > 0 {
        return Err(AppError::Conflict(
            "Đã có một đề nghị gia hạn đang chờ xử lý.".into(),
        ));
    }
    let (id,): (i64,) = crate::in_work!(w, |tx| {
        sqlx::query_as(
        "INSERT INTO extensions (assignment_id, requested_by, requested_due, reason, decision, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(assignment_id)
    .bind(actor.user_id)
    .bind(&due)
    .bind(&reason)
    .bind(crate::clock::stored(now))
    .fetch_one(&mut *tx)
    .await
    })?;
    w.audit(
        crate::audit::Entry::new(actor, "request_extension", "assignment", assignment_id).after(
            &serde_json::json!({"extension_id": id, "requested_due": due, "reason": reason}),
        ),
    );
    w.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ExtensionDecision {
    /// "approve" or "refuse".
    pub decision: String,
    #[serde(default)]
    pub note: String,
    /// Approved until this date instead of the one asked (not later than it); empty: as asked.
    #[serde(default)]
    pub granted_due: String,
    /// For a request made after the deadline: approving it erases the lateness, which the
    /// secretariat must say explicitly.
    #[serde(default)]
    pub forgive_lateness: bool,
}

pub async fn decide_extension(
    db: &Db,
    actor: &Actor,
    extension_id: i64,
    input: &ExtensionDecision,
) -> AppResult<i64> {
    let ext: Option<(i64, String, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT assignment_id, requested_due, decision, created_at FROM extensions WHERE id = $1"
    )
    .bind(extension_id)
    .fetch_optional(p)
    .await
    })?;
    let (assignment_id, requested_due, decision, created_at) =
        ext.ok_or(AppError::NotFound("đề nghị gia hạn"))?;
    let a = get_assignment(db, assignment_id).await?;
    policy::direct(actor, &a.province_code)?;
    if Decision::parse(&decision) != Decision::Pending {
        return Err(AppError::Conflict(
            "Đề nghị gia hạn này đã được xử lý.".into(),
        ));
    }
    let note = nfc(&input.note);
    let approve = match input.decision.as_str() {
        "approve" => true,
        "refuse" if !note.is_empty() => false,
        "refuse" => return Err(AppError::invalid("note", "Nêu lý do không đồng ý gia hạn.")),
        _ => {
            return Err(AppError::invalid(
                "decision",
                "Chọn đồng ý hoặc không đồng ý.",
            ))
        }
    };
    let late = asked_late(&created_at, a.due_on);
    if let (true, Some(days), false) = (approve, late, input.forgive_lateness) {
        return Err(AppError::invalid(
            "forgive_lateness",
            format!(
                "Đề nghị gia hạn được gửi sau khi đã quá hạn {days} ngày: đồng ý gia hạn sẽ xóa tình trạng quá hạn. Đánh dấu «Chấp nhận xóa tình trạng quá hạn» nếu đồng ý như vậy, hoặc không đồng ý gia hạn."
            ),
        ));
    }
    // the date granted: the one asked, or a shorter one, and after the current deadline
    let asked = crate::store::parse_date(&requested_due);
    let granted = match (approve, input.granted_due.trim()) {
        (false, _) | (true, "") => asked,
        (true, g) => match (crate::store::parse_date(g), asked) {
            (Some(g), Some(r)) if g > r => {
                return Err(AppError::invalid(
                    "granted_due",
                    format!("Không gia hạn quá ngày đơn vị đề nghị ({}).", Day(r).show()),
                ))
            }
            (Some(g), _) if a.due_on.is_some_and(|d| g <= d.date()) => {
                return Err(AppError::invalid(
                    "granted_due",
                    "Ngày gia hạn phải sau thời hạn hiện tại.",
                ))
            }
            (Some(g), _) => Some(g),
            (None, _) => {
                return Err(AppError::invalid(
                    "granted_due",
                    "Ngày gia hạn không hợp lệ (dd/mm/yyyy).",
                ))
            }
        },
    };
    let granted_iso = granted
        .map(|g| Day(g).iso())
        .unwrap_or(requested_due.clone());
    let now = db.now_utc();
    let mut w = crate::work::Work::begin(db).await?;
    // conditional on the request still pending: of two decisions sent at once, one wins
    let decided = crate::in_work!(w, |tx| {
        sqlx::query(
        "UPDATE extensions SET decision = $1, decided_by = $2, decision_note = $3, decided_at = $4, granted_due = $6 \
         WHERE id = $5 AND decision = 'pending'"
    )
    .bind(if approve { "approved" } else { "refused" })
    .bind(actor.user_id)
    .bind(&note)
    .bind(&now)
    .bind(extension_id)
    .bind(approve.then_some(&granted_iso))
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?;
    if decided == 0 {
        return Err(AppError::Conflict(
            "Đề nghị gia hạn này đã được xử lý.".into(),
        ));
    }
    if approve {
        crate::in_work!(w, |tx| sqlx::query(
            "UPDATE assignments SET due_on = $1 WHERE id = $2"
        )
        .bind(&granted_iso)
        .bind(assignment_id)
        .execute(&mut *tx)
        .await
        .map(|_| ()))?;
    }
    let action = if approve {
        "approve_extension"
    } else {
        "refuse_extension"
    };
    w.audit(
        crate::audit::Entry::new(actor, action, "assignment", assignment_id)
            .before(&serde_json::json!({"due_on": a.due_on}))
            .after(&serde_json::json!({"due_on": if approve { Some(granted_iso.clone()) } else { a.due_on.map(|d| d.iso()) }, "note": note,
                "asked_days_late": late, "lateness_forgiven": approve && late.is_some()})),
    );
    w.touches(&a.province_code);
    w.commit().await?;
    Ok(assignment_id)
}

/// Completions reported and awaiting the secretariat's confirmation, oldest first.
pub async fn pending_reviews(
    db: &Db,
    province: &str,
    page: i64,
    per_page: i64,
) -> AppResult<Page<Assignment>> {
    let page = page.max(1);
    let from_where = format!(
        "{ASSIGNMENT_FROM} WHERE a.province_code = $1 AND a.review = 'pending' AND a.completed_on IS NOT NULL"
    );
    let args = [Arg::Text(Some(province))];
    Ok(crate::store::paged(
        db,
        ASSIGNMENT_SELECT_COLS,
        &from_where,
        "a.last_update_at, a.id",
        &args,
        page,
        per_page,
    )
    .await?)
}

/// Extension requests awaiting a decision in a province, oldest first, each with its assignment.
pub async fn pending_extensions(
    db: &Db,
    province: &str,
    page: i64,
    per_page: i64,
) -> AppResult<Page<(Extension, Assignment)>> {
    let page = page.max(1);
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        a: Assignment,
        ext_id: i64,
        requested_by_name: Option<String>,
        requested_due: String,
        reason: String,
        ext_created_at: String,
    }
    let sql = format!(
        "{ASSIGNMENT_SELECT_COLS}, e.id AS ext_id, us.full_name AS requested_by_name, e.requested_due, e.reason, \
         e.created_at AS ext_created_at {ASSIGNMENT_FROM} JOIN extensions e ON e.assignment_id = a.id \
         LEFT JOIN users us ON us.id = e.requested_by \
         WHERE a.province_code = $1 AND e.decision = 'pending' ORDER BY e.id LIMIT $2 OFFSET $3"
    );
    let count = "SELECT COUNT(*) FROM extensions e JOIN assignments a ON a.id = e.assignment_id \
                 WHERE a.province_code = $1 AND e.decision = 'pending'";
    let (rows, total): (Vec<Row>, (i64,)) = with_db!(db, |p| {
        let rows = sqlx::query_as(&sql)
            .bind(province)
            .bind(per_page)
            .bind((page - 1) * per_page)
            .fetch_all(p)
            .await?;
        (
            rows,
            sqlx::query_as(count).bind(province).fetch_one(p).await?,
        )
    });
    let items = rows
        .into_iter()
        .map(|r| {
            let e = Extension {
                id: r.ext_id,
                assignment_id: r.a.id,
                requested_by_name: r.requested_by_name,
                requested_due: r.requested_due,
                reason: r.reason,
                decision: "pending".into(),
                decision_note: String::new(),
                created_at: r.ext_created_at,
                decided_at: None,
                granted_due: None,
            };
            (e, r.a)
        })
        .collect();
    Ok(Page {
        items,
        total: total.0,
        page,
        per_page,
    })
}

pub async fn attachment(db: &Db, actor: &Actor, id: i64) -> AppResult<(String, String, Vec<u8>)> {
    let owner: Option<(i64,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT assignment_id FROM progress_updates WHERE attachment_id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    let (aid,) = owner.ok_or(AppError::NotFound("tệp minh chứng"))?;
    read_assignment(db, actor, aid).await?;
    let f: (String, String, Vec<u8>) = with_db!(db, |p| sqlx::query_as(
        "SELECT filename, content_type, data FROM attachments WHERE id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn assignment(due_on: Option<&str>, completed_on: Option<&str>, recurring: bool) -> Assignment {
        Assignment {
            id: 1,
            task_id: 1,
            unit_id: 1,
            unit_name: "Sở Nội vụ".into(),
            directive_id: 1,
            province_code: "75".into(),
            due_on: due_on.map(day),
            recurring,
            percent: 0,
            completed_on: completed_on.map(day),
            review: "none".into(),
            review_reason: String::new(),
            last_update_at: None,
            task_title: "Ban hành kế hoạch".into(),
            task_ref: "1".into(),
            deadline_text: String::new(),
            recurrence: None,
            directive_number: "404/KH-UBND".into(),
        }
    }

    #[test]
    fn an_assignment_reads_its_status_from_its_stored_dates() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let due = assignment(Some("2025-12-31"), None, false);
        assert_eq!(due.status(d("2025-12-31")), Status::InProgress);
        assert_eq!(due.status(d("2026-01-01")), Status::Overdue);
        assert_eq!(due.days_left(d("2025-12-29")), Some(2));
        assert_eq!(due.days_left(d("2026-01-02")), Some(-2));
        let late = assignment(Some("2025-12-31"), Some("2026-01-02"), false);
        assert_eq!(late.status(d("2026-01-02")), Status::DoneLate);
        assert_eq!(late.status(d("2026-01-01")), Status::Overdue);
        let on_time = assignment(Some("2025-12-31"), Some("2025-12-31"), false);
        assert_eq!(on_time.status(d("2026-02-01")), Status::DoneOnTime);
        let ongoing = assignment(Some("2025-12-31"), None, true);
        assert_eq!(ongoing.status(d("2026-02-01")), Status::Ongoing);
        assert_eq!(
            assignment(None, None, false).days_left(d("2026-02-01")),
            None
        );
    }

    #[test]
    fn review_and_decision_states_read_from_their_columns() {
        for r in [
            Review::None,
            Review::Pending,
            Review::Confirmed,
            Review::Returned,
        ] {
            assert_eq!(Review::parse(r.as_str()), r);
        }
        let mut waiting = assignment(Some("2025-12-31"), Some("2025-12-30"), false);
        waiting.review = "pending".into();
        assert!(waiting.awaits_confirmation());
        waiting.completed_on = None;
        assert!(!waiting.awaits_confirmation());
        assert_eq!(Decision::parse("approved"), Decision::Approved);
        assert_eq!(Decision::parse("refused"), Decision::Refused);
        assert_eq!(Decision::parse("pending"), Decision::Pending);
    }
}
