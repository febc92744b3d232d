//! The meeting cycle of a steering committee, as its secretariat and units live it: a meeting
//! and its notice of conclusions, the next quarterly meeting prepared in the shape of example
//! 003 (units report D−4, the consolidation D−1), units submitting (one late), the follow-up of
//! the previous conclusions, attendance with a delegate, conclusions that become tasks, and the
//! follow-up at the meeting after.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A new officer of `unit` with an API token.
async fn officer(app: &mut TestApp, username: &'static str, unit: &str) {
    let unit_id = app.unit(unit).await;
    steerco::auth::repo::create_user(
        &app.db,
        None,
        steerco::auth::repo::NewUser {
            username,
            password: PASSWORD,
            full_name: username,
            role: steerco::auth::Role::Officer,
            unit_id: Some(unit_id),
            body_id: None,
        },
    )
    .await
    .unwrap();
    let t = steerco::auth::repo::create_api_token(&app.db, username, "test")
        .await
        .unwrap();
    app.tokens.insert(username, t);
}

/// The committee of example 003: standing agency Sở Nội vụ, chaired by the province's head,
/// members from the Department of Justice and of Health. Returns (body, chair, member STP,
/// member SYT) ids.
async fn committee(app: &TestApp) -> (i64, i64, i64, i64) {
    let snv = app.unit("75.SNV").await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/bodies",
            json!({"code": "BCD-CCHC", "name": "Ban Chỉ đạo CCHC tỉnh", "kind": "steering_committee",
                   "province_code": "75", "standing_unit_id": snv, "meeting_cadence": "Hằng quý"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let body = v["id"].as_i64().unwrap();
    let mut ids = vec![];
    for (name, unit, role) in [
        ("Nguyễn Văn Thọ", "75", "head"),
        ("Lê Thị Tư Pháp", "75.STP", "member"),
        ("Phạm Văn Y Tế", "75.SYT", "member"),
    ] {
        let unit_id = app.unit(unit).await;
        let (s, v) = app
            .post(
                "secretary",
                &format!("/api/v1/bodies/{body}/members"),
                json!({"person_name": name, "position": "Thành viên", "unit_id": unit_id, "role": role}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_i64().unwrap());
    }
    (body, ids[0], ids[1], ids[2])
}

/// The committee, and its regular meeting of 29/03/2024 created in draft on 11/03 (its members
/// invited). Returns (body, meeting).
async fn committee_meeting_on_2024_03_29(app: &TestApp) -> (i64, i64) {
    app.clock.travel_to(day("2024-03-11"));
    let (body, ..) = committee(app).await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "2024-03-29"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (body, v["id"].as_i64().unwrap())
}

/// The quarterly cascade through the pages, as the secretary sets it up: departments report to
/// Sở Nội vụ, which reports to the province. Returns (top, departments) schedule ids.
async fn cascade(app: &TestApp) -> (i64, i64) {
    let sec = app.browser("secretary").await;
    let tpl = [
        ("name", "Báo cáo quý CCHC"),
        ("description", ""),
        ("label_0", "Kết quả thực hiện"),
        ("key_0", "ket_qua"),
        ("kind_0", "narrative"),
        ("required_0", "1"),
        ("label_1", "Hồ sơ tiếp nhận"),
        ("key_1", "hs_tiep_nhan"),
        ("kind_1", "number"),
    ];
    let r = app
        .submit(&sec, "/reports/templates/new", "/reports/templates", &tpl)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (tpl,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT id FROM report_templates ORDER BY id DESC LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let mut made = vec![];
    for (name, receiver, units, parent) in [
        ("Báo cáo quý trình UBND tỉnh", "75", vec!["75.SNV"], None),
        (
            "Báo cáo quý của các sở",
            "75.SNV",
            vec!["75.STP", "75.SYT"],
            Some(0usize),
        ),
    ] {
        let mut f: Vec<(String, String)> = vec![
            ("name".into(), name.into()),
            ("template_id".into(), tpl.to_string()),
            (
                "receiver_unit_id".into(),
                app.unit(receiver).await.to_string(),
            ),
            ("frequency".into(), "quarterly".into()),
            ("cutoff_day".into(), "14".into()),
            ("due_rule".into(), "day_of_month".into()),
            ("due_value".into(), "20".into()),
            ("reminder_offsets".into(), "-1".into()),
            (
                "parent_id".into(),
                parent
                    .map(|i: usize| made[i])
                    .map(|x: i64| x.to_string())
                    .unwrap_or_default(),
            ),
        ];
        for u in units {
            f.push(("units".into(), app.unit(u).await.to_string()));
        }
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .submit(
                &sec,
                "/reports/schedules/new",
                "/reports/schedules",
                &fields,
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        made.push(loc.rsplit('/').next().unwrap().parse().unwrap());
    }
    (made[0], made[1])
}

async fn request_id(app: &TestApp, schedule: i64, unit: &str, period: &str) -> (i64, String) {
    let unit = app.unit(unit).await;
    steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT id, due_on FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND period = $3"
    )
    .bind(schedule)
    .bind(unit)
    .bind(period)
    .fetch_one(p)
    .await)
    .unwrap()
}

/// The secretary's action `what` on meeting `id`.
async fn act(app: &TestApp, id: i64, what: &str, body: Value) -> (StatusCode, Value) {
    app.post("secretary", &format!("/api/v1/meetings/{id}/{what}"), body)
        .await
}

async fn docx(app: &TestApp, who: &str, path: &str) -> (Vec<u8>, String) {
    let r = app
        .client
        .get(app.url(path))
        .bearer_auth(&app.tokens[who])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let bytes = r.bytes().await.unwrap().to_vec();
    let text = steerco::documents::docx::text_of(&bytes).expect("the .docx opens");
    (bytes, text)
}

fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("STEERCO_KEEP_DOCS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}"), bytes).unwrap();
    }
}

