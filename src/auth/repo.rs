//! Storage of accounts, sessions and API tokens.

use super::{hash_token, policy, random_token, Actor, Role, SESSION_HOURS};
use crate::error::{AppError, AppResult};
use crate::store::{machine_now_utc, Arg, Db};
use crate::with_db;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub province_code: Option<String>,
    pub body_id: Option<i64>,
    pub active: bool,
}

impl User {
    /// The role and province of the account, as the policy reads them.
    pub fn scope(&self) -> super::policy::AccountScope {
        super::policy::AccountScope {
            role: Role::parse(&self.role).unwrap_or(Role::Leader),
            province: self.province_code.clone(),
        }
    }
}

macro_rules! user_cols {
    () => {
        "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, un.name AS unit_name, \
         un.province_code, u.body_id, u.active"
    };
}
macro_rules! user_from {
    () => {
        "FROM users u LEFT JOIN units un ON un.id = u.unit_id"
    };
}
const USER_COLS: &str = user_cols!();
const USER_FROM: &str = user_from!();
const USER_SELECT: &str = concat!(user_cols!(), " ", user_from!());

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
            unread_notices: 0,
        })
    }
}

/// A session not used for this long ends (its cookie lives `SESSION_HOURS` at most anyway).
pub const SESSION_IDLE_MINUTES: i64 = 120;
/// How stale the recorded last use may get before it is written again (a write per page view
/// would serialise every reader on SQLite).
const SEEN_EVERY_MINUTES: i64 = 5;

pub async fn actor_for_session(db: &Db, token: &str) -> AppResult<Option<Actor>> {
    #[derive(sqlx::FromRow)]
    struct SessionRow {
        #[sqlx(flatten)]
        actor: ActorRow,
        seen_at: String,
    }
    let now = chrono::Utc::now();
    let at = |minutes: i64| crate::clock::stored(now - chrono::Duration::minutes(minutes));
    let sql = format!(
        "{ACTOR_SELECT} s.csrf_token, COALESCE(s.seen_at, s.created_at) AS seen_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN units un ON un.id = u.unit_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE \
         AND COALESCE(s.seen_at, s.created_at) > $3"
    );
    let hash = hash_token(token);
    let row: Option<SessionRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(&hash)
        .bind(crate::clock::stored(now))
        .bind(at(SESSION_IDLE_MINUTES))
        .fetch_optional(p)
        .await)?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.seen_at < at(SEEN_EVERY_MINUTES) {
        let mut work = crate::work::Work::begin(db).await?;
        crate::in_work!(work, |tx| sqlx::query(
            "UPDATE sessions SET seen_at = $1 WHERE token_hash = $2"
        )
        .bind(crate::clock::stored(now))
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .map(|_| ()))?;
        work.commit().await?;
    }
    Ok(row.actor.into_actor(true))
}

pub async fn actor_for_api_token(db: &Db, token: &str) -> AppResult<Option<Actor>> {
    let sql = format!(
        "{ACTOR_SELECT} '' AS csrf_token FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN units un ON un.id = u.unit_id WHERE t.token_hash = $1 AND u.active = TRUE \
         AND (t.expires_at IS NULL OR t.expires_at > $2)"
    );
    let row: Option<ActorRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(hash_token(token))
        .bind(machine_now_utc())
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(|r| r.into_actor(false)))
}

/// The actor of an active account, for work done on its behalf outside a request (the demo
/// seed, benchmarks).
pub async fn actor_by_username(db: &Db, username: &str) -> AppResult<Option<Actor>> {
    let sql = format!(
        "{ACTOR_SELECT} '' AS csrf_token FROM users u \
         LEFT JOIN units un ON un.id = u.unit_id WHERE u.username = $1 AND u.active = TRUE"
    );
    let row: Option<ActorRow> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(username)
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
    // Expired sessions are swept here, where sessions are made, rather than by a timer.
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(machine_now_utc())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(&csrf)
        .bind(machine_now_utc())
        .bind(&expires)
        .execute(&mut *tx)
        .await?;
    });
    work.commit().await?;
    Ok(Some((token, csrf)))
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7Jh0dXN0IGEgZHVtbXkgaGFzaCB2YWx1ZSEhISE";

