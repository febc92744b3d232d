//! Periodic reporting pages: templates, schedules, a unit's report form (autosaved drafts,
//! pre-filled from its task progress), the receiver's decision, consolidation by level with
//! its downloads, the holiday calendar, the notification outbox, urging dispatches and
//! iCalendar feeds.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::{csrf_field, empty, page, FormPairs, F, P, Q};
use crate::auth::{policy, Actor};
use crate::documents::{self, Issuer};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::reporting::consolidation::{self, Consolidation};
use crate::reporting::schedule::{self, Schedule, ScheduleInput, TemplateInput};
use crate::reporting::template::{self, Field, FieldKind, Prefill};
use crate::reporting::{self, calendar, RequestState, WorkCalendar};
use crate::store::{show_date, show_instant};
use crate::{bodies, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(hub))
        .route("/reports/templates", post(template_create))
        .route("/reports/templates/new", get(template_new))
        .route(
            "/reports/templates/{id}",
            get(template_page).post(template_update),
        )
        .route("/reports/schedules", post(schedule_create))
        .route("/reports/schedules/new", get(schedule_new))
        .route("/reports/schedules/{id}", get(schedule_page))
        .route("/reports/schedules/{id}/active", post(schedule_active))
        .route("/reports/schedules/{id}/edit", post(schedule_update))
        .route("/reports/schedules/{id}/report.docx", get(report_docx))
        .route(
            "/reports/schedules/{id}/submissions.xlsx",
            get(submissions_xlsx),
        )
        .route("/reports/schedules/{id}/tasks.xlsx", get(tasks_xlsx))
}

pub(super) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) fn state_badge(s: RequestState, late: Option<bool>) -> Markup {
    let css = match s {
        RequestState::Accepted => "st-ok",
        RequestState::Submitted => "st-prog",
        RequestState::Returned => "st-over",
        RequestState::Draft | RequestState::Open => "st-late",
    };
    html! {
        span class={"badge " (css)} { (s.label()) }
        @if s.counts() { " " @if late == Some(true) { span.badge.st-late { "Trễ hạn" } } @else { span.badge.st-ok { "Đúng hạn" } } }
    }
}

// ---- hub ----

#[derive(Deserialize)]
struct ProvinceQuery {
    province: Option<String>,
}

