//! Counts per unit and calendar month of receipt — the figures every indicator is computed
//! from, and the rows of the export (`steerco dossier-figures`). Ratios are computed from
//! these counts (sums of numerators over sums of denominators), never averaged.

use std::collections::BTreeMap;

use serde::Serialize;

use super::keys;
use super::model::{Channel, Dossier, Feedback, OnlineMode, Rating};
use super::parse::{self, ReadError, RowError};
use super::rules::{self, Timeliness};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DossierCounts {
    pub received: u64,
    pub received_online: u64,
    pub full_online: u64,
    pub finished: u64,
    pub finished_on_time: u64,
    pub in_progress: u64,
    pub in_progress_overdue: u64,
    pub digitized: u64,
    pub e_result: u64,
    pub reused_data: u64,
    pub fee_required: u64,
    /// Fee-bearing dossiers paid online.
    pub paid_online: u64,
    pub rated: u64,
    pub satisfied: u64,
    /// Finished on time and not rated unsatisfied (766: 5.4).
    pub finished_well: u64,
}

pub const DOSSIER_COLUMNS: &[&str] = &[
    "received",
    "received_online",
    "full_online",
    "finished",
    "finished_on_time",
    "in_progress",
    "in_progress_overdue",
    "digitized",
    "e_result",
    "reused_data",
    "fee_required",
    "paid_online",
    "rated",
    "satisfied",
    "finished_well",
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FeedbackCounts {
    pub received: u64,
    pub resolved: u64,
    pub resolved_on_time: u64,
    pub in_progress: u64,
    pub in_progress_overdue: u64,
    pub rated: u64,
    pub satisfied: u64,
    pub unsatisfied: u64,
    pub repeat: u64,
    /// Not rated unsatisfied, not late, not followed by a repeat complaint (766: 5.3).
    pub well_handled: u64,
}

pub const FEEDBACK_COLUMNS: &[&str] = &[
    "received",
    "resolved",
    "resolved_on_time",
    "in_progress",
    "in_progress_overdue",
    "rated",
    "satisfied",
    "unsatisfied",
    "repeat",
    "well_handled",
];

fn bits(b: &[bool]) -> u16 {
    b.iter()
        .enumerate()
        .fold(0, |acc, (i, on)| acc | ((*on as u16) << i))
}

/// (unit code, "YYYY-MM") → counts, in order.
pub type Monthly<C> = BTreeMap<(String, String), C>;

pub fn month_key(t: i64) -> String {
    let (y, m) = rules::month_of(t);
    format!("{y}-{m:02}")
}

/// Writes the export: `unit_code,month,<counts…>`, one row per unit and month.
pub fn write_csv<C: Tally>(out: impl std::io::Write, rows: &Monthly<C>) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["unit_code", "month"];
    header.extend_from_slice(C::COLUMNS);
    w.write_record(&header)?;
    for ((unit, month), c) in rows {
        let mut rec = vec![unit.clone(), month.clone()];
        rec.extend(c.values().as_ref().iter().map(|v| v.to_string()));
        w.write_record(&rec)?;
    }
    w.flush()
}

/// Counts per unit and month, built row by row without allocating for rows of a unit and
/// month already seen (tens of millions of rows go through here).
pub struct Accumulator<C> {
    by_unit: std::collections::HashMap<String, std::collections::HashMap<u32, C>>,
}

impl<C: Default> Default for Accumulator<C> {
    fn default() -> Self {
        Accumulator {
            by_unit: Default::default(),
        }
    }
}

impl<C: Default> Accumulator<C> {
    /// The counts of a unit for the month of `t` (Vietnam's calendar).
    // `entry` would allocate the unit's code for every row; the lookup after the insert cannot
    // miss, and borrowck refuses the match that would say so.
    #[allow(clippy::expect_used)]
    pub fn slot(&mut self, unit: &str, t: i64) -> &mut C {
        let (y, m) = rules::month_of(t);
        let key = y as u32 * 100 + m;
        if !self.by_unit.contains_key(unit) {
            self.by_unit.insert(unit.to_string(), Default::default());
        }
        self.by_unit
            .get_mut(unit)
            .map(|months| months.entry(key).or_default())
            .expect("inserted above")
    }

