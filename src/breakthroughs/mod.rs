//! Breakthrough initiatives (khâu đột phá) and rank commitments, as example 003 asks for them:
//! a year's call for registrations (a dispatch such as "Công văn 867/UBND-SNV" naming the units
//! that must register, `calls`), each unit's registration — title, field, why it is a
//! breakthrough, targets tied to the indicator catalogue, solutions, a roadmap of milestones,
//! expected products, the responsible leader —, checked against the targets the unit was
//! already given (`quality`), submitted, accepted or returned with reasons, every version kept
//! (`review`); the province's own, proposed by the standing agencies and decided by the
//! committee, in the same form; an accepted registration's milestones become tasks of the
//! call's dispatch, tracked like any other, and its status rolls up from them (`tracking`);
//! each unit's commitment to a rank on the province's index, compared with the league tables
//! (`commitments`); and the year's emulation summary per unit (`emulation`).

pub mod calls;
pub mod commitments;
pub mod consolidation;
pub mod emulation;
pub mod quality;
pub mod review;
pub mod tracking;

pub use calls::Call;

use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult, Validator};
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::work::Work;
use crate::{in_work, with_db};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Cchc,
    Cds,
    Da06,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Cchc, Field::Cds, Field::Da06];
    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Cchc => "cchc",
            Field::Cds => "cds",
            Field::Da06 => "da06",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Field::Cchc => "Cải cách hành chính",
            Field::Cds => "Chuyển đổi số",
            Field::Da06 => "Đề án 06",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Submitted,
    Accepted,
    Returned,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Draft,
        State::Submitted,
        State::Accepted,
        State::Returned,
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
            State::Submitted => "submitted",
            State::Accepted => "accepted",
            State::Returned => "returned",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "Đang soạn",
            State::Submitted => "Đã gửi, chờ xem xét",
            State::Accepted => "Đã chấp thuận",
            State::Returned => "Trả lại để hoàn thiện",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            State::Draft => "st-late",
            State::Submitted => "st-prog",
            State::Accepted => "st-ok",
            State::Returned => "st-over",
        }
    }
}

/// A criterion and its target: tied to an indicator of the catalogue where one fits, with the
/// value aimed at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub criterion: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub target: Option<f64>,
}

/// A step of the roadmap: what, by when, producing what.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    /// ISO date.
    pub due_on: String,
    #[serde(default)]
    pub product: String,
}

/// A registration as it stands: its current version's content.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Breakthrough {
    pub id: i64,
    pub province_code: String,
    pub call_id: i64,
    pub year: i64,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub unit_kind: Option<String>,
    pub proposer_unit_id: Option<i64>,
    pub proposer_name: Option<String>,
    pub field: String,
    pub state: String,
    pub version: i64,
    pub decision_ref: String,
    pub title: String,
    pub rationale: String,
    pub solutions: String,
    pub products: String,
    pub leader: String,
    pub targets_json: String,
    pub milestones_json: String,
    pub submitted_at: Option<String>,
    pub reason: String,
    pub updated_at: String,
}

impl Breakthrough {
    pub fn state(&self) -> State {
        State::parse(&self.state)
    }
    pub fn field(&self) -> Field {
        Field::parse(&self.field).unwrap_or(Field::Cchc)
    }
    pub fn targets(&self) -> Vec<Target> {
        serde_json::from_str(&self.targets_json).unwrap_or_default()
    }
    pub fn milestones(&self) -> Vec<Milestone> {
        serde_json::from_str(&self.milestones_json).unwrap_or_default()
    }
    /// One of the province's own (no registering unit).
    pub fn is_province_own(&self) -> bool {
        self.unit_id.is_none()
    }
    /// Whose it is, as the lists name it.
    pub fn owner(&self) -> String {
        match (&self.unit_name, &self.proposer_name) {
            (Some(u), _) => u.clone(),
            (None, Some(p)) => format!("Của tỉnh (đề xuất: {p})"),
            (None, None) => "Của tỉnh".into(),
        }
    }
    pub fn scope(&self) -> policy::BreakthroughScope<'_> {
        policy::BreakthroughScope {
            province_code: &self.province_code,
            unit_id: self.unit_id,
            proposer_unit_id: self.proposer_unit_id,
        }
    }
    /// The unit whose tasks the milestones become: the registering unit, or the proposing
    /// standing agency for one of the province's own.
    pub fn lead_unit(&self) -> Option<i64> {
        self.unit_id.or(self.proposer_unit_id)
    }
}

