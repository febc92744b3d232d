//! Publishing a reviewed import: the directive, its tasks and their assignments in one
//! transaction, so that a rejected field or a crash leaves nothing half-created. Unit
//! phrases are resolved again from what the reviewer left in the form, against the
//! province's registry in the database (custom groups included).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::units::{Registry, RegistryUnit, UnitRef};
use crate::auth::{policy, Actor};
use crate::deadline::Deadline;
use crate::directives::{self, DirectiveInput};
use crate::error::{AppError, AppResult, Validator};
use crate::org;
use crate::store::Db;
use crate::text::nfc;

/// A task as the reviewer left it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ReviewedTask {
    #[serde(default = "yes")]
    pub include: bool,
    #[serde(default, rename = "ref")]
    pub ref_: String,
    pub title: String,
    /// The lead phrase ("Sở Nội vụ; UBND cấp xã") or unit codes ("75.SNV; 75.XA").
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub coordinators: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub product: String,
    /// Proposed from a passage that reads like an assignment but was not understood
    /// (`leftover`): unticked until the reviewer says it is a task and names its lead.
    #[serde(default)]
    pub unsure: bool,
}

fn yes() -> bool {
    true
}

/// The whole review: directive fields, the source text, the tasks.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Reviewed {
    #[serde(flatten)]
    pub directive: DirectiveInput,
    pub tasks: Vec<ReviewedTask>,
    /// What to do when the province has already published this document (same number and
    /// date): "update" adds the tasks it does not hold yet to that directive, "new" creates a
    /// second directive anyway; empty refuses, so a re-import never doubles silently.
    #[serde(default)]
    pub if_published: String,
}

/// A directive of the province with the same number and date: the document published
/// before, which a new import of it would double.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Published {
    pub id: i64,
    pub number: String,
    pub issued_on: String,
    pub summary: String,
    pub tasks: i64,
}

pub async fn already_published(
    db: &Db,
    province: &str,
    number: &str,
    issued_on: &str,
) -> AppResult<Option<Published>> {
    let number = number.trim();
    // a date as the review form sends it back ("21/05/2025") or as stored
    let Some(issued_on) =
        crate::store::parse_date(issued_on).map(|d| d.format("%Y-%m-%d").to_string())
    else {
        return Ok(None);
    };
    if number.is_empty() {
        return Ok(None);
    }
    let sql = "SELECT d.id, d.number, d.issued_on, d.summary, \
               (SELECT COUNT(*) FROM tasks t WHERE t.directive_id = d.id) AS tasks \
               FROM directives d WHERE d.province_code = $1 AND LOWER(d.number) = LOWER($2) \
               AND d.issued_on = $3 ORDER BY d.id LIMIT 1";
    Ok(crate::with_db!(db, |p| sqlx::query_as(sql)
        .bind(province)
        .bind(number)
        .bind(&issued_on)
        .fetch_optional(p)
        .await)?)
}

impl Reviewed {
    /// The directive this review's document was published as before, if any.
    pub async fn published_before(&self, db: &Db) -> AppResult<Option<Published>> {
        let d = &self.directive;
        already_published(db, &d.province_code, &d.number, &d.issued_on).await
    }
}

/// The registry of a province from the database: its units and groups as they are now.
pub async fn registry_for(db: &Db, province: &str) -> AppResult<Registry> {
    Ok(ProvinceUnits::load(db, province).await?.registry)
}

/// A province's units and groups, read once: the registry that resolves phrases, and the
/// ids that assignments need.
struct ProvinceUnits {
    registry: Registry,
    unit_ids: HashMap<String, i64>,
    groups: Vec<org::UnitGroup>,
}

impl ProvinceUnits {
    async fn load(db: &Db, province: &str) -> AppResult<ProvinceUnits> {
        let units = org::province_units(db, province).await?;
        let groups = org::list_groups(db, Some(province)).await?;
        let name = units
            .iter()
            .find(|u| u.kind == "province")
            .map(|u| u.name.trim_start_matches("UBND ").to_string())
            .unwrap_or_else(|| format!("Tỉnh {province}"));
        let registry = Registry::new(
            province,
            &name,
            units.iter().map(|u| RegistryUnit {
                code: &u.code,
                name: &u.name,
                kind: &u.kind,
            }),
            groups.iter().map(|g| (g.code.as_str(), g.name.as_str())),
        );
        let unit_ids = units.into_iter().map(|u| (u.code, u.id)).collect();
        Ok(ProvinceUnits {
            registry,
            unit_ids,
            groups,
        })
    }
}

