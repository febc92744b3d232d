//! A year of breakthroughs and rank commitments, as example 003 asks for them: the province
//! records its call (Công văn 867/UBND-SNV), units register (one with a target no higher than
//! what it was assigned: flagged; one returned and resubmitted), the secretariat accepts, the
//! milestones become tasks and one is completed, units commit to a rank and are compared with
//! the ranks the imported one-stop data gives (one met, one not), and the consolidation and the
//! emulation summary come out as documents.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const HEADER: &str = "dossier_code,unit_code,procedure_code,fee_required,channel,online_mode,received_at,due_at,finished_at,status,supplement_requests,supplement_days,digitized,e_result,reused_data,paid_online,rating";

/// February 2026 for two communes: Trấn Biên (26041) answers every dossier on time and online,
/// the other (25195) answers late, at the counter.
fn february() -> String {
    let mut rows = vec![HEADER.to_string()];
    for i in 0..6 {
        rows.push(format!("A{i},26041,P1,0,online,full,2026-02-0{} 08:00,2026-02-12 17:00,2026-02-10 17:00,finished,0,0,1,1,1,0,satisfied", i + 2));
        rows.push(format!("B{i},25195,P1,0,direct,none,2026-02-0{} 08:00,2026-02-12 17:00,2026-02-20 17:00,finished,0,0,0,0,0,0,unsatisfied", i + 2));
    }
    rows.join("\n") + "\n"
}

fn registration(field: &str, title: &str, targets: Value, milestones: Value) -> Value {
    json!({
        "field": field, "title": title,
        "rationale": "Giải quyết dứt điểm hồ sơ trễ hạn, vượt chỉ tiêu tỉnh giao.",
        "solutions": "Rà soát quy trình nội bộ; số hóa hồ sơ; nhắc việc tự động.",
        "products": "Quy trình điện tử; báo cáo kết quả.",
        "leader": "Giám đốc Sở",
        "targets": targets, "milestones": milestones,
    })
}

/// Posts an action on a registration.
async fn act(app: &TestApp, who: &str, id: i64, action: &str, body: Value) -> (StatusCode, Value) {
    app.post(who, &format!("/api/v1/breakthroughs/{id}/{action}"), body)
        .await
}

