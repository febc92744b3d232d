//! A meeting's conclusions: numbered points, each an information, a decision or a task (lead
//! units, coordinators, deadline, product), typed or read from a pasted text with the document
//! import. Issuing the notice of conclusions publishes a directive of kind notice holding the
//! task points, in the same transaction as the meeting's change of state, so they are
//! tracked, reported and followed up at the next meeting like any other task.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Meeting, State};
use crate::auth::Actor;
use crate::deadline::Deadline;
use crate::directives::DirectiveInput;
use crate::error::{AppError, AppResult, Validator};
use crate::import::publish::{insert_planned, CleanDirective, Planned};
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::work::Work;
use crate::{in_work, with_db};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Information,
    Decision,
    Task,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Information, Kind::Decision, Kind::Task];
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Information => "information",
            Kind::Decision => "decision",
            Kind::Task => "task",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Information => "Thông tin",
            Kind::Decision => "Quyết định, thống nhất",
            Kind::Task => "Giao nhiệm vụ",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Conclusion {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub body: String,
    pub lead_unit_ids: String,
    pub coordinator_ids: String,
    pub deadline_text: String,
    pub product: String,
    pub task_id: Option<i64>,
}

impl Conclusion {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Information)
    }
    pub fn leads(&self) -> Vec<i64> {
        ids(&self.lead_unit_ids)
    }
    pub fn coordinators(&self) -> Vec<i64> {
        ids(&self.coordinator_ids)
    }
}

fn ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}

fn join_ids(v: &[i64]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn conclusions(db: &Db, meeting_id: i64) -> AppResult<Vec<Conclusion>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, position, kind, body, lead_unit_ids, coordinator_ids, deadline_text, product, task_id \
         FROM meeting_conclusions WHERE meeting_id = $1 ORDER BY position, id"
    )
    .bind(meeting_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ConclusionInput {
    pub kind: String,
    pub body: String,
    pub lead_units: Vec<i64>,
    pub coordinators: Vec<i64>,
    pub deadline_text: String,
    pub product: String,
}

/// Conclusions are written at the meeting and after it, until the notice is issued.
fn writable(m: &Meeting) -> AppResult<()> {
    match m.state() {
        State::Convened | State::Held => Ok(()),
        s => Err(AppError::Conflict(format!(
            "Cuộc họp {}: không sửa kết luận (kết luận ghi khi đã triệu tập hoặc đã họp, trước khi ban hành thông báo).",
            s.label().to_lowercase()
        ))),
    }
}

async fn check(
    db: &Db,
    m: &Meeting,
    c: &ConclusionInput,
    prefix: &str,
    v: &mut Validator,
) -> AppResult<Option<Kind>> {
    let kind = Kind::parse(c.kind.trim());
    if kind.is_none() {
        v.push(
            "kind",
            format!("{prefix}chọn loại kết luận: thông tin, quyết định hoặc giao nhiệm vụ."),
        );
    }
    let body = nfc(&c.body);
    v.check(
        !body.is_empty(),
        "body",
        &format!("{prefix}nhập nội dung kết luận."),
    );
    v.check(
        body.chars().count() <= 4000,
        "body",
        &format!("{prefix}nội dung quá dài (tối đa 4.000 ký tự)."),
    );
    if kind == Some(Kind::Task) {
        v.check(
            !c.lead_units.is_empty(),
            "lead_units",
            &format!("{prefix}kết luận giao nhiệm vụ phải có đơn vị chủ trì."),
        );
    }
    for u in c.lead_units.iter().chain(&c.coordinators) {
        if !crate::org::unit_in(db, *u, &m.province_code).await? {
            v.push(
                "lead_units",
                format!("{prefix}đơn vị #{u} không thuộc tỉnh này."),
            );
        }
    }
    Ok(kind)
}

async fn insert(
    work: &mut Work<'_>,
    meeting_id: i64,
    kind: Kind,
    c: &ConclusionInput,
) -> AppResult<i64> {
    let task = kind == Kind::Task;
    let n = super::next_position(work, "meeting_conclusions", meeting_id).await?;
    Ok(in_work!(work, |tx| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO meeting_conclusions (meeting_id, position, kind, body, lead_unit_ids, coordinator_ids, deadline_text, product) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(meeting_id)
        .bind(n)
        .bind(kind.as_str())
        .bind(nfc(&c.body))
        .bind(if task { join_ids(&c.lead_units) } else { String::new() })
        .bind(if task { join_ids(&c.coordinators) } else { String::new() })
        .bind(if task { nfc(&c.deadline_text) } else { String::new() })
        .bind(if task { nfc(&c.product) } else { String::new() })
        .fetch_one(&mut *tx)
        .await
        .map(|r| r.0)
    })?)
}

