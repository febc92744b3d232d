//! The indicator catalogue and scorecards, read from configuration (`data/indicators.json`,
//! embedded; a province may supply its own): each indicator is a ratio of sums of monthly
//! counts, with a direction and a rule for an empty denominator; each scorecard gives
//! indicators points (linear, or full from a threshold) in groups. Values aggregate as
//! sums of numerators over sums of denominators, up the unit tree and over periods.

use crate::dossiers::monthly::Tally;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dossiers::monthly::{DossierCounts, FeedbackCounts};

pub mod board;
pub mod period;
pub mod store;

pub const DEFAULT_CATALOGUE: &str = include_str!("../../data/indicators.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Dossiers,
    Feedback,
    /// Entered by units in their periodic reports.
    Reported,
    /// Computed from the status of the tasks assigned to the unit.
    Tasks,
}

impl Source {
    /// Values that come from outside the dossier counts (reports, tasks), handed to
    /// `score` ready-made.
    pub fn external(self) -> bool {
        matches!(self, Source::Reported | Source::Tasks)
    }
}

/// What an indicator is worth when its denominator is zero (Decision 766 keeps them apart:
/// most ratios become 0, the feedback ones count as fully met, some show "N/A").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenNoData {
    Zero,
    Full,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub source: Source,
    #[serde(default)]
    pub numerator: String,
    #[serde(default)]
    pub denominator: String,
    pub when_no_data: WhenNoData,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub plan: String,
    pub indicator: String,
    pub at_least: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// points × ratio
    Linear,
    /// full points from the threshold up, proportional below it
    Threshold,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub indicator: String,
    pub points: f64,
    pub rule: Rule,
    #[serde(default)]
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub max: f64,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scorecard {
    pub code: String,
    pub name: String,
    pub groups: Vec<Group>,
}

