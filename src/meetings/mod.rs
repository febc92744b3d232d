//! Meetings of the steering bodies: one body's or several (a joint meeting), regular (from the
//! body's rhythm), extraordinary or extended. A meeting goes draft → convened → held →
//! concluded (its notice of conclusions issued) → closed, or is postponed or cancelled with a
//! reason; every change of state is kept (`meeting_events`).
//!
//! Around it: the preparation timeline and its live readiness (`prepare`), the agenda and the
//! participants with their attendance (`agenda`), the follow-up of the previous meeting's
//! conclusions (`followup`), the conclusions and the notice that publishes them as a directive
//! whose tasks are tracked like any other (`conclusions`), and the documents (`documents`).

pub mod agenda;
pub mod calendar;
pub mod conclusions;
pub mod documents;
pub mod followup;
mod lifecycle;
pub mod prepare;

pub use lifecycle::{cancel, close, convene, hold, postpone, save_minutes};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::Entry;
use crate::auth::{policy, Actor};
use crate::bodies::{self, Body};
use crate::error::{AppError, AppResult, Validator};
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::work::Work;
use crate::{in_work, with_db};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Regular,
    Extraordinary,
    Extended,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Regular, Kind::Extraordinary, Kind::Extended];
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Regular => "regular",
            Kind::Extraordinary => "extraordinary",
            Kind::Extended => "extended",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Regular => "Họp định kỳ",
            Kind::Extraordinary => "Họp đột xuất",
            Kind::Extended => "Họp mở rộng",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Convened,
    Postponed,
    Held,
    Concluded,
    Closed,
    Cancelled,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Draft,
        State::Convened,
        State::Postponed,
        State::Held,
        State::Concluded,
        State::Closed,
        State::Cancelled,
    ];
    pub fn parse(s: &str) -> State {
        State::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(State::Draft)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Convened => "convened",
            State::Postponed => "postponed",
            State::Held => "held",
            State::Concluded => "concluded",
            State::Closed => "closed",
            State::Cancelled => "cancelled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "Dự thảo",
            State::Convened => "Đã triệu tập",
            State::Postponed => "Hoãn",
            State::Held => "Đã họp",
            State::Concluded => "Đã ban hành kết luận",
            State::Closed => "Đã kết thúc",
            State::Cancelled => "Đã hủy",
        }
    }
    /// Before the meeting: its date, timeline and agenda may still change.
    pub fn ahead(self) -> bool {
        matches!(self, State::Draft | State::Convened | State::Postponed)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Meeting {
    pub id: i64,
    pub province_code: String,
    pub body_id: i64,
    pub body_name: String,
    pub standing_unit_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub chair_member_id: Option<i64>,
    pub chair_name: Option<String>,
    pub chair_position: Option<String>,
    pub planned_on: Day,
    pub window_end: Option<Day>,
    pub starts_at: String,
    pub place: String,
    pub online_link: String,
    pub state: String,
    pub period: String,
    pub schedule_id: Option<i64>,
    pub minutes_text: String,
    pub notice_directive_id: Option<i64>,
    pub created_at: String,
}

impl Meeting {
    pub fn state(&self) -> State {
        State::parse(&self.state)
    }
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Regular)
    }
    /// "29/03/2024" or "29/03/2024 – 05/04/2024" for a window.
    pub fn when(&self) -> String {
        match self.window_end.filter(|e| *e > self.planned_on) {
            Some(e) => format!("{} – {}", self.planned_on.show(), e.show()),
            None => self.planned_on.show(),
        }
    }
    pub fn period_label(&self) -> String {
        if self.period.is_empty() {
            String::new()
        } else {
            crate::reporting::calendar::period_label(&self.period)
        }
    }
}

pub(crate) const MEETING_SELECT: &str = "SELECT m.id, m.province_code, m.body_id, b.name AS body_name, b.standing_unit_id, m.kind, m.title, \
    m.chair_member_id, c.person_name AS chair_name, c.position AS chair_position, m.planned_on, m.window_end, m.starts_at, m.place, \
    m.online_link, m.state, m.period, m.schedule_id, m.minutes_text, m.notice_directive_id, m.created_at \
    FROM meetings m JOIN bodies b ON b.id = m.body_id LEFT JOIN body_members c ON c.id = m.chair_member_id";

