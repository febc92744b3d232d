//! Slows password guessing without letting anyone lock an account: failures are counted per
//! client address, and per address and username. After `FREE_FAILURES` wrong passwords for a
//! username from one address, that address waits before its next try for that username (30 s,
//! doubling, at most `FAILURE_WINDOW`); an address that sprays wrong passwords over many
//! usernames waits out the window. The owner, from their own address, is never held back by
//! someone else's guesses. Kept in the database, so every server enforces the same record.

use chrono::{DateTime, Duration, Utc};

use crate::error::AppResult;
use crate::store::Db;
use crate::with_db;

/// Wrong passwords for one username from one address before any wait.
pub const FREE_FAILURES: i64 = 5;
/// Wrong passwords from one address, over all usernames, before it waits out the window.
pub const ADDRESS_FAILURES: i64 = 50;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// How long `address` must still wait before trying `username` again (None: it may try now).
pub async fn wait(
    db: &Db,
    address: &str,
    username: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Duration>> {
    let since = crate::clock::stored(now - FAILURE_WINDOW);
    let user = key(username);
    let (mine, last, all): (i64, Option<String>, i64) = with_db!(db, |p| sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM login_failures WHERE address = $1 AND username = $2 AND at > $3), \
           (SELECT MAX(at) FROM login_failures WHERE address = $1 AND username = $2 AND at > $3), \
           (SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $3)"
    )
    .bind(address)
    .bind(&user)
    .bind(&since)
    .fetch_one(p)
    .await)?;
    let last = last
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    Ok(wait_for(mine, last, all, now))
}

/// The rule, apart from the storage: failures for this username from this address, the last
/// of them, failures from this address over all usernames.
pub fn wait_for(
    mine: i64,
    last: Option<DateTime<Utc>>,
    all: i64,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let mut until = None;
    if mine >= FREE_FAILURES {
        let step = (mine - FREE_FAILURES).min(10) as u32;
        let delay = (Duration::seconds(30) * 2i32.pow(step)).min(FAILURE_WINDOW);
        until = last.map(|l| l + delay);
    }
    if all >= ADDRESS_FAILURES {
        until = until.max(Some(now + FAILURE_WINDOW));
    }
    until.map(|u| u - now).filter(|d| *d > Duration::zero())
}

/// A wrong password from `address` for `username`; old failures are swept meanwhile.
pub async fn failed(db: &Db, address: &str, username: &str, now: DateTime<Utc>) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(crate::clock::stored(now - FAILURE_WINDOW))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failures (address, username, at) VALUES ($1, $2, $3)")
            .bind(address)
            .bind(key(username))
            .bind(crate::clock::stored(now))
            .execute(&mut *tx)
            .await?;
    });
    work.commit().await
}

/// The right password: this address's failures for the username are forgotten.
pub async fn succeeded(db: &Db, address: &str, username: &str) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| sqlx::query(
        "DELETE FROM login_failures WHERE address = $1 AND username = $2"
    )
    .bind(address)
    .bind(key(username))
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_with_failures_and_spraying_waits_out_the_window() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let last = Some(now - Duration::seconds(10));
        assert_eq!(
            wait_for(4, last, 4, now),
            None,
            "four wrong passwords cost nothing"
        );
        assert_eq!(wait_for(5, last, 5, now), Some(Duration::seconds(20)));
        assert_eq!(wait_for(6, last, 6, now), Some(Duration::seconds(50)));
        assert_eq!(
            wait_for(5, Some(now - Duration::seconds(31)), 5, now),
            None,
            "waited enough"
        );
        assert_eq!(
            wait_for(40, last, 40, now),
            Some(FAILURE_WINDOW - Duration::seconds(10))
        );
        assert_eq!(
            wait_for(0, None, ADDRESS_FAILURES, now),
            Some(FAILURE_WINDOW)
        );
    }
}
