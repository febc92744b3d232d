//! What every route gets from the HTTP kit: forged requests refused (no route that changes
//! something can be driven from another site through the session cookie, whether or not its
//! handler remembers to check: the `csrf` layer does), a request id, security headers.

use reqwest::StatusCode;

use crate::helpers::{csrf_of, declared_routes, spawn_app};

const REFUSED: &str = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ";

/// Every (method, path) that changes something in the web pages and the API, with each path
/// parameter replaced by 1.
fn unsafe_routes() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = ["web", "api"]
        .into_iter()
        .flat_map(declared_routes)
        .filter(|(method, _)| *method != "get")
        .map(|(method, path)| {
            let path = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "1" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            (method, path)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn every_route_that_changes_something_refuses_a_forged_request() {
    let app = spawn_app().await;
    let routes = unsafe_routes();
    assert!(routes.len() > 60, "route tables not read: {routes:?}");
    let browser = app.browser("admin").await;
    for (method, path) in &routes {
        if path == "/login" {
            continue; // no session to ride on before logging in
        }
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        // a form with every field but the token
        let r = browser
            .request(m.clone(), app.url(path))
            .form(&[("name", "x"), ("title", "x")])
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{method} {path} without a token: {body}"
        );
        assert!(body.contains(REFUSED), "{method} {path}: {body}");
        // a JSON call on the session cookie without the token header
        let r = browser
            .request(m, app.url(path))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path} as JSON");
    }
}

