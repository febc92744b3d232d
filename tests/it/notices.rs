//! Notices inside the app: with no mail server and no webhook (the default) the reminder pass
//! still tells the units and the secretariat what they owe, in the app, with a count in the
//! menu; once a channel is set, the same notices go out on it too, once.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn notices_are_raised_with_no_channel_and_delivered_once_a_channel_is_set() {
    let app = spawn_app().await;
    app.clock
        .travel_to(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
    let d = app.directive("12/KH-UBND", "2026-01-05").await;
    let stp = app.unit("75.STP").await;
    let (s, v) = app
        .post(
            "secretary",
            &format!("/api/v1/directives/{d}/tasks"),
            json!({"title": "Rà soát quy trình cấp phiếu lý lịch tư pháp", "lead_units": [stp],
                   "deadline_text": "Trước ngày 28/02/2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // no channel: the pass raises the notices inside the app all the same
    let none = steerco::notify::Channels {
        smtp: None,
        webhook: None,
        ca_pem: None,
    };
    let now = app.clock.now() + chrono::Duration::hours(3); // 10:00 in Vietnam: digests are due
    let r = steerco::notify::tick(&app.db, &none, now).await.unwrap();
    assert!(r.in_app >= 2, "an urging and a digest: {r:?}");
    assert_eq!(r.sent + r.urgings + r.digests, 0, "nothing sent: {r:?}");
    let again = steerco::notify::tick(&app.db, &none, now).await.unwrap();
    assert_eq!(again.in_app, 0, "each notice once: {again:?}");

    let (s, v) = app.get("officer_stp", "/api/v1/notices").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unread"], 1, "{v}");
    let notice = &v["page"]["items"][0];
    assert!(
        notice["subject"].as_str().unwrap().contains("Đôn đốc"),
        "{v}"
    );
    assert!(notice["body"]
        .as_str()
        .unwrap()
        .contains("Rà soát quy trình cấp phiếu lý lịch tư pháp"));
    let (_, other) = app.get("officer_commune", "/api/v1/notices").await;
    assert_eq!(other["unread"], 0, "another unit's notice is not mine");
    let (_, digest) = app.get("secretary", "/api/v1/notices").await;
    assert!(
        digest["page"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "digest" && n["body"].as_str().unwrap().contains("Sở Tư pháp")),
        "the secretary's daily digest: {digest}"
    );

    // the menu counts it; reading it clears the count
    let officer = app.browser("officer_stp").await;
    let html = officer
        .get(app.url("/notices"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("title=\"Thông báo chưa đọc\">1<"), "{html}");
    assert!(html.contains("Đôn đốc thực hiện 1 nhiệm vụ quá hạn"));
    let r = app.submit(&officer, "/notices", "/notices/read", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = app.get("officer_stp", "/api/v1/notices").await;
    assert_eq!(v["unread"], 0, "{v}");
    assert!(v["page"]["items"][0]["read_at"].is_string());
    let (_, other) = app.get("secretary", "/api/v1/notices").await;
    assert!(other["unread"].as_i64().unwrap() >= 1, "my reading is mine");

    // a webhook is set: the same urging goes out on it, once
    let hook = gateway().await;
    let ch = steerco::notify::Channels {
        smtp: None,
        webhook: Some(hook.url.clone()),
        ca_pem: None,
    };
    let r = steerco::notify::tick(&app.db, &ch, now).await.unwrap();
    assert_eq!((r.urgings, r.sent, r.in_app), (1, 1, 0), "{r:?}");
    let r = steerco::notify::tick(&app.db, &ch, now).await.unwrap();
    assert_eq!(r.sent, 0, "once");
    let got = hook.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0]["text"]
        .as_str()
        .unwrap()
        .contains("Rà soát quy trình cấp phiếu lý lịch tư pháp"));
}
