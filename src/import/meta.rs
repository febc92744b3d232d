//! A directive's metadata from its Decree 30 header (issuer, "Số: 404/KH-UBND", place and
//! date, type and summary, "Kính gửi", signature) or, for copies from news and law sites,
//! from their key–value tables and opening sentence.

use chrono::NaiveDate;

use super::units::{bare_province_name, province_names};
use crate::deadline::{Deadline, DeadlineKind};
use crate::text::fold;

/// A directive's metadata as read from its document; serialised as the `directive` of an
/// extraction.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Meta {
    pub kind: String,
    /// "Kế hoạch", "Thông báo kết luận"…
    pub kind_label: &'static str,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub issuer: String,
    pub signer: String,
    pub summary: String,
    pub addressees: Vec<String>,
    /// The 2025 code of the province the document comes from, when it says.
    pub province: Option<String>,
}

/// Type codes of document numbers (Decree 30, appendix III) and the kind they mean.
const TYPE_CODES: &[(&str, &str)] = &[
    ("KH", "plan"),
    ("TB", "notice"),
    ("QĐ", "decision"),
    ("QD", "decision"),
    ("QC", "regulation"),
    ("CT", "instruction"),
    ("HD", "guidance"),
    ("CTR", "plan"),
    ("KL", "notice"),
    ("BC", "report"),
];

const TYPE_WORDS: &[(&str, &str)] = &[
    ("ke hoach", "plan"),
    ("thong bao ket luan", "notice"),
    ("thong bao", "notice"),
    ("quyet dinh", "decision"),
    ("quy che", "regulation"),
    ("chi thi", "instruction"),
    ("huong dan", "guidance"),
    ("cong van", "dispatch"),
    ("chuong trinh", "plan"),
    ("bao cao", "report"),
];

fn is_number_token(t: &str) -> bool {
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    let Some(first) = t.chars().next() else {
        return false;
    };
    let Some((_, symbol)) = t.rsplit_once('/') else {
        return false;
    };
    first.is_ascii_digit()
        && symbol.chars().any(|c| c.is_uppercase())
        && symbol
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-' || c == 'đ')
}

fn clean_number(t: &str) -> String {
    t.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// The kind a number's symbol names: "404/KH-UBND" → plan; "3552/UBND-SNV" → dispatch.
pub fn kind_of_number(number: &str) -> Option<&'static str> {
    let symbol = number.rsplit_once('/')?.1;
    let code = symbol.split('-').next()?.to_uppercase();
    Some(
        TYPE_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, k)| *k)
            .unwrap_or("dispatch"),
    )
}

fn date_in(s: &str) -> Option<NaiveDate> {
    let f = fold(s);
    let ref_ = NaiveDate::from_ymd_opt(2000, 1, 1)?;
    // Only full dates with a year: a missing year cannot be guessed for a signature date.
    if !f.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4) {
        return None;
    }
    let d = Deadline::parse(s, ref_);
    (d.kind == DeadlineKind::Date).then_some(d.due).flatten()
}

/// A word in capitals ("KẾ", "HOẠCH"), or one without letters.
fn is_upper_word(w: &str) -> bool {
    w.chars().all(|c| !c.is_lowercase())
}

fn is_upper_line(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 9
}

const ACRONYMS: &[&str] = &[
    "UBND", "HĐND", "TTHC", "CCHC", "CĐS", "BCĐ", "PAKN", "DVC", "DVCTT", "KT-XH", "VNeID", "CNTT",
    "CSDL",
];

