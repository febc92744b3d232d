//! Periodic reporting end to end, as users drive it: the cascade of example 003 set up in the
//! UI (units → standing agencies by 25/3 → Sở Nội vụ by 27/3 → the committee by 28/3), units
//! submitting on time and late, one report returned and resubmitted, consolidation at each
//! level, reminders delivered to a real SMTP server on loopback, the .docx and .xlsx checked
//! with a reader; then the monthly report of the example 000 working group.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::{Client, StatusCode};
use serde_json::json;
use steerco::auth::{repo, Role};
use steerco::notify::{self, channels::SmtpConfig, Channels};
use steerco::reporting::template;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{csrf_of, spawn_app, TestApp, PASSWORD};

// ---- a real SMTP server on loopback ----

#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
}

#[derive(Clone)]
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    /// Transactions to refuse (a mail server that is briefly down).
    refuse: Arc<AtomicUsize>,
}

impl Smtp {
    async fn start() -> Smtp {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let s = Smtp {
            port: l.local_addr().unwrap().port(),
            mails: Default::default(),
            refuse: Default::default(),
        };
        let me = s.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = l.accept().await {
                let me = me.clone();
                tokio::spawn(async move {
                    let _ = me.session(sock).await;
                });
            }
        });
        s
    }

    async fn session(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 test.local ESMTP\r\n").await?;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_uppercase();
            if upper.starts_with("EHLO") {
                w.write_all(b"250-test.local\r\n250 8BITMIME\r\n").await?;
            } else if upper.starts_with("HELO")
                || upper.starts_with("NOOP")
                || upper.starts_with("RSET")
            {
                w.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("MAIL FROM") {
                if self.refuse.load(Ordering::SeqCst) > 0 {
                    self.refuse.fetch_sub(1, Ordering::SeqCst);
                    w.write_all(b"451 try again later\r\n").await?;
                } else {
                    to.clear();
                    w.write_all(b"250 OK\r\n").await?;
                }
            } else if upper.starts_with("RCPT TO") {
                let addr = cmd.split_once(':').map(|x| x.1).unwrap_or("");
                to.push(
                    addr.trim()
                        .trim_matches(|c| c == '<' || c == '>')
                        .to_string(),
                );
                w.write_all(b"250 OK\r\n").await?;
            } else if upper == "DATA" {
                w.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                self.mails.lock().unwrap().push(Mail {
                    to: to.clone(),
                    data: decode_mail(&data),
                });
                w.write_all(b"250 queued\r\n").await?;
            } else if upper == "QUIT" {
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                w.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }

    fn channels(&self) -> Channels {
        Channels {
            smtp: Some(SmtpConfig {
                host: "127.0.0.1".into(),
                port: self.port,
                from: "Văn phòng steerco <steerco@dongnai.gov.vn>".into(),
                user: None,
                password: None,
                security: steerco::notify::channels::SmtpSecurity::Opportunistic,
            }),
            webhook: None,
            ca_pem: None,
        }
    }

    fn to(&self, addr: &str) -> Vec<Mail> {
        self.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == addr))
            .cloned()
            .collect()
    }
}

/// The message's headers and its body decoded from quoted-printable or base64, as a mail
/// client shows it.
fn decode_mail(raw: &str) -> String {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let lower = head.to_lowercase();
    let decoded: Vec<u8> = if lower.contains("content-transfer-encoding: base64") {
        let table = |c: u8| -> Option<u32> {
            Some(match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            } as u32)
        };
        let vals: Vec<u32> = body.bytes().filter_map(table).collect();
        let mut out = Vec::new();
        for chunk in vals.chunks(4) {
            let mut n = 0u32;
            for (i, v) in chunk.iter().enumerate() {
                n |= v << (18 - 6 * i);
            }
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
        }
        out
    } else if lower.contains("content-transfer-encoding: quoted-printable") {
        let b = body.replace("=\r\n", "");
        let b = b.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                if let Ok(v) =
                    u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or(""), 16)
                {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        out
    } else {
        body.as_bytes().to_vec()
    };
    format!(
        "{head}\r\n\r\n{}",
        String::from_utf8_lossy(&decoded).replace("\r\n", "\n")
    )
}

// ---- a user in a browser ----

struct User {
    c: Client,
    base: String,
    csrf: String,
}

