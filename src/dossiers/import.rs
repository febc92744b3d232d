//! Importing exchange files into storage. An import reads the whole file first (on every
//! core, without touching the database), meets each unit's stored state (upsert by code,
//! see `state::UnitState::apply`), then writes the units that changed — their state and
//! their monthly counts — and the import's record in one transaction: a process that dies
//! midway leaves the previous data whole. Imports run one at a time.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, LazyLock};

use serde::Serialize;

use super::monthly::{Tally, ERRORS_KEPT};
use super::parse::RowError;
use super::state::{self, Incoming, UnitState};
use crate::audit::Entry;
use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::store::{machine_now_utc, Db};
use crate::with_db;

/// What a running import has done so far, for progress bars and the CLI.
#[derive(Debug, Default)]
pub struct Progress {
    pub rows: AtomicU64,
    /// One of `phase::…`.
    pub phase: AtomicU8,
}

/// Where a running import is.
pub mod phase {
    pub const READING: u8 = 0;
    /// Read, waiting for another import (here or on another server) to finish.
    pub const WAITING: u8 = 4;
    pub const MEETING_STORED: u8 = 1;
    pub const WRITING: u8 = 2;
    pub const FINISHED: u8 = 3;
}

impl Progress {
    pub fn phase_label(&self) -> &'static str {
        match self.phase.load(Ordering::Relaxed) {
            phase::READING => "Đang đọc tệp",
            phase::WAITING => "Đã đọc xong, đang chờ lần nhập khác kết thúc",
            phase::MEETING_STORED => "Đang đối chiếu với dữ liệu đã có",
            phase::WRITING => "Đang ghi",
            _ => "Xong",
        }
    }

    pub fn finished(&self) -> bool {
        self.phase.load(Ordering::Relaxed) == phase::FINISHED
    }
}

/// Imports in flight, by id (what the import page polls).
static RUNNING: LazyLock<std::sync::Mutex<HashMap<i64, Arc<Progress>>>> =
    LazyLock::new(Default::default);
/// One import at a time: two imports meeting the same units' state would lose one's rows.
static ONE_AT_A_TIME: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(Default::default);
/// The PostgreSQL lock that makes it one import at a time across servers ("import" in ASCII).
pub const IMPORT_LOCK: i64 = 0x69_6d_70_6f_72_74;

pub fn progress_of(id: i64) -> Option<Arc<Progress>> {
    RUNNING.lock().ok().and_then(|m| m.get(&id).cloned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Dossier,
    Feedback,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "dossier" => Some(Kind::Dossier),
            "feedback" => Some(Kind::Feedback),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dossier => "dossier",
            Kind::Feedback => "feedback",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Dossier => "Hồ sơ TTHC",
            Kind::Feedback => "Phản ánh, kiến nghị",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub province_code: Option<String>,
    pub kind: String,
    pub file_name: String,
    pub status: String,
    pub rows_read: i64,
    pub rows_kept: i64,
    pub rows_bad: i64,
    pub units_changed: i64,
    pub errors_json: String,
    pub message: String,
    pub started_at: String,
    pub finished_at: Option<String>,
}

impl ImportRecord {
    pub fn errors(&self) -> Vec<RowError> {
        serde_json::from_str(&self.errors_json).unwrap_or_default()
    }
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "running" => "Đang nhập",
            "done" => "Đã nhập",
            _ => "Không thành công",
        }
    }
}

const IMPORT_COLS: &str =
    "id, province_code, kind, file_name, status, rows_read, rows_kept, rows_bad, \
     units_changed, errors_json, message, started_at, finished_at";

/// The units rows may name: code → province. A province's import accepts only its own.
pub async fn known_units(db: &Db, province: Option<&str>) -> AppResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT code, province_code FROM units WHERE ($1 IS NULL OR province_code = $1) AND kind <> 'province'",
        )
        .bind(province)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().collect())
}

/// A file read into rows per unit, in file order.
pub struct Parsed {
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_bad: u64,
    /// The first `ERRORS_KEPT` bad rows, in file order.
    pub errors: Vec<RowError>,
    pub per_unit: HashMap<String, Vec<Incoming>>,
    /// Names of the rows' subjects (`Incoming::subject` indexes this).
    pub subjects: Vec<String>,
}

struct Worker {
    per_unit: Vec<Vec<Incoming>>,
    subjects: state::FastMap<String, u32>,
    kept: u64,
    bad: u64,
    errors: Vec<RowError>,
}

