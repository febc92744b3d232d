//! Importing directives from documents, as a secretary does it: upload, review, publish —
//! through the pages, the API and the command line.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{csrf_of, spawn_app, TestApp};

fn example(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(name) && !n.ends_with(".json"))
        })
        .unwrap_or_else(|| panic!("{name} is in the corpus"));
    std::fs::read(path).unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The fields a browser would submit from the review form: inputs (checked boxes only),
/// textareas and selected options, in document order.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let start = html
        .find("action=\"/directives/import/publish\"")
        .expect("the review form");
    let form = &html[start
        ..html[start..]
            .find("</form>")
            .map(|e| start + e)
            .unwrap_or(html.len())];
    let mut out = Vec::new();
    let attr = |tag: &str, a: &str| -> Option<String> {
        let k = format!(" {a}=\"");
        let i = tag.find(&k)? + k.len();
        Some(unescape(&tag[i..i + tag[i..].find('"')?]))
    };
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = attr(tag, "name") {
                if kind != "checkbox" || tag.contains(" checked") {
                    out.push((name, attr(tag, "value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            if let Some(name) = attr(tag, "name") {
                let body = &rest[end + 1..];
                let close = body.find("</textarea>").unwrap_or(0);
                out.push((name, unescape(&body[..close])));
            }
        } else if tag.starts_with("<select") {
            if let Some(name) = attr(tag, "name") {
                let body = &rest[end + 1..];
                let close = body.find("</select>").unwrap_or(0);
                let options = &body[..close];
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .find(|o| o.contains(" selected"))
                    .or_else(|| options.split("<option").nth(1))
                    .and_then(|o| attr(o, "value"))
                    .unwrap_or_default();
                out.push((name, chosen));
            }
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    out
}

async fn upload(
    c: &Client,
    app: &TestApp,
    bytes: Vec<u8>,
    file_name: &str,
) -> (StatusCode, String) {
    let page = c
        .get(app.url("/directives/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf_of(&page))
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
    let r = c
        .post(app.url("/directives/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

async fn publish(
    c: &Client,
    app: &TestApp,
    fields: &[(String, String)],
) -> (StatusCode, String, Option<String>) {
    let r = c
        .post(app.url("/directives/import/publish"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let s = r.status();
    let loc = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (s, r.text().await.unwrap(), loc)
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if k == name {
            *v = value.to_string();
        }
    }
}

async fn tasks_of(app: &TestApp, location: &str) -> Value {
    let id: i64 = location.trim_start_matches("/directives/").parse().unwrap();
    let (s, v) = app
        .get("secretary", &format!("/api/v1/directives/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    v
}

#[tokio::test]
async fn the_five_examples_import_through_the_review_screen() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    // (example, number read, tasks proposed)
    for (name, number, tasks) in [
        ("000", "", 3),
        ("001", "404/KH-UBND", 31),
        ("002", "771/QĐ-BCĐXDCQĐT", 0),
        ("003", "3552/UBND-SNV", 7),
        ("004", "293/TB-UBND", 7),
    ] {
        let before = (app.count("directives").await, app.count("tasks").await);
        let (s, page) = upload(&c, &app, example(name), &format!("{name}.txt")).await;
        assert_eq!(s, StatusCode::OK, "{name}: {page}");
        assert!(page.contains("Kiểm tra văn bản nhập") && page.contains("Văn bản gốc"));
        assert!(
            page.contains(&format!("Nhiệm vụ ({tasks})")),
            "{name} proposes {tasks} tasks"
        );
        // Reading writes nothing.
        assert_eq!(
            (app.count("directives").await, app.count("tasks").await),
            before
        );
        let mut fields = form_fields(&page);
        let field = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(field("number"), number, "{name}: number read");
        if number.is_empty() {
            // A news copy of a regulation has no number: the reviewer types it.
            set(&mut fields, "number", "15/QC-TCT");
        }
        let (mut s, mut body, mut loc) = publish(&c, &app, &fields).await;
        if name == "003" {
            // "các cơ quan thường trực Ban Chỉ đạo …" is no unit of the registry: publishing
            // is refused with the reason, every edit kept, until the reviewer settles it.
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body.contains("chưa xác định được đơn vị chủ trì"), "{body}");
            assert!(body.contains("Khẩn trương rà soát, đăng ký khâu đột phá"));
            assert_eq!(app.count("directives").await, before.0, "nothing written");
            let mut fields = form_fields(&body);
            for i in 0..tasks {
                let lead = format!("t{i}.lead");
                let v = fields
                    .iter()
                    .find(|(n, _)| *n == lead)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                if v.contains("thường trực") {
                    set(&mut fields, &lead, "Sở Nội vụ");
                }
            }
            (s, body, loc) = publish(&c, &app, &fields).await;
        }
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}: {body}");
        let loc = loc.expect("redirect to the directive");
        let v = tasks_of(&app, &loc).await;
        assert_eq!(
            v["directive"]["number"].as_str().unwrap_or(""),
            if number.is_empty() {
                "15/QC-TCT"
            } else {
                number
            }
        );
        assert_eq!(
            v["tasks"].as_array().map(Vec::len),
            Some(tasks),
            "{name}: tasks created"
        );
        assert!(v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["assignments"].as_i64().unwrap_or(0) > 0));
        assert!(
            v["directive"]["body_text"].as_str().unwrap_or("").len() > 500,
            "the source text is kept"
        );
    }
    // Plan 404: the group "Các sở, ban, ngành" became one assignment per department.
    let (_, v) = app
        .get("secretary", "/api/v1/tasks?q=de%20xuat%20cat%20giam")
        .await;
    let task_id = v["items"][0]["task"]["id"]
        .as_i64()
        .or(v["items"][0]["id"].as_i64())
        .expect("task found");
    let (_, t) = app
        .get("secretary", &format!("/api/v1/tasks/{task_id}"))
        .await;
    assert_eq!(t["assignments"].as_array().map(Vec::len), Some(15), "{t}");
    // The audit trail records the import.
    let (_, a) = app.get("admin", "/api/v1/audit?entity=directive").await;
    assert!(a.to_string().contains("\"import\""), "{a}");
}

#[tokio::test]
async fn bad_files_get_a_clear_message_and_write_nothing() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    let before = (
        app.count("directives").await,
        app.count("tasks").await,
        app.count("assignments").await,
    );
    for (bytes, message) in [
        (Vec::new(), "Tệp rỗng"),
        (b"   \n\n".to_vec(), "Tệp rỗng"),
        (
            (0..4000u32)
                .map(|i| (i * 7919 % 251) as u8)
                .collect::<Vec<u8>>(),
            "không phải văn bản",
        ),
        (
            b"PK\x03\x04 not really a zip".to_vec(),
            "không phải .docx hợp lệ",
        ),
        (b"%PDF-1.4\n%broken".to_vec(), "PDF"),
        (vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], ".doc"),
    ] {
        let (s, page) = upload(&c, &app, bytes, "x.bin").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{message}: {page}");
        assert!(page.contains(message), "{message}: {page}");
    }
    // 20 MB: refused before anything is read, with a Vietnamese message.
    let (s, page) = upload(&c, &app, vec![b'a'; 20 * 1024 * 1024], "big.txt").await;
    assert!(
        s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::PAYLOAD_TOO_LARGE,
        "{s}"
    );
    assert!(page.contains("quá lớn"), "{page}");
    // A table with missing cells still reads; the row without a lead is flagged.
    let ragged = "KẾ HOẠCH\nThử nghiệm\n| STT | Nội dung | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n| 1 | Rà soát thủ tục hành chính | Sở Tư pháp | Quý II/2025 |\n| 2 | Cập nhật cơ sở dữ liệu | |\n| 3 |\n";
    let (s, page) = upload(&c, &app, ragged.as_bytes().to_vec(), "ragged.txt").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Rà soát thủ tục hành chính") && page.contains("Cập nhật cơ sở dữ liệu"));
    // Publishing it as is: refused (no number, no date, a task without lead), nothing written.
    let mut fields = form_fields(&page);
    let (s, body, _) = publish(&c, &app, &fields).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Nhiệm vụ 2: chưa có đơn vị chủ trì"),
        "{body}"
    );
    assert!(
        body.contains("Số, ký hiệu văn bản không được để trống"),
        "{body}"
    );
    // The reviewer's edit survives the refusal.
    set(
        &mut fields,
        "t0.title",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
    );
    let (_, body, _) = publish(&c, &app, &fields).await;
    assert!(body.contains("Rà soát, đơn giản hóa thủ tục hành chính nội bộ"));
    assert_eq!(
        (
            app.count("directives").await,
            app.count("tasks").await,
            app.count("assignments").await
        ),
        before,
        "no partial write"
    );
    // An officer may not import.
    let o = app.browser("officer_snv").await;
    let r = o.get(app.url("/directives/import")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (s, _) = app.post("officer_snv", "/api/v1/imports/publish", json!({"province_code": "75", "kind": "plan", "number": "1/KH", "issued_on": "2025-01-01", "issuer": "x", "summary": "x", "tasks": []})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_reads_a_word_file_and_publishes_the_review() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/v1/imports"))
        .bearer_auth(&app.tokens["secretary"])
        .body(example("101"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["directive"]["number"], "58/KH-UBND");
    assert_eq!(v["tasks"].as_array().map(Vec::len), Some(12));
    assert_eq!(v["tasks"][0]["deadline"]["due"], "2026-06-30");
    // Resolved against the secretary's own province (Đồng Nai), whatever the document says.
    assert_eq!(v["tasks"][0]["lead"][0]["unit"], "75.STP");
    assert_eq!(app.count("directives").await, 0, "reading writes nothing");
    // A lead naming a known unit beside a body outside the registry publishes; the body
    // stays in the lead's text, the unit gets the assignment.
    let mut review = v["review"].clone();
    review["tasks"][0]["lead"] = json!("Sở Tư pháp; VNPT Lâm Đồng");
    let (s, created) = app
        .post("secretary", "/api/v1/imports/publish", review)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(app.count("tasks").await, 12);
    let (_, d) = app
        .get(
            "secretary",
            &format!("/api/v1/directives/{}", created["id"]),
        )
        .await;
    assert_eq!(
        d["tasks"][0]["task"]["lead_text"],
        "Sở Tư pháp; VNPT Lâm Đồng"
    );
    assert_eq!(d["tasks"][0]["assignments"], 1);
    // "Các sở, ban, ngành; UBND các xã, phường": 15 departments and 95 communes.
    let (_, t) = app
        .get("secretary", "/api/v1/tasks?q=so%20hoa%20ho%20so")
        .await;
    let id = t["items"][0]["task"]["id"]
        .as_i64()
        .or(t["items"][0]["id"].as_i64())
        .unwrap();
    let (_, t) = app.get("secretary", &format!("/api/v1/tasks/{id}")).await;
    assert_eq!(t["assignments"].as_array().map(Vec::len), Some(15 + 95));
    // Garbage through the API: a 422 with the message, nothing written.
    let r = app
        .client
        .post(app.url("/api/v1/imports"))
        .bearer_auth(&app.tokens["secretary"])
        .body(vec![0u8, 1, 2, 3, 255, 254, 0, 7, 8, 9, 10, 11, 0, 0, 0, 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "invalid_input");
}

/// The same document imported twice: the review says it was published, publishing refuses
/// until the secretary chooses, "update" adds only the tasks not held yet (nothing doubled),
/// "new" makes a second directive on purpose.
#[tokio::test]
async fn a_document_imported_twice_is_never_doubled_silently() {
    let app = spawn_app().await;
    let read = || async {
        let r = app
            .client
            .post(app.url("/api/v1/imports"))
            .bearer_auth(&app.tokens["secretary"])
            .body(example("101"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.unwrap()
    };
    let first = read().await;
    assert!(first["published"].is_null(), "{}", first["published"]);
    let (s, created) = app
        .post(
            "secretary",
            "/api/v1/imports/publish",
            first["review"].clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (tasks, assignments) = (app.count("tasks").await, app.count("assignments").await);
    assert_eq!(tasks, 12);

    let again = read().await;
    assert_eq!(again["published"]["id"], created["id"], "{again}");
    assert_eq!(again["published"]["tasks"], 12);
    let (s, v) = app
        .post(
            "secretary",
            "/api/v1/imports/publish",
            again["review"].clone(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("if_published"), "{v}");
    assert!(v.to_string().contains("đã được xuất bản"), "{v}");
    assert_eq!(app.count("tasks").await, tasks, "nothing written");

    // update: one task new in the second reading, the twelve others already held
    let mut review = again["review"].clone();
    review["if_published"] = json!("update");
    review["tasks"][0]["title"] =
        json!("Rà soát quy trình nội bộ giải quyết thủ tục hành chính mới");
    let (s, v) = app
        .post("secretary", "/api/v1/imports/publish", review)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["id"], created["id"], "the same directive");
    assert_eq!(app.count("directives").await, 1);
    assert_eq!(app.count("tasks").await, tasks + 1);
    assert!(app.count("assignments").await > assignments);
    assert_eq!(
        app.count("audit_log WHERE action = 'import_update'").await,
        1
    );

    // new: a second directive, chosen
    let mut review = again["review"].clone();
    review["if_published"] = json!("new");
    let (s, v) = app
        .post("secretary", "/api/v1/imports/publish", review)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_ne!(v["id"], created["id"]);
    assert_eq!(app.count("directives").await, 2);

    // the review screen warns and offers the choice
    let sec = app.browser("secretary").await;
    let (s, html) = upload(&sec, &app, example("101"), "101.docx").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Văn bản này đã được xuất bản"), "{html}");
    assert!(
        html.contains(r#"name="if_published" value="update""#),
        "{html}"
    );
}

#[test]
fn the_command_line_prints_json_and_writes_nothing() {
    let bin = env!("CARGO_BIN_EXE_steerco");
    let dir = std::env::temp_dir().join(format!("steerco-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("never.db");
    let file = dir.join("001.txt");
    std::fs::write(&file, example("001")).unwrap();
    let out = std::process::Command::new(bin)
        .args(["--db", &format!("sqlite://{}", db.display()), "import"])
        .arg(&file)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["directive"]["number"], "404/KH-UBND");
    assert_eq!(v["directive"]["date"], "2024-12-30");
    assert_eq!(v["directive"]["kind"], "plan");
    assert_eq!(v["tasks"].as_array().map(Vec::len), Some(31));
    let t = &v["tasks"][2];
    assert_eq!(
        t["deadline"],
        json!({"text": "Trước ngày 31/01/2025", "kind": "date", "due": "2025-01-31"})
    );
    assert_eq!(t["lead"][0]["unit"], "75.VPUBND");
    assert!(!db.exists(), "import opens no database");
    // Unreadable input: a message and exit code 2.
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    for f in [empty, dir.join("missing.docx")] {
        let out = std::process::Command::new(bin)
            .arg("import")
            .arg(&f)
            .arg("--json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("lỗi"));
        assert!(out.stdout.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A directive published by mistake is withdrawn with its reason: it stays readable, its
/// tasks leave the dashboard, the task list and the overdue list; withdrawing again is a
/// conflict; an officer may not; a withdrawn task alone leaves the rest in place.
#[tokio::test]
async fn a_mistaken_publication_is_withdrawn_and_leaves_the_dashboards() {
    let app = spawn_app().await;
    app.clock
        .travel_to(chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap());
    let d = app.directive("77/KH-UBND", "2026-01-05").await;
    let snv = app.unit("75.SNV").await;
    let mut tasks = vec![];
    for title in [
        "Rà soát quy chế làm việc của cơ quan",
        "Số hóa hồ sơ lưu trữ của cơ quan",
    ] {
        let (s, v) = app
            .post(
                "secretary",
                &format!("/api/v1/directives/{d}/tasks"),
                json!({"title": title, "lead_units": [snv], "deadline_text": "Trước ngày 31/03/2026"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        tasks.push(v["id"].as_i64().unwrap());
    }
    let overdue = |v: &Value| v["dashboard"]["total"]["overdue"].as_i64().unwrap_or(-1);
    let (_, dash) = app
        .get("secretary", "/api/v1/dashboard?as_of=2026-05-04")
        .await;
    let before = overdue(&dash);
    assert!(before >= 2, "{dash}");

    let withdraw = |user: &'static str, path: String, reason: &'static str| {
        let app = &app;
        async move { app.post(user, &path, json!({ "reason": reason })).await }
    };
    // one task withdrawn: a reason is required, an officer may not
    let (s, _) = withdraw(
        "secretary",
        format!("/api/v1/tasks/{}/withdraw", tasks[0]),
        "",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = withdraw(
        "officer_snv",
        format!("/api/v1/tasks/{}/withdraw", tasks[0]),
        "Giao nhầm đơn vị",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = withdraw(
        "secretary",
        format!("/api/v1/tasks/{}/withdraw", tasks[0]),
        "Giao nhầm đơn vị",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, dash) = app
        .get("secretary", "/api/v1/dashboard?as_of=2026-05-04")
        .await;
    assert_eq!(overdue(&dash), before - 1, "{dash}");
    let (_, list) = app.get("secretary", "/api/v1/tasks?q=co%20quan").await;
    assert_eq!(
        list["total"], 1,
        "the withdrawn task is off the list: {list}"
    );
    let (s, _) = withdraw(
        "secretary",
        format!("/api/v1/tasks/{}/withdraw", tasks[0]),
        "Giao nhầm đơn vị",
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // the whole directive: kept and readable, nothing of it counted
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/withdraw"),
            json!({"reason": "Xuất bản nhầm văn bản"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, dash) = app
        .get("secretary", "/api/v1/dashboard?as_of=2026-05-04")
        .await;
    assert_eq!(overdue(&dash), before - 2, "{dash}");
    let (s, got) = app
        .get("secretary", &format!("/api/v1/directives/{d}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(got["directive"]["withdrawn_at"].is_string(), "{got}");
    let (s, _) = app
        .put(
            "secretary",
            &format!("/api/v1/tasks/{}", tasks[1]),
            json!({"title": "Số hóa", "deadline_text": "Thường xuyên"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a withdrawn task is not edited");
    assert_eq!(app.count("audit_log WHERE action = 'withdraw'").await, 2);
    // the audit trail by the unit of who acted: the secretary's (Sở Nội vụ), not another's
    let withdrawals = |v: &Value| {
        v["items"]
            .as_array()
            .map(|a| a.iter().filter(|e| e["action"] == "withdraw").count())
            .unwrap_or(0)
    };
    let (s, v) = app
        .get("secretary", &format!("/api/v1/audit?unit={snv}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(withdrawals(&v), 2, "{v}");
    let stp = app.unit("75.STP").await;
    let (_, v) = app
        .get("secretary", &format!("/api/v1/audit?unit={stp}"))
        .await;
    assert_eq!(withdrawals(&v), 0, "{v}");
    let sec = app.browser("secretary").await;
    let html = app.html(&sec, &format!("/directives/{d}")).await;
    assert!(html.contains("Đã thu hồi"), "{html}");
    assert!(html.contains("Xuất bản nhầm văn bản"), "{html}");
    assert!(
        !html.contains("Thêm nhiệm vụ"),
        "no more tasks on a withdrawn directive"
    );
}

/// Recall first: a passage that assigns work in words the reader does not understand is not
/// dropped — the review proposes it unticked and flagged ("Đề xuất chưa chắc chắn"), a task
/// read as usual is ticked, and ticking the proposal with a lead publishes it as a task.
#[tokio::test]
async fn a_passage_the_reader_cannot_assign_is_proposed_unticked_and_can_be_published() {
    let app = spawn_app().await;
    let text = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\nSố: 120/KH-UBND\nĐồng Nai, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\n\
                Thực hiện cải cách hành chính năm 2026\nI. NHIỆM VỤ\n\
                1. Sở Nội vụ chủ trì rà soát, đánh giá kết quả cải cách hành chính năm 2025, trước ngày 30/4/2026.\n\
                2. Về tuyên truyền: trong năm, việc tuyên truyền cải cách hành chính đề nghị được đẩy mạnh bằng nhiều hình thức phù hợp, có trách nhiệm của người đứng đầu.\n\
                Nơi nhận:\n- Như trên;\n";
    let r = app
        .client
        .post(app.url("/api/v1/imports"))
        .bearer_auth(&app.tokens["secretary"])
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["tasks"].as_array().map(Vec::len), Some(1), "{v}");
    let unassigned = v["unassigned"].as_array().cloned().unwrap_or_default();
    assert_eq!(unassigned.len(), 1, "{v}");
    assert!(unassigned[0]["text"]
        .as_str()
        .unwrap()
        .contains("Về tuyên truyền"));
    let review = &v["review"]["tasks"];
    assert_eq!(
        (review[0]["include"].clone(), review[0]["unsure"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(
        (review[1]["include"].clone(), review[1]["unsure"].clone()),
        (json!(false), json!(true))
    );

    // the review page shows it apart, unticked
    let c = app.browser("secretary").await;
    let (s, page) = upload(&c, &app, text.as_bytes().to_vec(), "ke-hoach.txt").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Đoạn văn có thể là nhiệm vụ (1)"), "{page}");
    assert!(page.contains("Đề xuất chưa chắc chắn 1"), "{page}");
    assert!(
        !page.contains(r#"name="t1.include" value="1" checked"#),
        "unticked"
    );

    // ticked, with its lead: published as a task beside the other
    let mut review = v["review"].clone();
    review["tasks"][1]["include"] = json!(true);
    review["tasks"][1]["lead"] = json!("Sở Văn hóa, Thể thao và Du lịch");
    let (s, created) = app
        .post("secretary", "/api/v1/imports/publish", review)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(app.count("tasks").await, 2);
}
