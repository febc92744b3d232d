//! Units (the tree of the province, its departments and communes), unit groups and the
//! successor links that record reorganizations. Loading the real unit lists lives here too.

use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult, Validator};
use crate::store::{Arg, Db};
use crate::text::{fold, nfc, vn_sort_key};
use crate::with_db;

pub const KINDS: &[(&str, &str)] = &[
    ("province", "UBND tỉnh"),
    ("department", "Sở, ban, ngành"),
    ("district", "UBND cấp huyện (đến 30/6/2025)"),
    ("commune", "UBND cấp xã"),
    ("other", "Đơn vị khác"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("Khác")
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub province_code: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

const UNIT_COLS: &str =
    "id, code, name, short_name, kind, parent_id, province_code, valid_from, valid_to";

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct UnitGroup {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub province_code: String,
    pub member_kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UnitFilter {
    pub province: Option<String>,
    pub kind: Option<String>,
    pub q: Option<String>,
    pub page: Option<i64>,
}

use crate::store::Page;

pub async fn list_units(db: &Db, f: &UnitFilter, per_page: i64) -> AppResult<Page<Unit>> {
    let q = crate::text::like_pattern(f.q.as_deref());
    let kind = f.kind.as_deref().filter(|s| !s.is_empty());
    let page = f.page.unwrap_or(1).max(1);
    let args = [
        Arg::Text(f.province.as_deref()),
        Arg::Text(kind),
        Arg::Text(q.as_deref()),
    ];
    Ok(crate::store::paged(
        db,
        &format!("SELECT {UNIT_COLS}"),
        "FROM units WHERE ($1 IS NULL OR province_code = $1) AND ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR name_fold LIKE $3)",
        "name_sort",
        &args,
        page,
        per_page,
    )
    .await?)
}

pub async fn get_unit(db: &Db, id: i64) -> AppResult<Unit> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id = $1");
    crate::store::by_id::<Unit>(db, &sql, id)
        .await?
        .ok_or(AppError::NotFound("đơn vị"))
}

pub async fn find_unit_by_code(db: &Db, code: &str) -> AppResult<Option<Unit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE code = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(p)
        .await)?)
}

pub async fn children(db: &Db, id: i64) -> AppResult<Vec<Unit>> {
    let sql =
        format!("SELECT {UNIT_COLS} FROM units WHERE parent_id = $1 ORDER BY kind, name_sort");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

/// All units of a province valid on a date, in Vietnamese order (for pickers).
pub async fn province_units(db: &Db, province: &str) -> AppResult<Vec<Unit>> {
    let sql =
        format!("SELECT {UNIT_COLS} FROM units WHERE province_code = $1 ORDER BY kind, name_sort");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(province)
        .fetch_all(p)
        .await)?)
}

pub async fn successors(db: &Db, id: i64) -> AppResult<Vec<(Unit, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        unit: Unit,
        share: String,
    }
    let sql = "SELECT u.id, u.code, u.name, u.short_name, u.kind, u.parent_id, u.province_code, u.valid_from, u.valid_to, s.share \
               FROM unit_successors s JOIN units u ON u.id = s.successor_id WHERE s.unit_id = $1";
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| (r.unit, r.share)).collect())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub province_code: String,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
}

