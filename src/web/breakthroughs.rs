//! Breakthroughs and emulation: the year's list (the call, its registrations with their quality
//! flags and state, the units that have not registered; a unit's own registrations), a
//! registration's page (targets against what was assigned, the roadmap as tracked tasks, the
//! versions, review), the form, the rank commitments against the league tables, and the year's
//! emulation summary — the leaders' one table. Forms post to the actions in
//! `api::breakthroughs`.

use axum::extract::State;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::{csrf_field, empty, page, work_badge, P, Q};
use crate::api::breakthroughs::{self as actions, YearQuery};
use crate::auth::{policy, Actor};
use crate::breakthroughs::commitments::{Compared, Outcome};
use crate::breakthroughs::consolidation::{self, Line};
use crate::breakthroughs::quality;
use crate::breakthroughs::{self as bt, calls, Breakthrough, Field, State as BState};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::indicators::Catalogue;
use crate::org;
use crate::store::Day;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/breakthroughs", get(list_page).post(actions::register))
        .route("/breakthroughs/new", get(new_page))
        .route("/breakthroughs/calls", post(actions::call_issue))
        .route(
            "/breakthroughs/consolidated.docx",
            get(actions::consolidated_docx),
        )
        .route(
            "/breakthroughs/consolidated.xlsx",
            get(actions::consolidated_xlsx),
        )
        .route(
            "/breakthroughs/{id}",
            get(registration_page).post(actions::update),
        )
        .route("/breakthroughs/{id}/edit", get(edit_page))
        .route("/breakthroughs/{id}/submit", post(actions::submit))
        .route("/breakthroughs/{id}/accept", post(actions::accept))
        .route("/breakthroughs/{id}/return", post(actions::return_))
        .route("/commitments", get(commitments_page).post(actions::commit))
        .route("/emulation", get(emulation_page))
        .route("/emulation.xlsx", get(actions::emulation_xlsx))
}

fn state_badge(s: BState) -> Markup {
    html! { span class={"badge " (s.css())} { (s.label()) } }
}

fn flags_badge(n: usize) -> Markup {
    html! { @if n > 0 { span class="badge st-over" title="Chỉ tiêu không cao hơn chỉ tiêu đã được giao" { (n) " chỉ tiêu chưa đạt yêu cầu" } } }
}

/// The three pages of the year, as tabs.
fn tabs(current: &str, year: i32) -> Markup {
    let t = |href: &str, label: &str| {
        html! { @if href == current { strong { (label) } } @else { a href={(href) "?year=" (year)} { (label) } } }
    };
    html! { p.tabs { (t("/breakthroughs", "Khâu đột phá")) " · " (t("/commitments", "Cam kết thứ hạng")) " · " (t("/emulation", "Tổng hợp thi đua")) } }
}

fn year_picker(action: &str, year: i32, years: &[i64]) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label.inline { "Năm " select name="year" {
                @for y in years { option value=(y) selected[*y == year as i64] { (y) } } } }
            button type="submit" { "Xem" }
        }
    }
}

async fn years_of(st: &AppState, province: &str, year: i32) -> AppResult<Vec<i64>> {
    let mut y = calls::years(&st.db, province).await?;
    let now = chrono::Datelike::year(&st.clock.today_vn()) as i64;
    for x in [now, year as i64] {
        if !y.contains(&x) {
            y.push(x);
        }
    }
    y.sort_unstable_by(|a, b| b.cmp(a));
    Ok(y)
}

fn lines_table(lines: &[&Line]) -> Markup {
    html! {
        table.grid.stack { thead { tr { th { "Đơn vị" } th { "Lĩnh vực" } th { "Khâu đột phá" } th { "Chất lượng" } th { "Tình trạng" } } }
            tbody { @for l in lines { tr {
                td data-label="Đơn vị" { (l.b.owner()) }
                td data-label="Lĩnh vực" { (l.b.field().label()) }
                td data-label="Khâu đột phá" { a href={"/breakthroughs/" (l.b.id)} { (l.b.title) } @if l.b.version > 1 { " " small.muted { "(bản " (l.b.version) ")" } } }
                td data-label="Chất lượng" { @if l.flagged > 0 { (flags_badge(l.flagged)) } @else { span.muted { "Không có cảnh báo" } } }
                td data-label="Tình trạng" { (state_badge(l.b.state()))
                    @if l.b.state() == BState::Accepted { " " span class={"badge " (l.progress.css())} { (l.progress.label()) } } }
            } } } }
    }
}

