//! What the scorecard pages show, computed in plain functions: a scope's score and groups,
//! its targets with traffic lights and trend, league tables of its units (or of the
//! provinces, for the country), the monthly course of key indicators, and one unit's
//! figures by procedure.

use crate::dossiers::monthly::Tally;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::period::Period;
use super::store::{self, By, Scope, Targets};
use super::{score, Catalogue, Facts, Light, Score, Scorecard};
use crate::auth::{policy, Actor};
use crate::dossiers::monthly::DossierCounts;
use crate::dossiers::state::{self, UnitState};
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::with_db;

/// Indicators drawn month by month.
pub const TREND: &[&str] = &[
    "dossier_on_time_766",
    "dossier_online",
    "dossier_digitized",
    "dossier_satisfaction",
];

#[derive(Debug, Clone, Serialize)]
pub struct TargetLine {
    pub indicator: String,
    pub name: String,
    pub target: Option<f64>,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub light: Light,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub rank: usize,
    pub previous_rank: Option<usize>,
    pub code: String,
    pub name: String,
    pub total: f64,
    pub previous_total: Option<f64>,
    pub groups: Vec<f64>,
    /// The 766 on-time share against its target (the light most asked about).
    pub on_time: Option<f64>,
    pub light: Light,
    pub received: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct League {
    pub title: String,
    pub rows: Vec<Ranked>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub scope_code: String,
    pub scope_name: String,
    pub period: Period,
    pub card: String,
    pub card_name: String,
    /// Every scorecard the scope may be seen on: (code, name).
    pub cards: Vec<(String, String)>,
    pub group_names: Vec<String>,
    pub score: Score,
    pub previous_total: Option<f64>,
    pub received: u64,
    pub targets: Vec<TargetLine>,
    pub leagues: Vec<League>,
    pub months: Vec<String>,
    pub trend: Vec<(String, Vec<Option<f64>>)>,
}

/// Which units a league ranks.
struct Member {
    id: i64,
    code: String,
    name: String,
    kind: String,
}

async fn members(db: &Db, province: Option<&str>) -> AppResult<Vec<Member>> {
    let rows: Vec<(i64, String, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, code, name, kind FROM units WHERE ($1 IS NULL AND kind = 'province') \
             OR (province_code = $1 AND kind IN ('department', 'commune', 'other')) ORDER BY name_sort",
        )
        .bind(province)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, code, name, kind)| Member {
            id,
            code,
            name,
            kind,
        })
        .collect())
}

/// The facts and the external values (reported, tasks) of a period.
async fn gather(
    db: &Db,
    by: By,
    scope: &Scope<'_>,
    period: &Period,
    needs: store::Needs,
) -> AppResult<(BTreeMap<String, Facts>, store::Reported)> {
    let (from, to) = period.months();
    Ok((
        store::facts(db, by, scope, &from, &to).await?,
        store::external(db, by, scope, &from, &to, needs).await?,
    ))
}

/// The external sources a scorecard and a list of targeted indicators need.
fn needs(cat: &Catalogue, card: &Scorecard, targeted: &[String]) -> store::Needs {
    store::Needs::of(
        cat,
        card.groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.indicator.as_str()))
            .chain(targeted.iter().map(String::as_str)),
    )
}

fn card<'a>(cat: &'a Catalogue, code: &str) -> AppResult<&'a Scorecard> {
    cat.scorecard(code)
        .or_else(|| cat.scorecards.first())
        .ok_or(AppError::NotFound("bộ chỉ số"))
}

/// A scope's own facts and reported values: the sum of its members' (ratios of sums).
fn total(f: &BTreeMap<String, Facts>, r: &store::Reported) -> (Facts, HashMap<String, f64>) {
    let mut all = Facts::default();
    for x in f.values() {
        all.dossiers.merge(&x.dossiers);
        all.feedback.merge(&x.feedback);
    }
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for m in r.values() {
        for (k, (n, d)) in m {
            let e = sums.entry(k.clone()).or_default();
            e.0 += n;
            e.1 += d;
        }
    }
    (all, store::reported_values(Some(&sums)))
}

