//! Periodic reporting: a unit's requests and submissions, the receiver's decisions, consolidation.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ok, J, R};
use crate::auth::Actor;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::{P, Q};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/requests", get(report_requests))
        .route(
            "/api/v1/reports/requests/{id}",
            get(report_request).put(report_request_save),
        )
        .route(
            "/api/v1/reports/requests/{id}/decision",
            post(report_decide),
        )
        .route(
            "/api/v1/reports/schedules/{id}/consolidation",
            get(report_consolidation),
        )
}

// ---- periodic reporting ----

/// The caller's unit's report requests (owed first), and those it receives awaiting a decision.
async fn report_requests(State(st): State<AppState>, actor: Actor) -> R {
    let unit = actor.unit_id.ok_or(AppError::NotFound("đơn vị"))?;
    ok(json!({
        "requests": crate::reporting::unit_requests(&st.db, unit, 200).await?,
        "awaiting_decision": crate::reporting::awaiting_decision(&st.db, unit).await?,
    }))
}

/// A request with its template's fields, the values to start from, and its history.
async fn report_request(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let r = crate::reporting::read_request(&st.db, &actor, id).await?;
    let s = crate::reporting::schedule::get_schedule(&st.db, r.schedule_id).await?;
    let t = crate::reporting::schedule::get_template(&st.db, s.template_id).await?;
    let (values, prefilled) = crate::reporting::starting_values(&st.db, &r).await?;
    let history = crate::reporting::history(&st.db, r.id).await?;
    ok(
        json!({"request": r, "fields": t.fields, "values": values, "prefilled": prefilled, "history": history}),
    )
}

#[derive(Deserialize)]
struct ReportValues {
    values: std::collections::BTreeMap<String, Value>,
    #[serde(default)]
    submit: bool,
}

/// Saves a draft, or submits (`"submit": true`). Numbers may be sent as JSON numbers.
async fn report_request_save(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<ReportValues>,
) -> R {
    let values: crate::reporting::Values = b
        .values
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, s)
        })
        .collect();
    let now = st.clock.now();
    if b.submit {
        let late = crate::reporting::submit(&st.db, &actor, id, &values, now).await?;
        ok(json!({"state": "submitted", "late": late}))
    } else {
        crate::reporting::save_draft(&st.db, &actor, id, &values, now).await?;
        ok(json!({"state": "draft"}))
    }
}

#[derive(Deserialize)]
struct ReportDecision {
    accept: bool,
    #[serde(default)]
    note: String,
}

async fn report_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<ReportDecision>,
) -> R {
    crate::reporting::decide(&st.db, &actor, id, b.accept, &b.note, st.clock.now()).await?;
    ok(json!({"state": if b.accept { "accepted" } else { "returned" }}))
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

/// Every level of the cascade under a schedule for a period (default: the current one).
async fn report_consolidation(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> R {
    let (s, p, cal) = crate::reporting::schedule::read_period(
        &st.db,
        &actor,
        id,
        q.period.as_deref(),
        st.clock.today_vn(),
    )
    .await?;
    let levels = crate::reporting::consolidation::cascade(&st.db, &s, &p.key).await?;
    let summary: Vec<Value> = levels
        .iter()
        .map(|l| {
            let c = &l.consolidation;
            json!({
                "depth": l.depth, "schedule_id": c.schedule_id, "schedule": c.schedule_name,
                "receiver": c.receiver_name, "expected": c.expected(), "submitted": c.submitted(),
                "on_time": c.on_time(), "late": c.late(), "completeness": c.completeness(),
                "timeliness": c.timeliness(),
                "figures": c.fields.iter().filter(|f| f.kind != crate::reporting::template::FieldKind::Narrative)
                    .map(|f| (f.key.clone(), json!(c.figure(f)))).collect::<serde_json::Map<_, _>>(),
                "missing": c.missing().iter().map(|r| json!({"unit_code": r.unit_code, "unit": r.unit_name, "returned": r.returns > 0})).collect::<Vec<_>>(),
            })
        })
        .collect();
    ok(
        json!({"period": p.key, "label": p.label(), "due_on": s.due_on(&p, &cal), "levels": summary}),
    )
}