pub(crate) const SELECT: &str = "SELECT b.id, b.province_code, b.call_id, b.year, b.unit_id, u.code AS unit_code, \
     u.name AS unit_name, u.kind AS unit_kind, b.proposer_unit_id, pu.name AS proposer_name, b.field, b.state, \
     b.version, b.decision_ref, v.title, v.rationale, v.solutions, v.products, v.leader, v.targets_json, \
     v.milestones_json, v.submitted_at, v.reason, b.updated_at \
     FROM breakthroughs b JOIN breakthrough_versions v ON v.breakthrough_id = b.id AND v.version = b.version \
     LEFT JOIN units u ON u.id = b.unit_id LEFT JOIN units pu ON pu.id = b.proposer_unit_id";

pub async fn get(db: &Db, id: i64) -> AppResult<Breakthrough> {
    crate::store::by_id(db, &format!("{SELECT} WHERE b.id = $1"), id)
        .await?
        .ok_or(AppError::NotFound("khâu đột phá"))
}

/// A registration the actor may read.
pub async fn read(db: &Db, actor: &Actor, id: i64) -> AppResult<Breakthrough> {
    let b = get(db, id).await?;
    policy::read_breakthrough(actor, &b.scope())?;
    Ok(b)
}

/// Every registration of a call, the province's own first, then by unit.
pub async fn of_call(db: &Db, call_id: i64) -> AppResult<Vec<Breakthrough>> {
    let sql = format!(
        "{SELECT} WHERE b.call_id = $1 ORDER BY b.unit_id IS NOT NULL, u.name_sort, b.field, b.id"
    );
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(call_id)
        .fetch_all(p)
        .await)?)
}

/// One version as it was written and decided.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Version {
    pub version: i64,
    pub title: String,
    pub saved_at: String,
    pub submitted_at: Option<String>,
    pub decision: String,
    pub reason: String,
    pub decided_at: Option<String>,
}

pub async fn versions(db: &Db, id: i64) -> AppResult<Vec<Version>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT version, title, saved_at, submitted_at, decision, reason, decided_at \
         FROM breakthrough_versions WHERE breakthrough_id = $1 ORDER BY version DESC"
    )
    .bind(id)
    .fetch_all(p)
    .await)?)
}

/// Whether a unit is the standing agency of one of its province's bodies.
pub async fn is_standing_agency(db: &Db, unit_id: Option<i64>) -> AppResult<bool> {
    let Some(u) = unit_id else {
        return Ok(false);
    };
    let n: (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM bodies WHERE standing_unit_id = $1"
    )
    .bind(u)
    .fetch_one(p)
    .await)?;
    Ok(n.0 > 0)
}

/// A registration as a unit (or the secretariat) writes it: JSON lists, or the form's rows
/// side by side (`target_criterion[i]`, `target_indicator[i]`, `target_value[i]`…).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistrationInput {
    /// The call; the province's call of this year when absent.
    #[serde(default)]
    pub call_id: Option<i64>,
    /// The registering unit; the actor's when absent.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// One of the province's own, proposed by a standing agency (`proposer_unit_id`, the
    /// actor's unit when absent).
    #[serde(default)]
    pub province_own: bool,
    #[serde(default)]
    pub proposer_unit_id: Option<i64>,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub solutions: String,
    #[serde(default)]
    pub products: String,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub target_criterion: Vec<String>,
    #[serde(default)]
    pub target_indicator: Vec<String>,
    #[serde(default)]
    pub target_value: Vec<String>,
    #[serde(default)]
    pub milestone_title: Vec<String>,
    #[serde(default)]
    pub milestone_due: Vec<String>,
    #[serde(default)]
    pub milestone_product: Vec<String>,
}

/// The longest free text of a registration (about ten pages).
pub const MAX_TEXT: usize = 20_000;
/// Targets and milestones a registration may have.
pub const MAX_ROWS: usize = 50;

/// A registration's content checked: every problem at once, each on its field.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub field: Field,
    pub title: String,
    pub rationale: String,
    pub solutions: String,
    pub products: String,
    pub leader: String,
    pub targets: Vec<Target>,
    pub milestones: Vec<Milestone>,
}

fn cell(v: &[String], i: usize) -> String {
    v.get(i).map(|s| nfc(s.trim())).unwrap_or_default()
}

