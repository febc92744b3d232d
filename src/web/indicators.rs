//! Scorecards and rankings (menu "Chỉ số"): the province's Decision 766 score and targets,
//! league tables of communes and departments, drill-down to a unit and its procedures, the
//! country's league of provinces for administrators; importing one-stop data; targets.

use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::charts;
use super::{csrf_field, empty, page, FormPairs, F, P, Q};
use crate::auth::{policy, Actor};
use crate::dossiers::import::{self, Kind};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::indicators::board::{self, Board, Ranked, TargetLine, UnitBoard};
use crate::indicators::period::Period;
use crate::indicators::store::{self as istore, NewTarget};
use crate::indicators::{Catalogue, Light};
use crate::org;
use crate::reporting::template::{show_number, show_ratio};
use crate::store::show_instant;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(board_page))
        .route("/indicators/unit/{code}", get(unit_page))
        .route("/indicators/leagues.xlsx", get(leagues_xlsx))
        .route(
            "/indicators/imports",
            get(imports_page)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(board::UPLOAD_LIMIT)),
        )
        .route("/indicators/imports/{id}", get(import_page))
        .route("/indicators/targets", get(targets_page).post(target_add))
        .route("/indicators/targets/{id}/delete", post(target_delete))
        .route(
            "/indicators/scorecards",
            get(scorecards_page).post(scorecard_save),
        )
        .route(
            "/indicators/scorecards/{code}/delete",
            post(scorecard_delete),
        )
}

async fn board_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<board::BoardQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    // a unit's officer reads its own unit's board (the province's league is on it)
    if policy::own_unit_only(&actor) {
        if let Some(u) = actor.unit_id {
            let unit = crate::org::get_unit(&st.db, u).await?;
            let period = q
                .period
                .as_deref()
                .map(|p| format!("?period={}", super::urlencode(p)))
                .unwrap_or_default();
            return Ok(axum::response::Redirect::to(&format!(
                "/indicators/unit/{}{period}",
                super::urlencode(&unit.code)
            ))
            .into_response());
        }
    }
    Ok(board_view_page(st, actor, q).await?.into_response())
}