fn valid_date(s: &Option<String>) -> bool {
    s.as_deref()
        .map(|d| d.is_empty() || chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .unwrap_or(true)
}

fn clean(input: &UnitInput) -> AppResult<UnitInput> {
    let mut v = Validator::default();
    let code = input.code.trim().to_string();
    v.check(
        !code.is_empty() && code.len() <= 40,
        "code",
        "Mã đơn vị không được để trống (tối đa 40 ký tự).",
    );
    v.check(
        !input.name.trim().is_empty(),
        "name",
        "Tên đơn vị không được để trống.",
    );
    v.check(
        KINDS.iter().any(|(k, _)| *k == input.kind),
        "kind",
        "Loại đơn vị không hợp lệ.",
    );
    v.check(
        !input.province_code.trim().is_empty(),
        "province_code",
        "Thiếu mã tỉnh.",
    );
    v.check(
        valid_date(&input.valid_from),
        "valid_from",
        "Ngày bắt đầu hiệu lực không hợp lệ (YYYY-MM-DD).",
    );
    v.check(
        valid_date(&input.valid_to),
        "valid_to",
        "Ngày hết hiệu lực không hợp lệ (YYYY-MM-DD).",
    );
    if let (Some(a), Some(b)) = (input.valid_from.as_deref(), input.valid_to.as_deref()) {
        v.check(
            a.is_empty() || b.is_empty() || a <= b,
            "valid_to",
            "Ngày hết hiệu lực phải sau ngày bắt đầu.",
        );
    }
    v.finish()?;
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(UnitInput {
        code,
        name: nfc(&input.name),
        short_name: opt(&input.short_name).map(|s| nfc(&s)),
        kind: input.kind.clone(),
        parent_id: input.parent_id,
        province_code: input.province_code.trim().to_string(),
        valid_from: opt(&input.valid_from),
        valid_to: opt(&input.valid_to),
    })
}

pub async fn create_unit(db: &Db, actor: &Actor, input: &UnitInput) -> AppResult<i64> {
    crate::auth::policy::administer(actor, &input.province_code)?;
    let u = clean(input)?;
    if let Some(pid) = u.parent_id {
        same_province_unit(db, pid, &u.province_code, "parent_id").await?;
    }
    let mut work = crate::work::Work::begin(db).await?;
    let r: Result<(i64,), sqlx::Error> = crate::in_work!(work, |tx| {
        sqlx::query_as(
            "INSERT INTO units (code, name, short_name, name_fold, name_sort, kind, parent_id, province_code, valid_from, valid_to, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&u.code)
        .bind(&u.name)
        .bind(&u.short_name)
        .bind(fold(&format!("{} {}", u.name, u.short_name.as_deref().unwrap_or(""))))
        .bind(vn_sort_key(&u.name))
        .bind(&u.kind)
        .bind(u.parent_id)
        .bind(&u.province_code)
        .bind(&u.valid_from)
        .bind(&u.valid_to)
        .bind(db.now_utc())
        .fetch_one(&mut *tx)
        .await
    });
    match r {
        Ok((id,)) => {
            work.audit(
                crate::audit::Entry::new(actor, "create", "unit", id)
                    .in_province(&u.province_code)
                    .after(&u),
            );
            work.commit().await?;
            Ok(id)
        }
        Err(e) if crate::store::is_unique_violation(&e) => {
            Err(AppError::invalid("code", "Mã đơn vị đã tồn tại."))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_unit(db: &Db, actor: &Actor, id: i64, input: &UnitInput) -> AppResult<()> {
    let before = get_unit(db, id).await?;
    crate::auth::policy::administer(actor, &before.province_code)?;
    let u = clean(input)?;
    if u.parent_id == Some(id) {
        return Err(AppError::invalid(
            "parent_id",
            "Đơn vị không thể là cấp trên của chính nó.",
        ));
    }
    if let Some(pid) = u.parent_id {
        same_province_unit(db, pid, &before.province_code, "parent_id").await?;
    }
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query(
            "UPDATE units SET name = $1, short_name = $2, name_fold = $3, name_sort = $4, kind = $5, parent_id = $6, \
             valid_from = $7, valid_to = $8 WHERE id = $9",
        )
        .bind(&u.name)
        .bind(&u.short_name)
        .bind(fold(&format!("{} {}", u.name, u.short_name.as_deref().unwrap_or(""))))
        .bind(vn_sort_key(&u.name))
        .bind(&u.kind)
        .bind(u.parent_id)
        .bind(&u.valid_from)
        .bind(&u.valid_to)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit.push(
            crate::audit::Entry::new(actor, "update", "unit", id)
                .in_province(&before.province_code)
                .before(&before)
                .after(&u),
        );
    });
    work.touches(&before.province_code);
    work.commit().await?;
    Ok(())
}

/// A successor of a unit (a merger of 2025), as both faces send it.
#[derive(Debug, Clone, Deserialize)]
pub struct SuccessorInput {
    pub successor_id: i64,
    /// "whole" or "part".
    #[serde(default)]
    pub share: String,
}

/// A custom unit group as both faces send it.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupInput {
    pub province_code: String,
    pub name: String,
    #[serde(default)]
    pub members: Vec<i64>,
}

/// A group renamed, and for a custom group its members (absent for a built-in group).
#[derive(Debug, Clone, Deserialize)]
pub struct GroupUpdate {
    pub name: String,
    #[serde(default)]
    pub members: Option<Vec<i64>>,
}

/// Whether a unit is of `province`: a unit a change links to must be of the province changed (a
/// secretariat administers its own province's registry and cannot tie it to another's).
pub async fn unit_in(db: &Db, unit_id: i64, province: &str) -> AppResult<bool> {
    Ok(get_unit(db, unit_id).await?.province_code == province)
}

/// `unit_in`, refused on `field` when not.
pub async fn same_province_unit(
    db: &Db,
    unit_id: i64,
    province: &str,
    field: &str,
) -> AppResult<()> {
    if !unit_in(db, unit_id, province).await? {
        return Err(AppError::invalid(field, "Đơn vị không thuộc tỉnh này."));
    }
    Ok(())
}

pub async fn add_successor(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    successor_id: i64,
    share: &str,
) -> AppResult<()> {
    let unit = get_unit(db, unit_id).await?;
    crate::auth::policy::administer(actor, &unit.province_code)?;
    same_province_unit(db, successor_id, &unit.province_code, "successor_id").await?;
    if unit_id == successor_id {
        return Err(AppError::invalid(
            "successor_id",
            "Đơn vị kế thừa phải khác đơn vị cũ.",
        ));
    }
    let share = if share == "part" { "part" } else { "whole" };
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        let r = sqlx::query(
            "INSERT INTO unit_successors (unit_id, successor_id, share) VALUES ($1, $2, $3)",
        )
        .bind(unit_id)
        .bind(successor_id)
        .bind(share)
        .execute(&mut *tx)
        .await;
        if let Err(e) = r {
            return if crate::store::is_unique_violation(&e) {
                Err(AppError::invalid(
                    "successor_id",
                    "Liên kết kế thừa này đã có.",
                ))
            } else {
                Err(e.into())
            };
        }
        audit.push(
            crate::audit::Entry::new(actor, "add_successor", "unit", unit_id)
                .in_province(&unit.province_code)
                .after(&serde_json::json!({"successor_id": successor_id, "share": share})),
        );
    });
    work.commit().await?;
    Ok(())
}

