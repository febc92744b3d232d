//! Tasks written as prose: "Giao Sở X chủ trì, phối hợp với … thực hiện …, hoàn thành
//! trước ngày …", "- Sở X: …" or "- Sở X tham mưu …" paragraphs, numbered requests under a
//! heading that names the units ("1. Các cơ quan hành chính thuộc UBND tỉnh"), "Đề nghị /
//! Yêu cầu <units> …". A sentence is a task only when a unit owes it; legal bases, quoted
//! texts, approvals, permissions, narration and closing formulas are not tasks.

use chrono::NaiveDate;

use super::units::{names_an_organisation, Registry, UnitRef};
use super::{clean_title, ProposedTask, Source};
use crate::deadline::Deadline;
use crate::text::fold;

/// A paragraph once wrapped lines are joined, with its list marker and nesting level.
#[derive(Debug)]
pub struct Para {
    /// 0: roman numeral, 1: "1.", 2: "1.1.", 3: "a)", "(1)", 4: "-", "+", "•"; 9: no marker.
    level: u8,
    pub(super) text: String,
}

/// The list marker a line starts with: its level and its length in bytes.
fn marker(t: &str) -> Option<(u8, usize)> {
    let first = t.chars().next()?;
    if matches!(first, '-' | '+' | '•' | '*' | '–' | '—' | '\u{f0b7}') {
        let len = first.len_utf8();
        return t[len..].starts_with(' ').then_some((4, len + 1));
    }
    let head: String = t.chars().take_while(|c| !c.is_whitespace()).collect();
    // "(1) Bộ Công an:", "(a) …": a number or a letter in parentheses
    if let Some(inner) = head.strip_prefix('(').and_then(|h| h.strip_suffix(')')) {
        let numbered =
            !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit());
        let lettered = inner.chars().count() == 1 && inner.chars().all(|c| c.is_lowercase());
        if (numbered || lettered) && head.len() < t.len() {
            return Some((3, head.len()));
        }
    }
    let h = head.trim_end_matches([')', '.', ':']);
    let closed = head.ends_with('.') || head.ends_with(')');
    if !closed || h.is_empty() || head.len() == t.len() {
        return None;
    }
    if h.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) && h.len() <= 4 {
        return Some((0, head.len()));
    }
    let parts: Vec<&str> = h.split('.').collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Some((if parts.len() == 1 { 1 } else { 2 }, head.len()));
    }
    if h.chars().count() == 1 && h.chars().all(|c| c.is_lowercase()) && head.ends_with(')') {
        return Some((3, head.len()));
    }
    None
}

/// Whether a line starts a list item ("1.", "a)", "- ", "II.").
pub fn starts_list(t: &str) -> bool {
    marker(t).is_some()
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['.', ':', ';', '!', '?', '”', '"', '|'])
}

/// Joins lines wrapped inside a paragraph (PDF copies, web pages): a line continues the
/// previous one unless it starts a list item or the previous one ended a sentence.
pub fn paragraphs(lines: &[String]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    // Some copies separate paragraphs by blank lines and wrap lines inside them (web pages
    // as markdown); there a line right under another goes on with it, however short the one
    // above. Text with no blank lines, or a blank after every line (PDF), says nothing.
    let filled: Vec<usize> = (0..lines.len().saturating_sub(1))
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let before_blank = filled
        .iter()
        .filter(|&&i| lines[i + 1].trim().is_empty())
        .count();
    let blank_separated =
        filled.len() >= 20 && (0.15..=0.6).contains(&(before_blank as f64 / filled.len() as f64));
    let mut blank_before = true;
    let mut last_line_len = 0;
    let mut last_hashed = false;
    for raw in lines {
        let t = raw.trim();
        if t.is_empty() {
            blank_before = true;
            continue;
        }
        let starts_lower = t.chars().next().is_some_and(|c| c.is_lowercase());
        let m = marker(t);
        // A short line followed by a capital is a heading ("1. Về làm sạch dữ liệu"), not
        // a sentence wrapped at the page's width.
        // A line that stops on a comma or a word that cannot end a phrase ("các", "của",
        // "và"…) goes on below, however short (web copies wrap their first lines early).
        let cut_short = out.last().is_some_and(|p| open_ended(&p.text));
        let heading_before = last_line_len < 50 && !starts_lower && !cut_short && !blank_separated;
        // a markdown heading ("# source: …", "## Văn bản liên quan") stands alone
        let hashed = t.starts_with('#');
        let continues = m.is_none()
            && !hashed
            && !last_hashed
            && out.last().is_some_and(|p| {
                // "…qua phân tích dữ liệu;" / "kiên quyết từ chối …": one item goes on
                let goes_on = starts_lower && p.text.trim_end().ends_with([';', ',']);
                goes_on
                    || (!ends_sentence(&p.text)
                        && (starts_lower || (!blank_before && !heading_before)))
            });
        last_line_len = t.chars().count();
        last_hashed = hashed;
        if continues {
            if let Some(p) = out.last_mut() {
                // A word cut by the line end ("tỉ" / "nh"): a piece without a vowel is no
                // Vietnamese syllable, so the two halves are one word.
                let first = t.split_whitespace().next().unwrap_or("");
                let last = p.text.split_whitespace().last().unwrap_or("");
                if !(has_vowel(first) && has_vowel(last)) {
                    p.text.push_str(t);
                } else {
                    p.text.push(' ');
                    p.text.push_str(t);
                }
            }
        } else {
            let (level, skip) = m.unwrap_or((9, 0));
            let body = if level == 9 { t } else { t[skip..].trim() };
            let text = if level == 9 {
                body.to_string()
            } else {
                format!("{} {body}", t[..skip].trim())
            };
            out.push(Para { level, text });
        }
        blank_before = false;
    }
    out
}

