//! Meetings in the iCalendar feeds: a unit's feed shows the meetings it runs, is a member of
//! or is invited to; a body's feed (its own secret URL) shows the body's meetings.

use chrono::NaiveDate;

use super::{Meeting, MEETING_SELECT};
use crate::auth::{policy, Actor};
use crate::documents::ical::Event;
use crate::error::AppResult;
use crate::store::{Day, Db};
use crate::{in_work, with_db};

/// The meetings ahead (from `from`, cancelled ones left out) of a unit.
pub async fn of_unit(db: &Db, unit_id: i64, from: NaiveDate) -> AppResult<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE m.planned_on >= $2 AND m.state <> 'cancelled' AND (b.standing_unit_id = $1 OR EXISTS \
         (SELECT 1 FROM meeting_participants p LEFT JOIN body_members bm ON bm.id = p.member_id \
          WHERE p.meeting_id = m.id AND COALESCE(p.unit_id, bm.unit_id) = $1)) ORDER BY m.planned_on LIMIT 100"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(unit_id)
        .bind(Day(from))
        .fetch_all(p)
        .await)?)
}

/// The meetings ahead of a body (a joint meeting counts for each of its bodies).
pub async fn of_body(db: &Db, body_id: i64, from: NaiveDate) -> AppResult<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE m.planned_on >= $2 AND m.state <> 'cancelled' AND (m.body_id = $1 OR EXISTS \
         (SELECT 1 FROM meeting_bodies mb WHERE mb.meeting_id = m.id AND mb.body_id = $1)) ORDER BY m.planned_on LIMIT 100"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(body_id)
        .bind(Day(from))
        .fetch_all(p)
        .await)?)
}

/// A meeting as a calendar event on its day.
pub fn event(m: &Meeting) -> Event {
    let mut description = format!("{} · {}", m.kind().label(), m.state().label());
    if !m.starts_at.is_empty() {
        description.push_str(&format!(" · {}", m.starts_at));
    }
    if !m.place.is_empty() {
        description.push_str(&format!(" · {}", m.place));
    }
    if !m.online_link.is_empty() {
        description.push_str(&format!(" · {}", m.online_link));
    }
    Event {
        uid: format!("meeting-{}@steerco", m.id),
        date: m.planned_on.date(),
        summary: format!("Họp: {}", m.title),
        description,
        url: format!("/meetings/{}", m.id),
    }
}

/// The secret part of a body's calendar URL, if one was created.
pub async fn body_token(db: &Db, body_id: i64) -> AppResult<Option<String>> {
    let row: Option<(Option<String>,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT calendar_token FROM bodies WHERE id = $1"
    )
    .bind(body_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|r| r.0))
}

/// A new calendar URL secret for a body (the old one stops working): those who run its
/// meetings.
pub async fn renew_body_token(db: &Db, actor: &Actor, body_id: i64) -> AppResult<String> {
    let body = crate::bodies::get_body(db, body_id).await?;
    policy::run_meeting(actor, &super::body_scope(&body))?;
    let token = crate::auth::random_token();
    let mut work = crate::work::Work::begin(db).await?;
    in_work!(work, |tx| sqlx::query(
        "UPDATE bodies SET calendar_token = $1 WHERE id = $2"
    )
    .bind(&token)
    .bind(body_id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.audit(
        crate::audit::Entry::new(actor, "renew_calendar", "body", body_id)
            .in_province(&body.province_code),
    );
    work.commit().await?;
    Ok(token)
}

/// The body whose calendar URL carries this secret: (id, name).
pub async fn body_by_token(db: &Db, token: &str) -> AppResult<Option<(i64, String)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, name FROM bodies WHERE calendar_token = $1"
    )
    .bind(token)
    .fetch_optional(p)
    .await)?)
}

pub use crate::notify::Reminder;

