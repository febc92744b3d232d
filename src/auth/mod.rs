//! People and access: accounts (argon2), sessions with a CSRF token, API tokens, the
//! `Actor` every rule takes (extracted from requests by `http`), and the access policy.

pub mod bulk;
pub mod policy;
pub mod repo;
pub mod throttle;

/// Wrong passwords for a username from one address before it waits (see `throttle`).
pub use throttle::FREE_FAILURES as MAX_FAILURES;

use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use policy::Role;

pub const SESSION_COOKIE: &str = "steerco_session";
pub const SESSION_HOURS: i64 = 12;

/// The authenticated user behind a request, with the scope the policy reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub body_id: Option<i64>,
    pub province_code: Option<String>,
    #[serde(skip)]
    pub csrf: String,
    #[serde(skip)]
    pub via_session: bool,
    /// Unread notices inside the app, counted for the pages' menu (browser sessions only).
    #[serde(skip)]
    pub unread_notices: i64,
}

impl Actor {
    /// Forms carry the session's CSRF token; a mismatch means the form did not come from us.
    pub fn verify_csrf(&self, token: &str) -> Result<(), AppError> {
        if !self.via_session || constant_time_eq(token.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn hash_token(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

type HashJob = Box<dyn FnOnce() + Send>;

/// Password checks run on a few threads of their own. Argon2 takes 19 MiB a check, and the
/// allocator keeps a freed block for each thread that used one: on the blocking pool (hundreds
/// of threads) a flood of logins left gigabytes resident for good; here there are at most
/// `hashers()` such blocks.
fn hashers() -> &'static std::sync::mpsc::Sender<HashJob> {
    static POOL: std::sync::OnceLock<std::sync::mpsc::Sender<HashJob>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<HashJob>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..hasher_count() {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
        }
        tx
    })
}

/// How many password checks run at once: two per core.
pub fn hasher_count() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

async fn on_hasher<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = tx.send(f());
        }))
        .ok()?;
    rx.await.ok()
}

/// Runs argon2id with `params` into `out`, on memory this thread keeps from check to check: a
/// fresh 19 MiB allocation per check ends up spread over the allocator's arenas and stays
/// resident (16 × 19 MiB after a flood of logins); one reused block per hasher thread does not.
fn argon2_into(
    params: argon2::Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    thread_local! {
        static MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        let n = params.block_count();
        if m.len() < n {
            m.resize(n, argon2::Block::new());
        }
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password_into_with_memory(password, salt, out, &mut m[..n])
    })
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    on_hasher(move || {
        use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
        let internal = |e: String| AppError::Internal(anyhow::anyhow!("argon2: {e}"));
        let salt = SaltString::generate(&mut OsRng);
        let params = argon2::Params::default();
        let mut raw = [0u8; 16];
        let salt_bytes = salt
            .decode_b64(&mut raw)
            .map_err(|e| internal(e.to_string()))?;
        let mut out = [0u8; 32];
        argon2_into(params.clone(), password.as_bytes(), salt_bytes, &mut out)
            .map_err(|e| internal(e.to_string()))?;
        let output = Output::new(&out).map_err(|e| internal(e.to_string()))?;
        let h = PasswordHash {
            algorithm: argon2::Algorithm::Argon2id.ident(),
            version: Some(argon2::Version::V0x13.into()),
            params: (&params)
                .try_into()
                .map_err(|e: argon2::password_hash::Error| internal(e.to_string()))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(h.to_string())
    })
    .await
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("argon2 threads stopped")))?
}

/// Whether `password` is the one of the stored argon2id `hash` (compared in constant time).
pub async fn verify_password(password: String, hash: String) -> bool {
    on_hasher(move || {
        use argon2::password_hash::{Output, PasswordHash};
        let Ok(h) = PasswordHash::new(&hash) else {
            return false;
        };
        let (Ok(params), Some(salt), Some(expected)) =
            (argon2::Params::try_from(&h), h.salt, h.hash)
        else {
            return false;
        };
        if h.algorithm != argon2::Algorithm::Argon2id.ident() {
            return false;
        }
        let mut raw = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut raw) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        argon2_into(params, password.as_bytes(), salt, &mut out).is_ok()
            && Output::new(&out).is_ok_and(|o| o == expected)
    })
    .await
    .unwrap_or(false)
}

/// Passwords guessed first: the most common ones of Vietnamese and international lists.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "matkhau",
    "matkhau1",
    "matkhau123",
    "abc12345",
    "abcd1234",
    "qwerty123",
    "qwertyui",
    "iloveyou",
    "admin123",
    "administrator",
    "12345678a",
    "a12345678",
    "anhyeuem",
    "vietnam1",
    "vietnam123",
    "hanoi123",
    "123456789a",
    "1qaz2wsx",
    "zxcvbnm1",
    "changeme",
    "welcome1",
    "letmein1",
    "steerco1",
];

/// Why a password is refused, or None: fewer than 8 characters, a common password, one
/// character repeated, a run of consecutive digits or letters, or the username itself.
pub fn weak_password(username: &str, password: &str) -> Option<&'static str> {
    let p = password.to_lowercase();
    let chars: Vec<char> = p.chars().collect();
    if chars.len() < 8 {
        return Some("Mật khẩu phải có ít nhất 8 ký tự.");
    }
    let run = |step: i32| chars.windows(2).all(|w| w[1] as i32 - w[0] as i32 == step);
    if COMMON_PASSWORDS.contains(&p.as_str()) || run(0) || run(1) || run(-1) {
        return Some("Mật khẩu quá dễ đoán; hãy chọn mật khẩu khác.");
    }
    if !username.trim().is_empty() && p.contains(&username.trim().to_lowercase()) {
        return Some("Mật khẩu không được chứa tên đăng nhập.");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{hash_password, verify_password, weak_password};

    #[tokio::test]
    async fn passwords_verify_against_our_hashes_and_the_standard_ones() {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let ours = hash_password("mat-khau-123".into()).await.unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(verify_password("mat-khau-123".into(), ours.clone()).await);
        assert!(!verify_password("mat-khau-124".into(), ours).await);
        let standard = argon2::Argon2::default()
            .hash_password(b"mat-khau-123", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password("mat-khau-123".into(), standard.clone()).await);
        assert!(!verify_password("sai".into(), standard).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }

    #[test]
    fn easy_passwords_are_refused() {
        for p in [
            "1234567",
            "11111111",
            "12345678",
            "87654321",
            "abcdefgh",
            "Password",
            "matkhau123",
            "thuky2025!",
        ] {
            assert!(weak_password("thuky", p).is_some(), "{p}");
        }
        for p in ["mat-khau-moi-1", "Ban chi dao 06", "x7!kq2Lm"] {
            assert_eq!(weak_password("thuky", p), None, "{p}");
        }
    }
}
