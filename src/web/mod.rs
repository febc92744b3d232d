//! The Vietnamese web UI: server-rendered pages (maud), one layout, forms with CSRF tokens.
//! Errors come out of handlers as `AppError` (JSON, with its `Refusal` beside); `html_errors`
//! turns them into pages for browsers, so the mapping from error to status lives in one place.

mod accounts;
mod breakthroughs;
mod charts;
mod dashboards;
mod directives;
mod imports;
pub mod indicators;
mod leader;
mod meetings;
mod notices;
mod org;
pub mod refill;
mod reminders;
mod report_requests;
mod reports;
mod session;
mod tasks;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::auth::{policy, Actor};

pub use crate::http::{
    as_of, attachment_response, download, multipart_error, read_progress_form, urlencode,
    FormPairs, Upload, F, P, Q,
};

/// The switch buttons of a page (lock an account, pause a schedule) send `active=1` or `0`.
#[derive(serde::Deserialize)]
pub(super) struct ActiveForm {
    #[serde(default)]
    pub active: String,
}

pub fn router() -> axum::Router<crate::http::AppState> {
    pages().layer(axum::middleware::from_fn(
        crate::http::done_goes_to_its_page,
    ))
}

fn pages() -> axum::Router<crate::http::AppState> {
    session::router()
        .merge(dashboards::router())
        .merge(org::router())
        .merge(directives::router())
        .merge(tasks::router())
        .merge(accounts::router())
        .merge(imports::router())
        .merge(reports::router())
        .merge(report_requests::router())
        .merge(reminders::router())
        .merge(indicators::router())
        .merge(meetings::router())
        .merge(breakthroughs::router())
        .merge(notices::router())
        .merge(leader::router())
}

pub const CSS: &str = include_str!("../../assets/app.css");
/// The pages' only script (autosave of a report), a file so that no inline script is allowed.
pub const AUTOSAVE_JS: &str = include_str!("../../assets/autosave.js");
/// The search box over long lists of units (a file, as every script: no inline script runs).
pub const PICKER_JS: &str = include_str!("../../assets/picker.js");

pub fn page(title: &str, actor: Option<&Actor>, body: Markup) -> Html<String> {
    let m = html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · steerco" }
                link rel="stylesheet" href="/assets/app.css";
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                script src="/assets/picker.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "steerco" span { "Theo dõi nhiệm vụ CCHC · CĐS · Đề án 06" } }
                    @if let Some(a) = actor {
                        // on a phone the menu folds behind one button (a checkbox and its
                        // label: no script), which shows the count of unread notices
                        input #menu-toggle .menu-toggle type="checkbox" aria-label="Mở menu";
                        label.menu-button for="menu-toggle" { "☰ Menu" @if a.unread_notices > 0 { " " span.count { (a.unread_notices) } } }
                        nav {
                            @if a.role == policy::Role::Leader { a href="/leader" { "Trang lãnh đạo" } }
                            @if !policy::own_unit_only(a) { a href="/dashboard" { "Tổng quan" } }
                            @if a.unit_id.is_some() { a href="/my" { "Việc của đơn vị" } }
                            a href="/notices" { "Thông báo" @if a.unread_notices > 0 { " " span.count title="Thông báo chưa đọc" { (a.unread_notices) } } }
                            a href="/directives" { "Văn bản" }
                            a href="/tasks" { "Nhiệm vụ" }
                            a href="/meetings" { "Cuộc họp" }
                            a href="/reports" { "Báo cáo" }
                            a href="/indicators" { "Chỉ số" }
                            a href="/breakthroughs" { "Đột phá, thi đua" }
                            @if !policy::own_unit_only(a) {
                                a href="/units" { "Đơn vị" }
                                a href="/bodies" { "Ban chỉ đạo" }
                            }
                            @if policy::does_secretariat_work(a) { a href="/inbox" { "Cần xử lý" } a href="/users" { "Tài khoản" } a href="/audit" { "Nhật ký" } }
                        }
                        div.who {
                            a href="/account" title=(a.role.label()) { (a.full_name) }
                            @if let Some(u) = &a.unit_name { small { " · " (u) } }
                            form method="post" action="/logout" {
                                (csrf_field(a))
                                button.link type="submit" { "Đăng xuất" }
                            }
                        }
                    }
                }
                main { (body) }
                footer { "steerco · giờ hiển thị theo múi giờ Asia/Ho_Chi_Minh" }
            }
        }
    };
    Html(m.into_string())
}

