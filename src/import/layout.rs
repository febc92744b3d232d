//! Plain text back into lines and tables. Text copied from web pages and PDFs loses its
//! tables in a few recurring ways, each recovered here:
//! - markdown rows `| 1 | Nội dung | Sở Nội vụ |`;
//! - one cell per line, each ending with `|`, a lone `|` starting a row (thuvienphapluat
//!   copies, example 001), cells running over several lines;
//! - tab-separated rows (a Word table pasted as text);
//! - one cell per line without any separator, after a header of column names (PDF text).
//!   Those rows are kept loose (`Block::Table` rows whose cell count may not match the
//!   header) and aligned by content later.

use unicode_normalization::UnicodeNormalization;

use super::doc::{Block, Doc};
use super::tables::{header_role, is_row_ref};

/// Normalises a text (NFC, line ends, non-breaking and zero-width spaces, markdown
/// emphasis) and recovers its tables.
pub fn from_text(raw: &str) -> Doc {
    // Most files are NFC already: composing them again is the costliest step of reading.
    let composed: std::borrow::Cow<str> = match unicode_normalization::is_nfc_quick(raw.chars()) {
        unicode_normalization::IsNormalized::Yes => raw.into(),
        _ => raw.nfc().collect::<String>().into(),
    };
    let text: String = composed
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace(['\u{a0}', '\u{2007}', '\u{202f}'], " ")
        .replace(['\u{200b}', '\u{feff}', '\u{ad}'], "");
    let text = bold_as_lines(&text).replace('\u{c}', "\n");
    let text = without_emphasis(&text);
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "|" && bar_separated(&lines, i) {
            let (rows, next) = bar_cells(&lines, i);
            if rows.len() >= 2 {
                blocks.push(Block::Table(rows));
                i = next;
                continue;
            }
        }
        if t == "|" {
            let (rows, next) = pipe_cells(&lines, i);
            if !rows.is_empty() {
                blocks.push(Block::Table(rows));
            }
            i = next;
            continue;
        }
        if is_markdown_row(t) {
            let mut rows = Vec::new();
            while i < lines.len() && is_markdown_row(lines[i].trim()) {
                let r = lines[i].trim();
                if !is_rule(r) {
                    rows.push(split_pipes(r));
                }
                i += 1;
            }
            blocks.push(Block::Table(rows));
            continue;
        }
        if let Some(header) = spaced_header(lines[i]) {
            // Columns aligned with runs of spaces (a PDF's text layer, a fixed-width copy).
            let mut rows = vec![header];
            i += 1;
            while i < lines.len() {
                let cells = split_spaced(lines[i]);
                if cells.len() >= 2 {
                    rows.push(cells);
                } else if cells.len() == 1 && !rows.is_empty() && rows.len() > 1 {
                    // A wrapped cell: it goes on with the title of the row above.
                    if let Some(last) = rows.last_mut() {
                        if let Some(title) = last.get_mut(1) {
                            title.push(' ');
                            title.push_str(&cells[0]);
                        }
                    }
                } else {
                    break;
                }
                i += 1;
            }
            blocks.push(Block::Table(rows));
            continue;
        }
        if is_tab_row(lines[i]) {
            let mut rows = Vec::new();
            while i < lines.len() && is_tab_row(lines[i]) {
                rows.push(lines[i].split('\t').map(|c| c.trim().to_string()).collect());
                i += 1;
            }
            blocks.push(Block::Table(rows));
            continue;
        }
        if let Some(header) = run_on_header(t) {
            // A header whose column names run together ("STT Nội dung nhiệm vụ Đơn vị chủ
            // trì …"): each row starts at its number and runs over the lines up to the next.
            let mut rows = vec![header];
            i += 1;
            let mut row: Option<(String, String)> = None;
            while i < lines.len() {
                let l = lines[i].trim();
                let f = crate::text::fold(l);
                if f.starts_with("noi nhan") || f.starts_with("kt chu tich") {
                    break;
                }
                if l.is_empty() {
                    i += 1;
                    continue;
                }
                let (head, rest) = l.split_once(' ').unwrap_or((l, ""));
                if is_row_ref(head) && !rest.is_empty() {
                    if let Some((r, text)) = row.take() {
                        rows.push(vec![r, text]);
                    }
                    row = Some((head.to_string(), rest.to_string()));
                } else if let Some((_, text)) = row.as_mut() {
                    text.push(' ');
                    text.push_str(l);
                } else {
                    break;
                }
                i += 1;
            }
            if let Some((r, text)) = row {
                rows.push(vec![r, text]);
            }
            blocks.push(Block::Table(rows));
            continue;
        }
        if let Some((n, used)) = loose_header(&lines, i) {
            let (rows, next) = loose_table(&lines, i, n, used);
            blocks.push(Block::Table(rows));
            i = next;
            continue;
        }
        blocks.push(Block::Line(t.to_string()));
        i += 1;
    }
    Doc { blocks, text }
}

