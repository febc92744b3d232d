//! Prometheus metrics of this process (each server is scraped on its own, so nothing here needs
//! sharing): requests by route and status with their latencies, and outcome counters that the
//! domain bumps (notices sent or failed, imports done or failed). Served at `/metrics` when
//! `STEERCO_METRICS=1`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Latency {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
struct Registry {
    /// (method, route, status) → latencies
    requests: BTreeMap<(String, String, u16), Latency>,
    /// (name, label value) → count
    counters: BTreeMap<(&'static str, &'static str), u64>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Default::default);

/// Whether `/metrics` is served (`STEERCO_METRICS=1`).
pub fn enabled() -> bool {
    std::env::var("STEERCO_METRICS").is_ok_and(|v| v == "1" || v == "true")
}

/// One request answered: its method, its route as declared (`/meetings/{id}`), its status.
pub fn request(method: &str, route: &str, status: u16, took: Duration) {
    let secs = took.as_secs_f64();
    if let Ok(mut r) = REGISTRY.lock() {
        let l = r
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        l.count += 1;
        l.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                l.buckets[i] += 1;
            }
        }
    }
}

/// An outcome: `name` is a counter (`steerco_notifications_total`), `outcome` its label.
pub fn count(name: &'static str, outcome: &'static str) {
    if let Ok(mut r) = REGISTRY.lock() {
        *r.counters.entry((name, outcome)).or_default() += 1;
    }
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The text exposition format; `gauges` are read at the moment (the database pool).
pub fn render(gauges: &[(&str, &str, f64)]) -> String {
    let mut out = String::new();
    let Ok(r) = REGISTRY.lock() else {
        return out;
    };
    out.push_str("# HELP steerco_http_requests_total Requests answered, by route and status.\n");
    out.push_str("# TYPE steerco_http_requests_total counter\n");
    for ((m, route, status), l) in &r.requests {
        let _ = writeln!(
            out,
            "steerco_http_requests_total{{method=\"{m}\",route=\"{}\",status=\"{status}\"}} {}",
            label(route),
            l.count
        );
    }
    out.push_str("# HELP steerco_http_request_duration_seconds Time to answer, by route.\n");
    out.push_str("# TYPE steerco_http_request_duration_seconds histogram\n");
    let mut by_route: BTreeMap<(&str, &str), Latency> = BTreeMap::new();
    for ((m, route, _), l) in &r.requests {
        let t = by_route.entry((m, route)).or_default();
        t.count += l.count;
        t.sum += l.sum;
        for i in 0..BUCKETS.len() {
            t.buckets[i] += l.buckets[i];
        }
    }
    for ((m, route), l) in &by_route {
        let route = label(route);
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "steerco_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{route}\",le=\"{b}\"}} {}",
                l.buckets[i]
            );
        }
        let _ = writeln!(
            out,
            "steerco_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{route}\",le=\"+Inf\"}} {}",
            l.count
        );
        let _ = writeln!(
            out,
            "steerco_http_request_duration_seconds_sum{{method=\"{m}\",route=\"{route}\"}} {}",
            l.sum
        );
        let _ = writeln!(
            out,
            "steerco_http_request_duration_seconds_count{{method=\"{m}\",route=\"{route}\"}} {}",
            l.count
        );
    }
    let mut last = "";
    for ((name, outcome), n) in &r.counters {
        if *name != last {
            let _ = writeln!(out, "# TYPE {name} counter");
            last = name;
        }
        let _ = writeln!(out, "{name}{{outcome=\"{outcome}\"}} {n}");
    }
    for (name, help, v) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
    out
}
