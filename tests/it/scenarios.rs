use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{csrf_of, spawn_app};

#[tokio::test]
async fn a_group_expands_into_one_assignment_per_unit() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let communes = app.group("75.XA").await;
    let depts = app.group("75.SBN").await;
    let snv = app.unit("75.SNV").await;
    let (s, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Kiện toàn cán bộ đầu mối kiểm soát TTHC", "lead_groups": [communes, depts], "lead_units": [snv],
                   "lead_text": "Các sở, ban, ngành; UBND cấp xã", "deadline_text": "Thường xuyên"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let a = t["assignments"].as_array().unwrap();
    // 95 communes of Đồng Nai + 15 departments; Sở Nội vụ is in both and counted once.
    assert_eq!(a.len(), 95 + 15);
    assert!(a.iter().all(|x| x["status"] == "ongoing"));
    assert_eq!(t["task"]["recurrence"], "ongoing");
    assert_eq!(t["task"]["lead_text"], "Các sở, ban, ngành; UBND cấp xã");
    // An ongoing duty is reported per period: one commune reports this month.
    let tran_bien = app.unit("26041").await;
    let mine = a
        .iter()
        .find(|x| x["assignment"]["unit_id"] == tran_bien)
        .unwrap()["assignment"]["id"]
        .as_i64()
        .unwrap();
    let (s, e) = app
        .post(
            "officer_commune",
            &format!("/api/v1/assignments/{mine}/progress"),
            json!({"result": "Đã kiện toàn cán bộ đầu mối", "percent": 100}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = app
        .post(
            "officer_commune",
            &format!("/api/v1/assignments/{mine}/progress"),
            json!({"result": "Xong", "done": true}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an ongoing duty is never marked done"
    );
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let reported: Vec<i64> = t["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["reported_this_period"] == true)
        .map(|x| x["assignment"]["unit_id"].as_i64().unwrap())
        .collect();
    assert_eq!(reported, vec![tran_bien]);
    assert_eq!(
        t["period"],
        app.clock.today_vn().format("%Y-%m").to_string()
    );
    let (_, last_month) = app
        .get(
            "admin",
            &format!("/api/v1/tasks/{}?as_of=2025-01-15", v["id"]),
        )
        .await;
    assert!(last_month["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["reported_this_period"] == false));
}

#[tokio::test]
async fn status_on_boundary_dates() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Ban hành kế hoạch kiểm soát TTHC năm 2025", "lead_units": [snv], "deadline_text": "Trước ngày 31/01/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    assert_eq!(t["task"]["deadline_due"], "2025-01-31");
    let status = |day: &'static str| {
        let app = &app;
        async move {
            app.get("admin", &format!("/api/v1/assignments/{aid}?as_of={day}"))
                .await
                .1["status"]
                .clone()
        }
    };
    assert_eq!(
        status("2025-01-31").await,
        "in_progress",
        "the due date itself is still within time"
    );
    assert_eq!(
        status("2025-02-01").await,
        "overdue",
        "unfinished the day after the due date"
    );
    assert_eq!(status("2024-12-30").await, "in_progress");
    // Done on the due date: on time, from that day on.
    let (s, e) = app
        .post("officer_snv", &format!("/api/v1/assignments/{aid}/progress"),
            json!({"result": "Đã ban hành Kế hoạch số 12/KH-SNV", "done": true, "completed_on": "2025-01-31"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_eq!(
        status("2025-01-30").await,
        "in_progress",
        "a completion after the as-of date does not count yet"
    );
    assert_eq!(status("2025-02-01").await, "done_on_time");
    // The secretariat returns it: unfinished again, hence overdue.
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{aid}/review"),
            json!({"decision": "return"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "returning needs a reason"
    );
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{aid}/review"),
            json!({"decision": "return", "reason": "Thiếu minh chứng"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status("2025-02-01").await, "overdue");
    // Reported again a day late, then confirmed: done late.
    app.post(
        "officer_snv",
        &format!("/api/v1/assignments/{aid}/progress"),
        json!({"result": "Đã bổ sung minh chứng", "done": true, "completed_on": "2025-02-01"}),
    )
    .await;
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{aid}/review"),
            json!({"decision": "confirm"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status("2025-02-01").await, "done_late");
    let (_, dash) = app
        .get("leader", "/api/v1/dashboard?as_of=2025-02-01")
        .await;
    assert_eq!(dash["dashboard"]["total"]["done_late"], 1);
    assert_eq!(dash["dashboard"]["total"]["overdue"], 0);
}

#[tokio::test]
async fn role_matrix_with_denials() {
    let app = spawn_app().await;
    let d = app.directive("293/TB-UBND", "2025-05-21").await;
    let snv = app.unit("75.SNV").await;
    let stp = app.unit("75.STP").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Tham mưu tổ chức bộ máy Trung tâm phục vụ hành chính công cấp xã", "lead_units": [snv, stp], "deadline_text": "Trước ngày 01/7/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let of = |unit: i64| {
        t["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["assignment"]["unit_id"] == unit)
            .unwrap()["assignment"]["id"]
            .as_i64()
            .unwrap()
    };
    let (a_snv, a_stp) = (of(snv), of(stp));
    let progress = json!({"result": "Đã trình phương án", "percent": 50});
    let directive = json!({"province_code": "75", "kind": "plan", "number": "1/KH", "issued_on": "2025-01-01", "issuer": "x", "summary": "y"});
    let new_task = json!({"title": "x", "lead_units": [snv]});
    let confirm = json!({"decision": "confirm"});
    let (ok, created, forbidden) = (StatusCode::OK, StatusCode::CREATED, StatusCode::FORBIDDEN);
    // (who, GET path or POST path with body, expected status)
    let cases: Vec<(&str, String, Option<serde_json::Value>, StatusCode)> = vec![
        // Officers: their own unit only, for reading and for writing.
        (
            "officer_snv",
            format!("/api/v1/assignments/{a_snv}/progress"),
            Some(progress.clone()),
            created,
        ),
        (
            "officer_snv",
            format!("/api/v1/assignments/{a_stp}/progress"),
            Some(progress.clone()),
            forbidden,
        ),
        (
            "officer_snv",
            format!("/api/v1/assignments/{a_stp}"),
            None,
            forbidden,
        ),
        (
            "officer_snv",
            format!("/api/v1/my?unit={stp}"),
            None,
            forbidden,
        ),
        ("officer_snv", "/api/v1/dashboard".into(), None, forbidden),
        (
            "officer_snv",
            "/api/v1/directives".into(),
            Some(directive.clone()),
            forbidden,
        ),
        (
            "officer_stp",
            format!("/api/v1/assignments/{a_snv}/review"),
            Some(confirm.clone()),
            forbidden,
        ),
        // Leaders read everything, change nothing.
        ("leader", format!("/api/v1/assignments/{a_stp}"), None, ok),
        ("leader", "/api/v1/dashboard".into(), None, ok),
        (
            "leader",
            format!("/api/v1/assignments/{a_stp}/progress"),
            Some(progress.clone()),
            forbidden,
        ),
        (
            "leader",
            format!("/api/v1/directives/{d}/tasks"),
            Some(new_task.clone()),
            forbidden,
        ),
        ("leader", "/api/v1/audit".into(), None, forbidden),
        // The secretariat directs but does not report for units; only administrators see the country.
        (
            "secretary",
            format!("/api/v1/assignments/{a_stp}/progress"),
            Some(progress.clone()),
            forbidden,
        ),
        ("secretary", "/api/v1/audit".into(), None, ok),
        (
            "secretary",
            "/api/v1/dashboard/national".into(),
            None,
            forbidden,
        ),
        ("admin", "/api/v1/dashboard/national".into(), None, ok),
    ];
    for (who, path, body, expected) in cases {
        let status = match body {
            Some(b) => app.post(who, &path, b).await.0,
            None => app.get(who, &path).await.0,
        };
        assert_eq!(status, expected, "{who} on {path}");
    }
    let (_, task_seen) = app
        .get("officer_snv", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    assert_eq!(
        task_seen["assignments"].as_array().unwrap().len(),
        1,
        "an officer sees only its unit's assignment"
    );

    // Nobody without credentials.
    let r = app.client.get(app.url("/api/v1/my")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .get(app.url("/api/v1/my"))
        .bearer_auth("stc_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "unauthorized");

    // Only the officer's update was written.
    assert_eq!(app.count("progress_updates").await, 1);
}

#[tokio::test]
async fn extension_requested_then_approved_or_refused() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát cán bộ đầu mối", "lead_units": [snv], "deadline_kind": "quarter", "deadline_value": "2025-Q1", "deadline_text": "Quý I/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    assert_eq!(t["task"]["deadline_due"], "2025-03-31");
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let (s, _) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2025-03-01", "reason": "x"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new due date must be later"
    );
    let (s, e) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2025-06-30", "reason": "Chờ sáp nhập đơn vị"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let ext = e["id"].as_i64().unwrap();
    // The request waits in the secretariat's inbox on the dashboard.
    let c = app.browser("secretary").await;
    let dash = c
        .get(app.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dash.contains("Đề nghị gia hạn đến 30/06/2025") && dash.contains("Rà soát cán bộ đầu mối"),
        "inbox lists the request"
    );
    let (_, inbox) = app.get("secretary", "/api/v1/inbox").await;
    assert_eq!(inbox["extensions"]["total"], 1);
    assert_eq!(
        inbox["extensions"]["items"][0]["extension"]["reason"],
        "Chờ sáp nhập đơn vị"
    );
    assert_eq!(
        app.get("officer_snv", "/api/v1/inbox").await.0,
        StatusCode::FORBIDDEN
    );
    let page = c
        .get(app.url("/inbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Đề nghị gia hạn (1)") && page.contains("Hoàn thành chờ xác nhận (0)"));
    let (s, _) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2025-07-30", "reason": "again"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "one pending request at a time");
    assert_eq!(
        app.post(
            "officer_snv",
            &format!("/api/v1/extensions/{ext}/decision"),
            json!({"decision": "approve"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/extensions/{ext}/decision"),
            json!({"decision": "refuse"})
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // asked after the deadline: approving it erases the lateness, which must be said
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/extensions/{ext}/decision"),
            json!({"decision": "approve", "note": "Đồng ý"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["fields"][0]["field"], "forgive_lateness", "{e}");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("sau khi đã quá hạn"));
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/extensions/{ext}/decision"),
            json!({"decision": "approve", "note": "Đồng ý", "forgive_lateness": true})
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/extensions/{ext}/decision"),
            json!({"decision": "refuse", "note": "x"})
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let (_, a) = app
        .get(
            "admin",
            &format!("/api/v1/assignments/{aid}?as_of=2025-05-01"),
        )
        .await;
    assert_eq!(a["assignment"]["due_on"], "2025-06-30");
    assert_eq!(a["status"], "in_progress", "within the extended deadline");
    let (_, audit) = app
        .get(
            "admin",
            &format!("/api/v1/audit?entity=assignment&entity_id={aid}"),
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"request_extension") && actions.contains(&"approve_extension"),
        "{actions:?}"
    );
    let approve = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "approve_extension")
        .unwrap();
    assert!(approve["before_json"]
        .as_str()
        .unwrap()
        .contains("2025-03-31"));
    assert!(approve["after_json"]
        .as_str()
        .unwrap()
        .contains("2025-06-30"));
    assert_eq!(approve["username"], "secretary");
}

#[tokio::test]
async fn bad_input_is_a_clear_error_and_writes_nothing() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let before = (
        app.count("tasks").await,
        app.count("assignments").await,
        app.count("audit_log").await,
    );
    // one unknown lead unit spoils the whole task
    let snv = app.unit("75.SNV").await;
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "X", "lead_units": [snv, 999999]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["code"], "invalid_input");
    assert!(
        v["message"].as_str().unwrap().contains("không thuộc tỉnh"),
        "{v}"
    );
    // every problem reported at once
    let (s, v) = app.post("secretary", "/api/v1/directives", json!({"province_code": "75", "kind": "memo", "number": "", "issued_on": "31/02/2025", "issuer": "", "summary": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["kind", "number", "issuer", "summary", "issued_on"] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    // malformed JSON, wrong types, unknown ids and paths: JSON errors, never a 500
    let r = app
        .client
        .post(app.url("/api/v1/directives"))
        .bearer_auth(&app.tokens["secretary"])
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "invalid_input"
    );
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": 5, "lead_units": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("admin", "/api/v1/assignments/424242").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("admin", "/api/v1/assignments/abc").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("admin", "/api/v1/nothing-here").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("leader", "/api/v1/dashboard?as_of=hôm-qua").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (s, _) = app.post("secretary", &format!("/api/v1/directives/{d}/tasks"), json!({"title": "Y", "lead_units": [snv], "deadline_kind": "quarter", "deadline_value": "2025-Q7"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app.post("admin", "/api/v1/units", json!({"code": "75.SNV", "name": "Trùng mã", "kind": "department", "province_code": "75"})).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a duplicate code is a field error"
    );
    assert_eq!(
        before,
        (
            app.count("tasks").await,
            app.count("assignments").await,
            app.count("audit_log").await
        )
    );
}

#[tokio::test]
async fn search_ignores_diacritics_and_lists_sort_in_vietnamese_order() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let stp = app.unit("75.STP").await;
    app.post("secretary", &format!("/api/v1/directives/{d}/tasks"), json!({"title": "Thực hiện các chương trình đối thoại với doanh nghiệp", "lead_units": [snv]})).await;
    app.post(
        "secretary",
        &format!("/api/v1/directives/{d}/tasks"),
        json!({"title": "Thẩm tra dự thảo văn bản quy phạm pháp luật", "lead_units": [stp]}),
    )
    .await;
    let (_, v) = app.get("leader", "/api/v1/tasks?q=so%20noi%20vu").await;
    let titles: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["task"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec!["Thực hiện các chương trình đối thoại với doanh nghiệp"]
    );
    let (_, v) = app.get("leader", "/api/v1/tasks?q=THAM%20TRA").await;
    assert_eq!(v["total"], 1);
    let (_, v) = app.get("leader", "/api/v1/units?kind=commune&q=dong").await;
    let names: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n.contains("Đồng Xoài")), "{names:?}");
    let (_, v) = app.get("leader", "/api/v1/units?kind=commune").await;
    let names: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(v["total"], 95);
    let mut sorted = names.clone();
    steerco::text::sort_vn(&mut sorted, |s| s);
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn browser_session_needs_csrf_on_every_change() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    let page = c
        .get(app.url("/directives/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let form = |token: &str| {
        vec![
            ("_csrf", token.to_string()),
            ("province_code", "75".into()),
            ("kind", "notice".into()),
            ("number", "293/TB-UBND".into()),
            ("issued_on", "2025-05-21".into()),
            ("issuer", "UBND tỉnh Đồng Nai".into()),
            ("summary", "Kết luận cuộc họp".into()),
        ]
    };
    let r = c
        .post(app.url("/directives"))
        .form(&form("forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.text().await.unwrap().contains("Không có quyền truy cập"),
        "the refusal is a page in Vietnamese"
    );
    let r = c
        .post(app.url("/directives"))
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The same session on the JSON API needs the token in a header.
    let body = json!({"province_code": "75", "kind": "plan", "number": "1/KH", "issued_on": "2025-01-01", "issuer": "x", "summary": "y"});
    assert_eq!(
        c.post(app.url("/api/v1/directives"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.post(app.url("/api/v1/directives"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );
    // Pages require a login; logging out ends the session.
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = anon.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    let r = c
        .post(app.url("/logout"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.get(app.url("/dashboard")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    // Wrong password: back to the form, no session.
    let r = anon
        .post(app.url("/login"))
        .form(&[("username", "secretary"), ("password", "sai-mat-khau")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("failed=1"));
}

#[tokio::test]
async fn officer_reports_with_evidence_through_the_form() {
    let app = spawn_app().await;
    let d = app.directive("293/TB-UBND", "2025-05-21").await;
    let communes = app.group("75.XA").await;
    let (_, v) = app.post("secretary", &format!("/api/v1/directives/{d}/tasks"),
        json!({"title": "Số hóa toàn bộ văn bản lưu trữ cấp xã", "lead_groups": [communes], "deadline_text": "hoàn tất trước ngày 01/7/2025"})).await;
    let tran_bien = app.unit("26041").await;
    let (_, my) = app.get("officer_commune", "/api/v1/my").await;
    let item = &my["items"].as_array().unwrap()[0];
    assert_eq!(item["assignment"]["unit_id"], tran_bien);
    assert_eq!(item["assignment"]["task_id"], v["id"]);
    let aid = item["assignment"]["id"].as_i64().unwrap();
    let c = app.browser("officer_commune").await;
    let page = c
        .get(app.url(&format!("/assignments/{aid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Báo cáo tiến độ"));
    let csrf = csrf_of(&page);
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf)
        .text("result", "Đã số hóa 100% hồ sơ lưu trữ")
        .text("percent", "100")
        .text("done", "1")
        .text("completed_on", "2025-06-20")
        .part(
            "evidence",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 bien ban".to_vec())
                .file_name("biên bản nghiệm thu.pdf"),
        );
    let r = c
        .post(app.url(&format!("/assignments/{aid}/progress")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = c
        .get(app.url(&format!("/assignments/{aid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Đã số hóa 100% hồ sơ lưu trữ") && page.contains("biên bản nghiệm thu.pdf")
    );
    let att = page
        .split("/attachments/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = c
        .get(app.url(&format!("/attachments/{att}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 bien ban");
    // a 6 MB scan is accepted; an 11 MB one is refused with a clear message and nothing written
    let page = c
        .get(app.url(&format!("/assignments/{aid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let upload = |size: usize| {
        reqwest::multipart::Form::new()
            .text("_csrf", csrf_of(&page))
            .text("result", "Bổ sung bản quét")
            .text("percent", "100")
            .part(
                "evidence",
                reqwest::multipart::Part::bytes(vec![b'x'; size]).file_name("scan.pdf"),
            )
    };
    let r = c
        .post(app.url(&format!("/assignments/{aid}/progress")))
        .multipart(upload(6 << 20))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let updates = app.count("progress_updates").await;
    let r = c
        .post(app.url(&format!("/assignments/{aid}/progress")))
        .multipart(upload(11 << 20))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let body = r.text().await.unwrap();
    assert!(
        body.contains("10 MB") || body.contains("Biểu mẫu không hợp lệ"),
        "{body}"
    );
    assert_eq!(app.count("progress_updates").await, updates);
    // a script uploads evidence through the API with its token, and reads it back
    let form = reqwest::multipart::Form::new()
        .text("result", "Biên bản kiểm tra bổ sung")
        .text("percent", "100")
        .part(
            "evidence",
            reqwest::multipart::Part::bytes(b"bien ban 2".to_vec()).file_name("bien-ban-2.pdf"),
        );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/assignments/{aid}/progress")))
        .bearer_auth(&app.tokens["officer_commune"])
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, a) = app
        .get("officer_commune", &format!("/api/v1/assignments/{aid}"))
        .await;
    let newest = &a["progress"][0];
    assert_eq!(newest["attachment_name"], "bien-ban-2.pdf");
    let r = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{}", newest["attachment_id"])))
        .bearer_auth(&app.tokens["leader"])
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"bien ban 2");
    let r = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{}", newest["attachment_id"])))
        .bearer_auth(&app.tokens["officer_snv"])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // another unit's officer cannot download it
    let other = app.browser("officer_snv").await;
    assert_eq!(
        other
            .get(app.url(&format!("/attachments/{att}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let (_, a) = app
        .get(
            "leader",
            &format!("/api/v1/assignments/{aid}?as_of=2025-07-02"),
        )
        .await;
    assert_eq!(a["status"], "done_on_time");
    assert_eq!(a["assignment"]["review"], "pending");
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    for p in [
        "/api/v1/directives/{id}/tasks",
        "/api/v1/assignments/{id}/progress",
        "/api/v1/dashboard",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
    assert!(doc["paths"]["/api/v1/assignments/{id}/review"]["post"]["requestBody"].is_object());
    // every request body names a schema the document defines, every {param} is declared
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(r) =
                op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
            {
                let name = r.rsplit('/').next().unwrap();
                assert!(
                    doc["components"]["schemas"][name].is_object(),
                    "{method} {path}: {name} undefined"
                );
            }
            let declared = op["parameters"].as_array().map(|a| a.len()).unwrap_or(0);
            assert_eq!(
                declared,
                path.matches('{').count(),
                "{method} {path}: path parameters"
            );
        }
    }
}

#[tokio::test]
async fn cached_dashboard_follows_every_change() {
    let app = spawn_app().await;
    let total = |v: &serde_json::Value| v["dashboard"]["total"].clone();
    let dash = || async {
        app.get("leader", "/api/v1/dashboard?as_of=2025-03-01")
            .await
            .1
    };
    assert_eq!(total(&dash().await)["in_progress"], 0);
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app.post("secretary", &format!("/api/v1/directives/{d}/tasks"),
        json!({"title": "Ban hành kế hoạch", "lead_units": [snv], "deadline_text": "Trước ngày 31/01/2025"})).await;
    assert_eq!(
        total(&dash().await)["overdue"],
        1,
        "a new task shows at once"
    );
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    app.post(
        "officer_snv",
        &format!("/api/v1/assignments/{aid}/progress"),
        json!({"result": "Đã ban hành", "done": true, "completed_on": "2025-02-10"}),
    )
    .await;
    let after_done = total(&dash().await);
    assert_eq!(
        (
            after_done["overdue"].as_i64(),
            after_done["done_late"].as_i64()
        ),
        (Some(0), Some(1)),
        "a reported completion shows at once"
    );
    app.post(
        "secretary",
        &format!("/api/v1/assignments/{aid}/review"),
        json!({"decision": "return", "reason": "Chưa đủ"}),
    )
    .await;
    assert_eq!(
        total(&dash().await)["overdue"],
        1,
        "a returned completion shows at once"
    );
    let (_, e) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2025-04-30", "reason": "Chờ ý kiến"}),
        )
        .await;
    app.post(
        "secretary",
        &format!("/api/v1/extensions/{}/decision", e["id"]),
        json!({"decision": "approve", "forgive_lateness": true}),
    )
    .await;
    assert_eq!(
        total(&dash().await)["in_progress"],
        1,
        "an approved extension shows at once"
    );
    let (s, _) = app.client.put(app.url(&format!("/api/v1/units/{snv}"))).bearer_auth(&app.tokens["admin"])
        .json(&json!({"code": "75.SNV", "name": "Sở Nội vụ tỉnh Đồng Nai", "kind": "department", "province_code": "75"}))
        .send().await.map(|r| (r.status(), ())).unwrap();
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        dash().await["dashboard"]["units"][0]["unit_name"],
        "Sở Nội vụ tỉnh Đồng Nai",
        "a renamed unit shows at once"
    );
    let (_, nat) = app
        .get("admin", "/api/v1/dashboard/national?as_of=2025-03-01")
        .await;
    assert_eq!(nat["total"]["in_progress"], 1);
}

#[tokio::test]
async fn bodies_with_members_roles_and_standing_agency() {
    let app = spawn_app().await;
    let ca = app.unit("75.CAT").await;
    let snv = app.unit("75.SNV").await;
    let body = json!({"code": "75.TCT06", "name": "Tổ công tác Đề án 06", "kind": "working_group", "province_code": "75",
                      "standing_unit_id": ca, "meeting_cadence": "Hằng tháng"});
    assert_eq!(
        app.post("leader", "/api/v1/bodies", body.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (s, b) = app.post("secretary", "/api/v1/bodies", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    assert_eq!(
        app.post("secretary", "/api/v1/bodies", body).await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "codes are unique"
    );
    for (name, role, unit, domain) in [
        ("Tổ trưởng", "head", None, "Chỉ đạo chung"),
        ("Thư ký", "secretary", Some(ca), "Tổng hợp"),
        ("Tổ phó", "deputy", Some(snv), "CCHC"),
    ] {
        let (s, _) = app
            .post(
                "secretary",
                &format!("/api/v1/bodies/{id}/members"),
                json!({"person_name": name, "role": role, "unit_id": unit, "domain": domain}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/bodies/{id}/members"),
            json!({"person_name": "X", "role": "king"})
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, got) = app.get("leader", &format!("/api/v1/bodies/{id}")).await;
    let roles: Vec<&str> = got["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        vec!["head", "deputy", "secretary"],
        "members listed by rank"
    );
    assert_eq!(got["body"]["standing_unit_id"], ca);
    // the standing agency moves to Sở Nội vụ; a member leaves
    let r = app.client.put(app.url(&format!("/api/v1/bodies/{id}"))).bearer_auth(&app.tokens["secretary"])
        .json(&json!({"code": "ignored", "name": "Tổ công tác Đề án 06 tỉnh Đồng Nai", "kind": "working_group", "province_code": "75", "standing_unit_id": snv}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let deputy = got["members"][1]["id"].as_i64().unwrap();
    let member = format!("/api/v1/bodies/{id}/members/{deputy}");
    let (s, _) = app.delete("officer_snv", &member).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.delete("secretary", &member).await;
    assert_eq!(s, StatusCode::OK);
    let (_, got) = app.get("leader", &format!("/api/v1/bodies/{id}")).await;
    assert_eq!(got["body"]["code"], "75.TCT06");
    assert_eq!(got["body"]["name"], "Tổ công tác Đề án 06 tỉnh Đồng Nai");
    assert_eq!(got["body"]["standing_unit_id"], snv);
    assert_eq!(got["members"].as_array().unwrap().len(), 2);
    let (_, audit) = app
        .get(
            "admin",
            &format!("/api/v1/audit?entity=body&entity_id={id}"),
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "remove_member",
            "update",
            "add_member",
            "add_member",
            "add_member",
            "create"
        ]
    );
}

#[tokio::test]
async fn accounts_are_managed_within_their_scope() {
    let app = spawn_app().await;
    steerco::org::load_provinces(&app.db, Some("01"), false)
        .await
        .unwrap();
    let commune = app.unit("26041").await;
    let hanoi_dept = app.unit("01.SNV").await;
    let officer = |name: &str, unit: i64| json!({"username": name, "password": "mat-khau-moi-1", "full_name": "Cán bộ xã", "role": "officer", "unit_id": unit});
    // the secretariat creates officers and leaders of its own province, nothing else
    let (s, v) = app
        .post("secretary", "/api/v1/users", officer("canbo.xa", commune))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let new_id = v["id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            "secretary",
            "/api/v1/users",
            officer("canbo.hn", hanoi_dept)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post("secretary", "/api/v1/users", json!({"username": "boss", "password": "mat-khau-moi-1", "full_name": "X", "role": "admin"})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post("officer_snv", "/api/v1/users", officer("canbo.x2", commune))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("admin", "/api/v1/users", officer("canbo.hn", hanoi_dept))
            .await
            .0,
        StatusCode::CREATED
    );
    let (s, v) = app.post("secretary", "/api/v1/users", json!({"username": "có dấu", "password": "ngan", "full_name": "", "role": "officer", "unit_id": commune})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        v["fields"].as_array().unwrap().len(),
        3,
        "username, password and name reported together"
    );
    let (_, list) = app.get("secretary", "/api/v1/users").await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"canbo.xa") && !names.contains(&"canbo.hn") && !names.contains(&"admin"),
        "{names:?}"
    );

    // the new officer logs in; a lock ends its session at once
    let c = app.browser_with("canbo.xa", "mat-khau-moi-1").await;
    assert_eq!(
        c.get(app.url("/my")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/users/{new_id}/active"),
            json!({"active": false})
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        c.get(app.url("/my")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "locked: back to the login page"
    );
    let r = app
        .client
        .post(app.url("/login"))
        .form(&[("username", "canbo.xa"), ("password", "mat-khau-moi-1")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("failed=1"));
    app.post(
        "secretary",
        &format!("/api/v1/users/{new_id}/active"),
        json!({"active": true}),
    )
    .await;
    // a reset password replaces the old one
    assert_eq!(
        app.post(
            "secretary",
            &format!("/api/v1/users/{new_id}/password"),
            json!({"password": "mat-khau-thu-2"})
        )
        .await
        .0,
        StatusCode::OK
    );
    let r = app
        .client
        .post(app.url("/login"))
        .form(&[("username", "canbo.xa"), ("password", "mat-khau-moi-1")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("failed=1"));
    let c = app.browser_with("canbo.xa", "mat-khau-thu-2").await;
    // changing one's own password needs the current one
    let page = c
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let r = c
        .post(app.url("/account"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("current", "sai"),
            ("password", "mat-khau-thu-3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(app.url("/account"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("current", "mat-khau-thu-2"),
            ("password", "mat-khau-thu-3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.browser_with("canbo.xa", "mat-khau-thu-3").await;
    let (_, audit) = app
        .get(
            "admin",
            &format!("/api/v1/audit?entity=user&entity_id={new_id}"),
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "reset_password",
            "reset_password",
            "unlock",
            "lock",
            "create"
        ]
    );
    assert!(
        !audit.to_string().contains("mat-khau"),
        "passwords never reach the audit trail"
    );
}

#[tokio::test]
async fn the_demo_province_is_seeded_with_the_real_examples() {
    let app = crate::helpers::spawn(crate::helpers::Seed::Demo).await;
    let (_, communes) = app.get("lanhdao", "/api/v1/units?kind=commune").await;
    assert_eq!(communes["total"], 95, "Đồng Nai's real communes");
    let (_, dirs) = app.get("lanhdao", "/api/v1/directives").await;
    let numbers: Vec<&str> = dirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["directive"]["number"].as_str().unwrap())
        .collect();
    assert!(
        numbers.contains(&"404/KH-UBND") && numbers.contains(&"293/TB-UBND"),
        "{numbers:?}"
    );
    let plan = dirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["directive"]["number"] == "404/KH-UBND")
        .unwrap();
    assert_eq!(plan["task_count"], 24);
    let (_, d) = app
        .get(
            "lanhdao",
            &format!("/api/v1/directives/{}", plan["directive"]["id"]),
        )
        .await;
    let first = &d["tasks"][0]["task"];
    assert_eq!(first["lead_text"], "Các sở, ban, ngành");
    assert_eq!(first["deadline_text"], "Thường xuyên");
    assert_eq!(first["recurrence"], "ongoing");
    let dated: Vec<&serde_json::Value> = d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["task"]["deadline_due"] == "2025-01-31")
        .collect();
    assert_eq!(
        dated.len(),
        2,
        "task 3 and the departments' own plans are due 31/01/2025"
    );
    // the dashboard as of late 2026 has every state, and the working group its members
    let (_, dash) = app.get("lanhdao", "/api/v1/dashboard").await;
    let t = &dash["dashboard"]["total"];
    for k in [
        "done_on_time",
        "done_late",
        "in_progress",
        "overdue",
        "ongoing",
    ] {
        assert!(t[k].as_i64().unwrap() > 0, "{k} is empty: {t}");
    }
    let (_, bodies) = app.get("lanhdao", "/api/v1/bodies").await;
    let wg = bodies
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kind"] == "working_group")
        .unwrap();
    let (_, wg) = app
        .get("lanhdao", &format!("/api/v1/bodies/{}", wg["id"]))
        .await;
    let roles: Vec<&str> = wg["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles.iter().filter(|r| **r == "deputy").count(),
        3,
        "three deputies, as in the regulation"
    );
    assert!(roles.contains(&"head") && roles.contains(&"secretary"));
    // every demo officer sees its own work
    let (_, mine) = app.get("canbo.tranbien", "/api/v1/my").await;
    assert!(mine["items"].as_array().unwrap().len() >= 10);
    assert_eq!(mine["unit"]["name"], "Phường Trấn Biên");
}

#[tokio::test]
async fn correcting_a_directive_and_a_task() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let (snv, stp) = (app.unit("75.SNV").await, app.unit("75.STP").await);
    let (_, v) = app.post("secretary", &format!("/api/v1/directives/{d}/tasks"),
        json!({"title": "Ban hành kế hoạch", "lead_units": [snv, stp], "deadline_text": "Trước ngày 31/01/2025"})).await;
    let tid = v["id"].as_i64().unwrap();
    let (_, t) = app.get("admin", &format!("/api/v1/tasks/{tid}")).await;
    let of = |unit: i64| {
        t["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["assignment"]["unit_id"] == unit)
            .unwrap()["assignment"]["id"]
            .as_i64()
            .unwrap()
    };
    let (a_snv, a_stp) = (of(snv), of(stp));
    // Sở Tư pháp got an extension to 15/03
    let (_, e) = app
        .post(
            "officer_stp",
            &format!("/api/v1/assignments/{a_stp}/extensions"),
            json!({"requested_due": "2025-03-15", "reason": "Chờ góp ý"}),
        )
        .await;
    app.post(
        "secretary",
        &format!("/api/v1/extensions/{}/decision", e["id"]),
        json!({"decision": "approve", "forgive_lateness": true}),
    )
    .await;
    let put = |who: &'static str, path: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.client
                .put(app.url(&path))
                .bearer_auth(&app.tokens[who])
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let edit = json!({"ref": "3", "title": "Ban hành kế hoạch kiểm soát TTHC năm 2025", "deadline_text": "Trước ngày 28/02/2025", "product": "Kế hoạch"});
    assert_eq!(
        put("officer_snv", format!("/api/v1/tasks/{tid}"), edit.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(
            "secretary",
            format!("/api/v1/tasks/{tid}"),
            json!({"title": "x", "lead_units": [snv]})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        put("secretary", format!("/api/v1/tasks/{tid}"), edit).await,
        StatusCode::OK
    );
    let due = |aid: i64| {
        let app = &app;
        async move {
            app.get("admin", &format!("/api/v1/assignments/{aid}"))
                .await
                .1["assignment"]["due_on"]
                .clone()
        }
    };
    assert_eq!(due(a_snv).await, "2025-02-28", "the new deadline applies");
    assert_eq!(
        due(a_stp).await,
        "2025-03-15",
        "an approved extension is kept"
    );
    let (_, t) = app.get("leader", &format!("/api/v1/tasks/{tid}")).await;
    assert_eq!(
        t["task"]["title"],
        "Ban hành kế hoạch kiểm soát TTHC năm 2025"
    );
    assert_eq!(
        t["task"]["lead_text"], "Sở Nội vụ; Sở Tư pháp",
        "lead wording kept when not given"
    );
    // the directive's date moves: before it, its tasks do not count yet
    let mut fix = json!({"province_code": "75", "kind": "plan", "number": "404/KH-UBND", "issued_on": "2025-01-05",
                         "issuer": "UBND tỉnh Đồng Nai", "summary": "Kiểm soát thủ tục hành chính năm 2025"});
    assert_eq!(
        put("leader", format!("/api/v1/directives/{d}"), fix.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put("secretary", format!("/api/v1/directives/{d}"), fix.clone()).await,
        StatusCode::OK
    );
    let (_, dash) = app
        .get("leader", "/api/v1/dashboard?as_of=2025-01-02")
        .await;
    assert_eq!(dash["dashboard"]["total"]["in_progress"], 0);
    let (_, dash) = app
        .get("leader", "/api/v1/dashboard?as_of=2025-01-06")
        .await;
    assert_eq!(dash["dashboard"]["total"]["in_progress"], 2);
    fix["issued_on"] = json!("không phải ngày");
    assert_eq!(
        put("secretary", format!("/api/v1/directives/{d}"), fix).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, audit) = app
        .get(
            "admin",
            &format!("/api/v1/audit?entity=task&entity_id={tid}"),
        )
        .await;
    assert_eq!(audit["items"][0]["action"], "update");
    assert!(audit["items"][0]["before_json"]
        .as_str()
        .unwrap()
        .contains("Trước ngày 31/01/2025"));
}

#[tokio::test]
async fn repeated_wrong_passwords_block_the_username_for_a_while() {
    let app = spawn_app().await;
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/login"))
                .form(&[("username", "leader"), ("password", password)])
                .send()
                .await
                .unwrap();
            r.headers()["location"].to_str().unwrap().to_string()
        }
    };
    for _ in 0..steerco::auth::MAX_FAILURES {
        assert!(attempt("doan-mo").await.contains("failed=1"));
    }
    let blocked = attempt(crate::helpers::PASSWORD).await;
    assert!(
        blocked.contains("locked=1"),
        "even the right password waits: {blocked}"
    );
    let page = app
        .client
        .get(app.url(&blocked))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Đăng nhập sai quá nhiều lần"));
    // other accounts are not affected
    app.browser("secretary").await;
}

#[tokio::test]
async fn custom_groups_are_named_sets_of_units() {
    let app = spawn_app().await;
    let (snv, stp, vp) = (
        app.unit("75.SNV").await,
        app.unit("75.STP").await,
        app.unit("75.VPUBND").await,
    );
    let (s, g) = app
        .post(
            "secretary",
            "/api/v1/groups",
            json!({"province_code": "75", "name": "Tổ kiểm soát TTHC", "members": [snv, stp]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let gid = g["id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            "leader",
            "/api/v1/groups",
            json!({"province_code": "75", "name": "X", "members": [snv]})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let (_, t1) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát quy trình nội bộ", "lead_groups": [gid]}),
        )
        .await;
    let put = |body: serde_json::Value, path: String| {
        let app = &app;
        async move {
            app.client
                .put(app.url(&path))
                .bearer_auth(&app.tokens["secretary"])
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        put(
            json!({"name": "Tổ kiểm soát TTHC tỉnh", "members": [snv, stp, vp]}),
            format!("/api/v1/groups/{gid}")
        )
        .await,
        StatusCode::OK
    );
    let (_, got) = app.get("leader", &format!("/api/v1/groups/{gid}")).await;
    assert_eq!(got["group"]["name"], "Tổ kiểm soát TTHC tỉnh");
    assert_eq!(got["members"].as_array().unwrap().len(), 3);
    // tasks entered before keep their assignments; new ones take the new members
    let (_, t2) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Công khai hồ sơ mẫu", "lead_groups": [gid]}),
        )
        .await;
    let n = |id: serde_json::Value| {
        let app = &app;
        async move {
            app.get("admin", &format!("/api/v1/tasks/{id}")).await.1["assignments"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        (n(t1["id"].clone()).await, n(t2["id"].clone()).await),
        (2, 3)
    );
    let communes = app.group("75.XA").await;
    assert_eq!(
        put(
            json!({"name": "UBND cấp xã", "members": [snv]}),
            format!("/api/v1/groups/{communes}")
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "built-in groups follow unit kinds"
    );
    assert_eq!(
        put(
            json!({"name": "UBND các xã, phường"}),
            format!("/api/v1/groups/{communes}")
        )
        .await,
        StatusCode::OK,
        "but may be renamed"
    );
}

#[tokio::test]
async fn of_two_decisions_on_one_completion_sent_at_once_exactly_one_wins() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát thủ tục hành chính", "lead_units": [snv], "deadline_text": "Trước ngày 31/01/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let (s, _) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/progress"),
            json!({"result": "Đã rà soát 120 thủ tục", "done": true, "completed_on": "2025-01-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let path = format!("/api/v1/assignments/{aid}/review");
    let (confirm, ret) = tokio::join!(
        app.post("secretary", &path, json!({"decision": "confirm"})),
        app.post(
            "secretary",
            &path,
            json!({"decision": "return", "reason": "Thiếu minh chứng"})
        ),
    );
    let mut statuses = vec![confirm.0, ret.0];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
    let (n,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'assignment' AND entity_id = $1 \
         AND action IN ('confirm_done', 'return_done')"
    )
    .bind(aid)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(
        n, 1,
        "only the decision that changed something is in the audit trail"
    );
}

#[tokio::test]
async fn of_contradictory_decisions_on_an_extension_exactly_one_wins() {
    let app = spawn_app().await;
    let d = app.directive("404/KH-UBND", "2024-12-30").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Số hóa hồ sơ lưu trữ", "lead_units": [snv], "deadline_text": "Trước ngày 31/01/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let (s, e) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2025-03-31", "reason": "Chờ kinh phí số hóa"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let path = format!("/api/v1/extensions/{}/decision", e["id"]);
    let approve = json!({"decision": "approve", "forgive_lateness": true});
    let refuse = json!({"decision": "refuse", "note": "Không đủ căn cứ"});
    let answers = futures_util::future::join_all((0..8).map(|i| {
        let body = if i % 2 == 0 {
            approve.clone()
        } else {
            refuse.clone()
        };
        let (app, path) = (&app, &path);
        async move { app.post("secretary", path, body).await.0 }
    }))
    .await;
    let won = answers.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, refused), (1, 7), "{answers:?}");
    // the deadline moved if and only if the extension was approved
    let (_, a) = app
        .get("admin", &format!("/api/v1/assignments/{aid}"))
        .await;
    let decision = a["extensions"][0]["decision"].as_str().unwrap().to_string();
    let due = a["assignment"]["due_on"].as_str().unwrap();
    match decision.as_str() {
        "approved" => assert_eq!(due, "2025-03-31"),
        "refused" => assert_eq!(due, "2025-01-31"),
        other => panic!("undecided: {other}"),
    }
}

/// Two servers on one database: a task created through one shows at once on its own
/// dashboard, and within a second on the other's, which had already computed and cached it (the
/// version of a province's work is in the database, bumped with the change, not in one server's
/// memory).
#[tokio::test]
async fn a_write_on_one_server_reaches_the_cached_dashboard_of_another() {
    let app = spawn_app().await;
    let other = app.another_server().await;
    let dash = |base: String| {
        let app = &app;
        async move {
            let (_, v) = app
                .get_at(&base, "leader", "/api/v1/dashboard?as_of=2025-02-01")
                .await;
            v["dashboard"]["total"]["overdue"].as_i64().unwrap_or(-1)
        }
    };
    let before = dash(other.clone()).await;
    assert_eq!(before, 0);
    let version = |app: &crate::helpers::TestApp| {
        let db = app.db.clone();
        async move {
            let v: Option<(i64,)> = steerco::with_db!(&db, |p| sqlx::query_as(
                "SELECT version FROM province_versions WHERE province_code = '75'"
            )
            .fetch_optional(p)
            .await)
            .unwrap();
            v.map_or(0, |v| v.0)
        }
    };
    let v0 = version(&app).await;
    let d = app.directive("293/TB-UBND", "2025-01-02").await;
    let snv = app.unit("75.SNV").await;
    let (s, t) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát thủ tục hành chính", "lead_units": [snv], "deadline_text": "Trước ngày 15/01/2025"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert!(
        version(&app).await > v0,
        "the change bumped the province's version in the database"
    );
    assert_eq!(
        dash(app.base.clone()).await,
        1,
        "the server that wrote shows it at once"
    );
    // the other server trusts the versions it read for at most a second, then reads them again
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        dash(other).await,
        1,
        "the other server's cached dashboard was dropped"
    );
}

/// Text as users paste it: a NUL (which PostgreSQL refuses), a zero-width space or a bidi
/// override (which break search) are dropped at the edge, the same on both databases; a
/// reference to nothing is refused on its field.
#[tokio::test]
async fn pasted_control_and_invisible_characters_are_dropped_and_a_missing_reference_is_named() {
    let app = spawn_app().await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/directives",
            json!({"province_code": "75", "kind": "plan", "number": "77/KH-UBND\u{0}", "issued_on": "2026-11-02",
                   "issuer": "UBND tỉnh", "summary": "Số\u{200B}hóa hồ sơ\u{202E} thủ tục\u{0} hành chính"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (_, d) = app
        .get("secretary", &format!("/api/v1/directives/{id}"))
        .await;
    assert_eq!(d["directive"]["summary"], "Sốhóa hồ sơ thủ tục hành chính");
    assert_eq!(d["directive"]["number"], "77/KH-UBND");
    // search finds it, and a NUL in the query string is no error
    let (s, list) = app
        .get("secretary", "/api/v1/directives?q=s%E1%BB%91h%C3%B3a%00")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    // the same through a page's form
    let c = app.browser("secretary").await;
    let r = app
        .submit(
            &c,
            "/directives/new",
            "/directives",
            &[
                ("province_code", "75"),
                ("kind", "plan"),
                ("number", "78/KH-UBND"),
                ("issued_on", "2026-11-02"),
                ("issuer", "UBND tỉnh"),
                ("summary", "Kế hoạch\u{0} chuyển đổi số"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = app
        .get("secretary", "/api/v1/directives?q=chuyen%20doi%20so")
        .await;
    assert_eq!(
        list["items"][0]["directive"]["summary"],
        "Kế hoạch chuyển đổi số"
    );
    // a parent or a body that does not exist: 422 on the field, nothing written
    let before = app.count("directives").await;
    for (field, body) in [
        ("parent_id", json!({"parent_id": 999_999})),
        ("body_id", json!({"body_id": 999_999})),
    ] {
        let mut input = json!({"province_code": "75", "kind": "plan", "number": "79/KH-UBND", "issued_on": "2026-11-02",
                               "issuer": "UBND tỉnh", "summary": "Kế hoạch con"});
        input
            .as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        let (s, e) = app.post("secretary", "/api/v1/directives", input).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["fields"][0]["field"], field, "{e}");
    }
    assert_eq!(app.count("directives").await, before);
}

/// SQLite's durability is a setting: `full` syncs every commit (a power loss keeps it).
#[tokio::test]
async fn sqlite_commits_can_be_made_to_survive_a_power_loss() {
    use steerco::store::{Db, Durability};
    assert_eq!(Durability::parse("FULL").unwrap(), Durability::Full);
    assert_eq!(Durability::parse("").unwrap(), Durability::Normal);
    assert!(
        Durability::parse("off").is_err(),
        "no setting that loses acknowledged commits"
    );
    let dir = std::env::temp_dir().join(format!("steerco-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (d, want) in [(Durability::Normal, 1i64), (Durability::Full, 2)] {
        let url = format!("sqlite://{}/{want}.db", dir.display());
        let db = Db::open(&url, d).await.unwrap();
        let (n,): (i64,) = steerco::with_db!(&db, |p| sqlx::query_as("PRAGMA synchronous")
            .fetch_one(p)
            .await)
        .unwrap();
        assert_eq!(n, want, "{d:?}");
        db.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What operations ask of a server: `/ready` (the database answers, every migration applied),
/// and a backup of a SQLite database in use that opens as the same data.
#[tokio::test]
async fn ready_and_a_backup_that_restores() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ready");
    // metrics are off unless asked for
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let file = std::env::temp_dir().join(format!("steerco-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let file = file.display().to_string();
    match app.db.backup(&file).await {
        Err(e) => {
            assert!(app.db.is_postgres(), "{e}");
            assert!(e.contains("pg_dump"), "{e}");
        }
        Ok(()) => {
            // a second backup never overwrites the first
            assert!(app.db.backup(&file).await.is_err());
            let copy = steerco::store::Db::open(
                &format!("sqlite://{file}"),
                steerco::store::Durability::Normal,
            )
            .await
            .unwrap();
            let count = |db: steerco::store::Db| async move {
                let (n,): (i64,) =
                    steerco::with_db!(&db, |p| sqlx::query_as("SELECT COUNT(*) FROM units")
                        .fetch_one(p)
                        .await)
                    .unwrap();
                n
            };
            assert_eq!(count(copy).await, count(app.db.clone()).await);
            let _ = std::fs::remove_file(&file);
        }
    }
}

/// `STEERCO_LOG_FORMAT=json`: the server's log lines are JSON objects, for a log collector;
/// `STEERCO_METRICS=1`: `/metrics` counts requests by route, in Prometheus' format.
#[tokio::test]
async fn the_server_logs_json_and_serves_metrics_when_asked() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("steerco-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_steerco"))
        .args([
            "--db",
            &format!("sqlite://{}/l.db", dir.display()),
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("STEERCO_LOG_FORMAT", "json")
        .env("STEERCO_METRICS", "1")
        .env("RUST_LOG", "info")
        .env_remove("STEERCO_SMTP_URL")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client
            .get(format!("http://127.0.0.1:{port}/ready"))
            .send()
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let get = |path: &str| client.get(format!("http://127.0.0.1:{port}{path}")).send();
    let _ = get("/login").await;
    let _ = get("/directives/12345").await;
    let metrics = match get("/metrics").await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(up, "the server started");
    assert!(
        metrics
            .contains(r#"steerco_http_requests_total{method="GET",route="/login",status="200"}"#),
        "{metrics}"
    );
    // a route with an id is counted under its declared path, never one series per id
    assert!(metrics.contains(r#"route="/directives/{id}""#), "{metrics}");
    assert!(metrics.contains("steerco_db_connections_open"), "{metrics}");
    let json: Vec<serde_json::Value> = std::io::BufReader::new(&out.stderr[..])
        .lines()
        .map_while(Result::ok)
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect();
    assert!(
        // the request's line: its path, its status, its request id
        json.iter().any(|v| v["level"] == "INFO"
            && v["span"]["path"] == "/login"
            && v["fields"]["status"] == 200
            && v["span"]["id"].as_str().is_some_and(|id| id.len() == 16)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One import at a time across servers: on PostgreSQL the import's lock is held on the
/// database, so a second holder waits until the first lets go (SQLite is one server).
#[tokio::test]
async fn a_held_lock_keeps_a_second_holder_waiting_until_it_is_released() {
    let app = spawn_app().await;
    if !app.db.is_postgres() {
        return;
    }
    let other = steerco::store::Db::connect(&app.db_url).await.unwrap();
    let first = app.db.hold_lock(42).await.unwrap();
    let waiting = tokio::spawn(async move {
        let _second = other.hold_lock(42).await.unwrap();
        std::time::Instant::now()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the second holder waits");
    let released = std::time::Instant::now();
    drop(first);
    let got = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
        .await
        .expect("the lock is released with its guard")
        .unwrap();
    assert!(got >= released);
}

/// A monthly duty's report names a real month; a report's texts have a size.
#[tokio::test]
async fn a_period_report_names_a_real_period_and_its_texts_are_bounded() {
    let app = spawn_app().await;
    let d = app.directive("501/KH-UBND", "2026-01-05").await;
    let snv = app.unit("75.SNV").await;
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Báo cáo tiến độ số hóa", "lead_units": [snv], "deadline_text": "Hằng tháng"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/assignments/{aid}/progress");
    for bad in ["2026-13", "2026-Q5", "0000-01", "2026"] {
        let (s, e) = app
            .post(
                "officer_snv",
                &path,
                json!({"result": "Đã số hóa 120 hồ sơ", "percent": 20, "period": bad}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {e}");
        assert_eq!(e["fields"][0]["field"], "period", "{e}");
    }
    let (s, e) = app
        .post(
            "officer_snv",
            &path,
            json!({"result": "x".repeat(20_001), "percent": 20}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = app
        .post(
            "officer_snv",
            &path,
            json!({"result": "Đã số hóa 120 hồ sơ", "percent": 20, "period": "2026-11"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
}

/// Unknown units are named in one short message, however many were sent.
#[tokio::test]
async fn a_task_with_many_unknown_units_gets_one_short_refusal() {
    let app = spawn_app().await;
    let d = app.directive("502/KH-UBND", "2026-01-05").await;
    let before = app.count("tasks").await;
    let ids: Vec<i64> = (900_000..900_050).collect();
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát", "lead_units": ids}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["fields"].as_array().unwrap().len(), 1, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("và 40 đơn vị khác"),
        "{e}"
    );
    let many: Vec<i64> = (1..=100_000).collect();
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát", "lead_units": many}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().len() < 2_000, "a short answer");
    assert_eq!(app.count("tasks").await, before);
}

/// A second server *process* on the same PostgreSQL, as behind a load balancer.
struct ServerProcess {
    child: std::process::Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn server_process(db_url: &str) -> ServerProcess {
    server_process_with(db_url, &[]).await
}

async fn server_process_with(db_url: &str, env: &[(&str, &str)]) -> ServerProcess {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_steerco"))
        .args([
            "--db",
            db_url,
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("STEERCO_NOTIFY_EVERY_SECS", "3600")
        .env_remove("STEERCO_SMTP_URL")
        .env_remove("STEERCO_WEBHOOK_URL")
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..150 {
        if client
            .get(format!("{base}/ready"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    ServerProcess { child, base }
}

/// Two server processes on one PostgreSQL: a change through one reaches the other's cached
/// dashboard within a second, and an account locked through one is refused at once by the
/// other. (SQLite is one server per database file.)
#[tokio::test]
async fn two_server_processes_on_one_postgresql_agree() {
    let app = spawn_app().await;
    if !app.db.is_postgres() {
        return;
    }
    let other = server_process(&app.db_url).await;
    let get = |base: String, who: &'static str, path: &'static str| {
        let app = &app;
        async move { app.get_at(&base, who, path).await }
    };
    let overdue = |v: serde_json::Value| v["dashboard"]["total"]["overdue"].as_i64().unwrap_or(-1);
    let (s, v) = get(
        other.base.clone(),
        "leader",
        "/api/v1/dashboard?as_of=2025-02-01",
    )
    .await;
    assert_eq!((s, overdue(v)), (StatusCode::OK, 0));
    let d = app.directive("294/TB-UBND", "2025-01-02").await;
    let snv = app.unit("75.SNV").await;
    let (s, t) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát thủ tục hành chính", "lead_units": [snv], "deadline_text": "Trước ngày 15/01/2025"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, v) = get(
        other.base.clone(),
        "leader",
        "/api/v1/dashboard?as_of=2025-02-01",
    )
    .await;
    assert_eq!(
        overdue(v),
        1,
        "the other process's dashboard shows the change"
    );
    // locked through this server: refused at once by the other process
    let (s, _) = get(other.base.clone(), "officer_stp", "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    let (_, me) = app.get("officer_stp", "/api/v1/me").await;
    let id = me["user_id"].as_i64().unwrap();
    let (s, v) = app
        .post(
            "admin",
            &format!("/api/v1/users/{id}/active"),
            json!({"active": false}),
        )
        .await;
    assert!(s.is_success(), "{v}");
    let (s, _) = get(other.base.clone(), "officer_stp", "/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

/// On PostgreSQL another server hears of a change at once (`LISTEN/NOTIFY`), not only at its
/// next check of the versions: here that check is an hour away, and the change still shows
/// within a moment — also after the listening connection was cut by the database.
#[tokio::test]
async fn another_server_hears_of_a_change_at_once_even_after_losing_its_listener() {
    let app = spawn_app().await;
    if !app.db.is_postgres() {
        return;
    }
    let other = server_process_with(&app.db_url, &[("STEERCO_VERSIONS_CHECK_SECS", "3600")]).await;
    let overdue = || async {
        let (_, v) = app
            .get_at(&other.base, "leader", "/api/v1/dashboard?as_of=2025-02-01")
            .await;
        v["dashboard"]["total"]["overdue"].as_i64().unwrap_or(-1)
    };
    // within five seconds, polling (a check of the versions is an hour away)
    let shows = |want: i64| async move {
        for _ in 0..50 {
            if overdue().await == want {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    };
    assert_eq!(overdue().await, 0, "cached before the change");
    let d = app.directive("294/TB-UBND", "2025-01-02").await;
    let snv = app.unit("75.SNV").await;
    let task = |title: &'static str| {
        let app = &app;
        async move {
            let (s, t) = app
                .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
                    json!({"title": title, "lead_units": [snv], "deadline_text": "Trước ngày 15/01/2025"}))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{t}");
        }
    };
    task("Rà soát thủ tục hành chính").await;
    assert!(shows(1).await, "the other server heard of the change");

    // the database cuts the listening connection: the server listens again, and what changed
    // meanwhile is not lost
    let cut: Vec<(bool,)> = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity          WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(cut.len(), 1, "one server listens");
    task("Số hóa kết quả giải quyết thủ tục hành chính").await;
    assert!(shows(2).await, "heard after the cut");
    task("Công khai thủ tục hành chính").await;
    assert!(shows(3).await, "and listening again");
}

/// Two servers on one PostgreSQL, each running its reminder pass every second: a unit's
/// urging notice goes out on the gateway once, not once per server.
#[tokio::test]
async fn two_servers_send_a_due_notice_once() {
    let app = spawn_app().await;
    if !app.db.is_postgres() {
        return;
    }
    let today = chrono::Utc::now().date_naive();
    let issued = (today - chrono::Duration::days(60))
        .format("%Y-%m-%d")
        .to_string();
    let due = (today - chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    let d = app.directive("77/KH-UBND", &issued).await;
    let stp = app.unit("75.STP").await;
    let title = "Rà soát quy trình cấp phiếu lý lịch tư pháp";
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": title, "lead_units": [stp], "deadline_text": format!("Trước ngày {due}")}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let hook = crate::helpers::gateway().await;
    let env = [
        ("STEERCO_NOTIFY_EVERY_SECS", "1"),
        ("STEERCO_WEBHOOK_URL", hook.url.as_str()),
    ];
    let (_one, _two) = tokio::join!(
        server_process_with(&app.db_url, &env),
        server_process_with(&app.db_url, &env)
    );
    // several passes of each server
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let got = hook.got.lock().unwrap().clone();
    let urgings: Vec<_> = got
        .iter()
        .filter(|m| m["kind"] == "urging" && m["text"].as_str().is_some_and(|t| t.contains(title)))
        .collect();
    assert_eq!(urgings.len(), 1, "once: {got:?}");
    assert_eq!(urgings[0]["unit_code"], "75.STP");
}

/// Dossier imports started on two servers at once run one after the other: while another
/// holds the import lock both wait (their files read, saying so), and once it lets go each
/// runs to the end, the second finding the first's rows (upserted by code, never doubled).
#[tokio::test]
async fn imports_started_on_two_servers_wait_their_turn() {
    let app = spawn_app().await;
    if !app.db.is_postgres() {
        return;
    }
    let (one, two) = tokio::join!(server_process(&app.db_url), server_process(&app.db_url));
    let held = app
        .db
        .hold_lock(steerco::dossiers::import::IMPORT_LOCK)
        .await
        .unwrap();
    let import = |base: String| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(format!(
                    "{base}/api/v1/indicators/imports?kind=dossier&name=export.csv"
                ))
                .bearer_auth(&app.tokens["secretary"])
                .body(crate::indicators::may_export())
                .send()
                .await
                .unwrap();
            let s = r.status();
            (s, r.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    let (a, b) = (import(one.base.clone()), import(two.base.clone()));
    let waiting = async {
        // both read their file and wait for the lock
        for _ in 0..100 {
            let (_, list) = app.get("secretary", "/api/v1/indicators/imports").await;
            let running = list
                .as_array()
                .map(|l| l.iter().filter(|i| i["status"] == "running").count())
                .unwrap_or(0);
            if running == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let (_, list) = app.get("secretary", "/api/v1/indicators/imports").await;
        let list = list.as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), 2, "{list:?}");
        assert!(
            list.iter().all(|i| i["status"] == "running"),
            "both wait for the lock: {list:?}"
        );
        // each import's own server says it waits
        for i in &list {
            let mut phases = Vec::new();
            for base in [&one.base, &two.base] {
                let (_, v) = app
                    .get_at(
                        base,
                        "secretary",
                        &format!("/api/v1/indicators/imports/{}", i["id"]),
                    )
                    .await;
                phases.push(v["phase"].clone());
            }
            assert!(
                phases
                    .iter()
                    .any(|p| p.as_str().is_some_and(|p| p.contains("đang chờ"))),
                "{phases:?}"
            );
        }
        drop(held);
    };
    let ((sa, va), (sb, vb), ()) = tokio::join!(a, b, waiting);
    assert_eq!(
        (sa, sb),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{va} {vb}"
    );
    assert_eq!(va["rows_kept"], vb["rows_kept"], "{va} {vb}");
    let kept = va["rows_kept"].as_i64().unwrap();
    assert!(kept > 0);
    let (received,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT CAST(SUM(received) AS BIGINT) FROM dossier_months"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(received, kept, "upserted by code, not doubled");
    let (_, list) = app.get("secretary", "/api/v1/indicators/imports").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "done"),
        "{list}"
    );
}

/// An extension approved for less than asked: the assignment takes the date granted, never a
/// later one than asked nor one before its deadline.
#[tokio::test]
async fn an_extension_can_be_approved_for_less_than_asked() {
    let app = spawn_app().await;
    let d = app.directive("503/KH-UBND", "2025-01-02").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Số hóa hồ sơ", "lead_units": [snv], "deadline_text": "Trước ngày 31/01/2025"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let (s, e) = app
        .post(
            "officer_snv",
            &format!("/api/v1/assignments/{aid}/extensions"),
            json!({"requested_due": "2026-06-30", "reason": "Chờ sáp nhập đơn vị"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let ext = e["id"].as_i64().unwrap();
    let path = format!("/api/v1/extensions/{ext}/decision");
    for (bad, why) in [
        ("2026-07-31", "quá ngày đơn vị đề nghị"),
        ("2025-01-15", "sau thời hạn hiện tại"),
    ] {
        let (s, e) = app
            .post(
                "secretary",
                &path,
                json!({"decision": "approve", "granted_due": bad, "forgive_lateness": true}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["message"].as_str().unwrap().contains(why), "{e}");
    }
    let (s, e) = app
        .post("secretary", &path, json!({"decision": "approve", "granted_due": "2025-03-31", "note": "Gia hạn đến hết quý I", "forgive_lateness": true}))
        .await;
    assert!(s.is_success(), "{e}");
    let (_, a) = app
        .get("secretary", &format!("/api/v1/assignments/{aid}"))
        .await;
    assert_eq!(a["assignment"]["due_on"], "2025-03-31", "{a}");
}

/// One clock: a record and its audit entry are stamped by the application's clock, the same
/// one deadlines are judged by (moved here as a demo or a test moves it), while a session
/// still runs on real time.
#[tokio::test]
async fn records_are_stamped_by_the_clock_that_judges_deadlines() {
    let app = spawn_app().await;
    // a browser session opened before the clock moves ten days on
    let c = app.browser("secretary").await;
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(10);
    app.clock.travel_to(day);
    let stamp = day.format("%Y-%m-%d").to_string();
    let issued = (day - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let d = app.directive("88/KH-UBND", &issued).await;
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/withdraw"),
            json!({"reason": "Nhập nhầm văn bản"}),
        )
        .await;
    assert!(s.is_success(), "{v}");
    let (_, v) = app
        .get("secretary", &format!("/api/v1/directives/{d}"))
        .await;
    let withdrawn = v["directive"]["withdrawn_at"].as_str().unwrap_or_default();
    assert!(withdrawn.starts_with(&stamp), "{v}");
    let (_, a) = app.get("admin", "/api/v1/audit?entity=directive").await;
    let at = a["items"][0]["at"].as_str().unwrap_or_default().to_string();
    assert!(at.starts_with(&stamp), "{a}");
    // sessions run on real time: ten days on the application's clock do not end one
    let r = c.get(app.url("/directives")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text().await.unwrap().contains("88/KH-UBND"),
        "still logged in"
    );
}