/// The values of some indicators over a period for each unit of a province (by unit code) and
/// for the province as a whole (`""`): what a breakthrough's targets are followed with.
pub async fn values(
    db: &Db,
    province: &str,
    period: &Period,
    codes: &[String],
) -> AppResult<HashMap<String, HashMap<String, f64>>> {
    let cat = store::catalogue_for(db, Some(province)).await?;
    let codes: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|c| cat.indicator(c).is_some())
        .collect();
    let mut out: HashMap<String, HashMap<String, f64>> = HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let scope = Scope {
        province: Some(province),
        unit: None,
    };
    let need = store::Needs::of(&cat, codes.iter().copied());
    let (facts, rep) = gather(db, By::Unit, &scope, period, need).await?;
    let (all, all_rep) = total(&facts, &rep);
    let mut put = |who: &str, f: &Facts, r: &HashMap<String, f64>| {
        for c in &codes {
            if let Some(v) = cat.value_of(c, f, r) {
                out.entry(who.to_string())
                    .or_default()
                    .insert(c.to_string(), v);
            }
        }
    };
    put("", &all, &all_rep);
    for (unit, f) in &facts {
        put(unit, f, &store::reported_values(rep.get(unit)));
    }
    Ok(out)
}

/// The board of a province (`Some`) or of the country (`None`: provinces are ranked).
pub async fn board(
    db: &Db,
    province: Option<&str>,
    period: &Period,
    card_code: &str,
) -> AppResult<Board> {
    let cat = store::catalogue_for(db, province).await?;
    let card = card(&cat, card_code)?;
    let (by, scope) = match province {
        Some(p) => (
            By::Unit,
            Scope {
                province: Some(p),
                unit: None,
            },
        ),
        None => (By::Province, Scope::default()),
    };
    let targets = match province {
        Some(p) => Targets::load(db, p, period.year).await?,
        None => Targets::plan(),
    };
    let targeted = targets.indicators();
    let need = needs(&cat, card, &targeted);
    let (facts, rep) = gather(db, by, &scope, period, need).await?;
    let (prev_facts, prev_rep) = gather(db, by, &scope, &period.previous(), need).await?;
    let members = members(db, province).await?;
    let (all, all_rep) = total(&facts, &rep);
    let (prev_all, prev_all_rep) = total(&prev_facts, &prev_rep);
    let s = score(&cat, card, &all, &all_rep);
    let previous_total =
        (prev_all.dossiers.received > 0).then(|| score(&cat, card, &prev_all, &prev_all_rep).total);
    let target_lines = target_lines(
        &cat,
        &targets,
        None,
        (&all, &all_rep),
        (&prev_all, &prev_all_rep),
    );
    // Leagues: one per kind of unit, ranked on the scorecard with ties.
    let kinds: &[(&str, &str)] = match province {
        Some(_) => &[
            ("commune", "Xếp hạng UBND cấp xã, phường"),
            ("department", "Xếp hạng sở, ban, ngành"),
        ],
        None => &[("province", "Xếp hạng tỉnh, thành phố")],
    };
    let on_time = cat.indicator("dossier_on_time_766");
    let mut leagues = Vec::new();
    for (kind, title) in kinds {
        let chosen: Vec<&Member> = members
            .iter()
            .filter(|m| m.kind == *kind || (*kind == "department" && m.kind == "other"))
            .filter(|m| facts.contains_key(&m.code))
            .collect();
        let ranked_now = rank(&cat, card, &chosen, &facts, &rep);
        let ranked_before = rank(&cat, card, &chosen, &prev_facts, &prev_rep);
        let rows = ranked_now
            .into_iter()
            .map(|(rank, m, sc, f)| {
                let before = ranked_before.iter().find(|b| b.1.code == m.code);
                let v = on_time.and_then(|i| super::value(i, &f));
                let t = targets.for_unit(Some(m.id), "dossier_finished_on_time");
                Ranked {
                    rank,
                    previous_rank: before.map(|b| b.0),
                    code: m.code.clone(),
                    name: m.name.clone(),
                    total: sc.total,
                    previous_total: before.map(|b| b.2.total),
                    groups: sc.groups.iter().map(|g| g.points).collect(),
                    on_time: v,
                    light: Light::of(super::Direction::Higher, v, t),
                    received: f.dossiers.received,
                }
            })
            .collect();
        leagues.push(League {
            title: title.to_string(),
            rows,
        });
    }
    let (months, trend) = trend(db, province, None, period).await?;
    let scope_name = match province {
        Some(p) => crate::org::province_name(db, p).await?,
        None => "Cả nước".to_string(),
    };
    Ok(Board {
        scope_code: province.unwrap_or("").to_string(),
        scope_name,
        period: period.clone(),
        card: card.code.clone(),
        card_name: card.name.clone(),
        cards: cat
            .scorecards
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        group_names: card.groups.iter().map(|g| g.name.clone()).collect(),
        received: all.dossiers.received,
        score: s,
        previous_total,
        targets: target_lines,
        leagues,
        months,
        trend,
    })
}

