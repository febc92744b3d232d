//! Accounts in bulk and changes of role or unit. A province needs an officer for each of its
//! hundred-odd units: the secretariat pastes or uploads a CSV (unit code, full name, username,
//! e-mail, phone), every line is checked first — a bad line refuses the whole file, each problem
//! with its line number, nothing written — then each account is created with a first password
//! of its own, listed once for printing.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{repo, Actor, Role};
use crate::error::{AppError, AppResult, Validator};
use crate::store::Db;

/// Lines a file may have.
pub const MAX_LINES: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BulkInput {
    /// The CSV text: `unit_code,full_name,username,email,phone` (a header line is skipped;
    /// username, e-mail and phone may be empty — the username is then made from the unit code).
    #[serde(default)]
    pub csv: String,
    /// officer (default) or leader.
    #[serde(default)]
    pub role: String,
}

/// An account created, with its first password (shown once).
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub password: String,
}

/// A first password: 12 characters with none that read alike (0/O, 1/l/I).
pub fn first_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut r = rand::thread_rng();
    loop {
        let p: String = (0..12)
            .map(|_| ALPHABET[r.gen_range(0..ALPHABET.len())] as char)
            .collect();
        if super::weak_password("", &p).is_none() {
            return p;
        }
    }
}

/// A username from a unit code: "75.STP" → "canbo.75.stp".
fn username_for(code: &str) -> String {
    let c: String = code
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("canbo.{c}")
}

/// An address with a name, an @ and a domain with a dot, without spaces (what a mail server
/// will try; the rest it answers itself).
fn plausible_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty() && domain.contains('.') && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}

struct Line {
    n: usize,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    full_name: String,
    username: String,
    email: String,
    phone: String,
}

/// Creates the accounts of a CSV for the units of `province`, or refuses it whole.
pub async fn create_accounts(
    db: &Db,
    actor: &Actor,
    province: &str,
    input: &BulkInput,
) -> AppResult<Vec<Created>> {
    let role = match input.role.trim() {
        "" | "officer" => Role::Officer,
        "leader" => Role::Leader,
        _ => {
            return Err(AppError::invalid(
                "role",
                "Tạo hàng loạt tài khoản cán bộ đơn vị hoặc lãnh đạo.",
            ))
        }
    };
    super::policy::manage_account(
        actor,
        &super::policy::AccountScope {
            role,
            province: Some(province.to_string()),
        },
    )?;
    let units: HashMap<String, crate::org::Unit> = crate::org::province_units(db, province)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();
    let mut v = Validator::default();
    let mut lines: Vec<Line> = Vec::new();
    let mut seen = HashSet::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input.csv.as_bytes());
    for (i, rec) in reader.records().enumerate() {
        let n = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(_) => {
                v.push(
                    "csv",
                    format!("Dòng {n}: không đọc được (dấu ngoặc kép chưa đóng?)."),
                );
                continue;
            }
        };
        let cell = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
        let code = cell(0);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let folded = crate::text::fold(&code);
        if n == 1
            && (folded.contains("ma") || folded.contains("unit"))
            && !units.contains_key(&code)
        {
            continue; // the header line
        }
        if lines.len() >= MAX_LINES {
            v.push("csv", format!("Tối đa {MAX_LINES} tài khoản mỗi lần."));
            break;
        }
        if rec.len() > 5 {
            v.push("csv", format!("Dòng {n}: có {} cột, cần tối đa 5 (mã đơn vị, họ tên, tên đăng nhập, thư điện tử, điện thoại).", rec.len()));
            continue;
        }
        let Some(unit) = units
            .get(&code)
            .filter(|u| u.kind != "province" || role == Role::Leader)
        else {
            v.push(
                "csv",
                format!("Dòng {n}: mã đơn vị «{code}» không có trong danh mục của tỉnh."),
            );
            continue;
        };
        let full_name = cell(1);
        if full_name.is_empty() {
            v.push("csv", format!("Dòng {n}: thiếu họ tên."));
        }
        let username = match cell(2) {
            u if u.is_empty() => username_for(&code),
            u => u,
        };
        if !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            v.push(
                "csv",
                format!("Dòng {n}: tên đăng nhập «{username}» chỉ gồm chữ không dấu, số và . _ -"),
            );
        }
        if !seen.insert(username.to_lowercase()) {
            v.push(
                "csv",
                format!("Dòng {n}: tên đăng nhập «{username}» trùng với một dòng trước."),
            );
        }
        let email = cell(3);
        if !email.is_empty() && !plausible_email(&email) {
            v.push(
                "csv",
                format!("Dòng {n}: thư điện tử «{email}» không hợp lệ."),
            );
        }
        lines.push(Line {
            n,
            unit_id: unit.id,
            unit_code: code.clone(),
            unit_name: unit.name.clone(),
            full_name,
            username,
            email,
            phone: cell(4),
        });
    }
    if lines.is_empty() && v.is_empty() {
        v.push("csv", "Dán hoặc tải lên danh sách: mỗi dòng một tài khoản (mã đơn vị, họ tên, tên đăng nhập, thư điện tử, điện thoại).");
    }
    for l in &lines {
        if repo::find_user(db, &l.username).await?.is_some() {
            v.push(
                "csv",
                format!("Dòng {}: tên đăng nhập «{}» đã có.", l.n, l.username),
            );
        }
    }
    v.finish()?;
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let password = first_password();
        let id = repo::create_account(
            db,
            actor,
            repo::NewUser {
                username: &l.username,
                password: &password,
                full_name: &l.full_name,
                role,
                unit_id: Some(l.unit_id),
                body_id: None,
            },
        )
        .await
        .map_err(|e| match e {
            // another creation took the name between the check and now
            AppError::Invalid(_) => AppError::Conflict(format!(
                "Dòng {}: không tạo được tài khoản «{}»; {} tài khoản trước đó đã được tạo.",
                l.n,
                l.username,
                out.len()
            )),
            e => e,
        })?;
        if !l.email.is_empty() || !l.phone.is_empty() {
            repo::set_contact(db, actor, id, &l.email, &l.phone).await?;
        }
        out.push(Created {
            id,
            username: l.username,
            full_name: l.full_name,
            unit_code: l.unit_code,
            unit_name: l.unit_name,
            password,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangeInput {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// Changes an account's role and unit (audited). The manager must be allowed both the account
/// as it is and as it becomes; one's own account is not changed this way.
pub async fn change_account(db: &Db, actor: &Actor, id: i64, c: &ChangeInput) -> AppResult<()> {
    let user = repo::get_user(db, id).await?;
    super::policy::manage_account(actor, &user.scope())?;
    if user.id == actor.user_id {
        return Err(AppError::invalid(
            "role",
            "Không tự đổi vai trò, đơn vị của chính mình.",
        ));
    }
    let role = Role::parse(c.role.trim())
        .ok_or_else(|| AppError::invalid("role", "Vai trò không hợp lệ."))?;
    let unit = match c.unit_id {
        Some(u) => Some(
            crate::org::get_unit(db, u)
                .await
                .map_err(|_| AppError::invalid("unit_id", "Đơn vị không tồn tại."))?,
        ),
        None if role == Role::Admin => None,
        None => {
            return Err(AppError::invalid(
                "unit_id",
                "Tài khoản phải thuộc một đơn vị.",
            ))
        }
    };
    super::policy::manage_account(
        actor,
        &super::policy::AccountScope {
            role,
            province: unit.as_ref().map(|u| u.province_code.clone()),
        },
    )?;
    repo::set_role_and_unit(db, actor, &user, role, unit.map(|u| u.id)).await
}
