//! Templates and schedules as stored: who reports to whom, with which template, how often,
//! and the cascade link to the next level up.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::calendar::{self, DueRule, Frequency, Period, WorkCalendar};
use super::template::{self, Field};
use crate::audit::Entry;
use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult, Validator};
use crate::store::Db;
use crate::with_db;

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub id: i64,
    pub province_code: String,
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

type TemplateRow = (i64, String, String, String, String);

fn template_of(r: TemplateRow) -> Template {
    Template {
        id: r.0,
        province_code: r.1,
        name: r.2,
        description: r.3,
        fields: serde_json::from_str(&r.4).unwrap_or_default(),
    }
}

pub async fn list_templates(db: &Db, province: &str) -> AppResult<Vec<Template>> {
    let rows: Vec<TemplateRow> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, province_code, name, description, fields_json FROM report_templates \
         WHERE province_code = $1 ORDER BY id"
    )
    .bind(province)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(template_of).collect())
}

pub async fn get_template(db: &Db, id: i64) -> AppResult<Template> {
    let row: Option<TemplateRow> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, province_code, name, description, fields_json FROM report_templates WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await
    })?;
    row.map(template_of)
        .ok_or(AppError::NotFound("mẫu báo cáo"))
}

pub struct TemplateInput {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

/// Creates (id None) or replaces a template's definition.
pub async fn save_template(
    db: &Db,
    actor: &Actor,
    province: &str,
    id: Option<i64>,
    input: &TemplateInput,
) -> AppResult<i64> {
    policy::run_reporting(actor, province)?;
    let mut v = Validator::default();
    v.check(
        !input.name.trim().is_empty(),
        "name",
        "Vui lòng nhập tên mẫu báo cáo.",
    );
    if let Err(AppError::Invalid(errs)) = template::validate_fields(&input.fields) {
        for e in errs {
            v.push(&e.field, e.message);
        }
    }
    v.finish()?;
    if let Some(id) = id {
        let t = get_template(db, id).await?;
        policy::run_reporting(actor, &t.province_code)?;
    }
    let json = serde_json::to_string(&input.fields).map_err(anyhow::Error::from)?;
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE report_templates SET name = $1, description = $2, fields_json = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(input.name.trim())
                .bind(input.description.trim())
                .bind(&json)
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO report_templates (province_code, name, description, fields_json, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(province)
                .bind(input.name.trim())
                .bind(input.description.trim())
                .bind(&json)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        audit.push(
            Entry::new(actor, "save", "report_template", id)
                .after(&serde_json::json!({"name": input.name, "fields": input.fields})),
        );
        Ok::<i64, AppError>(id)
    });
    work.commit().await?;
    out
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Schedule {
    pub id: i64,
    pub province_code: String,
    pub body_id: Option<i64>,
    pub template_id: i64,
    pub template_name: String,
    pub parent_id: Option<i64>,
    pub name: String,
    pub receiver_unit_id: i64,
    pub receiver_name: String,
    pub frequency: String,
    pub cutoff_day: i32,
    pub due_rule: String,
    pub due_value: i32,
    pub adhoc_start: Option<String>,
    pub adhoc_due: Option<String>,
    pub reminder_offsets: String,
    pub active: bool,
    pub created_at: String,
}

const SCHEDULE_SELECT: &str = "SELECT s.id, s.province_code, s.body_id, s.template_id, t.name AS template_name, \
    s.parent_id, s.name, s.receiver_unit_id, u.name AS receiver_name, s.frequency, s.cutoff_day, s.due_rule, \
    s.due_value, s.adhoc_start, s.adhoc_due, s.reminder_offsets, s.active, s.created_at \
    FROM report_schedules s JOIN report_templates t ON t.id = s.template_id JOIN units u ON u.id = s.receiver_unit_id";

impl Schedule {
    pub fn frequency(&self) -> Frequency {
        Frequency::parse(&self.frequency).unwrap_or(Frequency::Monthly)
    }
    fn cutoff(&self) -> u32 {
        self.cutoff_day.clamp(0, 28) as u32
    }
    pub fn due_rule(&self) -> DueRule {
        let fixed = self.adhoc_due.as_deref().and_then(crate::store::parse_date);
        DueRule::from_parts(&self.due_rule, self.due_value as i64, fixed)
            .unwrap_or(DueRule::DayOfMonth(15))
    }
    /// Days relative to the due date on which unsubmitted units are reminded.
    pub fn offsets(&self) -> Vec<i64> {
        parse_offsets(&self.reminder_offsets).unwrap_or_default()
    }
    /// The period with this key, for this schedule's frequency and cut-off.
    pub fn period(&self, key: &str) -> Option<Period> {
        match self.frequency() {
            Frequency::AdHoc => self.adhoc_period().filter(|p| p.key == key),
            f => calendar::window(f, key, self.cutoff()),
        }
    }
    fn adhoc_period(&self) -> Option<Period> {
        let due = self
            .adhoc_due
            .as_deref()
            .and_then(crate::store::parse_date)?;
        let start = self
            .adhoc_start
            .as_deref()
            .and_then(crate::store::parse_date)
            .unwrap_or(due - Duration::days(30));
        Some(Period {
            key: due.format("%Y-%m-%d").to_string(),
            start,
            end: due,
        })
    }
    /// The periods whose reports are due around `today`: the one being collected and the one
    /// just closed (its due date usually falls after its window).
    pub fn live_periods(&self, today: NaiveDate) -> Vec<Period> {
        match self.frequency() {
            Frequency::AdHoc => self.adhoc_period().into_iter().collect(),
            f => {
                let mut out = Vec::new();
                if let Some(cur) = calendar::period_containing(f, today, self.cutoff()) {
                    // A period that closed before the schedule existed was never asked for.
                    let created = self
                        .created_at
                        .get(..10)
                        .and_then(crate::store::parse_date)
                        .unwrap_or(NaiveDate::MIN);
                    if let Some(prev) =
                        calendar::previous(f, &cur, self.cutoff()).filter(|p| p.end >= created)
                    {
                        out.push(prev);
                    }
                    out.push(cur);
                }
                out
            }
        }
    }
    /// The period a user most likely means: the live one whose due date is nearest (just
    /// after a due date, the period still being consolidated; before it, the one coming).
    pub fn default_period(&self, today: NaiveDate, cal: &WorkCalendar) -> Option<Period> {
        self.live_periods(today)
            .into_iter()
            .min_by_key(|p| (self.due_on(p, cal) - today).num_days().abs())
    }
    pub fn due_on(&self, p: &Period, cal: &WorkCalendar) -> NaiveDate {
        calendar::due_date(self.due_rule(), p.end, cal)
    }
}

/// A schedule as `actor` may read it, with the period named by `key` (or, without one, the
/// period users most likely mean on `today`), and the calendar its due dates follow.
pub async fn read_period(
    db: &Db,
    actor: &Actor,
    id: i64,
    key: Option<&str>,
    today: NaiveDate,
) -> AppResult<(Schedule, Period, WorkCalendar)> {
    let s = get_schedule(db, id).await?;
    policy::read_schedule(actor, &s.province_code, s.receiver_unit_id)?;
    let cal = WorkCalendar::load(db).await?;
    let p = match key.filter(|k| !k.is_empty()) {
        Some(k) => s
            .period(k)
            .ok_or_else(|| AppError::invalid("period", "Kỳ báo cáo không hợp lệ."))?,
        None => s
            .default_period(today, &cal)
            .ok_or(AppError::NotFound("kỳ báo cáo"))?,
    };
    Ok((s, p, cal))
}

pub fn parse_offsets(s: &str) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for part in s.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
        let n: i64 = part.trim().trim_start_matches('+').parse().ok()?;
        if !(-60..=60).contains(&n) {
            return None;
        }
        out.push(n);
    }
    out.sort();
    out.dedup();
    Some(out)
}

