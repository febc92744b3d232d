//! Reading directives: a document (text, Word, PDF) becomes a proposed directive and its
//! tasks, for a secretary to review and publish. Nothing here writes to the database;
//! `publish` does, in one transaction, once the reviewer is done.
//!
//! The pipeline: `source` reads the bytes into lines and tables, `layout` recovers tables
//! from flattened text, `meta` reads the header, `tables` and `prose` find the tasks, and
//! `units` resolves every unit phrase against the province's registry.

pub mod doc;
pub mod layout;
pub mod leftover;
pub mod meta;
pub mod prose;
pub mod publish;
pub mod source;
pub mod tables;
pub mod units;

use serde::Serialize;

use crate::deadline::{Deadline, DeadlineKind};
pub use source::{Block, Doc, ImportError};
use units::{Registry, UnitRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Table,
    Prose,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineOut {
    pub text: String,
    pub kind: DeadlineKind,
    pub due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<&'static str>,
}

impl From<&Deadline> for DeadlineOut {
    fn from(d: &Deadline) -> Self {
        DeadlineOut {
            text: d.text.clone(),
            kind: d.kind,
            due: d.due_iso(),
            recurrence: d.recurrence.map(|r| r.as_str()),
        }
    }
}

/// A numeric target read from a task or its product: "Đạt 95% trở lên tỷ lệ hài lòng".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub text: String,
    pub value: f64,
    pub unit: &'static str,
    /// ">=", "<=" or "=".
    pub op: &'static str,
    /// What it measures, when the words say: on_time, satisfaction, online, digitised,
    /// feedback_on_time, published.
    pub metric: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProposedTask {
    #[serde(rename = "ref")]
    pub ref_: String,
    pub title: String,
    pub lead: Vec<UnitRef>,
    pub coordinators: Vec<UnitRef>,
    pub deadline: DeadlineOut,
    pub product: String,
    pub targets: Vec<Target>,
    pub source: Source,
    /// Fields the reviewer should check: "lead", "coordinators", "deadline".
    pub uncertain: Vec<&'static str>,
    #[serde(skip)]
    pub lead_text: String,
    #[serde(skip)]
    pub coordinators_text: String,
}

impl ProposedTask {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ref_: String,
        title: String,
        lead_text: &str,
        coordinators_text: &str,
        deadline: Deadline,
        product: String,
        reg: &Registry,
        source: Source,
    ) -> ProposedTask {
        let lead_text = one_line(lead_text);
        let coordinators_text = one_line(coordinators_text);
        let lead = reg.resolve(&lead_text);
        let coordinators = reg.resolve(&coordinators_text);
        let mut targets = targets_in(&product);
        if targets.is_empty() {
            targets = targets_in(&title);
        }
        let mut t = ProposedTask {
            ref_,
            title,
            lead,
            coordinators,
            deadline: (&deadline).into(),
            product,
            targets,
            source,
            uncertain: vec![],
            lead_text,
            coordinators_text,
        };
        t.flag(&deadline);
        t
    }

    pub fn set_deadline(&mut self, d: Deadline) {
        self.deadline = (&d).into();
        self.flag(&d);
    }

    fn flag(&mut self, d: &Deadline) {
        let mut u = Vec::new();
        if self.lead.is_empty()
            || self
                .lead
                .iter()
                .any(|x| x.unit.is_none() || x.note.is_some())
        {
            u.push("lead");
        }
        if self
            .coordinators
            .iter()
            .any(|x| x.unit.is_none() || x.note.is_some())
        {
            u.push("coordinators");
        }
        let f = crate::text::fold(&d.text);
        let vague = d.kind == DeadlineKind::Dependent
            && !(f.starts_with("theo") || f.contains("khi") || f.starts_with("tuy"));
        if vague || (d.kind == DeadlineKind::None && self.source == Source::Table) {
            u.push("deadline");
        }
        self.uncertain = u;
    }
}

/// What a document proposes: its directive and tasks, and the text they were read from.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub directive: meta::Meta,
    pub tasks: Vec<ProposedTask>,
    /// Passages that read like an assignment and became no task (proposed, flagged, in the
    /// review).
    pub unassigned: Vec<leftover::Unassigned>,
    #[serde(skip)]
    pub text: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title as a task list shows it: one line, no list marker, no trailing "./.", first
