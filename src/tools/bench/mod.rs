//! National-scale dataset generation and the benchmark (see README, "Scale and speed").
//!
//! `gen-national` loads all 34 provinces and writes, per province, D directives × T tasks
//! with realistic lead assignments (department group, commune group, one or two units) and
//! about U progress updates per assignment, in batched multi-row inserts.
//! `bench` measures server time of the dashboards and of "what my unit owes" in process,
//! and throughput over real HTTP as a ratio to the trivial health endpoint.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::app::{self, AppState};
use crate::clock::machine_today_vn as today_vn;
use crate::store::Db;
use crate::with_db;

pub mod import;
pub mod indicators;
pub mod logins;
pub mod meetings;
pub mod reports;

pub use super::rng::Rng;

const BATCH: usize = 500;

struct GenAssignment {
    task: i64,
    unit: i64,
    directive: i64,
    issued: String,
    due: Option<String>,
    recurring: bool,
    completed: Option<String>,
}

pub async fn generate(
    db: &Db,
    directives: usize,
    tasks: usize,
    updates: usize,
) -> anyhow::Result<()> {
    let t0 = Instant::now();
    crate::org::load_provinces(db, None, true).await?;
    let provinces = crate::org::provinces(db).await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let today = today_vn();
    let now = db.now_utc();
    let (mut n_assign, mut n_updates) = (0usize, 0usize);
    for (pi, p) in provinces.iter().enumerate() {
        let units: Vec<(i64, String)> = with_db!(db, |pool| sqlx::query_as(
            "SELECT id, kind FROM units WHERE province_code = $1"
        )
        .bind(&p.code)
        .fetch_all(pool)
        .await)?;
        let depts: Vec<i64> = units
            .iter()
            .filter(|u| u.1 == "department")
            .map(|u| u.0)
            .collect();
        let communes: Vec<i64> = units
            .iter()
            .filter(|u| u.1 == "commune")
            .map(|u| u.0)
            .collect();
        let _w = db.write_lock().await;
        with_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            let mut assign_rows: Vec<GenAssignment> = Vec::new();
            for d in 0..directives {
                let issued = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(today)
                    + chrono::Duration::days(rng.below(650) as i64);
                let issued_s = issued.to_string();
                let (did,): (i64,) = sqlx::query_as(
                    "INSERT INTO directives (body_id, province_code, kind, number, issued_on, issuer, signer, summary, summary_fold, body_text, created_at) \
                     VALUES (NULL, $1, 'plan', $2, $3, $4, '', $5, $6, '', $7) RETURNING id",
                )
                .bind(&p.code)
                .bind(format!("{}/KH-UBND", 100 + d))
                .bind(&issued_s)
                .bind(&p.name)
                .bind(format!("Kế hoạch số {} về cải cách hành chính, chuyển đổi số", 100 + d))
                .bind(crate::text::fold(&format!("{}/KH-UBND ke hoach cai cach hanh chinh chuyen doi so", 100 + d)))
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                for t in 0..tasks {
                    let recurring = rng.below(100) < 35;
                    let due = (!recurring).then(|| {
                        (issued + chrono::Duration::days(30 + rng.below(360) as i64)).to_string()
                    });
                    let pick = rng.below(100);
                    let (lead_text, leads): (&str, Vec<i64>) = if pick < 40 {
                        ("Các sở, ban, ngành", depts.clone())
                    } else if pick < 60 {
                        ("UBND cấp xã", communes.clone())
                    } else {
                        (
                            "Đơn vị",
                            vec![units[rng.below(units.len() as u64) as usize].0],
                        )
                    };
                    let title = format!(
                        "Nhiệm vụ {}.{} về số hóa hồ sơ, dịch vụ công trực tuyến",
                        d + 1,
                        t + 1
                    );
                    let (tid,): (i64,) = sqlx::query_as(
                        "INSERT INTO tasks (directive_id, ref, title, title_fold, lead_text, coordinators_text, deadline_text, deadline_kind, deadline_due, recurrence, product, created_at) \
                         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, '', $10) RETURNING id",
                    )
                    .bind(did)
                    .bind((t + 1).to_string())
                    .bind(&title)
                    .bind(crate::text::fold(&format!("{title} {lead_text}")))
                    .bind(lead_text)
                    .bind(if recurring { "Thường xuyên".to_string() } else { due.clone().unwrap_or_default() })
                    .bind(if recurring { "recurring" } else { "date" })
                    .bind(&due)
                    .bind(recurring.then_some("ongoing"))
                    .bind(&now)
                    .fetch_one(&mut *tx)
                    .await?;
                    for u in leads {
                        let completed = due.as_ref().and_then(|d| {
                            let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
                            let r = rng.below(100);
                            let c = if r < 55 {
                                d - chrono::Duration::days(rng.below(20) as i64)
                            } else if r < 70 {
                                d + chrono::Duration::days(1 + rng.below(40) as i64)
                            } else {
                                return None;
                            };
                            (c <= today).then(|| c.to_string())
                        });
                        assign_rows.push(GenAssignment {
                            task: tid,
                            unit: u,
                            directive: did,
                            issued: issued_s.clone(),
                            due: due.clone(),
                            recurring,
                            completed,
                        });
                    }
                }
            }
            n_assign += assign_rows.len();
            for chunk in assign_rows.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO assignments (task_id, unit_id, directive_id, province_code, issued_on, due_on, recurring, percent, completed_on, review, created_at) ",
                );
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(r.task)
                        .push_bind(r.unit)
                        .push_bind(r.directive)
                        .push_bind(p.code.clone())
                        .push_bind(r.issued.clone())
                        .push_bind(r.due.clone())
                        .push_bind(r.recurring)
                        .push_bind(if r.completed.is_some() { 100 } else { 40 })
                        .push_bind(r.completed.clone())
                        .push_bind(if r.completed.is_some() {
                            "confirmed"
                        } else {
                            "none"
                        })
                        .push_bind(now.clone());
                });
                qb.build().execute(&mut *tx).await?;
            }
            let ids: Vec<(i64,)> =
                sqlx::query_as("SELECT id FROM assignments WHERE province_code = $1")
                    .bind(&p.code)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut rows: Vec<(i64, String)> = Vec::with_capacity(ids.len() * updates);
            for (aid,) in &ids {
                let n = 1 + rng.below((2 * updates - 1) as u64) as usize;
                for k in 0..n {
                    rows.push((*aid, format!("2026-{:02}", 1 + (k % 11))));
                }
            }
            n_updates += rows.len();
            for chunk in rows.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO progress_updates (assignment_id, period, result, difficulties, proposals, percent, marks_done, created_at) ",
                );
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1.clone())
                        .push_bind("Đã triển khai theo kế hoạch, cập nhật số liệu.")
                        .push_bind("")
                        .push_bind("")
                        .push_bind(50)
                        .push_bind(false)
                        .push_bind(now.clone());
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        eprintln!(
            "[{}/{}] {}: tổng {} phân công, {} báo cáo tiến độ ({:.0} s)",
            pi + 1,
            provinces.len(),
            p.name,
            n_assign,
            n_updates,
            t0.elapsed().as_secs_f64()
        );
    }
    if let Db::Sqlite(pool, _) = db {
        sqlx::query("ANALYZE").execute(pool).await?;
    } else if let Db::Postgres(pool, _) = db {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    println!(
        "generated: {} provinces, {} assignments, {} progress updates in {:.1} s",
        provinces.len(),
        n_assign,
        n_updates,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

pub async fn http_get(
    addr: std::net::SocketAddr,
    path: &str,
    token: &str,
    stream: &mut Option<tokio::net::TcpStream>,
) -> anyhow::Result<()> {
    if stream.is_none() {
        *stream = Some(tokio::net::TcpStream::connect(addr).await?);
    }
    let s = stream
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("no stream"))?;
    let req =
        format!("GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n");
    s.write_all(req.as_bytes()).await?;
    // read headers, then Content-Length bytes
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut tmp = [0u8; 16 * 1024];
    loop {
        let n = s.read(&mut tmp).await?;
        if n == 0 {
            anyhow::bail!("connection closed");
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(h) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..h]).to_lowercase();
            if !head.starts_with("http/1.1 200") {
                anyhow::bail!("bad status: {}", head.lines().next().unwrap_or(""));
            }
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < h + 4 + len {
                let n = s.read(&mut tmp).await?;
                if n == 0 {
                    anyhow::bail!("connection closed");
                }
                buf.extend_from_slice(&tmp[..n]);
            }
            return Ok(());
        }
    }
}

