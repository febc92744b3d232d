//! What every request handler shares: the database, the clock, the caches, the channels.

use crate::store::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub secure_cookies: bool,
    pub dashboards: std::sync::Arc<crate::dashboard::Cache>,
    pub tokens: std::sync::Arc<crate::auth::TokenCache>,
    pub logins: std::sync::Arc<crate::auth::LoginThrottle>,
    pub clock: crate::clock::Clock,
    pub channels: std::sync::Arc<crate::notify::Channels>,
}

impl AppState {
    pub fn new(db: Db, secure_cookies: bool) -> AppState {
        AppState {
            db,
            secure_cookies,
            dashboards: Default::default(),
            tokens: Default::default(),
            logins: Default::default(),
            clock: Default::default(),
            channels: std::sync::Arc::new(crate::notify::Channels::from_env()),
        }
    }
}
