//! Reading the facts indicators are computed from (monthly counts stored by imports, values
//! units reported), and keeping targets. Sums are taken in SQL over months and units, so a
//! value for a quarter or a province is a ratio of sums, never an average of ratios.

use crate::dossiers::monthly::Tally;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::Row;

use super::{Catalogue, Facts};
use crate::auth::Actor;
use crate::dossiers::monthly::{self, DossierCounts, FeedbackCounts, Monthly};
use crate::error::{AppError, AppResult, Validator};
use crate::store::Db;
use crate::with_db;

/// How facts are grouped.
#[derive(Debug, Clone, Copy)]
pub enum By {
    Unit,
    Province,
    Month,
}

impl By {
    fn column(self) -> &'static str {
        match self {
            By::Unit => "unit_code",
            By::Province => "province_code",
            By::Month => "month",
        }
    }
}

/// Which rows: a province (or the country) and optionally one unit, over months `from..=to`.
#[derive(Debug, Clone, Default)]
pub struct Scope<'a> {
    pub province: Option<&'a str>,
    pub unit: Option<&'a str>,
}

fn sums(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("CAST(SUM({c}) AS BIGINT)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Counts of one kind from a row: columns `first..` in `C::COLUMNS` order.
fn counts_at<C: Tally, R: sqlx::Row>(r: &R, first: usize) -> Result<C, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let mut v = C::Values::default();
    for (i, x) in v.as_mut().iter_mut().enumerate() {
        *x = r.try_get::<i64, _>(first + i)?.max(0) as u64;
    }
    Ok(C::from_values(v))
}

async fn grouped<C: Tally>(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    from: &str,
    to: &str,
) -> AppResult<Vec<(String, C)>> {
    // Sums over whole provinces read the provinces' monthly rows (kept by imports).
    let rollup = scope.unit.is_none() && matches!(by, By::Province | By::Month);
    let sql = if rollup {
        format!(
            "SELECT {key}, {sums} FROM {kind}_province_months WHERE month >= $1 AND month <= $2 \
             AND ($3 IS NULL OR province_code = $3) GROUP BY {key}",
            key = by.column(),
            sums = sums(C::COLUMNS),
            kind = C::KIND,
        )
    } else {
        format!(
            "SELECT {key}, {sums} FROM {kind}_months WHERE month >= $1 AND month <= $2 \
             AND ($3 IS NULL OR province_code = $3) AND ($4 IS NULL OR unit_code = $4) GROUP BY {key}",
            key = by.column(),
            sums = sums(C::COLUMNS),
            kind = C::KIND,
        )
    };
    with_db!(db, |p| {
        let mut q = sqlx::query(&sql).bind(from).bind(to).bind(scope.province);
        if !rollup {
            q = q.bind(scope.unit);
        }
        let rows = q.fetch_all(p).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((r.try_get::<String, _>(0)?, counts_at::<C, _>(&r, 1)?));
        }
        Ok::<_, AppError>(out)
    })
}

/// Dossier and feedback counts summed over months `from..=to` ("YYYY-MM"), grouped.
pub async fn facts(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    from: &str,
    to: &str,
) -> AppResult<BTreeMap<String, Facts>> {
    let mut out: BTreeMap<String, Facts> = BTreeMap::new();
    for (k, c) in grouped::<DossierCounts>(db, by, scope, from, to).await? {
        out.entry(k).or_default().dossiers = c;
    }
    for (k, c) in grouped::<FeedbackCounts>(db, by, scope, from, to).await? {
        out.entry(k).or_default().feedback = c;
    }
    Ok(out)
}

/// The latest month with dossiers (the default period of the pages).
pub async fn latest_month(db: &Db, province: Option<&str>) -> AppResult<Option<String>> {
    let r: Option<(Option<String>,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT MAX(month) FROM dossier_months WHERE ($1 IS NULL OR province_code = $1)",
        )
        .bind(province)
        .fetch_optional(p)
        .await?
    });
    Ok(r.and_then(|r| r.0))
}

/// Values units reported for indicators of source "reported": per unit code, per indicator,
/// numerator and denominator summed over the months.
pub type Reported = HashMap<String, HashMap<String, (f64, f64)>>;

