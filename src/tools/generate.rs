//! Synthetic dossier and feedback files in the exchange format, for demos and benchmarks:
//! volumes, channels, late shares and ratings that vary by unit and month (a dip at Tết, a
//! busier mid-year), deterministic for a seed. Streams its output: any size, little memory.

use std::io::Write;

use chrono::{Datelike, NaiveDate};

use super::rng::Rng;

pub struct Unit {
    pub code: String,
    /// Departments handle more dossiers than communes.
    pub department: bool,
}

/// The units of a province (or all provinces) from the embedded 2025 lists: its communes and
/// its departments.
pub fn units_of(province: Option<&str>) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut provinces = std::collections::BTreeSet::new();
    let mut rdr = csv::Reader::from_reader(crate::org::ADMIN_UNITS_2025.as_bytes());
    for rec in rdr.records().flatten() {
        let (p, code) = (rec.get(0).unwrap_or(""), rec.get(2).unwrap_or(""));
        if province.is_some_and(|x| x != p) || code.is_empty() {
            continue;
        }
        provinces.insert(p.to_string());
        out.push(Unit {
            code: code.to_string(),
            department: false,
        });
    }
    for p in provinces {
        for (suffix, ..) in crate::org::DEPARTMENTS {
            out.push(Unit {
                code: format!("{p}.{suffix}"),
                department: true,
            });
        }
    }
    out
}

/// What makes one unit different from another.
struct Profile {
    volume: f64,
    online: f64,
    full_online: f64,
    late: f64,
    digitized: f64,
    satisfied: f64,
    fee: f64,
    paid_online: f64,
}

fn profile(r: &mut Rng, department: bool) -> Profile {
    let u = |r: &mut Rng, lo: f64, hi: f64| lo + (hi - lo) * (r.below(10_000) as f64 / 10_000.0);
    Profile {
        volume: if department {
            u(r, 2.0, 8.0)
        } else {
            u(r, 0.4, 2.5)
        },
        online: u(r, 0.35, 0.97),
        full_online: u(r, 0.2, 0.7),
        late: u(r, 0.003, 0.09),
        digitized: u(r, 0.55, 1.0),
        satisfied: u(r, 0.85, 0.995),
        fee: u(r, 0.2, 0.6),
        paid_online: u(r, 0.3, 0.9),
    }
}

/// Month weights: Tết (February) is quiet, mid-year busy.
const SEASON: [f64; 12] = [
    1.0, 0.6, 1.05, 1.0, 1.1, 1.15, 1.1, 1.05, 1.0, 1.05, 1.0, 1.1,
];

pub struct Options {
    pub year: i32,
    pub months: u32,
    /// Total dossiers wanted, spread over units and months.
    pub dossiers: u64,
    /// Feedback items per 100 dossiers.
    pub feedback_per_100: f64,
    pub seed: u64,
}

fn stamp(day: NaiveDate, secs: u64, out: &mut Vec<u8>) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        day.year(),
        day.month(),
        day.day(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
}