// ---- groups ----

pub async fn list_groups(db: &Db, province: Option<&str>) -> AppResult<Vec<UnitGroup>> {
    let mut g: Vec<UnitGroup> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, code, name, province_code, member_kind FROM unit_groups WHERE ($1 IS NULL OR province_code = $1)"
    )
    .bind(province)
    .fetch_all(p)
    .await
    })?;
    crate::text::sort_vn(&mut g, |x| &x.name);
    Ok(g)
}

pub async fn get_group(db: &Db, id: i64) -> AppResult<UnitGroup> {
    let g: Option<UnitGroup> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, code, name, province_code, member_kind FROM unit_groups WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    g.ok_or(AppError::NotFound("nhóm đơn vị"))
}

/// Members of a group valid on `as_of`: a built-in group takes every unit of its kind in
/// the province, so communes added later join it; a custom group lists its members.
pub async fn group_members(db: &Db, g: &UnitGroup, as_of: &str) -> AppResult<Vec<Unit>> {
    let validity =
        "(u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to >= $2)";
    let sql = if g.member_kind.is_some() {
        format!("SELECT {UNIT_COLS} FROM units u WHERE u.province_code = $1 AND {validity} AND u.kind = $3 ORDER BY u.name_sort")
    } else {
        format!(
            "SELECT u.id, u.code, u.name, u.short_name, u.kind, u.parent_id, u.province_code, u.valid_from, u.valid_to \
             FROM unit_group_members m JOIN units u ON u.id = m.unit_id \
             WHERE m.group_id = $3 AND u.province_code = $1 AND {validity} ORDER BY u.name_sort"
        )
    };
    let rows: Vec<Unit> = match &g.member_kind {
        Some(kind) => with_db!(db, |p| sqlx::query_as(&sql)
            .bind(&g.province_code)
            .bind(as_of)
            .bind(kind)
            .fetch_all(p)
            .await)?,
        None => with_db!(db, |p| sqlx::query_as(&sql)
            .bind(&g.province_code)
            .bind(as_of)
            .bind(g.id)
            .fetch_all(p)
            .await)?,
    };
    Ok(rows)
}