async fn hub(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<ProvinceQuery>,
) -> AppResult<Html<String>> {
    let mine = match actor.unit_id {
        Some(u) => reporting::unit_requests(&st.db, u, 50).await?,
        None => vec![],
    };
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    // The secretariat decides for the whole province; an officer for its own unit.
    let to_decide = if policy::run_reporting(&actor, &province).is_ok() {
        reporting::awaiting_in_province(&st.db, &province, 100).await?
    } else {
        match actor.unit_id {
            Some(u) => reporting::awaiting_decision(&st.db, u).await?,
            None => vec![],
        }
    };
    let all = schedule::list_schedules(&st.db, &province).await?;
    let visible: Vec<&Schedule> = all
        .iter()
        .filter(|s| policy::read_schedule(&actor, &s.province_code, s.receiver_unit_id).is_ok())
        .collect();
    let manage = policy::run_reporting(&actor, &province).is_ok();
    let templates = if manage {
        schedule::list_templates(&st.db, &province).await?
    } else {
        vec![]
    };
    let cal = WorkCalendar::load(&st.db).await?;
    let today = st.clock.today_vn();
    Ok(page(
        "Báo cáo định kỳ",
        Some(&actor),
        html! {
            h1 { "Báo cáo định kỳ" }
            @if actor.unit_id.is_some() && policy::own_unit_only(&actor) {
                h2 { "Báo cáo của đơn vị" }
                @if mine.is_empty() { (empty("Đơn vị chưa có yêu cầu báo cáo nào.")) } @else {
                    table.grid { thead { tr { th { "Báo cáo" } th { "Kỳ" } th { "Gửi" } th { "Hạn gửi" } th { "Tình trạng" } } }
                        tbody { @for r in &mine { tr {
                            td { a href={"/reports/requests/" (r.id)} { (r.schedule_name) } }
                            td { (r.period_label()) } td { (r.receiver_name) }
                            td { (r.due_on.show())
                                @if !r.state().counts() { @let d = (r.due() - today).num_days();
                                    br; small class=(if d < 0 { "warn" } else { "hint" }) { @if d >= 0 { "còn " (d) " ngày" } @else { "quá " (-d) " ngày" } } } }
                            td { (state_badge(r.state(), r.late)) }
                        } } }
                    }
                }
            }
            @if !to_decide.is_empty() {
                h2 { "Báo cáo chờ tiếp nhận (" (to_decide.len()) ")" }
                ul { @for r in &to_decide { li { a href={"/reports/requests/" (r.id)} { (r.unit_name) " — " (r.schedule_name) " (" (r.period_label()) ")" }
                    small.hint { " · gửi " (r.receiver_name) @if let Some(at) = &r.submitted_at { ", lúc " (show_instant(at)) } } } } }
            }
            @if !visible.is_empty() || manage {
                h2 { "Lịch báo cáo và tổng hợp" }
                @if visible.is_empty() { (empty("Chưa có lịch báo cáo. Tạo mẫu báo cáo, rồi tạo lịch: ai báo cáo, gửi ai, kỳ nào, hạn nào.")) } @else {
                    table.grid { thead { tr { th { "Báo cáo" } th { "Kỳ" } th { "Đơn vị nhận" } th { "Hạn gửi" } th { "Cấp trên" } th { "Trạng thái" } } }
                        tbody { @for s in &visible { tr {
                            td { a href={"/reports/schedules/" (s.id)} { (s.name) } }
                            td { (s.frequency().label()) }
                            td { (s.receiver_name) }
                            td { (s.due_rule().label())
                                @if let Some(p) = s.default_period(today, &cal) { br; small.hint { (p.label()) ": " (s.due_on(&p, &cal).format("%d/%m/%Y")) } } }
                            td { @if let Some(pid) = s.parent_id { @if let Some(p) = all.iter().find(|x| x.id == pid) { (p.name) } } }
                            td { @if s.active { "Đang áp dụng" } @else { "Tạm dừng" } }
                        } } }
                    }
                }
            }
            @if manage {
                p { a.button href="/reports/schedules/new" { "Tạo lịch báo cáo" } " " a.button href="/reports/templates/new" { "Tạo mẫu báo cáo" } }
                h2 { "Mẫu báo cáo" }
                @if templates.is_empty() { (empty("Chưa có mẫu báo cáo.")) }
                ul { @for t in &templates { li { a href={"/reports/templates/" (t.id)} { (t.name) } small.hint { " · " (t.fields.len()) " mục" } } } }
                p { a href="/notifications" { "Nhắc việc và thông báo đã gửi »" } " · " a href="/holidays" { "Ngày nghỉ lễ »" } }
            }
        },
    ))
}

// ---- templates ----

#[derive(Deserialize)]
struct NewTemplateQuery {
    preset: Option<String>,
}

fn preset(name: &str) -> (String, Vec<Field>) {
    match name {
        "project06" => (
            "Báo cáo tiến độ Đề án 06 hằng tháng".into(),
            template::project06_monthly_report(),
        ),
        "quarterly" => (
            "Báo cáo kết quả CCHC, chuyển đổi số và Đề án 06 hằng quý".into(),
            template::quarterly_reform_report(),
        ),
        _ => (String::new(), vec![]),
    }
}

async fn template_new(actor: Actor, Q(q): Q<NewTemplateQuery>) -> AppResult<Html<String>> {
    let (name, fields) = preset(q.preset.as_deref().unwrap_or(""));
    Ok(page(
        "Mẫu báo cáo mới",
        Some(&actor),
        html! {
            p { a href="/reports" { "« Báo cáo" } }
            h1 { "Mẫu báo cáo mới" }
            p { "Bắt đầu từ mẫu có sẵn: " a href="/reports/templates/new?preset=quarterly" { "Báo cáo quý CCHC · CĐS · Đề án 06" } " · " a href="/reports/templates/new?preset=project06" { "Báo cáo tháng Đề án 06" } }
            (template_form(&actor, "/reports/templates", &name, "", &fields, &[]))
        },
    ))
}

