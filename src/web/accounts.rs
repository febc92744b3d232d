//! Accounts of a province (administrators and the secretariat) and the audit trail.

use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use serde::Deserialize;

use super::dashboards::opt_id;
use super::{csrf_field, empty, page, pager, qs, F, P, Q};
use crate::api::accounts as actions;
use crate::auth::{policy, Actor, Role};
use crate::error::AppResult;
use crate::http::AppState;
use crate::org;
use crate::store::show_instant;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit_page))
        .route("/users", get(users_page).post(actions::user_create))
        .route("/users/{id}/active", post(user_active))
        .route("/users/{id}/password", post(actions::user_password))
        .route("/users/{id}/role", post(actions::user_role))
        .route(
            "/users/bulk",
            post(users_bulk).layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
}

/// The CSV of a bulk creation: pasted in the form, or a file uploaded with it.
async fn bulk_input(req: axum::extract::Request) -> AppResult<crate::auth::bulk::BulkInput> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let F(b) = F::<crate::auth::bulk::BulkInput>::from_request(req, &()).await?;
        return Ok(b);
    }
    let mut mp = axum::extract::Multipart::from_request(req, &())
        .await
        .map_err(|e| {
            crate::error::AppError::invalid("csv", format!("Biểu mẫu không hợp lệ: {e}"))
        })?;
    let bad = |e| super::multipart_error(e, ("csv", "Tệp danh sách vượt quá 2 MB."));
    let mut b = crate::auth::bulk::BulkInput::default();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(bad)?;
        // a file saved by Excel may start with a byte-order mark
        let text = String::from_utf8_lossy(&bytes)
            .trim_start_matches('\u{feff}')
            .to_string();
        match name.as_str() {
            "file" if !text.trim().is_empty() => b.csv = text,
            "csv" if b.csv.is_empty() => b.csv = text,
            "role" => b.role = text,
            _ => {}
        }
    }
    Ok(b)
}

/// Creates the accounts and shows them once with their first passwords, for printing.
async fn users_bulk(
    State(st): State<AppState>,
    actor: Actor,
    req: axum::extract::Request,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let input = bulk_input(req).await?;
    let created = crate::auth::bulk::create_accounts(&st.db, &actor, &province, &input).await?;
    Ok(page(
        "Tài khoản đã tạo",
        Some(&actor),
        html! {
            p { a href="/users" { "« Tài khoản" } }
            h1 { "Đã tạo " (created.len()) " tài khoản" }
            p.alert { "Mật khẩu ban đầu chỉ hiện một lần: in hoặc lưu danh sách này rồi gửi cho từng đơn vị. Mỗi người đổi mật khẩu ở trang «Tài khoản» sau lần đăng nhập đầu." }
            p.hint { "In danh sách: Ctrl+P (bản in bỏ menu và các nút)." }
            table.grid.stack { thead { tr { th { "Đơn vị" } th { "Họ tên" } th { "Tên đăng nhập" } th { "Mật khẩu ban đầu" } } }
                tbody { @for c in &created { tr {
                    td data-label="Đơn vị" { (c.unit_name) " " small.muted { "(" (c.unit_code) ")" } }
                    td data-label="Họ tên" { (c.full_name) }
                    td data-label="Tên đăng nhập" { code { (c.username) } }
                    td data-label="Mật khẩu ban đầu" { code { (c.password) } }
                } } } }
        },
    ))
}

#[derive(Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    username: Option<String>,
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

