//! Reminders, digests and urging notices, through an outbox. Each notice has a key naming
//! its rule and recipient; the key is unique in the database, so a notice is queued once
//! even across restarts. Delivery reads the outbox, retries failures with backoff, and
//! leaves every outcome visible in the UI.

pub mod channels;
pub mod inbox;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::reporting::{self, schedule, WorkCalendar};
use crate::store::{show_date, Arg, Db};
use crate::with_db;

pub use channels::Channels;

/// Attempts before a notice is marked failed (each retry waits twice as long).
pub const MAX_ATTEMPTS: i32 = 5;

pub struct Notice {
    pub key: String,
    pub province: String,
    pub kind: &'static str,
    pub channel: &'static str,
    pub recipient: String,
    pub unit_id: Option<i64>,
    /// A notice to one person (a secretary's digest) rather than to a unit's officers.
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
}

/// The channel of the notices shown inside the app: delivered when written.
pub const IN_APP: &str = "app";

/// Queues a notice unless one with the same key exists (an in-app one is delivered at once).
/// Returns whether it was queued.
pub async fn enqueue(db: &Db, n: &Notice, now: DateTime<Utc>) -> AppResult<bool> {
    let at = crate::clock::stored(now);
    let mut work = crate::work::Work::begin(db).await?;
    let inserted = crate::in_work!(work, |tx| {
        sqlx::query(
        "INSERT INTO notifications (dedup_key, province_code, kind, channel, recipient, unit_id, user_id, subject, body, \
         state, attempts, last_error, next_attempt_at, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, '', $11, $11, $12) ON CONFLICT (dedup_key) DO NOTHING"
    )
    .bind(&n.key)
    .bind(&n.province)
    .bind(n.kind)
    .bind(n.channel)
    .bind(&n.recipient)
    .bind(n.unit_id)
    .bind(n.user_id)
    .bind(&n.subject)
    .bind(&n.body)
    .bind(if n.channel == IN_APP { "sent" } else { "pending" })
    .bind(&at)
    .bind((n.channel == IN_APP).then_some(&at))
    .execute(&mut *tx)
    .await
    .map(|r| r.rows_affected())
    })?;
    work.commit().await?;
    Ok(inserted > 0)
}

/// Who hears about a unit's obligations: its officers with an e-mail address, and the
/// webhook (addressed by unit code, with the officers' phone numbers).
#[derive(Default)]
struct Recipients {
    emails: Vec<String>,
    phones: Vec<String>,
}

/// Every unit's recipients, read once per pass.
async fn all_recipients(db: &Db) -> AppResult<HashMap<i64, Recipients>> {
    let rows: Vec<(i64, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT unit_id, email, phone FROM users WHERE unit_id IS NOT NULL AND active = TRUE AND role = 'officer' ORDER BY id"
    )
    .fetch_all(p)
    .await
    })?;
    let mut out: HashMap<i64, Recipients> = HashMap::new();
    for (unit, email, phone) in rows {
        let r = out.entry(unit).or_default();
        if !email.trim().is_empty() {
            r.emails.push(email.trim().to_string());
        }
        if !phone.trim().is_empty() {
            r.phones.push(phone.trim().to_string());
        }
    }
    Ok(out)
}

/// What one pass knows: the channels, the recipients, and the keys already queued (so a
/// pass that finds nothing new writes nothing).
struct Pass<'a> {
    db: &'a Db,
    ch: &'a Channels,
    now: DateTime<Utc>,
    recipients: HashMap<i64, Recipients>,
    queued: std::collections::HashSet<String>,
    /// A pass run for one province by its secretariat queues that province's notices only.
    only: Option<&'a str>,
    /// The overdue assignments of the pass's scope, read once for the urgings and the digests.
    overdue: Option<std::sync::Arc<Vec<OverdueRow>>>,
    /// Notices raised inside the app by this pass (not counted with the channels' ones).
    in_app: usize,
}

impl Pass<'_> {
    async fn overdue(&mut self) -> AppResult<std::sync::Arc<Vec<OverdueRow>>> {
        if let Some(o) = &self.overdue {
            return Ok(o.clone());
        }
        let today = crate::clock::vn_date(self.now);
        let o = std::sync::Arc::new(overdue_assignments(self.db, today, self.only).await?);
        self.overdue = Some(o.clone());
        Ok(o)
    }

    async fn enqueue(&mut self, n: Notice) -> AppResult<usize> {
        if self.queued.contains(&n.key) || self.only.is_some_and(|p| p != n.province) {
            return Ok(0);
        }
        let added = enqueue(self.db, &n, self.now).await? as usize;
        self.queued.insert(n.key);
        if n.channel == IN_APP {
            self.in_app += added;
            return Ok(0);
        }
        Ok(added)
    }
}