/// Writes the dossier file (CSV) and the feedback file (CSV); returns the counts written.
pub fn generate(
    units: &[Unit],
    o: &Options,
    mut dossiers: impl Write,
    mut feedback: impl Write,
    mut progress: impl FnMut(u64),
) -> std::io::Result<(u64, u64)> {
    let mut r = Rng(o.seed | 1);
    let profiles: Vec<Profile> = units
        .iter()
        .map(|u| profile(&mut r, u.department))
        .collect();
    let weight: f64 = profiles.iter().map(|p| p.volume).sum::<f64>()
        * SEASON.iter().take(o.months as usize).sum::<f64>();
    let per_weight = o.dossiers as f64 / weight.max(1e-9);
    dossiers.write_all(b"dossier_code,unit_code,procedure_code,fee_required,channel,online_mode,received_at,due_at,finished_at,status,supplement_requests,supplement_days,digitized,e_result,reused_data,paid_online,rating\n")?;
    feedback.write_all(
        b"feedback_code,unit_code,category,received_at,due_at,resolved_at,rating,repeat\n",
    )?;
    let (mut n, mut nf) = (0u64, 0u64);
    let mut line = Vec::with_capacity(256);
    let last_day = NaiveDate::from_ymd_opt(o.year, o.months.min(12), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .map(|d| d.pred_opt().unwrap_or(d))
        .unwrap_or_default();
    for m in 1..=o.months.min(12) {
        let first = NaiveDate::from_ymd_opt(o.year, m, 1).unwrap_or_default();
        let days = first
            .checked_add_months(chrono::Months::new(1))
            .map(|d| (d - first).num_days() as u64)
            .unwrap_or(30);
        for (ui, (u, p)) in units.iter().zip(&profiles).enumerate() {
            let count = (p.volume
                * SEASON[(m - 1) as usize]
                * per_weight
                * (0.85 + r.below(300) as f64 / 1000.0))
                .round() as u64;
            for k in 0..count {
                line.clear();
                let day = first + chrono::Duration::days(r.below(days) as i64);
                let received_secs = 7 * 3600 + r.below(10 * 3600);
                let allowed = [1u64, 3, 5, 7, 10, 15, 20][r.below(7) as usize];
                let due = day + chrono::Duration::days((allowed + allowed / 5 * 2) as i64);
                let late = r.chance(p.late);
                let supplements = if r.chance(0.06) { 1 + r.below(2) } else { 0 };
                let supplement_days = if supplements > 0 { r.below(4) } else { 0 };
                let took = if late {
                    allowed + allowed / 5 * 2 + 1 + r.below(6) + supplement_days
                } else {
                    r.below(allowed + allowed / 5 * 2 + 1)
                };
                let finish_day = day + chrono::Duration::days(took as i64);
                let finished = finish_day <= last_day && !r.chance(0.02);
                let online = r.chance(p.online);
                let fee = r.chance(p.fee);
                let _ = write!(
                    line,
                    "{}-{:02}{:02}-{ui}-{k},{},P{},{},",
                    u.code.replace('.', ""),
                    m,
                    o.year % 100,
                    u.code,
                    1 + r.below(40),
                    fee as u8
                );
                line.extend_from_slice(if online {
                    b"online,"
                } else if r.chance(0.05) {
                    b"postal,"
                } else {
                    b"direct,"
                });
                line.extend_from_slice(if online && r.chance(p.full_online) {
                    b"full,"
                } else if online {
                    b"partial,"
                } else {
                    b"none,"
                });
                stamp(day, received_secs, &mut line);
                line.push(b',');
                stamp(due, 17 * 3600, &mut line);
                line.push(b',');
                if finished {
                    let secs = if took == 0 {
                        (received_secs + 1800 + r.below(4 * 3600)).min(86_399)
                    } else {
                        8 * 3600 + r.below(9 * 3600)
                    };
                    stamp(finish_day, secs, &mut line);
                    line.extend_from_slice(if r.chance(0.01) {
                        b",rejected,"
                    } else {
                        b",finished,"
                    });
                } else {
                    line.extend_from_slice(b",in_progress,");
                }
                let digitized = r.chance(p.digitized);
                let rating = if finished && r.chance(0.35) {
                    if !late && r.chance(p.satisfied) {
                        "satisfied"
                    } else {
                        "unsatisfied"
                    }
                } else {
                    ""
                };
                let _ = writeln!(
                    line,
                    "{supplements},{supplement_days},{},{},{},{},{rating}",
                    digitized as u8,
                    (finished && digitized && r.chance(0.9)) as u8,
                    r.chance(0.3) as u8,
                    (fee && online && r.chance(p.paid_online)) as u8,
                );
                dossiers.write_all(&line)?;
                n += 1;
                if n % 1_000_000 == 0 {
                    progress(n);
                }
                if r.chance(o.feedback_per_100 / 100.0) {
                    line.clear();
                    let fday = day + chrono::Duration::days(r.below(20) as i64);
                    let fdue = fday + chrono::Duration::days(21);
                    let _ = write!(
                        line,
                        "PA-{}-{nf},{},{},",
                        u.code.replace('.', ""),
                        u.code,
                        ["tthc", "hanh_vi_cbcc", "chinh_sach"][r.below(3) as usize]
                    );
                    stamp(fday, 9 * 3600, &mut line);
                    line.push(b',');
                    stamp(fdue, 17 * 3600, &mut line);
                    line.push(b',');
                    let span = if r.chance(p.late * 2.0) { 40 } else { 20 };
                    let resolved = fday + chrono::Duration::days(r.below(span) as i64);
                    if resolved <= last_day {
                        stamp(resolved, 15 * 3600, &mut line);
                    }
                    let rating = if r.chance(0.5) {
                        if r.chance(p.satisfied) {
                            "satisfied"
                        } else {
                            "unsatisfied"
                        }
                    } else {
                        ""
                    };
                    let _ = writeln!(line, ",{rating},{}", r.chance(0.03) as u8);
                    feedback.write_all(&line)?;
                    nf += 1;
                }
            }
        }
    }
    dossiers.flush()?;
    feedback.flush()?;
    Ok((n, nf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossiers::monthly::{self, Tally};
    use crate::dossiers::parse;

    #[test]
    fn generated_files_read_back_without_errors_and_vary_by_unit() {
        let units = units_of(Some("75"));
        assert_eq!(units.len(), 95 + crate::org::DEPARTMENTS.len());
        let (mut d, mut f) = (Vec::new(), Vec::new());
        let o = Options {
            year: 2026,
            months: 12,
            dossiers: 20_000,
            feedback_per_100: 2.0,
            seed: 7,
        };
        let (n, nf) = generate(&units, &o, &mut d, &mut f, |_| {}).unwrap();
        assert!((18_000..22_000).contains(&n), "{n}");
        assert!(nf > 100);
        let mut rows: monthly::Monthly<monthly::DossierCounts> = Default::default();
        let mut bad = 0;
        parse::read_dossiers(d.as_slice(), |r| match r {
            Ok(x) => rows
                .entry((x.unit_code.clone(), monthly::month_key(x.received_at)))
                .or_default()
                .add(&x),
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        })
        .unwrap();
        assert_eq!(bad, 0);
        let mut fb_bad = 0;
        parse::read_feedback(f.as_slice(), |r| fb_bad += r.is_err() as usize).unwrap();
        assert_eq!(fb_bad, 0);
        // Units differ: on-time shares spread out.
        let shares: Vec<f64> = rows
            .values()
            .filter(|c| c.finished > 20)
            .map(|c| c.finished_on_time as f64 / c.finished as f64)
            .collect();
        let (lo, hi) = shares
            .iter()
            .fold((1.0f64, 0.0f64), |a, s| (a.0.min(*s), a.1.max(*s)));
        assert!(hi - lo > 0.04, "{lo}..{hi}");
        // February (Tết) is quieter than May.
        let month = |m: &str| {
            rows.iter()
                .filter(|((_, k), _)| k == m)
                .map(|(_, c)| c.received)
                .sum::<u64>()
        };
        assert!(month("2026-02") < month("2026-05"));
    }
}
