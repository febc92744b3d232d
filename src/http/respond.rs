//! Responses both faces send: security headers, downloads, uploads streamed to disk, multipart
//! forms.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// The headers of every answer; `https` (the server is reached over TLS: secure cookies)
/// adds HSTS, so that browsers never fall back to plain HTTP.
pub async fn security_headers(
    axum::extract::State(https): axum::extract::State<bool>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
    );
    // what a signed-in user sees (a page, a file, a JSON answer) stays out of shared caches
    // and the browser's history cache; the stylesheet and the script keep their own
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
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
}

pub async fn read_progress_form(
    mut mp: axum::extract::Multipart,
) -> Result<ProgressForm, AppError> {
    let bad = |e| multipart_error(e, ("evidence", "Tệp minh chứng vượt quá 10 MB."));
    let mut form = ProgressForm {
        input: Default::default(),
        evidence: None,
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

/// What an action both faces route to answers: JSON for the API (`201 {"id"}` for a creation),
/// and the page that shows the result, where the pages' router sends a form
/// ([`done_goes_to_its_page`]).
pub struct Done {
    status: axum::http::StatusCode,
    body: serde_json::Value,
    page: String,
}

impl Done {
    /// Something was created: `201 {"id": id}`.
    pub fn created(id: i64, page: impl Into<String>) -> Done {
        Done {
            status: axum::http::StatusCode::CREATED,
            body: serde_json::json!({ "id": id }),
            page: page.into(),
        }
    }
    /// Something was changed: `200` and `body`.
    pub fn ok(body: serde_json::Value, page: impl Into<String>) -> Done {
        Done {
            status: axum::http::StatusCode::OK,
            body,
            page: page.into(),
        }
    }
}

/// The page a `Done` names, kept beside its JSON.
#[derive(Clone)]
struct GoTo(String);

impl axum::response::IntoResponse for Done {
    fn into_response(self) -> axum::response::Response {
        let mut res = (self.status, axum::Json(self.body)).into_response();
        res.extensions_mut().insert(GoTo(self.page));
        res
    }
}

/// The pages' router: an action's `Done` becomes a 303 to the page it names.
pub async fn done_goes_to_its_page(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let res = next.run(req).await;
    match res.extensions().get::<GoTo>() {
        Some(GoTo(page)) => axum::response::Redirect::to(page).into_response(),
        None => res,
    }
}
