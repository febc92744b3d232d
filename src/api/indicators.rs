//! Indicators: the catalogue, scorecards, a unit's figures, dossier imports.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ok, R};
use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::http::{P, Q};
use crate::org;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/indicators/catalogue", get(indicator_catalogue))
        .route("/api/v1/indicators/scorecard", get(indicator_scorecard))
        .route("/api/v1/indicators/units/{code}", get(indicator_unit))
        .route(
            "/api/v1/indicators/imports",
            get(indicator_imports).post(indicator_import).layer(
                axum::extract::DefaultBodyLimit::max(crate::indicators::board::UPLOAD_LIMIT),
            ),
        )
        .route("/api/v1/indicators/imports/{id}", get(indicator_import_get))
}

// ---- indicators ----

async fn indicator_catalogue(_actor: Actor) -> R {
    ok(crate::indicators::Catalogue::national())
}

/// The scorecard of a province (its units ranked) or, for an administrator, of the country.
async fn indicator_scorecard(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<crate::indicators::board::BoardQuery>,
) -> R {
    let province = crate::indicators::board::board_scope(&st.db, &actor, &q).await?;
    let period = crate::indicators::board::period_or_latest(
        &st.db,
        q.period.as_deref(),
        province.as_deref(),
        st.clock.today_vn(),
    )
    .await?;
    ok(crate::indicators::board::board(
        &st.db,
        province.as_deref(),
        &period,
        q.card.as_deref().unwrap_or("766"),
    )
    .await?)
}

async fn indicator_unit(
    State(st): State<AppState>,
    actor: Actor,
    P(code): P<String>,
    Q(q): Q<crate::indicators::board::BoardQuery>,
) -> R {
    let unit = org::find_unit_by_code(&st.db, &code)
        .await?
        .ok_or(AppError::NotFound("đơn vị"))?;
    policy::read_province(&actor, &unit.province_code)?;
    let period = crate::indicators::board::period_or_latest(
        &st.db,
        q.period.as_deref(),
        Some(&unit.province_code),
        st.clock.today_vn(),
    )
    .await?;
    ok(crate::indicators::board::unit_board(
        &st.db,
        &unit,
        &period,
        q.card.as_deref().unwrap_or("766"),
    )
    .await?)
}

#[derive(Deserialize)]
struct ImportQuery {
    kind: Option<String>,
    name: Option<String>,
}

/// Imports the request body (an exchange file) for the caller's province and answers when
/// it is written: rows kept, bad rows with line numbers and reasons.
async fn indicator_import(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<ImportQuery>,
    body: axum::body::Body,
) -> AppResult<(StatusCode, Json<Value>)> {
    use crate::dossiers::import::{self, Kind};
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    let kind = match q.kind.as_deref() {
        None => Kind::Dossier,
        Some(k) => Kind::parse(k)
            .ok_or_else(|| AppError::invalid("kind", "kind phải là dossier hoặc feedback"))?,
    };
    let mut upload = crate::http::Upload::new();
    upload
        .save(body.into_data_stream(), |_| {
            AppError::invalid("body", "Tệp tải lên bị gián đoạn hoặc quá lớn.")
        })
        .await?;
    if upload.size == 0 {
        return Err(AppError::invalid("body", "Tệp dữ liệu rỗng."));
    }
    let name = q.name.unwrap_or_else(|| "api".into());
    let (id, progress) = import::begin(&st.db, kind, Some(&province), &name, Some(&actor)).await?;
    let r = import::run(
        &st.db,
        id,
        kind,
        &upload.path,
        Some(&province),
        Some(&actor),
        progress,
    )
    .await;
    let o = r?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(o).map_err(|e| AppError::Internal(e.into()))?),
    ))
}

async fn indicator_imports(State(st): State<AppState>, actor: Actor) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    ok(crate::dossiers::import::list_imports(&st.db, Some(&province), 100).await?)
}

async fn indicator_import_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let r = crate::dossiers::import::get_import(&st.db, id).await?;
    policy::import_data(&actor, r.province_code.as_deref())?;
    let progress = crate::dossiers::import::progress_of(id);
    let rows = progress
        .as_ref()
        .map(|p| p.rows.load(std::sync::atomic::Ordering::Relaxed));
    let phase = progress.as_ref().map(|p| p.phase_label());
    ok(json!({ "import": r, "errors": r.errors(), "rows_read_so_far": rows, "phase": phase }))
}
