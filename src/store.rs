//! Database access: one enum over the two backends, migrations per backend, and the
//! small helpers every repository uses. SQL is written in the subset both accept
//! (`$1` placeholders, `RETURNING`, ISO text dates) and run through [`with_db!`].

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL: {0}")]
    BadUrl(String),
    #[error("STEERCO_SQLITE_SYNCHRONOUS: expected normal or full, not {0:?}")]
    BadSetting(String),
}

/// How hard SQLite makes an acknowledged commit durable (`STEERCO_SQLITE_SYNCHRONOUS`). `Normal`
/// (the default, with WAL): a commit survives a crash of the process, but the last ones may be
/// lost if the machine loses power. `Full`: it survives that too, at the cost of a sync per
/// commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Normal,
    Full,
}

impl Durability {
    pub fn parse(s: &str) -> Result<Durability, StoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "normal" => Ok(Durability::Normal),
            "full" => Ok(Durability::Full),
            other => Err(StoreError::BadSetting(other.to_string())),
        }
    }
    pub fn from_env() -> Result<Durability, StoreError> {
        Durability::parse(&std::env::var("STEERCO_SQLITE_SYNCHRONOUS").unwrap_or_default())
    }
}

#[derive(Clone)]
pub enum Db {
    Sqlite(SqlitePool, Arc<Local>),
    Postgres(PgPool, Arc<Local>),
}

/// What one handle on the database keeps beside its pool: the SQLite write lock, and how many
/// commits that touched a province's work this server knows of — its own, and on PostgreSQL
/// every other server's as it hears of them (`Db::follow_changes`). A cache that read the
/// versions before one of them reads them again at once; a change it never hears of is seen
/// within the cache's own short lifetime.
#[derive(Default)]
pub struct Local {
    write: Mutex<()>,
    changes: std::sync::atomic::AtomicU64,
    /// The application's clock: every "now" a record is stamped with, and (through
    /// `AppState.clock`, the same clock) every "today" of deadlines and reminders.
    clock: crate::clock::Clock,
}

/// Runs the same code against whichever pool `Db` holds. The body is compiled once per
/// backend, so generic sqlx calls (`query_as::<_, T>`) work with both.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool, _) => $body,
            $crate::store::Db::Postgres($pool, _) => $body,
        }
    };
}

/// The PostgreSQL channel every commit that bumped provinces' versions notifies on.
pub const CHANGES_CHANNEL: &str = "steerco_changes";

