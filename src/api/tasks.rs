//! A task and its assignments: what a unit owes, progress, reviews, extensions, evidence.

use axum::extract::{FromRequest, Request, State};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::{ok, ScopeQuery, J, R};
use crate::auth::Actor;
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{as_of, Done, In, P, Q};
use crate::tracking::{self};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/tasks/{id}",
            get(task_get).put(super::directives::task_update),
        )
        .route("/api/v1/my", get(my))
        .route("/api/v1/assignments/{id}", get(assignment_get))
        .route(
            "/api/v1/assignments/{id}/progress",
            post(progress_post).layer(axum::extract::DefaultBodyLimit::max(
                tracking::MAX_PROGRESS_REQUEST_BYTES,
            )),
        )
        .route("/api/v1/attachments/{id}", get(attachment_get))
        .route("/api/v1/assignments/{id}/review", post(review_post))
        .route("/api/v1/assignments/reviews", post(reviews_post))
        .route("/api/v1/assignments/{id}/reopen", post(reopen_post))
        .route("/api/v1/assignments/{id}/extensions", post(extension_post))
        .route("/api/v1/extensions/{id}/decision", post(extension_decide))
}

async fn task_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    let tracking::TaskView {
        task: t,
        directive: d,
        assignments: all,
        period,
        reported,
    } = tracking::task_for(&st.db, &actor, id, day).await?;
    let assignments: Vec<Value> = all
        .iter()
        .map(|a| {
            json!({"assignment": a, "status": a.status(day),
                        "reported_this_period": period.as_ref().map(|_| reported.contains(&a.id))})
        })
        .collect();
    ok(
        json!({"task": t, "directive": d, "as_of": day, "period": period, "assignments": assignments}),
    )
}

async fn my(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let unit = tracking::unit_for(&st.db, &actor, q.unit).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    ok(json!({"unit": unit, "as_of": d, "items": tracking::unit_owes(&st.db, unit.id, d).await?}))
}

async fn assignment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let a = tracking::read_assignment(&st.db, &actor, id).await?;
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    ok(json!({
        "assignment": a, "status": a.status(day), "as_of": day,
        "progress": tracking::progress_of(&st.db, id).await?,
        "extensions": tracking::extensions_of(&st.db, id).await?,
    }))
}

/// JSON, or multipart/form-data with the same fields and an `evidence` file.
pub(crate) async fn progress_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    req: Request,
) -> AppResult<Done> {
    let (input, evidence) = if crate::http::is_multipart(&req) {
        let crate::http::Multipart(mp) = crate::http::Multipart::from_request(req, &st).await?;
        let form = crate::http::read_progress_form(mp).await?;
        (form.input, form.evidence)
    } else {
        (
            J::<tracking::ProgressInput>::from_request(req, &st)
                .await?
                .0,
            None,
        )
    };
    let update =
        tracking::post_progress(&st.db, &actor, id, &input, evidence, st.clock.today_vn()).await?;
    Ok(Done::created(update, format!("/assignments/{id}")))
}

async fn attachment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<axum::response::Response> {
    let (name, _content_type, data) = tracking::attachment(&st.db, &actor, id).await?;
    Ok(crate::http::attachment_response(&name, data))
}

pub(crate) async fn review_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(r): In<tracking::ReviewInput>,
) -> AppResult<Done> {
    tracking::review_completion(&st.db, &actor, id, &r).await?;
    Ok(Done::ok(json!({"id": id}), format!("/assignments/{id}")))
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct ReasonInput {
    #[serde(default)]
    reason: String,
}

/// Reopens a confirmed completion (it awaits confirmation again).
pub(crate) async fn reopen_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(r): In<ReasonInput>,
) -> AppResult<Done> {
    tracking::reopen_confirmation(&st.db, &actor, id, &r.reason).await?;
    Ok(Done::ok(
        json!({"id": id, "review": "pending"}),
        format!("/assignments/{id}"),
    ))
}

/// Confirms or returns several reported completions at once.
pub(crate) async fn reviews_post(
    State(st): State<AppState>,
    actor: Actor,
    In(r): In<tracking::BulkReviewInput>,
) -> AppResult<Done> {
    let out = tracking::review_completions(&st.db, &actor, &r).await?;
    Ok(Done::ok(json!(out), "/inbox"))
}

pub(crate) async fn extension_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(e): In<tracking::ExtensionRequest>,
) -> AppResult<Done> {
    let ext = tracking::request_extension(&st.db, &actor, id, &e, st.clock.now()).await?;
    Ok(Done::created(ext, format!("/assignments/{id}")))
}

pub(crate) async fn extension_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(e): In<tracking::ExtensionDecision>,
) -> AppResult<Done> {
    let assignment = tracking::decide_extension(&st.db, &actor, id, &e).await?;
    Ok(Done::ok(
        json!({"id": id}),
        format!("/assignments/{assignment}"),
    ))
}
