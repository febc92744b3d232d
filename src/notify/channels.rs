//! Delivery channels: e-mail over SMTP, and an HTTP webhook a province points at its
//! SMS/Zalo gateway. Configured from the environment, never stored in the repository.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the connection to the mail server is protected, chosen from the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://host` (port 25 or 587): STARTTLS when the server offers it. A password is never
    /// sent in clear: with credentials, STARTTLS is required.
    Opportunistic,
    /// `smtp://host?tls=required`: STARTTLS or no delivery.
    Required,
    /// `smtps://host` (port 465): TLS from the first byte.
    Implicit,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub security: SmtpSecurity,
}

#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub smtp: Option<SmtpConfig>,
    pub webhook: Option<String>,
    /// A certificate authority trusted besides the public ones (PEM): the province's own, for
    /// its mail server and gateway (`STEERCO_TLS_CA_FILE`).
    pub ca_pem: Option<String>,
}

impl Channels {
    /// `STEERCO_SMTP_URL=smtp[s]://[user:password@]host[:port][?tls=required]`,
    /// `STEERCO_MAIL_FROM`, `STEERCO_WEBHOOK_URL=https://gateway/…`, `STEERCO_TLS_CA_FILE`.
    pub fn from_env() -> Result<Channels, String> {
        let smtp = match std::env::var("STEERCO_SMTP_URL")
            .ok()
            .filter(|s| !s.is_empty())
        {
            Some(u) => Some(
                parse_smtp_url(
                    &u,
                    &std::env::var("STEERCO_MAIL_FROM")
                        .unwrap_or_else(|_| "steerco <no-reply@localhost>".into()),
                )
                .ok_or("STEERCO_SMTP_URL: expected smtp://[user:password@]host[:port][?tls=required] or smtps://…")?,
            ),
            None => None,
        };
        let webhook = std::env::var("STEERCO_WEBHOOK_URL")
            .ok()
            .filter(|s| !s.is_empty());
        let ca_pem = match std::env::var("STEERCO_TLS_CA_FILE")
            .ok()
            .filter(|s| !s.is_empty())
        {
            Some(f) => Some(
                std::fs::read_to_string(&f).map_err(|e| format!("STEERCO_TLS_CA_FILE {f}: {e}"))?,
            ),
            None => None,
        };
        Ok(Channels {
            smtp,
            webhook,
            ca_pem,
        })
    }
}

pub fn parse_smtp_url(url: &str, from: &str) -> Option<SmtpConfig> {
    let (implicit, rest) = match (url.strip_prefix("smtps://"), url.strip_prefix("smtp://")) {
        (Some(r), _) => (true, r),
        (None, Some(r)) => (false, r),
        _ => return None,
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q),
        None => (rest, ""),
    };
    let required = query
        .split('&')
        .any(|kv| kv.eq_ignore_ascii_case("tls=required"));
    if !query.is_empty() && !required {
        return None;
    }
    let (auth, hostport) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    let hostport = hostport.trim_end_matches('/');
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), if implicit { 465 } else { 25 }),
    };
    if host.is_empty() {
        return None;
    }
    let (user, password) = match auth.and_then(|a| a.split_once(':')) {
        Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
        None => (auth.map(str::to_string), None),
    };
    let security = if implicit {
        SmtpSecurity::Implicit
    } else if required || password.is_some() {
        SmtpSecurity::Required
    } else {
        SmtpSecurity::Opportunistic
    };
    Some(SmtpConfig {
        host,
        port,
        from: from.to_string(),
        user,
        password,
        security,
    })
}

/// Sends one plain-text e-mail over the configured protection; the server's certificate is
/// checked against the public authorities and `ca_pem`.
pub async fn send_mail(
    cfg: &SmtpConfig,
    ca_pem: Option<&str>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), String> {
    let msg = Message::builder()
        .from(
            cfg.from
                .parse()
                .map_err(|e| format!("địa chỉ gửi không hợp lệ: {e}"))?,
        )
        .to(to
            .parse()
            .map_err(|e| format!("địa chỉ nhận không hợp lệ: {e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| e.to_string())?;
    let mut params = TlsParameters::builder(cfg.host.clone());
    if let Some(pem) = ca_pem {
        params = params.add_root_certificate(
            Certificate::from_pem(pem.as_bytes()).map_err(|e| format!("TLS CA: {e}"))?,
        );
    }
    let params = params.build_rustls().map_err(|e| format!("TLS: {e}"))?;
    let tls = match cfg.security {
        SmtpSecurity::Opportunistic => Tls::Opportunistic(params),
        SmtpSecurity::Required => Tls::Required(params),
        SmtpSecurity::Implicit => Tls::Wrapper(params),
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
        .port(cfg.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(15)));
    if let (Some(u), Some(p)) = (&cfg.user, &cfg.password) {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    b.build()
        .send(msg)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP: {e}"))
}

/// Posts the notice as JSON; any 2xx is a delivery.
pub async fn post_webhook(
    url: &str,
    ca_pem: Option<&str>,
    payload: &serde_json::Value,
) -> Result<(), String> {
    let mut client = reqwest::Client::builder().timeout(Duration::from_secs(15));
    if let Some(pem) = ca_pem {
        client = client.add_root_certificate(
            reqwest::Certificate::from_pem(pem.as_bytes()).map_err(|e| format!("TLS CA: {e}"))?,
        );
    }
    let client = client.build().map_err(|e| e.to_string())?;
    let res = client
        .post(url)
        .json(payload)
        .send()
        .await
        .map_err(|e| format!("webhook: {e}"))?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook trả về mã {}", res.status().as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let c = parse_smtp_url("smtp://u:p@mail.dongnai.gov.vn:587", "a@b").unwrap();
        assert_eq!((c.host.as_str(), c.port), ("mail.dongnai.gov.vn", 587));
        assert_eq!(c.user.as_deref(), Some("u"));
        // a password is never sent in clear
        assert_eq!(c.security, SmtpSecurity::Required);
        let c = parse_smtp_url("smtp://127.0.0.1", "a@b").unwrap();
        assert_eq!((c.port, c.security), (25, SmtpSecurity::Opportunistic));
        let c = parse_smtp_url("smtp://relay.local:587?tls=required", "a@b").unwrap();
        assert_eq!((c.port, c.security), (587, SmtpSecurity::Required));
        let c = parse_smtp_url("smtps://u:p@mail.dongnai.gov.vn", "a@b").unwrap();
        assert_eq!((c.port, c.security), (465, SmtpSecurity::Implicit));
        assert!(parse_smtp_url("http://x", "a@b").is_none());
        assert!(parse_smtp_url("smtp://x?tls=maybe", "a@b").is_none());
        assert!(parse_smtp_url("smtp://", "a@b").is_none());
    }
}
