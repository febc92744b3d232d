//! A year's call for breakthrough registrations: the province's dispatch (number, date, the
//! due date, the units that must register). It is a directive of kind dispatch, so that the
//! accepted registrations' milestones are tasks of it, tracked like any other; the reminder
//! pass reminds the units named that have not registered (`reminders`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::directives::DirectiveInput;
use crate::error::{AppError, AppResult, Validator};
use crate::import::publish::{insert_planned, CleanDirective};
use crate::store::{Day, Db};
use crate::work::Work;
use crate::{in_work, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub province_code: String,
    pub year: i64,
    pub number: String,
    pub issued_on: Day,
    pub due_on: Day,
    pub summary: String,
    pub directive_id: i64,
    pub created_at: String,
}

const SELECT: &str = "SELECT id, province_code, year, number, issued_on, due_on, summary, directive_id, created_at FROM breakthrough_calls";

pub async fn get(db: &Db, id: i64) -> AppResult<Call> {
    crate::store::by_id(db, &format!("{SELECT} WHERE id = $1"), id)
        .await?
        .ok_or(AppError::NotFound("đợt đăng ký khâu đột phá"))
}

pub async fn of_year(db: &Db, province: &str, year: i32) -> AppResult<Option<Call>> {
    Ok(with_db!(db, |p| sqlx::query_as(&format!(
        "{SELECT} WHERE province_code = $1 AND year = $2"
    ))
    .bind(province)
    .bind(year)
    .fetch_optional(p)
    .await)?)
}

/// The years a province has a call for, latest first.
pub async fn years(db: &Db, province: &str) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT year FROM breakthrough_calls WHERE province_code = $1 ORDER BY year DESC"
    )
    .bind(province)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The units a call names, with their codes and names, by name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Named {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
}

pub async fn units(db: &Db, call_id: i64) -> AppResult<Vec<Named>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT u.id, u.code, u.name, u.kind FROM breakthrough_call_units c JOIN units u ON u.id = c.unit_id \
         WHERE c.call_id = $1 ORDER BY u.kind, u.name_sort"
    )
    .bind(call_id)
    .fetch_all(p)
    .await
    })?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CallInput {
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub issued_on: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub summary: String,
    /// Kinds of unit that must register (department, commune); every department and commune
    /// when neither kinds nor units are given.
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub unit_ids: Vec<i64>,
}

pub fn default_summary(year: i32) -> String {
    format!(
        "Về việc đăng ký và xây dựng Kế hoạch thực hiện khâu đột phá về công tác CCHC, Chuyển đổi số và Đề án 06 năm {year}"
    )
}