fn template_form(
    actor: &Actor,
    action: &str,
    name: &str,
    description: &str,
    fields: &[Field],
    errors: &[crate::error::FieldError],
) -> Markup {
    let blank = Field::default();
    let rows: Vec<&Field> = fields
        .iter()
        .chain(std::iter::repeat_n(&blank, 4))
        .collect();
    html! {
        @if !errors.is_empty() { section.error { p { "Vui lòng sửa các mục sau:" } ul { @for e in errors { li { (e.message) } } } } }
        form.card method="post" action=(action) { (csrf_field(actor))
            label { "Tên mẫu báo cáo" input name="name" required value=(name); }
            label { "Mô tả" textarea name="description" rows="2" { (description) } }
            p.hint { "Mỗi dòng là một mục: nội dung (văn bản), số liệu, hoặc tỷ lệ % tự tính từ hai mục số liệu (tử số / mẫu số theo mã). Để trống tên để bỏ dòng." }
            table.grid { thead { tr { th { "Tên mục" } th { "Mã" } th { "Loại" } th { "Bắt buộc" } th { "Chỉ số" } th { "Tối thiểu / tối đa" } th { "Không vượt quá (mã)" } th { "Tử số / mẫu số (mã)" } th { "Lấy sẵn từ" } } }
                tbody { @for (i, f) in rows.iter().enumerate() { tr {
                    td { input name={"label_" (i)} value=(f.label); }
                    td { input name={"key_" (i)} value=(f.key) size="12"; }
                    td { select name={"kind_" (i)} { @for k in [FieldKind::Narrative, FieldKind::Number, FieldKind::Ratio] { option value=(k.as_str()) selected[f.kind == k] { (k.label()) } } } }
                    td { input type="checkbox" name={"required_" (i)} value="1" checked[f.required]; }
                    td { input name={"indicator_" (i)} value=(f.indicator) size="10"; }
                    td { input name={"min_" (i)} value=(f.min.map(|v| v.to_string()).unwrap_or_default()) size="4"; input name={"max_" (i)} value=(f.max.map(|v| v.to_string()).unwrap_or_default()) size="4"; }
                    td { input name={"at_most_" (i)} value=(f.at_most) size="10"; }
                    td { input name={"numerator_" (i)} value=(f.numerator) size="10"; input name={"denominator_" (i)} value=(f.denominator) size="10"; }
                    td { select name={"prefill_" (i)} { @for (p, k, l) in template::PREFILLS { option value=(k) selected[f.prefill == *p] { (l) } } } }
                } } }
            }
            button type="submit" { "Lưu mẫu báo cáo" }
        }
    }
}

fn template_input(f: &FormPairs) -> TemplateInput {
    let mut fields = Vec::new();
    for i in 0..200 {
        let label = f.get(&format!("label_{i}"));
        if label.is_empty() {
            if f.0.iter().any(|(k, _)| k == &format!("kind_{i}")) {
                continue;
            }
            break;
        }
        let key = Some(f.get(&format!("key_{i}")))
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| template::key_of(&label));
        let num = |k: &str| template::parse_number(&f.get(&format!("{k}_{i}")));
        fields.push(Field {
            key,
            label,
            kind: FieldKind::parse(&f.get(&format!("kind_{i}"))).unwrap_or_default(),
            required: !f.get(&format!("required_{i}")).is_empty(),
            indicator: f.get(&format!("indicator_{i}")),
            min: num("min"),
            max: num("max"),
            at_most: f.get(&format!("at_most_{i}")),
            numerator: f.get(&format!("numerator_{i}")),
            denominator: f.get(&format!("denominator_{i}")),
            prefill: Prefill::parse(&f.get(&format!("prefill_{i}"))).unwrap_or_default(),
        });
    }
    TemplateInput {
        name: f.get("name"),
        description: f.get("description"),
        fields,
    }
}

