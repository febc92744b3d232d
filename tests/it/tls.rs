//! TLS everywhere: mail goes out over STARTTLS (or implicit TLS) to a local mail server with a
//! test certificate, a password is never sent in clear, the SMS/Zalo gateway is reached over
//! HTTPS, and the suite's PostgreSQL connection is encrypted when its URL asks for it.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::rustls;

use steerco::notify::channels::{self, SmtpConfig, SmtpSecurity};

/// A test authority and a certificate it signed for localhost and 127.0.0.1.
struct TestPki {
    ca_pem: String,
    acceptor: tokio_rustls::TlsAcceptor,
}

fn pki() -> TestPki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "steerco test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let cert = p.signed_by(&key, &ca_cert, &ca_key).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
    )
    .unwrap();
    TestPki {
        ca_pem: ca_cert.pem(),
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    }
}

/// What the mail server saw of one transaction.
#[derive(Debug, Clone, Default)]
struct Seen {
    over_tls: bool,
    auth: Option<String>,
    data: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Offer {
    /// Plain, announcing STARTTLS.
    StartTls,
    /// Plain, no STARTTLS (an old relay), but AUTH offered in clear.
    PlainOnly,
    /// TLS from the first byte (port 465).
    Implicit,
}

/// A mail server on loopback: the SMTP dialogue, with STARTTLS or implicit TLS.
async fn mail_server(
    offer: Offer,
    acceptor: tokio_rustls::TlsAcceptor,
) -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let seen: Arc<Mutex<Vec<Seen>>> = Default::default();
    let out = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = l.accept().await {
            let (seen, acceptor) = (seen.clone(), acceptor.clone());
            tokio::spawn(async move {
                if offer == Offer::Implicit {
                    if let Ok(tls) = acceptor.accept(sock).await {
                        let _ = dialogue(tls, true, false, true, &seen).await;
                    }
                    return;
                }
                let mut sock = sock;
                let upgrade =
                    dialogue(&mut sock, false, offer == Offer::StartTls, true, &seen).await;
                if let Ok(true) = upgrade {
                    if let Ok(tls) = acceptor.accept(sock).await {
                        // after STARTTLS the client speaks first
                        let _ = dialogue(tls, true, false, false, &seen).await;
                    }
                }
            });
        }
    });
    (port, out)
}

