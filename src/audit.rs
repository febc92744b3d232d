//! The audit trail: who changed what, when, with the state before and after.
//! Entries are written in the same transaction as the change they describe.

use serde::Serialize;

use crate::auth::Actor;
use crate::error::AppResult;
use crate::store::Db;
use crate::with_db;

pub struct Entry {
    pub user_id: Option<i64>,
    pub username: String,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The province whose data the change is in: the actor's, or (for an administrator) the
    /// one province the unit of work touched; None is seen by administrators only.
    pub province: Option<String>,
}

impl Entry {
    pub fn new(actor: &Actor, action: &'static str, entity: &'static str, id: i64) -> Entry {
        Entry {
            user_id: Some(actor.user_id),
            username: actor.username.clone(),
            action,
            entity,
            entity_id: Some(id),
            before: None,
            after: None,
            province: actor.province_code.clone(),
        }
    }
    pub fn system(action: &'static str, entity: &'static str, id: Option<i64>) -> Entry {
        Entry {
            user_id: None,
            username: "system".into(),
            action,
            entity,
            entity_id: id,
            before: None,
            after: None,
            province: None,
        }
    }
    /// The province of the change, when the actor's is not it.
    pub fn in_province(mut self, province: &str) -> Entry {
        self.province = Some(province.to_string());
        self
    }
    /// The province of an account changed, when it has one.
    pub fn of_account(self, province: Option<&str>) -> Entry {
        match province {
            Some(p) => self.in_province(p),
            None => self,
        }
    }
    pub fn before(mut self, v: &impl Serialize) -> Entry {
        self.before = serde_json::to_string(v).ok();
        self
    }
    pub fn after(mut self, v: &impl Serialize) -> Entry {
        self.after = serde_json::to_string(v).ok();
        self
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The trail, newest first; `province` None is the whole country's (administrators).
pub async fn list(
    db: &Db,
    province: Option<&str>,
    entity: Option<&str>,
    entity_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<AuditRow>, i64)> {
    let (rows, total): (Vec<AuditRow>, (i64,)) = with_db!(db, |p| {
        let rows = sqlx::query_as(
            "SELECT id, at, username, action, entity, entity_id, before_json, after_json FROM audit_log \
             WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) AND ($5 IS NULL OR province_code = $5) \
             ORDER BY id DESC LIMIT $3 OFFSET $4",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(limit)
        .bind(offset)
        .bind(province)
        .fetch_all(p)
        .await?;
        let total = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
             AND ($3 IS NULL OR province_code = $3)",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(province)
        .fetch_one(p)
        .await?;
        (rows, total)
    });
    Ok((rows, total.0))
}
