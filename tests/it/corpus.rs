//! Accuracy of document import on the labelled corpus (`tests/corpus/`): every document
//! beside its `.json` labels is read as `steerco import` reads it, and the extraction is
//! scored the way a secretary would check it.
//!
//! - a task matches a label when their titles start the same (first 40 characters, or the
//!   shorter title, after whitespace normalisation and ignoring case); labels and tasks are
//!   matched one to one, in order;
//! - task recall = matched labels / labels; precision = matched tasks / tasks found;
//! - lead accuracy: matched tasks whose resolved lead units are exactly the labelled ones;
//! - deadline accuracy: matched tasks whose deadline kind and due date are the labelled ones.
//!
//! Each figure must reach 95 % over the whole corpus.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn same_start(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    let n = a.chars().count().min(b.chars().count()).min(40);
    n > 0 && a.chars().take(n).eq(b.chars().take(n))
}

#[derive(Default, Debug)]
struct Score {
    labels: usize,
    found: usize,
    matched: usize,
    lead_ok: usize,
    deadline_ok: usize,
    meta_checked: usize,
    meta_ok: usize,
    /// Passages proposed unticked as possible tasks, and the missed labels they hold.
    proposed: usize,
    caught: usize,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn document_for(label: &Path) -> Option<PathBuf> {
    let stem = label.file_stem()?.to_str()?.to_string();
    std::fs::read_dir(label.parent()?)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_stem().and_then(|s| s.to_str()) == Some(stem.as_str())
                && p.extension().and_then(|e| e.to_str()) != Some("json")
        })
}

