//! Issue 5: one-stop data imported through the API and the upload form, upserted by code,
//! bad rows reported by line; Decision 766 values, points, ranks and targets checked
//! against a small dataset computed by hand.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{csrf_of, spawn_app, TestApp};

pub(crate) const HEADER: &str = "dossier_code,unit_code,procedure_code,fee_required,channel,online_mode,received_at,due_at,finished_at,status,supplement_requests,supplement_days,digitized,e_result,reused_data,paid_online,rating";

/// May 2026 for Phường Trấn Biên (26041), as in the unit test of the monthly counts, two
/// communes with one dossier each (a tie), and five broken rows (lines 10 to 14).
pub(crate) fn may_export() -> String {
    [
        HEADER,
        "A1,26041,P1,1,online,full,2026-05-04 08:00,2026-05-08 17:00,2026-05-08 17:00,finished,0,0,1,1,1,1,satisfied",
        "A2,26041,P1,1,direct,none,2026-05-05 08:00,2026-05-08 17:00,2026-05-09 08:00,finished,0,0,1,0,0,0,unsatisfied",
        "A3,26041,P2,0,online,partial,2026-05-06 08:00,2026-05-08 17:00,2026-05-11 17:00,finished,1,3,0,0,0,0,",
        "A4,26041,P2,0,postal,none,2026-05-07 08:00,2026-05-12 17:00,2026-05-09 08:00,finished,2,0,0,0,0,0,",
        "A5,26041,P2,1,online,full,2026-05-28 08:00,2026-06-05 17:00,,in_progress,0,0,1,0,0,1,",
        "A6,26041,P2,0,direct,none,2026-05-20 08:00,2026-05-29 17:00,,in_progress,0,0,0,0,0,0,",
        "C1,25195,P9,0,direct,none,2026-05-11 09:00,,,in_progress,0,0,1,0,0,0,",
        "C2,25210,P9,0,direct,none,2026-05-12 09:00,,,in_progress,0,0,1,0,0,0,",
        "X1,26041,P1,0,carrier-pigeon,none,2026-05-05 08:00,,,in_progress,0,0,0,0,0,0,",
        "X2,99999,P1,0,direct,none,2026-05-05 08:00,,,in_progress,0,0,0,0,0,0,",
        "X3,00004,P1,0,direct,none,2026-05-05 08:00,,,in_progress,0,0,0,0,0,0,",
        "X4,26041,P1,0,direct,none,05/2026,,,in_progress,0,0,0,0,0,0,",
        "X5,26041",
    ]
    .join("\n")
        + "\n"
}

/// A page as the logged-in browser `c` gets it.
async fn page_text(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

async fn import(app: &TestApp, who: &str, kind: &str, body: String) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/indicators/imports?kind={kind}&name=export.csv"
        )))
        .bearer_auth(&app.tokens[who])
        .body(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn item<'a>(board: &'a Value, indicator: &str) -> &'a Value {
    board["score"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .find(|i| i["indicator"] == indicator)
        .unwrap_or_else(|| panic!("no {indicator}"))
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-6)
}