/// Drops markdown bold, keeping what it told: a bold run wrapped over a few lines ("**1. Sở
/// Nông nghiệp và Môi trường:**") is one line, and a bold line (a heading) ends its
/// paragraph, so a blank line follows it — except inside a table's cells.
fn bold_as_lines(text: &str) -> String {
    if !text.contains("**") {
        return text.to_string();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let odd = |l: &str| l.matches("**").count() % 2 == 1;
    let cell_edge = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.starts_with('|')
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        // the line that closes a run opened on this one: near, with no blank or `|` between
        let close = odd(lines[i])
            .then(|| {
                (i + 1..lines.len().min(i + 5))
                    .take_while(|&j| !cell_edge(lines[j]))
                    .find(|&j| odd(lines[j]))
            })
            .flatten();
        let j = close.unwrap_or(i);
        let joined = lines[i..=j]
            .iter()
            .map(|l| if j > i { l.trim() } else { l })
            .collect::<Vec<_>>()
            .join(" ");
        let t = joined.trim();
        let heading = t.len() > 4 && t.starts_with("**") && t.ends_with("**");
        out.push(joined.replace("**", ""));
        if heading && lines.get(j + 1).is_some_and(|n| !cell_edge(n)) {
            out.push(String::new());
        }
        i = j + 1;
    }
    out.join("\n")
}

/// Drops the single `*` of markdown italics ("*Thời gian thực hiện: *Thường xuyên"), keeping
/// a bullet at the start of a line and footnote marks such as "(*)".
fn without_emphasis(text: &str) -> String {
    if !text.contains('*') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let bullet = line.trim_start().starts_with("* ");
        let chars: Vec<char> = line.chars().collect();
        let mut seen_text = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == '*' {
                let footnote = i > 0 && chars[i - 1] == '(' && chars.get(i + 1) == Some(&')');
                if footnote || (bullet && !seen_text) {
                    out.push(c);
                }
                continue;
            }
            seen_text |= !c.is_whitespace();
            out.push(c);
        }
    }
    out
}

fn is_rule(t: &str) -> bool {
    t.chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+' | '='))
}

fn is_markdown_row(t: &str) -> bool {
    t.starts_with('|') && t.len() > 2 && t.matches('|').count() >= 3 && t.ends_with('|')
        || (t.starts_with('|') && is_rule(t) && t.contains('-'))
}

