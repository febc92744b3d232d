//! The preparation timeline of a meeting: steps due a number of days before it (example 003:
//! units report D−4, the standing agencies D−2, the consolidated report D−1), made from the
//! template of the meeting's kind and from the reporting cascade the meeting reviews. A report
//! step follows a schedule's period (convening opens its units' requests with the step's due
//! date, so the reporting reminders remind them); a task step follows a task's assignments; a
//! manual step is marked done. Readiness is computed live, per step and unit.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Kind, Meeting};
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Validator};
use crate::reporting::schedule::{self, Schedule};
use crate::reporting::{Period, RequestState, WorkCalendar};
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::work::Work;
use crate::{in_work, with_db};

/// Who a step asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Units,
    Standing,
    Secretariat,
    Office,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::Units,
        Audience::Standing,
        Audience::Secretariat,
        Audience::Office,
    ];
    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Units => "units",
            Audience::Standing => "standing",
            Audience::Secretariat => "secretariat",
            Audience::Office => "office",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Audience::Units => "Các cơ quan, đơn vị",
            Audience::Standing => "Cơ quan thường trực",
            Audience::Secretariat => "Cơ quan tổng hợp",
            Audience::Office => "Văn phòng",
        }
    }
}

/// A step as the template plans it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub title: String,
    pub audience: Audience,
    pub days_before: i64,
    pub due_on: NaiveDate,
    pub schedule_id: Option<i64>,
    /// How its readiness is read: `report` (a schedule's period), `breakthrough` (the units'
    /// registrations for the year's call), `commitment` (their rank commitments),
    /// `province_breakthrough` (the standing agencies' proposals), `manual` (marked by hand).
    pub link: &'static str,
}

/// The working day on or before `days` days ahead of the meeting: a due date never falls on
/// a weekend or holiday, and moving it earlier keeps the time the next level needs.
pub fn due_before(meeting: NaiveDate, days: i64, cal: &WorkCalendar) -> NaiveDate {
    let mut d = meeting - Duration::days(days);
    for _ in 0..30 {
        if cal.is_working_day(d) {
            break;
        }
        d -= Duration::days(1);
    }
    d
}

/// The days before the meeting a level of the cascade is due (`deepest`: the units' level):
/// the top (the consolidated report) D−1, the levels between two days more each (standing
/// agencies D−2), the units at least D−4 — example 003's 25/3 → 27/3 → 28/3 for 29/3.
pub fn days_for_depth(depth: usize, deepest: usize) -> i64 {
    match depth {
        0 => 1,
        d if d == deepest => (2 * d as i64).max(4),
        d => 2 * d as i64,
    }
}