/// The board's league tables as a workbook, one sheet per league, for the period and
/// scorecard of the page.
async fn leagues_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<board::BoardQuery>,
) -> AppResult<axum::response::Response> {
    use crate::documents::xlsx::{build, Cell, Sheet};
    policy::read_dashboards(&actor)?;
    let (_, b) = board_asked(&st, &actor, &q).await?;
    let mut header: Vec<String> = ["Hạng", "Đơn vị", "Mã", "Điểm /100"]
        .map(String::from)
        .to_vec();
    header.extend(b.group_names.iter().cloned());
    header.extend(["Hồ sơ tiếp nhận", "Tỷ lệ đúng hạn (%)"].map(String::from));
    let mut widths = vec![8.0, 40.0, 12.0, 10.0];
    widths.extend(b.group_names.iter().map(|_| 12.0));
    widths.extend([14.0, 14.0]);
    let sheets: Vec<Sheet> = b
        .leagues
        .iter()
        .enumerate()
        .map(|(i, l)| Sheet {
            name: format!("Bảng {}", i + 1),
            title: vec![
                l.title.to_uppercase(),
                format!("{} · {}", b.card_name, b.period.label()),
            ],
            header: header.clone(),
            widths: widths.clone(),
            rows: l
                .rows
                .iter()
                .map(|r| {
                    let mut row = vec![
                        Cell::from(r.rank as i64),
                        Cell::from(r.name.as_str()),
                        Cell::from(r.code.as_str()),
                        Cell::from((r.total * 100.0).round() / 100.0),
                    ];
                    row.extend(
                        r.groups
                            .iter()
                            .map(|g| Cell::from((g * 100.0).round() / 100.0)),
                    );
                    row.push(Cell::from(r.received as i64));
                    row.push(
                        r.on_time
                            .map(|v| Cell::from((v * 100.0).round() / 100.0))
                            .unwrap_or(Cell::Empty),
                    );
                    row
                })
                .collect(),
        })
        .collect();
    Ok(crate::http::download(
        &format!("xep-hang-{}.xlsx", b.period.key()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        build(&sheets),
    ))
}

/// The board a page or its export is asked for: whose (a province or the country), the
/// period (the latest with data by default) and the scorecard (766 by default).
async fn board_asked(
    st: &AppState,
    actor: &Actor,
    q: &board::BoardQuery,
) -> AppResult<(Option<String>, board::Board)> {
    let province = board::board_scope(&st.db, actor, q).await?;
    let period = board::period_or_latest(
        &st.db,
        q.period.as_deref(),
        province.as_deref(),
        st.clock.today_vn(),
    )
    .await?;
    let card = q.card.clone().unwrap_or_else(|| "766".into());
    let b = board::board(&st.db, province.as_deref(), &period, &card).await?;
    Ok((province, b))
}

async fn board_view_page(
    st: AppState,
    actor: Actor,
    q: board::BoardQuery,
) -> AppResult<Html<String>> {
    let (province, b) = board_asked(&st, &actor, &q).await?;
    let n = match q.n.as_deref() {
        Some("all") => None,
        Some(s) => Some(s.parse::<usize>().unwrap_or(10).clamp(1, 100)),
        None => Some(10),
    };
    let may_import = province
        .as_deref()
        .is_some_and(|p| policy::import_data(&actor, Some(p)).is_ok());
    Ok(page(
        "Chỉ số, xếp hạng",
        Some(&actor),
        board_view(&actor, &b, n, may_import),
    ))
}

fn pct(v: Option<f64>) -> String {
    show_ratio(v)
}

fn pts(v: f64) -> String {
    show_number((v * 100.0).round() / 100.0)
}

fn light(l: Light) -> Markup {
    html! { span class=(l.css()) title=(l.label()) { (l.label()) } }
}

/// "▲ 2,5" / "▼ 1" / "=" against the previous period.
fn delta(now: f64, before: Option<f64>, higher_is_better: bool) -> Markup {
    let Some(b) = before else {
        return html! { span.muted { "—" } };
    };
    let d = ((now - b) * 100.0).round() / 100.0;
    let good = (d > 0.0) == higher_is_better;
    html! {
        @if d == 0.0 { span.muted { "=" } }
        @else { span class=(if good { "up" } else { "down" }) { (if d > 0.0 { "▲ " } else { "▼ " }) (pts(d.abs())) } }
    }
}

fn rank_delta(now: usize, before: Option<usize>) -> Markup {
    match before {
        None => html! { span.muted { "mới" } },
        Some(b) if b == now => html! { span.muted { "=" } },
        Some(b) if b > now => html! { span.up { "▲ " (b - now) } },
        Some(b) => html! { span.down { "▼ " (now - b) } },
    }
}

fn period_form(
    action: &str,
    b_period: &Period,
    hidden: &[(&str, &str)],
    cards: &[(String, String)],
    card: &str,
) -> Markup {
    let y = b_period.year;
    let mut options: Vec<Period> = vec![];
    for year in [y, y - 1] {
        if let Some(p) = Period::parse(&year.to_string()) {
            options.push(p);
        }
        for q in 1..=4 {
            options.extend(Period::parse(&format!("{year}-Q{q}")));
        }
        for m in 1..=12 {
            options.extend(Period::parse(&format!("{year}-{m:02}")));
        }
    }
    html! {
        form.filters method="get" action=(action) {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            label { "Kỳ " select name="period" {
                @for p in &options { option value=(p.key()) selected[p == b_period] { (p.label()) } }
            } }
            @if cards.len() > 1 {
                label { "Bộ chỉ số " select name="card" {
                    @for (code, name) in cards { option value=(code) selected[code == card] { (name) } }
                } }
            } @else {
                input type="hidden" name="card" value=(card);
            }
            button type="submit" { "Xem" }
        }
    }
}

fn targets_table(lines: &[TargetLine]) -> Markup {
    html! {
        table.grid.targets.stack {
            thead { tr { th { "Chỉ tiêu" } th.num { "Mục tiêu" } th.num { "Kết quả" } th { "" } th.num { "Mức đạt" } th.num { "Kỳ trước" } th { "Xu hướng" } th { "Đánh giá" } } }
            tbody { @for t in lines { tr data-indicator=(t.indicator) {
                td data-label="Chỉ tiêu" { (t.name) }
                td.num data-label="Mục tiêu" { @if let Some(x) = t.target { "≥ " (pct(Some(x))) } @else { "—" } }
                td.num.value data-label="Kết quả" { (pct(t.value)) }
                td { (charts::meter(t.value, t.target)) }
                td.num.attainment data-label="Mức đạt" { (pct(t.value.zip(t.target).filter(|(_, g)| *g > 0.0).map(|(v, g)| 100.0 * v / g))) }
                td.num data-label="Kỳ trước" { (pct(t.previous)) }
                td data-label="Xu hướng" { @if let Some(v) = t.value { (delta(v, t.previous, true)) } @else { "—" } }
                td data-label="Đánh giá" { (light(t.light)) }
            } } }
        }
    }
}

fn league_table(b: &Board, rows: &[Ranked], link_units: bool, period: &str) -> Markup {
    html! {
        table.grid.league.stack {
            thead { tr {
                th.num { "Hạng" } th { "So với kỳ trước" } th { "Đơn vị" } th.num { "Điểm /100" }
                @for (i, g) in b.group_names.iter().enumerate() { th.num title=(g) { "Nhóm " (i + 1) } }
                th.num { "Hồ sơ" } th.num { "Đúng hạn" } th { "" }
            } }
            tbody { @for r in rows { tr data-unit=(r.code) {
                td.num.rank data-label="Hạng" { (r.rank) }
                td data-label="So với kỳ trước" { (rank_delta(r.rank, r.previous_rank)) }
                td data-label="Đơn vị" { @if link_units { a href={"/indicators/unit/" (r.code) "?period=" (period) "&card=" (b.card)} { (r.name) } }
                     @else { a href={"/indicators?province=" (r.code) "&period=" (period)} { (r.name) } } }
                td.num.total data-label="Điểm /100" { (pts(r.total)) " " (delta(r.total, r.previous_total, true)) }
                @for g in &r.groups { td.num data-label="Nhóm" { (pts(*g)) } }
                td.num data-label="Hồ sơ" { (show_number(r.received as f64)) }
                td.num data-label="Đúng hạn" { (pct(r.on_time)) }
                td data-label="Đánh giá" { (light(r.light)) }
            } } }
        }
    }
}

fn board_view(actor: &Actor, b: &Board, n: Option<usize>, may_import: bool) -> Markup {
    let country = b.scope_code.is_empty();
    let key = b.period.key();
    let mut hidden: Vec<(&str, &str)> = vec![];
    if country {
        hidden.push(("scope", "country"));
    } else if policy::sees_country(actor) {
        hidden.push(("province", &b.scope_code));
    }
    let group_bars: Vec<(String, f64, f64)> = b
        .score
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("{}. {}", i + 1, g.name), g.points, g.max))
        .collect();
    let n_qs = |v: &str| {
        let mut s = format!("?period={key}&n={v}&card={}", b.card);
        if country {
            s.push_str("&scope=country");
        } else if policy::sees_country(actor) {
            s.push_str(&format!("&province={}", b.scope_code));
        }
        s
    };
    html! {
        h1 { "Chỉ số CCHC · " (b.scope_name) " · " (b.period.label()) }
        nav.subnav {
            @if policy::sees_country(actor) && !country { a href={"/indicators?scope=country&period=" (key)} { "Cả nước" } }
            @if may_import { a href="/indicators/imports" { "Nhập dữ liệu hồ sơ" } }
            @if !country { a href={"/indicators/targets?year=" (b.period.year)} { "Chỉ tiêu" } a href="/indicators/scorecards" { "Bộ chỉ số của tỉnh" } }
        }
        (period_form("/indicators", &b.period, &hidden, &b.cards, &b.card))
        @if b.received == 0 {
            (empty("Chưa có dữ liệu hồ sơ cho kỳ này. Chọn kỳ khác, hoặc nhập tệp dữ liệu từ Hệ thống thông tin giải quyết TTHC của tỉnh («Nhập dữ liệu hồ sơ»)."))
        } @else {
            section.card.score {
                h2 { (b.card_name) }
                p.headline { span.n #total { (pts(b.score.total)) } " / " (pts(b.score.max)) " điểm " (delta(b.score.total, b.previous_total, true))
                    small.muted { " · " (show_number(b.received as f64)) " hồ sơ tiếp nhận trong kỳ" } }
                (charts::bars(&group_bars))
            }
            h2 { "Chỉ tiêu kế hoạch" }
            (targets_table(&b.targets))
            @if !b.months.is_empty() {
                h2 { "Diễn biến theo tháng năm " (b.period.year) }
                (charts::lines(&b.months, &b.trend))
            }
            @if !b.leagues.is_empty() {
                p { a href={"/indicators/leagues.xlsx?" (crate::web::qs(&[("period", Some(key.clone())), ("card", Some(b.card.clone())), ("scope", country.then(|| "country".to_string())), ("province", (!country).then(|| b.scope_code.clone()))]))} { "Tải các bảng xếp hạng (.xlsx)" } }
            }
            @for l in &b.leagues {
                h2 { (l.title) " (" (l.rows.len()) ")" }
                @if l.rows.is_empty() { (empty("Không có đơn vị nào có dữ liệu trong kỳ.")) }
                @else {
                    @match n {
                        Some(k) if l.rows.len() > 2 * k => {
                            h3 { (k) " đơn vị dẫn đầu" }
                            (league_table(b, &l.rows[..k], !country, &key))
                            h3 { (k) " đơn vị cuối bảng" }
                            (league_table(b, &l.rows[l.rows.len() - k..], !country, &key))
                            p { a href=(n_qs("all")) { "Xem toàn bộ bảng xếp hạng" } }
                        }
                        _ => { (league_table(b, &l.rows, !country, &key)) }
                    }
                }
            }
            p.hint { "Điểm tính theo Quyết định 766/QĐ-TTg từ dữ liệu hồ sơ đã nhập; tỷ lệ là tổng tử số trên tổng mẫu số của các tháng và đơn vị, không lấy trung bình các tỷ lệ. "
                "Chỉ số do đơn vị tự báo cáo (công khai TTHC, đồng bộ…) lấy từ báo cáo định kỳ; chưa báo cáo thì 0 điểm." }
        }
    }
}

