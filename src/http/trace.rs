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
