//! Rank commitments: each unit commits to a rank (and optionally a score) on the province's
//! administrative-reform index for the year (example 003: "cam kết phấn đấu thứ hạng chỉ số
//! CCHC"). The secretariat consolidates them; each is compared with the unit's actual rank on
//! the league tables of the year — provisional while the year runs, final after it.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auth::{policy, Actor};
use crate::error::{AppError, AppResult, Validator};
use crate::indicators::board::{self, League};
use crate::indicators::period::Period;
use crate::store::Db;
use crate::work::Work;
use crate::{in_work, with_db};

/// The scorecard the province's index is read on.
pub const INDEX: &str = "766";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Commitment {
    pub id: i64,
    pub year: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub target_rank: i64,
    pub target_score: Option<f64>,
    pub note: String,
    pub committed_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentInput {
    #[serde(default)]
    pub year: Option<i32>,
    /// The unit; the actor's when absent.
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub target_rank: String,
    #[serde(default)]
    pub target_score: String,
    #[serde(default)]
    pub note: String,
}

/// Enters (or replaces) a unit's commitment for a year, at `now` (the server's clock).
pub async fn commit(
    db: &Db,
    actor: &Actor,
    i: &CommitmentInput,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<i64> {
    let today = crate::clock::vn_date(now);
    let province = crate::org::province_for(db, actor, None).await?;
    let year = i.year.unwrap_or_else(|| today.year());
    let unit_id = i
        .unit_id
        .or(actor.unit_id)
        .ok_or_else(|| AppError::invalid("unit_id", "Chọn đơn vị cam kết."))?;
    policy::commit_rank(actor, &province, unit_id)?;
    let mut v = Validator::default();
    let unit = crate::org::get_unit(db, unit_id).await;
    let unit = match unit {
        Ok(u) if u.province_code == province && u.kind != "province" => Some(u),
        Ok(_) | Err(AppError::NotFound(_)) => {
            v.push("unit_id", "Đơn vị không thuộc tỉnh.");
            None
        }
        Err(e) => return Err(e),
    };
    v.check((2000..=2100).contains(&year), "year", "Năm không hợp lệ.");
    let rank: Option<i64> = i.target_rank.trim().parse().ok();
    let peers = match &unit {
        Some(u) => peers(db, &province, &u.kind).await?,
        None => 0,
    };
    v.check(
        rank.is_some_and(|r| r >= 1),
        "target_rank",
        "Thứ hạng cam kết là một số nguyên từ 1 trở lên.",
    );
    if let Some(r) = rank {
        if peers > 0 && r > peers {
            v.push(
                "target_rank",
                format!("Thứ hạng cam kết không quá số đơn vị cùng loại được xếp hạng ({peers})."),
            );
        }
    }
    let score = match i.target_score.trim() {
        "" => None,
        s => match crate::reporting::template::parse_number(s) {
            Some(x) if (0.0..=100.0).contains(&x) => Some(x),
            _ => {
                v.push("target_score", "Điểm cam kết là một số từ 0 đến 100.");
                None
            }
        },
    };
    v.check(
        i.note.chars().count() <= 2000,
        "note",
        "Ghi chú quá dài (tối đa 2.000 ký tự).",
    );
    v.finish()?;
    let rank = rank.unwrap_or(1);
    let now = crate::clock::stored(now);
    let note = crate::text::nfc(i.note.trim());
    let mut work = Work::begin(db).await?;
    let before: Option<(i64, i64, Option<f64>)> = in_work!(work, |tx| {
        sqlx::query_as(
        "SELECT id, target_rank, target_score FROM rank_commitments WHERE province_code = $1 AND year = $2 AND unit_id = $3"
    )
    .bind(&province)
    .bind(year)
    .bind(unit_id)
    .fetch_optional(&mut *tx)
    .await
    })?;
    let id = match before {
        Some((id, _, _)) => {
            in_work!(work, |tx| sqlx::query(
                "UPDATE rank_commitments SET target_rank = $1, target_score = $2, note = $3, committed_by = $4, committed_at = $5 WHERE id = $6"
            )
            .bind(rank)
            .bind(score)
            .bind(&note)
            .bind(actor.user_id)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map(|_| ()))?;
            id
        }
        None => in_work!(work, |tx| sqlx::query_as::<_, (i64,)>(
            "INSERT INTO rank_commitments (province_code, year, unit_id, target_rank, target_score, note, committed_by, committed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
        )
        .bind(&province)
        .bind(year)
        .bind(unit_id)
        .bind(rank)
        .bind(score)
        .bind(&note)
        .bind(actor.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await)?
        .0,
    };
    let mut e = crate::audit::Entry::new(actor, "commit", "rank_commitment", id)
        .in_province(&province)
        .after(&serde_json::json!({"year": year, "unit_id": unit_id, "target_rank": rank, "target_score": score}));
    if let Some((_, r, s)) = before {
        e = e.before(&serde_json::json!({"target_rank": r, "target_score": s}));
    }
    work.audit(e);
    work.commit().await?;
    Ok(id)
}

/// How many units of a kind a league of the province ranks at most (its units of the kind).
async fn peers(db: &Db, province: &str, kind: &str) -> AppResult<i64> {
    let n: (i64,) = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT COUNT(*) FROM units WHERE province_code = $1 AND (kind = $2 OR ($2 IN ('department', 'other') AND kind IN ('department', 'other')))"
    )
    .bind(province)
    .bind(kind)
    .fetch_one(p)
    .await
    })?;
    Ok(n.0)
}