/// Issues the year's call: its dispatch and the units it names, at once. One call per
/// province and year.
pub async fn issue(db: &Db, actor: &Actor, i: &CallInput, today: NaiveDate) -> AppResult<i64> {
    let province = crate::org::province_for(db, actor, None).await?;
    policy::review_breakthroughs(actor, &province)?;
    let mut v = Validator::default();
    let year = i.year.unwrap_or_else(|| today.year());
    v.check((2000..=2100).contains(&year), "year", "Năm không hợp lệ.");
    let issued = crate::store::parse_date(&i.issued_on);
    let due = crate::store::parse_date(&i.due_on);
    v.check(
        issued.is_some(),
        "issued_on",
        "Ngày ban hành không hợp lệ (dd/mm/yyyy).",
    )
    .check(
        due.is_some(),
        "due_on",
        "Hạn đăng ký không hợp lệ (dd/mm/yyyy).",
    );
    if let (Some(a), Some(b)) = (issued, due) {
        v.check(
            b >= a,
            "due_on",
            "Hạn đăng ký phải từ ngày ban hành trở đi.",
        );
        v.check(
            a <= today,
            "issued_on",
            "Ngày ban hành không được sau hôm nay.",
        );
    }
    for k in &i.kinds {
        v.check(
            matches!(k.as_str(), "department" | "commune"),
            "kinds",
            "Chọn sở, ban, ngành hoặc UBND cấp xã.",
        );
    }
    let all = crate::org::province_units(db, &province).await?;
    let kinds: Vec<&str> = if i.kinds.is_empty() && i.unit_ids.is_empty() {
        vec!["department", "commune"]
    } else {
        i.kinds.iter().map(String::as_str).collect()
    };
    let mut named: Vec<i64> = all
        .iter()
        .filter(|u| {
            kinds.contains(&u.kind.as_str()) || (kinds.contains(&"department") && u.kind == "other")
        })
        .map(|u| u.id)
        .collect();
    for id in &i.unit_ids {
        if all.iter().any(|u| u.id == *id && u.kind != "province") {
            named.push(*id);
        } else {
            v.push("unit_ids", format!("Đơn vị #{id} không thuộc tỉnh."));
        }
    }
    named.sort_unstable();
    named.dedup();
    v.check(!named.is_empty(), "kinds", "Chọn các đơn vị phải đăng ký.");
    let input = DirectiveInput {
        body_id: None,
        province_code: province.clone(),
        kind: "dispatch".into(),
        number: i.number.clone(),
        issued_on: i.issued_on.clone(),
        issuer: "UBND tỉnh".into(),
        signer: String::new(),
        summary: match i.summary.trim() {
            "" => default_summary(year),
            s => s.to_string(),
        },
        body_text: String::new(),
        parent_id: None,
    };
    let cleaned = crate::directives::clean_directive(db, &input).await;
    let (issued_iso, number, summary) = match cleaned {
        Ok(x) => x,
        Err(AppError::Invalid(f)) => {
            for e in f {
                v.push(&e.field, e.message);
            }
            Default::default()
        }
        Err(e) => return Err(e),
    };
    v.finish()?;
    if of_year(db, &province, year).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "Năm {year} đã có đợt đăng ký khâu đột phá."
        )));
    }
    let due = due.map(|d| Day(d).iso()).unwrap_or_default();
    let clean = CleanDirective {
        input: &input,
        issued: issued_iso.clone(),
        number: number.clone(),
        summary: summary.clone(),
    };
    let mut work = Work::begin(db).await?;
    let (directive_id, _, _) = insert_planned(&mut work, actor, &clean, &[]).await?;
    let now = db.now_utc();
    let id = in_work!(work, |tx| {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO breakthrough_calls (province_code, year, number, issued_on, due_on, summary, directive_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&province)
        .bind(year)
        .bind(&number)
        .bind(&issued_iso)
        .bind(&due)
        .bind(&summary)
        .bind(directive_id)
        .bind(actor.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for u in &named {
            sqlx::query("INSERT INTO breakthrough_call_units (call_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await?;
        }
        Ok::<_, sqlx::Error>(id)
    })?;
    work.audit(
        crate::audit::Entry::new(actor, "issue", "breakthrough_call", id)
            .in_province(&province)
            .after(&serde_json::json!({
                "year": year, "number": number, "issued_on": issued_iso, "due_on": due,
                "units": named.len(), "directive_id": directive_id,
            })),
    );
    work.commit().await?;
    Ok(id)
}

/// What the reminder pass owes about calls on `today`: each unit a call names that has no
/// submitted or accepted registration, from five days before the due date (once before it,
/// once after it), and each unit whose registration was returned (once per version).
pub async fn reminders(
    db: &Db,
    today: NaiveDate,
    only: Option<&str>,
) -> AppResult<Vec<crate::notify::Reminder>> {
    #[derive(sqlx::FromRow)]
    struct Owing {
        call_id: i64,
        number: String,
        year: i64,
        due_on: Day,
        province_code: String,
        unit_id: i64,
        unit_code: String,
        unit_name: String,
    }
    let owing: Vec<Owing> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT c.id AS call_id, c.number, c.year, c.due_on, c.province_code, u.id AS unit_id, u.code AS unit_code, \
         u.name AS unit_name FROM breakthrough_calls c JOIN breakthrough_call_units cu ON cu.call_id = c.id \
         JOIN units u ON u.id = cu.unit_id \
         WHERE c.due_on <= $1 AND c.due_on >= $2 AND ($3 IS NULL OR c.province_code = $3) \
         AND NOT EXISTS (SELECT 1 FROM breakthroughs b WHERE b.call_id = c.id AND b.unit_id = u.id \
           AND b.state IN ('submitted', 'accepted'))"
    )
    .bind(Day(today + chrono::Duration::days(5)))
    .bind(Day(today - chrono::Duration::days(30)))
    .bind(only)
    .fetch_all(p)
    .await
    })?;
    let mut out = Vec::new();
    for o in owing {
        let late = o.due_on.date() < today;
        out.push(crate::notify::Reminder {
            rule: format!(
                "breakthrough:{}:{}:{}",
                o.call_id,
                o.unit_id,
                if late { "late" } else { "due" }
            ),
            province: o.province_code,
            unit_id: o.unit_id,
            unit_code: o.unit_code,
            subject: if late {
                format!("Đôn đốc: chưa đăng ký khâu đột phá năm {} (hạn {})", o.year, o.due_on.show())
            } else {
                format!("Nhắc đăng ký khâu đột phá năm {} (hạn {})", o.year, o.due_on.show())
            },
            body: format!(
                "Kính gửi: {}\n\nThực hiện Công văn số {}, đề nghị đơn vị đăng ký khâu đột phá về công tác CCHC, Chuyển đổi số và Đề án 06 năm {}: chỉ tiêu, tiêu chí phải cao hơn hoặc có tính mới so với chỉ tiêu đã được giao; kèm theo giải pháp, lộ trình thời gian thực hiện, dự kiến sản phẩm.\nHạn gửi: {}{}.\n\nĐăng ký trên hệ thống steerco: /breakthroughs?year={}\n",
                o.unit_name,
                o.number,
                o.year,
                o.due_on.show(),
                if late { " (đã quá hạn)" } else { "" },
                o.year
            ),
        });
    }
    #[derive(sqlx::FromRow)]
    struct Returned {
        id: i64,
        version: i64,
        title: String,
        reason: String,
        province_code: String,
        unit_id: i64,
        unit_code: String,
    }
    let returned: Vec<Returned> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT b.id, b.version, v.title, v.reason, b.province_code, u.id AS unit_id, u.code AS unit_code \
         FROM breakthroughs b JOIN breakthrough_versions v ON v.breakthrough_id = b.id AND v.version = b.version \
         JOIN units u ON u.id = COALESCE(b.unit_id, b.proposer_unit_id) \
         WHERE b.state = 'returned' AND ($1 IS NULL OR b.province_code = $1)"
    )
    .bind(only)
    .fetch_all(p)
    .await
    })?;
    for r in returned {
        out.push(crate::notify::Reminder {
            rule: format!("breakthrough-returned:{}:{}", r.id, r.version),
            province: r.province_code,
            unit_id: r.unit_id,
            unit_code: r.unit_code,
            subject: format!("Khâu đột phá bị trả lại: {}", r.title),
            body: format!(
                "Bản đăng ký khâu đột phá «{}» đã được trả lại để hoàn thiện.\nLý do: {}\n\nĐề nghị hoàn thiện và gửi lại trên hệ thống steerco: /breakthroughs/{}\n",
                r.title, r.reason, r.id
            ),
        });
    }
    Ok(out)
}