/// A task ready to insert: its fields and the units that receive an assignment.
pub(crate) struct Planned {
    pub(crate) ref_: String,
    pub(crate) title: String,
    pub(crate) lead_text: String,
    pub(crate) coordinators_text: String,
    pub(crate) deadline: Deadline,
    pub(crate) product: String,
    pub(crate) leads: BTreeSet<i64>,
    pub(crate) coordinators: BTreeSet<i64>,
}

/// A directive's checked fields, as `directives::clean_directive` returns them.
pub(crate) struct CleanDirective<'a> {
    pub(crate) input: &'a DirectiveInput,
    pub(crate) issued: String,
    pub(crate) number: String,
    pub(crate) summary: String,
}

/// Inserts a directive with its planned tasks and their assignments inside `work`: the
/// import's publication and a meeting's notice of conclusions share it. Returns the
/// directive's id, its tasks' ids in order, and the number of assignments.
pub(crate) async fn insert_planned(
    work: &mut crate::work::Work<'_>,
    actor: &Actor,
    c: &CleanDirective<'_>,
    planned: &[Planned],
) -> AppResult<(i64, Vec<i64>, usize)> {
    let (d, issued, number, summary) = (c.input, &c.issued, &c.number, &c.summary);
    let now = work.now_utc();
    let out = crate::in_work!(work, |tx| {
        let (id,): (i64,) = sqlx::query_as(directives::INSERT_DIRECTIVE)
            .bind(d.body_id)
            .bind(&d.province_code)
            .bind(&d.kind)
            .bind(number)
            .bind(issued)
            .bind(nfc(&d.issuer))
            .bind(nfc(&d.signer))
            .bind(summary)
            .bind(crate::text::fold(&format!("{number} {summary}")))
            .bind(nfc(&d.body_text))
            .bind(d.parent_id)
            .bind(actor.user_id)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        Ok::<_, sqlx::Error>(id)
    })?;
    let into = Into {
        directive_id: out,
        body_id: d.body_id,
        province_code: &d.province_code,
        issued_on: issued,
    };
    let (tasks, assignments) = insert_tasks(work, &into, planned).await?;
    Ok((out, tasks, assignments))
}

/// The directive tasks are added to: its id and what its assignments copy from it.
pub(crate) struct Into<'a> {
    pub(crate) directive_id: i64,
    pub(crate) body_id: Option<i64>,
    pub(crate) province_code: &'a str,
    pub(crate) issued_on: &'a str,
}

/// Inserts planned tasks and their assignments under an existing directive inside `work` (a
/// new directive's, or a call for breakthroughs whose accepted milestones join it). Returns the
/// tasks' ids in order and the number of assignments.
pub(crate) async fn insert_tasks(
    work: &mut crate::work::Work<'_>,
    to: &Into<'_>,
    planned: &[Planned],
) -> AppResult<(Vec<i64>, usize)> {
    let now = work.now_utc();
    let out = crate::in_work!(work, |tx| {
        let mut assignments = 0;
        let mut tasks = Vec::with_capacity(planned.len());
        for t in planned {
            let due = t.deadline.due_iso();
            let (task_id,): (i64,) = sqlx::query_as(directives::INSERT_TASK)
                .bind(to.directive_id)
                .bind(&t.ref_)
                .bind(&t.title)
                .bind(directives::task_search_key(
                    &t.ref_,
                    &t.title,
                    &t.lead_text,
                    &t.coordinators_text,
                    &t.product,
                ))
                .bind(&t.lead_text)
                .bind(&t.coordinators_text)
                .bind(&t.deadline.text)
                .bind(t.deadline.kind.as_str())
                .bind(&due)
                .bind(t.deadline.recurrence.map(|r| r.as_str()))
                .bind(&t.product)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
            tasks.push(task_id);
            for c in &t.coordinators {
                sqlx::query(directives::INSERT_COORDINATOR)
                    .bind(task_id)
                    .bind(c)
                    .execute(&mut *tx)
                    .await?;
            }
            for u in &t.leads {
                sqlx::query(directives::INSERT_ASSIGNMENT)
                    .bind(task_id)
                    .bind(u)
                    .bind(to.directive_id)
                    .bind(to.body_id)
                    .bind(to.province_code)
                    .bind(to.issued_on)
                    .bind(&due)
                    .bind(t.deadline.is_recurring())
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                assignments += 1;
            }
        }
        Ok::<_, sqlx::Error>((tasks, assignments))
    })?;
    work.touches(to.province_code);
    Ok(out)
}