/// "KIỂM SOÁT THỦ TỤC HÀNH CHÍNH TỈNH ĐỒNG NAI NĂM 2025" → "Kiểm soát thủ tục hành chính
/// tỉnh Đồng Nai năm 2025": sentence case, acronyms and province names kept.
pub fn sentence_case(s: &str) -> String {
    if !is_upper_line(s) {
        return s.to_string();
    }
    let mut out: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            if ACRONYMS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(bare) || *a == bare)
                || bare.contains('/')
            {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    if let Some(first) = out.first_mut() {
        let mut c = first.chars();
        if let Some(h) = c.next() {
            *first = h.to_uppercase().collect::<String>() + c.as_str();
        }
    }
    let mut joined = out.join(" ");
    // Province names take their capitals back.
    for line in include_str!("../../data/provinces-before-2025.csv")
        .lines()
        .skip(1)
    {
        if let Some(name) = line.split(',').nth(1) {
            let bare = bare_province_name(name).replace(" - ", "-");
            let lower = bare.to_lowercase();
            if joined.contains(&lower) {
                joined = joined.replace(&lower, &bare);
            }
        }
    }
    joined
}

/// The 2025 code of the province the document names most in its header or text.
fn province_of(lines: &[String]) -> Option<String> {
    // The header and opening lines say where a document comes from; the rest of the text
    // is read only when they do not (one pass over the folded text per province name).
    let head: String = lines
        .iter()
        .take(40)
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let count = |text: &str| {
        let f = fold(text);
        let mut score: Vec<(usize, String)> = Vec::new();
        for (name, code) in province_names() {
            let n: usize = [
                format!("tinh {name}"),
                format!("thanh pho {name}"),
                format!("{name} ngay"),
            ]
            .iter()
            .map(|k| f.matches(k.as_str()).count())
            .sum();
            if n > 0 {
                match score.iter_mut().find(|(_, c)| *c == code) {
                    Some(s) => s.0 += n,
                    None => score.push((n, code)),
                }
            }
        }
        score.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        score.into_iter().next().map(|(_, c)| c)
    };
    count(&head).or_else(|| {
        let rest: String = lines
            .iter()
            .skip(40)
            .take(2000)
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        count(&rest)
    })
}