#[derive(Deserialize)]
struct UnitQuery {
    period: Option<String>,
    card: Option<String>,
}

async fn unit_page(
    State(st): State<AppState>,
    actor: Actor,
    P(code): P<String>,
    Q(q): Q<UnitQuery>,
) -> AppResult<Html<String>> {
    let unit = crate::org::find_unit_by_code(&st.db, &code)
        .await?
        .ok_or(AppError::NotFound("đơn vị"))?;
    policy::read_province(&actor, &unit.province_code)?;
    let period = board::period_or_latest(
        &st.db,
        q.period.as_deref(),
        Some(&unit.province_code),
        st.clock.today_vn(),
    )
    .await?;
    let b = board::unit_board(&st.db, &unit, &period, q.card.as_deref().unwrap_or("766")).await?;
    Ok(page(
        &b.name,
        Some(&actor),
        unit_view(policy::sees_country(&actor), &b),
    ))
}

fn unit_view(sees_country: bool, b: &UnitBoard) -> Markup {
    let key = b.period.key();
    let back = if sees_country {
        format!("/indicators?province={}&period={key}", b.province)
    } else {
        format!("/indicators?period={key}")
    };
    html! {
        p { a href=(back) { "« Bảng xếp hạng của tỉnh" } }
        h1 { (b.name) " · " (b.period.label()) }
        (period_form(&format!("/indicators/unit/{}", b.code), &b.period, &[], &[], &b.card))
        @if b.counts.received == 0 {
            (empty("Đơn vị chưa có hồ sơ nào trong kỳ này."))
        } @else {
            section.card.score {
                h2 { (b.card_name) }
                p.headline { span.n #total { (pts(b.score.total)) } " / " (pts(b.score.max)) " điểm " (delta(b.score.total, b.previous_total, true))
                    @if let Some((r, of)) = b.rank { small { " · xếp hạng " strong #rank { (r) } "/" (of) } } }
                table.grid {
                    thead { tr { th { "Nhóm, chỉ số" } th.num { "Giá trị" } th.num { "Điểm" } th.num { "Tối đa" } } }
                    tbody { @for g in &b.score.groups {
                        tr.group { td { strong { (g.name) } } td {} td.num { strong { (pts(g.points)) } } td.num { (pts(g.max)) } }
                        @for i in &g.items { tr data-indicator=(i.indicator) { td { (i.name) } td.num { (pct(i.value)) } td.num { (pts(i.points)) } td.num { (pts(i.max)) } } }
                    } }
                }
            }
            h2 { "Chỉ tiêu kế hoạch" }
            (targets_table(&b.targets))
            @if !b.months.is_empty() {
                h2 { "Diễn biến theo tháng" }
                (charts::lines(&b.months, &b.trend))
            }
            h2 { "Theo thủ tục hành chính" }
            @if b.procedures.is_empty() { (empty("Không có hồ sơ trong kỳ.")) }
            @else {
                table.grid.procedures {
                    thead { tr { th { "Thủ tục" } th.num { "Tiếp nhận" } th.num { "Đã xử lý" } th.num { "Đúng hạn (766)" } th.num { "Trực tuyến" } th.num { "Số hóa" } th.num { "Hài lòng" } } }
                    tbody { @for p in &b.procedures { tr data-procedure=(p.procedure) {
                        td { (p.procedure) } td.num { (show_number(p.counts.received as f64)) } td.num { (show_number(p.counts.finished as f64)) }
                        td.num { (pct(p.on_time)) } td.num { (pct(p.online)) } td.num { (pct(p.digitized)) } td.num { (pct(p.satisfaction)) }
                    } } }
                }
            }
        }
    }
}

// ---- imports ----

async fn imports_page(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    let list = import::list_imports(&st.db, Some(&province), 30).await?;
    Ok(page(
        "Nhập dữ liệu hồ sơ",
        Some(&actor),
        imports_view(&actor, &list, None),
    ))
}

fn imports_view(actor: &Actor, list: &[import::ImportRecord], error: Option<&str>) -> Markup {
    html! {
        p { a href="/indicators" { "« Chỉ số, xếp hạng" } }
        h1 { "Nhập dữ liệu hồ sơ, phản ánh kiến nghị" }
        p.hint { "Tệp xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh, dạng CSV (UTF-8, có hoặc không BOM) hoặc JSON Lines, theo định dạng trao đổi mô tả trong README. "
            "Hồ sơ được cập nhật theo mã: nhập lại cùng tệp không thay đổi gì, trạng thái mới thay trạng thái cũ. Dòng lỗi được liệt kê kèm số dòng, các dòng đúng vẫn được nhập." }
        @if let Some(e) = error { p.flash.err role="alert" { (e) } }
        form.card method="post" action="/indicators/imports" enctype="multipart/form-data" {
            (csrf_field(actor))
            label { "Loại dữ liệu" select name="kind" {
                option value="dossier" { "Hồ sơ thủ tục hành chính" }
                option value="feedback" { "Phản ánh, kiến nghị" }
            } }
            label { "Tệp (.csv, .jsonl)" input type="file" name="file" required accept=".csv,.jsonl,.json,.txt,text/csv"; }
            button type="submit" { "Nhập dữ liệu" }
        }
        h2 { "Các lần nhập" }
        @if list.is_empty() { (empty("Chưa nhập lần nào.")) }
        @else {
            table.grid.imports {
                thead { tr { th { "Lúc" } th { "Loại" } th { "Tệp" } th { "Trạng thái" } th.num { "Dòng hợp lệ" } th.num { "Dòng lỗi" } th.num { "Đơn vị thay đổi" } } }
                tbody { @for r in list { tr {
                    td { a href={"/indicators/imports/" (r.id)} { (show_instant(&r.started_at)) } }
                    td { (Kind::parse(&r.kind).map(|k| k.label()).unwrap_or("")) }
                    td { (r.file_name) }
                    td { (r.status_label()) }
                    td.num { (show_number(r.rows_kept as f64)) }
                    td.num { (show_number(r.rows_bad as f64)) }
                    td.num { (r.units_changed) }
                } } }
            }
        }
    }
}

/// Streams the upload to a temporary file (a year of data does not fit a request in
/// memory on weak servers), then imports it in the background.
async fn import_upload(
    State(st): State<AppState>,
    actor: Actor,
    mut mp: Multipart,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    let too_large = format!("Tệp quá lớn (tối đa {} GB).", board::UPLOAD_LIMIT >> 30);
    let bad = |e| super::multipart_error(e, ("file", &too_large));
    let (mut kind, mut name) = (Kind::Dossier, String::new());
    let mut upload = super::Upload::new();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "kind" => {
                kind = Kind::parse(field.text().await.map_err(bad)?.trim()).unwrap_or(Kind::Dossier)
            }
            "file" => {
                name = field.file_name().unwrap_or("tệp").to_string();
                upload.save(field, bad).await?;
            }
            _ => {}
        }
    }
    if upload.size == 0 {
        let list = import::list_imports(&st.db, Some(&province), 30).await?;
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "Nhập dữ liệu hồ sơ",
                Some(&actor),
                imports_view(&actor, &list, Some("Chọn một tệp dữ liệu (tệp đang rỗng).")),
            ),
        )
            .into_response());
    }
    let (id, progress) = import::begin(&st.db, kind, Some(&province), &name, Some(&actor)).await?;
    let db = st.db.clone();
    tokio::spawn(async move {
        let _ = import::run(
            &db,
            id,
            kind,
            &upload.path,
            Some(&province),
            Some(&actor),
            progress,
        )
        .await;
        drop(upload);
    });
    Ok(Redirect::to(&format!("/indicators/imports/{id}")).into_response())
}

