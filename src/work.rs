//! One unit of work per write: the only way a change should reach the database. `Work::begin`
//! takes the write lock (SQLite: one writer in the process, so no "database is locked";
//! PostgreSQL: an advisory lock held by the transaction, one writer across every server),
//! opens the transaction;
//! the change records its audit entries and the provinces whose tracked work it touches;
//! `commit` writes the entries and bumps the touched provinces' dashboard versions in the same
//! transaction, then commits. A write built this way cannot skip any of the three.
//!
//! Statements run inside with [`in_work!`], whose body is compiled once per backend like
//! [`with_db!`](crate::with_db):
//!
//! ```ignore
//! let mut w = Work::begin(db).await?;
//! in_work!(w, |tx| sqlx::query("DELETE FROM holidays WHERE day = $1").bind(day).execute(&mut *tx).await)?;
//! w.audit(Entry::new(actor, "delete", "holiday", 0));
//! // or, when the entry needs what the statements return:
//! in_work!(w, |tx, audit| { let id = insert(tx).await?; audit.push(Entry::new(actor, "create", "unit", id)); })
//! w.commit().await?;
//! ```
//!
//! Every write of the domain goes through here (sessions, the notification outbox, the dossier
//! imports' records included), and audit entries are written nowhere else. Only the tools
//! (demo seeding, benchmarks) take the lock by hand for their bulk loads.

use std::collections::BTreeSet;

use crate::audit::Entry;
use crate::error::AppResult;
use crate::store::{Db, WriteGuard};

/// The open transaction, on whichever backend the database is.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// The key of the PostgreSQL advisory lock every unit of work holds ("steerco" in ASCII).
const WRITER_LOCK: i64 = 0x73_74_65_65_72_63_6f;

pub struct Work<'a> {
    tx: Tx,
    audit: Vec<Entry>,
    touched: BTreeSet<String>,
    db: &'a Db,
    // released after the commit, when `Work` is dropped
    _lock: WriteGuard<'a>,
}

/// Runs statements inside a [`Work`]'s transaction; `$c` is the backend's connection and
/// `$audit` (when named) the work's audit entries, pushed to with the change.
#[macro_export]
macro_rules! in_work {
    ($work:expr, |$c:ident, $audit:ident| $body:expr) => {{
        let (tx, $audit) = $work.parts();
        match tx {
            $crate::work::Tx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::work::Tx::Postgres(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    }};
    ($work:expr, |$c:ident| $body:expr) => {
        $crate::in_work!($work, |$c, _audit| $body)
    };
}

impl<'a> Work<'a> {
    /// Now by the application's clock, as records are stamped.
    pub fn now_utc(&self) -> String {
        self.db.now_utc()
    }

    pub async fn begin(db: &'a Db) -> AppResult<Work<'a>> {
        let lock = db.write_lock().await;
        let tx = match db {
            Db::Sqlite(p, _) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p, _) => {
                // PostgreSQL gets SQLite's guarantee, one writer at a time, for every server on
                // the database: a read-then-write inside a unit of work (a save that re-reads
                // the report's state) sees every change committed before it, never half of a
                // concurrent one. The lock is released by the commit or the rollback.
                let mut t = p.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITER_LOCK)
                    .execute(&mut *t)
                    .await?;
                Tx::Postgres(t)
            }
        };
        Ok(Work {
            tx,
            audit: Vec::new(),
            touched: BTreeSet::new(),
            db,
            _lock: lock,
        })
    }

    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// The transaction and the audit entries at once, for statements that audit as they go.
    pub fn parts(&mut self) -> (&mut Tx, &mut Vec<Entry>) {
        (&mut self.tx, &mut self.audit)
    }

    /// An entry of the audit trail, written with the change or not at all.
    pub fn audit(&mut self, e: Entry) {
        self.audit.push(e);
    }

    /// A province whose dashboards show what this change changes.
    pub fn touches(&mut self, province: &str) {
        self.touched.insert(province.to_string());
    }

    pub async fn commit(mut self) -> AppResult<()> {
        // the only place audit entries are written: with the change, in its transaction
        let only_province = match self.touched.len() {
            1 => self.touched.iter().next().cloned(),
            _ => None,
        };
        let at = self.now_utc();
        for e in std::mem::take(&mut self.audit) {
            let province = e.province.clone().or_else(|| only_province.clone());
            let q = "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, before_json, after_json, province_code) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
            crate::in_work!(self, |c| sqlx::query(q)
                .bind(&at)
                .bind(e.user_id)
                .bind(&e.username)
                .bind(e.action)
                .bind(e.entity)
                .bind(e.entity_id)
                .bind(&e.before)
                .bind(&e.after)
                .bind(&province)
                .execute(&mut *c)
                .await
                .map(|_| ()))?;
        }
        // in the same transaction: a reader that read the old version computes from the old
        // data or the new, stores it under the old version, and recomputes next time
        let touched_any = !self.touched.is_empty();
        for p in std::mem::take(&mut self.touched) {
            crate::in_work!(self, |c| sqlx::query(
                "INSERT INTO province_versions (province_code, version) VALUES ($1, 1) \
                 ON CONFLICT (province_code) DO UPDATE SET version = province_versions.version + 1"
            )
            .bind(&p)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
        }
        if touched_any {
            // delivered to every listening server when (and only if) this commits
            if let Tx::Postgres(t) = &mut self.tx {
                sqlx::query("SELECT pg_notify($1, '')")
                    .bind(crate::store::CHANGES_CHANNEL)
                    .execute(&mut **t)
                    .await?;
            }
        }
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        if touched_any {
            self.db.note_change();
        }
        Ok(())
    }
}