pub fn csrf_field(a: &Actor) -> Markup {
    html! { input type="hidden" name="_csrf" value=(a.csrf); }
}

pub fn pager(base: &str, page: i64, pages: i64, total: i64) -> Markup {
    pager_for(base, "page", page, pages, total)
}

/// A pager whose page number travels in `param` (for pages with two lists).
pub fn pager_for(base: &str, param: &str, page: i64, pages: i64, total: i64) -> Markup {
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        nav.pager {
            span { "Tổng số: " (total) }
            @if pages > 1 {
                @if page > 1 { a href={(base) (sep) (param) "=" (page - 1)} { "« Trước" } }
                span { "Trang " (page) "/" (pages) }
                @if page < pages { a href={(base) (sep) (param) "=" (page + 1)} { "Sau »" } }
            }
        }
    }
}

/// An assignment's state as a badge: a completion the secretariat has not confirmed yet is shown
/// as such, with the state it counts as (its date decides it), never as plainly done.
pub fn work_badge(s: crate::tracking::Status, awaiting_confirmation: bool) -> Markup {
    use crate::tracking::Status;
    match (s, awaiting_confirmation) {
        (Status::DoneOnTime | Status::DoneLate, true) => html! {
            span class="badge st-prog" title={"Tính là: " (s.label())} { "Báo hoàn thành, chờ xác nhận" }
            " " small.muted { "(" (s.label().to_lowercase()) " nếu được xác nhận)" }
        },
        _ => status_badge(s),
    }
}

pub fn status_badge(s: crate::tracking::Status) -> Markup {
    html! { span class={"badge " (s.css())} { (s.label()) } }
}

/// A date typed and shown as dd/mm/yyyy (ISO is read too). A browser's own date input shows
/// its locale's order — mm/dd/yyyy on most machines — which is not how officials write dates.
pub fn date_input(name: &str, value: &str, required: bool) -> Markup {
    let shown = crate::store::parse_date(value)
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| value.to_string());
    html! {
        input.date type="text" name=(name) value=(shown) required[required] inputmode="numeric"
            placeholder="dd/mm/yyyy" pattern=r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
            title="Ngày dạng dd/mm/yyyy, ví dụ 31/12/2026" size="10" autocomplete="off";
    }
}

pub fn empty(msg: &str) -> Markup {
    html! { p.empty { (msg) } }
}

/// Keeps query strings for links: "q=..&kind=..".
pub fn qs(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", urlencode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Turns JSON errors into pages for browsers; the API keeps its JSON.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let wants_html = !path.starts_with("/api/") && path != "/health";
    let res = next.run(req).await;
    let status = res.status();
    if !wants_html || status.is_success() || status.is_redirection() {
        return res;
    }
    if refill::is_html(&res) {
        // A page that renders its own refusal (a form shown again with its errors).
        return res;
    }
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&format!("/login?next={}", urlencode(&path))).into_response();
    }
    let (message, fields) = match res.extensions().get::<crate::http::Refusal>() {
        Some(r) => (
            r.message.clone(),
            r.errors.iter().map(|e| e.message.clone()).collect(),
        ),
        // refusals that are not ours (an unknown route, a body over the limit)
        None if status == StatusCode::NOT_FOUND => ("Không tìm thấy trang.".to_string(), vec![]),
        None => ("Yêu cầu không hợp lệ.".to_string(), vec![]),
    };
    let body = html! {
        section.error {
            h1 { (match status.as_u16() { 403 => "Không có quyền truy cập", 404 => "Không tìm thấy", 422 => "Dữ liệu chưa hợp lệ", 409 => "Không thể thực hiện", _ => "Đã xảy ra lỗi" }) }
            @if fields.is_empty() { p { (message) } } @else {
                p { "Vui lòng sửa các mục sau rồi gửi lại:" }
                ul { @for f in &fields { li { (f) } } }
            }
            p { "Dùng nút Quay lại của trình duyệt để sửa rồi gửi lại · " a href="/" { "Trang chủ" } }
        }
    };
    (status, page("Lỗi", None, body)).into_response()
}

pub fn raw(s: &str) -> PreEscaped<String> {
    PreEscaped(s.to_string())
}