async fn pack(app: &TestApp, who: &str, id: i64) -> Value {
    let (s, v) = app.get(who, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["pack"].clone()
}

fn statuses(pack: &Value) -> Vec<(String, String)> {
    let mut out = vec![];
    for u in pack["followup"]["units"].as_array().unwrap() {
        for t in u["tasks"].as_array().unwrap() {
            out.push((
                u["unit_name"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

#[tokio::test]
async fn a_quarter_of_meetings_from_preparation_to_the_follow_up_of_their_conclusions() {
    let mut app = spawn_app().await;
    app.clock.travel_to(day("2024-03-11"));
    officer(&mut app, "cb_stp", "75.STP").await;
    officer(&mut app, "cb_syt", "75.SYT").await;
    let (body, chair, member_stp, member_syt) = committee(&app).await;
    let (top, departments) = cascade(&app).await;
    let (stp, syt, skhcn) = (
        app.unit("75.STP").await,
        app.unit("75.SYT").await,
        app.unit("75.SKHCN").await,
    );

    // -- bad input writes nothing and says why
    let meetings_before = app.count("meetings").await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "01/03/2024"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"].as_str().unwrap().contains("Ngày họp đã qua"),
        "{v}"
    );
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "2024-03-29", "schedule_id": top, "period": "quý một"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("Kỳ báo cáo không hợp lệ"),
        "{v}"
    );
    assert_eq!(app.count("meetings").await, meetings_before);
    // a unit officer runs no meeting of a body whose standing agency is another unit
    let (s, _) = app
        .post(
            "cb_stp",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "2024-03-29"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // -- the previous meeting, held on 14/3, gives two tasks in its notice
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "extraordinary", "title": "Họp Ban Chỉ đạo nghe báo cáo Kế hoạch CCHC năm 2024",
                   "chair_member_id": chair, "planned_on": "2024-03-14", "starts_at": "14:00", "place": "Phòng họp số 1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let first = v["id"].as_i64().unwrap();
    let (s, v) = act(&app, first, "convene", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // not before its day
    let (s, v) = act(&app, first, "hold", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    app.clock.travel_to(day("2024-03-14"));
    let (s, _) = act(
        &app,
        first,
        "hold",
        json!({"minutes": "Thống nhất họp chung 03 Ban Chỉ đạo."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    for (text, lead, deadline) in [
        (
            "Rà soát, công bố thủ tục hành chính nội bộ",
            stp,
            "Trước ngày 20/3/2024",
        ),
        ("Số hóa hồ sơ bệnh án điện tử", syt, "Trước ngày 25/3/2024"),
    ] {
        let (s, v) = act(
            &app,
            first,
            "conclusions",
            json!({"kind": "task", "body": text, "lead_units": [lead], "deadline_text": deadline}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = act(
        &app,
        first,
        "notice",
        json!({"number": "147/TB-UBND", "issued_on": "2024-03-14", "signer": "Nguyễn Văn Thọ"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // The department of justice finishes its task on time; health does not.
    let (_, my) = app.get("cb_stp", "/api/v1/my").await;
    let owed = my.to_string();
    assert!(
        owed.contains("Rà soát, công bố thủ tục hành chính nội bộ"),
        "{owed}"
    );
    let assignment = steerco::tracking::task_assignments(
        &app.db,
        pack(&app, "secretary", first).await["conclusions"][0]["task_id"]
            .as_i64()
            .unwrap(),
    )
    .await
    .unwrap()[0]
        .id;
    app.clock.travel_to(day("2024-03-18"));
    let (s, v) = app
        .post(
            "cb_stp",
            &format!("/api/v1/assignments/{assignment}/progress"),
            json!({"result": "Đã công bố 12 thủ tục nội bộ", "percent": 100, "done": true}),
        )
        .await;
    assert!(s.is_success(), "{v}");

    // -- the quarterly meeting, prepared in the shape of example 003
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "chair_member_id": chair, "planned_on": "2024-03-29",
                   "window_end": "2024-04-05", "starts_at": "08:00", "place": "Hội trường UBND tỉnh",
                   "schedule_id": top, "period": "2024-Q1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let quarterly = v["id"].as_i64().unwrap();
    let p = pack(&app, "secretary", quarterly).await;
    assert_eq!(
        p["meeting"]["title"],
        "Họp định kỳ Ban Chỉ đạo CCHC tỉnh Quý I/2024"
    );
    let steps = p["readiness"].as_array().unwrap();
    let step_of = |schedule: i64| {
        steps
            .iter()
            .find(|s| s["step"]["schedule_id"] == schedule)
            .unwrap()
            .clone()
    };
    // units D−4 (25/3), the consolidation D−1 (28/3)
    assert_eq!(step_of(departments)["step"]["due_on"], "2024-03-25");
    assert_eq!(step_of(top)["step"]["due_on"], "2024-03-28");
    // the follow-up fills itself from the notice 147/TB-UBND
    assert_eq!(p["items"][0]["document"], "followup");
    assert_eq!(p["followup"]["notice"]["number"], "147/TB-UBND");

    let (s, _) = act(&app, quarterly, "convene", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    // convening opened the departments' reports, due on the step's date
    let (req_stp, due) = request_id(&app, departments, "75.STP", "2024-Q1").await;
    assert_eq!(due, "2024-03-25");
    let (req_syt, _) = request_id(&app, departments, "75.SYT", "2024-Q1").await;
    let values = json!({"values": {"ket_qua": "Hoàn thành 90% kế hoạch", "hs_tiep_nhan": "1200"}, "submit": true});
    app.clock.travel_to(day("2024-03-22"));
    let (s, v) = app
        .put(
            "cb_stp",
            &format!("/api/v1/reports/requests/{req_stp}"),
            values.clone(),
        )
        .await;
    assert_eq!(
        (s, v["late"].clone()),
        (StatusCode::OK, json!(false)),
        "{v}"
    );
    app.clock.travel_to(day("2024-03-26"));
    let (s, v) = app
        .put(
            "cb_syt",
            &format!("/api/v1/reports/requests/{req_syt}"),
            values,
        )
        .await;
    assert_eq!((s, v["late"].clone()), (StatusCode::OK, json!(true)), "{v}");
    let p = pack(&app, "secretary", quarterly).await;
    let ready: Vec<(String, String)> = step_of_in(&p, departments);
    assert_eq!(
        ready,
        vec![
            ("Sở Tư pháp".to_string(), "in".to_string()),
            ("Sở Y tế".to_string(), "late".to_string())
        ]
    );
    // Sở Nội vụ has not consolidated yet: awaited until 28/3, then missing
    assert_eq!(
        step_of_in(&p, top),
        vec![("Sở Nội vụ".to_string(), "awaited".to_string())]
    );

    // -- the meeting is in the calendars: the unit's feed and the body's
    let stp_officer = steerco::auth::repo::actor_by_username(&app.db, "cb_stp")
        .await
        .unwrap()
        .unwrap();
    let token = steerco::org::renew_calendar_token(&app.db, &stp_officer, stp)
        .await
        .unwrap();
    let ics = app
        .client
        .get(app.url(&format!("/calendar/{token}.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("SUMMARY:Họp: Họp định kỳ Ban Chỉ đạo CCHC tỉnh Quý I/2024"),
        "{ics}"
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:20240329"), "{ics}");
    // a calendar cannot follow a relative link: the events' addresses are whole
    assert!(
        ics.contains(&format!("URL:{}/meetings/", app.base)),
        "{ics}"
    );
    let sec = app.browser("secretary").await;
    let r = app
        .submit(&sec, "/meetings", &format!("/bodies/{body}/calendar"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = sec
        .get(app.url("/meetings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let feed = html
        .split("/calendar/bodies/")
        .nth(1)
        .unwrap()
        .split(".ics")
        .next()
        .unwrap()
        .to_string();
    let ics = app
        .client
        .get(app.url(&format!("/calendar/bodies/{feed}.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("Họp định kỳ Ban Chỉ đạo CCHC tỉnh Quý I/2024"),
        "{ics}"
    );
    // and on the unit's own page
    let stp_page = app.browser("cb_stp").await;
    let html = stp_page
        .get(app.url("/my"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Cuộc họp sắp tới")
            && html.contains("Họp định kỳ Ban Chỉ đạo CCHC tỉnh Quý I/2024"),
        "{html}"
    );
    // the calendar address to paste is whole
    assert!(
        html.contains(&format!("{}/calendar/{token}.ics", app.base)),
        "{html}"
    );
    // the officer of a member unit cannot renew the body's calendar
    let r = app
        .submit(
            &app.browser("cb_stp").await,
            "/meetings",
            &format!("/bodies/{body}/calendar"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // -- the meeting is held on 29/3: attendance, a delegate, the follow-up as of that day
    app.clock.travel_to(day("2024-03-29"));
    let p = pack(&app, "secretary", quarterly).await;
    assert_eq!(
        step_of_in(&p, top),
        vec![("Sở Nội vụ".to_string(), "missing".to_string())]
    );
    let mut f = statuses(&p);
    f.sort();
    assert_eq!(
        f,
        vec![
            ("Sở Tư pháp".to_string(), "done_on_time".to_string()),
            ("Sở Y tế".to_string(), "overdue".to_string())
        ]
    );
    let (s, v) = act(
        &app,
        quarterly,
        "participants",
        json!({"unit_id": skhcn, "position": "Giám đốc Sở Khoa học và Công nghệ"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let guest = v["id"].as_i64().unwrap();
    let participant_of = |p: &Value, member: i64| {
        p["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["member_id"] == member)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let p = pack(&app, "secretary", quarterly).await;
    let (pc, pstp, psyt) = (
        participant_of(&p, chair),
        participant_of(&p, member_stp),
        participant_of(&p, member_syt),
    );
    // a guest sends no delegate; a delegate needs a name
    let (s, v) = act(
        &app,
        quarterly,
        &format!("participants/{guest}"),
        json!({"attendance": "represented", "delegate_name": "Ông A"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"].as_str().unwrap().contains("Chỉ thành viên"),
        "{v}"
    );
    let p = pack(&app, "secretary", quarterly).await;
    let g = p["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == guest)
        .unwrap()
        .clone();
    assert_eq!(
        (g["attendance"].as_str(), g["delegate_name"].as_str()),
        (Some(""), Some("")),
        "nothing written"
    );
    let (s, _) = act(
        &app,
        quarterly,
        &format!("participants/{psyt}"),
        json!({"attendance": "represented"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for (pid, a, d) in [
        (pc, "present", ""),
        (pstp, "present", ""),
        (psyt, "represented", "Trần Văn B, Phó Giám đốc Sở Y tế"),
        (guest, "absent", ""),
    ] {
        let (s, v) = act(
            &app,
            quarterly,
            &format!("participants/{pid}"),
            json!({"attendance": a, "delegate_name": d}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, _) = act(&app, quarterly, "hold", json!({"minutes": ""})).await;
    assert_eq!(s, StatusCode::OK);

    // -- conclusions: a task with no lead is refused; information and tasks are recorded
    let before = app.count("meeting_conclusions").await;
    let (s, v) = act(&app, quarterly, "conclusions", json!({"kind": "task", "body": "Đưa Trung tâm phục vụ hành chính công cấp xã vào hoạt động"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("phải có đơn vị chủ trì"),
        "{v}"
    );
    assert_eq!(app.count("meeting_conclusions").await, before);
    let commune = app.unit("26041").await;
    for c in [
        json!({"kind": "information", "body": "Quý I/2024, tỉnh hoàn thành 85% nhiệm vụ có thời hạn."}),
        json!({"kind": "task", "body": "Đưa Trung tâm phục vụ hành chính công cấp xã vào hoạt động", "lead_units": [commune],
               "coordinators": [stp], "deadline_text": "Trước ngày 01/7/2024", "product": "Trung tâm hoạt động"}),
        json!({"kind": "task", "body": "Hoàn thành số hóa hồ sơ bệnh án điện tử", "lead_units": [syt], "deadline_text": "Trước ngày 30/4/2024"}),
    ] {
        let (s, v) = app
            .post(
                "secretary",
                &format!("/api/v1/meetings/{quarterly}/conclusions"),
                c,
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = act(
        &app,
        quarterly,
        "notice",
        json!({"number": "293/TB-UBND", "issued_on": "2024-04-01"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a notice dated after today: {v}"
    );
    app.clock.travel_to(day("2024-04-01"));
    let (s, v) = act(
        &app,
        quarterly,
        "notice",
        json!({"number": "293/TB-UBND", "issued_on": "2024-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let notice = v["id"].as_i64().unwrap();
    let (_, d) = app
        .get("secretary", &format!("/api/v1/directives/{notice}"))
        .await;
    assert_eq!(d["directive"]["kind"], "notice");
    assert_eq!(d["tasks"].as_array().unwrap().len(), 2, "{d}");
    // its tasks are on the units' pages
    let (_, my) = app.get("officer_commune", "/api/v1/my").await;
    assert!(
        my.to_string()
            .contains("Đưa Trung tâm phục vụ hành chính công cấp xã vào hoạt động"),
        "{my}"
    );
    // a second notice for the same meeting is refused
    let (s, _) = act(&app, quarterly, "notice", json!({"number": "294/TB-UBND"})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // -- every document opens and says what it should
    let (b, t) = docx(
        &app,
        "secretary",
        &format!("/api/v1/meetings/{quarterly}/preparation.docx"),
    )
    .await;
    assert!(
        t.contains("V/v chuẩn bị nội dung họp Ban Chỉ đạo CCHC tỉnh"),
        "{t}"
    );
    assert!(t.contains("chậm nhất ngày 25/03/2024"), "{t}");
    keep("cong-van-chuan-bi-hop.docx", &b);
    let (b, t) = docx(
        &app,
        "secretary",
        &format!("/api/v1/meetings/{quarterly}/invitation.docx"),
    )
    .await;
    assert!(
        t.contains("GIẤY MỜI") && t.contains("Hội trường UBND tỉnh"),
        "{t}"
    );
    keep("giay-moi-hop.docx", &b);
    let (b, t) = docx(
        &app,
        "secretary",
        &format!("/api/v1/meetings/{quarterly}/notice.docx"),
    )
    .await;
    assert!(
        t.contains("THÔNG BÁO") && t.contains("Số: 293/TB-UBND"),
        "{t}"
    );
    assert!(
        t.contains("Trần Văn B, Phó Giám đốc Sở Y tế (dự thay"),
        "{t}"
    );
    keep("thong-bao-ket-luan.docx", &b);
    let (b, t) = docx(
        &app,
        "leader",
        &format!("/api/v1/meetings/{quarterly}/pack.docx"),
    )
    .await;
    assert!(
        t.contains("TÀI LIỆU PHỤC VỤ CUỘC HỌP") && t.contains("147/TB-UBND"),
        "{t}"
    );
    keep("tai-lieu-hop.docx", &b);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/meetings/{quarterly}/pack.xlsx")))
        .bearer_auth(&app.tokens["leader"])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let xlsx = r.bytes().await.unwrap().to_vec();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&xlsx)).expect("the .xlsx is a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains("Sở Y tế") && sheet.contains("Có, nhưng muộn"),
        "{sheet}"
    );
    keep("tai-lieu-hop.xlsx", &xlsx);

    // -- access: a leader reads but does not change; a member's unit sees its meeting
    let (s, _) = app
        .post(
            "leader",
            &format!("/api/v1/meetings/{quarterly}/close"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .get("cb_stp", &format!("/api/v1/meetings/{quarterly}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .get("officer_commune", &format!("/api/v1/meetings/{quarterly}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, list) = app.get("cb_stp", "/api/v1/meetings").await;
    assert_eq!(list["total"], 2, "{list}");

    // -- the next quarter's meeting follows up the notice 293/TB-UBND
    let (s, _) = act(&app, quarterly, "close", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    app.clock.travel_to(day("2024-06-10"));
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "2024-06-27", "schedule_id": top, "period": "2024-Q2"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let next = v["id"].as_i64().unwrap();
    let p = pack(&app, "secretary", next).await;
    assert_eq!(p["followup"]["notice"]["number"], "293/TB-UBND");
    let mut f = statuses(&p);
    f.sort();
    let commune_name = p["followup"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == commune)
        .unwrap()["unit_name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        f.contains(&(commune_name, "in_progress".to_string())),
        "{f:?}"
    );
    assert!(
        f.contains(&("Sở Y tế".to_string(), "overdue".to_string())),
        "{f:?}"
    );
    // the history keeps every state
    let (_, v) = app
        .get("secretary", &format!("/api/v1/meetings/{quarterly}"))
        .await;
    let states: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["draft", "convened", "held", "concluded", "closed"]);
}

/// The per-unit readiness of the step following `schedule`: (unit, in/late/missing/awaited).
fn step_of_in(p: &Value, schedule: i64) -> Vec<(String, String)> {
    p["readiness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"]["schedule_id"] == schedule)
        .unwrap()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["unit_name"].as_str().unwrap().to_string(),
                r["ready"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_postponed_meeting_moves_its_timeline_and_keeps_the_reason() {
    let app = spawn_app().await;
    let (_, id) = committee_meeting_on_2024_03_29(&app).await;
    let (s, v) = act(&app, id, "postpone", json!({"reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("lý do"), "{v}");
    let (s, _) = act(
        &app,
        id,
        "postpone",
        json!({"reason": "Trùng lịch tiếp công dân", "planned_on": "2024-04-05"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = app
        .get("secretary", &format!("/api/v1/meetings/{id}"))
        .await;
    assert_eq!(v["pack"]["meeting"]["state"], "postponed");
    assert_eq!(v["pack"]["meeting"]["planned_on"], "2024-04-05");
    // the office's D−3 step moves from 26/3 to 02/4
    let office = v["pack"]["readiness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"]["audience"] == "office")
        .unwrap()
        .clone();
    assert_eq!(office["step"]["due_on"], "2024-04-02");
    let e = v["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(e["reason"], "Trùng lịch tiếp công dân");
    let (s, _) = act(&app, id, "cancel", json!({"reason": "Không còn cần thiết"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = act(&app, id, "convene", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_demo_has_a_concluded_meeting_and_the_next_in_preparation_and_its_pages_answer() {
    let app = spawn(Seed::Demo).await;
    let (s, list) = app.get("thuky", "/api/v1/meetings").await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    let state_of = |title_part: &str, state: &str| {
        items
            .iter()
            .any(|m| m["body_name"].as_str().unwrap().contains(title_part) && m["state"] == state)
    };
    assert!(state_of("Ban Chỉ đạo", "concluded"), "{list}");
    assert!(state_of("Ban Chỉ đạo", "convened"), "{list}");
    assert!(state_of("Tổ công tác", "closed"), "{list}");
    assert!(state_of("Tổ công tác", "draft"), "{list}");
    let next = items.iter().find(|m| m["state"] == "convened").unwrap()["id"]
        .as_i64()
        .unwrap();
    let p = pack(&app, "thuky", next).await;
    // the follow-up of the last quarter's notice, and a timeline with the quarterly cascade
    assert_eq!(p["followup"]["notice"]["number"], "215/TB-UBND");
    assert_eq!(p["followup"]["units"].as_array().unwrap().len(), 3);
    assert!(
        p["readiness"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["step"]["link_kind"] == "report")
            .count()
            >= 3,
        "{}",
        p["readiness"]
    );
    // the pages, as the secretary opens them
    let c = app
        .browser_with("thuky", steerco::tools::demo::DEMO_PASSWORD)
        .await;
    for path in [
        "/meetings".to_string(),
        "/meetings/new".to_string(),
        format!("/meetings/{next}"),
        format!("/meetings/{next}/pack"),
    ] {
        let r = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Cuộc họp") || html.contains("cuộc họp"),
            "{path}"
        );
    }
    let html = c
        .get(app.url(&format!("/meetings/{next}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("215/TB-UBND") && html.contains("Chuẩn bị cuộc họp"),
        "{html}"
    );
    // the secretary corrects the place through the page's form
    let r = app
        .submit(
            &c,
            &format!("/meetings/{next}"),
            &format!("/meetings/{next}"),
            &[
                ("title", p["meeting"]["title"].as_str().unwrap()),
                ("place", "Phòng họp trực tuyến tầng 5"),
                ("starts_at", "14:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url(&format!("/meetings/{next}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Phòng họp trực tuyến tầng 5") && html.contains("14:00"),
        "{html}"
    );
    // a refused form comes back filled in, with the reason beside the date
    let r = app
        .submit(
            &c,
            "/meetings/new",
            "/meetings",
            &[
                ("body_id", &p["meeting"]["body_id"].to_string()),
                ("kind", "regular"),
                ("planned_on", "2001-01-01"),
                ("place", "Phòng họp số 2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Ngày họp đã qua") && html.contains("Phòng họp số 2"),
        "{html}"
    );
}

#[tokio::test]
async fn the_reminder_pass_invites_the_units_and_reminds_the_standing_agency_of_its_steps() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2024-03-11"));
    let (body, ..) = committee(&app).await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "regular", "planned_on": "2024-03-13", "place": "Phòng họp số 1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let hook = gateway().await;
    let ch = steerco::notify::Channels {
        smtp: None,
        webhook: Some(hook.url.clone()),
        ca_pem: None,
    };
    let texts = || -> Vec<String> {
        hook.got
            .lock()
            .unwrap()
            .iter()
            .map(|v| v["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // a draft invites nobody; its steps kept by hand are already due. Two servers' passes at
    // once send each notice once.
    let now = app.clock.now();
    let (a, b) = tokio::join!(
        steerco::notify::tick(&app.db, &ch, now),
        steerco::notify::tick(&app.db, &ch, now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 4, "{a:?} {b:?}");
    assert_eq!(
        texts().iter().filter(|t| t.contains("Kính mời dự")).count(),
        0
    );
    assert_eq!(
        texts()
            .iter()
            .filter(|t| t.contains("Bước chuẩn bị"))
            .count(),
        4,
        "{:?}",
        texts()
    );
    let (s, _) = act(&app, id, "convene", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    steerco::notify::tick(&app.db, &ch, app.clock.now())
        .await
        .unwrap();
    // the three members' units, once each
    assert_eq!(
        texts().iter().filter(|t| t.contains("Kính mời dự")).count(),
        3,
        "{:?}",
        texts()
    );
    steerco::notify::tick(&app.db, &ch, app.clock.now())
        .await
        .unwrap();
    assert_eq!(texts().len(), 7, "sent once per rule and recipient");
}

#[tokio::test]
async fn conclusions_are_read_from_a_draft_and_agenda_items_carry_their_documents() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2024-03-11"));
    let (body, ..) = committee(&app).await;
    let (_, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": body, "kind": "extraordinary", "planned_on": "2024-03-11"}),
        )
        .await;
    let id = v["id"].as_i64().unwrap();
    let (s, _) = act(&app, id, "convene", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let draft = "1. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát, công bố danh mục thủ tục hành chính nội bộ; hoàn thành trước ngày 30/4/2024.\n\
                 2. Giao Sở Y tế chủ trì triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh; hoàn thành trong tháng 6/2024.\n";
    let (s, v) = act(&app, id, "conclusions/read", json!({"text": draft})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["added"], 2, "{v}");
    let p = pack(&app, "secretary", id).await;
    let c = &p["conclusions"][0];
    assert_eq!(c["kind"], "task");
    assert_eq!(c["lead_unit_ids"], app.unit("75.STP").await.to_string());
    assert!(
        c["deadline_text"].as_str().unwrap().contains("30/4/2024"),
        "{c}"
    );
    // the same draft as a file
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(draft.as_bytes().to_vec())
            .file_name("du-thao-thong-bao.txt"),
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{id}/conclusions/read")))
        .bearer_auth(&app.tokens["secretary"])
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.count("meeting_conclusions").await, 4);
    // nothing readable: a clear message, nothing added
    let (s, v) = act(
        &app,
        id,
        "conclusions/read",
        json!({"text": "Kính gửi các đồng chí."}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(app.count("meeting_conclusions").await, 4);

    // an agenda item's document: uploaded by the secretariat, read by the members' units
    let item = p["items"][1]["id"].as_i64().unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 slides".to_vec()).file_name("bao-cao-quy-1.pdf"),
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{id}/items/{item}/document")))
        .bearer_auth(&app.tokens["secretary"])
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let p = pack(&app, "secretary", id).await;
    assert_eq!(p["items"][1]["attachment_name"], "bao-cao-quy-1.pdf");
    let r = app
        .client
        .get(app.url(&format!("/api/v1/meetings/{id}/items/{item}/document")))
        .bearer_auth(&app.tokens["leader"])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 slides");
    let (s, _) = app
        .get(
            "officer_commune",
            &format!("/api/v1/meetings/{id}/items/{item}/document"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A member invited to a meeting stays in its history: removing them from the body is
/// refused with the reason (it was a server error), while a member added after the meeting
/// and never invited is removed.
#[tokio::test]
async fn a_member_who_was_invited_to_a_meeting_is_kept_in_its_history() {
    let app = spawn_app().await;
    let (body, _) = committee_meeting_on_2024_03_29(&app).await;
    let (_, v) = app
        .get("secretary", &format!("/api/v1/bodies/{body}"))
        .await;
    let tu_phap = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person_name"] == "Lê Thị Tư Pháp")
        .and_then(|m| m["id"].as_i64())
        .unwrap();
    let remove = |member: i64| {
        let app = &app;
        async move {
            app.delete(
                "secretary",
                &format!("/api/v1/bodies/{body}/members/{member}"),
            )
            .await
        }
    };
    let (s, v) = remove(tu_phap).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("Lê Thị Tư Pháp"),
        "{v}"
    );
    let (_, b) = app
        .get("secretary", &format!("/api/v1/bodies/{body}"))
        .await;
    assert!(
        b.to_string().contains("Lê Thị Tư Pháp"),
        "still a member: {b}"
    );
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/bodies/{body}/members"),
            json!({"person_name": "Trần Văn Mới", "position": "Thành viên", "role": "member"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = remove(v["id"].as_i64().unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, b) = app
        .get("secretary", &format!("/api/v1/bodies/{body}"))
        .await;
    assert!(!b.to_string().contains("Trần Văn Mới"), "{b}");
}
