//! The notices a user reads inside the app (its unit's reminders, urging notices, its digest).

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

use super::{ok, R};
use crate::auth::Actor;
use crate::error::AppResult;
use crate::http::{AppState, Done, In, Q};
use crate::notify::inbox::{self, InboxQuery, ReadInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notices", get(notices))
        .route("/api/v1/notices/read", post(read))
}

async fn notices(State(st): State<AppState>, actor: Actor, Q(q): Q<InboxQuery>) -> R {
    let unread = inbox::unread(&st.db, &actor).await?;
    let page = inbox::list(&st.db, &actor, &q).await?;
    ok(json!({"unread": unread, "page": page}))
}

pub(crate) async fn read(
    State(st): State<AppState>,
    actor: Actor,
    In(i): In<ReadInput>,
) -> AppResult<Done> {
    let n = inbox::mark_read(&st.db, &actor, &i.ids, st.clock.now()).await?;
    Ok(Done::ok(json!({"read": n}), "/notices"))
}
