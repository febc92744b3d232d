//! Meetings: the list with each body's regular meetings ahead, a new meeting, a meeting's page
//! (its state and actions, preparation timeline with live readiness, agenda, participants and
//! attendance, the follow-up of the previous conclusions, conclusions and notice, history),
//! and the meeting pack for the chair. Forms post to the actions in `api::meetings`.

use axum::extract::State;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::org::unit_multi;
use super::{csrf_field, empty, page, pager, qs, P, Q};
use crate::api::meetings as actions;
use crate::auth::Actor;
use crate::error::AppResult;
use crate::http::AppState;
use crate::meetings::agenda::{Attendance, Document};
use crate::meetings::conclusions::Kind as ConclusionKind;
use crate::meetings::documents::{self as docs, Pack};
use crate::meetings::prepare::{Audience, Ready, StepView};
use crate::meetings::{self, Kind, Meeting, State as MState};
use crate::store::Day;
use crate::tracking::Status;
use crate::{bodies, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/meetings",
            get(meetings_page).post(actions::meeting_create),
        )
        .route("/meetings/new", get(meeting_new))
        .route(
            "/meetings/{id}",
            get(meeting_page).post(actions::meeting_update),
        )
        .route("/meetings/{id}/pack", get(pack_page))
        .route("/bodies/{id}/calendar", post(body_calendar_renew))
        .route("/calendar/bodies/{token}", get(body_calendar))
        .merge(page_actions())
}

fn state_badge(s: MState) -> Markup {
    let css = match s {
        MState::Draft | MState::Postponed => "st-late",
        MState::Convened => "st-prog",
        MState::Held | MState::Concluded | MState::Closed => "st-ok",
        MState::Cancelled => "st-over",
    };
    html! { span class={"badge " (css)} { (s.label()) } }
}

fn ready_badge(r: Ready, n: usize) -> Markup {
    html! { @if n > 0 { span class={"badge " (r.css())} title=(r.label()) { (r.label()) ": " (n) } " " } }
}

/// The same actions and documents at the meeting pages' paths (the pages' forms post here).
fn page_actions() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}/convene", post(actions::convene))
        .route("/meetings/{id}/postpone", post(actions::postpone))
        .route("/meetings/{id}/cancel", post(actions::cancel))
        .route("/meetings/{id}/hold", post(actions::hold))
        .route("/meetings/{id}/minutes", post(actions::minutes))
        .route("/meetings/{id}/close", post(actions::close))
        .route("/meetings/{id}/steps", post(actions::step_add))
        .route("/meetings/{id}/steps/{step}", post(actions::step_mark))
        .route("/meetings/{id}/items", post(actions::item_add))
        .route("/meetings/{id}/items/{item}", post(actions::item_notes))
        .route(
            "/meetings/{id}/items/{item}/document",
            get(actions::item_document)
                .post(actions::item_document_upload)
                .layer(axum::extract::DefaultBodyLimit::max(11 * 1024 * 1024)),
        )
        .route("/meetings/{id}/participants", post(actions::invite))
        .route(
            "/meetings/{id}/participants/{participant}",
            post(actions::attendance),
        )
        .route("/meetings/{id}/conclusions", post(actions::conclusion_add))
        .route(
            "/meetings/{id}/conclusions/read",
            post(actions::conclusions_read)
                .layer(axum::extract::DefaultBodyLimit::max(11 * 1024 * 1024)),
        )
        .route(
            "/meetings/{id}/conclusions/{conclusion}/delete",
            post(actions::conclusion_remove),
        )
        .route("/meetings/{id}/notice", post(actions::notice_issue))
        .route(
            "/meetings/{id}/preparation.docx",
            get(actions::preparation_docx),
        )
        .route(
            "/meetings/{id}/invitation.docx",
            get(actions::invitation_docx),
        )
        .route("/meetings/{id}/notice.docx", get(actions::notice_docx))
        .route("/meetings/{id}/pack.docx", get(actions::pack_docx))
        .route("/meetings/{id}/pack.xlsx", get(actions::pack_xlsx))
}

