//! The JSON API under `/api/v1`: every action of the UI, for scripts and other systems.
//! Authentication: `Authorization: Bearer <token>` (tokens from `steerco create-token`), or
//! the browser session with an `X-CSRF-Token` header on changes. Errors: `{code, message, fields}`.

use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult};
use crate::http::AppState;
use crate::http::{as_of, P, Q};
use crate::tracking::{self};
use crate::{bodies, dashboard, directives, org};

/// JSON body extractor whose failures are our JSON errors (422 with a Vietnamese message).
pub struct J<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for J<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state)
            .await
            .map(|j| J(j.0))
            .map_err(|e| {
                AppError::invalid(
                    "body",
                    format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()),
                )
            })
    }
}

type R = AppResult<Json<Value>>;

fn ok(v: impl serde::Serialize) -> R {
    Ok(Json(
        serde_json::to_value(v).map_err(|e| AppError::Internal(e.into()))?,
    ))
}

fn created(id: i64) -> AppResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/units", get(units).post(unit_create))
        .route("/api/v1/units/{id}", get(unit_get).put(unit_update))
        .route("/api/v1/units/{id}/successors", post(unit_successor))
        .route("/api/v1/groups", get(groups).post(group_create))
        .route("/api/v1/groups/{id}", get(group_get).put(group_update))
        .route("/api/v1/bodies", get(bodies_list).post(body_create))
        .route("/api/v1/bodies/{id}", get(body_get).put(body_update))
        .route("/api/v1/bodies/{id}/members", post(member_add))
        .route(
            "/api/v1/bodies/{id}/members/{member}",
            axum::routing::delete(member_remove),
        )
        .route(
            "/api/v1/directives",
            get(directives_list).post(directive_create),
        )
        .route(
            "/api/v1/directives/{id}",
            get(directive_get).put(directive_update),
        )
        .route("/api/v1/directives/{id}/tasks", post(task_create))
        .route(
            "/api/v1/imports",
            post(import_read).layer(axum::extract::DefaultBodyLimit::max(
                crate::import::source::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route("/api/v1/imports/publish", post(import_publish))
        .route("/api/v1/tasks", get(tasks_search))
        .route("/api/v1/tasks/{id}", get(task_get).put(task_update))
        .route("/api/v1/my", get(my))
        .route("/api/v1/inbox", get(inbox))
        .route("/api/v1/assignments/{id}", get(assignment_get))
        .route(
            "/api/v1/assignments/{id}/progress",
            post(progress_post).layer(axum::extract::DefaultBodyLimit::max(
                tracking::MAX_EVIDENCE_BYTES + 1024 * 1024,
            )),
        )
        .route("/api/v1/attachments/{id}", get(attachment_get))
        .route("/api/v1/assignments/{id}/review", post(review_post))
        .route("/api/v1/assignments/{id}/extensions", post(extension_post))
        .route("/api/v1/extensions/{id}/decision", post(extension_decide))
        .route("/api/v1/dashboard", get(dash))
        .route("/api/v1/dashboard/national", get(dash_national))
        .route("/api/v1/dashboard/overdue", get(dash_overdue))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/users", get(users).post(user_create))
        .route("/api/v1/users/{id}/active", post(user_active))
        .route("/api/v1/users/{id}/password", post(user_password))
        .route("/api/v1/reports/requests", get(report_requests))
        .route(
            "/api/v1/reports/requests/{id}",
            get(report_request).put(report_request_save),
        )
        .route(
            "/api/v1/reports/requests/{id}/decision",
            post(report_decide),
        )
        .route(
            "/api/v1/reports/schedules/{id}/consolidation",
            get(report_consolidation),
        )
        .route("/api/v1/indicators/catalogue", get(indicator_catalogue))
        .route("/api/v1/indicators/scorecard", get(indicator_scorecard))
        .route("/api/v1/indicators/units/{code}", get(indicator_unit))
        .route(
            "/api/v1/indicators/imports",
            get(indicator_imports).post(indicator_import).layer(
                axum::extract::DefaultBodyLimit::max(crate::web::indicators::UPLOAD_LIMIT),
            ),
        )
        .route("/api/v1/indicators/imports/{id}", get(indicator_import_get))
        .fallback(|| async { AppError::NotFound("đường dẫn API") })
}

// ---- periodic reporting ----

/// The caller's unit's report requests (owed first), and those it receives awaiting a decision.
async fn report_requests(State(st): State<AppState>, actor: Actor) -> R {
    let unit = actor.unit_id.ok_or(AppError::NotFound("đơn vị"))?;
    ok(json!({
        "requests": crate::reporting::unit_requests(&st.db, unit, 200).await?,
        "awaiting_decision": crate::reporting::awaiting_decision(&st.db, unit).await?,
    }))
}

/// A request with its template's fields, the values to start from, and its history.
async fn report_request(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let r = crate::reporting::read_request(&st.db, &actor, id).await?;
    let s = crate::reporting::schedule::get_schedule(&st.db, r.schedule_id).await?;
    let t = crate::reporting::schedule::get_template(&st.db, s.template_id).await?;
    let (values, prefilled) = crate::reporting::starting_values(&st.db, &r).await?;
    let history = crate::reporting::history(&st.db, r.id).await?;
    ok(
        json!({"request": r, "fields": t.fields, "values": values, "prefilled": prefilled, "history": history}),
    )
}

#[derive(Deserialize)]
struct ReportValues {
    values: std::collections::BTreeMap<String, Value>,
    #[serde(default)]
    submit: bool,
}

/// Saves a draft, or submits (`"submit": true`). Numbers may be sent as JSON numbers.
async fn report_request_save(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<ReportValues>,
) -> R {
    let values: crate::reporting::Values = b
        .values
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, s)
        })
        .collect();
    let now = st.clock.now();
    if b.submit {
        let late = crate::reporting::submit(&st.db, &actor, id, &values, now).await?;
        ok(json!({"state": "submitted", "late": late}))
    } else {
        crate::reporting::save_draft(&st.db, &actor, id, &values, now).await?;
        ok(json!({"state": "draft"}))
    }
}

