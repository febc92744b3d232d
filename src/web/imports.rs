//! Importing a directive from a document: upload or paste → review (source beside the
//! proposed directive and tasks, every field editable, uncertain ones flagged) → publish.
//! Nothing is written before "Xuất bản"; a rejected publish shows the review again with
//! the reviewer's edits and the reasons.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::{csrf_field, page, FormPairs};
use crate::auth::{policy, Actor};
use crate::deadline::{Deadline, DeadlineKind};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::AppState;
use crate::import::publish::{self, Reviewed, ReviewedTask};
use crate::import::units::{Registry, UnitRef};
use crate::import::{self, source};
use crate::org;
use crate::{bodies, directives};

/// Uploads up to the importer's limit, plus the form around them; larger bodies are cut
/// off by the server and reported as too large.
const BODY_LIMIT: usize = source::MAX_BYTES + 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/directives/import",
            get(import_form)
                .post(import_read)
                .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/directives/import/publish",
            post(import_publish).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT)),
        )
}

async fn import_form(State(st): State<AppState>, actor: Actor) -> AppResult<Html<String>> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let bodies = bodies::list_bodies(&st.db, &province).await?;
    Ok(page(
        "Nhập văn bản từ tệp",
        Some(&actor),
        upload_form(&actor, &bodies, None),
    ))
}

fn upload_form(actor: &Actor, bodies: &[bodies::Body], error: Option<&str>) -> Markup {
    html! {
        h1 { "Nhập văn bản từ tệp" }
        p.hint { "Tải lên kế hoạch, thông báo kết luận, công văn (.docx, .pdf có lớp chữ, .txt) hoặc dán nội dung. "
            "steerco đọc số hiệu, ngày, cơ quan ban hành và đề xuất các nhiệm vụ; bạn kiểm tra, sửa rồi mới xuất bản. "
            "Chưa có gì được lưu cho đến khi bấm «Xuất bản»." }
        @if let Some(e) = error { p.flash.err role="alert" { (e) } }
        form.card method="post" action="/directives/import" enctype="multipart/form-data" {
            (csrf_field(actor))
            label { "Tệp văn bản (tối đa 10 MB)" input type="file" name="file" accept=".docx,.pdf,.txt,.md,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"; }
            label { "hoặc dán nội dung" textarea name="text" rows="12" placeholder="Dán toàn văn kế hoạch, thông báo, công văn…" {} }
            label { "Thuộc Ban/Tổ" select name="body_id" { option value="" { "—" }
                @for b in bodies { option value=(b.id) { (b.name) } } } }
            button type="submit" { "Phân tích văn bản" }
        }
    }
}

/// The upload, read as multipart: the file (or pasted text), the body, the CSRF token.
async fn import_read(
    State(st): State<AppState>,
    actor: Actor,
    mut mp: Multipart,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let too_large = source::ImportError::TooLarge(BODY_LIMIT as f64 / 1048576.0).to_string();
    let bad = |e| super::multipart_error(e, ("file", &too_large));
    let (mut file, mut text, mut body_id) = (Vec::new(), String::new(), None);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "file" => file = field.bytes().await.map_err(bad)?.to_vec(),
            "text" => text = field.text().await.map_err(bad)?,
            "body_id" => body_id = field.text().await.map_err(bad)?.trim().parse().ok(),
            _ => {}
        }
    }
    let bytes = if !file.is_empty() {
        file
    } else {
        text.into_bytes()
    };
    let bodies = bodies::list_bodies(&st.db, &province).await?;
    let reg = publish::registry_for(&st.db, &province).await?;
    let x = match import::read_for_province(bytes, reg.clone()).await {
        Ok(x) => x,
        Err(e) => {
            let body = upload_form(&actor, &bodies, Some(&e.to_string()));
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Nhập văn bản từ tệp", Some(&actor), body),
            )
                .into_response());
        }
    };
    let review = publish::review_of(&x, &province, body_id);
    let published = review.published_before(&st.db).await?;
    Ok(page(
        "Kiểm tra văn bản nhập",
        Some(&actor),
        review_page(
            &actor,
            &review,
            &reg,
            &bodies,
            &[],
            published.as_ref(),
            st.clock.today_vn(),
        ),
    )
    .into_response())
}

/// Reads the review form back: the directive's fields and `t{i}.…` for each task.
fn reviewed_from(f: &FormPairs, province: &str) -> AppResult<Reviewed> {
    let count: usize = f.get("task_count").parse().unwrap_or(0).min(5000);
    let tasks = (0..count)
        .map(|i| {
            let g = |k: &str| f.get(&format!("t{i}.{k}"));
            ReviewedTask {
                include: !g("include").is_empty(),
                ref_: g("ref"),
                title: g("title"),
                lead: g("lead"),
                coordinators: g("coordinators"),
                deadline: g("deadline"),
                product: g("product"),
                unsure: !g("unsure").is_empty(),
            }
        })
        .collect();
    Ok(Reviewed {
        directive: directives::DirectiveInput {
            province_code: province.to_string(),
            parent_id: None,
            ..crate::http::read_form(&f.0)?
        },
        tasks,
        if_published: f.get("if_published"),
    })
}

