//! The audit trail: who changed what, when, with the state before and after.
//! Entries are written in the same transaction as the change they describe.

use serde::Serialize;

use crate::auth::Actor;
use crate::error::AppResult;
use crate::store::Db;

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

/// Which part of the trail: by kind of object (and one object), by who, by days (VN dates,
/// inclusive).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub entity_id: Option<i64>,
    #[serde(default)]
    pub username: Option<String>,
    /// The unit of the person who made the change.
    #[serde(default)]
    pub unit: Option<i64>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The trail, newest first; `province` None is the whole country's (administrators).
pub async fn list(
    db: &Db,
    province: Option<&str>,
    f: &Filter,
    page: i64,
    per_page: i64,
) -> AppResult<(Vec<AuditRow>, i64)> {
    let none_if_empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let entity = none_if_empty(&f.entity);
    let username = none_if_empty(&f.username);
    // stored instants are UTC: a Vietnamese day runs from 17:00 UTC the day before
    let bound = |d: &Option<String>, end: bool| {
        d.as_deref().and_then(crate::store::parse_date).map(|d| {
            let day = if end {
                d + chrono::Duration::days(1)
            } else {
                d
            };
            crate::clock::stored(
                day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(7),
            )
        })
    };
    let (from, to) = (bound(&f.from, false), bound(&f.to, true));
    let filter = "WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) AND ($3 IS NULL OR province_code = $3) \
                  AND ($4 IS NULL OR username = $4) AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) \
                  AND ($7 IS NULL OR username IN (SELECT u.username FROM users u WHERE u.unit_id = $7))";
    use crate::store::Arg;
    let args = [
        Arg::Text(entity.as_deref()),
        Arg::Int(f.entity_id),
        Arg::Text(province),
        Arg::Text(username.as_deref()),
        Arg::Text(from.as_deref()),
        Arg::Text(to.as_deref()),
        Arg::Int(f.unit),
    ];
    let page = crate::store::paged(
        db,
        "SELECT id, at, username, action, entity, entity_id, before_json, after_json",
        &format!("FROM audit_log {filter}"),
        "id DESC",
        &args,
        page,
        per_page,
    )
    .await?;
    Ok((page.items, page.total))
}