async fn import_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let r = import::get_import(&st.db, id).await?;
    policy::import_data(&actor, r.province_code.as_deref())?;
    let running = r.status == "running";
    let progress = import::progress_of(id);
    let errors = r.errors();
    let body = html! {
        @if running { (PreEscaped("<meta http-equiv=\"refresh\" content=\"2\">")) }
        p { a href="/indicators/imports" { "« Các lần nhập" } }
        h1 { "Lần nhập #" (r.id) ": " (r.file_name) }
        dl.facts {
            dt { "Loại" } dd { (Kind::parse(&r.kind).map(|k| k.label()).unwrap_or("")) }
            dt { "Bắt đầu" } dd { (show_instant(&r.started_at)) }
            dt { "Trạng thái" } dd #status { (r.status_label()) }
            @if running {
                @if let Some(p) = &progress {
                    dt { "Tiến độ" } dd #progress { (p.phase_label()) ": đã đọc " (show_number(p.rows.load(std::sync::atomic::Ordering::Relaxed) as f64)) " dòng" }
                }
            } @else {
                dt { "Dòng hợp lệ" } dd #kept { (show_number(r.rows_kept as f64)) }
                dt { "Dòng lỗi" } dd #bad { (show_number(r.rows_bad as f64)) }
                dt { "Đơn vị có dữ liệu thay đổi" } dd { (r.units_changed) }
            }
            @if !r.message.is_empty() { dt { "Ghi chú" } dd.warn { (r.message) } }
        }
        @if !errors.is_empty() {
            h2 { "Các dòng lỗi" @if (errors.len() as i64) < r.rows_bad { " (" (errors.len()) " dòng đầu)" } }
            table.grid.errors {
                thead { tr { th.num { "Dòng" } th { "Lý do" } } }
                tbody { @for e in &errors { tr { td.num { (e.line) } td { (e.reason) } } } }
            }
        }
    };
    Ok(page("Lần nhập dữ liệu", Some(&actor), body))
}