/// Checks a review against the registry: every included task needs a title and lead
/// units that all resolve. Returns the tasks to insert, or every problem at once.
async fn plan(
    db: &Db,
    p: &ProvinceUnits,
    tasks: &[ReviewedTask],
    reference: NaiveDate,
    today: NaiveDate,
    v: &mut Validator,
) -> AppResult<Vec<Planned>> {
    let (reg, unit_ids, groups) = (&p.registry, &p.unit_ids, &p.groups);
    let today = today.format("%Y-%m-%d").to_string();
    let mut members: HashMap<String, Vec<i64>> = HashMap::new();
    let mut out = Vec::new();
    for (i, t) in tasks.iter().enumerate().filter(|(_, t)| t.include) {
        let n = i + 1;
        let field = format!("tasks[{i}]");
        let mut tv = Validator::default();
        let title = directives::checked_title(&t.title, &mut tv);
        if !tv.is_empty() {
            v.push(
                &field,
                format!("Nhiệm vụ {n}: tên nhiệm vụ không được để trống."),
            );
        }
        let lead = reg.resolve(&t.lead);
        let unresolved: Vec<&UnitRef> = lead.iter().filter(|u| u.unit.is_none()).collect();
        if lead.is_empty() {
            v.push(&field, format!("Nhiệm vụ {n}: chưa có đơn vị chủ trì."));
        } else if unresolved.len() == lead.len() {
            // Nobody to assign it to. A phrase beside a known unit ("Sở Y tế; VNPT") stays
            // in the task's lead text without an assignment.
            v.push(
                &field,
                format!(
                    "Nhiệm vụ {n}: chưa xác định được đơn vị chủ trì «{}» — sửa tên đơn vị, nhập mã đơn vị hoặc bỏ chọn nhiệm vụ.",
                    unresolved.iter().map(|u| u.text.as_str()).collect::<Vec<_>>().join("», «")
                ),
            );
        }
        let mut leads = BTreeSet::new();
        for u in lead.iter().filter_map(|u| u.unit.as_deref()) {
            if let Some(id) = unit_ids.get(u) {
                leads.insert(*id);
            } else if let Some(g) = groups.iter().find(|g| g.code == u) {
                if !members.contains_key(u) {
                    let m = org::group_members(db, g, &today).await?;
                    members.insert(u.to_string(), m.into_iter().map(|x| x.id).collect());
                }
                leads.extend(members[u].iter().copied());
            } else {
                v.push(
                    &field,
                    format!("Nhiệm vụ {n}: đơn vị {u} không có trong danh mục của tỉnh."),
                );
            }
        }
        if leads.is_empty() && unresolved.len() < lead.len() {
            v.push(
                &field,
                format!("Nhiệm vụ {n}: nhóm đơn vị chủ trì chưa có đơn vị nào."),
            );
        }
        // Coordinators that match a unit are linked; the rest stay in the text.
        let coordinators: BTreeSet<i64> = reg
            .resolve(&t.coordinators)
            .iter()
            .filter_map(|u| u.unit.as_deref().and_then(|c| unit_ids.get(c).copied()))
            .collect();
        out.push(Planned {
            ref_: t.ref_.trim().to_string(),
            title,
            lead_text: nfc(&t.lead),
            coordinators_text: nfc(&t.coordinators),
            deadline: Deadline::parse(&nfc(&t.deadline), reference),
            product: nfc(&t.product),
            leads,
            coordinators,
        });
    }
    // proposals left unticked are not a choice of "none": a document whose only rows are
    // such proposals is published with no task, as one where none was read
    if tasks.iter().any(|t| !t.unsure) && tasks.iter().all(|t| !t.include) {
        v.push("tasks", "Chưa chọn nhiệm vụ nào để xuất bản.");
    }
    Ok(out)
}