/// letter capitalised.
pub fn clean_title(s: &str) -> String {
    let mut t = one_line(s);
    for end in ["./.", "/.", ";", ",", "."] {
        if let Some(x) = t.strip_suffix(end) {
            t = x.trim_end().to_string();
        }
    }
    let t = t.trim_start_matches(['-', '+', '•', '*', ' ']).trim();
    // A number typed into the title ("1.2. Rà soát …", "a) Rà soát …") is the task's number.
    let t = match t.split_once(' ') {
        Some((head, rest)) if prose::starts_list(t) && !head.starts_with(['-', '+']) => rest.trim(),
        _ => t,
    };
    let mut c = t.chars();
    match c.next() {
        Some(h) => h.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Percentages in a product or title, with their direction and, when the words say, the
/// indicator they measure.
pub fn targets_in(s: &str) -> Vec<Target> {
    let mut out = Vec::new();
    let clauses = s.split([';', '\n']).flat_map(|c| c.split(" - "));
    for clause in clauses {
        let f = crate::text::fold(clause);
        let chars: Vec<(usize, char)> = clause.char_indices().collect();
        for (k, &(i, ch)) in chars.iter().enumerate() {
            if ch != '%' {
                continue;
            }
            let mut j = k;
            while j > 0
                && (chars[j - 1].1.is_ascii_digit() || matches!(chars[j - 1].1, ',' | '.' | ' '))
            {
                j -= 1;
            }
            let num: String = clause[chars[j].0..i]
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect::<String>()
                .replace(',', ".");
            let Ok(value) = num.trim_matches('.').parse::<f64>() else {
                continue;
            };
            if !(0.0..=100.0).contains(&value) {
                continue;
            }
            let op = if f.contains("toi da") || f.contains("khong qua") || f.contains("duoi ") {
                "<="
            } else if f.contains("toi thieu")
                || f.contains("tro len")
                || f.contains("it nhat")
                || f.contains("dat")
                || value >= 100.0
                || f.starts_with(char::is_numeric)
            {
                ">="
            } else {
                "="
            };
            let metric = if f.contains("phan anh") || f.contains("pakn") {
                Some("feedback_on_time")
            } else if f.contains("hai long") {
                Some("satisfaction")
            } else if f.contains("dung han") {
                Some("on_time")
            } else if f.contains("truc tuyen") {
                Some("online")
            } else if f.contains("so hoa") {
                Some("digitised")
            } else if f.contains("cong khai") || f.contains("cong bo") {
                Some("published")
            } else {
                None
            };
            out.push(Target {
                text: clause.trim().trim_start_matches(['-', ' ']).to_string(),
                value,
                unit: "%",
                op,
                metric,
            });
        }
    }
    out
}

/// Reads a document and proposes its directive and tasks. `registry` gives the registry
/// of a province code; `province` is the province to use when the document names none (or
/// always, for a secretariat that imports into its own province).
pub fn analyse(
    doc: &Doc,
    registry: &dyn Fn(&str) -> Option<Registry>,
    province: Option<&str>,
    force_province: bool,
) -> Extraction {
    // Lines for the header and the prose; key–value and layout tables feed the header.
    let mut lines: Vec<String> = Vec::new();
    let mut kv: Vec<(String, String)> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Line(l) => lines.push(l.clone()),
            Block::Table(rows) => {
                if tables::has_task_header(rows) {
                    continue;
                }
                for r in rows {
                    let cells: Vec<&String> = r.iter().filter(|c| !c.trim().is_empty()).collect();
                    // a key is its cell's last line: a web page may put its own lines above
                    let key = |c: &String| c.lines().last().unwrap_or("").trim().to_string();
                    if cells.len() == 2 && key(cells[0]).chars().count() < 40 {
                        kv.push((key(cells[0]), cells[1].clone()));
                    } else if cells.len().is_multiple_of(2)
                        && cells.iter().step_by(2).all(|k| {
                            let k = key(k);
                            k.ends_with(':') && k.chars().count() < 40
                        })
                    {
                        // "Loại văn bản: | Công điện | Nơi ban hành: | Thủ tướng Chính phủ"
                        for pair in cells.chunks(2) {
                            kv.push((key(pair[0]), pair[1].clone()));
                        }
                    }
                    for c in cells {
                        lines.extend(c.lines().map(str::to_string));
                    }
                }
            }
        }
    }
    let meta = meta::read(&lines, &kv);
    let code = if force_province {
        province.map(str::to_string)
    } else {
        meta.province.clone().or(province.map(str::to_string))
    };
    let reg = code
        .as_deref()
        .and_then(registry)
        .unwrap_or_else(|| Registry::new("", "", std::iter::empty(), std::iter::empty()));
    let reference = meta.date.unwrap_or_else(crate::clock::machine_today_vn);

    let mut tasks = Vec::new();
    let mut carried = None;
    let mut prose_lines: Vec<String> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Line(l) => prose_lines.push(l.clone()),
            Block::Table(rows) => {
                let found = tables::tasks_from_table(rows, &reg, reference, &mut carried);
                if found.is_empty() {
                    // A layout table (header, signature): its text reads as lines.
                    for r in rows {
                        for c in r {
                            prose_lines.extend(c.lines().map(str::to_string));
                        }
                    }
                }
                tasks.extend(found);
            }
        }
    }
    let addressees = meta.addressees.join("; ");
    let default_context =
        (meta.kind == "dispatch" && !addressees.is_empty()).then_some(addressees.as_str());
    let issuer_code = reg
        .leading_units(&meta.issuer)
        .and_then(|(u, _)| u.first().and_then(|u| u.unit.clone()));
    let paras = prose::paragraphs(&prose_lines);
    let prose = prose::tasks_from_prose(
        &paras,
        &reg,
        reference,
        default_context,
        issuer_code.as_deref(),
        &meta.addressees,
    );
    // The appendix lists the tasks; prose repeating one of them adds nothing.
    let table_keys: Vec<String> = tasks
        .iter()
        .map(|t: &ProposedTask| crate::text::fold(&t.title).chars().take(40).collect())
        .collect();
    for p in prose {
        let key: String = crate::text::fold(&p.title).chars().take(40).collect();
        let dup = table_keys
            .iter()
            .any(|k| k.starts_with(key.as_str()) || key.starts_with(k.as_str()));
        if !dup {
            tasks.push(p);
        }
    }
    // The same row copied twice (pages that repeat their header and first rows).
    let mut seen = std::collections::HashSet::new();
    tasks.retain(|t| seen.insert((crate::text::fold(&t.title), t.lead_text.clone())));
    let unassigned = leftover::unassigned(&paras, &tasks);

    Extraction {
        directive: meta::Meta {
            kind_label: crate::directives::kind_label(&meta.kind),
            province: code,
            ..meta
        },
        tasks,
        unassigned,
        text: doc.text.clone(),
    }
}

