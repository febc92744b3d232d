//! Signing in and out, the home redirect, the stylesheet, one's own account.

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use serde::Deserialize;

use super::{csrf_field, page, F, Q};
use crate::auth::throttle;
use crate::auth::{policy, Actor};
use crate::error::AppError;
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::ClientAddress;
use crate::http::MaybeActor;

/// 200 when the database answers and is migrated; 503 (with the reason) otherwise.
async fn ready(
    axum::extract::State(st): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, String) {
    match st.db.ready().await {
        Ok(()) => (axum::http::StatusCode::OK, "ready".into()),
        Err(e) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, e),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/assets/app.css", get(css))
        .route("/assets/autosave.js", get(autosave_js))
        .route("/assets/picker.js", get(picker_js))
        .route("/favicon.ico", get(favicon))
        .route("/assets/favicon.svg", get(favicon))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account_page).post(account_password))
        .route("/account/contact", post(account_contact))
}

async fn autosave_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        super::AUTOSAVE_JS,
    )
        .into_response()
}

async fn picker_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        super::PICKER_JS,
    )
        .into_response()
}

async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        include_str!("../../assets/favicon.svg"),
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        super::CSS,
    )
        .into_response()
}

async fn home(MaybeActor(a): MaybeActor) -> Redirect {
    match a {
        None => Redirect::to("/login"),
        Some(a) if policy::own_unit_only(&a) => Redirect::to("/my"),
        Some(a) if a.role == policy::Role::Leader => Redirect::to("/leader"),
        Some(_) => Redirect::to("/dashboard"),
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    failed: Option<String>,
    locked: Option<String>,
}

async fn login_form(Q(q): Q<LoginQuery>) -> Html<String> {
    page(
        "Đăng nhập",
        None,
        html! {
            section.login {
                h1 { "Đăng nhập" }
                @if q.failed.is_some() { p.flash.err { "Tên đăng nhập hoặc mật khẩu không đúng." } }
                @if q.locked.is_some() { p.flash.err { "Đăng nhập sai quá nhiều lần. Vui lòng đợi ít phút rồi thử lại, hoặc liên hệ quản trị để đặt lại mật khẩu." } }
                form method="post" action="/login" {
                    input type="hidden" name="next" value=(q.next.unwrap_or_default());
                    label { "Tên đăng nhập" input name="username" autocomplete="username" required autofocus; }
                    label { "Mật khẩu" input name="password" type="password" autocomplete="current-password" required; }
                    button type="submit" { "Đăng nhập" }
                }
            }
        },
    )
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(st): State<AppState>,
    ClientAddress(address): ClientAddress,
    F(f): F<LoginForm>,
) -> AppResult<Response> {
    // Only local paths, so the login form cannot be used to send users elsewhere.
    let next = crate::http::local_path(&f.next).to_string();
    let username = f.username;
    let now = st.clock.now();
    if throttle::wait(&st.db, &address, &username, now)
        .await?
        .is_some()
    {
        return Ok(
            Redirect::to(&format!("/login?locked=1&next={}", super::urlencode(&next)))
                .into_response(),
        );
    }
    // argon2 takes 19 MiB a check: a flood of logins waits here, or is told to come back
    let _hashing = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        st.hashing.clone().acquire_owned(),
    )
    .await
    .ok()
    .and_then(Result::ok)
    .ok_or_else(|| {
        AppError::Busy("Hệ thống đang bận, vui lòng đăng nhập lại sau ít phút.".into())
    })?;
    match crate::auth::repo::login(&st.db, &username, &f.password).await? {
        Some((token, _csrf)) => {
            throttle::succeeded(&st.db, &address, &username).await?;
            let secure = if st.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                crate::auth::SESSION_COOKIE,
                crate::auth::SESSION_HOURS * 3600
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
        }
        None => {
            throttle::failed(&st.db, &address, &username, now).await?;
            Ok(
                Redirect::to(&format!("/login?failed=1&next={}", super::urlencode(&next)))
                    .into_response(),
            )
        }
    }
}

async fn logout(
    State(st): State<AppState>,
    _signed_in: Actor,
    req: axum::http::request::Parts,
) -> AppResult<Response> {
    if let Some(t) = crate::http::session_cookie_value(&req) {
        crate::auth::repo::logout(&st.db, &t).await?;
    }
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        crate::auth::SESSION_COOKIE
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

async fn account_page(actor: Actor) -> Html<String> {
    page(
        "Tài khoản của tôi",
        Some(&actor),
        html! {
            h1 { "Tài khoản của tôi" }
            dl.facts { dt { "Tên đăng nhập" } dd { (actor.username) } dt { "Vai trò" } dd { (actor.role.label()) }
                dt { "Đơn vị" } dd { (actor.unit_name.clone().unwrap_or_default()) } }
            h2 { "Đổi mật khẩu" }
            form.card method="post" action="/account" { (csrf_field(&actor))
                label { "Mật khẩu hiện tại" input type="password" name="current" required autocomplete="current-password"; }
                label { "Mật khẩu mới (≥ 8 ký tự)" input type="password" name="password" minlength="8" required autocomplete="new-password"; }
                button type="submit" { "Đổi mật khẩu" }
            }
            form.card method="post" action="/account/contact" { (csrf_field(&actor))
                h2 { "Nhận nhắc việc" }
                label { "Thư điện tử" input type="email" name="email"; }
                label { "Số điện thoại" input name="phone"; }
                button type="submit" { "Lưu" }
            }
        },
    )
}

#[derive(serde::Deserialize)]
struct ContactForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

#[derive(serde::Deserialize)]
struct OwnPasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

async fn account_contact(
    State(st): State<AppState>,
    actor: Actor,
    F(c): F<ContactForm>,
) -> AppResult<Redirect> {
    crate::auth::repo::set_contact(&st.db, &actor, actor.user_id, &c.email, &c.phone).await?;
    Ok(Redirect::to("/account"))
}

async fn account_password(
    State(st): State<AppState>,
    actor: Actor,
    F(p): F<OwnPasswordForm>,
) -> AppResult<Redirect> {
    crate::auth::repo::change_own_password(&st.db, &actor, &p.current, &p.password).await?;
    // The password change ended every session, this one included.
    Ok(Redirect::to("/login"))
}
