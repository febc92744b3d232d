//! Page handlers: thin — read the request, call the domain function, render.

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::{as_of, csrf_field, empty, page, pager, pager_for, qs, status_badge, FormPairs, P, Q};
use crate::auth::{policy, Actor, Role};
use crate::deadline::DeadlineKind;
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::http::MaybeActor;
use crate::store::{show_date, show_instant, Db};
use crate::tracking::{self, Status};
use crate::{bodies, dashboard, directives, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/health", get(|| async { "ok" }))
        .route("/assets/app.css", get(css))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/dashboard", get(dashboard_page))
        .route("/dashboard/national", get(national_page))
        .route("/dashboard/overdue", get(overdue_page))
        .route("/my", get(my_page))
        .route("/inbox", get(inbox_page))
        .route("/units", get(units_page).post(unit_create))
        .route("/units/new", get(unit_new))
        .route("/units/{id}", get(unit_page).post(unit_update))
        .route("/units/{id}/successors", post(unit_successor))
        .route("/groups", post(group_create))
        .route("/groups/{id}", get(group_page).post(group_update))
        .route("/bodies", get(bodies_page).post(body_create))
        .route("/bodies/{id}", get(body_page).post(body_update))
        .route("/bodies/{id}/members", post(member_add))
        .route("/bodies/{id}/members/{member}/delete", post(member_remove))
        .route("/directives", get(directives_page).post(directive_create))
        .route("/directives/new", get(directive_new))
        .route(
            "/directives/{id}",
            get(directive_page).post(directive_update),
        )
        .route("/directives/{id}/tasks", post(task_create))
        .route("/tasks", get(tasks_page))
        .route("/tasks/{id}", get(task_page).post(task_update))
        .route("/assignments/{id}", get(assignment_page))
        .route(
            "/assignments/{id}/progress",
            // evidence files up to MAX_EVIDENCE_BYTES, plus the form's text fields
            post(progress_post).layer(axum::extract::DefaultBodyLimit::max(
                tracking::MAX_EVIDENCE_BYTES + 1024 * 1024,
            )),
        )
        .route("/assignments/{id}/review", post(review_post))
        .route("/assignments/{id}/extensions", post(extension_post))
        .route("/extensions/{id}/decision", post(extension_decide))
        .route("/attachments/{id}", get(attachment_get))
        .route("/audit", get(audit_page))
        .route("/users", get(users_page).post(user_create))
        .route("/users/{id}/active", post(user_active))
        .route("/users/{id}/password", post(user_password))
        .route("/account", get(account_page).post(account_password))
        .route("/account/contact", post(account_contact))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        super::CSS,
    )
        .into_response()
}

async fn home(MaybeActor(a): MaybeActor) -> Redirect {
    match a {
        None => Redirect::to("/login"),
        Some(a) if policy::own_unit_only(&a) => Redirect::to("/my"),
        Some(_) => Redirect::to("/dashboard"),
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    failed: Option<String>,
    locked: Option<String>,
}

async fn login_form(Q(q): Q<LoginQuery>) -> Html<String> {
    page(
        "Đăng nhập",
        None,
        html! {
            section.login {
                h1 { "Đăng nhập" }
                @if q.failed.is_some() { p.flash.err { "Tên đăng nhập hoặc mật khẩu không đúng." } }
                @if q.locked.is_some() { p.flash.err { "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị để đặt lại mật khẩu." } }
                form method="post" action="/login" {
                    input type="hidden" name="next" value=(q.next.unwrap_or_default());
                    label { "Tên đăng nhập" input name="username" autocomplete="username" required autofocus; }
                    label { "Mật khẩu" input name="password" type="password" autocomplete="current-password" required; }
                    button type="submit" { "Đăng nhập" }
                }
            }
        },
    )
}

async fn login(State(st): State<AppState>, f: FormPairs) -> AppResult<Response> {
    let next = f.get("next");
    // Only local paths, so the login form cannot be used to send users elsewhere.
    let next = if next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/".to_string()
    };
    let username = f.get("username");
    if st.logins.is_blocked(&username) {
        return Ok(
            Redirect::to(&format!("/login?locked=1&next={}", super::urlencode(&next)))
                .into_response(),
        );
    }
    match crate::auth::repo::login(&st.db, &username, &f.get("password")).await? {
        Some((token, _csrf)) => {
            st.logins.succeeded(&username);
            let secure = if st.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                crate::auth::SESSION_COOKIE,
                crate::auth::SESSION_HOURS * 3600
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
        }
        None => {
            st.logins.failed(&username);
            Ok(
                Redirect::to(&format!("/login?failed=1&next={}", super::urlencode(&next)))
                    .into_response(),
            )
        }
    }
}

async fn logout(
    State(st): State<AppState>,
    _signed_in: Actor,
    req: axum::http::request::Parts,
) -> AppResult<Response> {
    if let Some(t) = crate::http::session_cookie_value(&req) {
        crate::auth::repo::logout(&st.db, &t).await?;
    }
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        crate::auth::SESSION_COOKIE
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

// ---- dashboards ----

#[derive(Deserialize, Default)]
struct DashQuery {
    as_of: Option<String>,
    body: Option<String>,
    province: Option<String>,
    unit: Option<String>,
    page: Option<i64>,
}

fn opt_id(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|s| s.trim().parse().ok())
}

/// One row of figures; `overdue_link` makes the overdue count lead to the list behind it.
fn counts_cells(c: &dashboard::Counts, overdue_link: Option<&str>) -> Markup {
    html! {
        td.num { (c.with_deadline()) }
        td.num.st-ok { (c.done_on_time) }
        td.num.st-late { (c.done_late) }
        td.num.st-prog { (c.in_progress) }
        td.num.st-over { @match overdue_link { Some(l) if c.overdue > 0 => { a href=(l) { (c.overdue) } }, _ => { (c.overdue) } } }
        td.num { (format!("{:.1}", c.overdue_share())) "%" }
        td.num.st-ongoing { (c.ongoing) }
    }
}

fn counts_head(first: &str) -> Markup {
    html! {
        tr {
            th { (first) } th { "Có thời hạn" } th { "Hoàn thành đúng hạn" } th { "Hoàn thành quá hạn" }
            th { "Đang thực hiện trong hạn" } th { "Chưa hoàn thành quá hạn" } th { "Tỷ lệ quá hạn" } th { "Thường xuyên" }
        }
    }
}

fn as_of_form(action: &str, as_of: &str, extra: Markup) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label { "Tình hình đến ngày " input type="date" name="as_of" value=(as_of); }
            (extra)
            button type="submit" { "Xem" }
        }
    }
}