async fn save_template_form(
    st: &AppState,
    actor: &Actor,
    id: Option<i64>,
    f: FormPairs,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, actor, None).await?;
    let input = template_input(&f);
    match schedule::save_template(&st.db, actor, &province, id, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/reports/templates/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let action = id
                .map(|i| format!("/reports/templates/{i}"))
                .unwrap_or("/reports/templates".into());
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    "Mẫu báo cáo",
                    Some(actor),
                    html! { h1 { "Mẫu báo cáo" } (template_form(actor, &action, &input.name, &input.description, &input.fields, &errors)) },
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

async fn template_create(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Response> {
    save_template_form(&st, &actor, None, f).await
}

async fn template_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    f: FormPairs,
) -> AppResult<Response> {
    save_template_form(&st, &actor, Some(id), f).await
}

async fn template_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let t = schedule::get_template(&st.db, id).await?;
    policy::run_reporting(&actor, &t.province_code)?;
    Ok(page(
        &t.name,
        Some(&actor),
        html! {
            p { a href="/reports" { "« Báo cáo" } }
            h1 { "Mẫu: " (t.name) }
            (template_form(&actor, &format!("/reports/templates/{id}"), &t.name, &t.description, &t.fields, &[]))
        },
    ))
}

// ---- schedules ----

async fn schedule_form(
    st: &AppState,
    actor: &Actor,
    province: &str,
    input: &ScheduleInput,
) -> AppResult<Markup> {
    let templates = schedule::list_templates(&st.db, province).await?;
    let schedules = schedule::list_schedules(&st.db, province).await?;
    let units = org::province_units(&st.db, province).await?;
    let groups = org::list_groups(&st.db, Some(province)).await?;
    let body_list = bodies::list_bodies(&st.db, province).await?;
    let reporters = super::org::unit_multi(&st.db, province, "units", &input.units).await?;
    Ok(html! {
        form.card method="post" action="/reports/schedules" { (csrf_field(actor))
            label { "Tên báo cáo" input name="name" required value=(input.name) placeholder="Báo cáo tiến độ thực hiện nhiệm vụ CCHC quý"; }
            label { "Mẫu báo cáo" select name="template_id" required { option value="" { "— chọn —" } @for t in &templates { option value=(t.id) selected[input.template_id == Some(t.id)] { (t.name) } } } }
            @if templates.is_empty() { p.warn { "Chưa có mẫu báo cáo: " a href="/reports/templates/new" { "tạo mẫu trước" } "." } }
            label { "Ban Chỉ đạo / Tổ công tác" select name="body_id" { option value="" { "—" } @for b in &body_list { option value=(b.id) selected[input.body_id == Some(b.id)] { (b.name) } } } }
            label { "Đơn vị nhận báo cáo (cơ quan tổng hợp)" select name="receiver_unit_id" required { option value="" { "— chọn —" } @for u in &units { option value=(u.id) selected[input.receiver_unit_id == Some(u.id)] { (u.name) } } } }
            label { "Đơn vị báo cáo" (reporters) }
            label { "hoặc nhóm đơn vị" select name="groups" multiple size="3" { @for g in &groups { option value=(g.id) selected[input.groups.contains(&g.id)] { (g.name) } } } }
            label { "Cấp tổng hợp trên (đơn vị nhận ở cấp này gửi tiếp lên)" select name="parent_id" { option value="" { "— không (cấp cao nhất) —" } @for s in &schedules { option value=(s.id) selected[input.parent_id == Some(s.id)] { (s.name) " → " (s.receiver_name) } } } }
            label { "Kỳ báo cáo" select name="frequency" { @for f in calendar::FREQUENCIES { option value=(f.as_str()) selected[input.frequency == f.as_str()] { (f.label()) } } } }
            label { "Ngày chốt số liệu (mặc định 14 theo Nghị định 09/2019: từ ngày 15 tháng trước đến ngày 14; 0 = hết tháng dương lịch)" input type="number" name="cutoff_day" min="0" max="28" value=(if input.cutoff_day.is_empty() { "14" } else { &input.cutoff_day }); }
            label { "Quy tắc hạn gửi" select name="due_rule" {
                option value="day_of_month" selected[input.due_rule != "working_days"] { "Trước ngày N (ngày N đầu tiên kể từ ngày chốt số liệu)" }
                option value="working_days" selected[input.due_rule == "working_days"] { "N ngày làm việc sau ngày chốt số liệu" } } }
            label { "N" input type="number" name="due_value" min="0" max="31" value=(if input.due_value.is_empty() { "15" } else { &input.due_value }); }
            fieldset { legend { "Báo cáo đột xuất" }
                label { "Số liệu từ ngày" input name="adhoc_start" placeholder="dd/mm/yyyy" value=(input.adhoc_start); }
                label { "Hạn gửi" input name="adhoc_due" placeholder="dd/mm/yyyy" value=(input.adhoc_due); }
            }
            label { "Nhắc việc (số ngày so với hạn gửi, ví dụ -3, -1, 1, 3)" input name="reminder_offsets" value=(if input.reminder_offsets.is_empty() { "-3, -1, 1, 3" } else { &input.reminder_offsets }); }
            button type="submit" { "Tạo lịch báo cáo" }
        }
    })
}

