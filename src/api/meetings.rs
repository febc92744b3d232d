//! Meetings: their lifecycle, preparation timeline, agenda, participants, conclusions and
//! notice, and their documents. The actions here are the ones the meeting pages post to.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::{ok, R};
use crate::auth::Actor;
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::{Done, In, P, Q};
use crate::meetings::{self, agenda, conclusions, documents, prepare};
use crate::org;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/meetings", get(meetings_list).post(meeting_create))
        .route(
            "/api/v1/meetings/{id}",
            get(meeting_get).put(meeting_update),
        )
        .route("/api/v1/meetings/{id}/convene", post(convene))
        .route("/api/v1/meetings/{id}/postpone", post(postpone))
        .route("/api/v1/meetings/{id}/cancel", post(cancel))
        .route("/api/v1/meetings/{id}/hold", post(hold))
        .route("/api/v1/meetings/{id}/minutes", post(minutes))
        .route("/api/v1/meetings/{id}/close", post(close))
        .route("/api/v1/meetings/{id}/steps", post(step_add))
        .route("/api/v1/meetings/{id}/steps/{step}", post(step_mark))
        .route("/api/v1/meetings/{id}/items", post(item_add))
        .route("/api/v1/meetings/{id}/items/{item}", post(item_notes))
        .route(
            "/api/v1/meetings/{id}/items/{item}/document",
            get(item_document)
                .post(item_document_upload)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/api/v1/meetings/{id}/participants", post(invite))
        .route(
            "/api/v1/meetings/{id}/participants/{participant}",
            post(attendance),
        )
        .route("/api/v1/meetings/{id}/conclusions", post(conclusion_add))
        .route(
            "/api/v1/meetings/{id}/conclusions/read",
            post(conclusions_read).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/api/v1/meetings/{id}/conclusions/{conclusion}/delete",
            post(conclusion_remove),
        )
        .route("/api/v1/meetings/{id}/notice", post(notice_issue))
        .route(
            "/api/v1/meetings/{id}/preparation.docx",
            get(preparation_docx),
        )
        .route(
            "/api/v1/meetings/{id}/invitation.docx",
            get(invitation_docx),
        )
        .route("/api/v1/meetings/{id}/notice.docx", get(notice_docx))
        .route("/api/v1/meetings/{id}/pack.docx", get(pack_docx))
        .route("/api/v1/meetings/{id}/pack.xlsx", get(pack_xlsx))
}

fn page(id: i64) -> String {
    format!("/meetings/{id}")
}

fn changed(id: i64) -> Done {
    Done::ok(json!({"id": id}), page(id))
}

async fn meetings_list(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<meetings::MeetingFilter>,
) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    ok(meetings::list_meetings(&st.db, &actor, &province, &f, st.clock.today_vn()).await?)
}

/// A meeting with everything about it: the pack.
async fn meeting_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let m = meetings::read_meeting(&st.db, &actor, id).await?;
    let events = meetings::events(&st.db, id).await?;
    let pack = documents::pack(&st.db, &st.dashboards, m, st.clock.today_vn()).await?;
    ok(json!({"pack": pack, "events": events}))
}

pub(crate) async fn meeting_create(
    State(st): State<AppState>,
    actor: Actor,
    In(m): In<meetings::MeetingInput>,
) -> AppResult<Done> {
    let id = meetings::create_meeting(&st.db, &actor, &m, st.clock.today_vn()).await?;
    Ok(Done::created(id, page(id)))
}

pub(crate) async fn meeting_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(m): In<meetings::MeetingInput>,
) -> AppResult<Done> {
    meetings::update_meeting(&st.db, &actor, id, &m, st.clock.today_vn()).await?;
    Ok(changed(id))
}

