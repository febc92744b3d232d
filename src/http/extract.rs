//! Extractors both faces use: who is asking (`Actor`, from an API token or a session cookie),
//! query strings and paths whose failures are our own Vietnamese 4xx, and forms.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::{repo, Actor, SESSION_COOKIE};
use crate::error::AppError;

pub fn session_cookie_value(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The API token of `Authorization: Bearer …`, the only header credential we accept (a
/// browser never adds it by itself, unlike a proxy's `Basic` credentials).
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(a) = parts.extensions.get::<Actor>() {
            return Ok(a.clone());
        }
        let bearer = bearer_token(parts).map(str::to_string);
        // every request asks the database: a revoked or expired token, a locked account, stop
        // at once on every server
        let actor = if let Some(token) = bearer {
            repo::actor_for_api_token(&state.db, &token).await?
        } else if let Some(token) = session_cookie_value(parts) {
            // CSRF was checked by the `csrf` layer before any handler ran.
            repo::actor_for_session(&state.db, &token).await?
        } else {
            None
        };
        let mut actor = actor.ok_or(AppError::Unauthorized)?;
        if actor.via_session && parts.method == axum::http::Method::GET {
            // the menu's count of unread notices, for the pages a browser shows
            actor.unread_notices = crate::notify::inbox::unread(&state.db, &actor).await?;
        }
        parts.extensions.insert(actor.clone());
        Ok(actor)
    }
}

/// The address a request comes from (the peer of the connection), for the login throttle.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<super::conn::Peer>>()
            .map(|c| c.0 .0.ip().to_string());
        Ok(ClientAddress(peer.unwrap_or_else(|| "unknown".into())))
    }
}

/// A path on this site to go to after a login: anything a browser could read as another host
/// (`//host`, `/\host`, a tab or a line break that browsers drop) is the home page instead.
pub fn local_path(next: &str) -> &str {
    let mut chars = next.chars();
    let local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if local {
        next
    } else {
        "/"
    }
}

/// The site's address as a user's calendar or mail client must write it (`https://host`): the
/// `STEERCO_PUBLIC_URL` setting, else the scheme of the deployment (HTTPS with secure cookies)
/// and the host the request was sent to.
pub struct SiteUrl(pub String);

impl FromRequestParts<AppState> for SiteUrl {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(u) = std::env::var("STEERCO_PUBLIC_URL")
            .ok()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
        {
            return Ok(SiteUrl(u));
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
            })
            .unwrap_or("localhost");
        let scheme = if state.secure_cookies {
            "https"
        } else {
            "http"
        };
        Ok(SiteUrl(format!("{scheme}://{host}")))
    }
}

/// An actor if one is logged in, for pages that also serve anonymous visitors.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Actor::from_request_parts(parts, state).await {
            Ok(a) => Ok(MaybeActor(Some(a))),
            Err(AppError::Unauthorized) => Ok(MaybeActor(None)),
            Err(e) => Err(e),
        }
    }
}

/// A url-encoded form read as pairs, for the forms whose fields are made at run time (a report
/// template's fields, the tasks of an import review, a scorecard's rows); a fixed form is read with
/// `F<T>` into its input struct.
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
}

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(v) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| AppError::invalid("form", format!("Biểu mẫu không hợp lệ: {e}")))?;
        Ok(FormPairs(
            v.into_iter().map(|(k, v)| (clean(k), clean(v))).collect(),
        ))
    }
}

/// What users send, without the characters the databases or the documents cannot take
/// (`text::clean_input`): done here, at the edge, the same on both databases.
fn clean(s: String) -> String {
    match crate::text::clean_input(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    }
}

/// Every string of a JSON value, cleaned as [`clean`] does.
fn clean_json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(o) = crate::text::clean_input(s) {
                *s = o;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(clean_json),
        Value::Object(m) => m.values_mut().for_each(clean_json),
        _ => {}
    }
}

/// A url-encoded form read into the same serde input struct as the API's JSON body, so a
/// misspelt field is a compile error, not a silent "". Values are trimmed; a number or date
/// left empty counts as absent; a refusal names its field.
pub struct F<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for F<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let FormPairs(pairs) = FormPairs::from_request(req, state).await?;
        read_form(&pairs).map(F)
    }
}

/// Reads trimmed pairs into `T`. An empty value is first given as "" (a text field cleared on
/// purpose); when that does not fit the type (a number, a list of ids), as absent.
pub fn read_form<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    let encode = |keep_empty: bool| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if keep_empty || !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        s.finish()
    };
    let read = |text: &str| {
        serde_path_to_error::deserialize::<_, T>(serde_html_form::Deserializer::from_bytes(
            text.as_bytes(),
        ))
    };
    let first = match read(&encode(true)) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    read(&encode(false)).map_err(|_| form_refusal(&first))
}

fn form_refusal(e: &serde_path_to_error::Error<serde_html_form::de::Error>) -> AppError {
    let inner = e.inner().to_string();
    if let Some(field) = inner
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return AppError::invalid(field, "Vui lòng nhập mục này.");
    }
    let field = e.path().to_string();
    AppError::invalid(&field, format!("Giá trị của mục «{field}» không hợp lệ."))
}

/// A JSON body read into `T`, whose failures are our JSON errors (422 with a Vietnamese message).
pub struct J<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for J<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(mut v) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e| {
                AppError::invalid(
                    "body",
                    format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()),
                )
            })?;
        clean_json(&mut v);
        serde_path_to_error::deserialize::<_, T>(v)
            .map(J)
            .map_err(|e| {
                let field = e.path().to_string();
                AppError::invalid(
                    if field == "." { "body" } else { &field },
                    format!("Dữ liệu JSON không hợp lệ: {}", e.inner()),
                )
            })
    }
}

/// The input of an action both faces route to: a JSON body (the API, scripts) or a form (a
/// page), read into the same struct.
pub struct In<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for In<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            F::<T>::from_request(req, state).await.map(|F(v)| In(v))
        } else {
            J::<T>::from_request(req, state).await.map(|J(v)| In(v))
        }
    }
}

/// A multipart upload, refused as our own 422 (on `file`) when the body is not one — never
/// axum's bare 400 in plain text.
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|e| {
                AppError::invalid(
                    "file",
                    format!(
                        "Tệp phải được gửi dạng multipart/form-data: {}",
                        e.body_text()
                    ),
                )
            })
    }
}

/// True when the request's body is multipart (an upload) rather than JSON or a form.
pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Query string extractor whose failures are our own 422, never a bare 400.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let _ = state;
        let raw = parts.uri.query().unwrap_or("");
        let mut cleaned = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            cleaned.append_pair(&crate::text::clean_input(&k), &crate::text::clean_input(&v));
        }
        serde_urlencoded::from_str::<T>(&cleaned.finish())
            .map(Q)
            .map_err(|e| AppError::invalid("query", format!("Tham số không hợp lệ: {e}")))
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

/// Parses "as_of" (YYYY-MM-DD or dd/mm/yyyy); `today` (the server's clock) when absent.
pub fn as_of(s: &Option<String>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => crate::store::parse_date(s)
            .ok_or_else(|| AppError::invalid("as_of", "Ngày xem không hợp lệ (dd/mm/yyyy).")),
    }
}
