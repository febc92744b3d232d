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

/// Whether a period word describes the thing it follows, not when to act: "chi thường
/// xuyên" (recurrent spending), "dự toán ngân sách hằng năm", "mức trợ cấp hàng tháng",
/// "kế hoạch 5 năm và hàng năm", "kinh phí được bố trí trong năm".
fn qualifies_a_noun(before: &str, trigger: &str) -> bool {
    const PERIODIC: &[&str] = &[
        "hang thang",
        "hang quy",
        "hang nam",
        "thuong xuyen",
        "trong nam",
    ];
    if !PERIODIC.contains(&trigger) {
        return false;
    }
    let words: Vec<&str> = before.split_whitespace().rev().take(5).collect();
    let last = words.first().copied().unwrap_or("");
    // the few words before, in order: "kinh phi ngan sach dia phuong"
    let near = words.iter().rev().copied().collect::<Vec<_>>().join(" ");
    const NOUNS: &[&str] = &[
        "chi", "phi", "toan", "sach", "von", "cap", "muc", "luong", "va", "tu", "ky", "hoach",
        "xuyen",
    ];
    const WORK: &[&str] = &[
        "kinh phi",
        "du toan",
        "ngan sach",
        "tro cap",
        "ke hoach",
        "bo tri",
        "bo sung",
        "phan bo",
        "chi phi",
        "nguon von",
        "duoc giao",
        "duoc bo",
        "chi tieu",
    ];
    NOUNS.contains(&last) || WORK.iter().any(|w| near.contains(w))
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
                if !boundary || qualifies_a_noun(&f[..at], trigger) {
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

    #[test]
    fn period_words_inside_the_work_are_no_deadline() {
        let r = NaiveDate::from_ymd_opt(2025, 11, 20).unwrap();
        for text in [
            "Bố trí kinh phí chi thường xuyên để thực hiện Kế hoạch",
            "Xây dựng dự toán ngân sách hằng năm theo quy định",
            "Điều chỉnh mức trợ cấp hàng tháng cho đối tượng",
            "Lập kế hoạch 5 năm và hàng năm của ngành",
            "Sử dụng kinh phí được bố trí trong năm để triển khai",
        ] {
            assert!(Deadline::find_in(text, r).is_none(), "{text}");
        }
        for text in [
            "Thường xuyên rà soát thủ tục hành chính",
            "Tổng hợp, báo cáo kết quả hằng tháng",
        ] {
            let d = Deadline::find_in(text, r).expect(text);
            assert_eq!(d.kind, DeadlineKind::Recurring, "{text}");
        }
    }

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

/// Deadline phrases as plans write them, each with what a secretary reads in it. One table per
/// rule: December and the year end, quarters and halves, two-digit years, ranges, recurrence in
/// all its spellings, dependent phrases, and the reference date's edges.
#[cfg(test)]
mod rules {
    use super::*;
    use DeadlineKind as K;
    use Recurrence as R;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// (phrase, reference, kind, due)
    fn check(cases: &[(&str, &str, DeadlineKind, &str)]) {
        for &(phrase, reference, kind, due) in cases {
            let d = Deadline::parse(phrase, day(reference));
            let due = (!due.is_empty()).then(|| day(due));
            assert_eq!(
                (d.kind, d.due),
                (kind, due),
                "{phrase:?} (reference {reference})"
            );
            assert_eq!(d.recurrence, None, "{phrase:?}");
            assert_eq!(d.text, phrase.trim());
        }
    }

    #[test]
    fn december_and_the_year_end() {
        check(&[
            ("Tháng 12/2025", "2024-12-30", K::Month, "2025-12-31"),
            ("tháng 12 năm 2025", "2024-12-30", K::Month, "2025-12-31"),
            ("12/2025", "2024-12-30", K::Month, "2025-12-31"),
            ("Hoàn thành 12/2025", "2024-12-30", K::Month, "2025-12-31"),
            ("Quý IV/2025", "2024-12-30", K::Quarter, "2025-12-31"),
            ("Q4/2025", "2024-12-30", K::Quarter, "2025-12-31"),
            ("31/12/2025", "2024-12-30", K::Date, "2025-12-31"),
            (
                "ngày 31 tháng 12 năm 2025",
                "2024-12-30",
                K::Date,
                "2025-12-31",
            ),
            (
                "6 tháng cuối năm 2025",
                "2024-12-30",
                K::Month,
                "2025-12-31",
            ),
            ("Năm 2025", "2024-12-30", K::Year, "2025-12-31"),
            // a plan signed in December is for the next year
            ("Quý IV", "2024-12-30", K::Quarter, "2025-12-31"),
            ("Quý IV", "2025-06-10", K::Quarter, "2025-12-31"),
            ("Trong năm", "2024-12-30", K::Year, "2025-12-31"),
            ("Trong năm", "2025-06-10", K::Year, "2025-12-31"),
            ("Cả năm", "2025-12-01", K::Year, "2026-12-31"),
            ("Năm", "2025-03-01", K::Year, "2025-12-31"),
            ("6 tháng cuối năm", "2024-12-30", K::Month, "2025-12-31"),
            // a month without a year: the next such month on or after the reference
            ("Trong tháng 12", "2025-06-10", K::Month, "2025-12-31"),
            ("Trong tháng 12", "2025-12-31", K::Month, "2025-12-31"),
            ("Trong tháng 5", "2025-06-10", K::Month, "2026-05-31"),
            ("Trong tháng 6", "2025-06-10", K::Month, "2025-06-30"),
            // a day and month without a year: the first such day on or after the reference
            ("ngày 30 tháng 12", "2024-12-30", K::Date, "2024-12-30"),
            ("ngày 29 tháng 12", "2024-12-30", K::Date, "2025-12-29"),
            ("ngày 5 tháng 1", "2024-12-30", K::Date, "2025-01-05"),
            ("trước ngày 15/3", "2025-03-15", K::Date, "2025-03-15"),
            ("trước ngày 15/3", "2025-03-16", K::Date, "2026-03-15"),
            ("trước ngày 15/3", "2024-12-30", K::Date, "2025-03-15"),
            // a written year is kept even when the reference is years before
            (
                "trước ngày 31 tháng 01 năm 2027",
                "2024-12-30",
                K::Date,
                "2027-01-31",
            ),
            (
                "hoàn thành trước ngày 31 tháng 01 năm 2027",
                "2024-12-30",
                K::Date,
                "2027-01-31",
            ),
        ]);
    }

    #[test]
    fn quarters_halves_and_years() {
        check(&[
            ("Quý I/2026", "2025-06-10", K::Quarter, "2026-03-31"),
            ("Quý II/2026", "2025-06-10", K::Quarter, "2026-06-30"),
            ("Quý III/2026", "2025-06-10", K::Quarter, "2026-09-30"),
            ("Quý III", "2025-06-10", K::Quarter, "2025-09-30"),
            ("Quý 1/2026", "2025-06-10", K::Quarter, "2026-03-31"),
            ("quý 2 năm 2026", "2025-06-10", K::Quarter, "2026-06-30"),
            ("quý 3/2026", "2025-06-10", K::Quarter, "2026-09-30"),
            ("quý 4/2026", "2025-06-10", K::Quarter, "2026-12-31"),
            ("Q3 2025", "2025-01-10", K::Quarter, "2025-09-30"),
            // several quarters: the last one; a numeral outside the quarter is not one
            ("Quý I và II/2025", "2025-01-10", K::Quarter, "2025-06-30"),
            (
                "Quý I/2026, theo Phụ lục II",
                "2025-06-10",
                K::Quarter,
                "2026-03-31",
            ),
            ("6 tháng đầu năm", "2024-12-30", K::Month, "2025-06-30"),
            ("6 tháng đầu năm", "2025-03-01", K::Month, "2025-06-30"),
            (
                "06 tháng đầu năm 2026",
                "2025-03-01",
                K::Month,
                "2026-06-30",
            ),
            (
                "06 tháng cuối năm 2026",
                "2025-03-01",
                K::Month,
                "2026-12-31",
            ),
            ("Năm 2026", "2025-03-01", K::Year, "2026-12-31"),
            ("Cuối năm 2026", "2025-03-01", K::Year, "2026-12-31"),
            ("2025 - 2026", "2025-03-01", K::Year, "2026-12-31"),
            (
                "Năm 2025, 2026 và 2027",
                "2025-03-01",
                K::Year,
                "2027-12-31",
            ),
        ]);
    }

    #[test]
    fn dates_as_written() {
        check(&[
            // two-digit years
            ("31/01/25", "2024-12-30", K::Date, "2025-01-31"),
            ("trước ngày 31/01/25", "2024-12-30", K::Date, "2025-01-31"),
            ("31/12/99", "2024-12-30", K::Date, "2099-12-31"),
            ("1/1/00", "2024-12-30", K::Date, "2000-01-01"),
            // the edges of the years read
            ("01/01/1900", "2024-12-30", K::Date, "1900-01-01"),
            ("31/12/2200", "2024-12-30", K::Date, "2200-12-31"),
            ("31-12-2025", "2024-12-30", K::Date, "2025-12-31"),
            ("31.12.2025", "2024-12-30", K::Date, "2025-12-31"),
            // ranges: the end is the deadline
            ("Từ ngày 29/3 đến 05/4", "2024-03-20", K::Date, "2024-04-05"),
            ("29/3/2024 - 05/4/2024", "2024-03-20", K::Date, "2024-04-05"),
            ("29/3/2024 – 05/4/2024", "2024-03-20", K::Date, "2024-04-05"),
            // several dates that are no range: the first
            (
                "trước ngày 15/3/2025 và 30/6/2025",
                "2024-12-30",
                K::Date,
                "2025-03-15",
            ),
            // words that introduce a day and month
            ("chậm nhất 25/3", "2024-03-01", K::Date, "2024-03-25"),
            ("hạn 25/3", "2024-03-01", K::Date, "2024-03-25"),
            ("không muộn hơn 25/3", "2024-03-01", K::Date, "2024-03-25"),
            // no date in it
            ("ngày 31 tháng", "2024-12-30", K::Dependent, ""),
            ("trước ngày 32/3", "2024-12-30", K::Dependent, ""),
            ("31/12/202", "2024-12-30", K::Dependent, ""),
        ]);
    }

    #[test]
    fn phrases_with_no_date_depend_on_something_else() {
        check(&[
            ("Sớm nhất có thể", "2025-03-01", K::Dependent, ""),
            ("Khẩn trương", "2025-03-01", K::Dependent, ""),
            ("Theo lộ trình đến năm 2030", "2025-03-01", K::Dependent, ""),
            (
                "Khi có chủ trương (dự kiến 2026)",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Sau khi Đề án 2026 được phê duyệt",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Tùy tình hình thực tế năm 2026",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Báo cáo theo yêu cầu năm 2026",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Triển khai theo kế hoạch năm 2026",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Thực hiện theo chỉ đạo năm 2026",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            (
                "Thực hiện theo tiến độ năm 2026",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            // "tháng Năm" (May) holds "hằng năm" inside a word: no yearly duty
            ("Trong tháng Năm", "2025-03-01", K::Dependent, ""),
            (
                "Sau mỗi quyết định được ban hành",
                "2025-03-01",
                K::Dependent,
                "",
            ),
            ("", "2025-03-01", K::None, ""),
            ("   ", "2025-03-01", K::None, ""),
        ]);
    }

    #[test]
    fn recurrence_in_all_its_spellings() {
        for (phrase, recurrence) in [
            ("Thường xuyên", R::Ongoing),
            ("Thực hiện thường xuyên", R::Ongoing),
            ("thường", R::Ongoing),
            ("Liên tục", R::Ongoing),
            ("Định kỳ", R::Ongoing),
            ("Hằng tuần", R::Ongoing),
            ("hằng ngày", R::Ongoing),
            ("Mỗi tuần", R::Ongoing),
            ("Hằng tháng", R::Monthly),
            ("mỗi tháng", R::Monthly),
            ("Định kỳ tháng", R::Monthly),
            ("Tháng một lần", R::Monthly),
            ("trước ngày 15 hằng tháng", R::Monthly),
            ("Hằng quý", R::Quarterly),
            ("cuối quý", R::Quarterly),
            ("mỗi quý", R::Quarterly),
            ("Định kỳ quý", R::Quarterly),
            ("1 quý/lần", R::Quarterly),
            ("Quý một lần", R::Quarterly),
            ("Định kỳ 6 tháng", R::HalfYearly),
            ("Định kỳ 06 tháng", R::HalfYearly),
            ("mỗi sáu tháng", R::HalfYearly),
            ("Báo cáo 6 tháng đầu năm và hằng năm", R::Yearly),
            ("hằng năm", R::Yearly),
            ("mỗi năm", R::Yearly),
            ("Định kỳ năm", R::Yearly),
        ] {
            let d = Deadline::parse(phrase, day("2025-03-01"));
            assert_eq!(
                (d.kind, d.due, d.recurrence),
                (K::Recurring, None, Some(recurrence)),
                "{phrase:?}"
            );
            assert!(d.is_recurring());
            assert_eq!(d.due_iso(), None);
        }
    }

    #[test]
    fn deadlines_found_inside_sentences() {
        let r = day("2025-03-01");
        // (sentence, the phrase cut from it, kind, due)
        for (sentence, text, kind, due) in [
            (
                "Sở Nội vụ chủ trì, hoàn thành trong tháng 12/2025; báo cáo UBND tỉnh.",
                "hoàn thành trong tháng 12/2025",
                K::Month,
                "2025-12-31",
            ),
            (
                "Triển khai thực hiện trước ngày 31/12/2025, đồng thời báo cáo kết quả.",
                "trước ngày 31/12/2025",
                K::Date,
                "2025-12-31",
            ),
            (
                "Gửi báo cáo chậm nhất ngày 20.7.2025.",
                "chậm nhất ngày 20.7.2025",
                K::Date,
                "2025-07-20",
            ),
            (
                "Hoàn thành trước ngày 31/12/2025. Sau đó báo cáo năm 2026",
                "Hoàn thành trước ngày 31/12/2025",
                K::Date,
                "2025-12-31",
            ),
            (
                "Hoàn thành trước ngày 31/12/2025; quý I/2026 tổng kết",
                "Hoàn thành trước ngày 31/12/2025",
                K::Date,
                "2025-12-31",
            ),
            // a precise deadline beats an ongoing duty and a year, wherever it stands
            (
                "Thực hiện thường xuyên, báo cáo kết quả trước ngày 20/12/2025.",
                "trước ngày 20/12/2025",
                K::Date,
                "2025-12-20",
            ),
            (
                "Trong năm 2025 hoàn thành trước ngày 30/6/2025",
                "hoàn thành trước ngày 30/6/2025",
                K::Date,
                "2025-06-30",
            ),
            // among equals the first
            (
                "hoàn thành trước ngày 30/6/2025, chậm nhất ngày 15/7/2025",
                "hoàn thành trước ngày 30/6/2025",
                K::Date,
                "2025-06-30",
            ),
            ("Thực hiện trong năm 2026.", "trong năm 2026", K::Year, "2026-12-31"),
            // a long run of dates is cut at 90 characters
            (
                "trước ngày 15/3/2025 và 15/6/2025 và 15/9/2025 và 15/12/2025 và 15/3/2026 và 15/6/2026 và 15/9/2026",
                "trước ngày 15/3/2025 và 15/6/2025 và 15/9/2025 và 15/12/2025 và 15/3/2026 và 15/6/2026",
                K::Date,
                "2025-03-15",
            ),
        ] {
            let d = Deadline::find_in(sentence, r).unwrap_or_else(|| panic!("{sentence:?}"));
            let due = Some(day(due));
            assert_eq!((d.text.as_str(), d.kind, d.due), (text, kind, due), "{sentence:?}");
        }
        for (sentence, text, recurrence) in [
            ("Các sở báo cáo định kỳ.", "định kỳ", R::Ongoing),
            ("Định kỳ hằng quý báo cáo", "Định kỳ hằng quý", R::Quarterly),
            (
                "Thực hiện thường xuyên; báo cáo trước khi họp",
                "thường xuyên",
                R::Ongoing,
            ),
        ] {
            let d = Deadline::find_in(sentence, r).unwrap_or_else(|| panic!("{sentence:?}"));
            assert_eq!((d.text.as_str(), d.recurrence), (text, Some(recurrence)));
        }
        // "tháng Năm" (May) is no yearly duty
        let may = Deadline::find_in("Triển khai trong tháng Năm 2025", r).unwrap();
        assert!(!may.is_recurring(), "{may:?}");
        assert!(Deadline::find_in("Trước khi họp, các sở rà soát", r).is_none());
        assert!(Deadline::find_in("ban hành kế hoạch trước 2026", r).is_none());
    }

    #[test]
    fn stored_kinds_print_and_read_back() {
        for (k, code, label) in [
            (K::Date, "date", "Ngày cụ thể"),
            (K::Month, "month", "Tháng"),
            (K::Quarter, "quarter", "Quý"),
            (K::Year, "year", "Năm"),
            (K::Recurring, "recurring", "Định kỳ / thường xuyên"),
            (K::Dependent, "dependent", "Theo kế hoạch / phụ thuộc"),
            (K::None, "none", "Không có thời hạn"),
        ] {
            assert_eq!((k.as_str(), k.label()), (code, label));
            assert_eq!(DeadlineKind::parse(code), Some(k));
        }
        assert_eq!(DeadlineKind::parse("week"), None);
        // (recurrence, code, label, period of 31/12/2025, period of 10/06/2025)
        for (r, code, label, december, june) in [
            (R::Monthly, "monthly", "Hằng tháng", "2025-12", "2025-06"),
            (R::Quarterly, "quarterly", "Hằng quý", "2025-Q4", "2025-Q2"),
            (R::Yearly, "yearly", "Hằng năm", "2025", "2025"),
            (
                R::HalfYearly,
                "half_yearly",
                "Định kỳ 6 tháng",
                "2025-H2",
                "2025-H1",
            ),
            (R::Ongoing, "ongoing", "Thường xuyên", "2025-12", "2025-06"),
        ] {
            assert_eq!((r.as_str(), r.label()), (code, label));
            assert_eq!(Recurrence::parse(code), Some(r));
            assert_eq!(r.period_of(day("2025-12-31")), december);
            assert_eq!(r.period_of(day("2025-06-10")), june);
        }
        assert_eq!(Recurrence::parse("weekly"), None);
        // a parsed deadline stored and read back is the same deadline
        for phrase in [
            "Quý IV/2025",
            "Thường xuyên",
            "trước ngày 31/12/2025",
            "Theo kế hoạch",
        ] {
            let d = Deadline::parse(phrase, day("2025-03-01"));
            let stored = Deadline::new(
                &d.text,
                DeadlineKind::parse(d.kind.as_str()).unwrap(),
                d.due_iso().map(|s| day(&s)),
                d.recurrence.map(|r| Recurrence::parse(r.as_str()).unwrap()),
            );
            assert_eq!(stored, d);
            assert_eq!(stored.is_recurring(), phrase == "Thường xuyên");
        }
        assert_eq!(
            Deadline::parse("Quý IV/2025", day("2025-03-01"))
                .due_iso()
                .as_deref(),
            Some("2025-12-31")
        );
    }

    #[test]
    fn what_is_not_read_as_a_deadline() {
        let r = day("2025-03-01");
        // a day and month with no deadline word before it stays for the reviewer (it may be
        // a document's number), and reading it does not fail at the start of the phrase
        // nor is a date whose year is garbled: it is not guessed
        for phrase in ["15/3 hoặc sớm hơn", "15/3", "trước ngày 31/12/20x5"] {
            assert_eq!(Deadline::parse(phrase, r).kind, K::Dependent, "{phrase:?}");
        }
        // no deadline is ever read in a year before 1900 from numbers that are no year
        for phrase in [
            "Trong tháng 3, 4",
            "tháng 12/24",
            "Tháng 13",
            "tháng 6 năm 25",
        ] {
            let d = Deadline::parse(phrase, r);
            assert!(
                d.due.is_none_or(|d| d.year() >= 1900),
                "{phrase:?} → {:?}",
                d.due
            );
        }
        // "định" and "kỳ" are date words only together
        let d =
            Deadline::find_in("Hoàn thành trước ngày 31/12/2025 và định kỳ báo cáo", r).unwrap();
        assert_eq!(d.text, "Hoàn thành trước ngày 31/12/2025");
        let d = Deadline::find_in("Báo cáo trước ngày 15/12/2025 cho kỳ họp cuối năm", r).unwrap();
        assert_eq!(d.text, "trước ngày 15/12/2025");
        // a phrase is cut at 90 bytes, never inside a character (here a dash)
        let long = "trước ngày 15/3/2025 và 15/6/2025 và 15/9/2025 và 15/12/2025 và 15/3/2026 và 15/6/2026 và–15/9/2026";
        let d = Deadline::find_in(long, r).unwrap();
        assert_eq!(
            d.text,
            "trước ngày 15/3/2025 và 15/6/2025 và 15/9/2025 và 15/12/2025 và 15/3/2026 và 15/6/2026"
        );
    }
}
