//! "Thông báo": the user's notices inside the app, unread first in weight, each with a link to
//! what it is about; marked read one by one or all at once.

use axum::extract::State;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use maud::html;

use super::{csrf_field, empty, page, pager, Q};
use crate::api::notices as actions;
use crate::auth::Actor;
use crate::error::AppResult;
use crate::http::AppState;
use crate::notify::inbox::{self, InboxQuery};
use crate::store::show_instant;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", get(notices_page))
        .route("/notices/read", post(actions::read))
}

async fn notices_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<InboxQuery>,
) -> AppResult<Html<String>> {
    let list = inbox::list(&st.db, &actor, &q).await?;
    let only_unread = q
        .unread
        .as_deref()
        .is_some_and(|u| !u.is_empty() && u != "0");
    let base = if only_unread {
        "/notices?unread=1"
    } else {
        "/notices"
    };
    Ok(page(
        "Thông báo",
        Some(&actor),
        html! {
            h1 { "Thông báo" @if actor.unread_notices > 0 { " " span.badge.st-over { (actor.unread_notices) " chưa đọc" } } }
            p.hint { "Nhắc việc, đôn đốc và tổng hợp gửi đến " @if actor.unit_name.is_some() { "đơn vị và " } "tài khoản của bạn. Khi có cấu hình thư điện tử hoặc webhook, các thông báo này cũng được gửi qua các kênh đó." }
            p { @if only_unread { a href="/notices" { "Tất cả" } " · " strong { "Chưa đọc" } } @else { strong { "Tất cả" } " · " a href="/notices?unread=1" { "Chưa đọc" } }
                @if actor.unread_notices > 0 { " "
                    form.inline method="post" action="/notices/read" { (csrf_field(&actor))
                        button.secondary type="submit" { "Đánh dấu tất cả đã đọc" } } } }
            @if list.items.is_empty() {
                (empty(if only_unread { "Không có thông báo chưa đọc." } else { "Chưa có thông báo nào. Khi đến hạn báo cáo, có nhiệm vụ quá hạn hoặc cuộc họp sắp diễn ra, thông báo sẽ hiện ở đây." }))
            } @else {
                @for n in &list.items {
                    article.update.notice-item.unread[n.read_at.is_none()] {
                        header { (show_instant(&n.created_at)) " · " (n.kind_label())
                            @if n.read_at.is_none() { " · " strong { "Chưa đọc" } } }
                        h3 { (n.subject) }
                        details { summary { "Nội dung" } p.pre { (n.body) } }
                        p { @if let Some(l) = n.link() { a href=(l) { "Mở »" } " " }
                            @if n.read_at.is_none() {
                                form.inline method="post" action="/notices/read" { (csrf_field(&actor))
                                    input type="hidden" name="ids" value=(n.id);
                                    button.link type="submit" { "Đánh dấu đã đọc" } } } }
                    }
                }
            }
            (pager(base, list.page, list.pages(), list.total))
        },
    ))
}
