//! Steering committees and working groups: their members, roles, domains and standing agency.

use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult, Validator};
use crate::store::Db;
use crate::text::nfc;
use crate::with_db;

pub const KINDS: &[(&str, &str)] = &[
    ("steering_committee", "Ban Chỉ đạo"),
    ("working_group", "Tổ công tác"),
];

pub const ROLES: &[(&str, &str)] = &[
    ("head", "Trưởng ban / Tổ trưởng"),
    ("deputy", "Phó trưởng ban / Tổ phó"),
    ("member", "Thành viên"),
    ("secretary", "Thư ký"),
];

pub fn kind_label(k: &str) -> &'static str {
    KINDS
        .iter()
        .find(|x| x.0 == k)
        .map(|x| x.1)
        .unwrap_or("Ban")
}

pub fn role_label(k: &str) -> &'static str {
    ROLES
        .iter()
        .find(|x| x.0 == k)
        .map(|x| x.1)
        .unwrap_or("Thành viên")
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Body {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub province_code: String,
    pub standing_unit_id: Option<i64>,
    pub meeting_cadence: String,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub body_id: i64,
    pub person_name: String,
    pub position: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub role: String,
    pub domain: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BodyInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub province_code: String,
    #[serde(default)]
    pub standing_unit_id: Option<i64>,
    #[serde(default)]
    pub meeting_cadence: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MemberInput {
    pub person_name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
    pub role: String,
    #[serde(default)]
    pub domain: String,
}

const BODY_COLS: &str =
    "id, code, name, kind, province_code, standing_unit_id, meeting_cadence, description";

pub async fn list_bodies(db: &Db, province: &str) -> AppResult<Vec<Body>> {
    let sql = format!("SELECT {BODY_COLS} FROM bodies WHERE province_code = $1");
    let mut b: Vec<Body> = with_db!(db, |p| sqlx::query_as(&sql)
        .bind(province)
        .fetch_all(p)
        .await)?;
    crate::text::sort_vn(&mut b, |x| &x.name);
    Ok(b)
}

pub async fn get_body(db: &Db, id: i64) -> AppResult<Body> {
    let sql = format!("SELECT {BODY_COLS} FROM bodies WHERE id = $1");
    crate::store::by_id::<Body>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("Ban Chỉ đạo / Tổ công tác"))
}

pub async fn members(db: &Db, body_id: i64) -> AppResult<Vec<Member>> {
    let mut m: Vec<Member> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT m.id, m.body_id, m.person_name, m.position, m.unit_id, u.name AS unit_name, m.role, m.domain \
         FROM body_members m LEFT JOIN units u ON u.id = m.unit_id WHERE m.body_id = $1 ORDER BY m.id"
    )
    .bind(body_id)
    .fetch_all(p)
    .await
    })?;
    let rank = |r: &str| ROLES.iter().position(|x| x.0 == r).unwrap_or(9);
    m.sort_by_key(|x| rank(&x.role));
    Ok(m)
}

/// Checks a body's fields; `province` is the body's province, which its standing agency must
/// belong to.
async fn check_body(db: &Db, b: &BodyInput, province: &str, v: &mut Validator) -> AppResult<()> {
    v.check(
        !b.name.trim().is_empty(),
        "name",
        "Tên không được để trống.",
    );
    v.check(
        KINDS.iter().any(|k| k.0 == b.kind),
        "kind",
        "Loại không hợp lệ.",
    );
    if let Some(u) = b.standing_unit_id {
        if !crate::org::unit_in(db, u, province).await? {
            v.push("standing_unit_id", "Cơ quan thường trực phải thuộc tỉnh.");
        }
    }
    Ok(())
}

