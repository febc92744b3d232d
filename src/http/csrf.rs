//! Cross-site request forgery, refused in one place for every route: a request that changes
//! something and is authenticated by the session cookie (the only credential a browser sends
//! by itself) must come from our own pages — its Origin (or Referer) is this server — and carry
//! the session's token: the `_csrf` field of a form (the first field of a multipart form, so a
//! large upload is never buffered), or the `x-csrf-token` header of a script. API tokens are
//! never sent by a browser on its own and need neither.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::{bearer_token, session_cookie_value, AppState};
use crate::auth::repo;
use crate::error::AppError;

/// A url-encoded form larger than this is not read for its token (the route's own limit, lower,
/// refuses it anyway).
const FORM_LIMIT: usize = 32 << 20;
/// How far into a multipart body the first field is looked for.
const FIRST_FIELD_LIMIT: usize = 64 << 10;

pub async fn csrf(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // A browser's change from another site is refused even without a session: the login form
    // too (else a page elsewhere could sign a visitor into the attacker's account).
    if bearer_token(&parts).is_none() && !same_origin(&parts.headers) {
        return AppError::Csrf.into_response();
    }
    // the handler authenticates by the token when there is one, else by the cookie
    let session = session_cookie_value(&parts).filter(|_| bearer_token(&parts).is_none());
    let Some(session) = session else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let actor = match repo::actor_for_session(&st.db, &session).await {
        Ok(Some(a)) => a,
        // an expired session: the handler answers 401 (a browser goes to the login page)
        Ok(None) => return next.run(Request::from_parts(parts, body)).await,
        Err(e) => return e.into_response(),
    };
    let (sent, body) = match token_in(&parts, body).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = actor.verify_csrf(&sent) {
        return e.into_response();
    }
    // the handler's `Actor` is this one: no second session lookup
    parts.extensions.insert(actor);
    next.run(Request::from_parts(parts, body)).await
}

/// A browser names the page a request comes from: Origin on every POST of today's browsers,
/// Referer otherwise. Either, when present, must be this host; neither (a script) is allowed
/// through to the token check.
fn same_origin(h: &HeaderMap) -> bool {
    let Some(host) = h.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let from = h
        .get(header::ORIGIN)
        .or_else(|| h.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match from {
        None => true,
        Some(url) => authority(url) == Some(host),
    }
}

/// "https://host:port/path" → "host:port".
pub fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// The token the request carries and the body to hand on unchanged.
async fn token_in(parts: &Parts, body: Body) -> Result<(String, Body), AppError> {
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(t) = header_token {
        return Ok((t, body));
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::invalid("form", "Biểu mẫu quá lớn."))?;
        let token = form_urlencoded_field(&bytes, "_csrf").unwrap_or_default();
        return Ok((token, Body::from(bytes)));
    }
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| {
            rest.split(';')
                .find_map(|p| p.trim().strip_prefix("boundary="))
        })
    {
        let boundary = boundary.trim_matches('"').to_string();
        return first_multipart_field(body, &boundary, "_csrf").await;
    }
    Ok((String::new(), body))
}

fn form_urlencoded_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Reads the start of a multipart body until its first field is whole, returns that field's
/// value when it is `name`, and a body that replays what was read before the rest.
async fn first_multipart_field(
    body: Body,
    boundary: &str,
    name: &str,
) -> Result<(String, Body), AppError> {
    let mut stream = body.into_data_stream();
    let mut head: Vec<u8> = Vec::new();
    let mut found = None;
    loop {
        // parse before reading more: one chunk may hold the whole first field and much after
        if let Some(v) = parse_first_field(&head, boundary, name) {
            found = v;
            break;
        }
        if head.len() >= FIRST_FIELD_LIMIT {
            break;
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(AppError::invalid("form", "Biểu mẫu không hợp lệ.")),
            None => break,
        }
    }
    let replay =
        futures_util::stream::once(async move { Ok::<Bytes, axum::Error>(Bytes::from(head)) });
    Ok((
        found.unwrap_or_default(),
        Body::from_stream(replay.chain(stream)),
    ))
}

/// `Some(Some(value))` when the first field is `name` and complete, `Some(None)` when the first
/// field is complete and another one, `None` when more bytes are needed.
fn parse_first_field(buf: &[u8], boundary: &str, name: &str) -> Option<Option<String>> {
    let delimiter = format!("--{boundary}");
    let start = find(buf, delimiter.as_bytes())? + delimiter.len();
    let headers_end = find(&buf[start..], b"\r\n\r\n")? + start;
    let headers = String::from_utf8_lossy(&buf[start..headers_end]).to_ascii_lowercase();
    let value_start = headers_end + 4;
    let end_marker = format!("\r\n{delimiter}");
    let value_end = find(&buf[value_start..], end_marker.as_bytes())? + value_start;
    let wanted = headers.contains(&format!("name=\"{name}\""));
    Some(wanted.then(|| String::from_utf8_lossy(&buf[value_start..value_end]).into_owned()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_field_of_a_multipart_form() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n";
        assert_eq!(
            parse_first_field(body, "XyZ", "_csrf"),
            Some(Some("abc123".into()))
        );
        // not there yet: more bytes needed
        assert_eq!(parse_first_field(&body[..40], "XyZ", "_csrf"), None);
        // a form whose first field is another one carries no token
        let other =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ndossier\r\n--XyZ--";
        assert_eq!(parse_first_field(other, "XyZ", "_csrf"), Some(None));
    }

    #[test]
    fn origins() {
        let h = |origin: Option<&str>, referer: Option<&str>| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
            if let Some(o) = origin {
                m.insert(header::ORIGIN, o.parse().unwrap());
            }
            if let Some(r) = referer {
                m.insert(header::REFERER, r.parse().unwrap());
            }
            same_origin(&m)
        };
        assert!(h(Some("http://127.0.0.1:8080"), None));
        assert!(h(None, Some("http://127.0.0.1:8080/tasks/1?x=1")));
        assert!(h(None, None));
        assert!(!h(Some("http://evil.example"), None));
        assert!(!h(Some("http://127.0.0.1:8080.evil.example"), None));
        assert!(!h(None, Some("https://evil.example/127.0.0.1:8080")));
        assert!(!h(Some("null"), None));
    }
}