pub async fn create_group(
    db: &Db,
    actor: &Actor,
    province: &str,
    name: &str,
    members: &[i64],
) -> AppResult<i64> {
    crate::auth::policy::administer(actor, province)?;
    let name = nfc(name);
    let mut v = Validator::default();
    v.check(!name.is_empty(), "name", "Tên nhóm không được để trống.");
    v.check(
        !members.is_empty(),
        "members",
        "Nhóm phải có ít nhất một đơn vị.",
    );
    v.finish()?;
    for m in members {
        let u = get_unit(db, *m).await?;
        if u.province_code != province {
            return Err(AppError::invalid(
                "members",
                format!("Đơn vị {} không thuộc tỉnh này.", u.name),
            ));
        }
    }
    let code = format!("{province}.G{}", &crate::auth::random_token()[..6]);
    let mut work = crate::work::Work::begin(db).await?;
    let id = crate::in_work!(work, |tx, audit| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO unit_groups (code, name, province_code, member_kind, created_at) VALUES ($1, $2, $3, NULL, $4) RETURNING id",
        )
        .bind(&code)
        .bind(&name)
        .bind(province)
        .bind(db.now_utc())
        .fetch_one(&mut *tx)
        .await?;
        for m in members {
            sqlx::query("INSERT INTO unit_group_members (group_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        audit.push(
            crate::audit::Entry::new(actor, "create", "unit_group", id)
                .in_province(province)
                .after(&serde_json::json!({"name": name, "members": members})),
        );
        id
    });
    work.commit().await?;
    Ok(id)
}