/// Checks what was written against the catalogue and the call's year. Rows left blank are
/// dropped; the form's rows and the JSON lists are read the same.
pub fn check(i: &RegistrationInput, year: i32) -> AppResult<Content> {
    let mut v = Validator::default();
    let field = Field::parse(i.field.trim());
    v.check(
        field.is_some(),
        "field",
        "Chọn lĩnh vực: Cải cách hành chính, Chuyển đổi số hoặc Đề án 06.",
    );
    let title = nfc(i.title.trim());
    v.check(
        !title.is_empty(),
        "title",
        "Tên khâu đột phá không được để trống.",
    )
    .check(
        title.chars().count() <= 500,
        "title",
        "Tên khâu đột phá quá dài (tối đa 500 ký tự).",
    );
    for (name, text) in [
        ("rationale", &i.rationale),
        ("solutions", &i.solutions),
        ("products", &i.products),
        ("leader", &i.leader),
    ] {
        v.check(
            text.chars().count() <= MAX_TEXT,
            name,
            "Nội dung quá dài (tối đa 20.000 ký tự).",
        );
    }
    v.check(
        !i.rationale.trim().is_empty(),
        "rationale",
        "Nêu lý do đây là khâu đột phá (thực chất, cao hơn hoặc mới so với nhiệm vụ được giao).",
    )
    .check(
        !i.leader.trim().is_empty(),
        "leader",
        "Nêu lãnh đạo chịu trách nhiệm.",
    );
    let cat = crate::indicators::Catalogue::national();
    // the form's rows, then the JSON list
    let mut targets = Vec::new();
    let rows = i
        .target_criterion
        .len()
        .max(i.target_indicator.len())
        .max(i.target_value.len());
    let mut raw: Vec<(String, String, Result<Option<f64>, String>)> = (0..rows)
        .map(|r| {
            let value = cell(&i.target_value, r);
            let parsed = if value.is_empty() {
                Ok(None)
            } else {
                crate::reporting::template::parse_number(&value)
                    .map(Some)
                    .ok_or(value)
            };
            (
                cell(&i.target_criterion, r),
                cell(&i.target_indicator, r),
                parsed,
            )
        })
        .collect();
    raw.extend(i.targets.iter().map(|t| {
        (
            nfc(t.criterion.trim()),
            t.indicator.trim().to_string(),
            Ok(t.target),
        )
    }));
    for (criterion, indicator, value) in raw {
        if criterion.is_empty() && indicator.is_empty() && matches!(value, Ok(None)) {
            continue;
        }
        let n = targets.len() + 1;
        let f = format!("targets[{}]", n - 1);
        let ind = (!indicator.is_empty())
            .then(|| cat.indicator(&indicator))
            .flatten();
        if !indicator.is_empty() && ind.is_none() {
            v.push(
                &f,
                format!("Chỉ tiêu {n}: chỉ số «{indicator}» không có trong danh mục."),
            );
        }
        let criterion = match (criterion.is_empty(), ind) {
            (false, _) => criterion,
            (true, Some(ind)) => ind.name.clone(),
            (true, None) => {
                v.push(&f, format!("Chỉ tiêu {n}: nêu tiêu chí, chỉ tiêu."));
                String::new()
            }
        };
        let target = match value {
            Ok(t) => t,
            Err(text) => {
                v.push(
                    &f,
                    format!("Chỉ tiêu {n}: giá trị «{text}» không phải là số."),
                );
                None
            }
        };
        if ind.is_some() && target.is_none() {
            v.push(
                &f,
                format!("Chỉ tiêu {n}: nêu giá trị phấn đấu của chỉ số (%)."),
            );
        }
        if let (Some(_), Some(t)) = (ind, target) {
            if !(0.0..=100.0).contains(&t) {
                v.push(
                    &f,
                    format!("Chỉ tiêu {n}: giá trị của chỉ số là tỷ lệ phần trăm từ 0 đến 100."),
                );
            }
        }
        targets.push(Target {
            criterion,
            indicator: ind.map(|x| x.code.clone()).unwrap_or_default(),
            target,
        });
    }
    v.check(
        !targets.is_empty(),
        "targets",
        "Nêu ít nhất một tiêu chí, chỉ tiêu của khâu đột phá.",
    );
    let mut milestones = Vec::new();
    let rows = i
        .milestone_title
        .len()
        .max(i.milestone_due.len())
        .max(i.milestone_product.len());
    let mut raw: Vec<(String, String, String)> = (0..rows)
        .map(|r| {
            (
                cell(&i.milestone_title, r),
                cell(&i.milestone_due, r),
                cell(&i.milestone_product, r),
            )
        })
        .collect();
    raw.extend(i.milestones.iter().map(|m| {
        (
            nfc(m.title.trim()),
            m.due_on.trim().to_string(),
            nfc(m.product.trim()),
        )
    }));
    for (title, due, product) in raw {
        if title.is_empty() && due.is_empty() && product.is_empty() {
            continue;
        }
        let n = milestones.len() + 1;
        let f = format!("milestones[{}]", n - 1);
        if title.is_empty() {
            v.push(&f, format!("Mốc {n}: nêu nội dung công việc."));
        }
        let day = crate::store::parse_date(&due);
        match day {
            None => v.push(&f, format!("Mốc {n}: thời hạn không hợp lệ (dd/mm/yyyy).")),
            Some(d) if chrono::Datelike::year(&d) != year => {
                v.push(&f, format!("Mốc {n}: thời hạn phải trong năm {year}."))
            }
            Some(_) => {}
        }
        milestones.push(Milestone {
            title,
            due_on: day.map(|d| Day(d).iso()).unwrap_or_default(),
            product,
        });
    }
    v.check(
        !milestones.is_empty(),
        "milestones",
        "Nêu lộ trình: ít nhất một mốc công việc có thời hạn.",
    )
    .check(
        targets.len() <= MAX_ROWS && milestones.len() <= MAX_ROWS,
        "milestones",
        "Tối đa 50 chỉ tiêu và 50 mốc.",
    );
    v.finish()?;
    milestones.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    Ok(Content {
        field: field.unwrap_or(Field::Cchc),
        title,
        rationale: nfc(i.rationale.trim()),
        solutions: nfc(i.solutions.trim()),
        products: nfc(i.products.trim()),
        leader: nfc(i.leader.trim()),
        targets,
        milestones,
    })
}

