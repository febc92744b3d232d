//! Accounts and the audit trail.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::{ok, J, R};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{Done, In, P, Q};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/users", get(users).post(user_create))
        .route("/api/v1/users/{id}/active", post(user_active))
        .route("/api/v1/users/{id}/password", post(user_password))
        .route("/api/v1/users/bulk", post(users_bulk))
        .route("/api/v1/users/{id}/role", post(user_role))
}

#[derive(Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<i64>,
    username: Option<String>,
    unit: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

async fn audit(State(st): State<AppState>, actor: Actor, Q(q): Q<AuditQuery>) -> R {
    let province = policy::read_audit(&actor)?;
    let page = q.page.unwrap_or(1).max(1);
    let f = crate::audit::Filter {
        entity: q.entity,
        entity_id: q.entity_id,
        username: q.username,
        unit: q.unit,
        from: q.from,
        to: q.to,
    };
    let (rows, total) = crate::audit::list(&st.db, province.as_deref(), &f, page, 50).await?;
    ok(json!({"items": rows, "total": total, "page": page, "per_page": 50}))
}

/// Completions awaiting confirmation and extension requests awaiting a decision.

#[derive(Deserialize)]
struct UsersQuery {
    province: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

async fn users(State(st): State<AppState>, actor: Actor, Q(q): Q<UsersQuery>) -> R {
    let province = crate::auth::repo::accounts_scope(&st.db, &actor, q.province.as_deref()).await?;
    let list = crate::auth::repo::list_users(
        &st.db,
        province.as_deref(),
        q.q.as_deref(),
        q.page.unwrap_or(1),
    )
    .await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

pub(crate) async fn user_create(
    State(st): State<AppState>,
    actor: Actor,
    In(u): In<crate::auth::repo::AccountInput>,
) -> AppResult<Done> {
    let id = crate::auth::repo::create_account_from(&st.db, &actor, &u).await?;
    let page = format!("/users?q={}", crate::http::urlencode(&u.username));
    Ok(Done::created(id, page))
}

#[derive(Deserialize)]
struct ActiveInput {
    active: bool,
}

async fn user_active(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(a): J<ActiveInput>,
) -> R {
    crate::auth::repo::set_active(&st.db, &actor, id, a.active).await?;
    ok(json!({"id": id, "active": a.active}))
}

pub(crate) async fn user_password(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(p): In<crate::auth::repo::PasswordInput>,
) -> AppResult<Done> {
    crate::auth::repo::reset_password(&st.db, &actor, id, &p.password).await?;
    Ok(Done::ok(json!({"id": id}), "/users"))
}

/// Accounts for many units from a CSV; answers each account with its first password (once).
async fn users_bulk(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<UsersQuery>,
    J(b): J<crate::auth::bulk::BulkInput>,
) -> AppResult<(axum::http::StatusCode, axum::Json<serde_json::Value>)> {
    let province = crate::org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let created = crate::auth::bulk::create_accounts(&st.db, &actor, &province, &b).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(json!({"created": created})),
    ))
}

/// Changes an account's role and unit.
pub(crate) async fn user_role(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(c): In<crate::auth::bulk::ChangeInput>,
) -> AppResult<Done> {
    crate::auth::bulk::change_account(&st.db, &actor, id, &c).await?;
    Ok(Done::ok(json!({"id": id}), "/users"))
}
