//! The OpenAPI 3 description of `/api/v1`, served at `/api/v1/openapi.json`.
//! Written as a table of operations so that adding a route means adding one line here.

use serde_json::{json, Map, Value};

/// (method, path, tag, summary, request body schema, success status)
type Op = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    u16,
);

#[rustfmt::skip]
const OPS: &[Op] = &[
    ("get", "/api/v1/me", "auth", "The authenticated user and scope", None, 200),
    ("get", "/api/v1/units", "units", "List units (q, kind, province, page)", None, 200),
    ("post", "/api/v1/units", "units", "Create a unit", Some("UnitInput"), 201),
    ("get", "/api/v1/units/{id}", "units", "A unit and its successors", None, 200),
    ("put", "/api/v1/units/{id}", "units", "Update a unit", Some("UnitInput"), 200),
    ("post", "/api/v1/units/{id}/successors", "units", "Link a successor unit", Some("SuccessorInput"), 200),
    ("get", "/api/v1/groups", "units", "Unit groups of a province", None, 200),
    ("post", "/api/v1/groups", "units", "Create a custom unit group", Some("GroupInput"), 201),
    ("get", "/api/v1/groups/{id}", "units", "A group and its members as of a date", None, 200),
    ("put", "/api/v1/groups/{id}", "units", "Rename a group; set a custom group's members", Some("GroupUpdate"), 200),
    ("get", "/api/v1/bodies", "bodies", "Steering committees and working groups", None, 200),
    ("post", "/api/v1/bodies", "bodies", "Create a body", Some("BodyInput"), 201),
    ("get", "/api/v1/bodies/{id}", "bodies", "A body with its members", None, 200),
    ("put", "/api/v1/bodies/{id}", "bodies", "Update a body (its code stays)", Some("BodyInput"), 200),
    ("post", "/api/v1/bodies/{id}/members", "bodies", "Add a member", Some("MemberInput"), 201),
    ("delete", "/api/v1/bodies/{id}/members/{member}", "bodies", "Remove a member", None, 200),
    ("get", "/api/v1/directives", "directives", "List directives (q, body, page)", None, 200),
    ("post", "/api/v1/directives", "directives", "Enter a directive", Some("DirectiveInput"), 201),
    ("get", "/api/v1/directives/{id}", "directives", "A directive with its tasks", None, 200),
    ("put", "/api/v1/directives/{id}", "directives", "Correct a directive's metadata", Some("DirectiveInput"), 200),
    ("post", "/api/v1/directives/{id}/tasks", "directives", "Add a task; groups expand into one assignment per unit", Some("TaskInput"), 201),
    ("post", "/api/v1/imports", "import", "Read a document sent as the body (.docx, .pdf with text, plain text): the proposed directive, tasks and a review to publish; writes nothing", None, 200),
    ("post", "/api/v1/imports/publish", "import", "Publish a reviewed import: the directive, its tasks and assignments in one transaction", Some("ImportReview"), 201),
    ("get", "/api/v1/tasks", "directives", "Search tasks ignoring diacritics (q, page)", None, 200),
    ("get", "/api/v1/tasks/{id}", "directives", "A task with its assignments and their status as of a date", None, 200),
    ("put", "/api/v1/tasks/{id}", "directives", "Correct a task's wording, deadline or product (not its units)", Some("TaskInput"), 200),
    ("post", "/api/v1/directives/{id}/withdraw", "directives", "Withdraw a directive published by mistake (reason required): kept, its assignments off every dashboard; 409 when already withdrawn", Some("WithdrawInput"), 200),
    ("post", "/api/v1/tasks/{id}/withdraw", "directives", "Withdraw one task published by mistake (reason required); 409 when already withdrawn", Some("WithdrawInput"), 200),
    ("get", "/api/v1/my", "tracking", "What a unit owes, most urgent first (unit, as_of)", None, 200),
    ("get", "/api/v1/inbox", "tracking", "Completions awaiting confirmation and pending extension requests (page)", None, 200),
    ("get", "/api/v1/assignments/{id}", "tracking", "An assignment with progress and extensions", None, 200),
    ("post", "/api/v1/assignments/{id}/progress", "tracking", "Report progress or completion (JSON, or multipart with an `evidence` file up to 10 MB)", Some("ProgressInput"), 201),
    ("get", "/api/v1/attachments/{id}", "tracking", "Download an evidence file", None, 200),
    ("post", "/api/v1/assignments/{id}/review", "tracking", "Confirm or return a completion", Some("ReviewInput"), 200),
    ("post", "/api/v1/assignments/{id}/extensions", "tracking", "Request a deadline extension", Some("ExtensionRequest"), 201),
    ("post", "/api/v1/extensions/{id}/decision", "tracking", "Approve or refuse an extension", Some("ExtensionDecision"), 200),
    ("get", "/api/v1/dashboard", "dashboard", "Counts by unit and state for a province (province, body, as_of)", None, 200),
    ("get", "/api/v1/dashboard/national", "dashboard", "Counts by province (administrators)", None, 200),
    ("get", "/api/v1/dashboard/overdue", "dashboard", "Overdue unfinished assignments (unit, body, as_of, page)", None, 200),
    ("get", "/api/v1/audit", "audit", "The audit trail (entity, entity_id, page)", None, 200),
    ("get", "/api/v1/users", "auth", "Accounts (province, q, page)", None, 200),
    ("post", "/api/v1/users", "auth", "Create an account", Some("UserInput"), 201),
    ("post", "/api/v1/users/{id}/active", "auth", "Lock or unlock an account", Some("ActiveInput"), 200),
    ("post", "/api/v1/users/{id}/password", "auth", "Set a new password", Some("PasswordInput"), 200),
    ("get", "/api/v1/reports/requests", "reporting", "The caller's unit's report requests (owed first) and those awaiting its decision", None, 200),
    ("get", "/api/v1/reports/requests/{id}", "reporting", "A report request: the template's fields, the values to start from (pre-filled), the history", None, 200),
    ("put", "/api/v1/reports/requests/{id}", "reporting", "Save a draft, or submit with \"submit\": true (checked against the template; on time or late)", Some("ReportValues"), 200),
    ("post", "/api/v1/reports/requests/{id}/decision", "reporting", "The receiver accepts a submitted report or returns it with a reason", Some("ReportDecision"), 200),
    ("get", "/api/v1/reports/schedules/{id}/consolidation", "reporting", "Every level of the consolidation cascade for a period (period, default the current one)", None, 200),
    ("get", "/api/v1/indicators/catalogue", "indicators", "The indicator catalogue: indicators (source, direction, numerator and denominator, no-data rule), plan targets, the Decision 766 scorecard", None, 200),
    ("get", "/api/v1/indicators/scorecard", "indicators", "A province's scorecard (period YYYY, YYYY-Qn or YYYY-MM; card; province for administrators) with targets and traffic lights, league tables with ranks and trend, monthly course; scope=country ranks provinces (administrators)", None, 200),
    ("get", "/api/v1/indicators/units/{code}", "indicators", "One unit's scorecard, rank, targets, monthly course and figures by procedure (period, card)", None, 200),
    ("get", "/api/v1/indicators/imports", "indicators", "The province's imports of one-stop data, newest first", None, 200),
    ("post", "/api/v1/indicators/imports", "indicators", "Import the request body, an exchange file (CSV or JSON Lines; kind=dossier|feedback, name): upsert by code; answers rows kept, bad rows with line and reason, units changed", None, 201),
    ("get", "/api/v1/indicators/imports/{id}", "indicators", "One import: status, counts, bad rows, rows read so far while running", None, 200),
    ("get", "/api/v1/meetings", "meetings", "A province's meetings, the coming ones first (q, body, state, page); an officer sees its unit's", None, 200),
    ("post", "/api/v1/meetings", "meetings", "Create a meeting in draft, with its preparation timeline (from the template of its kind and the reporting cascade it reviews), first agenda and the bodies' members as participants", Some("MeetingInput"), 201),
    ("get", "/api/v1/meetings/{id}", "meetings", "A meeting's pack: the meeting, live readiness per step and unit, follow-up of the previous conclusions, agenda, participants, conclusions, the period's consolidation, overdue work by unit, the league table; and its history", None, 200),
    ("put", "/api/v1/meetings/{id}", "meetings", "Correct the title, chair, time, place or link of a meeting still ahead", Some("MeetingInput"), 200),
    ("post", "/api/v1/meetings/{id}/convene", "meetings", "Convene: the report steps open their units' requests for the period, due on the step's date", None, 200),
    ("post", "/api/v1/meetings/{id}/postpone", "meetings", "Postpone with a reason (and a new date: the timeline moves with it)", Some("StateChange"), 200),
    ("post", "/api/v1/meetings/{id}/cancel", "meetings", "Cancel with a reason", Some("StateChange"), 200),
    ("post", "/api/v1/meetings/{id}/hold", "meetings", "Record that the meeting took place (on its day or after), with general minutes", Some("MinutesInput"), 200),
    ("post", "/api/v1/meetings/{id}/minutes", "meetings", "Save the general minutes of a held meeting", Some("MinutesInput"), 200),
    ("post", "/api/v1/meetings/{id}/close", "meetings", "Close a concluded meeting", None, 200),
    ("post", "/api/v1/meetings/{id}/steps", "meetings", "Add a preparation step (days before the meeting; optionally following a task)", Some("StepInput"), 201),
    ("post", "/api/v1/meetings/{id}/steps/{step}", "meetings", "Mark a manual step done or not", Some("StepMark"), 200),
    ("post", "/api/v1/meetings/{id}/items", "meetings", "Add an agenda item", Some("ItemInput"), 201),
    ("post", "/api/v1/meetings/{id}/items/{item}", "meetings", "Save the notes of an agenda item", Some("NotesInput"), 200),
    ("post", "/api/v1/meetings/{id}/items/{item}/document", "meetings", "Upload an agenda item's document (multipart, field `file`, up to 10 MB; replaces the previous one)", None, 201),
    ("get", "/api/v1/meetings/{id}/items/{item}/document", "meetings", "Download an agenda item's document", None, 200),
    ("post", "/api/v1/meetings/{id}/participants", "meetings", "Invite a unit or a person", Some("InviteInput"), 201),
    ("post", "/api/v1/meetings/{id}/participants/{participant}", "meetings", "Record attendance: present, absent, or (members only) represented by a named delegate", Some("AttendanceInput"), 200),
    ("post", "/api/v1/meetings/{id}/conclusions", "meetings", "Add a conclusion: information, decision, or a task with lead units, coordinators, deadline and product", Some("ConclusionInput"), 201),
    ("post", "/api/v1/meetings/{id}/conclusions/read", "meetings", "Read task conclusions from a pasted draft notice with the document import", Some("PastedText"), 200),
    ("post", "/api/v1/meetings/{id}/conclusions/{conclusion}/delete", "meetings", "Remove a conclusion before the notice is issued", None, 200),
    ("post", "/api/v1/meetings/{id}/notice", "meetings", "Issue the notice of conclusions: a directive of kind notice with the task conclusions as tasks, in one transaction with the meeting concluded", Some("NoticeInput"), 201),
    ("get", "/api/v1/meetings/{id}/preparation.docx", "meetings", "The preparation dispatch (Decree 30 .docx) from the timeline", None, 200),
    ("get", "/api/v1/meetings/{id}/invitation.docx", "meetings", "The invitation (Decree 30 .docx)", None, 200),
    ("get", "/api/v1/meetings/{id}/notice.docx", "meetings", "The notice of conclusions (Decree 30 .docx), a draft until issued", None, 200),
    ("get", "/api/v1/meetings/{id}/pack.docx", "meetings", "The meeting pack for the chair (.docx)", None, 200),
    ("get", "/api/v1/meetings/{id}/pack.xlsx", "meetings", "The meeting pack as a workbook: readiness per unit, the follow-up task by task, overdue units, the league table", None, 200),
    ("get", "/api/v1/breakthroughs", "breakthroughs", "The year's call and its consolidation (year): every registration with its targets' verdicts against the targets already assigned, values so far, milestones and progress; the units that have not registered; the rank commitments. An officer gets its unit's registrations and the province's own", None, 200),
    ("post", "/api/v1/breakthroughs", "breakthroughs", "Register a breakthrough (a draft): a unit's, or one of the province's own proposed by a standing agency (province_own)", Some("RegistrationInput"), 201),
    ("post", "/api/v1/breakthrough-calls", "breakthroughs", "Record the year's call for registrations (the dispatch, its due date, the units that must register)", Some("CallInput"), 201),
    ("get", "/api/v1/breakthroughs/consolidated.docx", "breakthroughs", "The year's consolidation as a report (.docx)", None, 200),
    ("get", "/api/v1/breakthroughs/consolidated.xlsx", "breakthroughs", "The year's consolidation as a workbook: registrations, targets, milestones, commitments, units not registered", None, 200),
    ("get", "/api/v1/breakthroughs/{id}", "breakthroughs", "A registration: its current version with verdicts, values, tracked milestones and progress, and every version", None, 200),
    ("put", "/api/v1/breakthroughs/{id}", "breakthroughs", "Rewrite a draft (in place) or a returned registration (a new version)", Some("RegistrationInput"), 200),
    ("post", "/api/v1/breakthroughs/{id}/submit", "breakthroughs", "Send a draft for review", None, 200),
    ("post", "/api/v1/breakthroughs/{id}/accept", "breakthroughs", "Accept a submitted registration: its milestones become tasks of the call's dispatch (the province's own needs decision_ref)", Some("BreakthroughDecision"), 200),
    ("post", "/api/v1/breakthroughs/{id}/return", "breakthroughs", "Return a submitted registration with the reason", Some("BreakthroughDecision"), 200),
    ("get", "/api/v1/rank-commitments", "breakthroughs", "The year's rank commitments, each against the unit's actual rank on the league tables (provisional while the year runs)", None, 200),
    ("post", "/api/v1/rank-commitments", "breakthroughs", "Enter or replace a unit's rank commitment for a year", Some("CommitmentInput"), 201),
    ("get", "/api/v1/emulation", "breakthroughs", "The year's emulation summary per unit: tasks and reports on time, rank against commitment, breakthroughs", None, 200),
    ("get", "/api/v1/emulation.xlsx", "breakthroughs", "The emulation summary as a workbook", None, 200),
    ("post", "/api/v1/assignments/reviews", "tasks", "Confirm or return several reported completions at once (ids, decision, reason); answers those decided and those skipped with the reason", Some("BulkReviewInput"), 200),
    ("post", "/api/v1/assignments/{id}/reopen", "tasks", "Reopen a confirmed completion: it awaits confirmation again (reason required, audited)", Some("ReasonInput"), 200),
    ("post", "/api/v1/users/bulk", "accounts", "Create accounts for many units from a CSV (unit code, full name, username, e-mail, phone): every line checked first, a bad one refuses the file with its line numbers; answers each account with its first password, once", Some("BulkAccounts"), 201),
    ("post", "/api/v1/users/{id}/role", "accounts", "Change an account's role and unit (audited; its sessions and tokens end)", Some("ChangeAccount"), 200),
    ("get", "/api/v1/notices", "notices", "The actor's notices inside the app (its unit's reminders and urging notices, its digest), newest first, with the unread count (page, unread=1)", None, 200),
    ("post", "/api/v1/notices/read", "notices", "Mark notices read (ids; every unread one when empty)", Some("ReadInput"), 200),
];