/// A new meeting, or a correction of one still ahead. Dates as typed (dd/mm/yyyy or ISO).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MeetingInput {
    pub body_id: Option<i64>,
    /// The other bodies of a joint meeting.
    pub other_bodies: Vec<i64>,
    pub kind: String,
    pub title: String,
    pub chair_member_id: Option<i64>,
    pub planned_on: String,
    pub window_end: String,
    pub starts_at: String,
    pub place: String,
    pub online_link: String,
    /// The reporting period it reviews ("2026-Q4", "2026-11") and the top schedule of the
    /// cascade that reports for it: the timeline's report steps follow that cascade.
    pub period: String,
    pub schedule_id: Option<i64>,
}

/// A change of state with its reason (postponing, cancelling) and, for a postponement, the
/// new date if one is known.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StateChange {
    pub reason: String,
    pub planned_on: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Event {
    pub at: String,
    pub username: String,
    pub from_state: String,
    pub to_state: String,
    pub planned_on: Day,
    pub reason: String,
}

pub async fn get_meeting(db: &Db, id: i64) -> AppResult<Meeting> {
    let sql = format!("{MEETING_SELECT} WHERE m.id = $1");
    crate::store::by_id::<Meeting>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("cuộc họp"))
}

/// The bodies of a meeting: the organiser first, then the others of a joint meeting.
pub async fn bodies_of(db: &Db, m: &Meeting) -> AppResult<Vec<Body>> {
    let ids: Vec<(i64,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT body_id FROM meeting_bodies WHERE meeting_id = $1 ORDER BY body_id"
    )
    .bind(m.id)
    .fetch_all(p)
    .await)?;
    let mut out = vec![bodies::get_body(db, m.body_id).await?];
    for (b,) in ids.into_iter().filter(|(b,)| *b != m.body_id) {
        out.push(bodies::get_body(db, b).await?);
    }
    Ok(out)
}

/// The units that see a meeting besides the province-wide readers: the standing agency of
/// its body, the units of its members and of its invited participants.
pub async fn units_of(db: &Db, m: &Meeting) -> AppResult<Vec<i64>> {
    let rows: Vec<(Option<i64>,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT COALESCE(p.unit_id, bm.unit_id) FROM meeting_participants p \
         LEFT JOIN body_members bm ON bm.id = p.member_id WHERE p.meeting_id = $1"
    )
    .bind(m.id)
    .fetch_all(p)
    .await)?;
    let mut units: Vec<i64> = rows.into_iter().filter_map(|r| r.0).collect();
    units.extend(m.standing_unit_id);
    units.sort();
    units.dedup();
    Ok(units)
}

fn scope(m: &Meeting) -> policy::MeetingScope<'_> {
    policy::MeetingScope {
        province_code: &m.province_code,
        standing_unit_id: m.standing_unit_id,
    }
}

/// Whether `actor` prepares and runs this meeting (what its pages offer to change).
pub fn can_manage(actor: &Actor, m: &Meeting) -> bool {
    policy::run_meeting(actor, &scope(m)).is_ok()
}

/// Who runs the meetings of `body`: its standing agency, in its province.
pub(crate) fn body_scope(body: &Body) -> policy::MeetingScope<'_> {
    policy::MeetingScope {
        province_code: &body.province_code,
        standing_unit_id: body.standing_unit_id,
    }
}

/// Whether `actor` may create meetings of `body`.
pub fn can_organise(actor: &Actor, body: &Body) -> bool {
    policy::run_meeting(actor, &body_scope(body)).is_ok()
}

/// A meeting as `actor` may read it.
pub async fn read_meeting(db: &Db, actor: &Actor, id: i64) -> AppResult<Meeting> {
    let m = get_meeting(db, id).await?;
    let units = if policy::own_unit_only(actor) {
        units_of(db, &m).await?
    } else {
        vec![]
    };
    policy::read_meeting(actor, &scope(&m), &units)?;
    Ok(m)
}