/// Reads a file with one worker per core. A row naming a unit outside `units` is bad.
pub fn read_file<C: Tally>(
    path: &Path,
    units: &HashMap<String, String>,
    progress: &Progress,
) -> Result<Parsed, super::parse::ReadError> {
    let codes: Vec<&String> = units.keys().collect();
    let index: state::FastMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let init = || Worker {
        per_unit: vec![Vec::new(); codes.len()],
        subjects: Default::default(),
        kept: 0,
        bad: 0,
        errors: Vec::new(),
    };
    let workers = C::read(path, threads, init, |w, line, r| {
        progress.rows.fetch_add(1, Ordering::Relaxed);
        let bad = |w: &mut Worker, reason: String| {
            w.bad += 1;
            if w.errors.len() < ERRORS_KEPT {
                w.errors.push(RowError { line, reason });
            }
        };
        let item = match r {
            Ok(x) => x,
            Err(e) => return bad(w, e.reason),
        };
        let (unit, at) = C::key(&item);
        let Some(&u) = index.get(unit) else {
            return bad(
                w,
                format!("đơn vị “{unit}” không có trong danh mục đơn vị của tỉnh"),
            );
        };
        let code = C::code(&item);
        if code.trim().is_empty() {
            return bad(w, "thiếu mã hồ sơ".into());
        }
        let next = w.subjects.len() as u32;
        let subject = match w.subjects.get(C::subject(&item)) {
            Some(s) => *s,
            None => {
                w.subjects.insert(C::subject(&item).to_string(), next);
                next
            }
        };
        let (y, m) = super::rules::month_of(at);
        w.per_unit[u].push(Incoming {
            key: state::code_key(code),
            month: state::month_index(y, m),
            subject,
            flags: C::flags(&item),
        });
        w.kept += 1;
    })?;
    // Workers hold consecutive parts of the file: appending them in order keeps file order.
    let mut out = Parsed {
        rows_read: 0,
        rows_kept: 0,
        rows_bad: 0,
        errors: Vec::new(),
        per_unit: HashMap::new(),
        subjects: Vec::new(),
    };
    let mut global: HashMap<String, u32> = HashMap::new();
    for w in workers {
        let mut names: Vec<(&String, &u32)> = w.subjects.iter().collect();
        names.sort_by_key(|(_, i)| **i);
        let remap: Vec<u32> = names
            .iter()
            .map(|(n, _)| {
                let next = out.subjects.len() as u32;
                *global.entry((*n).clone()).or_insert_with(|| {
                    out.subjects.push((*n).clone());
                    next
                })
            })
            .collect();
        for (u, mut rows) in w.per_unit.into_iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            for r in &mut rows {
                r.subject = remap[r.subject as usize];
            }
            out.per_unit
                .entry(codes[u].clone())
                .or_default()
                .extend(rows);
        }
        out.rows_kept += w.kept;
        out.rows_bad += w.bad;
        out.errors.extend(w.errors);
    }
    out.rows_read = out.rows_kept + out.rows_bad;
    out.errors.truncate(ERRORS_KEPT);
    Ok(out)
}

/// A unit after the import: its new state and monthly counts, when they changed.
struct Changed {
    unit: String,
    province: String,
    data: Vec<u8>,
    records: i64,
    months: Vec<(String, Vec<u64>)>,
}

/// Meets each unit's rows with its stored state, on every core.
fn merge<C: Tally>(
    parsed: Parsed,
    mut old: HashMap<String, Vec<u8>>,
    units: &HashMap<String, String>,
) -> Result<Vec<Changed>, state::Corrupt> {
    let mut jobs: Vec<(String, Vec<Incoming>, Option<Vec<u8>>)> = parsed
        .per_unit
        .into_iter()
        .map(|(u, rows)| {
            let o = old.remove(&u);
            (u, rows, o)
        })
        .collect();
    // Big units first, so the workers finish together.
    jobs.sort_by_key(|j| std::cmp::Reverse(j.1.len()));
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let queue = std::sync::Mutex::new(jobs);
    let names = &parsed.subjects;
    let results: Vec<Result<Vec<Changed>, state::Corrupt>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let job = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some((unit, rows, old)) = job else { break };
                        let mut st = match old {
                            Some(b) => UnitState::decode(&b)?,
                            None => UnitState::default(),
                        };
                        if !st.apply(rows, names, C::ENDED) {
                            continue;
                        }
                        let months = st
                            .monthly::<C>()
                            .into_iter()
                            .map(|(m, c)| (state::month_label(m), c.counts()))
                            .collect();
                        done.push(Changed {
                            province: units.get(&unit).cloned().unwrap_or_default(),
                            unit,
                            data: st.encode(),
                            records: st.recs.len() as i64,
                            months,
                        });
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(state::Corrupt)))
            .collect()
    });
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    all.sort_by(|a, b| a.unit.cmp(&b.unit));
    Ok(all)
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: i64,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_bad: u64,
    pub units_changed: u64,
    pub errors: Vec<RowError>,
}

