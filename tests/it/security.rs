//! The findings of the security review (ASVS level 2 as the yardstick), each as the attack
//! that found it: it failed before its fix.

use reqwest::StatusCode;
use serde_json::json;
use steerco::auth::{repo, Role};

use crate::helpers::{spawn_app, TestApp, PASSWORD};

/// A second province beside Đồng Nai, with its own secretariat; returns its API token.
async fn hanoi(app: &TestApp) -> String {
    steerco::org::load_provinces(&app.db, Some("01"), false)
        .await
        .unwrap();
    let unit = app.unit("01.SNV").await;
    repo::create_user(
        &app.db,
        None,
        repo::NewUser {
            username: "thuky.hn",
            password: PASSWORD,
            full_name: "Thư ký Hà Nội",
            role: Role::Secretariat,
            unit_id: Some(unit),
            body_id: None,
        },
    )
    .await
    .unwrap();
    repo::create_api_token(&app.db, "thuky.hn", "test")
        .await
        .unwrap()
}

/// High: the audit trail crossed provinces. A secretariat reads its own province's trail only;
/// the administrator reads the country's.
#[tokio::test]
async fn the_audit_trail_stays_within_its_province() {
    let app = spawn_app().await;
    let hn = hanoi(&app).await;
    let r = app
        .client
        .post(app.url("/api/v1/directives"))
        .bearer_auth(&hn)
        .json(&json!({"province_code": "01", "kind": "plan", "number": "99/KH-UBND",
            "issued_on": "2025-03-01", "issuer": "UBND thành phố Hà Nội", "summary": "Kế hoạch bí mật của Hà Nội"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let (s, v) = app
        .post("secretary", "/api/v1/directives", json!({"province_code": "75", "kind": "plan", "number": "1/KH-UBND",
            "issued_on": "2025-03-01", "issuer": "UBND tỉnh Đồng Nai", "summary": "Kế hoạch của Đồng Nai"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // an administrator's change in Đồng Nai is Đồng Nai's
    let (s, v) = app
        .post("admin", "/api/v1/units", json!({"code": "75.TEST", "name": "Sở Thử nghiệm", "kind": "department", "province_code": "75"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    let (s, dn) = app.get("secretary", "/api/v1/audit").await;
    assert_eq!(s, StatusCode::OK);
    let text = dn.to_string();
    assert!(text.contains("Kế hoạch của Đồng Nai"), "{text}");
    assert!(text.contains("Sở Thử nghiệm"), "{text}");
    assert!(
        !text.contains("Hà Nội"),
        "Đồng Nai reads Hà Nội's trail: {text}"
    );
    assert!(!text.contains("thuky.hn"), "{text}");
    let page = app
        .browser("secretary")
        .await
        .get(app.url("/audit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Kế hoạch của Đồng Nai") && !page.contains("Kế hoạch bí mật"));
    let (_, all) = app.get("admin", "/api/v1/audit").await;
    let all = all.to_string();
    assert!(all.contains("Kế hoạch bí mật của Hà Nội") && all.contains("Kế hoạch của Đồng Nai"));
    assert_eq!(
        app.get("officer_snv", "/api/v1/audit").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("leader", "/api/v1/audit").await.0,
        StatusCode::FORBIDDEN
    );
}

async fn login_from(
    app: &TestApp,
    from: &str,
    username: &str,
    password: &str,
    next: &str,
) -> String {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(from.parse::<std::net::IpAddr>().ok())
        .build()
        .unwrap();
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    r.headers()["location"].to_str().unwrap().to_string()
}

/// Medium: anyone could lock any account with five wrong passwords. Guesses from one address
/// hold back that address only; the owner logs in from their own.
#[tokio::test]
async fn wrong_passwords_from_elsewhere_do_not_lock_the_owner_out() {
    let app = spawn_app().await;
    for _ in 0..steerco::auth::MAX_FAILURES + 3 {
        let to = login_from(&app, "127.0.0.2", "secretary", "doan-mo", "/").await;
        assert!(to.contains("failed=1") || to.contains("locked=1"), "{to}");
    }
    let attacker = login_from(&app, "127.0.0.2", "secretary", PASSWORD, "/").await;
    assert!(
        attacker.contains("locked=1"),
        "the guessing address waits: {attacker}"
    );
    let owner = login_from(&app, "127.0.0.1", "secretary", PASSWORD, "/").await;
    assert_eq!(owner, "/", "the owner is not locked out");
    // spraying one password over many usernames makes that address wait for all of them
    for i in 0..steerco::auth::throttle::ADDRESS_FAILURES {
        login_from(&app, "127.0.0.3", &format!("user{i}"), "123456", "/").await;
    }
    let sprayer = login_from(&app, "127.0.0.3", "leader", PASSWORD, "/").await;
    assert!(sprayer.contains("locked=1"), "{sprayer}");
    assert_eq!(
        login_from(&app, "127.0.0.1", "leader", PASSWORD, "/").await,
        "/"
    );
}

/// Medium: an open redirect after login. Only paths of this site are followed.
#[tokio::test]
async fn after_login_only_this_sites_paths_are_followed() {
    let app = spawn_app().await;
    for evil in [
        "/\\evil.example",
        "/\t/evil.example",
        "//evil.example",
        "https://evil.example",
        "/\n/evil.example",
        "/ /evil",
    ] {
        let to = login_from(&app, "127.0.0.1", "secretary", PASSWORD, evil).await;
        assert_eq!(to, "/", "{evil:?} led to {to}");
    }
    let to = login_from(
        &app,
        "127.0.0.1",
        "secretary",
        PASSWORD,
        "/tasks?q=so%20noi%20vu",
    )
    .await;
    assert_eq!(to, "/tasks?q=so%20noi%20vu");
}

/// Medium: a back-dated completion. An officer dated a completion years before the task was
/// given to turn overdue work into work done on time; the date is bounded by the assignment's
/// issue and by the unit's last report that said it was not done.
#[tokio::test]
async fn a_completion_cannot_be_dated_before_the_work_was_given() {
    let app = spawn_app().await;
    let d = app.directive("500/KH-UBND", "2026-11-01").await;
    let snv = app.unit("75.SNV").await;
    let (_, v) = app
        .post("secretary", &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Số hóa hồ sơ", "lead_units": [snv], "deadline_text": "Trước ngày 15/11/2026"}))
        .await;
    let (_, t) = app
        .get("admin", &format!("/api/v1/tasks/{}", v["id"]))
        .await;
    let aid = t["assignments"][0]["assignment"]["id"].as_i64().unwrap();
    let progress = |body: serde_json::Value| {
        let app = &app;
        async move {
            app.post(
                "officer_snv",
                &format!("/api/v1/assignments/{aid}/progress"),
                body,
            )
            .await
        }
    };
    let (s, e) =
        progress(json!({"result": "Xong", "done": true, "completed_on": "2001-01-01"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["fields"][0]["field"], "completed_on");
    assert!(e["message"].as_str().unwrap().contains("01/11/2026"), "{e}");
    // a report today saying 40 %, then "done on the 2nd": before that report, refused
    let (s, _) = progress(json!({"result": "Đang số hóa", "percent": 40})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) =
        progress(json!({"result": "Xong", "done": true, "completed_on": "2026-11-02"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("lần báo cáo gần nhất"),
        "{e}"
    );
    let (s, e) = progress(json!({"result": "Xong", "done": true})).await;
    assert_eq!(s, StatusCode::CREATED, "done today: {e}");
    // until the secretariat confirms, the unit's page and the assignment say so, not "done"
    let officer = app.browser("officer_snv").await;
    let page = |path: String| {
        let officer = officer.clone();
        let url = app.url(&path);
        async move { officer.get(url).send().await.unwrap().text().await.unwrap() }
    };
    for html in [
        page("/my".into()).await,
        page(format!("/assignments/{aid}")).await,
    ] {
        assert!(html.contains("Báo hoàn thành, chờ xác nhận"), "{html}");
        let done = |label: &str| html.contains(&format!("\">{label}</span>"));
        assert!(
            !done("Hoàn thành quá hạn") && !done("Hoàn thành đúng hạn"),
            "shown as done before it is confirmed: {html}"
        );
    }
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/assignments/{aid}/review"),
            json!({"decision": "confirm"}),
        )
        .await;
    assert!(s.is_success(), "{e}");
    let html = page("/my".into()).await;
    assert!(
        html.contains("\">Hoàn thành quá hạn</span>")
            && !html.contains("Báo hoàn thành, chờ xác nhận"),
        "{html}"
    );
}

/// Medium: passwords and tokens. One's own password needs the current one; a reset or a lock
/// ends the account's API tokens at once; tokens expire and can be revoked.
#[tokio::test]
async fn tokens_end_with_a_reset_a_lock_an_expiry_or_a_revocation() {
    let app = spawn_app().await;
    let me = |who: &'static str| {
        let app = &app;
        async move { app.get(who, "/api/v1/me").await }
    };
    let (_, v) = me("officer_snv").await;
    let own = v["user_id"].as_i64().expect("own id");
    let (s, e) = app
        .post(
            "officer_snv",
            &format!("/api/v1/users/{own}/password"),
            json!({"password": "mat-khau-moi-12"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "own password without the current one: {e}"
    );
    // reset by the secretariat: the officer's token stops working
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/users/{own}/password"),
            json!({"password": "mat-khau-moi-12"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(me("officer_snv").await.0, StatusCode::UNAUTHORIZED);
    // a lock ends the token at once, on the very next request
    let (_, v) = me("officer_stp").await;
    let stp = v["user_id"].as_i64().unwrap();
    assert_eq!(me("officer_stp").await.0, StatusCode::OK);
    let (s, _) = app
        .post(
            "secretary",
            &format!("/api/v1/users/{stp}/active"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me("officer_stp").await.0, StatusCode::UNAUTHORIZED);
    // an expired token, a revoked one
    assert_eq!(me("leader").await.0, StatusCode::OK);
    steerco::with_db!(&app.db, |p| sqlx::query(
        "UPDATE api_tokens SET expires_at = '2026-01-01T00:00:00Z' WHERE name = 'test'"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    assert_eq!(me("leader").await.0, StatusCode::UNAUTHORIZED);
    let fresh = repo::create_api_token_for(&app.db, "leader", "bi", 30)
        .await
        .unwrap();
    let get = |t: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/api/v1/me"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(fresh.clone()).await, StatusCode::OK);
    assert_eq!(
        repo::revoke_api_tokens(&app.db, "leader", Some("bi"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(get(fresh).await, StatusCode::UNAUTHORIZED);
}

/// Low findings: a leader renewing a unit's calendar, a secretariat tying its registry to
/// another province's, inline scripts, cached private pages, easy passwords.
#[tokio::test]
async fn the_low_findings_stay_fixed() {
    let app = spawn_app().await;
    hanoi(&app).await;
    let snv = app.unit("75.SNV").await;
    let hn_unit = app.unit("01.SNV").await;
    // the read-only leader cannot break a unit's calendar subscriptions
    let leader = app.browser("leader").await;
    let r = app
        .submit(
            &leader,
            "/dashboard",
            &format!("/units/{snv}/calendar"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // links stay within the province
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/units/{snv}/successors"),
            json!({"successor_id": hn_unit}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = app
        .post("secretary", "/api/v1/units", json!({"code": "75.X", "name": "Phòng X", "kind": "department", "province_code": "75", "parent_id": hn_unit}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, b) = app
        .post("secretary", "/api/v1/bodies", json!({"code": "BCD", "name": "Ban Chỉ đạo", "kind": "steering_committee", "province_code": "75"}))
        .await;
    let (s, e) = app
        .post(
            "secretary",
            &format!("/api/v1/bodies/{}/members", b["id"]),
            json!({"person_name": "A", "role": "member", "unit_id": hn_unit}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // no inline script allowed, private answers not cached
    let r = leader.get(app.url("/dashboard")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let r = app
        .client
        .get(app.url("/assets/autosave.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text().await.unwrap().contains("autosave"),
        "the report's autosave is the served script"
    );
    // an easy password is refused
    let (s, e) = app
        .post("secretary", "/api/v1/users", json!({"username": "canbo.moi", "password": "11111111", "full_name": "Cán bộ", "role": "officer", "unit_id": snv}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("dễ đoán"), "{e}");
}

/// Low: no idle timeout. A session unused for two hours ends; one in use goes on.
#[tokio::test]
async fn an_idle_session_ends() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    let dash = |c: &reqwest::Client| {
        let url = app.url("/dashboard");
        let c = c.clone();
        async move { c.get(url).send().await.unwrap().status() }
    };
    assert_eq!(dash(&c).await, StatusCode::OK);
    let back = |minutes: i64| {
        let db = app.db.clone();
        async move {
            let t = steerco::clock::stored(chrono::Utc::now() - chrono::Duration::minutes(minutes));
            steerco::with_db!(&db, |p| sqlx::query(
                "UPDATE sessions SET seen_at = $1, created_at = $1"
            )
            .bind(&t)
            .execute(p)
            .await
            .map(|_| ()))
            .unwrap();
        }
    };
    back(100).await;
    assert_eq!(
        dash(&c).await,
        StatusCode::OK,
        "used within two hours: still open"
    );
    back(121).await;
    assert_eq!(
        dash(&c).await,
        StatusCode::SEE_OTHER,
        "idle for two hours: back to the login page"
    );
}

/// Low: no CSRF protection of the login form. A login posted from another site is refused.
#[tokio::test]
async fn a_login_from_another_site_is_refused() {
    let app = spawn_app().await;
    let post = |origin: Option<String>| {
        let app = &app;
        async move {
            let mut r = app.client.post(app.url("/login")).form(&[
                ("username", "secretary"),
                ("password", PASSWORD),
                ("next", "/"),
            ]);
            if let Some(o) = origin {
                r = r.header("origin", o);
            }
            r.send().await.unwrap().status()
        }
    };
    assert_eq!(
        post(Some("https://evil.example".into())).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(None).await,
        StatusCode::SEE_OTHER,
        "a script sends no Origin"
    );
    assert_eq!(post(Some(app.base.clone())).await, StatusCode::SEE_OTHER);
}

/// Low: "run the reminders now" ran the pass of every province. A secretariat's run delivers
/// its own province's notices only; the administrator's the country's.
#[tokio::test]
async fn a_secretariats_reminder_run_stays_within_its_province() {
    let app = spawn_app().await;
    hanoi(&app).await;
    let now = chrono::Utc::now();
    for (key, province) in [("t-75", "75"), ("t-01", "01")] {
        let n = steerco::notify::Notice {
            key: key.into(),
            province: province.into(),
            kind: "urging",
            channel: "webhook",
            recipient: "x".into(),
            unit_id: None,
            user_id: None,
            subject: "Nhắc việc".into(),
            body: "Có nhiệm vụ quá hạn".into(),
        };
        assert!(steerco::notify::enqueue(&app.db, &n, now).await.unwrap());
    }
    let attempts = |key: &'static str| {
        let db = app.db.clone();
        async move {
            let (n,): (i32,) = steerco::with_db!(&db, |p| sqlx::query_as(
                "SELECT attempts FROM notifications WHERE dedup_key = $1"
            )
            .bind(key)
            .fetch_one(p)
            .await)
            .unwrap();
            n
        }
    };
    let run = |who: &'static str| {
        let app = &app;
        async move {
            let c = app.browser(who).await;
            let r = app
                .submit(&c, "/notifications", "/notifications/run", &[])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who}");
        }
    };
    run("secretary").await;
    assert_eq!((attempts("t-75").await, attempts("t-01").await), (1, 0));
    run("admin").await;
    assert_eq!(
        attempts("t-01").await,
        1,
        "the administrator's run is the country's"
    );
}