async fn meetings_page(
    State(st): State<AppState>,
    actor: Actor,
    crate::http::SiteUrl(site): crate::http::SiteUrl,
    Q(f): Q<meetings::MeetingFilter>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    crate::auth::policy::read_province(&actor, &province)?;
    let today = st.clock.today_vn();
    let list = meetings::list_meetings(&st.db, &actor, &province, &f, today).await?;
    let all_bodies = bodies::list_bodies(&st.db, &province).await?;
    let organised: Vec<&bodies::Body> = all_bodies
        .iter()
        .filter(|b| meetings::can_organise(&actor, b))
        .collect();
    let mut series = Vec::new();
    let mut feeds = Vec::new();
    for b in &organised {
        feeds.push((*b, meetings::calendar::body_token(&st.db, b.id).await?));
        let s = meetings::series(&st.db, b, today, 3).await?;
        if !s.is_empty() {
            series.push((*b, s));
        }
    }
    let base = format!(
        "/meetings?{}",
        qs(&[
            ("q", f.q.clone()),
            ("body", f.body.map(|b| b.to_string())),
            ("state", f.state.clone())
        ])
    );
    Ok(page(
        "Cuộc họp",
        Some(&actor),
        html! {
            h1 { "Cuộc họp của Ban Chỉ đạo, Tổ công tác" }
            form.filters method="get" action="/meetings" {
                input type="search" name="q" placeholder="Tên cuộc họp, tên Ban (không cần dấu)" value=(f.q.clone().unwrap_or_default());
                select name="body" aria-label="Ban/Tổ" { option value="" { "Mọi Ban/Tổ" }
                    @for b in &all_bodies { option value=(b.id) selected[f.body == Some(b.id)] { (b.name) } } }
                select name="state" aria-label="Trạng thái" { option value="" { "Mọi trạng thái" }
                    @for s in MState::ALL { option value=(s.as_str()) selected[f.state.as_deref() == Some(s.as_str())] { (s.label()) } } }
                button type="submit" { "Lọc" }
                @if !organised.is_empty() { " " a.button href="/meetings/new" { "+ Tạo cuộc họp" } }
            }
            @if list.items.is_empty() {
                (empty("Chưa có cuộc họp nào. Tạo cuộc họp định kỳ của Ban Chỉ đạo để lập kế hoạch chuẩn bị, giấy mời và theo dõi kết luận."))
            } @else {
                table.grid.stack { thead { tr { th { "Ngày họp" } th { "Cuộc họp" } th { "Ban/Tổ" } th { "Loại" } th { "Trạng thái" } } }
                    tbody { @for m in &list.items { tr {
                        td data-label="Ngày họp" { (m.when()) @if m.planned_on.date() >= today && m.state().ahead() { br; small.muted { "còn " ((m.planned_on.date() - today).num_days()) " ngày" } } }
                        td data-label="Cuộc họp" { a href={"/meetings/" (m.id)} { (m.title) } }
                        td data-label="Ban/Tổ" { (m.body_name) }
                        td data-label="Loại" { (m.kind().label()) }
                        td data-label="Trạng thái" { (state_badge(m.state())) }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
            @if !series.is_empty() {
                h2 { "Họp định kỳ sắp tới (theo nhịp họp của Ban)" }
                table.grid.stack { thead { tr { th { "Ban/Tổ" } th { "Kỳ" } th { "Ngày gợi ý" } th { "" } } }
                    tbody { @for (b, s) in &series { @for (period, day, existing) in s { tr {
                        td data-label="Ban/Tổ" { (b.name) }
                        td data-label="Kỳ" { (crate::reporting::calendar::period_label(period)) }
                        td data-label="Ngày gợi ý" { (Day(*day).show()) }
                        td { @match existing {
                            Some(id) => a href={"/meetings/" (id)} { "Đã lập cuộc họp »" },
                            None => a href={"/meetings/new?" (qs(&[("body", Some(b.id.to_string())), ("period", Some(period.clone())), ("planned_on", Some(Day(*day).iso())), ("kind", Some("regular".into()))]))} { "Lập cuộc họp" },
                        } }
                    } } } } }
            }
            @if !feeds.is_empty() {
                h2 { "Lịch họp theo Ban (iCalendar)" }
                p.hint { "Dán địa chỉ vào ứng dụng lịch (Outlook, Google Calendar…) để thấy các cuộc họp của Ban; tạo địa chỉ mới khi cần thu hồi địa chỉ cũ." }
                ul { @for (b, t) in &feeds { li { (b.name) ": "
                    @if let Some(t) = t { code { (site) "/calendar/bodies/" (t) ".ics" } " " }
                    form.inline method="post" action={"/bodies/" (b.id) "/calendar"} { (csrf_field(&actor))
                        button.link type="submit" { @if t.is_some() { "Tạo địa chỉ mới" } @else { "Tạo địa chỉ lịch" } } }
                } } }
            }
        },
    ))
}

async fn body_calendar_renew(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<axum::response::Redirect> {
    meetings::calendar::renew_body_token(&st.db, &actor, id).await?;
    Ok(axum::response::Redirect::to("/meetings"))
}

/// A body's meetings ahead as an iCalendar feed, behind the body's secret URL.
async fn body_calendar(
    State(st): State<AppState>,
    crate::http::SiteUrl(site): crate::http::SiteUrl,
    P(token): P<String>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let token = token.trim_end_matches(".ics");
    if token.len() < 32 {
        return Err(crate::error::AppError::NotFound("lịch"));
    }
    let (id, name) = meetings::calendar::body_by_token(&st.db, token)
        .await?
        .ok_or(crate::error::AppError::NotFound("lịch"))?;
    let events: Vec<_> = meetings::calendar::of_body(&st.db, id, st.clock.today_vn())
        .await?
        .iter()
        .map(meetings::calendar::event)
        .map(|mut e| {
            e.url = format!("{site}{}", e.url);
            e
        })
        .collect();
    let stamp = st.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    let body = crate::documents::ical::calendar(&format!("Lịch họp — {name}"), &stamp, &events);
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    body: Option<i64>,
    period: String,
    planned_on: String,
    kind: String,
}

async fn meeting_new(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<NewQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let all = bodies::list_bodies(&st.db, &province).await?;
    let organised: Vec<&bodies::Body> = all
        .iter()
        .filter(|b| meetings::can_organise(&actor, b))
        .collect();
    if organised.is_empty() {
        return Err(crate::error::AppError::Forbidden);
    }
    let mut members = Vec::new();
    for b in &all {
        for m in bodies::members(&st.db, b.id).await? {
            members.push((b.name.clone(), m));
        }
    }
    let schedules = crate::reporting::schedule::list_schedules(&st.db, &province).await?;
    let tops: Vec<_> = schedules.iter().filter(|s| s.parent_id.is_none()).collect();
    let kind = Kind::parse(&q.kind).unwrap_or(Kind::Regular);
    Ok(page(
        "Tạo cuộc họp",
        Some(&actor),
        html! {
            h1 { "Tạo cuộc họp" }
            p.hint { "Cuộc họp được tạo ở trạng thái dự thảo, kèm kế hoạch chuẩn bị (tính lùi từ ngày họp theo mẫu của loại cuộc họp), chương trình họp và thành phần là thành viên các Ban. Triệu tập để mở báo cáo của các đơn vị." }
            form.card method="post" action="/meetings" { (csrf_field(&actor))
                label { "Ban/Tổ tổ chức" select name="body_id" required {
                    @for b in &organised { option value=(b.id) selected[q.body == Some(b.id)] { (b.name) } } } }
                @if all.len() > 1 {
                    fieldset { legend { "Họp chung với (tùy chọn)" }
                        @for b in &all { label.inline { input type="checkbox" name="other_bodies" value=(b.id); " " (b.name) } } }
                }
                label { "Loại cuộc họp" select name="kind" { @for k in Kind::ALL { option value=(k.as_str()) selected[k == kind] { (k.label()) } } } }
                label { "Tên cuộc họp (để trống: tự đặt theo Ban và kỳ)" input name="title" maxlength="500"; }
                label { "Người chủ trì" select name="chair_member_id" { option value="" { "—" }
                    @for (bn, m) in &members { option value=(m.id) { (m.person_name) " — " (bodies::role_label(&m.role)) ", " (bn) } } } }
                label { "Ngày họp" input type="date" name="planned_on" required value=(q.planned_on) min=(Day(st.clock.today_vn()).iso()); }
                label { "Đến ngày (nếu mới dự kiến một khoảng thời gian)" input type="date" name="window_end"; }
                label { "Giờ họp" input type="time" name="starts_at" value="08:00"; }
                label { "Địa điểm" input name="place" placeholder="Phòng họp UBND tỉnh"; }
                label { "Đường dẫn họp trực tuyến (tùy chọn)" input type="url" name="online_link" placeholder="https://"; }
                fieldset { legend { "Kỳ báo cáo cuộc họp xem xét" }
                    p.hint { "Chọn lịch báo cáo cấp cao nhất (ví dụ báo cáo quý trình UBND tỉnh): mỗi cấp của chuỗi tổng hợp thành một bước chuẩn bị có hạn riêng (đơn vị D−4, cơ quan thường trực D−2, tổng hợp D−1)." }
                    label { "Lịch báo cáo" select name="schedule_id" { option value="" { "— Không gắn kỳ báo cáo" }
                        @for s in &tops { option value=(s.id) { (s.name) " (" (s.receiver_name) ")" } } } }
                    label { "Kỳ (ví dụ 2026-Q4 hoặc 2026-11)" input name="period" value=(q.period); }
                }
                button type="submit" { "Tạo cuộc họp" }
            }
        },
    ))
}

async fn meeting_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let m = meetings::read_meeting(&st.db, &actor, id).await?;
    let today = st.clock.today_vn();
    let can = meetings::can_manage(&actor, &m);
    let events = meetings::events(&st.db, id).await?;
    // the page shows no figures: those are the pack's
    let pk = docs::meeting(&st.db, m, today).await?;
    let m = &pk.meeting;
    let leads = if can && matches!(m.state(), MState::Convened | MState::Held) {
        Some((
            unit_multi(&st.db, &m.province_code, "lead_units", &[]).await?,
            unit_multi(&st.db, &m.province_code, "coordinators", &[]).await?,
        ))
    } else {
        None
    };
    let units = if can && m.state().ahead() {
        org::province_units(&st.db, &m.province_code).await?
    } else {
        vec![]
    };
    let mut members = Vec::new();
    if can && m.state().ahead() {
        for b in &pk.bodies {
            members.extend(bodies::members(&st.db, b.id).await?);
        }
    }
    let doc = |name: &str| format!("/meetings/{id}/{name}");
    Ok(page(
        &m.title,
        Some(&actor),
        html! {
            p { a href="/meetings" { "« Cuộc họp" } }
            h1 { (m.title) " " (state_badge(m.state())) }
            dl.facts {
                dt { "Ban/Tổ" } dd { @for (i, b) in pk.bodies.iter().enumerate() { @if i > 0 { ", " } (b.name) } }
                dt { "Loại" } dd { (m.kind().label()) }
                dt { "Thời gian" } dd { @if !m.starts_at.is_empty() { (m.starts_at) ", " } (m.when()) }
                @if !m.place.is_empty() { dt { "Địa điểm" } dd { (m.place) } }
                @if !m.online_link.is_empty() { dt { "Họp trực tuyến" } dd { a href=(m.online_link) rel="noopener" { (m.online_link) } } }
                dt { "Chủ trì" } dd { (m.chair_name.clone().unwrap_or_else(|| "Chưa chọn".into())) }
                @if !m.period.is_empty() { dt { "Kỳ báo cáo" } dd { (m.period_label()) } }
                @if let Some(d) = m.notice_directive_id { dt { "Thông báo kết luận" } dd { a href={"/directives/" (d)} { "Xem văn bản và nhiệm vụ »" } } }
            }
            p.docs {
                a.button href={"/meetings/" (id) "/pack"} { "Tài liệu họp (cho chủ trì)" } " "
                a href=(doc("preparation.docx")) { "Công văn chuẩn bị (.docx)" } " · "
                a href=(doc("invitation.docx")) { "Giấy mời (.docx)" } " · "
                a href=(doc("notice.docx")) { @if m.notice_directive_id.is_some() { "Thông báo kết luận (.docx)" } @else { "Dự thảo thông báo kết luận (.docx)" } }
            }
            @if can { (state_actions(&actor, m, today)) }
            @if can && m.state().ahead() { (edit_form(&actor, m, &members)) }
            h2 { "Chuẩn bị cuộc họp" }
            (timeline(&actor, m, &pk.readiness, can))
            @if can && m.state().ahead() { (step_form(&actor, m)) }
            h2 { "Chương trình họp" }
            (agenda_section(&actor, &pk, can, &units))
            h2 { "Thành phần dự họp" }
            (participants_section(&actor, &pk, can, &units))
            h2 { "Kết quả thực hiện kết luận cuộc họp trước" }
            (followup_section(&pk))
            h2 { "Kết luận của cuộc họp" }
            (conclusions_section(&actor, &pk, can, leads))
            h2 { "Lịch sử" }
            table.grid.stack { thead { tr { th { "Lúc" } th { "Người thực hiện" } th { "Trạng thái" } th { "Ngày họp" } th { "Lý do" } } }
                tbody { @for e in &events { tr {
                    td data-label="Lúc" { (crate::store::show_instant(&e.at)) }
                    td data-label="Người thực hiện" { (e.username) }
                    td data-label="Trạng thái" { @if !e.from_state.is_empty() { (MState::parse(&e.from_state).label()) " → " } (MState::parse(&e.to_state).label()) }
                    td data-label="Ngày họp" { (e.planned_on.show()) }
                    td data-label="Lý do" { (e.reason) }
                } } } }
        },
    ))
}

fn state_actions(actor: &Actor, m: &Meeting, today: chrono::NaiveDate) -> Markup {
    let id = m.id;
    let s = m.state();
    html! {
        section.card.actions {
            @match s {
                MState::Draft | MState::Postponed => {
                    form.inline method="post" action={"/meetings/" (id) "/convene"} { (csrf_field(actor))
                        button type="submit" { "Triệu tập (phát hành giấy mời, mở báo cáo của đơn vị)" } }
                }
                MState::Convened => {
                    @if today >= m.planned_on.date() {
                        form method="post" action={"/meetings/" (id) "/hold"} { (csrf_field(actor))
                            label { "Ghi chép chung của cuộc họp" textarea name="minutes" rows="3" {} }
                            button type="submit" { "Ghi nhận đã họp" } }
                    } @else { p.hint { "Ngày họp: " (m.planned_on.show()) ". Ghi nhận thành phần, ghi chép và kết luận ngay tại cuộc họp." } }
                }
                MState::Held => {
                    form method="post" action={"/meetings/" (id) "/minutes"} { (csrf_field(actor))
                        label { "Ghi chép chung của cuộc họp" textarea name="minutes" rows="3" { (m.minutes_text) } }
                        button.secondary type="submit" { "Lưu ghi chép" } }
                    form method="post" action={"/meetings/" (id) "/notice"} { (csrf_field(actor))
                        h3 { "Ban hành thông báo kết luận" }
                        p.hint { "Tạo văn bản Thông báo kết luận với các kết luận giao nhiệm vụ thành nhiệm vụ được theo dõi, báo cáo và kiểm điểm ở cuộc họp sau." }
                        label { "Số, ký hiệu" input name="number" required placeholder="293/TB-UBND"; }
                        label { "Ngày ban hành" input type="date" name="issued_on" value=(Day(today).iso()); }
                        label { "Người ký" input name="signer"; }
                        label { "Trích yếu (để trống: tự đặt)" input name="summary"; }
                        button type="submit" { "Ban hành thông báo kết luận" } }
                }
                MState::Concluded => {
                    form.inline method="post" action={"/meetings/" (id) "/close"} { (csrf_field(actor))
                        button.secondary type="submit" { "Kết thúc cuộc họp" } }
                }
                MState::Closed | MState::Cancelled => { p.hint { "Cuộc họp " (s.label().to_lowercase()) "." } }
            }
            @if matches!(s, MState::Draft | MState::Convened) {
                details { summary { "Hoãn cuộc họp" }
                    form method="post" action={"/meetings/" (id) "/postpone"} { (csrf_field(actor))
                        label { "Lý do hoãn" input name="reason" required; }
                        label { "Ngày họp mới (nếu đã biết)" input type="date" name="planned_on"; }
                        button.secondary type="submit" { "Hoãn" } } }
            }
            @if s.ahead() {
                details { summary { "Hủy cuộc họp" }
                    form method="post" action={"/meetings/" (id) "/cancel"} { (csrf_field(actor))
                        label { "Lý do hủy" input name="reason" required; }
                        button.secondary type="submit" { "Hủy cuộc họp" } } }
            }
        }
    }
}

fn edit_form(actor: &Actor, m: &Meeting, members: &[bodies::Member]) -> Markup {
    html! {
        details.card { summary { "Sửa thông tin cuộc họp" }
            p.hint { "Ngày họp chỉ đổi bằng cách hoãn cuộc họp (lý do được lưu trong lịch sử)." }
            form method="post" action={"/meetings/" (m.id)} { (csrf_field(actor))
                label { "Tên cuộc họp" input name="title" maxlength="500" value=(m.title); }
                label { "Người chủ trì" select name="chair_member_id" { option value="" { "—" }
                    @for x in members { option value=(x.id) selected[m.chair_member_id == Some(x.id)] { (x.person_name) " — " (bodies::role_label(&x.role)) } } } }
                label { "Đến ngày (nếu mới dự kiến một khoảng thời gian)" input type="date" name="window_end" value=(m.window_end.map(|d| d.iso()).unwrap_or_default()); }
                label { "Giờ họp" input type="time" name="starts_at" value=(m.starts_at); }
                label { "Địa điểm" input name="place" value=(m.place); }
                label { "Đường dẫn họp trực tuyến" input type="url" name="online_link" value=(m.online_link); }
                button type="submit" { "Lưu thay đổi" } } }
    }
}

fn timeline(actor: &Actor, m: &Meeting, steps: &[StepView], can: bool) -> Markup {
    html! {
        @if steps.is_empty() { (empty("Chưa có bước chuẩn bị nào.")) } @else {
            table.grid.stack { thead { tr { th { "Hạn" } th { "Nội dung" } th { "Thực hiện" } th { "Tình hình" } } }
                tbody { @for s in steps {
                    // a step no record answers for (a manual one, or a breakthrough step of a
                    // year with no call) is marked by hand
                    @let by_hand = s.rows.len() == 1 && s.rows[0].unit_id.is_none() && !matches!(s.step.link_kind.as_str(), "report" | "task");
                    tr {
                    td data-label="Hạn" { (s.step.due_on.show()) br; small.muted { "D−" (s.step.days_before) } }
                    td data-label="Nội dung" { (s.step.title)
                        @if matches!(s.step.link_kind.as_str(), "breakthrough" | "province_breakthrough") { " " a href="/breakthroughs" { "Khâu đột phá »" } }
                        @if s.step.link_kind == "commitment" { " " a href="/commitments" { "Cam kết »" } }
                        @if !by_hand {
                            details { summary { "Từng đơn vị (" (s.rows.len()) ")" }
                                ul { @for r in &s.rows { li { (r.unit_name) " — " span class=(r.ready.css()) { (r.ready.label()) } } } } }
                        } }
                    td data-label="Thực hiện" { (s.step.audience().label()) }
                    td data-label="Tình hình" {
                        @for r in [Ready::In, Ready::Late, Ready::Missing, Ready::Awaited] { (ready_badge(r, s.count(r))) }
                        @if can && by_hand && m.state() != MState::Cancelled {
                            form.inline method="post" action={"/meetings/" (m.id) "/steps/" (s.step.id)} { (csrf_field(actor))
                                input type="hidden" name="done" value=(if s.step.done_on.is_some() { "false" } else { "true" });
                                button.link type="submit" { @if s.step.done_on.is_some() { "Bỏ đánh dấu" } @else { "Đánh dấu đã xong" } } }
                        }
                    }
                } } } }
        }
    }
}

fn step_form(actor: &Actor, m: &Meeting) -> Markup {
    html! {
        details.card { summary { "Thêm bước chuẩn bị" }
            form method="post" action={"/meetings/" (m.id) "/steps"} { (csrf_field(actor))
                label { "Nội dung" input name="title" required; }
                label { "Thực hiện" select name="audience" { @for a in Audience::ALL { option value=(a.as_str()) { (a.label()) } } } }
                label { "Số ngày trước cuộc họp" input type="number" name="days_before" min="0" max="60" value="3"; }
                label { "Theo dõi theo nhiệm vụ số (tùy chọn)" input type="number" name="task_id" min="1"; }
                button type="submit" { "Thêm" } } }
    }
}

fn agenda_section(actor: &Actor, pk: &Pack, can: bool, units: &[org::Unit]) -> Markup {
    let m = &pk.meeting;
    let notes = can && matches!(m.state(), MState::Convened | MState::Held);
    html! {
        @if pk.items.is_empty() { (empty("Chương trình họp chưa có mục nào.")) } @else {
            ol.agenda { @for it in &pk.items { li {
                strong { (it.title) }
                @let who = it.presenter();
                @if !who.is_empty() { " — trình bày: " (who) }
                @if it.planned_minutes > 0 { " · " (it.planned_minutes) " phút" }
                @match it.document() {
                    Document::None => {},
                    Document::Followup => { " · " a href="#followup" { (Document::Followup.label()) } },
                    Document::Consolidated => { @if let Some(s) = m.schedule_id { " · " a href={"/reports/schedules/" (s) "?period=" (m.period)} { (Document::Consolidated.label()) } } },
                    Document::League => { " · " a href="/indicators" { (Document::League.label()) } },
                }
                @if let Some(f) = &it.attachment_name { " · " a href={"/meetings/" (m.id) "/items/" (it.id) "/document"} { "Tài liệu: " (f) } }
                @if can && !matches!(m.state(), MState::Closed | MState::Cancelled) {
                    form.inline.upload method="post" enctype="multipart/form-data" action={"/meetings/" (m.id) "/items/" (it.id) "/document"} { (csrf_field(actor))
                        " " input type="file" name="file" aria-label="Tài liệu của mục";
                        " " button.secondary type="submit" { @if it.attachment_id.is_some() { "Thay tài liệu" } @else { "Tải tài liệu lên" } } }
                }
                @if !it.notes.is_empty() && !notes { p.pre { (it.notes) } }
                @if notes {
                    form method="post" action={"/meetings/" (m.id) "/items/" (it.id)} { (csrf_field(actor))
                        label { "Ghi chép" textarea name="notes" rows="2" { (it.notes) } }
                        button.secondary type="submit" { "Lưu ghi chép" } }
                }
            } } }
        }
        @if can && (m.state().ahead() || m.state() == MState::Held) {
            details.card { summary { "Thêm mục vào chương trình" }
                form method="post" action={"/meetings/" (m.id) "/items"} { (csrf_field(actor))
                    label { "Nội dung" input name="title" required; }
                    label { "Đơn vị trình bày" select name="presenter_unit_id" { option value="" { "—" } @for u in units { option value=(u.id) { (u.name) } } } }
                    label { "Người trình bày" input name="presenter_name"; }
                    label { "Thời lượng (phút)" input type="number" name="planned_minutes" min="0" max="600" value="10"; }
                    label { "Tài liệu do hệ thống lập" select name="document" { @for d in Document::ALL { option value=(d.as_str()) { (d.label()) } } } }
                    button type="submit" { "Thêm mục" } } }
        }
    }
}

fn participants_section(actor: &Actor, pk: &Pack, can: bool, units: &[org::Unit]) -> Markup {
    let m = &pk.meeting;
    let record = can && matches!(m.state(), MState::Convened | MState::Held);
    html! {
        @if pk.participants.is_empty() { (empty("Chưa có thành phần dự họp: thêm thành viên cho Ban hoặc mời đơn vị.")) } @else {
            table.grid.stack { thead { tr { th { "Người dự" } th { "Vai trò" } th { "Đơn vị" } th { "Tham dự" } } }
                tbody { @for x in &pk.participants { tr {
                    td data-label="Người dự" { (x.who()) }
                    td data-label="Vai trò" { @match &x.role { Some(r) => (bodies::role_label(r)), None => "Khách mời" } }
                    td data-label="Đơn vị" { (x.unit_name.clone().unwrap_or_default()) }
                    td data-label="Tham dự" {
                        @if record {
                            form method="post" action={"/meetings/" (m.id) "/participants/" (x.id)} { (csrf_field(actor))
                                select name="attendance" aria-label="Tham dự" {
                                    @for a in [Attendance::Unknown, Attendance::Present, Attendance::Absent, Attendance::Represented] {
                                        @if a != Attendance::Represented || x.member_id.is_some() {
                                            option value=(a.as_str()) selected[x.attendance() == a] { (a.label()) } } } }
                                @if x.member_id.is_some() { " " input name="delegate_name" placeholder="Người dự thay" value=(x.delegate_name) aria-label="Người dự thay"; }
                                " " button.secondary type="submit" { "Lưu" } }
                        } @else {
                            (x.attendance().label()) @if !x.delegate_name.is_empty() { ": " (x.delegate_name) }
                        }
                    }
                } } } }
        }
        @if can && m.state().ahead() {
            details.card { summary { "Mời thêm đơn vị, đại biểu" }
                form method="post" action={"/meetings/" (m.id) "/participants"} { (csrf_field(actor))
                    label { "Đơn vị" select name="unit_id" { option value="" { "—" } @for u in units { option value=(u.id) { (u.name) } } } }
                    label { "Họ tên (để trống: người đứng đầu đơn vị)" input name="person_name"; }
                    label { "Chức vụ" input name="position"; }
                    button type="submit" { "Mời" } } }
        }
    }
}

fn followup_section(pk: &Pack) -> Markup {
    let f = &pk.followup;
    html! {
        div id="followup" {
            @match &f.notice {
                None => (empty("Chưa có cuộc họp trước của Ban với thông báo kết luận trên hệ thống.")),
                Some(n) => {
                    p { "Theo " a href={"/directives/" (n.id)} { "Thông báo số " (n.number) } " (" (f.previous_title.clone().unwrap_or_default()) "), tình hình đến ngày " (f.as_of.show()) ": "
                        @for s in [Status::DoneOnTime, Status::DoneLate, Status::InProgress, Status::Overdue, Status::Ongoing] {
                            @let c = f.count(s);
                            @if c > 0 { span class={"badge " (s.css())} { (s.label()) ": " (c) } " " } } }
                    table.grid.stack { thead { tr { th { "Đơn vị chủ trì" } th { "Nhiệm vụ" } } }
                        tbody { @for u in &f.units { tr {
                            td data-label="Đơn vị chủ trì" { (u.unit_name) }
                            td data-label="Nhiệm vụ" { ul { @for t in &u.tasks { li {
                                a href={"/tasks/" (t.task_id)} { (t.title) } " " span class={"badge " (t.status.css())} { (t.status.label()) }
                                @if let Some(d) = t.due_on { small.muted { " hạn " (d.show()) } }
                            } } } }
                        } } } }
                }
            }
        }
    }
}

fn conclusions_section(
    actor: &Actor,
    pk: &Pack,
    can: bool,
    leads: Option<(Markup, Markup)>,
) -> Markup {
    let m = &pk.meeting;
    let writable = can && matches!(m.state(), MState::Convened | MState::Held);
    html! {
        @if pk.conclusions.is_empty() { (empty("Chưa có kết luận. Ghi từng kết luận (thông tin, quyết định, giao nhiệm vụ) trong hoặc sau cuộc họp.")) } @else {
            ol.conclusions { @for c in &pk.conclusions { li {
                span.chip { (c.kind().label()) } " " (c.body)
                @if c.kind() == ConclusionKind::Task {
                    br; small { "Chủ trì: " (c.leads().into_iter().map(|u| pk.unit_name(u)).collect::<Vec<_>>().join(", "))
                        @if !c.coordinators().is_empty() { " · Phối hợp: " (c.coordinators().into_iter().map(|u| pk.unit_name(u)).collect::<Vec<_>>().join(", ")) }
                        @if !c.deadline_text.is_empty() { " · Thời hạn: " (c.deadline_text) }
                        @if !c.product.is_empty() { " · Sản phẩm: " (c.product) }
                        @if let Some(t) = c.task_id { " · " a href={"/tasks/" (t)} { "Nhiệm vụ »" } } }
                }
                @if writable {
                    form.inline method="post" action={"/meetings/" (m.id) "/conclusions/" (c.id) "/delete"} { (csrf_field(actor))
                        " " button.link type="submit" { "Xóa" } }
                }
            } } }
        }
        @if let (true, Some((lead, coord))) = (writable, leads) {
            details.card open[pk.conclusions.is_empty()] { summary { "Ghi kết luận" }
                form method="post" action={"/meetings/" (m.id) "/conclusions"} { (csrf_field(actor))
                    label { "Loại" select name="kind" { @for k in ConclusionKind::ALL { option value=(k.as_str()) selected[k == ConclusionKind::Task] { (k.label()) } } } }
                    label { "Nội dung" textarea name="body" rows="3" required {} }
                    fieldset { legend { "Nếu giao nhiệm vụ" }
                        label { "Đơn vị chủ trì" (lead) }
                        label { "Đơn vị phối hợp" (coord) }
                        label { "Thời hạn (như ghi trong văn bản)" input name="deadline_text" placeholder="Trước ngày 30/6/2026, Thường xuyên, Quý III/2026"; }
                        label { "Sản phẩm" input name="product"; }
                    }
                    button type="submit" { "Thêm kết luận" } } }
            details.card { summary { "Đọc kết luận từ dự thảo thông báo" }
                form method="post" action={"/meetings/" (m.id) "/conclusions/read"} { (csrf_field(actor))
                    p.hint { "Dán nội dung dự thảo: các đoạn giao việc có đơn vị chủ trì của tỉnh trở thành kết luận giao nhiệm vụ để rà soát." }
                    label { "Nội dung" textarea name="text" rows="6" required {} }
                    button.secondary type="submit" { "Đọc" } }
                form method="post" enctype="multipart/form-data" action={"/meetings/" (m.id) "/conclusions/read"} { (csrf_field(actor))
                    label { "Hoặc chọn tệp (.docx, .pdf, .txt; tối đa 10 MB)" input type="file" name="file" required; }
                    button.secondary type="submit" { "Đọc tệp" } } }
        }
    }
}

async fn pack_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let m = meetings::read_meeting(&st.db, &actor, id).await?;
    let pk = docs::pack(&st.db, &st.dashboards, m, st.clock.today_vn()).await?;
    let m = &pk.meeting;
    Ok(page(
        "Tài liệu họp",
        Some(&actor),
        html! {
            p { a href={"/meetings/" (id)} { "« " (m.title) } }
            h1 { "Tài liệu họp · " (m.title) }
            p.meta { (m.when()) " · số liệu đến ngày " (pk.followup.as_of.show()) " · " a href={"/meetings/" (id) "/pack.docx"} { "Tải bản Word (.docx)" } " · " a href={"/meetings/" (id) "/pack.xlsx"} { "Bảng tính (.xlsx)" } }
            h2 { "1. Tình hình chuẩn bị" }
            table.grid.stack { thead { tr { th { "Bước" } th { "Hạn" } th { "Tình hình" } th { "Còn thiếu" } } }
                tbody { @for s in &pk.readiness { tr {
                    td data-label="Bước" { (s.step.title) }
                    td data-label="Hạn" { (s.step.due_on.show()) }
                    td data-label="Tình hình" { @for r in [Ready::In, Ready::Late, Ready::Missing, Ready::Awaited] { (ready_badge(r, s.count(r))) } }
                    td data-label="Còn thiếu" { (s.rows.iter().filter(|r| r.ready == Ready::Missing).map(|r| r.unit_name.as_str()).collect::<Vec<_>>().join(", ")) }
                } } } }
            h2 { "2. Kết quả thực hiện kết luận cuộc họp trước" }
            (followup_section(&pk))
            h2 { "3. Số liệu báo cáo của kỳ" }
            @match &pk.consolidation {
                None => (empty("Cuộc họp không gắn với kỳ báo cáo.")),
                Some(c) => {
                    p { (c.schedule_name) ": " (c.submitted()) "/" (c.expected()) " đơn vị đã nộp, " (c.late()) " nộp muộn. "
                        a href={"/reports/schedules/" (c.schedule_id) "?period=" (c.period)} { "Xem tổng hợp »" } }
                    table.grid.stack { thead { tr { th { "Chỉ tiêu" } th { "Tổng hợp" } } }
                        tbody { @for f in c.fields.iter().filter(|f| !matches!(f.kind, crate::reporting::template::FieldKind::Narrative)) { tr {
                            td data-label="Chỉ tiêu" { (f.label) } td.num data-label="Tổng hợp" { (c.show_figure(f)) } } } } }
                }
            }
            h2 { "4. Các cơ quan, đơn vị có nhiệm vụ quá hạn" }
            @let (most, more) = pk.most_overdue(20);
            @if pk.overdue.is_empty() { (empty("Không có nhiệm vụ quá hạn.")) } @else {
                table.grid.stack { thead { tr { th { "Đơn vị" } th { "Quá hạn" } th { "Có thời hạn" } } }
                    tbody { @for u in most { tr {
                        td data-label="Đơn vị" { (u.unit_name) } td.num data-label="Quá hạn" { (u.counts.overdue) } td.num data-label="Có thời hạn" { (u.counts.with_deadline()) } } } } }
                @if more > 0 { p { "Và " (more) " cơ quan, đơn vị khác · " a href="/dashboard/overdue" { "Danh sách nhiệm vụ quá hạn »" } } }
            }
            h2 { "5. Bảng xếp hạng" }
            @match &pk.league {
                Some(l) if !l.rows.is_empty() => {
                    p { (l.title) @if l.rows.len() > 15 { " — 10 đơn vị dẫn đầu và 5 đơn vị cuối bảng · " a href="/indicators" { "Bảng đầy đủ »" } } }
                    table.grid.stack { thead { tr { th { "Hạng" } th { "Đơn vị" } th { "Điểm" } } }
                        tbody { @for r in pk.league_rows() { tr { td.num data-label="Hạng" { (r.rank) } td data-label="Đơn vị" { (r.name) } td.num data-label="Điểm" { (format!("{:.1}", r.total)) } } } } }
                }
                _ => (empty("Chưa có số liệu chỉ số của năm.")),
            }
            h2 { "6. Khâu đột phá và cam kết thứ hạng" }
            @if pk.emulation.is_empty() { (empty("Chưa có đơn vị nào đăng ký khâu đột phá hoặc cam kết thứ hạng trong năm.")) } @else {
                table.grid.stack { thead { tr { th { "Đơn vị" } th { "Cam kết" } th { "Thứ hạng hiện tại" } th { "Khâu đột phá" } } }
                    tbody { @for r in &pk.emulation { tr {
                        td data-label="Đơn vị" { (r.unit_name) }
                        td data-label="Cam kết" { @if let Some(c) = r.committed_rank { "Hạng " (c) } @else { "—" } }
                        td data-label="Thứ hạng hiện tại" { @if let Some(x) = &r.standing { "Hạng " (x.rank) "/" (x.of) } @else { "Chưa xếp hạng" } }
                        td data-label="Khâu đột phá" { (r.breakthrough_line()) }
                    } } } }
                p { a href="/emulation" { "Tổng hợp thi đua đầy đủ »" } }
            }
        },
    ))
}