async fn schedule_new(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::run_reporting(&actor, &province)?;
    let form = schedule_form(&st, &actor, &province, &ScheduleInput::default()).await?;
    Ok(page(
        "Lịch báo cáo mới",
        Some(&actor),
        html! { p { a href="/reports" { "« Báo cáo" } } h1 { "Lịch báo cáo mới" } (form) },
    ))
}

async fn schedule_create(
    State(st): State<AppState>,
    actor: Actor,
    F(input): F<ScheduleInput>,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    match schedule::create_schedule(&st.db, &actor, &province, &input, st.clock.now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/reports/schedules/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let form = schedule_form(&st, &actor, &province, &input).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Lịch báo cáo mới", Some(&actor), html! {
                    h1 { "Lịch báo cáo mới" }
                    section.error { p { "Vui lòng sửa các mục sau:" } ul { @for e in &errors { li { (e.message) } } } }
                    (form)
                }),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: Option<String>,
    number: Option<String>,
    signer: Option<String>,
}

/// Recent periods to choose from: the live ones and the six before.
fn period_choices(s: &Schedule, today: chrono::NaiveDate) -> Vec<calendar::Period> {
    let mut out = s.live_periods(today);
    if s.frequency() != calendar::Frequency::AdHoc {
        for _ in 0..6 {
            let Some(first) = out.first().cloned() else {
                break;
            };
            match calendar::previous(s.frequency(), &first, s.cutoff_day.clamp(0, 28) as u32) {
                Some(p) if p.key != first.key => out.insert(0, p),
                _ => break,
            }
        }
    }
    out.reverse();
    out
}

