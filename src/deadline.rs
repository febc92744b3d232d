//! Deadlines as documents write them ("Thường xuyên", "Trước ngày 31/01/2025", "Quý II/2025",
//! "trước ngày 15 hằng tháng"…), kept verbatim beside a normalised form.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text::fold_keep_punct as fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Date,
    Month,
    Quarter,
    Year,
    Recurring,
    Dependent,
    None,
}

impl DeadlineKind {
    pub fn parse(s: &str) -> Option<DeadlineKind> {
        Some(match s {
            "date" => DeadlineKind::Date,
            "month" => DeadlineKind::Month,
            "quarter" => DeadlineKind::Quarter,
            "year" => DeadlineKind::Year,
            "recurring" => DeadlineKind::Recurring,
            "dependent" => DeadlineKind::Dependent,
            "none" => DeadlineKind::None,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Date => "date",
            DeadlineKind::Month => "month",
            DeadlineKind::Quarter => "quarter",
            DeadlineKind::Year => "year",
            DeadlineKind::Recurring => "recurring",
            DeadlineKind::Dependent => "dependent",
            DeadlineKind::None => "none",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Date => "Ngày cụ thể",
            DeadlineKind::Month => "Tháng",
            DeadlineKind::Quarter => "Quý",
            DeadlineKind::Year => "Năm",
            DeadlineKind::Recurring => "Định kỳ / thường xuyên",
            DeadlineKind::Dependent => "Theo kế hoạch / phụ thuộc",
            DeadlineKind::None => "Không có thời hạn",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    Monthly,
    Quarterly,
    Yearly,
    /// "Thường xuyên": an ongoing duty, reported every month.
    Ongoing,
}

impl Recurrence {
    pub fn parse(s: &str) -> Option<Recurrence> {
        Some(match s {
            "monthly" => Recurrence::Monthly,
            "quarterly" => Recurrence::Quarterly,
            "yearly" => Recurrence::Yearly,
            "ongoing" => Recurrence::Ongoing,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::Yearly => "yearly",
            Recurrence::Ongoing => "ongoing",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Recurrence::Monthly => "Hằng tháng",
            Recurrence::Quarterly => "Hằng quý",
            Recurrence::Yearly => "Hằng năm",
            Recurrence::Ongoing => "Thường xuyên",
        }
    }
    /// The reporting period a date falls in: "2025-03", "2025-Q1", "2025".
    pub fn period_of(self, d: NaiveDate) -> String {
        match self {
            Recurrence::Monthly | Recurrence::Ongoing => format!("{}-{:02}", d.year(), d.month()),
            Recurrence::Quarterly => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Recurrence::Yearly => format!("{}", d.year()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub text: String,
    pub kind: DeadlineKind,
    pub due: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
}

fn roman(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn numbers(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// A year as written: four digits, or two ("25" → 2025).
fn year_of(y: u32) -> Option<i32> {
    match y {
        1900..=2200 => Some(y as i32),
        0..=99 => Some(2000 + y as i32),
        _ => None,
    }
}

impl Deadline {
    pub fn new(
        text: &str,
        kind: DeadlineKind,
        due: Option<NaiveDate>,
        recurrence: Option<Recurrence>,
    ) -> Deadline {
        Deadline {
            text: text.trim().to_string(),
            kind,
            due,
            recurrence,
        }
    }

    /// Reads a deadline phrase. `reference` (the directive's date) supplies a missing year.
    pub fn parse(text: &str, reference: NaiveDate) -> Deadline {
        let f = fold(text);
        let mk = |kind, due, rec| Deadline::new(text, kind, due, rec);
        if f.is_empty() {
            return mk(DeadlineKind::None, None, None);
        }
        if f.contains("hang thang") {
            return mk(DeadlineKind::Recurring, None, Some(Recurrence::Monthly));
        }
        if f.contains("hang quy") {
            return mk(DeadlineKind::Recurring, None, Some(Recurrence::Quarterly));
        }
        if f.contains("hang nam") {
            return mk(DeadlineKind::Recurring, None, Some(Recurrence::Yearly));
        }
        if f.starts_with("thuong xuyen") || f == "thuong" || f.contains("lien tuc") {
            return mk(DeadlineKind::Recurring, None, Some(Recurrence::Ongoing));
        }
        // "ngày 31 tháng 01 năm 2025"
        if let Some(pos) = f.find("ngay ") {
            let rest = &f[pos..];
            if rest.contains("thang") && rest.contains("nam") {
                let n = numbers(rest);
                if n.len() >= 3 {
                    if let Some(d) =
                        year_of(n[2]).and_then(|y| NaiveDate::from_ymd_opt(y, n[1], n[0]))
                    {
                        return mk(DeadlineKind::Date, Some(d), None);
                    }
                }
            }
        }
        // dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy, dd/mm
        for tok in
            f.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        {
            let parts: Vec<&str> = tok
                .split(['/', '.', '-'])
                .filter(|s| !s.is_empty())
                .collect();
            let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if nums.len() != parts.len() {
                continue;
            }
            if nums.len() == 3 && !f.contains("quy") {
                if let Some(d) =
                    year_of(nums[2]).and_then(|y| NaiveDate::from_ymd_opt(y, nums[1], nums[0]))
                {
                    return mk(DeadlineKind::Date, Some(d), None);
                }
            }
            if nums.len() == 2
                && (f.contains("ngay") || f.contains("truoc"))
                && nums[0] <= 31
                && nums[1] <= 12
            {
                if let Some(d) = NaiveDate::from_ymd_opt(reference.year(), nums[1], nums[0]) {
                    let d = if d < reference {
                        d.with_year(reference.year() + 1).unwrap_or(d)
                    } else {
                        d
                    };
                    return mk(DeadlineKind::Date, Some(d), None);
                }
            }
        }
        if let Some(pos) = f.find("quy ") {
            let rest = &f[pos + 4..];
            let numeral: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if let Some(q) = roman(&numeral) {
                let y = numbers(rest)
                    .into_iter()
                    .find(|n| *n >= 1900)
                    .map(|y| y as i32)
                    .unwrap_or(reference.year());
                let due = last_day_of_month(y, q * 3);
                return mk(DeadlineKind::Quarter, due, None);
            }
        }
        if let Some(pos) = f.find("thang ") {
            let n = numbers(&f[pos..]);
            if let (Some(&m), Some(&y)) = (n.first(), n.get(1)) {
                if (1..=12).contains(&m) && y >= 1900 {
                    return mk(DeadlineKind::Month, last_day_of_month(y as i32, m), None);
                }
            }
        }
        let n = numbers(&f);
        if f.starts_with("theo") || f.contains("khi co") || f.starts_with("sau khi") {
            return mk(DeadlineKind::Dependent, None, None);
        }
        // "6/2025"
        if let [m, y] = n.as_slice() {
            if (1..=12).contains(m) && *y >= 1900 && f.contains('/') {
                return mk(DeadlineKind::Month, last_day_of_month(*y as i32, *m), None);
            }
        }
        // "Năm 2025", "2025", ranges "2025-2026" → the last year
        if let Some(y) = n.iter().rev().find(|y| (1900..=2200).contains(*y)) {
            if n.iter().all(|x| (1900..=2200).contains(x)) {
                return mk(
                    DeadlineKind::Year,
                    NaiveDate::from_ymd_opt(*y as i32, 12, 31),
                    None,
                );
            }
        }
        mk(DeadlineKind::Dependent, None, None)
    }

    pub fn due_iso(&self) -> Option<String> {
        self.due.map(|d| d.format("%Y-%m-%d").to_string())
    }

    pub fn is_recurring(&self) -> bool {
        self.kind == DeadlineKind::Recurring
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn phrases_from_the_examples() {
        let r = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        let p = |s| Deadline::parse(s, r);
        assert_eq!(p("Thường xuyên").recurrence, Some(Recurrence::Ongoing));
        assert_eq!(p("Trước ngày 31/01/2025").due, d(2025, 1, 31));
        assert_eq!(
            p("ban hành trước ngày 31 tháng 01 năm 2025").due,
            d(2025, 1, 31)
        );
        assert_eq!(p("chậm nhất ngày 25/3/2024").due, d(2024, 3, 25));
        assert_eq!(p("trước ngày 20.7.2020").due, d(2020, 7, 20));
        assert_eq!(
            p("trước ngày 15 hằng tháng").recurrence,
            Some(Recurrence::Monthly)
        );
        assert_eq!(p("Quý II/2025").due, d(2025, 6, 30));
        assert_eq!(p("Quý I năm 2025").kind, DeadlineKind::Quarter);
        assert_eq!(p("Tháng 6/2025").due, d(2025, 6, 30));
        assert_eq!(p("6/2025").due, d(2025, 6, 30));
        assert_eq!(p("Năm 2025").due, d(2025, 12, 31));
        assert_eq!(p("Giai đoạn 2025-2026").due, d(2026, 12, 31));
        assert_eq!(p("Theo Kế hoạch UBND tỉnh").kind, DeadlineKind::Dependent);
        assert_eq!(p("").kind, DeadlineKind::None);
        assert_eq!(p("trước ngày 15/3").due, d(2025, 3, 15));
    }
}
