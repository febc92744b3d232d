//! A registration's way through: draft → submitted → accepted, or returned with reasons (the
//! returned version is kept; the unit's next save is a new version, which it submits again).
//! Accepting publishes the milestones as tasks of the call's dispatch, led by the registering
//! unit (the proposing standing agency for one of the province's own), in the same
//! transaction. Every change is conditional on the state read: of two decisions sent at once,
//! one wins and the other is told so.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{get, is_standing_agency, Breakthrough, State};
use crate::auth::{policy, Actor};
use crate::deadline::Deadline;
use crate::error::{AppError, AppResult};
use crate::import::publish::{insert_tasks, Into, Planned};
use crate::in_work;
use crate::store::{Day, Db};
use crate::work::Work;

fn moved() -> AppError {
    AppError::Conflict("Bản đăng ký vừa được thay đổi: tải lại trang để xem bản mới nhất.".into())
}

/// Moves a registration from `from` to `to` inside `work`, or refuses when another change came
/// first.
/// `decision_ref`: the committee's decision recorded with an acceptance (kept when `None`).
async fn step(
    work: &mut Work<'_>,
    b: &Breakthrough,
    from: State,
    to: State,
    decision_ref: Option<&str>,
) -> AppResult<()> {
    let now = work.now_utc();
    let n = in_work!(work, |tx| {
        sqlx::query(
        "UPDATE breakthroughs SET state = $1, updated_at = $2, decision_ref = COALESCE($6, decision_ref) \
         WHERE id = $3 AND state = $4 AND version = $5"
    )
    .bind(to.as_str())
    .bind(&now)
    .bind(b.id)
    .bind(from.as_str())
    .bind(b.version)
    .bind(decision_ref)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(moved());
    }
    Ok(())
}

/// Sends a draft for review at `now` (the server's clock: whether it came in time is read
/// from it).
pub async fn submit(
    db: &Db,
    actor: &Actor,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let b = get(db, id).await?;
    policy::register_breakthrough(
        actor,
        &b.scope(),
        is_standing_agency(db, actor.unit_id).await?,
    )?;
    match b.state() {
        State::Draft => {}
        State::Returned => {
            return Err(AppError::Conflict(
                "Bản đăng ký đã bị trả lại: hoàn thiện theo ý kiến rồi lưu, sau đó gửi lại.".into(),
            ))
        }
        s => {
            return Err(AppError::Conflict(format!(
                "Bản đăng ký đã gửi trước đó ({}).",
                s.label().to_lowercase()
            )))
        }
    }
    let mut work = Work::begin(db).await?;
    step(&mut work, &b, State::Draft, State::Submitted, None).await?;
    in_work!(work, |tx| {
        sqlx::query(
        "UPDATE breakthrough_versions SET submitted_at = $1 WHERE breakthrough_id = $2 AND version = $3"
    )
    .bind(crate::clock::stored(now))
    .bind(b.id)
    .bind(b.version)
    .execute(&mut *tx)
    .await
    .map(|_| ())
    })?;
    work.audit(
        super::entry(actor, "submit", id, &b.province_code)
            .after(&serde_json::json!({"version": b.version})),
    );
    work.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Decision {
    /// Why it is returned (required to return).
    #[serde(default)]
    pub reason: String,
    /// The committee's decision, for one of the province's own ("Kết luận tại phiên họp …").
    #[serde(default)]
    pub decision_ref: String,
}

async fn decide(db: &Db, actor: &Actor, id: i64) -> AppResult<Breakthrough> {
    let b = get(db, id).await?;
    policy::review_breakthroughs(actor, &b.province_code)?;
    if b.state() != State::Submitted {
        return Err(AppError::Conflict(format!(
            "Chỉ xem xét bản đăng ký đã gửi (hiện: «{}»).",
            b.state().label()
        )));
    }
    Ok(b)
}

async fn record(
    work: &mut Work<'_>,
    actor: &Actor,
    b: &Breakthrough,
    decision: &str,
    reason: &str,
) -> AppResult<()> {
    let now = work.now_utc();
    in_work!(work, |tx| {
        sqlx::query(
        "UPDATE breakthrough_versions SET decision = $1, reason = $2, decided_by = $3, decided_at = $4 \
         WHERE breakthrough_id = $5 AND version = $6"
    )
    .bind(decision)
    .bind(reason)
    .bind(actor.user_id)
    .bind(&now)
    .bind(b.id)
    .bind(b.version)
    .execute(&mut *tx)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Returns a submitted registration to its unit with the reasons.
pub async fn return_(db: &Db, actor: &Actor, id: i64, d: &Decision) -> AppResult<()> {
    let b = decide(db, actor, id).await?;
    let reason = crate::text::nfc(d.reason.trim());
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Nêu lý do trả lại để đơn vị hoàn thiện.",
        ));
    }
    if reason.chars().count() > super::MAX_TEXT {
        return Err(AppError::invalid(
            "reason",
            "Lý do quá dài (tối đa 20.000 ký tự).",
        ));
    }
    let mut work = Work::begin(db).await?;
    step(&mut work, &b, State::Submitted, State::Returned, None).await?;
    record(&mut work, actor, &b, "returned", &reason).await?;
    work.audit(
        super::entry(actor, "return", id, &b.province_code)
            .after(&serde_json::json!({"version": b.version, "reason": reason})),
    );
    work.commit().await?;
    Ok(())
}

/// Accepts a submitted registration: its milestones become tasks of the call's dispatch, led
/// by the registering unit. One of the province's own needs the committee's decision.
/// Returns the tasks' ids.
pub async fn accept(
    db: &Db,
    actor: &Actor,
    id: i64,
    d: &Decision,
    today: NaiveDate,
) -> AppResult<Vec<i64>> {
    let b = decide(db, actor, id).await?;
    let decision_ref = crate::text::nfc(d.decision_ref.trim());
    if b.is_province_own() && decision_ref.is_empty() {
        return Err(AppError::invalid(
            "decision_ref",
            "Khâu đột phá của tỉnh do Ban Chỉ đạo quyết định: ghi văn bản, phiên họp quyết định.",
        ));
    }
    let Some(lead) = b.lead_unit() else {
        return Err(AppError::invalid(
            "decision_ref",
            "Chưa có đơn vị chủ trì thực hiện các mốc.",
        ));
    };
    let call = super::calls::get(db, b.call_id).await?;
    let directive = crate::directives::get_directive(db, call.directive_id).await?;
    let lead_name = b
        .unit_name
        .clone()
        .or_else(|| b.proposer_name.clone())
        .unwrap_or_default();
    let milestones = b.milestones();
    let planned: Vec<Planned> = milestones
        .iter()
        .enumerate()
        .map(|(n, m)| {
            let due = crate::store::parse_date(&m.due_on).unwrap_or(today);
            Planned {
                ref_: format!("ĐP{}.{}", b.id, n + 1),
                title: format!("{} (khâu đột phá «{}»)", m.title, b.title),
                lead_text: lead_name.clone(),
                coordinators_text: String::new(),
                deadline: Deadline::parse(&Day(due).show(), due),
                product: m.product.clone(),
                leads: BTreeSet::from([lead]),
                coordinators: BTreeSet::new(),
            }
        })
        .collect();
    let mut work = Work::begin(db).await?;
    step(
        &mut work,
        &b,
        State::Submitted,
        State::Accepted,
        Some(&decision_ref),
    )
    .await?;
    let into = Into {
        directive_id: directive.id,
        body_id: directive.body_id,
        province_code: &directive.province_code,
        issued_on: &directive.issued_on,
    };
    let (tasks, _) = insert_tasks(&mut work, &into, &planned).await?;
    for (n, (m, t)) in milestones.iter().zip(&tasks).enumerate() {
        in_work!(work, |tx| {
            sqlx::query(
            "INSERT INTO breakthrough_milestones (breakthrough_id, position, title, due_on, product, task_id) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(b.id)
        .bind(n as i64 + 1)
        .bind(&m.title)
        .bind(&m.due_on)
        .bind(&m.product)
        .bind(t)
        .execute(&mut *tx)
        .await
        .map(|_| ())
        })?;
    }
    record(&mut work, actor, &b, "accepted", "").await?;
    work.audit(
        super::entry(actor, "accept", id, &b.province_code).after(&serde_json::json!({
            "version": b.version, "tasks": tasks, "decision_ref": decision_ref,
        })),
    );
    work.commit().await?;
    Ok(tasks)
}
