//! A refused form comes back filled in. When a url-encoded form POST is refused with field
//! errors (422), the page the form was sent from (its Referer, on this host: the CSRF layer has
//! checked) is rendered again as a GET, and in the form that posts to the refused address every
//! field gets the value the user typed and its error beside it. Every form gets this without a
//! line of its own: a handler only returns its `AppError::Invalid`; a page that renders its own
//! refusal (an HTML 422) is left as it is, and when the page or the form cannot be found the
//! error page lists every error (`html_errors`).

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use crate::error::FieldError;
use crate::http::Refusal;

/// Forms are small; anything larger is not kept for refilling.
const FORM_LIMIT: usize = 1 << 20;
/// A page larger than this is not rewritten.
const PAGE_LIMIT: usize = 8 << 20;

/// The middleware; `pages` is the router without its outer layers (the GET it renders needs no
/// CSRF check and must not be turned into an error page).
pub async fn refused_forms(State(pages): State<Router>, req: Request, next: Next) -> Response {
    let is_form = req.method() == Method::POST
        && !req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let action = parts.uri.path().to_string();
    let back = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| same_host_path(r, &parts.headers));
    let cookie = parts.headers.get(header::COOKIE).cloned();
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if res.status() != StatusCode::UNPROCESSABLE_ENTITY || is_html(&res) {
        return res;
    }
    let (Some(back), Some(refusal)) = (back, res.extensions().get::<Refusal>().cloned()) else {
        return res;
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match render_again(pages, &back, cookie, &action, &pairs, &refusal.errors).await {
        Some(page) => page,
        None => res,
    }
}

async fn render_again(
    pages: Router,
    back: &str,
    cookie: Option<HeaderValue>,
    action: &str,
    pairs: &[(String, String)],
    errors: &[FieldError],
) -> Option<Response> {
    let mut get = Request::builder().method(Method::GET).uri(back);
    if let Some(c) = cookie {
        get = get.header(header::COOKIE, c);
    }
    let page = pages.oneshot(get.body(Body::empty()).ok()?).await.ok()?;
    if page.status() != StatusCode::OK || !is_html(&page) {
        return None;
    }
    let (mut parts, body) = page.into_parts();
    let html = String::from_utf8(to_bytes(body, PAGE_LIMIT).await.ok()?.to_vec()).ok()?;
    let filled = refill(&html, action, pairs, errors)?;
    parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    parts.headers.remove(header::CONTENT_LENGTH);
    Some(Response::from_parts(parts, Body::from(filled)))
}

pub(super) fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The path and query of a Referer on this host, or None.
fn same_host_path(referer: &str, headers: &axum::http::HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let from = crate::http::authority(referer).filter(|a| a.eq_ignore_ascii_case(host))?;
    let path = &referer[referer.find(from)? + from.len()..];
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

// ---- the rewriting of our own HTML ----

/// One tag of the page: where it stands, its name, whether it closes, its attributes.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: String,
    closing: bool,
    attrs: Vec<(&'a str, Option<String>)>,
}

impl Tag<'_> {
    fn attr(&self, n: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }
    fn has(&self, n: &str) -> bool {
        self.attrs.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
    }
    /// The tag written again with `set` attributes replaced or added and `drop` ones removed.
    fn write(&self, set: &[(&str, Option<&str>)], drop: &[&str]) -> String {
        let mut out = format!("<{}", self.name);
        let skip = |k: &str| {
            drop.iter().any(|d| d.eq_ignore_ascii_case(k))
                || set.iter().any(|(s, _)| s.eq_ignore_ascii_case(k))
        };
        for (k, v) in self.attrs.iter().filter(|(k, _)| !skip(k)) {
            push_attr(&mut out, k, v.as_deref());
        }
        for (k, v) in set {
            push_attr(&mut out, k, *v);
        }
        out.push('>');
        out
    }
}

fn push_attr(out: &mut String, k: &str, v: Option<&str>) {
    out.push(' ');
    out.push_str(k);
    if let Some(v) = v {
        out.push_str("=\"");
        out.push_str(&escape(v));
        out.push('"');
    }
}