/// The timeline of a new meeting: one report step per schedule of the cascade under
/// `top` (the deepest first), then the template's other steps for its kind.
pub async fn plan(
    db: &Db,
    kind: Kind,
    top: Option<&Schedule>,
    meeting: NaiveDate,
    cal: &WorkCalendar,
) -> AppResult<Vec<Planned>> {
    let mut out = Vec::new();
    if let Some(top) = top {
        let mut levels = vec![(top.clone(), 0usize)];
        let mut i = 0;
        while i < levels.len() {
            let (s, d) = (levels[i].0.id, levels[i].1);
            for k in schedule::children_of(db, s).await? {
                levels.push((k, d + 1));
            }
            i += 1;
        }
        let deepest = levels.iter().map(|l| l.1).max().unwrap_or(0);
        levels.sort_by_key(|l| std::cmp::Reverse(l.1));
        for (s, depth) in levels {
            let days = days_for_depth(depth, deepest);
            let (title, audience) = match depth {
                0 => (
                    format!("Tổng hợp {} gửi {}", s.name, s.receiver_name),
                    Audience::Secretariat,
                ),
                d if d == deepest => (
                    format!(
                        "Báo cáo tiến độ, kết quả ({}) gửi {}",
                        s.name, s.receiver_name
                    ),
                    Audience::Units,
                ),
                _ => (
                    format!(
                        "Báo cáo theo lĩnh vực được phân công ({}) gửi {}",
                        s.name, s.receiver_name
                    ),
                    Audience::Standing,
                ),
            };
            out.push(Planned {
                title,
                audience,
                days_before: days,
                due_on: due_before(meeting, days, cal),
                schedule_id: Some(s.id),
                link: "report",
            });
        }
    }
    let manual: &[(&str, Audience, i64, &str)] = match kind {
        Kind::Regular | Kind::Extended => &[
            (
                "Đăng ký khâu đột phá về CCHC, chuyển đổi số và Đề án 06 (chỉ tiêu cao hơn hoặc mới so với chỉ tiêu được giao; giải pháp, lộ trình, sản phẩm)",
                Audience::Units,
                4,
                "breakthrough",
            ),
            (
                "Xác định mục tiêu và cam kết phấn đấu thứ hạng chỉ số CCHC của cơ quan, đơn vị",
                Audience::Units,
                4,
                "commitment",
            ),
            (
                "Đề xuất khâu đột phá của tỉnh theo lĩnh vực được phân công",
                Audience::Standing,
                2,
                "province_breakthrough",
            ),
            (
                "Bố trí lịch họp, gửi giấy mời và tài liệu họp",
                Audience::Office,
                3,
                "manual",
            ),
        ],
        Kind::Extraordinary => &[(
            "Chuẩn bị tài liệu, gửi giấy mời họp",
            Audience::Office,
            1,
            "manual",
        )],
    };
    for (title, audience, days, link) in manual {
        out.push(Planned {
            title: title.to_string(),
            audience: *audience,
            days_before: *days,
            due_on: due_before(meeting, *days, cal),
            schedule_id: None,
            link,
        });
    }
    if kind == Kind::Extended {
        out.push(Planned {
            title: "Mời người đứng đầu cơ quan chủ trì, chuyên gia tham dự họp mở rộng".into(),
            audience: Audience::Office,
            days_before: 5,
            due_on: due_before(meeting, 5, cal),
            schedule_id: None,
            link: "manual",
        });
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.days_before));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cascade_of_example_003_falls_on_25_27_and_28_march() {
        let cal = WorkCalendar::new([]);
        let meeting = NaiveDate::from_ymd_opt(2024, 3, 29).unwrap();
        let due = |depth, deepest| due_before(meeting, days_for_depth(depth, deepest), &cal);
        assert_eq!(due(2, 2).to_string(), "2024-03-25");
        assert_eq!(due(1, 2).to_string(), "2024-03-27");
        assert_eq!(due(0, 2).to_string(), "2024-03-28");
        // two levels: the units still report D−4
        assert_eq!(due(1, 1).to_string(), "2024-03-25");
    }

    #[test]
    fn a_due_date_on_a_weekend_or_holiday_moves_to_the_working_day_before() {
        let holiday = NaiveDate::from_ymd_opt(2024, 4, 29).unwrap();
        let cal = WorkCalendar::new([holiday]);
        // Monday 06/5/2024 − 4 days = Thursday 02/5: a working day
        let monday = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        assert_eq!(due_before(monday, 4, &cal).to_string(), "2024-05-02");
        // Monday 06/5 − 2 = Saturday 04/5 → Friday 03/5
        assert_eq!(due_before(monday, 2, &cal).to_string(), "2024-05-03");
        // Thursday 02/5 − 3 = Monday 29/4, a holiday → Friday 26/4
        let thursday = NaiveDate::from_ymd_opt(2024, 5, 2).unwrap();
        assert_eq!(due_before(thursday, 3, &cal).to_string(), "2024-04-26");
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Step {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub audience: String,
    pub days_before: i64,
    pub due_on: Day,
    pub link_kind: String,
    pub schedule_id: Option<i64>,
    pub task_id: Option<i64>,
    pub done_on: Option<Day>,
}

impl Step {
    pub fn audience(&self) -> Audience {
        Audience::parse(&self.audience).unwrap_or(Audience::Units)
    }
}

pub async fn steps(db: &Db, meeting_id: i64) -> AppResult<Vec<Step>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, meeting_id, position, title, audience, days_before, due_on, link_kind, schedule_id, task_id, done_on \
         FROM meeting_steps WHERE meeting_id = $1 ORDER BY due_on, position"
    )
    .bind(meeting_id)
    .fetch_all(p)
    .await
    })?)
}

/// The schedules and periods of a meeting's report steps, read before the unit of work.
pub async fn report_links(
    db: &Db,
    m: &Meeting,
    steps: &[Step],
) -> AppResult<Vec<(NaiveDate, Schedule, Period)>> {
    let mut out = Vec::new();
    for s in steps.iter().filter(|s| s.link_kind == "report") {
        let Some(id) = s.schedule_id else { continue };
        let sch = schedule::get_schedule(db, id).await?;
        if let Some(p) = sch.period(&m.period) {
            out.push((s.due_on.date(), sch, p));
        }
    }
    Ok(out)
}

