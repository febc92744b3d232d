//! A meeting's agenda (numbered items, each with its presenter, its planned minutes, a
//! document steerco generates for it, and the notes taken on it) and its participants (the
//! bodies' members, invited units or people) with their attendance.

use serde::{Deserialize, Serialize};

use super::{Kind, State};
use crate::auth::Actor;
use crate::bodies::Body;
use crate::error::{AppError, AppResult, Validator};
use crate::store::Db;
use crate::text::nfc;
use crate::work::Work;
use crate::{in_work, with_db};

/// A document steerco makes for an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    None,
    /// The follow-up of the previous meeting's conclusions.
    Followup,
    /// The period's consolidated report of the cascade the meeting reviews.
    Consolidated,
    /// The league tables of the indicators.
    League,
}

impl Document {
    pub const ALL: [Document; 4] = [
        Document::None,
        Document::Followup,
        Document::Consolidated,
        Document::League,
    ];
    pub fn parse(s: &str) -> Document {
        Document::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .unwrap_or(Document::None)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Document::None => "none",
            Document::Followup => "followup",
            Document::Consolidated => "consolidated",
            Document::League => "league",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Document::None => "—",
            Document::Followup => "Kết quả thực hiện kết luận cuộc họp trước",
            Document::Consolidated => "Báo cáo tổng hợp của kỳ",
            Document::League => "Bảng xếp hạng chỉ số",
        }
    }
}

pub struct PlannedItem {
    pub title: String,
    pub presenter_unit_id: Option<i64>,
    pub planned_minutes: i64,
    pub document: Document,
}

