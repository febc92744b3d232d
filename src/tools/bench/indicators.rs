//! `steerco bench-indicators`: import a dossier file into the database, compute every
//! indicator for every unit and month, import the same file again, then time the country
//! scorecard page through the real HTTP server. Compare with `bench/duckdb_figures.py` run
//! on the same file in the same session (README, "Speed").

use std::time::{Duration, Instant};

use super::{pct, peak_rss_mb};
use crate::dossiers::import::{self, Kind};
use crate::indicators::store::{self, By, Scope};
use crate::indicators::{value, Catalogue};
use crate::store::Db;

pub async fn run(db: &Db, path: &std::path::Path, runs: usize) -> anyhow::Result<()> {
    let backend = if db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let name = path.display().to_string();
    let mut timed = Vec::new();
    for pass in ["import", "re-import"] {
        let t = Instant::now();
        let (id, progress) = import::begin(db, Kind::Dossier, None, &name, None).await?;
        let o = import::run(db, id, Kind::Dossier, path, None, None, progress).await?;
        let imported = t.elapsed();
        let t = Instant::now();
        let (cells, unit_months) = every_indicator(db).await?;
        let computed = t.elapsed();
        println!(
            "{pass:9} {:>9} rows ({} bad), {:>5} units changed: import {:6.2} s + every indicator ({cells} values, {unit_months} unit-months) {:5.2} s = {:6.2} s  [{backend}]",
            o.rows_kept,
            o.rows_bad,
            o.units_changed,
            imported.as_secs_f64(),
            computed.as_secs_f64(),
            (imported + computed).as_secs_f64()
        );
        timed.push(imported + computed);
    }
    println!("peak memory (VmHWM) {:.0} MB", peak_rss_mb());
    let (addr, token) = super::serve_with_admin(db).await?;
    let year = store::latest_month(db, None)
        .await?
        .map(|m| m[..4].to_string())
        .unwrap_or_else(|| "2026".into());
    for (what, path) in [
        (
            "country",
            format!("/indicators?scope=country&period={year}"),
        ),
        (
            "province (Hà Nội, 126 communes)",
            format!("/indicators?province=01&period={year}"),
        ),
    ] {
        let (p50, p95) = page(addr, &token, &path, runs).await?;
        println!(
            "{what} scorecard page over HTTP: p50 {p50:.1} ms, p95 {p95:.1} ms ({runs} requests; goal p95 ≤ 100 ms → {:.2} ×)",
            p95 / 100.0
        );
    }
    println!(
        "total for the DuckDB comparison (import + every indicator): {:.2} s",
        timed[0].as_secs_f64()
    );
    Ok(())
}

/// Every indicator computed from the stored counts for every unit and month: what the
/// comparison with DuckDB's aggregates counts as "produce every indicator".
async fn every_indicator(db: &Db) -> anyhow::Result<(usize, usize)> {
    let cat = Catalogue::national();
    let months: Vec<(String,)> = crate::with_db!(db, |p| {
        sqlx::query_as("SELECT DISTINCT month FROM dossier_months ORDER BY month")
            .fetch_all(p)
            .await?
    });
    let (mut cells, mut unit_months) = (0, 0);
    for (m,) in months {
        let facts = store::facts(db, By::Unit, &Scope::default(), &m, &m).await?;
        unit_months += facts.len();
        for f in facts.values() {
            for i in cat.indicators.iter().filter(|i| !i.source.external()) {
                if value(i, f).is_some() {
                    cells += 1;
                }
            }
        }
    }
    Ok((cells, unit_months))
}

async fn page(
    addr: std::net::SocketAddr,
    token: &str,
    path: &str,
    runs: usize,
) -> anyhow::Result<(f64, f64)> {
    let mut stream = None;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        super::http_get(addr, path, token, &mut stream).await?;
        times.push(t.elapsed());
    }
    Ok((pct(times.clone(), 0.5), pct(times, 0.95)))
}
