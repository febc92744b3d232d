//! Units, groups and steering bodies.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{created, ok, ScopeQuery, J, R};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{as_of, P, Q};
use crate::{bodies, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/units", get(units).post(unit_create))
        .route("/api/v1/units/{id}", get(unit_get).put(unit_update))
        .route("/api/v1/units/{id}/successors", post(unit_successor))
        .route("/api/v1/groups", get(groups).post(group_create))
        .route("/api/v1/groups/{id}", get(group_get).put(group_update))
        .route("/api/v1/bodies", get(bodies_list).post(body_create))
        .route("/api/v1/bodies/{id}", get(body_get).put(body_update))
        .route("/api/v1/bodies/{id}/members", post(member_add))
        .route(
            "/api/v1/bodies/{id}/members/{member}",
            axum::routing::delete(member_remove),
        )
}

async fn units(State(st): State<AppState>, actor: Actor, Q(f): Q<org::UnitFilter>) -> R {
    let province = org::province_for(&st.db, &actor, f.province.as_deref()).await?;
    let list = org::list_units(
        &st.db,
        &org::UnitFilter {
            province: Some(province),
            ..f
        },
        100,
    )
    .await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

async fn unit_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let u = org::get_unit(&st.db, id).await?;
    policy::read_province(&actor, &u.province_code)?;
    let succ: Vec<Value> = org::successors(&st.db, id)
        .await?
        .into_iter()
        .map(|(s, share)| json!({"unit": s, "share": share}))
        .collect();
    ok(json!({"unit": u, "successors": succ}))
}

async fn unit_create(
    State(st): State<AppState>,
    actor: Actor,
    J(u): J<org::UnitInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(org::create_unit(&st.db, &actor, &u).await?)
}

async fn unit_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(u): J<org::UnitInput>,
) -> R {
    org::update_unit(&st.db, &actor, id, &u).await?;
    ok(json!({"id": id}))
}

async fn unit_successor(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(s): J<org::SuccessorInput>,
) -> R {
    org::add_successor(&st.db, &actor, id, s.successor_id, &s.share).await?;
    ok(json!({"id": id}))
}

async fn groups(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    ok(org::list_groups(&st.db, Some(&province)).await?)
}

async fn group_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let g = org::get_group(&st.db, id).await?;
    policy::read_province(&actor, &g.province_code)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?.to_string();
    let members = org::group_members(&st.db, &g, &d).await?;
    ok(json!({"group": g, "members": members}))
}

async fn group_create(
    State(st): State<AppState>,
    actor: Actor,
    J(g): J<org::GroupInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(org::create_group(&st.db, &actor, &g.province_code, &g.name, &g.members).await?)
}

async fn bodies_list(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    ok(bodies::list_bodies(&st.db, &province).await?)
}

async fn body_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let b = bodies::get_body(&st.db, id).await?;
    policy::read_province(&actor, &b.province_code)?;
    ok(json!({"body": b, "members": bodies::members(&st.db, id).await?}))
}

async fn body_create(
    State(st): State<AppState>,
    actor: Actor,
    J(b): J<bodies::BodyInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(bodies::create_body(&st.db, &actor, &b).await?)
}

async fn member_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(m): J<bodies::MemberInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(bodies::add_member(&st.db, &actor, id, &m).await?)
}

async fn body_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<bodies::BodyInput>,
) -> R {
    bodies::update_body(&st.db, &actor, id, &b).await?;
    ok(json!({"id": id}))
}

async fn member_remove(
    State(st): State<AppState>,
    actor: Actor,
    P((id, member)): P<(i64, i64)>,
) -> R {
    bodies::remove_member(&st.db, &actor, id, member).await?;
    ok(json!({"id": id, "removed": member}))
}

async fn group_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(g): J<org::GroupUpdate>,
) -> R {
    org::update_group(&st.db, &actor, id, &g.name, g.members.as_deref()).await?;
    ok(json!({"id": id}))
}