async fn list_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Html<String>> {
    let year = q.year(&st);
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::read_province(&actor, &province)?;
    let today = st.clock.today_vn();
    let call = calls::of_year(&st.db, &province, year).await?;
    let years = years_of(&st, &province, year).await?;
    let reviews = policy::review_breakthroughs(&actor, &province).is_ok();
    let standing = bt::is_standing_agency(&st.db, actor.unit_id).await?;
    let may_propose = reviews || (standing && actor.role == policy::Role::Officer);
    let officer = policy::own_unit_only(&actor);
    let body = match call {
        None => html! {
            (empty(&format!("Chưa có đợt đăng ký khâu đột phá năm {year}. Khi UBND tỉnh ban hành công văn đề nghị đăng ký, cơ quan thường trực ghi nhận công văn tại đây: các đơn vị được nhắc đăng ký, bản đăng ký được đối chiếu với chỉ tiêu đã giao.")))
            @if reviews { (call_form(&actor, year, today)) }
        },
        Some(call) => {
            let c = consolidation::consolidate(&st.db, call, today).await?;
            let mine: Vec<&Line> = c
                .lines
                .iter()
                .filter(|l| !l.b.is_province_own() && officer && l.b.unit_id == actor.unit_id)
                .collect();
            let own: Vec<&Line> = c.lines.iter().filter(|l| l.b.is_province_own()).collect();
            let units: Vec<&Line> = c.lines.iter().filter(|l| !l.b.is_province_own()).collect();
            let named_me = actor
                .unit_id
                .is_some_and(|u| c.named.iter().any(|n| n.id == u));
            html! {
                dl.facts {
                    dt { "Văn bản" } dd { "Công văn số " (c.call.number) " ngày " (c.call.issued_on.show()) " — " (c.call.summary) " "
                        a href={"/directives/" (c.call.directive_id)} { "Xem văn bản và nhiệm vụ »" } }
                    dt { "Hạn đăng ký" } dd { (c.call.due_on.show())
                        @let left = (c.call.due_on.date() - today).num_days();
                        @if left >= 0 { " " small.muted { "(còn " (left) " ngày)" } } @else { " " small.muted { "(đã quá hạn " (-left) " ngày)" } } }
                    dt { "Đơn vị phải đăng ký" } dd { (c.named.len()) }
                }
                @if officer {
                    h2 { "Khâu đột phá của đơn vị" }
                    @if mine.is_empty() {
                        (empty(if named_me { "Đơn vị chưa đăng ký khâu đột phá. Chỉ tiêu, tiêu chí phải cao hơn hoặc có tính mới so với chỉ tiêu đã được giao; kèm giải pháp, lộ trình và sản phẩm." } else { "Đơn vị chưa đăng ký khâu đột phá." }))
                    } @else { (lines_table(&mine)) }
                    p { a.button href={"/breakthroughs/new?year=" (year)} { "+ Đăng ký khâu đột phá" } }
                } @else {
                    p.docs {
                        @if reviews { a.button href={"/breakthroughs/new?year=" (year)} { "+ Đăng ký thay đơn vị" } " " }
                        a href={"/breakthroughs/consolidated.docx?year=" (year)} { "Báo cáo tổng hợp (.docx)" } " · "
                        a href={"/breakthroughs/consolidated.xlsx?year=" (year)} { "Bảng tổng hợp (.xlsx)" }
                    }
                    div.tiles {
                        div.tile.headline { div.n { (c.named.len()) } div.l { "phải đăng ký" } }
                        div.tile.st-prog { div.n { (c.count(BState::Submitted)) } div.l { "chờ xem xét" } }
                        div.tile.st-ok { div.n { (c.count(BState::Accepted)) } div.l { "đã chấp thuận" } }
                        div.tile.st-late { div.n { (c.count(BState::Returned)) } div.l { "đã trả lại" } }
                        div.tile.st-over { div.n { (c.missing.len()) } div.l { "chưa gửi" } }
                        div.tile.st-over { div.n { (c.flagged()) } div.l { "có chỉ tiêu chưa đạt yêu cầu" } }
                    }
                }
                h2 { "Khâu đột phá của tỉnh" }
                @if own.is_empty() { (empty("Các cơ quan thường trực chưa đề xuất khâu đột phá của tỉnh.")) } @else { (lines_table(&own)) }
                @if may_propose { p { a.button.secondary href={"/breakthroughs/new?own=1&year=" (year)} { "+ Đề xuất khâu đột phá của tỉnh" } } }
                @if !officer {
                    h2 { "Khâu đột phá của các cơ quan, đơn vị" }
                    @if units.is_empty() { (empty("Chưa có đơn vị nào đăng ký.")) } @else { (lines_table(&units)) }
                    h2 { "Đơn vị chưa gửi đăng ký (" (c.missing.len()) ")" }
                    @if c.missing.is_empty() { p { "Tất cả các đơn vị đã gửi." } } @else {
                        details { summary { "Xem danh sách" }
                            ul.cols { @for u in &c.missing { li { (u.name) } } } }
                    }
                }
            }
        }
    };
    Ok(page(
        "Khâu đột phá",
        Some(&actor),
        html! {
            h1 { "Khâu đột phá năm " (year) }
            (tabs("/breakthroughs", year))
            (year_picker("/breakthroughs", year, &years))
            (body)
        },
    ))
}

