//! One log line per request, under a request id that the response echoes (`x-request-id`): an
//! officer's report of "lỗi hệ thống" can be found in the log by the id their browser received.

use axum::http::{HeaderName, Request, Response};
use std::time::Duration;
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A random id per request, 16 hex digits (or the id a proxy in front already gave it).
#[derive(Clone, Copy, Default)]
pub struct NewRequestId;

impl MakeRequestId for NewRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::random::<u64>());
        id.parse().ok().map(RequestId::new)
    }
}

pub fn span<B>(req: &Request<B>) -> Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // the load balancer's liveness probe is logged only at debug level
    if req.uri().path() == "/health" {
        return tracing::debug_span!("request", id, method = %req.method(), path = "/health");
    }
    tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
}

pub fn on_response<B>(res: &Response<B>, latency: Duration, span: &Span) {
    let status = res.status().as_u16();
    if span.is_disabled() && status < 500 {
        return;
    }
    let ms = format!("{:.1}", latency.as_secs_f64() * 1000.0);
    if status >= 500 {
        tracing::error!(status, ms = %ms, "answered");
    } else {
        tracing::info!(status, ms = %ms, "answered");
    }
}

/// Counts the request under its route as declared (`/meetings/{id}`, never the ids
/// themselves), for `/metrics`.
pub async fn record_metrics(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    crate::metrics::request(&method, &route, res.status().as_u16(), started.elapsed());
    res
}

/// `/metrics`: this server's figures and its database pool, when `STEERCO_METRICS=1`.
pub async fn metrics(
    axum::extract::State(st): axum::extract::State<super::AppState>,
) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    let (open, idle) = st.db.pool_stats();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&[
            (
                "steerco_db_connections_open",
                "Connections the database pool holds.",
                open as f64,
            ),
            ("steerco_db_connections_idle", "Of them, idle.", idle as f64),
        ]),
    )
}
