//! The demo's meetings, placed around today so the cycle is alive whatever day the demo is
//! started: the committee's meeting of last quarter held and concluded (its notice's tasks in
//! progress, one already overdue), this quarter's convened with a live timeline in the shape of
//! example 003 (the quarterly cascade reports D−4, D−2, D−1); the working group's meeting of last
//! month closed, this month's (or next month's) in draft.

use chrono::{Duration, NaiveDate};

use crate::auth::Actor;
use crate::bodies::{self, MemberInput};
use crate::error::AppResult;
use crate::meetings::{self, agenda, conclusions, MeetingInput};
use crate::reporting::calendar::{period_containing, previous, Frequency};
use crate::store::{Day, Db};

async fn unit_id(db: &Db, code: &str) -> AppResult<i64> {
    crate::org::find_unit_by_code(db, code)
        .await?
        .map(|u| u.id)
        .ok_or(crate::error::AppError::NotFound("đơn vị của dữ liệu mẫu"))
}

async fn member(
    db: &Db,
    admin: &Actor,
    body: i64,
    m: (&str, &str, &str, Option<&str>),
) -> AppResult<i64> {
    let unit = match m.3 {
        Some(c) => Some(unit_id(db, c).await?),
        None => None,
    };
    bodies::add_member(
        db,
        admin,
        body,
        &MemberInput {
            person_name: m.0.into(),
            position: m.2.into(),
            unit_id: unit,
            role: m.1.into(),
            domain: String::new(),
        },
    )
    .await
}

/// A meeting held on `day` with every member present but one represented, its conclusions
/// recorded and its notice issued three days later.
#[allow(clippy::too_many_arguments)]
async fn held(
    db: &Db,
    secretary: &Actor,
    input: MeetingInput,
    day: NaiveDate,
    number: &str,
    points: &[(&str, &str, &str)],
) -> AppResult<i64> {
    let before = day - Duration::days(20);
    let id = meetings::create_meeting(db, secretary, &input, before).await?;
    meetings::convene(db, secretary, id, before).await?;
    for (i, p) in agenda::participants(db, id).await?.iter().enumerate() {
        let a = if i == 2 {
            agenda::AttendanceInput {
                attendance: "represented".into(),
                delegate_name: "Phó Giám đốc được ủy quyền".into(),
            }
        } else {
            agenda::AttendanceInput {
                attendance: "present".into(),
                delegate_name: String::new(),
            }
        };
        agenda::record_attendance(db, secretary, id, p.id, &a).await?;
    }
    meetings::hold(
        db,
        secretary,
        id,
        "Các thành viên thống nhất đánh giá kết quả và phương hướng kỳ tới.",
        day,
    )
    .await?;
    conclusions::add_conclusion(
        db,
        secretary,
        id,
        &conclusions::ConclusionInput {
            kind: "information".into(),
            body: "Ghi nhận kết quả các cơ quan, đơn vị đã đạt được trong kỳ; tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 97%.".into(),
            ..Default::default()
        },
    )
    .await?;
    for (text, lead, deadline) in points {
        conclusions::add_conclusion(
            db,
            secretary,
            id,
            &conclusions::ConclusionInput {
                kind: "task".into(),
                body: text.to_string(),
                lead_units: vec![unit_id(db, lead).await?],
                deadline_text: deadline.to_string(),
                ..Default::default()
            },
        )
        .await?;
    }
    let issued = day + Duration::days(3);
    conclusions::issue_notice(
        db,
        secretary,
        id,
        &conclusions::NoticeInput {
            number: number.into(),
            issued_on: Day(issued).iso(),
            issuer: "UBND tỉnh Đồng Nai".into(),
            ..Default::default()
        },
        issued,
    )
    .await?;
    Ok(id)
}

fn deadline(d: NaiveDate) -> String {
    format!("Trước ngày {}", d.format("%d/%m/%Y"))
}