/// Cells of a line whose columns are separated by two spaces or more.
fn split_spaced(l: &str) -> Vec<String> {
    l.trim()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Column names run together on one line, as a PDF's text layer gives a table header:
/// the names in order, when they are a task table's (a title and a lead or deadline).
fn run_on_header(l: &str) -> Option<Vec<String>> {
    use super::tables::Role;
    let f = crate::text::fold(l);
    if f.len() > 160 || l.contains("  ") || l.contains('|') || l.contains('\t') {
        return None;
    }
    let keys: &[(&str, &str)] = &[
        ("stt", "STT"),
        ("noi dung", "Nội dung"),
        ("ten nhiem vu", "Nội dung"),
        ("nhiem vu", "Nội dung"),
        ("chu tri", "Đơn vị chủ trì"),
        ("phoi hop", "Đơn vị phối hợp"),
        ("thoi han", "Thời hạn"),
        ("thoi gian", "Thời hạn"),
        ("tien do", "Thời hạn"),
        ("san pham", "Sản phẩm"),
        ("ket qua", "Sản phẩm"),
    ];
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (k, name) in keys {
        if let Some(i) = f.find(k) {
            if !found.iter().any(|(_, n)| n == name) {
                found.push((i, name));
            }
        }
    }
    found.sort();
    let cells: Vec<String> = found.iter().map(|(_, n)| n.to_string()).collect();
    let roles: Vec<Role> = cells.iter().filter_map(|c| header_role(c)).collect();
    (cells.len() >= 3
        && f.starts_with(|c: char| c.is_alphabetic())
        && roles.contains(&Role::Title)
        && (roles.contains(&Role::Lead) || roles.contains(&Role::Deadline))
        // every word is part of a column name: a sentence mentioning them is no header
        && f.split(' ').count() <= cells.len() * 4)
        .then_some(cells)
}

/// A header row aligned with spaces: three columns at least, naming a task table.
fn spaced_header(l: &str) -> Option<Vec<String>> {
    if !l.trim().contains("  ") {
        return None;
    }
    let cells = split_spaced(l);
    let roles: Vec<_> = cells.iter().filter_map(|c| header_role(c)).collect();
    use super::tables::Role;
    (cells.len() >= 3
        && roles.len() * 2 >= cells.len()
        && roles.contains(&Role::Title)
        && (roles.contains(&Role::Lead) || roles.contains(&Role::Deadline)))
    .then_some(cells)
}

fn is_tab_row(l: &str) -> bool {
    l.split('\t').filter(|c| !c.trim().is_empty()).count() >= 2
}

fn split_pipes(t: &str) -> Vec<String> {
    let inner = t.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    // Markdown exports write a line break inside a cell as <br>.
    inner
        .split('|')
        .map(|c| {
            c.replace("<br>", "\n")
                .replace("<br/>", "\n")
                .replace("<br />", "\n")
                .trim()
                .to_string()
        })
        .collect()
}

fn is_ellipsis(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|c| matches!(c, '.' | '…' | ' ' | '_'))
}

/// Rows written one cell per line: a lone `|` opens a row, a line ending in `|` closes a
/// cell, `|||` stands for empty cells. The table ends at a line that no later `|` closes.
fn pipe_cells(lines: &[&str], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "|" {
            if !pending.is_empty() {
                row.push(pending.join("\n"));
                pending.clear();
            }
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            i += 1;
            continue;
        }
        if !t.is_empty() && t.chars().all(|c| c == '|') {
            if !pending.is_empty() {
                row.push(pending.join("\n"));
                pending.clear();
            }
            for _ in 0..t.len() {
                row.push(String::new());
            }
            i += 1;
            continue;
        }
        if is_ellipsis(t) || t.is_empty() {
            i += 1;
            continue;
        }
        if let Some(cell) = t.strip_suffix('|') {
            pending.push(cell.trim().to_string());
            let c = pending.join("\n");
            pending.clear();
            row.extend(c.split(" | ").map(|s| s.trim().to_string()));
            i += 1;
            continue;
        }
        // A line without a closing `|`: part of a cell if a `|` closes it soon, before
        // another row starts; else the table is over.
        let closes = lines[i + 1..]
            .iter()
            .take(4)
            .map(|l| l.trim())
            .take_while(|l| *l != "|")
            .any(|l| l.ends_with('|'));
        if closes {
            pending.push(t.to_string());
            i += 1;
            continue;
        }
        break;
    }
    if !pending.is_empty() {
        // Unclosed text at the end belongs to what follows, not to the table.
        i -= pending.len().min(i - start);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    (rows, i)
}