pub async fn list_schedules(db: &Db, province: &str) -> AppResult<Vec<Schedule>> {
    let sql = format!("{SCHEDULE_SELECT} WHERE s.province_code = $1 ORDER BY s.id");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(province)
        .fetch_all(p)
        .await)?)
}

pub async fn all_active_schedules(db: &Db) -> AppResult<Vec<Schedule>> {
    let sql = format!("{SCHEDULE_SELECT} WHERE s.active = TRUE ORDER BY s.id");
    Ok(with_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
}

pub async fn get_schedule(db: &Db, id: i64) -> AppResult<Schedule> {
    let sql = format!("{SCHEDULE_SELECT} WHERE s.id = $1");
    crate::store::by_id::<Schedule>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("lịch báo cáo"))
}

pub async fn children_of(db: &Db, id: i64) -> AppResult<Vec<Schedule>> {
    let sql = format!("{SCHEDULE_SELECT} WHERE s.parent_id = $1 ORDER BY s.id");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

/// The reporting units of a schedule: (id, code, name), in Vietnamese order.
pub async fn reporters(db: &Db, id: i64) -> AppResult<Vec<(i64, String, String)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT u.id, u.code, u.name FROM report_schedule_units r JOIN units u ON u.id = r.unit_id \
         WHERE r.schedule_id = $1 ORDER BY u.name_sort"
    )
    .bind(id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ScheduleInput {
    pub name: String,
    pub body_id: Option<i64>,
    pub template_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub receiver_unit_id: Option<i64>,
    pub frequency: String,
    pub cutoff_day: String,
    pub due_rule: String,
    pub due_value: String,
    pub adhoc_start: String,
    pub adhoc_due: String,
    pub reminder_offsets: String,
    pub units: Vec<i64>,
    pub groups: Vec<i64>,
}

struct CheckedSchedule {
    frequency: Frequency,
    cutoff: i32,
    rule: DueRule,
    adhoc_start: Option<String>,
    adhoc_due: Option<String>,
    offsets: String,
}

fn check(input: &ScheduleInput) -> AppResult<CheckedSchedule> {
    let mut v = Validator::default();
    v.check(
        !input.name.trim().is_empty(),
        "name",
        "Vui lòng nhập tên báo cáo.",
    );
    v.check(
        input.template_id.is_some(),
        "template_id",
        "Vui lòng chọn mẫu báo cáo.",
    );
    v.check(
        input.receiver_unit_id.is_some(),
        "receiver_unit_id",
        "Vui lòng chọn đơn vị nhận báo cáo.",
    );
    v.check(
        !input.units.is_empty() || !input.groups.is_empty(),
        "units",
        "Vui lòng chọn ít nhất một đơn vị hoặc nhóm đơn vị báo cáo.",
    );
    let frequency = Frequency::parse(&input.frequency);
    v.check(frequency.is_some(), "frequency", "Kỳ báo cáo không hợp lệ.");
    let cutoff: i32 = match input.cutoff_day.trim() {
        "" => 14,
        s => s.parse().unwrap_or(-1),
    };
    v.check(
        (0..=28).contains(&cutoff),
        "cutoff_day",
        "Ngày chốt số liệu phải từ 1 đến 28 (0: hết tháng dương lịch).",
    );
    let adhoc_due = crate::store::parse_date(&input.adhoc_due);
    let adhoc_start = crate::store::parse_date(&input.adhoc_start);
    let value: i64 = input.due_value.trim().parse().unwrap_or(-1);
    let rule = if frequency == Some(Frequency::AdHoc) {
        v.check(
            adhoc_due.is_some(),
            "adhoc_due",
            "Báo cáo đột xuất cần hạn gửi (dd/mm/yyyy).",
        );
        if let (Some(s), Some(d)) = (adhoc_start, adhoc_due) {
            v.check(
                s <= d,
                "adhoc_start",
                "Ngày bắt đầu kỳ số liệu phải trước hạn gửi.",
            );
        }
        adhoc_due.map(DueRule::Fixed)
    } else {
        let r = DueRule::from_parts(&input.due_rule, value, None);
        v.check(
            r.is_some(),
            "due_value",
            "Hạn gửi không hợp lệ: chọn “trước ngày N” (1–31) hoặc “N ngày làm việc sau ngày chốt” (0–60).",
        );
        r
    };
    let offsets = parse_offsets(&input.reminder_offsets);
    v.check(
        offsets.is_some(),
        "reminder_offsets",
        "Lịch nhắc không hợp lệ: nhập các số ngày so với hạn gửi, cách nhau bởi dấu phẩy (ví dụ: -3, -1, 1, 3), trong khoảng -60 đến 60.",
    );
    v.finish()?;
    Ok(CheckedSchedule {
        frequency: frequency.unwrap_or(Frequency::Monthly),
        cutoff,
        rule: rule.unwrap_or(DueRule::DayOfMonth(15)),
        adhoc_start: adhoc_start.map(|d| d.format("%Y-%m-%d").to_string()),
        adhoc_due: adhoc_due.map(|d| d.format("%Y-%m-%d").to_string()),
        offsets: offsets
            .unwrap_or_default()
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(","),
    })
}

/// The reporting units a form names: its units and its groups' members on `today`, each
/// once. Units and groups of another province are refused through `v`.
async fn expand_reporters(
    db: &Db,
    province: &str,
    input: &ScheduleInput,
    today: NaiveDate,
    v: &mut Validator,
) -> AppResult<Vec<i64>> {
    let as_of = today.format("%Y-%m-%d").to_string();
    let mut unit_ids: Vec<i64> = Vec::new();
    for id in &input.units {
        let u = crate::org::get_unit(db, *id).await?;
        if u.province_code != province {
            v.push("units", format!("Đơn vị {} thuộc tỉnh khác.", u.name));
        }
        unit_ids.push(u.id);
    }
    for g in &input.groups {
        let group = crate::org::get_group(db, *g).await?;
        if group.province_code != province {
            v.push("groups", "Nhóm đơn vị thuộc tỉnh khác.");
            continue;
        }
        unit_ids.extend(
            crate::org::group_members(db, &group, &as_of)
                .await?
                .into_iter()
                .map(|u| u.id),
        );
    }
    unit_ids.sort();
    unit_ids.dedup();
    Ok(unit_ids)
}

/// Creates a schedule, expanding groups into their current member units, and opens the
/// requests of its live periods.
pub async fn create_schedule(
    db: &Db,
    actor: &Actor,
    province: &str,
    input: &ScheduleInput,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<i64> {
    let today = crate::clock::vn_date(now);
    policy::run_reporting(actor, province)?;
    let c = check(input)?;
    let template = get_template(db, input.template_id.unwrap_or(0)).await?;
    let receiver = crate::org::get_unit(db, input.receiver_unit_id.unwrap_or(0)).await?;
    let mut v = Validator::default();
    v.check(
        template.province_code == province,
        "template_id",
        "Mẫu báo cáo thuộc tỉnh khác.",
    );
    v.check(
        receiver.province_code == province,
        "receiver_unit_id",
        "Đơn vị nhận báo cáo thuộc tỉnh khác.",
    );
    let unit_ids = expand_reporters(db, province, input, today, &mut v).await?;
    if let Some(pid) = input.parent_id {
        let parent = get_schedule(db, pid).await?;
        v.check(
            parent.province_code == province,
            "parent_id",
            "Cấp tổng hợp trên thuộc tỉnh khác.",
        );
        v.check(
            parent.frequency() == c.frequency,
            "parent_id",
            "Cấp tổng hợp trên phải có cùng kỳ báo cáo.",
        );
        let up = reporters(db, pid).await?;
        v.check(
            up.iter()
                .any(|(id, ..)| Some(*id) == input.receiver_unit_id),
            "parent_id",
            "Đơn vị nhận báo cáo ở cấp này phải là một đơn vị báo cáo của cấp tổng hợp trên.",
        );
    }
    v.finish()?;
    let now = crate::clock::stored(now);
    let id = {
        let mut work = crate::work::Work::begin(db).await?;
        let out = crate::in_work!(work, |tx, audit| {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO report_schedules (province_code, body_id, template_id, parent_id, name, receiver_unit_id, \
                 frequency, cutoff_day, due_rule, due_value, adhoc_start, adhoc_due, reminder_offsets, active, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, TRUE, $14, $15) RETURNING id",
            )
            .bind(province)
            .bind(input.body_id)
            .bind(template.id)
            .bind(input.parent_id)
            .bind(input.name.trim())
            .bind(receiver.id)
            .bind(c.frequency.as_str())
            .bind(c.cutoff)
            .bind(c.rule.kind())
            .bind(c.rule.value() as i32)
            .bind(&c.adhoc_start)
            .bind(&c.adhoc_due)
            .bind(&c.offsets)
            .bind(actor.user_id)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            for u in &unit_ids {
                sqlx::query(
                    "INSERT INTO report_schedule_units (schedule_id, unit_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await?;
            }
            audit.push(Entry::new(actor, "create", "report_schedule", id).after(input));
            Ok::<i64, AppError>(id)
        });
        work.commit().await?;
        out?
    };
    let s = get_schedule(db, id).await?;
    let cal = WorkCalendar::load(db).await?;
    for p in s.live_periods(today) {
        super::open_requests(db, &s, &p, &cal).await?;
    }
    Ok(id)
}

/// Changes what can change without rewriting history: the name, the cut-off and due rule,
/// the reminder offsets and who reports. Periods already due keep their requests and due
/// dates (history reads as it happened); in the ones still to come, requests not yet sent
/// take the new due date, new reporters get theirs, and a removed unit's untouched ones go.
pub async fn update_schedule(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &ScheduleInput,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let s = get_schedule(db, id).await?;
    policy::run_reporting(actor, &s.province_code)?;
    // Fields fixed at creation are taken from the schedule, so `check` sees a whole input.
    let full = ScheduleInput {
        template_id: Some(s.template_id),
        receiver_unit_id: Some(s.receiver_unit_id),
        frequency: s.frequency.clone(),
        ..input.clone()
    };
    let c = check(&full)?;
    let today = crate::clock::vn_date(now);
    let as_of = today.format("%Y-%m-%d").to_string();
    let mut v = Validator::default();
    let unit_ids = expand_reporters(db, &s.province_code, input, today, &mut v).await?;
    v.finish()?;
    let before = reporters(db, id).await?;
    {
        let mut work = crate::work::Work::begin(db).await?;
        let out = crate::in_work!(work, |tx, audit| {
            sqlx::query(
                "UPDATE report_schedules SET name = $1, cutoff_day = $2, due_rule = $3, due_value = $4,                  adhoc_start = $5, adhoc_due = $6, reminder_offsets = $7 WHERE id = $8",
            )
            .bind(input.name.trim())
            .bind(c.cutoff)
            .bind(c.rule.kind())
            .bind(c.rule.value() as i32)
            .bind(&c.adhoc_start)
            .bind(&c.adhoc_due)
            .bind(&c.offsets)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            for (uid, ..) in before.iter().filter(|(u, ..)| !unit_ids.contains(u)) {
                sqlx::query(
                    "DELETE FROM report_schedule_units WHERE schedule_id = $1 AND unit_id = $2",
                )
                .bind(id)
                .bind(uid)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND state = 'open' AND due_on >= $3 \
                     AND NOT EXISTS (SELECT 1 FROM report_submissions x WHERE x.request_id = report_requests.id)",
                )
                .bind(id)
                .bind(uid)
                .bind(&as_of)
                .execute(&mut *tx)
                .await?;
            }
            for uid in unit_ids
                .iter()
                .filter(|u| !before.iter().any(|b| b.0 == **u))
            {
                sqlx::query(
                    "INSERT INTO report_schedule_units (schedule_id, unit_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(uid)
                .execute(&mut *tx)
                .await?;
            }
            audit.push(
                Entry::new(actor, "update", "report_schedule", id)
                    .before(&s)
                    .after(&full),
            );
            Ok::<(), AppError>(())
        });
        work.commit().await?;
        out?;
    }
    let s = get_schedule(db, id).await?;
    let cal = WorkCalendar::load(db).await?;
    for p in s.live_periods(today) {
        let due = s.due_on(&p, &cal).format("%Y-%m-%d").to_string();
        {
            let mut work = crate::work::Work::begin(db).await?;
            crate::in_work!(work, |tx| sqlx::query(
                "UPDATE report_requests SET due_on = $1 WHERE schedule_id = $2 AND period = $3 \
                 AND state NOT IN ('submitted', 'accepted') AND due_on >= $4"
            )
            .bind(&due)
            .bind(id)
            .bind(&p.key)
            .bind(&as_of)
            .execute(&mut *tx)
            .await
            .map(|_| ()))?;
            work.commit().await?;
        }
        super::open_requests(db, &s, &p, &cal).await?;
    }
    Ok(())
}

/// Pauses or resumes a schedule (no new requests, no reminders while paused).
pub async fn set_active(db: &Db, actor: &Actor, id: i64, active: bool) -> AppResult<()> {
    let s = get_schedule(db, id).await?;
    policy::run_reporting(actor, &s.province_code)?;
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE report_schedules SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit.push(
            Entry::new(actor, "update", "report_schedule", id)
                .before(&serde_json::json!({"active": s.active}))
                .after(&serde_json::json!({ "active": active })),
        );
        Ok::<(), AppError>(())
    });
    work.commit().await?;
    out
}