pub async fn seed(
    db: &Db,
    province: &str,
    admin: &Actor,
    secretary: &Actor,
    working_group: i64,
    committee: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let mut chair = 0;
    for (i, m) in [
        (
            "Võ Tấn Đức",
            "head",
            "Chủ tịch UBND tỉnh, Trưởng ban",
            Some("75"),
        ),
        (
            "Giám đốc Sở Nội vụ",
            "deputy",
            "Phó Trưởng ban thường trực",
            Some("75.SNV"),
        ),
        (
            "Giám đốc Sở Tư pháp",
            "member",
            "Thành viên",
            Some("75.STP"),
        ),
        (
            "Giám đốc Sở Khoa học và Công nghệ",
            "member",
            "Thành viên",
            Some("75.SKHCN"),
        ),
        (
            "Giám đốc Công an tỉnh",
            "member",
            "Thành viên",
            Some("75.CAT"),
        ),
        (
            "Chánh Văn phòng UBND tỉnh",
            "member",
            "Thành viên",
            Some("75.VPUBND"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let id = member(db, admin, committee, m).await?;
        if i == 0 {
            chair = id;
        }
    }
    // -- the committee, quarterly
    let quarter = period_containing(Frequency::Quarterly, today, 0);
    let (Some(q), Some(prev_q)) = (
        quarter.clone(),
        quarter.and_then(|q| previous(Frequency::Quarterly, &q, 0)),
    ) else {
        return Ok(());
    };
    let last_day = prev_q.end - Duration::days(2);
    held(
        db,
        secretary,
        MeetingInput {
            body_id: Some(committee),
            kind: "regular".into(),
            chair_member_id: Some(chair),
            planned_on: Day(last_day).iso(),
            starts_at: "08:00".into(),
            place: "Phòng họp UBND tỉnh".into(),
            period: prev_q.key.clone(),
            ..Default::default()
        },
        last_day,
        "215/TB-UBND",
        &[
            (
                "Rà soát, cắt giảm thời gian giải quyết thủ tục hành chính nội bộ",
                "75.SNV",
                &deadline(today - Duration::days(10)),
            ),
            (
                "Hoàn thành số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực",
                "75.SKHCN",
                &deadline(q.end),
            ),
            (
                "Đẩy mạnh kích hoạt tài khoản định danh điện tử mức 2 cho người dân",
                "75.CAT",
                &deadline(q.end + Duration::days(30)),
            ),
        ],
    )
    .await?;
    let top = crate::reporting::schedule::list_schedules(db, province)
        .await?
        .into_iter()
        .find(|s| s.parent_id.is_none() && s.frequency == "quarterly");
    let planned = (q.end - Duration::days(2)).max(today + Duration::days(1));
    let next = meetings::create_meeting(
        db,
        secretary,
        &MeetingInput {
            body_id: Some(committee),
            other_bodies: vec![working_group],
            kind: "regular".into(),
            chair_member_id: Some(chair),
            planned_on: Day(planned).iso(),
            window_end: Day(planned + Duration::days(7)).iso(),
            starts_at: "08:00".into(),
            place: "Hội trường UBND tỉnh".into(),
            schedule_id: top.as_ref().map(|s| s.id),
            period: if top.is_some() {
                q.key.clone()
            } else {
                String::new()
            },
            ..Default::default()
        },
        today,
    )
    .await?;
    meetings::convene(db, secretary, next, today).await?;

    // -- the working group, monthly
    let month = period_containing(Frequency::Monthly, today, 0);
    if let Some(prev_m) = month
        .as_ref()
        .and_then(|m| previous(Frequency::Monthly, m, 0))
    {
        let day = prev_m.start + Duration::days(19);
        let id = held(
            db,
            secretary,
            MeetingInput {
                body_id: Some(working_group),
                kind: "regular".into(),
                planned_on: Day(day).iso(),
                place: "Công an tỉnh".into(),
                period: prev_m.key.clone(),
                ..Default::default()
            },
            day,
            "Thông báo số 88/TB-TCT",
            &[(
                "Hoàn thành cấp tài khoản VNeID cho cán bộ, công chức cấp xã",
                "75.CAT",
                &deadline(today + Duration::days(20)),
            )],
        )
        .await?;
        meetings::close(db, secretary, id).await?;
    }
    if let Some(m) = month {
        let mut day = m.start + Duration::days(19);
        let mut key = m.key.clone();
        if day <= today {
            day = m.end + Duration::days(20);
            key = period_containing(Frequency::Monthly, day, 0)
                .map(|p| p.key)
                .unwrap_or_default();
        }
        meetings::create_meeting(
            db,
            secretary,
            &MeetingInput {
                body_id: Some(working_group),
                kind: "regular".into(),
                planned_on: Day(day).iso(),
                place: "Công an tỉnh".into(),
                period: key,
                ..Default::default()
            },
            today,
        )
        .await?;
    }
    Ok(())
}