#[derive(Deserialize)]
struct ReportDecision {
    accept: bool,
    #[serde(default)]
    note: String,
}

async fn report_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<ReportDecision>,
) -> R {
    crate::reporting::decide(&st.db, &actor, id, b.accept, &b.note, st.clock.now()).await?;
    ok(json!({"state": if b.accept { "accepted" } else { "returned" }}))
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

/// Every level of the cascade under a schedule for a period (default: the current one).
async fn report_consolidation(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<PeriodQuery>,
) -> R {
    let (s, p, cal) = crate::reporting::schedule::read_period(
        &st.db,
        &actor,
        id,
        q.period.as_deref(),
        st.clock.today_vn(),
    )
    .await?;
    let levels = crate::reporting::consolidation::cascade(&st.db, &s, &p.key).await?;
    let summary: Vec<Value> = levels
        .iter()
        .map(|l| {
            let c = &l.consolidation;
            json!({
                "depth": l.depth, "schedule_id": c.schedule_id, "schedule": c.schedule_name,
                "receiver": c.receiver_name, "expected": c.expected(), "submitted": c.submitted(),
                "on_time": c.on_time(), "late": c.late(), "completeness": c.completeness(),
                "timeliness": c.timeliness(),
                "figures": c.fields.iter().filter(|f| f.kind != crate::reporting::template::FieldKind::Narrative)
                    .map(|f| (f.key.clone(), json!(c.figure(f)))).collect::<serde_json::Map<_, _>>(),
                "missing": c.missing().iter().map(|r| json!({"unit_code": r.unit_code, "unit": r.unit_name, "returned": r.returns > 0})).collect::<Vec<_>>(),
            })
        })
        .collect();
    ok(
        json!({"period": p.key, "label": p.label(), "due_on": s.due_on(&p, &cal), "levels": summary}),
    )
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

async fn me(actor: Actor) -> R {
    ok(actor)
}

#[derive(Deserialize, Default)]
struct ScopeQuery {
    province: Option<String>,
    as_of: Option<String>,
    body: Option<i64>,
    unit: Option<i64>,
    page: Option<i64>,
}

async fn units(State(st): State<AppState>, actor: Actor, Q(f): Q<org::UnitFilter>) -> R {
    let province = org::province_for(&st.db, &actor, f.province.as_deref()).await?;
    let list = org::list_units(
        &st.db,
        &org::UnitFilter {
            province: Some(province),
            ..f
        },
        100,
    )
    .await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

async fn unit_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let u = org::get_unit(&st.db, id).await?;
    policy::read_province(&actor, &u.province_code)?;
    let succ: Vec<Value> = org::successors(&st.db, id)
        .await?
        .into_iter()
        .map(|(s, share)| json!({"unit": s, "share": share}))
        .collect();
    ok(json!({"unit": u, "successors": succ}))
}

async fn unit_create(
    State(st): State<AppState>,
    actor: Actor,
    J(u): J<org::UnitInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(org::create_unit(&st.db, &actor, &u).await?)
}

async fn unit_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(u): J<org::UnitInput>,
) -> R {
    org::update_unit(&st.db, &actor, id, &u).await?;
    ok(json!({"id": id}))
}

#[derive(Deserialize)]
struct SuccessorInput {
    successor_id: i64,
    #[serde(default)]
    share: String,
}

async fn unit_successor(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(s): J<SuccessorInput>,
) -> R {
    org::add_successor(&st.db, &actor, id, s.successor_id, &s.share).await?;
    ok(json!({"id": id}))
}

async fn groups(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    ok(org::list_groups(&st.db, Some(&province)).await?)
}

async fn group_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let g = org::get_group(&st.db, id).await?;
    policy::read_province(&actor, &g.province_code)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?.to_string();
    let members = org::group_members(&st.db, &g, &d).await?;
    ok(json!({"group": g, "members": members}))
}