pub async fn create_body(db: &Db, actor: &Actor, b: &BodyInput) -> AppResult<i64> {
    policy::administer(actor, &b.province_code)?;
    let mut v = Validator::default();
    v.check(!b.code.trim().is_empty(), "code", "Mã không được để trống.");
    check_body(db, b, &b.province_code, &mut v).await?;
    v.finish()?;
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let r: Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO bodies (code, name, kind, province_code, standing_unit_id, meeting_cadence, description, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(b.code.trim())
        .bind(nfc(&b.name))
        .bind(&b.kind)
        .bind(&b.province_code)
        .bind(b.standing_unit_id)
        .bind(nfc(&b.meeting_cadence))
        .bind(nfc(&b.description))
        .bind(db.now_utc())
        .fetch_one(&mut *tx)
        .await;
        let id = match r {
            Ok((id,)) => id,
            Err(e) if crate::store::is_unique_violation(&e) => {
                return Err(AppError::invalid("code", "Mã đã tồn tại."))
            }
            Err(e) => return Err(e.into()),
        };
        audit.push(
            crate::audit::Entry::new(actor, "create", "body", id)
                .in_province(&b.province_code)
                .after(b),
        );
        Ok(id)
    });
    work.commit().await?;
    out
}

pub async fn add_member(db: &Db, actor: &Actor, body_id: i64, m: &MemberInput) -> AppResult<i64> {
    let body = get_body(db, body_id).await?;
    policy::administer(actor, &body.province_code)?;
    let mut v = Validator::default();
    v.check(
        !m.person_name.trim().is_empty(),
        "person_name",
        "Họ tên thành viên không được để trống.",
    );
    v.check(
        ROLES.iter().any(|r| r.0 == m.role),
        "role",
        "Vai trò không hợp lệ.",
    );
    if let Some(u) = m.unit_id {
        if !crate::org::unit_in(db, u, &body.province_code).await? {
            v.push("unit_id", "Đơn vị của thành viên phải thuộc tỉnh.");
        }
    }
    v.finish()?;
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO body_members (body_id, person_name, position, unit_id, role, domain) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(body_id)
        .bind(nfc(&m.person_name))
        .bind(nfc(&m.position))
        .bind(m.unit_id)
        .bind(&m.role)
        .bind(nfc(&m.domain))
        .fetch_one(&mut *tx)
        .await?;
        audit.push(
            crate::audit::Entry::new(actor, "add_member", "body", body_id)
                .in_province(&body.province_code)
                .after(m),
        );
        Ok(id)
    });
    work.commit().await?;
    out
}

/// Changes a body's name, kind, standing agency, cadence or description (its code stays).
pub async fn update_body(db: &Db, actor: &Actor, id: i64, b: &BodyInput) -> AppResult<()> {
    let before = get_body(db, id).await?;
    policy::administer(actor, &before.province_code)?;
    let mut v = Validator::default();
    check_body(db, b, &before.province_code, &mut v).await?;
    v.finish()?;
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE bodies SET name = $1, kind = $2, standing_unit_id = $3, meeting_cadence = $4, description = $5 WHERE id = $6")
            .bind(nfc(&b.name))
            .bind(&b.kind)
            .bind(b.standing_unit_id)
            .bind(nfc(&b.meeting_cadence))
            .bind(nfc(&b.description))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit.push(
            crate::audit::Entry::new(actor, "update", "body", id)
                .in_province(&before.province_code)
                .before(&before)
                .after(b),
        );
    });
    work.commit().await?;
    Ok(())
}

pub async fn remove_member(db: &Db, actor: &Actor, body_id: i64, member_id: i64) -> AppResult<()> {
    let body = get_body(db, body_id).await?;
    policy::administer(actor, &body.province_code)?;
    let member = members(db, body_id)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
        .ok_or(AppError::NotFound("thành viên"))?;
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        // the meetings they chaired or were invited to keep them in their history
        let (meetings,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM meetings WHERE chair_member_id = $1)                   + (SELECT COUNT(*) FROM meeting_participants WHERE member_id = $1)",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await?;
        if meetings > 0 {
            return Err(AppError::Conflict(format!(
                "{} đã chủ trì hoặc được mời dự cuộc họp của cơ quan này; thành viên được giữ lại trong lịch sử các cuộc họp nên không xóa được.",
                member.person_name
            )));
        }
        sqlx::query("DELETE FROM body_members WHERE id = $1 AND body_id = $2")
            .bind(member_id)
            .bind(body_id)
            .execute(&mut *tx)
            .await?;
        audit.push(
            crate::audit::Entry::new(actor, "remove_member", "body", body_id)
                .in_province(&body.province_code)
                .before(&member),
        );
    });
    work.commit().await?;
    Ok(())
}