async fn import_publish(
    State(st): State<AppState>,
    actor: Actor,
    f: FormPairs,
) -> AppResult<Response> {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let review = reviewed_from(&f, &province)?;
    match publish::publish(&st.db, &actor, &review, st.clock.today_vn()).await {
        Ok(id) => Ok(Redirect::to(&format!("/directives/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            // Back to the review with every edit kept and the reasons on top.
            let reg = publish::registry_for(&st.db, &province).await?;
            let bodies = bodies::list_bodies(&st.db, &province).await?;
            let published = review.published_before(&st.db).await?;
            let body = review_page(
                &actor,
                &review,
                &reg,
                &bodies,
                &errors,
                published.as_ref(),
                st.clock.today_vn(),
            );
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Kiểm tra văn bản nhập", Some(&actor), body),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

fn units_view(refs: &[UnitRef]) -> Markup {
    html! {
        @for u in refs {
            @match &u.unit {
                Some(code) => span.chip.ok title=(u.note.clone().unwrap_or_default()) class=[u.note.as_ref().map(|_| "noted")] {
                    (u.name.clone().unwrap_or_default()) " " small { (code) } @if u.note.is_some() { " ⚠" } }
                None => span.chip.unknown title="Chưa xác định được đơn vị" { "? " (u.text) },
            }
        }
    }
}

fn deadline_view(text: &str, reference: chrono::NaiveDate) -> Markup {
    let d = Deadline::parse(text, reference);
    let shown = match (d.kind, d.due, d.recurrence) {
        (DeadlineKind::Recurring, _, Some(r)) => r.label().to_string(),
        (_, Some(due), _) => format!("{} · hạn {}", d.kind.label(), due.format("%d/%m/%Y")),
        _ => d.kind.label().to_string(),
    };
    let vague = d.kind == DeadlineKind::Dependent
        || (d.kind == DeadlineKind::None && !text.trim().is_empty());
    html! { span.chip class=[vague.then_some("unknown")] { (shown) } }
}

fn review_page(
    actor: &Actor,
    r: &Reviewed,
    reg: &Registry,
    bodies: &[bodies::Body],
    errors: &[FieldError],
    published: Option<&publish::Published>,
    today: chrono::NaiveDate,
) -> Markup {
    let d = &r.directive;
    let reference = crate::store::parse_date(&d.issued_on).unwrap_or(today);
    let err_for = |field: &str| -> Vec<&str> {
        errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect()
    };
    // Each task's lead resolved once: for the chips, the field's flag and the count on top.
    let leads: Vec<Vec<UnitRef>> = r.tasks.iter().map(|t| reg.resolve(&t.lead)).collect();
    let flagged = leads
        .iter()
        .zip(&r.tasks)
        .filter(|(_, t)| !t.unsure)
        .filter(|(lead, _)| {
            lead.is_empty() || lead.iter().any(|u| u.unit.is_none() || u.note.is_some())
        })
        .count();
    let unsure = r.tasks.iter().filter(|t| t.unsure).count();
    let sure = r.tasks.len() - unsure;
    html! {
        h1 { "Kiểm tra văn bản nhập" }
        p.hint { "Đã đọc " (sure) " nhiệm vụ. Kiểm tra từng trường, nhất là các ô được đánh dấu "
            span.chip.unknown { "?" } ", rồi bấm «Xuất bản». Chưa có gì được lưu." }
        @if !errors.is_empty() {
            section.error role="alert" { p { "Chưa xuất bản được — vui lòng sửa:" } ul { @for e in errors { li { (e.message) } } } }
        }
        @if flagged > 0 { p.warn { (flagged) " nhiệm vụ có đơn vị chủ trì cần kiểm tra." } }
        @if unsure > 0 { p.warn { (unsure) " đoạn văn có vẻ giao việc nhưng chưa đọc được thành nhiệm vụ: chúng ở cuối danh sách, chưa được chọn — chọn đoạn nào đúng là nhiệm vụ và điền đơn vị chủ trì." } }
        div.review {
            section.source { h2 { "Văn bản gốc" } div.pre { (d.body_text) } }
            form.card.proposed method="post" action="/directives/import/publish" {
                (csrf_field(actor))
                @if let Some(p) = published {
                    // the same document published before: never doubled silently
                    fieldset.published role="alert" { legend { "Văn bản này đã được xuất bản" }
                        p { "Văn bản " a href={"/directives/" (p.id)} { (p.number) } " ngày " (crate::store::show_date(&p.issued_on)) " đã có trên hệ thống với " (p.tasks) " nhiệm vụ (" (p.summary) ")." }
                        label { input type="radio" name="if_published" value="update" checked[r.if_published != "new"]; " Cập nhật vào văn bản đã có: chỉ thêm các nhiệm vụ chưa có" }
                        label { input type="radio" name="if_published" value="new" checked[r.if_published == "new"]; " Vẫn tạo một văn bản mới" }
                        @for m in err_for("if_published") { small.warn { (m) } }
                    }
                }
                textarea name="body_text" hidden { (d.body_text) }
                h2 { "Văn bản" }
                label { "Loại văn bản" select name="kind" { @for (k, l, _) in directives::KINDS { option value=(k) selected[d.kind == *k] { (l) } } } }
                label { "Số, ký hiệu" input name="number" required value=(d.number) class=[d.number.is_empty().then_some("flag")]; }
                @for m in err_for("number") { small.warn { (m) } }
                label class=[d.issued_on.is_empty().then_some("flag")] { "Ngày ban hành" (super::date_input("issued_on", &d.issued_on, true)) }
                @for m in err_for("issued_on") { small.warn { (m) } }
                label { "Cơ quan ban hành" input name="issuer" required value=(d.issuer) class=[d.issuer.is_empty().then_some("flag")]; }
                label { "Người ký" input name="signer" value=(d.signer); }
                label { "Thuộc Ban/Tổ" select name="body_id" { option value="" { "—" }
                    @for b in bodies { option value=(b.id) selected[d.body_id == Some(b.id)] { (b.name) } } } }
                label { "Trích yếu" textarea name="summary" required rows="2" class=[d.summary.is_empty().then_some("flag")] { (d.summary) } }
                @for m in err_for("summary") { small.warn { (m) } }
                h2 { "Nhiệm vụ (" (sure) ")" }
                @if r.tasks.is_empty() { p.empty { "Không tìm thấy nhiệm vụ nào trong văn bản. Có thể xuất bản văn bản rồi thêm nhiệm vụ bằng tay." } }
                input type="hidden" name="task_count" value=(r.tasks.len());
                @for (i, t) in r.tasks.iter().enumerate() {
                    @let errs = err_for(&format!("tasks[{i}]"));
                    @let lead = &leads[i];
                    @let lead_flag = lead.is_empty() || lead.iter().any(|u| u.unit.is_none());
                    // the proposals come after the tasks read
                    @if t.unsure && i == sure {
                        h2 #unassigned { "Đoạn văn có thể là nhiệm vụ (" (unsure) ")" }
                        p.hint { "Các đoạn này có từ giao việc («giao», «chủ trì», «đề nghị», «có trách nhiệm»…) nhưng không đọc được đơn vị hoặc thời hạn. Chưa đoạn nào được chọn." }
                    }
                    fieldset.task.has-error[!errs.is_empty()].unsure[t.unsure] {
                        legend {
                            label.inline { input type="checkbox" name={"t" (i) ".include"} value="1" checked[t.include];
                                @if t.unsure { " Đề xuất chưa chắc chắn " (i + 1 - sure) } @else { " Nhiệm vụ " (i + 1) } }
                            " " input.ref name={"t" (i) ".ref"} value=(t.ref_) size="4" placeholder="STT" aria-label="Số thứ tự";
                            @if t.unsure { input type="hidden" name={"t" (i) ".unsure"} value="1"; }
                        }
                        @for m in &errs { p.warn { (m) } }
                        label { "Tên nhiệm vụ" textarea name={"t" (i) ".title"} rows="2" { (t.title) } }
                        label { "Đơn vị chủ trì " (units_view(lead))
                            input name={"t" (i) ".lead"} value=(t.lead) class=[lead_flag.then_some("flag")] list="unit-names"; }
                        label { "Đơn vị phối hợp " (units_view(&reg.resolve(&t.coordinators)))
                            input name={"t" (i) ".coordinators"} value=(t.coordinators) list="unit-names"; }
                        label { "Thời hạn " (deadline_view(&t.deadline, reference))
                            input name={"t" (i) ".deadline"} value=(t.deadline) placeholder="Thường xuyên; Trước ngày 31/01/2025; Quý II/2025…"; }
                        label { "Sản phẩm" input name={"t" (i) ".product"} value=(t.product); }
                        @let targets = import::targets_in(if t.product.is_empty() { &t.title } else { &t.product });
                        @if !targets.is_empty() {
                            p.hint { "Chỉ tiêu đọc được: "
                                @for x in &targets { span.chip.ok { (x.op.replace(">=", "≥").replace("<=", "≤")) " " (x.value) (x.unit)
                                    @if let Some(m) = x.metric { " · " (m) } } } }
                        }
                    }
                }
                datalist id="unit-names" {
                    @for n in ["Các sở, ban, ngành", "UBND cấp xã", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Khoa học và Công nghệ", "Công an tỉnh"] { option value=(n) {} }
                }
                p.hint { "Đơn vị: ghi tên như trong văn bản (ngăn cách bằng «;») hoặc mã đơn vị, ví dụ «" (reg.province_code) ".SNV; " (reg.province_code) ".XA»." }
                button type="submit" { "Xuất bản văn bản và nhiệm vụ" }
                " " a href="/directives/import" { "Huỷ, nhập văn bản khác" }
            }
        }
    }
}