#[derive(Deserialize)]
struct GroupInput {
    province_code: String,
    name: String,
    members: Vec<i64>,
}

async fn group_create(
    State(st): State<AppState>,
    actor: Actor,
    J(g): J<GroupInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(org::create_group(&st.db, &actor, &g.province_code, &g.name, &g.members).await?)
}

async fn bodies_list(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    ok(bodies::list_bodies(&st.db, &province).await?)
}

async fn body_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let b = bodies::get_body(&st.db, id).await?;
    policy::read_province(&actor, &b.province_code)?;
    ok(json!({"body": b, "members": bodies::members(&st.db, id).await?}))
}

async fn body_create(
    State(st): State<AppState>,
    actor: Actor,
    J(b): J<bodies::BodyInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(bodies::create_body(&st.db, &actor, &b).await?)
}

async fn member_add(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(m): J<bodies::MemberInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(bodies::add_member(&st.db, &actor, id, &m).await?)
}

async fn directives_list(
    State(st): State<AppState>,
    actor: Actor,
    Q(f): Q<directives::DirectiveFilter>,
) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    let list = directives::list_directives(&st.db, &province, &f).await?;
    let items: Vec<Value> = list
        .items
        .into_iter()
        .map(|(d, n)| json!({"directive": d, "task_count": n}))
        .collect();
    ok(json!({"items": items, "total": list.total, "page": list.page, "per_page": list.per_page}))
}

async fn directive_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let d = directives::get_directive(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let tasks: Vec<Value> = directives::directive_tasks(&st.db, id)
        .await?
        .into_iter()
        .map(|(t, n)| json!({"task": t, "assignments": n}))
        .collect();
    ok(json!({"directive": d, "tasks": tasks}))
}

async fn directive_create(
    State(st): State<AppState>,
    actor: Actor,
    J(d): J<directives::DirectiveInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(directives::create_directive(&st.db, &actor, &d).await?)
}

/// Reads a document sent as the request body (.docx, .pdf, text) and returns what it
/// proposes, plus a `review` ready to correct and send to `/api/v1/imports/publish`.
/// Writes nothing.
async fn import_read(State(st): State<AppState>, actor: Actor, body: axum::body::Bytes) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::direct(&actor, &province)?;
    let reg = crate::import::publish::registry_for(&st.db, &province).await?;
    let x = crate::import::read_for_province(body.to_vec(), reg).await?;
    let review = crate::import::publish::review_of(&x, &province, None);
    ok(json!({"directive": x.directive, "tasks": x.tasks, "review": review}))
}

async fn import_publish(
    State(st): State<AppState>,
    actor: Actor,
    J(r): J<crate::import::publish::Reviewed>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(crate::import::publish::publish(&st.db, &actor, &r, st.clock.today_vn()).await?)
}

async fn task_create(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(t): J<directives::TaskInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(directives::create_task(&st.db, &actor, id, &t, st.clock.today_vn()).await?)
}

