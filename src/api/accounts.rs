//! Accounts and the audit trail.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{created, ok, J, R};
use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::http::{P, Q};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/users", get(users).post(user_create))
        .route("/api/v1/users/{id}/active", post(user_active))
        .route("/api/v1/users/{id}/password", post(user_password))
}

#[derive(Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<i64>,
    page: Option<i64>,
}

async fn audit(State(st): State<AppState>, actor: Actor, Q(q): Q<AuditQuery>) -> R {
    policy::read_audit(&actor)?;
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = crate::audit::list(
        &st.db,
        q.entity.as_deref(),
        q.entity_id,
        (page - 1) * 50,
        50,
    )
    .await?;
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

#[derive(Deserialize)]
struct UserInput {
    username: String,
    password: String,
    full_name: String,
    role: String,
    #[serde(default)]
    unit_id: Option<i64>,
}

async fn user_create(
    State(st): State<AppState>,
    actor: Actor,
    J(u): J<UserInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let role = crate::auth::Role::parse(&u.role)
        .ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    created(
        crate::auth::repo::create_account(
            &st.db,
            &actor,
            crate::auth::repo::NewUser {
                username: &u.username,
                password: &u.password,
                full_name: &u.full_name,
                role,
                unit_id: u.unit_id,
                body_id: None,
            },
        )
        .await?,
    )
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

#[derive(Deserialize)]
struct PasswordInput {
    password: String,
}

async fn user_password(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(p): J<PasswordInput>,
) -> R {
    crate::auth::repo::reset_password(&st.db, &actor, id, &p.password).await?;
    ok(json!({"id": id}))
}