/// What the reminder pass owes about meetings on `today`: each unit sitting in a convened
/// meeting is reminded the two days before it; the standing agency of a body is reminded of
/// the preparation steps kept by hand that are not done, from two days before their date (the
/// breakthrough and commitment steps too when the year has no call: with one, its own reminders
/// speak to the units, `breakthroughs::calls::reminders`).
pub async fn reminders(db: &Db, today: NaiveDate, only: Option<&str>) -> AppResult<Vec<Reminder>> {
    let mut out = Vec::new();
    let sql = format!(
        "{MEETING_SELECT} WHERE m.state = 'convened' AND m.planned_on >= $1 AND m.planned_on <= $2 AND ($3 IS NULL OR m.province_code = $3)"
    );
    let soon: Vec<Meeting> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(Day(today))
        .bind(Day(today + chrono::Duration::days(2)))
        .bind(only)
        .fetch_all(p)
        .await)?;
    for m in &soon {
        for p in super::agenda::participants(db, m.id).await? {
            let (Some(unit), Some(code)) = (p.unit_id, p.unit_code.clone()) else {
                continue;
            };
            out.push(Reminder {
                rule: format!("meeting:{}:{unit}", m.id),
                province: m.province_code.clone(),
                unit_id: unit,
                unit_code: code,
                subject: format!("Mời họp: {} — {}", m.title, m.when()),
                body: format!(
                    "Kính gửi: {}\n\nKính mời dự {}.\nThời gian: {}{}.\nĐịa điểm: {}\n\nChương trình và tài liệu họp trên hệ thống steerco: /meetings/{}\nTrường hợp vắng mặt, đề nghị cử người dự thay và báo cho cơ quan thường trực.\n",
                    p.who(),
                    super::conclusions::as_object(&m.title),
                    if m.starts_at.is_empty() { String::new() } else { format!("{}, ", m.starts_at) },
                    m.when(),
                    if m.place.is_empty() { "theo giấy mời" } else { &m.place },
                    m.id
                ),
            });
        }
    }
    #[derive(sqlx::FromRow)]
    struct Due {
        id: i64,
        title: String,
        due_on: Day,
        meeting_id: i64,
        meeting_title: String,
        province_code: String,
        unit_id: i64,
        unit_code: String,
    }
    let steps: Vec<Due> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT s.id, s.title, s.due_on, m.id AS meeting_id, m.title AS meeting_title, m.province_code, u.id AS unit_id, \
         u.code AS unit_code FROM meeting_steps s \
         JOIN meetings m ON m.id = s.meeting_id JOIN bodies b ON b.id = m.body_id JOIN units u ON u.id = b.standing_unit_id \
         WHERE s.done_on IS NULL AND m.state IN ('draft', 'convened') \
         AND (s.link_kind = 'manual' OR (s.link_kind IN ('breakthrough', 'commitment', 'province_breakthrough') \
           AND NOT EXISTS (SELECT 1 FROM breakthrough_calls c WHERE c.province_code = m.province_code \
           AND c.year = CAST(SUBSTR(m.planned_on, 1, 4) AS BIGINT)))) \
         AND s.due_on <= $1 AND s.due_on >= $2 AND ($3 IS NULL OR m.province_code = $3)"
    )
    .bind(Day(today + chrono::Duration::days(2)))
    .bind(Day(today - chrono::Duration::days(7)))
    .bind(only)
    .fetch_all(p)
    .await
    })?;
    for Due {
        id,
        title,
        due_on: due,
        meeting_id: mid,
        meeting_title: mtitle,
        province_code: province,
        unit_id: unit,
        unit_code: code,
    } in steps
    {
        out.push(Reminder {
            rule: format!("meeting-step:{id}"),
            province,
            unit_id: unit,
            unit_code: code,
            subject: format!("Chuẩn bị họp: {title} (hạn {})", due.show()),
            body: format!(
                "Bước chuẩn bị «{title}» cho {} có hạn {} và chưa được đánh dấu hoàn thành.\nTheo dõi trên hệ thống steerco: /meetings/{mid}\n",
                super::conclusions::as_object(&mtitle),
                due.show()
            ),
        });
    }
    Ok(out)
}