/// Renames a group; a custom group also gets its new member list (a built-in group's
/// members are all units of its kind and cannot be listed by hand).
pub async fn update_group(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: &str,
    members: Option<&[i64]>,
) -> AppResult<()> {
    let g = get_group(db, id).await?;
    crate::auth::policy::administer(actor, &g.province_code)?;
    let name = nfc(name);
    let mut v = Validator::default();
    v.check(!name.is_empty(), "name", "Tên nhóm không được để trống.");
    if let Some(m) = members {
        v.check(
            g.member_kind.is_none(),
            "members",
            "Nhóm tự động theo loại đơn vị không sửa danh sách thành viên.",
        );
        v.check(!m.is_empty(), "members", "Nhóm phải có ít nhất một đơn vị.");
    }
    v.finish()?;
    for m in members.unwrap_or(&[]) {
        same_province_unit(db, *m, &g.province_code, "members").await?;
    }
    let before = group_members(db, &g, "9999-12-31")
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect::<Vec<_>>();
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE unit_groups SET name = $1 WHERE id = $2")
            .bind(&name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(m) = members {
            sqlx::query("DELETE FROM unit_group_members WHERE group_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for u in m {
                sqlx::query("INSERT INTO unit_group_members (group_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(u)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        audit.push(
            crate::audit::Entry::new(actor, "update", "unit_group", id)
                .in_province(&g.province_code)
                .before(&serde_json::json!({"name": g.name, "members": before}))
                .after(&serde_json::json!({"name": name, "members": members})),
        );
    });
    work.commit().await?;
    Ok(())
}

// ---- loading the real unit lists ----

/// The national list of provinces and communes after 01/7/2025, shipped in the binary so
/// that nothing depends on files beside it at run time.
pub const ADMIN_UNITS_2025: &str = include_str!("../data/admin-units-2025.csv");

/// Departments of a province after the 2025 restructuring: (code suffix, name, short name).
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("VPUBND", "Văn phòng UBND tỉnh", "VP UBND"),
    ("SNV", "Sở Nội vụ", "SNV"),
    ("STP", "Sở Tư pháp", "STP"),
    ("STC", "Sở Tài chính", "STC"),
    ("SCT", "Sở Công Thương", "SCT"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "SNN&MT"),
    ("SXD", "Sở Xây dựng", "SXD"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "SGD&ĐT"),
    ("SYT", "Sở Y tế", "SYT"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "SVHTT&DL"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "SDT&TG"),
    ("TTT", "Thanh tra tỉnh", "TTr"),
    ("CAT", "Công an tỉnh", "CA"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", "BQL KCN"),
];

#[derive(Debug, Deserialize)]
struct CsvRow {
    province_code: String,
    province_name: String,
    commune_code: String,
    commune_name: String,
    #[allow(dead_code)]
    commune_type: String,
}

pub struct LoadReport {
    pub provinces: usize,
    pub units_created: usize,
}

/// Loads one province (or all when `only` is None): the province unit, its departments,
/// its communes and the two built-in groups. Idempotent: existing codes are kept.
pub async fn load_provinces(db: &Db, only: Option<&str>, progress: bool) -> AppResult<LoadReport> {
    let mut rdr = csv::Reader::from_reader(ADMIN_UNITS_2025.as_bytes());
    // (province code, province name, [(commune code, commune name)])
    type Province = (String, String, Vec<(String, String)>);
    let mut by_province: Vec<Province> = Vec::new();
    for row in rdr.deserialize::<CsvRow>() {
        let r = row.map_err(|e| AppError::Internal(e.into()))?;
        if only.is_some_and(|p| p != r.province_code) {
            continue;
        }
        match by_province.last_mut() {
            Some((code, _, communes)) if *code == r.province_code => {
                communes.push((r.commune_code, r.commune_name))
            }
            _ => by_province.push((
                r.province_code,
                r.province_name,
                vec![(r.commune_code, r.commune_name)],
            )),
        }
    }
    if by_province.is_empty() {
        return Err(AppError::invalid(
            "province",
            "Không có tỉnh nào với mã này trong danh mục 2025.",
        ));
    }
    let mut created = 0;
    let now = db.now_utc();
    let total = by_province.len();
    for (i, (pcode, pname, communes)) in by_province.iter().enumerate() {
        let mut work = crate::work::Work::begin(db).await?;
        crate::in_work!(work, |tx, audit| {
            let insert = "INSERT INTO units (code, name, short_name, name_fold, name_sort, kind, parent_id, province_code, valid_from, valid_to, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10) ON CONFLICT (code) DO NOTHING";
            let ubnd = format!("UBND {pname}");
            let r = sqlx::query(insert)
                .bind(pcode)
                .bind(&ubnd)
                .bind(Some("UBND tỉnh"))
                .bind(fold(&format!("{ubnd} {pname}")))
                .bind(vn_sort_key(&ubnd))
                .bind("province")
                .bind(None::<i64>)
                .bind(pcode)
                .bind(Some("2025-07-01"))
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            created += r.rows_affected() as usize;
            let (pid,): (i64,) = sqlx::query_as("SELECT id FROM units WHERE code = $1")
                .bind(pcode)
                .fetch_one(&mut *tx)
                .await?;
            for (suffix, name, short) in DEPARTMENTS {
                let r = sqlx::query(insert)
                    .bind(format!("{pcode}.{suffix}"))
                    .bind(*name)
                    .bind(Some(*short))
                    .bind(fold(&format!("{name} {short}")))
                    .bind(vn_sort_key(name))
                    .bind("department")
                    .bind(Some(pid))
                    .bind(pcode)
                    .bind(None::<&str>)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                created += r.rows_affected() as usize;
            }
            for (code, name) in communes {
                let r = sqlx::query(insert)
                    .bind(code)
                    .bind(name)
                    .bind(None::<&str>)
                    .bind(fold(name))
                    .bind(vn_sort_key(name))
                    .bind("commune")
                    .bind(Some(pid))
                    .bind(pcode)
                    .bind(Some("2025-07-01"))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                created += r.rows_affected() as usize;
            }
            for (suffix, name, kind) in [
                ("SBN", "Các sở, ban, ngành", "department"),
                ("XA", "UBND cấp xã", "commune"),
            ] {
                sqlx::query(
                    "INSERT INTO unit_groups (code, name, province_code, member_kind, created_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (code) DO NOTHING",
                )
                .bind(format!("{pcode}.{suffix}"))
                .bind(name)
                .bind(pcode)
                .bind(kind)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            }
            audit.push(
                crate::audit::Entry::system("load_units", "province", Some(pid))
                    .after(&serde_json::json!({"province": pcode, "communes": communes.len()})),
            );
        });
        work.commit().await?;
        if progress {
            eprintln!(
                "[{}/{}] {} ({} xã/phường)",
                i + 1,
                total,
                pname,
                communes.len()
            );
        }
    }
    Ok(LoadReport {
        provinces: total,
        units_created: created,
    })
}

pub async fn province_name(db: &Db, code: &str) -> AppResult<String> {
    Ok(find_unit_by_code(db, code)
        .await?
        .map(|u| u.name)
        .unwrap_or_else(|| format!("Tỉnh {code}")))
}

pub async fn provinces(db: &Db) -> AppResult<Vec<Unit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM units WHERE kind = 'province' ORDER BY name_sort");
    Ok(with_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
}

/// The secret part of a unit's calendar feed URL, if one was created.
pub async fn calendar_token(db: &Db, unit_id: i64) -> AppResult<Option<String>> {
    let row: Option<(Option<String>,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT calendar_token FROM units WHERE id = $1"
    )
    .bind(unit_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|r| r.0))
}