    /// Adds another accumulator's counts (a worker's share of a file).
    pub fn merge(&mut self, other: Accumulator<C>, add: impl Fn(&mut C, &C)) {
        for (unit, months) in other.by_unit {
            let mine = self.by_unit.entry(unit).or_default();
            for (k, c) in months {
                add(mine.entry(k).or_default(), &c);
            }
        }
    }

    pub fn into_monthly(self) -> Monthly<C> {
        let mut out = Monthly::new();
        for (unit, months) in self.by_unit {
            for (k, c) in months {
                out.insert((unit.clone(), format!("{}-{:02}", k / 100, k % 100)), c);
            }
        }
        out
    }
}

/// Counts that rows of one kind (dossiers or feedback) add up to, per unit and month.
/// Each count is a column of the export; a row's contribution is one bit per column.
pub trait Tally: Default + Send + Sized {
    type Item;
    /// The counts in column order (`COLUMNS`).
    type Values: AsRef<[u64]> + AsMut<[u64]> + Default;
    /// The kind's name in storage.
    const KIND: &'static str;
    const COLUMNS: &'static [&'static str];
    /// The bit of `flags` saying processing has ended (a newer state never undoes it).
    const ENDED: u16;
    /// The unit and the instant whose month the row counts in (its receipt).
    fn key(item: &Self::Item) -> (&str, i64);
    /// The row's own code (the key imports upsert by).
    fn code(item: &Self::Item) -> &str;
    /// What the row is about, for drill-down: the procedure, or the feedback's category.
    fn subject(item: &Self::Item) -> &str;
    /// The row's contribution, one bit per column (the compact form the stored state keeps).
    fn flags(item: &Self::Item) -> u16;
    fn values(&self) -> Self::Values;
    fn from_values(v: Self::Values) -> Self;
    /// Reads a file of these rows with `threads` workers (see `parse::read_parallel`).
    fn read<A: Send>(
        path: &std::path::Path,
        threads: usize,
        init: impl Fn() -> A + Sync,
        each: impl Fn(&mut A, u64, Result<Self::Item, RowError>) + Sync,
    ) -> Result<Vec<A>, ReadError>;

    fn add(&mut self, item: &Self::Item) {
        self.add_flags(Self::flags(item))
    }
    fn add_flags(&mut self, flags: u16) {
        let mut v = self.values();
        for (i, x) in v.as_mut().iter_mut().enumerate() {
            *x += ((flags >> i) & 1) as u64;
        }
        *self = Self::from_values(v);
    }
    /// Takes back a row counted by `add_flags`.
    fn sub_flags(&mut self, flags: u16) {
        let mut v = self.values();
        for (i, x) in v.as_mut().iter_mut().enumerate() {
            *x = x.saturating_sub(((flags >> i) & 1) as u64);
        }
        *self = Self::from_values(v);
    }
    fn merge(&mut self, other: &Self) {
        let mut v = self.values();
        for (a, b) in v.as_mut().iter_mut().zip(other.values().as_ref()) {
            *a += b;
        }
        *self = Self::from_values(v);
    }
    fn counts(&self) -> Vec<u64> {
        self.values().as_ref().to_vec()
    }
    /// A count by its column name (the terms of the indicator catalogue).
    fn get(&self, name: &str) -> Option<u64> {
        let i = Self::COLUMNS.iter().position(|c| *c == name)?;
        self.values().as_ref().get(i).copied()
    }
}