fn call_form(actor: &Actor, year: i32, today: chrono::NaiveDate) -> Markup {
    html! {
        form.card method="post" action="/breakthroughs/calls" { (csrf_field(actor))
            h2 { "Ghi nhận công văn đề nghị đăng ký khâu đột phá" }
            input type="hidden" name="year" value=(year);
            label { "Số, ký hiệu" input name="number" required placeholder="867/UBND-SNV"; }
            label { "Ngày ban hành" input type="date" name="issued_on" required value=(Day(today).iso()) max=(Day(today).iso()); }
            label { "Hạn gửi đăng ký" input type="date" name="due_on" required; }
            label { "Trích yếu (để trống: tự đặt)" input name="summary" placeholder=(calls::default_summary(year)); }
            fieldset { legend { "Đơn vị phải đăng ký" }
                label.inline { input type="checkbox" name="kinds" value="department" checked; " Sở, ban, ngành" }
                label.inline { input type="checkbox" name="kinds" value="commune" checked; " UBND cấp xã, phường" } }
            button type="submit" { "Ghi nhận và nhắc các đơn vị đăng ký" }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    year: Option<i32>,
    own: Option<String>,
}

async fn new_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<NewQuery>,
) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&st.clock.today_vn()));
    let call = calls::of_year(&st.db, &province, year)
        .await?
        .ok_or(AppError::NotFound("đợt đăng ký khâu đột phá của năm"))?;
    let own = q.own.is_some_and(|o| !o.is_empty());
    let reviews = policy::review_breakthroughs(&actor, &province).is_ok();
    let standing = bt::is_standing_agency(&st.db, actor.unit_id).await?;
    // who may open the form is who may register: the same rule the registration checks
    let scope = policy::BreakthroughScope {
        province_code: &province,
        unit_id: (!own).then_some(actor.unit_id).flatten(),
        proposer_unit_id: own.then_some(actor.unit_id).flatten(),
    };
    if !reviews {
        policy::register_breakthrough(&actor, &scope, standing)?;
    }
    let units = if reviews {
        org::province_units(&st.db, &province).await?
    } else {
        vec![]
    };
    let standing_units: Vec<&org::Unit> = if reviews && own {
        let bodies = crate::bodies::list_bodies(&st.db, &province).await?;
        units
            .iter()
            .filter(|u| bodies.iter().any(|b| b.standing_unit_id == Some(u.id)))
            .collect()
    } else {
        vec![]
    };
    let title = if own {
        "Đề xuất khâu đột phá của tỉnh"
    } else {
        "Đăng ký khâu đột phá"
    };
    Ok(page(
        title,
        Some(&actor),
        html! {
            p { a href={"/breakthroughs?year=" (year)} { "« Khâu đột phá năm " (year) } }
            h1 { (title) " năm " (year) }
            p.hint { "Theo Công văn số " (call.number) ": khâu đột phá phải thực chất, giải quyết tốt hơn các nhiệm vụ được giao; chỉ tiêu, tiêu chí phải cao hơn hoặc có tính mới so với chỉ tiêu UBND tỉnh đã giao; kèm giải pháp, lộ trình thời gian thực hiện và dự kiến sản phẩm. Hạn gửi: " (call.due_on.show()) "." }
            form.card method="post" action="/breakthroughs" { (csrf_field(&actor))
                input type="hidden" name="call_id" value=(call.id);
                @if own {
                    input type="hidden" name="province_own" value="true";
                    @if reviews {
                        label { "Cơ quan thường trực đề xuất" select name="proposer_unit_id" required {
                            @for u in &standing_units { option value=(u.id) { (u.name) } } } }
                    }
                } @else if reviews {
                    label { "Đơn vị đăng ký" select name="unit_id" required {
                        @for u in units.iter().filter(|u| u.kind != "province") { option value=(u.id) { (u.name) } } } }
                }
                (content_fields(None, year))
                button type="submit" { "Lưu bản đăng ký (chưa gửi)" }
            }
        },
    ))
}