/// Queues one message to a unit inside the app and on every configured channel. `rule` names
/// the rule; the recipient is appended, so each rule reaches each recipient once. Returns the
/// notices queued on the channels.
async fn to_unit(
    pass: &mut Pass<'_>,
    rule: &str,
    kind: &'static str,
    province: &str,
    unit: (i64, &str),
    subject: &str,
    body: &str,
) -> AppResult<usize> {
    let (emails, phones) = match pass.recipients.get(&unit.0) {
        Some(r) => (r.emails.clone(), r.phones.clone()),
        None => (vec![], vec![]),
    };
    let mut queued = pass
        .enqueue(Notice {
            key: format!("{rule}:app:{}", unit.1),
            province: province.into(),
            kind,
            channel: IN_APP,
            recipient: unit.1.to_string(),
            unit_id: Some(unit.0),
            user_id: None,
            subject: subject.into(),
            body: body.into(),
        })
        .await?;
    if pass.ch.smtp.is_some() {
        for e in emails {
            queued += pass
                .enqueue(Notice {
                    key: format!("{rule}:email:{e}"),
                    province: province.into(),
                    kind,
                    channel: "email",
                    recipient: e,
                    unit_id: Some(unit.0),
                    user_id: None,
                    subject: subject.into(),
                    body: body.into(),
                })
                .await?;
        }
    }
    if pass.ch.webhook.is_some() {
        queued += pass
            .enqueue(Notice {
                key: format!("{rule}:webhook:{}", unit.1),
                province: province.into(),
                kind,
                channel: "webhook",
                recipient: if phones.is_empty() {
                    unit.1.to_string()
                } else {
                    format!("{} ({})", unit.1, phones.join(", "))
                },
                unit_id: Some(unit.0),
                user_id: None,
                subject: subject.into(),
                body: body.into(),
            })
            .await?;
    }
    Ok(queued)
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct TickReport {
    pub requests_opened: u64,
    pub reminders: usize,
    pub urgings: usize,
    pub digests: usize,
    /// Notices raised inside the app (whatever the channels).
    pub in_app: usize,
    pub sent: usize,
    pub failed: usize,
}

/// One pass of the scheduler: open the requests of live periods, queue the reminders whose
/// day has come, the weekly urging of units with overdue tasks and the secretariat's daily
/// digest (from 07:00), then deliver what is due.
pub async fn tick(db: &Db, ch: &Channels, now: DateTime<Utc>) -> AppResult<TickReport> {
    tick_for(db, ch, now, None).await
}

/// The pass for one province (`only`), or the country.
pub async fn tick_for(
    db: &Db,
    ch: &Channels,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> AppResult<TickReport> {
    let mut rep = TickReport::default();
    let today = crate::clock::vn_date(now);
    let cal = WorkCalendar::load(db).await?;
    let mut schedules = schedule::all_active_schedules(db).await?;
    schedules.retain(|s| only.is_none_or(|p| p == s.province_code));
    // Write only where a live period lacks requests (a new period, a new reporter): two
    // grouped reads instead of an insert per schedule and period on every pass.
    let opened: HashMap<(i64, String), i64> = with_db!(db, |p| sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT schedule_id, period, COUNT(*) FROM report_requests WHERE due_on >= $1 GROUP BY schedule_id, period"
    )
    .bind((today - Duration::days(400)).format("%Y-%m-%d").to_string())
    .fetch_all(p)
    .await)?
    .into_iter()
    .map(|(s, p, n)| ((s, p), n))
    .collect();
    let reporters: HashMap<i64, i64> = with_db!(db, |p| sqlx::query_as::<_, (i64, i64)>(
        "SELECT schedule_id, COUNT(*) FROM report_schedule_units GROUP BY schedule_id"
    )
    .fetch_all(p)
    .await)?
    .into_iter()
    .collect();
    for s in &schedules {
        let want = reporters.get(&s.id).copied().unwrap_or(0);
        for p in s.live_periods(today) {
            if opened.get(&(s.id, p.key.clone())).copied().unwrap_or(0) < want {
                rep.requests_opened += reporting::open_requests(db, s, &p, &cal).await?;
            }
        }
    }
    let since = crate::clock::stored(now - Duration::days(120));
    let queued: Vec<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT dedup_key FROM notifications WHERE created_at >= $1"
    )
    .bind(&since)
    .fetch_all(p)
    .await)?;
    let mut pass = Pass {
        db,
        ch,
        now,
        recipients: all_recipients(db).await?,
        queued: queued.into_iter().map(|k| k.0).collect(),
        only,
        overdue: None,
        in_app: 0,
    };
    rep.reminders = queue_reminders(&mut pass, &schedules).await?;
    rep.urgings = queue_urgings(&mut pass).await?;
    rep.reminders += queue_meetings(&mut pass).await?;
    if crate::clock::vn_time(now).hour() >= 7 {
        rep.digests = queue_digests(&mut pass).await?;
    }
    rep.in_app = pass.in_app;
    let (sent, failed) = deliver_for(db, ch, now, only).await?;
    rep.sent = sent;
    rep.failed = failed;
    Ok(rep)
}