impl Scorecard {
    /// Every item names an indicator of the catalogue, every group's items add up to its
    /// maximum, thresholds are percentages.
    pub fn check(&self, c: &Catalogue) -> Result<(), String> {
        let s = self;
        if s.groups.is_empty() {
            return Err(format!("{}: bộ chỉ số chưa có nhóm nào", s.code));
        }
        for g in &s.groups {
            if g.items.is_empty() {
                return Err(format!("{} nhóm {}: chưa có chỉ số nào", s.code, g.name));
            }
            let sum: f64 = g.items.iter().map(|i| i.points).sum();
            if (sum - g.max).abs() > 1e-9 {
                return Err(format!(
                    "{} nhóm {}: tổng điểm các chỉ số {sum} khác điểm tối đa {}",
                    s.code, g.code, g.max
                ));
            }
            for it in &g.items {
                if c.indicator(&it.indicator).is_none() {
                    return Err(format!(
                        "{} nhóm {}: không có chỉ số {}",
                        s.code, g.code, it.indicator
                    ));
                }
                if it.rule == Rule::Threshold
                    && !it.threshold.is_some_and(|t| t > 0.0 && t <= 100.0)
                {
                    return Err(format!("{}: ngưỡng phải trong (0, 100]", it.indicator));
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalogue {
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub scorecards: Vec<Scorecard>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cấu hình chỉ số không đọc được: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cấu hình chỉ số không hợp lệ: {0}")]
    Invalid(String),
}

/// One signed term of a numerator or denominator: "+ finished_on_time", "- in_progress_overdue".
fn terms(expr: &str) -> Result<Vec<(i64, String)>, String> {
    let mut out = Vec::new();
    let mut sign = 1;
    for tok in expr.split_whitespace() {
        match tok {
            "+" => sign = 1,
            "-" => sign = -1,
            name => {
                out.push((sign, name.to_string()));
                sign = 1;
            }
        }
    }
    if out.is_empty() {
        return Err(format!("biểu thức rỗng: “{expr}”"));
    }
    Ok(out)
}

impl Catalogue {
    pub fn parse(json: &str) -> Result<Catalogue, CatalogueError> {
        let c: Catalogue = serde_json::from_str(json)?;
        c.check().map_err(CatalogueError::Invalid)?;
        Ok(c)
    }

    /// The national catalogue, parsed once (every scorecard page and import consults it).
    pub fn national() -> &'static Catalogue {
        static NATIONAL: std::sync::LazyLock<Catalogue> = std::sync::LazyLock::new(|| {
            // Checked by a test; a broken embedded file is a build defect, not user input.
            Catalogue::parse(DEFAULT_CATALOGUE).unwrap_or(Catalogue {
                indicators: vec![],
                targets: vec![],
                scorecards: vec![],
            })
        });
        &NATIONAL
    }

    /// Every term names a count of its source; every item and target names an indicator;
    /// every group's items add up to its maximum.
    fn check(&self) -> Result<(), String> {
        let zero_d = DossierCounts::default();
        let zero_f = FeedbackCounts::default();
        let mut codes = std::collections::HashSet::new();
        for i in &self.indicators {
            if !codes.insert(i.code.as_str()) {
                return Err(format!("mã chỉ số trùng: {}", i.code));
            }
            if i.source.external() {
                continue;
            }
            for expr in [&i.numerator, &i.denominator] {
                for (_, t) in terms(expr)? {
                    let known = match i.source {
                        Source::Dossiers => zero_d.get(&t).is_some(),
                        Source::Feedback => zero_f.get(&t).is_some(),
                        Source::Reported | Source::Tasks => true,
                    };
                    if !known {
                        return Err(format!("{}: không có số liệu “{t}”", i.code));
                    }
                }
            }
        }
        for t in &self.targets {
            if !codes.contains(t.indicator.as_str()) {
                return Err(format!("chỉ tiêu cho chỉ số không có: {}", t.indicator));
            }
        }
        for s in &self.scorecards {
            s.check(self)?;
        }
        Ok(())
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    pub fn scorecard(&self, code: &str) -> Option<&Scorecard> {
        self.scorecards.iter().find(|s| s.code == code)
    }

    /// An indicator's value over facts, or from reported values for reported indicators.
    pub fn value_of(&self, code: &str, f: &Facts, reported: &HashMap<String, f64>) -> Option<f64> {
        let i = self.indicator(code)?;
        if i.source.external() {
            external_value(i, reported)
        } else {
            value(i, f)
        }
    }
}

/// The counts an indicator is computed from, for one unit (or a sum of units) and period.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    pub dossiers: DossierCounts,
    pub feedback: FeedbackCounts,
}

/// An indicator's numerator and denominator over some facts.
pub fn ratio_parts(i: &Indicator, f: &Facts) -> Option<(i64, i64)> {
    let eval = |expr: &str| -> Option<i64> {
        let mut v = 0i64;
        for (sign, t) in terms(expr).ok()? {
            let n = match i.source {
                Source::Dossiers => f.dossiers.get(&t)?,
                Source::Feedback => f.feedback.get(&t)?,
                Source::Reported | Source::Tasks => return None,
            };
            v += sign * n as i64;
        }
        Some(v)
    };
    Some((eval(&i.numerator)?, eval(&i.denominator)?))
}

/// The indicator's value in percent; `None` when it cannot be computed (no data and the
/// rule says N/A, or a reported indicator).
pub fn value(i: &Indicator, f: &Facts) -> Option<f64> {
    let (num, den) = ratio_parts(i, f)?;
    if den <= 0 {
        return match i.when_no_data {
            WhenNoData::Zero => Some(0.0),
            WhenNoData::Full => Some(100.0),
            WhenNoData::None => None,
        };
    }
    Some(100.0 * num as f64 / den as f64)
}

/// A reported or task-based value; none given reads as the indicator's no-data rule says
/// (no task falling due is nothing late).
pub fn external_value(i: &Indicator, given: &HashMap<String, f64>) -> Option<f64> {
    given.get(&i.code).copied().or(match i.when_no_data {
        WhenNoData::Full => Some(100.0),
        WhenNoData::Zero => Some(0.0),
        WhenNoData::None => None,
    })
}

/// Points an item earns for a value in percent.
pub fn points(item: &Item, value: Option<f64>) -> f64 {
    let Some(v) = value else { return 0.0 };
    let r = (v / 100.0).clamp(0.0, 1.0);
    match item.rule {
        Rule::Linear => item.points * r,
        Rule::Threshold => {
            let t = item.threshold.unwrap_or(100.0) / 100.0;
            item.points * (r / t).min(1.0)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemScore {
    pub indicator: String,
    pub name: String,
    pub value: Option<f64>,
    pub points: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub code: String,
    pub name: String,
    pub points: f64,
    pub max: f64,
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub total: f64,
    pub max: f64,
    pub groups: Vec<GroupScore>,
}

/// A scorecard over facts; reported indicators take their value from `reported` when given.
pub fn score(c: &Catalogue, card: &Scorecard, f: &Facts, reported: &HashMap<String, f64>) -> Score {
    let mut groups = Vec::new();
    for g in &card.groups {
        let items: Vec<ItemScore> = g
            .items
            .iter()
            .map(|it| {
                let ind = c.indicator(&it.indicator);
                let v = match ind {
                    Some(i) if i.source.external() => external_value(i, reported),
                    Some(i) => value(i, f),
                    None => None,
                };
                ItemScore {
                    indicator: it.indicator.clone(),
                    name: ind.map(|i| i.name.clone()).unwrap_or_default(),
                    value: v,
                    points: points(it, v),
                    max: it.points,
                }
            })
            .collect();
        groups.push(GroupScore {
            code: g.code.clone(),
            name: g.name.clone(),
            points: items.iter().map(|i| i.points).sum(),
            max: g.max,
            items,
        });
    }
    Score {
        total: groups.iter().map(|g| g.points).sum(),
        max: groups.iter().map(|g| g.max).sum(),
        groups,
    }
}

/// A traffic light against a target: green when met, amber within 5 points, red below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Amber,
    Red,
    /// No value or no target.
    None,
}

impl Light {
    pub fn of(direction: Direction, value: Option<f64>, target: Option<f64>) -> Light {
        let (Some(v), Some(t)) = (value, target) else {
            return Light::None;
        };
        // How far the value falls short, in points (rounded as shown: 96,99 % is not 97 %).
        let v = (v * 100.0).round() / 100.0;
        let short = match direction {
            Direction::Higher => t - v,
            Direction::Lower => v - t,
        };
        if short <= 0.0 {
            Light::Green
        } else if short <= 5.0 {
            Light::Amber
        } else {
            Light::Red
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Light::Green => "light green",
            Light::Amber => "light amber",
            Light::Red => "light red",
            Light::None => "light none",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "Đạt",
            Light::Amber => "Gần đạt",
            Light::Red => "Chưa đạt",
            Light::None => "—",
        }
    }
}

/// Ranks with ties ("1, 2, 2, 4"): equal scores (to 2 decimals, as published) share a rank.
pub fn rank_with_ties(scores: &[f64]) -> Vec<usize> {
    let rounded: Vec<i64> = scores.iter().map(|s| (s * 100.0).round() as i64).collect();
    rounded
        .iter()
        .map(|s| 1 + rounded.iter().filter(|o| *o > s).count())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_is_valid_and_766_adds_up_to_100() {
        let c = Catalogue::parse(DEFAULT_CATALOGUE).expect("valid catalogue");
        let card = c.scorecards.iter().find(|s| s.code == "766").unwrap();
        let maxima: Vec<f64> = card.groups.iter().map(|g| g.max).collect();
        assert_eq!(maxima, vec![18.0, 20.0, 22.0, 22.0, 18.0]);
        assert_eq!(c.targets.len(), 5);
    }

    #[test]
    fn a_bad_catalogue_is_refused_with_a_reason() {
        let bad = DEFAULT_CATALOGUE.replace(
            "\"finished_on_time + in_progress",
            "\"finished_in_time + in_progress",
        );
        let e = Catalogue::parse(&bad).unwrap_err().to_string();
        assert!(e.contains("không có số liệu “finished_in_time”"), "{e}");
        let bad = DEFAULT_CATALOGUE.replace("\"points\": 20,", "\"points\": 19,");
        assert!(Catalogue::parse(&bad)
            .unwrap_err()
            .to_string()
            .contains("khác điểm tối đa 20"));
    }

    #[test]
    fn values_points_and_zero_denominators() {
        let c = Catalogue::national();
        let mut f = Facts::default();
        // No data at all: feedback indicators are fully met, online share 0, on-time N/A.
        assert_eq!(
            value(c.indicator("feedback_on_time").unwrap(), &f),
            Some(100.0)
        );
        assert_eq!(value(c.indicator("dossier_online").unwrap(), &f), Some(0.0));
        assert_eq!(value(c.indicator("dossier_on_time_766").unwrap(), &f), None);
        // 10 received: 6 finished (5 on time), 4 in progress (1 overdue), 3 online.
        f.dossiers.received = 10;
        f.dossiers.finished = 6;
        f.dossiers.finished_on_time = 5;
        f.dossiers.in_progress = 4;
        f.dossiers.in_progress_overdue = 1;
        f.dossiers.received_online = 3;
        let on_time = value(c.indicator("dossier_on_time_766").unwrap(), &f).unwrap();
        assert!((on_time - 80.0).abs() < 1e-9, "(5 + 4 - 1) / 10");
        let card = &c.scorecards[0];
        let s = score(c, card, &f, &HashMap::new());
        let g2 = &s.groups[1];
        assert!((g2.points - 16.0).abs() < 1e-9, "20 × 80 %");
        // online share 30 % under a 50 % threshold: 6 × 0.3 / 0.5 = 3.6
        let online = s.groups[2]
            .items
            .iter()
            .find(|i| i.indicator == "dossier_online")
            .unwrap();
        assert!((online.points - 3.6).abs() < 1e-9);
        // feedback with no items: 6 + 6 points
        assert!((s.groups[4].items[0].points - 6.0).abs() < 1e-9);
        assert!((s.groups[4].items[1].points - 6.0).abs() < 1e-9);
        assert_eq!(rank_with_ties(&[90.0, 85.5, 85.5, 70.0]), vec![1, 2, 2, 4]);
        // A league: two communes alike share second place behind a better one.
        let mut better = f;
        better.dossiers.received_online = 9;
        let units: std::collections::BTreeMap<String, Facts> = [
            ("26041".to_string(), f),
            ("26044".to_string(), better),
            ("26047".to_string(), f),
        ]
        .into_iter()
        .collect();
        let table = league(c, card, &units);
        let order: Vec<(usize, &str)> = table
            .iter()
            .map(|r| (r.rank, r.unit_code.as_str()))
            .collect();
        assert_eq!(order, vec![(1, "26044"), (2, "26041"), (2, "26047")]);
    }
}

/// One row of a league table.
#[derive(Debug, Clone, Serialize)]
pub struct LeagueRow {
    pub rank: usize,
    pub unit_code: String,
    pub score: Score,
}

/// Scores every unit on a scorecard and ranks them, best first, ties sharing a rank.
pub fn league(
    c: &Catalogue,
    card: &Scorecard,
    units: &std::collections::BTreeMap<String, Facts>,
) -> Vec<LeagueRow> {
    league_with(c, card, units, &Default::default())
}

/// A league where reported indicators take the units' reported values.
pub fn league_with(
    c: &Catalogue,
    card: &Scorecard,
    units: &std::collections::BTreeMap<String, Facts>,
    reported: &store::Reported,
) -> Vec<LeagueRow> {
    let rows: Vec<LeagueRow> = units
        .iter()
        .map(|(u, f)| LeagueRow {
            rank: 0,
            unit_code: u.clone(),
            score: score(c, card, f, &store::reported_values(reported.get(u))),
        })
        .collect();
    ranked(
        rows,
        |r| r.score.total,
        |a, b| a.unit_code.cmp(&b.unit_code),
    )
    .into_iter()
    .map(|(rank, r)| LeagueRow { rank, ..r })
    .collect()
}

/// Rows best first by their total, ties in `tie` order, each with its rank (ties share one,
/// see `rank_with_ties`): the one ranking of league tables.
pub fn ranked<T>(
    mut rows: Vec<T>,
    total: impl Fn(&T) -> f64,
    tie: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<(usize, T)> {
    rows.sort_by(|a, b| {
        total(b)
            .partial_cmp(&total(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| tie(a, b))
    });
    let ranks = rank_with_ties(&rows.iter().map(&total).collect::<Vec<_>>());
    ranks.into_iter().zip(rows).collect()
}