/// The POST routes that also take a multipart upload, and the field of its file.
const UPLOADS: &[(&str, &str)] = &[
    ("/api/v1/assignments/{id}/progress", "evidence"),
    ("/api/v1/meetings/{id}/items/{item}/document", "file"),
    ("/api/v1/meetings/{id}/conclusions/read", "file"),
];

/// The GET routes whose answer is a JSON array.
const ARRAYS: &[&str] = &[
    "/api/v1/groups",
    "/api/v1/bodies",
    "/api/v1/indicators/imports",
];

/// The answers that are files, not JSON: documents and workbooks by their name, uploaded
/// files as they were sent.
fn answer_of(method: &str, path: &str) -> Option<&'static str> {
    if method != "get" {
        return None;
    }
    if path.ends_with(".docx") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if path.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else if path.ends_with(".ics") {
        Some("text/calendar")
    } else if path.ends_with("/document") || path.starts_with("/api/v1/attachments/") {
        Some("application/octet-stream")
    } else {
        None
    }
}

fn obj(props: &[(&str, &str)], required: &[&str]) -> Value {
    let mut p = Map::new();
    for (name, ty) in props {
        let schema = match *ty {
            "ids" => json!({"type": "array", "items": {"type": "integer"}}),
            "date" => json!({"type": "string", "format": "date"}),
            t => json!({"type": t}),
        };
        p.insert(name.to_string(), schema);
    }
    json!({"type": "object", "properties": p, "required": required})
}

