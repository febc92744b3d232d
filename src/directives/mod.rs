//! Directives (plans, notices, dispatches, decisions) and their tasks. Entering a task
//! expands its lead units and groups into one assignment per unit.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::deadline::{Deadline, DeadlineKind, Recurrence};
use crate::error::{AppError, AppResult, Validator};
use crate::org;
use crate::store::Db;
use crate::store::Page;
use crate::text::{fold, nfc};
use crate::with_db;

mod search;
pub use search::{search_tasks, Sort, TaskFilter, TaskRow, TaskSearch, EXPORT_LIMIT};

pub const KINDS: &[(&str, &str, &str)] = &[
    ("plan", "Kế hoạch", "KH"),
    ("notice", "Thông báo kết luận", "TB"),
    ("dispatch", "Công văn", ""),
    ("decision", "Quyết định", "QĐ"),
    ("regulation", "Quy chế", "QC"),
    ("instruction", "Chỉ thị", "CT"),
    ("guidance", "Hướng dẫn", "HD"),
    ("report", "Báo cáo", "BC"),
];

pub fn kind_label(k: &str) -> &'static str {
    KINDS
        .iter()
        .find(|x| x.0 == k)
        .map(|x| x.1)
        .unwrap_or("Văn bản")
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Directive {
    pub id: i64,
    pub body_id: Option<i64>,
    pub province_code: String,
    pub kind: String,
    pub number: String,
    pub issued_on: String,
    pub issuer: String,
    pub signer: String,
    pub summary: String,
    pub body_text: String,
    pub parent_id: Option<i64>,
    /// When and why a directive published by mistake was withdrawn (kept, off dashboards).
    #[serde(default)]
    pub withdrawn_at: Option<String>,
    #[serde(default)]
    pub withdrawn_reason: Option<String>,
}

impl Directive {
    /// The date that completes deadlines written without a year.
    /// (`today` stands in for a date that cannot be read.)
    pub fn reference_date(&self, today: NaiveDate) -> NaiveDate {
        NaiveDate::parse_from_str(&self.issued_on, "%Y-%m-%d").unwrap_or(today)
    }
}

// Inserts shared by entry by hand and by document import (`import::publish`).
pub(crate) const INSERT_DIRECTIVE: &str = "INSERT INTO directives (body_id, province_code, kind, number, issued_on, issuer, signer, summary, summary_fold, body_text, parent_id, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
pub(crate) const INSERT_TASK: &str = "INSERT INTO tasks (directive_id, ref, title, title_fold, lead_text, coordinators_text, deadline_text, deadline_kind, deadline_due, recurrence, product, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
pub(crate) const INSERT_COORDINATOR: &str =
    "INSERT INTO task_coordinators (task_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
pub(crate) const INSERT_ASSIGNMENT: &str = "INSERT INTO assignments (task_id, unit_id, directive_id, body_id, province_code, issued_on, due_on, recurring, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

const DIRECTIVE_COLS: &str =
    "id, body_id, province_code, kind, number, issued_on, issuer, signer, summary, body_text, parent_id, \
     withdrawn_at, withdrawn_reason";

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct DirectiveInput {
    #[serde(default)]
    pub body_id: Option<i64>,
    pub province_code: String,
    pub kind: String,
    pub number: String,
    pub issued_on: String,
    pub issuer: String,
    #[serde(default)]
    pub signer: String,
    pub summary: String,
    #[serde(default)]
    pub body_text: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
}

fn parse_date(field: &str, s: &str, v: &mut Validator) -> Option<NaiveDate> {
    match crate::store::parse_date(s) {
        Some(d) => Some(d),
        None => {
            v.push(field, "Ngày không hợp lệ (dd/mm/yyyy).");
            None
        }
    }
}