/// Cells one after another on lines of their own, each closed by a lone `|`, and a row
/// closed by two (web copies of Word tables): `|`, `TT`, `|`, `Nhiệm vụ`, `|`, `|`, `1`, …
/// Told from `pipe_cells`' layout by no cell line ending in `|`.
fn bar_separated(lines: &[&str], start: usize) -> bool {
    let near: Vec<&str> = lines[start..]
        .iter()
        .take(40)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let bars = near.iter().filter(|l| **l == "|").count();
    let doubled = near.windows(2).any(|w| w[0] == "|" && w[1] == "|");
    bars >= 8 && doubled && !near.iter().any(|l| *l != "|" && l.ends_with('|'))
}

fn bar_cells(lines: &[&str], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Vec<&str> = Vec::new();
    let mut width = 0;
    let mut i = start + 1;
    let mut last_bar = i;
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "|" {
            if !cell.is_empty() {
                row.push(cell.join("\n"));
                cell.clear();
            } else if !row.is_empty() {
                // two bars: the row ends, unless the next cell goes on with it (an empty
                // cell) — a row starts with its number, or the row is full already
                let next = lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty());
                // the first row (a header, a field) has no empty cell to go on with
                // a row of merged cells' continuation starts with its list item
                let new_row = next.is_none_or(|n| {
                    n == "|" || is_row_ref(n) || (row.len() >= 2 && n.starts_with(['-', '+', '•']))
                }) || width == 0
                    || row.len() >= width;
                if new_row {
                    width = width.max(row.len());
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.push(String::new());
                }
            }
            last_bar = i;
            i += 1;
            continue;
        }
        // blank lines and then no bar soon: the table is over
        if t.is_empty() {
            let resumes = lines[i..].iter().take(3).any(|l| l.trim() == "|");
            if !resumes && cell.is_empty() {
                break;
            }
            i += 1;
            continue;
        }
        if i - last_bar > 40 {
            break;
        }
        cell.push(t);
        i += 1;
    }
    if !cell.is_empty() {
        row.push(cell.join("\n"));
    }
    if !row.is_empty() {
        rows.push(row);
    }
    (rows.into_iter().flat_map(header_apart).collect(), i)
}

/// A row whose cells run on into a header of column names ("KT. THỦ TƯỚNG …", "PHỤ LỤC I
/// …", "TT", "Chỉ tiêu", "Đơn vị", …: no doubled bar between a signature and an appendix):
/// what precedes the header is a row of its own.
fn header_apart(row: Vec<String>) -> Vec<Vec<String>> {
    use super::tables::Role;
    let named = |c: &String| c.chars().count() <= 60 && !c.contains('\n');
    let start = (1..row.len()).find(|&k| {
        let roles: Vec<Role> = row[k..]
            .iter()
            .take_while(|c| named(c))
            .filter_map(|c| header_role(c.trim()))
            .collect();
        roles.len() >= 3
            && roles.contains(&Role::Title)
            && header_role(row[k].trim()).is_some()
            && !(named(&row[k - 1]) && header_role(row[k - 1].trim()).is_some())
    });
    match start {
        Some(k) => {
            let mut row = row;
            let header = row.split_off(k);
            vec![row, header]
        }
        None => vec![row],
    }
}