/// Reads a file with the embedded unit lists (no database): what `steerco import` prints.
pub fn extract_file(bytes: &[u8], province: Option<&str>) -> Result<Extraction, ImportError> {
    let doc = source::read(bytes)?;
    analyse_safely(&doc, &Registry::embedded, province, false)
}

/// Reads and analyses an upload off the async workers (a large file takes seconds of CPU),
/// against one province's registry: what the web and API handlers call.
pub async fn read_for_province(bytes: Vec<u8>, reg: Registry) -> Result<Extraction, ImportError> {
    // a document being read can take many times its size: two at a time on a server
    static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _reading = READING
        .acquire()
        .await
        .map_err(|_| ImportError::Unreadable("máy chủ đang dừng.".into()))?;
    tokio::task::spawn_blocking(move || {
        let doc = source::read(&bytes)?;
        let province = reg.province_code.clone();
        analyse_safely(&doc, &|_| Some(reg.clone()), Some(&province), true)
    })
    .await
    .unwrap_or_else(|_| {
        Err(ImportError::Unreadable(
            "không phân tích được văn bản.".into(),
        ))
    })
}

/// `analyse`, with a bug in the heuristics reported as an unreadable document instead of
/// taking the request (or the command) down with it.
pub fn analyse_safely(
    doc: &Doc,
    registry: &(dyn Fn(&str) -> Option<Registry> + Sync),
    province: Option<&str>,
    force_province: bool,
) -> Result<Extraction, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyse(doc, registry, province, force_province)
    }))
    .map_err(|_| ImportError::Unreadable("không phân tích được cấu trúc văn bản.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_from_products() {
        let t = targets_in("Đạt 95% trở lên tỷ lệ hài lòng của người dân");
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].value, t[0].op, t[0].metric),
            (95.0, ">=", Some("satisfaction"))
        );
        let t = targets_in(
            "- 97% PAKN xử lý dứt điểm, đúng hạn; - 95% người dân hài lòng về giải quyết PAKN",
        );
        assert_eq!(
            t.iter().map(|x| x.value).collect::<Vec<_>>(),
            vec![97.0, 95.0]
        );
        assert!(t.iter().all(|x| x.metric == Some("feedback_on_time")));
        let t = targets_in("Tỷ lệ hồ sơ trễ hạn tối đa 2,5%");
        assert_eq!((t[0].value, t[0].op), (2.5, "<="));
        assert!(targets_in("Văn bản thẩm tra").is_empty());
        assert!(targets_in("Tăng 150% so với năm trước").is_empty());
    }

    #[test]
    fn titles_are_one_clean_line() {
        assert_eq!(
            clean_title("- rà soát,\n  công bố thủ tục./."),
            "Rà soát, công bố thủ tục"
        );
        assert_eq!(clean_title("Báo cáo kết quả."), "Báo cáo kết quả");
        assert_eq!(clean_title("1.2. rà soát thủ tục"), "Rà soát thủ tục");
        assert_eq!(clean_title("II. Cải cách thể chế"), "Cải cách thể chế");
        assert_eq!(clean_title("100% hồ sơ đúng hạn"), "100% hồ sơ đúng hạn");
    }
}
