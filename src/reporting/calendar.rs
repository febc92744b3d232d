//! Reporting periods and due dates: Decree 09/2019 cut-off windows (15th of the previous
//! month to the 14th by default), the due rules provinces write ("trước ngày 15 hằng
//! tháng", "N ngày làm việc sau ngày chốt số liệu", a fixed date), and working days that
//! skip weekends and the editable holiday list (kept by `holidays`). Pure functions only,
//! guarded by the rule tests below (and by `bench/mutants.sh`).

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    NineMonths,
    Yearly,
    AdHoc,
}

pub const FREQUENCIES: &[Frequency] = &[
    Frequency::Monthly,
    Frequency::Quarterly,
    Frequency::HalfYearly,
    Frequency::NineMonths,
    Frequency::Yearly,
    Frequency::AdHoc,
];

impl Frequency {
    pub fn parse(s: &str) -> Option<Frequency> {
        FREQUENCIES.iter().copied().find(|f| f.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYearly => "half_yearly",
            Frequency::NineMonths => "nine_months",
            Frequency::Yearly => "yearly",
            Frequency::AdHoc => "ad_hoc",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "Hằng tháng",
            Frequency::Quarterly => "Hằng quý",
            Frequency::HalfYearly => "6 tháng",
            Frequency::NineMonths => "9 tháng",
            Frequency::Yearly => "Hằng năm",
            Frequency::AdHoc => "Đột xuất (một lần)",
        }
    }
}

/// How the due date follows from the end of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "value")]
pub enum DueRule {
    /// "Trước ngày N": the first day N on or after the cut-off.
    DayOfMonth(u32),
    /// N working days after the cut-off.
    WorkingDays(u32),
    /// Ad hoc: the given date.
    Fixed(NaiveDate),
}

impl DueRule {
    pub fn from_parts(rule: &str, value: i64, fixed: Option<NaiveDate>) -> Option<DueRule> {
        match rule {
            "day_of_month" if (1..=31).contains(&value) => Some(DueRule::DayOfMonth(value as u32)),
            "working_days" if (0..=60).contains(&value) => Some(DueRule::WorkingDays(value as u32)),
            "fixed" => fixed.map(DueRule::Fixed),
            _ => None,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            DueRule::DayOfMonth(_) => "day_of_month",
            DueRule::WorkingDays(_) => "working_days",
            DueRule::Fixed(_) => "fixed",
        }
    }
    pub fn value(&self) -> i64 {
        match self {
            DueRule::DayOfMonth(n) | DueRule::WorkingDays(n) => *n as i64,
            DueRule::Fixed(_) => 0,
        }
    }
    pub fn label(&self) -> String {
        match self {
            DueRule::DayOfMonth(n) => format!("Trước ngày {n} (sau ngày chốt số liệu)"),
            DueRule::WorkingDays(n) => format!("{n} ngày làm việc sau ngày chốt số liệu"),
            DueRule::Fixed(d) => format!("Ngày {}", d.format("%d/%m/%Y")),
        }
    }
}

/// One reporting period of a schedule: its key ("2026-11", "2026-Q4", "2026-H1",
/// "2026-9M", "2026", or the due date of an ad hoc report) and its data window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub key: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// "Tháng 11/2026", "Quý IV/2026", "6 tháng đầu năm 2026"…
    pub fn label(&self) -> String {
        period_label(&self.key)
    }
}

pub fn period_label(key: &str) -> String {
    let (y, rest) = key.split_once('-').unwrap_or((key, ""));
    match rest {
        "" => format!("Năm {y}"),
        "Q1" | "Q2" | "Q3" | "Q4" => {
            let roman = ["I", "II", "III", "IV"][(rest.as_bytes()[1] - b'1') as usize];
            format!("Quý {roman}/{y}")
        }
        "H1" => format!("6 tháng đầu năm {y}"),
        "H2" => format!("6 tháng cuối năm {y}"),
        "9M" => format!("9 tháng năm {y}"),
        m if m.len() == 2 => format!("Tháng {m}/{y}"),
        _ => match NaiveDate::parse_from_str(key, "%Y-%m-%d") {
            Ok(d) => format!("Đột xuất (hạn {})", d.format("%d/%m/%Y")),
            Err(_) => key.to_string(),
        },
    }
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .map(|d| d - Duration::days(1))
        .unwrap_or(NaiveDate::MIN)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d.min(last_day(y, m).day())).unwrap_or(NaiveDate::MIN)
}