/// Words that never end a heading or a sentence: a line ending on one is cut mid-phrase.
const CONNECTORS: &[&str] = &[
    "cac", "cua", "va", "voi", "cho", "tai", "trong", "ve", "theo", "de", "la", "duoc", "nhung",
    "mot", "cung", "hoac", "tu", "den", "o", "nham", "nhu", "tren", "duoi", "ngay", "thang",
    "phoi", "chu", "khi", "sau", "truoc", "bao", "dam",
];

fn open_ended(t: &str) -> bool {
    let t = t.trim_end();
    if t.ends_with(',') {
        return true;
    }
    let last = t.rsplit(' ').next().unwrap_or("");
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.iter().filter(|c| c.is_uppercase()).count();
    // a heading in capitals ends where it ends
    capitals * 2 < letters.len() && CONNECTORS.contains(&fold(last).as_str())
}

fn has_vowel(w: &str) -> bool {
    fold(w)
        .chars()
        .any(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
        || w.chars().any(|c| !c.is_alphabetic())
}

/// The text of a paragraph without its list marker.
fn body(p: &Para) -> &str {
    if p.level == 9 {
        return &p.text;
    }
    marker(&p.text)
        .map(|(_, n)| p.text[n..].trim())
        .unwrap_or(&p.text)
}

/// Beginnings of sentences that never assign work.
const NOT_TASKS: &[&str] = &[
    "can cu",
    "noi nhan",
    "luu vt",
    "luu y",
    "kinh gui",
    "nhu tren",
    "dong y",
    "thong nhat",
    "chap thuan",
    "ve viec",
    "v v ",
    "tm ",
    "kt ",
    "thuc hien ke hoach",
    "thuc hien chi thi",
    "thuc hien quyet dinh",
    "thuc hien cong van",
    "thuc hien thong bao",
    "de chuan bi",
    "nham ",
    "muc tieu",
];

/// The context level of a heading without a list marker: above every list level, and
/// closed by the next plain paragraph.
const UNMARKED: u8 = 0;

/// Headings of sections that set goals or assess, where no task is given.
const OBJECTIVE_HEADINGS: &[&str] = &[
    "muc tieu",
    "muc dich",
    "yeu cau",
    "chi tieu",
    "quan diem",
    "danh gia",
    "ket qua dat duoc",
    "ket qua thuc hien",
    "tinh hinh",
    "can cu",
];

/// Phrases of closing formulas, permissions and narration.
const NOT_TASK_PHRASES: &[&str] = &[
    "nghiem tuc trien khai",
    "nghiem tuc thuc hien",
    "trong qua trinh thuc hien neu co kho khan",
    "neu co vuong mac",
    "co the ",
    "duoc phep",
    "da ban hanh",
    "vua ban hanh",
    "den nay",
    "quan tam phoi hop",
    "quan tam trien khai",
    "quan tam thuc hien",
    "quan tam chi dao",
    "chiu trach nhiem thi hanh",
    "chiu trach nhiem truoc",
    "biet thuc hien",
    "co hieu luc",
    "can cu nhiem vu duoc giao",
    "can cu chuc nang nhiem vu",
];

/// Words after a unit that mean it is not being given work ("được giao làm cơ quan thường
/// trực", "đã ban hành").
const PASSIVE: &[&str] = &[
    "duoc ",
    "da ",
    "dang ",
    "vua ",
    "la ",
    "gom ",
    "co chuc nang",
    "ban hanh ke hoach",
    "ban hanh quyet dinh",
];

/// Verbs that hand work to the units that follow them.
const ASSIGNING: &[&str] = &["giao cho ", "giao ", "de nghi ", "yeu cau ", "chi dao "];

fn is_excluded(f: &str) -> bool {
    NOT_TASKS.iter().any(|p| f.starts_with(p)) || NOT_TASK_PHRASES.iter().any(|p| f.contains(p))
}

/// Sentences of a paragraph: a full stop followed by a capital starts a new one.
fn sentences(t: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = t.as_bytes();
    for (i, c) in t.char_indices() {
        if c == '.' && i + 2 < t.len() && b[i + 1] == b' ' {
            let next = t[i + 2..].chars().next();
            if next.is_some_and(|n| n.is_uppercase()) {
                out.push(t[start..=i].trim());
                start = i + 2;
            }
        }
    }
    if start < t.len() {
        out.push(t[start..].trim());
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

fn only_units(reg: &Registry, t: &str) -> bool {
    reg.leading_units(t).is_some_and(|(_, end)| {
        t[end..]
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .is_empty()
    })
}

/// The units a heading names: "2. Sở Y tế Hà Nội", "1. Bảo hiểm xã hội thành phố Hà Nội",
/// "3. Các sở, ban, ngành": the unit part of it, when nothing but a place follows.
fn heading_units(reg: &Registry, t: &str) -> Option<String> {
    let t = t.trim();
    if only_units(reg, t) {
        return Some(t.to_string());
    }
    // "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý các Khu công nghiệp tỉnh)": a
    // role, and the units that hold it in parentheses.
    if let (Some(open), true) = (t.find('('), t.ends_with(')')) {
        let inside = &t[open + 1..t.len() - 1];
        let head = fold(&t[..open]);
        if !ACTIONS.iter().any(|a| head.starts_with(a))
            && t[..open].split_whitespace().count() <= 8
            && reg.resolve(inside).iter().any(|u| u.unit.is_some())
        {
            return Some(inside.trim().to_string());
        }
    }
    if t.split_whitespace().count() > 16 || t.contains(['.', ';']) {
        return None;
    }
    let place = |rest: &str| {
        rest.split_whitespace().all(|w| {
            w.starts_with(char::is_uppercase)
                || ["tinh", "thanh", "pho", "tp", "tren", "dia", "ban", "(", ")"]
                    .contains(&fold(w).as_str())
        })
    };
    if let Some((units, end)) = reg.leading_units(t) {
        if !is_province(reg, &units) && place(&t[end..]) {
            return Some(t[..end].trim().to_string());
        }
        // "Sở Tài chính (cơ quan chủ trì)", "Công an Thành phố, Bộ Tư lệnh Thành phố": units
        // and other bodies, no work asked.
        let bare: String = {
            let mut out = String::new();
            let mut depth = 0;
            for c in t.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let fb = fold(&bare);
        if !is_province(reg, &units)
            && !ACTIONS.iter().any(|a| fb.contains(a))
            && bare.split_whitespace().count() <= 12
        {
            return Some(bare.trim().trim_end_matches([',', ':']).to_string());
        }
    }
    // A body outside the registry, named alone: no verb follows its name.
    let f = fold(t);
    (names_an_organisation(t)
        && !ACTIONS.iter().any(|a| f.contains(a))
        && t.split_whitespace().count() <= 12)
        .then(|| t.to_string())
}

fn is_province(reg: &Registry, units: &[UnitRef]) -> bool {
    units
        .iter()
        .all(|u| u.unit.as_deref() == Some(reg.province_code.as_str()))
}

/// Whether the units are the province or the body that issues the document: the issuer
/// asking ("Sở Nội vụ đề nghị …") is not the issuer being given work.
fn is_issuer(reg: &Registry, issuer: Option<&str>, units: &[UnitRef]) -> bool {
    is_province(reg, units)
        || (issuer.is_some() && units.iter().all(|u| u.unit.as_deref() == issuer))
}

/// Header text run together (national motto, "Số: …"), or a line in capitals.
fn is_header_text(t: &str) -> bool {
    let f = fold(t);
    if f.contains("cong hoa xa hoi") || f.contains("doc lap tu do") {
        return true;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 10
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 > letters.len() * 6
}

/// "phối hợp (với) <units>" inside a clause: the coordinating units and the clause without
/// that phrase.
fn coordinators(reg: &Registry, clause: &str) -> (Vec<UnitRef>, String) {
    let (f, map) = crate::text::fold_mapped(clause);
    for key in [
        "phoi hop voi ",
        "phoi hop cung ",
        "phoi hop ",
        "cung voi ",
        "cung ",
    ] {
        let mut from = 0;
        while let Some(pos) = f[from..].find(key) {
            let at = from + pos;
            from = at + key.len();
            let after = map[at + key.len()];
            if let Some((units, end)) = reg.leading_units(&clause[after..]) {
                if is_province(reg, &units) {
                    continue;
                }
                // "Sở X phối hợp với Sở Y thực hiện …": the task is "thực hiện …"; elsewhere
                // the phrase is part of what is asked and stays in the title.
                let at_start = clause[..map[at]]
                    .trim()
                    .trim_matches([',', '-', ':'])
                    .trim()
                    .is_empty();
                let rest = if at_start {
                    clause[after + end..]
                        .trim_start_matches([',', ' '])
                        .to_string()
                } else {
                    clause.to_string()
                };
                return (units, rest);
            }
        }
    }
    (vec![], clause.to_string())
}

/// Verbs that end such a name: what the body is asked to do.
const ACTIONS: &[&str] = &[
    "chu tri",
    "phoi hop",
    "tham muu",
    "theo doi",
    "tong hop",
    "huong dan",
    "trien khai",
    "xay dung",
    "thuc hien",
    "bao cao",
    "ra soat",
    "to chuc",
    "kiem tra",
    "don doc",
    "cap nhat",
    "hoan thien",
    "nghien cuu",
    "de xuat",
    "bo tri",
    "chi dao",
    "chuan bi",
    "dam bao",
    "tuyen truyen",
    "phan cong",
    "quan ly",
    "cung cap",
    "ho tro",
    "khan truong",
    "tiep tuc",
    "co trach nhiem",
    "chiu trach nhiem",
    "van hanh",
    "ket noi",
    "dau tu",
    "thong bao",
];

/// A body the registry does not know, named at the start of a clause up to its first
/// action verb: "Trung tâm Phục vụ hành chính công tỉnh theo dõi …". Kept as text, with no
/// unit, for the reviewer to settle.
fn outside_registry(t: &str) -> Option<(Vec<UnitRef>, usize)> {
    if !names_an_organisation(t) {
        return None;
    }
    // The name ends within a few words: no need to read a long clause further.
    let mut cut = t.len().min(300);
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    let t = &t[..cut];
    let (f, map) = crate::text::fold_mapped(t);
    let end = ACTIONS
        .iter()
        .filter_map(|a| {
            f.match_indices(a)
                .map(|(i, _)| i)
                .find(|&i| i > 0 && f.as_bytes()[i - 1] == b' ')
        })
        .min()?;
    let name = t[..map[end]].trim().trim_end_matches([',', ';']);
    let words = name.split_whitespace().count();
    ((2..=12).contains(&words) && !name.contains(['.', ':', ';']))
        .then(|| (vec![UnitRef::unknown(name)], map[end]))
}

/// Strips role words at the start of what a unit is asked to do.
fn action(rest: &str) -> String {
    let mut t = rest
        .trim_start_matches([' ', ',', ':', '-', '–'])
        .trim()
        .to_string();
    loop {
        let f = fold(&t);
        let mut cut = None;
        for w in [
            "co trach nhiem ",
            "chiu trach nhiem ",
            "chu tri ",
            "de nghi ",
            "yeu cau ",
        ] {
            if f.starts_with(w) {
                cut = Some(w.split(' ').filter(|x| !x.is_empty()).count());
            }
        }
        // "Tỉnh cần tập trung …", "các địa phương phải …": the duty's modal (with its marks:
        // "căn cứ" is no "cần")
        let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
        if cut.is_none() && (first == "cần" || first == "phải") && t.split_whitespace().count() > 3
        {
            cut = Some(1);
        }
        match cut {
            Some(n) => {
                let mut it = t.split_whitespace();
                for _ in 0..n {
                    it.next();
                }
                t = it.collect::<Vec<_>>().join(" ");
                t = t.trim_start_matches([',', ' ']).to_string();
            }
            None => break,
        }
    }
    t
}

/// The lead as the task will state it: the units named, or — when they are only a vague
/// "các cơ quan, đơn vị" — the units of the heading above or the dispatch's addressees.
fn lead_phrase(units: &[UnitRef], context: Option<&str>) -> String {
    let vague = units
        .iter()
        .all(|u| u.note.as_deref() == Some(super::units::GUESS));
    match context {
        Some(ctx) if vague => ctx.to_string(),
        _ => units
            .iter()
            .map(|u| u.text.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

struct Found {
    lead_text: String,
    coordinators: Vec<UnitRef>,
    title: String,
}

/// Finds who is given what in one clause; None when nobody is.
fn assignment(
    reg: &Registry,
    issuer: Option<&str>,
    clause: &str,
    context: Option<&str>,
    listed: bool,
) -> Option<Found> {
    if clause.trim_start().starts_with(['“', '"', '«']) {
        return None; // a quotation of another document
    }
    let mut clause = clause;
    // "Đồng ý chủ trương …; giao Sở X …": the approval is not a task, what follows may be.
    let f = fold(clause);
    if ["dong y", "thong nhat", "chap thuan"]
        .iter()
        .any(|p| f.starts_with(p))
    {
        clause = clause.split_once(';').map(|x| x.1.trim())?;
    }
    let f = fold(clause);
    if is_excluded(&f) || clause.trim_end().ends_with(':') || is_header_text(clause) {
        return None;
    }
    // "Sở X chủ trì …", "- Sở X: …", "Thủ trưởng các sở, ban, ngành … xây dựng …"
    let mut c = clause.trim();
    if let Some(rest) = c
        .strip_prefix("Đối với ")
        .or_else(|| c.strip_prefix("đối với "))
    {
        c = rest;
    }
    if let Some((units, end)) = reg.leading_units(c).or_else(|| outside_registry(c)) {
        let mut rest = &c[end..];
        // "Sở Nội vụ là cơ quan thường trực, có trách nhiệm theo dõi …", "… được giao làm
        // Cơ quan thường trực, chịu trách nhiệm điều phối …": the duty follows the designation.
        let (fr0, map0) = crate::text::fold_mapped(rest);
        let designated = fr0.trim_start();
        if designated.starts_with("la ") || designated.starts_with("duoc giao lam ") {
            if let Some(i) = [
                ", co trach nhiem",
                ", chiu trach nhiem",
                ", chu tri",
                ", thuc hien",
            ]
            .iter()
            .filter_map(|k| fr0.find(k))
            .min()
            {
                rest = &rest[map0[i + 1]..];
            }
        }
        let fr = fold(rest);
        // "Sở Nội vụ: Là cơ quan thường trực, chủ trì …" lists a duty, whatever its wording.
        let passive =
            !rest.trim_start().starts_with(':') && PASSIVE.iter().any(|p| fr.starts_with(p));
        // The issuer asking ("Sở Nội vụ đề nghị …") is not the issuer being given work.
        let issuer_asks = is_issuer(reg, issuer, &units)
            && [
                "de nghi",
                "yeu cau",
                "thong bao",
                "giao",
                "kinh gui",
                "tran trong",
            ]
            .iter()
            .any(|v| fr.trim_start().starts_with(v));
        if !is_province(reg, &units) && !issuer_asks && !passive {
            // "Sở Giáo dục và Đào tạo: Chủ trì, phối hợp triển khai …" lists the unit's duty
            // as written; "Sở X chủ trì xây dựng …" hands it work ("Xây dựng …").
            let listed_duty = rest.trim_start().strip_prefix(':').map(str::trim);
            let (coords, rest) = match listed_duty {
                Some(duty) if duty.split_whitespace().count() >= 3 => {
                    (coordinators(reg, duty).0, duty.to_string())
                }
                _ => coordinators(reg, &action(rest)),
            };
            let title = if listed_duty.is_some() {
                // a request's verb is no part of the duty ("Đề nghị bổ sung …")
                let f = fold(&rest);
                match ["de nghi ", "yeu cau ", "co trach nhiem "]
                    .iter()
                    .find(|w| f.starts_with(*w))
                {
                    Some(w) => action(
                        &rest
                            .split_whitespace()
                            .skip(w.split(' ').filter(|x| !x.is_empty()).count())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    None => rest,
                }
            } else {
                action(&rest)
            };
            if title.split_whitespace().count() >= 3 {
                return Some(Found {
                    lead_text: lead_phrase(&units, context),
                    coordinators: coords,
                    title,
                });
            }
        }
    }
    // "Giao Sở X …", "UBND tỉnh yêu cầu các địa phương …"
    let (ff, map) = crate::text::fold_mapped(c);
    for verb in ASSIGNING {
        let mut from = 0;
        while let Some(pos) = ff[from..].find(verb) {
            let at = from + pos;
            from = at + verb.len();
            if at > 0 && ff.as_bytes()[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let after = map[at + verb.len()];
            let Some((units, end)) = reg
                .leading_units(&c[after..])
                .or_else(|| outside_registry(&c[after..]))
            else {
                continue;
            };
            if is_province(reg, &units) {
                continue;
            }
            let lead_text = lead_phrase(&units, context);
            let (coords, rest) = coordinators(reg, &action(&c[after + end..]));
            let title = action(&rest);
            if title.split_whitespace().count() >= 3 {
                return Some(Found {
                    lead_text,
                    coordinators: coords,
                    title,
                });
            }
        }
    }
    // A request listed under a heading that names the units.
    if let (Some(ctx), true) = (context, listed) {
        let starts_with_date =
            f.starts_with("ngay ") && f[5..].starts_with(|ch: char| ch.is_ascii_digit());
        if !starts_with_date && c.split_whitespace().count() >= 4 {
            let (coords, _) = coordinators(reg, c);
            return Some(Found {
                lead_text: ctx.to_string(),
                coordinators: coords,
                title: c.to_string(),
            });
        }
    }
    None
}

/// "Đơn vị chủ trì: Sở Nội vụ" → the field it fills and its value. Several fields may
/// share a line: "Chủ trì: Sở Nội vụ; phối hợp: Văn phòng UBND tỉnh".
fn fields_of(line: &str) -> Vec<(super::tables::Role, String)> {
    use super::tables::{header_role, Role};
    let mut out = Vec::new();
    for part in line.split(';') {
        let Some((label, value)) = part.split_once(':') else {
            continue;
        };
        if label.chars().count() > 30 || label.contains('.') {
            continue;
        }
        if let Some(r @ (Role::Lead | Role::Coordinators | Role::Deadline | Role::Product)) =
            header_role(label.trim())
        {
            out.push((
                r,
                value.trim().trim_end_matches(['.', ';']).trim().to_string(),
            ));
        }
    }
    out
}

/// A numbered task followed by its labelled fields (the layout many plans use instead of
/// a table): the task, and how many paragraphs it took. Needs a lead field.
fn task_block(
    paras: &[Para],
    reg: &Registry,
    reference: NaiveDate,
) -> Option<(ProposedTask, usize)> {
    use super::tables::Role;
    let head = paras.first()?;
    if head.level == 9 {
        return None;
    }
    let mut used = 1;
    // "- Rà soát …", "- Tổ chức …", then "Đơn vị chủ trì: …": the fields close the block
    // of items above them, which is one task named by its first item.
    if head.level == 4 {
        let has_fields = |p: &Para| p.level >= 4 && !fields_of(body(p)).is_empty();
        let items = paras[1..]
            .iter()
            .take(8)
            .take_while(|p| p.level == 4 && !has_fields(p))
            .count();
        if !paras.get(1 + items).is_some_and(has_fields) {
            return None;
        }
        used += items;
    }
    let (mut lead, mut coordinators, mut deadline, mut product) =
        (String::new(), String::new(), String::new(), String::new());
    let mut fill = |fields: Vec<(Role, String)>| {
        for (role, value) in fields {
            let slot = match role {
                Role::Lead => &mut lead,
                Role::Coordinators => &mut coordinators,
                Role::Deadline => &mut deadline,
                _ => &mut product,
            };
            if slot.is_empty() {
                *slot = value;
            }
        }
    };
    // The fields may follow the title in the same paragraph: "1. Hoàn thiện …. Đơn vị chủ
    // trì: Sở X. Thời gian: Quý III/2026."
    let head_text = body(head);
    let parts = sentences(head_text);
    let mut title = head_text.to_string();
    if parts.len() > 1 {
        let inline: Vec<_> = parts[1..].iter().flat_map(|s| fields_of(s)).collect();
        if !inline.is_empty() {
            title = parts[0].to_string();
            fill(inline);
        }
    }
    for p in &paras[used..] {
        // A numbered item is the next task, never a field of this one.
        let fields = if p.level <= 3 {
            vec![]
        } else {
            fields_of(body(p))
        };
        if fields.is_empty() {
            break;
        }
        fill(fields);
        used += 1;
    }
    // "Triển khai … (Sở Công Thương chủ trì, thực hiện trong năm 2026)".
    if lead.is_empty() {
        let t = head_text.trim_end().trim_end_matches(['.', ';']);
        if let (Some(open), true) = (t.rfind('('), t.ends_with(')')) {
            let inside = &t[open + 1..t.len() - 1];
            let (fi, _) = crate::text::fold_mapped(inside);
            if let Some((_, end)) = reg.leading_units(inside) {
                let role = fold(&inside[end..]);
                if ["chu tri", "thuc hien", "phu trach"]
                    .iter()
                    .any(|r| role.starts_with(r))
                {
                    lead = inside[..end].trim().to_string();
                    title = t[..open].trim().to_string();
                    if let Some(d) = Deadline::find_in(&inside[end..], reference) {
                        deadline = d.text;
                    } else if fi.contains("thuong xuyen") {
                        deadline = "Thường xuyên".into();
                    }
                }
            }
        }
    }
    if lead.is_empty() {
        return None;
    }
    // "Sở Nội vụ chủ trì, phối hợp với các sở, ngành …" in one field: both roles.
    let (lead, coordinators) = super::tables::split_roles(&lead, &coordinators);
    if lead.trim().is_empty() {
        return None;
    }
    // "- Nội dung: Triển khai …": the field's label is no part of the title.
    if let Some((label, rest)) = title.split_once(':') {
        if label.chars().count() <= 30
            && matches!(
                super::tables::header_role(label.trim()),
                Some(super::tables::Role::Title)
            )
            && !rest.trim().is_empty()
        {
            title = rest.trim().to_string();
        }
    }
    // "- Các cơ quan, đơn vị tiếp tục …" under "Đơn vị thực hiện: …": the work is the title.
    if let Some((_, end)) = reg.leading_units(&title) {
        let rest = action(&title[end..]);
        if rest.split_whitespace().count() >= 3 {
            title = rest;
        }
    }
    Some((
        ProposedTask::new(
            String::new(),
            clean_title(&title),
            &lead,
            &coordinators,
            Deadline::parse(&deadline, reference),
            product,
            reg,
            Source::Prose,
        ),
        used,
    ))
}

/// "… giao Sở X xây dựng …; Sở Y bố trí …; Sở Z tuyên truyền …": a sentence that hands work
/// to several units in turn, cut where a part after ";" opens with a unit.
fn split_at_units<'a>(reg: &Registry, sentence: &'a str) -> Vec<&'a str> {
    if sentence.trim_start().starts_with(['“', '"', '«']) {
        return vec![sentence]; // a quotation stays whole, and is no task
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in sentence.match_indices(';') {
        let next = sentence[i + 1..].trim_start();
        if reg
            .leading_units(next)
            .is_some_and(|(u, _)| u.iter().any(|x| x.unit.is_some()))
        {
            out.push(sentence[start..i].trim());
            start = i + 1;
        }
    }
    out.push(sentence[start..].trim());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Openings of sentences that tell what happened or is, not what to do.
fn narrative(f: &str) -> bool {
    [
        "tuy nhien",
        "thoi gian qua",
        "hien nay",
        "trong nam",
        "trong thoi gian",
        "nam ",
        "qua ",
        "ket qua",
        "tinh den",
        "ngay ",
        "sau khi",
        "de ",
        "voi ",
        "nhu vay",
        "theo ",
        "trong do",
        "cu the",
        "vi ",
        "do ",
        "neu ",
        "truong hop",
        "ve ",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || is_excluded(f)
}

/// The deadline an item gives its task: a date, month, quarter or year anywhere in it, but a
/// period ("thường xuyên", "hằng năm") only in its first sentence — further on it qualifies
/// something said there ("Thường xuyên phối hợp, trao đổi thông tin …", "Kế hoạch … hằng năm").
fn own_deadline(item: &str, reference: NaiveDate) -> Option<Deadline> {
    let d = Deadline::find_in(item, reference)?;
    if d.kind != crate::deadline::DeadlineKind::Recurring {
        return Some(d);
    }
    let parts = sentences(item);
    if parts.len() <= 1 {
        return Some(d);
    }
    Deadline::find_in(parts[0], reference).or_else(|| {
        // a last sentence that is only the time: "Thời gian: thường xuyên."
        let last = parts[parts.len() - 1];
        (last.split_whitespace().count() <= 6)
            .then(|| Deadline::find_in(last, reference))
            .flatten()
    })
}

/// A title that is only a date or a name of a day ("Ngày 18 tháng 02 năm 2025"): narration
/// cut short, no work.
fn only_a_date(title: &str) -> bool {
    let f = fold(title);
    f.starts_with("ngay ")
        && f[5..].starts_with(|c: char| c.is_ascii_digit())
        && title.split_whitespace().count() <= 7
}

fn task_of(found: Found, deadline: Deadline, reg: &Registry) -> ProposedTask {
    let coord_text = found
        .coordinators
        .iter()
        .map(|u| u.text.clone())
        .collect::<Vec<_>>()
        .join("; ");
    ProposedTask::new(
        String::new(),
        clean_title(&found.title),
        &found.lead_text,
        &coord_text,
        deadline,
        String::new(),
        reg,
        Source::Prose,
    )
}

/// Items numbered "(1)", "(2)"… inside one paragraph, and the lead they share: the units
/// the paragraph opens with, else the heading's. None without at least two such items.
fn inline_items<'a>(
    reg: &Registry,
    text: &'a str,
    context: Option<&str>,
) -> Option<(String, Vec<&'a str>)> {
    let mut starts = Vec::new();
    let mut n = 1;
    let mut from = 0;
    while let Some(pos) = text[from..].find(&format!("({n})")) {
        let at = from + pos;
        // an item opens a clause: at the start, or after ":", ";", "." or ","
        let before = text[..at].trim_end();
        if !(before.is_empty() || before.ends_with([':', ';', '.', ','])) {
            break;
        }
        starts.push(at);
        from = at + 3;
        n += 1;
    }
    if starts.len() < 2 {
        return None;
    }
    let prefix = text[..starts[0]]
        .trim()
        .trim_end_matches([':', ';', ','])
        .trim();
    let lead = match reg
        .leading_units(prefix)
        .or_else(|| outside_registry(prefix))
    {
        Some((_, end)) if end > 0 => prefix[..end].trim().to_string(),
        _ if prefix.split_whitespace().count() <= 12 && !prefix.is_empty() => {
            if reg.resolve(prefix).iter().any(|u| u.name.is_some()) {
                prefix.to_string()
            } else {
                context?.to_string()
            }
        }
        _ => context?.to_string(),
    };
    let items = starts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            let item = &text[a..end];
            item[item.find(')').map_or(0, |i| i + 1)..]
                .trim()
                .trim_end_matches([';', ','])
        })
        .collect();
    Some((lead, items))
}

/// Reads the tasks of the document's prose. `default_context` names the addressees of a
/// dispatch: its listed requests are theirs unless a heading says otherwise.
/// The tasks of the prose, read from its `paragraphs` (which the reader's leftover pass reads
/// too).
pub fn tasks_from_prose(
    paras: &[Para],
    reg: &Registry,
    reference: NaiveDate,
    default_context: Option<&str>,
    issuer: Option<&str>,
    addressees: &[String],
) -> Vec<ProposedTask> {
    let mut out: Vec<ProposedTask> = Vec::new();
    // Headings that name units, by level: their items are those units' tasks.
    let mut context: Vec<(u8, String)> = Vec::new();
    let mut skipping = false;
    let mut last_was_task = false;
    let mut consumed = 0;
    let mut objectives: Option<u8> = None;
    let mut body_started = false;
    let mut details_under: Option<u8> = None;
    let mut after_heading = false;
    let mut in_addressees = false;
    for (idx, p) in paras.iter().enumerate() {
        if idx < consumed {
            continue; // a field line of a task block read below
        }
        let text = body(p);
        let f = fold(text);
        // The "Kính gửi:" block names who receives the document, not who owes what.
        let bare = text.trim().trim_end_matches([';', '.', ',']).trim();
        body_started |= text.chars().count() >= 150;
        if f.starts_with("kinh gui") {
            in_addressees = true;
            continue;
        }
        // the addressees' lines under it, up to the first sentence of the body
        if in_addressees {
            let short = text.chars().count() < 200 && text.trim_end().ends_with([';', '.', ',']);
            if p.level == 4 || (p.level == 9 && short && !body_started) {
                continue;
            }
            in_addressees = false;
        }
        if !body_started && p.level >= 4 && addressees.iter().any(|a| a.as_str() == bare) {
            continue;
        }
        // "1. Rà soát …" then "- Đơn vị chủ trì: …", "- Thời gian thực hiện: …": one task.
        if let Some((task, used)) = task_block(&paras[idx..], reg, reference) {
            out.push(task);
            consumed = idx + used;
            last_was_task = true;
            continue;
        }
        if f.starts_with("noi nhan") {
            skipping = true;
            continue;
        }
        if skipping {
            if f.starts_with("phu luc")
                || p.level <= 1 && text.chars().filter(|c| c.is_lowercase()).count() > 20
            {
                skipping = false;
            } else {
                continue;
            }
        }
        // A list item closes the headings at its level and below; a plain paragraph keeps
        // them ("Do đó, yêu cầu …" goes on with the heading's units).
        if p.level < 9 {
            context.retain(|(l, _)| *l < p.level);
            if objectives.is_some_and(|l| p.level <= l) {
                objectives = None;
            }
            // Objectives, requirements and assessments state what should be, not who owes
            // what: "- Các sở, ngành hoàn thành 100% …" under "Mục tiêu" is no task.
            // (a dispatch's "Yêu cầu chung" are its instructions, not a plan's requirements)
            let dispatch_request = default_context.is_some() && f.starts_with("yeu cau");
            if OBJECTIVE_HEADINGS.iter().any(|h| f.starts_with(h))
                && !dispatch_request
                && f.split(' ').count() <= 5
                && !reg.resolve(text).iter().any(|u| u.unit.is_some())
            {
                objectives = Some(p.level);
                last_was_task = false;
                continue;
            }
        }
        if objectives.is_some() {
            continue;
        }
        // The items under a task that listed what it covers are its details.
        match details_under {
            Some(l) if p.level > l && p.level < 9 => continue,
            Some(_) => details_under = None,
            None => {}
        }
        // A plain paragraph ends the list under an unmarked heading ("Công an tỉnh:").
        if p.level == 9 && !text.trim_end().ends_with(':') {
            context.retain(|(l, _)| *l != UNMARKED);
        }
        // A heading that names units: "4. Sở Thông tin và Truyền thông", "2. Đối với các cơ
        // quan thường trực …", "Các sở, ngành liên quan được phân công nhiệm vụ cụ thể:".
        let stripped = text
            .strip_prefix("Đối với ")
            .or_else(|| text.strip_prefix("đối với "))
            .unwrap_or(text)
            .trim_end_matches([':', '.', ';']);
        let named = (p.level < 9)
            .then(|| heading_units(reg, stripped))
            .flatten();
        let is_heading = p.level < 9
            && (named.is_some() || text.starts_with("Đối với ") || text.starts_with("đối với "));
        let colon_heading = text.trim_end().ends_with(':');
        // "a) Tham mưu UBND tỉnh trình HĐND tỉnh quyết định:" under a unit's heading, over
        // the points it covers: one task, its items the details.
        if colon_heading && !is_heading && p.level < 9 && !context.is_empty() {
            let work = text.trim_end().trim_end_matches(':');
            let fw = fold(work);
            if ACTIONS.iter().any(|a| fw.starts_with(a)) && work.split_whitespace().count() >= 6 {
                let lead = context.last().map(|(_, c)| c.clone()).unwrap_or_default();
                if let Some(found) = assignment(reg, issuer, work, Some(&lead), true) {
                    let deadline = Deadline::find_in(work, reference).unwrap_or_else(|| {
                        Deadline::new("", crate::deadline::DeadlineKind::None, None, None)
                    });
                    out.push(task_of(found, deadline, reg));
                    details_under = Some(p.level);
                    last_was_task = true;
                    continue;
                }
            }
        }
        if is_heading || colon_heading {
            let ctx = if is_heading {
                Some(named.unwrap_or_else(|| stripped.trim().to_string()))
            } else {
                // "Căn cứ tình hình thực tế, các cơ quan, đơn vị … thực hiện các hoạt động sau:"
                let f = fold(text);
                let after_basis = ["can cu", "tren co so", "theo chuc nang"]
                    .iter()
                    .any(|b| f.starts_with(b))
                    .then(|| text.find(',').map(|i| text[i + 1..].trim()))
                    .flatten();
                let own = after_basis.unwrap_or(text);
                reg.leading_units(own)
                    .filter(|(u, _)| !is_province(reg, u))
                    .map(|(_, end)| own[..end].trim().to_string())
                    .or_else(|| {
                        // "…, Chủ tịch UBND tỉnh yêu cầu các cơ quan, đơn vị chuẩn bị…:"
                        // A vague "các cơ quan, đơn vị" means the addressees when there are.
                        ["yeu cau ", "de nghi ", "giao "].iter().find_map(|v| {
                            let (fm, map) = crate::text::fold_mapped(text);
                            let at = fm.find(v)?;
                            let after = map[at + v.len()];
                            reg.leading_units(&text[after..])
                                .map(|(units, _)| lead_phrase(&units, default_context))
                        })
                    })
            };
            if let Some(ctx) = ctx {
                // The items under a heading may sit at its own level ("- Sở Nội vụ:" over
                // "- Chủ trì …") or anywhere below a heading that has no marker ("Công an
                // tỉnh:" over dashes): such headings count one level up, or at the top.
                let level = match p.level {
                    9 => UNMARKED,
                    l if colon_heading => l.saturating_sub(1),
                    l => l,
                };
                context.push((level, ctx));
                after_heading = true;
            }
            last_was_task = false;
            continue;
        }
        let ctx = context.last().map(|(_, c)| c.as_str()).or(default_context);
        // under a heading that names a unit, its plain sentences are that unit's work
        let under_unit = context
            .last()
            .is_some_and(|(_, c)| reg.leading_units(c).is_some() || outside_registry(c).is_some())
            && text.chars().count() < 800
            && (after_heading || last_was_task);
        // "a) Bộ Tài chính: (1) Chủ trì …; (2) Phân bổ …": numbered items inside one
        // paragraph, each a task of the lead named before them.
        if let Some((lead, items)) = inline_items(reg, text, ctx) {
            for item in items {
                let Some(found) = assignment(reg, issuer, item, Some(&lead), true) else {
                    continue;
                };
                let deadline = Deadline::find_in(item, reference).unwrap_or_else(|| {
                    Deadline::new("", crate::deadline::DeadlineKind::None, None, None)
                });
                out.push(task_of(found, deadline, reg));
            }
            last_was_task = true;
            continue;
        }
        let listed = p.level < 9 || !context.is_empty();
        let mut found_here = false;
        let clauses: Vec<&str> = if p.level < 9 {
            vec![text]
        } else {
            sentences(text)
                .into_iter()
                .flat_map(|s| split_at_units(reg, s))
                .collect()
        };
        for (k, clause) in clauses.iter().enumerate() {
            let later = clauses[k + 1..].join(" ");
            // "Căn cứ Kế hoạch này, Thủ trưởng các sở … xây dựng …": the basis is not the task.
            let mut clause: &str = clause;
            let fc = fold(clause);
            // "Thứ tư, các địa phương cần chủ động …": an ordinal opens the point, not the work
            let ordinal = [
                "thu nhat", "thu hai", "thu ba", "thu tu", "thu nam", "thu sau", "thu bay",
            ]
            .iter()
            .any(|o| fc.starts_with(o) && fc[o.len()..].starts_with(','));
            if fc.starts_with("can cu")
                || fc.starts_with("do do")
                || fc.starts_with("dong thoi")
                || fc.starts_with("ngoai ra")
                || ordinal
            {
                match clause.find(',') {
                    Some(i) if i < 80 => clause = clause[i + 1..].trim(),
                    _ if fc.starts_with("can cu") => continue,
                    _ => {}
                }
            }
            if let Some(found) = assignment(
                reg,
                issuer,
                clause,
                ctx,
                listed
                    && (p.level < 9
                        || fc.starts_with("do do")
                        // a plain sentence under a unit's heading that opens with what to do
                        || (!context.is_empty()
                            && (ACTIONS.iter().any(|a| fc.starts_with(a))
                                || (under_unit && k == 0 && !narrative(&fc))))),
            ) {
                let deadline = own_deadline(clause, reference)
                    .or_else(|| {
                        // A deadline in a later sentence that assigns nothing itself.
                        let own = sentences(&later)
                            .iter()
                            .any(|s| assignment(reg, issuer, s, None, false).is_some());
                        (!own)
                            .then(|| Deadline::find_in(&later, reference))
                            .flatten()
                    })
                    .unwrap_or_else(|| {
                        Deadline::new("", crate::deadline::DeadlineKind::None, None, None)
                    });
                out.push(task_of(found, deadline, reg));
                found_here = true;
            }
        }
        if !found_here && last_was_task {
            // "Kế hoạch … ban hành trước ngày 31 tháng 01 năm 2025." completes the task above.
            if let (Some(t), Some(d)) = (out.last_mut(), Deadline::find_in(text, reference)) {
                if t.deadline.kind == crate::deadline::DeadlineKind::None && p.level == 9 {
                    t.set_deadline(d);
                }
            }
        }
        last_was_task = found_here;
        after_heading = false;
    }
    out.retain(|t| !only_a_date(&t.title) && !only_a_role(reg, &t.title));
    out
}

/// "Chủ trì, phối hợp với các sở, ban, ngành và cơ quan, đơn vị có liên quan": the roles and
/// the units, and no work after them (the work is in the items below, or was cut).
fn only_a_role(reg: &Registry, title: &str) -> bool {
    let mut t = title.trim();
    for role in ["chủ trì", "phối hợp với", "phối hợp", "với"] {
        let f = fold(t);
        if f.starts_with(&fold(role)) {
            let n = role.split_whitespace().count();
            let skip: usize = t
                .split_whitespace()
                .take(n)
                .map(|w| w.len() + 1)
                .sum::<usize>()
                .min(t.len());
            t = t[skip..].trim_start_matches([',', ' ', ':']);
        }
    }
    if t.len() == title.trim().len() {
        return false; // no role at its start
    }
    match reg.leading_units(t) {
        Some((_, end)) => {
            let rest = fold(&t[end..]);
            let rest = rest
                .trim()
                .trim_start_matches("va ")
                .replace("co quan", "")
                .replace("don vi", "")
                .replace("co lien quan", "")
                .replace("lien quan", "");
            rest.split_whitespace().count() < 2
        }
        None => t.split_whitespace().count() < 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_join_and_markers_split() {
        let lines: Vec<String> = "Các sở, ngành liên quan được phân\ncông nhiệm vụ cụ thể:\n- Sở Khoa học\nvà Công nghệ\nchủ trì thiết kế hạ tầng.\n- Sở Nội vụ tham mưu."
            .lines()
            .map(str::to_string)
            .collect();
        let p = paragraphs(&lines);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(
            p[1].text,
            "- Sở Khoa học và Công nghệ chủ trì thiết kế hạ tầng."
        );
    }
}