/// A reviewed import: the directive's fields and the tasks as the reviewer left them.
fn import_review() -> Value {
    let task = obj(
        &[
            ("include", "boolean"),
            ("ref", "string"),
            ("title", "string"),
            ("lead", "string"),
            ("coordinators", "string"),
            ("deadline", "string"),
            ("product", "string"),
        ],
        &["title", "lead"],
    );
    let mut r = obj(
        &[
            ("province_code", "string"),
            ("body_id", "integer"),
            ("kind", "string"),
            ("number", "string"),
            ("issued_on", "date"),
            ("issuer", "string"),
            ("signer", "string"),
            ("summary", "string"),
            ("body_text", "string"),
            ("if_published", "string"),
        ],
        &[
            "province_code",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "summary",
            "tasks",
        ],
    );
    r["properties"]["tasks"] = json!({"type": "array", "items": task});
    r
}

/// The schemas of the meetings' inputs.
fn meeting_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "MeetingInput",
            obj(
                &[
                    ("body_id", "integer"),
                    ("other_bodies", "ids"),
                    ("kind", "string"),
                    ("title", "string"),
                    ("chair_member_id", "integer"),
                    ("planned_on", "date"),
                    ("window_end", "date"),
                    ("starts_at", "string"),
                    ("place", "string"),
                    ("online_link", "string"),
                    ("period", "string"),
                    ("schedule_id", "integer"),
                ],
                &["body_id", "kind", "planned_on"],
            ),
        ),
        (
            "StateChange",
            obj(&[("reason", "string"), ("planned_on", "date")], &["reason"]),
        ),
        ("MinutesInput", obj(&[("minutes", "string")], &[])),
        (
            "StepInput",
            obj(
                &[
                    ("title", "string"),
                    ("audience", "string"),
                    ("days_before", "integer"),
                    ("task_id", "integer"),
                ],
                &["title", "audience", "days_before"],
            ),
        ),
        ("StepMark", obj(&[("done", "boolean")], &["done"])),
        (
            "ItemInput",
            obj(
                &[
                    ("title", "string"),
                    ("presenter_unit_id", "integer"),
                    ("presenter_name", "string"),
                    ("planned_minutes", "integer"),
                    ("document", "string"),
                ],
                &["title"],
            ),
        ),
        ("NotesInput", obj(&[("notes", "string")], &["notes"])),
        (
            "InviteInput",
            obj(
                &[
                    ("unit_id", "integer"),
                    ("person_name", "string"),
                    ("position", "string"),
                ],
                &[],
            ),
        ),
        (
            "AttendanceInput",
            obj(
                &[("attendance", "string"), ("delegate_name", "string")],
                &["attendance"],
            ),
        ),
        (
            "ConclusionInput",
            obj(
                &[
                    ("kind", "string"),
                    ("body", "string"),
                    ("lead_units", "ids"),
                    ("coordinators", "ids"),
                    ("deadline_text", "string"),
                    ("product", "string"),
                ],
                &["kind", "body"],
            ),
        ),
        ("PastedText", obj(&[("text", "string")], &["text"])),
        (
            "NoticeInput",
            obj(
                &[
                    ("number", "string"),
                    ("issued_on", "date"),
                    ("issuer", "string"),
                    ("signer", "string"),
                    ("summary", "string"),
                ],
                &["number"],
            ),
        ),
    ]
}