pub async fn add_conclusion(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    c: &ConclusionInput,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    writable(&m)?;
    let mut v = Validator::default();
    let kind = check(db, &m, c, "", &mut v).await?;
    v.finish()?;
    let kind = kind.unwrap_or(Kind::Information);
    let mut work = Work::begin(db).await?;
    let id = insert(&mut work, meeting_id, kind, c).await?;
    work.audit(super::entry(actor, "add_conclusion", &m).after(c));
    work.commit().await?;
    Ok(id)
}

pub async fn remove_conclusion(db: &Db, actor: &Actor, meeting_id: i64, id: i64) -> AppResult<()> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    writable(&m)?;
    let before = conclusions(db, meeting_id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound("kết luận"))?;
    let mut work = Work::begin(db).await?;
    in_work!(work, |tx| sqlx::query(
        "DELETE FROM meeting_conclusions WHERE id = $1 AND meeting_id = $2"
    )
    .bind(id)
    .bind(meeting_id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.audit(super::entry(actor, "remove_conclusion", &m).before(&before));
    work.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PastedText {
    pub text: String,
}

/// Reads conclusions from a draft notice — pasted text, or a `.docx`/`.pdf`/text file — with
/// the document import: every task it finds with a lead unit of the province becomes a task
/// point; the rest is left to type. Returns how many were added.
pub async fn read_conclusions(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    source: Vec<u8>,
) -> AppResult<usize> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    writable(&m)?;
    if source.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(AppError::invalid(
            "text",
            "Dán nội dung hoặc chọn tệp dự thảo thông báo kết luận để đọc.",
        ));
    }
    if source.len() > crate::import::source::MAX_BYTES {
        return Err(AppError::invalid(
            "text",
            "Nội dung quá dài (tối đa 10 MB).",
        ));
    }
    let reg = crate::import::publish::registry_for(db, &m.province_code).await?;
    let x = crate::import::read_for_province(source, reg).await?;
    let units = crate::org::province_units(db, &m.province_code).await?;
    let id_of = |code: &str| units.iter().find(|u| u.code == code).map(|u| u.id);
    let mut found = Vec::new();
    for t in &x.tasks {
        let lead: Vec<i64> = t
            .lead
            .iter()
            .filter_map(|u| u.unit.as_deref().and_then(id_of))
            .collect();
        if lead.is_empty() {
            continue;
        }
        let coord = t
            .coordinators
            .iter()
            .filter_map(|u| u.unit.as_deref().and_then(id_of))
            .collect();
        found.push(ConclusionInput {
            kind: Kind::Task.as_str().into(),
            body: t.title.clone(),
            lead_units: lead,
            coordinators: coord,
            deadline_text: t.deadline.text.clone(),
            product: t.product.clone(),
        });
    }
    if found.is_empty() {
        return Err(AppError::invalid(
            "text",
            "Không đọc được nhiệm vụ nào có đơn vị chủ trì của tỉnh trong nội dung đã dán; hãy nhập từng kết luận.",
        ));
    }
    let mut work = Work::begin(db).await?;
    for c in &found {
        insert(&mut work, meeting_id, Kind::Task, c).await?;
    }
    work.audit(
        super::entry(actor, "read_conclusions", &m)
            .after(&serde_json::json!({"tasks": found.len()})),
    );
    work.commit().await?;
    Ok(found.len())
}

/// The notice's number, date and signature.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NoticeInput {
    pub number: String,
    pub issued_on: String,
    pub issuer: String,
    pub signer: String,
    pub summary: String,
}

/// The notice's summary line: "Kết luận của đồng chí … tại cuộc họp …".
pub fn default_summary(m: &Meeting) -> String {
    match &m.chair_name {
        Some(c) => format!("Kết luận của đồng chí {c} tại {}", as_object(&m.title)),
        None => format!("Kết luận tại {}", as_object(&m.title)),
    }
}