async fn state_of(app: &TestApp, who: &str, id: i64) -> Value {
    let (s, v) = app.get(who, &format!("/api/v1/breakthroughs/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_year_of_breakthroughs_and_rank_commitments() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2026-03-10"));

    // -- the call --
    let call = json!({"year": 2026, "number": "867/UBND-SNV", "issued_on": "2026-01-19", "due_on": "2026-03-25"});
    let (s, _) = app
        .post("officer_stp", "/api/v1/breakthrough-calls", call.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a unit does not issue the call");
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/breakthrough-calls",
            json!({"year": 2026, "number": "", "issued_on": "19/01/2026", "due_on": "2026-01-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"due_on") && fields.contains(&"number"),
        "{v}"
    );
    assert_eq!(app.count("breakthrough_calls").await, 0, "nothing written");
    let (s, v) = app
        .post("secretary", "/api/v1/breakthrough-calls", call.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _) = app
        .post("secretary", "/api/v1/breakthrough-calls", call)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "one call a year");

    // -- registrations --
    let milestones = json!([
        {"title": "Ban hành quy trình nội bộ điện tử", "due_on": "2026-04-30", "product": "Quyết định"},
        {"title": "Số hóa toàn bộ hồ sơ tồn", "due_on": "30/09/2026", "product": "Kho dữ liệu"},
        {"title": "Đánh giá kết quả", "due_on": "2026-12-15"},
    ]);
    let bad = registration(
        "cchc",
        "",
        json!([{"criterion": "X", "indicator": "no_such_indicator", "target": 90}]),
        json!([{"title": "Làm sau", "due_on": "2027-02-01"}]),
    );
    let (s, v) = app.post("officer_stp", "/api/v1/breakthroughs", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let messages = v["fields"].to_string();
    assert!(
        messages.contains("Tên khâu đột phá không được để trống"),
        "{v}"
    );
    assert!(messages.contains("không có trong danh mục"), "{v}");
    assert!(messages.contains("phải trong năm 2026"), "{v}");
    assert_eq!(app.count("breakthroughs").await, 0, "nothing written");

    // Justice: online 90 % (the plan asks 80 %: higher) and full online 60 % (no target: new)
    let (s, v) = app
        .post(
            "officer_stp",
            "/api/v1/breakthroughs",
            registration(
                "cds",
                "Hồ sơ lý lịch tư pháp trực tuyến toàn trình",
                json!([
                    {"criterion": "Hồ sơ nộp trực tuyến", "indicator": "dossier_online", "target": 90},
                    {"criterion": "", "indicator": "dossier_full_online", "target": 60},
                    {"criterion": "Không còn hồ sơ giấy lưu tại Sở"},
                ]),
                milestones.clone(),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let stp = v["id"].as_i64().unwrap();
    // the commune: online 75 %, below the 80 % it was given — flagged
    let (s, v) = app
        .post(
            "officer_commune",
            "/api/v1/breakthroughs",
            registration(
                "cchc",
                "Một cửa không chờ",
                json!([{"criterion": "Hồ sơ nộp trực tuyến", "indicator": "dossier_online", "target": 75}]),
                json!([{"title": "Triển khai ki-ốt hướng dẫn", "due_on": "2026-06-30"}]),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let commune = v["id"].as_i64().unwrap();
    let (s, _) = app
        .post(
            "officer_commune",
            "/api/v1/breakthroughs",
            registration(
                "cchc",
                "Lần hai",
                json!([{"criterion": "A"}]),
                json!([{"title": "B", "due_on": "2026-05-01"}]),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "one registration a field");
    let (s, _) = app
        .put(
            "officer_commune",
            &format!("/api/v1/breakthroughs/{stp}"),
            registration(
                "cds",
                "Sửa của người khác",
                json!([{"criterion": "A"}]),
                milestones.clone(),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a unit edits its own only");
    let (s, _) = app
        .get("officer_commune", &format!("/api/v1/breakthroughs/{stp}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "nor reads another unit's");

    for (who, id) in [("officer_stp", stp), ("officer_commune", commune)] {
        let (s, v) = act(&app, who, id, "submit", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = app
        .get("secretary", "/api/v1/breakthroughs?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c = &v["consolidation"];
    let line = |id: i64| {
        c["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["b"]["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(line(stp)["flagged"], 0, "{}", line(stp));
    let stp_line = line(stp);
    let verdicts: Vec<&str> = stp_line["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["higher", "new", "unchecked"]);
    assert_eq!(line(commune)["flagged"], 1);
    assert_eq!(line(commune)["verdicts"][0]["assigned"], 80.0);
    let missing = c["missing"].as_array().unwrap();
    assert!(
        missing.iter().any(|u| u["code"] == "75.SYT"),
        "Health has not registered"
    );
    assert!(!missing.iter().any(|u| u["code"] == "75.STP"));

    // the committee's quarterly meeting on 30/3 sees the registrations in its preparation
    let snv = app.unit("75.SNV").await;
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/bodies",
            json!({"code": "BCD-CCHC", "name": "Ban Chỉ đạo CCHC tỉnh", "kind": "steering_committee",
                   "province_code": "75", "standing_unit_id": snv}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/meetings",
            json!({"body_id": v["id"], "kind": "regular", "planned_on": "2026-03-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let meeting = v["id"].as_i64().unwrap();
    let (_, v) = app
        .get("secretary", &format!("/api/v1/meetings/{meeting}"))
        .await;
    let step = |link: &str| {
        v["pack"]["readiness"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"]["link_kind"] == link)
            .cloned()
            .unwrap_or_else(|| panic!("no {link} step"))
    };
    let ready_of = |step: &Value, unit: &str| {
        step["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit_name"] == unit)
            .map(|r| r["ready"].as_str().unwrap().to_string())
    };
    let registered = step("breakthrough");
    assert_eq!(registered["step"]["due_on"], "2026-03-26", "D−4");
    assert_eq!(ready_of(&registered, "Sở Tư pháp").as_deref(), Some("in"));
    assert_eq!(ready_of(&registered, "Sở Y tế").as_deref(), Some("awaited"));
    assert_eq!(
        ready_of(&step("province_breakthrough"), "Sở Nội vụ").as_deref(),
        Some("awaited"),
        "the standing agency proposes the province's own"
    );

    // the units that owe a registration are reminded from five days before the due date
    let owed = steerco::breakthroughs::calls::reminders(&app.db, day("2026-03-22"), Some("75"))
        .await
        .unwrap();
    assert!(owed
        .iter()
        .any(|r| r.unit_code == "75.SYT" && r.subject.contains("Nhắc đăng ký")));
    assert!(!owed.iter().any(|r| r.unit_code == "75.STP"));

    // -- review: the commune's is returned, rewritten and resubmitted --
    let (s, v) = act(
        &app,
        "officer_stp",
        commune,
        "return",
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = act(&app, "secretary", commune, "return", json!({"reason": ""})).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return says why: {v}"
    );
    let (s, v) = act(
        &app,
        "secretary",
        commune,
        "return",
        json!({"reason": "Chỉ tiêu thấp hơn chỉ tiêu tỉnh giao (80 %)."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = act(&app, "secretary", commune, "accept", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "a returned one is not accepted");
    let (s, _) = act(&app, "officer_commune", commune, "submit", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "rewritten before it is sent again");
    let (s, v) = app
        .put(
            "officer_commune",
            &format!("/api/v1/breakthroughs/{commune}"),
            registration(
                "cchc",
                "Một cửa không chờ",
                json!([{"criterion": "Hồ sơ nộp trực tuyến", "indicator": "dossier_online", "target": 85}]),
                json!([{"title": "Triển khai ki-ốt hướng dẫn", "due_on": "2026-06-30"}]),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = act(&app, "officer_commune", commune, "submit", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let v = state_of(&app, "officer_commune", commune).await;
    assert_eq!(v["registration"]["b"]["version"], 2);
    assert_eq!(v["registration"]["flagged"], 0, "85 % is above 80 %");
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{v}");
    assert_eq!(versions[1]["decision"], "returned");
    assert!(versions[1]["reason"].as_str().unwrap().contains("80 %"));

    // -- acceptance: milestones become the units' tasks --
    let mut task_ids = vec![];
    for id in [stp, commune] {
        let (s, v) = act(&app, "secretary", id, "accept", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        task_ids.push(v["tasks"].as_array().unwrap().len());
    }
    assert_eq!(task_ids, [3, 1]);
    let (s, _) = act(&app, "secretary", stp, "accept", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "one decision wins");
    let (s, my) = app.get("officer_stp", "/api/v1/my").await;
    assert_eq!(s, StatusCode::OK);
    let text = my.to_string();
    assert!(text.contains("Ban hành quy trình nội bộ điện tử"), "{my}");
    let v = state_of(&app, "officer_stp", stp).await;
    let first = v["registration"]["milestones"][0]["assignment_id"]
        .as_i64()
        .unwrap();
    assert_eq!(v["registration"]["progress"], "on_track");
    let (s, v) = app
        .post(
            "officer_stp",
            &format!("/api/v1/assignments/{first}/progress"),
            json!({"result": "Đã ban hành Quyết định 12/QĐ-STP", "percent": 100, "done": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{first}/review"),
            json!({"decision": "confirm"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let v = state_of(&app, "officer_stp", stp).await;
    assert_eq!(v["registration"]["milestones"][0]["status"], "done_on_time");
    assert_eq!(v["registration"]["progress"], "on_track");
    // past the second milestone's date without it: behind
    app.clock.travel_to(day("2026-10-05"));
    let v = state_of(&app, "officer_stp", stp).await;
    assert_eq!(v["registration"]["progress"], "behind");

    // -- rank commitments against the ranks of the imported one-stop data --
    let r = app
        .client
        .post(app.url("/api/v1/indicators/imports?kind=dossier&name=export.csv"))
        .bearer_auth(&app.tokens["secretary"])
        .body(february())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    for bad in [
        json!({"target_rank": "0"}),
        json!({"target_rank": "hai"}),
        json!({"target_rank": "1", "target_score": "120"}),
    ] {
        let (s, v) = app
            .post("officer_commune", "/api/v1/rank-commitments", bad)
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    }
    assert_eq!(app.count("rank_commitments").await, 0, "nothing written");
    let (s, v) = app
        .post(
            "officer_commune",
            "/api/v1/rank-commitments",
            json!({"year": 2026, "target_rank": "1", "target_score": "50"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let other = app.unit("25195").await;
    let (s, _) = app
        .post(
            "officer_commune",
            "/api/v1/rank-commitments",
            json!({"year": 2026, "unit_id": other, "target_rank": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a unit commits for itself only");
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/rank-commitments",
            json!({"year": 2026, "unit_id": other, "target_rank": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app
        .get("secretary", "/api/v1/rank-commitments?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = v["commitments"].as_array().unwrap();
    let of = |code: &str| {
        list.iter()
            .find(|c| c["commitment"]["unit_code"] == code)
            .cloned()
            .unwrap()
    };
    // the league table of the year says who is first
    let (s, board) = app
        .get("secretary", "/api/v1/indicators/scorecard?period=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{board}");
    let communes = board["leagues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == "26041")
        })
        .unwrap();
    let rank = |code: &str| {
        communes["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()["rank"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((rank("26041"), rank("25195")), (1, 2), "{communes}");
    assert_eq!(of("26041")["outcome"], "met", "{}", of("26041"));
    assert_eq!(of("26041")["standing"]["rank"], 1);
    assert_eq!(of("25195")["outcome"], "not_met");
    assert_eq!(of("25195")["by"], -1, "one place behind");
    assert_eq!(v["final"], false, "the year is not over");
    let (_, mine) = app
        .get("officer_commune", "/api/v1/rank-commitments?year=2026")
        .await;
    assert_eq!(
        mine["commitments"].as_array().unwrap().len(),
        1,
        "an officer sees its own"
    );

    // the meeting's pack shows the commitments and the breakthroughs
    let (_, v) = app
        .get("secretary", &format!("/api/v1/meetings/{meeting}"))
        .await;
    let emulation = v["pack"]["emulation"].as_array().unwrap();
    assert!(
        emulation
            .iter()
            .any(|r| r["unit_code"] == "26041" && r["committed_rank"] == 1),
        "{emulation:?}"
    );
    assert!(emulation.iter().any(|r| r["unit_code"] == "75.STP"));

    // -- the year's emulation summary and the documents --
    let (s, e) = app.get("leader", "/api/v1/emulation?year=2026").await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let row = e["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_code"] == "75.STP")
        .unwrap();
    assert_eq!(row["tasks"]["on_time"], 1, "{row}");
    assert_eq!(
        row["tasks"]["missing"], 1,
        "the second milestone is overdue: {row}"
    );
    assert_eq!(row["breakthroughs"][0][1], "accepted");
    let r = app
        .client
        .get(app.url("/api/v1/breakthroughs/consolidated.docx?year=2026"))
        .bearer_auth(&app.tokens["leader"])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    let text = steerco::documents::docx::text_of(&bytes).expect("the .docx opens");
    for needle in [
        "867/UBND-SNV",
        "Hồ sơ lý lịch tư pháp trực tuyến toàn trình",
        "Sở Y tế",
        "Cam kết thứ hạng",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    keep("tong-hop-khau-dot-pha.docx", &bytes);
    for path in [
        "/api/v1/breakthroughs/consolidated.xlsx?year=2026",
        "/api/v1/emulation.xlsx?year=2026",
    ] {
        let r = app
            .client
            .get(app.url(path))
            .bearer_auth(&app.tokens["secretary"])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let bytes = r.bytes().await.unwrap().to_vec();
        assert_eq!(&bytes[..2], b"PK", "{path} is a workbook");
        let name = if path.contains("emulation") {
            "tong-hop-thi-dua.xlsx"
        } else {
            "tong-hop-khau-dot-pha.xlsx"
        };
        keep(name, &bytes);
    }
    let (s, v) = app.get("officer_stp", "/api/v1/emulation?year=2026").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["rows"].as_array().unwrap().len(), 1, "its own row");
}

fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("STEERCO_KEEP_DOCS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}"), bytes).unwrap();
    }
}

/// The pages, as a unit officer and the secretary use them: a registration through the form
/// (rows side by side), a refusal that names what is wrong, review on the page.
#[tokio::test]
async fn register_and_review_through_the_pages() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2026-03-10"));
    let sec = app.browser("secretary").await;
    let r = sec
        .get(app.url("/breakthroughs?year=2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Chưa có đợt đăng ký khâu đột phá năm 2026"));
    let r = app
        .submit(
            &sec,
            "/breakthroughs?year=2026",
            "/breakthroughs/calls",
            &[
                ("year", "2026"),
                ("number", "867/UBND-SNV"),
                ("issued_on", "2026-01-19"),
                ("due_on", "2026-03-25"),
                ("summary", ""),
                ("kinds", "department"),
                ("kinds", "commune"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let officer = app.browser("officer_stp").await;
    let form = [
        ("call_id", ""),
        ("field", "cds"),
        ("title", "Lý lịch tư pháp trực tuyến"),
        ("rationale", "Vượt chỉ tiêu được giao."),
        ("target_criterion", "Hồ sơ trực tuyến"),
        ("target_indicator", "dossier_online"),
        ("target_value", "92,5"),
        ("target_criterion", ""),
        ("target_indicator", ""),
        ("target_value", ""),
        ("solutions", ""),
        ("milestone_title", "Quy trình điện tử"),
        ("milestone_due", "2026-05-31"),
        ("milestone_product", "Quyết định"),
        ("milestone_title", ""),
        ("milestone_due", ""),
        ("milestone_product", ""),
        ("products", ""),
        ("leader", ""),
    ];
    let r = app
        .submit(
            &officer,
            "/breakthroughs/new?year=2026",
            "/breakthroughs",
            &form,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nêu lãnh đạo chịu trách nhiệm"), "{html}");
    assert!(
        html.contains("Lý lịch tư pháp trực tuyến"),
        "the input is kept"
    );
    assert_eq!(app.count("breakthroughs").await, 0);
    let mut form = form.to_vec();
    form.retain(|(k, _)| *k != "leader");
    form.push(("leader", "Giám đốc Sở Tư pháp"));
    let r = app
        .submit(
            &officer,
            "/breakthroughs/new?year=2026",
            "/breakthroughs",
            &form,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let at = r.headers()["location"].to_str().unwrap().to_string();
    let page = app.html(&officer, &at).await;
    assert!(page.contains("92,5 %"), "{page}");
    assert!(page.contains("Cao hơn chỉ tiêu được giao (80 %)"), "{page}");
    let r = app
        .submit(&officer, &at, &format!("{at}/submit"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.submit(&sec, &at, &format!("{at}/accept"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.html(&sec, &at).await;
    assert!(page.contains("Đã chấp thuận"), "{page}");
    assert!(page.contains("/tasks/"), "the milestone links to its task");
    let list = app.html(&sec, "/breakthroughs?year=2026").await;
    assert!(
        list.contains("Lý lịch tư pháp trực tuyến") && list.contains("Sở Y tế"),
        "the list and who has not registered"
    );
    for path in ["/commitments?year=2026", "/emulation?year=2026"] {
        let r = sec.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}

/// The demo's year: registrations in every state, one flagged, the province's own accepted,
/// commitments met and not met; the pages answer for the leader.
#[tokio::test]
async fn the_demo_has_a_year_of_breakthroughs_and_commitments() {
    let app = spawn(Seed::Demo).await;
    let (s, v) = app.get("thuky", "/api/v1/breakthroughs").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let lines = v["consolidation"]["lines"].as_array().unwrap();
    let mut states: Vec<&str> = lines
        .iter()
        .map(|l| l["b"]["state"].as_str().unwrap())
        .collect();
    states.sort();
    states.dedup();
    assert_eq!(states, ["accepted", "draft", "returned", "submitted"]);
    assert!(lines.iter().any(|l| l["flagged"] == 1), "one flagged");
    assert!(lines
        .iter()
        .any(|l| l["b"]["unit_id"].is_null() && l["b"]["state"] == "accepted"));
    let outcomes: Vec<&str> = v["consolidation"]["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.contains(&"met") && outcomes.contains(&"not_met"),
        "{outcomes:?}"
    );
    let leader = app
        .browser_with("lanhdao", steerco::tools::demo::DEMO_PASSWORD)
        .await;
    for path in [
        "/breakthroughs",
        "/commitments",
        "/emulation?kind=department",
    ] {
        let r = leader.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("Sở Khoa học và Công nghệ"), "{path}");
        assert!(
            !html.contains("Lưu cam kết"),
            "a leader changes nothing: {path}"
        );
    }
}