/// Each targeted indicator's target for a unit (`None`: the scope as a whole), its value now
/// and before, and the light.
fn target_lines(
    cat: &Catalogue,
    targets: &Targets,
    unit: Option<i64>,
    now: (&Facts, &HashMap<String, f64>),
    before: (&Facts, &HashMap<String, f64>),
) -> Vec<TargetLine> {
    targets
        .indicators()
        .iter()
        .filter_map(|code| {
            let i = cat.indicator(code)?;
            let value = cat.value_of(code, now.0, now.1);
            let target = targets.for_unit(unit, code);
            Some(TargetLine {
                indicator: code.clone(),
                name: i.name.clone(),
                target,
                value,
                previous: cat.value_of(code, before.0, before.1),
                light: Light::of(i.direction, value, target),
            })
        })
        .collect()
}

/// Members with facts, scored and ranked best first (ties share a rank, by name).
fn rank<'a>(
    cat: &Catalogue,
    card: &Scorecard,
    members: &[&'a Member],
    facts: &BTreeMap<String, Facts>,
    rep: &store::Reported,
) -> Vec<(usize, &'a Member, Score, Facts)> {
    let rows: Vec<(&Member, Score, Facts)> = members
        .iter()
        .filter_map(|m| {
            let f = *facts.get(&m.code)?;
            let s = score(cat, card, &f, &store::reported_values(rep.get(&m.code)));
            Some((*m, s, f))
        })
        .collect();
    super::ranked(rows, |r| r.1.total, |a, b| a.0.name.cmp(&b.0.name))
        .into_iter()
        .map(|(k, (m, s, f))| (k, m, s, f))
        .collect()
}