/// Header lines cut after their label ("Số:" / "7360/KH-UBND", "Lai Châu, ngày" / "19
/// tháng 11 năm 2025"), as table cells copied line by line leave them: joined again.
fn join_cut_fields(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        let f = fold(t);
        let cut = (f == "so" && t.ends_with(':')) || (f.ends_with(" ngay") && f.len() < 40);
        let next = lines.get(i + 1).map(|l| l.trim()).filter(|l| !l.is_empty());
        match next {
            Some(n) if cut && i < 80 => {
                out.push(format!("{t} {n}"));
                i += 2;
            }
            _ => {
                out.push(lines[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// The lines of a document's header and its key–value fields, as the readers below see
/// them.
struct Header<'a> {
    lines: &'a [String],
    kv: &'a [(String, String)],
    /// The first 60 non-empty lines.
    head: Vec<&'a String>,
    /// The province's name ("Tỉnh Đồng Nai"), when the document names its province.
    province_name: Option<String>,
}

impl Header<'_> {
    /// A key–value field ("Số hiệu", "Ngày ban hành"…) by the folded start of its key.
    fn get(&self, keys: &[&str]) -> Option<String> {
        self.kv
            .iter()
            .find(|(k, _)| keys.iter().any(|x| fold(k).starts_with(x)))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

/// Reads the metadata from the document's lines and its key–value tables.
pub fn read(lines: &[String], kv: &[(String, String)]) -> Meta {
    let joined = join_cut_fields(lines);
    let lines = joined.as_slice();
    let province = province_of(lines);
    let province_name = province.as_deref().and_then(|p| {
        crate::org::ADMIN_UNITS_2025
            .lines()
            .find(|l| l.starts_with(&format!("{p},")))
            .and_then(|l| l.split(',').nth(1))
            .map(str::to_string)
    });
    let h = Header {
        lines,
        kv,
        head: lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(60)
            .collect(),
        province_name,
    };
    let mut m = Meta {
        province,
        ..Meta::default()
    };
    read_number(&h, &mut m);
    read_kind(&h, &mut m);
    read_date(&h, &mut m);
    let issuer_stated = read_issuer(&h, &mut m);
    read_summary(&h, &mut m);
    read_addressees(&h, &mut m);
    read_signer(&h, &mut m);
    // Issued by the centre ("Hà Nội, ngày …" is where, not whose): no province.
    if issuer_stated && super::units::central_body_name(&m.issuer).is_some() {
        m.province = None;
    }
    m
}

/// "Số: 404/KH-UBND", a "Số hiệu" field, or "<type> số 293/TB-UBND".
fn read_number(h: &Header, m: &mut Meta) {
    let (lines, head) = (h.lines, &h.head);
    let get = |keys: &[&str]| h.get(keys);
    // Number: "Số: 404/KH-UBND", a "Số hiệu" field, or "<type> số 293/TB-UBND".
    m.number = get(&["so hieu", "so ky hieu"])
        .or_else(|| {
            head.iter().find_map(|l| {
                let t = l.trim();
                let f = fold(t);
                if !(f.starts_with("so ") || f.starts_with("so:")) {
                    return None;
                }
                t.split_whitespace()
                    .take(3)
                    .find(|w| is_number_token(w))
                    .map(clean_number)
            })
        })
        .or_else(|| {
            lines.iter().find_map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.windows(3).find_map(|w| {
                    let doc = TYPE_WORDS
                        .iter()
                        .any(|(t, _)| fold(w[0]).ends_with(t.split(' ').next_back().unwrap_or(t)));
                    (doc && fold(w[1]) == "so" && is_number_token(w[2])).then(|| clean_number(w[2]))
                })
            })
        })
        .unwrap_or_default();
}

/// The number's type code, else the type named in the header.
fn read_kind(h: &Header, m: &mut Meta) {
    let head = &h.head;
    let get = |keys: &[&str]| h.get(keys);
    // Kind: the number's type code, else the type named in the header.
    let stated = get(&["loai van ban"]).map(|v| fold(&v));
    m.kind = stated
        .and_then(|v| {
            TYPE_WORDS
                .iter()
                .find(|(w, _)| v.starts_with(w))
                .map(|(_, k)| k.to_string())
        })
        .or_else(|| kind_of_number(&m.number).map(str::to_string))
        .or_else(|| {
            head.iter().find_map(|l| {
                let f = fold(l);
                if f.starts_with("v v ") {
                    return Some("dispatch".to_string());
                }
                TYPE_WORDS
                    .iter()
                    .find(|(w, _)| {
                        f == *w || (f.contains(&format!("ban hanh {w}")) && !f.contains(" so "))
                    })
                    .map(|(_, k)| k.to_string())
            })
        })
        .unwrap_or_else(|| "plan".to_string());
}

/// A "Ngày ban hành" field, the place and date of the header, or the date beside the
/// number in a sentence about the document.
fn read_date(h: &Header, m: &mut Meta) {
    let (lines, head) = (h.lines, &h.head);
    let get = |keys: &[&str]| h.get(keys);
    // Date: a "Ngày ban hành" field, "<place>, ngày … tháng … năm …", or the date next to
    // the number in a sentence about the document.
    // Date: a "Ngày ban hành" field, "<place>, ngày … tháng … năm …" in the header, the
    // date next to the number in a sentence about the document, or a sentence opening
    // with the date ("Ngày 21/5/2025, UBND tỉnh … đã ban hành …").
    let from_ngay = |l: &str| {
        let at = l.find("ngày").or_else(|| l.find("Ngày"))?;
        date_in(&l[at..].chars().take(40).collect::<String>())
    };
    m.date = get(&["ngay ban hanh"])
        .and_then(|v| date_in(&v))
        .or_else(|| {
            head.iter().find_map(|l| {
                let f = crate::text::fold_keep_punct(l);
                let pos = f.find("ngay ")?;
                let placed = f[..pos].trim_end().ends_with(',');
                placed.then(|| from_ngay(l))?
            })
        })
        .or_else(|| {
            let opening = lines
                .iter()
                .take(40)
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let at = opening.find(&m.number).filter(|_| !m.number.is_empty())?;
            let after: String = opening[at..].chars().take(60).collect();
            date_in(&after).or_else(|| {
                let before = &opening[..at];
                let from = before.rfind(['.', '\n']).map(|x| x + 1).unwrap_or(0);
                from_ngay(&before[from..])
            })
        })
        .or_else(|| {
            head.iter().find_map(|l| {
                let f = fold(l);
                f.starts_with("ngay ").then(|| from_ngay(l))?
            })
        });
}

/// The header's organisation lines, a "Cơ quan ban hành" field, or the subject of "… đã
/// ban hành / vừa ban hành / đã có".
/// Whether the issuer was read from the header or a field (not guessed from the text).
fn read_issuer(h: &Header, m: &mut Meta) -> bool {
    let (lines, head, province_name) = (h.lines, &h.head, &h.province_name);
    let get = |keys: &[&str]| h.get(keys);
    // Issuer: the header's organisation lines, else "Cơ quan ban hành", else the subject of
    // "… đã ban hành / vừa ban hành / đã có".
    let mut org: Vec<String> = Vec::new();
    for l in head.iter().take(15) {
        let t = l.trim().trim_end_matches('|').trim();
        let f = fold(t);

        if let Some(i) = t.find("CỘNG HÒA").filter(|&i| i > 0) {
            // The whole header on one line: the issuer is what precedes the motto.
            org.push(t[..i].trim().to_string());
            break;
        }
        let number_line =
            f.starts_with("so:") || (f.starts_with("so ") && t.chars().any(|c| c.is_ascii_digit()));
        if number_line || f.contains(" ngay ") {
            break;
        }
        if f.contains("cong hoa")
            || f.contains("doc lap")
            || f.contains("chu nghia viet nam")
            || f == "hoa toc"
            || f == "khan"
            || t.is_empty()
        {
            continue;
        }
        // The type line ("KẾ HOẠCH") ends the issuer's lines.
        if TYPE_WORDS.iter().any(|(w, _)| f == *w) {
            break;
        }
        let org_like = !t.contains('/') && !t.chars().any(|c| c.is_ascii_digit());
        if org_like && is_upper_line(t) && t.chars().count() < 80 {
            org.push(t.to_string());
        } else if !org.is_empty() {
            break;
        }
    }
    // "UBND THÀNH PHỐ HUẾ" over "SỞ NỘI VỤ": the issuer is the body under its parent.
    if org.len() >= 2 {
        let last = fold(&org[org.len() - 1]);
        if ["so ", "ban ", "van phong", "to ", "thanh tra", "cong an"]
            .iter()
            .any(|p| last.starts_with(p))
        {
            org = vec![org[org.len() - 1].clone()];
        }
    }
    // A "Nơi ban hành" field says it outright (web copies put their own headings first).
    if let Some(v) = get(&["noi ban hanh", "co quan ban hanh"]) {
        let f = fold(&v);
        if !v.chars().any(|c| c.is_ascii_digit()) {
            org = vec![if f.starts_with("tinh ") || f.starts_with("thanh pho ") {
                format!(
                    "Ủy ban nhân dân {}",
                    v.replacen("Tỉnh", "tỉnh", 1)
                        .replacen("Thành phố", "thành phố", 1)
                )
            } else {
                v
            }];
        }
    }
    let joined = org.join(" ");
    let stated = !joined.is_empty();
    m.issuer = if !joined.is_empty() {
        let f = fold(&joined);
        let mut s = sentence_case(&joined)
            .replace("Uỷ", "Ủy")
            .replace("uỷ", "ủy")
            .replace("Ủy ban nhân dân", "UBND")
            .replace("ủy ban nhân dân", "UBND");
        // A body of the centre takes its proper capitals back ("Thủ tướng Chính phủ").
        if let Some(name) = super::units::central_body_name(&s) {
            s = name;
        }
        // A department takes its proper capitals back ("SỞ NỘI VỤ" → "Sở Nội vụ").
        if let Some((_, name, _)) = crate::org::DEPARTMENTS
            .iter()
            .find(|d| fold(d.1) == fold(&s))
        {
            s = name.to_string();
        }
        if f.starts_with("uy ban nhan dan") && !f.contains("tinh ") && !f.contains("thanh pho") {
            if let Some(p) = &province_name {
                s = format!(
                    "UBND {}",
                    p.to_lowercase().replacen(
                        &bare_province_name(p).to_lowercase(),
                        bare_province_name(p),
                        1
                    )
                );
            }
        }
        s
    } else if let Some(v) = get(&["co quan ban hanh", "noi ban hanh"]) {
        let f = fold(&v);
        if f.starts_with("tinh ") || f.starts_with("thanh pho ") {
            format!(
                "UBND {}",
                v.replacen("Tỉnh", "tỉnh", 1)
                    .replacen("Thành phố", "thành phố", 1)
            )
        } else {
            v
        }
    } else {
        // "Ngày 21/5/2025, UBND tỉnh Đồng Nai đã ban hành …": the subject of the sentence.
        let text = lines
            .iter()
            .take(40)
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let (f, map) = crate::text::fold_mapped(&text);
        [
            "da ban hanh",
            "vua ban hanh",
            "da co quyet dinh",
            "da co ke hoach",
        ]
        .iter()
        .filter_map(|k| f.find(k))
        .min()
        .map(|p| {
            let start = f[..p].rfind(['.', '\n']).map(|x| x + 1).unwrap_or(0);
            let mut s = text[map[start]..map[p]].trim().to_string();
            // "(gọi tắt là Ban Chỉ đạo)" names the subject again.
            if s.ends_with(')') {
                if let Some(i) = s.rfind(" (") {
                    s.truncate(i);
                }
            }
            if let Some(i) = s.rfind('–') {
                s = s[i + '–'.len_utf8()..].trim().to_string();
            } else if let Some(i) = s.rfind(", ") {
                s = s[i + 2..].trim().to_string();
            }
            s.trim_start_matches(|c: char| !c.is_alphabetic())
                .trim()
                .to_string()
        })
        .filter(|s| s.chars().count() > 3 && s.chars().count() < 200)
        .or_else(|| {
            // "Thông báo số 155/TB-VP ngày 09/6/2026 của Văn phòng UBND tỉnh Đắk Lắk về …"
            let at = text.find(&m.number).filter(|_| !m.number.is_empty())?;
            let after = &text[at..];
            let of = after.find(" của ")? + " của ".len();
            let rest = &after[of..];
            let end = [" về ", " tại ", ",", "."]
                .iter()
                .filter_map(|k| rest.find(k))
                .min()?;
            let s = rest[..end].trim();
            (s.chars().count() > 3 && s.chars().count() < 120 && of < 60).then(|| s.to_string())
        })
        .unwrap_or_default()
    };
    stated
}

/// "V/v …", the lines under the type line, capitals after the date, or what a sentence
/// says the document is about.
fn read_summary(h: &Header, m: &mut Meta) {
    let (lines, head) = (h.lines, &h.head);
    let get = |keys: &[&str]| h.get(keys);
    // Summary: "V/v …", the type line's next lines, the first capitals after the date, or
    // what a sentence says the document is about.
    m.summary = get(&["trich yeu"]).unwrap_or_default();
    if m.summary.is_empty() {
        if let Some(i) = head.iter().position(|l| fold(l).starts_with("v v ")) {
            let first = head[i].trim();
            let mut s = first.get(4..).unwrap_or("").trim().to_string();
            for l in head.iter().skip(i + 1).take(5) {
                let f = fold(l);
                if l.trim().is_empty()
                    || f.starts_with("kinh gui")
                    || f.contains(" ngay ")
                    || f == "hoa toc"
                {
                    break;
                }
                s.push(' ');
                s.push_str(l.trim());
            }
            m.summary = capitalise(&s);
        }
    }
    if m.summary.is_empty() {
        // "KẾ HOẠCH" (or "THÔNG BÁO", "QUYẾT ĐỊNH"…) alone on its line, the summary below it
        // up to a blank line; or both on one line ("QUYẾT ĐỊNH Ban hành Kế hoạch …").
        let type_line = lines.iter().take(80).position(|l| {
            let t = l.trim().trim_end_matches('|').trim();
            let upper_head: String = t
                .split_whitespace()
                .take_while(|w| is_upper_word(w))
                .collect::<Vec<_>>()
                .join(" ");
            TYPE_WORDS.iter().any(|(w, _)| fold(&upper_head) == *w)
        });
        if let Some(i) = type_line {
            let t = lines[i].trim().trim_end_matches('|').trim();
            let head_words = t
                .split_whitespace()
                .take_while(|w| is_upper_word(w))
                .count();
            let same_line: String = t
                .split_whitespace()
                .skip(head_words)
                .collect::<Vec<_>>()
                .join(" ");
            let mut parts: Vec<String> = Vec::new();
            if !same_line.is_empty() {
                parts.push(same_line);
            } else {
                for l in lines.iter().skip(i + 1).take(8) {
                    let t = l.trim().trim_end_matches('|').trim();
                    if t.is_empty() && parts.is_empty() {
                        continue; // PDF text puts blank lines between lines
                    }
                    let f = fold(t);
                    // The summary goes on over lines that continue its sentence (a lower-case
                    // start, or capitals after capitals); anything else is the body.
                    let continues = parts.is_empty()
                        || t.starts_with(char::is_lowercase)
                        || (is_upper_line(t) && parts.iter().all(|p| is_upper_line(p)));
                    if t.is_empty()
                        || !continues
                        || f.starts_with("can cu")
                        || f.starts_with("kinh gui")
                        || f.starts_with("ngay ")
                        || super::prose::starts_list(t)
                    {
                        break;
                    }
                    parts.push(t.to_string());
                    if t.ends_with('.') {
                        break;
                    }
                }
            }
            m.summary = sentence_case(&parts.join(" "));
        }
    }
    if m.summary.is_empty() {
        let after_date = head
            .iter()
            .position(|l| fold(l).contains(" ngay ") && fold(l).contains(" nam "))
            .unwrap_or(0);
        let mut parts: Vec<String> = Vec::new();
        for l in head.iter().skip(after_date + 1).take(8) {
            let t = l.trim().trim_end_matches('|').trim();
            let f = fold(t);
            if TYPE_WORDS.iter().any(|(w, _)| f == *w) {
                continue;
            }
            if is_upper_line(t) && !f.starts_with("so ") && !f.contains("cong hoa") {
                parts.push(t.to_string());
            } else if !parts.is_empty() {
                break;
            }
        }
        m.summary = sentence_case(&parts.join(" "));
    }
    // The opening paragraphs, blank lines kept as paragraph breaks, wrapped lines joined.
    let opening = lines
        .iter()
        .take(40)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n")
        .split("\n\n")
        .map(|p| p.replace('\n', " "))
        .collect::<Vec<_>>()
        .join("\n");
    if m.summary.is_empty() && !m.number.is_empty() {
        if let Some(l) = Some(&opening).filter(|l| l.contains(&m.number)) {
            let rest = &l[l.find(&m.number).unwrap_or(0) + m.number.len()..];
            let (f, map) = crate::text::fold_mapped(rest);
            let cut = [" ve viec ", " ve ", " ban hanh "]
                .iter()
                .filter_map(|k| f.find(k).map(|p| (p + 1, &k[1..])))
                .min();
            if let Some((p, k)) = cut {
                let start = map[if k == "ban hanh " { p } else { p + k.len() }];
                let s = rest[start..]
                    .split('\n')
                    .next()
                    .unwrap_or("")
                    .split(". ")
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('.')
                    .trim();
                let s: String = s.chars().take(300).collect();
                let s = s.as_str();
                m.summary = capitalise(s);
            }
        }
    }
    if m.summary.is_empty() {
        if let Some(l) = lines
            .iter()
            .take(40)
            .find(|l| fold(l).contains("ban hanh "))
        {
            let (f, map) = crate::text::fold_mapped(l);
            if let Some(p) = f.find("ban hanh ") {
                let s = l[map[p + 9]..]
                    .split([',', '.'])
                    .next()
                    .unwrap_or("")
                    .split(" nhằm")
                    .next()
                    .unwrap_or("")
                    .trim();
                m.summary = capitalise(s);
            }
        }
    }
    m.summary = m.summary.split_whitespace().collect::<Vec<_>>().join(" ");
}

/// "Kính gửi: …" and the dashed lines under it.
fn read_addressees(h: &Header, m: &mut Meta) {
    let lines = h.lines;
    // Addressees: "Kính gửi: …" and the dashed lines under it.
    if let Some(i) = lines
        .iter()
        .take(80)
        .position(|l| fold(l).starts_with("kinh gui"))
    {
        let first = lines[i].split_once(':').map(|x| x.1.trim()).unwrap_or("");
        let mut found: Vec<String> = Vec::new();
        let add = |found: &mut Vec<String>, s: &str| {
            let s = s
                .trim()
                .trim_start_matches(['-', '+', '•'])
                .trim()
                .trim_end_matches([';', '.', ','])
                .trim();
            if !s.is_empty() && !is_upper_line(s) {
                found.push(s.to_string());
            }
        };
        if !first.is_empty() {
            add(&mut found, first);
        }
        for l in lines.iter().skip(i + 1).take(15) {
            let t = l.trim();
            if t.is_empty() || (is_upper_line(t) && t.chars().count() < 20) {
                continue;
            }
            if t.starts_with(['-', '+', '•']) || (found.is_empty() && t.chars().count() < 120) {
                add(&mut found, t);
            } else {
                break;
            }
        }
        m.addressees = found;
    }
}

/// A "Người ký" field, the name under the signature's title, or "đồng chí <name>".
fn read_signer(h: &Header, m: &mut Meta) {
    let lines = h.lines;
    let get = |keys: &[&str]| h.get(keys);
    // Signer: a "Người ký" field, else the name under the signature's title.
    m.signer = get(&["nguoi ky"]).unwrap_or_default();
    if m.signer.is_empty() {
        let titles = [
            "chu tich",
            "pho chu tich",
            "giam doc",
            "pho giam doc",
            "truong ban",
            "pho truong ban",
            "to truong",
            "chanh van phong",
        ];
        for (i, l) in lines.iter().enumerate().rev() {
            let f = fold(l.trim().trim_end_matches('|'));
            if titles
                .iter()
                .any(|t| f == *t || f.ends_with(&format!(" {t}")))
            {
                if let Some(name) = lines
                    .iter()
                    .skip(i + 1)
                    .take(6)
                    .map(|l| l.trim())
                    .find(|l| is_person_name(l))
                {
                    m.signer = name.to_string();
                    break;
                }
            }
        }
    }
    if m.signer.is_empty() {
        // "… KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thực Hiện" run together on one line.
        for l in lines.iter().rev().take(200) {
            let t = l.trim();
            let f = fold(t);
            if !["chu tich", "giam doc", "truong ban", "to truong"]
                .iter()
                .any(|x| f.contains(x))
            {
                continue;
            }
            let words: Vec<&str> = t.split_whitespace().collect();
            let tail: Vec<&str> = words
                .iter()
                .rev()
                .take_while(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && !is_upper_line(w)
                        && w.chars().all(char::is_alphabetic)
                })
                .copied()
                .collect();
            if (2..=5).contains(&tail.len()) && tail.len() < words.len() {
                m.signer = tail.into_iter().rev().collect::<Vec<_>>().join(" ");
                break;
            }
        }
    }
    if m.signer.is_empty() {
        // "kết luận của đồng chí Dương Minh Dũng - Phó Chủ tịch" (a notice of conclusions)
        let text = lines.iter().take(30).cloned().collect::<Vec<_>>().join(" ");
        if let Some(p) = text.find("đồng chí ") {
            let name: Vec<&str> = text[p + "đồng chí ".len()..]
                .split_whitespace()
                .take_while(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(char::is_alphabetic)
                })
                .take(5)
                .collect();
            if (2..=5).contains(&name.len()) {
                m.signer = name.join(" ");
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(h) => h.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn is_person_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
        && !is_upper_line(t)
        && !fold(t).starts_with("noi nhan")
}