/// What a meeting's preparation step sees of the year's call (the meeting's year): for
/// `breakthrough`, each unit the call names and the day its registration was sent (none yet:
/// `None`); for `commitment`, the day of its rank commitment; for `province_breakthrough`, each
/// standing agency of the meeting's bodies and the day it sent a proposal of the province's own.
/// `None` when the year has no call: the step is then kept by hand.
pub async fn arrivals(
    db: &Db,
    m: &crate::meetings::Meeting,
    link: &str,
) -> AppResult<Option<Vec<(i64, String, Option<NaiveDate>)>>> {
    let year = m.planned_on.date().year();
    let Some(call) = of_year(db, &m.province_code, year).await? else {
        return Ok(None);
    };
    let sent: Vec<(i64, String)> = match link {
        "commitment" => with_db!(db, |p| {
            sqlx::query_as(
            "SELECT unit_id, MIN(committed_at) FROM rank_commitments WHERE province_code = $1 AND year = $2 GROUP BY unit_id"
        )
        .bind(&m.province_code)
        .bind(year)
        .fetch_all(p)
        .await
        })?,
        _ => with_db!(db, |p| {
            sqlx::query_as(
            "SELECT COALESCE(b.unit_id, b.proposer_unit_id), MIN(v.submitted_at) FROM breakthroughs b \
             JOIN breakthrough_versions v ON v.breakthrough_id = b.id AND v.version = b.version \
             WHERE b.call_id = $1 AND b.state IN ('submitted', 'accepted') AND (b.unit_id IS NULL) = $2 \
             AND COALESCE(b.unit_id, b.proposer_unit_id) IS NOT NULL \
             GROUP BY COALESCE(b.unit_id, b.proposer_unit_id)"
        )
        .bind(call.id)
        .bind(link == "province_breakthrough")
        .fetch_all(p)
        .await
        })?,
    };
    let day_of = |at: &str| {
        chrono::DateTime::parse_from_rfc3339(at)
            .ok()
            .map(|t| crate::clock::vn_date(t.with_timezone(&chrono::Utc)))
    };
    let sent: std::collections::HashMap<i64, Option<NaiveDate>> =
        sent.into_iter().map(|(u, at)| (u, day_of(&at))).collect();
    let who: Vec<(i64, String)> = if link == "province_breakthrough" {
        let mut v = Vec::new();
        for b in crate::meetings::bodies_of(db, m).await? {
            if let Some(u) = b.standing_unit_id {
                if !v.iter().any(|(id, _): &(i64, String)| *id == u) {
                    v.push((u, crate::org::get_unit(db, u).await?.name));
                }
            }
        }
        v
    } else {
        units(db, call.id)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(Some(
        who.into_iter()
            .map(|(id, name)| {
                let on = sent.get(&id).copied().flatten();
                (id, name, on)
            })
            .collect(),
    ))
}