/// What a change was, in the users' words.
fn action_label(a: &str) -> &str {
    match a {
        "create" => "Tạo mới",
        "update" => "Sửa",
        "delete" => "Xóa",
        "import" => "Nhập từ tệp",
        "import_update" => "Nhập lại: thêm nhiệm vụ vào văn bản đã có",
        "withdraw" => "Thu hồi",
        "set" => "Đặt",
        "save" => "Lưu",
        "submit" => "Gửi",
        "accept" => "Chấp thuận",
        "return" => "Trả lại",
        "register" => "Đăng ký",
        "issue" => "Ban hành",
        "commit" => "Cam kết",
        "lock" => "Khóa",
        "unlock" => "Mở khóa",
        "reset_password" => "Đặt lại mật khẩu",
        "change_role" => "Đổi vai trò, đơn vị",
        "confirm_done" => "Xác nhận hoàn thành",
        "return_done" => "Trả lại báo cáo hoàn thành",
        "reopen_done" => "Mở lại xác nhận hoàn thành",
        "request_extension" => "Đề nghị gia hạn",
        "approve_extension" => "Đồng ý gia hạn",
        "refuse_extension" => "Không đồng ý gia hạn",
        "report_progress" => "Báo cáo tiến độ",
        "add_conclusion" => "Thêm kết luận",
        "remove_conclusion" => "Bỏ kết luận",
        "read_conclusions" => "Đọc kết luận từ dự thảo",
        "add_item" => "Thêm nội dung họp",
        "item_notes" => "Ghi chép nội dung họp",
        "item_document" => "Tải tài liệu họp",
        "add_step" => "Thêm bước chuẩn bị",
        "attendance" => "Ghi nhận dự họp",
        "invite" => "Mời dự họp",
        "minutes" => "Ghi chép cuộc họp",
        "add_member" => "Thêm thành viên",
        "remove_member" => "Bớt thành viên",
        "add_successor" => "Ghi đơn vị kế thừa",
        "renew_calendar" => "Tạo địa chỉ lịch mới",
        "retry" => "Gửi lại",
        "issue_notice" => "Ban hành thông báo kết luận",
        "login" => "Đăng nhập",
        other => other,
    }
}

/// The kinds of object the trail names, in the users' words.
const ENTITIES: &[(&str, &str)] = &[
    ("directive", "Văn bản"),
    ("task", "Nhiệm vụ"),
    ("assignment", "Phân công"),
    ("unit", "Đơn vị"),
    ("unit_group", "Nhóm đơn vị"),
    ("body", "Ban Chỉ đạo, Tổ công tác"),
    ("user", "Tài khoản"),
    ("user_contact", "Liên hệ tài khoản"),
    ("meeting", "Cuộc họp"),
    ("report_template", "Mẫu báo cáo"),
    ("report_schedule", "Lịch báo cáo"),
    ("report_submission", "Báo cáo của đơn vị"),
    ("indicator_target", "Chỉ tiêu"),
    ("scorecard", "Bộ chỉ số"),
    ("dossier_import", "Nhập số liệu một cửa"),
    ("breakthrough", "Khâu đột phá"),
    ("breakthrough_call", "Đợt đăng ký khâu đột phá"),
    ("rank_commitment", "Cam kết thứ hạng"),
    ("holiday", "Ngày nghỉ"),
    ("notification", "Thông báo"),
];

fn entity_label(e: &str) -> &str {
    ENTITIES.iter().find(|x| x.0 == e).map(|x| x.1).unwrap_or(e)
}

/// A recorded value as lines "field: value" (objects one level deep; long values cut).
fn readable(json: &Option<String>) -> maud::Markup {
    let Some(text) = json.as_deref().filter(|t| !t.is_empty()) else {
        return html! {};
    };
    let cut = |s: String| {
        if s.chars().count() > 160 {
            format!("{}…", s.chars().take(160).collect::<String>())
        } else {
            s
        }
    };
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => cut(s.clone()),
        serde_json::Value::Null => "—".into(),
        serde_json::Value::Bool(b) => if *b { "có" } else { "không" }.into(),
        other => cut(other.to_string()),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => html! {
            ul.kv { @for (k, v) in &m { li { span.muted { (k) ": " } (show(v)) } } }
        },
        Ok(v) => html! { (show(&v)) },
        Err(_) => html! { (cut(text.to_string())) },
    }
}