/// Records an import about to start, so that it shows (with its progress) at once.
pub async fn begin(
    db: &Db,
    kind: Kind,
    province: Option<&str>,
    file_name: &str,
    by: Option<&Actor>,
) -> AppResult<(i64, Arc<Progress>)> {
    let mut work = crate::work::Work::begin(db).await?;
    let (id,): (i64,) = crate::in_work!(work, |tx| {
        sqlx::query_as(
            "INSERT INTO dossier_imports (province_code, kind, file_name, status, by_user_id, started_at, heartbeat_at) \
             VALUES ($1, $2, $3, 'running', $4, $5, $5) RETURNING id",
        )
        .bind(province)
        .bind(kind.as_str())
        .bind(file_name)
        .bind(by.map(|a| a.user_id))
        .bind(machine_now_utc())
        .fetch_one(&mut *tx)
        .await?
    });
    work.commit().await?;
    let progress = Arc::new(Progress::default());
    if let Ok(mut m) = RUNNING.lock() {
        m.insert(id, progress.clone());
    }
    Ok((id, progress))
}

/// Runs a begun import to its end; a failure is recorded on the import and returned.
pub async fn run(
    db: &Db,
    id: i64,
    kind: Kind,
    path: &Path,
    province: Option<&str>,
    by: Option<&Actor>,
    progress: Arc<Progress>,
) -> AppResult<Outcome> {
    // alive while it runs, in whatever process (see `mark_interrupted`)
    let beat = {
        let db = db.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT).await;
                let _ = heartbeat(&db, id).await;
            }
        })
    };
    let r = match kind {
        Kind::Dossier => {
            run_kind::<super::monthly::DossierCounts>(db, id, path, province, by, &progress).await
        }
        Kind::Feedback => {
            run_kind::<super::monthly::FeedbackCounts>(db, id, path, province, by, &progress).await
        }
    };
    beat.abort();
    progress.phase.store(phase::FINISHED, Ordering::Relaxed);
    if let Ok(mut m) = RUNNING.lock() {
        m.remove(&id);
    }
    if let Err(e) = &r {
        let message = match e {
            AppError::Internal(_) => {
                "Lỗi hệ thống khi nhập; dữ liệu cũ được giữ nguyên.".to_string()
            }
            other => other.to_string(),
        };
        tracing::warn!(import = id, error = %e, "dossier import failed");
        crate::metrics::count("steerco_imports_total", "failed");
        let mut work = crate::work::Work::begin(db).await?;
        crate::in_work!(work, |tx| {
            sqlx::query(
                "UPDATE dossier_imports SET status = 'failed', message = $1, rows_read = $2, finished_at = $3 WHERE id = $4",
            )
            .bind(message)
            .bind(progress.rows.load(Ordering::Relaxed) as i64)
            .bind(machine_now_utc())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        });
        work.commit().await?;
    }
    r
}