/// The registration's fields, filled from `b` when editing; a few empty rows for more targets
/// and milestones.
fn content_fields(b: Option<&Breakthrough>, year: i32) -> Markup {
    let cat = Catalogue::national();
    let targets = b.map(|b| b.targets()).unwrap_or_default();
    let milestones = b.map(|b| b.milestones()).unwrap_or_default();
    let target_rows = targets.len() + 3;
    let milestone_rows = milestones.len() + 4;
    let (first, last) = (format!("{year}-01-01"), format!("{year}-12-31"));
    html! {
        @if let Some(b) = b { input type="hidden" name="field" value=(b.field); p { "Lĩnh vực: " strong { (b.field().label()) } } }
        @else {
            label { "Lĩnh vực" select name="field" required {
                @for f in Field::ALL { option value=(f.as_str()) { (f.label()) } } } }
        }
        label { "Tên khâu đột phá" input name="title" required maxlength="500" value=(b.map(|b| b.title.as_str()).unwrap_or("")); }
        label { "Vì sao là khâu đột phá (thực chất, cao hơn hoặc mới so với nhiệm vụ được giao)"
            textarea name="rationale" rows="3" required { (b.map(|b| b.rationale.as_str()).unwrap_or("")) } }
        fieldset { legend { "Tiêu chí, chỉ tiêu" }
            p.hint { "Gắn với một chỉ số trong danh mục khi phù hợp và nêu giá trị phấn đấu (%): hệ thống đối chiếu với chỉ tiêu đơn vị đã được giao năm " (year) "." }
            table.grid.stack { thead { tr { th { "Tiêu chí, chỉ tiêu" } th { "Chỉ số (nếu có)" } th { "Giá trị phấn đấu (%)" } } }
                tbody { @for i in 0..target_rows {
                    @let t = targets.get(i);
                    tr {
                        td data-label="Tiêu chí" { input name="target_criterion" aria-label="Tiêu chí, chỉ tiêu" value=(t.map(|t| t.criterion.as_str()).unwrap_or("")); }
                        td data-label="Chỉ số" { select name="target_indicator" aria-label="Chỉ số" { option value="" { "— Không gắn chỉ số" }
                            @for ind in &cat.indicators { option value=(ind.code) selected[t.is_some_and(|t| t.indicator == ind.code)] { (ind.name) } } } }
                        td data-label="Giá trị" { input name="target_value" inputmode="decimal" aria-label="Giá trị phấn đấu" value=(t.and_then(|t| t.target).map(|v| v.to_string()).unwrap_or_default()); }
                    }
                } } }
        }
        label { "Giải pháp thực hiện" textarea name="solutions" rows="3" { (b.map(|b| b.solutions.as_str()).unwrap_or("")) } }
        fieldset { legend { "Lộ trình thực hiện" }
            p.hint { "Mỗi mốc có thời hạn trong năm " (year) "; khi được chấp thuận, mỗi mốc thành một nhiệm vụ của đơn vị, được theo dõi, nhắc việc và báo cáo như mọi nhiệm vụ." }
            table.grid.stack { thead { tr { th { "Nội dung công việc" } th { "Thời hạn" } th { "Sản phẩm" } } }
                tbody { @for i in 0..milestone_rows {
                    @let m = milestones.get(i);
                    tr {
                        td data-label="Công việc" { input name="milestone_title" aria-label="Nội dung công việc" value=(m.map(|m| m.title.as_str()).unwrap_or("")); }
                        td data-label="Thời hạn" { input type="date" name="milestone_due" aria-label="Thời hạn" min=(first) max=(last) value=(m.map(|m| m.due_on.as_str()).unwrap_or("")); }
                        td data-label="Sản phẩm" { input name="milestone_product" aria-label="Sản phẩm" value=(m.map(|m| m.product.as_str()).unwrap_or("")); }
                    }
                } } }
        }
        label { "Dự kiến sản phẩm đạt được" textarea name="products" rows="2" { (b.map(|b| b.products.as_str()).unwrap_or("")) } }
        label { "Lãnh đạo chịu trách nhiệm" input name="leader" required placeholder="Giám đốc Sở …" value=(b.map(|b| b.leader.as_str()).unwrap_or("")); }
    }
}

