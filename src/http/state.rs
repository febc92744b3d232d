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
    /// The state with the channels the environment configures; a configuration that cannot be
    /// read is logged and leaves the channels off (the server checks it at start).
    pub fn new(db: Db, secure_cookies: bool) -> AppState {
        let channels = crate::notify::Channels::from_env().unwrap_or_else(|e| {
            tracing::error!("notification channels: {e}");
            Default::default()
        });
        AppState::with_channels(db, secure_cookies, channels)
    }

    pub fn with_channels(
        db: Db,
        secure_cookies: bool,
        channels: crate::notify::Channels,
    ) -> AppState {
        let clock = db.clock().clone();
        AppState {
            db,
            secure_cookies,
            dashboards: Default::default(),
            hashing: std::sync::Arc::new(tokio::sync::Semaphore::new(crate::auth::hasher_count())),
            clock,
            channels: std::sync::Arc::new(channels),
        }
    }
}