pub async fn of_year(db: &Db, province: &str, year: i32) -> AppResult<Vec<Commitment>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT c.id, c.year, c.unit_id, u.code AS unit_code, u.name AS unit_name, u.kind AS unit_kind, c.target_rank, \
         c.target_score, c.note, c.committed_at FROM rank_commitments c JOIN units u ON u.id = c.unit_id \
         WHERE c.province_code = $1 AND c.year = $2 ORDER BY u.kind, c.target_rank, u.name_sort"
    )
    .bind(province)
    .bind(year)
    .fetch_all(p)
    .await
    })?)
}

/// A unit's actual standing on the year's league of its kind.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub rank: usize,
    pub of: usize,
    pub score: f64,
    pub league: String,
}

/// The province's board on its index for a year (`None` when the index has no card or the year
/// no period): what the standings, the leader's page and the meeting pack read.
pub async fn year_board(db: &Db, province: &str, year: i32) -> AppResult<Option<board::Board>> {
    let Some(period) = Period::parse(&year.to_string()) else {
        return Ok(None);
    };
    match board::board(db, Some(province), &period, INDEX).await {
        Ok(b) => Ok(Some(b)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Each unit's standing on the leagues of a board (units with no data are not ranked), by
/// unit code.
pub fn standings_of(leagues: &[League]) -> HashMap<String, Standing> {
    let mut out = HashMap::new();
    for l in leagues {
        let of = l.rows.len();
        for r in &l.rows {
            out.insert(
                r.code.clone(),
                Standing {
                    rank: r.rank,
                    of,
                    score: r.total,
                    league: l.title.clone(),
                },
            );
        }
    }
    out
}

/// Each unit's standing on the province's leagues for a year.
pub async fn standings(db: &Db, province: &str, year: i32) -> AppResult<HashMap<String, Standing>> {
    Ok(year_board(db, province, year)
        .await?
        .map(|b| standings_of(&b.leagues))
        .unwrap_or_default())
}

/// A commitment against the unit's actual rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Not ranked (no data for the year yet).
    NoRank,
    Met,
    NotMet,
}

impl Outcome {
    pub fn label(self, final_: bool) -> &'static str {
        match (self, final_) {
            (Outcome::NoRank, _) => "Chưa có xếp hạng",
            (Outcome::Met, true) => "Đạt cam kết",
            (Outcome::Met, false) => "Đang đạt cam kết (tạm tính)",
            (Outcome::NotMet, true) => "Không đạt cam kết",
            (Outcome::NotMet, false) => "Chưa đạt cam kết (tạm tính)",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Outcome::NoRank => "st-late",
            Outcome::Met => "st-ok",
            Outcome::NotMet => "st-over",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    pub commitment: Commitment,
    pub standing: Option<Standing>,
    pub outcome: Outcome,
    /// Places ahead of (positive) or behind (negative) the rank committed to.
    pub by: Option<i64>,
    /// The score's margin over the score committed to, when one was.
    pub score_by: Option<f64>,
}

/// Compares a commitment with a standing: met when the actual rank is the one committed to or
/// better (and the score, if one was committed, reached).
pub fn compare(c: &Commitment, s: Option<&Standing>) -> (Outcome, Option<i64>, Option<f64>) {
    let Some(s) = s else {
        return (Outcome::NoRank, None, None);
    };
    let by = c.target_rank - s.rank as i64;
    let score_by = c.target_score.map(|t| s.score - t);
    let met = by >= 0 && score_by.is_none_or(|d| d >= -1e-9);
    (
        if met { Outcome::Met } else { Outcome::NotMet },
        Some(by),
        score_by,
    )
}

/// The year's commitments, each compared with the unit's actual standing; whether the year is
/// over (the comparison is final).
pub async fn compared(
    db: &Db,
    province: &str,
    year: i32,
    today: NaiveDate,
) -> AppResult<(Vec<Compared>, bool)> {
    let list = of_year(db, province, year).await?;
    let standings = if list.is_empty() {
        HashMap::new()
    } else {
        standings(db, province, year).await?
    };
    let out = list
        .into_iter()
        .map(|c| {
            let s = standings.get(&c.unit_code).cloned();
            let (outcome, by, score_by) = compare(&c, s.as_ref());
            Compared {
                commitment: c,
                standing: s,
                outcome,
                by,
                score_by,
            }
        })
        .collect();
    Ok((out, today.year() > year))
}