/// The agenda a new meeting starts with: the follow-up of the previous conclusions first
/// (the regulation of example 002), the period's report, the indicators, discussion, the
/// chair's conclusions.
pub fn first_agenda(kind: Kind, body: &Body, has_report: bool) -> Vec<PlannedItem> {
    let standing = body.standing_unit_id;
    let item = |t: &str, p: Option<i64>, min: i64, d: Document| PlannedItem {
        title: t.to_string(),
        presenter_unit_id: p,
        planned_minutes: min,
        document: d,
    };
    let mut out = vec![item(
        "Kiểm điểm kết quả thực hiện các nhiệm vụ tại kết luận cuộc họp trước",
        standing,
        15,
        Document::Followup,
    )];
    if has_report {
        out.push(item(
            "Báo cáo tiến độ, kết quả thực hiện nhiệm vụ trong kỳ và phương hướng, nhiệm vụ trọng tâm kỳ tới",
            standing,
            20,
            Document::Consolidated,
        ));
    }
    if kind != Kind::Extraordinary {
        out.push(item(
            "Kết quả các chỉ số theo dõi, xếp hạng các cơ quan, đơn vị",
            standing,
            10,
            Document::League,
        ));
    }
    out.push(item(
        "Ý kiến của các thành viên, người đứng đầu các cơ quan, đơn vị",
        None,
        30,
        Document::None,
    ));
    out.push(item("Kết luận của người chủ trì", None, 15, Document::None));
    out
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Item {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub presenter_unit_id: Option<i64>,
    pub presenter_unit: Option<String>,
    pub presenter_name: String,
    pub planned_minutes: i64,
    pub document: String,
    pub attachment_id: Option<i64>,
    pub attachment_name: Option<String>,
    pub notes: String,
}

impl Item {
    pub fn document(&self) -> Document {
        Document::parse(&self.document)
    }
    pub fn presenter(&self) -> String {
        match (&self.presenter_unit, self.presenter_name.as_str()) {
            (Some(u), "") => u.clone(),
            (Some(u), n) => format!("{n} ({u})"),
            (None, n) => n.to_string(),
        }
    }
}

pub async fn items(db: &Db, meeting_id: i64) -> AppResult<Vec<Item>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT i.id, i.position, i.title, i.presenter_unit_id, u.name AS presenter_unit, i.presenter_name, i.planned_minutes, \
         i.document, i.attachment_id, f.filename AS attachment_name, i.notes FROM meeting_items i \
         LEFT JOIN units u ON u.id = i.presenter_unit_id LEFT JOIN attachments f ON f.id = i.attachment_id \
         WHERE i.meeting_id = $1 ORDER BY i.position, i.id"
    )
    .bind(meeting_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ItemInput {
    pub title: String,
    pub presenter_unit_id: Option<i64>,
    pub presenter_name: String,
    pub planned_minutes: Option<i64>,
    pub document: String,
}

pub async fn add_item(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    input: &ItemInput,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if !m.state().ahead() && m.state() != State::Held {
        return Err(AppError::Conflict(
            "Cuộc họp đã kết luận: không sửa chương trình họp.".into(),
        ));
    }
    let mut v = Validator::default();
    let title = nfc(&input.title);
    v.check(!title.is_empty(), "title", "Nhập nội dung của mục.");
    let minutes = input.planned_minutes.unwrap_or(0);
    v.check(
        (0..=600).contains(&minutes),
        "planned_minutes",
        "Thời lượng từ 0 đến 600 phút.",
    );
    if let Some(u) = input.presenter_unit_id {
        if !crate::org::unit_in(db, u, &m.province_code).await? {
            v.push("presenter_unit_id", "Đơn vị trình bày phải thuộc tỉnh.");
        }
    }
    v.finish()?;
    let mut work = Work::begin(db).await?;
    let n = super::next_position(&mut work, "meeting_items", meeting_id).await?;
    let id = in_work!(work, |tx| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO meeting_items (meeting_id, position, title, presenter_unit_id, presenter_name, planned_minutes, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(meeting_id)
        .bind(n)
        .bind(&title)
        .bind(input.presenter_unit_id)
        .bind(nfc(&input.presenter_name))
        .bind(minutes)
        .bind(Document::parse(&input.document).as_str())
        .fetch_one(&mut *tx)
        .await
        .map(|r| r.0)
    })?;
    work.audit(super::entry(actor, "add_item", &m).after(input));
    work.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NotesInput {
    pub notes: String,
}

/// The notes taken on an agenda item, at or after the meeting.
pub async fn save_notes(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
    input: &NotesInput,
) -> AppResult<()> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if !matches!(m.state(), State::Convened | State::Held) {
        return Err(AppError::Conflict(
            "Ghi chép theo từng mục khi cuộc họp đã triệu tập hoặc đã họp.".into(),
        ));
    }
    let mut work = Work::begin(db).await?;
    let n = in_work!(work, |tx| sqlx::query(
        "UPDATE meeting_items SET notes = $1 WHERE id = $2 AND meeting_id = $3"
    )
    .bind(nfc(&input.notes))
    .bind(item_id)
    .bind(meeting_id)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(AppError::NotFound("mục của chương trình họp"));
    }
    work.audit(super::entry(actor, "item_notes", &m).after(input));
    work.commit().await?;
    Ok(())
}

/// A document uploaded for an agenda item (a presentation, a draft report): the meeting's
/// readers download it from the agenda. A new upload replaces the item's document.
pub async fn attach_document(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
    file: &crate::tracking::Evidence,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if matches!(m.state(), State::Closed | State::Cancelled) {
        return Err(AppError::Conflict(
            "Cuộc họp đã kết thúc: không tải thêm tài liệu.".into(),
        ));
    }
    items(db, meeting_id)
        .await?
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or(AppError::NotFound("mục của chương trình họp"))?;
    let mut v = Validator::default();
    v.check(
        !file.filename.trim().is_empty() && !file.data.is_empty(),
        "file",
        "Chọn tệp tài liệu.",
    );
    v.check(
        file.data.len() <= crate::tracking::MAX_EVIDENCE_BYTES,
        "file",
        "Tệp tài liệu vượt quá 10 MB.",
    );
    v.finish()?;
    let now = db.now_utc();
    let mut work = Work::begin(db).await?;
    let id = in_work!(work, |tx| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO attachments (filename, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(file.filename.trim())
        .bind(&file.content_type)
        .bind(file.data.len() as i64)
        .bind(&file.data)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE meeting_items SET attachment_id = $1 WHERE id = $2")
            .bind(id)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        Ok::<i64, sqlx::Error>(id)
    })?;
    work.audit(
        super::entry(actor, "item_document", &m).after(&serde_json::json!({
            "item": item_id, "filename": file.filename.trim(), "size": file.data.len(),
        })),
    );
    work.commit().await?;
    Ok(id)
}

/// An agenda item's document, for whoever may read the meeting: (name, data).
pub async fn document_of(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
) -> AppResult<(String, Vec<u8>)> {
    super::read_meeting(db, actor, meeting_id).await?;
    let f: Option<(String, Vec<u8>)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT f.filename, f.data FROM meeting_items i JOIN attachments f ON f.id = i.attachment_id \
         WHERE i.id = $1 AND i.meeting_id = $2"
    )
    .bind(item_id)
    .bind(meeting_id)
    .fetch_optional(p)
    .await
    })?;
    f.ok_or(AppError::NotFound("tài liệu của mục"))
}

// ---- participants ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Unknown,
    Present,
    Absent,
    Represented,
}

