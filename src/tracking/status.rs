//! The status of an assignment as of a date: the four official states (VPCP statistics),
//! ongoing duties apart, and the same rule in SQL for dashboards. Status is never stored.
//! Pure functions only, guarded by the rule tests below (and by `bench/mutants.sh`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The four official states (VPCP statistics), plus ongoing duties counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Overdue,
    InProgress,
    DoneLate,
    DoneOnTime,
    Ongoing,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::DoneOnTime,
        Status::DoneLate,
        Status::InProgress,
        Status::Overdue,
        Status::Ongoing,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Status::DoneOnTime => "Hoàn thành đúng hạn",
            Status::DoneLate => "Hoàn thành quá hạn",
            Status::InProgress => "Đang thực hiện trong hạn",
            Status::Overdue => "Chưa hoàn thành quá hạn",
            Status::Ongoing => "Thường xuyên",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Status::DoneOnTime => "st-ok",
            Status::DoneLate => "st-late",
            Status::InProgress => "st-prog",
            Status::Overdue => "st-over",
            Status::Ongoing => "st-ongoing",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::DoneOnTime => "done_on_time",
            Status::DoneLate => "done_late",
            Status::InProgress => "in_progress",
            Status::Overdue => "overdue",
            Status::Ongoing => "ongoing",
        }
    }
}

