//! Dashboards (province, country, overdue list) and the secretariat's inbox.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::{ok, ScopeQuery, R};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{as_of, Q};
use crate::tracking::{self};
use crate::{dashboard, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/inbox", get(inbox))
        .route("/api/v1/dashboard", get(dash))
        .route("/api/v1/dashboard/national", get(dash_national))
        .route("/api/v1/dashboard/overdue", get(dash_overdue))
}

async fn dash(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<ScopeQuery>,
) -> AppResult<axum::response::Response> {
    policy::read_dashboards(&actor)?;
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let view = st.dashboards.province(&st.db, &province, q.body, d).await?;
    // Served from the JSON rendered when the figures were computed.
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        view.json.clone(),
    )
        .into_response())
}

async fn dash_national(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    policy::read_country(&actor)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let nat = st.dashboards.national(&st.db, d).await?;
    let (total, provinces) = (&nat.0, &nat.1);
    ok(
        json!({"as_of": d, "total": total, "overdue_share": total.overdue_share(), "provinces": provinces}),
    )
}

async fn dash_overdue(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    policy::read_unit_list(&actor, q.unit)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let list =
        dashboard::overdue(&st.db, &province, q.body, q.unit, d, q.page.unwrap_or(1)).await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

async fn inbox(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    policy::direct(&actor, &province)?;
    let page = q.page.unwrap_or(1);
    let reviews = tracking::pending_reviews(&st.db, &province, page, 50).await?;
    let exts = tracking::pending_extensions(&st.db, &province, page, 50).await?;
    let ext_items: Vec<Value> = exts
        .items
        .into_iter()
        .map(|(e, a)| json!({"extension": e, "assignment": a}))
        .collect();
    ok(
        json!({"reviews": {"items": reviews.items, "total": reviews.total},
              "extensions": {"items": ext_items, "total": exts.total}, "page": page}),
    )
}
