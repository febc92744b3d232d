//! Units, groups and steering bodies: the province's registry.

use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::dashboards::DashQuery;
use super::{csrf_field, empty, page, pager, qs, F, P, Q};
use crate::api::org as actions;
use crate::auth::{policy, Actor};
use crate::error::AppResult;
use crate::http::AppState;
use crate::store::{show_date, Db};
use crate::{bodies, directives, org};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(units_page).post(actions::unit_create))
        .route("/units/new", get(unit_new))
        .route("/units/{id}", get(unit_page).post(actions::unit_update))
        .route("/units/{id}/successors", post(actions::unit_successor))
        .route("/groups", post(actions::group_create))
        .route("/groups/{id}", get(group_page).post(group_update))
        .route("/bodies", get(bodies_page).post(actions::body_create))
        .route("/bodies/{id}", get(body_page).post(actions::body_update))
        .route("/bodies/{id}/members", post(actions::member_add))
        .route(
            "/bodies/{id}/members/{member}/delete",
            post(actions::member_remove),
        )
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
                        input type="hidden" name="province_code" value=(province);
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
        select name=(name) multiple size="8" data-picker {
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

async fn group_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    F(u): F<org::GroupUpdate>,
) -> AppResult<Redirect> {
    let g = org::get_group(&st.db, id).await?;
    // a form sends no member when none is selected: a custom group's list is then empty
    let members = g
        .member_kind
        .is_none()
        .then(|| u.members.unwrap_or_default());
    org::update_group(&st.db, &actor, id, &u.name, members.as_deref()).await?;
    Ok(Redirect::to(&format!("/groups/{id}")))
}