pub async fn logout(db: &Db, token: &str) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| sqlx::query(
        "DELETE FROM sessions WHERE token_hash = $1"
    )
    .bind(hash_token(token))
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    work.commit().await
}

/// A new account as both faces send it; contact details are optional.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AccountInput {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub role: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A password set by the administrator, as both faces send it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PasswordInput {
    pub password: String,
}

/// Creates an account by an administrator from `AccountInput`, with its contact details when
/// given. Returns the new account's id.
pub async fn create_account_from(db: &Db, actor: &Actor, u: &AccountInput) -> AppResult<i64> {
    let role =
        Role::parse(&u.role).ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    let id = create_account(
        db,
        actor,
        NewUser {
            username: &u.username,
            password: &u.password,
            full_name: &u.full_name,
            role,
            unit_id: u.unit_id,
            body_id: None,
        },
    )
    .await?;
    if !u.email.trim().is_empty() || !u.phone.trim().is_empty() {
        set_contact(db, actor, id, &u.email, &u.phone).await?;
    }
    Ok(id)
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub body_id: Option<i64>,
}

/// Creates an account. `by` is the administrator doing it, or None from the command line.
pub async fn create_user(db: &Db, by: Option<&Actor>, u: NewUser<'_>) -> AppResult<i64> {
    let mut v = crate::error::Validator::default();
    v.check(
        !u.username.trim().is_empty()
            && u.username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
        "username",
        "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ -",
    );
    if let Some(why) = super::weak_password(u.username, u.password) {
        v.push("password", why);
    }
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
    let full_name = crate::text::nfc(u.full_name);
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let res: Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO users (username, password_hash, full_name, role, unit_id, body_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) RETURNING id",
        )
        .bind(u.username.trim())
        .bind(hash)
        .bind(&full_name)
        .bind(u.role.as_str())
        .bind(u.unit_id)
        .bind(u.body_id)
        .bind(machine_now_utc())
        .fetch_one(&mut *tx)
        .await;
        let id = match res {
            Ok((id,)) => id,
            Err(e) if crate::store::is_unique_violation(&e) => {
                return Err(AppError::invalid("username", "Tên đăng nhập đã tồn tại."))
            }
            Err(e) => return Err(e.into()),
        };
        let entry = match by {
            Some(a) => crate::audit::Entry::new(a, "create", "user", id),
            None => crate::audit::Entry::system("create", "user", Some(id)),
        };
        let after = serde_json::json!({"username": u.username.trim(), "full_name": full_name, "role": u.role.as_str(), "unit_id": u.unit_id});
        audit.push(entry.after(&after));
        Ok(id)
    });
    work.commit().await?;
    out
}

pub async fn get_user(db: &Db, id: i64) -> AppResult<User> {
    let sql = format!("{USER_SELECT} WHERE u.id = $1");
    crate::store::by_id::<User>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("tài khoản"))
}

/// What ends an account's sessions and API tokens (a lock, a new password, a new role or unit).
const END_SESSIONS: [&str; 2] = [
    "DELETE FROM sessions WHERE user_id = $1",
    "DELETE FROM api_tokens WHERE user_id = $1",
];

/// Locks or unlocks an account; a locked account's sessions end at once.
pub async fn set_active(db: &Db, actor: &Actor, id: i64, active: bool) -> AppResult<()> {
    let user = get_user(db, id).await?;
    super::policy::manage_account(actor, &user.scope())?;
    if user.id == actor.user_id && !active {
        return Err(AppError::invalid(
            "active",
            "Không thể tự khóa tài khoản của mình.",
        ));
    }
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            for q in END_SESSIONS {
                sqlx::query(q).bind(id).execute(&mut *tx).await?;
            }
        }
        audit.push(
            crate::audit::Entry::new(actor, if active { "unlock" } else { "lock" }, "user", id)
                .of_account(user.province_code.as_deref())
                .before(&serde_json::json!({"active": user.active}))
                .after(&serde_json::json!({"active": active})),
        );
    });
    work.commit().await?;
    Ok(())
}