/// A meeting `actor` may manage (its body's standing agency, the province's secretariat).
pub async fn manage_meeting(db: &Db, actor: &Actor, id: i64) -> AppResult<Meeting> {
    let m = get_meeting(db, id).await?;
    policy::run_meeting(actor, &scope(&m))?;
    Ok(m)
}

#[derive(Debug, Default, Deserialize)]
pub struct MeetingFilter {
    pub q: Option<String>,
    pub body: Option<i64>,
    pub state: Option<String>,
    pub page: Option<i64>,
}

/// A province's meetings, the coming ones first (nearest first), then the past (latest
/// first). An officer sees those of its unit only.
pub async fn list_meetings(
    db: &Db,
    actor: &Actor,
    province: &str,
    f: &MeetingFilter,
    today: NaiveDate,
) -> AppResult<crate::store::Page<Meeting>> {
    use crate::store::Arg;
    let q = crate::text::like_pattern(f.q.as_deref());
    let unit = if policy::own_unit_only(actor) {
        Some(actor.unit_id.unwrap_or(-1))
    } else {
        None
    };
    let from_where = "FROM meetings m JOIN bodies b ON b.id = m.body_id LEFT JOIN body_members c ON c.id = m.chair_member_id \
        WHERE m.province_code = $1 AND ($2 IS NULL OR m.title_fold LIKE $2) \
        AND ($3 IS NULL OR m.body_id = $3 OR EXISTS (SELECT 1 FROM meeting_bodies mb WHERE mb.meeting_id = m.id AND mb.body_id = $3)) \
        AND ($4 IS NULL OR m.state = $4) \
        AND ($5 IS NULL OR b.standing_unit_id = $5 OR EXISTS (SELECT 1 FROM meeting_participants p LEFT JOIN body_members bm ON bm.id = p.member_id \
             WHERE p.meeting_id = m.id AND COALESCE(p.unit_id, bm.unit_id) = $5))";
    let select = MEETING_SELECT
        .split(" FROM ")
        .next()
        .unwrap_or("SELECT m.*");
    let today = Day(today).iso();
    let order = format!(
        "CASE WHEN m.planned_on >= '{today}' THEN 0 ELSE 1 END, \
         CASE WHEN m.planned_on >= '{today}' THEN m.planned_on END ASC, m.planned_on DESC, m.id DESC"
    );
    let state = f.state.as_deref().filter(|s| !s.is_empty());
    Ok(crate::store::paged(
        db,
        select,
        from_where,
        &order,
        &[
            Arg::Text(Some(province)),
            Arg::Text(q.as_deref()),
            Arg::Int(f.body),
            Arg::Text(state),
            Arg::Int(unit),
        ],
        f.page.unwrap_or(1),
        20,
    )
    .await?)
}

pub async fn events(db: &Db, meeting_id: i64) -> AppResult<Vec<Event>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT at, username, from_state, to_state, planned_on, reason FROM meeting_events WHERE meeting_id = $1 ORDER BY id"
    )
    .bind(meeting_id)
    .fetch_all(p)
    .await
    })?)
}

/// A date field: required, a real date, and not before `not_before` when given.
fn date_field(
    v: &mut Validator,
    field: &str,
    s: &str,
    not_before: Option<(NaiveDate, &str)>,
) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        v.push(field, "Chọn ngày họp.");
        return None;
    }
    let Some(d) = crate::store::parse_date(s) else {
        v.push(field, "Ngày không hợp lệ (dd/mm/yyyy).");
        return None;
    };
    if let Some((min, msg)) = not_before {
        if d < min {
            v.push(field, msg);
            return None;
        }
    }
    Some(d)
}

/// Checked fields of a meeting: everything but its bodies, which `create` checks.
struct Checked {
    kind: Kind,
    title: String,
    planned_on: NaiveDate,
    window_end: Option<NaiveDate>,
    starts_at: String,
    place: String,
    online_link: String,
}

