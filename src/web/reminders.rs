//! The working calendar, reminders and their outbox, urging dispatches and the calendar feeds
//! (iCalendar) of a unit's deadlines.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use serde::Deserialize;

use super::reports::DOCX;
use super::{csrf_field, empty, page, pager_for, F, P, Q};
use crate::auth::{policy, Actor};
use crate::documents::{self, Issuer};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::reporting::{self, holidays, WorkCalendar};
use crate::store::show_instant;
use crate::{notify, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/holidays", get(holidays_page).post(holiday_add))
        .route("/holidays/{day}/delete", post(holiday_remove))
        .route("/notifications", get(notifications_page))
        .route("/notifications/run", post(notifications_run))
        .route("/notifications/{id}/retry", post(notification_retry))
        .route("/units/{id}/urging.docx", get(urging_docx))
        .route("/units/{id}/calendar", post(calendar_token))
        .route("/calendar/{token}", get(calendar_feed))
}

// ---- holidays ----

async fn holidays_page(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let list = holidays::list_holidays(&st.db).await?;
    let admin = policy::administer_calendar(&actor).is_ok();
    Ok(page(
        "Ngày nghỉ lễ",
        Some(&actor),
        html! {
            h1 { "Ngày nghỉ lễ, Tết" }
            p.hint { "Dùng cho quy tắc hạn gửi tính theo ngày làm việc (thứ Bảy, Chủ nhật và các ngày dưới đây không tính)." }
            @if admin {
                form.filters method="post" action="/holidays" { (csrf_field(&actor))
                    input name="day" placeholder="dd/mm/yyyy" required; input name="name" placeholder="Tên ngày nghỉ" required;
                    button type="submit" { "Thêm ngày nghỉ" }
                }
            }
            @if list.is_empty() { (empty("Chưa có ngày nghỉ nào.")) }
            table.grid { thead { tr { th { "Ngày" } th { "Tên" } @if admin { th {} } } }
                tbody { @for h in list.iter().rev() { tr {
                    td { (h.day.format("%d/%m/%Y")) } td { (h.name) }
                    @if admin { td { form.inline method="post" action={"/holidays/" (h.day) "/delete"} { (csrf_field(&actor)) button.link type="submit" { "Xóa" } } } }
                } } }
            }
        },
    ))
}

async fn holiday_add(
    State(st): State<AppState>,
    actor: Actor,
    F(h): F<holidays::HolidayInput>,
) -> AppResult<Redirect> {
    holidays::add_holiday(&st.db, &actor, &h.day, &h.name).await?;
    Ok(Redirect::to("/holidays"))
}

async fn holiday_remove(
    State(st): State<AppState>,
    actor: Actor,
    P(day): P<String>,
) -> AppResult<Redirect> {
    holidays::remove_holiday(&st.db, &actor, &day).await?;
    Ok(Redirect::to("/holidays"))
}

// ---- notifications ----

#[derive(Deserialize)]
struct NoticeQuery {
    state: Option<String>,
    page: Option<i64>,
}

async fn notifications_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<NoticeQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::run_reporting(&actor, &province)?;
    let list = notify::list(
        &st.db,
        &province,
        q.state.as_deref(),
        q.page.unwrap_or(1),
        50,
    )
    .await?;
    let base = format!(
        "/notifications?state={}",
        q.state.clone().unwrap_or_default()
    );
    let ch = &st.channels;
    Ok(page(
        "Nhắc việc và thông báo",
        Some(&actor),
        html! {
            h1 { "Nhắc việc và thông báo" }
            p.hint { "Kênh gửi: "
                @if let Some(s) = &ch.smtp { "thư điện tử qua " (s.host) ":" (s.port) } @else { "chưa cấu hình thư điện tử (STEERCO_SMTP_URL)" }
                " · " @if ch.webhook.is_some() { "webhook (SMS/Zalo) đã cấu hình" } @else { "chưa cấu hình webhook (STEERCO_WEBHOOK_URL)" }
                " · luôn có thông báo trong ứng dụng (mục «Thông báo» của từng tài khoản)." }
            form.inline method="post" action="/notifications/run" { (csrf_field(&actor)) button type="submit" { "Chạy nhắc việc ngay" } }
            p { a href="/notifications" { "Tất cả" } " · " a href="/notifications?state=pending" { "Chờ gửi" } " · " a href="/notifications?state=failed" { "Lỗi" } " · " a href="/notifications?state=sent" { "Đã gửi" } }
            @if list.items.is_empty() { (empty("Chưa có thông báo nào.")) } @else {
                table.grid { thead { tr { th { "Tạo lúc" } th { "Loại" } th { "Người nhận" } th { "Tiêu đề" } th { "Tình trạng" } } }
                    tbody { @for n in &list.items { tr class=(if n.state == "failed" { "st-over" } else { "" }) {
                        td { (show_instant(&n.created_at)) }
                        td { (n.kind_label()) br; small { (crate::notify::inbox::channel_label(&n.channel)) } }
                        td { (n.recipient) @if let Some(u) = &n.unit_name { br; small { (u) } } }
                        td { details { summary { (n.subject) } p.pre { (n.body) } } }
                        td { (n.state_label()) @if n.attempts > 0 { br; small { (n.attempts) " lần gửi" } }
                            @if !n.last_error.is_empty() { br; small.warn { (n.last_error) } }
                            @if let Some(s) = &n.sent_at { br; small { (show_instant(s)) } }
                            @if n.state != "sent" && n.attempts > 0 { form method="post" action={"/notifications/" (n.id) "/retry"} { (csrf_field(&actor)) button.link type="submit" { "Gửi lại" } } } }
                    } } }
                }
            }
            (pager_for(&base, "page", list.page, list.pages(), list.total))
        },
    ))
}