async fn edit_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let b = bt::read(&st.db, &actor, id).await?;
    policy::register_breakthrough(
        &actor,
        &b.scope(),
        bt::is_standing_agency(&st.db, actor.unit_id).await?,
    )?;
    if !matches!(b.state(), BState::Draft | BState::Returned) {
        return Err(AppError::Conflict(format!(
            "Bản đăng ký không sửa được: {}.",
            b.state().label().to_lowercase()
        )));
    }
    Ok(page(
        "Sửa bản đăng ký",
        Some(&actor),
        html! {
            p { a href={"/breakthroughs/" (id)} { "« " (b.title) } }
            h1 { "Sửa bản đăng ký — " (b.owner()) }
            @if b.state() == BState::Returned {
                p.alert { "Bản " (b.version) " đã bị trả lại: " (b.reason) ". Lưu để tạo bản " (b.version + 1) ", rồi gửi lại." }
            }
            form.card method="post" action={"/breakthroughs/" (id)} { (csrf_field(&actor))
                (content_fields(Some(&b), b.year as i32))
                button type="submit" { "Lưu" }
            }
        },
    ))
}

async fn registration_page(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Html<String>> {
    let b = bt::read(&st.db, &actor, id).await?;
    let today = st.clock.today_vn();
    let versions = bt::versions(&st.db, id).await?;
    let can_write = policy::register_breakthrough(
        &actor,
        &b.scope(),
        bt::is_standing_agency(&st.db, actor.unit_id).await?,
    )
    .is_ok();
    let reviews = policy::review_breakthroughs(&actor, &b.province_code).is_ok();
    let year = b.year;
    let province = b.province_code.clone();
    let l = consolidation::lines(&st.db, &province, year as i32, vec![b], today)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("khâu đột phá"))?;
    let b = &l.b;
    let cat = Catalogue::national();
    Ok(page(
        &b.title,
        Some(&actor),
        html! {
            p { a href={"/breakthroughs?year=" (year)} { "« Khâu đột phá năm " (year) } }
            h1 { (b.title) " " (state_badge(b.state())) }
            dl.facts {
                dt { "Đơn vị" } dd { (b.owner()) }
                dt { "Lĩnh vực" } dd { (b.field().label()) }
                dt { "Lãnh đạo chịu trách nhiệm" } dd { (b.leader) }
                dt { "Phiên bản" } dd { (b.version) }
                @if !b.decision_ref.is_empty() { dt { "Quyết định" } dd { (b.decision_ref) } }
                @if b.state() == BState::Accepted { dt { "Tiến độ" } dd { span class={"badge " (l.progress.css())} { (l.progress.label()) } } }
            }
            @if b.state() == BState::Returned { p.alert { "Trả lại để hoàn thiện: " (b.reason) } }
            @if can_write && matches!(b.state(), BState::Draft | BState::Returned) {
                section.card.actions {
                    a.button.secondary href={"/breakthroughs/" (b.id) "/edit"} { "Sửa bản đăng ký" } " "
                    @if b.state() == BState::Draft {
                        form.inline method="post" action={"/breakthroughs/" (b.id) "/submit"} { (csrf_field(&actor))
                            button type="submit" { "Gửi cơ quan thường trực" } }
                    }
                }
            }
            @if reviews && b.state() == BState::Submitted {
                section.card.actions {
                    h2 { "Xem xét bản đăng ký" }
                    @if l.flagged > 0 { p.alert { (flags_badge(l.flagged)) " — cân nhắc trả lại để đơn vị nâng chỉ tiêu." } }
                    form method="post" action={"/breakthroughs/" (b.id) "/accept"} { (csrf_field(&actor))
                        @if b.is_province_own() { label { "Quyết định của Ban Chỉ đạo" input name="decision_ref" required placeholder="Kết luận tại phiên họp ngày …"; } }
                        button type="submit" { "Chấp thuận (các mốc thành nhiệm vụ được theo dõi)" } }
                    form method="post" action={"/breakthroughs/" (b.id) "/return"} { (csrf_field(&actor))
                        label { "Lý do trả lại" textarea name="reason" rows="2" required {} }
                        button.secondary type="submit" { "Trả lại để hoàn thiện" } }
                }
            }
            h2 { "Vì sao là khâu đột phá" }
            p.pre { (b.rationale) }
            h2 { "Tiêu chí, chỉ tiêu" }
            table.grid.stack { thead { tr { th { "Tiêu chí, chỉ tiêu" } th { "Chỉ số" } th { "Phấn đấu" } th { "Hiện đạt (năm " (year) ")" } th { "Đối chiếu chỉ tiêu được giao" } } }
                tbody { @for ((t, v), now) in b.targets().iter().zip(&l.verdicts).zip(&l.values) { tr {
                    td data-label="Tiêu chí" { (t.criterion) }
                    td data-label="Chỉ số" { (cat.indicator(&t.indicator).map(|i| i.name.as_str()).unwrap_or("—")) }
                    td data-label="Phấn đấu" { (t.target.map(quality::pct).unwrap_or_default()) }
                    td data-label="Hiện đạt" { @if t.indicator.is_empty() { "—" } @else { (now.map(quality::pct).unwrap_or_else(|| "Chưa có số liệu".into())) } }
                    td data-label="Đối chiếu" { span class={"badge " (v.css())} { (v.label()) } }
                } } } }
            @if !b.solutions.is_empty() { h2 { "Giải pháp" } p.pre { (b.solutions) } }
            h2 { "Lộ trình" }
            @if l.milestones.is_empty() {
                table.grid.stack { thead { tr { th { "Thời hạn" } th { "Nội dung công việc" } th { "Sản phẩm" } } }
                    tbody { @for m in b.milestones() { tr {
                        td data-label="Thời hạn" { (crate::store::show_date(&m.due_on)) }
                        td data-label="Công việc" { (m.title) }
                        td data-label="Sản phẩm" { (m.product) }
                    } } } }
                @if b.state() != BState::Accepted { p.hint { "Khi được chấp thuận, mỗi mốc thành một nhiệm vụ của đơn vị." } }
            } @else {
                table.grid.stack { thead { tr { th { "Thời hạn" } th { "Nội dung công việc" } th { "Sản phẩm" } th { "Tiến độ" } th { "Tình trạng" } } }
                    tbody { @for m in &l.milestones { tr {
                        td data-label="Thời hạn" { (m.due_on.show()) }
                        td data-label="Công việc" { @if let Some(t) = m.task_id { a href={"/tasks/" (t)} { (m.title) } } @else { (m.title) } }
                        td data-label="Sản phẩm" { (m.product) }
                        td data-label="Tiến độ" { (m.percent) " %" }
                        td data-label="Tình trạng" { @if let Some(s) = m.status { (work_badge(s, m.awaiting_confirmation)) } @else { "—" } }
                    } } } }
            }
            @if !b.products.is_empty() { h2 { "Dự kiến sản phẩm" } p.pre { (b.products) } }
            h2 { "Các phiên bản" }
            table.grid.stack { thead { tr { th { "Bản" } th { "Lưu lúc" } th { "Gửi lúc" } th { "Kết quả" } th { "Lý do" } } }
                tbody { @for v in &versions { tr {
                    td data-label="Bản" { (v.version) }
                    td data-label="Lưu lúc" { (crate::store::show_instant(&v.saved_at)) }
                    td data-label="Gửi lúc" { (v.submitted_at.as_deref().map(crate::store::show_instant).unwrap_or_default()) }
                    td data-label="Kết quả" { (match v.decision.as_str() { "accepted" => "Chấp thuận", "returned" => "Trả lại", _ => "" }) }
                    td data-label="Lý do" { (v.reason) }
                } } } }
        },
    ))
}