pub(crate) async fn convene(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Done> {
    meetings::convene(&st.db, &actor, id, st.clock.today_vn()).await?;
    Ok(changed(id))
}

pub(crate) async fn postpone(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(c): In<meetings::StateChange>,
) -> AppResult<Done> {
    meetings::postpone(&st.db, &actor, id, &c, st.clock.today_vn()).await?;
    Ok(changed(id))
}

pub(crate) async fn cancel(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(c): In<meetings::StateChange>,
) -> AppResult<Done> {
    meetings::cancel(&st.db, &actor, id, &c).await?;
    Ok(changed(id))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MinutesInput {
    minutes: String,
}

pub(crate) async fn hold(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(x): In<MinutesInput>,
) -> AppResult<Done> {
    meetings::hold(&st.db, &actor, id, &x.minutes, st.clock.today_vn()).await?;
    Ok(changed(id))
}

pub(crate) async fn minutes(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(x): In<MinutesInput>,
) -> AppResult<Done> {
    meetings::save_minutes(&st.db, &actor, id, &x.minutes).await?;
    Ok(changed(id))
}

pub(crate) async fn close(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Done> {
    meetings::close(&st.db, &actor, id).await?;
    Ok(changed(id))
}

pub(crate) async fn step_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(s): In<prepare::StepInput>,
) -> AppResult<Done> {
    let step = prepare::add_step(&st.db, &actor, id, &s).await?;
    Ok(Done::created(step, page(id)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StepMark {
    done: bool,
}

pub(crate) async fn step_mark(
    State(st): State<AppState>,
    actor: Actor,
    P((id, step)): P<(i64, i64)>,
    In(x): In<StepMark>,
) -> AppResult<Done> {
    prepare::mark_step(&st.db, &actor, id, step, x.done, st.clock.today_vn()).await?;
    Ok(changed(id))
}

pub(crate) async fn item_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(i): In<agenda::ItemInput>,
) -> AppResult<Done> {
    let item = agenda::add_item(&st.db, &actor, id, &i).await?;
    Ok(Done::created(item, page(id)))
}

pub(crate) async fn item_notes(
    State(st): State<AppState>,
    actor: Actor,
    P((id, item)): P<(i64, i64)>,
    In(n): In<agenda::NotesInput>,
) -> AppResult<Done> {
    agenda::save_notes(&st.db, &actor, id, item, &n).await?;
    Ok(changed(id))
}

pub(crate) async fn invite(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(i): In<agenda::InviteInput>,
) -> AppResult<Done> {
    let p = agenda::invite(&st.db, &actor, id, &i).await?;
    Ok(Done::created(p, page(id)))
}

pub(crate) async fn attendance(
    State(st): State<AppState>,
    actor: Actor,
    P((id, participant)): P<(i64, i64)>,
    In(a): In<agenda::AttendanceInput>,
) -> AppResult<Done> {
    agenda::record_attendance(&st.db, &actor, id, participant, &a).await?;
    Ok(changed(id))
}

pub(crate) async fn conclusion_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(c): In<conclusions::ConclusionInput>,
) -> AppResult<Done> {
    let c = conclusions::add_conclusion(&st.db, &actor, id, &c).await?;
    Ok(Done::created(c, page(id)))
}

/// A draft notice to read: pasted text (JSON or form `text`), or a file (multipart `file`).
pub(crate) async fn conclusions_read(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    req: axum::extract::Request,
) -> AppResult<Done> {
    use axum::extract::FromRequest;
    let source = if crate::http::is_multipart(&req) {
        let crate::http::Multipart(mp) = crate::http::Multipart::from_request(req, &st).await?;
        file_of(mp).await?.data
    } else {
        In::<conclusions::PastedText>::from_request(req, &st)
            .await?
            .0
            .text
            .into_bytes()
    };
    let n = conclusions::read_conclusions(&st.db, &actor, id, source).await?;
    Ok(Done::ok(json!({"id": id, "added": n}), page(id)))
}

pub(crate) async fn conclusion_remove(
    State(st): State<AppState>,
    actor: Actor,
    P((id, c)): P<(i64, i64)>,
) -> AppResult<Done> {
    conclusions::remove_conclusion(&st.db, &actor, id, c).await?;
    Ok(changed(id))
}

pub(crate) async fn notice_issue(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(n): In<conclusions::NoticeInput>,
) -> AppResult<Done> {
    let d = conclusions::issue_notice(&st.db, &actor, id, &n, st.clock.today_vn()).await?;
    Ok(Done::created(d, page(id)))
}

// ---- documents ----

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A meeting the actor may read — with the pack's figures when `figures` — and its issuer (the
/// province's committee).
async fn pack_and_issuer(
    st: &AppState,
    actor: &Actor,
    id: i64,
    figures: bool,
) -> AppResult<(documents::Pack, crate::documents::Issuer)> {
    let m = meetings::read_meeting(&st.db, actor, id).await?;
    let unit = org::find_unit_by_code(&st.db, &m.province_code)
        .await?
        .ok_or(crate::error::AppError::NotFound("tỉnh"))?;
    let issuer = crate::documents::Issuer::for_unit(&unit, &unit.name);
    let today = st.clock.today_vn();
    let pack = if figures {
        documents::pack(&st.db, &st.dashboards, m, today).await?
    } else {
        documents::meeting(&st.db, m, today).await?
    };
    Ok((pack, issuer))
}

pub(crate) async fn preparation_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (pk, issuer) = pack_and_issuer(&st, &actor, id, false).await?;
    let bytes = documents::preparation_dispatch(&issuer, &pk, st.clock.today_vn());
    Ok(crate::http::download(
        &format!("cong-van-chuan-bi-hop-{id}.docx"),
        DOCX,
        bytes,
    ))
}

pub(crate) async fn invitation_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (pk, issuer) = pack_and_issuer(&st, &actor, id, false).await?;
    let bytes = documents::invitation(&issuer, &pk, st.clock.today_vn());
    Ok(crate::http::download(
        &format!("giay-moi-hop-{id}.docx"),
        DOCX,
        bytes,
    ))
}

pub(crate) async fn notice_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (pk, issuer) = pack_and_issuer(&st, &actor, id, false).await?;
    // the issued notice carries its number and date; a draft leaves them blank
    let (number, date) = match pk.meeting.notice_directive_id {
        Some(d) => {
            let d = crate::directives::get_directive(&st.db, d).await?;
            let date = crate::store::parse_date(&d.issued_on).unwrap_or(st.clock.today_vn());
            (d.number, date)
        }
        None => (String::new(), st.clock.today_vn()),
    };
    let bytes = documents::notice(&issuer, &pk, &number, date);
    Ok(crate::http::download(
        &format!("thong-bao-ket-luan-{id}.docx"),
        DOCX,
        bytes,
    ))
}