async fn tasks_search(
    State(st): State<AppState>,
    actor: Actor,
    Q(s): Q<directives::TaskSearch>,
) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    let list = directives::search_tasks(&st.db, &province, &s).await?;
    let items: Vec<Value> = list
        .items
        .into_iter()
        .map(|(t, d)| json!({"task": t, "directive_number": d.number}))
        .collect();
    ok(json!({"items": items, "total": list.total, "page": list.page, "per_page": list.per_page}))
}

async fn task_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let (t, d) = directives::get_task(&st.db, id).await?;
    policy::read_province(&actor, &d.province_code)?;
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    let all = policy::visible(&actor, tracking::task_assignments(&st.db, id).await?, |a| {
        a.unit_id
    });
    let this_period = tracking::reports_this_period(&st.db, &t, day).await?;
    let (period, reported) = match this_period {
        Some((p, r)) => (Some(p), r),
        None => (None, Default::default()),
    };
    let assignments: Vec<Value> = all
        .iter()
        .map(|a| {
            json!({"assignment": a, "status": a.status(day),
                        "reported_this_period": period.as_ref().map(|_| reported.contains(&a.id))})
        })
        .collect();
    ok(
        json!({"task": t, "directive": d, "as_of": day, "period": period, "assignments": assignments}),
    )
}

async fn my(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let unit_id = q
        .unit
        .or(actor.unit_id)
        .ok_or(AppError::NotFound("đơn vị"))?;
    let unit = org::get_unit(&st.db, unit_id).await?;
    policy::read_unit_work(
        &actor,
        &policy::Scope {
            province_code: &unit.province_code,
            unit_id: Some(unit.id),
        },
    )?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    ok(json!({"unit": unit, "as_of": d, "items": tracking::unit_owes(&st.db, unit_id, d).await?}))
}

async fn assignment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    Q(q): Q<ScopeQuery>,
) -> R {
    let a = tracking::read_assignment(&st.db, &actor, id).await?;
    let day = as_of(&q.as_of, st.clock.today_vn())?;
    ok(json!({
        "assignment": a, "status": a.status(day), "as_of": day,
        "progress": tracking::progress_of(&st.db, id).await?,
        "extensions": tracking::extensions_of(&st.db, id).await?,
    }))
}

/// JSON, or multipart/form-data with the same fields and an `evidence` file.
async fn progress_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    req: Request,
) -> AppResult<(StatusCode, Json<Value>)> {
    let is_multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (input, evidence) = if is_multipart {
        let mp = axum::extract::Multipart::from_request(req, &st)
            .await
            .map_err(|e| {
                AppError::invalid(
                    "body",
                    format!("Dữ liệu multipart không hợp lệ: {}", e.body_text()),
                )
            })?;
        let form = crate::http::read_progress_form(mp).await?;
        (form.input, form.evidence)
    } else {
        (
            J::<tracking::ProgressInput>::from_request(req, &st)
                .await?
                .0,
            None,
        )
    };
    created(
        tracking::post_progress(&st.db, &actor, id, &input, evidence, st.clock.today_vn()).await?,
    )
}

async fn attachment_get(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
) -> AppResult<axum::response::Response> {
    let (name, _content_type, data) = tracking::attachment(&st.db, &actor, id).await?;
    Ok(crate::http::attachment_response(&name, data))
}

async fn review_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(r): J<tracking::ReviewInput>,
) -> R {
    tracking::review_completion(&st.db, &actor, id, &r).await?;
    ok(json!({"id": id}))
}

async fn extension_post(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(e): J<tracking::ExtensionRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    created(tracking::request_extension(&st.db, &actor, id, &e).await?)
}

async fn extension_decide(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(e): J<tracking::ExtensionDecision>,
) -> R {
    tracking::decide_extension(&st.db, &actor, id, &e).await?;
    ok(json!({"id": id}))
}

async fn dash(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<ScopeQuery>,
) -> AppResult<axum::response::Response> {
    policy::read_dashboards(&actor)?;
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let view = st.dashboards.province(&st.db, &province, q.body, d).await?;
    // Served from the JSON rendered when the figures were computed.
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        view.json.clone(),
    )
        .into_response())
}

async fn dash_national(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    policy::read_country(&actor)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let nat = st.dashboards.national(&st.db, d).await?;
    let (total, provinces) = (&nat.0, &nat.1);
    ok(
        json!({"as_of": d, "total": total, "overdue_share": total.overdue_share(), "provinces": provinces}),
    )
}

