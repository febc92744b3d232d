//! The secretariat's everyday work in bulk: several completions confirmed at once (one
//! already decided is skipped and said so), a confirmation reopened with its reason in the
//! audit trail, the overdue list exported as a workbook.

use std::io::Read;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn sheet_text(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/worksheets/") {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}

#[tokio::test]
async fn completions_confirmed_in_bulk_one_reopened_and_the_overdue_list_exported() {
    let app = spawn_app().await;
    app.clock
        .travel_to(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
    let d = app.directive("30/KH-UBND", "2026-01-05").await;
    let mut units = vec![];
    for code in ["26041", "25195", "25210", "75.STP", "75.SYT", "75.SNV"] {
        units.push(app.unit(code).await);
    }
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Niêm yết công khai thủ tục hành chính tại bộ phận một cửa", "lead_units": units,
                   "deadline_text": "Trước ngày 31/03/2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, t) = app
        .get("secretary", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    // Sở Nội vụ's assignment last: it is the one not reported done
    let snv = units[5];
    let mut ids: Vec<(bool, i64)> = t["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["assignment"]["unit_id"] == snv,
                a["assignment"]["id"].as_i64().unwrap(),
            )
        })
        .collect();
    ids.sort();
    let ids: Vec<i64> = ids.into_iter().map(|x| x.1).collect();
    assert_eq!(ids.len(), 6);
    // five report done; the sixth has not
    for id in &ids[..5] {
        let (s, v) = app
            .post(
                "admin",
                &format!("/api/v1/assignments/{id}/progress"),
                json!({"result": "Đã niêm yết", "percent": 100, "done": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/assignments/reviews",
            json!({"ids": ids, "decision": "return"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return says why: {v}"
    );
    let (s, v) = app
        .post(
            "officer_stp",
            "/api/v1/assignments/reviews",
            json!({"ids": ids, "decision": "confirm"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/assignments/reviews",
            json!({"ids": ids, "decision": "confirm"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["decided"].as_array().unwrap().len(), 5, "{v}");
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{v}");
    assert_eq!(skipped[0][0], ids[5]);
    assert!(skipped[0][1]
        .as_str()
        .unwrap()
        .contains("không có báo cáo hoàn thành"));

    // a confirmation reopened: it awaits confirmation again, the reason audited
    let first = ids[0];
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{first}/reopen"),
            json!({"reason": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{first}/reopen"),
            json!({"reason": "Ảnh chụp niêm yết không đúng bộ thủ tục."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, a) = app
        .get("secretary", &format!("/api/v1/assignments/{first}"))
        .await;
    assert!(a.to_string().contains("\"review\":\"pending\""), "{a}");
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{first}/reopen"),
            json!({"reason": "lần nữa"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "only a confirmed one is reopened");
    let reopened = app
        .count(
            "audit_log WHERE action = 'reopen_done' AND after_json LIKE '%không đúng bộ thủ tục%'",
        )
        .await;
    assert_eq!(
        reopened, 1,
        "the reopening is in the audit trail with its reason"
    );

    // the inbox confirms it again through its form
    let sec = app.browser("secretary").await;
    let page = app.html(&sec, "/inbox").await;
    assert!(
        page.contains(&format!("name=\"ids\" value=\"{first}\"")),
        "{page}"
    );
    let id = first.to_string();
    let r = app
        .submit(
            &sec,
            "/inbox",
            "/inbox/reviews",
            &[("ids", &id), ("reason", ""), ("decision", "confirm")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, a) = app
        .get("secretary", &format!("/api/v1/assignments/{first}"))
        .await;
    assert!(a.to_string().contains("\"review\":\"confirmed\""), "{a}");

    // the overdue list as a workbook: the unit that has not finished, after the deadline
    app.clock
        .travel_to(chrono::NaiveDate::from_ymd_opt(2026, 4, 6).unwrap());
    let r = sec
        .get(app.url("/dashboard/overdue.xlsx?as_of=2026-04-06"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let text = sheet_text(&bytes);
    assert!(
        text.contains("Niêm yết công khai thủ tục hành chính"),
        "{text}"
    );
    assert!(
        text.contains("Sở Nội vụ"),
        "the unit that has not finished: {text}"
    );
    assert!(
        !text.contains("Sở Tư pháp"),
        "those done are not overdue: {text}"
    );
    // the dashboard by unit too
    let r = sec
        .get(app.url("/dashboard.xlsx?as_of=2026-04-06"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = sheet_text(&r.bytes().await.unwrap());
    assert!(
        text.contains("Sở Nội vụ") && text.contains("Tổng cộng"),
        "{text}"
    );
    let officer = app.browser("officer_commune").await;
    let r = officer
        .get(app.url("/dashboard.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an officer has its unit's page"
    );
    let r = officer
        .get(app.url("/dashboard/overdue.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an officer exports its own unit's only"
    );
}

/// The leader lands on one page: the overdue share and its course, the index score, the units
/// most overdue, the first and last on the index, the reports not in; an officer has its own
/// unit's page instead.
#[tokio::test]
async fn the_leader_lands_on_one_page_with_the_score_and_the_worst_units() {
    let app = spawn(Seed::Demo).await;
    let leader = app
        .browser_with("lanhdao", steerco::tools::demo::DEMO_PASSWORD)
        .await;
    let r = leader.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/leader");
    let html = app.html(&leader, "/leader").await;
    for needle in [
        "nhiệm vụ quá hạn (",
        "điểm Bộ chỉ số 766 năm",
        "Đơn vị nhiều nhiệm vụ quá hạn nhất",
        "Dẫn đầu: ",
        "Cuối bảng: ",
        "Diễn biến tỷ lệ nhiệm vụ quá hạn",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(
        html.contains("/dashboard/overdue?unit="),
        "the worst units link to their overdue work"
    );
    assert_eq!(
        html.matches("method=\"post\"").count(),
        1,
        "nothing to act on but logging out"
    );
    // the league tables behind the page, as a workbook
    let r = leader
        .get(app.url("/indicators/leagues.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = sheet_text(&r.bytes().await.unwrap());
    assert!(
        text.contains("Phường Trấn Biên") && text.contains("Điểm /100"),
        "{text}"
    );
    let officer = app
        .browser_with("canbo.tranbien", steerco::tools::demo::DEMO_PASSWORD)
        .await;
    let r = officer.get(app.url("/leader")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Officers for twenty communes from one CSV: a bad file is refused whole with its line
/// numbers; a good one creates every account with a first password that logs in; a user's
/// unit is changed, audited.
#[tokio::test]
async fn accounts_for_twenty_units_from_a_csv_and_a_change_of_unit() {
    let app = spawn_app().await;
    let communes: Vec<String> = steerco::org::province_units(&app.db, "75")
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == "commune" && u.code != "26041")
        .take(20)
        .map(|u| u.code)
        .collect();
    assert_eq!(communes.len(), 20);
    let mut lines = vec!["Mã đơn vị,Họ tên,Tên đăng nhập,Thư điện tử,Điện thoại".to_string()];
    for (i, c) in communes.iter().enumerate() {
        lines.push(format!(
            "{c},Cán bộ xã số {i},,can.bo{i}@xa.gov.vn,09000000{i:02}"
        ));
    }
    let good = lines.join("\n");
    let bad = format!(
        "{good}\n99999,Người lạ,,,\n{},,,khong-phai-email,",
        communes[0]
    );
    let before = app.count("users").await;
    let (s, v) = app
        .post("secretary", "/api/v1/users/bulk", json!({"csv": bad}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let text = v["fields"].to_string();
    assert!(text.contains("Dòng 22: mã đơn vị «99999»"), "{text}");
    assert!(text.contains("Dòng 23: thiếu họ tên"), "{text}");
    assert!(
        text.contains("Dòng 23: thư điện tử «khong-phai-email»"),
        "{text}"
    );
    assert!(text.contains("trùng với một dòng trước"), "{text}");
    assert_eq!(app.count("users").await, before, "nothing written");
    let (s, _) = app
        .post("officer_stp", "/api/v1/users/bulk", json!({"csv": good}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // through the page, pasted
    let sec = app.browser("secretary").await;
    let r = app
        .submit(
            &sec,
            "/users",
            "/users/bulk",
            &[("csv", &good), ("role", "officer")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Đã tạo 20 tài khoản"), "{html}");
    assert_eq!(app.count("users").await, before + 20);
    // the first password printed logs in
    let username = format!("canbo.{}", communes[3].to_lowercase());
    let at = html
        .find(&format!("<code>{username}</code>"))
        .expect("listed");
    let rest = &html[at..];
    let p0 = rest.find("Mật khẩu ban đầu\"><code>").unwrap() + "Mật khẩu ban đầu\"><code>".len();
    let password: String = rest[p0..].chars().take_while(|c| *c != '<').collect();
    assert_eq!(password.len(), 12, "{password}");
    let officer = app.browser_with(&username, &password).await;
    let r = officer.get(app.url("/my")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the new officer logs in");
    // again: the names are taken
    let (s, v) = app
        .post("secretary", "/api/v1/users/bulk", json!({"csv": good}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["fields"].to_string().contains("đã có"), "{v}");

    // a change of unit, audited; not one's own
    let (_, users) = app
        .get("secretary", &format!("/api/v1/users?q={username}"))
        .await;
    let id = users["items"][0]["id"].as_i64().unwrap();
    let other = app.unit(&communes[4]).await;
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/users/{id}/role"),
            json!({"role": "officer", "unit_id": other}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, users) = app
        .get("secretary", &format!("/api/v1/users?q={username}"))
        .await;
    assert_eq!(users["items"][0]["unit_id"], other);
    assert_eq!(app.count("audit_log WHERE action = 'change_role'").await, 1);
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/users/{id}/role"),
            json!({"role": "admin", "unit_id": other}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the secretariat grants no administrator"
    );

    // the audit trail reads in Vietnamese, filtered by kind, person and days
    let html = app
        .html(&sec, "/audit?entity=user&username=secretary")
        .await;
    assert!(html.contains("Đổi vai trò, đơn vị"), "{html}");
    assert!(
        html.contains("unit_id: "),
        "before and after as fields: {html}"
    );
    assert!(!html.contains("change_role<"), "no action codes");
    let html = app.html(&sec, "/audit?from=2000-01-01&to=2000-01-02").await;
    assert!(html.contains("Không có thay đổi nào phù hợp"), "{html}");
    let (s, v) = app
        .get("secretary", "/api/v1/audit?username=secretary&entity=user")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["username"] == "secretary" && r["entity"] == "user"));
    assert!(v["total"].as_i64().unwrap() >= 21, "{v}");
}

/// Small things a new user meets: an officer's "Chỉ số" is its own unit's board, an unknown
/// page is a page (not an "API path"), the site has an icon.
#[tokio::test]
async fn an_officer_reads_its_own_board_and_an_unknown_page_says_so() {
    let app = spawn_app().await;
    let officer = app.browser("officer_commune").await;
    let r = officer.get(app.url("/indicators")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/indicators/unit/26041");
    let r = officer
        .get(app.url("/indicators/unit/26041"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = officer
        .get(app.url("/khong-co-trang-nay"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.unwrap();
    assert!(html.contains("Không tìm thấy trang"), "{html}");
    assert!(!html.contains("API"), "{html}");
    let r = app
        .client
        .get(app.url("/favicon.ico"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
}

/// A quarterly report opens with the one-stop figures steerco already holds for the unit
/// and the quarter (fields that carry a dossier count code), beside the task counts.
#[tokio::test]
async fn the_quarterly_report_is_prefilled_with_the_units_dossier_figures() {
    let app = spawn(Seed::Demo).await;
    let unit = steerco::org::find_unit_by_code(&app.db, "75.SYT")
        .await
        .unwrap()
        .unwrap();
    let requests = steerco::reporting::unit_requests(&app.db, unit.id, 50)
        .await
        .unwrap();
    let r = requests
        .iter()
        .find(|r| r.period.contains("-Q"))
        .expect("a quarterly request of the demo");
    let values = steerco::reporting::prefill(&app.db, r).await.unwrap();
    let period = steerco::indicators::period::Period::parse(&r.period).unwrap();
    let (from, to) = period.months();
    let facts = steerco::indicators::store::facts(
        &app.db,
        steerco::indicators::store::By::Unit,
        &steerco::indicators::store::Scope {
            province: Some("75"),
            unit: Some("75.SYT"),
        },
        &from,
        &to,
    )
    .await
    .unwrap();
    let d = facts["75.SYT"].dossiers;
    assert!(d.received > 0, "the demo has dossiers in {}", r.period);
    assert_eq!(values["hs_tiep_nhan"], d.received.to_string(), "{values:?}");
    assert_eq!(values["hs_giai_quyet"], d.finished.to_string());
    assert_eq!(values["hs_dung_han"], d.finished_on_time.to_string());
    assert_eq!(values["hs_truc_tuyen"], d.received_online.to_string());
    assert!(values.contains_key("nv_tong"), "the task counts too");

    // the demo's quarterly chain has run: the closed quarter with reports in (some late, one
    // returned, two missing), the current one with its first early reports
    let states = app
        .count("report_requests r JOIN report_schedules s ON s.id = r.schedule_id WHERE s.frequency = 'quarterly' AND r.state = 'accepted' AND r.late = TRUE")
        .await;
    assert!(states > 0, "late reports");
    assert_eq!(
        app.count("report_requests WHERE state = 'returned'").await,
        1
    );
    assert!(app.count("report_requests r JOIN report_schedules s ON s.id = r.schedule_id WHERE s.frequency = 'quarterly' AND r.state = 'submitted'").await > 0);
}

/// The task list narrowed as a secretary narrows it — a unit, a status as of today, a due
/// range, an order — keeps its filters in the address across pages and downloads as the same
/// list; a wrong value is refused on its field.
#[tokio::test]
async fn the_task_list_filters_sorts_and_exports_what_it_shows() {
    let app = spawn_app().await;
    app.clock
        .travel_to(chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap());
    let d = app.directive("41/KH-UBND", "2026-01-05").await;
    let (snv, stp) = (app.unit("75.SNV").await, app.unit("75.STP").await);
    let mut tasks = vec![];
    for (title, lead, due) in [
        (
            "Rà soát quy chế làm việc của cơ quan",
            snv,
            "Trước ngày 31/03/2026",
        ),
        (
            "Số hóa hồ sơ lưu trữ của cơ quan",
            snv,
            "Trước ngày 30/09/2026",
        ),
        (
            "Rà soát văn bản quy phạm pháp luật",
            stp,
            "Trước ngày 15/04/2026",
        ),
        ("Tuyên truyền cải cách hành chính", stp, "Thường xuyên"),
    ] {
        let (s, v) = app
            .post(
                "secretary",
                &format!("/api/v1/directives/{d}/tasks"),
                json!({"title": title, "lead_units": [lead], "deadline_text": due}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        tasks.push(v["id"].as_i64().unwrap());
    }
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["task"]["title"].as_str().unwrap().to_string())
            .collect()
    };
    // overdue today: the two whose dates have passed, soonest first
    let (s, v) = app
        .get("secretary", "/api/v1/tasks?status=overdue&sort=due")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        titles(&v),
        [
            "Rà soát quy chế làm việc của cơ quan",
            "Rà soát văn bản quy phạm pháp luật"
        ]
    );
    assert_eq!(v["items"][0]["overdue"], 1);
    // one unit's, with a due range typed as a secretary types dates
    let (_, v) = app
        .get(
            "secretary",
            &format!("/api/v1/tasks?unit={snv}&due_from=01/04/2026&due_to=31/12/2026"),
        )
        .await;
    assert_eq!(titles(&v), ["Số hóa hồ sơ lưu trữ của cơ quan"]);
    // words and an order together
    let (_, v) = app
        .get("secretary", "/api/v1/tasks?q=ra%20soat&sort=title")
        .await;
    assert_eq!(
        titles(&v),
        [
            "Rà soát quy chế làm việc của cơ quan",
            "Rà soát văn bản quy phạm pháp luật"
        ]
    );
    // wrong values are refused on their fields
    for (q, field) in [
        ("status=late", "status"),
        ("due_from=31/02/2026", "due_from"),
        ("due_from=01/06/2026&due_to=01/05/2026", "due_to"),
        ("unit=abc", "unit"),
    ] {
        let (s, v) = app.get("secretary", &format!("/api/v1/tasks?{q}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {v}");
        assert!(v.to_string().contains(field), "{q}: {v}");
    }

    // the page shows the filters it was asked with, and its pager and export keep them
    let sec = app.browser("secretary").await;
    let html = app
        .html(&sec, &format!("/tasks?unit={snv}&status=overdue&sort=due"))
        .await;
    assert!(
        html.contains("Rà soát quy chế làm việc của cơ quan"),
        "{html}"
    );
    assert!(!html.contains("Rà soát văn bản quy phạm pháp luật"));
    assert!(html.contains("1 quá hạn"), "{html}");
    assert!(
        html.contains(&format!(
            "/tasks.xlsx?unit={snv}&amp;status=overdue&amp;sort=due"
        )),
        "{html}"
    );
    assert!(html.contains("selected>Hạn gần nhất trước"), "{html}");
    let html = app.html(&sec, "/tasks?q=khong%20co%20dau").await;
    assert!(html.contains("Không có nhiệm vụ nào khớp bộ lọc"), "{html}");

    let r = sec
        .get(app.url(&format!("/tasks.xlsx?unit={stp}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = sheet_text(&r.bytes().await.unwrap());
    assert!(
        text.contains("Rà soát văn bản quy phạm pháp luật"),
        "{text}"
    );
    assert!(text.contains("Tuyên truyền cải cách hành chính"), "{text}");
    assert!(
        !text.contains("Số hóa hồ sơ lưu trữ"),
        "another unit's task is not in it: {text}"
    );
    assert!(text.contains("41/KH-UBND"), "{text}");
}