impl Attendance {
    pub fn parse(s: &str) -> Option<Attendance> {
        match s {
            "" | "unknown" => Some(Attendance::Unknown),
            "present" => Some(Attendance::Present),
            "absent" => Some(Attendance::Absent),
            "represented" => Some(Attendance::Represented),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Unknown => "",
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Represented => "represented",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Attendance::Unknown => "Chưa ghi nhận",
            Attendance::Present => "Có mặt",
            Attendance::Absent => "Vắng mặt",
            Attendance::Represented => "Cử người dự thay",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Participant {
    pub id: i64,
    pub member_id: Option<i64>,
    pub role: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub person_name: String,
    pub position: String,
    pub attendance: String,
    pub delegate_name: String,
}

impl Participant {
    pub fn attendance(&self) -> Attendance {
        Attendance::parse(&self.attendance).unwrap_or(Attendance::Unknown)
    }
    /// "Nguyễn Văn A, Giám đốc Sở Nội vụ" or the invited unit.
    pub fn who(&self) -> String {
        let mut s = self.person_name.clone();
        if !self.position.is_empty() {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(&self.position);
        }
        if s.is_empty() {
            s = self.unit_name.clone().unwrap_or_default();
        }
        s
    }
}

pub async fn participants(db: &Db, meeting_id: i64) -> AppResult<Vec<Participant>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT p.id, p.member_id, bm.role, p.unit_id, u.code AS unit_code, u.name AS unit_name, p.person_name, p.position, p.attendance, p.delegate_name \
         FROM meeting_participants p LEFT JOIN body_members bm ON bm.id = p.member_id LEFT JOIN units u ON u.id = p.unit_id \
         WHERE p.meeting_id = $1 ORDER BY CASE WHEN p.member_id IS NULL THEN 1 ELSE 0 END, p.id"
    )
    .bind(meeting_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct InviteInput {
    pub unit_id: Option<i64>,
    pub person_name: String,
    pub position: String,
}

/// Invites a unit (its head, or the person named) or a person who is not a member.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    input: &InviteInput,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if !m.state().ahead() {
        return Err(AppError::Conflict(
            "Cuộc họp đã diễn ra: không mời thêm.".into(),
        ));
    }
    let mut v = Validator::default();
    let name = nfc(&input.person_name);
    v.check(
        input.unit_id.is_some() || !name.is_empty(),
        "unit_id",
        "Chọn đơn vị được mời hoặc nhập họ tên người được mời.",
    );
    if let Some(u) = input.unit_id {
        if !crate::org::unit_in(db, u, &m.province_code).await? {
            v.push("unit_id", "Đơn vị được mời phải thuộc tỉnh.");
        }
    }
    v.finish()?;
    let mut work = Work::begin(db).await?;
    let id = in_work!(work, |tx| {
        sqlx::query_as::<_, (i64,)>(
        "INSERT INTO meeting_participants (meeting_id, unit_id, person_name, position) VALUES ($1, $2, $3, $4) RETURNING id"
    )
    .bind(meeting_id)
    .bind(input.unit_id)
    .bind(&name)
    .bind(nfc(&input.position))
    .fetch_one(&mut *tx)
    .await
    .map(|r| r.0)
    })?;
    work.audit(super::entry(actor, "invite", &m).after(input));
    work.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AttendanceInput {
    pub attendance: String,
    pub delegate_name: String,
}

/// Records whether a participant came, was absent, or (a member only) sent a named delegate.
pub async fn record_attendance(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    participant_id: i64,
    input: &AttendanceInput,
) -> AppResult<()> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if !matches!(m.state(), State::Convened | State::Held) {
        return Err(AppError::Conflict(
            "Ghi nhận thành phần dự họp khi cuộc họp đã triệu tập hoặc đã họp.".into(),
        ));
    }
    let p = participants(db, meeting_id)
        .await?
        .into_iter()
        .find(|p| p.id == participant_id)
        .ok_or(AppError::NotFound("người dự họp"))?;
    let mut v = Validator::default();
    let a = Attendance::parse(input.attendance.trim());
    v.check(
        a.is_some(),
        "attendance",
        "Chọn: có mặt, vắng mặt hoặc cử người dự thay.",
    );
    let delegate = nfc(&input.delegate_name);
    if a == Some(Attendance::Represented) {
        if p.member_id.is_none() {
            v.push(
                "attendance",
                "Chỉ thành viên của Ban Chỉ đạo/Tổ công tác mới cử người dự thay; khách mời ghi có mặt hoặc vắng mặt.",
            );
        }
        v.check(
            !delegate.is_empty(),
            "delegate_name",
            "Nhập họ tên, chức vụ người được cử dự thay.",
        );
    }
    v.finish()?;
    let a = a.unwrap_or(Attendance::Unknown);
    let delegate = if a == Attendance::Represented {
        delegate
    } else {
        String::new()
    };
    let mut work = Work::begin(db).await?;
    in_work!(work, |tx| sqlx::query(
        "UPDATE meeting_participants SET attendance = $1, delegate_name = $2 WHERE id = $3"
    )
    .bind(a.as_str())
    .bind(&delegate)
    .bind(participant_id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.audit(
        super::entry(actor, "attendance", &m)
            .before(&p)
            .after(input),
    );
    work.commit().await?;
    Ok(())
}