/// An account manager sets a new password for another account; its sessions and API tokens
/// end. One's own password is changed with the current one (`change_own_password`).
pub async fn reset_password(db: &Db, actor: &Actor, id: i64, password: &str) -> AppResult<()> {
    let user = get_user(db, id).await?;
    if user.id == actor.user_id {
        return Err(AppError::invalid(
            "current",
            "Đổi mật khẩu của chính mình ở trang Tài khoản, với mật khẩu hiện tại.",
        ));
    }
    super::policy::manage_account(actor, &user.scope())?;
    set_password(db, actor, &user, password).await
}

async fn set_password(db: &Db, actor: &Actor, user: &User, password: &str) -> AppResult<()> {
    let id = user.id;
    if let Some(why) = super::weak_password(&user.username, password) {
        return Err(AppError::invalid("password", why));
    }
    let hash = super::hash_password(password.to_string()).await?;
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for q in END_SESSIONS {
            sqlx::query(q).bind(id).execute(&mut *tx).await?;
        }
        audit.push(
            crate::audit::Entry::new(actor, "reset_password", "user", id)
                .of_account(user.province_code.as_deref()),
        );
    });
    work.commit().await?;
    Ok(())
}

pub async fn find_user(db: &Db, username: &str) -> AppResult<Option<User>> {
    let sql = format!("{USER_SELECT} WHERE u.username = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(username)
        .fetch_optional(p)
        .await)?)
}

/// Accounts of a province (all when None), in username order, with pagination.
pub async fn list_users(
    db: &Db,
    province: Option<&str>,
    q: Option<&str>,
    page: i64,
) -> AppResult<crate::store::Page<User>> {
    let per_page = 50;
    let page = page.max(1);
    let q = q
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.to_lowercase()));
    let from_where = format!(
        "{} WHERE ($1 IS NULL OR un.province_code = $1) AND ($2 IS NULL OR LOWER(u.username) LIKE $2 OR LOWER(u.full_name) LIKE $2)",
        USER_FROM
    );
    let args = [Arg::Text(province), Arg::Text(q.as_deref())];
    Ok(crate::store::paged(
        db,
        USER_COLS,
        &from_where,
        "u.username",
        &args,
        page,
        per_page,
    )
    .await?)
}

/// Creates an account on behalf of an administrator or the province's secretariat.
pub async fn create_account(db: &Db, actor: &Actor, u: NewUser<'_>) -> AppResult<i64> {
    let province = match u.unit_id {
        Some(id) => Some(
            crate::org::get_unit(db, id)
                .await
                .map_err(|_| AppError::invalid("unit_id", "Đơn vị không tồn tại."))?
                .province_code,
        ),
        None => None,
    };
    super::policy::manage_account(
        actor,
        &super::policy::AccountScope {
            role: u.role,
            province,
        },
    )?;
    create_user(db, Some(actor), u).await
}

/// A user changes their own password, proving they know the current one.
pub async fn change_own_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let (hash,): (String,) = with_db!(db, |p| sqlx::query_as(
        "SELECT password_hash FROM users WHERE id = $1"
    )
    .bind(actor.user_id)
    .fetch_one(p)
    .await)?;
    if !super::verify_password(current.to_string(), hash).await {
        return Err(AppError::invalid(
            "current",
            "Mật khẩu hiện tại không đúng.",
        ));
    }
    let me = get_user(db, actor.user_id).await?;
    set_password(db, actor, &me, new).await
}

/// Days an API token lasts unless told otherwise.
pub const TOKEN_DAYS: i64 = 365;

/// Creates an API token for scripts, valid `TOKEN_DAYS`. The clear token is returned once and
/// never stored.
pub async fn create_api_token(db: &Db, username: &str, name: &str) -> AppResult<String> {
    create_api_token_for(db, username, name, TOKEN_DAYS).await
}