async fn run_kind<C: Tally + 'static>(
    db: &Db,
    id: i64,
    path: &Path,
    province: Option<&str>,
    by: Option<&Actor>,
    progress: &Arc<Progress>,
) -> AppResult<Outcome> {
    let units = Arc::new(known_units(db, province).await?);
    let started = std::time::Instant::now();
    let parsed = {
        let (path, units, progress) = (path.to_path_buf(), units.clone(), progress.clone());
        tokio::task::spawn_blocking(move || read_file::<C>(&path, &units, &progress))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::Conflict(e.to_string()))?
    };
    let read_s = started.elapsed().as_secs_f64();
    progress.phase.store(phase::WAITING, Ordering::Relaxed);
    let _one = ONE_AT_A_TIME.lock().await;
    // and one across every server on the database
    let _across = db.hold_lock(IMPORT_LOCK).await?;
    progress
        .phase
        .store(phase::MEETING_STORED, Ordering::Relaxed);
    let started = std::time::Instant::now();
    let touched: Vec<String> = parsed.per_unit.keys().cloned().collect();
    let old = stored_states(db, C::KIND, province, &touched).await?;
    let (rows_read, rows_kept, rows_bad, errors) = (
        parsed.rows_read,
        parsed.rows_kept,
        parsed.rows_bad,
        parsed.errors.clone(),
    );
    let changed = {
        let units = units.clone();
        tokio::task::spawn_blocking(move || merge::<C>(parsed, old, &units))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::Internal(e.into()))?
    };
    let merge_s = started.elapsed().as_secs_f64();
    progress.phase.store(phase::WRITING, Ordering::Relaxed);
    let started = std::time::Instant::now();
    let outcome = Outcome {
        id,
        rows_read,
        rows_kept,
        rows_bad,
        units_changed: changed.len() as u64,
        errors,
    };
    write(db, C::KIND, C::COLUMNS, &changed, &outcome, by).await?;
    tracing::info!(
        import = id,
        rows = outcome.rows_kept,
        read_s,
        merge_s,
        write_s = started.elapsed().as_secs_f64(),
        "dossier import written"
    );
    Ok(outcome)
}

/// The stored state of the units a file touches (all of the province's when it touches
/// many: one scan instead of a query per unit).
async fn stored_states(
    db: &Db,
    kind: &str,
    province: Option<&str>,
    touched: &[String],
) -> AppResult<HashMap<String, Vec<u8>>> {
    let wanted: std::collections::HashSet<&str> = touched.iter().map(String::as_str).collect();
    let mut out = HashMap::new();
    if touched.len() <= 50 {
        for u in touched {
            let row: Option<(Vec<u8>,)> = with_db!(db, |p| {
                sqlx::query_as("SELECT data FROM dossier_state WHERE kind = $1 AND unit_code = $2")
                    .bind(kind)
                    .bind(u)
                    .fetch_optional(p)
                    .await?
            });
            if let Some((d,)) = row {
                out.insert(u.clone(), d);
            }
        }
        return Ok(out);
    }
    let rows: Vec<(String, Vec<u8>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT unit_code, data FROM dossier_state WHERE kind = $1 AND ($2 IS NULL OR province_code = $2)",
        )
        .bind(kind)
        .bind(province)
        .fetch_all(p)
        .await?
    });
    for (u, d) in rows {
        if wanted.contains(u.as_str()) {
            out.insert(u, d);
        }
    }
    Ok(out)
}

/// Rows per multi-row insert of monthly counts (well under both databases' bind limits).
const MONTH_BATCH: usize = 400;

async fn write(
    db: &Db,
    kind: &str,
    columns: &[&str],
    changed: &[Changed],
    o: &Outcome,
    by: Option<&Actor>,
) -> AppResult<()> {
    let table = if kind == "dossier" {
        "dossier_months"
    } else {
        "feedback_months"
    };
    let province_table = format!("{kind}_province_months");
    let insert_head = format!(
        "INSERT INTO {table} (unit_code, province_code, month, {}) ",
        columns.join(", ")
    );
    let errors_json = serde_json::to_string(&o.errors).unwrap_or_else(|_| "[]".into());
    let now = machine_now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    for c in changed {
        work.touches(&c.province);
    }
    crate::in_work!(work, |tx, audit| {
        for c in changed {
            sqlx::query(
                "INSERT INTO dossier_state (kind, unit_code, province_code, records, data, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (kind, unit_code) DO UPDATE SET data = excluded.data, records = excluded.records, \
                 province_code = excluded.province_code, updated_at = excluded.updated_at",
            )
            .bind(kind)
            .bind(&c.unit)
            .bind(&c.province)
            .bind(c.records)
            .bind(&c.data)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!("DELETE FROM {table} WHERE unit_code = $1"))
                .bind(&c.unit)
                .execute(&mut *tx)
                .await?;
        }
        let rows: Vec<(&Changed, &(String, Vec<u64>))> = changed
            .iter()
            .flat_map(|c| c.months.iter().map(move |m| (c, m)))
            .collect();
        for batch in rows.chunks(MONTH_BATCH) {
            let mut qb = sqlx::QueryBuilder::new(&insert_head);
            qb.push_values(batch, |mut b, (c, (month, counts))| {
                b.push_bind(&c.unit).push_bind(&c.province).push_bind(month);
                for v in counts {
                    b.push_bind(*v as i64);
                }
            });
            qb.build().execute(&mut *tx).await?;
        }
        // The provinces' sums, from the unit rows just written.
        let provinces: std::collections::BTreeSet<&str> =
            changed.iter().map(|c| c.province.as_str()).collect();
        let sums: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST(SUM({c}) AS BIGINT)"))
            .collect();
        let rollup = format!(
            "INSERT INTO {table_p} (province_code, month, {cols}) SELECT province_code, month, {sums} \
             FROM {table} WHERE province_code = $1 GROUP BY province_code, month",
            table_p = province_table,
            cols = columns.join(", "),
            sums = sums.join(", "),
        );
        for p in provinces {
            sqlx::query(&format!(
                "DELETE FROM {province_table} WHERE province_code = $1"
            ))
            .bind(p)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&rollup).bind(p).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE dossier_imports SET status = 'done', rows_read = $1, rows_kept = $2, rows_bad = $3, \
             units_changed = $4, errors_json = $5, finished_at = $6 WHERE id = $7",
        )
        .bind(o.rows_read as i64)
        .bind(o.rows_kept as i64)
        .bind(o.rows_bad as i64)
        .bind(o.units_changed as i64)
        .bind(&errors_json)
        .bind(&now)
        .bind(o.id)
        .execute(&mut *tx)
        .await?;
        let entry = match by {
            Some(a) => Entry::new(a, "import", "dossier_import", o.id),
            None => Entry::system("import", "dossier_import", Some(o.id)),
        };
        audit.push(entry.after(&serde_json::json!({
                "kind": kind, "rows_kept": o.rows_kept, "rows_bad": o.rows_bad, "units_changed": o.units_changed
            })));
    });
    work.commit().await?;
    crate::metrics::count("steerco_imports_total", "done");
    Ok(())
}

