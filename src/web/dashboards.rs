//! Dashboards: the province at a glance, the country, the overdue list, what a unit owes,
//! and the secretariat's inbox.

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::{as_of, csrf_field, empty, page, pager, pager_for, qs, Q};
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::store::show_date;
use crate::tracking::{self, Status};
use crate::{bodies, dashboard, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard_page))
        .route("/dashboard/national", get(national_page))
        .route("/dashboard/overdue", get(overdue_page))
        .route("/dashboard/overdue.xlsx", get(overdue_xlsx))
        .route("/dashboard.xlsx", get(dashboard_xlsx))
        .route("/my", get(my_page))
        .route("/inbox", get(inbox_page))
        .route(
            "/inbox/reviews",
            axum::routing::post(crate::api::tasks::reviews_post),
        )
}

// ---- dashboards ----

#[derive(Deserialize, Default)]
pub(super) struct DashQuery {
    pub(super) as_of: Option<String>,
    pub(super) body: Option<String>,
    pub(super) province: Option<String>,
    pub(super) unit: Option<String>,
    pub(super) page: Option<i64>,
}

pub(super) fn opt_id(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|s| s.trim().parse().ok())
}

/// One row of figures; `overdue_link` makes the overdue count lead to the list behind it.
pub(super) fn counts_cells(c: &dashboard::Counts, overdue_link: Option<&str>) -> Markup {
    html! {
        td.num data-label="Có thời hạn" { (c.with_deadline()) }
        td.num.st-ok data-label="Hoàn thành đúng hạn" { (c.done_on_time) }
        td.num.st-late data-label="Hoàn thành quá hạn" { (c.done_late) }
        td.num.st-prog data-label="Đang thực hiện trong hạn" { (c.in_progress) }
        td.num.st-over data-label="Chưa hoàn thành quá hạn" { @match overdue_link { Some(l) if c.overdue > 0 => { a href=(l) { (c.overdue) } }, _ => { (c.overdue) } } }
        td.num data-label="Tỷ lệ quá hạn" { (format!("{:.1}", c.overdue_share())) "%" }
        td.num.st-ongoing data-label="Thường xuyên" { (c.ongoing) }
    }
}

pub(super) fn counts_head(first: &str) -> Markup {
    html! {
        tr {
            th { (first) } th { "Có thời hạn" } th { "Hoàn thành đúng hạn" } th { "Hoàn thành quá hạn" }
            th { "Đang thực hiện trong hạn" } th { "Chưa hoàn thành quá hạn" } th { "Tỷ lệ quá hạn" } th { "Thường xuyên" }
        }
    }
}

pub(super) fn as_of_form(action: &str, as_of: &str, extra: Markup) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label { "Tình hình đến ngày " (super::date_input("as_of", as_of, false)) }
            (extra)
            button type="submit" { "Xem" }
        }
    }
}

pub(super) fn tiles(c: &dashboard::Counts) -> Markup {
    html! {
        div.tiles {
            @for s in Status::ALL {
                div class={"tile " (s.css())} { div.n { (c.get(s)) } div.l { (s.label()) } }
            }
            div.tile.headline { div.n { (format!("{:.1}", c.overdue_share())) "%" } div.l { "Tỷ lệ nhiệm vụ chưa hoàn thành quá hạn" } }
        }
    }
}

