//! Directives, their tasks, and documents imported as directives.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{created, ok, J, R};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{Done, In, P, Q};
use crate::{directives, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/directives",
            get(directives_list).post(directive_create),
        )
        .route(
            "/api/v1/directives/{id}",
            get(directive_get).put(directive_update),
        )
        .route("/api/v1/directives/{id}/tasks", post(task_create))
        .route("/api/v1/directives/{id}/withdraw", post(directive_withdraw))
        .route("/api/v1/tasks/{id}/withdraw", post(task_withdraw))
        .route(
            "/api/v1/imports",
            post(import_read).layer(axum::extract::DefaultBodyLimit::max(
                crate::import::source::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route("/api/v1/imports/publish", post(import_publish))
        .route("/api/v1/tasks", get(tasks_search))
}

async fn directives_list(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<directives::DirectiveFilter>,
) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    let list = directives::list_directives(&st.db, &province, &f).await?;
    let items: Vec<Value> = list
        .items
        .into_iter()
        .map(|(d, n)| json!({"directive": d, "task_count": n}))
        .collect();
    ok(json!({"items": items, "total": list.total, "page": list.page, "per_page": list.per_page}))
}

async fn directive_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let d = directives::get_directive(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let tasks: Vec<Value> = directives::directive_tasks(&st.db, id)
        .await?
        .into_iter()
        .map(|(t, n)| json!({"task": t, "assignments": n}))
        .collect();
    ok(json!({"directive": d, "tasks": tasks}))
}

pub(crate) async fn directive_create(
    State(st): State<AppState>,
    actor: Actor,
    In(d): In<directives::DirectiveInput>,
) -> AppResult<Done> {
    let id = directives::create_directive(&st.db, &actor, &d).await?;
    Ok(Done::created(id, format!("/directives/{id}")))
}

/// Reads a document sent as the request body (.docx, .pdf, text) and returns what it
/// proposes, plus a `review` ready to correct and send to `/api/v1/imports/publish`.
/// Writes nothing.
async fn import_read(State(st): State<AppState>, actor: Actor, body: axum::body::Bytes) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let reg = crate::import::publish::registry_for(&st.db, &province).await?;
    let x = crate::import::read_for_province(body.to_vec(), reg).await?;
    let review = crate::import::publish::review_of(&x, &province, None);
    // the same document published before: the review must say what to do with it
    let published = review.published_before(&st.db).await?;
    ok(
        json!({"directive": x.directive, "tasks": x.tasks, "unassigned": x.unassigned, "review": review, "published": published}),
    )
}

async fn import_publish(
    State(st): State<AppState>,
    actor: Actor,
    J(r): J<crate::import::publish::Reviewed>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(crate::import::publish::publish(&st.db, &actor, &r, st.clock.today_vn()).await?)
}

pub(crate) async fn task_create(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(t): In<directives::TaskInput>,
) -> AppResult<Done> {
    let task = directives::create_task(&st.db, &actor, id, &t, st.clock.today_vn()).await?;
    Ok(Done::created(task, format!("/tasks/{task}")))
}

async fn tasks_search(
    State(st): State<AppState>,
    actor: Actor,
    Q(s): Q<directives::TaskSearch>,
) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    let f = s.filter()?;
    let list = directives::search_tasks(
        &st.db,
        &province,
        &f,
        st.clock.today_vn(),
        s.page.unwrap_or(1),
        25,
    )
    .await?;
    let items: Vec<Value> = list
        .items
        .into_iter()
        .map(|r| json!({"task": r.task, "directive_number": r.directive_number, "units": r.units, "overdue": r.overdue, "done": r.done}))
        .collect();
    ok(json!({"items": items, "total": list.total, "page": list.page, "per_page": list.per_page}))
}

pub(crate) async fn directive_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(d): In<directives::DirectiveInput>,
) -> AppResult<Done> {
    directives::update_directive(&st.db, &actor, id, &d).await?;
    Ok(Done::ok(json!({"id": id}), format!("/directives/{id}")))
}

/// Why a directive or task is withdrawn.
#[derive(Debug, serde::Deserialize)]
pub struct WithdrawInput {
    #[serde(default)]
    pub reason: String,
}

pub(crate) async fn directive_withdraw(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(w): In<WithdrawInput>,
) -> AppResult<Done> {
    directives::withdraw(
        &st.db,
        &actor,
        directives::Withdrawn::Directive(id),
        &w.reason,
    )
    .await?;
    Ok(Done::ok(
        json!({"id": id, "withdrawn": true}),
        format!("/directives/{id}"),
    ))
}

pub(crate) async fn task_withdraw(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(w): In<WithdrawInput>,
) -> AppResult<Done> {
    directives::withdraw(&st.db, &actor, directives::Withdrawn::Task(id), &w.reason).await?;
    Ok(Done::ok(
        json!({"id": id, "withdrawn": true}),
        format!("/tasks/{id}"),
    ))
}

pub(crate) async fn task_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(t): In<directives::TaskInput>,
) -> AppResult<Done> {
    directives::update_task(&st.db, &actor, id, &t, st.clock.today_vn()).await?;
    Ok(Done::ok(json!({"id": id}), format!("/tasks/{id}")))
}
