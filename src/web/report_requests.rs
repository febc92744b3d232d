//! A unit's report for a period: drafting (autosaved), submitting, the receiver's decision.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::reports::state_badge;
use super::{csrf_field, empty, page, FormPairs, F, P};
use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::reporting::schedule::{self};
use crate::reporting::template::{self, Field, FieldKind, Values};
use crate::reporting::{self, RequestState};
use crate::store::show_instant;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/reports/requests/{id}",
            get(request_page).post(request_post),
        )
        .route("/reports/requests/{id}/decision", post(request_decide))
}

// ---- a unit's report ----

fn field_input(f: &Field, v: &str, editable: bool, flagged: bool) -> Markup {
    let name = format!("f_{}", f.key);
    html! {
        @match f.kind {
            FieldKind::Narrative => label { (f.label) @if f.required { " *" }
                textarea name=(name) rows="5" readonly[!editable] class=(if flagged { "flag" } else { "" }) { (v) } },
            FieldKind::Number => label { (f.label) @if f.required { " *" }
                input name=(name) value=(v) inputmode="decimal" readonly[!editable] class=(if flagged { "flag" } else { "" }); },
            FieldKind::Ratio => {},
        }
    }
}

fn values_from(f: &FormPairs, fields: &[Field]) -> Values {
    fields
        .iter()
        .filter(|x| x.kind != FieldKind::Ratio)
        .map(|x| {
            (
                x.key.clone(),
                f.0.iter()
                    .find(|(k, _)| *k == format!("f_{}", x.key))
                    .map(|(_, v)| v.trim_end().to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

async fn render_request(
    st: &AppState,
    actor: &Actor,
    id: i64,
    typed: Option<(Values, Vec<crate::error::FieldError>)>,
) -> AppResult<Response> {
    let r = reporting::read_request(&st.db, actor, id).await?;
    let s = schedule::get_schedule(&st.db, r.schedule_id).await?;
    let t = schedule::get_template(&st.db, s.template_id).await?;
    let hist = reporting::history(&st.db, r.id).await?;
    let can_edit = policy::work_on(actor, &r.scope()).is_ok() && !r.state().counts();
    let can_decide = policy::receive_reports(actor, &r.province_code, r.receiver_unit_id).is_ok()
        && r.state() == RequestState::Submitted;
    let (values, prefilled) = match &typed {
        Some((v, _)) => (v.clone(), false),
        None => reporting::starting_values(&st.db, &r).await?,
    };
    let errors = typed.map(|t| t.1).unwrap_or_default();
    let today = st.clock.today_vn();
    let days = (r.due() - today).num_days();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = html! {
        p { a href="/reports" { "« Báo cáo" } }
        h1 { (s.name) }
        dl.facts {
            dt { "Đơn vị báo cáo" } dd { (r.unit_name) }
            dt { "Kỳ" } dd { (r.period_label()) " (số liệu từ " (r.window_start.show()) " đến " (r.window_end.show()) ")" }
            dt { "Gửi" } dd { (r.receiver_name) }
            dt { "Hạn gửi" } dd { (r.due_on.show())
                @if !r.state().counts() { @if days >= 0 { " (còn " (days) " ngày)" } @else { span.warn { " (đã quá " (-days) " ngày)" } } } }
            dt { "Tình trạng" } dd { (state_badge(r.state(), r.late))
                @if let Some(at) = &r.submitted_at { " · gửi lúc " (show_instant(at)) } }
        }
        @if let Some(h) = hist.first().filter(|h| h.state == "returned") {
            section.error { p { strong { "Báo cáo bị trả lại: " } (h.decision_note) } p { "Vui lòng chỉnh sửa và gửi lại." } }
        }
        @if let Some(h) = hist.iter().find(|h| h.state == "returned").filter(|_| r.state() == RequestState::Draft) {
            p.warn { "Lần trước bị trả lại: " (h.decision_note) }
        }
        @if !errors.is_empty() { section.error { p { "Báo cáo chưa gửi được, vui lòng sửa các mục sau (nội dung đã nhập vẫn được giữ):" } ul { @for e in &errors { li { (e.message) } } } } }
        @if can_edit {
            @if prefilled { p.hint { "Nội dung đã được điền sẵn từ tiến độ nhiệm vụ của đơn vị trong kỳ và báo cáo của các đơn vị cấp dưới; vui lòng kiểm tra, bổ sung." } }
            form.card #report-form method="post" action={"/reports/requests/" (r.id)} { (csrf_field(actor))
                @for f in &t.fields { (field_input(f, values.get(&f.key).map(String::as_str).unwrap_or(""), true, errors.iter().any(|e| e.field == f.key))) }
                p #autosave .hint { "Bản nháp được tự động lưu khi soạn." }
                button type="submit" name="action" value="submit" { "Gửi báo cáo" } " "
                button.secondary type="submit" name="action" value="save" { "Lưu nháp" } " "
                button.secondary type="submit" name="action" value="prefill" formnovalidate { "Lấy lại số liệu từ hệ thống" }
            }
            script src="/assets/autosave.js" defer {}
        } @else {
            section.card { h2 { "Nội dung báo cáo" }
                @if hist.is_empty() { (empty("Đơn vị chưa soạn báo cáo.")) }
                @for f in &t.fields {
                    @match f.kind {
                        FieldKind::Narrative => { h3 { (f.label) } p.pre { (values.get(&f.key).cloned().unwrap_or_default()) } },
                        FieldKind::Number | FieldKind::Ratio => { p { (f.label) ": " strong { (template::show_field(f, &values)) } } },
                    }
                }
            }
        }
        @if can_decide {
            section.card { h2 { "Tiếp nhận báo cáo" }
                form method="post" action={"/reports/requests/" (r.id) "/decision"} { (csrf_field(actor))
                    label { "Ý kiến / lý do trả lại" textarea name="note" rows="2" {} }
                    button type="submit" name="decision" value="accept" { "Tiếp nhận" } " "
                    button.secondary type="submit" name="decision" value="return" { "Trả lại" }
                }
            }
        }
        h2 { "Lịch sử" }
        @if hist.is_empty() { (empty("Chưa có phiên bản nào.")) }
        @for h in &hist {
            article.update { header {
                strong { "Phiên bản " (h.version) } " · " (match h.state.as_str() { "draft" => "Bản nháp", "submitted" => "Đã gửi", "returned" => "Bị trả lại", "accepted" => "Đã tiếp nhận", _ => "" })
                " · " (h.author_name.clone().unwrap_or_default()) " · lưu " (show_instant(&h.saved_at))
                @if let Some(at) = &h.submitted_at { " · gửi " (show_instant(at)) @if h.late == Some(true) { " (trễ hạn)" } }
                @if let Some(at) = &h.decided_at { " · xử lý " (show_instant(at)) " bởi " (h.decided_by_name.clone().unwrap_or_default()) }
            }
            @if !h.decision_note.is_empty() { p { em { "Ý kiến: " } (h.decision_note) } } }
        }
    };
    Ok((status, page(&s.name, Some(actor), body)).into_response())
}

async fn request_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    render_request(&st, &actor, id, None).await
}

async fn request_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    headers: HeaderMap,
    f: FormPairs,
) -> AppResult<Response> {
    let r = reporting::get_request(&st.db, id).await?;
    let s = schedule::get_schedule(&st.db, r.schedule_id).await?;
    let t = schedule::get_template(&st.db, s.template_id).await?;
    let values = values_from(&f, &t.fields);
    let now = st.clock.now();
    match f.get("action").as_str() {
        "autosave" | "save" => {
            reporting::save_draft(&st.db, &actor, id, &values, now).await?;
            if headers.contains_key("x-autosave") {
                return Ok(StatusCode::NO_CONTENT.into_response());
            }
            Ok(Redirect::to(&format!("/reports/requests/{id}")).into_response())
        }
        "prefill" => {
            policy::work_on(&actor, &r.scope())?;
            let fresh = reporting::prefill(&st.db, &r).await?;
            reporting::save_draft(&st.db, &actor, id, &fresh, now).await?;
            Ok(Redirect::to(&format!("/reports/requests/{id}")).into_response())
        }
        _ => match reporting::submit(&st.db, &actor, id, &values, now).await {
            Ok(_) => Ok(Redirect::to(&format!("/reports/requests/{id}")).into_response()),
            Err(AppError::Invalid(errors)) => {
                // Nothing typed is lost: the draft is saved, the form comes back with reasons.
                reporting::save_draft(&st.db, &actor, id, &values, now).await?;
                render_request(&st, &actor, id, Some((values, errors))).await
            }
            Err(e) => Err(e),
        },
    }
}

/// The accept and return buttons send `decision=accept` or `decision=return`.
#[derive(serde::Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

async fn request_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    F(d): F<DecisionForm>,
) -> AppResult<Redirect> {
    let accept = d.decision == "accept";
    reporting::decide(&st.db, &actor, id, accept, &d.note, st.clock.now()).await?;
    Ok(Redirect::to(&format!("/reports/requests/{id}")))
}