fn outcome_badge(c: &Compared, final_: bool) -> Markup {
    let extra = match c.by {
        Some(b) if b > 0 && c.outcome == Outcome::Met => format!(" (vượt {b} bậc)"),
        Some(b) if b < 0 => format!(" (kém {} bậc)", -b),
        _ => String::new(),
    };
    html! { span class={"badge " (c.outcome.css())} { (c.outcome.label(final_)) (extra) } }
}

async fn commitments_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Html<String>> {
    let year = q.year(&st);
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::read_province(&actor, &province)?;
    let (mut list, final_) =
        crate::breakthroughs::commitments::compared(&st.db, &province, year, st.clock.today_vn())
            .await?;
    if policy::own_unit_only(&actor) {
        list.retain(|c| Some(c.commitment.unit_id) == actor.unit_id);
    }
    let reviews = policy::review_breakthroughs(&actor, &province).is_ok();
    let mine = actor
        .unit_id
        .filter(|u| policy::commit_rank(&actor, &province, *u).is_ok() && !reviews);
    let units = if reviews {
        org::province_units(&st.db, &province).await?
    } else {
        vec![]
    };
    let years = years_of(&st, &province, year).await?;
    let current = list.iter().find(|c| Some(c.commitment.unit_id) == mine);
    Ok(page(
        "Cam kết thứ hạng",
        Some(&actor),
        html! {
            h1 { "Cam kết thứ hạng chỉ số CCHC năm " (year) }
            (tabs("/commitments", year))
            (year_picker("/commitments", year, &years))
            p.hint { "Thứ hạng thực tế theo Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766) trên số liệu một cửa của năm, so với các đơn vị cùng loại. "
                @if final_ { "Năm đã kết thúc: kết quả là cuối cùng." } @else { "Năm chưa kết thúc: kết quả tạm tính đến nay." } }
            @if mine.is_some() || reviews {
                form.card method="post" action="/commitments" { (csrf_field(&actor))
                    h2 { @if reviews { "Ghi nhận cam kết của đơn vị" } @else { "Cam kết của đơn vị" } }
                    input type="hidden" name="year" value=(year);
                    @if reviews {
                        label { "Đơn vị" select name="unit_id" required {
                            @for u in units.iter().filter(|u| u.kind != "province") { option value=(u.id) { (u.name) } } } }
                    }
                    label { "Thứ hạng phấn đấu" input type="number" name="target_rank" min="1" required value=(current.map(|c| c.commitment.target_rank.to_string()).unwrap_or_default()); }
                    label { "Điểm phấn đấu (tùy chọn, 0–100)" input name="target_score" inputmode="decimal" value=(current.and_then(|c| c.commitment.target_score).map(|s| s.to_string()).unwrap_or_default()); }
                    label { "Ghi chú" input name="note" maxlength="2000" value=(current.map(|c| c.commitment.note.as_str()).unwrap_or("")); }
                    button type="submit" { "Lưu cam kết" }
                }
            }
            @if list.is_empty() { (empty("Chưa có cam kết nào cho năm này.")) } @else {
                table.grid.stack { thead { tr { th { "Đơn vị" } th { "Cam kết" } th { "Hiện tại" } th { "Điểm" } th { "Kết quả" } } }
                    tbody { @for c in &list { tr {
                        td data-label="Đơn vị" { (c.commitment.unit_name) }
                        td data-label="Cam kết" { "Hạng " (c.commitment.target_rank) @if let Some(s) = c.commitment.target_score { ", " (format!("{s:.2}")) " điểm" } }
                        td data-label="Hiện tại" { @if let Some(s) = &c.standing { "Hạng " (s.rank) "/" (s.of) } @else { "—" } }
                        td data-label="Điểm" { @if let Some(s) = &c.standing { (format!("{:.2}", s.score)) } }
                        td data-label="Kết quả" { (outcome_badge(c, final_)) }
                    } } } }
            }
        },
    ))
}

