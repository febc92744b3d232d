//! Units, groups and steering bodies.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::{ok, ScopeQuery, J, R};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{as_of, Done, In, P, Q};
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

pub(crate) async fn unit_create(
    State(st): State<AppState>,
    actor: Actor,
    In(u): In<org::UnitInput>,
) -> AppResult<Done> {
    let id = org::create_unit(&st.db, &actor, &u).await?;
    Ok(Done::created(id, format!("/units/{id}")))
}

pub(crate) async fn unit_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(u): In<org::UnitInput>,
) -> AppResult<Done> {
    org::update_unit(&st.db, &actor, id, &u).await?;
    Ok(Done::ok(json!({"id": id}), format!("/units/{id}")))
}

pub(crate) async fn unit_successor(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(s): In<org::SuccessorInput>,
) -> AppResult<Done> {
    org::add_successor(&st.db, &actor, id, s.successor_id, &s.share).await?;
    Ok(Done::ok(json!({"id": id}), format!("/units/{id}")))
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

pub(crate) async fn group_create(
    State(st): State<AppState>,
    actor: Actor,
    In(g): In<org::GroupInput>,
) -> AppResult<Done> {
    let id = org::create_group(&st.db, &actor, &g.province_code, &g.name, &g.members).await?;
    Ok(Done::created(id, format!("/groups/{id}")))
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

pub(crate) async fn body_create(
    State(st): State<AppState>,
    actor: Actor,
    In(b): In<bodies::BodyInput>,
) -> AppResult<Done> {
    let id = bodies::create_body(&st.db, &actor, &b).await?;
    Ok(Done::created(id, format!("/bodies/{id}")))
}

pub(crate) async fn member_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(m): In<bodies::MemberInput>,
) -> AppResult<Done> {
    let member = bodies::add_member(&st.db, &actor, id, &m).await?;
    Ok(Done::created(member, format!("/bodies/{id}")))
}

pub(crate) async fn body_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(b): In<bodies::BodyInput>,
) -> AppResult<Done> {
    bodies::update_body(&st.db, &actor, id, &b).await?;
    Ok(Done::ok(json!({"id": id}), format!("/bodies/{id}")))
}

pub(crate) async fn member_remove(
    State(st): State<AppState>,
    actor: Actor,
    P((id, member)): P<(i64, i64)>,
) -> AppResult<Done> {
    bodies::remove_member(&st.db, &actor, id, member).await?;
    Ok(Done::ok(
        json!({"id": id, "removed": member}),
        format!("/bodies/{id}"),
    ))
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