async fn throughput(
    addr: std::net::SocketAddr,
    path: &str,
    token: &str,
    concurrency: usize,
    dur: Duration,
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut handles = vec![];
    for _ in 0..concurrency {
        let (path, token) = (path.to_string(), token.to_string());
        handles.push(tokio::spawn(async move {
            let mut stream = None;
            let mut n = 0u64;
            while start.elapsed() < dur {
                http_get(addr, &path, &token, &mut stream).await?;
                n += 1;
            }
            anyhow::Ok(n)
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await??;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub async fn run(db: Db, requests: usize, concurrency: usize) -> anyhow::Result<()> {
    let provinces = crate::org::provinces(&db).await?;
    anyhow::ensure!(
        !provinces.is_empty(),
        "no data: run `steerco gen-national` first"
    );
    let (n,): (i64,) = with_db!(&db, |p| sqlx::query_as("SELECT COUNT(*) FROM assignments")
        .fetch_one(p)
        .await)?;
    let (nu,): (i64,) = with_db!(&db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM progress_updates"
    )
    .fetch_one(p)
    .await)?;
    println!(
        "dataset: {} provinces, {n} assignments, {nu} progress updates ({})",
        provinces.len(),
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let today = today_vn();
    let mut rng = Rng(42);
    let units: Vec<(i64,)> = with_db!(&db, |p| sqlx::query_as(
        "SELECT DISTINCT unit_id FROM assignments"
    )
    .fetch_all(p)
    .await)?;
    let (mut prov, mut owes) = (vec![], vec![]);
    for _ in 0..requests {
        let p = &provinces[rng.below(provinces.len() as u64) as usize];
        let t = Instant::now();
        crate::dashboard::province(&db, &p.code, None, today).await?;
        prov.push(t.elapsed());
        let u = units[rng.below(units.len() as u64) as usize].0;
        let t = Instant::now();
        crate::tracking::unit_owes(&db, u, today).await?;
        owes.push(t.elapsed());
    }
    // National: the sum of cached province totals. Measured the way it is served — after a
    // change in one random province, so each request recomputes that province.
    let cache = crate::dashboard::Cache::default();
    let t = Instant::now();
    cache.national(&db, today).await?;
    let cold = t.elapsed();
    let mut nat = vec![];
    for _ in 0..(requests / 4).max(10) {
        // a change in one province, as a write makes it
        let mut w = crate::work::Work::begin(&db).await?;
        w.touches(&provinces[rng.below(provinces.len() as u64) as usize].code);
        w.commit().await?;
        let t = Instant::now();
        cache.national(&db, today).await?;
        nat.push(t.elapsed());
    }
    println!(
        "province dashboard   p50 {:7.2} ms  p95 {:7.2} ms  uncached (goal p95 ≤ 50 ms)",
        pct(prov.clone(), 0.5),
        pct(prov, 0.95)
    );
    println!(
        "national dashboard   p50 {:7.2} ms  p95 {:7.2} ms  after a change in one province; first (cold) {:.0} ms  (goal p95 ≤ 100 ms)",
        pct(nat.clone(), 0.5),
        pct(nat, 0.95),
        cold.as_secs_f64() * 1000.0
    );
    println!(
        "what my unit owes    p50 {:7.2} ms  p95 {:7.2} ms  (goal p95 ≤ 20 ms)",
        pct(owes.clone(), 0.5),
        pct(owes, 0.95)
    );

    // Throughput over real HTTP, dashboard vs health, same server, same run.
    let (addr, token) = serve_with_admin(&db).await?;
    let dur = Duration::from_secs(5);
    let health = throughput(addr, "/health", &token, concurrency, dur).await?;
    let dash_path = format!("/api/v1/dashboard?province={}", provinces[0].code);
    let dash = throughput(addr, &dash_path, &token, concurrency, dur).await?;
    println!("throughput           health {health:.0} req/s, province dashboard {dash:.0} req/s, ratio {:.3} (goal ≥ 0.2)", dash / health);
    println!(
        "peak memory (VmHWM)  {:.0} MB (goal ≤ 300 MB)",
        peak_rss_mb()
    );
    Ok(())
}

/// Starts the real server on a random port with a fresh administrator; returns its address
/// and an API token.
pub async fn serve_with_admin(db: &Db) -> anyhow::Result<(std::net::SocketAddr, String)> {
    let name = format!(
        "bench-{}",
        crate::auth::random_token().get(..8).unwrap_or("x")
    );
    crate::auth::repo::create_user(
        db,
        None,
        crate::auth::repo::NewUser {
            username: &name,
            password: &crate::auth::random_token(),
            full_name: "bench",
            role: crate::auth::Role::Admin,
            unit_id: None,
            body_id: None,
        },
    )
    .await?;
    let token = crate::auth::repo::create_api_token(db, &name, "bench").await?;
    let (listener, addr) = app::bind("127.0.0.1:0").await?;
    let state = AppState::new(db.clone(), false);
    tokio::spawn(async move { axum::serve(listener, app::service(state)).await });
    Ok((addr, token))
}
