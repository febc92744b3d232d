//! The JSON API under `/api/v1`: every action of the UI, for scripts and other systems. The
//! actions (`-> Done`) are the ones the pages' forms post to as well, at the pages' own paths.
//! Authentication: `Authorization: Bearer <token>` (tokens from `steerco create-token`), or
//! the browser session with an `X-CSRF-Token` header on changes. Errors: `{code, message, fields}`.

pub(crate) mod accounts;
pub(crate) mod breakthroughs;
pub(crate) mod dashboards;
pub(crate) mod directives;
pub(crate) mod indicators;
pub(crate) mod meetings;
pub(crate) mod notices;
pub(crate) mod org;
pub(crate) mod reports;
pub(crate) mod tasks;

use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::http::AppState;

pub(super) use crate::http::J;

pub(super) type R = AppResult<Json<Value>>;

pub(super) fn ok(v: impl serde::Serialize) -> R {
    Ok(Json(
        serde_json::to_value(v).map_err(|e| AppError::Internal(e.into()))?,
    ))
}

pub(super) fn created(id: i64) -> AppResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .merge(org::router())
        .merge(directives::router())
        .merge(tasks::router())
        .merge(dashboards::router())
        .merge(reports::router())
        .merge(accounts::router())
        .merge(indicators::router())
        .merge(meetings::router())
        .merge(breakthroughs::router())
        .merge(notices::router())
        // the routers are merged: this answers every unknown address, the pages' too
        .fallback(|uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                AppError::NotFound("đường dẫn API")
            } else {
                AppError::NotFound("trang")
            }
        })
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

async fn me(actor: Actor) -> R {
    ok(actor)
}

#[derive(Deserialize, Default)]
pub(super) struct ScopeQuery {
    pub(super) province: Option<String>,
    pub(super) as_of: Option<String>,
    pub(super) body: Option<i64>,
    pub(super) unit: Option<i64>,
    pub(super) page: Option<i64>,
}