pub async fn reported(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    from: &str,
    to: &str,
) -> AppResult<Reported> {
    let key = match by {
        By::Unit => "u.code",
        By::Province => "v.province_code",
        By::Month => "v.month",
    };
    let sql = format!(
        "SELECT {key}, v.indicator, SUM(v.numerator), SUM(v.denominator) FROM indicator_values v \
         JOIN units u ON u.id = v.unit_id WHERE v.month >= $1 AND v.month <= $2 \
         AND ($3 IS NULL OR v.province_code = $3) AND ($4 IS NULL OR u.code = $4) GROUP BY {key}, v.indicator"
    );
    let rows: Vec<(String, String, f64, f64)> = with_db!(db, |p| {
        sqlx::query_as(&sql)
            .bind(from)
            .bind(to)
            .bind(scope.province)
            .bind(scope.unit)
            .fetch_all(p)
            .await?
    });
    let mut out: Reported = HashMap::new();
    for (k, i, n, d) in rows {
        out.entry(k).or_default().insert(i, (n, d));
    }
    Ok(out)
}

/// Indicators computed from task status, in the same shape: `task_on_time` is the share of
/// the unit's tasks due in the months (recurring duties aside) completed by their due date.
pub async fn task_values(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    from: &str,
    to: &str,
) -> AppResult<Reported> {
    let key = match by {
        By::Unit => "u.code",
        By::Province => "a.province_code",
        By::Month => "SUBSTR(a.due_on, 1, 7)",
    };
    let sql = format!(
        "SELECT {key}, CAST(SUM(CASE WHEN a.completed_on IS NOT NULL AND a.completed_on <= a.due_on THEN 1 ELSE 0 END) AS BIGINT),          CAST(COUNT(*) AS BIGINT) FROM assignments a JOIN units u ON u.id = a.unit_id          WHERE NOT a.recurring AND a.withdrawn_at IS NULL AND a.due_on >= $1 AND a.due_on <= $2          AND ($3 IS NULL OR a.province_code = $3) AND ($4 IS NULL OR u.code = $4) GROUP BY {key}"
    );
    let rows: Vec<(String, i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(&sql)
            .bind(format!("{from}-01"))
            .bind(format!("{to}-31"))
            .bind(scope.province)
            .bind(scope.unit)
            .fetch_all(p)
            .await?
    });
    let mut out: Reported = HashMap::new();
    for (k, n, d) in rows {
        out.entry(k)
            .or_default()
            .insert("task_on_time".into(), (n as f64, d as f64));
    }
    Ok(out)
}

/// Which external sources a page needs (a scorecard without task indicators does not read
/// the tasks).
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub reported: bool,
    pub tasks: bool,
}

impl Needs {
    pub fn of<'a>(cat: &Catalogue, codes: impl IntoIterator<Item = &'a str>) -> Needs {
        let mut n = Needs::default();
        for c in codes {
            match cat.indicator(c).map(|i| i.source) {
                Some(super::Source::Reported) => n.reported = true,
                Some(super::Source::Tasks) => n.tasks = true,
                _ => {}
            }
        }
        n
    }
}

/// Everything scored that is not a dossier count: reported values and task status.
pub async fn external(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    from: &str,
    to: &str,
    needs: Needs,
) -> AppResult<Reported> {
    let mut r = if needs.reported {
        reported(db, by, scope, from, to).await?
    } else {
        Reported::new()
    };
    if needs.tasks {
        for (k, m) in task_values(db, by, scope, from, to).await? {
            r.entry(k).or_default().extend(m);
        }
    }
    Ok(r)
}

/// The catalogue with the province's own scorecards after the national ones.
pub async fn catalogue_for(db: &Db, province: Option<&str>) -> AppResult<Catalogue> {
    let mut c = Catalogue::national().clone();
    if let Some(p) = province {
        for s in list_scorecards(db, p).await? {
            c.scorecards.push(s);
        }
    }
    Ok(c)
}

pub async fn list_scorecards(db: &Db, province: &str) -> AppResult<Vec<super::Scorecard>> {
    let rows: Vec<(String, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT code, name, groups_json FROM scorecards WHERE province_code = $1 ORDER BY name",
        )
        .bind(province)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(code, name, g)| {
            Some(super::Scorecard {
                code,
                name,
                groups: serde_json::from_str(&g).ok()?,
            })
        })
        .collect())
}