async fn queue_reminders(
    pass: &mut Pass<'_>,
    schedules: &[schedule::Schedule],
) -> AppResult<usize> {
    let (db, now) = (pass.db, pass.now);
    let today = crate::clock::vn_date(now);
    let by_id: HashMap<i64, &schedule::Schedule> = schedules.iter().map(|s| (s.id, s)).collect();
    let mut queued = 0;
    for r in
        reporting::unsubmitted(db, today - Duration::days(60), today + Duration::days(60)).await?
    {
        let Some(s) = by_id.get(&r.schedule_id) else {
            continue;
        };
        let due = r.due();
        // Only the latest offset reached: a server that was down does not flood a unit.
        let Some(off) = s
            .offsets()
            .into_iter()
            .filter(|o| due + Duration::days(*o) <= today)
            .max()
        else {
            continue;
        };
        let days = (due - today).num_days();
        let (subject, when) = if days > 0 {
            (
                format!("Nhắc gửi báo cáo: {} ({})", s.name, r.period_label()),
                format!("Hạn gửi: {} (còn {days} ngày).", r.due_on.show()),
            )
        } else if days == 0 {
            (
                format!(
                    "Hôm nay là hạn gửi báo cáo: {} ({})",
                    s.name,
                    r.period_label()
                ),
                format!("Hạn gửi: hôm nay, {}.", r.due_on.show()),
            )
        } else {
            (
                format!(
                    "Đôn đốc: báo cáo quá hạn — {} ({})",
                    s.name,
                    r.period_label()
                ),
                format!("Hạn gửi: {} (đã quá {} ngày).", r.due_on.show(), -days),
            )
        };
        let state = if r.state() == reporting::RequestState::Returned {
            "Báo cáo đã bị trả lại, đề nghị hoàn thiện và gửi lại."
        } else {
            "Đơn vị chưa gửi báo cáo."
        };
        let body = format!(
            "Kính gửi: {unit}\n\n{state}\nBáo cáo: {name} — {period}\nNơi nhận: {recv}\n{when}\n\nĐề nghị đơn vị cập nhật và gửi báo cáo trên hệ thống steerco: /reports/requests/{id}\n",
            unit = r.unit_name,
            name = s.name,
            period = r.period_label(),
            recv = r.receiver_name,
            id = r.id,
        );
        queued += to_unit(
            pass,
            &format!("remind:{}:{off}", r.id),
            "reminder",
            &r.province_code,
            (r.unit_id, &r.unit_code),
            &subject,
            &body,
        )
        .await?;
    }
    Ok(queued)
}

/// A notice a rule of another domain owes a unit: its rule (each reaches each unit once), the
/// unit, the subject and the text.
pub struct Reminder {
    pub rule: String,
    pub province: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub subject: String,
    pub body: String,
}

/// Invitations the days before a convened meeting, the standing agency's preparation steps
/// kept by hand (`meetings::calendar::reminders`), and the breakthrough registrations owed or
/// returned (`breakthroughs::calls::reminders`).
async fn queue_meetings(pass: &mut Pass<'_>) -> AppResult<usize> {
    let today = crate::clock::vn_date(pass.now);
    let mut queued = 0;
    let mut owed = crate::meetings::calendar::reminders(pass.db, today, pass.only).await?;
    owed.extend(crate::breakthroughs::calls::reminders(pass.db, today, pass.only).await?);
    for r in owed {
        queued += to_unit(
            pass,
            &r.rule,
            "reminder",
            &r.province,
            (r.unit_id, &r.unit_code),
            &r.subject,
            &r.body,
        )
        .await?;
    }
    Ok(queued)
}