async fn audit_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<AuditQuery>,
) -> AppResult<Html<String>> {
    let province = policy::read_audit(&actor)?;
    let page_no = q.page.unwrap_or(1).max(1);
    let f = crate::audit::Filter {
        entity: q.entity.clone(),
        entity_id: opt_id(&q.entity_id),
        username: q.username.clone(),
        unit: opt_id(&q.unit),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let (rows, total) = crate::audit::list(&st.db, province.as_deref(), &f, page_no, 50).await?;
    let base = format!(
        "/audit?{}",
        qs(&[
            ("entity", q.entity.clone()),
            ("entity_id", q.entity_id.clone()),
            ("username", q.username.clone()),
            ("unit", q.unit.clone()),
            ("from", q.from.clone()),
            ("to", q.to.clone())
        ])
    );
    let entity = q.entity.clone().unwrap_or_default();
    // the units whose people may have changed something here: the province's, or none for
    // the country's trail
    let units = match province.as_deref() {
        Some(p) => crate::org::province_units(&st.db, p).await?,
        None => vec![],
    };
    Ok(page(
        "Nhật ký thay đổi",
        Some(&actor),
        html! {
            h1 { "Nhật ký thay đổi" }
            form.filters method="get" action="/audit" {
                input type="search" name="username" placeholder="Tên đăng nhập" value=(q.username.clone().unwrap_or_default());
                select name="entity" aria-label="Loại đối tượng" { option value="" { "Mọi đối tượng" }
                    @for (k, l) in ENTITIES { option value=(k) selected[entity == *k] { (l) } } }
                @if !units.is_empty() {
                    select name="unit" aria-label="Đơn vị của người thực hiện" { option value="" { "Mọi đơn vị" }
                        @for u in &units { option value=(u.id) selected[q.unit.as_deref() == Some(u.id.to_string().as_str())] { (u.name) } } }
                }
                label.inline { "Từ ngày " (super::date_input("from", &q.from.clone().unwrap_or_default(), false)) }
                label.inline { "đến ngày " (super::date_input("to", &q.to.clone().unwrap_or_default(), false)) }
                button type="submit" { "Lọc" }
            }
            @if rows.is_empty() { (empty("Không có thay đổi nào phù hợp.")) } @else {
                table.grid.audit.stack { thead { tr { th { "Thời điểm" } th { "Người thực hiện" } th { "Thao tác" } th { "Đối tượng" } th { "Trước" } th { "Sau" } } }
                    tbody { @for r in &rows { tr {
                        td data-label="Thời điểm" { (show_instant(&r.at)) }
                        td data-label="Người thực hiện" { (r.username) }
                        td data-label="Thao tác" { (action_label(&r.action)) }
                        td data-label="Đối tượng" { (entity_label(&r.entity)) @if let Some(i) = r.entity_id { " " a href={"/audit?entity=" (r.entity) "&entity_id=" (i)} { "#" (i) } } }
                        td data-label="Trước" { (readable(&r.before_json)) }
                        td data-label="Sau" { (readable(&r.after_json)) }
                    } } } }
            }
            (pager(&base, page_no, ((total + 49) / 50).max(1), total))
        },
    ))
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
                            details { summary { "Đổi vai trò, đơn vị" }
                                form method="post" action={"/users/" (u.id) "/role"} { (csrf_field(&actor))
                                    select name="role" aria-label="Vai trò" { @for r in roles { option value=(r.as_str()) selected[u.role == r.as_str()] { (r.label()) } } }
                                    select name="unit_id" aria-label="Đơn vị" { @for un in &units { option value=(un.id) selected[u.unit_id == Some(un.id)] { (un.name) } } }
                                    button type="submit" { "Lưu" } } }
                            details { summary { "Đặt lại mật khẩu" }
                                form method="post" action={"/users/" (u.id) "/password"} { (csrf_field(&actor))
                                    input type="password" name="password" minlength="8" required placeholder="Mật khẩu mới (≥ 8 ký tự)";
                                    button type="submit" { "Lưu" } } }
                        } }
                    } } } }
            }
            (pager(&base, list.page, list.pages(), list.total))
            h2 { "Tạo tài khoản cho nhiều đơn vị" }
            form.card method="post" action="/users/bulk" enctype="multipart/form-data" { (csrf_field(&actor))
                p.hint { "Mỗi dòng một tài khoản: mã đơn vị, họ tên, tên đăng nhập (để trống: canbo.<mã đơn vị>), thư điện tử, điện thoại. Dòng tiêu đề được bỏ qua. Mọi dòng được kiểm tra trước: có dòng sai thì không tạo tài khoản nào." }
                label { "Dán danh sách (CSV)" textarea name="csv" rows="6" placeholder="75.STP,Nguyễn Văn An,,an@stp.dongnai.gov.vn,0912345678" {} }
                label { "hoặc tải tệp CSV" input type="file" name="file" accept=".csv,text/csv,text/plain"; }
                label { "Vai trò" select name="role" { option value="officer" { "Cán bộ đơn vị" } option value="leader" { "Lãnh đạo (chỉ xem)" } } }
                button type="submit" { "Tạo các tài khoản" }
            }
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

async fn user_active(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    F(a): F<super::ActiveForm>,
) -> AppResult<Redirect> {
    crate::auth::repo::set_active(&st.db, &actor, id, a.active == "1").await?;
    Ok(Redirect::to("/users"))
}