fn entry(actor: &Actor, action: &'static str, b: i64, province: &str) -> crate::audit::Entry {
    crate::audit::Entry::new(actor, action, "breakthrough", b).in_province(province)
}

fn content_json(c: &Content) -> serde_json::Value {
    serde_json::json!({
        "field": c.field.as_str(), "title": c.title, "targets": c.targets, "milestones": c.milestones,
    })
}

async fn write_version(
    work: &mut Work<'_>,
    actor: &Actor,
    id: i64,
    version: i64,
    c: &Content,
    replace: bool,
) -> AppResult<()> {
    let now = work.now_utc();
    let targets = serde_json::to_string(&c.targets).unwrap_or_else(|_| "[]".into());
    let milestones = serde_json::to_string(&c.milestones).unwrap_or_else(|_| "[]".into());
    in_work!(work, |tx| {
        if replace {
            sqlx::query(
                "DELETE FROM breakthrough_versions WHERE breakthrough_id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO breakthrough_versions (breakthrough_id, version, title, rationale, solutions, products, leader, \
             targets_json, milestones_json, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(version)
        .bind(&c.title)
        .bind(&c.rationale)
        .bind(&c.solutions)
        .bind(&c.products)
        .bind(&c.leader)
        .bind(&targets)
        .bind(&milestones)
        .bind(actor.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Registers a breakthrough (a draft): a unit's, or one of the province's own. Refused when
/// the unit already registered one in that field for the call.
pub async fn register(
    db: &Db,
    actor: &Actor,
    i: &RegistrationInput,
    today: chrono::NaiveDate,
) -> AppResult<i64> {
    let province = crate::org::province_for(db, actor, None).await?;
    let call = match i.call_id {
        Some(id) => calls::get(db, id).await?,
        None => calls::of_year(db, &province, chrono::Datelike::year(&today))
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "call_id",
                    format!(
                        "Chưa có đợt đăng ký khâu đột phá năm {}: cơ quan thường trực phát động đợt đăng ký trước.",
                        chrono::Datelike::year(&today)
                    ),
                )
            })?,
    };
    policy::read_province(actor, &call.province_code)?;
    let (unit_id, proposer) = if i.province_own {
        let p = i.proposer_unit_id.or(actor.unit_id);
        (None, p)
    } else {
        (i.unit_id.or(actor.unit_id), None)
    };
    let scope = policy::BreakthroughScope {
        province_code: &call.province_code,
        unit_id,
        proposer_unit_id: proposer,
    };
    policy::register_breakthrough(actor, &scope, is_standing_agency(db, actor.unit_id).await?)?;
    let mut v = Validator::default();
    if !i.province_own && unit_id.is_none() {
        v.push("unit_id", "Chọn đơn vị đăng ký.");
    }
    for (f, u) in [("unit_id", unit_id), ("proposer_unit_id", proposer)] {
        if let Some(u) = u {
            if !crate::org::unit_in(db, u, &call.province_code).await? {
                v.push(f, "Đơn vị không thuộc tỉnh.");
            }
        }
    }
    if i.province_own && !is_standing_agency(db, proposer).await? {
        v.push(
            "proposer_unit_id",
            "Khâu đột phá của tỉnh do cơ quan thường trực một Ban Chỉ đạo đề xuất: chọn cơ quan thường trực.",
        );
    }
    let content = check(i, call.year as i32);
    let content = match (v.finish(), content) {
        (Ok(()), c) => c?,
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            return Err(AppError::Invalid(a));
        }
        (Err(e), _) => return Err(e),
    };
    let now = db.now_utc();
    let mut work = Work::begin(db).await?;
    let taken: Option<(i64,)> = in_work!(work, |tx| {
        sqlx::query_as(
        "SELECT id FROM breakthroughs WHERE call_id = $1 AND COALESCE(unit_id, 0) = COALESCE($2, 0) AND field = $3"
    )
    .bind(call.id)
    .bind(unit_id)
    .bind(content.field.as_str())
    .fetch_optional(&mut *tx)
    .await
    })?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!(
            "Đã có bản đăng ký khâu đột phá lĩnh vực {} năm {} của {}: mở bản đó để sửa.",
            content.field.label(),
            call.year,
            if unit_id.is_some() {
                "đơn vị"
            } else {
                "tỉnh"
            }
        )));
    }
    let id: i64 = in_work!(work, |tx| sqlx::query_as::<_, (i64,)>(
        "INSERT INTO breakthroughs (province_code, call_id, year, unit_id, proposer_unit_id, field, state, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', 1, $7, $7) RETURNING id"
    )
    .bind(&call.province_code)
    .bind(call.id)
    .bind(call.year)
    .bind(unit_id)
    .bind(proposer)
    .bind(content.field.as_str())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await)?
    .0;
    write_version(&mut work, actor, id, 1, &content, false).await?;
    work.audit(entry(actor, "register", id, &call.province_code).after(&content_json(&content)));
    work.commit().await?;
    Ok(id)
}

