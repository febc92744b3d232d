//! A task and its assignments: progress reports with evidence, confirmation of completion,
//! extensions.

use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;

use super::dashboards::{as_of_form, tiles, DashQuery};
use super::directives::deadline_fields;
use super::{as_of, csrf_field, empty, page, P, Q};
use crate::api::tasks as actions;
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::store::{show_date, show_instant};
use crate::tracking::{self, Decision, Review};
use crate::{dashboard, directives};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/tasks/{id}",
            get(task_page).post(crate::api::directives::task_update),
        )
        .route(
            "/tasks/{id}/withdraw",
            post(crate::api::directives::task_withdraw),
        )
        .route("/assignments/{id}", get(assignment_page))
        .route(
            "/assignments/{id}/progress",
            post(actions::progress_post).layer(axum::extract::DefaultBodyLimit::max(
                tracking::MAX_PROGRESS_REQUEST_BYTES,
            )),
        )
        .route("/assignments/{id}/review", post(actions::review_post))
        .route("/assignments/{id}/reopen", post(actions::reopen_post))
        .route(
            "/assignments/{id}/extensions",
            post(actions::extension_post),
        )
        .route("/extensions/{id}/decision", post(actions::extension_decide))
        .route("/attachments/{id}", get(attachment_get))
}

async fn task_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<DashQuery>,
) -> AppResult<Html<String>> {
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    // A unit officer sees the task and only its own unit's assignment; an ongoing duty, who
    // has reported for the period containing the as-of date.
    let tracking::TaskView {
        task: t,
        directive: d,
        assignments: all,
        period,
        reported,
    } = tracking::task_for(&st.db, &actor, id, day).await?;
    let counts = dashboard::Counts::of(all.iter().map(|a| a.status(day)));
    Ok(page(
        "Nhiệm vụ",
        Some(&actor),
        html! {
            p { a href={"/directives/" (d.id)} { "« " (directives::kind_label(&d.kind)) " " (d.number) } }
            h1 { @if !t.ref_.is_empty() { (t.ref_) ". " } (t.title) }
            @if let Some(at) = &t.withdrawn_at { (super::directives::withdrawn_banner(at, t.withdrawn_reason.as_deref())) }
            dl.facts {
                dt { "Chủ trì" } dd { (t.lead_text) }
                dt { "Phối hợp" } dd { (t.coordinators_text) }
                dt { "Thời hạn" } dd { (t.deadline_label()) @if let Some(due) = t.deadline_due { " (" (due.show()) ")" } }
                dt { "Sản phẩm" } dd { (t.product) }
            }
            @if policy::direct(&actor, &d.province_code).is_ok() && t.withdrawn_at.is_none() {
                details.card { summary { "Thu hồi nhiệm vụ (giao nhầm)" }
                    (super::directives::withdraw_form(&actor, &format!("/tasks/{id}/withdraw"), "Các phân công của nhiệm vụ rời khỏi tổng hợp, danh sách và nhắc việc; nhiệm vụ và lịch sử vẫn được giữ."))
                }
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
            table.grid.stack { thead { tr { th { "Đơn vị" } th { "Tình trạng" } th { "Hạn" } th { "Tiến độ" } th { "Cập nhật" }
                    @if let Some(p) = &period { th { "Báo cáo kỳ " (p) } } } }
                tbody { @for a in &all { tr {
                    td data-label="Đơn vị" { a href={"/assignments/" (a.id)} { (a.unit_name) } }
                    td data-label="Tình trạng" { (super::work_badge(a.status(day), a.awaits_confirmation())) }
                    td data-label="Hạn" { (a.due_on.map(crate::store::Day::show).unwrap_or_else(|| t.deadline_label())) }
                    td.num data-label="Tiến độ" { (a.percent) "%" }
                    td data-label="Cập nhật" { (a.last_update_at.as_deref().map(show_instant).unwrap_or_default()) }
                    @if period.is_some() { td data-label="Báo cáo kỳ" { @if reported.contains(&a.id) { span.st-ok { "Đã báo cáo" } } @else { span.warn { "Chưa báo cáo" } } } }
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
                dt { "Tình trạng hôm nay" } dd { (super::work_badge(status, a.awaits_confirmation()))
                    @if a.review() == Review::Confirmed { " · đã xác nhận" }
                    @if a.review() == Review::Returned { " · bị trả lại: " (a.review_reason) } }
                dt { "Thời hạn" } dd { (a.due_on.map(crate::store::Day::show).unwrap_or_else(|| t.deadline_label()))
                    @if a.due_on != t.deadline_due { small { " (đã gia hạn, hạn gốc: " (t.deadline_due.map(crate::store::Day::show).unwrap_or_default()) ")" } } }
                dt { "Tiến độ" } dd { progress value=(a.percent) max="100" {} " " (a.percent) "%" }
                @if let Some(c) = a.completed_on { dt { "Ngày hoàn thành" } dd { (c.show()) } }
                dt { "Sản phẩm" } dd { (t.product) }
            }
            @if can_direct && a.awaits_confirmation() {
                section.card { h2 { "Xác nhận hoàn thành" }
                    form method="post" action={"/assignments/" (id) "/review"} { (csrf_field(&actor))
                        label { "Ý kiến / lý do trả lại" textarea name="reason" rows="2" {} }
                        button name="decision" value="confirm" type="submit" { "Xác nhận hoàn thành" }
                        " "
                        button.secondary name="decision" value="return" type="submit" { "Trả lại" }
                    }
                }
            }
            @if can_direct && a.review() == Review::Confirmed {
                details.card { summary { "Mở lại xác nhận hoàn thành" }
                    form method="post" action={"/assignments/" (id) "/reopen"} { (csrf_field(&actor))
                        p.hint { "Hoàn thành trở lại trạng thái chờ xác nhận; lý do được ghi vào nhật ký." }
                        label { "Lý do mở lại" textarea name="reason" rows="2" required {} }
                        button.secondary type="submit" { "Mở lại" } } }
            }
            @for e in exts.iter().filter(|e| e.decision() == Decision::Pending) {
                @let late = e.asked_late(a.due_on);
                section.card { h2 { "Đề nghị gia hạn đến " (show_date(&e.requested_due)) }
                    p { "Lý do: " (e.reason) " — " (e.requested_by_name.clone().unwrap_or_default()) }
                    @if let Some(days) = late { p.alert { "Đề nghị được gửi sau khi đã quá hạn " (days) " ngày." } }
                    @if can_direct {
                        form method="post" action={"/extensions/" (e.id) "/decision"} { (csrf_field(&actor))
                            label { "Ý kiến" textarea name="note" rows="2" {} }
                            label { "Gia hạn đến (để trống: theo ngày đề nghị; có thể ngắn hơn)" input type="date" name="granted_due" max=(e.requested_due); }
                            @if late.is_some() { label.inline { input type="checkbox" name="forgive_lateness" value="true"; " Chấp nhận xóa tình trạng quá hạn (tính theo hạn mới)" } }
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
                @if !a.recurring && a.due_on.is_some() && a.completed_on.is_none() && !exts.iter().any(|e| e.decision() == Decision::Pending) {
                    details.card { summary { "Đề nghị gia hạn" }
                        form method="post" action={"/assignments/" (id) "/extensions"} { (csrf_field(&actor))
                            label { "Hạn mới đề nghị" (super::date_input("requested_due", "", true)) }
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
                    @if let Some(g) = e.granted_due.as_ref().filter(|g| **g != e.requested_due) { " đến " (show_date(g)) }
                    @if !e.decision_note.is_empty() { " (" (e.decision_note) ")" } } } }
            }
            @if policy::read_audit(&actor).is_ok() { p { a href={"/audit?entity=assignment&entity_id=" (id)} { "Nhật ký thay đổi »" } } }
        },
    ))
}

async fn attachment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (name, _content_type, data) = tracking::attachment(&st.db, &actor, id).await?;
    Ok(super::attachment_response(&name, data))
}