/// Ends API tokens of an account: all of them, or the ones of one name. Returns how many.
pub async fn revoke_api_tokens(db: &Db, username: &str, name: Option<&str>) -> AppResult<u64> {
    let user = find_user(db, username)
        .await?
        .ok_or(AppError::NotFound("tài khoản"))?;
    let mut work = crate::work::Work::begin(db).await?;
    let n = crate::in_work!(work, |tx| sqlx::query(
        "DELETE FROM api_tokens WHERE user_id = $1 AND ($2 IS NULL OR name = $2)"
    )
    .bind(user.id)
    .bind(name)
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected()))?;
    work.audit(crate::audit::Entry::system(
        "revoke_tokens",
        "user",
        Some(user.id),
    ));
    work.commit().await?;
    Ok(n)
}

/// An API token valid `days`.
pub async fn create_api_token_for(
    db: &Db,
    username: &str,
    name: &str,
    days: i64,
) -> AppResult<String> {
    if !(1..=3650).contains(&days) {
        return Err(AppError::invalid(
            "days",
            "Thời hạn của mã từ 1 đến 3650 ngày.",
        ));
    }
    let user = find_user(db, username)
        .await?
        .ok_or(AppError::NotFound("tài khoản"))?;
    let token = format!("stc_{}", random_token());
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(user.id)
    .bind(name)
    .bind(hash_token(&token))
    .bind(machine_now_utc())
    .bind(crate::clock::stored(chrono::Utc::now() + chrono::Duration::days(days)))
    .execute(&mut *tx)
    .await
    .map(|_| ())
    })?;
    work.commit().await?;
    Ok(token)
}

/// Where reminders reach a person: an e-mail address and a phone number (for the SMS/Zalo
/// gateway). A user sets their own; account managers set those of accounts they manage.
pub async fn set_contact(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    email: &str,
    phone: &str,
) -> AppResult<()> {
    if actor.user_id != user_id {
        let u = get_user(db, user_id).await?;
        let province = match u.unit_id {
            Some(id) => Some(crate::org::get_unit(db, id).await?.province_code),
            None => None,
        };
        super::policy::manage_account(
            actor,
            &super::policy::AccountScope {
                role: Role::parse(&u.role).unwrap_or(Role::Officer),
                province,
            },
        )?;
    }
    let (email, phone) = (email.trim(), phone.trim());
    let mut v = crate::error::Validator::default();
    v.check(
        email.is_empty() || email.parse::<lettre::Address>().is_ok(),
        "email",
        "Địa chỉ thư điện tử không hợp lệ.",
    );
    v.check(
        phone.is_empty()
            || (phone
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || c == ' ')
                && phone.chars().filter(char::is_ascii_digit).count() >= 9),
        "phone",
        "Số điện thoại không hợp lệ.",
    );
    v.finish()?;
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE users SET email = $1, phone = $2 WHERE id = $3")
            .bind(email)
            .bind(phone)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit.push(
            crate::audit::Entry::new(actor, "update", "user_contact", user_id)
                .after(&serde_json::json!({ "email": email, "phone": phone })),
        );
        Ok::<(), AppError>(())
    });
    work.commit().await?;
    out
}

/// Whose accounts an actor lists: an administrator every account unless a province is asked
/// for; the secretariat its province's; nobody else.
pub async fn accounts_scope(
    db: &Db,
    actor: &Actor,
    requested: Option<&str>,
) -> AppResult<Option<String>> {
    policy::read_accounts(actor)?;
    if policy::sees_country(actor) {
        return Ok(requested.filter(|p| !p.is_empty()).map(str::to_string));
    }
    Ok(Some(crate::org::province_for(db, actor, None).await?))
}

/// Sets an account's role and unit (the checks are `bulk::change_account`'s); its sessions
/// and tokens end, so the new scope holds from the next request.
pub(crate) async fn set_role_and_unit(
    db: &Db,
    actor: &Actor,
    user: &User,
    role: Role,
    unit_id: Option<i64>,
) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE users SET role = $1, unit_id = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(unit_id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        for q in END_SESSIONS {
            sqlx::query(q).bind(user.id).execute(&mut *tx).await?;
        }
        audit.push(
            crate::audit::Entry::new(actor, "change_role", "user", user.id)
                .of_account(user.province_code.as_deref())
                .before(&serde_json::json!({"role": user.role, "unit_id": user.unit_id}))
                .after(&serde_json::json!({"role": role.as_str(), "unit_id": unit_id})),
        );
    });
    work.commit().await?;
    Ok(())
}