fn breakthrough_schemas() -> Vec<(&'static str, Value)> {
    let target = obj(
        &[
            ("criterion", "string"),
            ("indicator", "string"),
            ("target", "number"),
        ],
        &["criterion"],
    );
    let milestone = obj(
        &[
            ("title", "string"),
            ("due_on", "date"),
            ("product", "string"),
        ],
        &["title", "due_on"],
    );
    let mut registration = obj(
        &[
            ("call_id", "integer"),
            ("unit_id", "integer"),
            ("province_own", "boolean"),
            ("proposer_unit_id", "integer"),
            ("field", "string"),
            ("title", "string"),
            ("rationale", "string"),
            ("solutions", "string"),
            ("products", "string"),
            ("leader", "string"),
        ],
        &[
            "field",
            "title",
            "rationale",
            "leader",
            "targets",
            "milestones",
        ],
    );
    registration["properties"]["targets"] = json!({"type": "array", "items": target});
    registration["properties"]["milestones"] = json!({"type": "array", "items": milestone});
    registration["properties"]["field"]["enum"] = json!(["cchc", "cds", "da06"]);
    let mut call = obj(
        &[
            ("year", "integer"),
            ("number", "string"),
            ("issued_on", "date"),
            ("due_on", "date"),
            ("summary", "string"),
            ("unit_ids", "ids"),
        ],
        &["number", "issued_on", "due_on"],
    );
    call["properties"]["kinds"] =
        json!({"type": "array", "items": {"type": "string", "enum": ["department", "commune"]}});
    vec![
        ("RegistrationInput", registration),
        ("ReadInput", obj(&[("ids", "ids")], &[])),
        (
            "BulkReviewInput",
            obj(
                &[("ids", "ids"), ("decision", "string"), ("reason", "string")],
                &["ids", "decision"],
            ),
        ),
        ("ReasonInput", obj(&[("reason", "string")], &["reason"])),
        (
            "BulkAccounts",
            obj(&[("csv", "string"), ("role", "string")], &["csv"]),
        ),
        (
            "ChangeAccount",
            obj(&[("role", "string"), ("unit_id", "integer")], &["role"]),
        ),
        ("CallInput", call),
        (
            "BreakthroughDecision",
            obj(&[("reason", "string"), ("decision_ref", "string")], &[]),
        ),
        (
            "CommitmentInput",
            obj(
                &[
                    ("year", "integer"),
                    ("unit_id", "integer"),
                    ("target_rank", "string"),
                    ("target_score", "string"),
                    ("note", "string"),
                ],
                &["target_rank"],
            ),
        ),
    ]
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, tag, summary, body, status) in OPS {
        // the lists answered as a bare array; everything else is an object
        let shape = if *method == "get" && ARRAYS.contains(path) {
            json!({"type": "array", "items": {"type": "object"}})
        } else {
            json!({"type": "object"})
        };
        let content = match answer_of(method, path) {
            Some(kind) => json!({kind: {"schema": {"type": "string", "format": "binary"}}}),
            None => json!({"application/json": {"schema": shape}}),
        };
        let mut op = json!({
            "tags": [tag],
            "summary": summary,
            "responses": {
                status.to_string(): {"description": "OK", "content": content},
                "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
                "422": {"$ref": "#/components/responses/Error"},
            }
        });
        if *method != "get" {
            // a change that conflicts with the state (a decision already made, a meeting held)
            op["responses"]["409"] = json!({"$ref": "#/components/responses/Error"});
        }
        let params: Vec<Value> = [
            ("id", "integer"),
            ("member", "integer"),
            ("code", "string"),
            ("step", "integer"),
            ("item", "integer"),
            ("participant", "integer"),
            ("conclusion", "integer"),
        ]
        .iter()
        .filter(|(p, _)| path.contains(&format!("{{{p}}}")))
        .map(|(p, t)| json!({"name": p, "in": "path", "required": true, "schema": {"type": t}}))
        .collect();
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        if let Some(b) = body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{b}")}}}});
        }
        if let Some((_, field)) = UPLOADS.iter().find(|(p, _)| *method == "post" && p == path) {
            // an upload: its file (beside the JSON body, when the operation takes one)
            let form = json!({"schema": {"type": "object", "properties": {*field: {"type": "string", "format": "binary"}}}});
            match op.get_mut("requestBody") {
                Some(rb) => rb["content"]["multipart/form-data"] = form,
                None => {
                    op["requestBody"] =
                        json!({"required": true, "content": {"multipart/form-data": form}})
                }
            }
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "steerco API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Theo dõi văn bản chỉ đạo, nhiệm vụ và tiến độ. Errors are {code, message, fields}."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": obj(&[("code", "string"), ("message", "string"), ("fields", "array")], &["code", "message"]),
                "UnitInput": obj(&[("code", "string"), ("name", "string"), ("short_name", "string"), ("kind", "string"), ("parent_id", "integer"), ("province_code", "string"), ("valid_from", "date"), ("valid_to", "date")], &["code", "name", "kind", "province_code"]),
                "SuccessorInput": obj(&[("successor_id", "integer"), ("share", "string")], &["successor_id"]),
                "GroupUpdate": obj(&[("name", "string"), ("members", "ids")], &["name"]),
                "GroupInput": obj(&[("province_code", "string"), ("name", "string"), ("members", "ids")], &["province_code", "name", "members"]),
                "BodyInput": obj(&[("code", "string"), ("name", "string"), ("kind", "string"), ("province_code", "string"), ("standing_unit_id", "integer"), ("meeting_cadence", "string"), ("description", "string")], &["code", "name", "kind", "province_code"]),
                "MemberInput": obj(&[("person_name", "string"), ("position", "string"), ("unit_id", "integer"), ("role", "string"), ("domain", "string")], &["person_name", "role"]),
                "DirectiveInput": obj(&[("body_id", "integer"), ("province_code", "string"), ("kind", "string"), ("number", "string"), ("issued_on", "date"), ("issuer", "string"), ("signer", "string"), ("summary", "string"), ("body_text", "string"), ("parent_id", "integer")], &["province_code", "kind", "number", "issued_on", "issuer", "summary"]),
                "TaskInput": obj(&[("ref", "string"), ("title", "string"), ("lead_units", "ids"), ("lead_groups", "ids"), ("lead_text", "string"), ("coordinators", "ids"), ("coordinators_text", "string"), ("deadline_text", "string"), ("deadline_kind", "string"), ("deadline_value", "string"), ("recurrence", "string"), ("product", "string")], &["title"]),
                "ReportValues": {"type": "object", "properties": {"values": {"type": "object", "additionalProperties": {"type": "string"}}, "submit": {"type": "boolean"}}, "required": ["values"]},
                "ReportDecision": obj(&[("accept", "boolean"), ("note", "string")], &["accept"]),
                "ProgressInput": obj(&[("result", "string"), ("difficulties", "string"), ("proposals", "string"), ("percent", "integer"), ("done", "boolean"), ("completed_on", "date"), ("period", "string")], &["result"]),
                "ReviewInput": obj(&[("decision", "string"), ("reason", "string")], &["decision"]),
                "ExtensionRequest": obj(&[("requested_due", "date"), ("reason", "string")], &["requested_due", "reason"]),
                "UserInput": obj(&[("username", "string"), ("password", "string"), ("full_name", "string"), ("role", "string"), ("unit_id", "integer")], &["username", "password", "full_name", "role"]),
                "ActiveInput": obj(&[("active", "boolean")], &["active"]),
                "PasswordInput": obj(&[("password", "string")], &["password"]),
                "UserInput": obj(&[("username", "string"), ("password", "string"), ("full_name", "string"), ("role", "string"), ("unit_id", "integer")], &["username", "password", "full_name", "role"]),
                "ActiveInput": obj(&[("active", "boolean")], &["active"]),
                "PasswordInput": obj(&[("password", "string")], &["password"]),
                "ImportReview": import_review(),
                "WithdrawInput": obj(&[("reason", "string")], &["reason"]),
                "ExtensionDecision": obj(&[("decision", "string"), ("note", "string"), ("granted_due", "date")], &["decision"]),
            }
        }
    });
    for (name, schema) in meeting_schemas().into_iter().chain(breakthrough_schemas()) {
        doc["components"]["schemas"][name] = schema;
    }
    doc
}