/// Escaped as maud escapes the rest of the page.
fn escape(s: &str) -> String {
    maud::html! { (s) }.into_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The tags of a page written by maud: attribute values quoted with `"`, `<` and `>` escaped
/// everywhere but inside scripts and styles, which are skipped whole.
fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let end = start + len + 1;
        let inner = &html[start + 1..end - 1];
        i = end;
        if inner.starts_with('!') || inner.starts_with('?') {
            continue;
        }
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_len = inner
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_len].to_ascii_lowercase();
        let attrs = attributes(&inner[name_len..]);
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            if let Some(c) = html[end..].to_ascii_lowercase().find(&close) {
                i = end + c;
            }
        }
        out.push(Tag {
            start,
            end,
            name,
            closing,
            attrs,
        });
    }
    out
}

fn attributes(s: &str) -> Vec<(&str, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let rest_trim = rest.trim_start_matches('/').trim_start();
        if rest_trim.is_empty() {
            break;
        }
        rest = rest_trim;
        let n = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..n];
        rest = &rest[n..];
        if let Some(after) = rest.strip_prefix('=') {
            let (value, tail) = match after.strip_prefix('"') {
                Some(q) => match q.find('"') {
                    Some(e) => (&q[..e], &q[e + 1..]),
                    None => (q, ""),
                },
                None => {
                    let e = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..e], &after[e..])
                }
            };
            out.push((key, Some(unescape(value))));
            rest = tail.trim_start();
        } else {
            out.push((key, None));
            rest = rest.trim_start();
        }
        if n == 0 && !rest.is_empty() {
            // a stray character: skip it rather than loop
            rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
        }
    }
    out
}

fn path_of(action: &str) -> &str {
    action.split(['?', '#']).next().unwrap_or(action)
}