async fn dashboard_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    policy::read_dashboards(&actor)?;
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let body = opt_id(&q.body);
    let view = st.dashboards.province(&st.db, &province, body, d).await?;
    let dash = &view.dash;
    let bodies = bodies::list_bodies(&st.db, &province).await?;
    let pname = org::province_name(&st.db, &province).await?;
    let reviews = tracking::pending_reviews(&st.db, &province, 1, 5).await?;
    let exts = tracking::pending_extensions(&st.db, &province, 1, 5).await?;
    let reporting =
        crate::reporting::province_status(&st.db, &province, st.clock.today_vn()).await?;
    let iso = dash.as_of.clone();
    let work = |unit: i64| format!("/my?unit={unit}&as_of={iso}");
    let overdue_of = |unit: i64| {
        format!(
            "/dashboard/overdue?{}",
            qs(&[
                ("as_of", Some(iso.clone())),
                ("unit", Some(unit.to_string())),
                ("body", q.body.clone()),
                ("province", Some(province.clone()))
            ])
        )
    };
    Ok(page(
        "Tổng quan",
        Some(&actor),
        html! {
            h1 { "Tổng quan tình hình thực hiện nhiệm vụ · " (pname) }
            (as_of_form("/dashboard", &dash.as_of, html! {
                label { "Ban/Tổ " select name="body" {
                    option value="" { "Tất cả văn bản" }
                    @for b in &bodies { option value=(b.id) selected[body == Some(b.id)] { (b.name) } }
                } }
                @if policy::sees_country(&actor) { input type="hidden" name="province" value=(province); }
            }))
            (tiles(&dash.total))
            p { a href={"/dashboard/overdue?" (qs(&[("as_of", Some(iso.clone())), ("body", q.body.clone()), ("province", Some(province.clone()))]))} { "Danh sách nhiệm vụ quá hạn »" }
                " · " a href={"/dashboard.xlsx?" (qs(&[("as_of", Some(iso.clone())), ("body", q.body.clone()), ("province", Some(province.clone()))]))} { "Tải bảng theo đơn vị (.xlsx)" }
                @if policy::sees_country(&actor) { " · " a href="/dashboard/national" { "Toàn quốc »" } } }
            @if reviews.total > 0 || exts.total > 0 {
                section.inbox {
                    h2 { "Cần xử lý: " (reviews.total) " hoàn thành chờ xác nhận, " (exts.total) " đề nghị gia hạn" }
                    (inbox_items(&reviews.items, &exts.items))
                    p { a href="/inbox" { "Xem tất cả »" } }
                }
            }
            @if !reporting.is_empty() {
                h2 { "Báo cáo định kỳ" }
                table.grid.reporting.stack {
                    thead { tr { th { "Báo cáo" } th { "Kỳ" } th { "Hạn gửi" } th.num { "Đã gửi" } th.num { "Đúng hạn" } } }
                    tbody { @for r in &reporting { tr {
                        td data-label="Báo cáo" { a href={"/reports/schedules/" (r.schedule.id) "?period=" (r.period.key)} { (r.schedule.name) } br; small.hint { "gửi " (r.schedule.receiver_name) } }
                        td data-label="Kỳ" { (r.period.label()) }
                        td data-label="Hạn gửi" { (r.due_on.format("%d/%m/%Y")) }
                        td.num data-label="Đã gửi" { (r.submitted) "/" (r.expected) }
                        td.num data-label="Đúng hạn" { (r.on_time) }
                    } } }
                }
            }
            h2 { "Theo đơn vị" }
            @if dash.units.is_empty() { (empty("Chưa có nhiệm vụ nào được giao trong phạm vi này. Hãy nhập văn bản chỉ đạo và nhiệm vụ ở mục Văn bản.")) } @else {
                table.grid.stack {
                    thead { (counts_head("Đơn vị")) }
                    tbody {
                        @for u in &dash.units {
                            tr { td data-label="Đơn vị" { a href=(work(u.unit_id)) { (u.unit_name) } small { " · " (org::kind_label(&u.kind)) } } (counts_cells(&u.counts, Some(&overdue_of(u.unit_id)))) }
                        }
                    }
                }
            }
        },
    ))
}

async fn national_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    policy::read_country(&actor)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let nat = st.dashboards.national(&st.db, d).await?;
    let (total, list) = (&nat.0, nat.1.as_slice());
    let iso = d.format("%Y-%m-%d").to_string();
    Ok(page(
        "Toàn quốc",
        Some(&actor),
        html! {
            h1 { "Tình hình thực hiện nhiệm vụ toàn quốc" }
            (as_of_form("/dashboard/national", &iso, html! {}))
            (tiles(total))
            table.grid.stack {
                thead { (counts_head("Tỉnh, thành phố")) }
                tbody { @for p in list { tr { td data-label="Tỉnh, thành phố" { a href={"/dashboard?province=" (p.province_code) "&as_of=" (iso)} { (p.name) } } (counts_cells(&p.counts, None)) } } }
            }
        },
    ))
}

