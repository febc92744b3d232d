//! Periodic reporting: templates and schedules (`template`, `schedule`), periods and due
//! dates (`calendar`), one request per period and unit, versioned submissions (draft →
//! submitted → returned/accepted), pre-filling from task progress, and consolidation up
//! the cascade of receivers (`consolidation`).

pub mod calendar;
pub mod consolidation;
pub mod holidays;
pub mod schedule;
pub mod template;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::Entry;
use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult};
use crate::store::{Day, Db};
use crate::with_db;

pub use calendar::{Frequency, Period, WorkCalendar};
pub use schedule::Schedule;
pub use template::{Field, Values};

/// Opens the requests of one period for every reporter (idempotent: one request per
/// schedule, period and unit).
pub async fn open_requests(
    db: &Db,
    s: &Schedule,
    p: &Period,
    cal: &WorkCalendar,
) -> AppResult<u64> {
    let mut work = crate::work::Work::begin(db).await?;
    let n = open_requests_in(&mut work, s, p, s.due_on(p, cal)).await?;
    work.commit().await?;
    Ok(n)
}

/// [`open_requests`] inside a unit of work, due on `due` (a meeting's timeline sets its own).
pub async fn open_requests_in(
    work: &mut crate::work::Work<'_>,
    s: &Schedule,
    p: &Period,
    due: NaiveDate,
) -> AppResult<u64> {
    let due = Day(due);
    let start = Day(p.start);
    let end = Day(p.end);
    let now = work.now_utc();
    Ok(crate::in_work!(work, |tx| {
        sqlx::query(
        "INSERT INTO report_requests (schedule_id, unit_id, province_code, period, window_start, window_end, due_on, state, created_at) \
         SELECT $1, r.unit_id, $2, $3, $4, $5, $6, 'open', $7 FROM report_schedule_units r WHERE r.schedule_id = $1 \
         ON CONFLICT (schedule_id, unit_id, period) DO NOTHING"
    )
    .bind(s.id)
    .bind(&s.province_code)
    .bind(&p.key)
    .bind(start)
    .bind(end)
    .bind(due)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Open,
    Draft,
    Submitted,
    Returned,
    Accepted,
}

impl RequestState {
    pub fn parse(s: &str) -> RequestState {
        match s {
            "draft" => RequestState::Draft,
            "submitted" => RequestState::Submitted,
            "returned" => RequestState::Returned,
            "accepted" => RequestState::Accepted,
            _ => RequestState::Open,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RequestState::Open => "Chưa nộp",
            RequestState::Draft => "Đang soạn (chưa nộp)",
            RequestState::Submitted => "Đã nộp, chờ tiếp nhận",
            RequestState::Returned => "Bị trả lại",
            RequestState::Accepted => "Đã tiếp nhận",
        }
    }
    /// A submission counts the moment it is made; a returned one no longer counts.
    pub fn counts(self) -> bool {
        matches!(self, RequestState::Submitted | RequestState::Accepted)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Request {
    pub id: i64,
    pub schedule_id: i64,
    pub schedule_name: String,
    pub receiver_unit_id: i64,
    pub receiver_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub province_code: String,
    pub period: String,
    pub window_start: Day,
    pub window_end: Day,
    pub due_on: Day,
    pub state: String,
    pub submitted_at: Option<String>,
    pub late: Option<bool>,
    pub returns: i32,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.schedule_id, s.name AS schedule_name, s.receiver_unit_id, ru.name AS receiver_name, \
    r.unit_id, u.code AS unit_code, u.name AS unit_name, r.province_code, r.period, r.window_start, r.window_end, r.due_on, r.state, \
    r.submitted_at, r.late, r.returns \
    FROM report_requests r JOIN report_schedules s ON s.id = r.schedule_id JOIN units u ON u.id = r.unit_id \
    JOIN units ru ON ru.id = s.receiver_unit_id";

impl Request {
    pub fn state(&self) -> RequestState {
        RequestState::parse(&self.state)
    }
    pub fn due(&self) -> NaiveDate {
        self.due_on.date()
    }
    pub fn scope(&self) -> policy::Scope<'_> {
        policy::Scope {
            province_code: &self.province_code,
            unit_id: Some(self.unit_id),
        }
    }
    pub fn period_label(&self) -> String {
        calendar::period_label(&self.period)
    }
}

pub async fn get_request(db: &Db, id: i64) -> AppResult<Request> {
    let sql = format!("{REQUEST_SELECT} WHERE r.id = $1");
    crate::store::by_id::<Request>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("yêu cầu báo cáo"))
}

/// A request as its reporter or its receiver (or the province's secretariat) may read it.
pub async fn read_request(db: &Db, actor: &Actor, id: i64) -> AppResult<Request> {
    let r = get_request(db, id).await?;
    if policy::read_unit_work(actor, &r.scope()).is_err() {
        policy::receive_reports(actor, &r.province_code, r.receiver_unit_id)?;
    }
    Ok(r)
}

/// A unit's requests, the ones still owed first, then by due date.
pub async fn unit_requests(db: &Db, unit_id: i64, limit: i64) -> AppResult<Vec<Request>> {
    let sql = format!(
        "{REQUEST_SELECT} WHERE r.unit_id = $1 \
         ORDER BY CASE WHEN r.state IN ('submitted', 'accepted') THEN 1 ELSE 0 END, r.due_on DESC LIMIT $2"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(unit_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Requests a unit receives that wait for its decision.
pub async fn awaiting_decision(db: &Db, receiver_unit: i64) -> AppResult<Vec<Request>> {
    let sql = format!(
        "{REQUEST_SELECT} WHERE s.receiver_unit_id = $1 AND r.state = 'submitted' ORDER BY r.submitted_at"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(receiver_unit)
        .fetch_all(p)
        .await)?)
}

/// Submitted reports of a province waiting for a decision, oldest first (the secretariat's
/// queue; receivers also see theirs through `awaiting_decision`).
pub async fn awaiting_in_province(db: &Db, province: &str, limit: i64) -> AppResult<Vec<Request>> {
    let sql = format!(
        "{REQUEST_SELECT} WHERE r.province_code = $1 AND r.state = 'submitted' ORDER BY r.submitted_at LIMIT $2"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(province)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Where a schedule stands in the period users most likely mean (see
/// `Schedule::default_period`): for the leaders' overview.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleStatus {
    pub schedule: Schedule,
    pub period: Period,
    pub due_on: NaiveDate,
    pub expected: i64,
    pub submitted: i64,
    pub on_time: i64,
}

/// Every active schedule of a province in its current period, from one grouped query.
pub async fn province_status(
    db: &Db,
    province: &str,
    today: NaiveDate,
) -> AppResult<Vec<ScheduleStatus>> {
    let cal = WorkCalendar::load(db).await?;
    let counts: Vec<(i64, String, i64, i64, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT schedule_id, period, COUNT(*), \
         SUM(CASE WHEN state IN ('submitted', 'accepted') THEN 1 ELSE 0 END), \
         SUM(CASE WHEN state IN ('submitted', 'accepted') AND late = FALSE THEN 1 ELSE 0 END) \
         FROM report_requests WHERE province_code = $1 GROUP BY schedule_id, period"
    )
    .bind(province)
    .fetch_all(p)
    .await)?;
    let mut out = Vec::new();
    for s in schedule::list_schedules(db, province).await? {
        if !s.active {
            continue;
        }
        let Some(p) = s.default_period(today, &cal) else {
            continue;
        };
        let c = counts
            .iter()
            .find(|c| c.0 == s.id && c.1 == p.key)
            .map(|c| (c.2, c.3, c.4))
            .unwrap_or((0, 0, 0));
        out.push(ScheduleStatus {
            due_on: s.due_on(&p, &cal),
            schedule: s,
            period: p,
            expected: c.0,
            submitted: c.1,
            on_time: c.2,
        });
    }
    Ok(out)
}

/// Requests of units that are past due and not submitted, for reminders and digests.
pub async fn unsubmitted(db: &Db, from: NaiveDate, to: NaiveDate) -> AppResult<Vec<Request>> {
    let sql = format!(
        "{REQUEST_SELECT} WHERE s.active = TRUE AND r.state NOT IN ('submitted', 'accepted') \
         AND r.due_on >= $1 AND r.due_on <= $2 ORDER BY r.province_code, r.due_on, u.name_sort"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Submission {
    pub id: i64,
    pub version: i32,
    pub state: String,
    pub values_json: String,
    pub author_name: Option<String>,
    pub saved_at: String,
    pub submitted_at: Option<String>,
    pub late: Option<bool>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
}

impl Submission {
    pub fn values(&self) -> Values {
        serde_json::from_str(&self.values_json).unwrap_or_default()
    }
}

/// Every version of a request's submission, newest first: the history a returned and
/// resubmitted report keeps.
pub async fn history(db: &Db, request_id: i64) -> AppResult<Vec<Submission>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT s.id, s.version, s.state, s.values_json, a.full_name AS author_name, s.saved_at, s.submitted_at, \
         s.late, d.full_name AS decided_by_name, s.decided_at, s.decision_note \
         FROM report_submissions s LEFT JOIN users a ON a.id = s.author_id LEFT JOIN users d ON d.id = s.decided_by \
         WHERE s.request_id = $1 ORDER BY s.version DESC"
    )
    .bind(request_id)
    .fetch_all(p)
    .await
    })?)
}

fn not_editable(state: RequestState) -> Option<AppError> {
    match state {
        RequestState::Submitted => Some(AppError::Conflict(
            "Báo cáo đã nộp và đang chờ tiếp nhận; không thể sửa.".into(),
        )),
        RequestState::Accepted => Some(AppError::Conflict(
            "Báo cáo đã được tiếp nhận; không thể sửa.".into(),
        )),
        _ => None,
    }
}

/// Saves what the unit typed (autosave or "Lưu nháp"): the current draft is updated in
/// place; after a return, a new version starts, so the returned one stays in the history.
pub async fn save_draft(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    values: &Values,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let r = get_request(db, request_id).await?;
    policy::work_on(actor, &r.scope())?;
    if let Some(e) = not_editable(r.state()) {
        return Err(e);
    }
    write_version(db, actor, &r, values, now, false).await
}

/// Submits the report: checked against the template, timestamped, on time or late by the
/// request's due date.
pub async fn submit(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    values: &Values,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let r = get_request(db, request_id).await?;
    policy::work_on(actor, &r.scope())?;
    if let Some(e) = not_editable(r.state()) {
        return Err(e);
    }
    let s = schedule::get_schedule(db, r.schedule_id).await?;
    let t = schedule::get_template(db, s.template_id).await?;
    template::validate_submission(&t.fields, values)?;
    let late = crate::clock::vn_date(now) > r.due();
    write_version(db, actor, &r, values, now, true).await?;
    Ok(late)
}

async fn write_version(
    db: &Db,
    actor: &Actor,
    r: &Request,
    values: &Values,
    now: DateTime<Utc>,
    submit: bool,
) -> AppResult<()> {
    let json = serde_json::to_string(values).map_err(anyhow::Error::from)?;
    let at = crate::clock::stored(now);
    let late = crate::clock::vn_date(now) > r.due();
    let (state, sub_at, sub_late) = if submit {
        ("submitted", Some(at.clone()), Some(late))
    } else {
        ("draft", None, None)
    };
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        // Re-read the state inside the transaction: a decision may have landed meanwhile.
        let (cur,): (String,) = sqlx::query_as("SELECT state FROM report_requests WHERE id = $1")
            .bind(r.id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(e) = not_editable(RequestState::parse(&cur)) {
            return Err(e);
        }
        let latest: Option<(i64, i32, String)> = sqlx::query_as(
            "SELECT id, version, state FROM report_submissions WHERE request_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(r.id)
        .fetch_optional(&mut *tx)
        .await?;
        let sub_id = match latest {
            Some((id, _, st)) if st == "draft" => {
                sqlx::query(
                    "UPDATE report_submissions SET values_json = $1, author_id = $2, saved_at = $3, state = $4, \
                     submitted_at = $5, late = $6 WHERE id = $7",
                )
                .bind(&json)
                .bind(actor.user_id)
                .bind(&at)
                .bind(state)
                .bind(&sub_at)
                .bind(sub_late)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            other => {
                let version = other.map(|o| o.1).unwrap_or(0) + 1;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO report_submissions (request_id, version, state, values_json, author_id, saved_at, submitted_at, late) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(r.id)
                .bind(version)
                .bind(state)
                .bind(&json)
                .bind(actor.user_id)
                .bind(&at)
                .bind(&sub_at)
                .bind(sub_late)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        if submit {
            sqlx::query("UPDATE report_requests SET state = 'submitted', submitted_at = $1, late = $2 WHERE id = $3")
                .bind(&at)
                .bind(late)
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            audit.push(
                Entry::new(actor, "submit", "report_submission", sub_id)
                    .after(&serde_json::json!({"request": r.id, "late": late, "values": values})),
            );
        } else {
            sqlx::query("UPDATE report_requests SET state = 'draft' WHERE id = $1")
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
        }
        Ok::<(), AppError>(())
    });
    work.commit().await?;
    out
}

/// The receiver accepts a submitted report, or returns it with a reason.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    accept: bool,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let r = get_request(db, request_id).await?;
    policy::receive_reports(actor, &r.province_code, r.receiver_unit_id)?;
    if r.state() != RequestState::Submitted {
        return Err(AppError::Conflict(
            "Chỉ tiếp nhận hoặc trả lại được báo cáo đã nộp và đang chờ xử lý.".into(),
        ));
    }
    let note = note.trim();
    if !accept && note.is_empty() {
        return Err(AppError::invalid(
            "note",
            "Vui lòng nêu lý do trả lại báo cáo.",
        ));
    }
    let state = if accept { "accepted" } else { "returned" };
    let at = crate::clock::stored(now);
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let n = sqlx::query(
            "UPDATE report_submissions SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
             WHERE request_id = $5 AND state = 'submitted'",
        )
        .bind(state)
        .bind(actor.user_id)
        .bind(&at)
        .bind(note)
        .bind(r.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(AppError::Conflict(
                "Báo cáo vừa được xử lý bởi người khác.".into(),
            ));
        }
        sqlx::query("UPDATE report_requests SET state = $1, returns = returns + $2 WHERE id = $3")
            .bind(state)
            .bind(if accept { 0 } else { 1 })
            .bind(r.id)
            .execute(&mut *tx)
            .await?;
        audit.push(
            Entry::new(
                actor,
                if accept { "accept" } else { "return" },
                "report_request",
                r.id,
            )
            .after(&serde_json::json!({ "note": note })),
        );
        Ok::<(), AppError>(())
    });
    work.commit().await?;
    out?;
    if accept {
        record_indicators(db, &r).await?;
    }
    Ok(())
}

/// An accepted report's figures that carry the code of an indicator units report (766
/// group 1…) become that unit's values for the calendar month the report's window ends in:
/// a ratio field keeps its numerator and denominator; a number field is a percentage.
async fn record_indicators(db: &Db, r: &Request) -> AppResult<()> {
    let cat = crate::indicators::Catalogue::national();
    let s = schedule::get_schedule(db, r.schedule_id).await?;
    let t = schedule::get_template(db, s.template_id).await?;
    let Some(sub) = history(db, r.id)
        .await?
        .into_iter()
        .find(|x| x.state == "accepted")
    else {
        return Ok(());
    };
    let values = sub.values();
    let num = |key: &str| values.get(key).and_then(|v| template::parse_number(v));
    let mut out = Vec::new();
    for f in &t.fields {
        if cat
            .indicator(&f.indicator)
            .is_none_or(|i| i.source != crate::indicators::Source::Reported)
        {
            continue;
        }
        let pair = match f.kind {
            template::FieldKind::Ratio => num(&f.numerator).zip(num(&f.denominator)),
            template::FieldKind::Number => num(&f.key).map(|v| (v, 100.0)),
            template::FieldKind::Narrative => None,
        };
        if let Some((numerator, denominator)) = pair {
            out.push(crate::indicators::store::ReportedValue {
                unit_id: r.unit_id,
                month: r.window_end.date().format("%Y-%m").to_string(),
                indicator: f.indicator.clone(),
                numerator,
                denominator,
                submission_id: Some(sub.id),
            });
        }
    }
    crate::indicators::store::record_reported(db, &r.province_code, &out).await
}

/// The values to start a report from: the latest version if there is one; otherwise what
/// the unit already has in steerco — its children's consolidated reports (a receiver one
/// level down the cascade) and its task progress of the period — so nobody types twice.
pub async fn starting_values(db: &Db, r: &Request) -> AppResult<(Values, bool)> {
    let hist = history(db, r.id).await?;
    if let Some(latest) = hist.first() {
        return Ok((latest.values(), false));
    }
    Ok((prefill(db, r).await?, true))
}

pub async fn prefill(db: &Db, r: &Request) -> AppResult<Values> {
    let s = schedule::get_schedule(db, r.schedule_id).await?;
    let t = schedule::get_template(db, s.template_id).await?;
    let mut values = Values::new();
    // One level down: the schedules this unit receives under this one.
    for child in schedule::children_of(db, s.id).await? {
        if child.receiver_unit_id != r.unit_id {
            continue;
        }
        let c = consolidation::consolidate(db, &child, &r.period).await?;
        c.merge_into(&t.fields, &mut values);
    }
    let progress = progress_in_window(db, r).await?;
    let dossiers = dossier_counts(db, r, &t.fields).await?;
    for f in &t.fields {
        if values.get(&f.key).is_some_and(|v| !v.trim().is_empty()) {
            continue;
        }
        if let Some(v) = progress.value_for(f) {
            values.insert(f.key.clone(), v);
        } else if let Some(n) = dossier_column(&f.indicator).and_then(|c| {
            use crate::dossiers::monthly::Tally;
            dossiers.as_ref().and_then(|d| d.get(c))
        }) {
            values.insert(f.key.clone(), n.to_string());
        }
    }
    Ok(values)
}

/// The dossier count a report's number field carries by its indicator code: the templates'
/// `dossiers_received`, `dossiers_finished`, `dossiers_on_time`, `dossiers_online`, or
/// `dossiers_<column>` for any column of the monthly counts.
pub fn dossier_column(indicator: &str) -> Option<&'static str> {
    use crate::dossiers::monthly::DOSSIER_COLUMNS;
    let rest = indicator.strip_prefix("dossiers_")?;
    let alias = match rest {
        "on_time" => "finished_on_time",
        "online" => "received_online",
        other => other,
    };
    DOSSIER_COLUMNS.iter().copied().find(|c| *c == alias)
}

/// The unit's one-stop counts over the request's period (months of a month, quarter, half or
/// year), when the template has a field for them and the period reads as months.
async fn dossier_counts(
    db: &Db,
    r: &Request,
    fields: &[template::Field],
) -> AppResult<Option<crate::dossiers::monthly::DossierCounts>> {
    if !fields
        .iter()
        .any(|f| f.kind == template::FieldKind::Number && dossier_column(&f.indicator).is_some())
    {
        return Ok(None);
    }
    let Some(period) = crate::indicators::period::Period::parse(&r.period) else {
        return Ok(None);
    };
    let (from, to) = period.months();
    let scope = crate::indicators::store::Scope {
        province: Some(&r.province_code),
        unit: Some(&r.unit_code),
    };
    let facts =
        crate::indicators::store::facts(db, crate::indicators::store::By::Unit, &scope, &from, &to)
            .await?;
    Ok(facts.get(&r.unit_code).map(|f| f.dossiers))
}

/// What the unit reported on its assignments during the window, and its task counts at
/// the window's end.
struct PeriodProgress {
    results: Vec<String>,
    difficulties: Vec<String>,
    proposals: Vec<String>,
    total: i64,
    done: i64,
    overdue: i64,
}

impl PeriodProgress {
    fn value_for(&self, f: &Field) -> Option<String> {
        use template::Prefill;
        let lines = |l: &Vec<String>| Some(l.join("\n")).filter(|s| !s.is_empty());
        match f.prefill {
            Prefill::None => None,
            Prefill::Results => lines(&self.results),
            Prefill::Difficulties => lines(&self.difficulties),
            Prefill::Proposals => lines(&self.proposals),
            Prefill::TasksTotal => Some(self.total.to_string()),
            Prefill::TasksDone => Some(self.done.to_string()),
            Prefill::TasksOverdue => Some(self.overdue.to_string()),
        }
    }
}

async fn progress_in_window(db: &Db, r: &Request) -> AppResult<PeriodProgress> {
    // The window in Vietnam's days, as UTC instants: 00:00 +07 is 17:00 the day before.
    let (start, end) = (r.window_start.date(), r.window_end.date());
    let from = format!(
        "{}T17:00:00Z",
        (start - chrono::Duration::days(1)).format("%Y-%m-%d")
    );
    let to = format!("{}T17:00:00Z", end.format("%Y-%m-%d"));
    let rows: Vec<(String, String, String, String, String, i32)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT t.title, d.number, pu.result, pu.difficulties, pu.proposals, pu.percent \
         FROM progress_updates pu JOIN assignments a ON a.id = pu.assignment_id \
         JOIN tasks t ON t.id = a.task_id JOIN directives d ON d.id = a.directive_id \
         WHERE a.unit_id = $1 AND pu.created_at >= $2 AND pu.created_at < $3 ORDER BY pu.created_at"
    )
    .bind(r.unit_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(p)
    .await
    })?;
    let mut out = PeriodProgress {
        results: vec![],
        difficulties: vec![],
        proposals: vec![],
        total: 0,
        done: 0,
        overdue: 0,
    };
    for (title, number, result, diff, prop, percent) in rows {
        let head = format!("- {title} ({number})");
        if !result.trim().is_empty() {
            out.results
                .push(format!("{head}: {} ({percent}%)", result.trim()));
        }
        if !diff.trim().is_empty() {
            out.difficulties.push(format!("{head}: {}", diff.trim()));
        }
        if !prop.trim().is_empty() {
            out.proposals.push(format!("{head}: {}", prop.trim()));
        }
    }
    let end_iso = end.format("%Y-%m-%d").to_string();
    let counts: Vec<(Option<String>, Option<String>)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT due_on, completed_on FROM assignments WHERE unit_id = $1 AND recurring = FALSE AND withdrawn_at IS NULL \
         AND due_on IS NOT NULL AND issued_on <= $2"
    )
    .bind(r.unit_id)
    .bind(&end_iso)
    .fetch_all(p)
    .await
    })?;
    for (due, done) in counts {
        out.total += 1;
        match done {
            Some(d) if d <= end_iso => out.done += 1,
            _ => {
                if due.is_some_and(|d| d < end_iso) {
                    out.overdue += 1;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_report_field_names_its_dossier_count_by_code() {
        use super::dossier_column;
        assert_eq!(dossier_column("dossiers_received"), Some("received"));
        assert_eq!(dossier_column("dossiers_on_time"), Some("finished_on_time"));
        assert_eq!(dossier_column("dossiers_online"), Some("received_online"));
        assert_eq!(dossier_column("dossiers_digitized"), Some("digitized"));
        assert_eq!(
            dossier_column("dossier_on_time_rate"),
            None,
            "a ratio is computed"
        );
        assert_eq!(dossier_column("dossiers_nonsense"), None);
    }
}
