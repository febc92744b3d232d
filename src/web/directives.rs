//! Directives and their tasks: lists, entry and correction.

use axum::extract::State;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::org::unit_multi;
use super::{csrf_field, date_input, empty, page, pager, qs, P, Q};
use crate::api::directives as actions;
use crate::auth::{policy, Actor};
use crate::deadline::DeadlineKind;
use crate::error::AppResult;
use crate::http::AppState;
use crate::store::show_date;
use crate::tracking::status::Status;
use crate::{bodies, directives, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/directives",
            get(directives_page).post(actions::directive_create),
        )
        .route("/directives/new", get(directive_new))
        .route(
            "/directives/{id}",
            get(directive_page).post(actions::directive_update),
        )
        .route("/directives/{id}/tasks", post(actions::task_create))
        .route(
            "/directives/{id}/withdraw",
            post(actions::directive_withdraw),
        )
        .route("/tasks", get(tasks_page))
        .route("/tasks.xlsx", get(tasks_xlsx))
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
                table.grid.stack { thead { tr { th { "Số, ký hiệu" } th { "Ngày" } th { "Loại" } th { "Trích yếu" } th { "Nhiệm vụ" } } }
                    tbody { @for (d, n) in &list.items { tr {
                        td data-label="Số, ký hiệu" { a href={"/directives/" (d.id)} { (d.number) } @if d.withdrawn_at.is_some() { " " span.badge.st-late { "Đã thu hồi" } } } td data-label="Ngày" { (show_date(&d.issued_on)) } td data-label="Loại" { (directives::kind_label(&d.kind)) }
                        td data-label="Trích yếu" { (d.summary) } td.num data-label="Nhiệm vụ" { (n) }
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

async fn directive_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let d = directives::get_directive(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let tasks = directives::directive_tasks(&st.db, id).await?;
    let withdrawn = d.withdrawn_at.is_some();
    // a withdrawn directive is read, not changed
    let can = policy::direct(&actor, &d.province_code).is_ok() && !withdrawn;
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
            @if let Some(at) = &d.withdrawn_at { (withdrawn_banner(at, d.withdrawn_reason.as_deref())) }
            @if !d.body_text.is_empty() { details { summary { "Toàn văn" } div.pre { (d.body_text) } } }
            @if let Some(b) = &edit_bodies { details { summary { "Sửa văn bản" } (directive_form(&actor, &format!("/directives/{id}"), Some(&d), &d.province_code, b)) } }
            h2 { "Nhiệm vụ (" (tasks.len()) ")" }
            @if tasks.is_empty() { (empty("Văn bản chưa có nhiệm vụ nào.")) } @else {
                table.grid.stack { thead { tr { th { "STT" } th { "Nhiệm vụ" } th { "Chủ trì" } th { "Phối hợp" } th { "Thời hạn" } th { "Sản phẩm" } th { "Phân công" } } }
                    tbody { @for (t, n) in &tasks { tr {
                        td data-label="STT" { (t.ref_) } td data-label="Nhiệm vụ" { a href={"/tasks/" (t.id)} { (t.title) } @if t.withdrawn_at.is_some() { " " span.badge.st-late { "Đã thu hồi" } } } td data-label="Chủ trì" { (t.lead_text) } td data-label="Phối hợp" { (t.coordinators_text) }
                        td data-label="Thời hạn" { (t.deadline_label()) } td data-label="Sản phẩm" { (t.product) } td.num data-label="Phân công" { (n) }
                    } } } }
            }
            @if can {
                details.card { summary { "Thu hồi văn bản (xuất bản nhầm)" }
                    (withdraw_form(&actor, &format!("/directives/{id}/withdraw"), "Mọi nhiệm vụ của văn bản rời khỏi tổng hợp, danh sách và nhắc việc; văn bản và lịch sử vẫn được giữ."))
                }
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

async fn tasks_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(s): Q<directives::TaskSearch>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let f = s.filter()?;
    let today = st.clock.today_vn();
    let list =
        directives::search_tasks(&st.db, &province, &f, today, s.page.unwrap_or(1), 25).await?;
    let units = org::province_units(&st.db, &province).await?;
    let bodies = bodies::list_bodies(&st.db, &province).await?;
    let kept = qs(&s.pairs());
    let base = format!("/tasks?{kept}");
    let chosen = |v: &Option<String>, x: String| v.as_deref() == Some(x.as_str());
    let narrowed = s.narrows();
    Ok(page(
        "Nhiệm vụ",
        Some(&actor),
        html! {
            h1 { "Danh sách nhiệm vụ" }
            form.filters.task-filters method="get" action="/tasks" {
                label { "Từ khóa " input type="search" name="q" placeholder="Ví dụ: so noi vu, so hoa, 1022…" value=(s.q.clone().unwrap_or_default()); }
                label { "Đơn vị " select name="unit" { option value="" { "Tất cả" }
                    @for (k, l) in org::KINDS {
                        @let us: Vec<&org::Unit> = units.iter().filter(|u| u.kind == *k).collect();
                        @if !us.is_empty() { optgroup label=(l) { @for u in us { option value=(u.id) selected[chosen(&s.unit, u.id.to_string())] { (u.name) } } } }
                    } } }
                @if !bodies.is_empty() {
                    label { "Ban/Tổ " select name="body" { option value="" { "Tất cả" }
                        @for b in &bodies { option value=(b.id) selected[chosen(&s.body, b.id.to_string())] { (b.name) } } } }
                }
                label { "Tình trạng " select name="status" { option value="" { "Tất cả" }
                    @for st in Status::ALL { option value=(st.as_str()) selected[chosen(&s.status, st.as_str().to_string())] { "Có đơn vị " (st.label().to_lowercase()) } } } }
                label { "Hạn từ " (date_input("due_from", &iso_or_blank(&f.due_from), false)) }
                label { "đến " (date_input("due_to", &iso_or_blank(&f.due_to), false)) }
                label { "Sắp xếp " select name="sort" {
                    @for o in directives::Sort::ALL { option value=(o.key()) selected[o == f.sort] { (o.label()) } } } }
                @if let Some(d) = &s.directive { input type="hidden" name="directive" value=(d); }
                button type="submit" { "Lọc" }
                @if narrowed { " " a href="/tasks" { "Bỏ lọc" } }
            }
            p.docs {
                (list.total) " nhiệm vụ"
                @if let Some(d) = f.directive { " của một văn bản (" a href={"/directives/" (d)} { "xem văn bản" } ")" }
                " · tình trạng đến hôm nay " (crate::store::Day(today).show())
                " · " a href={"/tasks.xlsx?" (kept)} { "Tải danh sách (.xlsx)" }
            }
            @if list.items.is_empty() {
                @if narrowed { (empty("Không có nhiệm vụ nào khớp bộ lọc. Thử bỏ bớt điều kiện.")) }
                @else { (empty("Chưa có nhiệm vụ nào. Nhập một văn bản để giao nhiệm vụ.")) }
            } @else {
                table.grid.stack { thead { tr { th { "Nhiệm vụ" } th { "Chủ trì" } th { "Thời hạn" } th { "Tình trạng" } th { "Văn bản" } } }
                    tbody { @for r in &list.items { tr {
                        td data-label="Nhiệm vụ" { a href={"/tasks/" (r.task.id)} { (r.task.title) } }
                        td data-label="Chủ trì" { (r.task.lead_text) }
                        td data-label="Thời hạn" { (r.task.deadline_label()) }
                        td data-label="Tình trạng" class=[(r.overdue > 0).then_some("st-over")] { (r.standing()) }
                        td data-label="Văn bản" { a href={"/directives/" (r.task.directive_id)} { (r.directive_number) } }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
        },
    ))
}

fn iso_or_blank(d: &Option<crate::store::Day>) -> String {
    d.map(|d| d.iso()).unwrap_or_default()
}

/// The task list as it is filtered, as a workbook.
async fn tasks_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(s): Q<directives::TaskSearch>,
) -> AppResult<axum::response::Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let f = s.filter()?;
    let today = st.clock.today_vn();
    let list =
        directives::search_tasks(&st.db, &province, &f, today, 1, directives::EXPORT_LIMIT).await?;
    let said: Vec<String> = s
        .pairs()
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    Ok(crate::http::download(
        &format!("nhiem-vu-{}.xlsx", today.format("%Y-%m-%d")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        crate::documents::tasks_xlsx(&list.items, today, &said.join(", ")),
    ))
}

/// Why and when a directive or task was withdrawn, at the top of its page.
pub(super) fn withdrawn_banner(at: &str, reason: Option<&str>) -> Markup {
    html! {
        section.error role="status" {
            p { strong { "Đã thu hồi" } " lúc " (crate::store::show_instant(at)) " — " (reason.unwrap_or("")) }
            p.hint { "Không còn tính trong tổng hợp, danh sách và nhắc việc; nội dung và lịch sử được giữ lại." }
        }
    }
}

/// The withdrawal form: a reason, then a confirmation.
pub(super) fn withdraw_form(actor: &Actor, action: &str, effect: &str) -> Markup {
    html! {
        form method="post" action=(action) { (csrf_field(actor))
            p.hint { (effect) }
            label { "Lý do thu hồi" textarea name="reason" required minlength="5" rows="2" {} }
            button.danger type="submit" { "Thu hồi" }
        }
    }
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
            label { "Ngày ban hành" (date_input("issued_on", &v(|d| &d.issued_on), true)) }
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

/// The deadline fields shared by the new-task and edit-task forms.
pub(super) fn deadline_fields(t: Option<&directives::Task>) -> Markup {
    html! {
        fieldset { legend { "Thời hạn" }
            label { "Ghi trong văn bản" input name="deadline_text" placeholder="Trước ngày 31/01/2025, Thường xuyên, Quý II/2025…" value=(t.map(|t| t.deadline_text.clone()).unwrap_or_default()); }
            label { "Kiểu" select name="deadline_kind" {
                option value="auto" { "Tự nhận dạng từ cách ghi" }
                @for k in [DeadlineKind::Date, DeadlineKind::Month, DeadlineKind::Quarter, DeadlineKind::Year, DeadlineKind::Recurring, DeadlineKind::Dependent, DeadlineKind::None] {
                    option value=(k.as_str()) { (k.label()) }
                }
            } }
            label { "Giá trị (ngày dd/mm/yyyy, tháng mm/yyyy, quý II/2026, năm yyyy)" input name="deadline_value" placeholder="31/12/2026"; }
            label { "Chu kỳ (nếu định kỳ)" select name="recurrence" { option value="" { "—" } option value="ongoing" { "Thường xuyên" } option value="monthly" { "Hằng tháng" } option value="quarterly" { "Hằng quý" } option value="yearly" { "Hằng năm" } } }
        }
    }
}