// ---- targets ----

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

async fn targets_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::read_province(&actor, &province)?;
    let may_edit = policy::direct(&actor, &province).is_ok();
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&st.clock.today_vn()));
    let list = istore::list_targets(&st.db, &province, year).await?;
    let cat = Catalogue::national();
    let units = crate::org::list_units(
        &st.db,
        &crate::org::UnitFilter {
            province: Some(province.clone()),
            ..Default::default()
        },
        2000,
    )
    .await
    .map(|p| p.items)
    .unwrap_or_default();
    let groups = crate::org::list_groups(&st.db, Some(&province))
        .await
        .unwrap_or_default();
    let name_of = |code: &str| {
        cat.indicator(code)
            .map(|i| i.name.clone())
            .unwrap_or_default()
    };
    let body = html! {
        p { a href="/indicators" { "« Chỉ số, xếp hạng" } }
        h1 { "Chỉ tiêu năm " (year) }
        form.filters method="get" action="/indicators/targets" { input type="number" name="year" value=(year) min="2000" max="2100"; button type="submit" { "Xem" } }
        p.hint { "Chỉ tiêu của đơn vị được ưu tiên, sau đó đến chỉ tiêu của nhóm, của toàn tỉnh, cuối cùng là chỉ tiêu trong kế hoạch (Kế hoạch 404: đúng hạn ≥ 97 %, hài lòng ≥ 95 %, trực tuyến ≥ 80 %, số hóa 100 %, PAKN đúng hạn ≥ 97 %)." }
        h2 { "Chỉ tiêu theo kế hoạch (mặc định)" }
        table.grid { thead { tr { th { "Chỉ số" } th { "Văn bản" } th.num { "Mục tiêu" } } }
            tbody { @for t in &cat.targets { tr { td { (name_of(&t.indicator)) } td { (t.plan) } td.num { "≥ " (pct(Some(t.at_least))) } } } } }
        h2 { "Chỉ tiêu tỉnh đặt" }
        @if list.is_empty() { (empty("Chưa đặt chỉ tiêu riêng cho năm này.")) }
        @else {
            table.grid.targets-set { thead { tr { th { "Chỉ số" } th { "Áp dụng cho" } th.num { "Mục tiêu" } @if may_edit { th {} } } }
                tbody { @for t in &list { tr {
                    td { (name_of(&t.indicator)) }
                    td { @if t.scope_name.is_empty() { "Toàn tỉnh" } @else { (t.scope_name) } }
                    td.num { "≥ " (pct(Some(t.target))) }
                    @if may_edit { td { form.inline method="post" action={"/indicators/targets/" (t.id) "/delete"} { (csrf_field(&actor)) button.link type="submit" { "Xóa" } } } }
                } } }
            }
        }
        @if may_edit {
            form.card method="post" action="/indicators/targets" {
                (csrf_field(&actor))
                h2 { "Đặt chỉ tiêu" }
                input type="hidden" name="year" value=(year);
                label { "Chỉ số" select name="indicator" { @for i in &cat.indicators { option value=(i.code) { (i.name) } } } }
                label { "Áp dụng cho đơn vị (bỏ trống: toàn tỉnh)" select name="unit_id" { option value="" { "—" } @for u in &units { option value=(u.id) { (u.name) } } } }
                label { "hoặc cho nhóm" select name="group_id" { option value="" { "—" } @for g in &groups { option value=(g.id) { (g.name) } } } }
                label { "Mục tiêu (%)" input name="target" required placeholder="97"; }
                button type="submit" { "Lưu chỉ tiêu" }
            }
        }
    };
    Ok(page("Chỉ tiêu", Some(&actor), body))
}