/// One SMTP dialogue; `Ok(true)` when the client asked for STARTTLS (the caller upgrades).
async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
    s: S,
    over_tls: bool,
    offer_starttls: bool,
    greet: bool,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<bool> {
    let mut s = BufReader::new(s);
    if greet {
        s.get_mut().write_all(b"220 mail.test ESMTP\r\n").await?;
    }
    let mut cur = Seen {
        over_tls,
        ..Default::default()
    };
    let mut line = String::new();
    loop {
        line.clear();
        if s.read_line(&mut line).await? == 0 {
            return Ok(false);
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_uppercase();
        let w = s.get_mut();
        if upper.starts_with("EHLO") {
            let mut reply = String::from("250-mail.test\r\n");
            if offer_starttls && !over_tls {
                reply.push_str("250-STARTTLS\r\n");
            }
            reply.push_str("250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
            w.write_all(reply.as_bytes()).await?;
        } else if upper == "STARTTLS" {
            w.write_all(b"220 go ahead\r\n").await?;
            w.flush().await?;
            return Ok(true);
        } else if upper.starts_with("AUTH") {
            cur.auth = Some(cmd.clone());
            w.write_all(b"235 ok\r\n").await?;
        } else if upper.starts_with("MAIL FROM") || upper.starts_with("RCPT TO") || upper == "RSET"
        {
            w.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            loop {
                line.clear();
                if s.read_line(&mut line).await? == 0 {
                    return Ok(false);
                }
                if line == ".\r\n" {
                    break;
                }
                cur.data.push_str(&line);
            }
            seen.lock().unwrap().push(cur.clone());
            s.get_mut().write_all(b"250 queued\r\n").await?;
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(false);
        } else {
            w.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

fn config(port: u16, security: SmtpSecurity, password: Option<&str>) -> SmtpConfig {
    SmtpConfig {
        // the certificate names localhost: the client checks the name it connects to
        host: "localhost".into(),
        port,
        from: "steerco <steerco@dongnai.gov.vn>".into(),
        user: password.map(|_| "steerco".into()),
        password: password.map(str::to_string),
        security,
    }
}

/// A reminder sent with the URL `scheme://steerco:…@localhost:{port}` to a server offering
/// `offer`; returns the configuration, the server's record and the authority.
async fn send_one(offer: Offer, scheme: &str) -> (SmtpConfig, Arc<Mutex<Vec<Seen>>>, TestPki) {
    let pki = pki();
    let (port, seen) = mail_server(offer, pki.acceptor.clone()).await;
    let cfg = channels::parse_smtp_url(
        &format!("{scheme}://steerco:mat-khau-thu@localhost:{port}"),
        "steerco <steerco@dongnai.gov.vn>",
    )
    .unwrap();
    channels::send_mail(
        &cfg,
        Some(&pki.ca_pem),
        "thuky@dongnai.gov.vn",
        "Nhắc việc",
        "Nội dung",
    )
    .await
    .unwrap();
    (cfg, seen, pki)
}

#[tokio::test]
async fn mail_goes_out_over_starttls_and_checks_the_servers_certificate() {
    let (cfg, seen, _) = send_one(Offer::StartTls, "smtp").await;
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].over_tls,
        "the message and the password went over TLS"
    );
    assert!(got[0].auth.is_some());
    // an authority we do not trust: nothing is sent
    let other = self::pki();
    let r = channels::send_mail(&cfg, Some(&other.ca_pem), "thuky@dongnai.gov.vn", "x", "y").await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_password_is_never_sent_to_a_server_without_tls() {
    let pki = pki();
    let (port, seen) = mail_server(Offer::PlainOnly, pki.acceptor.clone()).await;
    let with_password = config(port, SmtpSecurity::Required, Some("mat-khau-thu"));
    let r = channels::send_mail(&with_password, Some(&pki.ca_pem), "a@b.vn", "x", "y").await;
    assert!(r.is_err(), "{r:?}");
    let required =
        channels::parse_smtp_url(&format!("smtp://localhost:{port}?tls=required"), "a@b.vn")
            .unwrap();
    assert!(
        channels::send_mail(&required, Some(&pki.ca_pem), "a@b.vn", "x", "y")
            .await
            .is_err()
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent in clear");
    // a local relay without TLS and without a password still takes mail (smtp://)
    let open = config(port, SmtpSecurity::Opportunistic, None);
    channels::send_mail(&open, None, "a@b.vn", "x", "y")
        .await
        .unwrap();
    let got = seen.lock().unwrap().clone();
    assert_eq!(
        (got.len(), got[0].over_tls, got[0].auth.clone()),
        (1, false, None)
    );
}

#[tokio::test]
async fn mail_goes_out_over_implicit_tls() {
    let (_, seen, _) = send_one(Offer::Implicit, "smtps").await;
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(got[0].over_tls && got[0].auth.is_some());
}

/// An HTTPS gateway on loopback: answers 200 to every POST and keeps the bodies.
async fn https_gateway(acceptor: tokio_rustls::TlsAcceptor) -> (u16, Arc<Mutex<Vec<String>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let bodies: Arc<Mutex<Vec<String>>> = Default::default();
    let out = bodies.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = l.accept().await {
            let (bodies, acceptor) = (bodies.clone(), acceptor.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut s = BufReader::new(tls);
                let mut len = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if s.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; len];
                if s.read_exact(&mut body).await.is_err() {
                    return;
                }
                bodies
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                let _ = s
                    .get_mut()
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = s.get_mut().shutdown().await;
            });
        }
    });
    (port, out)
}

#[tokio::test]
async fn the_gateway_is_reached_over_https() {
    let pki = pki();
    let (port, bodies) = https_gateway(pki.acceptor.clone()).await;
    let url = format!("https://localhost:{port}/sms");
    let payload = serde_json::json!({"unit_code": "26041", "text": "Nhắc gửi báo cáo"});
    channels::post_webhook(&url, Some(&pki.ca_pem), &payload)
        .await
        .unwrap();
    assert_eq!(bodies.lock().unwrap().len(), 1);
    assert!(bodies.lock().unwrap()[0].contains("Nhắc gửi báo cáo"));
    // without the province's authority the certificate is refused
    assert!(channels::post_webhook(&url, None, &payload).await.is_err());
    assert_eq!(bodies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_database_connection_is_encrypted_when_its_url_asks() {
    let Ok(url) = std::env::var("STEERCO_TEST_PG") else {
        return;
    };
    if !url.contains("sslmode=require") {
        return;
    }
    let app = crate::helpers::spawn_app().await;
    assert!(app.db_url.contains("sslmode=require"), "{}", app.db_url);
    let (ssl,): (bool,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(ssl, "the server's own connection is over TLS");
}