fn check_fields(
    input: &MeetingInput,
    default_title: &str,
    today: NaiveDate,
    v: &mut Validator,
) -> Option<Checked> {
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        v.push(
            "kind",
            "Chọn loại cuộc họp: định kỳ, đột xuất hoặc mở rộng.",
        );
    }
    let planned = date_field(
        v,
        "planned_on",
        &input.planned_on,
        Some((
            today,
            "Ngày họp đã qua: chọn ngày từ hôm nay trở đi (cuộc họp đã diễn ra thì ghi nhận ở cuộc họp đó).",
        )),
    );
    let window_end = match input.window_end.trim() {
        "" => None,
        s => match (crate::store::parse_date(s), planned) {
            (Some(e), Some(p)) if e < p => {
                v.push(
                    "window_end",
                    "Ngày cuối của khoảng thời gian họp phải sau ngày bắt đầu.",
                );
                None
            }
            (Some(e), _) => Some(e),
            (None, _) => {
                v.push("window_end", "Ngày không hợp lệ (dd/mm/yyyy).");
                None
            }
        },
    };
    let starts_at = input.starts_at.trim().to_string();
    if !starts_at.is_empty() && chrono::NaiveTime::parse_from_str(&starts_at, "%H:%M").is_err() {
        v.push("starts_at", "Giờ họp có dạng HH:MM (ví dụ 08:00).");
    }
    let link = input.online_link.trim().to_string();
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        v.push(
            "online_link",
            "Đường dẫn họp trực tuyến phải bắt đầu bằng https://.",
        );
    }
    let title = match nfc(&input.title) {
        t if t.is_empty() => default_title.to_string(),
        t => t,
    };
    v.check(
        title.chars().count() <= 500,
        "title",
        "Tên cuộc họp quá dài (tối đa 500 ký tự).",
    );
    Some(Checked {
        kind: kind?,
        title,
        planned_on: planned?,
        window_end,
        starts_at,
        place: nfc(&input.place),
        online_link: link,
    })
}

/// The chair must be a member of one of the meeting's bodies.
async fn check_chair(
    db: &Db,
    chair: Option<i64>,
    bodies: &[i64],
    v: &mut Validator,
) -> AppResult<()> {
    if let Some(c) = chair {
        let mut found = false;
        for b in bodies {
            if bodies::members(db, *b).await?.iter().any(|m| m.id == c) {
                found = true;
            }
        }
        if !found {
            v.push(
                "chair_member_id",
                "Người chủ trì phải là thành viên của Ban Chỉ đạo/Tổ công tác họp.",
            );
        }
    }
    Ok(())
}

