//! Builds the application: state, routes, middleware. `main` and the tests share this path.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;

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

pub fn router(state: AppState) -> Router {
    crate::web::router()
        .merge(crate::api::router())
        .layer(axum::middleware::from_fn(crate::web::html_errors))
        .layer(axum::middleware::from_fn(crate::web::security_headers))
        .with_state(state)
}

/// Binds and returns the listener and its address, so tests can bind port 0.
pub async fn bind(addr: &str) -> std::io::Result<(TcpListener, SocketAddr)> {
    let l = TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}

pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
