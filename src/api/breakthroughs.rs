//! Breakthrough initiatives, rank commitments and the year's emulation summary. The actions
//! here are the ones the pages post to.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::{ok, R};
use crate::auth::{policy, Actor};
use crate::breakthroughs::{
    self as bt, calls, commitments, consolidation, emulation, review, RegistrationInput,
};
use crate::error::{AppError, AppResult};
use crate::http::{AppState, Done, In, P, Q};
use crate::org;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/breakthroughs", get(consolidated).post(register))
        .route("/api/v1/breakthrough-calls", post(call_issue))
        .route(
            "/api/v1/breakthroughs/consolidated.docx",
            get(consolidated_docx),
        )
        .route(
            "/api/v1/breakthroughs/consolidated.xlsx",
            get(consolidated_xlsx),
        )
        .route("/api/v1/breakthroughs/{id}", get(registration).put(update))
        .route("/api/v1/breakthroughs/{id}/submit", post(submit))
        .route("/api/v1/breakthroughs/{id}/accept", post(accept))
        .route("/api/v1/breakthroughs/{id}/return", post(return_))
        .route(
            "/api/v1/rank-commitments",
            get(commitments_list).post(commit),
        )
        .route("/api/v1/emulation", get(emulation_summary))
        .route("/api/v1/emulation.xlsx", get(emulation_xlsx))
}

#[derive(Deserialize, Default)]
pub(crate) struct YearQuery {
    #[serde(default)]
    pub year: Option<i32>,
    /// The emulation summary of one kind of unit: `department` (with the other agencies) or
    /// `commune`; every unit when absent.
    #[serde(default)]
    pub kind: Option<String>,
}

impl YearQuery {
    pub(crate) fn year(&self, st: &AppState) -> i32 {
        self.year
            .unwrap_or_else(|| chrono::Datelike::year(&st.clock.today_vn()))
    }
}

fn page(id: i64) -> String {
    format!("/breakthroughs/{id}")
}

/// The year's call and its consolidation, for the province's readers.
pub(crate) async fn consolidation_of(
    st: &AppState,
    actor: &Actor,
    year: i32,
) -> AppResult<Option<consolidation::Consolidated>> {
    let province = org::province_for(&st.db, actor, None).await?;
    policy::read_dashboards(actor)?;
    policy::read_province(actor, &province)?;
    match calls::of_year(&st.db, &province, year).await? {
        Some(c) => Ok(Some(
            consolidation::consolidate(&st.db, c, st.clock.today_vn()).await?,
        )),
        None => Ok(None),
    }
}

async fn consolidated(State(st): State<AppState>, actor: Actor, Q(q): Q<YearQuery>) -> R {
    let year = q.year(&st);
    if policy::own_unit_only(&actor) {
        // an officer: its unit's registrations and the province's own
        let province = org::province_for(&st.db, &actor, None).await?;
        let list = match calls::of_year(&st.db, &province, year).await? {
            Some(c) => bt::of_call(&st.db, c.id)
                .await?
                .into_iter()
                .filter(|b| policy::read_breakthrough(&actor, &b.scope()).is_ok())
                .collect(),
            None => vec![],
        };
        let lines =
            consolidation::lines(&st.db, &province, year, list, st.clock.today_vn()).await?;
        return ok(json!({"year": year, "lines": lines}));
    }
    ok(json!({"year": year, "consolidation": consolidation_of(&st, &actor, year).await?}))
}

async fn the_consolidation(
    st: &AppState,
    actor: &Actor,
    year: i32,
) -> AppResult<consolidation::Consolidated> {
    consolidation_of(st, actor, year)
        .await?
        .ok_or_else(|| AppError::NotFound("đợt đăng ký khâu đột phá của năm"))
}

pub(crate) async fn consolidated_docx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Response> {
    let c = the_consolidation(&st, &actor, q.year(&st)).await?;
    let unit = org::find_unit_by_code(&st.db, &c.call.province_code)
        .await?
        .ok_or(AppError::NotFound("tỉnh"))?;
    let issuer = crate::documents::Issuer::for_unit(&unit, &unit.name);
    Ok(crate::http::download(
        &format!("tong-hop-khau-dot-pha-{}.docx", c.call.year),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        consolidation::docx(&issuer, &c),
    ))
}