/// Creates a meeting in draft with its preparation timeline (from the template of its kind),
/// a first agenda and the bodies' members as participants. Returns its id.
pub async fn create_meeting(
    db: &Db,
    actor: &Actor,
    input: &MeetingInput,
    today: NaiveDate,
) -> AppResult<i64> {
    let mut v = Validator::default();
    let Some(body_id) = input.body_id else {
        return Err(AppError::invalid(
            "body_id",
            "Chọn Ban Chỉ đạo/Tổ công tác tổ chức cuộc họp.",
        ));
    };
    let body = bodies::get_body(db, body_id).await?;
    policy::run_meeting(actor, &body_scope(&body))?;
    let mut all_bodies = vec![body.clone()];
    for b in input.other_bodies.iter().filter(|b| **b != body_id) {
        match bodies::get_body(db, *b).await {
            Ok(o) if o.province_code == body.province_code => all_bodies.push(o),
            _ => v.push(
                "other_bodies",
                "Ban phối hợp tổ chức họp phải thuộc cùng tỉnh.",
            ),
        }
    }
    let ids: Vec<i64> = all_bodies.iter().map(|b| b.id).collect();
    check_chair(db, input.chair_member_id, &ids, &mut v).await?;
    let schedule = match input.schedule_id {
        Some(s) => {
            let s = crate::reporting::schedule::get_schedule(db, s).await?;
            if s.province_code != body.province_code {
                v.push("schedule_id", "Lịch báo cáo không thuộc tỉnh này.");
            } else if input.period.trim().is_empty() || s.period(input.period.trim()).is_none() {
                v.push(
                    "period",
                    format!(
                        "Kỳ báo cáo không hợp lệ cho lịch «{}» (ví dụ 2026-Q4 cho báo cáo quý, 2026-11 cho báo cáo tháng).",
                        s.name
                    ),
                );
            }
            Some(s)
        }
        None => None,
    };
    let names = all_bodies
        .iter()
        .map(|b| b.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let kind = Kind::parse(input.kind.trim()).unwrap_or(Kind::Regular);
    let default_title = match input.period.trim() {
        "" => format!("{} {names}", kind.label()),
        p => format!(
            "{} {names} {}",
            kind.label(),
            crate::reporting::calendar::period_label(p)
        ),
    };
    let c = check_fields(input, &default_title, today, &mut v);
    v.finish()?;
    let Some(c) = c else {
        return Err(AppError::invalid("planned_on", "Chọn ngày họp."));
    };
    let cal = crate::reporting::WorkCalendar::load(db).await?;
    let steps = prepare::plan(db, c.kind, schedule.as_ref(), c.planned_on, &cal).await?;
    let agenda = agenda::first_agenda(c.kind, &body, schedule.is_some());
    let now = db.now_utc();
    // a period kept without a schedule still places a regular meeting in its body's series
    let period = match input.period.trim() {
        p if schedule.is_some() || is_period(p) => p.to_string(),
        _ => String::new(),
    };
    let mut work = Work::begin(db).await?;
    let id = in_work!(work, |tx, audit| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO meetings (province_code, body_id, kind, title, chair_member_id, planned_on, window_end, starts_at, place, \
             online_link, state, period, schedule_id, created_by, created_at, title_fold) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(&body.province_code)
        .bind(body.id)
        .bind(c.kind.as_str())
        .bind(&c.title)
        .bind(input.chair_member_id)
        .bind(Day(c.planned_on))
        .bind(c.window_end.map(Day))
        .bind(&c.starts_at)
        .bind(&c.place)
        .bind(&c.online_link)
        .bind(&period)
        .bind(schedule.as_ref().map(|s| s.id))
        .bind(actor.user_id)
        .bind(&now)
        .bind(crate::text::fold(&format!("{} {names}", c.title)))
        .fetch_one(&mut *tx)
        .await?;
        for b in &ids {
            sqlx::query("INSERT INTO meeting_bodies (meeting_id, body_id) VALUES ($1, $2)")
                .bind(id)
                .bind(b)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO meeting_events (meeting_id, at, username, from_state, to_state, planned_on, reason) VALUES ($1, $2, $3, '', 'draft', $4, '')",
        )
        .bind(id)
        .bind(&now)
        .bind(&actor.username)
        .bind(Day(c.planned_on))
        .execute(&mut *tx)
        .await?;
        for (i, s) in steps.iter().enumerate() {
            sqlx::query(
                "INSERT INTO meeting_steps (meeting_id, position, title, audience, days_before, due_on, link_kind, schedule_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(&s.title)
            .bind(s.audience.as_str())
            .bind(s.days_before)
            .bind(Day(s.due_on))
            .bind(s.link)
            .bind(s.schedule_id)
            .execute(&mut *tx)
            .await?;
        }
        for (i, it) in agenda.iter().enumerate() {
            sqlx::query(
                "INSERT INTO meeting_items (meeting_id, position, title, presenter_unit_id, presenter_name, planned_minutes, document) \
                 VALUES ($1, $2, $3, $4, '', $5, $6)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(&it.title)
            .bind(it.presenter_unit_id)
            .bind(it.planned_minutes)
            .bind(it.document.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for b in &ids {
            sqlx::query(
                "INSERT INTO meeting_participants (meeting_id, member_id, unit_id, person_name, position) \
                 SELECT $1, bm.id, bm.unit_id, bm.person_name, bm.position FROM body_members bm WHERE bm.body_id = $2 \
                 AND NOT EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = $1 AND p.member_id = bm.id)",
            )
            .bind(id)
            .bind(b)
            .execute(&mut *tx)
            .await?;
        }
        audit.push(
            Entry::new(actor, "create", "meeting", id)
                .in_province(&body.province_code)
                .after(input),
        );
        id
    });
    work.commit().await?;
    Ok(id)
}

/// Corrects the title, chair, time, place or link of a meeting still ahead. Its date moves
/// only by postponing it (so that the history says why).
pub async fn update_meeting(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &MeetingInput,
    today: NaiveDate,
) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if !m.state().ahead() {
        return Err(AppError::Conflict(format!(
            "Cuộc họp {} — không sửa được thông tin.",
            m.state().label().to_lowercase()
        )));
    }
    let mut v = Validator::default();
    let ids: Vec<i64> = bodies_of(db, &m).await?.iter().map(|b| b.id).collect();
    check_chair(db, input.chair_member_id, &ids, &mut v).await?;
    // the date and kind stay: check the rest against the meeting's own
    let same = MeetingInput {
        kind: m.kind.clone(),
        planned_on: m.planned_on.iso(),
        ..input.clone()
    };
    let c = check_fields(&same, &m.title, today.min(m.planned_on.date()), &mut v);
    v.finish()?;
    let Some(c) = c else { return Ok(()) };
    let mut work = Work::begin(db).await?;
    in_work!(work, |tx| {
        sqlx::query(
        "UPDATE meetings SET title = $1, chair_member_id = $2, window_end = $3, starts_at = $4, place = $5, online_link = $6, title_fold = $8 WHERE id = $7"
    )
    .bind(&c.title)
    .bind(input.chair_member_id)
    .bind(c.window_end.map(Day))
    .bind(&c.starts_at)
    .bind(&c.place)
    .bind(&c.online_link)
    .bind(id)
    .bind(crate::text::fold(&format!("{} {}", c.title, m.body_name)))
    .execute(&mut *tx)
    .await
    .map(|_| ())
    })?;
    work.audit(entry(actor, "update", &m).before(&m).after(input));
    work.commit().await?;
    Ok(())
}

/// The number the next entry of one of a meeting's numbered lists takes (`table`: its steps,
/// agenda items or conclusions), read inside the unit of work that adds it.
async fn next_position(
    work: &mut Work<'_>,
    table: &'static str,
    meeting_id: i64,
) -> AppResult<i64> {
    let sql = format!("SELECT COALESCE(MAX(position), 0) + 1 FROM {table} WHERE meeting_id = $1");
    let (n,): (i64,) = in_work!(work, |tx| sqlx::query_as(&sql)
        .bind(meeting_id)
        .fetch_one(&mut *tx)
        .await)?;
    Ok(n)
}

/// The audit entry of a change to a meeting, in its province.
fn entry(actor: &Actor, action: &'static str, m: &Meeting) -> Entry {
    Entry::new(actor, action, "meeting", m.id).in_province(&m.province_code)
}

/// A month ("2026-11") or quarter ("2026-Q4") key.
fn is_period(key: &str) -> bool {
    use crate::reporting::calendar::{window, Frequency};
    window(Frequency::Monthly, key, 0).is_some() || window(Frequency::Quarterly, key, 0).is_some()
}

/// A body's regular meetings ahead, from its rhythm: (period key, suggested day, the meeting
/// already planned for that period if any).
pub async fn series(
    db: &Db,
    body: &Body,
    today: NaiveDate,
    count: usize,
) -> AppResult<Vec<(String, NaiveDate, Option<i64>)>> {
    use crate::reporting::calendar::{period_containing, Frequency};
    let cadence = crate::text::fold(&body.meeting_cadence);
    let f = if cadence.contains("thang") || cadence.contains("month") {
        Frequency::Monthly
    } else if cadence.contains("quy") || cadence.contains("quarter") {
        Frequency::Quarterly
    } else {
        return Ok(vec![]);
    };
    let planned: Vec<(String, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT period, id FROM meetings WHERE body_id = $1 AND kind = 'regular' AND state <> 'cancelled'"
    )
    .bind(body.id)
    .fetch_all(p)
    .await
    })?;
    let mut out = Vec::new();
    let mut day = today;
    while out.len() < count {
        let Some(p) = period_containing(f, day, 0) else {
            break;
        };
        // a regular meeting sits near the end of its period (example 003: 29/3 for Q1)
        let suggested = (p.end - chrono::Duration::days(2)).max(today);
        let existing = planned.iter().find(|(k, _)| *k == p.key).map(|x| x.1);
        out.push((p.key.clone(), suggested, existing));
        day = p.end + chrono::Duration::days(1);
    }
    Ok(out)
}