/// Status as of a date. The due date is inclusive: work finished on its due date is on
/// time, and unfinished work becomes overdue the day after.
pub fn status_as_of(
    due: Option<NaiveDate>,
    recurring: bool,
    completed: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Status {
    if recurring {
        return Status::Ongoing;
    }
    match completed {
        Some(c) if c <= as_of => match due {
            Some(d) if c > d => Status::DoneLate,
            _ => Status::DoneOnTime,
        },
        _ => match due {
            Some(d) if as_of > d => Status::Overdue,
            _ => Status::InProgress,
        },
    }
}

/// The same rule in SQL, for dashboards over many assignments. `$D` is the as-of date.
pub fn status_sql_case(as_of_param: &str) -> String {
    let d = as_of_param;
    format!(
        "CASE WHEN a.recurring THEN 'ongoing' \
         WHEN a.completed_on IS NOT NULL AND a.completed_on <= {d} THEN \
           CASE WHEN a.due_on IS NOT NULL AND a.completed_on > a.due_on THEN 'done_late' ELSE 'done_on_time' END \
         WHEN a.due_on IS NOT NULL AND a.due_on < {d} THEN 'overdue' ELSE 'in_progress' END"
    )
}

/// Days until the due date (negative when overdue, 0 on the due date itself).
pub fn days_left(due: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    due.map(|d| (d - today).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    #[test]
    fn due_date_is_inclusive() {
        let due = Some(d(1, 31));
        assert_eq!(status_as_of(due, false, None, d(1, 31)), Status::InProgress);
        assert_eq!(status_as_of(due, false, None, d(2, 1)), Status::Overdue);
        assert_eq!(
            status_as_of(due, false, Some(d(1, 31)), d(2, 1)),
            Status::DoneOnTime
        );
        assert_eq!(
            status_as_of(due, false, Some(d(2, 1)), d(2, 1)),
            Status::DoneLate
        );
        // completion recorded after the as-of date does not count yet
        assert_eq!(
            status_as_of(due, false, Some(d(2, 3)), d(2, 2)),
            Status::Overdue
        );
        assert_eq!(
            status_as_of(None, false, None, d(12, 31)),
            Status::InProgress
        );
        assert_eq!(status_as_of(None, true, None, d(12, 31)), Status::Ongoing);
    }
}

/// Every combination of a due date, a completion and an as-of date around a year end, recurring
/// or not: the cases on which the SQL twin is held to [`status_as_of`] (unit and integration
/// tests, on both databases).
pub fn edge_cases() -> Vec<(Option<NaiveDate>, bool, Option<NaiveDate>, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(2025, 12, 30).unwrap_or_default();
    let days: Vec<Option<NaiveDate>> = std::iter::once(None)
        .chain((0..5).map(|i| Some(first + chrono::Duration::days(i))))
        .collect();
    let mut out = Vec::new();
    for &due in &days {
        for &completed in &days {
            for as_of in days.iter().flatten() {
                for recurring in [false, true] {
                    out.push((due, recurring, completed, *as_of));
                }
            }
        }
    }
    out
}

/// The status rule as the secretariat reads it, case by case, and its SQL twin held to it.
#[cfg(test)]
mod rules {
    use super::*;
    use Status::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn opt(s: &str) -> Option<NaiveDate> {
        (!s.is_empty()).then(|| day(s))
    }

    #[test]
    fn the_four_official_states_as_of_a_date() {
        // due, completed, as of → status ("" = none)
        for (due, completed, as_of, expected) in [
            // not done: within time up to and including the due date, overdue the day after
            ("2025-12-31", "", "2025-12-30", InProgress),
            ("2025-12-31", "", "2025-12-31", InProgress),
            ("2025-12-31", "", "2026-01-01", Overdue),
            // done on the due date is on time, the day after is late
            ("2025-12-31", "2025-12-31", "2026-01-05", DoneOnTime),
            ("2025-12-31", "2025-12-30", "2026-01-05", DoneOnTime),
            ("2025-12-31", "2026-01-01", "2026-01-05", DoneLate),
            // a completion counts from its own day on, not before
            ("2025-12-31", "2026-01-01", "2026-01-01", DoneLate),
            ("2025-12-31", "2026-01-02", "2026-01-01", Overdue),
            ("2025-12-31", "2025-12-20", "2025-12-19", InProgress),
            // no deadline: never overdue, done is on time
            ("", "", "2030-01-01", InProgress),
            ("", "2026-03-01", "2026-03-01", DoneOnTime),
        ] {
            assert_eq!(
                status_as_of(opt(due), false, opt(completed), day(as_of)),
                expected,
                "due {due:?}, completed {completed:?}, as of {as_of}"
            );
        }
        // ongoing duties are counted apart whatever their dates
        assert_eq!(
            status_as_of(opt("2025-01-31"), true, None, day("2026-01-01")),
            Ongoing
        );
        assert_eq!(
            status_as_of(None, true, opt("2025-01-01"), day("2026-01-01")),
            Ongoing
        );
    }

    #[test]
    fn days_left_counts_to_the_due_date() {
        let due = opt("2026-01-01");
        assert_eq!(days_left(due, day("2025-12-29")), Some(3));
        assert_eq!(days_left(due, day("2026-01-01")), Some(0));
        assert_eq!(days_left(due, day("2026-01-03")), Some(-2));
        assert_eq!(days_left(None, day("2026-01-03")), None);
    }

    #[test]
    fn the_edge_cases_cover_every_state_across_the_year_end() {
        let cases = edge_cases();
        // no date or one of five days, for the due date and the completion; five as-of days;
        // ongoing or not
        assert_eq!(cases.len(), 6 * 6 * 5 * 2);
        let states: std::collections::HashSet<Status> = cases
            .iter()
            .map(|&(due, recurring, completed, as_of)| {
                status_as_of(due, recurring, completed, as_of)
            })
            .collect();
        assert_eq!(states.len(), Status::ALL.len());
        let as_of: std::collections::BTreeSet<NaiveDate> = cases.iter().map(|c| c.3).collect();
        assert_eq!(as_of.first(), Some(&day("2025-12-30")));
        assert_eq!(as_of.last(), Some(&day("2026-01-03")));
    }

    #[test]
    fn the_official_names_and_codes() {
        for (s, code, label, css) in [
            (DoneOnTime, "done_on_time", "Hoàn thành đúng hạn", "st-ok"),
            (DoneLate, "done_late", "Hoàn thành quá hạn", "st-late"),
            (
                InProgress,
                "in_progress",
                "Đang thực hiện trong hạn",
                "st-prog",
            ),
            (Overdue, "overdue", "Chưa hoàn thành quá hạn", "st-over"),
            (Ongoing, "ongoing", "Thường xuyên", "st-ongoing"),
        ] {
            assert_eq!((s.as_str(), s.label(), s.css()), (code, label, css));
            assert_eq!(Status::parse(code), Some(s));
        }
        assert_eq!(Status::parse("late"), None);
    }

    #[tokio::test]
    async fn the_sql_twin_agrees_on_every_case() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        sqlx::query(
            "CREATE TABLE a (id INTEGER, recurring BOOLEAN, due_on TEXT, completed_on TEXT)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let cases = edge_cases();
        for (i, (due, recurring, completed, _)) in cases.iter().enumerate() {
            sqlx::query("INSERT INTO a VALUES ($1, $2, $3, $4)")
                .bind(i as i64)
                .bind(recurring)
                .bind(due.map(|d| d.to_string()))
                .bind(completed.map(|d| d.to_string()))
                .execute(&pool)
                .await
                .unwrap();
        }
        let sql = format!("SELECT {} FROM a WHERE a.id = $1", status_sql_case("$2"));
        for (i, &(due, recurring, completed, as_of)) in cases.iter().enumerate() {
            let (code,): (String,) = sqlx::query_as(&sql)
                .bind(i as i64)
                .bind(as_of.to_string())
                .fetch_one(&pool)
                .await
                .unwrap();
            let rust = status_as_of(due, recurring, completed, as_of);
            assert_eq!(
                Status::parse(&code),
                Some(rust),
                "due {due:?}, recurring {recurring}, completed {completed:?}, as of {as_of}"
            );
        }
    }
}