async fn notifications_run(State(st): State<AppState>, actor: Actor) -> AppResult<Redirect> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::run_reporting(&actor, &province)?;
    // the secretariat runs its own province's pass; the administrator the country's
    let only = (!policy::sees_country(&actor)).then_some(province.as_str());
    notify::tick_for(&st.db, &st.channels, st.clock.now(), only).await?;
    Ok(Redirect::to("/notifications"))
}

async fn notification_retry(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Redirect> {
    notify::retry(&st.db, &actor, id, st.clock.now()).await?;
    let province = org::province_for(&st.db, &actor, None).await?;
    let only = (!policy::sees_country(&actor)).then_some(province.as_str());
    notify::deliver_for(&st.db, &st.channels, st.clock.now(), only).await?;
    Ok(Redirect::to("/notifications?state=failed"))
}

// ---- urging dispatch and calendar feeds ----

async fn urging_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let unit = org::get_unit(&st.db, id).await?;
    policy::direct(&actor, &unit.province_code)?;
    let today = st.clock.today_vn();
    let owed = crate::tracking::unit_owes(&st.db, unit.id, today).await?;
    let tasks: Vec<documents::OverdueTask> = owed
        .iter()
        .filter(|o| o.status == crate::tracking::Status::Overdue)
        .map(|o| documents::OverdueTask {
            title: o.assignment.task_title.clone(),
            directive: o.assignment.directive_number.clone(),
            due_on: o.assignment.due_on.map(|d| d.iso()).unwrap_or_default(),
            days_late: -o.days_left.unwrap_or(0),
            percent: o.assignment.percent,
        })
        .collect();
    if tasks.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} không có nhiệm vụ quá hạn.",
            unit.name
        )));
    }
    let issuer_unit = match actor.unit_id {
        Some(u) => org::get_unit(&st.db, u).await?,
        None => org::find_unit_by_code(&st.db, &unit.province_code)
            .await?
            .ok_or(AppError::NotFound("đơn vị"))?,
    };
    let province_name = org::province_name(&st.db, &unit.province_code).await?;
    let issuer = Issuer::for_unit(&issuer_unit, &province_name);
    let cal = WorkCalendar::load(&st.db).await?;
    let bytes = documents::urging_dispatch(
        &issuer,
        &unit.name,
        &tasks,
        today,
        cal.add_working_days(today, 5),
    );
    Ok(super::download(
        &format!("cong-van-don-doc-{}.docx", unit.code),
        DOCX,
        bytes,
    ))
}

/// Creates (or replaces) the secret part of a unit's calendar URL.
async fn calendar_token(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Redirect> {
    org::renew_calendar_token(&st.db, &actor, id).await?;
    Ok(Redirect::to(&format!("/my?unit={id}")))
}

async fn calendar_feed(
    State(st): State<AppState>,
    crate::http::SiteUrl(site): crate::http::SiteUrl,
    P(token): P<String>,
) -> AppResult<Response> {
    let token = token.trim_end_matches(".ics");
    if token.len() < 32 {
        return Err(AppError::NotFound("lịch"));
    }
    let unit = org::unit_by_calendar_token(&st.db, token).await?;
    let (unit_id, unit_name) = unit.ok_or(AppError::NotFound("lịch"))?;
    // a calendar cannot follow a relative link: every event's address is whole
    let mut events = unit_deadlines(&st, unit_id).await?;
    for e in &mut events {
        e.url = format!("{site}{}", e.url);
    }
    let stamp = st.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    let body = documents::ical::calendar(&format!("Hạn công việc — {unit_name}"), &stamp, &events);
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}

/// A unit's open deadlines: unfinished tasks with a date, reports not yet sent.
pub async fn unit_deadlines(st: &AppState, unit_id: i64) -> AppResult<Vec<documents::ical::Event>> {
    let today = st.clock.today_vn();
    let mut events = Vec::new();
    for o in crate::tracking::unit_owes(&st.db, unit_id, today).await? {
        let a = &o.assignment;
        if a.completed_on.is_some() {
            continue;
        }
        if let Some(d) = a.due_on.map(crate::store::Day::date) {
            events.push(documents::ical::Event {
                uid: format!("assignment-{}@steerco", a.id),
                date: d,
                summary: format!("Hạn nhiệm vụ: {}", a.task_title),
                description: format!(
                    "Theo {}. Tiến độ hiện tại: {}%.",
                    a.directive_number, a.percent
                ),
                url: format!("/assignments/{}", a.id),
            });
        }
    }
    for m in crate::meetings::calendar::of_unit(&st.db, unit_id, today).await? {
        events.push(crate::meetings::calendar::event(&m));
    }
    for r in reporting::unit_requests(&st.db, unit_id, 200).await? {
        if r.state().counts() {
            continue;
        }
        events.push(documents::ical::Event {
            uid: format!("report-request-{}@steerco", r.id),
            date: r.due(),
            summary: format!(
                "Hạn gửi báo cáo: {} ({})",
                r.schedule_name,
                r.period_label()
            ),
            description: format!(
                "Gửi {}. Số liệu từ {} đến {}.",
                r.receiver_name,
                r.window_start.show(),
                r.window_end.show()
            ),
            url: format!("/reports/requests/{}", r.id),
        });
    }
    Ok(events)
}