/// The page with the first form that posts to `action` filled with `pairs` and `errors` beside
/// their fields (a summary at the top of the form holds the ones with no field of their own),
/// the `<details>` around it opened. None when the page has no such form.
pub fn refill(
    html: &str,
    action: &str,
    pairs: &[(String, String)],
    errors: &[FieldError],
) -> Option<String> {
    let tags = tags(html);
    let form_at = tags.iter().position(|t| {
        t.name == "form"
            && !t.closing
            && t.attr("method")
                .is_some_and(|m| m.eq_ignore_ascii_case("post"))
            && t.attr("action").map(path_of) == Some(path_of(action))
    })?;
    let form_end = tags[form_at..]
        .iter()
        .position(|t| t.name == "form" && t.closing)
        .map(|p| p + form_at)?;
    // the <details> still open where the form starts
    let mut open_details = Vec::new();
    for (k, t) in tags[..form_at].iter().enumerate() {
        if t.name == "details" {
            if t.closing {
                open_details.pop();
            } else {
                open_details.push(k);
            }
        }
    }
    let values = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let sent = |name: &str| pairs.iter().any(|(k, _)| k == name);
    let mut used: std::collections::HashMap<String, usize> = Default::default();
    let mut placed: std::collections::HashSet<String> = Default::default();
    // the errors of a field, once: beside its first element
    let mut beside_once = |name: &str| -> String {
        let errs: Vec<&FieldError> = errors.iter().filter(|e| e.field == name).collect();
        if errs.is_empty() || !placed.insert(name.to_string()) {
            return String::new();
        }
        beside(&errs)
    };
    let field_errors =
        |name: &str| -> Vec<&FieldError> { errors.iter().filter(|e| e.field == name).collect() };

    let mut out = String::with_capacity(html.len() + 1024);
    let mut at = 0;
    let mut select: Option<&str> = None;
    let mut k = 0;
    while k < tags.len() {
        let t = &tags[k];
        out.push_str(&html[at..t.start]);
        at = t.end;
        let inside = k > form_at && k < form_end;
        if open_details.contains(&k) && !t.has("open") {
            out.push_str(&t.write(&[("open", None)], &[]));
        } else if k == form_at {
            out.push_str(&t.write(&[("id", Some("refused-form"))], &[]));
            out.push_str(&summary(errors, &tags[form_at..form_end]));
        } else if inside && !t.closing && t.name == "input" {
            let name = t.attr("name").unwrap_or("").to_string();
            let kind = t.attr("type").unwrap_or("text").to_ascii_lowercase();
            let errs = field_errors(&name);
            let mut set: Vec<(&str, Option<&str>)> = Vec::new();
            let mut drop: Vec<&str> = Vec::new();
            let value;
            match kind.as_str() {
                _ if name.is_empty() || name == "_csrf" => {}
                "hidden" | "submit" | "button" | "file" | "image" | "reset" | "password" => {}
                "checkbox" | "radio" => {
                    let own = t.attr("value").unwrap_or("on");
                    if values(&name).contains(&own) {
                        set.push(("checked", None));
                    } else {
                        drop.push("checked");
                    }
                }
                _ if sent(&name) => {
                    let n = used.entry(name.clone()).or_default();
                    value = values(&name).get(*n).map(|v| v.to_string());
                    *n += 1;
                    if let Some(v) = &value {
                        set.push(("value", Some(v.as_str())));
                    }
                }
                _ => {}
            }
            if !errs.is_empty() {
                set.push(("aria-invalid", Some("true")));
            }
            out.push_str(&t.write(&set, &drop));
            out.push_str(&beside_once(&name));
        } else if inside && !t.closing && t.name == "textarea" {
            let name = t.attr("name").unwrap_or("").to_string();
            let errs = field_errors(&name);
            let set: Vec<(&str, Option<&str>)> = if errs.is_empty() {
                vec![]
            } else {
                vec![("aria-invalid", Some("true"))]
            };
            out.push_str(&t.write(&set, &[]));
            // the content up to </textarea> is the old value
            if let Some(close) = tags[k + 1..]
                .iter()
                .position(|c| c.name == "textarea" && c.closing)
                .map(|p| p + k + 1)
            {
                let n = used.entry(name.clone()).or_default();
                match values(&name).get(*n) {
                    Some(v) if sent(&name) => out.push_str(&escape(v)),
                    _ => out.push_str(&html[t.end..tags[close].start]),
                }
                *n += 1;
                out.push_str(&html[tags[close].start..tags[close].end]);
                at = tags[close].end;
                k = close;
                out.push_str(&beside_once(&name));
            }
        } else if inside && t.name == "select" {
            if t.closing {
                out.push_str(&html[t.start..t.end]);
                if let Some(name) = select.take() {
                    out.push_str(&beside_once(name));
                }
            } else {
                let name = t.attr("name").unwrap_or("");
                select = Some(name);
                let set: Vec<(&str, Option<&str>)> = if field_errors(name).is_empty() {
                    vec![]
                } else {
                    vec![("aria-invalid", Some("true"))]
                };
                out.push_str(&t.write(&set, &[]));
            }
        } else if inside && !t.closing && t.name == "option" && select.is_some_and(sent) {
            let name = select.unwrap_or("");
            let own = match t.attr("value") {
                Some(v) => v.to_string(),
                None => option_text(html, &tags, k),
            };
            if values(name).contains(&own.as_str()) {
                out.push_str(&t.write(&[("selected", None)], &[]));
            } else {
                out.push_str(&t.write(&[], &["selected"]));
            }
        } else {
            out.push_str(&html[t.start..t.end]);
        }
        k += 1;
    }
    out.push_str(&html[at..]);
    Some(out)
}