/// A target as the targets form sends it.
#[derive(serde::Deserialize)]
struct TargetForm {
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    year: i32,
    #[serde(default)]
    unit_id: Option<i64>,
    #[serde(default)]
    group_id: Option<i64>,
    #[serde(default)]
    target: String,
}

async fn target_add(
    State(st): State<AppState>,
    actor: Actor,
    F(f): F<TargetForm>,
) -> AppResult<Redirect> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let year = f.year;
    istore::set_target(
        &st.db,
        &actor,
        &province,
        NewTarget {
            indicator: &f.indicator,
            year,
            unit_id: f.unit_id,
            group_id: f.group_id,
            target: &f.target,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/indicators/targets?year={year}")))
}

async fn target_delete(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Redirect> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    istore::delete_target(&st.db, &actor, &province, id).await?;
    Ok(Redirect::to("/indicators/targets"))
}

// ---- the province's scorecards ----

async fn scorecards_page(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::read_province(&actor, &province)?;
    let cards = istore::list_scorecards(&st.db, &province).await?;
    let may_edit = policy::direct(&actor, &province).is_ok();
    Ok(page(
        "Bộ chỉ số của tỉnh",
        Some(&actor),
        scorecards_view(&actor, &cards, may_edit, None, &FormPairs(vec![])),
    ))
}

fn scorecards_view(
    actor: &Actor,
    cards: &[crate::indicators::Scorecard],
    may_edit: bool,
    error: Option<&str>,
    typed: &FormPairs,
) -> Markup {
    let cat = Catalogue::national();
    let name_of = |code: &str| {
        cat.indicator(code)
            .map(|i| i.name.clone())
            .unwrap_or_default()
    };
    html! {
        p { a href="/indicators" { "« Chỉ số, xếp hạng" } }
        h1 { "Bộ chỉ số của tỉnh" }
        p.hint { "Ngoài Bộ chỉ số 766, tỉnh có thể tự đặt bộ chỉ số có trọng số riêng để chấm điểm, xếp hạng các đơn vị (chọn ở trang «Chỉ số, xếp hạng»)." }
        @if cards.is_empty() { (empty("Tỉnh chưa đặt bộ chỉ số riêng.")) }
        @for c in cards {
            section.card {
                h2 { (c.name) " " small.muted { "(" (c.code) ")" } }
                @if may_edit {
                    form.inline method="post" action={"/indicators/scorecards/" (c.code) "/delete"} {
                        (csrf_field(actor)) button.link type="submit" { "Xóa bộ chỉ số này" }
                    }
                }
                table.grid { thead { tr { th { "Nhóm, chỉ số" } th.num { "Điểm" } th { "Cách tính" } } }
                    tbody { @for g in &c.groups {
                        tr.group { td { strong { (g.name) } } td.num { (pts(g.max)) } td {} }
                        @for i in &g.items { tr { td { (name_of(&i.indicator)) } td.num { (pts(i.points)) }
                            td { @match i.threshold { Some(t) => { "đủ điểm từ " (pct(Some(t))) } None => { "tỷ lệ × điểm" } } } } }
                    } }
                }
            }
        }
        @if may_edit {
            form.card method="post" action="/indicators/scorecards" {
                (csrf_field(actor))
                h2 { "Đặt bộ chỉ số (cùng mã thì thay thế)" }
                @if let Some(e) = error { p.flash.err role="alert" { (e) } }
                label { "Mã" input name="code" required value=(typed.get("code")) placeholder="vd. cchc-xa"; }
                label { "Tên" input name="name" required value=(typed.get("name")) placeholder="Bộ chỉ số CCHC cấp xã của tỉnh"; }
                p.hint { "Với mỗi chỉ số dùng đến: ghi tên nhóm, số điểm và (nếu có) ngưỡng đạt đủ điểm. Chỉ số để trống điểm thì không dùng." }
                table.grid {
                    thead { tr { th { "Chỉ số" } th { "Nhóm" } th { "Điểm" } th { "Ngưỡng (%)" } } }
                    tbody { @for i in &cat.indicators { tr {
                        td { (i.name) }
                        td { input name={"g_" (i.code)} value=(typed.get(&format!("g_{}", i.code))); }
                        td { input name={"p_" (i.code)} size="4" value=(typed.get(&format!("p_{}", i.code))); }
                        td { input name={"t_" (i.code)} size="4" value=(typed.get(&format!("t_{}", i.code))); }
                    } } }
                }
                button type="submit" { "Lưu bộ chỉ số" }
            }
        }
    }
}

/// The form read into a scorecard: indicators with points, grouped by the group names in
/// the order they first appear; a group's maximum is the sum of its points.
fn scorecard_from(f: &FormPairs) -> Result<crate::indicators::Scorecard, String> {
    use crate::indicators::{Group, Item, Rule, Scorecard};
    use crate::reporting::template::parse_number;
    let cat = Catalogue::national();
    let mut groups: Vec<Group> = Vec::new();
    for i in &cat.indicators {
        let p = f.get(&format!("p_{}", i.code));
        if p.is_empty() {
            continue;
        }
        let points = parse_number(&p)
            .filter(|v| *v > 0.0)
            .ok_or_else(|| format!("Điểm của «{}» phải là số dương.", i.name))?;
        let t = f.get(&format!("t_{}", i.code));
        let threshold = if t.is_empty() {
            None
        } else {
            Some(parse_number(&t).ok_or_else(|| format!("Ngưỡng của «{}» phải là số.", i.name))?)
        };
        let gname = match f.get(&format!("g_{}", i.code)) {
            g if g.is_empty() => "Chung".to_string(),
            g => g,
        };
        let item = Item {
            indicator: i.code.clone(),
            points,
            rule: if threshold.is_some() {
                Rule::Threshold
            } else {
                Rule::Linear
            },
            threshold,
        };
        match groups.iter_mut().find(|g| g.name == gname) {
            Some(g) => {
                g.max += points;
                g.items.push(item);
            }
            None => groups.push(Group {
                code: (groups.len() + 1).to_string(),
                name: gname,
                max: points,
                items: vec![item],
            }),
        }
    }
    Ok(Scorecard {
        code: f.get("code"),
        name: f.get("name"),
        groups,
    })
}

async fn scorecard_save(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    // Refusals are shown on the form with what was typed; other failures go up as usual.
    let saved = match scorecard_from(&f) {
        Ok(card) => match istore::save_scorecard(&st.db, &actor, &province, &card).await {
            Err(AppError::Invalid(fields)) => Err(fields
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" ")),
            other => Ok(other?),
        },
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to("/indicators/scorecards").into_response()),
        Err(msg) => {
            let cards = istore::list_scorecards(&st.db, &province).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    "Bộ chỉ số của tỉnh",
                    Some(&actor),
                    scorecards_view(&actor, &cards, true, Some(&msg), &f),
                ),
            )
                .into_response())
        }
    }
}

async fn scorecard_delete(
    State(st): State<AppState>,
    actor: Actor,
    P(code): P<String>,
) -> AppResult<Redirect> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    istore::delete_scorecard(&st.db, &actor, &province, &code).await?;
    Ok(Redirect::to("/indicators/scorecards"))
}