impl User {
    async fn login(app: &TestApp, username: &str) -> User {
        let c = app.browser(username).await;
        let html = c
            .get(app.url("/reports"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        User {
            csrf: csrf_of(&html),
            c,
            base: app.base.clone(),
        }
    }
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
    async fn bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.bytes().await.unwrap().to_vec())
    }
    /// Posts a form; returns the status, the body and where it redirects.
    async fn post(&self, path: &str, pairs: &[(String, String)]) -> (StatusCode, String, String) {
        let mut form: Vec<(String, String)> = vec![("_csrf".into(), self.csrf.clone())];
        form.extend(pairs.iter().cloned());
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (r.status(), r.text().await.unwrap(), loc)
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn id_in(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn officer(app: &TestApp, username: &str, unit: &str, email: &str) {
    let unit_id = app.unit(unit).await;
    repo::create_user(
        &app.db,
        None,
        repo::NewUser {
            username,
            password: PASSWORD,
            full_name: username,
            role: Role::Officer,
            unit_id: Some(unit_id),
            body_id: None,
        },
    )
    .await
    .unwrap();
    steerco::with_db!(&app.db, |p| sqlx::query(
        "UPDATE users SET email = $1 WHERE username = $2"
    )
    .bind(email)
    .bind(username)
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
}

/// The template form filled with the fields of a preset, as the secretary would.
fn template_form(name: &str, fields: &[template::Field]) -> Vec<(String, String)> {
    let mut f = pairs(&[("name", name), ("description", "")]);
    for (i, x) in fields.iter().enumerate() {
        let mut add = |k: &str, v: String| f.push((format!("{k}_{i}"), v));
        add("label", x.label.clone());
        add("key", x.key.clone());
        add("kind", x.kind.as_str().into());
        if x.required {
            add("required", "1".into());
        }
        add("indicator", x.indicator.clone());
        add("min", x.min.map(|v| v.to_string()).unwrap_or_default());
        add("max", String::new());
        add("at_most", x.at_most.clone());
        add("numerator", x.numerator.clone());
        add("denominator", x.denominator.clone());
        add("prefill", x.prefill.as_str().into());
    }
    f
}

#[allow(clippy::too_many_arguments)]
async fn schedule(
    u: &User,
    name: &str,
    template: i64,
    receiver: i64,
    units: &[i64],
    parent: Option<i64>,
    due_day: &str,
) -> i64 {
    let mut f = pairs(&[
        ("name", name),
        ("template_id", &template.to_string()),
        ("receiver_unit_id", &receiver.to_string()),
        ("frequency", "quarterly"),
        ("cutoff_day", "14"),
        ("due_rule", "day_of_month"),
        ("due_value", due_day),
        ("reminder_offsets", "-3, -1, 1, 3"),
        (
            "parent_id",
            &parent.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ]);
    for id in units {
        f.push(("units".into(), id.to_string()));
    }
    let (s, body, loc) = u.post("/reports/schedules", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    id_in(&loc)
}

/// The report form's fields, filled. `dossiers`: received, finished, on time, online.
fn report(result: &str, d: [u32; 4]) -> Vec<(String, String)> {
    pairs(&[
        ("f_ket_qua", result),
        ("f_kho_khan", "Hạ tầng mạng cấp xã chưa đồng bộ"),
        ("f_de_xuat", ""),
        ("f_nhiem_vu_ky_toi", "Tiếp tục số hóa hồ sơ"),
        ("f_nv_tong", "4"),
        ("f_nv_hoan_thanh", "3"),
        ("f_nv_qua_han", "1"),
        ("f_hs_tiep_nhan", &d[0].to_string()),
        ("f_hs_giai_quyet", &d[1].to_string()),
        ("f_hs_dung_han", &d[2].to_string()),
        ("f_hs_truc_tuyen", &d[3].to_string()),
        ("f_hs_dong_bo", &d[3].to_string()),
    ])
}

fn with_action(mut f: Vec<(String, String)>, action: &str) -> Vec<(String, String)> {
    f.push(("action".into(), action.into()));
    f
}

async fn request_of(app: &TestApp, schedule: i64, unit: &str) -> i64 {
    let unit = app.unit(unit).await;
    let (id,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT id FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND period = '2024-Q1'"
    )
    .bind(schedule)
    .bind(unit)
    .fetch_one(p)
    .await)
    .unwrap();
    id
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn docx_text(bytes: &[u8]) -> String {
    steerco::documents::docx::text_of(bytes).expect("the .docx opens")
}

fn xlsx_sheet(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the .xlsx is a zip");
    let mut s = String::new();
    z.by_name("xl/worksheets/sheet1.xml")
        .expect("a first sheet")
        .read_to_string(&mut s)
        .unwrap();
    let doc = roxmltree::Document::parse(&s).expect("the sheet is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("t") || n.has_tag_name("v"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test]
async fn example_003_cascade_end_to_end() {
    let app = spawn_app().await;
    let smtp = Smtp::start().await;
    let ch = smtp.channels();
    app.clock.travel_to(day("2024-03-12"));
    officer(&app, "cb_stp", "75.STP", "stp@dongnai.gov.vn").await;
    officer(&app, "cb_syt", "75.SYT", "syt@dongnai.gov.vn").await;
    officer(&app, "cb_sgd", "75.SGDDT", "sgd@dongnai.gov.vn").await;
    officer(&app, "cb_skhcn", "75.SKHCN", "skhcn@dongnai.gov.vn").await;
    officer(&app, "cb_cat", "75.CAT", "cat@dongnai.gov.vn").await;
    let sec = User::login(&app, "secretary").await;
    // The secretary records an e-mail for the digest through the account page.
    let (s, _, _) = sec
        .post(
            "/account/contact",
            &pairs(&[("email", "thuky@dongnai.gov.vn"), ("phone", "0912 345 678")]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, body, _) = sec
        .post(
            "/account/contact",
            &pairs(&[("email", "không-phải-thư"), ("phone", "")]),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Địa chỉ thư điện tử không hợp lệ"), "{body}");

    // -- set up in the UI: a template and the cascade of example 003
    let fields = template::quarterly_reform_report();
    let (s, body, loc) = sec
        .post(
            "/reports/templates",
            &template_form("Báo cáo CCHC, CĐS, Đề án 06 quý", &fields),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let tpl = id_in(&loc);
    // A template whose ratio points at nothing is refused with a reason.
    let mut bad = fields.clone();
    bad[11].numerator = "khong_co".into();
    let (s, body, _) = sec
        .post("/reports/templates", &template_form("Sai", &bad))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("cần tử số và mẫu số"), "{body}");

    let (ubnd, snv, skhcn, cat) = (
        app.unit("75").await,
        app.unit("75.SNV").await,
        app.unit("75.SKHCN").await,
        app.unit("75.CAT").await,
    );
    let (stp, syt, sgd) = (
        app.unit("75.STP").await,
        app.unit("75.SYT").await,
        app.unit("75.SGDDT").await,
    );
    let top = schedule(
        &sec,
        "Báo cáo tổng hợp CCHC, CĐS, Đề án 06 quý",
        tpl,
        ubnd,
        &[snv],
        None,
        "28",
    )
    .await;
    let agencies = schedule(
        &sec,
        "Báo cáo của cơ quan thường trực các BCĐ",
        tpl,
        snv,
        &[snv, skhcn, cat],
        Some(top),
        "27",
    )
    .await;
    let cchc = schedule(
        &sec,
        "Báo cáo CCHC của các đơn vị",
        tpl,
        snv,
        &[stp, syt],
        Some(agencies),
        "25",
    )
    .await;
    let cds = schedule(
        &sec,
        "Báo cáo chuyển đổi số của các đơn vị",
        tpl,
        skhcn,
        &[stp, sgd],
        Some(agencies),
        "25",
    )
    .await;
    // A level whose receiver does not report to the level above is refused.
    let f = pairs(&[
        ("name", "Sai cấp"),
        ("template_id", &tpl.to_string()),
        ("receiver_unit_id", &syt.to_string()),
        ("frequency", "quarterly"),
        ("due_rule", "day_of_month"),
        ("due_value", "25"),
        ("reminder_offsets", "-1"),
        ("parent_id", &agencies.to_string()),
        ("units", &stp.to_string()),
    ]);
    let (s, body, _) = sec.post("/reports/schedules", &f).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("phải là một đơn vị báo cáo của cấp tổng hợp trên"),
        "{body}"
    );

    // The schedule page shows Q1/2024 due 25/03/2024, nobody in yet.
    let (s, page) = sec.get(&format!("/reports/schedules/{cchc}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Quý I/2024") && page.contains("25/03/2024"),
        "{page}"
    );
    assert!(page.contains("0/2"), "{page}");

    // -- units report. Sở Tư pháp starts from its task progress and submits on time.
    app.clock.travel_to(day("2024-03-20"));
    let stp_u = User::login(&app, "cb_stp").await;
    let r_stp = request_of(&app, cchc, "75.STP").await;
    let (s, form) = stp_u.get(&format!("/reports/requests/{r_stp}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("điền sẵn"), "prefilled from task progress");
    // A half-typed report is refused with Vietnamese reasons, and nothing typed is lost.
    let mut half = report("Đã rà soát 120 thủ tục", [100, 90, 95, 40]);
    half.retain(|(k, _)| k != "f_nhiem_vu_ky_toi");
    let (s, body, _) = stp_u
        .post(
            &format!("/reports/requests/{r_stp}"),
            &with_action(half, "submit"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("“Số hồ sơ giải quyết đúng hạn” không được lớn hơn “Số hồ sơ đã giải quyết”"),
        "{body}"
    );
    assert!(
        body.contains("“Nhiệm vụ trọng tâm kỳ tới” là bắt buộc"),
        "{body}"
    );
    assert!(body.contains("Đã rà soát 120 thủ tục"), "typed text kept");
    // Autosave keeps a draft without a page load.
    let r = stp_u
        .c
        .post(format!("{}/reports/requests/{r_stp}", app.base))
        .header("x-autosave", "1")
        .form(&[
            ("_csrf", stp_u.csrf.as_str()),
            ("action", "autosave"),
            ("f_ket_qua", "Bản nháp tự lưu"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (_, form) = stp_u.get(&format!("/reports/requests/{r_stp}")).await;
    assert!(form.contains("Bản nháp tự lưu"));
    let (s, _, _) = stp_u
        .post(
            &format!("/reports/requests/{r_stp}"),
            &with_action(
                report("Sở Tư pháp: rà soát 120 thủ tục", [100, 90, 85, 40]),
                "submit",
            ),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Another unit's officer may not touch it.
    let syt_u = User::login(&app, "cb_syt").await;
    let (s, _, _) = syt_u
        .post(
            &format!("/reports/requests/{r_stp}"),
            &with_action(report("x", [1, 1, 1, 1]), "save"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A submitted report cannot be edited.
    let (s, _, _) = stp_u
        .post(
            &format!("/reports/requests/{r_stp}"),
            &with_action(report("sửa", [1, 1, 1, 1]), "save"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Sở Tư pháp also reports to the CĐS standing agency, on time.
    let r_stp2 = request_of(&app, cds, "75.STP").await;
    stp_u
        .post(
            &format!("/reports/requests/{r_stp2}"),
            &with_action(
                report("Sở Tư pháp: chữ ký số 100%", [10, 10, 10, 10]),
                "submit",
            ),
        )
        .await;

    // -- reminders: three days before the due date, only the unit that has not reported
    app.clock.travel_to(day("2024-03-22"));
    let rep = notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    // Sở Y tế and Sở GD&ĐT, three days before 25/3; the levels above are not due yet.
    assert_eq!((rep.reminders, rep.sent, rep.failed), (2, 2, 0), "{rep:?}");
    let syt_mail = smtp.to("syt@dongnai.gov.vn");
    assert_eq!(syt_mail.len(), 1, "one reminder for Sở Y tế");
    assert!(
        syt_mail[0].data.contains("Báo cáo CCHC của các đơn vị")
            && syt_mail[0].data.contains("25/03/2024")
    );
    assert!(
        syt_mail[0].data.contains("còn 3 ngày"),
        "{}",
        syt_mail[0].data
    );
    assert_eq!(smtp.to("sgd@dongnai.gov.vn").len(), 1);
    assert!(
        smtp.to("stp@dongnai.gov.vn").is_empty(),
        "never to a unit that has reported"
    );
    // Once per rule and recipient: a second pass (or a restarted server) sends nothing new.
    let before = smtp.mails.lock().unwrap().len();
    notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    assert_eq!(smtp.mails.lock().unwrap().len(), before);

    // -- Sở Y tế submits on 24/3 (on time); Sở GD&ĐT only on 26/3 (late).
    app.clock.travel_to(day("2024-03-24"));
    let r_syt = request_of(&app, cchc, "75.SYT").await;
    let (s, _, _) = syt_u
        .post(
            &format!("/reports/requests/{r_syt}"),
            &with_action(
                report("Sở Y tế: liên thông khai sinh", [50, 40, 30, 20]),
                "submit",
            ),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // The receiver returns it with a reason; the unit resubmits after the due date: late.
    let (s, _, _) = sec
        .post(
            &format!("/reports/requests/{r_syt}/decision"),
            &pairs(&[("decision", "return"), ("note", "")]),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return needs a reason"
    );
    let (s, _, _) = sec
        .post(
            &format!("/reports/requests/{r_syt}/decision"),
            &pairs(&[
                ("decision", "return"),
                ("note", "Số liệu hồ sơ chưa khớp Cổng dịch vụ công"),
            ]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, page) = sec.get(&format!("/reports/schedules/{cchc}")).await;
    assert!(
        page.contains("Sở Y tế") && page.contains("(bị trả lại)"),
        "the returned unit is listed"
    );
    app.clock.travel_to(day("2024-03-26"));
    let (s, _, _) = syt_u
        .post(
            &format!("/reports/requests/{r_syt}"),
            &with_action(
                report(
                    "Sở Y tế: liên thông khai sinh (đã đối chiếu)",
                    [50, 40, 35, 20],
                ),
                "submit",
            ),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, page) = syt_u.get(&format!("/reports/requests/{r_syt}")).await;
    assert!(
        page.contains("Phiên bản 2") && page.contains("Phiên bản 1"),
        "history kept"
    );
    assert!(
        page.contains("Số liệu hồ sơ chưa khớp"),
        "the reason stays in the history"
    );
    assert!(page.contains("Trễ hạn"));
    let sgd_u = User::login(&app, "cb_sgd").await;
    let r_sgd = request_of(&app, cds, "75.SGDDT").await;
    sgd_u
        .post(
            &format!("/reports/requests/{r_sgd}"),
            &with_action(
                report("Sở GD&ĐT: tuyển sinh trực tuyến", [30, 30, 30, 30]),
                "submit",
            ),
        )
        .await;
    sec.post(
        &format!("/reports/requests/{r_stp}/decision"),
        &pairs(&[("decision", "accept"), ("note", "")]),
    )
    .await;
    // The accepted report's 766 indicator 1.4 (synced dossiers) becomes the unit's value
    // for the month its window ends in, as a numerator and a denominator.
    let stp = app.unit("75.STP").await;
    let synced: Vec<(String, String, f64, f64)> = steerco::with_db!(&app.db, |p| {
        sqlx::query_as(
        "SELECT indicator, month, numerator, denominator FROM indicator_values WHERE unit_id = $1"
    )
    .bind(stp)
    .fetch_all(p)
    .await
    })
    .unwrap();
    assert_eq!(synced.len(), 1, "{synced:?}");
    assert_eq!(
        (synced[0].0.as_str(), synced[0].1.as_str()),
        ("dossier_sync", "2024-03")
    );
    // Sở Tư pháp reported 100 dossiers received, 40 of them synced.
    assert_eq!((synced[0].2, synced[0].3), (40.0, 100.0), "{synced:?}");

    // -- level 1 consolidated: sums and ratios of sums, completeness and timeliness
    let s1 = steerco::reporting::schedule::get_schedule(&app.db, cchc)
        .await
        .unwrap();
    let c = steerco::reporting::consolidation::consolidate(&app.db, &s1, "2024-Q1")
        .await
        .unwrap();
    assert_eq!(
        (c.expected(), c.submitted(), c.on_time(), c.late()),
        (2, 2, 1, 1)
    );
    assert_eq!(c.totals["hs_tiep_nhan"], 150.0);
    let on_time_rate = c.fields.iter().find(|f| f.key == "tl_dung_han").unwrap();
    // (85 + 35) / (90 + 40), not the mean of 94.4 % and 87.5 %
    assert!((c.figure(on_time_rate).unwrap() - 120.0 / 130.0 * 100.0).abs() < 1e-9);
    let (_, page) = sec.get(&format!("/reports/schedules/{cchc}")).await;
    assert!(page.contains("2/2") && page.contains("92,3 %"), "{page}");

    // -- level 2: standing agencies start from their units' consolidated reports
    let snv_u = User::login(&app, "officer_snv").await;
    let r_snv2 = request_of(&app, agencies, "75.SNV").await;
    let (_, form) = snv_u.get(&format!("/reports/requests/{r_snv2}")).await;
    assert!(
        form.contains("value=\"150\""),
        "received dossiers summed from Sở Tư pháp and Sở Y tế"
    );
    assert!(
        form.contains("Sở Tư pháp:\nSở Tư pháp: rà soát 120 thủ tục"),
        "narratives grouped by unit"
    );
    let skhcn_u = User::login(&app, "cb_skhcn").await;
    let r_skhcn = request_of(&app, agencies, "75.SKHCN").await;
    let (_, form) = skhcn_u.get(&format!("/reports/requests/{r_skhcn}")).await;
    assert!(
        form.contains("value=\"40\""),
        "10 + 30 dossiers from the CĐS units"
    );
    // Submitting the pre-filled form as it stands.
    let take = |form: &str| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for f in &fields {
            if f.kind == template::FieldKind::Ratio {
                continue;
            }
            let name = format!("name=\"f_{}\"", f.key);
            let i = form
                .find(&name)
                .unwrap_or_else(|| panic!("field {}", f.key));
            let rest = &form[i..];
            let v = if f.kind == template::FieldKind::Narrative {
                let a = rest.find('>').unwrap() + 1;
                let b = rest.find("</textarea>").unwrap();
                rest[a..b]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
            } else {
                let a = rest.find("value=\"").unwrap() + 7;
                rest[a..].split('"').next().unwrap().to_string()
            };
            out.push((
                format!("f_{}", f.key),
                if v.is_empty() { "Không".into() } else { v },
            ));
        }
        out
    };
    let (_, form) = snv_u.get(&format!("/reports/requests/{r_snv2}")).await;
    let (s, body, _) = snv_u
        .post(
            &format!("/reports/requests/{r_snv2}"),
            &with_action(take(&form), "submit"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, form) = skhcn_u.get(&format!("/reports/requests/{r_skhcn}")).await;
    skhcn_u
        .post(
            &format!("/reports/requests/{r_skhcn}"),
            &with_action(take(&form), "submit"),
        )
        .await;
    // Công an tỉnh does not report: listed as missing at level 2.

    // -- level 3: Sở Nội vụ to the committee, by 28/3
    app.clock.travel_to(day("2024-03-27"));
    let r_top = request_of(&app, top, "75.SNV").await;
    let (_, form) = snv_u.get(&format!("/reports/requests/{r_top}")).await;
    assert!(
        form.contains("value=\"190\""),
        "150 + 40 up the cascade: {}",
        &form[..form.len().min(300)]
    );
    snv_u
        .post(
            &format!("/reports/requests/{r_top}"),
            &with_action(take(&form), "submit"),
        )
        .await;

    let levels = {
        let t = steerco::reporting::schedule::get_schedule(&app.db, top)
            .await
            .unwrap();
        steerco::reporting::consolidation::cascade(&app.db, &t, "2024-Q1")
            .await
            .unwrap()
    };
    let summary: Vec<(usize, usize, usize, usize)> = levels
        .iter()
        .map(|l| {
            (
                l.depth,
                l.consolidation.expected(),
                l.consolidation.submitted(),
                l.consolidation.on_time(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![(0, 1, 1, 1), (1, 3, 2, 2), (2, 2, 2, 1), (2, 2, 2, 1)]
    );
    let (_, page) = sec.get(&format!("/reports/schedules/{top}")).await;
    assert!(page.contains("Công an tỉnh"), "missing agency shown");
    assert!(page.contains("Cấp 3"), "every level shown");

    // -- after the due date: the late one gets a reminder; the digest goes to the secretary
    app.clock.travel_to(day("2024-03-28"));
    notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    let cat_mail = smtp.to("cat@dongnai.gov.vn");
    assert!(
        cat_mail.iter().any(|m| m.data.contains("quá 1 ngày")),
        "{cat_mail:?}"
    );
    let digest = smtp.to("thuky@dongnai.gov.vn");
    assert_eq!(digest.len(), 1);
    assert!(
        digest[0].data.contains("Công an tỉnh"),
        "{}",
        digest[0].data
    );

    // -- a delivery that fails is retried and shown
    officer(&app, "cb_stc", "75.STC", "stc@dongnai.gov.vn").await;
    let (s, v) = app
        .post("secretary", &format!("/api/v1/directives/{}/tasks", app.directive("12/KH-UBND", "2024-01-05").await),
            json!({"title": "Ban hành kế hoạch số hóa hồ sơ", "lead_units": [app.unit("75.STC").await], "deadline_text": "15/03/2024"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    smtp.refuse.store(1, Ordering::SeqCst);
    app.clock.travel_to(day("2024-03-29"));
    let rep = notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    assert_eq!(rep.failed, 1, "{rep:?}");
    assert!(smtp.to("stc@dongnai.gov.vn").is_empty());
    let (_, page) = sec.get("/notifications?state=failed").await;
    assert!(
        page.contains("Lỗi, đang thử lại") && page.contains("451"),
        "{page}"
    );
    app.clock
        .set_offset_seconds(app.clock.now().timestamp() - chrono::Utc::now().timestamp() + 600);
    notify::deliver(&app.db, &ch, app.clock.now())
        .await
        .unwrap();
    let urging = smtp.to("stc@dongnai.gov.vn");
    assert_eq!(urging.len(), 1, "retried and delivered");
    assert!(urging[0].data.contains("Ban hành kế hoạch số hóa hồ sơ"));

    // -- official documents
    let (s, docx) = sec.bytes(&format!("/reports/schedules/{top}/report.docx?period=2024-Q1&signer=Nguy%E1%BB%85n%20V%C4%83n%20A")).await;
    assert_eq!(s, StatusCode::OK);
    let text = docx_text(&docx);
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Số:      /BC-UBND",
        "Đồng Nai, ngày 29 tháng 3 năm 2024",
        "TỈNH ĐỒNG NAI",
        "BÁO CÁO",
        "Quý I/2024",
        "I. TÌNH HÌNH TỔNG HỢP BÁO CÁO",
        "Báo cáo của cơ quan thường trực các BCĐ: 2/3 đơn vị đã gửi báo cáo",
        "Công an tỉnh",
        "Số hồ sơ TTHC tiếp nhận | 190",
        "Nơi nhận:",
        "Nguyễn Văn A",
        "Phụ lục",
        "Sở Tư pháp",
        "(Kèm theo Báo cáo số      /BC-UBND ngày 29/03/2024 của Ủy ban nhân dân tỉnh Đồng Nai)",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
    // the appendix is about the units reporting in the cascade, not the whole province
    let appendix = &text[text
        .find("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ")
        .unwrap()..];
    assert!(!appendix.contains("Sở Tài chính"), "{appendix}");
    if let Ok(dir) = std::env::var("STEERCO_KEEP_DOCS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/bao-cao-tong-hop.docx"), &docx).unwrap();
    }
    let (s, xlsx) = sec
        .bytes(&format!(
            "/reports/schedules/{cchc}/submissions.xlsx?period=2024-Q1"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    if let Ok(dir) = std::env::var("STEERCO_KEEP_DOCS") {
        std::fs::write(format!("{dir}/tinh-hinh-gui-bao-cao.xlsx"), &xlsx).unwrap();
    }
    let sheet = xlsx_sheet(&xlsx);
    assert!(
        sheet.contains("Sở Y tế") && sheet.contains("Trễ hạn") && sheet.contains("150"),
        "{sheet}"
    );
    let (s, xlsx) = sec
        .bytes(&format!(
            "/reports/schedules/{top}/tasks.xlsx?period=2024-Q1"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(xlsx_sheet(&xlsx).contains("Sở Tài chính"));
    let (s, urging) = sec
        .bytes(&format!("/units/{}/urging.docx", app.unit("75.STC").await))
        .await;
    assert_eq!(s, StatusCode::OK);
    let text = docx_text(&urging);
    assert!(
        text.contains("Kính gửi: Sở Tài chính")
            && text.contains("Ban hành kế hoạch số hóa hồ sơ")
            && text.contains("V/v đôn đốc"),
        "{text}"
    );
    // An officer may not download another province-wide document.
    let (s, _) = stp_u
        .bytes(&format!("/reports/schedules/{top}/report.docx"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // -- the unit's deadlines in its calendar
    let stc_u = User::login(&app, "cb_stc").await;
    let stc = app.unit("75.STC").await;
    let (s, _, _) = stc_u.post(&format!("/units/{stc}/calendar"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, my) = stc_u.get(&format!("/my?unit={stc}")).await;
    let i = my.find("href=\"/calendar/").unwrap() + 6;
    let url = my[i..].split('"').next().unwrap().to_string();
    let ics = app
        .client
        .get(app.url(&url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR") && ics.contains("DTSTART;VALUE=DATE:20240315"),
        "{ics}"
    );
    assert!(ics.contains("Ban hành kế hoạch số hóa hồ sơ"));
    let r = app
        .client
        .get(app.url("/calendar/0123456789abcdef0123456789abcdef.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn example_000_monthly_working_group_report() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2026-11-05"));
    let sec = User::login(&app, "secretary").await;
    let fields = template::project06_monthly_report();
    let (_, _, loc) = sec
        .post(
            "/reports/templates",
            &template_form("Báo cáo Đề án 06 tháng", &fields),
        )
        .await;
    let tpl = id_in(&loc);
    let pc06 = app.unit("75.CAT").await;
    let communes = app.group("75.XA").await;
    let f = pairs(&[
        ("name", "Báo cáo tiến độ Đề án 06 hằng tháng"),
        ("template_id", &tpl.to_string()),
        ("receiver_unit_id", &pc06.to_string()),
        ("groups", &communes.to_string()),
        ("frequency", "monthly"),
        ("cutoff_day", "14"),
        ("due_rule", "day_of_month"),
        ("due_value", "15"),
        ("reminder_offsets", "-2, 1"),
    ]);
    let (s, body, loc) = sec.post("/reports/schedules", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let sched = id_in(&loc);
    // Communes report "before the 15th": November's window is 15/10–14/11, due 15/11.
    let (_, page) = sec.get(&format!("/reports/schedules/{sched}")).await;
    assert!(
        page.contains("Tháng 11/2026") && page.contains("15/11/2026") && page.contains("0/95"),
        "{page}"
    );
    let commune = User::login(&app, "officer_commune").await;
    let (_, hub) = commune.get("/reports").await;
    assert!(
        hub.contains("Báo cáo tiến độ Đề án 06 hằng tháng"),
        "the commune sees what it owes"
    );
    let (id,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT id FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND period = '2026-11'"
    )
    .bind(sched)
    .bind(app.unit("26041").await)
    .fetch_one(p)
    .await)
    .unwrap();
    let values = pairs(&[
        ("action", "submit"),
        ("f_ket_qua", "Kích hoạt 1.250 tài khoản định danh mức 2"),
        ("f_kho_khan", ""),
        ("f_de_xuat", ""),
        ("f_dinh_danh_kich_hoat", "1.250"),
        ("f_dvc_tiep_nhan", "400"),
        ("f_dvc_truc_tuyen", "310"),
        ("f_nv_qua_han", "0"),
    ]);
    let (s, body, _) = commune
        .post(&format!("/reports/requests/{id}"), &values)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, page) = sec.get(&format!("/reports/schedules/{sched}")).await;
    assert!(
        page.contains("1/95") && page.contains("1.250") && page.contains("77,5 %"),
        "{page}"
    );
    // Leaders and the secretariat see it on the overview too.
    let (_, dash) = sec.get("/dashboard").await;
    let i = dash
        .find("Báo cáo định kỳ")
        .expect("a reporting section on the overview");
    assert!(
        dash[i..].contains("Báo cáo tiến độ Đề án 06 hằng tháng") && dash[i..].contains("1/95"),
        "{}",
        &dash[i..]
    );
    // The leader reads the consolidation; the leader cannot accept or return.
    let leader = User::login(&app, "leader").await;
    let (s, _) = leader.get(&format!("/reports/schedules/{sched}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = leader
        .post(
            &format!("/reports/requests/{id}/decision"),
            &pairs(&[("decision", "accept")]),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The receiving agency's officer accepts it.
    officer(&app, "pc06", "75.CAT", "pc06@dongnai.gov.vn").await;
    let (_, hub) = sec.get("/reports").await;
    assert!(
        hub.contains("Báo cáo chờ tiếp nhận (1)") && hub.contains("Phường Trấn Biên"),
        "the secretariat's queue"
    );
    let pc = User::login(&app, "pc06").await;
    let (_, hub) = pc.get("/reports").await;
    assert!(hub.contains("Báo cáo chờ tiếp nhận (1)"));
    let (s, _, _) = pc
        .post(
            &format!("/reports/requests/{id}/decision"),
            &pairs(&[("decision", "accept"), ("note", "")]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // After the due date the communes that have not reported hear from the province's
    // SMS/Zalo gateway (a webhook); the one that reported does not.
    let hook = crate::helpers::gateway().await;
    let hooks = hook.got.clone();
    let hook_url = hook.url.clone();
    let ch = Channels {
        smtp: None,
        webhook: Some(hook_url),
        ca_pem: None,
    };
    app.clock.travel_to(day("2026-11-16"));
    let rep = notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    let got = hooks.lock().unwrap().clone();
    assert_eq!(rep.sent, 94, "{rep:?}");
    assert_eq!(got.len(), 94);
    assert!(got.iter().all(|v| v["unit_code"] != "26041"));
    assert!(
        got.iter()
            .any(|v| v["text"].as_str().unwrap().contains("đã quá 1 ngày")),
        "{:?}",
        got[0]
    );
    notify::tick(&app.db, &ch, app.clock.now()).await.unwrap();
    assert_eq!(
        hooks.lock().unwrap().len(),
        94,
        "sent once per rule and recipient"
    );
    // December's requests open when the clock reaches its window.
    app.clock.travel_to(day("2026-11-20"));
    notify::tick(&app.db, &Channels::default(), app.clock.now())
        .await
        .unwrap();
    let (_, page) = sec
        .get(&format!("/reports/schedules/{sched}?period=2026-12"))
        .await;
    assert!(
        page.contains("Tháng 12/2026") && page.contains("0/95") && page.contains("15/12/2026"),
        "{page}"
    );
    // The secretary moves the due date to "2 working days after the cut-off" and narrows the
    // reporters to one commune: December's open requests follow, November's stay.
    let tran_bien = app.unit("26041").await.to_string();
    let edit = pairs(&[
        ("name", "Báo cáo tiến độ Đề án 06 hằng tháng"),
        ("cutoff_day", "14"),
        ("due_rule", "working_days"),
        ("due_value", "2"),
        ("reminder_offsets", "-1, 2"),
        ("units", &tran_bien),
    ]);
    let (s, body, _) = sec
        .post(&format!("/reports/schedules/{sched}/edit"), &edit)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, page) = sec
        .get(&format!("/reports/schedules/{sched}?period=2026-12"))
        .await;
    // 14/12/2026 is a Monday: two working days later is Wednesday 16/12.
    assert!(
        page.contains("0/1") && page.contains("16/12/2026"),
        "{page}"
    );
    let (_, page) = sec
        .get(&format!("/reports/schedules/{sched}?period=2026-11"))
        .await;
    assert!(page.contains("1/95"), "history of November kept: {page}");

    // The same through the JSON API, as a unit's own system would report.
    let (s, v) = app.get("officer_commune", "/api/v1/reports/requests").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let dec = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == "2026-12")
        .expect("December's request")["id"]
        .as_i64()
        .unwrap();
    let (s, v) = app
        .get(
            "officer_commune",
            &format!("/api/v1/reports/requests/{dec}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["key"] == "dvc_truc_tuyen"));
    let put = |body: serde_json::Value| {
        app.client
            .put(app.url(&format!("/api/v1/reports/requests/{dec}")))
            .bearer_auth(&app.tokens["officer_commune"])
            .json(&body)
            .send()
    };
    let values = json!({"ket_qua": "Triển khai 100% dịch vụ công thiết yếu", "dinh_danh_kich_hoat": 80,
        "dvc_tiep_nhan": 100, "dvc_truc_tuyen": 130, "nv_qua_han": 0});
    let r = put(json!({"values": values, "submit": true}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("không được lớn hơn"),
        "{e}"
    );
    let mut values = values;
    values["dvc_truc_tuyen"] = json!(90);
    let r = put(json!({"values": values, "submit": true}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, v) = app
        .get(
            "secretary",
            &format!("/api/v1/reports/schedules/{sched}/consolidation?period=2026-12"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["levels"][0]["submitted"], 1);
    assert_eq!(v["levels"][0]["figures"]["dvc_tiep_nhan"], 100.0);
    assert_eq!(v["levels"][0]["figures"]["tl_dvc_truc_tuyen"], 90.0);
    let (s, _) = app
        .get(
            "officer_stp",
            &format!("/api/v1/reports/schedules/{sched}/consolidation"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not the receiving unit");
}

#[tokio::test]
async fn holidays_are_edited_by_the_administrator() {
    let app = spawn_app().await;
    let admin = User::login(&app, "admin").await;
    let (s, _, _) = admin
        .post(
            "/holidays",
            &pairs(&[("day", "02/09/2028"), ("name", "Quốc khánh")]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, body, _) = admin
        .post(
            "/holidays",
            &pairs(&[("day", "02/09/2028"), ("name", "Quốc khánh")]),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("đã có trong danh sách"), "{body}");
    let (s, body, _) = admin
        .post("/holidays", &pairs(&[("day", "31/02/2028"), ("name", "x")]))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Ngày nghỉ không hợp lệ"), "{body}");
    // A holiday on a working day moves working-day deadlines; removing it moves them back.
    let (s, _, _) = admin
        .post(
            "/holidays",
            &pairs(&[("day", "04/09/2028"), ("name", "Nghỉ bù Quốc khánh")]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let next_working_day = || async {
        steerco::reporting::WorkCalendar::load(&app.db)
            .await
            .unwrap()
            .add_working_days(day("2028-09-01"), 1)
    };
    assert_eq!(
        next_working_day().await,
        day("2028-09-05"),
        "Friday → Tuesday"
    );
    let sec = User::login(&app, "secretary").await;
    let (s, _, _) = sec
        .post("/holidays", &pairs(&[("day", "03/09/2028"), ("name", "x")]))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = sec.post("/holidays/2028-09-04/delete", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = admin.post("/holidays/2028-09-04/delete", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        next_working_day().await,
        day("2028-09-04"),
        "Friday → Monday"
    );
    let (_, page) = admin.get("/holidays").await;
    assert!(
        page.contains("02/09/2028") && !page.contains("04/09/2028"),
        "{page}"
    );
    // An ad hoc report with its own window and due date.
    app.clock.travel_to(day("2026-04-20"));
    let fields = template::project06_monthly_report();
    let (_, _, loc) = sec
        .post(
            "/reports/templates",
            &template_form("Báo cáo nhanh", &fields),
        )
        .await;
    let f = pairs(&[
        ("name", "Báo cáo nhanh tình hình cấp căn cước"),
        ("template_id", &id_in(&loc).to_string()),
        ("receiver_unit_id", &app.unit("75.CAT").await.to_string()),
        ("units", &app.unit("26041").await.to_string()),
        ("frequency", "ad_hoc"),
        ("adhoc_start", "01/04/2026"),
        ("adhoc_due", "24/04/2026"),
        ("reminder_offsets", "-1"),
    ]);
    let (s, body, loc) = sec.post("/reports/schedules", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, page) = sec
        .get(&format!("/reports/schedules/{}", id_in(&loc)))
        .await;
    assert!(
        page.contains("Đột xuất (hạn 24/04/2026)")
            && page.contains("01/04/2026")
            && page.contains("0/1"),
        "{page}"
    );
    // Without a due date an ad hoc report is refused.
    let mut bad = f.clone();
    bad.retain(|(k, _)| k != "adhoc_due");
    let (s, body, _) = sec.post("/reports/schedules", &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Báo cáo đột xuất cần hạn gửi"), "{body}");
}

/// Many saves of one report at once, one of them the submission (a unit's autosave firing while
/// its officer presses "Nộp"): every save is answered without a server error, and a submission
/// that was acknowledged stays submitted with what was submitted, on both databases.
#[tokio::test]
async fn an_acknowledged_submission_survives_autosaves_racing_it() {
    let app = spawn_app().await;
    app.clock.travel_to(day("2026-11-05"));
    let sec = User::login(&app, "secretary").await;
    let fields = template::project06_monthly_report();
    let (_, _, loc) = sec
        .post(
            "/reports/templates",
            &template_form("Báo cáo tháng", &fields),
        )
        .await;
    let tpl = id_in(&loc);
    let f = pairs(&[
        ("name", "Báo cáo Đề án 06 hằng tháng"),
        ("template_id", &tpl.to_string()),
        ("receiver_unit_id", &app.unit("75.CAT").await.to_string()),
        ("groups", &app.group("75.XA").await.to_string()),
        ("frequency", "monthly"),
        ("cutoff_day", "14"),
        ("due_rule", "day_of_month"),
        ("due_value", "15"),
    ]);
    let (s, body, loc) = sec.post("/reports/schedules", &f).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let sched = id_in(&loc);
    let (id,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT id FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND period = '2026-11'"
    )
    .bind(sched)
    .bind(app.unit("26041").await)
    .fetch_one(p)
    .await)
    .unwrap();
    let path = format!("/api/v1/reports/requests/{id}");
    let values = |text: &str| {
        json!({"ket_qua": text, "dinh_danh_kich_hoat": 1250, "dvc_tiep_nhan": 400,
               "dvc_truc_tuyen": 310, "nv_qua_han": 0})
    };
    let answers = futures_util::future::join_all((0..32).map(|i| {
        let body = if i == 16 {
            json!({"values": values("Bản nộp"), "submit": true})
        } else {
            json!({"values": values(&format!("Bản nháp {i}")), "submit": false})
        };
        let (app, path) = (&app, &path);
        async move {
            let r = app
                .client
                .put(app.url(path))
                .bearer_auth(&app.tokens["officer_commune"])
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let v: serde_json::Value = r.json().await.unwrap_or_default();
            (status, v["state"].as_str().unwrap_or("").to_string())
        }
    }))
    .await;
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{answers:?}"
    );
    assert_eq!(answers[16], (StatusCode::OK, "submitted".to_string()));
    let (s, v) = app.get("officer_commune", &path).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["request"]["state"], "submitted", "{v}");
    assert_eq!(v["values"]["ket_qua"], "Bản nộp", "{v}");
    let (versions,): (i64,) = steerco::with_db!(&app.db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM report_submissions WHERE request_id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(versions, 1, "one draft saved in place, then submitted");
}
