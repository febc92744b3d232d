//! The holiday list administrators edit (`/holidays`): the days [`WorkCalendar`] skips.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::WorkCalendar;
use crate::error::{AppError, AppResult};
use crate::in_work;
use crate::store::Db;
use crate::with_db;
use crate::work::Work;

impl WorkCalendar {
    /// Weekends and the stored holidays.
    pub async fn load(db: &Db) -> AppResult<WorkCalendar> {
        Ok(WorkCalendar::new(
            list_holidays(db).await?.into_iter().map(|h| h.day),
        ))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
}

pub async fn list_holidays(db: &Db) -> AppResult<Vec<Holiday>> {
    let rows: Vec<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT day, name FROM holidays ORDER BY day"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, name)| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .map(|day| Holiday { day, name })
        })
        .collect())
}

/// A day off as the holidays form sends it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct HolidayInput {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub name: String,
}

pub async fn add_holiday(
    db: &Db,
    actor: &crate::auth::Actor,
    day: &str,
    name: &str,
) -> AppResult<()> {
    crate::auth::policy::administer_calendar(actor)?;
    let d = crate::store::parse_date(day)
        .ok_or_else(|| AppError::invalid("day", "Ngày nghỉ không hợp lệ (dd/mm/yyyy)."))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "Vui lòng nhập tên ngày nghỉ."));
    }
    let iso = d.format("%Y-%m-%d").to_string();
    let now = db.now_utc();
    let mut w = Work::begin(db).await?;
    let r = in_work!(w, |tx| sqlx::query(
        "INSERT INTO holidays (day, name, created_at) VALUES ($1, $2, $3)"
    )
    .bind(&iso)
    .bind(name)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map(|_| ()));
    if r.is_ok() {
        w.audit(
            crate::audit::Entry::new(actor, "create", "holiday", 0)
                .after(&serde_json::json!({"day": iso, "name": name})),
        );
        w.commit().await?;
    }
    match r {
        Err(e) if crate::store::is_unique_violation(&e) => Err(AppError::invalid(
            "day",
            "Ngày này đã có trong danh sách ngày nghỉ.",
        )),
        other => Ok(other?),
    }
}

pub async fn remove_holiday(db: &Db, actor: &crate::auth::Actor, day: &str) -> AppResult<()> {
    crate::auth::policy::administer_calendar(actor)?;
    let mut w = Work::begin(db).await?;
    let n = in_work!(w, |tx| sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(day)
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(AppError::NotFound("ngày nghỉ"));
    }
    w.audit(
        crate::audit::Entry::new(actor, "delete", "holiday", 0)
            .before(&serde_json::json!({ "day": day })),
    );
    w.commit().await
}