#[tokio::test]
async fn imports_upsert_by_code_report_bad_rows_and_score_by_hand() {
    let app = spawn_app().await;
    // With a BOM, as Excel writes it.
    let file = format!("\u{feff}{}", may_export());
    let (s, v) = import(&app, "officer_commune", "dossier", file.clone()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a commune officer does not import"
    );
    let (s, v2) = import(&app, "leader", "dossier", file.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v} {v2}");

    let (s, o) = import(&app, "secretary", "dossier", file.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["rows_kept"], 8);
    assert_eq!(o["rows_bad"], 5);
    let errors: Vec<(u64, String)> = o["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let lines: Vec<u64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![10, 11, 12, 13, 14], "{errors:?}");
    assert!(errors[0].1.contains("carrier-pigeon"), "{errors:?}");
    assert!(errors[1].1.contains("“99999” không có trong danh mục"));
    assert!(
        errors[2].1.contains("“00004”"),
        "a Hà Nội commune is not Đồng Nai's"
    );
    assert!(errors[3].1.contains("received_at “05/2026”"), "{errors:?}");
    assert!(errors[4].1.contains("thiếu"), "{errors:?}");

    // The export of the figures: the hand-computed month of the unit test.
    let mut csv = Vec::new();
    steerco::indicators::store::export_csv(&app.db, Some("75"), &mut csv)
        .await
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("26041,2026-05,6,3,2,4,2,2,1,3,1,1,3,2,2,1,2\n"),
        "{csv}"
    );
    assert!(csv.contains("25195,2026-05,1,0,0,0,0,1,0,1,0,0,0,0,0,0,0\n"));

    // Phường Trấn Biên, May 2026, by hand:
    //   766 on time (2.1): (2 finished on time + 2 in progress − 1 overdue) / 6 = 50 % → 10 points
    //   online (3.3): 3/6 = 50 %, threshold 50 % → 6 points; paid online (3.6): 2/3 → 4 points
    //   e-result 1/6 → 1; digitised 3/6 → 2; reused 1/6 under an 80 % threshold → 0.4167
    //   satisfaction (5.4): 2 finished well / 4 finished, threshold 90 % → 3.3333
    //   no feedback at all: 5.2 and 5.3 count as fully met → 6 + 6
    //   reported indicators (group 1…) not reported → 0. Total 38.75.
    let (s, u) = app
        .get("secretary", "/api/v1/indicators/units/26041?period=2026-05")
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert!(close(&item(&u, "dossier_on_time_766")["value"], 50.0));
    assert!(close(&item(&u, "dossier_on_time_766")["points"], 10.0));
    assert!(close(&item(&u, "dossier_online")["points"], 6.0));
    assert!(close(&item(&u, "dossier_paid_online")["points"], 4.0));
    assert!(close(
        &item(&u, "dossier_reused_data")["points"],
        2.0 / 6.0 / 0.8
    ));
    assert!(close(
        &item(&u, "dossier_satisfaction_766")["points"],
        6.0 * 0.5 / 0.9
    ));
    assert!(close(&item(&u, "feedback_on_time")["value"], 100.0));
    assert!(close(&item(&u, "feedback_satisfaction")["points"], 6.0));
    assert!(item(&u, "publish_on_time")["value"].is_null());
    assert!(
        close(&u["score"]["total"], 38.75),
        "{}",
        u["score"]["total"]
    );
    assert_eq!(u["rank"], serde_json::json!([1, 3]));
    // By procedure: P1 has A1 and A2, P2 the other four.
    let procs: Vec<(String, u64)> = u["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["procedure"].as_str().unwrap().to_string(),
                p["counts"]["received"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(procs, vec![("P2".into(), 4), ("P1".into(), 2)]);

    // The league: 26041 first; the two communes with one dossier in progress tie at 36
    // (20 + digitised 4 + feedback 12; no finished dossier: 5.4 scores 0, and the plain
    // on-time share has no denominator and shows no value).
    let (s, b) = app
        .get("secretary", "/api/v1/indicators/scorecard?period=2026-05")
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let communes = &b["leagues"][0]["rows"];
    let ranks: Vec<(u64, &str, f64)> = communes
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rank"].as_u64().unwrap(),
                r["code"].as_str().unwrap(),
                r["total"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ranks.len(), 3);
    assert_eq!((ranks[0].0, ranks[0].1), (1, "26041"));
    assert_eq!((ranks[1].0, ranks[2].0), (2, 2), "{ranks:?}");
    assert!((ranks[1].2 - 36.0).abs() < 1e-9);
    // The province: sums over its units (8 dossiers), not a mean of the three ratios.
    let line = b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "dossier_finished_on_time")
        .unwrap();
    assert!(close(&line["value"], 50.0), "2 of 4 finished: {line}");
    assert_eq!(line["light"], "red", "50 % against the plan's 97 %");
    assert_eq!(b["received"], 8);

    // A file that is not an export at all: refused as a whole with the reason, recorded as failed.
    let (s, e) = import(&app, "secretary", "dossier", "ma,ten\n1,2\n".into()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("thiếu cột bắt buộc: dossier_code"),
        "{e}"
    );
    let (_, list) = app.get("secretary", "/api/v1/indicators/imports").await;
    assert_eq!(list[0]["status"], "failed");
    assert!(list[0]["message"].as_str().unwrap().contains("thiếu cột"));

    // Re-importing the same file changes nothing.
    let (s, again) = import(&app, "secretary", "dossier", file.clone()).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(again["units_changed"], 0, "{again}");
    assert_eq!(again["rows_bad"], 5);

    // June's export: A6 finished on 28/5, before its due date; A5 still in progress.
    let june = [
        HEADER,
        "A5,26041,P2,1,online,full,2026-05-28 08:00,2026-06-05 17:00,,in_progress,0,0,1,0,0,1,",
        "A6,26041,P2,0,direct,none,2026-05-20 08:00,2026-05-29 17:00,2026-05-28 10:00,finished,0,0,0,0,0,0,satisfied",
    ]
    .join("\n");
    let (_, o) = import(&app, "secretary", "dossier", june).await;
    assert_eq!(o["units_changed"], 1, "{o}");
    let (_, u) = app
        .get("secretary", "/api/v1/indicators/units/26041?period=2026-05")
        .await;
    // (3 on time + 1 in progress − 0 overdue) / 6
    assert!(close(
        &item(&u, "dossier_on_time_766")["value"],
        400.0 / 6.0
    ));
    assert_eq!(u["counts"]["received"], 6, "upserted, not added");
    // May's export imported late again: A6 does not go back to "in progress".
    let (_, o) = import(&app, "secretary", "dossier", file).await;
    assert_eq!(o["units_changed"], 0, "{o}");
    let (_, u) = app
        .get("secretary", "/api/v1/indicators/units/26041?period=2026-05")
        .await;
    assert_eq!(u["counts"]["finished"], 5);

    // Feedback: one item resolved late → 5.2 is 0 % for the unit.
    let fb = "feedback_code,unit_code,category,received_at,due_at,resolved_at,rating,repeat\n\
              F1,26041,tthc,2026-05-02 09:00,2026-05-10 17:00,2026-05-15 10:00,unsatisfied,0\n\
              F2,26041,tthc,2026-05-02 09:00,nope,,,0\n";
    let (s, o) = import(&app, "secretary", "feedback", fb.into()).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(
        (o["rows_kept"].as_u64(), o["rows_bad"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(o["errors"][0]["line"], 3);
    let (_, u) = app
        .get("secretary", "/api/v1/indicators/units/26041?period=2026-05")
        .await;
    assert!(close(&item(&u, "feedback_on_time")["value"], 0.0));

    // JSON Lines, as some one-stop systems export: one dossier kept, a broken object reported.
    let jsonl = "{\"dossier_code\": \"J1\", \"unit_code\": \"25195\", \"channel\": \"online\", \"received_at\": \"2026-05-20T09:00:00+07:00\", \"status\": \"in_progress\", \"digitized\": true}\n{\"dossier_code\": \"J2\",\n";
    let (s, o) = import(&app, "secretary", "dossier", jsonl.into()).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(
        (o["rows_kept"].as_u64(), o["rows_bad"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(o["errors"][0]["line"], 2);
    let (_, u) = app
        .get("secretary", "/api/v1/indicators/units/25195?period=2026-05")
        .await;
    assert_eq!(u["counts"]["received"], 2);
    assert_eq!(u["counts"]["received_online"], 1);

    // Who reads what: a commune officer reads the rankings; the country is for administrators.
    let (s, _) = app
        .get(
            "officer_commune",
            "/api/v1/indicators/scorecard?period=2026-05",
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .get(
            "secretary",
            "/api/v1/indicators/scorecard?scope=country&period=2026",
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, c) = app
        .get(
            "admin",
            "/api/v1/indicators/scorecard?scope=country&period=2026",
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["leagues"][0]["rows"][0]["code"], "75", "{}", c["leagues"]);
    let (s, e) = app
        .get("secretary", "/api/v1/indicators/scorecard?period=2026-13")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["message"].as_str().unwrap().contains("Kỳ không hợp lệ"));

    // An import cut off by a dying process leaves the data as it was and says so.
    let before = app.count("dossier_months").await;
    let (id, _) = steerco::dossiers::import::begin(
        &app.db,
        steerco::dossiers::import::Kind::Dossier,
        Some("75"),
        "cut.csv",
        None,
    )
    .await
    .unwrap();
    // still beating (another process may be running it): left alone
    assert_eq!(
        steerco::dossiers::import::mark_interrupted(&app.db)
            .await
            .unwrap(),
        0
    );
    let (_, r) = app
        .get("secretary", &format!("/api/v1/indicators/imports/{id}"))
        .await;
    assert_eq!(r["import"]["status"], "running");
    // silent for two minutes: its process died
    let later = chrono::Utc::now() + chrono::Duration::minutes(2);
    assert_eq!(
        steerco::dossiers::import::mark_interrupted_at(&app.db, later)
            .await
            .unwrap(),
        1
    );
    let (_, r) = app
        .get("secretary", &format!("/api/v1/indicators/imports/{id}"))
        .await;
    assert_eq!(r["import"]["status"], "failed");
    assert!(r["import"]["message"]
        .as_str()
        .unwrap()
        .contains("gián đoạn"));
    assert_eq!(app.count("dossier_months").await, before);
}

#[tokio::test]
async fn upload_form_progress_page_targets_and_lights() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    let page = page_text(&c, &app.url("/indicators")).await;
    assert!(
        page.contains("Chưa có dữ liệu hồ sơ"),
        "a useful empty state"
    );
    let form = page_text(&c, &app.url("/indicators/imports")).await;
    let csrf = csrf_of(&form);
    let part = reqwest::multipart::Part::bytes(may_export().into_bytes()).file_name("thang5.csv");
    let mp = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("kind", "dossier")
        .part("file", part);
    let r = c
        .post(app.url("/indicators/imports"))
        .multipart(mp)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let at = r.headers()["location"].to_str().unwrap().to_string();
    // The page follows the import until it is written.
    let mut html = String::new();
    for _ in 0..100 {
        html = page_text(&c, &app.url(&at)).await;
        if !html.contains("Đang nhập") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(html.contains("Đã nhập"), "{html}");
    assert!(html.contains("<dd id=\"kept\">8</dd>"), "{html}");
    assert!(
        html.contains("<td class=\"num\">11</td>"),
        "bad rows listed by line"
    );

    // A target for the commune: 40 % finished on time; 50 % meets it (green), where the
    // plan's 97 % did not.
    let u = app.unit("26041").await;
    let r = c
        .post(app.url("/indicators/targets"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("year", "2026"),
            ("indicator", "dossier_finished_on_time"),
            ("unit_id", &u.to_string()),
            ("group_id", ""),
            ("target", "40"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c
        .post(app.url("/indicators/targets"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("year", "2026"),
            ("indicator", "dossier_finished_on_time"),
            ("unit_id", ""),
            ("group_id", ""),
            ("target", "150"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("từ 0 đến 100"));
    let (_, b) = app
        .get("secretary", "/api/v1/indicators/units/26041?period=2026-05")
        .await;
    let line = b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "dossier_finished_on_time")
        .unwrap()
        .clone();
    assert_eq!(line["target"], 40.0);
    assert_eq!(line["light"], "green");
    // Another commune keeps the plan's target.
    let (_, b) = app
        .get("secretary", "/api/v1/indicators/units/25195?period=2026-05")
        .await;
    let t = b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["indicator"] == "dossier_finished_on_time")
        .unwrap()["target"]
        .clone();
    assert_eq!(t, 97.0);

    // The pages: the league links to the unit, the unit shows its procedures and rank.
    let page = page_text(&c, &app.url("/indicators?period=2026-05")).await;
    assert!(page.contains("data-unit=\"26041\""), "{page}");
    assert!(page.contains("/indicators/unit/26041?period=2026-05"));
    assert!(
        page.contains("aria-label=\"Điểm theo nhóm tiêu chí\"")
            && page.contains("aria-label=\"Diễn biến theo tháng\""),
        "the group bars and the monthly course are drawn"
    );
    assert!(page.contains(">T5</text>"), "May on the monthly course");
    let unit = page_text(&c, &app.url("/indicators/unit/26041?period=2026-05")).await;
    assert!(unit.contains("data-procedure=\"P2\""));
    assert!(unit.contains("<strong id=\"rank\">1</strong>"), "{unit}");
    assert!(unit.contains("38,75"), "the hand-computed total");

    // Tasks feed an indicator: the commune finishes one of its two tasks due in May on time.
    let d = app.directive("12/KH-UBND", "2026-04-20").await;
    let commune = app.unit("26041").await;
    let mut assignments = vec![];
    for (title, due) in [
        ("Rà soát TTHC cấp xã", "31/05/2026"),
        ("Số hóa kết quả", "20/05/2026"),
    ] {
        let (s, v) = app
            .post(
                "secretary",
                &format!("/api/v1/directives/{d}/tasks"),
                serde_json::json!({"title": title, "lead_units": [commune], "deadline_text": format!("Trước ngày {due}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (_, t) = app
            .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
            .await;
        assignments.push(t["assignments"][0]["assignment"]["id"].as_i64().unwrap());
    }
    let (s, e) = app
        .post(
            "officer_commune",
            &format!("/api/v1/assignments/{}/progress", assignments[0]),
            serde_json::json!({"result": "Đã rà soát", "done": true, "completed_on": "2026-05-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");

    // The province's own scorecard: 60 points for dossiers finished on time (full from
    // 50 %), 40 for tasks on time. A threshold over 100 is refused with the form kept.
    let form = [
        ("_csrf", csrf.as_str()),
        ("code", "noi-bo"),
        ("name", "Bộ chỉ số nội bộ"),
        ("g_dossier_finished_on_time", "Hồ sơ"),
        ("p_dossier_finished_on_time", "60"),
        ("t_dossier_finished_on_time", "150"),
        ("g_task_on_time", "Nhiệm vụ"),
        ("p_task_on_time", "40"),
    ];
    let r = c
        .post(app.url("/indicators/scorecards"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("ngưỡng phải trong (0, 100]"), "{html}");
    assert!(
        html.contains("value=\"Bộ chỉ số nội bộ\""),
        "the form is kept"
    );
    let mut form = form;
    form[5].1 = "50";
    let r = c
        .post(app.url("/indicators/scorecards"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // 26041: 2 of 4 finished on time = 50 % → 60; tasks 1 of 2 on time → 20. Total 80.
    // 25195 has no task due: nothing late, 40; no finished dossier: no value, 0.
    let (_, b) = app
        .get(
            "secretary",
            "/api/v1/indicators/scorecard?period=2026-05&card=noi-bo",
        )
        .await;
    assert_eq!(b["card_name"], "Bộ chỉ số nội bộ");
    let rows = b["leagues"][0]["rows"].as_array().unwrap();
    assert_eq!(rows[0]["code"], "26041");
    assert!(close(&rows[0]["total"], 80.0), "{}", rows[0]);
    assert!(close(&rows[1]["total"], 40.0), "{}", rows[1]);
    let page = page_text(&c, &app.url("/indicators?period=2026-05&card=noi-bo")).await;
    assert!(
        page.contains("<option value=\"noi-bo\" selected>"),
        "the card is chosen"
    );
}

/// A dossier exported again as it moves on (in progress, then finished) is one dossier: the
/// figures read straight from the file (`steerco dossier-figures`) count its last state once,
/// exactly as an import of the same file stores it — and an ended dossier is never undone by
/// an older state listed after it.
#[tokio::test]
async fn figures_from_a_file_count_a_repeated_code_once_as_an_import_does() {
    let app = spawn_app().await;
    let csv = [
        HEADER,
        "R1,26041,P1,0,online,full,2026-05-04 08:00,2026-05-20 17:00,,in_progress,0,0,0,0,0,0,",
        "R2,26041,P1,0,direct,none,2026-05-05 08:00,2026-05-08 17:00,2026-05-07 10:00,finished,0,0,1,0,0,0,satisfied",
        "R3,26041,P2,0,direct,none,2026-05-30 08:00,2026-06-10 17:00,,in_progress,0,0,0,0,0,0,",
        "R1,26041,P1,0,online,full,2026-05-04 08:00,2026-05-20 17:00,2026-05-10 09:00,finished,0,0,1,1,0,0,satisfied",
        "R2,26041,P1,0,direct,none,2026-05-05 08:00,2026-05-08 17:00,,in_progress,0,0,0,0,0,0,",
        "R3,26041,P2,0,direct,none,2026-06-02 08:00,2026-06-10 17:00,,in_progress,0,0,0,0,0,0,",
        "R4,26041,P2,0,direct,none,2026-05-06 08:00,2026-05-08 17:00,,in_progress,0,0,0,0,0,0,",
    ]
    .join("\n")
        + "\n";
    let (s, v) = import(&app, "secretary", "dossier", csv.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["rows_kept"], 7, "{v}");
    let mut stored = Vec::new();
    steerco::indicators::store::export_csv(&app.db, Some("75"), &mut stored)
        .await
        .unwrap();
    let stored = String::from_utf8(stored).unwrap();
    let stored = stored.split("\n\n").next().unwrap().to_string();

    let path = std::env::temp_dir().join(format!("steerco-repeat-{}.csv", std::process::id()));
    std::fs::write(&path, &csv).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steerco"))
        .args(["dossier-figures", "--dossiers"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_file = String::from_utf8(out.stdout).unwrap();
    assert_eq!(from_file.trim_end(), stored.trim_end());
    // four dossiers: R1 finished, R2 finished (its later "in progress" ignored), R4 in
    // progress in May; R3 moved to June
    assert!(
        from_file.contains("\n26041,2026-05,3,1,1,2,2,1,1,"),
        "{from_file}"
    );
    assert!(from_file.contains("\n26041,2026-06,1,"), "{from_file}");
}