/// The dashboard by unit as a workbook (the report's appendix), with the page's date and body.
async fn dashboard_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<axum::response::Response> {
    policy::read_dashboards(&actor)?;
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let view = st
        .dashboards
        .province(&st.db, &province, opt_id(&q.body), d)
        .await?;
    let pname = org::province_name(&st.db, &province).await?;
    Ok(crate::http::download(
        &format!("tinh-hinh-nhiem-vu-{}.xlsx", d.format("%Y-%m-%d")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        crate::documents::task_appendix_xlsx(&view.dash, &pname),
    ))
}

/// The overdue list as a workbook, with the list's filters.
async fn overdue_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<axum::response::Response> {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let unit = opt_id(&q.unit);
    policy::read_unit_list(&actor, unit)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let list = dashboard::overdue_all(&st.db, &province, opt_id(&q.body), unit, d).await?;
    let title = match unit {
        Some(u) => format!(
            "Nhiệm vụ quá hạn — {}",
            org::get_unit(&st.db, u).await?.name
        ),
        None => format!(
            "Nhiệm vụ quá hạn — {}",
            org::province_name(&st.db, &province).await?
        ),
    };
    Ok(crate::http::download(
        &format!("nhiem-vu-qua-han-{}.xlsx", d.format("%Y-%m-%d")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        crate::documents::overdue_xlsx(&list.items, d, &title),
    ))
}

async fn overdue_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let unit = opt_id(&q.unit);
    policy::read_unit_list(&actor, unit)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let list = dashboard::overdue(
        &st.db,
        &province,
        opt_id(&q.body),
        unit,
        d,
        q.page.unwrap_or(1),
    )
    .await?;
    let iso = d.format("%Y-%m-%d").to_string();
    let unit_name = match unit {
        Some(u) => Some(org::get_unit(&st.db, u).await?.name),
        None => None,
    };
    let base = format!(
        "/dashboard/overdue?{}",
        qs(&[
            ("as_of", Some(iso.clone())),
            ("unit", q.unit.clone()),
            ("body", q.body.clone()),
            ("province", q.province.clone())
        ])
    );
    Ok(page(
        "Nhiệm vụ quá hạn",
        Some(&actor),
        html! {
            h1 { "Nhiệm vụ chưa hoàn thành quá hạn" @if let Some(n) = &unit_name { " · " (n) } }
            (as_of_form("/dashboard/overdue", &iso, html! {
                @if let Some(u) = unit { input type="hidden" name="unit" value=(u); }
                @if let Some(b) = &q.body { input type="hidden" name="body" value=(b); }
            }))
            p.docs {
                @if let Some(u) = unit { a href={"/my?unit=" (u) "&as_of=" (iso)} { "Xem toàn bộ nhiệm vụ của đơn vị »" } " · " }
                a href={"/dashboard/overdue.xlsx?" (qs(&[("as_of", Some(iso.clone())), ("unit", q.unit.clone()), ("body", q.body.clone()), ("province", q.province.clone())]))} { "Tải danh sách (.xlsx)" }
            }
            @if list.items.is_empty() { (empty("Không có nhiệm vụ quá hạn. 👍")) } @else {
                table.grid.stack {
                    thead { tr { th { "Đơn vị" } th { "Nhiệm vụ" } th { "Văn bản" } th { "Hạn" } th { "Quá hạn" } th { "Tiến độ" } } }
                    tbody { @for a in &list.items { tr {
                        td data-label="Đơn vị" { (a.unit_name) }
                        td data-label="Nhiệm vụ" { a href={"/assignments/" (a.id)} { (a.task_title) } }
                        td data-label="Văn bản" { (a.directive_number) }
                        td data-label="Hạn" { (a.due_on.map(crate::store::Day::show).unwrap_or_default()) }
                        td.num.st-over data-label="Quá hạn" { (-a.days_left(d).unwrap_or(0)) " ngày" }
                        td.num data-label="Tiến độ" { (a.percent) "%" }
                    } } }
                }
            }
            (pager(&base, list.page, list.pages(), list.total))
        },
    ))
}

async fn my_page(
    State(st): State<AppState>,
    actor: Actor,
    crate::http::SiteUrl(site): crate::http::SiteUrl,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let unit = tracking::unit_for(&st.db, &actor, opt_id(&q.unit)).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let owed = tracking::unit_owes(&st.db, unit.id, d).await?;
    let counts = dashboard::Counts::of(owed.iter().map(|o| o.status));
    let iso = d.format("%Y-%m-%d").to_string();
    let calendar = org::calendar_token(&st.db, unit.id).await?;
    let meetings = crate::meetings::calendar::of_unit(&st.db, unit.id, st.clock.today_vn()).await?;
    let can_direct = policy::direct(&actor, &unit.province_code).is_ok();
    Ok(page(
        "Việc của đơn vị",
        Some(&actor),
        html! {
            h1 { "Việc của đơn vị: " (unit.name) }
            (as_of_form("/my", &iso, html! { input type="hidden" name="unit" value=(unit.id); }))
            (tiles(&counts))
            @if owed.is_empty() { (empty("Đơn vị chưa được giao nhiệm vụ nào.")) } @else {
                table.grid.owes.stack {
                    thead { tr { th { "Tình trạng" } th { "Nhiệm vụ" } th { "Văn bản" } th { "Thời hạn" } th { "Tiến độ" } } }
                    tbody { @for o in &owed { tr class=(o.status.css()) {
                        td data-label="Tình trạng" { (super::work_badge(o.status, o.assignment.awaits_confirmation()))
                            @if let Some(false) = o.reported_this_period { br; small.warn { "Chưa báo cáo kỳ này" } }
                            @if o.assignment.review() == crate::tracking::Review::Returned { br; small.warn { "Bị trả lại" } }
                        }
                        td data-label="Nhiệm vụ" { a href={"/assignments/" (o.assignment.id)} { (o.assignment.task_title) } }
                        td data-label="Văn bản" { (o.assignment.directive_number) }
                        td data-label="Thời hạn" { (o.assignment.due_on.map(crate::store::Day::show).unwrap_or_else(|| o.assignment.deadline_text.clone()))
                            @if let (Some(n), Status::InProgress | Status::Overdue) = (o.days_left, o.status) {
                                br; small { @if n >= 0 { "còn " (n) " ngày" } @else { "quá " (-n) " ngày" } }
                            }
                        }
                        td.num data-label="Tiến độ" { (o.assignment.percent) "%" }
                    } } }
                }
            }
            @if !meetings.is_empty() {
                h2 { "Cuộc họp sắp tới" }
                ul { @for m in meetings.iter().take(5) { li {
                    (m.when()) " · " a href={"/meetings/" (m.id)} { (m.title) } " · " (m.state().label())
                } } }
            }
            section.card { h2 { "Lịch hạn công việc (iCalendar)" }
                @if let Some(t) = &calendar {
                    p { "Thêm địa chỉ này vào lịch (Google Calendar, Outlook, điện thoại) để thấy hạn nhiệm vụ, hạn gửi báo cáo và các cuộc họp của đơn vị: " }
                    p { code { (site) "/calendar/" (t) ".ics" } " · " a href={"/calendar/" (t) ".ics"} { "Tải lịch" } }
                }
                form method="post" action={"/units/" (unit.id) "/calendar"} { (csrf_field(&actor))
                    button.secondary type="submit" { @if calendar.is_some() { "Tạo địa chỉ mới (vô hiệu địa chỉ cũ)" } @else { "Tạo địa chỉ lịch" } }
                }
            }
            @if can_direct && counts.overdue > 0 {
                p { a.button href={"/units/" (unit.id) "/urging.docx"} { "Tạo công văn đôn đốc (.docx)" } }
            }
        },
    ))
}

fn inbox_items(
    reviews: &[tracking::Assignment],
    exts: &[(tracking::Extension, tracking::Assignment)],
) -> Markup {
    html! {
        ul {
            @for a in reviews { li { "Xác nhận hoàn thành (" (a.completed_on.map(crate::store::Day::show).unwrap_or_default()) "): "
                a href={"/assignments/" (a.id)} { (a.unit_name) " — " (a.task_title) } } }
            @for (e, a) in exts { li { "Đề nghị gia hạn đến " (show_date(&e.requested_due)) ": "
                a href={"/assignments/" (a.id)} { (a.unit_name) " — " (a.task_title) } } }
        }
    }
}

#[derive(Deserialize)]
struct InboxQuery {
    province: Option<String>,
    rpage: Option<i64>,
    epage: Option<i64>,
}

/// What waits for the secretariat: reported completions and extension requests.
async fn inbox_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<InboxQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    policy::direct(&actor, &province)?;
    let reviews = tracking::pending_reviews(&st.db, &province, q.rpage.unwrap_or(1), 25).await?;
    let exts = tracking::pending_extensions(&st.db, &province, q.epage.unwrap_or(1), 25).await?;
    let keep = |k: &str, v: Option<i64>| {
        format!(
            "/inbox?{}",
            qs(&[
                ("province", q.province.clone()),
                (k, v.map(|x| x.to_string()))
            ])
        )
    };
    Ok(page(
        "Cần xử lý",
        Some(&actor),
        html! {
            h1 { "Cần xử lý" }
            h2 { "Hoàn thành chờ xác nhận (" (reviews.total) ")" }
            @if reviews.items.is_empty() { (empty("Không có báo cáo hoàn thành nào chờ xác nhận.")) } @else {
                form.card method="post" action="/inbox/reviews" { (csrf_field(&actor))
                    p.hint { "Chọn các báo cáo hoàn thành rồi xác nhận (hoặc trả lại với cùng một lý do) một lần; mở từng mục để xem kết quả và minh chứng." }
                    table.grid.stack { thead { tr { th { "Chọn" } th { "Đơn vị" } th { "Nhiệm vụ" } th { "Hoàn thành ngày" } th { "Hạn" } } }
                        tbody { @for a in &reviews.items { tr {
                            td data-label="Chọn" { input type="checkbox" name="ids" value=(a.id) aria-label={"Chọn " (a.unit_name)}; }
                            td data-label="Đơn vị" { (a.unit_name) }
                            td data-label="Nhiệm vụ" { a href={"/assignments/" (a.id)} { (a.task_title) } }
                            td data-label="Hoàn thành ngày" { (a.completed_on.map(crate::store::Day::show).unwrap_or_default()) }
                            td data-label="Hạn" { (a.due_on.map(crate::store::Day::show).unwrap_or_else(|| a.deadline_text.clone())) }
                        } } } }
                    label { "Lý do (khi trả lại)" input name="reason"; }
                    button type="submit" name="decision" value="confirm" { "Xác nhận các mục đã chọn" } " "
                    button.secondary type="submit" name="decision" value="return" { "Trả lại các mục đã chọn" }
                }
            }
            (pager_for(&keep("epage", q.epage), "rpage", reviews.page, reviews.pages(), reviews.total))
            h2 { "Đề nghị gia hạn (" (exts.total) ")" }
            @if exts.items.is_empty() { (empty("Không có đề nghị gia hạn nào chờ xử lý.")) } @else { (inbox_items(&[], &exts.items)) }
            (pager_for(&keep("rpage", q.rpage), "epage", exts.page, exts.pages(), exts.total))
        },
    ))
}