/// A directive's fields checked and normalised: (issued_on as ISO, number, summary).
pub(crate) async fn clean_directive(
    db: &Db,
    input: &DirectiveInput,
) -> AppResult<(String, String, String)> {
    let mut v = Validator::default();
    v.check(
        KINDS.iter().any(|k| k.0 == input.kind),
        "kind",
        "Loại văn bản không hợp lệ.",
    );
    v.check(
        !input.number.trim().is_empty(),
        "number",
        "Số, ký hiệu văn bản không được để trống.",
    );
    v.check(
        !input.issuer.trim().is_empty(),
        "issuer",
        "Cơ quan ban hành không được để trống.",
    );
    v.check(
        !input.summary.trim().is_empty(),
        "summary",
        "Trích yếu không được để trống.",
    );
    v.check(
        input.body_text.len() <= 2_000_000,
        "body_text",
        "Nội dung quá dài (tối đa 2 MB).",
    );
    let issued = parse_date("issued_on", &input.issued_on, &mut v);
    v.finish()?;
    // a reference that does not exist is refused on its field, like one of another province
    if let Some(parent) = input.parent_id {
        match get_directive(db, parent).await {
            Ok(p) if p.province_code == input.province_code => {}
            Ok(_) | Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid(
                    "parent_id",
                    "Văn bản gốc không có trong các văn bản của tỉnh này.",
                ))
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(b) = input.body_id {
        match crate::bodies::get_body(db, b).await {
            Ok(body) if body.province_code == input.province_code => {}
            Ok(_) | Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid(
                    "body_id",
                    "Ban Chỉ đạo/Tổ công tác không có trong các Ban của tỉnh này.",
                ))
            }
            Err(e) => return Err(e),
        }
    }
    let issued = issued
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    Ok((issued, input.number.trim().to_string(), nfc(&input.summary)))
}

pub async fn create_directive(db: &Db, actor: &Actor, input: &DirectiveInput) -> AppResult<i64> {
    policy::direct(actor, &input.province_code)?;
    let (issued, number, summary) = clean_directive(db, input).await?;
    let mut work = crate::work::Work::begin(db).await?;
    let id = crate::in_work!(work, |tx, audit| {
        let (id,): (i64,) = sqlx::query_as(INSERT_DIRECTIVE)
            .bind(input.body_id)
            .bind(&input.province_code)
            .bind(&input.kind)
            .bind(&number)
            .bind(&issued)
            .bind(nfc(&input.issuer))
            .bind(nfc(&input.signer))
            .bind(&summary)
            .bind(fold(&format!("{number} {summary}")))
            .bind(nfc(&input.body_text))
            .bind(input.parent_id)
            .bind(actor.user_id)
            .bind(db.now_utc())
            .fetch_one(&mut *tx)
            .await?;
        audit.push(crate::audit::Entry::new(actor, "create", "directive", id).after(input));
        id
    });
    work.commit().await?;
    Ok(id)
}

/// Corrects a directive's metadata. Its tasks' assignments follow its date and body.
pub async fn update_directive(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &DirectiveInput,
) -> AppResult<()> {
    let before = get_directive(db, id).await?;
    policy::direct(actor, &before.province_code)?;
    if before.withdrawn_at.is_some() {
        return Err(AppError::Conflict(WITHDRAWN.into()));
    }
    let input = DirectiveInput {
        province_code: before.province_code.clone(),
        ..input.clone()
    };
    let (issued, number, summary) = clean_directive(db, &input).await?;
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query(
            "UPDATE directives SET body_id = $1, kind = $2, number = $3, issued_on = $4, issuer = $5, signer = $6, \
             summary = $7, summary_fold = $8, body_text = $9 WHERE id = $10",
        )
        .bind(input.body_id)
        .bind(&input.kind)
        .bind(&number)
        .bind(&issued)
        .bind(nfc(&input.issuer))
        .bind(nfc(&input.signer))
        .bind(&summary)
        .bind(fold(&format!("{number} {summary}")))
        .bind(nfc(&input.body_text))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE assignments SET issued_on = $1, body_id = $2 WHERE directive_id = $3")
            .bind(&issued)
            .bind(input.body_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut b = before.clone();
        b.body_text = format!("({} ký tự)", before.body_text.chars().count());
        audit.push(crate::audit::Entry::new(actor, "update", "directive", id).before(&b).after(&serde_json::json!({
            "kind": input.kind, "number": number, "issued_on": issued, "issuer": input.issuer, "signer": input.signer,
            "summary": summary, "body_id": input.body_id})));
    });
    work.touches(&before.province_code);
    work.commit().await?;
    Ok(())
}

