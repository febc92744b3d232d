//! What every request handler shares: the database, the clock, the caches, the channels.

use crate::store::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub secure_cookies: bool,
    pub dashboards: std::sync::Arc<crate::dashboard::Cache>,
    /// Password checks running at once (argon2 takes 19 MiB each): bounded, so a flood of
    /// logins is answered 429 instead of exhausting memory.
    pub hashing: std::sync::Arc<tokio::sync::Semaphore>,
    pub clock: crate::clock::Clock,
    pub channels: std::sync::Arc<crate::notify::Channels>,
}

impl AppState {
    pub fn new(db: Db, secure_cookies: bool) -> AppState {
        AppState {
            db,
            secure_cookies,
            dashboards: Default::default(),
            hashing: std::sync::Arc::new(tokio::sync::Semaphore::new(crate::auth::hasher_count())),
            clock: Default::default(),
            channels: std::sync::Arc::new(crate::notify::Channels::from_env()),
        }
    }
}