async fn emulation_page(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Html<String>> {
    let year = q.year(&st);
    let s = actions::summary_for(&st, &actor, &q).await?;
    let kind = q.kind.clone().unwrap_or_default();
    let with = |o: Outcome| {
        s.rows
            .iter()
            .filter(|r| r.committed_rank.is_some() && r.outcome == o)
            .count()
    };
    let (met, not_met) = (with(Outcome::Met), with(Outcome::NotMet));
    let registered = s
        .rows
        .iter()
        .filter(|r| !r.breakthroughs.is_empty())
        .count();
    let behind = s
        .rows
        .iter()
        .filter(|r| {
            r.breakthroughs
                .iter()
                .any(|b| b.2 == crate::breakthroughs::tracking::Progress::Behind)
        })
        .count();
    let province = org::province_for(&st.db, &actor, None).await?;
    let years = years_of(&st, &province, year).await?;
    let pct = |c: &crate::breakthroughs::emulation::Counts| {
        c.share()
            .map(|x| format!("{x:.0} %"))
            .unwrap_or_else(|| "—".into())
    };
    Ok(page(
        "Tổng hợp thi đua",
        Some(&actor),
        html! {
            h1 { "Tổng hợp phục vụ bình xét thi đua năm " (year) }
            (tabs("/emulation", year))
            form.filters method="get" action="/emulation" {
                label.inline { "Năm " select name="year" {
                    @for y in &years { option value=(y) selected[*y == year as i64] { (y) } } } }
                label.inline { "Đơn vị " select name="kind" {
                    option value="" { "Tất cả" }
                    option value="department" selected[kind == "department"] { "Sở, ban, ngành" }
                    option value="commune" selected[kind == "commune"] { "UBND cấp xã, phường" } } }
                button type="submit" { "Xem" }
            }
            div.tiles {
                div.tile.st-ok { div.n { (met) } div.l { "đạt cam kết thứ hạng" @if !s.final_ { " (tạm tính)" } } }
                div.tile.st-over { div.n { (not_met) } div.l { "chưa đạt cam kết" } }
                div.tile.headline { div.n { (registered) } div.l { "đơn vị có khâu đột phá" } }
                div.tile.st-late { div.n { (behind) } div.l { "khâu đột phá chậm lộ trình" } }
            }
            p.hint { "Số liệu đến ngày " (s.as_of.show()) @if !s.final_ { " (tạm tính)" } ": nhiệm vụ đến hạn trong năm, báo cáo định kỳ, thứ hạng chỉ số so với cam kết, khâu đột phá. "
                a href={"/emulation.xlsx?year=" (year) "&kind=" (kind)} { "Tải bảng tổng hợp (.xlsx)" } }
            @if s.rows.is_empty() { (empty("Chưa có đơn vị nào.")) } @else {
                table.grid.stack { thead { tr { th { "Đơn vị" } th { "Nhiệm vụ đúng hạn" } th { "Báo cáo đúng hạn" } th { "Thứ hạng / cam kết" } th { "Khâu đột phá" } } }
                    tbody { @for r in &s.rows { tr {
                        td data-label="Đơn vị" { (r.unit_name) }
                        td data-label="Nhiệm vụ đúng hạn" { (pct(&r.tasks)) " " small.muted { "(" (r.tasks.on_time) "/" (r.tasks.due) @if r.tasks.missing > 0 { ", " (r.tasks.missing) " chưa xong" } ")" } }
                        td data-label="Báo cáo đúng hạn" { (pct(&r.reports)) " " small.muted { "(" (r.reports.on_time) "/" (r.reports.due) ")" } }
                        td data-label="Thứ hạng / cam kết" {
                            @if let Some(x) = &r.standing { "Hạng " (x.rank) "/" (x.of) } @else { "Chưa xếp hạng" }
                            @if let Some(c) = r.committed_rank { " · cam kết hạng " (c) " " span class={"badge " (r.outcome.css())} { (r.outcome.label(s.final_)) } }
                        }
                        td data-label="Khâu đột phá" { @if r.breakthroughs.is_empty() { span.muted { "Chưa đăng ký" } }
                            @for (t, st, p) in &r.breakthroughs { div { (t) ": "
                                @if *st == BState::Accepted { span class={"badge " (p.css())} { (p.label()) } } @else { (state_badge(*st)) } } } }
                    } } } }
            }
        },
    ))
}