impl Tally for DossierCounts {
    type Item = Dossier;
    type Values = [u64; 15];
    const KIND: &'static str = "dossier";
    const COLUMNS: &'static [&'static str] = DOSSIER_COLUMNS;
    const ENDED: u16 = 1 << 3;
    fn key(d: &Dossier) -> (&str, i64) {
        (&d.unit_code, d.received_at)
    }
    fn code(d: &Dossier) -> &str {
        &d.code
    }
    fn subject(d: &Dossier) -> &str {
        &d.procedure_code
    }
    /// What one dossier adds, one bit per column of `DOSSIER_COLUMNS` (the compact form the
    /// stored dossier state keeps). An unfinished dossier is judged at the end of its month
    /// of receipt.
    fn flags(d: &Dossier) -> u16 {
        let (y, m) = rules::month_of(d.received_at);
        let on_time = rules::dossier_timeliness(d, rules::month_end(y, m)) == Timeliness::OnTime;
        let ended = d.status.ended();
        bits(&[
            true,
            d.channel == Channel::Online,
            d.online_mode == OnlineMode::Full,
            ended,
            ended && on_time,
            !ended,
            !ended && !on_time,
            d.digitized,
            d.e_result,
            d.reused_data,
            d.fee_required,
            d.fee_required && d.paid_online,
            d.rating != Rating::Empty,
            d.rating == Rating::Satisfied,
            ended && on_time && d.rating != Rating::Unsatisfied,
        ])
    }
    fn values(&self) -> [u64; 15] {
        [
            self.received,
            self.received_online,
            self.full_online,
            self.finished,
            self.finished_on_time,
            self.in_progress,
            self.in_progress_overdue,
            self.digitized,
            self.e_result,
            self.reused_data,
            self.fee_required,
            self.paid_online,
            self.rated,
            self.satisfied,
            self.finished_well,
        ]
    }
    fn from_values(v: [u64; 15]) -> Self {
        let [received, received_online, full_online, finished, finished_on_time, in_progress, in_progress_overdue, digitized, e_result, reused_data, fee_required, paid_online, rated, satisfied, finished_well] =
            v;
        DossierCounts {
            received,
            received_online,
            full_online,
            finished,
            finished_on_time,
            in_progress,
            in_progress_overdue,
            digitized,
            e_result,
            reused_data,
            fee_required,
            paid_online,
            rated,
            satisfied,
            finished_well,
        }
    }
    fn read<A: Send>(
        path: &std::path::Path,
        threads: usize,
        init: impl Fn() -> A + Sync,
        each: impl Fn(&mut A, u64, Result<Dossier, RowError>) + Sync,
    ) -> Result<Vec<A>, ReadError> {
        parse::read_dossiers_parallel(path, threads, init, each)
    }
}

impl Tally for FeedbackCounts {
    type Item = Feedback;
    type Values = [u64; 10];
    const KIND: &'static str = "feedback";
    const COLUMNS: &'static [&'static str] = FEEDBACK_COLUMNS;
    const ENDED: u16 = 1 << 1;
    fn key(f: &Feedback) -> (&str, i64) {
        (&f.unit_code, f.received_at)
    }
    fn code(f: &Feedback) -> &str {
        &f.code
    }
    fn subject(f: &Feedback) -> &str {
        &f.category
    }
    /// What one feedback item adds, one bit per column of `FEEDBACK_COLUMNS`.
    fn flags(f: &Feedback) -> u16 {
        let (y, m) = rules::month_of(f.received_at);
        let on_time = rules::feedback_timeliness(f, rules::month_end(y, m)) == Timeliness::OnTime;
        let resolved = f.resolved_at.is_some();
        bits(&[
            true,
            resolved,
            resolved && on_time,
            !resolved,
            !resolved && !on_time,
            f.rating != Rating::Empty,
            f.rating == Rating::Satisfied,
            f.rating == Rating::Unsatisfied,
            f.repeat,
            on_time && f.rating != Rating::Unsatisfied && !f.repeat,
        ])
    }
    fn values(&self) -> [u64; 10] {
        [
            self.received,
            self.resolved,
            self.resolved_on_time,
            self.in_progress,
            self.in_progress_overdue,
            self.rated,
            self.satisfied,
            self.unsatisfied,
            self.repeat,
            self.well_handled,
        ]
    }
    fn from_values(v: [u64; 10]) -> Self {
        let [received, resolved, resolved_on_time, in_progress, in_progress_overdue, rated, satisfied, unsatisfied, repeat, well_handled] =
            v;
        FeedbackCounts {
            received,
            resolved,
            resolved_on_time,
            in_progress,
            in_progress_overdue,
            rated,
            satisfied,
            unsatisfied,
            repeat,
            well_handled,
        }
    }
    fn read<A: Send>(
        path: &std::path::Path,
        threads: usize,
        init: impl Fn() -> A + Sync,
        each: impl Fn(&mut A, u64, Result<Feedback, RowError>) + Sync,
    ) -> Result<Vec<A>, ReadError> {
        parse::read_feedback_parallel(path, threads, init, each)
    }
}

