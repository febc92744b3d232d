//! Small server-rendered SVG charts (no script, readable on weak machines and in print).

use maud::{html, Markup, PreEscaped};

const COLORS: &[&str] = &["#a31d24", "#1f5fa8", "#1f7a3d", "#b06a00", "#6b4fa3"];

/// Horizontal bars of points out of a maximum: `(label, points, max)`.
pub fn bars(rows: &[(String, f64, f64)]) -> Markup {
    let h = 26.0;
    let height = h * rows.len() as f64 + 4.0;
    html! {
        svg.chart width="100%" height=(height) viewBox={"0 0 600 " (height)} role="img" aria-label="Điểm theo nhóm tiêu chí" {
            @for (i, (label, points, max)) in rows.iter().enumerate() {
                @let y = i as f64 * h + 2.0;
                @let w = if *max > 0.0 { 300.0 * (points / max).clamp(0.0, 1.0) } else { 0.0 };
                text x="0" y=(y + 16.0) font-size="12" { (label) }
                rect x="250" y=(y + 3.0) width="300" height="16" fill="#eef1f5" {}
                rect x="250" y=(y + 3.0) width=(format!("{w:.1}")) height="16" fill=(COLORS[0]) {}
                text x="555" y=(y + 16.0) font-size="12" { (num(*points)) "/" (num(*max)) }
            }
        }
    }
}

/// Lines over months: `series` of `(name, values in %)`, one value per x label.
pub fn lines(x_labels: &[String], series: &[(String, Vec<Option<f64>>)]) -> Markup {
    let (w, h, left, bottom) = (600.0, 220.0, 36.0, 24.0);
    let n = x_labels.len().max(1);
    let step = (w - left - 10.0) / (n.max(2) - 1) as f64;
    let y_of = |v: f64| 8.0 + (h - bottom - 8.0) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let x_of = |i: usize| left + step * i as f64;
    html! {
        svg.chart width="100%" height=(h + 22.0 * series.len().div_ceil(3) as f64) viewBox={"0 0 600 " (h + 22.0 * series.len().div_ceil(3) as f64)} role="img" aria-label="Diễn biến theo tháng" {
            @for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line x1=(left) x2=(w - 10.0) y1=(y_of(t)) y2=(y_of(t)) stroke="#d9dee5" {}
                text x="0" y=(y_of(t) + 4.0) font-size="11" fill="#5b6776" { (t) "%" }
            }
            @for (i, l) in x_labels.iter().enumerate() {
                text x=(x_of(i) - 8.0) y=(h - 6.0) font-size="11" fill="#5b6776" { (l) }
            }
            @for (k, (name, values)) in series.iter().enumerate() {
                @let color = COLORS[k % COLORS.len()];
                @let pts: Vec<String> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x_of(i), y_of(v)))).collect();
                polyline points=(pts.join(" ")) fill="none" stroke=(color) stroke-width="2" {}
                @for (i, v) in values.iter().enumerate() {
                    @if let Some(v) = v {
                        circle cx=(format!("{:.1}", x_of(i))) cy=(format!("{:.1}", y_of(*v))) r="3" fill=(color) {
                            title { (name) " " (x_labels.get(i).map(String::as_str).unwrap_or("")) ": " (num(*v)) " %" }
                        }
                    }
                }
                @let (lx, ly) = (left + 190.0 * (k % 3) as f64, h + 14.0 + 22.0 * (k / 3) as f64);
                rect x=(lx) y=(ly - 9.0) width="10" height="10" fill=(color) {}
                text x=(lx + 14.0) y=(ly) font-size="11" { (name) }
            }
        }
    }
}

/// A small bar in a table cell: a value in % against a target mark.
pub fn meter(value: Option<f64>, target: Option<f64>) -> Markup {
    let v = value.unwrap_or(0.0).clamp(0.0, 100.0);
    html! {
        svg width="80" height="10" viewBox="0 0 100 10" aria-hidden="true" {
            rect x="0" y="1" width="100" height="8" fill="#eef1f5" {}
            rect x="0" y="1" width=(format!("{v:.1}")) height="8" fill="#1f5fa8" {}
            @if let Some(t) = target {
                line x1=(t) x2=(t) y1="0" y2="10" stroke="#1d2733" stroke-width="1.5" {}
            }
        }
    }
}

fn num(v: f64) -> PreEscaped<String> {
    PreEscaped(crate::reporting::template::show_number(
        (v * 100.0).round() / 100.0,
    ))
}
