//! The leader's page, the one a leader lands on: on one screen the province's share of overdue
//! tasks and its course over six months, the Decision 766 score of the year, the units with the
//! most overdue work, the first and last on the index, the reports not in, the breakthroughs and
//! commitments — each a link to the page behind it. Read-only: nothing on it acts.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};
use maud::html;

use super::{charts, empty, page};
use crate::auth::{policy, Actor};
use crate::breakthroughs::commitments::Outcome;
use crate::error::AppResult;
use crate::http::AppState;
use crate::org;

pub fn router() -> Router<AppState> {
    Router::new().route("/leader", get(leader_page))
}

/// The last day of each of the `n` months up to `today` (today for the current one).
fn month_ends(today: NaiveDate, n: u32) -> Vec<NaiveDate> {
    let mut out = vec![today];
    let mut d = today.with_day(1).unwrap_or(today);
    for _ in 1..n {
        d = d.pred_opt().unwrap_or(d);
        out.push(d);
        d = d.with_day(1).unwrap_or(d);
    }
    out.reverse();
    out
}

async fn leader_page(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    policy::read_dashboards(&actor)?;
    let province = org::province_for(&st.db, &actor, None).await?;
    let today = st.clock.today_vn();
    let pname = org::province_name(&st.db, &province).await?;
    let now = st
        .dashboards
        .province(&st.db, &province, None, today)
        .await?;
    let mut trend = vec![];
    for d in month_ends(today, 6) {
        let v = st.dashboards.province(&st.db, &province, None, d).await?;
        trend.push((
            format!("{:02}/{}", d.month(), d.year() % 100),
            v.dash.total.overdue_share(),
        ));
    }
    let mut worst: Vec<_> = now
        .dash
        .units
        .iter()
        .filter(|u| u.counts.overdue > 0)
        .collect();
    worst.sort_by_key(|u| std::cmp::Reverse(u.counts.overdue));
    worst.truncate(5);
    let year = today.year();
    let board = crate::breakthroughs::commitments::year_board(&st.db, &province, year).await?;
    let league = board
        .as_ref()
        .and_then(|b| b.leagues.iter().max_by_key(|l| l.rows.len()));
    let reports = crate::reporting::province_status(&st.db, &province, today).await?;
    let late: Vec<_> = reports
        .iter()
        .filter(|r| r.due_on < today && r.submitted < r.expected)
        .collect();
    // the standings from the board above: the year's league is computed once
    let standings = board
        .as_ref()
        .map(|b| crate::breakthroughs::commitments::standings_of(&b.leagues))
        .unwrap_or_default();
    let emulation =
        crate::breakthroughs::emulation::summary_with(&st.db, &province, year, today, standings)
            .await?;
    let committed: Vec<_> = emulation
        .rows
        .iter()
        .filter(|r| r.committed_rank.is_some())
        .collect();
    let met = committed
        .iter()
        .filter(|r| r.outcome == Outcome::Met)
        .count();
    let behind = emulation
        .rows
        .iter()
        .filter(|r| {
            r.breakthroughs
                .iter()
                .any(|b| b.2 == crate::breakthroughs::tracking::Progress::Behind)
        })
        .count();
    let total = &now.dash.total;
    let labels: Vec<String> = trend.iter().map(|t| t.0.clone()).collect();
    let series = vec![(
        "Tỷ lệ nhiệm vụ quá hạn".to_string(),
        trend.iter().map(|t| Some(t.1)).collect::<Vec<_>>(),
    )];
    Ok(page(
        "Tổng quan lãnh đạo",
        Some(&actor),
        html! {
            h1 { (pname) " · tình hình đến ngày " (today.format("%d/%m/%Y")) }
            div.tiles {
                a.tile.st-over href="/dashboard/overdue" { div.n { (format!("{:.1}", total.overdue_share())) "%" } div.l { "nhiệm vụ quá hạn (" (total.overdue) " nhiệm vụ)" } }
                @if let Some(b) = &board {
                    a.tile.headline href="/indicators" { div.n { (format!("{:.1}", b.score.total)) } div.l { "điểm Bộ chỉ số 766 năm " (year)
                        @if let Some(p) = b.previous_total { " (năm trước " (format!("{:.1}", p)) ")" } } }
                }
                a.tile.st-late href="/reports" { div.n { (late.len()) } div.l { "báo cáo quá hạn còn thiếu" } }
                a.tile.st-ok href="/emulation" { div.n { (met) "/" (committed.len()) } div.l { "đơn vị đạt cam kết thứ hạng" } }
                a.tile.st-prog href="/breakthroughs" { div.n { (behind) } div.l { "khâu đột phá chậm lộ trình" } }
            }
            div.leader {
                section {
                    h2 { "Đơn vị nhiều nhiệm vụ quá hạn nhất" }
                    @if worst.is_empty() { (empty("Không có nhiệm vụ quá hạn.")) } @else {
                        ol { @for u in &worst { li { a href={"/dashboard/overdue?unit=" (u.unit_id)} { (u.unit_name) } " — " strong.st-over { (u.counts.overdue) } " quá hạn" } } }
                    }
                    p { a href="/dashboard" { "Tổng quan theo đơn vị »" } " · " a href="/dashboard/overdue.xlsx" { "Danh sách quá hạn (.xlsx)" } }
                }
                section {
                    h2 { "Xếp hạng chỉ số năm " (year) }
                    @match league {
                        Some(l) if !l.rows.is_empty() => {
                            p.hint { (l.title) }
                            p { strong { "Dẫn đầu: " } @for (i, r) in l.rows.iter().take(5).enumerate() { @if i > 0 { ", " } (r.name) " (" (format!("{:.1}", r.total)) ")" } }
                            p { strong { "Cuối bảng: " } @for (i, r) in l.rows.iter().rev().take(5).enumerate() { @if i > 0 { ", " } (r.name) " (" (format!("{:.1}", r.total)) ")" } }
                            p { a href="/indicators" { "Bảng xếp hạng đầy đủ »" } }
                        }
                        _ => (empty("Chưa có số liệu chỉ số của năm.")),
                    }
                }
                section {
                    h2 { "Diễn biến tỷ lệ nhiệm vụ quá hạn" }
                    (charts::lines(&labels, &series))
                }
                section {
                    h2 { "Báo cáo định kỳ còn thiếu" }
                    @if late.is_empty() { p { "Các báo cáo đến hạn đã đủ." } } @else {
                        ul { @for r in &late { li { a href={"/reports/schedules/" (r.schedule.id) "?period=" (r.period.key)} { (r.schedule.name) } " — " (r.period.label()) ": "
                            strong.st-over { (r.expected - r.submitted) } " đơn vị chưa gửi (hạn " (r.due_on.format("%d/%m/%Y")) ")" } } }
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_month_ends_up_to_today() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ends = month_ends(d("2026-03-10"), 6);
        let shown: Vec<String> = ends.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2025-10-31",
                "2025-11-30",
                "2025-12-31",
                "2026-01-31",
                "2026-02-28",
                "2026-03-10"
            ]
        );
    }
}