/// Overdue, unfinished assignments: (unit id, unit code, unit name, province, task, directive, due).
type OverdueRow = (i64, String, String, String, String, String, String);

async fn overdue_assignments(
    db: &Db,
    today: NaiveDate,
    only: Option<&str>,
) -> AppResult<Vec<OverdueRow>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT a.unit_id, u.code, u.name, a.province_code, t.title, d.number, a.due_on \
         FROM assignments a JOIN units u ON u.id = a.unit_id JOIN tasks t ON t.id = a.task_id \
         JOIN directives d ON d.id = a.directive_id \
         WHERE a.completed_on IS NULL AND a.recurring = FALSE AND a.withdrawn_at IS NULL AND a.due_on < $1 \
         AND ($2 IS NULL OR a.province_code = $2) \
         ORDER BY a.province_code, a.unit_id, a.due_on"
    )
    .bind(today.format("%Y-%m-%d").to_string())
    .bind(only)
    .fetch_all(p)
    .await
    })?)
}

/// A unit with overdue tasks gets one urging notice a week listing them.
async fn queue_urgings(pass: &mut Pass<'_>) -> AppResult<usize> {
    let today = crate::clock::vn_date(pass.now);
    let week = today.iso_week();
    // (unit id, code, name, province) → (task, directive, due)
    type UnitKey = (i64, String, String, String);
    let mut by_unit: BTreeMap<UnitKey, Vec<(String, String, String)>> = BTreeMap::new();
    for (uid, code, name, prov, title, number, due) in pass.overdue().await?.iter().cloned() {
        by_unit
            .entry((uid, code, name, prov))
            .or_default()
            .push((title, number, due));
    }
    let mut queued = 0;
    for ((uid, code, name, prov), tasks) in by_unit {
        let lines: Vec<String> = tasks
            .iter()
            .take(50)
            .map(|(t, n, d)| format!("- {t} (theo {n}, hạn {})", show_date(d)))
            .collect();
        let more = if tasks.len() > 50 {
            format!("\n… và {} nhiệm vụ khác.", tasks.len() - 50)
        } else {
            String::new()
        };
        let body = format!(
            "Kính gửi: {name}\n\nĐơn vị có {} nhiệm vụ đã quá hạn nhưng chưa hoàn thành:\n{}{more}\n\nĐề nghị đơn vị khẩn trương thực hiện, cập nhật tiến độ hoặc đề nghị gia hạn trên hệ thống steerco (/my).\n",
            tasks.len(),
            lines.join("\n")
        );
        queued += to_unit(
            pass,
            &format!("urge:{uid}:{}-W{:02}", week.year(), week.week()),
            "urging",
            &prov,
            (uid, &code),
            &format!("Đôn đốc thực hiện {} nhiệm vụ quá hạn", tasks.len()),
            &body,
        )
        .await?;
    }
    Ok(queued)
}