fn consolidation_view(c: &Consolidation, depth: usize, today: chrono::NaiveDate) -> Markup {
    // Who has reported first (their figures are the ones summed), then the rest.
    let mut rows: Vec<&consolidation::Row> = c.rows.iter().collect();
    rows.sort_by_key(|r| !r.state.counts());
    let numbers: Vec<&Field> = c
        .fields
        .iter()
        .filter(|f| f.kind != FieldKind::Narrative)
        .collect();
    html! {
        section.card.level data-depth=(depth) {
            h2 { @if depth > 0 { "Cấp " (depth + 1) ": " } (c.schedule_name) " → " (c.receiver_name) }
            div.tiles {
                div.tile.headline { div.n { (c.submitted()) "/" (c.expected()) } div.l { "đã gửi (" (template::show_ratio(c.completeness())) ")" } }
                div.tile.st-ok { div.n { (c.on_time()) } div.l { "đúng hạn (" (template::show_ratio(c.timeliness())) ")" } }
                div.tile.st-late { div.n { (c.late()) } div.l { "trễ hạn" } }
                div.tile.st-over { div.n { (c.missing().len()) } div.l { "chưa gửi / bị trả lại" } }
            }
            @if let Some(d) = c.due_on() { p.hint { "Hạn gửi: " (show_date(d))
                @if let Some(due) = crate::store::parse_date(d) { @if due < today { " (đã qua)" } } } }
            @if !c.missing().is_empty() {
                p.warn { "Chưa gửi hoặc bị trả lại: "
                    @for (i, r) in c.missing().iter().enumerate() { @if i > 0 { ", " } a href={"/reports/requests/" (r.request_id)} { (r.unit_name) } @if r.returns > 0 { " (bị trả lại)" } } }
            }
            @if !numbers.is_empty() {
                table.grid.figures { thead { tr { th { "Đơn vị" } th { "Tình trạng" } @for f in &numbers { th { (f.label) } } } }
                    tbody {
                        @for r in &rows { tr {
                            td { a href={"/reports/requests/" (r.request_id)} { (r.unit_name) } }
                            td { (state_badge(r.state, r.late)) }
                            @for f in &numbers { td.num { @if r.state.counts() { (Consolidation::row_figure(r, f)) } } }
                        } }
                        tr.total { th { "Tổng hợp" } th { (c.submitted()) " báo cáo" } @for f in &numbers { th.num { (c.show_figure(f)) } } }
                    }
                }
            } @else {
                ul { @for r in &c.rows { li { a href={"/reports/requests/" (r.request_id)} { (r.unit_name) } " " (state_badge(r.state, r.late)) } } }
            }
            @for f in c.fields.iter().filter(|f| f.kind == FieldKind::Narrative) {
                details { summary { (f.label) " (" (c.narratives(f).len()) " đơn vị)" }
                    @for (u, t) in c.narratives(f) { article.update { header { strong { (u) } } p.pre { (t) } } }
                }
            }
        }
    }
}

