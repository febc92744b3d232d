//! Storage of accounts, sessions and API tokens.

use super::{hash_token, random_token, Actor, Role, SESSION_HOURS};
use crate::error::{AppError, AppResult};
use crate::store::{now_utc, Db};
use crate::with_db;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub body_id: Option<i64>,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct ActorRow {
    id: i64,
    username: String,
    full_name: String,
    role: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    body_id: Option<i64>,
    province_code: Option<String>,
    csrf_token: String,
}

const ACTOR_SELECT: &str =
    "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, un.name AS unit_name, \
     u.body_id, un.province_code, ";

impl ActorRow {
    fn into_actor(self, via_session: bool) -> Option<Actor> {
        Some(Actor {
            user_id: self.id,
            username: self.username,
            full_name: self.full_name,
            role: Role::parse(&self.role)?,
            unit_id: self.unit_id,
            unit_name: self.unit_name,
            body_id: self.body_id,
            province_code: self.province_code,
            csrf: self.csrf_token,
            via_session,
        })
    }
}

pub async fn actor_for_session(db: &Db, token: &str) -> AppResult<Option<Actor>> {
    let sql = format!(
        "{ACTOR_SELECT} s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN units un ON un.id = u.unit_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE"
    );
    let row: Option<ActorRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(hash_token(token))
        .bind(now_utc())
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(|r| r.into_actor(true)))
}

pub async fn actor_for_api_token(db: &Db, token: &str) -> AppResult<Option<Actor>> {
    let sql = format!(
        "{ACTOR_SELECT} '' AS csrf_token FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN units un ON un.id = u.unit_id WHERE t.token_hash = $1 AND u.active = TRUE"
    );
    let row: Option<ActorRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(hash_token(token))
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(|r| r.into_actor(false)))
}

/// Checks a password and opens a session. Returns (session token, csrf token).
pub async fn login(db: &Db, username: &str, password: &str) -> AppResult<Option<(String, String)>> {
    let row: Option<(i64, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE username = $1 AND active = TRUE"
    )
    .bind(username.trim())
    .fetch_optional(p)
    .await)?;
    let Some((user_id, hash)) = row else {
        // Spend the same time as a real check so usernames cannot be probed by timing.
        let _ = super::verify_password(password.to_string(), DUMMY_HASH.to_string()).await;
        return Ok(None);
    };
    if !super::verify_password(password.to_string(), hash).await {
        return Ok(None);
    }
    let token = random_token();
    let csrf = random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let _w = db.write_lock().await;
    with_db!(db, |p| {
        sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(&csrf)
    .bind(now_utc())
    .bind(expires)
    .execute(p)
    .await
    .map(|_| ())
    })?;
    Ok(Some((token, csrf)))
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7Jh0dXN0IGEgZHVtbXkgaGFzaCB2YWx1ZSEhISE";

pub async fn logout(db: &Db, token: &str) -> AppResult<()> {
    let _w = db.write_lock().await;
    with_db!(db, |p| sqlx::query(
        "DELETE FROM sessions WHERE token_hash = $1"
    )
    .bind(hash_token(token))
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub body_id: Option<i64>,
}

pub async fn create_user(db: &Db, u: NewUser<'_>) -> AppResult<i64> {
    let mut v = crate::error::Validator::default();
    v.check(
        !u.username.trim().is_empty()
            && u.username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
        "username",
        "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ -",
    );
    v.check(
        u.password.chars().count() >= 8,
        "password",
        "Mật khẩu phải có ít nhất 8 ký tự.",
    );
    v.check(
        !u.full_name.trim().is_empty(),
        "full_name",
        "Họ tên không được để trống.",
    );
    v.check(
        u.role == Role::Admin || u.unit_id.is_some(),
        "unit_id",
        "Tài khoản phải thuộc một đơn vị.",
    );
    v.finish()?;
    let hash = super::hash_password(u.password.to_string()).await?;
    let _w = db.write_lock().await;
    let res: Result<(i64,), sqlx::Error> = with_db!(db, |p| {
        sqlx::query_as(
        "INSERT INTO users (username, password_hash, full_name, role, unit_id, body_id, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) RETURNING id"
    )
    .bind(u.username.trim())
    .bind(hash)
    .bind(crate::text::nfc(u.full_name))
    .bind(u.role.as_str())
    .bind(u.unit_id)
    .bind(u.body_id)
    .bind(now_utc())
    .fetch_one(p)
    .await
    });
    match res {
        Ok((id,)) => Ok(id),
        Err(e) if crate::store::is_unique_violation(&e) => {
            Err(AppError::invalid("username", "Tên đăng nhập đã tồn tại."))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn find_user(db: &Db, username: &str) -> AppResult<Option<User>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, username, full_name, role, unit_id, body_id, active FROM users WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(p)
    .await
    })?)
}

pub async fn list_users(db: &Db, province: Option<&str>) -> AppResult<Vec<User>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, u.body_id, u.active FROM users u \
         LEFT JOIN units un ON un.id = u.unit_id WHERE ($1 IS NULL OR un.province_code = $1) ORDER BY u.username"
    )
    .bind(province)
    .fetch_all(p)
    .await
    })?)
}

/// Creates an API token for scripts. The clear token is returned once and never stored.
pub async fn create_api_token(db: &Db, username: &str, name: &str) -> AppResult<String> {
    let user = find_user(db, username)
        .await?
        .ok_or(AppError::NotFound("tài khoản"))?;
    let token = format!("stc_{}", random_token());
    let _w = db.write_lock().await;
    with_db!(db, |p| sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user.id)
    .bind(name)
    .bind(hash_token(&token))
    .bind(now_utc())
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(token)
}