const WITHDRAWN: &str = "Đã thu hồi: không sửa được.";

/// What may be withdrawn: a whole directive, or one of its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    Directive(i64),
    Task(i64),
}

/// Withdraws a directive or a task published by mistake: it stays readable, with its
/// history and this reason in the audit trail, and its assignments leave every dashboard,
/// list and reminder. Withdrawing twice is a conflict.
pub async fn withdraw(db: &Db, actor: &Actor, what: Withdrawn, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::invalid(
            "reason",
            "Nêu lý do thu hồi (ít nhất 5 ký tự).",
        ));
    }
    // what is withdrawn, and the column its tasks and assignments name it by
    let (directive_id, entity, id, key) = match what {
        Withdrawn::Directive(id) => (id, "directive", id, "directive_id"),
        Withdrawn::Task(id) => (
            get_task(db, id).await?.0.directive_id,
            "task",
            id,
            "task_id",
        ),
    };
    let d = get_directive(db, directive_id).await?;
    policy::direct(actor, &d.province_code)?;
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    let changed = crate::in_work!(work, |tx, audit| {
        // conditional on not withdrawn yet: of two at once, one wins and the other gets 409
        let head = format!(
            "UPDATE {entity}s SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3 AND withdrawn_at IS NULL"
        );
        let changed = sqlx::query(&head)
            .bind(&now)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 1 {
            if key == "directive_id" {
                sqlx::query("UPDATE tasks SET withdrawn_at = $1, withdrawn_reason = $2 WHERE directive_id = $3 AND withdrawn_at IS NULL")
                    .bind(&now)
                    .bind(reason)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(&format!(
                "UPDATE assignments SET withdrawn_at = $1 WHERE {key} = $2 AND withdrawn_at IS NULL"
            ))
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            audit.push(
                crate::audit::Entry::new(actor, "withdraw", entity, id)
                    .after(&serde_json::json!({"reason": reason, "directive": d.number})),
            );
        }
        changed
    });
    if changed == 0 {
        return Err(AppError::Conflict("Đã thu hồi từ trước.".into()));
    }
    work.touches(&d.province_code);
    work.commit().await?;
    Ok(())
}

pub async fn get_directive(db: &Db, id: i64) -> AppResult<Directive> {
    let sql = format!("SELECT {DIRECTIVE_COLS} FROM directives WHERE id = $1");
    crate::store::by_id::<Directive>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("văn bản"))
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectiveFilter {
    pub q: Option<String>,
    pub body: Option<i64>,
    pub page: Option<i64>,
}

pub async fn list_directives(
    db: &Db,
    province: &str,
    f: &DirectiveFilter,
) -> AppResult<Page<(Directive, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        d: Directive,
        task_count: i64,
    }
    let per_page = 20;
    let page = f.page.unwrap_or(1).max(1);
    let q = crate::text::like_pattern(f.q.as_deref());
    let where_ = "WHERE d.province_code = $1 AND ($2 IS NULL OR d.summary_fold LIKE $2) AND ($3 IS NULL OR d.body_id = $3)";
    let sql = format!(
        "SELECT d.id, d.body_id, d.province_code, d.kind, d.number, d.issued_on, d.issuer, d.signer, d.summary, '' AS body_text, d.parent_id, d.withdrawn_at, d.withdrawn_reason, \
         (SELECT COUNT(*) FROM tasks t WHERE t.directive_id = d.id) AS task_count FROM directives d {where_} \
         ORDER BY d.issued_on DESC, d.id DESC LIMIT $4 OFFSET $5"
    );
    let count = format!("SELECT COUNT(*) FROM directives d {where_}");
    let (rows, total): (Vec<Row>, (i64,)) = with_db!(db, |p| {
        let rows = sqlx::query_as(&sql)
            .bind(province)
            .bind(q.as_deref())
            .bind(f.body)
            .bind(per_page)
            .bind((page - 1) * per_page)
            .fetch_all(p)
            .await?;
        let total = sqlx::query_as(&count)
            .bind(province)
            .bind(q.as_deref())
            .bind(f.body)
            .fetch_one(p)
            .await?;
        (rows, total)
    });
    Ok(Page {
        items: rows.into_iter().map(|r| (r.d, r.task_count)).collect(),
        total: total.0,
        page,
        per_page,
    })
}