/// How often a running import says it is alive, and how long a silence means its process died.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(20);
const STALE_AFTER_SECS: i64 = 90;

async fn heartbeat(db: &Db, id: i64) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        sqlx::query(
            "UPDATE dossier_imports SET heartbeat_at = $1 WHERE id = $2 AND status = 'running'",
        )
        .bind(machine_now_utc())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    });
    work.commit().await?;
    Ok(())
}

// An import's record (started, heartbeat, finished) runs on the machine's clock: the heartbeat
// is a liveness timer compared across processes, whatever the application's clock says.

/// Imports left "running" by a process that died (their transaction never committed): those
/// whose heartbeat has been silent for a while — an import still running in another process
/// (the command line, another server) keeps beating and is left alone. Run at start and by the
/// server's periodic pass.
pub async fn mark_interrupted(db: &Db) -> AppResult<u64> {
    mark_interrupted_at(db, chrono::Utc::now()).await
}

pub async fn mark_interrupted_at(db: &Db, now: chrono::DateTime<chrono::Utc>) -> AppResult<u64> {
    let stale = crate::clock::stored(now - chrono::Duration::seconds(STALE_AFTER_SECS));
    let mut work = crate::work::Work::begin(db).await?;
    let n = crate::in_work!(work, |tx| {
        sqlx::query(
            "UPDATE dossier_imports SET status = 'failed', finished_at = $2, \
             message = 'Bị gián đoạn (tiến trình nhập dừng giữa chừng); dữ liệu cũ được giữ nguyên, hãy nhập lại tệp.' \
             WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < $1",
        )
        .bind(&stale)
        .bind(machine_now_utc())
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected())
    })?;
    work.commit().await?;
    Ok(n)
}

pub async fn get_import(db: &Db, id: i64) -> AppResult<ImportRecord> {
    let sql = format!("SELECT {IMPORT_COLS} FROM dossier_imports WHERE id = $1");
    let r: Option<ImportRecord> = with_db!(db, |p| {
        sqlx::query_as(&sql).bind(id).fetch_optional(p).await?
    });
    r.ok_or(AppError::NotFound("lần nhập dữ liệu"))
}

/// The province's imports, newest first.
pub async fn list_imports(
    db: &Db,
    province: Option<&str>,
    limit: i64,
) -> AppResult<Vec<ImportRecord>> {
    let sql = format!(
        "SELECT {IMPORT_COLS} FROM dossier_imports WHERE ($1 IS NULL OR province_code = $1) ORDER BY id DESC LIMIT $2"
    );
    Ok(with_db!(db, |p| {
        sqlx::query_as(&sql)
            .bind(province)
            .bind(limit)
            .fetch_all(p)
            .await?
    }))
}