/// Saves a province's scorecard (replacing one of the same code), checked like the
/// catalogue's: known indicators, groups adding up, thresholds in (0, 100].
pub async fn save_scorecard(
    db: &Db,
    actor: &Actor,
    province: &str,
    card: &super::Scorecard,
) -> AppResult<()> {
    let mut v = Validator::default();
    v.check(!card.name.trim().is_empty(), "name", "Nhập tên bộ chỉ số.")
        .check(
            !card.code.trim().is_empty() && card.code != "766",
            "code",
            "Mã bộ chỉ số không được trống hoặc trùng bộ chỉ số 766.",
        );
    if let Err(e) = card.check(Catalogue::national()) {
        v.push("groups", e);
    }
    v.finish()?;
    let groups = serde_json::to_string(&card.groups).map_err(|e| AppError::Internal(e.into()))?;
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        sqlx::query("DELETE FROM scorecards WHERE province_code = $1 AND code = $2")
            .bind(province)
            .bind(&card.code)
            .execute(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO scorecards (province_code, code, name, groups_json, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(province)
        .bind(&card.code)
        .bind(card.name.trim())
        .bind(&groups)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        audit.push(crate::audit::Entry::new(actor, "save", "scorecard", id).after(card));
        Ok::<_, AppError>(())
    });
    work.commit().await?;
    out
}

pub async fn delete_scorecard(db: &Db, actor: &Actor, province: &str, code: &str) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let row: Option<(i64,)> = sqlx::query_as(
            "DELETE FROM scorecards WHERE province_code = $1 AND code = $2 RETURNING id",
        )
        .bind(province)
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = row else {
            return Err(AppError::NotFound("bộ chỉ số"));
        };
        audit.push(crate::audit::Entry::new(actor, "delete", "scorecard", id));
        Ok(())
    });
    work.commit().await?;
    out
}

/// Percent values of reported indicators (a ratio of the sums).
pub fn reported_values(r: Option<&HashMap<String, (f64, f64)>>) -> HashMap<String, f64> {
    r.map(|m| {
        m.iter()
            .filter(|(_, (_, d))| *d > 0.0)
            .map(|(k, (n, d))| (k.clone(), 100.0 * n / d))
            .collect()
    })
    .unwrap_or_default()
}

/// A value a unit reported for an indicator of the catalogue, for a calendar month.
pub struct ReportedValue {
    pub unit_id: i64,
    pub month: String,
    pub indicator: String,
    pub numerator: f64,
    pub denominator: f64,
    pub submission_id: Option<i64>,
}

