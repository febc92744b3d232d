//! What leaders look at: counts by unit and state as of a date, the share of overdue
//! unfinished work, the list of overdue assignments; per body, per province, national.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::AppResult;
use crate::store::Db;
use crate::store::{Arg, Page};
use crate::tracking::{status_sql_case, Assignment, Status};
use crate::with_db;

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub done_on_time: i64,
    pub done_late: i64,
    pub in_progress: i64,
    pub overdue: i64,
    pub ongoing: i64,
}

impl Counts {
    pub fn add(&mut self, s: Status, n: i64) {
        match s {
            Status::DoneOnTime => self.done_on_time += n,
            Status::DoneLate => self.done_late += n,
            Status::InProgress => self.in_progress += n,
            Status::Overdue => self.overdue += n,
            Status::Ongoing => self.ongoing += n,
        }
    }
    pub fn get(&self, s: Status) -> i64 {
        match s {
            Status::DoneOnTime => self.done_on_time,
            Status::DoneLate => self.done_late,
            Status::InProgress => self.in_progress,
            Status::Overdue => self.overdue,
            Status::Ongoing => self.ongoing,
        }
    }
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Counts {
        let mut c = Counts::default();
        for s in statuses {
            c.add(s, 1);
        }
        c
    }
    /// Assignments with a deadline (ongoing duties are counted apart).
    pub fn with_deadline(&self) -> i64 {
        self.done_on_time + self.done_late + self.in_progress + self.overdue
    }
    /// Headline figure: overdue unfinished ÷ tasks with a deadline, in percent.
    pub fn overdue_share(&self) -> f64 {
        let t = self.with_deadline();
        if t == 0 {
            0.0
        } else {
            100.0 * self.overdue as f64 / t as f64
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitCounts {
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvinceDashboard {
    pub province_code: String,
    pub as_of: String,
    pub body_id: Option<i64>,
    pub total: Counts,
    pub units: Vec<UnitCounts>,
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Counts per unit and state for a province (optionally one body's directives).
pub async fn province(
    db: &Db,
    province: &str,
    body: Option<i64>,
    as_of: NaiveDate,
) -> AppResult<ProvinceDashboard> {
    let sql = format!(
        "SELECT a.unit_id, {} AS st, COUNT(*) AS n FROM assignments a \
         WHERE a.province_code = $1 AND a.issued_on <= $2 AND ($3 IS NULL OR a.body_id = $3) AND a.withdrawn_at IS NULL GROUP BY a.unit_id, st",
        status_sql_case("$2")
    );
    let d = iso(as_of);
    let rows: Vec<(i64, String, i64)> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(province)
        .bind(&d)
        .bind(body)
        .fetch_all(p)
        .await)?;
    let names: Vec<(i64, String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, name, kind, name_sort FROM units WHERE province_code = $1"
    )
    .bind(province)
    .fetch_all(p)
    .await)?;
    let names: HashMap<i64, (String, String, String)> = names
        .into_iter()
        .map(|(i, n, k, s)| (i, (n, k, s)))
        .collect();
    let mut per_unit: HashMap<i64, Counts> = HashMap::new();
    let mut total = Counts::default();
    for (unit, st, n) in rows {
        if let Some(s) = Status::parse(&st) {
            per_unit.entry(unit).or_default().add(s, n);
            total.add(s, n);
        }
    }
    let mut units: Vec<(String, UnitCounts)> = per_unit
        .into_iter()
        .map(|(id, counts)| {
            let (name, kind, sort) = names.get(&id).cloned().unwrap_or_default();
            (
                sort,
                UnitCounts {
                    unit_id: id,
                    unit_name: name,
                    kind,
                    counts,
                },
            )
        })
        .collect();
    // Worst first: most overdue, then Vietnamese order of names.
    units.sort_by(|a, b| {
        b.1.counts
            .overdue
            .cmp(&a.1.counts.overdue)
            .then_with(|| a.0.cmp(&b.0))
    });
    Ok(ProvinceDashboard {
        province_code: province.to_string(),
        as_of: d,
        body_id: body,
        total,
        units: units.into_iter().map(|x| x.1).collect(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvinceCounts {
    pub province_code: String,
    pub name: String,
    pub counts: Counts,
}

/// Overdue unfinished assignments as of a date, longest overdue first.
pub async fn overdue(
    db: &Db,
    province: &str,
    body: Option<i64>,
    unit: Option<i64>,
    as_of: NaiveDate,
    page: i64,
) -> AppResult<Page<Assignment>> {
    overdue_paged(db, province, body, unit, as_of, page, 25).await
}

/// Every overdue assignment at once (the list's export), at most `OVERDUE_EXPORT_MAX`.
pub const OVERDUE_EXPORT_MAX: i64 = 20_000;

pub async fn overdue_all(
    db: &Db,
    province: &str,
    body: Option<i64>,
    unit: Option<i64>,
    as_of: NaiveDate,
) -> AppResult<Page<Assignment>> {
    overdue_paged(db, province, body, unit, as_of, 1, OVERDUE_EXPORT_MAX).await
}

async fn overdue_paged(
    db: &Db,
    province: &str,
    body: Option<i64>,
    unit: Option<i64>,
    as_of: NaiveDate,
    page: i64,
    per_page: i64,
) -> AppResult<Page<Assignment>> {
    let page = page.max(1);
    let from_where = format!(
        "{} WHERE a.province_code = $1 AND a.issued_on <= $2 AND ($3 IS NULL OR a.body_id = $3) AND ($4 IS NULL OR a.unit_id = $4) \
         AND a.recurring = FALSE AND a.due_on IS NOT NULL AND a.due_on < $2 AND (a.completed_on IS NULL OR a.completed_on > $2)",
        crate::tracking::ASSIGNMENT_FROM
    );
    let d = iso(as_of);
    let args = [
        Arg::Text(Some(province)),
        Arg::Text(Some(&d)),
        Arg::Int(body),
        Arg::Int(unit),
    ];
    Ok(crate::store::paged(
        db,
        crate::tracking::ASSIGNMENT_SELECT_COLS,
        &from_where,
        "a.due_on, a.id",
        &args,
        page,
        per_page,
    )
    .await?)
}

/// A province's dashboard as served: the figures and their JSON, rendered once per version.
pub struct ProvinceView {
    pub dash: ProvinceDashboard,
    pub json: axum::body::Bytes,
}

type Entries = HashMap<(String, Option<i64>, NaiveDate), (i64, Arc<ProvinceView>)>;

/// Dashboards are read far more often than work changes: each province's views are kept
/// until that province's work changes (`store::province_versions`, kept in the database).
#[derive(Default)]
pub struct Cache {
    provinces: Mutex<Entries>,
    /// The provinces' versions as last read: when, after how many changes this server knew of.
    versions: Mutex<Option<Versions>>,
}

struct Versions {
    read_at: std::time::Instant,
    changes_seen: u64,
    of: Arc<HashMap<String, i64>>,
}

/// How long the versions read from the database are trusted: a change this server does not
/// hear of shows within this (`STEERCO_VERSIONS_CHECK_SECS`, 1 s by default); its own, and on
/// PostgreSQL every other server's it hears of (`Db::follow_changes`), at once.
fn versions_ttl() -> std::time::Duration {
    static TTL: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();
    *TTL.get_or_init(|| {
        let secs = std::env::var("STEERCO_VERSIONS_CHECK_SECS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(1.0);
        std::time::Duration::from_secs_f64(secs)
    })
}

const CACHE_LIMIT: usize = 4000;

impl Cache {
    pub async fn province(
        &self,
        db: &Db,
        province: &str,
        body: Option<i64>,
        as_of: NaiveDate,
    ) -> AppResult<Arc<ProvinceView>> {
        // the version before computing (see `Work::commit`)
        let version = self.versions(db).await?.get(province).copied().unwrap_or(0);
        self.province_at(db, province, body, as_of, version).await
    }

    /// Every province's version, read from the database at most once per `versions_ttl()` and
    /// again after any change this server knows of.
    async fn versions(&self, db: &Db) -> AppResult<Arc<HashMap<String, i64>>> {
        let seen = db.changes_seen();
        if let Ok(v) = self.versions.lock() {
            if let Some(v) = v.as_ref() {
                if v.changes_seen == seen && v.read_at.elapsed() < versions_ttl() {
                    return Ok(v.of.clone());
                }
            }
        }
        let read_at = std::time::Instant::now();
        let of = Arc::new(crate::store::province_versions(db).await?);
        if let Ok(mut v) = self.versions.lock() {
            *v = Some(Versions {
                read_at,
                changes_seen: seen,
                of: of.clone(),
            });
        }
        Ok(of)
    }

    async fn province_at(
        &self,
        db: &Db,
        province: &str,
        body: Option<i64>,
        as_of: NaiveDate,
        version: i64,
    ) -> AppResult<Arc<ProvinceView>> {
        let key = (province.to_string(), body, as_of);
        if let Some((v, view)) = self
            .provinces
            .lock()
            .ok()
            .and_then(|m| m.get(&key).map(|(v, d)| (*v, d.clone())))
        {
            if v == version {
                return Ok(view);
            }
        }
        let dash = self::province(db, province, body, as_of).await?;
        let json = serde_json::to_vec(
            &serde_json::json!({"dashboard": &dash, "overdue_share": dash.total.overdue_share()}),
        )
        .map_err(|e| crate::error::AppError::Internal(e.into()))?;
        let view = Arc::new(ProvinceView {
            dash,
            json: json.into(),
        });
        if let Ok(mut m) = self.provinces.lock() {
            if m.len() >= CACHE_LIMIT {
                m.clear();
            }
            m.insert(key, (version, view.clone()));
        }
        Ok(view)
    }

    /// The country as the sum of the provinces' cached totals: after a write only the
    /// province that changed is recomputed.
    pub async fn national(
        &self,
        db: &Db,
        as_of: NaiveDate,
    ) -> AppResult<(Counts, Vec<ProvinceCounts>)> {
        let mut total = Counts::default();
        let mut list = Vec::new();
        let versions = self.versions(db).await?;
        for p in crate::org::provinces(db).await? {
            let version = versions.get(&p.code).copied().unwrap_or(0);
            let view = self.province_at(db, &p.code, None, as_of, version).await?;
            let c = view.dash.total;
            for s in Status::ALL {
                total.add(s, c.get(s));
            }
            list.push(ProvinceCounts {
                province_code: p.code,
                name: p.name,
                counts: c,
            });
        }
        Ok((total, list))
    }
}