async fn dash_overdue(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    policy::read_unit_list(&actor, q.unit)?;
    let d = as_of(&q.as_of, st.clock.today_vn())?;
    let list =
        dashboard::overdue(&st.db, &province, q.body, q.unit, d, q.page.unwrap_or(1)).await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

#[derive(Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<i64>,
    page: Option<i64>,
}

async fn audit(State(st): State<AppState>, actor: Actor, Q(q): Q<AuditQuery>) -> R {
    policy::read_audit(&actor)?;
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = crate::audit::list(
        &st.db,
        q.entity.as_deref(),
        q.entity_id,
        (page - 1) * 50,
        50,
    )
    .await?;
    ok(json!({"items": rows, "total": total, "page": page, "per_page": 50}))
}

/// Completions awaiting confirmation and extension requests awaiting a decision.
async fn inbox(State(st): State<AppState>, actor: Actor, Q(q): Q<ScopeQuery>) -> R {
    let province = org::province_for(&st.db, &actor, q.province.as_deref()).await?;
    policy::direct(&actor, &province)?;
    let page = q.page.unwrap_or(1);
    let reviews = tracking::pending_reviews(&st.db, &province, page, 50).await?;
    let exts = tracking::pending_extensions(&st.db, &province, page, 50).await?;
    let ext_items: Vec<Value> = exts
        .items
        .into_iter()
        .map(|(e, a)| json!({"extension": e, "assignment": a}))
        .collect();
    ok(
        json!({"reviews": {"items": reviews.items, "total": reviews.total},
              "extensions": {"items": ext_items, "total": exts.total}, "page": page}),
    )
}

async fn body_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(b): J<bodies::BodyInput>,
) -> R {
    bodies::update_body(&st.db, &actor, id, &b).await?;
    ok(json!({"id": id}))
}

async fn member_remove(
    State(st): State<AppState>,
    actor: Actor,
    P((id, member)): P<(i64, i64)>,
) -> R {
    bodies::remove_member(&st.db, &actor, id, member).await?;
    ok(json!({"id": id, "removed": member}))
}

#[derive(Deserialize)]
struct UsersQuery {
    province: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

async fn users(State(st): State<AppState>, actor: Actor, Q(q): Q<UsersQuery>) -> R {
    let province = crate::auth::repo::accounts_scope(&st.db, &actor, q.province.as_deref()).await?;
    let list = crate::auth::repo::list_users(
        &st.db,
        province.as_deref(),
        q.q.as_deref(),
        q.page.unwrap_or(1),
    )
    .await?;
    ok(
        json!({"items": list.items, "total": list.total, "page": list.page, "per_page": list.per_page}),
    )
}

#[derive(Deserialize)]
struct UserInput {
    username: String,
    password: String,
    full_name: String,
    role: String,
    #[serde(default)]
    unit_id: Option<i64>,
}

async fn user_create(
    State(st): State<AppState>,
    actor: Actor,
    J(u): J<UserInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let role = crate::auth::Role::parse(&u.role)
        .ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    created(
        crate::auth::repo::create_account(
            &st.db,
            &actor,
            crate::auth::repo::NewUser {
                username: &u.username,
                password: &u.password,
                full_name: &u.full_name,
                role,
                unit_id: u.unit_id,
                body_id: None,
            },
        )
        .await?,
    )
}

#[derive(Deserialize)]
struct ActiveInput {
    active: bool,
}

async fn user_active(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(a): J<ActiveInput>,
) -> R {
    crate::auth::repo::set_active(&st.db, &actor, id, a.active).await?;
    ok(json!({"id": id, "active": a.active}))
}

#[derive(Deserialize)]
struct PasswordInput {
    password: String,
}

async fn user_password(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(p): J<PasswordInput>,
) -> R {
    crate::auth::repo::reset_password(&st.db, &actor, id, &p.password).await?;
    ok(json!({"id": id}))
}

async fn directive_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(d): J<directives::DirectiveInput>,
) -> R {
    directives::update_directive(&st.db, &actor, id, &d).await?;
    ok(json!({"id": id}))
}

async fn task_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(t): J<directives::TaskInput>,
) -> R {
    directives::update_task(&st.db, &actor, id, &t, st.clock.today_vn()).await?;
    ok(json!({"id": id}))
}