/// Records reported values (from an accepted submission; the demo's history), replacing
/// earlier ones of the same unit, indicator and month. A percent field counts as `value`
/// out of 100; a ratio field keeps its two numbers, so that sums stay ratios of sums.
pub async fn record_reported(db: &Db, province: &str, values: &[ReportedValue]) -> AppResult<()> {
    let cat = Catalogue::national();
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    crate::in_work!(work, |tx| {
        for v in values {
            if cat.indicator(&v.indicator).is_none() || v.denominator <= 0.0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO indicator_values (province_code, unit_id, indicator, month, numerator, denominator, source, submission_id, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'reported', $7, $8) \
                 ON CONFLICT (unit_id, indicator, month) DO UPDATE SET numerator = excluded.numerator, \
                 denominator = excluded.denominator, submission_id = excluded.submission_id, recorded_at = excluded.recorded_at",
            )
            .bind(province)
            .bind(v.unit_id)
            .bind(&v.indicator)
            .bind(&v.month)
            .bind(v.numerator)
            .bind(v.denominator)
            .bind(v.submission_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    });
    work.commit().await?;
    Ok(())
}

/// The stored counts of one kind per unit and month.
async fn stored_months<C: Tally>(db: &Db, province: Option<&str>) -> AppResult<Monthly<C>> {
    let sql = format!(
        "SELECT unit_code, month, {} FROM {}_months WHERE ($1 IS NULL OR province_code = $1)",
        C::COLUMNS.join(", "),
        C::KIND
    );
    with_db!(db, |p| {
        let rows = sqlx::query(&sql).bind(province).fetch_all(p).await?;
        let mut out = Monthly::new();
        for r in rows {
            let key = (r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?);
            out.insert(key, counts_at::<C, _>(&r, 2)?);
        }
        Ok::<_, AppError>(out)
    })
}

/// Writes the stored figures as `dossier-figures` writes them from files: dossiers, then
/// after a blank line feedback.
pub async fn export_csv(
    db: &Db,
    province: Option<&str>,
    out: &mut (dyn std::io::Write + Send),
) -> AppResult<()> {
    let io = |e: std::io::Error| AppError::Internal(e.into());
    monthly::write_csv(
        &mut *out,
        &stored_months::<DossierCounts>(db, province).await?,
    )
    .map_err(io)?;
    writeln!(out).map_err(io)?;
    monthly::write_csv(
        &mut *out,
        &stored_months::<FeedbackCounts>(db, province).await?,
    )
    .map_err(io)?;
    Ok(())
}

// ---- targets ----

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TargetRow {
    pub id: i64,
    pub indicator: String,
    pub year: i32,
    pub unit_id: Option<i64>,
    pub group_id: Option<i64>,
    pub target: f64,
    /// The unit's or the group's name; empty for the whole province.
    pub scope_name: String,
}

pub async fn list_targets(db: &Db, province: &str, year: i32) -> AppResult<Vec<TargetRow>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT t.id, t.indicator, t.year, t.unit_id, t.group_id, t.target, \
             COALESCE(u.name, g.name, '') AS scope_name \
             FROM indicator_targets t LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN unit_groups g ON g.id = t.group_id \
             WHERE t.province_code = $1 AND t.year = $2 ORDER BY t.indicator, t.unit_id IS NOT NULL, t.group_id IS NOT NULL, scope_name",
        )
        .bind(province)
        .bind(year)
        .fetch_all(p)
        .await?
    }))
}

pub struct NewTarget<'a> {
    pub indicator: &'a str,
    pub year: i32,
    pub unit_id: Option<i64>,
    pub group_id: Option<i64>,
    pub target: &'a str,
}

/// Sets a target (replacing the one of the same scope and year). Checked: a known
/// indicator, a number from 0 to 100, a year, at most one of unit and group, both in the
/// province.
pub async fn set_target(
    db: &Db,
    actor: &Actor,
    province: &str,
    t: NewTarget<'_>,
) -> AppResult<i64> {
    let mut v = Validator::default();
    let cat = Catalogue::national();
    let value = crate::reporting::template::parse_number(t.target);
    v.check(
        cat.indicator(t.indicator).is_some(),
        "indicator",
        "Chọn một chỉ số trong danh mục.",
    )
    .check(
        value.is_some_and(|v| (0.0..=100.0).contains(&v)),
        "target",
        "Chỉ tiêu là một tỷ lệ phần trăm từ 0 đến 100.",
    )
    .check((2000..=2100).contains(&t.year), "year", "Năm không hợp lệ.")
    .check(
        t.unit_id.is_none() || t.group_id.is_none(),
        "unit_id",
        "Chọn đơn vị hoặc nhóm, không chọn cả hai.",
    );
    if let Some(u) = t.unit_id {
        let ok: Option<(i64,)> = with_db!(db, |p| {
            sqlx::query_as("SELECT id FROM units WHERE id = $1 AND province_code = $2")
                .bind(u)
                .bind(province)
                .fetch_optional(p)
                .await?
        });
        v.check(ok.is_some(), "unit_id", "Đơn vị không thuộc tỉnh.");
    }
    if let Some(g) = t.group_id {
        let ok: Option<(i64,)> = with_db!(db, |p| {
            sqlx::query_as("SELECT id FROM unit_groups WHERE id = $1 AND province_code = $2")
                .bind(g)
                .bind(province)
                .fetch_optional(p)
                .await?
        });
        v.check(ok.is_some(), "group_id", "Nhóm không thuộc tỉnh.");
    }
    v.finish()?;
    let value = value.unwrap_or_default();
    let now = db.now_utc();
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        sqlx::query(
            "DELETE FROM indicator_targets WHERE province_code = $1 AND indicator = $2 AND year = $3 \
             AND COALESCE(unit_id, 0) = COALESCE($4, 0) AND COALESCE(group_id, 0) = COALESCE($5, 0)",
        )
        .bind(province)
        .bind(t.indicator)
        .bind(t.year)
        .bind(t.unit_id)
        .bind(t.group_id)
        .execute(&mut *tx)
        .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO indicator_targets (province_code, indicator, year, unit_id, group_id, target, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(province)
        .bind(t.indicator)
        .bind(t.year)
        .bind(t.unit_id)
        .bind(t.group_id)
        .bind(value)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        audit.push(crate::audit::Entry::new(actor, "set", "indicator_target", id).after(&serde_json::json!({
                "indicator": t.indicator, "year": t.year, "unit_id": t.unit_id, "group_id": t.group_id, "target": value
            })));
        Ok::<_, AppError>(id)
    });
    work.commit().await?;
    out
}