pub(crate) async fn pack_docx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (pk, issuer) = pack_and_issuer(&st, &actor, id, true).await?;
    let bytes = documents::pack_docx(&issuer, &pk);
    Ok(crate::http::download(
        &format!("tai-lieu-hop-{id}.docx"),
        DOCX,
        bytes,
    ))
}

pub(crate) async fn pack_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Response> {
    let (pk, _) = pack_and_issuer(&st, &actor, id, true).await?;
    Ok(crate::http::download(
        &format!("tai-lieu-hop-{id}.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        documents::pack_xlsx(&pk),
    ))
}

/// A document and the form around it.
const UPLOAD_LIMIT: usize = crate::tracking::MAX_EVIDENCE_BYTES + 1024 * 1024;

/// The file of a multipart form's `file` field.
async fn file_of(mut mp: axum::extract::Multipart) -> AppResult<crate::tracking::Evidence> {
    let bad = |e| crate::http::multipart_error(e, ("file", "Tệp tài liệu vượt quá 10 MB."));
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("").to_string();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let data = field.bytes().await.map_err(bad)?.to_vec();
            return Ok(crate::tracking::Evidence {
                filename,
                content_type,
                data,
            });
        }
    }
    Err(crate::error::AppError::invalid(
        "file",
        "Chọn tệp tài liệu.",
    ))
}

pub(crate) async fn item_document_upload(
    State(st): State<AppState>,
    actor: Actor,
    P((id, item)): P<(i64, i64)>,
    crate::http::Multipart(mp): crate::http::Multipart,
) -> AppResult<Done> {
    let file = file_of(mp).await?;
    let a = agenda::attach_document(&st.db, &actor, id, item, &file).await?;
    Ok(Done::created(a, page(id)))
}

pub(crate) async fn item_document(
    State(st): State<AppState>,
    actor: Actor,
    P((id, item)): P<(i64, i64)>,
) -> AppResult<Response> {
    let (name, data) = agenda::document_of(&st.db, &actor, id, item).await?;
    Ok(crate::http::attachment_response(&name, data))
}