/// The months of the period's year up to the period's end, with the trend indicators.
async fn trend(
    db: &Db,
    province: Option<&str>,
    unit: Option<&str>,
    period: &Period,
) -> AppResult<(Vec<String>, Vec<(String, Vec<Option<f64>>)>)> {
    let cat = Catalogue::national();
    let from = format!("{}-01", period.year);
    let to = period.months().1;
    let scope = Scope { province, unit };
    let by_month = store::facts(db, By::Month, &scope, &from, &to).await?;
    // Months with dossiers received (feedback alone can run past the last export's month).
    let months: Vec<String> = by_month
        .iter()
        .filter(|(_, f)| f.dossiers.received > 0)
        .map(|(m, _)| m.clone())
        .collect();
    let series = TREND
        .iter()
        .filter_map(|code| {
            let i = cat.indicator(code)?;
            let name = i
                .name
                .split(" (")
                .next()
                .unwrap_or(&i.name)
                .trim_start_matches("Tỷ lệ ")
                .to_string();
            Some((
                name,
                months
                    .iter()
                    .map(|m| by_month.get(m).and_then(|f| super::value(i, f)))
                    .collect(),
            ))
        })
        .collect();
    let labels = months
        .iter()
        .map(|m| format!("T{}", m[5..].trim_start_matches('0')))
        .collect();
    Ok((labels, series))
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcedureLine {
    pub procedure: String,
    pub counts: DossierCounts,
    pub on_time: Option<f64>,
    pub online: Option<f64>,
    pub digitized: Option<f64>,
    pub satisfaction: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitBoard {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub province: String,
    pub period: Period,
    pub card: String,
    pub card_name: String,
    pub score: Score,
    pub previous_total: Option<f64>,
    pub rank: Option<(usize, usize)>,
    pub counts: DossierCounts,
    pub targets: Vec<TargetLine>,
    pub months: Vec<String>,
    pub trend: Vec<(String, Vec<Option<f64>>)>,
    pub procedures: Vec<ProcedureLine>,
}

/// One unit: its score and groups, its targets, its months, its procedures.
pub async fn unit_board(
    db: &Db,
    unit: &crate::org::Unit,
    period: &Period,
    card_code: &str,
) -> AppResult<UnitBoard> {
    let cat = store::catalogue_for(db, Some(&unit.province_code)).await?;
    let card = card(&cat, card_code)?;
    let scope = Scope {
        province: Some(&unit.province_code),
        unit: Some(&unit.code),
    };
    let targets = Targets::load(db, &unit.province_code, period.year).await?;
    let need = needs(&cat, card, &targets.indicators());
    // The province's units this period (the unit and the peers it is ranked among), and the
    // unit alone the period before.
    let province_scope = Scope {
        province: Some(&unit.province_code),
        unit: None,
    };
    let (all, rep) = gather(db, By::Unit, &province_scope, period, need).await?;
    let (pf, prep) = gather(db, By::Unit, &scope, &period.previous(), need).await?;
    let facts = all.get(&unit.code).copied().unwrap_or_default();
    let pfacts = pf.get(&unit.code).copied().unwrap_or_default();
    let (r, pr) = (
        store::reported_values(rep.get(&unit.code)),
        store::reported_values(prep.get(&unit.code)),
    );
    let s = score(&cat, card, &facts, &r);
    let previous_total =
        (pfacts.dossiers.received > 0).then(|| score(&cat, card, &pfacts, &pr).total);
    let target_lines = target_lines(&cat, &targets, Some(unit.id), (&facts, &r), (&pfacts, &pr));
    // Its rank among units of its kind in the province.
    let peers: Vec<Member> = members(db, Some(&unit.province_code))
        .await?
        .into_iter()
        .filter(|m| m.kind == unit.kind)
        .collect();
    let refs: Vec<&Member> = peers.iter().collect();
    let ranked = rank(&cat, card, &refs, &all, &rep);
    let rank = ranked
        .iter()
        .find(|r| r.1.code == unit.code)
        .map(|r| (r.0, ranked.len()));
    let (months, trend) = trend(db, None, Some(&unit.code), period).await?;
    let procedures = by_procedure(db, &unit.code, period).await?;
    Ok(UnitBoard {
        unit_id: unit.id,
        code: unit.code.clone(),
        name: unit.name.clone(),
        province: unit.province_code.clone(),
        period: period.clone(),
        card: card.code.clone(),
        card_name: card.name.clone(),
        score: s,
        previous_total,
        rank,
        counts: facts.dossiers,
        targets: target_lines,
        months,
        trend,
        procedures,
    })
}

/// A unit's dossiers of the period by procedure, busiest first, from its stored state.
pub async fn by_procedure(
    db: &Db,
    unit_code: &str,
    period: &Period,
) -> AppResult<Vec<ProcedureLine>> {
    let row: Option<(Vec<u8>,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT data FROM dossier_state WHERE kind = 'dossier' AND unit_code = $1")
            .bind(unit_code)
            .fetch_optional(p)
            .await?
    });
    let Some((data,)) = row else {
        return Ok(vec![]);
    };
    let st = UnitState::decode(&data).map_err(|e| AppError::Internal(e.into()))?;
    let (from, to) = period.months();
    let idx = |ym: &str| {
        Period::month_of(ym)
            .map(|p| state::month_index(p.year, p.n))
            .unwrap_or(0)
    };
    let cat = Catalogue::national();
    let v = |code: &str, c: &DossierCounts| {
        let f = Facts {
            dossiers: *c,
            feedback: Default::default(),
        };
        cat.indicator(code).and_then(|i| super::value(i, &f))
    };
    let mut lines: Vec<ProcedureLine> = st
        .by_subject::<DossierCounts>(idx(&from), idx(&to))
        .into_iter()
        .map(|(procedure, counts)| ProcedureLine {
            on_time: v("dossier_on_time_766", &counts),
            online: v("dossier_online", &counts),
            digitized: v("dossier_digitized", &counts),
            satisfaction: v("dossier_satisfaction", &counts),
            procedure,
            counts,
        })
        .collect();
    lines.sort_by(|a, b| {
        b.counts
            .received
            .cmp(&a.counts.received)
            .then_with(|| a.procedure.cmp(&b.procedure))
    });
    Ok(lines)
}

// ---- what a board is asked for ----

/// A year of a large province's one-stop export is a few hundred megabytes.
pub const UPLOAD_LIMIT: usize = 2 << 30;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    pub period: Option<String>,
    pub province: Option<String>,
    pub scope: Option<String>,
    pub card: Option<String>,
    /// Top and bottom N of each league; "all" for every row.
    pub n: Option<String>,
}

/// The period asked for, else the year of the latest month with data, else this year.
pub async fn period_or_latest(
    db: &crate::store::Db,
    asked: Option<&str>,
    province: Option<&str>,
    today: chrono::NaiveDate,
) -> AppResult<Period> {
    if let Some(s) = asked.filter(|s| !s.is_empty()) {
        return Period::parse(s).ok_or_else(|| {
            AppError::invalid(
                "period",
                "Kỳ không hợp lệ: dùng YYYY, YYYY-Qn hoặc YYYY-MM (ví dụ 2026, 2026-Q3, 2026-09).",
            )
        });
    }
    let year = store::latest_month(db, province)
        .await?
        .and_then(|m| m.get(..4).and_then(|y| y.parse().ok()))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    Ok(Period::parse(&year.to_string()).unwrap_or(Period {
        span: crate::indicators::period::Span::Year,
        year,
        n: 0,
    }))
}

/// Whose board: the country for an administrator who asks for it, else a province.
pub async fn board_scope(
    db: &crate::store::Db,
    actor: &Actor,
    q: &BoardQuery,
) -> AppResult<Option<String>> {
    if q.scope.as_deref() == Some("country") {
        policy::read_country(actor)?;
        return Ok(None);
    }
    Ok(Some(
        crate::org::province_for(db, actor, q.province.as_deref()).await?,
    ))
}