/// Every province's version of its tracked work (`province_versions`), bumped by the unit of
/// work in the transaction of every change its dashboards show (assignments, their progress and
/// due dates, unit names). Dashboard caches compare versions, so a write in one province leaves
/// the others' cached views valid, and a write by any server reaches every server's cache.
pub async fn province_versions(
    db: &Db,
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT province_code, version FROM province_versions"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Held while writing: SQLite allows one writer, and letting writers queue here instead of
/// in SQLite's busy loop is what keeps "database is locked" from losing users' work.
/// See [`Db::hold_lock`].
pub struct HeldLock(Option<sqlx::pool::PoolConnection<sqlx::Postgres>>);

impl Drop for HeldLock {
    fn drop(&mut self) {
        // the connection leaves the pool and closes: its session, and the lock, end with it
        if let Some(c) = self.0.take() {
            drop(c.detach());
        }
    }
}

pub enum WriteGuard<'a> {
    Sqlite(#[allow(dead_code)] MutexGuard<'a, ()>),
    None,
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Db::open(url, Durability::from_env()?).await
    }

    /// Opens (and migrates) the database at `url`; `durability` applies to SQLite.
    pub async fn open(url: &str, durability: Durability) -> Result<Db, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Db::Postgres(pool, Default::default()))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match durability {
                    Durability::Normal => SqliteSynchronous::Normal,
                    Durability::Full => SqliteSynchronous::Full,
                })
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-32000");
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Db::Sqlite(pool, Default::default()))
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }

    /// Whether the database answers and has every migration this build knows applied: what a
    /// load balancer asks before it sends a server requests (`/ready`).
    pub async fn ready(&self) -> Result<(), String> {
        let (applied, known) = match self {
            Db::Sqlite(p, _) => (
                sqlx::query_as::<_, (Option<i64>,)>(
                    "SELECT MAX(version) FROM _sqlx_migrations WHERE success",
                )
                .fetch_one(p)
                .await,
                sqlx::migrate!("./migrations/sqlite")
                    .iter()
                    .map(|m| m.version)
                    .max(),
            ),
            Db::Postgres(p, _) => (
                sqlx::query_as::<_, (Option<i64>,)>(
                    "SELECT MAX(version) FROM _sqlx_migrations WHERE success",
                )
                .fetch_one(p)
                .await,
                sqlx::migrate!("./migrations/postgres")
                    .iter()
                    .map(|m| m.version)
                    .max(),
            ),
        };
        let applied = applied.map_err(|e| format!("database: {e}"))?.0;
        if applied < known {
            return Err(format!(
                "migrations: {applied:?} applied, {known:?} expected"
            ));
        }
        Ok(())
    }

    /// A consistent copy of a SQLite database into `file` while it is in use (`VACUUM INTO`);
    /// PostgreSQL is backed up with `pg_dump`.
    pub async fn backup(&self, file: &str) -> Result<(), String> {
        match self {
            Db::Sqlite(p, _) => {
                if std::path::Path::new(file).exists() {
                    return Err(format!("{file} already exists"));
                }
                sqlx::query("VACUUM INTO $1")
                    .bind(file)
                    .execute(p)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Db::Postgres(..) => {
                Err("PostgreSQL: use pg_dump (see the README, \"Deployment\")".into())
            }
        }
    }

    /// Holds the lock named `key` across every server on the database until the guard is
    /// dropped (a long job that many transactions make up: an import). PostgreSQL: a session
    /// advisory lock on a connection of its own, closed with the guard (which releases it even
    /// if the job fails halfway). SQLite is one server: nothing to hold beyond its caller's.
    pub async fn hold_lock(&self, key: i64) -> Result<HeldLock, sqlx::Error> {
        match self {
            Db::Sqlite(..) => Ok(HeldLock(None)),
            Db::Postgres(p, _) => {
                let mut conn = p.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(key)
                    .execute(&mut *conn)
                    .await?;
                Ok(HeldLock(Some(conn)))
            }
        }
    }

    /// The pool's connections: (open, idle).
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite(p, _) => (p.size(), p.num_idle()),
            Db::Postgres(p, _) => (p.size(), p.num_idle()),
        }
    }

    pub async fn write_lock(&self) -> WriteGuard<'_> {
        match self {
            Db::Sqlite(_, local) => WriteGuard::Sqlite(local.write.lock().await),
            Db::Postgres(..) => WriteGuard::None,
        }
    }

    fn local(&self) -> &Local {
        match self {
            Db::Sqlite(_, l) | Db::Postgres(_, l) => l,
        }
    }

    /// The application's clock (tests and demos move it; real time in production).
    pub fn clock(&self) -> &crate::clock::Clock {
        &self.local().clock
    }

    /// Now by the application's clock, as stored: what records are stamped with.
    pub fn now_utc(&self) -> String {
        crate::clock::stored(self.clock().now())
    }

    /// Commits that touched a province's work this server knows of (see [`Local`]).
    pub fn changes_seen(&self) -> u64 {
        self.local()
            .changes
            .load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn note_change(&self) {
        self.local()
            .changes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// On PostgreSQL, hears every server's commits that touched a province's work (`LISTEN`
    /// on [`CHANGES_CHANNEL`], notified by `Work::commit`), so this server's caches read the
    /// versions again at once instead of within their lifetime. While the listening connection
    /// is down nothing is heard: losing it, and getting it back, count as a change (the caches
    /// read again), and it is tried again every second. SQLite is one server: nothing to hear.
    pub fn follow_changes(&self) {
        let Db::Postgres(pool, _) = self else { return };
        let (pool, db) = (pool.clone(), self.clone());
        tokio::spawn(async move {
            loop {
                match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(CHANGES_CHANNEL).await {
                        Ok(()) => {
                            db.note_change();
                            // `None`: the connection was lost; the next call connects again
                            // and listens again
                            while let Ok(heard) = listener.try_recv().await {
                                if heard.is_none() {
                                    tracing::warn!("lost the connection listening for changes");
                                }
                                db.note_change();
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "cannot listen for changes"),
                    },
                    Err(e) => tracing::warn!(error = %e, "cannot listen for changes"),
                }
                db.note_change();
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        });
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(..))
    }

    pub async fn close(&self) {
        with_db!(self, |p| p.close().await)
    }
}

/// The machine's current instant as stored: RFC 3339 in UTC, second precision (sorts as text).
/// Only for the timers that run on real time whatever the application's clock says: security
/// (sessions, tokens, login delays) and liveness (an import's heartbeat);
/// records are stamped with [`Db::now_utc`].
pub fn machine_now_utc() -> String {
    crate::clock::stored(chrono::Utc::now())
}

/// Formats a stored UTC instant for display in Asia/Ho_Chi_Minh.
pub fn show_instant(utc: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(utc) {
        Ok(t) => crate::clock::vn_time(t.with_timezone(&chrono::Utc))
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        Err(_) => utc.to_string(),
    }
}

/// Formats an ISO date as Vietnamese users write it.
pub fn show_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// A calendar day of a model (a due date, a completion date), parsed once where it is read:
/// stored as ISO text (`YYYY-MM-DD`, the one form both databases compare and sort alike),
/// serialized the same way, shown as `dd/mm/yyyy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub chrono::NaiveDate);

impl Day {
    pub fn date(self) -> chrono::NaiveDate {
        self.0
    }
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
    /// As Vietnamese documents write it.
    pub fn show(self) -> String {
        self.0.format("%d/%m/%Y").to_string()
    }
}

impl From<chrono::NaiveDate> for Day {
    fn from(d: chrono::NaiveDate) -> Day {
        Day(d)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_date(&s)
            .map(Day)
            .ok_or_else(|| serde::de::Error::custom("ngày không hợp lệ (dd/mm/yyyy)"))
    }
}

impl<DB: sqlx::Database> sqlx::Type<DB> for Day
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for Day
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Day, sqlx::error::BoxDynError> {
        let s = <String as sqlx::Decode<'r, DB>>::decode(value)?;
        // a day, or the day of a stored instant
        let day = s.get(..10).unwrap_or(&s);
        Ok(Day(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")?))
    }
}

impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for Day
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, DB>>::encode(self.iso(), buf)
    }
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.is_unique_violation(),
        _ => false,
    }
}

