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
    /// "Định kỳ 6 tháng".
    HalfYearly,
    /// "Thường xuyên": an ongoing duty, reported every month.
    Ongoing,
}

impl Recurrence {
    pub fn parse(s: &str) -> Option<Recurrence> {
        Some(match s {
            "monthly" => Recurrence::Monthly,
            "quarterly" => Recurrence::Quarterly,
            "yearly" => Recurrence::Yearly,
            "half_yearly" => Recurrence::HalfYearly,
            "ongoing" => Recurrence::Ongoing,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::Yearly => "yearly",
            Recurrence::HalfYearly => "half_yearly",
            Recurrence::Ongoing => "ongoing",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Recurrence::Monthly => "Hằng tháng",
            Recurrence::Quarterly => "Hằng quý",
            Recurrence::Yearly => "Hằng năm",
            Recurrence::HalfYearly => "Định kỳ 6 tháng",
            Recurrence::Ongoing => "Thường xuyên",
        }
    }
    /// The reporting period a date falls in: "2025-03", "2025-Q1", "2025".
    pub fn period_of(self, d: NaiveDate) -> String {
        match self {
            Recurrence::Monthly | Recurrence::Ongoing => format!("{}-{:02}", d.year(), d.month()),
            Recurrence::Quarterly => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Recurrence::HalfYearly => format!("{}-H{}", d.year(), (d.month() - 1) / 6 + 1),
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

/// Words that introduce a deadline inside a sentence.
const PROSE_TRIGGERS: &[&str] = &[
    "truoc ngay",
    "cham nhat",
    "muon nhat",
    "han chot",
    "thoi han",
    "hoan thanh truoc",
    "hoan thanh trong",
    "hoan tat truoc",
    "xong truoc",
    "truoc",
    "trong thang",
    "vao thang",
    "vao quy",
    "vao cuoi",
    "cuoi thang",
    "cuoi nam",
    "trong quy",
    "trong nam",
    "den het",
    "tu ngay",
    "hang thang",
    "hang quy",
    "hang nam",
    "dinh ky",
    "thuong xuyen",
];

/// Where a deadline phrase that starts at `at` ends: at the last word that belongs to a
/// date ("25/3/2024", "quý II/2025", "hằng tháng"), within the clause.
fn phrase_end(f: &str, at: usize) -> usize {
    let clause_end = f[at..]
        .char_indices()
        .find(|&(i, c)| {
            let next = f[at + i + c.len_utf8()..].chars().next();
            matches!(c, ';' | '(' | ')' | ':' | '\n')
                || (matches!(c, '.' | ',') && !next.is_some_and(|n| n.is_ascii_digit()))
        })
        .map(|(i, _)| at + i)
        .unwrap_or(f.len());
    let mut limit = (at + 90).min(f.len());
    while !f.is_char_boundary(limit) {
        limit -= 1;
    }
    let clause_end = clause_end.min(limit);
    let clause = &f[at..clause_end];
    let mut end = at;
    let mut offset = 0;
    let mut prev = "";
    for w in clause.split(' ') {
        let date_word = w.bytes().any(|b| b.is_ascii_digit())
            || matches!(
                w,
                "thang" | "quy" | "nam" | "xuyen" | "hang" | "moi" | "i" | "ii" | "iii" | "iv"
            )
            || (prev == "dinh" && w == "ky");
        offset += w.len() + 1;
        if date_word {
            end = at + (offset - 1).min(clause.len());
        }
        if !date_word
            && end > at
            && w.len() > 3
            && !matches!(w, "ngay" | "thang" | "truoc" | "nhat")
        {
            break;
        }
        prev = w;
    }
    end.max((at + 1).min(clause_end)).min(f.len())
}

fn recurrence_in(f: &str) -> Option<Recurrence> {
    // Whole words only: "thang" holds "hang", "06 tháng 02" is no half-year.
    let has = |s: &str| {
        f.match_indices(s).any(|(i, _)| {
            let before = f[..i].chars().next_back();
            let after = f[i + s.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    if has("hang tuan") || has("hang ngay") || has("moi tuan") {
        return Some(Recurrence::Ongoing);
    }
    if has("hang thang") || has("moi thang") || has("dinh ky thang") || has("thang mot lan") {
        return Some(Recurrence::Monthly);
    }
    if has("hang quy")
        || has("cuoi quy")
        || has("moi quy")
        || has("dinh ky quy")
        || has("quy/lan")
        || has("quy mot lan")
    {
        return Some(Recurrence::Quarterly);
    }
    if (has("6 thang") || has("06 thang") || has("sau thang"))
        && (has("dinh ky") || has("hang") || has("moi"))
        && !has("dau nam")
        && !has("cuoi nam")
    {
        return Some(Recurrence::HalfYearly);
    }
    if has("hang nam") || has("moi nam") || has("dinh ky nam") {
        return Some(Recurrence::Yearly);
    }
    if f.starts_with("thuong xuyen")
        || f == "thuong"
        || has("lien tuc")
        || has("thuong xuyen")
        || f.starts_with("dinh ky")
    {
        return Some(Recurrence::Ongoing);
    }
    None
}

fn is_dependent(f: &str) -> bool {
    f.starts_with("theo")
        || f.contains("khi co")
        || f.contains("sau khi")
        || f.starts_with("tuy")
        || f.contains("theo yeu cau")
        || f.contains("theo ke hoach")
        || f.contains("theo chi dao")
        || f.contains("theo tien do")
}

/// The year a plan is for: its own year, or the next when signed in December.
fn plan_year(reference: NaiveDate) -> i32 {
    if reference.month() == 12 {
        reference.year() + 1
    } else {
        reference.year()
    }
}

/// A day and month without a year: the first such date on or after the reference.
fn roll(reference: NaiveDate, m: u32, d: u32) -> Option<NaiveDate> {
    let x = NaiveDate::from_ymd_opt(reference.year(), m, d)?;
    if x < reference {
        NaiveDate::from_ymd_opt(reference.year() + 1, m, d)
    } else {
        Some(x)
    }
}

/// Every full date in a folded phrase, in order: "31/01/2025", "20.7.2020", "ngày 31 tháng
/// 01 năm 2025", and "15/3" or "ngày 31 tháng 01" completed from the reference.
fn dates_in(f: &str, reference: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let toks: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].trim_end_matches('.');
        // "ngày 31 tháng 01 năm 2025" (year optional)
        if t == "ngay" && i + 3 < toks.len() && toks[i + 2] == "thang" {
            let d: Option<u32> = toks[i + 1].parse().ok();
            let m: Option<u32> = toks[i + 3].trim_end_matches('.').parse().ok();
            let y: Option<u32> = if toks.get(i + 4) == Some(&"nam") {
                toks.get(i + 5)
                    .and_then(|y| y.trim_end_matches('.').parse().ok())
            } else {
                None
            };
            if let (Some(d), Some(m)) = (d, m) {
                let date = match y.and_then(year_of) {
                    Some(y) => NaiveDate::from_ymd_opt(y, m, d),
                    None => roll(reference, m, d),
                };
                if let Some(x) = date {
                    out.push(x);
                    i += if y.is_some() { 6 } else { 4 };
                    continue;
                }
            }
        }
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let all_digits = nums.len() == parts.len() && parts.iter().all(|p| p.len() <= 4);
        if all_digits && nums.len() == 3 && parts[2].len() != 3 {
            if let Some(d) =
                year_of(nums[2]).and_then(|y| NaiveDate::from_ymd_opt(y, nums[1], nums[0]))
            {
                out.push(d);
            }
        } else if all_digits && nums.len() == 2 && parts[1].len() <= 2 && parts[0].len() <= 2 {
            let prev = if i > 0 { toks[i - 1] } else { "" };
            let dated = matches!(
                prev,
                "ngay" | "truoc" | "den" | "nhat" | "han" | "tu" | "hon"
            );
            if dated && nums[0] <= 31 && (1..=12).contains(&nums[1]) {
                if let Some(d) = roll(reference, nums[1], nums[0]) {
                    out.push(d);
                }
            }
        }
        i += 1;
    }
    out
}

/// "Quý II/2025", "Quý I năm 2025", "quý 2", "Q3/2025", "Quý I, II/2025" (the last one).
fn quarter_in(f: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let toks: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '/' | '-' | '.'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut q = None;
    let mut year = None;
    let mut in_quarter = false;
    for t in &toks {
        if *t == "quy" {
            in_quarter = true;
            continue;
        }
        let short = t.strip_prefix('q').and_then(roman).filter(|_| t.len() == 2);
        if let Some(n) = short {
            q = Some(n);
            continue;
        }
        if in_quarter {
            if let Some(n) = roman(t) {
                q = Some(n);
                continue;
            }
        }
        if let Ok(y) = t.parse::<u32>() {
            if (1900..=2200).contains(&y) {
                year = Some(y as i32);
            }
        }
        if !matches!(*t, "nam" | "va" | "den") {
            in_quarter = false;
        }
    }
    let q = q?;
    let y = year.unwrap_or_else(|| plan_year(reference));
    last_day_of_month(y, q * 3)
}

/// "Tháng 6/2025", "tháng 6 năm 2025", "6/2025", "Trong tháng 6" (year from the reference),
/// "6 tháng đầu năm 2025".
fn month_in(f: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let n = numbers(f);
    if f.contains("6 thang dau nam") || f.contains("06 thang dau nam") {
        let y = n
            .iter()
            .find(|y| **y >= 1900)
            .map(|y| *y as i32)
            .unwrap_or(plan_year(reference));
        return last_day_of_month(y, 6);
    }
    if f.contains("6 thang cuoi nam") || f.contains("06 thang cuoi nam") {
        let y = n
            .iter()
            .find(|y| **y >= 1900)
            .map(|y| *y as i32)
            .unwrap_or(plan_year(reference));
        return last_day_of_month(y, 12);
    }
    if let Some(pos) = f.find("thang ") {
        let rest = numbers(&f[pos..]);
        match (rest.first(), rest.get(1)) {
            (Some(&m), Some(&y)) if (1..=12).contains(&m) && y >= 1900 => {
                return last_day_of_month(y as i32, m)
            }
            (Some(&m), None) if (1..=12).contains(&m) => {
                let d = last_day_of_month(reference.year(), m)?;
                return if d < reference {
                    last_day_of_month(reference.year() + 1, m)
                } else {
                    Some(d)
                };
            }
            _ => {}
        }
    }
    // "6/2025", "06-2025"
    for tok in f.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
        let parts: Vec<&str> = tok.trim_end_matches('.').split(['/', '-', '.']).collect();
        if let [m, y] = parts.as_slice() {
            if let (Ok(m), Ok(y)) = (m.parse::<u32>(), y.parse::<u32>()) {
                if (1..=12).contains(&m) && (1900..=2200).contains(&y) {
                    return last_day_of_month(y as i32, m);
                }
            }
        }
    }
    None
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
        if let Some(r) = recurrence_in(&f) {
            return mk(DeadlineKind::Recurring, None, Some(r));
        }
        let dates = dates_in(&f, reference);
        if !dates.is_empty() {
            // "từ ngày 29/3 đến ngày 05/4": the end of a range; otherwise the first date.
            let ranged = f.contains("den") || f.contains(" - ") || f.contains('\u{2013}');
            let d = if ranged {
                dates[dates.len() - 1]
            } else {
                dates[0]
            };
            return mk(DeadlineKind::Date, Some(d), None);
        }
        if let Some(d) = quarter_in(&f, reference) {
            return mk(DeadlineKind::Quarter, Some(d), None);
        }
        if let Some(d) = month_in(&f, reference) {
            return mk(DeadlineKind::Month, Some(d), None);
        }
        if is_dependent(&f) {
            return mk(DeadlineKind::Dependent, None, None);
        }
        let n = numbers(&f);
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
        // "Trong năm", "Cả năm": the year the plan is for (a plan signed in December is
        // for the next year).
        if n.is_empty() && (f.contains("trong nam") || f.contains("ca nam") || f == "nam") {
            let y = plan_year(reference);
            return mk(DeadlineKind::Year, NaiveDate::from_ymd_opt(y, 12, 31), None);
        }
        mk(DeadlineKind::Dependent, None, None)
    }

    /// Finds a deadline inside a sentence ("…, hoàn thành trước ngày 31/01/2025",
    /// "chậm nhất ngày 25/3/2024", "trước ngày 15 hằng tháng"). Only phrases introduced by a
    /// deadline word count, so the dates of cited documents are not taken for deadlines.
    pub fn find_in(text: &str, reference: NaiveDate) -> Option<Deadline> {
        let (f, map) = crate::text::fold_mapped(text);
        let mut best: Option<(usize, Deadline)> = None;
        for trigger in PROSE_TRIGGERS {
            let mut from = 0;
            while let Some(pos) = f[from..].find(trigger) {
                let at = from + pos;
                from = at + trigger.len();
                let boundary = at == 0 || !f.as_bytes()[at - 1].is_ascii_alphanumeric();
                if !boundary {
                    continue;
                }
                let end = phrase_end(&f, at);
                let window = &f[at..end];
                if window.starts_with("tu ngay") && !window.contains("den") {
                    continue; // a start date, not a deadline
                }
                let (a, b) = (map[at], map.get(end).copied().unwrap_or(text.len()));
                let d = Deadline::parse(&text[a..b], reference);
                let useful = match d.kind {
                    DeadlineKind::Date | DeadlineKind::Month | DeadlineKind::Quarter => true,
                    DeadlineKind::Year => window.contains("nam"),
                    DeadlineKind::Recurring => true,
                    _ => false,
                };
                // A precise phrase beats a vague one ("định kỳ … trước ngày 15 hằng tháng"
                // is monthly); among equals the first wins.
                let rank = |d: &Deadline| match (d.kind, d.recurrence) {
                    (DeadlineKind::Recurring, Some(Recurrence::Ongoing)) => 0,
                    (DeadlineKind::Year, _) => 1,
                    _ => 2,
                };
                let better = best
                    .as_ref()
                    .is_none_or(|(p, b)| rank(&d) > rank(b) || (rank(&d) == rank(b) && at < *p));
                if useful && better {
                    best = Some((at, d));
                }
            }
        }
        best.map(|(_, d)| d)
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

#[cfg(test)]
mod more_phrasings {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn phrasings_of_section_8_2() {
        let r = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        let p = |s| Deadline::parse(s, r);
        assert_eq!(p("Trong Quý III/2025").due, d(2025, 9, 30));
        assert_eq!(p("Q2/2025").due, d(2025, 6, 30));
        assert_eq!(p("Quý I, II/2025").due, d(2025, 6, 30));
        assert_eq!(p("Tháng 6 năm 2025").due, d(2025, 6, 30));
        assert_eq!(p("Trước 30/6/2025").due, d(2025, 6, 30));
        assert_eq!(p("Trong năm 2025").due, d(2025, 12, 31));
        assert_eq!(p("Cả năm").due, d(2025, 12, 31));
        assert_eq!(
            p("Định kỳ 6 tháng").recurrence,
            Some(Recurrence::HalfYearly)
        );
        assert_eq!(p("Hàng tháng").recurrence, Some(Recurrence::Monthly));
        assert_eq!(p("Hằng quý").recurrence, Some(Recurrence::Quarterly));
        assert_eq!(p("Hằng năm").recurrence, Some(Recurrence::Yearly));
        assert_eq!(p("Giai đoạn 2021–2025").due, d(2025, 12, 31));
        assert_eq!(
            p("Theo tiến độ của Bộ Nội vụ").kind,
            DeadlineKind::Dependent
        );
        assert_eq!(p("Khi có yêu cầu").kind, DeadlineKind::Dependent);
        assert_eq!(
            p("Sau khi Đề án được phê duyệt").kind,
            DeadlineKind::Dependent
        );
        assert_eq!(p("từ ngày 29/3/2024 đến ngày 05/4/2024").due, d(2024, 4, 5));
        assert_eq!(p("ngày 31 tháng 01").due, d(2025, 1, 31));
        assert_eq!(p("Thuong xuyen").recurrence, Some(Recurrence::Ongoing));
        assert_eq!(p("Trong tháng 3").due, d(2025, 3, 31));
        // "tháng" holds "hang": a date in words is no recurrence.
        assert_eq!(p("ngày 06 tháng 02 năm 2026").due, d(2026, 2, 6));
        assert_eq!(p("6 tháng đầu năm 2025").due, d(2025, 6, 30));
    }

    #[test]
    fn deadlines_inside_sentences() {
        let r = NaiveDate::from_ymd_opt(2024, 3, 25).unwrap();
        let f = |s| Deadline::find_in(s, r);
        let x = f("Báo cáo tiến độ gửi Sở Nội vụ tổng hợp chậm nhất ngày 25/3/2024.").unwrap();
        assert_eq!(x.due, d(2024, 3, 25));
        assert_eq!(x.text, "chậm nhất ngày 25/3/2024");
        let x = f("chỉ đạo triển khai số hóa, hoàn tất trước ngày 01/7/2025; ưu tiên nguồn lực")
            .unwrap();
        assert_eq!(x.due, d(2025, 7, 1));
        let x = f("định kỳ báo cáo tiến độ thực hiện trước ngày 15 hằng tháng để Thư ký tổng hợp")
            .unwrap();
        assert_eq!(x.recurrence, Some(Recurrence::Monthly));
        assert!(f("theo Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ").is_none());
        assert!(f("vận hành từ ngày 01/7/2025 tại các xã").is_none());
        let x = f("bố trí lịch họp từ ngày 29/3/2024 đến ngày 05/4/2024.").unwrap();
        assert_eq!(x.due, d(2024, 4, 5));
    }
}