async fn schedule_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> AppResult<Html<String>> {
    let (s, p, cal) =
        schedule::read_period(&st.db, &actor, id, q.period.as_deref(), st.clock.today_vn()).await?;
    let today = st.clock.today_vn();
    let levels = consolidation::cascade(&st.db, &s, &p.key).await?;
    let reporters = schedule::reporters(&st.db, s.id).await?;
    let manage = policy::run_reporting(&actor, &s.province_code).is_ok();
    let current: Vec<i64> = reporters.iter().map(|r| r.0).collect();
    let reporter_select = if manage {
        super::org::unit_multi(&st.db, &s.province_code, "units", &current).await?
    } else {
        html! {}
    };
    let pq = format!("period={}", super::urlencode(&p.key));
    Ok(page(
        &s.name,
        Some(&actor),
        html! {
            p { a href="/reports" { "« Báo cáo" } }
            h1 { (s.name) }
            dl.facts {
                dt { "Đơn vị nhận" } dd { (s.receiver_name) }
                dt { "Mẫu" } dd { (s.template_name) }
                dt { "Kỳ" } dd { (s.frequency().label()) }
                dt { "Hạn gửi" } dd { (s.due_rule().label()) }
                dt { "Nhắc việc" } dd { (s.reminder_offsets) " (ngày so với hạn)" }
                dt { "Đơn vị báo cáo" } dd { (reporters.len()) " đơn vị" }
            }
            form.filters method="get" action={"/reports/schedules/" (s.id)} {
                label { "Kỳ báo cáo " select name="period" { @for c in period_choices(&s, today) { option value=(c.key) selected[c.key == p.key] { (c.label()) } } } }
                button type="submit" { "Xem" }
            }
            p { strong { (p.label()) } ": số liệu từ " (p.start.format("%d/%m/%Y")) " đến " (p.end.format("%d/%m/%Y")) ", hạn gửi " (s.due_on(&p, &cal).format("%d/%m/%Y")) "." }
            p {
                a.button href={"/reports/schedules/" (s.id) "/report.docx?" (pq)} { "Tải báo cáo tổng hợp (.docx)" } " "
                a.button href={"/reports/schedules/" (s.id) "/submissions.xlsx?" (pq)} { "Bảng tình hình gửi báo cáo (.xlsx)" } " "
                a.button href={"/reports/schedules/" (s.id) "/tasks.xlsx?" (pq)} { "Phụ lục nhiệm vụ (.xlsx)" }
            }
            @if levels.is_empty() || levels[0].consolidation.rows.is_empty() { (empty("Chưa có yêu cầu báo cáo cho kỳ này.")) }
            @for l in &levels { (consolidation_view(&l.consolidation, l.depth, today)) }
            @if manage {
                details.card { summary { "Sửa lịch báo cáo" }
                    form method="post" action={"/reports/schedules/" (s.id) "/edit"} { (csrf_field(&actor))
                        p.hint { "Mẫu, đơn vị nhận, cấp trên và kỳ báo cáo không đổi được (để giữ lịch sử); tạo lịch mới nếu cần. Hạn gửi mới áp dụng cho các báo cáo chưa nộp của kỳ hiện tại." }
                        label { "Tên báo cáo" input name="name" required value=(s.name); }
                        label { "Ngày chốt số liệu" input type="number" name="cutoff_day" min="0" max="28" value=(s.cutoff_day); }
                        label { "Quy tắc hạn gửi" select name="due_rule" {
                            option value="day_of_month" selected[s.due_rule == "day_of_month"] { "Trước ngày N" }
                            option value="working_days" selected[s.due_rule == "working_days"] { "N ngày làm việc sau ngày chốt số liệu" } } }
                        label { "N" input type="number" name="due_value" min="0" max="31" value=(s.due_value); }
                        @if s.frequency() == calendar::Frequency::AdHoc {
                            label { "Số liệu từ ngày" input name="adhoc_start" value=(s.adhoc_start.as_deref().map(show_date).unwrap_or_default()); }
                            label { "Hạn gửi" input name="adhoc_due" value=(s.adhoc_due.as_deref().map(show_date).unwrap_or_default()); }
                        }
                        label { "Nhắc việc (ngày so với hạn gửi)" input name="reminder_offsets" value=(s.reminder_offsets); }
                        label { "Đơn vị báo cáo" (reporter_select) }
                        button type="submit" { "Lưu thay đổi" }
                    }
                }
                form method="post" action={"/reports/schedules/" (s.id) "/active"} { (csrf_field(&actor))
                    input type="hidden" name="active" value=(if s.active { "0" } else { "1" });
                    button.secondary type="submit" { @if s.active { "Tạm dừng lịch báo cáo" } @else { "Áp dụng lại lịch báo cáo" } }
                }
            }
        },
    ))
}

async fn schedule_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    F(input): F<ScheduleInput>,
) -> AppResult<Redirect> {
    schedule::update_schedule(&st.db, &actor, id, &input, st.clock.now()).await?;
    Ok(Redirect::to(&format!("/reports/schedules/{id}")))
}

async fn schedule_active(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    F(a): F<super::ActiveForm>,
) -> AppResult<Redirect> {
    schedule::set_active(&st.db, &actor, id, a.active == "1").await?;
    Ok(Redirect::to(&format!("/reports/schedules/{id}")))
}

/// As of the window's end, or today if the window is still open: the task figures the
/// report quotes.
async fn tasks_of(
    st: &AppState,
    s: &Schedule,
    p: &calendar::Period,
) -> AppResult<crate::dashboard::ProvinceDashboard> {
    let as_of = p.end.min(st.clock.today_vn());
    crate::dashboard::province(&st.db, &s.province_code, s.body_id, as_of).await
}