pub(crate) async fn consolidated_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Response> {
    let c = the_consolidation(&st, &actor, q.year(&st)).await?;
    Ok(crate::http::download(
        &format!("tong-hop-khau-dot-pha-{}.xlsx", c.call.year),
        XLSX,
        consolidation::xlsx(&c),
    ))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) async fn call_issue(
    State(st): State<AppState>,
    actor: Actor,
    In(i): In<calls::CallInput>,
) -> AppResult<Done> {
    let id = calls::issue(&st.db, &actor, &i, st.clock.today_vn()).await?;
    let call = calls::get(&st.db, id).await?;
    Ok(Done::created(
        id,
        format!("/breakthroughs?year={}", call.year),
    ))
}

pub(crate) async fn register(
    State(st): State<AppState>,
    actor: Actor,
    In(i): In<RegistrationInput>,
) -> AppResult<Done> {
    let id = bt::register(&st.db, &actor, &i, st.clock.today_vn()).await?;
    Ok(Done::created(id, page(id)))
}

async fn registration(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let b = bt::read(&st.db, &actor, id).await?;
    let versions = bt::versions(&st.db, id).await?;
    let province = b.province_code.clone();
    let line = consolidation::lines(
        &st.db,
        &province,
        b.year as i32,
        vec![b],
        st.clock.today_vn(),
    )
    .await?;
    ok(json!({"registration": line.into_iter().next(), "versions": versions}))
}

pub(crate) async fn update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(i): In<RegistrationInput>,
) -> AppResult<Done> {
    bt::update(&st.db, &actor, id, &i).await?;
    Ok(Done::ok(json!({"id": id}), page(id)))
}

pub(crate) async fn submit(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<Done> {
    review::submit(&st.db, &actor, id, st.clock.now()).await?;
    Ok(Done::ok(json!({"id": id, "state": "submitted"}), page(id)))
}

pub(crate) async fn accept(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(d): In<review::Decision>,
) -> AppResult<Done> {
    let tasks = review::accept(&st.db, &actor, id, &d, st.clock.today_vn()).await?;
    Ok(Done::ok(
        json!({"id": id, "state": "accepted", "tasks": tasks}),
        page(id),
    ))
}

pub(crate) async fn return_(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    In(d): In<review::Decision>,
) -> AppResult<Done> {
    review::return_(&st.db, &actor, id, &d).await?;
    Ok(Done::ok(json!({"id": id, "state": "returned"}), page(id)))
}

async fn commitments_list(State(st): State<AppState>, actor: Actor, Q(q): Q<YearQuery>) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::read_province(&actor, &province)?;
    let year = q.year(&st);
    let (mut list, final_) =
        commitments::compared(&st.db, &province, year, st.clock.today_vn()).await?;
    if policy::own_unit_only(&actor) {
        list.retain(|c| Some(c.commitment.unit_id) == actor.unit_id);
    }
    ok(json!({"year": year, "final": final_, "commitments": list}))
}

pub(crate) async fn commit(
    State(st): State<AppState>,
    actor: Actor,
    In(i): In<commitments::CommitmentInput>,
) -> AppResult<Done> {
    let id = commitments::commit(&st.db, &actor, &i, st.clock.now()).await?;
    let year = i
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&st.clock.today_vn()));
    Ok(Done::created(id, format!("/commitments?year={year}")))
}

/// The year's emulation summary: every unit (of `kind`, if given) for the province's readers,
/// an officer's own row.
pub(crate) async fn summary_for(
    st: &AppState,
    actor: &Actor,
    q: &YearQuery,
) -> AppResult<emulation::Summary> {
    let year = q.year(st);
    let province = org::province_for(&st.db, actor, None).await?;
    policy::read_province(actor, &province)?;
    let mut s = emulation::summary(&st.db, &province, year, st.clock.today_vn()).await?;
    if policy::own_unit_only(actor) {
        s.rows.retain(|r| Some(r.unit_id) == actor.unit_id);
    }
    match q.kind.as_deref() {
        Some("commune") => s.rows.retain(|r| r.unit_kind == "commune"),
        Some("department") => s.rows.retain(|r| r.unit_kind != "commune"),
        _ => {}
    }
    Ok(s)
}

async fn emulation_summary(State(st): State<AppState>, actor: Actor, Q(q): Q<YearQuery>) -> R {
    ok(summary_for(&st, &actor, &q).await?)
}

pub(crate) async fn emulation_xlsx(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<YearQuery>,
) -> AppResult<Response> {
    let s = summary_for(&st, &actor, &q).await?;
    Ok(crate::http::download(
        &format!("tong-hop-thi-dua-{}.xlsx", s.year),
        XLSX,
        consolidation::emulation_xlsx(&s),
    ))
}