/// Each secretariat officer gets a daily digest of their province inside the app (and by
/// e-mail when a mail server is set and they have an address): reports past due and not in,
/// and units with overdue tasks.
async fn queue_digests(pass: &mut Pass<'_>) -> AppResult<usize> {
    let (db, ch, now) = (pass.db, pass.ch, pass.now);
    let today = crate::clock::vn_date(now);
    let late =
        reporting::unsubmitted(db, today - Duration::days(90), today - Duration::days(1)).await?;
    let overdue = pass.overdue().await?;
    let secretaries: Vec<(i64, String, Option<String>)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT us.id, us.email, u.province_code FROM users us LEFT JOIN units u ON u.id = us.unit_id \
         WHERE us.role = 'secretariat' AND us.active = TRUE"
    )
    .fetch_all(p)
    .await
    })?;
    let mut queued = 0;
    for (user, email, prov) in secretaries {
        let Some(prov) = prov else { continue };
        let late_here: Vec<_> = late.iter().filter(|r| r.province_code == prov).collect();
        let mut units: BTreeMap<&str, usize> = BTreeMap::new();
        for o in overdue.iter().filter(|o| o.3 == prov) {
            *units.entry(o.2.as_str()).or_default() += 1;
        }
        if late_here.is_empty() && units.is_empty() {
            continue;
        }
        let mut body = format!("Tổng hợp ngày {}\n\n", today.format("%d/%m/%Y"));
        body.push_str(&format!(
            "I. BÁO CÁO QUÁ HẠN CHƯA NHẬN ĐƯỢC ({})\n",
            late_here.len()
        ));
        for r in late_here.iter().take(200) {
            body.push_str(&format!(
                "- {}: {} — {} (hạn {}, {})\n",
                r.unit_name,
                r.schedule_name,
                r.period_label(),
                r.due_on.show(),
                r.state().label()
            ));
        }
        let mut ranked: Vec<(&str, usize)> = units.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        body.push_str(&format!(
            "\nII. ĐƠN VỊ CÓ NHIỆM VỤ QUÁ HẠN ({})\n",
            ranked.len()
        ));
        for (u, n) in ranked.iter().take(100) {
            body.push_str(&format!("- {u}: {n} nhiệm vụ\n"));
        }
        let subject = format!(
            "Tổng hợp hằng ngày {}: {} báo cáo quá hạn, {} đơn vị có nhiệm vụ quá hạn",
            today.format("%d/%m/%Y"),
            late_here.len(),
            ranked.len()
        );
        let email = email.trim().to_string();
        if ch.smtp.is_some() && !email.is_empty() {
            queued += pass
                .enqueue(Notice {
                    key: format!("digest:{prov}:{today}:email:{email}"),
                    province: prov.clone(),
                    kind: "digest",
                    channel: "email",
                    recipient: email,
                    unit_id: None,
                    user_id: Some(user),
                    subject: subject.clone(),
                    body: body.clone(),
                })
                .await?;
        }
        queued += pass
            .enqueue(Notice {
                key: format!("digest:{prov}:{today}:app:user:{user}"),
                province: prov.clone(),
                kind: "digest",
                channel: IN_APP,
                recipient: format!("user:{user}"),
                unit_id: None,
                user_id: Some(user),
                subject,
                body,
            })
            .await?;
    }
    Ok(queued)
}

type PendingRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i32,
    Option<String>,
);

/// Sends what is due in the outbox. Returns (sent, failed attempts).
pub async fn deliver(db: &Db, ch: &Channels, now: DateTime<Utc>) -> AppResult<(usize, usize)> {
    deliver_for(db, ch, now, None).await
}

