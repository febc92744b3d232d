//! Consolidation: a receiver's view of one period — every reporter's state, figures summed
//! (ratios recomputed from the sums, never averaged), narratives grouped by section and
//! unit, who has not submitted or was returned, and completeness and timeliness rates.
//! Live: a submission counts the moment it is made.

use std::collections::BTreeMap;

use serde::Serialize;

use super::schedule::{self, Schedule};
use super::template::{self, Field, FieldKind, Values};
use super::RequestState;
use crate::error::AppResult;
use crate::store::Db;
use crate::with_db;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub request_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub state: RequestState,
    pub submitted_at: Option<String>,
    pub late: Option<bool>,
    pub due_on: String,
    pub returns: i32,
    pub values: Values,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consolidation {
    pub schedule_id: i64,
    pub schedule_name: String,
    pub receiver_name: String,
    pub period: String,
    pub fields: Vec<Field>,
    pub rows: Vec<Row>,
    /// Number fields summed over the submissions that count.
    pub totals: BTreeMap<String, f64>,
}

type RowTuple = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<bool>,
    String,
    i32,
    Option<String>,
);

pub async fn consolidate(db: &Db, s: &Schedule, period: &str) -> AppResult<Consolidation> {
    let t = schedule::get_template(db, s.template_id).await?;
    // The latest version of each request's submission, in one pass.
    let rows: Vec<RowTuple> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT r.id, r.unit_id, u.code, u.name, r.state, r.submitted_at, r.late, r.due_on, r.returns, sub.values_json \
         FROM report_requests r JOIN units u ON u.id = r.unit_id \
         LEFT JOIN report_submissions sub ON sub.request_id = r.id AND sub.version = \
           (SELECT MAX(x.version) FROM report_submissions x WHERE x.request_id = r.id) \
         WHERE r.schedule_id = $1 AND r.period = $2 ORDER BY u.name_sort"
    )
    .bind(s.id)
    .bind(period)
    .fetch_all(p)
    .await
    })?;
    let numbers: Vec<&Field> = t
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Number)
        .collect();
    let mut totals: BTreeMap<String, f64> = numbers.iter().map(|f| (f.key.clone(), 0.0)).collect();
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|r| {
            let state = RequestState::parse(&r.4);
            let values: Values =
                r.9.as_deref()
                    .and_then(|j| serde_json::from_str(j).ok())
                    .unwrap_or_default();
            if state.counts() {
                for f in &numbers {
                    if let Some(v) = values.get(&f.key).and_then(|v| template::parse_number(v)) {
                        *totals.entry(f.key.clone()).or_default() += v;
                    }
                }
            }
            Row {
                request_id: r.0,
                unit_id: r.1,
                unit_code: r.2,
                unit_name: r.3,
                state,
                submitted_at: r.5,
                late: r.6,
                due_on: r.7,
                returns: r.8,
                values,
            }
        })
        .collect();
    Ok(Consolidation {
        schedule_id: s.id,
        schedule_name: s.name.clone(),
        receiver_name: s.receiver_name.clone(),
        period: period.to_string(),
        fields: t.fields,
        rows,
        totals,
    })
}

impl Consolidation {
    pub fn expected(&self) -> usize {
        self.rows.len()
    }
    pub fn submitted(&self) -> usize {
        self.rows.iter().filter(|r| r.state.counts()).count()
    }
    pub fn on_time(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.state.counts() && r.late == Some(false))
            .count()
    }
    pub fn late(&self) -> usize {
        self.submitted() - self.on_time()
    }
    /// Units whose report does not count: never submitted, drafting, or returned.
    pub fn missing(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !r.state.counts()).collect()
    }
    pub fn returned(&self) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| !r.state.counts() && r.returns > 0)
            .collect()
    }
    /// Share of expected reports that count, in %.
    pub fn completeness(&self) -> Option<f64> {
        template::ratio(self.submitted() as f64, self.expected() as f64)
    }
    /// Share of counted reports that came in on time, in %.
    pub fn timeliness(&self) -> Option<f64> {
        template::ratio(self.on_time() as f64, self.submitted() as f64)
    }
    pub fn due_on(&self) -> Option<&str> {
        self.rows.iter().map(|r| r.due_on.as_str()).max()
    }
    /// A field's consolidated figure: the sum, or the ratio of the sums.
    pub fn figure(&self, f: &Field) -> Option<f64> {
        match f.kind {
            FieldKind::Number => self.totals.get(&f.key).copied(),
            FieldKind::Ratio => template::ratio(
                self.totals.get(&f.numerator).copied().unwrap_or(0.0),
                self.totals.get(&f.denominator).copied().unwrap_or(0.0),
            ),
            FieldKind::Narrative => None,
        }
    }
    pub fn show_figure(&self, f: &Field) -> String {
        match f.kind {
            FieldKind::Ratio => template::show_ratio(self.figure(f)),
            _ => self
                .figure(f)
                .map(template::show_number)
                .unwrap_or_default(),
        }
    }
    /// One unit's figure as shown in the submission table.
    pub fn row_figure(row: &Row, f: &Field) -> String {
        template::show_field(f, &row.values)
    }
    /// A narrative section: what each counted unit wrote, by unit.
    pub fn narratives(&self, f: &Field) -> Vec<(&str, &str)> {
        self.rows
            .iter()
            .filter(|r| r.state.counts())
            .filter_map(|r| {
                r.values
                    .get(&f.key)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .map(|v| (r.unit_name.as_str(), v))
            })
            .collect()
    }
    /// Pre-fills the next level's report: figures of the same key summed, narratives of
    /// the same key grouped by unit.
    pub fn merge_into(&self, target: &[Field], values: &mut Values) {
        for f in target {
            let Some(mine) = self
                .fields
                .iter()
                .find(|m| m.key == f.key && m.kind == f.kind)
            else {
                continue;
            };
            match f.kind {
                FieldKind::Number => {
                    let prev = values
                        .get(&f.key)
                        .and_then(|v| template::parse_number(v))
                        .unwrap_or(0.0);
                    let sum = prev + self.figure(mine).unwrap_or(0.0);
                    values.insert(f.key.clone(), plain_number(sum));
                }
                FieldKind::Narrative => {
                    let parts: Vec<String> = self
                        .narratives(mine)
                        .into_iter()
                        .map(|(u, t)| format!("{u}:\n{t}"))
                        .collect();
                    if parts.is_empty() {
                        continue;
                    }
                    let entry = values.entry(f.key.clone()).or_default();
                    if !entry.is_empty() {
                        entry.push_str("\n\n");
                    }
                    entry.push_str(&parts.join("\n\n"));
                }
                FieldKind::Ratio => {}
            }
        }
    }
}

/// A number as a form field holds it: no thousands separators, decimal point.
fn plain_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// One level of the cascade: a schedule's consolidation and its depth under the top.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub depth: usize,
    pub consolidation: Consolidation,
}

/// The whole cascade under `top` for a period: the top's consolidation, then every level
/// below it (units → standing agencies → consolidating department → committee, read from
/// the top down).
pub async fn cascade(db: &Db, top: &Schedule, period: &str) -> AppResult<Vec<Level>> {
    let mut out = Vec::new();
    let mut frontier = vec![(top.clone(), 0usize)];
    while let Some((s, depth)) = frontier.pop() {
        out.push(Level {
            depth,
            consolidation: consolidate(db, &s, period).await?,
        });
        let mut kids = schedule::children_of(db, s.id).await?;
        kids.reverse();
        for k in kids {
            frontier.push((k, depth + 1));
        }
    }
    Ok(out)
}