#[derive(Deserialize)]
struct GroupUpdate {
    name: String,
    /// Custom groups only; omit for built-in groups.
    #[serde(default)]
    members: Option<Vec<i64>>,
}

async fn group_update(
    State(st): State<AppState>,
    actor: Actor,
    P(id): P<i64>,
    J(g): J<GroupUpdate>,
) -> R {
    org::update_group(&st.db, &actor, id, &g.name, g.members.as_deref()).await?;
    ok(json!({"id": id}))
}

// ---- indicators ----

async fn indicator_catalogue(_actor: Actor) -> R {
    ok(crate::indicators::Catalogue::national())
}

/// The scorecard of a province (its units ranked) or, for an administrator, of the country.
async fn indicator_scorecard(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<crate::web::indicators::BoardQuery>,
) -> R {
    let province = crate::web::indicators::board_scope(&st, &actor, &q).await?;
    let period = crate::web::indicators::period_or_latest(
        &st.db,
        q.period.as_deref(),
        province.as_deref(),
        st.clock.today_vn(),
    )
    .await?;
    ok(crate::indicators::board::board(
        &st.db,
        province.as_deref(),
        &period,
        q.card.as_deref().unwrap_or("766"),
    )
    .await?)
}

async fn indicator_unit(
    State(st): State<AppState>,
    actor: Actor,
    P(code): P<String>,
    Q(q): Q<crate::web::indicators::BoardQuery>,
) -> R {
    let unit = org::find_unit_by_code(&st.db, &code)
        .await?
        .ok_or(AppError::NotFound("đơn vị"))?;
    policy::read_province(&actor, &unit.province_code)?;
    let period = crate::web::indicators::period_or_latest(
        &st.db,
        q.period.as_deref(),
        Some(&unit.province_code),
        st.clock.today_vn(),
    )
    .await?;
    ok(crate::indicators::board::unit_board(
        &st.db,
        &unit,
        &period,
        q.card.as_deref().unwrap_or("766"),
    )
    .await?)
}

#[derive(Deserialize)]
struct ImportQuery {
    kind: Option<String>,
    name: Option<String>,
}

/// Imports the request body (an exchange file) for the caller's province and answers when
/// it is written: rows kept, bad rows with line numbers and reasons.
async fn indicator_import(
    State(st): State<AppState>,
    actor: Actor,
    Q(q): Q<ImportQuery>,
    body: axum::body::Body,
) -> AppResult<(StatusCode, Json<Value>)> {
    use crate::dossiers::import::{self, Kind};
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    let kind = match q.kind.as_deref() {
        None => Kind::Dossier,
        Some(k) => Kind::parse(k)
            .ok_or_else(|| AppError::invalid("kind", "kind phải là dossier hoặc feedback"))?,
    };
    let mut upload = crate::http::Upload::new();
    upload
        .save(body.into_data_stream(), |_| {
            AppError::invalid("body", "Tệp tải lên bị gián đoạn hoặc quá lớn.")
        })
        .await?;
    if upload.size == 0 {
        return Err(AppError::invalid("body", "Tệp dữ liệu rỗng."));
    }
    let name = q.name.unwrap_or_else(|| "api".into());
    let (id, progress) = import::begin(&st.db, kind, Some(&province), &name, Some(&actor)).await?;
    let r = import::run(
        &st.db,
        id,
        kind,
        &upload.path,
        Some(&province),
        Some(&actor),
        progress,
    )
    .await;
    let o = r?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(o).map_err(|e| AppError::Internal(e.into()))?),
    ))
}

async fn indicator_imports(State(st): State<AppState>, actor: Actor) -> R {
    let province = org::province_for(&st.db, &actor, None).await?;
    policy::import_data(&actor, Some(&province))?;
    ok(crate::dossiers::import::list_imports(&st.db, Some(&province), 100).await?)
}

async fn indicator_import_get(State(st): State<AppState>, actor: Actor, P(id): P<i64>) -> R {
    let r = crate::dossiers::import::get_import(&st.db, id).await?;
    policy::import_data(&actor, r.province_code.as_deref())?;
    let progress = crate::dossiers::import::progress_of(id)
        .map(|p| p.rows.load(std::sync::atomic::Ordering::Relaxed));
    ok(json!({ "import": r, "errors": r.errors(), "rows_read_so_far": progress }))
}
