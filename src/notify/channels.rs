//! Delivery channels: e-mail over SMTP, and an HTTP webhook a province points at its
//! SMS/Zalo gateway. Configured from the environment, never stored in the repository.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub smtp: Option<SmtpConfig>,
    pub webhook: Option<String>,
}

impl Channels {
    /// `STEERCO_SMTP_URL=smtp://[user:password@]host[:port]`, `STEERCO_MAIL_FROM`,
    /// `STEERCO_WEBHOOK_URL=http://gateway/…`.
    pub fn from_env() -> Channels {
        let smtp = std::env::var("STEERCO_SMTP_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .and_then(|u| {
                parse_smtp_url(
                    &u,
                    &std::env::var("STEERCO_MAIL_FROM")
                        .unwrap_or_else(|_| "steerco <no-reply@localhost>".into()),
                )
            });
        let webhook = std::env::var("STEERCO_WEBHOOK_URL")
            .ok()
            .filter(|s| !s.is_empty());
        Channels { smtp, webhook }
    }
}

pub fn parse_smtp_url(url: &str, from: &str) -> Option<SmtpConfig> {
    let rest = url.strip_prefix("smtp://")?;
    let (auth, hostport) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    let hostport = hostport.trim_end_matches('/');
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), 25),
    };
    let (user, password) = match auth.and_then(|a| a.split_once(':')) {
        Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
        None => (auth.map(str::to_string), None),
    };
    Some(SmtpConfig {
        host,
        port,
        from: from.to_string(),
        user,
        password,
    })
}

/// Sends one plain-text e-mail. The relay is trusted (the province's mail server or a local
/// MTA); TLS to the outside world is the relay's job.
pub async fn send_mail(
    cfg: &SmtpConfig,
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
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
        .port(cfg.port)
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
pub async fn post_webhook(url: &str, payload: &serde_json::Value) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| e.to_string())?;
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
        let c = parse_smtp_url("smtp://127.0.0.1", "a@b").unwrap();
        assert_eq!(c.port, 25);
        assert!(parse_smtp_url("http://x", "a@b").is_none());
    }
}