// ---- tasks ----

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub directive_id: i64,
    #[sqlx(rename = "ref")]
    #[serde(rename = "ref")]
    pub ref_: String,
    pub title: String,
    pub lead_text: String,
    pub coordinators_text: String,
    pub deadline_text: String,
    pub deadline_kind: String,
    pub deadline_due: Option<crate::store::Day>,
    pub recurrence: Option<String>,
    pub product: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: Option<String>,
}

pub const TASK_COLS: &str =
    "t.id, t.directive_id, t.ref, t.title, t.lead_text, t.coordinators_text, t.deadline_text, \
    t.deadline_kind, t.deadline_due, t.recurrence, t.product, t.withdrawn_at, t.withdrawn_reason";

impl Task {
    pub fn deadline_label(&self) -> String {
        if !self.deadline_text.is_empty() {
            return self.deadline_text.clone();
        }
        match (
            &self.deadline_due,
            self.recurrence.as_deref().and_then(Recurrence::parse),
        ) {
            (_, Some(r)) => r.label().to_string(),
            (Some(d), None) => d.show(),
            (None, None) => DeadlineKind::parse(&self.deadline_kind)
                .map(|k| k.label())
                .unwrap_or("")
                .to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct TaskInput {
    #[serde(default, rename = "ref")]
    pub ref_: String,
    pub title: String,
    /// Lead units, by id.
    #[serde(default)]
    pub lead_units: Vec<i64>,
    /// Lead unit groups, by id: each expands into one assignment per member unit.
    #[serde(default)]
    pub lead_groups: Vec<i64>,
    /// The lead phrase as the document writes it; generated from the units when empty.
    #[serde(default)]
    pub lead_text: String,
    #[serde(default)]
    pub coordinators: Vec<i64>,
    #[serde(default)]
    pub coordinators_text: String,
    /// The deadline as written ("Thường xuyên", "Trước ngày 31/01/2025").
    #[serde(default)]
    pub deadline_text: String,
    /// date, month, quarter, year, recurring, dependent, none; empty to read `deadline_text`.
    #[serde(default)]
    pub deadline_kind: String,
    /// For date/month/quarter/year: "31/01/2025", "06/2025", "II/2025", "2025" (or ISO forms).
    #[serde(default)]
    pub deadline_value: String,
    /// For recurring: monthly, quarterly, yearly, ongoing.
    #[serde(default)]
    pub recurrence: String,
    #[serde(default)]
    pub product: String,
}

fn structured_deadline(input: &TaskInput, reference: NaiveDate, v: &mut Validator) -> Deadline {
    let text = input.deadline_text.trim();
    let kind = input.deadline_kind.trim();
    if kind.is_empty() || kind == "auto" {
        return Deadline::parse(text, reference);
    }
    let Some(kind) = DeadlineKind::parse(kind) else {
        v.push("deadline_kind", "Loại thời hạn không hợp lệ.");
        return Deadline::new(text, DeadlineKind::None, None, None);
    };
    let val = input.deadline_value.trim();
    let bad = |v: &mut Validator, m: &str| {
        v.push("deadline_value", m);
        Deadline::new(text, kind, None, None)
    };
    let last_of_month = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
    };
    match kind {
        DeadlineKind::Date => match crate::store::parse_date(val) {
            Some(d) => Deadline::new(text, kind, Some(d), None),
            None => bad(v, "Hạn hoàn thành phải là một ngày hợp lệ."),
        },
        DeadlineKind::Month => {
            let parts: Vec<&str> = val.split(['-', '/']).collect();
            let due = match parts.as_slice() {
                [y, m] if y.len() == 4 => y
                    .parse()
                    .ok()
                    .zip(m.parse().ok())
                    .and_then(|(y, m)| last_of_month(y, m)),
                [m, y] => y
                    .parse()
                    .ok()
                    .zip(m.parse().ok())
                    .and_then(|(y, m)| last_of_month(y, m)),
                _ => None,
            };
            match due {
                Some(d) => Deadline::new(text, kind, Some(d), None),
                None => bad(v, "Tháng phải có dạng mm/yyyy (ví dụ 06/2026)."),
            }
        }
        DeadlineKind::Quarter => {
            let due = quarter_value(val).and_then(|(y, q)| last_of_month(y, q * 3));
            match due {
                Some(d) => Deadline::new(text, kind, Some(d), None),
                None => bad(v, "Quý phải có dạng II/2026 (hoặc 2026-Q2)."),
            }
        }
        DeadlineKind::Year => match val
            .parse::<i32>()
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31))
        {
            Some(d) => Deadline::new(text, kind, Some(d), None),
            None => bad(v, "Năm không hợp lệ."),
        },
        DeadlineKind::Recurring => match Recurrence::parse(input.recurrence.trim()) {
            Some(r) => Deadline::new(
                if text.is_empty() { r.label() } else { text },
                kind,
                None,
                Some(r),
            ),
            None => {
                v.push(
                    "recurrence",
                    "Chọn chu kỳ: hằng tháng, hằng quý, hằng năm hoặc thường xuyên.",
                );
                Deadline::new(text, kind, None, None)
            }
        },
        DeadlineKind::Dependent | DeadlineKind::None => Deadline::new(text, kind, None, None),
    }
}

