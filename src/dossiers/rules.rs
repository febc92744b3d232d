//! The national on-time rule (Decision 766, indicator 2.1) and calendar months in Vietnam.
//!
//! A dossier is on time when the end of its processing, less the time spent waiting for the
//! citizen's supplement, is no later than its due date; more than one supplement request
//! makes it late. A dossier still in progress is judged at the end of the period (for the
//! monthly export: the end of its month of receipt). A dossier without a due date is counted
//! on time (the statutory time per procedure is not in the exchange format).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::model::{Dossier, Feedback};

/// Vietnam is UTC+7 all year.
pub const VN_OFFSET: i64 = crate::clock::VN_OFFSET_SECS;

/// Year and month of an instant, in Vietnam. Plain arithmetic (Howard Hinnant's civil
/// calendar): imports call this for every row.
pub fn month_of(t: i64) -> (i32, u32) {
    let z = (t + VN_OFFSET).div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u32)
}

pub fn vn_date(t: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(crate::clock::vn_date)
        .unwrap_or_default()
}

/// The last second of a calendar month in Vietnam, as an instant.
pub fn month_end(year: i32, month: u32) -> i64 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Utc.with_ymd_and_hms(ny, nm, 1, 0, 0, 0)
        .single()
        .map(|t| t.timestamp() - VN_OFFSET - 1)
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    Late,
}

fn judge(end: i64, supplement_days: f64, requests: u32, due: Option<i64>) -> Timeliness {
    if requests > 1 {
        return Timeliness::Late;
    }
    let end = end - (supplement_days.max(0.0) * 86_400.0).round() as i64;
    match due {
        Some(d) if end > d => Timeliness::Late,
        _ => Timeliness::OnTime,
    }
}

/// A dossier whose processing has ended: on time or late.
/// A dossier still in progress: within time or overdue as of `judged_at`.
pub fn dossier_timeliness(d: &Dossier, judged_at: i64) -> Timeliness {
    let end = match (d.status.ended(), d.finished_at) {
        (true, Some(f)) => f,
        _ => judged_at,
    };
    judge(end, d.supplement_days, d.supplement_requests, d.due_at)
}

/// Feedback: resolved on time, or in progress within time as of `judged_at`.
pub fn feedback_timeliness(f: &Feedback, judged_at: i64) -> Timeliness {
    judge(f.resolved_at.unwrap_or(judged_at), 0.0, 0, f.due_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_of_agrees_with_the_calendar() {
        let mut t = -86_400 * 800;
        while t < 86_400 * 365 * 80 {
            let d = vn_date(t);
            use chrono::Datelike;
            assert_eq!(month_of(t), (d.year(), d.month()), "{t}");
            t += 3_607 * 7;
        }
    }
    use crate::dossiers::model::*;

    fn at(s: &str) -> i64 {
        crate::dossiers::parse::instant(s).unwrap()
    }

    fn dossier() -> Dossier {
        Dossier {
            code: "H1".into(),
            unit_code: "26041".into(),
            procedure_code: "1.001".into(),
            fee_required: false,
            channel: Channel::Online,
            online_mode: OnlineMode::Full,
            received_at: at("2026-05-04 08:00"),
            due_at: Some(at("2026-05-08 17:00")),
            finished_at: Some(at("2026-05-08 16:00")),
            status: DossierStatus::Finished,
            supplement_requests: 0,
            supplement_days: 0.0,
            digitized: true,
            e_result: true,
            reused_data: false,
            paid_online: false,
            rating: Rating::Empty,
        }
    }

    #[test]
    fn on_time_edge_cases() {
        let d = dossier();
        let end = month_end(2026, 5);
        assert_eq!(dossier_timeliness(&d, end), Timeliness::OnTime);
        // finished exactly at the due instant: on time
        let mut e = d.clone();
        e.finished_at = e.due_at;
        assert_eq!(dossier_timeliness(&e, end), Timeliness::OnTime);
        // one second later: late
        e.finished_at = e.due_at.map(|t| t + 1);
        assert_eq!(dossier_timeliness(&e, end), Timeliness::Late);
        // two days late, but two days waiting for the citizen: on time
        e.finished_at = Some(at("2026-05-10 17:00"));
        e.supplement_requests = 1;
        e.supplement_days = 2.0;
        assert_eq!(dossier_timeliness(&e, end), Timeliness::OnTime);
        // the same with a second supplement request: late whatever the times
        e.supplement_requests = 2;
        e.finished_at = Some(at("2026-05-05 09:00"));
        assert_eq!(dossier_timeliness(&e, end), Timeliness::Late);
        // unfinished: judged at the end of the month of receipt
        let mut u = d.clone();
        u.status = DossierStatus::InProgress;
        u.finished_at = None;
        u.due_at = Some(at("2026-06-02 17:00"));
        assert_eq!(dossier_timeliness(&u, end), Timeliness::OnTime);
        u.due_at = Some(at("2026-05-29 17:00"));
        assert_eq!(dossier_timeliness(&u, end), Timeliness::Late);
        // no due date: on time
        u.due_at = None;
        assert_eq!(dossier_timeliness(&u, end), Timeliness::OnTime);
    }

    #[test]
    fn months_are_vietnamese_calendar_months() {
        // 31/5 23:30 in Vietnam is 31/5 16:30 UTC; 1/6 00:30 in Vietnam is 31/5 17:30 UTC
        assert_eq!(month_of(at("2026-05-31 23:30")), (2026, 5));
        assert_eq!(month_of(at("2026-06-01 00:30")), (2026, 6));
        assert_eq!(vn_date(month_end(2026, 5)).to_string(), "2026-05-31");
        assert_eq!(vn_date(month_end(2026, 5) + 1).to_string(), "2026-06-01");
        assert_eq!(vn_date(month_end(2026, 12)).to_string(), "2026-12-31");
    }
}