fn tiles(c: &dashboard::Counts) -> Markup {
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
                table.grid.reporting {
                    thead { tr { th { "Báo cáo" } th { "Kỳ" } th { "Hạn gửi" } th.num { "Đã gửi" } th.num { "Đúng hạn" } } }
                    tbody { @for r in &reporting { tr {
                        td { a href={"/reports/schedules/" (r.schedule.id) "?period=" (r.period.key)} { (r.schedule.name) } br; small.hint { "gửi " (r.schedule.receiver_name) } }
                        td { (r.period.label()) }
                        td { (r.due_on.format("%d/%m/%Y")) }
                        td.num { (r.submitted) "/" (r.expected) }
                        td.num { (r.on_time) }
                    } } }
                }
            }
            h2 { "Theo đơn vị" }
            @if dash.units.is_empty() { (empty("Chưa có nhiệm vụ nào được giao trong phạm vi này. Hãy nhập văn bản chỉ đạo và nhiệm vụ ở mục Văn bản.")) } @else {
                table.grid {
                    thead { (counts_head("Đơn vị")) }
                    tbody {
                        @for u in &dash.units {
                            tr { td { a href=(work(u.unit_id)) { (u.unit_name) } small { " · " (org::kind_label(&u.kind)) } } (counts_cells(&u.counts, Some(&overdue_of(u.unit_id)))) }
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
            table.grid {
                thead { (counts_head("Tỉnh, thành phố")) }
                tbody { @for p in list { tr { td { a href={"/dashboard?province=" (p.province_code) "&as_of=" (iso)} { (p.name) } } (counts_cells(&p.counts, None)) } } }
            }
        },
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
            @if let Some(u) = unit { p { a href={"/my?unit=" (u) "&as_of=" (iso)} { "Xem toàn bộ nhiệm vụ của đơn vị »" } } }
            @if list.items.is_empty() { (empty("Không có nhiệm vụ quá hạn. 👍")) } @else {
                table.grid {
                    thead { tr { th { "Đơn vị" } th { "Nhiệm vụ" } th { "Văn bản" } th { "Hạn" } th { "Quá hạn" } th { "Tiến độ" } } }
                    tbody { @for a in &list.items { tr {
                        td { (a.unit_name) }
                        td { a href={"/assignments/" (a.id)} { (a.task_title) } }
                        td { (a.directive_number) }
                        td { (a.due_on.as_deref().map(show_date).unwrap_or_default()) }
                        td.num.st-over { (-a.days_left(d).unwrap_or(0)) " ngày" }
                        td.num { (a.percent) "%" }
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
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let unit_id = opt_id(&q.unit)
        .or(actor.unit_id)
        .ok_or(AppError::NotFound("đơn vị"))?;
    let unit = org::get_unit(&st.db, unit_id).await?;
    policy::read_unit_work(
        &actor,
        &policy::Scope {
            province_code: &unit.province_code,
            unit_id: Some(unit.id),
        },
    )?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let owed = tracking::unit_owes(&st.db, unit.id, d).await?;
    let counts = dashboard::Counts::of(owed.iter().map(|o| o.status));
    let iso = d.format("%Y-%m-%d").to_string();
    let calendar = org::calendar_token(&st.db, unit.id).await?;
    let can_direct = policy::direct(&actor, &unit.province_code).is_ok();
    Ok(page(
        "Việc của đơn vị",
        Some(&actor),
        html! {
            h1 { "Việc của đơn vị: " (unit.name) }
            (as_of_form("/my", &iso, html! { input type="hidden" name="unit" value=(unit.id); }))
            (tiles(&counts))
            @if owed.is_empty() { (empty("Đơn vị chưa được giao nhiệm vụ nào.")) } @else {
                table.grid.owes {
                    thead { tr { th { "Tình trạng" } th { "Nhiệm vụ" } th { "Văn bản" } th { "Thời hạn" } th { "Tiến độ" } } }
                    tbody { @for o in &owed { tr class=(o.status.css()) {
                        td { (status_badge(o.status))
                            @if let Some(false) = o.reported_this_period { br; small.warn { "Chưa báo cáo kỳ này" } }
                            @if o.assignment.review == "pending" && o.assignment.completed_on.is_some() { br; small { "Chờ xác nhận" } }
                            @if o.assignment.review == "returned" { br; small.warn { "Bị trả lại" } }
                        }
                        td { a href={"/assignments/" (o.assignment.id)} { (o.assignment.task_title) } }
                        td { (o.assignment.directive_number) }
                        td { (o.assignment.due_on.as_deref().map(show_date).unwrap_or_else(|| o.assignment.deadline_text.clone()))
                            @if let (Some(n), Status::InProgress | Status::Overdue) = (o.days_left, o.status) {
                                br; small { @if n >= 0 { "còn " (n) " ngày" } @else { "quá " (-n) " ngày" } }
                            }
                        }
                        td.num { (o.assignment.percent) "%" }
                    } } }
                }
            }
            section.card { h2 { "Lịch hạn công việc (iCalendar)" }
                @if let Some(t) = &calendar {
                    p { "Thêm địa chỉ này vào lịch (Google Calendar, Outlook, điện thoại) để thấy hạn nhiệm vụ và hạn gửi báo cáo của đơn vị: " }
                    p { code { "/calendar/" (t) ".ics" } " · " a href={"/calendar/" (t) ".ics"} { "Tải lịch" } }
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

// ---- units ----

async fn units_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<org::UnitFilter>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, f.province.as_deref()).await?;
    let filter = org::UnitFilter {
        province: Some(province.clone()),
        ..f
    };
    let list = org::list_units(&st.db, &filter, 50).await?;
    let groups = org::list_groups(&st.db, Some(&province)).await?;
    let can_edit = policy::administer(&actor, &province).is_ok();
    let base = format!(
        "/units?{}",
        qs(&[
            ("q", filter.q.clone()),
            ("kind", filter.kind.clone()),
            ("province", Some(province.clone()))
        ])
    );
    Ok(page(
        "Đơn vị",
        Some(&actor),
        html! {
            h1 { "Đơn vị" }
            form.filters method="get" action="/units" {
                input type="search" name="q" placeholder="Tìm theo tên (không cần dấu)" value=(filter.q.clone().unwrap_or_default());
                select name="kind" { option value="" { "Mọi loại" } @for (k, l) in org::KINDS { option value=(k) selected[filter.kind.as_deref() == Some(k)] { (l) } } }
                input type="hidden" name="province" value=(province);
                button type="submit" { "Tìm" }
                @if can_edit { " " a.button href={"/units/new?province=" (province)} { "+ Thêm đơn vị" } }
            }
            @if list.items.is_empty() { (empty("Không có đơn vị phù hợp.")) } @else {
                table.grid { thead { tr { th { "Mã" } th { "Tên đơn vị" } th { "Loại" } th { "Hiệu lực" } } }
                    tbody { @for u in &list.items { tr {
                        td { (u.code) } td { a href={"/units/" (u.id)} { (u.name) } } td { (org::kind_label(&u.kind)) }
                        td { (u.valid_from.as_deref().map(show_date).unwrap_or_default()) " – " (u.valid_to.as_deref().map(show_date).unwrap_or_default()) }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
            h2 { "Nhóm đơn vị" }
            ul { @for g in &groups { li { a href={"/groups/" (g.id)} { (g.name) } @if g.member_kind.is_some() { small { " (tự động theo loại đơn vị)" } } } } }
            @if can_edit {
                details { summary { "Tạo nhóm đơn vị tùy chọn" }
                    form method="post" action="/groups" { (csrf_field(&actor))
                        input type="hidden" name="province" value=(province);
                        label { "Tên nhóm" input name="name" required; }
                        label { "Thành viên (giữ Ctrl để chọn nhiều)" (unit_multi(&st.db, &province, "members", &[]).await?) }
                        button type="submit" { "Tạo nhóm" }
                    }
                }
            }
        },
    ))
}

pub(super) async fn unit_multi(
    db: &Db,
    province: &str,
    name: &str,
    selected: &[i64],
) -> AppResult<Markup> {
    let units = org::province_units(db, province).await?;
    Ok(html! {
        select name=(name) multiple size="8" {
            @for (k, l) in org::KINDS {
                @let us: Vec<&org::Unit> = units.iter().filter(|u| u.kind == *k).collect();
                @if !us.is_empty() { optgroup label=(l) { @for u in us { option value=(u.id) selected[selected.contains(&u.id)] { (u.name) } } } }
            }
        }
    })
}

fn unit_form(
    actor: &Actor,
    action: &str,
    u: Option<&org::Unit>,
    province: &str,
    parents: &[org::Unit],
) -> Markup {
    html! {
        form.card method="post" action=(action) { (csrf_field(actor))
            input type="hidden" name="province_code" value=(province);
            label { "Mã đơn vị" input name="code" required value=(u.map(|u| u.code.clone()).unwrap_or_default()) readonly[u.is_some()]; }
            label { "Tên đơn vị" input name="name" required value=(u.map(|u| u.name.clone()).unwrap_or_default()); }
            label { "Tên viết tắt" input name="short_name" value=(u.and_then(|u| u.short_name.clone()).unwrap_or_default()); }
            label { "Loại" select name="kind" { @for (k, l) in org::KINDS { option value=(k) selected[u.map(|u| u.kind.as_str()) == Some(*k)] { (l) } } } }
            label { "Đơn vị cấp trên" select name="parent_id" { option value="" { "—" } @for p in parents { option value=(p.id) selected[u.and_then(|u| u.parent_id) == Some(p.id)] { (p.name) } } } }
            label { "Hiệu lực từ" input type="date" name="valid_from" value=(u.and_then(|u| u.valid_from.clone()).unwrap_or_default()); }
            label { "Hiệu lực đến" input type="date" name="valid_to" value=(u.and_then(|u| u.valid_to.clone()).unwrap_or_default()); }
            button type="submit" { "Lưu" }
        }
    }
}

fn unit_input(f: &FormPairs) -> org::UnitInput {
    org::UnitInput {
        code: f.get("code"),
        name: f.get("name"),
        short_name: f.opt("short_name"),
        kind: f.get("kind"),
        parent_id: f.id("parent_id"),
        province_code: f.get("province_code"),
        valid_from: f.opt("valid_from"),
        valid_to: f.opt("valid_to"),
    }
}

async fn parents(db: &Db, province: &str) -> AppResult<Vec<org::Unit>> {
    Ok(org::province_units(db, province)
        .await?
        .into_iter()
        .filter(|u| u.kind == "province" || u.kind == "district")
        .collect())
}

async fn unit_new(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<org::UnitFilter>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, f.province.as_deref()).await?;
    policy::administer(&actor, &province)?;
    let ps = parents(&st.db, &province).await?;
    Ok(page(
        "Thêm đơn vị",
        Some(&actor),
        html! { h1 { "Thêm đơn vị" } (unit_form(&actor, "/units", None, &province, &ps)) },
    ))
}

async fn unit_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    let id = org::create_unit(&st.db, &actor, &unit_input(&f)).await?;
    Ok(Redirect::to(&format!("/units/{id}")))
}

async fn unit_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    org::update_unit(&st.db, &actor, id, &unit_input(&f)).await?;
    Ok(Redirect::to(&format!("/units/{id}")))
}

async fn unit_successor(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    let succ = f
        .id("successor_id")
        .ok_or_else(|| AppError::invalid("successor_id", "Chọn đơn vị kế thừa."))?;
    org::add_successor(&st.db, &actor, id, succ, &f.get("share")).await?;
    Ok(Redirect::to(&format!("/units/{id}")))
}

async fn unit_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let u = org::get_unit(&st.db, id).await?;
    policy::read_province(&actor, &u.province_code)?;
    let kids = org::children(&st.db, id).await?;
    let succ = org::successors(&st.db, id).await?;
    let can_edit = policy::administer(&actor, &u.province_code).is_ok();
    let ps = parents(&st.db, &u.province_code).await?;
    let all = if can_edit {
        org::province_units(&st.db, &u.province_code).await?
    } else {
        vec![]
    };
    Ok(page(
        &u.name,
        Some(&actor),
        html! {
            h1 { (u.name) }
            p { "Mã: " (u.code) " · " (org::kind_label(&u.kind)) " · " a href={"/my?unit=" (u.id)} { "Nhiệm vụ của đơn vị »" } }
            @if !succ.is_empty() { p { "Đơn vị kế thừa: " @for (s, share) in &succ { a href={"/units/" (s.id)} { (s.name) } " (" (if share == "whole" { "toàn bộ" } else { "một phần" }) ") " } } }
            @if !kids.is_empty() {
                details open[kids.len() <= 30] { summary { "Đơn vị trực thuộc (" (kids.len()) ")" }
                    ul.cols { @for k in &kids { li { a href={"/units/" (k.id)} { (k.name) } } } } }
            }
            @if can_edit {
                h2 { "Sửa thông tin" }
                (unit_form(&actor, &format!("/units/{id}"), Some(&u), &u.province_code, &ps))
                h2 { "Thêm đơn vị kế thừa (sắp xếp, sáp nhập)" }
                form.card method="post" action={"/units/" (id) "/successors"} { (csrf_field(&actor))
                    label { "Đơn vị kế thừa" select name="successor_id" { @for x in &all { @if x.id != id { option value=(x.id) { (x.name) } } } } }
                    label { "Phạm vi" select name="share" { option value="whole" { "Toàn bộ" } option value="part" { "Một phần" } } }
                    button type="submit" { "Thêm" }
                }
            }
        },
    ))
}

async fn group_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    let id = org::create_group(
        &st.db,
        &actor,
        &f.get("province"),
        &f.get("name"),
        &f.ids("members"),
    )
    .await?;
    Ok(Redirect::to(&format!("/groups/{id}")))
}

async fn group_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let g = org::get_group(&st.db, id).await?;
    policy::read_province(&actor, &g.province_code)?;
    let members = org::group_members(&st.db, &g, &st.clock.today_vn().to_string()).await?;
    let can_edit = policy::administer(&actor, &g.province_code).is_ok();
    let ids: Vec<i64> = members.iter().map(|u| u.id).collect();
    let picker = if can_edit && g.member_kind.is_none() {
        Some(unit_multi(&st.db, &g.province_code, "members", &ids).await?)
    } else {
        None
    };
    Ok(page(
        &g.name,
        Some(&actor),
        html! {
            h1 { "Nhóm: " (g.name) }
            p { (members.len()) " đơn vị" @if g.member_kind.is_some() { " — nhóm tự động: mọi đơn vị loại “" (org::kind_label(g.member_kind.as_deref().unwrap_or(""))) "” đang hiệu lực" } }
            ul.cols { @for u in &members { li { a href={"/units/" (u.id)} { (u.name) } } } }
            @if can_edit {
                details.card { summary { "Sửa nhóm" }
                    form method="post" action={"/groups/" (id)} { (csrf_field(&actor))
                        label { "Tên nhóm" input name="name" required value=(g.name); }
                        @if let Some(p) = picker { label { "Thành viên (giữ Ctrl để chọn nhiều)" (p) } }
                        button type="submit" { "Lưu" }
                    }
                }
            }
        },
    ))
}

// ---- bodies ----

async fn bodies_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let list = bodies::list_bodies(&st.db, &province).await?;
    let can_edit = policy::administer(&actor, &province).is_ok();
    let units = if can_edit {
        org::province_units(&st.db, &province).await?
    } else {
        vec![]
    };
    Ok(page(
        "Ban chỉ đạo, tổ công tác",
        Some(&actor),
        html! {
            h1 { "Ban Chỉ đạo và Tổ công tác" }
            @if list.is_empty() { (empty("Chưa có Ban Chỉ đạo hay Tổ công tác nào.")) }
            ul { @for b in &list { li { a href={"/bodies/" (b.id)} { (b.name) } small { " · " (bodies::kind_label(&b.kind)) } } } }
            @if can_edit {
                h2 { "Thêm mới" }
                (body_form(&actor, "/bodies", None, &province, &units))
            }
        },
    ))
}

async fn body_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    let id = bodies::create_body(&st.db, &actor, &body_input(&f)).await?;
    Ok(Redirect::to(&format!("/bodies/{id}")))
}

async fn member_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    bodies::add_member(
        &st.db,
        &actor,
        id,
        &bodies::MemberInput {
            person_name: f.get("person_name"),
            position: f.get("position"),
            unit_id: f.id("unit_id"),
            role: f.get("role"),
            domain: f.get("domain"),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/bodies/{id}")))
}

async fn body_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let b = bodies::get_body(&st.db, id).await?;
    policy::read_province(&actor, &b.province_code)?;
    let members = bodies::members(&st.db, id).await?;
    let standing = match b.standing_unit_id {
        Some(u) => Some(org::get_unit(&st.db, u).await?),
        None => None,
    };
    let can_edit = policy::administer(&actor, &b.province_code).is_ok();
    let units = if can_edit {
        org::province_units(&st.db, &b.province_code).await?
    } else {
        vec![]
    };
    let dirs = directives::list_directives(
        &st.db,
        &b.province_code,
        &directives::DirectiveFilter {
            body: Some(id),
            ..Default::default()
        },
    )
    .await?;
    Ok(page(
        &b.name,
        Some(&actor),
        html! {
            h1 { (b.name) }
            p { (bodies::kind_label(&b.kind)) @if let Some(s) = &standing { " · Cơ quan thường trực: " a href={"/units/" (s.id)} { (s.name) } }
                @if !b.meeting_cadence.is_empty() { " · Họp: " (b.meeting_cadence) } }
            @if !b.description.is_empty() { p.pre { (b.description) } }
            p { a href={"/dashboard?body=" (b.id)} { "Tổng quan nhiệm vụ của " (b.name) " »" } }
            h2 { "Thành viên" }
            @if members.is_empty() { (empty("Chưa có thành viên.")) } @else {
                table.grid { thead { tr { th { "Họ tên" } th { "Vai trò" } th { "Chức vụ" } th { "Đơn vị" } th { "Phụ trách" } } }
                    tbody { @for m in &members { tr { td { (m.person_name) } td { (bodies::role_label(&m.role)) } td { (m.position) } td { (m.unit_name.clone().unwrap_or_default()) } td { (m.domain) }
                        @if can_edit { td { form method="post" action={"/bodies/" (id) "/members/" (m.id) "/delete"} { (csrf_field(&actor)) button.link type="submit" { "Xóa" } } } }
                    } } } }
            }
            @if can_edit {
                details { summary { "Thêm thành viên" }
                    form.card method="post" action={"/bodies/" (id) "/members"} { (csrf_field(&actor))
                        label { "Họ tên" input name="person_name" required; }
                        label { "Vai trò" select name="role" { @for (k, l) in bodies::ROLES { option value=(k) { (l) } } } }
                        label { "Chức vụ" input name="position"; }
                        label { "Đơn vị" select name="unit_id" { option value="" { "—" } @for u in &units { option value=(u.id) { (u.name) } } } }
                        label { "Lĩnh vực phụ trách" input name="domain"; }
                        button type="submit" { "Thêm" }
                    }
                }
                details { summary { "Sửa thông tin" }
                    (body_form(&actor, &format!("/bodies/{id}"), Some(&b), &b.province_code, &units))
                }
            }
            h2 { "Văn bản chỉ đạo" }
            @if dirs.items.is_empty() { (empty("Chưa có văn bản.")) }
            ul { @for (d, n) in &dirs.items { li { a href={"/directives/" (d.id)} { (d.number) } " — " (d.summary) " (" (n) " nhiệm vụ)" } } }
        },
    ))
}

// ---- directives and tasks ----

async fn directives_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<directives::DirectiveFilter>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let list = directives::list_directives(&st.db, &province, &f).await?;
    let can = policy::direct(&actor, &province).is_ok();
    let base = format!("/directives?{}", qs(&[("q", f.q.clone())]));
    Ok(page(
        "Văn bản chỉ đạo",
        Some(&actor),
        html! {
            h1 { "Văn bản chỉ đạo" }
            form.filters method="get" action="/directives" {
                input type="search" name="q" placeholder="Số hiệu, trích yếu (không cần dấu)" value=(f.q.clone().unwrap_or_default());
                button type="submit" { "Tìm" }
                @if can { " " a.button href="/directives/new" { "+ Nhập văn bản" } " " a.button href="/directives/import" { "Nhập từ tệp" } }
            }
            @if list.items.is_empty() { (empty("Chưa có văn bản chỉ đạo nào. Nhập kế hoạch, thông báo kết luận hoặc công văn để bắt đầu theo dõi nhiệm vụ.")) } @else {
                table.grid { thead { tr { th { "Số, ký hiệu" } th { "Ngày" } th { "Loại" } th { "Trích yếu" } th { "Nhiệm vụ" } } }
                    tbody { @for (d, n) in &list.items { tr {
                        td { a href={"/directives/" (d.id)} { (d.number) } } td { (show_date(&d.issued_on)) } td { (directives::kind_label(&d.kind)) }
                        td { (d.summary) } td.num { (n) }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
        },
    ))
}

async fn directive_new(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let bodies = bodies::list_bodies(&st.db, &province).await?;
    Ok(page(
        "Nhập văn bản",
        Some(&actor),
        html! {
            h1 { "Nhập văn bản chỉ đạo" }
            (directive_form(&actor, "/directives", None, &province, &bodies))
        },
    ))
}

async fn directive_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    let id = directives::create_directive(&st.db, &actor, &directive_input(&f)).await?;
    Ok(Redirect::to(&format!("/directives/{id}")))
}

async fn directive_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let d = directives::get_directive(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let tasks = directives::directive_tasks(&st.db, id).await?;
    let can = policy::direct(&actor, &d.province_code).is_ok();
    let edit_bodies = if can {
        Some(bodies::list_bodies(&st.db, &d.province_code).await?)
    } else {
        None
    };
    let groups = if can {
        org::list_groups(&st.db, Some(&d.province_code)).await?
    } else {
        vec![]
    };
    let units_sel = if can {
        Some(unit_multi(&st.db, &d.province_code, "lead_units", &[]).await?)
    } else {
        None
    };
    let coord_sel = if can {
        Some(unit_multi(&st.db, &d.province_code, "coordinators", &[]).await?)
    } else {
        None
    };
    Ok(page(
        &d.number,
        Some(&actor),
        html! {
            h1 { (directives::kind_label(&d.kind)) " số " (d.number) }
            p.meta { "Ngày " (show_date(&d.issued_on)) " · " (d.issuer) @if !d.signer.is_empty() { " · Người ký: " (d.signer) } }
            p.summary { (d.summary) }
            @if !d.body_text.is_empty() { details { summary { "Toàn văn" } div.pre { (d.body_text) } } }
            @if let Some(b) = &edit_bodies { details { summary { "Sửa văn bản" } (directive_form(&actor, &format!("/directives/{id}"), Some(&d), &d.province_code, b)) } }
            h2 { "Nhiệm vụ (" (tasks.len()) ")" }
            @if tasks.is_empty() { (empty("Văn bản chưa có nhiệm vụ nào.")) } @else {
                table.grid { thead { tr { th { "STT" } th { "Nhiệm vụ" } th { "Chủ trì" } th { "Phối hợp" } th { "Thời hạn" } th { "Sản phẩm" } th { "Phân công" } } }
                    tbody { @for (t, n) in &tasks { tr {
                        td { (t.ref_) } td { a href={"/tasks/" (t.id)} { (t.title) } } td { (t.lead_text) } td { (t.coordinators_text) }
                        td { (t.deadline_label()) } td { (t.product) } td.num { (n) }
                    } } } }
            }
            @if let (Some(us), Some(cs)) = (units_sel, coord_sel) {
                h2 { "Thêm nhiệm vụ" }
                form.card method="post" action={"/directives/" (id) "/tasks"} { (csrf_field(&actor))
                    label { "STT" input name="ref" size="6"; }
                    label { "Tên nhiệm vụ" textarea name="title" required rows="2" {} }
                    fieldset { legend { "Đơn vị chủ trì" }
                        p.hint { "Chọn nhóm (mỗi đơn vị trong nhóm nhận một phân công) và/hoặc từng đơn vị." }
                        @for g in &groups { label.inline { input type="checkbox" name="lead_groups" value=(g.id); " " (g.name) } }
                        (us)
                        label { "Cách ghi trong văn bản (tùy chọn)" input name="lead_text" placeholder="Các sở, ban, ngành; UBND cấp xã"; }
                    }
                    label { "Đơn vị phối hợp" (cs) }
                    (deadline_fields(None))
                    label { "Sản phẩm dự kiến" input name="product"; }
                    button type="submit" { "Thêm nhiệm vụ" }
                }
            }
        },
    ))
}

async fn task_create(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    let tid = directives::create_task(
        &st.db,
        &actor,
        id,
        &directives::TaskInput {
            ref_: f.get("ref"),
            title: f.get("title"),
            lead_units: f.ids("lead_units"),
            lead_groups: f.ids("lead_groups"),
            lead_text: f.get("lead_text"),
            coordinators: f.ids("coordinators"),
            coordinators_text: f.get("coordinators_text"),
            deadline_text: f.get("deadline_text"),
            deadline_kind: f.get("deadline_kind"),
            deadline_value: f.get("deadline_value"),
            recurrence: f.get("recurrence"),
            product: f.get("product"),
        },
        st.clock.today_vn(),
    )
    .await?;
    Ok(Redirect::to(&format!("/tasks/{tid}")))
}

async fn tasks_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(s): Q<directives::TaskSearch>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let list = directives::search_tasks(&st.db, &province, &s).await?;
    let base = format!("/tasks?{}", qs(&[("q", s.q.clone())]));
    Ok(page(
        "Nhiệm vụ",
        Some(&actor),
        html! {
            h1 { "Tìm nhiệm vụ" }
            form.filters method="get" action="/tasks" {
                input type="search" name="q" placeholder="Ví dụ: so noi vu, so hoa, 1022…" value=(s.q.clone().unwrap_or_default()) autofocus;
                button type="submit" { "Tìm" }
            }
            @if list.items.is_empty() { (empty("Không tìm thấy nhiệm vụ phù hợp.")) } @else {
                table.grid { thead { tr { th { "Nhiệm vụ" } th { "Chủ trì" } th { "Thời hạn" } th { "Văn bản" } } }
                    tbody { @for (t, d) in &list.items { tr {
                        td { a href={"/tasks/" (t.id)} { (t.title) } } td { (t.lead_text) } td { (t.deadline_label()) }
                        td { a href={"/directives/" (d.id)} { (d.number) } }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
        },
    ))
}

async fn task_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let (t, d) = directives::get_task(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    // A unit officer sees the task and only its own unit's assignment.
    let all = policy::visible(&actor, tracking::task_assignments(&st.db, id).await?, |a| {
        a.unit_id
    });
    let counts = dashboard::Counts::of(all.iter().map(|a| a.status(day)));
    // Ongoing duties: who has reported for the period containing the as-of date.
    let this_period = tracking::reports_this_period(&st.db, &t, day).await?;
    let (period, reported) = match this_period {
        Some((p, r)) => (Some(p), r),
        None => (None, Default::default()),
    };
    Ok(page(
        "Nhiệm vụ",
        Some(&actor),
        html! {
            p { a href={"/directives/" (d.id)} { "« " (directives::kind_label(&d.kind)) " " (d.number) } }
            h1 { @if !t.ref_.is_empty() { (t.ref_) ". " } (t.title) }
            dl.facts {
                dt { "Chủ trì" } dd { (t.lead_text) }
                dt { "Phối hợp" } dd { (t.coordinators_text) }
                dt { "Thời hạn" } dd { (t.deadline_label()) @if let Some(due) = &t.deadline_due { " (" (show_date(due)) ")" } }
                dt { "Sản phẩm" } dd { (t.product) }
            }
            @if policy::direct(&actor, &d.province_code).is_ok() {
                details.card { summary { "Sửa nhiệm vụ" }
                    form method="post" action={"/tasks/" (id)} { (csrf_field(&actor))
                        label { "STT" input name="ref" value=(t.ref_); }
                        label { "Tên nhiệm vụ" textarea name="title" required rows="2" { (t.title) } }
                        label { "Chủ trì (cách ghi)" input name="lead_text" value=(t.lead_text); }
                        label { "Phối hợp (cách ghi)" input name="coordinators_text" value=(t.coordinators_text); }
                        (deadline_fields(Some(&t)))
                        label { "Sản phẩm dự kiến" input name="product" value=(t.product); }
                        p.hint { "Đơn vị chủ trì đã giao không đổi ở đây. Phân công đã được gia hạn giữ hạn đã gia hạn." }
                        button type="submit" { "Lưu thay đổi" }
                    }
                }
            }
            (as_of_form(&format!("/tasks/{id}"), &day.to_string(), html! {}))
            (tiles(&counts))
            @if let Some(p) = &period { p.summary { "Đã báo cáo kỳ " (p) ": " (reported.len()) "/" (all.len()) " đơn vị" } }
            table.grid { thead { tr { th { "Đơn vị" } th { "Tình trạng" } th { "Hạn" } th { "Tiến độ" } th { "Cập nhật" }
                    @if let Some(p) = &period { th { "Báo cáo kỳ " (p) } } } }
                tbody { @for a in &all { tr {
                    td { a href={"/assignments/" (a.id)} { (a.unit_name) } }
                    td { (status_badge(a.status(day))) @if a.review == "pending" && a.completed_on.is_some() { " " small { "chờ xác nhận" } } }
                    td { (a.due_on.as_deref().map(show_date).unwrap_or_else(|| t.deadline_label())) }
                    td.num { (a.percent) "%" }
                    td { (a.last_update_at.as_deref().map(show_instant).unwrap_or_default()) }
                    @if period.is_some() { td { @if reported.contains(&a.id) { span.st-ok { "Đã báo cáo" } } @else { span.warn { "Chưa báo cáo" } } } }
                } } } }
        },
    ))
}

async fn assignment_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let a = tracking::read_assignment(&st.db, &actor, id).await?;
    let (t, d) = directives::get_task(&st.db, a.task_id).await?;
    let updates = tracking::progress_of(&st.db, id).await?;
    let exts = tracking::extensions_of(&st.db, id).await?;
    let today = st.clock.today_vn();
    let status = a.status(today);
    let can_work = policy::work_on(&actor, &a.scope()).is_ok();
    let can_direct = policy::direct(&actor, &a.province_code).is_ok();
    let period = a.recurrence().map(|r| r.period_of(today));
    Ok(page(
        "Phân công",
        Some(&actor),
        html! {
            p { a href={"/tasks/" (t.id)} { "« Nhiệm vụ" } " · " a href={"/directives/" (d.id)} { (d.number) } }
            h1 { (a.unit_name) }
            p.summary { (t.title) }
            dl.facts {
                dt { "Tình trạng hôm nay" } dd { (status_badge(status))
                    @if a.review == "pending" && a.completed_on.is_some() { " · chờ xác nhận" }
                    @if a.review == "confirmed" { " · đã xác nhận" }
                    @if a.review == "returned" { " · bị trả lại: " (a.review_reason) } }
                dt { "Thời hạn" } dd { (a.due_on.as_deref().map(show_date).unwrap_or_else(|| t.deadline_label()))
                    @if a.due_on != t.deadline_due { small { " (đã gia hạn, hạn gốc: " (t.deadline_due.as_deref().map(show_date).unwrap_or_default()) ")" } } }
                dt { "Tiến độ" } dd { progress value=(a.percent) max="100" {} " " (a.percent) "%" }
                @if let Some(c) = &a.completed_on { dt { "Ngày hoàn thành" } dd { (show_date(c)) } }
                dt { "Sản phẩm" } dd { (t.product) }
            }
            @if can_direct && a.review == "pending" && a.completed_on.is_some() {
                section.card { h2 { "Xác nhận hoàn thành" }
                    form method="post" action={"/assignments/" (id) "/review"} { (csrf_field(&actor))
                        label { "Ý kiến / lý do trả lại" textarea name="reason" rows="2" {} }
                        button name="decision" value="confirm" type="submit" { "Xác nhận hoàn thành" }
                        " "
                        button.secondary name="decision" value="return" type="submit" { "Trả lại" }
                    }
                }
            }
            @for e in exts.iter().filter(|e| e.decision == "pending") {
                section.card { h2 { "Đề nghị gia hạn đến " (show_date(&e.requested_due)) }
                    p { "Lý do: " (e.reason) " — " (e.requested_by_name.clone().unwrap_or_default()) }
                    @if can_direct {
                        form method="post" action={"/extensions/" (e.id) "/decision"} { (csrf_field(&actor))
                            label { "Ý kiến" textarea name="note" rows="2" {} }
                            button name="decision" value="approve" type="submit" { "Đồng ý gia hạn" }
                            " "
                            button.secondary name="decision" value="refuse" type="submit" { "Không đồng ý" }
                        }
                    } @else { p { "Đang chờ Thường trực xem xét." } }
                }
            }
            @if can_work {
                section.card { h2 { "Báo cáo tiến độ" @if let Some(p) = &period { " kỳ " (p) } }
                    form method="post" action={"/assignments/" (id) "/progress"} enctype="multipart/form-data" { (csrf_field(&actor))
                        @if let Some(p) = &period { input type="hidden" name="period" value=(p); }
                        label { "Kết quả thực hiện" textarea name="result" required rows="3" {} }
                        label { "Khó khăn, vướng mắc" textarea name="difficulties" rows="2" {} }
                        label { "Đề xuất, kiến nghị" textarea name="proposals" rows="2" {} }
                        label { "Tỷ lệ hoàn thành (%)" input type="number" name="percent" min="0" max="100" value=(a.percent); }
                        label { "Tệp minh chứng (tối đa 10 MB)" input type="file" name="evidence"; }
                        @if !a.recurring && (a.completed_on.is_none()) {
                            label.inline { input type="checkbox" name="done" value="1"; " Đã hoàn thành nhiệm vụ" }
                            label { "Ngày hoàn thành (nếu đã hoàn thành; mặc định hôm nay)" input type="date" name="completed_on"; }
                        }
                        button type="submit" { "Gửi báo cáo" }
                    }
                }
                @if !a.recurring && a.due_on.is_some() && a.completed_on.is_none() && !exts.iter().any(|e| e.decision == "pending") {
                    details.card { summary { "Đề nghị gia hạn" }
                        form method="post" action={"/assignments/" (id) "/extensions"} { (csrf_field(&actor))
                            label { "Hạn mới đề nghị" input type="date" name="requested_due" required; }
                            label { "Lý do" textarea name="reason" required rows="2" {} }
                            button type="submit" { "Gửi đề nghị" }
                        }
                    }
                }
            }
            h2 { "Lịch sử báo cáo" }
            @if updates.is_empty() { (empty("Chưa có báo cáo tiến độ.")) }
            @for u in &updates {
                article.update {
                    header { strong { (show_instant(&u.created_at)) } " · " (u.author.clone().unwrap_or_default()) " · " (u.percent) "%"
                        @if !u.period.is_empty() { " · kỳ " (u.period) } @if u.marks_done { " · " span.badge.st-ok { "Báo cáo hoàn thành" } } }
                    p { (u.result) }
                    @if !u.difficulties.is_empty() { p { em { "Khó khăn: " } (u.difficulties) } }
                    @if !u.proposals.is_empty() { p { em { "Đề xuất: " } (u.proposals) } }
                    @if let (Some(aid), Some(n)) = (u.attachment_id, &u.attachment_name) { p { "Minh chứng: " a href={"/attachments/" (aid)} { (n) } } }
                }
            }
            @if !exts.is_empty() {
                h2 { "Gia hạn" }
                ul { @for e in &exts { li { (show_date(&e.requested_due)) " — " (e.reason) " — "
                    (match e.decision.as_str() { "approved" => "đã đồng ý", "refused" => "không đồng ý", _ => "đang chờ" })
                    @if !e.decision_note.is_empty() { " (" (e.decision_note) ")" } } } }
            }
            @if policy::read_audit(&actor).is_ok() { p { a href={"/audit?entity=assignment&entity_id=" (id)} { "Nhật ký thay đổi »" } } }
        },
    ))
}

async fn progress_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    mp: Multipart,
) -> AppResult<Redirect> {
    let form = super::read_progress_form(mp).await?;
    tracking::post_progress(
        &st.db,
        &actor,
        id,
        &form.input,
        form.evidence,
        st.clock.today_vn(),
    )
    .await?;
    Ok(Redirect::to(&format!("/assignments/{id}")))
}

async fn review_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    tracking::review_completion(
        &st.db,
        &actor,
        id,
        &tracking::ReviewInput {
            decision: f.get("decision"),
            reason: f.get("reason"),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/assignments/{id}")))
}

async fn extension_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    tracking::request_extension(
        &st.db,
        &actor,
        id,
        &tracking::ExtensionRequest {
            requested_due: f.get("requested_due"),
            reason: f.get("reason"),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/assignments/{id}")))
}

async fn extension_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    let aid = tracking::decide_extension(
        &st.db,
        &actor,
        id,
        &tracking::ExtensionDecision {
            decision: f.get("decision"),
            note: f.get("note"),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/assignments/{aid}")))
}

async fn attachment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (name, _content_type, data) = tracking::attachment(&st.db, &actor, id).await?;
    Ok(super::attachment_response(&name, data))
}

#[derive(Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    page: Option<i64>,
}

async fn audit_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<AuditQuery>,
) -> AppResult<Html<String>> {
    policy::read_audit(&actor)?;
    let page_no = q.page.unwrap_or(1).max(1);
    let eid = opt_id(&q.entity_id);
    let entity = q.entity.as_deref().filter(|s| !s.is_empty());
    let (rows, total) = crate::audit::list(&st.db, entity, eid, (page_no - 1) * 50, 50).await?;
    let base = format!(
        "/audit?{}",
        qs(&[
            ("entity", q.entity.clone()),
            ("entity_id", q.entity_id.clone())
        ])
    );
    Ok(page(
        "Nhật ký thay đổi",
        Some(&actor),
        html! {
            h1 { "Nhật ký thay đổi" }
            @if rows.is_empty() { (empty("Chưa có thay đổi nào.")) } @else {
                table.grid.audit { thead { tr { th { "Thời điểm" } th { "Người thực hiện" } th { "Thao tác" } th { "Đối tượng" } th { "Trước" } th { "Sau" } } }
                    tbody { @for r in &rows { tr {
                        td { (show_instant(&r.at)) } td { (r.username) } td { (r.action) }
                        td { (r.entity) " #" (r.entity_id.map(|i| i.to_string()).unwrap_or_default()) }
                        td { code { (r.before_json.clone().unwrap_or_default()) } } td { code { (r.after_json.clone().unwrap_or_default()) } }
                    } } } }
            }
            (pager(&base, page_no, ((total + 49) / 50).max(1), total))
        },
    ))
}

fn inbox_items(
    reviews: &[tracking::Assignment],
    exts: &[(tracking::Extension, tracking::Assignment)],
) -> Markup {
    html! {
        ul {
            @for a in reviews { li { "Xác nhận hoàn thành (" (a.completed_on.as_deref().map(show_date).unwrap_or_default()) "): "
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
            @if reviews.items.is_empty() { (empty("Không có báo cáo hoàn thành nào chờ xác nhận.")) } @else { (inbox_items(&reviews.items, &[])) }
            (pager_for(&keep("epage", q.epage), "rpage", reviews.page, reviews.pages(), reviews.total))
            h2 { "Đề nghị gia hạn (" (exts.total) ")" }
            @if exts.items.is_empty() { (empty("Không có đề nghị gia hạn nào chờ xử lý.")) } @else { (inbox_items(&[], &exts.items)) }
            (pager_for(&keep("rpage", q.rpage), "epage", exts.page, exts.pages(), exts.total))
        },
    ))
}

fn body_form(
    actor: &Actor,
    action: &str,
    b: Option<&bodies::Body>,
    province: &str,
    units: &[org::Unit],
) -> Markup {
    html! {
        form.card method="post" action=(action) { (csrf_field(actor))
            input type="hidden" name="province_code" value=(province);
            label { "Mã" input name="code" required value=(b.map(|b| b.code.clone()).unwrap_or_default()) readonly[b.is_some()]; }
            label { "Tên" input name="name" required value=(b.map(|b| b.name.clone()).unwrap_or_default()); }
            label { "Loại" select name="kind" { @for (k, l) in bodies::KINDS { option value=(k) selected[b.map(|b| b.kind.as_str()) == Some(*k)] { (l) } } } }
            label { "Cơ quan thường trực" select name="standing_unit_id" { option value="" { "—" }
                @for u in units { option value=(u.id) selected[b.and_then(|b| b.standing_unit_id) == Some(u.id)] { (u.name) } } } }
            label { "Chế độ họp" input name="meeting_cadence" placeholder="Hằng quý" value=(b.map(|b| b.meeting_cadence.clone()).unwrap_or_default()); }
            label { "Mô tả" textarea name="description" { (b.map(|b| b.description.clone()).unwrap_or_default()) } }
            button type="submit" { @if b.is_some() { "Lưu" } @else { "Tạo" } }
        }
    }
}

fn body_input(f: &FormPairs) -> bodies::BodyInput {
    bodies::BodyInput {
        code: f.get("code"),
        name: f.get("name"),
        kind: f.get("kind"),
        province_code: f.get("province_code"),
        standing_unit_id: f.id("standing_unit_id"),
        meeting_cadence: f.get("meeting_cadence"),
        description: f.get("description"),
    }
}

async fn body_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    bodies::update_body(&st.db, &actor, id, &body_input(&f)).await?;
    Ok(Redirect::to(&format!("/bodies/{id}")))
}

async fn member_remove(
    State(st): State<AppState>,
    actor: Actor,
    P((id, member)): P<(i64, i64)>,
) -> AppResult<Redirect> {
    bodies::remove_member(&st.db, &actor, id, member).await?;
    Ok(Redirect::to(&format!("/bodies/{id}")))
}

// ---- accounts ----

#[derive(Deserialize)]
struct UsersQuery {
    province: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

async fn users_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<UsersQuery>,
) -> AppResult<Html<String>> {
    let province = crate::auth::repo::accounts_scope(&st.db, &actor, q.province.as_deref()).await?;
    let list = crate::auth::repo::list_users(
        &st.db,
        province.as_deref(),
        q.q.as_deref(),
        q.page.unwrap_or(1),
    )
    .await?;
    let unit_province = match &province {
        Some(p) => p.clone(),
        None => org::province_for(&st.db, &actor, None).await?,
    };
    let units = org::province_units(&st.db, &unit_province).await?;
    let roles = policy::grantable_roles(&actor);
    let base = format!(
        "/users?{}",
        qs(&[("province", q.province.clone()), ("q", q.q.clone())])
    );
    Ok(page(
        "Tài khoản",
        Some(&actor),
        html! {
            h1 { "Tài khoản người dùng" }
            form.filters method="get" action="/users" {
                input type="search" name="q" placeholder="Tên đăng nhập hoặc họ tên" value=(q.q.clone().unwrap_or_default());
                button type="submit" { "Tìm" }
            }
            @if list.items.is_empty() { (empty("Không có tài khoản phù hợp.")) } @else {
                table.grid { thead { tr { th { "Tên đăng nhập" } th { "Họ tên" } th { "Vai trò" } th { "Đơn vị" } th { "Trạng thái" } th { "Thao tác" } } }
                    tbody { @for u in &list.items { tr {
                        td { (u.username) } td { (u.full_name) }
                        td { (Role::parse(&u.role).map(|r| r.label()).unwrap_or("")) }
                        td { (u.unit_name.clone().unwrap_or_default()) }
                        td { @if u.active { "Đang hoạt động" } @else { span.warn { "Đã khóa" } } }
                        td { @if policy::manage_account(&actor, &u.scope()).is_ok() && u.id != actor.user_id {
                            form.inline method="post" action={"/users/" (u.id) "/active"} { (csrf_field(&actor))
                                input type="hidden" name="active" value=(if u.active { "0" } else { "1" });
                                button.link type="submit" { @if u.active { "Khóa" } @else { "Mở khóa" } } }
                            details { summary { "Đặt lại mật khẩu" }
                                form method="post" action={"/users/" (u.id) "/password"} { (csrf_field(&actor))
                                    input type="password" name="password" minlength="8" required placeholder="Mật khẩu mới (≥ 8 ký tự)";
                                    button type="submit" { "Lưu" } } }
                        } }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
            h2 { "Tạo tài khoản" }
            form.card method="post" action="/users" { (csrf_field(&actor))
                label { "Tên đăng nhập (chữ không dấu, số, . _ -)" input name="username" required pattern="[A-Za-z0-9._-]+"; }
                label { "Họ tên" input name="full_name" required; }
                label { "Mật khẩu ban đầu (≥ 8 ký tự)" input type="password" name="password" minlength="8" required; }
                label { "Vai trò" select name="role" { @for r in roles { option value=(r.as_str()) { (r.label()) } } } }
                label { "Đơn vị" select name="unit_id" { @if policy::sees_country(&actor) { option value="" { "— (quản trị hệ thống)" } }
                    @for u in &units { option value=(u.id) { (u.name) } } } }
                label { "Thư điện tử (nhận nhắc việc)" input type="email" name="email"; }
                label { "Số điện thoại (nhận tin nhắn)" input name="phone"; }
                button type="submit" { "Tạo tài khoản" }
            }
        },
    ))
}

async fn user_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    let role = Role::parse(&f.get("role"))
        .ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    let (username, password, full_name) =
        (f.get("username"), f.get("password"), f.get("full_name"));
    let id = crate::auth::repo::create_account(
        &st.db,
        &actor,
        crate::auth::repo::NewUser {
            username: &username,
            password: &password,
            full_name: &full_name,
            role,
            unit_id: f.id("unit_id"),
            body_id: None,
        },
    )
    .await?;
    if !f.get("email").is_empty() || !f.get("phone").is_empty() {
        crate::auth::repo::set_contact(&st.db, &actor, id, &f.get("email"), &f.get("phone"))
            .await?;
    }
    Ok(Redirect::to(&format!(
        "/users?q={}",
        super::urlencode(&username)
    )))
}

async fn user_active(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    crate::auth::repo::set_active(&st.db, &actor, id, f.get("active") == "1").await?;
    Ok(Redirect::to("/users"))
}

async fn user_password(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    crate::auth::repo::reset_password(&st.db, &actor, id, &f.get("password")).await?;
    Ok(Redirect::to("/users"))
}

async fn account_page(actor: Actor) -> Html<String> {
    page(
        "Tài khoản của tôi",
        Some(&actor),
        html! {
            h1 { "Tài khoản của tôi" }
            dl.facts { dt { "Tên đăng nhập" } dd { (actor.username) } dt { "Vai trò" } dd { (actor.role.label()) }
                dt { "Đơn vị" } dd { (actor.unit_name.clone().unwrap_or_default()) } }
            h2 { "Đổi mật khẩu" }
            form.card method="post" action="/account" { (csrf_field(&actor))
                label { "Mật khẩu hiện tại" input type="password" name="current" required autocomplete="current-password"; }
                label { "Mật khẩu mới (≥ 8 ký tự)" input type="password" name="password" minlength="8" required autocomplete="new-password"; }
                button type="submit" { "Đổi mật khẩu" }
            }
            form.card method="post" action="/account/contact" { (csrf_field(&actor))
                h2 { "Nhận nhắc việc" }
                label { "Thư điện tử" input type="email" name="email"; }
                label { "Số điện thoại" input name="phone"; }
                button type="submit" { "Lưu" }
            }
        },
    )
}

async fn account_contact(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    crate::auth::repo::set_contact(
        &st.db,
        &actor,
        actor.user_id,
        &f.get("email"),
        &f.get("phone"),
    )
    .await?;
    Ok(Redirect::to("/account"))
}

async fn account_password(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Redirect> {
    crate::auth::repo::change_own_password(&st.db, &actor, &f.get("current"), &f.get("password"))
        .await?;
    // The password change ended every session, this one included.
    Ok(Redirect::to("/login"))
}

// ---- editing directives and tasks ----

fn directive_form(
    actor: &Actor,
    action: &str,
    d: Option<&directives::Directive>,
    province: &str,
    bodies: &[bodies::Body],
) -> Markup {
    let v = |f: fn(&directives::Directive) -> &str| d.map(f).unwrap_or("").to_string();
    html! {
        form.card method="post" action=(action) { (csrf_field(actor))
            input type="hidden" name="province_code" value=(province);
            label { "Loại văn bản" select name="kind" { @for (k, l, _) in directives::KINDS { option value=(k) selected[d.map(|d| d.kind.as_str()) == Some(*k)] { (l) } } } }
            label { "Số, ký hiệu" input name="number" required placeholder="404/KH-UBND" value=(v(|d| &d.number)); }
            label { "Ngày ban hành" input type="date" name="issued_on" required value=(v(|d| &d.issued_on)); }
            label { "Cơ quan ban hành" input name="issuer" required value=(d.map(|d| d.issuer.clone()).unwrap_or_else(|| "UBND tỉnh".into())); }
            label { "Người ký" input name="signer" value=(v(|d| &d.signer)); }
            label { "Thuộc Ban/Tổ" select name="body_id" { option value="" { "—" }
                @for b in bodies { option value=(b.id) selected[d.and_then(|d| d.body_id) == Some(b.id)] { (b.name) } } } }
            label { "Trích yếu" textarea name="summary" required rows="2" { (v(|d| &d.summary)) } }
            label { "Toàn văn" textarea name="body_text" rows="8" { (v(|d| &d.body_text)) } }
            button type="submit" { @if d.is_some() { "Lưu thay đổi" } @else { "Lưu văn bản" } }
        }
    }
}

pub(super) fn directive_input(f: &FormPairs) -> directives::DirectiveInput {
    directives::DirectiveInput {
        body_id: f.id("body_id"),
        province_code: f.get("province_code"),
        kind: f.get("kind"),
        number: f.get("number"),
        issued_on: f.get("issued_on"),
        issuer: f.get("issuer"),
        signer: f.get("signer"),
        summary: f.get("summary"),
        body_text: f.get("body_text"),
        parent_id: f.id("parent_id"),
    }
}

async fn directive_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    directives::update_directive(&st.db, &actor, id, &directive_input(&f)).await?;
    Ok(Redirect::to(&format!("/directives/{id}")))
}

/// The deadline fields shared by the new-task and edit-task forms.
fn deadline_fields(t: Option<&directives::Task>) -> Markup {
    html! {
        fieldset { legend { "Thời hạn" }
            label { "Ghi trong văn bản" input name="deadline_text" placeholder="Trước ngày 31/01/2025, Thường xuyên, Quý II/2025…" value=(t.map(|t| t.deadline_text.clone()).unwrap_or_default()); }
            label { "Kiểu" select name="deadline_kind" {
                option value="auto" { "Tự nhận dạng từ cách ghi" }
                @for k in [DeadlineKind::Date, DeadlineKind::Month, DeadlineKind::Quarter, DeadlineKind::Year, DeadlineKind::Recurring, DeadlineKind::Dependent, DeadlineKind::None] {
                    option value=(k.as_str()) { (k.label()) }
                }
            } }
            label { "Giá trị (ngày YYYY-MM-DD, tháng YYYY-MM, quý YYYY-Qn, năm YYYY)" input name="deadline_value"; }
            label { "Chu kỳ (nếu định kỳ)" select name="recurrence" { option value="" { "—" } option value="ongoing" { "Thường xuyên" } option value="monthly" { "Hằng tháng" } option value="quarterly" { "Hằng quý" } option value="yearly" { "Hằng năm" } } }
        }
    }
}

async fn task_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    directives::update_task(
        &st.db,
        &actor,
        id,
        &directives::TaskInput {
            ref_: f.get("ref"),
            title: f.get("title"),
            lead_text: f.get("lead_text"),
            coordinators_text: f.get("coordinators_text"),
            deadline_text: f.get("deadline_text"),
            deadline_kind: f.get("deadline_kind"),
            deadline_value: f.get("deadline_value"),
            recurrence: f.get("recurrence"),
            product: f.get("product"),
            ..Default::default()
        },
        st.clock.today_vn(),
    )
    .await?;
    Ok(Redirect::to(&format!("/tasks/{id}")))
}

async fn group_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Redirect> {
    let members = f.ids("members");
    let g = org::get_group(&st.db, id).await?;
    let members = if g.member_kind.is_none() {
        Some(members.as_slice())
    } else {
        None
    };
    org::update_group(&st.db, &actor, id, &f.get("name"), members).await?;
    Ok(Redirect::to(&format!("/groups/{id}")))
}