/// A quarter as a secretary types it: "II/2026", "Quý II/2026", "2/2026", "Q2/2026" or
/// "2026-Q2".
fn quarter_value(val: &str) -> Option<(i32, u32)> {
    let up = crate::text::fold_keep_punct(val).to_uppercase();
    let up = up.trim_start_matches("QUY").trim();
    let (q, y) = match up.split_once("-Q") {
        Some((y, q)) => (q, y),
        None => up.split_once('/')?,
    };
    let q = q.trim().trim_start_matches('Q');
    let q = match q {
        "I" | "1" => 1,
        "II" | "2" => 2,
        "III" | "3" => 3,
        "IV" | "4" => 4,
        _ => return None,
    };
    Some((
        y.trim()
            .parse()
            .ok()
            .filter(|y| (1900..=2200).contains(y))?,
        q,
    ))
}

/// Lead units, groups and coordinators one task may name: more than a province has.
const MAX_UNITS: usize = 1000;

/// One message for the ids that are not units of the province, however many.
fn not_in_province(what: &str, ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(10).map(|i| format!("#{i}")).collect();
    let more = ids.len().saturating_sub(10);
    format!(
        "{what} {}{} không thuộc tỉnh này.",
        shown.join(", "),
        if more > 0 {
            format!(" và {more} đơn vị khác")
        } else {
            String::new()
        }
    )
}

/// Resolves lead units and groups into the set of unit ids that receive an assignment.
async fn expand_leads(
    db: &Db,
    province: &str,
    input: &TaskInput,
    today: NaiveDate,
    v: &mut Validator,
) -> AppResult<(BTreeSet<i64>, Vec<String>)> {
    let mut units = BTreeSet::new();
    let mut names = Vec::new();
    let today = today.format("%Y-%m-%d").to_string();
    if input.lead_units.len() + input.lead_groups.len() + input.coordinators.len() > MAX_UNITS {
        v.push(
            "lead_units",
            format!(
                "Quá nhiều đơn vị cho một nhiệm vụ (tối đa {MAX_UNITS}); hãy dùng nhóm đơn vị."
            ),
        );
        return Ok((units, names));
    }
    let mut unknown = Vec::new();
    for id in &input.lead_units {
        match org::get_unit(db, *id).await {
            Ok(u) if u.province_code == province => {
                names.push(u.name.clone());
                units.insert(u.id);
            }
            _ => unknown.push(*id),
        }
    }
    if !unknown.is_empty() {
        v.push("lead_units", not_in_province("Đơn vị chủ trì", &unknown));
    }
    for gid in &input.lead_groups {
        match org::get_group(db, *gid).await {
            Ok(g) if g.province_code == province => {
                names.push(g.name.clone());
                units.extend(
                    org::group_members(db, &g, &today)
                        .await?
                        .into_iter()
                        .map(|u| u.id),
                );
            }
            _ => v.push(
                "lead_groups",
                format!("Nhóm đơn vị #{gid} không thuộc tỉnh này."),
            ),
        }
    }
    Ok((units, names))
}