/// Bad rows kept for the report (all are counted).
pub const ERRORS_KEPT: usize = 1000;

/// What reading a file gave: counts per unit and month, the rows kept, and the bad rows
/// (the first `ERRORS_KEPT` in file order, and how many there were).
pub struct Counted<C> {
    pub counts: Accumulator<C>,
    pub rows: u64,
    pub bad: u64,
    pub errors: Vec<RowError>,
}

/// A row's unit and code as one number (a code is unique within its unit).
fn unit_code_key(unit: &str, code: &str) -> u64 {
    keys::code_key(unit) ^ keys::code_key(code).rotate_left(29)
}

/// A worker's share of the first reading: its counts, and the unit codes it saw.
struct Share<C> {
    counted: Counted<C>,
    seen: keys::FastSet<u64>,
    /// Keys seen twice by this worker.
    repeated: keys::FastSet<u64>,
}

/// Counts a file with one worker per core; `progress` follows the rows read. A code repeated
/// within a unit counts once, as its last row says (the rule of `keys::supersedes`), as an
/// import of the same file stores it. Repeats are rare: the first reading counts every row
/// and notes which keys came twice; only then is the file read again for those rows, and
/// the counts mended.
pub fn count_file<C: Tally>(
    path: &std::path::Path,
    progress: &std::sync::atomic::AtomicU64,
) -> Result<Counted<C>, ReadError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let init = || Counted {
        counts: Accumulator::<C>::default(),
        rows: 0,
        bad: 0,
        errors: Vec::new(),
    };
    let shares = C::read(
        path,
        threads,
        || Share {
            counted: init(),
            seen: Default::default(),
            repeated: Default::default(),
        },
        |s, _, r| {
            progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match r {
                Ok(x) => {
                    s.counted.rows += 1;
                    let (unit, t) = C::key(&x);
                    let key = unit_code_key(unit, C::code(&x));
                    if !s.seen.insert(key) {
                        s.repeated.insert(key);
                    }
                    s.counted.counts.slot(unit, t).add(&x);
                }
                Err(e) => {
                    s.counted.bad += 1;
                    if s.counted.errors.len() < ERRORS_KEPT {
                        s.counted.errors.push(e);
                    }
                }
            }
        },
    )?;
    // keys repeated within a worker, or seen by an earlier one
    let mut repeated: keys::FastSet<u64> = Default::default();
    for (i, s) in shares.iter().enumerate() {
        repeated.extend(s.repeated.iter().copied());
        for earlier in &shares[..i] {
            repeated.extend(s.seen.iter().filter(|k| earlier.seen.contains(k)));
        }
    }
    let mut all = init();
    for s in shares {
        all.counts.merge(s.counted.counts, C::merge);
        all.rows += s.counted.rows;
        all.bad += s.counted.bad;
        all.errors.extend(s.counted.errors);
    }
    all.errors.truncate(ERRORS_KEPT);
    if !repeated.is_empty() {
        mend_repeats(path, threads, &repeated, &mut all.counts)?;
    }
    Ok(all)
}