fn month_before(y: i32, m: u32) -> (i32, u32) {
    if m == 1 {
        (y - 1, 12)
    } else {
        (y, m - 1)
    }
}

/// First and last month of a recurring period.
fn months(f: Frequency, key: &str) -> Option<(i32, u32, u32)> {
    let (y, rest) = key.split_once('-').unwrap_or((key, ""));
    let y: i32 = y.parse().ok()?;
    let (a, b) = match (f, rest) {
        (Frequency::Monthly, m) => {
            let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            (m, m)
        }
        (Frequency::Quarterly, q) => {
            let q: u32 = q
                .strip_prefix('Q')?
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))?;
            (3 * q - 2, 3 * q)
        }
        (Frequency::HalfYearly, "H1") => (1, 6),
        (Frequency::HalfYearly, "H2") => (7, 12),
        (Frequency::NineMonths, "9M") => (1, 9),
        (Frequency::Yearly, "") => (1, 12),
        _ => return None,
    };
    Some((y, a, b))
}

/// The window of a recurring period. `cutoff_day` 0 means calendar months; otherwise the
/// window runs from the day after the cut-off in the month before the period to the
/// cut-off day of its last month (Decree 09/2019, art. 12).
pub fn window(f: Frequency, key: &str, cutoff_day: u32) -> Option<Period> {
    let (y, first, last) = months(f, key)?;
    let (start, end) = if cutoff_day == 0 {
        (ymd(y, first, 1), last_day(y, last))
    } else {
        let (py, pm) = month_before(y, first);
        (
            ymd(py, pm, cutoff_day) + Duration::days(1),
            ymd(y, last, cutoff_day),
        )
    };
    Some(Period {
        key: key.to_string(),
        start,
        end,
    })
}

/// The recurring period whose window contains `d`. Half-year and nine-month reports exist
/// only for part of the year; outside it the next one is returned.
pub fn period_containing(f: Frequency, d: NaiveDate, cutoff_day: u32) -> Option<Period> {
    // The month whose window holds d: with a cut-off on the 14th, 20/11 belongs to December.
    let (mut y, mut m) = (d.year(), d.month());
    if cutoff_day != 0 && d.day() > cutoff_day {
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    let key = match f {
        Frequency::Monthly => format!("{y}-{m:02}"),
        Frequency::Quarterly => format!("{y}-Q{}", (m - 1) / 3 + 1),
        Frequency::HalfYearly => format!("{y}-H{}", if m <= 6 { 1 } else { 2 }),
        Frequency::NineMonths if m <= 9 => format!("{y}-9M"),
        Frequency::NineMonths => format!("{}-9M", y + 1),
        Frequency::Yearly => format!("{y}"),
        Frequency::AdHoc => return None,
    };
    window(f, &key, cutoff_day)
}

/// The period before `p` (for reminders of a report whose window has just closed).
pub fn previous(f: Frequency, p: &Period, cutoff_day: u32) -> Option<Period> {
    period_containing(f, p.start - Duration::days(1), cutoff_day)
}

/// Weekends and holidays are not working days.
pub struct WorkCalendar {
    holidays: HashSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> WorkCalendar {
        WorkCalendar {
            holidays: holidays.into_iter().collect(),
        }
    }
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }
    /// The n-th working day after `d` (n = 0: `d` itself if working, else the next one).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        if n == 0 {
            while !self.is_working_day(day) {
                day += Duration::days(1);
            }
            return day;
        }
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