/// What task search matches: its number, title, units and product, folded.
pub(crate) fn task_search_key(
    ref_: &str,
    title: &str,
    lead: &str,
    coordinators: &str,
    product: &str,
) -> String {
    fold(&format!("{ref_} {title} {lead} {coordinators} {product}"))
}

/// The task's title, normalised, with its checks.
pub(crate) fn checked_title(title: &str, v: &mut Validator) -> String {
    let title = nfc(title);
    v.check(
        !title.is_empty(),
        "title",
        "Tên nhiệm vụ không được để trống.",
    );
    v.check(
        title.chars().count() <= 4000,
        "title",
        "Tên nhiệm vụ quá dài.",
    );
    title
}

pub async fn create_task(
    db: &Db,
    actor: &Actor,
    directive_id: i64,
    input: &TaskInput,
    today: NaiveDate,
) -> AppResult<i64> {
    let d = get_directive(db, directive_id).await?;
    policy::direct(actor, &d.province_code)?;
    if d.withdrawn_at.is_some() {
        return Err(AppError::Conflict(WITHDRAWN.into()));
    }
    let reference = d.reference_date(today);
    let mut v = Validator::default();
    let title = checked_title(&input.title, &mut v);
    v.check(
        !input.lead_units.is_empty() || !input.lead_groups.is_empty(),
        "lead_units",
        "Chọn ít nhất một đơn vị hoặc nhóm đơn vị chủ trì.",
    );
    let deadline = structured_deadline(input, reference, &mut v);
    let (leads, lead_names) = expand_leads(db, &d.province_code, input, today, &mut v).await?;
    let mut coord_names = Vec::new();
    let mut unknown = Vec::new();
    if input.coordinators.len() <= MAX_UNITS {
        for c in &input.coordinators {
            match org::get_unit(db, *c).await {
                Ok(u) if u.province_code == d.province_code => coord_names.push(u.name),
                _ => unknown.push(*c),
            }
        }
    }
    if !unknown.is_empty() {
        v.push("coordinators", not_in_province("Đơn vị phối hợp", &unknown));
    }
    if v.is_empty() && leads.is_empty() {
        v.push("lead_groups", "Nhóm đơn vị đã chọn chưa có đơn vị nào.");
    }
    v.finish()?;
    let lead_text = if input.lead_text.trim().is_empty() {
        lead_names.join("; ")
    } else {
        nfc(&input.lead_text)
    };
    let coord_text = if input.coordinators_text.trim().is_empty() {
        coord_names.join("; ")
    } else {
        nfc(&input.coordinators_text)
    };
    let product = nfc(&input.product);
    let search = task_search_key(&input.ref_, &title, &lead_text, &coord_text, &product);
    let recurring = deadline.is_recurring();
    let due = deadline.due_iso();
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    let id = crate::in_work!(work, |tx, audit| {
        let (id,): (i64,) = sqlx::query_as(INSERT_TASK)
            .bind(directive_id)
            .bind(input.ref_.trim())
            .bind(&title)
            .bind(&search)
            .bind(&lead_text)
            .bind(&coord_text)
            .bind(&deadline.text)
            .bind(deadline.kind.as_str())
            .bind(&due)
            .bind(deadline.recurrence.map(|r| r.as_str()))
            .bind(&product)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        for c in &input.coordinators {
            sqlx::query(INSERT_COORDINATOR)
                .bind(id)
                .bind(c)
                .execute(&mut *tx)
                .await?;
        }
        for u in &leads {
            sqlx::query(INSERT_ASSIGNMENT)
                .bind(id)
                .bind(u)
                .bind(directive_id)
                .bind(d.body_id)
                .bind(&d.province_code)
                .bind(&d.issued_on)
                .bind(&due)
                .bind(recurring)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
        }
        audit.push(crate::audit::Entry::new(actor, "create", "task", id).after(&serde_json::json!({
                "directive_id": directive_id, "title": title, "lead": lead_text, "deadline": deadline,
                "assignments": leads.len(), "product": product,
            })));
        id
    });
    work.touches(&d.province_code);
    work.commit().await?;
    Ok(id)
}