/// Rewrites a registration: a draft in place; a returned one becomes the next version (the
/// returned version stays as it was, with its reason). A submitted or accepted one is not
/// changed.
pub async fn update(db: &Db, actor: &Actor, id: i64, i: &RegistrationInput) -> AppResult<()> {
    let b = get(db, id).await?;
    policy::register_breakthrough(
        actor,
        &b.scope(),
        is_standing_agency(db, actor.unit_id).await?,
    )?;
    let mut content = check(i, b.year as i32)?;
    if content.field != b.field() {
        // the field names the registration; another field is another registration
        content.field = b.field();
    }
    let now = db.now_utc();
    let mut work = Work::begin(db).await?;
    let (next, replace) = match b.state() {
        State::Draft => (b.version, true),
        State::Returned => (b.version + 1, false),
        s => {
            return Err(AppError::Conflict(format!(
                "Bản đăng ký «{}» không sửa được: {}.",
                b.title,
                s.label().to_lowercase()
            )))
        }
    };
    let n = in_work!(work, |tx| {
        sqlx::query(
        "UPDATE breakthroughs SET state = 'draft', version = $1, updated_at = $2 WHERE id = $3 AND state = $4 AND version = $5"
    )
    .bind(next)
    .bind(&now)
    .bind(id)
    .bind(b.state().as_str())
    .bind(b.version)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::Conflict(
            "Bản đăng ký vừa được thay đổi: tải lại trang để xem bản mới nhất.".into(),
        ));
    }
    write_version(&mut work, actor, id, next, &content, replace).await?;
    work.audit(
        entry(actor, "update", id, &b.province_code)
            .before(&serde_json::json!({"version": b.version, "state": b.state}))
            .after(&content_json(&content)),
    );
    work.commit().await?;
    Ok(())
}