/// Opens the units' requests of every report step for the meeting's period, due on the
/// step's date (requests already open take that date unless already submitted).
pub async fn open_reports(
    work: &mut Work<'_>,
    links: &[(NaiveDate, Schedule, Period)],
) -> AppResult<()> {
    for (due, s, p) in links {
        crate::reporting::open_requests_in(work, s, p, *due).await?;
        in_work!(work, |tx| {
            sqlx::query(
            "UPDATE report_requests SET due_on = $1 WHERE schedule_id = $2 AND period = $3 AND state NOT IN ('submitted', 'accepted')"
        )
        .bind(Day(*due))
        .bind(s.id)
        .bind(&p.key)
        .execute(&mut *tx)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

/// Moves the steps with the meeting's new date.
pub async fn move_steps(
    work: &mut Work<'_>,
    steps: &[Step],
    meeting: NaiveDate,
    cal: &WorkCalendar,
) -> AppResult<()> {
    for s in steps {
        let due = due_before(meeting, s.days_before, cal);
        in_work!(work, |tx| sqlx::query(
            "UPDATE meeting_steps SET due_on = $1 WHERE id = $2"
        )
        .bind(Day(due))
        .bind(s.id)
        .execute(&mut *tx)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Where one unit (or, for a manual step, the step itself) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ready {
    In,
    Late,
    Missing,
    Awaited,
}

impl Ready {
    pub fn label(self) -> &'static str {
        match self {
            Ready::In => "Đã có",
            Ready::Late => "Có, nhưng muộn",
            Ready::Missing => "Thiếu (quá hạn)",
            Ready::Awaited => "Chưa đến hạn",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Ready::In => "st-ok",
            Ready::Late => "st-late",
            Ready::Missing => "st-over",
            Ready::Awaited => "st-prog",
        }
    }
    /// Whether it arrived by the due date, late, or not (yet) as of `today`.
    pub fn of(arrived: Option<bool>, due: NaiveDate, today: NaiveDate) -> Ready {
        match arrived {
            Some(false) => Ready::In,
            Some(true) => Ready::Late,
            None if today > due => Ready::Missing,
            None => Ready::Awaited,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitReady {
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub ready: Ready,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub step: Step,
    pub rows: Vec<UnitReady>,
}

impl StepView {
    pub fn count(&self, r: Ready) -> usize {
        self.rows.iter().filter(|x| x.ready == r).count()
    }
}

/// The live readiness of a meeting as of `today`: every step, every unit it asks.
pub async fn readiness(db: &Db, m: &Meeting, today: NaiveDate) -> AppResult<Vec<StepView>> {
    let mut out = Vec::new();
    for step in steps(db, m.id).await? {
        let due = step.due_on.date();
        let rows = match (step.link_kind.as_str(), step.schedule_id, step.task_id) {
            ("report", Some(s), _) => {
                let reqs: Vec<(i64, String, String, Option<bool>)> = with_db!(db, |p| {
                    sqlx::query_as(
                    "SELECT r.unit_id, u.name, r.state, r.late FROM report_requests r JOIN units u ON u.id = r.unit_id \
                     WHERE r.schedule_id = $1 AND r.period = $2 ORDER BY u.name_sort"
                )
                .bind(s)
                .bind(&m.period)
                .fetch_all(p)
                .await
                })?;
                if reqs.is_empty() {
                    // not convened yet: the units that will be asked
                    schedule::reporters(db, s)
                        .await?
                        .into_iter()
                        .map(|(id, _, name)| UnitReady {
                            unit_id: Some(id),
                            unit_name: name,
                            ready: Ready::of(None, due, today),
                        })
                        .collect()
                } else {
                    reqs.into_iter()
                        .map(|(id, name, state, late)| {
                            let arrived = RequestState::parse(&state)
                                .counts()
                                .then_some(late.unwrap_or(false));
                            UnitReady {
                                unit_id: Some(id),
                                unit_name: name,
                                ready: Ready::of(arrived, due, today),
                            }
                        })
                        .collect()
                }
            }
            ("task", _, Some(t)) => crate::tracking::task_assignments(db, t)
                .await?
                .into_iter()
                .map(|a| {
                    let arrived = a.completed_on.map(|c| c.date() > due);
                    UnitReady {
                        unit_id: Some(a.unit_id),
                        unit_name: a.unit_name,
                        ready: Ready::of(arrived, due, today),
                    }
                })
                .collect(),
            (link @ ("breakthrough" | "commitment" | "province_breakthrough"), _, _) => {
                match crate::breakthroughs::calls::arrivals(db, m, link).await? {
                    Some(units) => units
                        .into_iter()
                        .map(|(id, name, on)| UnitReady {
                            unit_id: Some(id),
                            unit_name: name,
                            ready: Ready::of(on.map(|d| d > due), due, today),
                        })
                        .collect(),
                    // no call for the year: kept by hand
                    None => vec![by_hand(&step, due, today)],
                }
            }
            _ => vec![by_hand(&step, due, today)],
        };
        out.push(StepView { step, rows });
    }
    Ok(out)
}

/// A step kept by hand: done or not, by the audience as a whole.
fn by_hand(step: &Step, due: NaiveDate, today: NaiveDate) -> UnitReady {
    UnitReady {
        unit_id: None,
        unit_name: step.audience().label().to_string(),
        ready: Ready::of(step.done_on.map(|d| d.date() > due), due, today),
    }
}

/// A step added by hand: its title, who it asks, how many days before the meeting, and
/// optionally the task whose assignments it follows.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StepInput {
    pub title: String,
    pub audience: String,
    pub days_before: Option<i64>,
    pub task_id: Option<i64>,
}

pub async fn add_step(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    input: &StepInput,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if !m.state().ahead() {
        return Err(AppError::Conflict(
            "Cuộc họp đã diễn ra: không thêm bước chuẩn bị.".into(),
        ));
    }
    let mut v = Validator::default();
    let title = nfc(&input.title);
    v.check(!title.is_empty(), "title", "Nhập nội dung bước chuẩn bị.");
    let audience = Audience::parse(&input.audience);
    v.check(audience.is_some(), "audience", "Chọn đối tượng thực hiện.");
    let days = input.days_before.unwrap_or(-1);
    v.check(
        (0..=60).contains(&days),
        "days_before",
        "Số ngày trước cuộc họp từ 0 đến 60.",
    );
    if let Some(t) = input.task_id {
        match crate::directives::get_task(db, t).await {
            Ok((_, d)) if d.province_code == m.province_code => {}
            _ => v.push("task_id", "Nhiệm vụ không thuộc tỉnh này."),
        }
    }
    v.finish()?;
    let cal = WorkCalendar::load(db).await?;
    let due = due_before(m.planned_on.date(), days, &cal);
    let mut work = Work::begin(db).await?;
    let n = super::next_position(&mut work, "meeting_steps", meeting_id).await?;
    let id = in_work!(work, |tx| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO meeting_steps (meeting_id, position, title, audience, days_before, due_on, link_kind, task_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(meeting_id)
        .bind(n)
        .bind(&title)
        .bind(audience.map(|a| a.as_str()))
        .bind(days)
        .bind(Day(due))
        .bind(if input.task_id.is_some() { "task" } else { "manual" })
        .bind(input.task_id)
        .fetch_one(&mut *tx)
        .await
        .map(|r| r.0)
    })?;
    work.audit(super::entry(actor, "add_step", &m).after(input));
    work.commit().await?;
    Ok(id)
}

/// Marks a manual step done today (or undone): what the timeline cannot see by itself.
pub async fn mark_step(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    step_id: i64,
    done: bool,
    today: NaiveDate,
) -> AppResult<()> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    let step = steps(db, meeting_id)
        .await?
        .into_iter()
        .find(|s| s.id == step_id)
        .ok_or(AppError::NotFound("bước chuẩn bị"))?;
    if !matches!(
        step.link_kind.as_str(),
        "manual" | "breakthrough" | "commitment" | "province_breakthrough"
    ) {
        return Err(AppError::Conflict(
            "Bước này tự cập nhật theo báo cáo hoặc nhiệm vụ được liên kết.".into(),
        ));
    }
    let mut work = Work::begin(db).await?;
    in_work!(work, |tx| sqlx::query(
        "UPDATE meeting_steps SET done_on = $1 WHERE id = $2"
    )
    .bind(done.then_some(Day(today)))
    .bind(step_id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.audit(
        super::entry(actor, if done { "step_done" } else { "step_undone" }, &m)
            .after(&serde_json::json!({"step": step.title})),
    );
    work.commit().await?;
    Ok(())
}