/// Reads the rows of the `repeated` keys again and counts each unit's code once: every row of
/// it was counted, so each is taken away and its last state (by `keys::supersedes`) put back.
fn mend_repeats<C: Tally>(
    path: &std::path::Path,
    threads: usize,
    repeated: &keys::FastSet<u64>,
    counts: &mut Accumulator<C>,
) -> Result<(), ReadError> {
    type Row = (String, String, i64, u64, u16);
    let parts = C::read(path, threads, Vec::<Row>::new, |rows, line, r| {
        if let Ok(x) = r {
            let (unit, t) = C::key(&x);
            if repeated.contains(&unit_code_key(unit, C::code(&x))) {
                rows.push((
                    unit.to_string(),
                    C::code(&x).to_string(),
                    t,
                    line,
                    C::flags(&x),
                ));
            }
        }
    })?;
    let mut rows: Vec<Row> = parts.into_iter().flatten().collect();
    rows.sort_by(|a, b| (&a.0, &a.1, a.3).cmp(&(&b.0, &b.1, b.3)));
    for same in rows.chunk_by(|a, b| (&a.0, &a.1) == (&b.0, &b.1)) {
        let mut last: Option<&Row> = None;
        for row in same {
            counts.slot(&row.0, row.2).sub_flags(row.4);
            if keys::supersedes(last.map(|l| l.4), row.4, C::ENDED) {
                last = Some(row);
            }
        }
        if let Some(row) = last {
            counts.slot(&row.0, row.2).add_flags(row.4);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossiers::parse;

    /// Two workers over parts of one file count exactly what one reader counts, and report a
    /// bad row in the second part with its line number in the file.
    #[test]
    fn parallel_reading_counts_the_same() {
        use crate::tools::generate;
        let units = generate::units_of(Some("75"));
        let (mut d, mut f) = (Vec::new(), Vec::new());
        let o = generate::Options {
            year: 2026,
            months: 3,
            dossiers: 60_000,
            feedback_per_100: 0.0,
            seed: 3,
        };
        generate::generate(&units, &o, &mut d, &mut f, |_| {}).unwrap();
        let text = String::from_utf8(d).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let bad_line = lines.len() - 10; // 1-based line number of the row replaced below
        lines[bad_line - 1] = "X1,26041,P1,0,carrier-pigeon,none,2026-01-05 08:00,,,,0,0,0,0,0,0,";
        // A quoted field with commas and a doubled quote in the middle of the file, where it
        // is split (a record never spans lines: the format has no text that would).
        let long = "Q1,26041,\"P1, \"\"x\"\", y\",0,direct,none,2026-01-05 08:00,,,,0,0,0,0,0,0,"
            .to_string();
        let total: usize = lines.iter().map(|l| l.len() + 1).sum::<usize>() + long.len() + 1;
        let (mut at, mut before) = (0, 0);
        while before + lines[at].len() + 1 < total / 2 - long.len() / 2 {
            before += lines[at].len() + 1;
            at += 1;
        }
        lines.insert(at, &long);
        let bad_line = bad_line + 1;
        let path = std::env::temp_dir().join(format!("steerco-par-{}.csv", std::process::id()));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        type State = (Accumulator<DossierCounts>, Vec<u64>);
        let run = |threads| {
            parse::read_dossiers_parallel(&path, threads, State::default, |s, _, r| match r {
                Ok(d) => s.0.slot(&d.unit_code, d.received_at).add(&d),
                Err(e) => s.1.push(e.line),
            })
            .unwrap()
        };
        let fold = |states: Vec<State>| {
            let mut acc = Accumulator::default();
            let mut bad = vec![];
            for (a, b) in states {
                acc.merge(a, DossierCounts::merge);
                bad.extend(b);
            }
            (acc.into_monthly(), bad)
        };
        let (one, bad1) = fold(run(1));
        let states = run(2);
        assert_eq!(states.len(), 2, "the file is split in two");
        let (two, bad2) = fold(states);
        std::fs::remove_file(&path).ok();
        assert_eq!(one, two);
        assert_eq!(bad1, vec![bad_line as u64]);
        assert_eq!(bad2, vec![bad_line as u64]);
    }

    /// A small dataset computed by hand: one commune, May and June 2026.
    #[test]
    fn hand_computed_month() {
        let csv = "dossier_code,unit_code,procedure_code,fee_required,channel,online_mode,received_at,due_at,finished_at,status,supplement_requests,supplement_days,digitized,e_result,reused_data,paid_online,rating
A1,26041,P1,1,online,full,2026-05-04 08:00,2026-05-08 17:00,2026-05-08 17:00,finished,0,0,1,1,1,1,satisfied
A2,26041,P1,1,direct,none,2026-05-05 08:00,2026-05-08 17:00,2026-05-09 08:00,finished,0,0,1,0,0,0,unsatisfied
A3,26041,P2,0,online,partial,2026-05-06 08:00,2026-05-08 17:00,2026-05-11 17:00,finished,1,3,0,0,0,0,
A4,26041,P2,0,postal,none,2026-05-07 08:00,2026-05-12 17:00,2026-05-09 08:00,finished,2,0,0,0,0,0,
A5,26041,P2,1,online,full,2026-05-28 08:00,2026-06-05 17:00,,in_progress,0,0,1,0,0,1,
A6,26041,P2,0,direct,none,2026-05-20 08:00,2026-05-29 17:00,,in_progress,0,0,0,0,0,0,
B1,26041,P1,0,direct,none,2026-06-01 00:30,2026-06-03 17:00,2026-06-02 10:00,rejected,0,0,0,0,0,0,satisfied
";
        let mut rows: Monthly<DossierCounts> = Monthly::new();
        parse::read_dossiers(csv.as_bytes(), |r| {
            let d = r.unwrap();
            rows.entry((d.unit_code.clone(), month_key(d.received_at)))
                .or_default()
                .add(&d);
        })
        .unwrap();
        let may = rows[&("26041".to_string(), "2026-05".to_string())];
        // A1 on time (at the due instant); A2 late; A3 late by 3 days less 3 days waiting:
        // on time; A4 early but two supplement requests: late. A5 unfinished, due in June:
        // within time at 31/5; A6 unfinished, due 29/5: overdue. Fee-bearing: A1, A2, A5;
        // paid online among them: A1, A5.
        assert_eq!(
            may,
            DossierCounts {
                received: 6,
                received_online: 3,
                full_online: 2,
                finished: 4,
                finished_on_time: 2,
                in_progress: 2,
                in_progress_overdue: 1,
                digitized: 3,
                e_result: 1,
                reused_data: 1,
                fee_required: 3,
                paid_online: 2,
                rated: 2,
                satisfied: 1,
                // A1 (on time, satisfied) and A3 (on time, unrated); A2 is late
                finished_well: 2,
            }
        );
        let june = rows[&("26041".to_string(), "2026-06".to_string())];
        assert_eq!(
            (june.received, june.finished, june.finished_on_time),
            (1, 1, 1)
        );
        let mut out = Vec::new();
        write_csv(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("unit_code,month,received,received_online,full_online,finished,finished_on_time,in_progress,in_progress_overdue,digitized,e_result,reused_data,fee_required,paid_online,rated,satisfied,finished_well\n"));
        assert!(
            text.contains("26041,2026-05,6,3,2,4,2,2,1,3,1,1,3,2,2,1,2\n"),
            "{text}"
        );
    }
}
