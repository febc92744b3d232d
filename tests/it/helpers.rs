use std::collections::HashMap;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use steerco::app::{self, AppState};
use steerco::auth::{repo, Role};
use steerco::store::Db;

pub const PASSWORD: &str = "mat-khau-123";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub tokens: HashMap<&'static str, String>,
    pub client: Client,
    /// The server's clock: tests move the date with `clock.travel_to`.
    pub clock: steerco::clock::Clock,
    /// The database's URL, for a second server on it.
    pub db_url: String,
    _dir: Option<TempDir>,
}

pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    )
}

/// A fresh database (SQLite file, or a new PostgreSQL database), Đồng Nai loaded, the
/// accounts of every role, and the server listening on a random port.
pub async fn spawn_app() -> TestApp {
    spawn(Seed::Accounts).await
}

pub enum Seed {
    /// Đồng Nai's units and one account of each role (tokens by role name).
    Accounts,
    /// The demo province exactly as `serve --demo` seeds it (tokens by demo username).
    Demo,
}

pub async fn spawn(seed: Seed) -> TestApp {
    let (url, dir) = match std::env::var("STEERCO_TEST_PG") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("steerco_t_{}", unique());
            let pool = sqlx::PgPool::connect(&admin)
                .await
                .expect("connect to PostgreSQL admin URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .expect("create test database");
            pool.close().await;
            // the admin URL's parameters (sslmode=require) hold for the test database too
            let (path, query) = match admin.split_once('?') {
                Some((p, q)) => (p, format!("?{q}")),
                None => (admin.as_str(), String::new()),
            };
            let base = path
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(path.to_string());
            (format!("{base}/{name}{query}"), None)
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("steerco-test-{}", unique()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            (
                format!("sqlite://{}/t.db", dir.display()),
                Some(TempDir(dir)),
            )
        }
    };
    let db = Db::connect(&url).await.expect("connect and migrate");
    let mut tokens = HashMap::new();
    if let Seed::Demo = seed {
        steerco::tools::demo::seed(&db).await.expect("demo seed");
        for (name, ..) in steerco::tools::demo::ACCOUNTS {
            tokens.insert(
                *name,
                repo::create_api_token(&db, name, "test")
                    .await
                    .expect("token"),
            );
        }
        return serve(db, url, tokens, dir).await;
    }
    steerco::org::load_provinces(&db, Some("75"), false)
        .await
        .expect("load Đồng Nai");
    for (name, role, unit) in [
        ("admin", Role::Admin, None),
        ("secretary", Role::Secretariat, Some("75.SNV")),
        ("officer_snv", Role::Officer, Some("75.SNV")),
        ("officer_stp", Role::Officer, Some("75.STP")),
        ("officer_commune", Role::Officer, Some("26041")),
        ("leader", Role::Leader, Some("75")),
    ] {
        let unit_id = match unit {
            Some(c) => Some(
                steerco::org::find_unit_by_code(&db, c)
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
            ),
            None => None,
        };
        repo::create_user(
            &db,
            None,
            repo::NewUser {
                username: name,
                password: PASSWORD,
                full_name: name,
                role,
                unit_id,
                body_id: None,
            },
        )
        .await
        .expect("create user");
        tokens.insert(
            name,
            repo::create_api_token(&db, name, "test")
                .await
                .expect("token"),
        );
    }
    serve(db, url, tokens, dir).await
}

async fn serve(
    db: Db,
    db_url: String,
    tokens: HashMap<&'static str, String>,
    dir: Option<TempDir>,
) -> TestApp {
    let (listener, addr) = app::bind("127.0.0.1:0").await.expect("bind");
    let state = AppState::new(db.clone(), false);
    let clock = state.clock.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app::service(state)).await;
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        tokens,
        client: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        clock,
        db_url,
        _dir: dir,
    }
}