/// Creates the directive, its tasks and their assignments from a review, all or nothing.
/// Returns the new directive's id.
pub async fn publish(db: &Db, actor: &Actor, r: &Reviewed, today: NaiveDate) -> AppResult<i64> {
    let d = &r.directive;
    policy::direct(actor, &d.province_code)?;
    let mut v = Validator::default();
    let checked = directives::clean_directive(db, d).await;
    let (issued, number, summary) = match checked {
        Ok(x) => x,
        Err(AppError::Invalid(fields)) => {
            for f in fields {
                v.push(&f.field, f.message);
            }
            (String::new(), String::new(), String::new())
        }
        Err(e) => return Err(e),
    };
    let reference = NaiveDate::parse_from_str(&issued, "%Y-%m-%d").unwrap_or(today);
    let province = ProvinceUnits::load(db, &d.province_code).await?;
    let mut planned = plan(db, &province, &r.tasks, reference, today, &mut v).await?;
    let before = already_published(db, &d.province_code, &number, &issued).await?;
    if let Some(p) = &before {
        if !matches!(r.if_published.as_str(), "update" | "new") {
            v.push(
                "if_published",
                format!(
                    "Văn bản {} ngày {} đã được xuất bản (#{}, {} nhiệm vụ): chọn cập nhật nhiệm vụ vào văn bản đó hoặc vẫn tạo văn bản mới.",
                    p.number,
                    crate::store::show_date(&p.issued_on),
                    p.id,
                    p.tasks
                ),
            );
        }
    }
    v.finish()?;
    if let (Some(p), "update") = (&before, r.if_published.as_str()) {
        // Only the tasks the published directive does not hold yet (by title).
        let held: std::collections::HashSet<String> = directives::directive_tasks(db, p.id)
            .await?
            .into_iter()
            .map(|(t, _)| crate::text::fold(&t.title))
            .collect();
        planned.retain(|t| !held.contains(&crate::text::fold(&t.title)));
        let mut work = crate::work::Work::begin(db).await?;
        let into = Into {
            directive_id: p.id,
            body_id: d.body_id,
            province_code: &d.province_code,
            issued_on: &issued,
        };
        let (_, assignments) = insert_tasks(&mut work, &into, &planned).await?;
        work.audit(
            crate::audit::Entry::new(actor, "import_update", "directive", p.id).after(
                &serde_json::json!({
                    "tasks_added": planned.len(), "assignments": assignments,
                    "titles": planned.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
                }),
            ),
        );
        work.commit().await?;
        return Ok(p.id);
    }

    let mut work = crate::work::Work::begin(db).await?;
    let clean = CleanDirective {
        input: d,
        issued,
        number,
        summary,
    };
    let (id, _, assignments) = insert_planned(&mut work, actor, &clean, &planned).await?;
    work.audit(
        crate::audit::Entry::new(actor, "import", "directive", id).after(&serde_json::json!({
            "kind": d.kind, "number": clean.number, "issued_on": clean.issued, "issuer": d.issuer,
            "summary": clean.summary, "tasks": planned.len(), "assignments": assignments,
            "titles": planned.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        })),
    );
    work.commit().await?;
    Ok(id)
}

/// A review pre-filled from an extraction, as the review screen first shows it.
pub fn review_of(x: &super::Extraction, province: &str, body_id: Option<i64>) -> Reviewed {
    let d = &x.directive;
    Reviewed {
        directive: DirectiveInput {
            body_id,
            province_code: province.to_string(),
            kind: if directives::KINDS.iter().any(|k| k.0 == d.kind) {
                d.kind.clone()
            } else {
                "plan".to_string()
            },
            number: d.number.clone(),
            issued_on: d
                .date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            issuer: d.issuer.clone(),
            signer: d.signer.clone(),
            summary: d.summary.clone(),
            body_text: x.text.clone(),
            parent_id: None,
        },
        tasks: x
            .tasks
            .iter()
            .map(|t| ReviewedTask {
                include: true,
                ref_: t.ref_.clone(),
                title: t.title.clone(),
                lead: t.lead_text.clone(),
                coordinators: t.coordinators_text.clone(),
                deadline: t.deadline.text.clone(),
                product: t.product.clone(),
                unsure: false,
            })
            .chain(x.unassigned.iter().map(|u| ReviewedTask {
                include: false,
                title: super::clean_title(&u.text),
                unsure: true,
                ..Default::default()
            }))
            .collect(),
        if_published: String::new(),
    }
}