/// A meeting's title inside a sentence: "Họp định kỳ …" → "cuộc họp định kỳ …".
pub fn as_object(title: &str) -> String {
    let t = lower_first(title);
    if t.starts_with("họp ") {
        format!("cuộc {t}")
    } else {
        t
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The notice's text: its conclusions as numbered points.
pub fn notice_text(conclusions: &[Conclusion], unit_name: &dyn Fn(i64) -> String) -> String {
    let mut out = String::new();
    for (i, c) in conclusions.iter().enumerate() {
        out.push_str(&format!("{}. {}", i + 1, c.body));
        if c.kind() == Kind::Task {
            let leads: Vec<String> = c.leads().into_iter().map(unit_name).collect();
            out.push_str(&format!(" Chủ trì: {}.", leads.join(", ")));
            if !c.deadline_text.is_empty() {
                out.push_str(&format!(" Thời hạn: {}.", c.deadline_text));
            }
        }
        out.push('\n');
    }
    out
}

/// Issues the notice of conclusions: the directive (kind notice) with one task per task
/// point, their assignments, the points linked to their tasks, and the meeting concluded —
/// all in one transaction. Returns the directive's id.
pub async fn issue_notice(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    n: &NoticeInput,
    today: NaiveDate,
) -> AppResult<i64> {
    let m = super::manage_meeting(db, actor, meeting_id).await?;
    if m.state() != State::Held {
        return Err(AppError::Conflict(format!(
            "Chỉ ban hành thông báo kết luận sau khi cuộc họp đã họp (hiện: «{}»).",
            m.state().label()
        )));
    }
    let points = conclusions(db, meeting_id).await?;
    if points.is_empty() {
        return Err(AppError::invalid(
            "number",
            "Chưa có kết luận nào để ban hành: ghi các kết luận trước.",
        ));
    }
    let units = crate::org::province_units(db, &m.province_code).await?;
    let name = |id: i64| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let issued_on = if n.issued_on.trim().is_empty() {
        Day(today).iso()
    } else {
        n.issued_on.clone()
    };
    let summary = match nfc(&n.summary) {
        s if s.is_empty() => default_summary(&m),
        s => s,
    };
    let input = DirectiveInput {
        body_id: Some(m.body_id),
        province_code: m.province_code.clone(),
        kind: "notice".into(),
        number: n.number.clone(),
        issued_on,
        issuer: if n.issuer.trim().is_empty() {
            "UBND tỉnh".into()
        } else {
            n.issuer.clone()
        },
        signer: n.signer.clone(),
        summary,
        body_text: notice_text(&points, &name),
        parent_id: None,
    };
    let (issued, number, summary) = crate::directives::clean_directive(db, &input).await?;
    match crate::store::parse_date(&issued) {
        Some(d) if d > today => {
            return Err(AppError::invalid(
                "issued_on",
                "Ngày ban hành không được sau hôm nay.",
            ))
        }
        Some(d) if d < m.planned_on.date() => {
            return Err(AppError::invalid(
                "issued_on",
                "Thông báo kết luận ban hành từ ngày họp trở đi.",
            ))
        }
        _ => {}
    }
    let reference = crate::store::parse_date(&issued).unwrap_or(today);
    let tasks: Vec<&Conclusion> = points.iter().filter(|c| c.kind() == Kind::Task).collect();
    let planned: Vec<Planned> = tasks
        .iter()
        .map(|c| {
            let leads: BTreeSet<i64> = c.leads().into_iter().collect();
            let coordinators: BTreeSet<i64> = c.coordinators().into_iter().collect();
            Planned {
                ref_: c.position.to_string(),
                title: c.body.clone(),
                lead_text: leads
                    .iter()
                    .map(|u| name(*u))
                    .collect::<Vec<_>>()
                    .join("; "),
                coordinators_text: coordinators
                    .iter()
                    .map(|u| name(*u))
                    .collect::<Vec<_>>()
                    .join("; "),
                deadline: Deadline::parse(&c.deadline_text, reference),
                product: c.product.clone(),
                leads,
                coordinators,
            }
        })
        .collect();
    let clean = CleanDirective {
        input: &input,
        issued,
        number,
        summary,
    };
    let mut work = Work::begin(db).await?;
    let (directive_id, task_ids, assignments) =
        insert_planned(&mut work, actor, &clean, &planned).await?;
    for (c, t) in tasks.iter().zip(&task_ids) {
        in_work!(work, |tx| sqlx::query(
            "UPDATE meeting_conclusions SET task_id = $1 WHERE id = $2"
        )
        .bind(t)
        .bind(c.id)
        .execute(&mut *tx)
        .await
        .map(|_| ()))?;
    }
    in_work!(work, |tx| sqlx::query(
        "UPDATE meetings SET notice_directive_id = $1 WHERE id = $2"
    )
    .bind(directive_id)
    .bind(meeting_id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    super::lifecycle::record_state(
        &mut work,
        actor,
        &m,
        State::Concluded,
        m.planned_on.date(),
        "",
    )
    .await?;
    work.audit(
        super::entry(actor, "issue_notice", &m).after(&serde_json::json!({
            "directive_id": directive_id, "number": clean.number, "tasks": task_ids.len(),
            "assignments": assignments,
        })),
    );
    work.commit().await?;
    Ok(directive_id)
}
