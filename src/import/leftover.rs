//! What the reader left: passages of the text that read like an assignment (a duty's words —
//! "giao", "chủ trì", "đề nghị", "có trách nhiệm"…) but became no task, because their lead or
//! their shape was not understood. A missed task costs the secretary a re-typing, a wrong one a
//! click: the review proposes each, unticked and flagged, instead of dropping it.

use serde::Serialize;

use super::prose::Para;
use super::ProposedTask;
use crate::text::fold;

/// A passage that may assign work and is no proposed task.
#[derive(Debug, Clone, Serialize)]
pub struct Unassigned {
    pub text: String,
}

/// Words of a duty, folded (a passage must hold one to be proposed).
const DUTY: &[&str] = &[
    "giao ",
    "chu tri",
    "de nghi",
    "yeu cau",
    "co trach nhiem",
    "chiu trach nhiem",
    "tham muu",
    "khan truong",
    "phoi hop",
    "hoan thanh",
];

/// At most this many passages are proposed (a long report is not a list of duties).
const MOST: usize = 60;

fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .collect()
}

/// The passages of the prose (its `paragraphs`) that read like an assignment and that no task
/// of `tasks` holds.
pub fn unassigned(paras: &[Para], tasks: &[ProposedTask]) -> Vec<Unassigned> {
    use std::collections::HashSet;
    // A task's title begins somewhere in the passage it was read from (its lead and marker
    // cut off before it): a passage holding the start of a task's title is that task's.
    // Looked up at each word of the passage, so a plan of 600 tasks stays cheap.
    let keys: HashSet<String> = tasks
        .iter()
        .map(|t| key_of(&fold(&t.title)))
        .filter(|k| k.chars().count() >= KEY_MIN)
        .collect();
    let lengths: std::collections::BTreeSet<usize> = keys.iter().map(|k| k.len()).collect();
    let mut out = Vec::new();
    for p in paras.iter().map(|p| p.text.as_str()) {
        let f = one_line(&fold(p));
        // the recipients and the legal basis end or open the text; the body is between
        if f.starts_with("noi nhan") {
            break;
        }
        let n = p.chars().count();
        if !(30..=1500).contains(&n)
            || f.starts_with("can cu")
            || f.starts_with("kinh gui")
            || f.starts_with("v/v")
            || !DUTY.iter().any(|d| f.contains(d))
            || words(&f).len() < 6
        {
            continue;
        }
        let held = word_starts(&f).any(|i| {
            lengths
                .iter()
                .any(|len| f.get(i..i + len).is_some_and(|k| keys.contains(k)))
        });
        if held || out.iter().any(|u: &Unassigned| u.text == p) {
            continue; // a task's, or a web copy repeating its paragraphs
        }
        out.push(Unassigned {
            text: p.to_string(),
        });
        if out.len() >= MOST {
            break;
        }
    }
    out
}

/// How much of a title's start identifies it.
const KEY_LEN: usize = 24;
const KEY_MIN: usize = 12;

fn one_line(folded: &str) -> String {
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `KEY_LEN` characters of a folded title, on one line.
fn key_of(folded: &str) -> String {
    let one = one_line(folded);
    let cut = one
        .char_indices()
        .nth(KEY_LEN)
        .map(|(i, _)| i)
        .unwrap_or(one.len());
    one[..cut].to_string()
}

/// Byte offsets where a word starts.
fn word_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_space = true;
    s.char_indices().filter_map(move |(i, c)| {
        let start = prev_space && c.is_alphanumeric();
        prev_space = !c.is_alphanumeric();
        start.then_some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_duty_no_task_holds_is_proposed_and_one_held_is_not() {
        let text = lines(
            "Căn cứ Nghị định số 61/2018/NĐ-CP của Chính phủ về thực hiện cơ chế một cửa;\n\
             Giao Văn phòng Chính phủ chủ trì, phối hợp với các bộ, ngành xây dựng\n\
             quy chế vận hành Cổng dịch vụ công quốc gia.\n\
             Tình hình kinh tế - xã hội của tỉnh trong quý tiếp tục tăng trưởng ổn định.\n\
             Sở Nội vụ chủ trì rà soát, đánh giá kết quả cải cách hành chính năm 2025.\n\
             Nơi nhận:\n\
             - Đề nghị các đơn vị nhận văn bản triển khai thực hiện ngay.",
        );
        let reg =
            super::super::units::Registry::new("", "", std::iter::empty(), std::iter::empty());
        let reference = chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let held = ProposedTask::new(
            String::new(),
            "Rà soát, đánh giá kết quả cải cách hành chính năm 2025".into(),
            "Sở Nội vụ",
            "",
            crate::deadline::Deadline::parse("", reference),
            String::new(),
            &reg,
            super::super::Source::Prose,
        );
        let got = unassigned(&super::super::prose::paragraphs(&text), &[held]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].text.starts_with("Giao Văn phòng Chính phủ chủ trì"));
        assert!(
            got[0].text.ends_with("Cổng dịch vụ công quốc gia."),
            "joined: {got:?}"
        );
    }
}
