//! The Vietnamese web UI: server-rendered pages (maud), one layout, forms with CSRF tokens.
//! Errors come out of handlers as `AppError` (JSON); `html_errors` turns them into pages
//! for browsers, so the mapping from error to status lives in one place.

mod charts;
mod imports;
pub mod indicators;
mod pages;
mod reports;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::de::DeserializeOwned;

use crate::auth::{Actor, Role};
use crate::error::AppError;

pub use pages::province_for;

pub fn router() -> axum::Router<crate::app::AppState> {
    pages::router()
        .merge(imports::router())
        .merge(reports::router())
        .merge(indicators::router())
}

pub const CSS: &str = include_str!("../../assets/app.css");

pub fn page(title: &str, actor: Option<&Actor>, body: Markup) -> Html<String> {
    let m = html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · steerco" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header.top {
                    a.brand href="/" { "steerco" span { "Theo dõi nhiệm vụ CCHC · CĐS · Đề án 06" } }
                    @if let Some(a) = actor {
                        nav {
                            @if a.role != Role::Officer { a href="/dashboard" { "Tổng quan" } }
                            @if a.unit_id.is_some() { a href="/my" { "Việc của đơn vị" } }
                            a href="/directives" { "Văn bản" }
                            a href="/tasks" { "Nhiệm vụ" }
                            a href="/reports" { "Báo cáo" }
                            a href="/indicators" { "Chỉ số" }
                            @if a.role != Role::Officer {
                                a href="/units" { "Đơn vị" }
                                a href="/bodies" { "Ban chỉ đạo" }
                            }
                            @if matches!(a.role, Role::Admin | Role::Secretariat) { a href="/inbox" { "Cần xử lý" } a href="/users" { "Tài khoản" } a href="/audit" { "Nhật ký" } }
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

pub fn status_badge(s: crate::tracking::Status) -> Markup {
    html! { span class={"badge " (s.css())} { (s.label()) } }
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

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A url-encoded form read as pairs, so that repeated fields (multi-selects) are kept.
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
    pub fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k)).filter(|s| !s.is_empty())
    }
    pub fn ids(&self, k: &str) -> Vec<i64> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    }
    pub fn id(&self, k: &str) -> Option<i64> {
        self.get(k).parse().ok()
    }
    pub fn csrf(&self, a: &Actor) -> Result<(), AppError> {
        a.verify_csrf(&self.get("_csrf"))
    }
}

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(v) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| AppError::invalid("form", format!("Biểu mẫu không hợp lệ: {e}")))?;
        Ok(FormPairs(v))
    }
}

/// Query string extractor whose failures are our own 422, never a bare 400.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Q(q.0))
            .map_err(|e| {
                AppError::invalid("query", format!("Tham số không hợp lệ: {}", e.body_text()))
            })
    }
}

/// Path extractor with the same treatment ("/units/abc" is a 404, not a 400 in English).
pub struct P<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for P<T> {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| P(p.0))
            .map_err(|_| AppError::NotFound("trang"))
    }
}

/// Parses "as_of" (YYYY-MM-DD or dd/mm/yyyy), today in Vietnam when absent.
pub fn as_of(s: &Option<String>) -> Result<chrono::NaiveDate, AppError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(crate::store::today_vn()),
        Some(s) => crate::store::parse_date(s)
            .ok_or_else(|| AppError::invalid("as_of", "Ngày xem không hợp lệ (dd/mm/yyyy).")),
    }
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
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type.starts_with("text/html") {
        // A page that renders its own refusal (a form shown again with its errors).
        return res;
    }
    let is_json = content_type.starts_with("application/json");
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&format!("/login?next={}", urlencode(&path))).into_response();
    }
    let (message, fields) = if is_json {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let fields: Vec<String> = v["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        (
            v["message"]
                .as_str()
                .unwrap_or("Đã xảy ra lỗi.")
                .to_string(),
            fields,
        )
    } else if status == StatusCode::NOT_FOUND {
        ("Không tìm thấy trang.".to_string(), vec![])
    } else {
        ("Yêu cầu không hợp lệ.".to_string(), vec![])
    };
    let body = html! {
        section.error {
            h1 { (match status.as_u16() { 403 => "Không có quyền truy cập", 404 => "Không tìm thấy", 422 => "Dữ liệu chưa hợp lệ", 409 => "Không thể thực hiện", _ => "Đã xảy ra lỗi" }) }
            @if fields.is_empty() { p { (message) } } @else {
                p { "Vui lòng sửa các mục sau rồi gửi lại:" }
                ul { @for f in &fields { li { (f) } } }
            }
            p { a href="javascript:history.back()" { "« Quay lại" } " · " a href="/" { "Trang chủ" } }
        }
    };
    (status, page("Lỗi", None, body)).into_response()
}