fn option_text(html: &str, tags: &[Tag<'_>], k: usize) -> String {
    let end = tags.get(k + 1).map_or(html.len(), |n| n.start);
    unescape(html[tags[k].end..end].trim())
}

/// The errors beside a field.
fn beside(errs: &[&FieldError]) -> String {
    errs.iter()
        .map(|e| {
            format!(
                "<span class=\"field-error\" role=\"alert\">{}</span>",
                escape(&e.message)
            )
        })
        .collect()
}

/// At the top of the refused form: what to do, and the errors that have no field in it.
fn summary(errors: &[FieldError], form: &[Tag<'_>]) -> String {
    let names: Vec<&str> = form
        .iter()
        .filter(|t| !t.closing && matches!(t.name.as_str(), "input" | "textarea" | "select"))
        .filter_map(|t| t.attr("name"))
        .collect();
    let loose: Vec<&FieldError> = errors
        .iter()
        .filter(|e| !names.contains(&e.field.as_str()))
        .collect();
    let mut s = String::from(
        "<div class=\"form-errors\" role=\"alert\"><p>Dữ liệu chưa hợp lệ, vui lòng sửa các mục được đánh dấu rồi gửi lại.</p>",
    );
    if !loose.is_empty() {
        s.push_str("<ul>");
        for e in loose {
            s.push_str(&format!("<li>{}</li>", escape(&e.message)));
        }
        s.push_str("</ul>");
    }
    s.push_str("</div>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const PAGE: &str = r#"<html><body><main><form method="get" action="/x"><input name="q" value="old"></form><details><summary>Sửa</summary><form method="post" action="/tasks/5"><input type="hidden" name="_csrf" value="tok"><label>STT <input name="ref" value="1"></label><label>Tên <textarea name="title" required rows="2">cũ</textarea></label><select name="kind"><option value="a" selected>A</option><option value="b">B &amp; C</option></select><input type="checkbox" name="g" value="1" checked><input type="checkbox" name="g" value="2"><select name="u" multiple><option>x</option><option>y</option></select><button type="submit">Lưu</button></form></details><script>if (a<b) { x = "<input name='ref'>"; }</script></main></body></html>"#;

    #[test]
    fn a_refused_form_keeps_what_was_typed_and_shows_each_error_beside_its_field() {
        let sent = pairs(&[
            ("_csrf", "tok"),
            ("ref", "2 \"b\""),
            ("title", "<mới>"),
            ("kind", "b"),
            ("g", "2"),
            ("u", "y"),
        ]);
        let errs = [
            err("title", "Vui lòng nhập tên nhiệm vụ."),
            err("deadline", "Thời hạn không hợp lệ."),
        ];
        let out = refill(PAGE, "/tasks/5", &sent, &errs).expect("form found");
        // the GET form elsewhere on the page is untouched
        assert!(out.contains(r#"<input name="q" value="old">"#));
        assert!(out.contains(r#"<details open>"#), "{out}");
        assert!(
            out.contains(r#"<input name="ref" value="2 &quot;b&quot;">"#),
            "{out}"
        );
        assert!(out.contains(r#"aria-invalid="true">&lt;mới&gt;</textarea><span class="field-error" role="alert">Vui lòng nhập tên nhiệm vụ.</span>"#), "{out}");
        assert!(
            out.contains(
                r#"<option value="a">A</option><option value="b" selected>B &amp; C</option>"#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"<input type="checkbox" name="g" value="1">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<input type="checkbox" name="g" value="2" checked>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<option>x</option><option selected>y</option>"#),
            "{out}"
        );
        // the token is the page's own; the error with no field of its own is in the summary
        assert!(out.contains(r#"name="_csrf" value="tok""#));
        assert!(out.contains("<li>Thời hạn không hợp lệ.</li>"), "{out}");
        assert!(!out.contains("<li>Vui lòng nhập tên"), "{out}");
        // a script is not read as markup
        assert!(
            out.contains(r#"x = "<input name='ref'>"; }</script>"#),
            "{out}"
        );
    }

    #[test]
    fn a_page_without_the_form_is_not_rewritten() {
        assert!(refill(PAGE, "/tasks/6", &[], &[]).is_none());
        assert!(
            refill(PAGE, "/x", &[], &[]).is_none(),
            "a GET form is no target"
        );
    }

    #[test]
    fn only_a_referer_on_this_host_is_rendered_again() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("steerco.local:8080"));
        assert_eq!(
            same_host_path("http://steerco.local:8080/tasks/5?as_of=2026-01-01", &h).as_deref(),
            Some("/tasks/5?as_of=2026-01-01")
        );
        assert_eq!(same_host_path("https://evil.example/tasks/5", &h), None);
        assert_eq!(same_host_path("http://steerco.local:8080//evil", &h), None);
        assert_eq!(same_host_path("/tasks/5", &h), None);
    }
}