async fn report_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> AppResult<Response> {
    let (s, p, _) =
        schedule::read_period(&st.db, &actor, id, q.period.as_deref(), st.clock.today_vn()).await?;
    let levels = consolidation::cascade(&st.db, &s, &p.key).await?;
    let mut tasks = tasks_of(&st, &s, &p).await?;
    // the task statistics of the units the report is about (every level of its cascade), not
    // of the whole province
    let reporting: std::collections::BTreeSet<i64> = levels
        .iter()
        .flat_map(|l| l.consolidation.rows.iter().map(|r| r.unit_id))
        .collect();
    if !reporting.is_empty() {
        tasks.units.retain(|u| reporting.contains(&u.unit_id));
        let mut total = crate::dashboard::Counts::default();
        for u in &tasks.units {
            for st in crate::tracking::Status::ALL {
                total.add(st, u.counts.get(st));
            }
        }
        tasks.total = total;
    }
    let receiver = org::get_unit(&st.db, s.receiver_unit_id).await?;
    let province_name = org::province_name(&st.db, &s.province_code).await?;
    let mut issuer = Issuer::for_unit(&receiver, &province_name);
    if let Some(signer) = q.signer.filter(|x| !x.trim().is_empty()) {
        issuer.signer_name = signer;
    }
    let mut recipients = vec![
        "Ban Chỉ đạo tỉnh".to_string(),
        "Lãnh đạo UBND tỉnh".to_string(),
    ];
    if let Some(pid) = s.parent_id {
        let parent = schedule::get_schedule(&st.db, pid).await?;
        recipients.insert(0, parent.receiver_name);
    }
    recipients.push("Các cơ quan, đơn vị báo cáo".into());
    // a report is not sent to the one who writes it
    let me = crate::text::fold(&issuer.in_text);
    recipients.retain(|r| crate::text::fold(r) != me);
    recipients.push(format!("Lưu: VT, {}", issuer.symbol));
    let bytes = documents::consolidated_report(&documents::ReportInput {
        issuer,
        number: q.number.unwrap_or_default(),
        date: st.clock.today_vn(),
        title: report_subject(&s.template_name),
        period_label: p.label(),
        levels: &levels,
        tasks: &tasks,
        recipients,
    });
    Ok(super::download(
        &format!("bao-cao-tong-hop-{}.docx", p.key),
        DOCX,
        bytes,
    ))
}

/// "Báo cáo kết quả CCHC … hằng quý" → "Kết quả CCHC …": the summary line already says
/// "BÁO CÁO" and names the period.
fn report_subject(template_name: &str) -> String {
    let owned: String = if crate::text::fold(template_name.trim()).starts_with("bao cao ") {
        template_name.trim().chars().skip(8).collect()
    } else {
        template_name.trim().to_string()
    };
    let mut t = owned.trim_start();
    for tail in [" hằng tháng", " hằng quý", " hằng năm", " định kỳ"] {
        t = t.strip_suffix(tail).unwrap_or(t);
    }
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

async fn submissions_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> AppResult<Response> {
    let (s, p, _) =
        schedule::read_period(&st.db, &actor, id, q.period.as_deref(), st.clock.today_vn()).await?;
    let c = consolidation::consolidate(&st.db, &s, &p.key).await?;
    Ok(super::download(
        &format!("tinh-hinh-gui-bao-cao-{}.xlsx", p.key),
        XLSX,
        documents::submissions_xlsx(&c, &p.label()),
    ))
}

async fn tasks_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> AppResult<Response> {
    let (s, p, _) =
        schedule::read_period(&st.db, &actor, id, q.period.as_deref(), st.clock.today_vn()).await?;
    let tasks = tasks_of(&st, &s, &p).await?;
    Ok(super::download(
        &format!("phu-luc-nhiem-vu-{}.xlsx", p.key),
        XLSX,
        documents::task_appendix_xlsx(&tasks, &format!("{} — {}", s.name, p.label())),
    ))
}