fn score_document(label_path: &Path, total: &mut Score, report: &mut Vec<String>) {
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(label_path).expect("labels readable"))
            .expect("labels are JSON");
    let doc = document_for(label_path).expect("each label file has its document");
    let bytes = std::fs::read(&doc).expect("document readable");
    let x = steerco::import::extract_file(&bytes, labels["province"].as_str())
        .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let got = serde_json::to_value(&x).expect("extraction serialises");
    let tasks = got["tasks"].as_array().cloned().unwrap_or_default();
    let want = labels["tasks"].as_array().cloned().unwrap_or_default();
    let unassigned: Vec<String> = got["unassigned"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["text"].as_str().map(norm))
        .collect();
    let mut s = Score {
        labels: want.len(),
        found: tasks.len(),
        proposed: unassigned.len(),
        ..Default::default()
    };
    let mut used = vec![false; tasks.len()];
    let mut misses = Vec::new();
    for w in &want {
        let title = w["title"].as_str().unwrap_or_default();
        let Some(k) = (0..tasks.len())
            .find(|&k| !used[k] && same_start(tasks[k]["title"].as_str().unwrap_or(""), title))
        else {
            // held by a flagged proposal: the reviewer ticks it instead of typing it
            let start: String = norm(title).chars().take(30).collect();
            if unassigned.iter().any(|u| u.contains(&start)) {
                s.caught += 1;
                misses.push(format!("    missing, proposed flagged: {title}"));
            } else {
                misses.push(format!("    missing: {title}"));
            }
            continue;
        };
        used[k] = true;
        s.matched += 1;
        let t = &tasks[k];
        let mut lead: Vec<String> = t["lead"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["unit"].as_str().map(str::to_string))
            .collect();
        lead.sort();
        lead.dedup();
        let mut expected: Vec<String> = w["lead"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect();
        expected.sort();
        if lead == expected {
            s.lead_ok += 1;
        } else {
            misses.push(format!(
                "    lead of «{title}»: {lead:?}, expected {expected:?}"
            ));
        }
        let (kind, due) = (&t["deadline"]["kind"], &t["deadline"]["due"]);
        if *kind == w["deadline"]["kind"] && *due == w["deadline"]["due"] {
            s.deadline_ok += 1;
        } else {
            misses.push(format!(
                "    deadline of «{title}»: {kind} {due}, expected {} {}",
                w["deadline"]["kind"], w["deadline"]["due"]
            ));
        }
    }
    for (k, t) in tasks.iter().enumerate() {
        if !used[k] {
            misses.push(format!(
                "    extra: {}",
                t["title"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect::<String>()
            ));
        }
    }
    if let Some(meta) = labels["directive"].as_object() {
        for (field, v) in meta {
            s.meta_checked += 1;
            if got["directive"][field] == *v {
                s.meta_ok += 1;
            } else {
                misses.push(format!(
                    "    directive.{field}: {}, expected {v}",
                    got["directive"][field]
                ));
            }
        }
    }
    report.push(format!(
        "{:<44} labels {:>2}  found {:>2}  matched {:>2}  lead {:>2}  deadline {:>2}",
        doc.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        s.labels,
        s.found,
        s.matched,
        s.lead_ok,
        s.deadline_ok
    ));
    report.extend(misses);
    total.labels += s.labels;
    total.found += s.found;
    total.matched += s.matched;
    total.lead_ok += s.lead_ok;
    total.deadline_ok += s.deadline_ok;
    total.meta_checked += s.meta_checked;
    total.meta_ok += s.meta_ok;
    total.proposed += s.proposed;
    total.caught += s.caught;
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores every labelled document of `dir`: the report lines and the totals.
fn score_dir(dir: &Path) -> (usize, Score, Vec<String>) {
    let mut labels: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the corpus folder exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    labels.sort();
    let mut total = Score::default();
    let mut report = Vec::new();
    for l in &labels {
        score_document(l, &mut total, &mut report);
    }
    (labels.len(), total, report)
}

/// recall, precision, lead, deadline, directive fields.
fn figures(total: &Score) -> [f64; 5] {
    [
        ratio(total.matched, total.labels),
        ratio(total.matched, total.found),
        ratio(total.lead_ok, total.matched),
        ratio(total.deadline_ok, total.matched),
        ratio(total.meta_ok, total.meta_checked),
    ]
}

fn summary(name: &str, docs: usize, total: &Score) -> String {
    let [recall, precision, lead, deadline, meta] = figures(total);
    format!(
        "{name}: {docs} documents, {} labelled tasks; recall {:.1} %, precision {:.1} %, lead units {:.1} %, deadlines {:.1} %, directive fields {:.1} %; \
         {} passages proposed flagged, holding {} missed tasks (recall with them {:.1} %)",
        total.labels,
        recall * 100.0,
        precision * 100.0,
        lead * 100.0,
        deadline * 100.0,
        meta * 100.0,
        total.proposed,
        total.caught,
        ratio(total.matched + total.caught, total.labels) * 100.0
    )
}

#[test]
fn import_accuracy_on_the_labelled_corpus() {
    let (docs, total, report) = score_dir(&corpus_dir());
    assert!(docs >= 12, "the corpus has its documents");
    println!("{}", report.join("\n"));
    println!("{}", summary("corpus", docs, &total));
    let ok = figures(&total).iter().all(|f| *f >= 0.95);
    assert!(ok, "accuracy below 95 %:\n{}", report.join("\n"));
}

/// Real documents as found (`tests/corpus/real/`, labelled by hand from
/// `../shared/corpus-real/`): flattened tables, web-site chrome, prose. The figures may not
/// fall below the floors measured when the reader was last changed for them.
#[test]
fn import_accuracy_on_real_documents() {
    let (docs, total, report) = score_dir(&corpus_dir().join("real"));
    assert!(docs >= 40, "the real documents are labelled");
    println!("{}", report.join("\n"));
    println!("{}", summary("real documents", docs, &total));
    let floors = REAL_FLOORS;
    let got = figures(&total);
    let names = [
        "recall",
        "precision",
        "lead units",
        "deadlines",
        "directive fields",
    ];
    let with_proposals = ratio(total.matched + total.caught, total.labels);
    assert!(
        with_proposals >= REAL_RECALL_WITH_PROPOSALS_FLOOR,
        "recall counting the flagged proposals fell to {:.1} %",
        with_proposals * 100.0
    );
    for ((f, floor), name) in got.iter().zip(floors).zip(names) {
        assert!(
            *f >= floor,
            "{name} on real documents fell to {:.1} % (floor {:.1} %)",
            f * 100.0,
            floor * 100.0
        );
    }
}

/// recall, precision, lead, deadline, directive fields: the figures of the last round
/// (2026-12-01: 69.2, 81.3, 94.9, 90.6, 87.1 %), less a point.
const REAL_FLOORS: [f64; 5] = [0.682, 0.803, 0.939, 0.896, 0.861];

/// Recall counting the missed tasks that a flagged proposal holds (the reviewer ticks them):
/// 77.5 % on 2026-12-01 (423 proposals holding 115 missed tasks), less a point.
const REAL_RECALL_WITH_PROPOSALS_FLOOR: f64 = 0.765;

/// Damaged copies of every corpus text — cut anywhere, lines dropped or doubled, pipes and
/// diacritics lost — are read without a panic (the web handlers catch one, but a panic is a
/// bug in the heuristics) and keep their tasks' fields well formed.
#[test]
fn damaged_documents_never_break_the_reader() {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let reg = steerco::import::units::Registry::embedded("75").expect("Đồng Nai");
    let mut docs = 0;
    for entry in std::fs::read_dir(corpus_dir()).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("utf-8 corpus text");
        docs += 1;
        for round in 0..12 {
            let lines: Vec<&str> = text.lines().collect();
            let damaged: String = match round % 4 {
                0 => {
                    let mut cut = next(text.len());
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text[..cut].to_string()
                }
                1 => {
                    let mut kept = Vec::new();
                    for l in &lines {
                        match next(10) {
                            0 | 1 => {}                 // dropped
                            2 => kept.extend([*l, *l]), // doubled
                            _ => kept.push(*l),
                        }
                    }
                    kept.join("\n")
                }
                2 => text.replace('|', if next(2) == 0 { "" } else { "\n" }),
                _ => text
                    .chars()
                    .map(|c| {
                        if next(3) == 0 {
                            steerco::text::fold(&c.to_string())
                                .chars()
                                .next()
                                .unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect(),
            };
            let Ok(doc) = steerco::import::source::read(damaged.as_bytes()) else {
                continue; // empty after cutting: refused with a message, as it should be
            };
            let x = steerco::import::analyse(&doc, &|_| Some(reg.clone()), Some("75"), true);
            for t in &x.tasks {
                assert!(
                    !t.title.trim().is_empty(),
                    "{}: a task without title",
                    path.display()
                );
                if let Some(due) = &t.deadline.due {
                    assert!(chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok());
                }
            }
        }
    }
    assert!(docs >= 15);
}