/// Delivers the due notices of one province (`only`), or of the country.
pub async fn deliver_for(
    db: &Db,
    ch: &Channels,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> AppResult<(usize, usize)> {
    let at = crate::clock::stored(now);
    let rows: Vec<PendingRow> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT n.id, n.channel, n.recipient, n.subject, n.body, n.kind, n.attempts, u.code \
         FROM notifications n LEFT JOIN units u ON u.id = n.unit_id \
         WHERE n.state = 'pending' AND n.next_attempt_at <= $1 AND ($2 IS NULL OR n.province_code = $2) \
         ORDER BY n.id LIMIT 200"
    )
    .bind(&at)
    .bind(only)
    .fetch_all(p)
    .await
    })?;
    let (mut sent, mut failed) = (0, 0);
    for (id, channel, recipient, subject, body, kind, attempts, unit_code) in rows {
        // Claim it first: another server's pass that read it too finds it leased and skips
        // it, so a notice goes out once; a server that dies while sending leaves it to be
        // tried again when the lease ends.
        let lease = crate::clock::stored(now + Duration::minutes(5));
        let mut work = crate::work::Work::begin(db).await?;
        let claimed = crate::in_work!(work, |tx| {
            sqlx::query(
            "UPDATE notifications SET next_attempt_at = $1 WHERE id = $2 AND state = 'pending' AND next_attempt_at <= $3"
        )
        .bind(&lease)
        .bind(id)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map(|r| r.rows_affected())
        })?;
        work.commit().await?;
        if claimed == 0 {
            continue;
        }
        let result = match channel.as_str() {
            "email" => match &ch.smtp {
                Some(cfg) => {
                    channels::send_mail(cfg, ch.ca_pem.as_deref(), &recipient, &subject, &body)
                        .await
                }
                None => Err("chưa cấu hình máy chủ thư (STEERCO_SMTP_URL)".into()),
            },
            "webhook" => match &ch.webhook {
                Some(url) => {
                    let payload = serde_json::json!({
                        "kind": kind, "unit_code": unit_code, "to": recipient,
                        "subject": subject, "text": body,
                    });
                    channels::post_webhook(url, ch.ca_pem.as_deref(), &payload).await
                }
                None => Err("chưa cấu hình webhook (STEERCO_WEBHOOK_URL)".into()),
            },
            other => Err(format!("kênh không hỗ trợ: {other}")),
        };
        let attempts = attempts + 1;
        // the outcome: sent, or the error and when to try again (failed for good at the last)
        let (state, last_error, next) = match result {
            Ok(()) => {
                sent += 1;
                crate::metrics::count("steerco_notifications_total", "sent");
                ("sent", String::new(), None)
            }
            Err(e) => {
                failed += 1;
                crate::metrics::count("steerco_notifications_total", "failed");
                tracing::warn!(notification = id, error = %e, "delivery failed");
                let state = if attempts >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                let next = crate::clock::stored(now + Duration::minutes(1 << attempts.min(10)));
                (state, e, Some(next))
            }
        };
        let sent_at = (state == "sent").then_some(&at);
        let mut work = crate::work::Work::begin(db).await?;
        crate::in_work!(work, |tx| {
            sqlx::query(
            "UPDATE notifications SET state = $1, attempts = $2, last_error = $3, \
             sent_at = COALESCE($4, sent_at), next_attempt_at = COALESCE($5, next_attempt_at) WHERE id = $6"
        )
        .bind(state)
        .bind(attempts)
        .bind(&last_error)
        .bind(sent_at)
        .bind(&next)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
        })?;
        work.commit().await?;
    }
    Ok((sent, failed))
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub unit_name: Option<String>,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: String,
    pub next_attempt_at: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl Notification {
    pub fn state_label(&self) -> &'static str {
        match (self.state.as_str(), self.attempts) {
            ("sent", _) => "Đã gửi",
            ("failed", _) => "Gửi thất bại",
            ("pending", 0) => "Chờ gửi",
            _ => "Lỗi, đang thử lại",
        }
    }
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "reminder" => "Nhắc báo cáo",
            "urging" => "Đôn đốc nhiệm vụ",
            "digest" => "Tổng hợp hằng ngày",
            _ => "Thông báo",
        }
    }
}

pub async fn list(
    db: &Db,
    province: &str,
    state: Option<&str>,
    page: i64,
    per_page: i64,
) -> AppResult<crate::store::Page<Notification>> {
    let page = page.max(1);
    let filter = match state {
        Some("failed") => "AND (n.state = 'failed' OR (n.state = 'pending' AND n.attempts > 0))",
        Some("pending") => "AND n.state = 'pending'",
        Some("sent") => "AND n.state = 'sent'",
        _ => "",
    };
    let select = "SELECT n.id, n.kind, n.channel, n.recipient, u.name AS unit_name, n.subject, n.body, n.state, \
         n.attempts, n.last_error, n.next_attempt_at, n.created_at, n.sent_at";
    let from_where = format!(
        "FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE n.province_code = $1 {filter}"
    );
    let args = [Arg::Text(Some(province))];
    Ok(crate::store::paged(db, select, &from_where, "n.id DESC", &args, page, per_page).await?)
}

/// Puts a failed notice back in the queue now.
pub async fn retry(
    db: &Db,
    actor: &crate::auth::Actor,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row: Option<(String,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT province_code FROM notifications WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    let (prov,) = row.ok_or(AppError::NotFound("thông báo"))?;
    crate::auth::policy::run_reporting(actor, &prov)?;
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        sqlx::query(
        "UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = $1 WHERE id = $2 AND state <> 'sent'"
    )
    .bind(crate::clock::stored(now))
    .bind(id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
    })?;
    work.audit(crate::audit::Entry::new(actor, "retry", "notification", id));
    work.commit().await
}

/// The scheduler loop of a running server: a tick at start, then every `every`.
pub fn spawn_worker(db: Db, ch: Channels, every: std::time::Duration) {
    tokio::spawn(async move {
        loop {
            match tick(&db, &ch, db.clock().now()).await {
                Ok(r) if r.sent + r.failed + r.reminders + r.urgings + r.digests > 0 => {
                    tracing::info!(?r, "notifications")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "notification tick failed"),
            }
            // the same periodic pass finds imports whose process died
            match crate::dossiers::import::mark_interrupted(&db).await {
                Ok(n) if n > 0 => tracing::warn!(imports = n, "imports marked interrupted"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "marking interrupted imports failed"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