/// Creates a new calendar URL secret for a unit (the old URL stops working). Whoever may
/// read the unit's work may do it: the feed shows nothing more.
pub async fn renew_calendar_token(db: &Db, actor: &Actor, unit_id: i64) -> AppResult<String> {
    let unit = get_unit(db, unit_id).await?;
    // the unit's own officers, or the secretariat: a renewal breaks the calendars that use it
    let scope = crate::auth::policy::Scope {
        province_code: &unit.province_code,
        unit_id: Some(unit.id),
    };
    crate::auth::policy::work_on(actor, &scope)
        .or_else(|_| crate::auth::policy::direct(actor, &unit.province_code))?;
    let token = crate::auth::random_token();
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        sqlx::query("UPDATE units SET calendar_token = $1 WHERE id = $2")
            .bind(&token)
            .bind(unit_id)
            .execute(&mut *tx)
            .await?;
        audit.push(crate::audit::Entry::new(
            actor,
            "renew_calendar",
            "unit",
            unit_id,
        ));
        Ok::<(), AppError>(())
    });
    work.commit().await?;
    out?;
    Ok(token)
}

/// The unit whose calendar URL carries this secret: (id, name).
pub async fn unit_by_calendar_token(db: &Db, token: &str) -> AppResult<Option<(i64, String)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, name FROM units WHERE calendar_token = $1"
    )
    .bind(token)
    .fetch_optional(p)
    .await)?)
}

/// The province an actor works in; an administrator picks one (default: the first loaded).
pub async fn province_for(db: &Db, actor: &Actor, requested: Option<&str>) -> AppResult<String> {
    let requested = requested.filter(|s| !s.is_empty());
    let code = match (requested, &actor.province_code) {
        (Some(r), _) if policy::sees_country(actor) => r.to_string(),
        (_, Some(p)) => p.clone(),
        (Some(r), None) => r.to_string(),
        (None, None) => provinces(db)
            .await?
            .first()
            .map(|p| p.code.clone())
            .unwrap_or_default(),
    };
    policy::read_province(actor, &code)?;
    Ok(code)
}