/// A date as users type it (dd/mm/yyyy) or as forms send it (yyyy-mm-dd).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// One page of a list and where it stands in the whole.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// A value bound to a `$n` placeholder of a paged query.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
}

/// The one row `sql` selects by its `$1` id, if any.
pub async fn by_id<T>(db: &Db, sql: &str, id: i64) -> Result<Option<T>, sqlx::Error>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    crate::with_db!(db, |p| sqlx::query_as::<_, T>(sql)
        .bind(id)
        .fetch_optional(p)
        .await)
}

/// One page of `SELECT … {from_where}` ordered by `order_by`, and the count of the whole: the
/// list + count + LIMIT/OFFSET every list needs, written once. `args` fill `$1…$n` of
/// `from_where`; the page's limit and offset take the next two placeholders.
pub async fn paged<T>(
    db: &Db,
    select: &str,
    from_where: &str,
    order_by: &str,
    args: &[Arg<'_>],
    page: i64,
    per_page: i64,
) -> Result<Page<T>, sqlx::Error>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let page = page.max(1);
    let n = args.len();
    let sql = format!(
        "{select} {from_where} ORDER BY {order_by} LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let count = format!("SELECT COUNT(*) {from_where}");
    macro_rules! bind_all {
        ($q:expr) => {{
            let mut q = $q;
            for a in args {
                q = match *a {
                    Arg::Text(s) => q.bind(s),
                    Arg::Int(i) => q.bind(i),
                };
            }
            q
        }};
    }
    let (items, total): (Vec<T>, (i64,)) = crate::with_db!(db, |p| {
        let items = bind_all!(sqlx::query_as::<_, T>(&sql))
            .bind(per_page)
            .bind((page - 1) * per_page)
            .fetch_all(p)
            .await?;
        let total = bind_all!(sqlx::query_as::<_, (i64,)>(&count))
            .fetch_one(p)
            .await?;
        (items, total)
    });
    Ok(Page {
        items,
        total: total.0,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stored_day_is_read_once_into_a_date() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let read = |text: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_as::<_, (Day,)>("SELECT $1")
                    .bind(text)
                    .fetch_one(&pool)
                    .await
                    .map(|r| r.0)
            }
        };
        let d = read("2025-12-31").await.unwrap();
        assert_eq!(
            d.date(),
            chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        assert_eq!(
            (d.iso(), d.show()),
            ("2025-12-31".to_string(), "31/12/2025".to_string())
        );
        assert_eq!(
            read("2025-12-31T02:00:00Z").await.unwrap(),
            d,
            "the day of an instant"
        );
        assert!(
            read("31/12/2025").await.is_err(),
            "stored days are ISO only"
        );
        let (back,): (String,) = sqlx::query_as("SELECT $1")
            .bind(d)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(back, "2025-12-31");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2025-12-31\"");
        assert_eq!(serde_json::from_str::<Day>("\"31/12/2025\"").unwrap(), d);
    }
}