#[tokio::test]
async fn credentials_a_browser_adds_by_itself_do_not_pass_for_an_api_token() {
    let app = spawn_app().await;
    let browser = app.browser("admin").await;
    // behind a proxy with basic authentication the browser sends `Authorization: Basic` on
    // every request, a forged one too: the session cookie still needs its token
    let r = browser
        .post(app.url("/logout"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains(REFUSED));
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_even_with_the_token() {
    let app = spawn_app().await;
    let browser = app.browser("admin").await;
    let page = browser.get(app.url("/account")).send().await.unwrap();
    let token = csrf_of(&page.text().await.unwrap());
    let r = browser
        .post(app.url("/logout"))
        .header("origin", "http://evil.example")
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // the same form from our own page goes through
    let r = browser
        .post(app.url("/logout"))
        .header("origin", app.url(""))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
}

#[tokio::test]
async fn an_upload_needs_the_token_as_its_first_field() {
    let app = spawn_app().await;
    let browser = app.browser("secretary").await;
    let page = browser
        .get(app.url("/directives/import"))
        .send()
        .await
        .unwrap();
    let token = csrf_of(&page.text().await.unwrap());
    let text =
        "KẾ HOẠCH\nSố: 1/KH-UBND\n1. Sở Nội vụ rà soát thủ tục, hoàn thành trước ngày 31/12/2026.";
    let without = reqwest::multipart::Form::new().text("text", text);
    let r = browser
        .post(app.url("/directives/import"))
        .multipart(without)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let with = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("text", text);
    let r = browser
        .post(app.url("/directives/import"))
        .multipart(with)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_the_security_headers() {
    let app = spawn_app().await;
    let mut ids = std::collections::HashSet::new();
    for path in ["/login", "/api/v1/me", "/no-such-page"] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(id.len(), 16, "{path}");
        assert!(ids.insert(id), "a new id for every request");
        assert_eq!(r.headers()["x-frame-options"], "DENY");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    }
    // an id given by a proxy in front is kept
    let r = app
        .client
        .get(app.url("/login"))
        .header("x-request-id", "proxy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "proxy-42");
}

/// Every route the API router declares is described in the OpenAPI document, with the same
/// methods, and the document describes no route the router does not have.
#[tokio::test]
async fn every_api_route_is_described() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let routes: Vec<_> = declared_routes("api")
        .into_iter()
        .filter(|(_, path)| path != "/api/v1/openapi.json")
        .collect();
    assert!(routes.len() > 30, "found {} routes", routes.len());
    // what a list answers is what the document says, and changes may conflict (409)
    for path in [
        "/api/v1/groups",
        "/api/v1/bodies",
        "/api/v1/indicators/imports",
    ] {
        let (_, v) = app.get("secretary", path).await;
        assert!(v.is_array(), "{path}: {v}");
        assert_eq!(
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["type"],
            "array",
            "{path}"
        );
    }
    assert!(
        doc["paths"]["/api/v1/extensions/{id}/decision"]["post"]["responses"]["409"].is_object()
    );
    for (method, path) in &routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    let described: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|ops| ops.as_object().unwrap().len())
        .sum();
    assert_eq!(
        routes.len(),
        described,
        "the document describes a route the router does not have"
    );
}

/// A refused form comes back as the page it was sent from, with what was typed kept and every
/// error beside its field; without a page to go back to, the error page lists every error.
#[tokio::test]
async fn a_refused_form_comes_back_filled_in_with_each_error_beside_its_field() {
    let app = spawn_app().await;
    let c = app.browser("secretary").await;
    let back = app.url("/directives/new");
    let page = c.get(&back).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&page);
    let form = [
        ("_csrf", token.as_str()),
        ("province_code", "75"),
        ("kind", "notice"),
        ("number", ""),
        ("issued_on", "32/13/2025"),
        ("issuer", "UBND tỉnh Đồng Nai"),
        ("signer", "Nguyễn Văn \"A\""),
        ("summary", "Kết luận <b>cuộc họp</b>"),
    ];
    let before = app.count("directives").await;
    let r = c
        .post(app.url("/directives"))
        .header("referer", &back)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert_eq!(app.count("directives").await, before, "nothing written");
    // the form, filled in as it was sent
    assert!(
        html.contains("Nhập văn bản chỉ đạo"),
        "the page it came from"
    );
    assert!(html.contains(r#"id="refused-form""#), "{html}");
    assert!(
        html.contains(r#"value="Nguyễn Văn &quot;A&quot;""#),
        "{html}"
    );
    assert!(
        html.contains(">Kết luận &lt;b&gt;cuộc họp&lt;/b&gt;</textarea>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="notice" selected>"#),
        "{html}"
    );
    assert!(html.contains(r#"value="32/13/2025""#), "{html}");
    // each error beside its own field
    let number_at = html.find(r#"name="number""#).expect("number field");
    let number_error = html
        .find("Số, ký hiệu văn bản không được để trống.")
        .expect("number error");
    let date_at = html.find(r#"name="issued_on""#).expect("date field");
    let date_error = html.find("Ngày không hợp lệ").expect("date error");
    assert!(number_at < number_error && number_error < date_at && date_at < date_error);
    // the form can be sent again as it is: the token is the session's
    assert_eq!(csrf_of(&html), token);
    let fixed: Vec<(&str, &str)> = form
        .iter()
        .map(|&(k, v)| match k {
            "number" => (k, "293/TB-UBND"),
            "issued_on" => (k, "2025-05-21"),
            _ => (k, v),
        })
        .collect();
    let r = c
        .post(app.url("/directives"))
        .header("referer", &back)
        .form(&fixed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // no page to go back to: every error on the error page
    let r = c
        .post(app.url("/directives"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Số, ký hiệu văn bản không được để trống."));
    assert!(html.contains("Ngày không hợp lệ"));
    assert!(!html.contains("refused-form"));
}

/// An address too long for the server to read (a 100 kB query string) is refused with a reason
/// a person can read — a page, or JSON on the API — not an empty answer; the server goes on.
#[tokio::test]
async fn an_address_too_long_is_refused_with_a_reason() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let host = app.base.trim_start_matches("http://").to_string();
    // raw: HTTP clients refuse to send such an address at all
    let ask = |path: String| {
        let host = host.clone();
        async move {
            let mut c = tokio::net::TcpStream::connect(&host).await.unwrap();
            let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
            c.write_all(req.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            let _ = c.read_to_end(&mut answer).await;
            String::from_utf8_lossy(&answer).into_owned()
        }
    };
    let long = "a".repeat(100_000);
    let page = ask(format!("/tasks?q={long}")).await;
    assert!(
        page.starts_with("HTTP/1.1 414 "),
        "{}",
        &page[..page.len().min(300)]
    );
    assert!(page.contains("content-type: text/html"), "{page}");
    assert!(page.contains("Địa chỉ quá dài"), "{page}");
    let api = ask(format!("/api/v1/tasks?q={long}")).await;
    assert!(
        api.starts_with("HTTP/1.1 414 "),
        "{}",
        &api[..api.len().min(300)]
    );
    let (head, body) = api.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["code"], "uri_too_long", "{v}");
    assert!(v["message"].as_str().unwrap().contains("64 KB"));
    let (s, _) = app.get("secretary", "/api/v1/tasks?q=ab").await;
    assert_eq!(s, StatusCode::OK, "the server goes on");
    let short = ask("/login".into()).await;
    assert!(
        short.starts_with("HTTP/1.1 200 "),
        "{}",
        &short[..short.len().min(300)]
    );
}