pub async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
    );
    res
}

pub fn raw(s: &str) -> PreEscaped<String> {
    PreEscaped(s.to_string())
}

/// A multipart upload that failed: over the size limit, the given field and message;
/// otherwise a malformed form.
pub fn multipart_error(
    e: axum::extract::multipart::MultipartError,
    too_large: (&str, &str),
) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::invalid(too_large.0, too_large.1)
    } else {
        AppError::invalid("form", format!("Biểu mẫu không hợp lệ: {}", e.body_text()))
    }
}

/// A progress report sent as multipart (the page's form, or a script uploading evidence).
pub struct ProgressForm {
    pub input: crate::tracking::ProgressInput,
    pub evidence: Option<crate::tracking::Evidence>,
    pub csrf: String,
}

pub async fn read_progress_form(
    mut mp: axum::extract::Multipart,
) -> Result<ProgressForm, AppError> {
    let bad = |e| multipart_error(e, ("evidence", "Tệp minh chứng vượt quá 10 MB."));
    let mut form = ProgressForm {
        input: Default::default(),
        evidence: None,
        csrf: String::new(),
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let filename = field.file_name().unwrap_or("").to_string();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let data = field.bytes().await.map_err(bad)?;
            if !filename.is_empty() && !data.is_empty() {
                form.evidence = Some(crate::tracking::Evidence {
                    filename,
                    content_type,
                    data: data.to_vec(),
                });
            }
            continue;
        }
        let v = field.text().await.map_err(bad)?;
        let input = &mut form.input;
        match name.as_str() {
            "_csrf" => form.csrf = v,
            "result" => input.result = v,
            "difficulties" => input.difficulties = v,
            "proposals" => input.proposals = v,
            "percent" => input.percent = v.trim().parse().ok(),
            "done" => input.done = !v.is_empty() && v != "false" && v != "0",
            "completed_on" => input.completed_on = Some(v),
            "period" => input.period = Some(v),
            _ => {}
        }
    }
    Ok(form)
}

/// An evidence file as a download, never rendered inline: it is user content.
pub fn attachment_response(name: &str, data: Vec<u8>) -> Response {
    download(name, "application/octet-stream", data)
}

/// A file to save, never shown inline: a safe ASCII name plus the exact name in UTF-8.
pub fn download(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{safe}\"; filename*=UTF-8''{}",
                    urlencode(name)
                ),
            ),
        ],
        data,
    )
        .into_response()
}

/// An upload saved to a temporary file as it arrives (a year of one-stop data does not fit in
/// a weak server's memory); the file is removed when the upload is dropped.
pub struct Upload {
    pub path: std::path::PathBuf,
    pub size: u64,
}

impl Upload {
    pub fn new() -> Upload {
        Upload {
            path: std::env::temp_dir().join(format!(
                "steerco-upload-{}",
                crate::auth::random_token().get(..16).unwrap_or("x")
            )),
            size: 0,
        }
    }

    /// Writes a stream of chunks (a request body, a multipart field) to the file.
    pub async fn save<E>(
        &mut self,
        stream: impl futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
        refused: impl Fn(E) -> AppError,
    ) -> Result<(), AppError> {
        use tokio::io::AsyncWriteExt;
        let internal = |e: std::io::Error| AppError::Internal(e.into());
        let mut f = tokio::fs::File::create(&self.path)
            .await
            .map_err(internal)?;
        let mut stream = std::pin::pin!(stream);
        while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
            let chunk = chunk.map_err(&refused)?;
            self.size += chunk.len() as u64;
            f.write_all(&chunk).await.map_err(internal)?;
        }
        f.flush().await.map_err(internal)
    }
}

impl Default for Upload {
    fn default() -> Self {
        Upload::new()
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