pub fn due_date(rule: DueRule, window_end: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    match rule {
        DueRule::DayOfMonth(n) => {
            let this = ymd(window_end.year(), window_end.month(), n);
            if this >= window_end {
                this
            } else {
                let (y, m) = if window_end.month() == 12 {
                    (window_end.year() + 1, 1)
                } else {
                    (window_end.year(), window_end.month() + 1)
                };
                ymd(y, m, n)
            }
        }
        DueRule::WorkingDays(n) => cal.add_working_days(window_end, n),
        DueRule::Fixed(d) => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn decree_09_windows() {
        let m = window(Frequency::Monthly, "2026-11", 14).unwrap();
        assert_eq!((m.start, m.end), (d("2026-10-15"), d("2026-11-14")));
        let q1 = window(Frequency::Quarterly, "2024-Q1", 14).unwrap();
        assert_eq!((q1.start, q1.end), (d("2023-12-15"), d("2024-03-14")));
        let h = window(Frequency::HalfYearly, "2025-H1", 14).unwrap();
        assert_eq!((h.start, h.end), (d("2024-12-15"), d("2025-06-14")));
        let n = window(Frequency::NineMonths, "2025-9M", 14).unwrap();
        assert_eq!((n.start, n.end), (d("2024-12-15"), d("2025-09-14")));
        let y = window(Frequency::Yearly, "2025", 14).unwrap();
        assert_eq!((y.start, y.end), (d("2024-12-15"), d("2025-12-14")));
        let cal = window(Frequency::Monthly, "2024-02", 0).unwrap();
        assert_eq!((cal.start, cal.end), (d("2024-02-01"), d("2024-02-29")));
    }

    #[test]
    fn a_date_belongs_to_the_window_after_the_cutoff() {
        let p = period_containing(Frequency::Monthly, d("2026-11-20"), 14).unwrap();
        assert_eq!(p.key, "2026-12");
        let p = period_containing(Frequency::Monthly, d("2026-12-20"), 14).unwrap();
        assert_eq!(p.key, "2027-01");
        let p = period_containing(Frequency::Quarterly, d("2024-03-14"), 14).unwrap();
        assert_eq!(p.key, "2024-Q1");
        let p = period_containing(Frequency::Quarterly, d("2024-03-15"), 14).unwrap();
        assert_eq!(p.key, "2024-Q2");
        let prev = previous(Frequency::Quarterly, &p, 14).unwrap();
        assert_eq!(prev.key, "2024-Q1");
        assert_eq!(
            period_containing(Frequency::NineMonths, d("2025-10-01"), 14)
                .unwrap()
                .key,
            "2026-9M"
        );
    }

    #[test]
    fn due_rules() {
        let cal = WorkCalendar::new([d("2025-09-01"), d("2025-09-02")]);
        // "trước ngày 15 hằng tháng" after a cut-off on the 14th
        assert_eq!(
            due_date(DueRule::DayOfMonth(15), d("2026-11-14"), &cal),
            d("2026-11-15")
        );
        // example 003: quarter cut off 14/3, units by 25/3, agencies by 27/3
        assert_eq!(
            due_date(DueRule::DayOfMonth(25), d("2024-03-14"), &cal),
            d("2024-03-25")
        );
        // calendar month, report by the 5th of the next month
        assert_eq!(
            due_date(DueRule::DayOfMonth(5), d("2026-11-30"), &cal),
            d("2026-12-05")
        );
        // 2 working days after Friday 29/8/2025, over a weekend and the National Day
        assert_eq!(
            due_date(DueRule::WorkingDays(2), d("2025-08-29"), &cal),
            d("2025-09-04")
        );
        assert_eq!(
            due_date(DueRule::Fixed(d("2024-03-28")), d("2024-03-14"), &cal),
            d("2024-03-28")
        );
    }

    #[test]
    fn labels() {
        assert_eq!(period_label("2024-Q1"), "Quý I/2024");
        assert_eq!(period_label("2026-11"), "Tháng 11/2026");
        assert_eq!(period_label("2025-H1"), "6 tháng đầu năm 2025");
        assert_eq!(period_label("2024-03-25"), "Đột xuất (hạn 25/03/2024)");
    }
}

/// The calendar rules as a province's secretariat states them, one table per rule, with the
/// year ends, the other quarters and halves, and the edges of every range.
#[cfg(test)]
mod rules {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn frequencies_have_stable_codes_and_vietnamese_names() {
        for (f, code, label) in [
            (Frequency::Monthly, "monthly", "Hằng tháng"),
            (Frequency::Quarterly, "quarterly", "Hằng quý"),
            (Frequency::HalfYearly, "half_yearly", "6 tháng"),
            (Frequency::NineMonths, "nine_months", "9 tháng"),
            (Frequency::Yearly, "yearly", "Hằng năm"),
            (Frequency::AdHoc, "ad_hoc", "Đột xuất (một lần)"),
        ] {
            assert_eq!((f.as_str(), f.label()), (code, label));
            assert_eq!(Frequency::parse(code), Some(f));
        }
        assert_eq!(Frequency::parse("weekly"), None);
    }

    #[test]
    fn due_rules_as_typed_are_checked() {
        let day = Some(d("2024-03-28"));
        for (rule, value, fixed, expected) in [
            ("day_of_month", 15, None, Some(DueRule::DayOfMonth(15))),
            ("day_of_month", 1, None, Some(DueRule::DayOfMonth(1))),
            ("day_of_month", 31, None, Some(DueRule::DayOfMonth(31))),
            // there is no day 0 or 32 of a month
            ("day_of_month", 0, None, None),
            ("day_of_month", 32, None, None),
            ("working_days", 0, None, Some(DueRule::WorkingDays(0))),
            ("working_days", 60, None, Some(DueRule::WorkingDays(60))),
            ("working_days", 61, None, None),
            ("working_days", -1, None, None),
            ("fixed", 0, day, Some(DueRule::Fixed(d("2024-03-28")))),
            ("fixed", 0, None, None),
            ("weekly", 3, None, None),
        ] {
            assert_eq!(
                DueRule::from_parts(rule, value, fixed),
                expected,
                "{rule} {value}"
            );
        }
        for (r, kind, value, label) in [
            (
                DueRule::DayOfMonth(15),
                "day_of_month",
                15,
                "Trước ngày 15 (sau ngày chốt số liệu)",
            ),
            (
                DueRule::WorkingDays(3),
                "working_days",
                3,
                "3 ngày làm việc sau ngày chốt số liệu",
            ),
            (
                DueRule::Fixed(d("2024-03-28")),
                "fixed",
                0,
                "Ngày 28/03/2024",
            ),
        ] {
            assert_eq!(
                (r.kind(), r.value(), r.label()),
                (kind, value, label.to_string())
            );
        }
    }

    #[test]
    fn every_period_has_its_official_name() {
        for (key, label) in [
            ("2025", "Năm 2025"),
            ("2025-Q1", "Quý I/2025"),
            ("2025-Q2", "Quý II/2025"),
            ("2025-Q3", "Quý III/2025"),
            ("2025-Q4", "Quý IV/2025"),
            ("2025-H1", "6 tháng đầu năm 2025"),
            ("2025-H2", "6 tháng cuối năm 2025"),
            ("2025-9M", "9 tháng năm 2025"),
            ("2025-12", "Tháng 12/2025"),
            ("2025-01", "Tháng 01/2025"),
            ("2025-12-31", "Đột xuất (hạn 31/12/2025)"),
            // a key it does not know is shown as it is
            ("2025-abc", "2025-abc"),
            ("2025-1", "2025-1"),
        ] {
            assert_eq!(period_label(key), label, "{key}");
        }
        let q4 = window(Frequency::Quarterly, "2025-Q4", 14).unwrap();
        assert_eq!(q4.label(), "Quý IV/2025");
    }

    #[test]
    fn windows_of_every_kind_of_period() {
        // (frequency, key, cut-off day) → first and last day of the data window
        for (f, key, cutoff, start, end) in [
            // Decree 09/2019: from the 15th of the month before to the 14th
            (
                Frequency::Quarterly,
                "2024-Q2",
                14,
                "2024-03-15",
                "2024-06-14",
            ),
            (
                Frequency::Quarterly,
                "2024-Q3",
                14,
                "2024-06-15",
                "2024-09-14",
            ),
            (
                Frequency::Quarterly,
                "2024-Q4",
                14,
                "2024-09-15",
                "2024-12-14",
            ),
            (
                Frequency::HalfYearly,
                "2025-H2",
                14,
                "2025-06-15",
                "2025-12-14",
            ),
            (
                Frequency::Monthly,
                "2026-01",
                14,
                "2025-12-15",
                "2026-01-14",
            ),
            (
                Frequency::Monthly,
                "2025-12",
                14,
                "2025-11-15",
                "2025-12-14",
            ),
            // calendar periods (cut-off 0)
            (Frequency::Monthly, "2025-12", 0, "2025-12-01", "2025-12-31"),
            (
                Frequency::Quarterly,
                "2025-Q4",
                0,
                "2025-10-01",
                "2025-12-31",
            ),
            (
                Frequency::Quarterly,
                "2025-Q2",
                0,
                "2025-04-01",
                "2025-06-30",
            ),
            (
                Frequency::HalfYearly,
                "2025-H2",
                0,
                "2025-07-01",
                "2025-12-31",
            ),
            (
                Frequency::HalfYearly,
                "2025-H1",
                0,
                "2025-01-01",
                "2025-06-30",
            ),
            (
                Frequency::NineMonths,
                "2025-9M",
                0,
                "2025-01-01",
                "2025-09-30",
            ),
            (Frequency::Yearly, "2025", 0, "2025-01-01", "2025-12-31"),
            // a cut-off past the end of a short month is its last day
            (
                Frequency::Monthly,
                "2024-03",
                31,
                "2024-03-01",
                "2024-03-31",
            ),
            (
                Frequency::Monthly,
                "2025-03",
                30,
                "2025-03-01",
                "2025-03-30",
            ),
        ] {
            let p = window(f, key, cutoff).unwrap();
            assert_eq!(
                (p.key.as_str(), p.start, p.end),
                (key, d(start), d(end)),
                "{key} cut-off {cutoff}"
            );
        }
        for (f, key) in [
            (Frequency::Monthly, "2025-13"),
            (Frequency::Monthly, "2025-00"),
            (Frequency::Quarterly, "2025-Q0"),
            (Frequency::Quarterly, "2025-Q5"),
            (Frequency::Quarterly, "2025-3"),
            (Frequency::HalfYearly, "2025-H3"),
            (Frequency::NineMonths, "2025-6M"),
            (Frequency::Yearly, "2025-Q1"),
            (Frequency::Monthly, "năm-01"),
            (Frequency::AdHoc, "2025-03-28"),
        ] {
            assert_eq!(window(f, key, 14), None, "{key}");
        }
    }

    #[test]
    fn a_date_falls_in_one_period() {
        // (frequency, date, cut-off) → the period whose window holds it
        for (f, date, cutoff, key) in [
            (Frequency::Monthly, "2025-12-14", 14, "2025-12"),
            (Frequency::Monthly, "2025-12-15", 14, "2026-01"),
            (Frequency::Monthly, "2025-11-15", 14, "2025-12"),
            (Frequency::Monthly, "2025-12-20", 0, "2025-12"),
            (Frequency::Monthly, "2025-01-31", 0, "2025-01"),
            (Frequency::Quarterly, "2025-12-15", 14, "2026-Q1"),
            (Frequency::Quarterly, "2025-12-14", 14, "2025-Q4"),
            (Frequency::Quarterly, "2025-09-15", 14, "2025-Q4"),
            (Frequency::Quarterly, "2025-06-30", 0, "2025-Q2"),
            (Frequency::HalfYearly, "2025-06-14", 14, "2025-H1"),
            (Frequency::HalfYearly, "2025-06-15", 14, "2025-H2"),
            (Frequency::HalfYearly, "2025-12-20", 14, "2026-H1"),
            (Frequency::HalfYearly, "2025-07-01", 0, "2025-H2"),
            (Frequency::NineMonths, "2025-01-10", 14, "2025-9M"),
            (Frequency::NineMonths, "2025-09-14", 14, "2025-9M"),
            (Frequency::NineMonths, "2025-09-15", 14, "2026-9M"),
            (Frequency::NineMonths, "2025-09-30", 0, "2025-9M"),
            (Frequency::Yearly, "2025-12-14", 14, "2025"),
            (Frequency::Yearly, "2025-12-15", 14, "2026"),
            (Frequency::Yearly, "2025-12-31", 0, "2025"),
        ] {
            let p = period_containing(f, d(date), cutoff).unwrap();
            assert_eq!(p.key, key, "{date} cut-off {cutoff}");
            assert!(p.start <= d(date) && d(date) <= p.end || f == Frequency::NineMonths);
        }
        let p = period_containing(Frequency::Monthly, d("2025-12-15"), 14).unwrap();
        assert_eq!((p.start, p.end), (d("2025-12-15"), d("2026-01-14")));
        assert_eq!(
            period_containing(Frequency::AdHoc, d("2025-12-15"), 14),
            None
        );
    }

    #[test]
    fn the_period_before_crosses_the_year() {
        for (f, key, cutoff, before) in [
            (Frequency::Quarterly, "2026-Q1", 14, "2025-Q4"),
            (Frequency::Monthly, "2026-01", 14, "2025-12"),
            (Frequency::Monthly, "2026-01", 0, "2025-12"),
            (Frequency::HalfYearly, "2026-H1", 0, "2025-H2"),
            (Frequency::Yearly, "2026", 14, "2025"),
        ] {
            let p = window(f, key, cutoff).unwrap();
            assert_eq!(previous(f, &p, cutoff).unwrap().key, before, "{key}");
        }
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // National Day 2025: Monday 1 and Tuesday 2 September
        let cal = WorkCalendar::new([d("2025-09-01"), d("2025-09-02")]);
        for (day, working) in [
            ("2025-08-29", true),  // Friday
            ("2025-08-30", false), // Saturday
            ("2025-08-31", false), // Sunday
            ("2025-09-01", false), // holiday
            ("2025-09-03", true),  // Wednesday
        ] {
            assert_eq!(cal.is_working_day(d(day)), working, "{day}");
        }
        // from, n → the n-th working day after (0: that day, or the next working one)
        for (from, n, expected) in [
            ("2025-08-28", 0, "2025-08-28"),
            ("2025-08-30", 0, "2025-09-03"),
            ("2025-08-31", 0, "2025-09-03"),
            ("2025-08-28", 1, "2025-08-29"),
            ("2025-08-29", 1, "2025-09-03"),
            ("2025-08-29", 3, "2025-09-05"),
            ("2025-12-31", 2, "2026-01-02"),
        ] {
            assert_eq!(
                cal.add_working_days(d(from), n),
                d(expected),
                "{from} + {n}"
            );
        }
        assert_eq!(
            due_date(DueRule::WorkingDays(0), d("2025-08-30"), &cal),
            d("2025-09-03")
        );
    }

    #[test]
    fn before_the_nth_is_the_first_such_day_on_or_after_the_cutoff() {
        let cal = WorkCalendar::new([]);
        for (n, window_end, expected) in [
            // "trước ngày 15" after a cut-off on the 14th: the next day
            (15, "2025-12-14", "2025-12-15"),
            // the cut-off day itself is still in time
            (14, "2025-12-14", "2025-12-14"),
            // "trước ngày 5" after a December window: January of the next year
            (5, "2025-12-14", "2026-01-05"),
            (5, "2025-12-31", "2026-01-05"),
            (5, "2025-11-30", "2025-12-05"),
            // "trước ngày 31" in February: its last day
            (31, "2025-02-14", "2025-02-28"),
            (31, "2024-02-14", "2024-02-29"),
        ] {
            assert_eq!(
                due_date(DueRule::DayOfMonth(n), d(window_end), &cal),
                d(expected),
                "before the {n}th after {window_end}"
            );
        }
    }
}