/// Corrects a task's wording, deadline or product. Lead units are not changed here (enter a
/// new task instead): the assignments stay, and those not extended follow the new deadline.
pub async fn update_task(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &TaskInput,
    today: NaiveDate,
) -> AppResult<()> {
    let (before, d) = get_task(db, id).await?;
    policy::direct(actor, &d.province_code)?;
    if before.withdrawn_at.is_some() {
        return Err(AppError::Conflict(WITHDRAWN.into()));
    }
    let reference = d.reference_date(today);
    let mut v = Validator::default();
    let title = checked_title(&input.title, &mut v);
    v.check(
        input.lead_units.is_empty()
            && input.lead_groups.is_empty()
            && input.coordinators.is_empty(),
        "lead_units",
        "Không đổi đơn vị chủ trì, phối hợp của nhiệm vụ đã giao; hãy nhập nhiệm vụ mới.",
    );
    let deadline = structured_deadline(input, reference, &mut v);
    v.finish()?;
    let lead_text = if input.lead_text.trim().is_empty() {
        before.lead_text.clone()
    } else {
        nfc(&input.lead_text)
    };
    let coord_text = nfc(&input.coordinators_text);
    let product = nfc(&input.product);
    let search = task_search_key(&input.ref_, &title, &lead_text, &coord_text, &product);
    let due = deadline.due_iso();
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query(
            "UPDATE tasks SET ref = $1, title = $2, title_fold = $3, lead_text = $4, coordinators_text = $5, deadline_text = $6, \
             deadline_kind = $7, deadline_due = $8, recurrence = $9, product = $10 WHERE id = $11",
        )
        .bind(input.ref_.trim())
        .bind(&title)
        .bind(&search)
        .bind(&lead_text)
        .bind(&coord_text)
        .bind(&deadline.text)
        .bind(deadline.kind.as_str())
        .bind(&due)
        .bind(deadline.recurrence.map(|r| r.as_str()))
        .bind(&product)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // Assignments keep an approved extension; the others take the new deadline.
        sqlx::query(
            "UPDATE assignments SET due_on = $1, recurring = $2 WHERE task_id = $3 \
             AND NOT EXISTS (SELECT 1 FROM extensions e WHERE e.assignment_id = assignments.id AND e.decision = 'approved')",
        )
        .bind(&due)
        .bind(deadline.is_recurring())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit.push(crate::audit::Entry::new(actor, "update", "task", id).before(&before).after(&serde_json::json!({
            "ref": input.ref_.trim(), "title": title, "lead_text": lead_text, "coordinators_text": coord_text,
            "deadline": deadline, "product": product})));
    });
    work.touches(&d.province_code);
    work.commit().await?;
    Ok(())
}

pub async fn get_task(db: &Db, id: i64) -> AppResult<(Task, Directive)> {
    let sql = format!("SELECT {TASK_COLS} FROM tasks t WHERE t.id = $1");
    let t: Option<Task> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    let t = t.ok_or(AppError::NotFound("nhiệm vụ"))?;
    let d = get_directive(db, t.directive_id).await?;
    Ok((t, d))
}

pub async fn directive_tasks(db: &Db, directive_id: i64) -> AppResult<Vec<(Task, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        t: Task,
        n: i64,
    }
    let sql = format!(
        "SELECT {TASK_COLS}, (SELECT COUNT(*) FROM assignments a WHERE a.task_id = t.id AND a.withdrawn_at IS NULL) AS n FROM tasks t WHERE t.directive_id = $1 ORDER BY t.id"
    );
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(directive_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(|r| (r.t, r.n)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quarter_is_read_as_it_is_typed() {
        for (typed, want) in [
            ("II/2026", Some((2026, 2))),
            ("Quý IV/2026", Some((2026, 4))),
            ("quy iii/2026", Some((2026, 3))),
            ("2/2026", Some((2026, 2))),
            ("Q1/2027", Some((2027, 1))),
            ("2026-Q3", Some((2026, 3))),
            ("V/2026", None),
            ("2026", None),
            ("II/26", None),
        ] {
            assert_eq!(super::quarter_value(typed), want, "{typed}");
        }
    }
}
