//! Builds the application: state, routes, middleware. `main` and the tests share this path.

use std::net::SocketAddr;

use crate::http::conn::{Listener, Peer};
use crate::http::trace;
pub use crate::http::AppState;
use axum::Router;

pub fn router(state: AppState) -> Router {
    let mut routes = crate::web::router().merge(crate::api::router());
    if crate::metrics::enabled() {
        routes = routes.route("/metrics", axum::routing::get(trace::metrics));
    }
    let routes: Router = routes
        .route_layer(axum::middleware::from_fn(trace::record_metrics))
        .with_state(state.clone());
    routes
        .clone()
        // a refused form is rendered again from these routes, inside every outer layer
        .layer(axum::middleware::from_fn_with_state(
            routes,
            crate::web::refill::refused_forms,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::http::csrf,
        ))
        .layer(axum::middleware::from_fn(crate::web::html_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            crate::http::security_headers,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(trace::span)
                .on_request(())
                .on_response(trace::on_response),
        )
        .layer(tower_http::request_id::PropagateRequestIdLayer::new(
            trace::REQUEST_ID,
        ))
        .layer(tower_http::request_id::SetRequestIdLayer::new(
            trace::REQUEST_ID,
            trace::NewRequestId,
        ))
}

/// The router as served: each request knows the address it comes from (the login throttle).
pub fn service(
    state: AppState,
) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<Router, Peer> {
    router(state).into_make_service_with_connect_info::<Peer>()
}

/// Binds and returns the listener and its address, so tests can bind port 0.
pub async fn bind(addr: &str) -> std::io::Result<(Listener, SocketAddr)> {
    let l = Listener::bind(addr).await?;
    let a = axum::serve::Listener::local_addr(&l)?;
    Ok((l, a))
}

pub async fn serve(listener: Listener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, service(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