impl TestApp {
    /// Another server on the same database, with its own pool and caches, as a second
    /// instance behind a load balancer; returns its base URL.
    pub async fn another_server(&self) -> String {
        let db = Db::connect(&self.db_url).await.expect("connect");
        let (listener, addr) = app::bind("127.0.0.1:0").await.expect("bind");
        let state = AppState::new(db, false);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app::service(state)).await;
        });
        format!("http://{addr}")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, who: &str, path: &str) -> (StatusCode, Value) {
        self.answer(self.client.get(self.url(path)), who).await
    }

    /// A GET to another server on the same database (`base`: its address), as `who`.
    pub async fn get_at(&self, base: &str, who: &str, path: &str) -> (StatusCode, Value) {
        self.answer(self.client.get(format!("{base}{path}")), who)
            .await
    }

    pub async fn post(&self, who: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.client.post(self.url(path)), who, body).await
    }

    pub async fn delete(&self, who: &str, path: &str) -> (StatusCode, Value) {
        self.answer(self.client.delete(self.url(path)), who).await
    }

    pub async fn put(&self, who: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.client.put(self.url(path)), who, body).await
    }

    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        who: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        self.answer(req.json(&body), who).await
    }

    /// Sends `req` with `who`'s token: the status and the JSON answer (null when none).
    async fn answer(&self, req: reqwest::RequestBuilder, who: &str) -> (StatusCode, Value) {
        let r = req.bearer_auth(&self.tokens[who]).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn unit(&self, code: &str) -> i64 {
        steerco::org::find_unit_by_code(&self.db, code)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn group(&self, code: &str) -> i64 {
        let (_, v) = self.get("admin", "/api/v1/groups?province=75").await;
        v.as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == code)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// A plan issued on `issued` by the secretary; returns its id.
    pub async fn directive(&self, number: &str, issued: &str) -> i64 {
        let (s, v) = self
            .post(
                "secretary",
                "/api/v1/directives",
                json!({"province_code": "75", "kind": "plan", "number": number, "issued_on": issued,
                       "issuer": "UBND tỉnh Đồng Nai", "summary": "Kế hoạch kiểm soát thủ tục hành chính năm 2025"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_i64().unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) =
            steerco::with_db!(&self.db, |p| sqlx::query_as(&sql).fetch_one(p).await).unwrap();
        n
    }

    /// Logs in through the form like a browser; returns a client holding the session cookie.
    /// The page at `path` as the logged-in browser `c` reads it.
    pub async fn html(&self, c: &Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn browser(&self, username: &str) -> Client {
        self.browser_with(username, PASSWORD).await
    }

    pub async fn browser_with(&self, username: &str, password: &str) -> Client {
        let c = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = c
            .post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers().get("set-cookie").is_some(),
            "login sets the session cookie"
        );
        c
    }
}

impl TestApp {
    /// What a user does with a form: opens `page` in the browser `c`, and sends `fields` to
    /// `action` with the page's CSRF token, as coming from that page.
    pub async fn submit(
        &self,
        c: &Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let html = c
            .get(self.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_of(&html);
        let mut form = vec![("_csrf", token.as_str())];
        form.extend_from_slice(fields);
        c.post(self.url(action))
            .header("referer", self.url(page))
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

/// Pulls the CSRF token out of a page's forms.
pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"_csrf\" value=\"")
        .expect("page has a CSRF field")
        + 20;
    html[i..].split('"').next().unwrap().to_string()
}

/// Every (method, path) the routers in `src/<dir>/*.rs` declare, read from their source: a test
/// built on it covers a new route by its being written. Methods in lower case ("post").
pub fn declared_routes(dir: &str) -> Vec<(&'static str, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(format!("{root}/src/{dir}")).unwrap() {
        let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for chunk in src.split(".route(").skip(1) {
            let Some(path) = chunk
                .trim_start()
                .strip_prefix('"')
                .and_then(|s| s.split('"').next())
            else {
                continue;
            };
            // the handlers of this route: up to the next route, or the router's end
            let handlers = chunk.split("\n}").next().unwrap_or("");
            for method in ["get", "post", "put", "delete"] {
                let call = format!("{method}(");
                // a method router, not a handler whose name ends with it (`scorecard_delete(`)
                let declared = handlers.match_indices(&call).any(|(i, _)| {
                    !handlers[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if declared {
                    out.push((method, path.to_string()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The province's SMS/Zalo gateway on loopback: `url` to configure, `got` what it received.
pub struct Gateway {
    pub url: String,
    pub got: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
}

pub async fn gateway() -> Gateway {
    let got: std::sync::Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
    let sink = got.clone();
    let router = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, router).await });
    Gateway { url, got }
}