pub async fn delete_target(db: &Db, actor: &Actor, province: &str, id: i64) -> AppResult<()> {
    let mut work = crate::work::Work::begin(db).await?;
    let out = crate::in_work!(work, |tx, audit| {
        let n = sqlx::query("DELETE FROM indicator_targets WHERE id = $1 AND province_code = $2")
            .bind(id)
            .bind(province)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(AppError::NotFound("chỉ tiêu"));
        }
        audit.push(crate::audit::Entry::new(
            actor,
            "delete",
            "indicator_target",
            id,
        ));
        Ok(())
    });
    work.commit().await?;
    out
}

/// The targets that apply to each unit of a province for a year: the unit's own, else its
/// group's (the highest, when several groups set one), else the province's, else the plan's
/// in the catalogue.
pub struct Targets {
    plan: HashMap<String, f64>,
    province: HashMap<String, f64>,
    unit: HashMap<(i64, String), f64>,
    group: HashMap<(i64, String), f64>,
    groups_of: HashMap<i64, Vec<i64>>,
}

impl Targets {
    /// The plan's targets alone (the country's view: provinces set their own).
    pub fn plan() -> Targets {
        Targets {
            plan: Catalogue::national()
                .targets
                .iter()
                .map(|t| (t.indicator.clone(), t.at_least))
                .collect(),
            province: HashMap::new(),
            unit: HashMap::new(),
            group: HashMap::new(),
            groups_of: HashMap::new(),
        }
    }

    pub async fn load(db: &Db, province: &str, year: i32) -> AppResult<Targets> {
        let mut t = Targets::plan();
        for r in list_targets(db, province, year).await? {
            match (r.unit_id, r.group_id) {
                (Some(u), _) => t.unit.insert((u, r.indicator), r.target),
                (_, Some(g)) => t.group.insert((g, r.indicator), r.target),
                _ => t.province.insert(r.indicator, r.target),
            };
        }
        if !t.group.is_empty() {
            let rows: Vec<(i64, i64)> = with_db!(db, |p| {
                sqlx::query_as(
                    "SELECT u.id, g.id FROM unit_groups g JOIN units u ON u.province_code = g.province_code \
                     AND (u.kind = g.member_kind OR EXISTS (SELECT 1 FROM unit_group_members m WHERE m.group_id = g.id AND m.unit_id = u.id)) \
                     WHERE g.province_code = $1",
                )
                .bind(province)
                .fetch_all(p)
                .await?
            });
            for (u, g) in rows {
                t.groups_of.entry(u).or_default().push(g);
            }
        }
        Ok(t)
    }

    /// The target of an indicator for a unit (`None`: the province as a whole).
    pub fn for_unit(&self, unit_id: Option<i64>, indicator: &str) -> Option<f64> {
        if let Some(u) = unit_id {
            if let Some(v) = self.unit.get(&(u, indicator.to_string())) {
                return Some(*v);
            }
            let from_groups = self
                .groups_of
                .get(&u)
                .into_iter()
                .flatten()
                .filter_map(|g| self.group.get(&(*g, indicator.to_string())))
                .copied()
                .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
            if from_groups.is_some() {
                return from_groups;
            }
        }
        self.province
            .get(indicator)
            .or_else(|| self.plan.get(indicator))
            .copied()
    }

    /// Indicators with a target somewhere (the rows of the targets table).
    pub fn indicators(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .plan
            .keys()
            .chain(self.province.keys())
            .chain(self.unit.keys().map(|k| &k.1))
            .chain(self.group.keys().map(|k| &k.1))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    }
}
