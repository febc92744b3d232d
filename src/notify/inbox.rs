//! The notices a user reads inside the app: its unit's (for a unit's officers) and its own (a
//! secretary's digest), newest first, read or unread. They are the outbox's notices of the
//! in-app channel, raised by every rule whether or not a mail server or a webhook is set.

use serde::{Deserialize, Serialize};

use super::IN_APP;
use crate::auth::{policy::Role, Actor};
use crate::error::AppResult;
use crate::store::{Arg, Db, Page};
use crate::work::Work;
use crate::{in_work, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InAppNotice {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

impl InAppNotice {
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "reminder" => "Nhắc việc",
            "urging" => "Đôn đốc",
            "digest" => "Tổng hợp hằng ngày",
            _ => "Thông báo",
        }
    }
    /// The first path of the site the text names ("/reports/requests/12"), for a link.
    pub fn link(&self) -> Option<&str> {
        self.body
            .split_whitespace()
            .map(|w| {
                w.trim_start_matches('(')
                    .trim_end_matches(['.', ',', ')', ';', ':'])
            })
            .find(|w| w.starts_with('/') && w.len() > 1 && !w.starts_with("//"))
    }
}

/// Which notices are the actor's: `$1` its user id, `$2` its unit (officers only).
const MINE: &str =
    "n.channel = 'app' AND (n.user_id = $1 OR (n.user_id IS NULL AND n.unit_id = $2))";

fn unit_of(a: &Actor) -> Option<i64> {
    // a unit's notices are its officers' (as its e-mails are)
    (a.role == Role::Officer).then_some(a.unit_id).flatten()
}

/// How many of the actor's notices are unread (the count in the menu).
pub async fn unread(db: &Db, a: &Actor) -> AppResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM notifications n WHERE {MINE} \
         AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notification_id = n.id AND r.user_id = $1)"
    );
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(a.user_id)
        .bind(unit_of(a))
        .fetch_one(p)
        .await)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(body: &str) -> InAppNotice {
        InAppNotice {
            id: 1,
            kind: "urging".into(),
            subject: String::new(),
            body: body.into(),
            created_at: String::new(),
            read_at: None,
        }
    }

    #[test]
    fn a_notice_links_to_the_first_path_it_names() {
        assert_eq!(
            notice("Cập nhật trên hệ thống steerco (/my).\n").link(),
            Some("/my")
        );
        assert_eq!(
            notice("Báo cáo: /reports/requests/12\nHạn: 15/3").link(),
            Some("/reports/requests/12")
        );
        assert_eq!(notice("Hạn 15/3/2026, không có đường dẫn //x").link(), None);
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    pub page: Option<i64>,
    /// Only the unread ones.
    #[serde(default)]
    pub unread: Option<String>,
}

/// The actor's notices, newest first.
pub async fn list(db: &Db, a: &Actor, q: &InboxQuery) -> AppResult<Page<InAppNotice>> {
    let only_unread = q
        .unread
        .as_deref()
        .is_some_and(|u| !u.is_empty() && u != "0");
    let from_where = format!(
        "FROM notifications n LEFT JOIN notice_reads r ON r.notification_id = n.id AND r.user_id = $1 \
         WHERE {MINE}{}",
        if only_unread { " AND r.read_at IS NULL" } else { "" }
    );
    Ok(crate::store::paged(
        db,
        "SELECT n.id, n.kind, n.subject, n.body, n.created_at, r.read_at",
        &from_where,
        "n.id DESC",
        &[Arg::Int(Some(a.user_id)), Arg::Int(unit_of(a))],
        q.page.unwrap_or(1),
        30,
    )
    .await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReadInput {
    /// The notices read; every unread one of the actor's when empty.
    #[serde(default)]
    pub ids: Vec<i64>,
}

/// Marks notices read (the actor's own only; others' ids are ignored). Returns how many.
pub async fn mark_read(
    db: &Db,
    a: &Actor,
    ids: &[i64],
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<u64> {
    let at = crate::clock::stored(now);
    // ids are integers the extractor parsed, never user text
    let which = if ids.is_empty() {
        String::new()
    } else {
        format!(
            " AND n.id IN ({})",
            ids.iter()
                .take(500)
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let sql = format!(
        "INSERT INTO notice_reads (notification_id, user_id, read_at) \
         SELECT n.id, $1, $3 FROM notifications n WHERE {MINE}{which} \
         AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notification_id = n.id AND r.user_id = $1)"
    );
    let mut work = Work::begin(db).await?;
    let n = in_work!(work, |tx| sqlx::query(&sql)
        .bind(a.user_id)
        .bind(unit_of(a))
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected()))?;
    // reading is not a change of the province's work: no audit entry
    work.commit().await?;
    Ok(n)
}

/// The in-app channel's name, for the outbox page.
pub fn channel_label(channel: &str) -> &str {
    match channel {
        IN_APP => "trong ứng dụng",
        "email" => "thư điện tử",
        "webhook" => "webhook (SMS/Zalo)",
        c => c,
    }
}