/// A header written one column name per line ("STT", "Nội dung", "Đơn vị chủ trì"…):
/// the number of columns, when at least three consecutive lines name columns and one of
/// them is the task.
fn loose_header(lines: &[&str], i: usize) -> Option<(usize, usize)> {
    use super::tables::Role;
    let mut roles = Vec::new();
    let mut used = 0;
    // PDF text puts a blank line between lines: blanks do not end the header.
    // Cheap refusal first: a header's first line is a short column name.
    let first = lines[i].trim();
    if first.is_empty()
        || first.len() > 80
        || header_role(first).is_none()
        || first
            .split_once(':')
            .is_some_and(|(_, v)| !v.trim().is_empty())
    {
        return None;
    }
    for l in lines[i..].iter().take(20) {
        let t = l.trim();
        if t.is_empty() {
            if roles.is_empty() {
                return None;
            }
            used += 1;
            continue;
        }
        // A column name is a bare label: not "Thời gian thực hiện: Thường xuyên", not a
        // sentence, not a list item.
        let labelled = t.split_once(':').is_some_and(|(_, v)| !v.trim().is_empty());
        if t.chars().count() > 60
            || labelled
            || t.ends_with(['.', ',', ';'])
            || t.starts_with(['-', '+', '•'])
        {
            break;
        }
        match header_role(t) {
            Some(r) => {
                roles.push(r);
                used += 1;
            }
            None => break,
        }
    }
    let has = |r: Role| roles.contains(&r);
    (roles.len() >= 3 && has(Role::Title) && (has(Role::Lead) || has(Role::Deadline)))
        .then_some((roles.len(), used))
}

/// A line in capitals of a few words at least, maybe numbered: a section title.
fn is_section_title(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    t.split_whitespace().count() >= 3
        && letters.len() >= 10
        && letters
            .iter()
            .all(|c| c.is_uppercase() || !c.is_lowercase())
}

/// A table written one cell per line after a header of `n` column names: each row starts
/// at its number and takes the lines up to the next number. Rows keep however many lines
/// they had; alignment to columns is left to the content (`tables::align`).
fn loose_table(lines: &[&str], start: usize, n: usize, used: usize) -> (Vec<Vec<String>>, usize) {
    let header: Vec<String> = lines[start..start + used]
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    debug_assert_eq!(header.len(), n);
    let mut rows: Vec<Vec<String>> = vec![header];
    let mut i = start + used;
    let mut row: Vec<String> = Vec::new();
    while i < lines.len() {
        let t = lines[i].trim();
        let f = crate::text::fold(t);
        if f.starts_with("noi nhan")
            || f == "kt chu tich"
            || f.starts_with("tm ubnd")
            || f.starts_with("tm ban")
        {
            break;
        }
        if t.is_empty() || is_ellipsis(t) {
            i += 1;
            continue;
        }
        if is_row_ref(t) {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            row.push(t.to_string());
        } else if is_section_title(t) {
            // "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH": a section row, never part of a cell.
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            rows.push(vec![String::new(), t.to_string()]);
        } else if row.is_empty() {
            // A section title on its own line.
            rows.push(vec![String::new(), t.to_string()]);
        } else {
            row.push(t.to_string());
        }
        i += 1;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    (rows, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_cells_with_multiline_and_empty_cells() {
        let t = "Intro\n|\nSTT |\nTên nhiệm vụ |\nĐơn vị chủ trì |\n|\nSECTION |\n||\n|\n1 |\nLine one\nline two |\nSở Nội vụ |\nAfter the table\nmore text";
        let d = from_text(t);
        assert_eq!(d.blocks[0], Block::Line("Intro".into()));
        let Block::Table(rows) = &d.blocks[1] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(rows[0], vec!["STT", "Tên nhiệm vụ", "Đơn vị chủ trì"]);
        assert_eq!(rows[1], vec!["SECTION", "", ""]);
        assert_eq!(rows[2], vec!["1", "Line one\nline two", "Sở Nội vụ"]);
        assert_eq!(d.blocks[2], Block::Line("After the table".into()));
    }

    #[test]
    fn markdown_and_tabs() {
        let d = from_text("| STT | Nội dung |\n|---|---|\n| 1 | Việc A |\nx\na\tb\tc\n");
        assert_eq!(
            d.blocks[0],
            Block::Table(vec![
                vec!["STT".into(), "Nội dung".into()],
                vec!["1".into(), "Việc A".into()]
            ])
        );
        assert!(matches!(&d.blocks[2], Block::Table(r) if r[0].len() == 3));
    }
}
