//! Tasks from appendix tables, whatever the column order and header wording ("Nội dung" /
//! "Tên nhiệm vụ", "Đơn vị chủ trì" / "Cơ quan chủ trì", "Thời gian" / "Thời hạn" /
//! "Tiến độ"…). Section rows are skipped; a section naming a unit leads the tasks under it
//! when the table has no lead column. Rows whose cells do not line up with the header (a
//! flattened table, a truncated row) are aligned by content: unit phrases, deadline
//! phrases, the title first.

use chrono::NaiveDate;

use super::units::Registry;
use super::{clean_title, ProposedTask, Source};
use crate::deadline::{Deadline, DeadlineKind};
use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Ref,
    Title,
    Lead,
    Coordinators,
    Deadline,
    Product,
    Note,
}

/// What a header cell names, if it names a column of a task table.
pub fn header_role(cell: &str) -> Option<Role> {
    let f = fold(cell);
    if f.is_empty() || f.len() > 70 {
        return None;
    }
    let has = |s: &str| f.contains(s);
    Some(
        if matches!(
            f.as_str(),
            "stt" | "tt" | "so tt" | "so thu tu" | "thu tu" | "s tt" | "so"
        ) {
            Role::Ref
        } else if has("ghi chu") {
            Role::Note
        } else if f.starts_with("noi dung") || f.starts_with("nhiem vu") {
            // "Nội dung thực hiện", "Nhiệm vụ, giải pháp": the task, whatever follows
            Role::Title
        } else if has("san pham") || has("ket qua") || has("chi tieu") {
            Role::Product
        } else if has("phoi hop") {
            Role::Coordinators
        } else if has("thoi gian") || has("thoi han") || has("tien do") || has("moc") {
            Role::Deadline
        } else if has("chu tri")
            || has("thuc hien")
            || has("trach nhiem")
            || has("dau moi")
            || matches!(
                f.as_str(),
                "don vi" | "co quan" | "co quan don vi" | "don vi co quan"
            )
        {
            Role::Lead
        } else if has("hoan thanh") || f == "han" {
            Role::Deadline
        } else if has("noi dung")
            || has("nhiem vu")
            || has("cong viec")
            || has("giai phap")
            || has("hoat dong")
            || has("ten ")
            || f == "ten"
            || has("danh muc")
        {
            Role::Title
        } else {
            return None;
        },
    )
}

/// Column roles of a header row, if it is one: at least a title and a lead or deadline.
fn header_of(row: &[String]) -> Option<Vec<Option<Role>>> {
    let mut roles: Vec<Option<Role>> = row.iter().map(|c| header_role(c)).collect();
    let folded: Vec<String> = row.iter().map(|c| fold(c)).collect();
    // "Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi": a table of targets each
    // given to a body — the target is the task, "Đơn vị" its unit of measure.
    // Several task-like columns ("Thuộc nhóm nhiệm vụ" and "Nội dung nhiệm vụ"): the task
    // is the content; the others group it.
    let titles: Vec<usize> = (0..roles.len())
        .filter(|&k| roles[k] == Some(Role::Title))
        .collect();
    if titles.len() > 1 {
        if let Some(&keep) = titles.iter().find(|&&k| folded[k].contains("noi dung")) {
            for &k in &titles {
                if k != keep {
                    roles[k] = Some(Role::Note);
                }
            }
        }
    }
    let chu_tri = folded.iter().any(|f| f.contains("chu tri"));
    if !roles.contains(&Some(Role::Title)) && chu_tri {
        if let Some(k) = folded.iter().position(|f| f.contains("chi tieu")) {
            roles[k] = Some(Role::Title);
            for (r, f) in roles.iter_mut().zip(&folded) {
                if f == "don vi" || f == "don vi tinh" {
                    *r = None;
                }
            }
        }
    }
    let has = |r: Role| roles.contains(&Some(r));
    let named = roles.iter().filter(|r| r.is_some()).count();
    (named >= 2 && has(Role::Title) && (has(Role::Lead) || has(Role::Deadline))).then_some(roles)
}

/// Whether a table opens with a task header (within its first rows): the tables whose
/// cells are tasks, not layout or key–value pairs.
pub fn has_task_header(rows: &[Vec<String>]) -> bool {
    rows.iter().take(4).any(|r| header_of(r).is_some())
}

/// Reads the tasks of a table. `carried` keeps the header of the previous task table, for
/// a table continued without its header (a page break in Word, a second appendix part).
pub fn tasks_from_table(
    rows: &[Vec<String>],
    reg: &Registry,
    reference: NaiveDate,
    carried: &mut Option<Vec<Option<Role>>>,
) -> Vec<ProposedTask> {
    let mut start = 0;
    let mut header: Option<Vec<Option<Role>>> = None;
    for (i, r) in rows.iter().enumerate().take(4) {
        if let Some(h) = header_of(r) {
            header = Some(h);
            start = i + 1;
            break;
        }
    }
    // A two-level header: "Cơ quan thực hiện" over "Chủ trì" | "Phối hợp".
    if let (Some(h), Some(next)) = (header.as_mut(), rows.get(start)) {
        let sub: Vec<Option<Role>> = next.iter().map(|c| header_role(c)).collect();
        if sub.iter().filter(|r| r.is_some()).count() >= 2
            && next
                .iter()
                .all(|c| c.trim().is_empty() || header_role(c).is_some())
        {
            for (k, r) in sub.into_iter().enumerate() {
                if let (Some(r), Some(slot)) = (r, h.get_mut(k)) {
                    *slot = Some(r);
                }
            }
            start += 1;
        }
    }
    let header = match header {
        Some(h) => {
            *carried = Some(h.clone());
            h
        }
        None => match carried {
            Some(h) if rows.first().is_some_and(|r| r.len() == h.len()) => h.clone(),
            _ => return vec![],
        },
    };
    let has_lead_column = header.contains(&Some(Role::Lead));
    let mut section_lead: Option<String> = None;
    let mut section_deadline: Option<Deadline> = None;
    let mut out = Vec::new();
    let body = &rows[start..];
    // The last row with every cell: rows under its merged cells (lead, coordinators, group)
    // carry only the cells on their right.
    let mut full: Option<&Vec<String>> = None;
    for (k, row) in body.iter().enumerate() {
        let merged;
        let row = match full {
            Some(f)
                if row.len() >= 2
                    && row.len() < header.len()
                    && !row.first().is_some_and(|c| is_row_ref(c))
                    && header[header.len() - row.len()..].contains(&Some(Role::Title)) =>
            {
                merged = f[..header.len() - row.len()]
                    .iter()
                    .chain(row.iter())
                    .cloned()
                    .collect::<Vec<String>>();
                &merged
            }
            _ => {
                if row.len() == header.len() && row.first().is_some_and(|c| is_row_ref(c)) {
                    full = Some(row);
                }
                row
            }
        };
        let Some(cells) = align(row, &header, reg, reference) else {
            continue;
        };
        let nonempty: Vec<&String> = [
            &cells.title,
            &cells.lead,
            &cells.coordinators,
            &cells.deadline,
            &cells.product,
        ]
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
        if nonempty.is_empty() {
            continue;
        }
        // A row with nothing but its title heads a section, unless it is a numbered task
        // whose other cells are missing: numbered 1, 2… and not followed by 1.1, 1.2….
        let reference_no = cells.reference.trim().trim_end_matches(['.', ')']);
        let numbered = !reference_no.is_empty()
            && reference_no.chars().all(|c| c.is_ascii_digit() || c == '.');
        let has_children = body
            .get(k + 1)
            .and_then(|r| r.first())
            .is_some_and(|next| next.trim().starts_with(&format!("{reference_no}.")));
        let capitals = {
            let letters: Vec<char> = cells.title.chars().filter(|c| c.is_alphabetic()).collect();
            !letters.is_empty() && letters.iter().all(|c| c.is_uppercase())
        };
        let section = cells.lead.trim().is_empty()
            && cells.deadline.trim().is_empty()
            && cells.coordinators.trim().is_empty()
            && (cells.product.trim().is_empty() || cells.product == cells.title)
            && (!numbered || has_children || capitals || !has_lead_column);
        if section {
            // "Giai đoạn 2025-2027", "Năm 2026": the period of the rows under it
            let t = cells.title.trim();
            let ft = fold(t);
            // (a sub-section under it keeps it; the next period replaces it)
            if let Some(d) = ((ft.starts_with("giai doan") || ft.starts_with("nam "))
                && t.split_whitespace().count() <= 6)
                .then(|| Deadline::parse(t, reference))
                .filter(|d| d.kind == DeadlineKind::Year)
            {
                section_deadline = Some(d);
            }
            if !has_lead_column {
                let t = cells.title.trim();
                section_lead = reg
                    .leading_units(t)
                    .filter(|(_, end)| {
                        t[*end..]
                            .trim()
                            .chars()
                            .filter(|c| c.is_alphanumeric())
                            .count()
                            < 3
                    })
                    .map(|_| t.to_string());
            }
            continue;
        }
        let title = clean_title(&cells.title);
        let deadline = if cells.deadline.trim().is_empty() {
            // No deadline cell: the task's own words may give one ("…, xong trước 30/6"),
            // else the period of its section.
            Deadline::find_in(&title, reference)
                .or_else(|| section_deadline.clone())
                .unwrap_or_else(|| Deadline::parse("", reference))
        } else {
            Deadline::parse(&one_line(&cells.deadline), reference)
        };
        if title.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            continue;
        }
        // A row naming only bodies ("Bộ Công Thương", "UBND các tỉnh/ thành phố") heads the
        // rows of those bodies; it is no task.
        let bare = title.trim_end_matches(['.', ':']);
        let only_bodies = reg.leading_units(bare).is_some_and(|(_, end)| {
            bare[end..].chars().filter(|c| c.is_alphanumeric()).count() < 3
        });
        if only_bodies {
            if !has_lead_column {
                section_lead = Some(bare.to_string());
            }
            continue;
        }
        let (lead_text, coordinators) = split_roles(&cells.lead, &cells.coordinators);
        let lead_text = if lead_text.trim().is_empty() {
            section_lead.clone().unwrap_or_default()
        } else {
            lead_text
        };
        out.push(ProposedTask::new(
            cells.reference.trim().trim_end_matches('.').to_string(),
            title,
            &lead_text,
            &coordinators,
            deadline,
            one_line(&cells.product),
            reg,
            Source::Table,
        ));
    }
    out
}

/// One "Cơ quan thực hiện" cell naming both roles — "Sở Y tế chủ trì; Công an tỉnh phối
/// hợp", "Sở Y tế (chủ trì), Sở Tài chính" — split into lead and coordinators.
pub(super) fn split_roles(lead: &str, coordinators: &str) -> (String, String) {
    let f = fold(lead);
    if !f.contains("chu tri") && !f.contains("phoi hop") {
        return (lead.to_string(), coordinators.to_string());
    }
    let strip = |s: &str, word: &str| -> String {
        let (fs, map) = crate::text::fold_mapped(s);
        match fs.find(word) {
            Some(i) => format!("{} {}", &s[..map[i]], &s[map[i + word.len()]..])
                .replace("()", "")
                .trim()
                .trim_matches([',', ';', ' ', '(', ')', ':'])
                .to_string(),
            None => s.trim().to_string(),
        }
    };
    let mut parts: Vec<String> = lead
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    // "Sở Y tế (chủ trì), Sở Tài chính, Công an tỉnh": what follows the marked lead coordinates;
    // "Sở Nội vụ chủ trì, phối hợp với các sở, ngành …": what follows "phối hợp" does.
    if parts.len() == 1 {
        let (fs, map) = crate::text::fold_mapped(&parts[0]);
        if let (Some(i), Some(j)) = (fs.find("chu tri"), fs.find("phoi hop")) {
            if i < j {
                let lead = parts[0][..map[i]]
                    .trim()
                    .trim_end_matches([',', '('])
                    .trim()
                    .to_string();
                let mut after = map[j + "phoi hop".len()];
                let rest = parts[0][after..].trim_start();
                if crate::text::fold(rest).starts_with("voi ") {
                    after += parts[0][after..].len() - rest.len() + "với ".len();
                }
                let co = parts[0][after..]
                    .trim()
                    .trim_matches([',', ')', ' '])
                    .to_string();
                let mut coords = vec![];
                if !coordinators.trim().is_empty() {
                    coords.push(coordinators.trim().to_string());
                }
                if !co.is_empty() {
                    coords.push(co);
                }
                return (lead, coords.join("; "));
            }
        }
        if let Some(i) = fs.find("chu tri") {
            let after = map[i + "chu tri".len()];
            let rest = parts[0][after..]
                .trim_start_matches([')', ' '])
                .trim_start_matches(',');
            if !rest.trim().is_empty() && !fold(rest).contains("phoi hop") {
                let head = parts[0][..after].to_string();
                parts = vec![head, format!("{} phối hợp", rest.trim())];
            }
        }
    }
    let mut leads = Vec::new();
    let mut coords: Vec<String> = Vec::new();
    if !coordinators.trim().is_empty() {
        coords.push(coordinators.trim().to_string());
    }
    for p in parts {
        let fp = fold(&p);
        if fp.contains("phoi hop") && !fp.contains("chu tri") {
            coords.push(strip(&p, "phoi hop"));
        } else {
            leads.push(strip(&p, "chu tri"));
        }
    }
    (leads.join("; "), coords.join("; "))
}

/// Splits a row whose cells ran together on one line: the title up to the first unit
/// name, the unit names (a space with no separator between two of them is the border
/// between the lead and coordinating columns), then the deadline phrase and the product,
/// in the header's order.
fn split_run_on(
    line: &str,
    reference_no: String,
    header: &[Option<Role>],
    reg: &Registry,
    reference: NaiveDate,
) -> Cells {
    let mut c = Cells {
        reference: reference_no,
        ..Default::default()
    };
    let text = one_line(line);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    // The first word from which unit names follow (not the very first: that is the title).
    let units_at = starts.iter().skip(1).find_map(|&i| {
        reg.leading_units(&text[i..])
            .filter(|(u, _)| u.iter().any(|x| x.unit.is_some()))
            .map(|(u, end)| (i, u, i + end))
    });
    let is_deadline_start = |at: usize| {
        let words: Vec<&str> = text[at..].split(' ').take(6).collect();
        (1..=words.len()).rev().find_map(|n| {
            let phrase = words[..n].join(" ");
            looks_like_deadline(&phrase, reference).then(|| at + phrase.len())
        })
    };
    let Some((u_start, units, u_end)) = units_at else {
        c.title = text;
        return c;
    };
    c.title = text[..u_start].trim().to_string();
    // Lead and coordinators: split where two unit names meet with only a space between.
    let mut lead_end = u_end;
    if header.contains(&Some(Role::Coordinators)) && units.len() > 1 {
        for w in units.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if let (Some(ai), Some(bi)) =
                (text[u_start..].find(&a.text), text[u_start..].find(&b.text))
            {
                let gap = &text[u_start + ai + a.text.len()..u_start + bi.max(ai + a.text.len())];
                if gap.trim().is_empty() {
                    lead_end = u_start + ai + a.text.len();
                    break;
                }
            }
        }
    }
    c.lead = text[u_start..lead_end].trim().to_string();
    let mut rest_at = u_end;
    if lead_end < u_end {
        c.coordinators = text[lead_end..u_end].trim().to_string();
    }
    // Coordinators the registry does not know run up to the deadline.
    let tail_starts: Vec<usize> = starts.iter().copied().filter(|&i| i >= rest_at).collect();
    if let Some((d_start, d_end)) = tail_starts
        .iter()
        .find_map(|&i| is_deadline_start(i).map(|e| (i, e)))
    {
        if header.contains(&Some(Role::Coordinators)) && c.coordinators.is_empty() {
            c.coordinators = text[rest_at..d_start].trim().to_string();
        }
        c.deadline = text[d_start..d_end].trim().to_string();
        rest_at = d_end;
    }
    c.product = text[rest_at.min(text.len())..].trim().to_string();
    c
}

/// Whether a cell or phrase states a deadline: a date, month, quarter, year or recurrence,
/// or one that depends on something ("Theo kế hoạch…", "Khi có yêu cầu", "Sau khi…").
fn looks_like_deadline(phrase: &str, reference: NaiveDate) -> bool {
    let f = fold(phrase);
    matches!(
        Deadline::parse(phrase, reference).kind,
        DeadlineKind::Date
            | DeadlineKind::Month
            | DeadlineKind::Quarter
            | DeadlineKind::Year
            | DeadlineKind::Recurring
    ) || f.starts_with("theo ")
        || f.starts_with("khi ")
        || f.starts_with("sau khi")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Default)]
struct Cells {
    reference: String,
    title: String,
    lead: String,
    coordinators: String,
    deadline: String,
    product: String,
}

/// The row's cells by role: by position when the row has the header's width, by content
/// otherwise. None for a row that is only a number or only repeats the header.
fn align(
    row: &[String],
    header: &[Option<Role>],
    reg: &Registry,
    reference: NaiveDate,
) -> Option<Cells> {
    let numbered = row.first().is_some_and(|c| is_row_ref(c));
    if row.iter().all(|c| c.trim().is_empty()) || (!numbered && header_of(row).is_some()) {
        return None;
    }
    let mut c = Cells::default();
    let positional = row.len() == header.len()
        || (row.len() > header.len() && row[header.len()..].iter().all(|x| x.trim().is_empty()));
    if positional {
        for (cell, role) in row.iter().zip(header) {
            let slot = match role {
                Some(Role::Ref) => &mut c.reference,
                Some(Role::Title) => &mut c.title,
                Some(Role::Lead) => &mut c.lead,
                Some(Role::Coordinators) => &mut c.coordinators,
                Some(Role::Deadline) => &mut c.deadline,
                Some(Role::Product) => &mut c.product,
                Some(Role::Note) | None => continue,
            };
            if slot.is_empty() {
                *slot = cell.trim().to_string();
            }
        }
        return Some(c);
    }
    // By content: the number, then the title up to the first unit phrase, the lead, the
    // coordinators, the deadline, and the product after it.
    let mut lines: Vec<String> = row
        .iter()
        .flat_map(|cell| {
            cell.split('\n')
                .map(|l| l.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if lines.first().is_some_and(|l| is_row_ref(l)) {
        c.reference = lines.remove(0);
    }
    let has = |r: Role| header.contains(&Some(r));
    if lines.len() == 1 && header.iter().flatten().count() >= 3 {
        // A whole row on one line, cells separated by single spaces (a PDF's text layer).
        return Some(split_run_on(&lines[0], c.reference, header, reg, reference));
    }
    let is_units = |l: &str| {
        reg.leading_units(l).is_some_and(|(_, end)| {
            l[end..]
                .trim()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count()
                < 4
        }) || {
            let r = reg.resolve(l);
            !r.is_empty() && r.iter().all(|u| u.unit.is_some())
        }
    };
    let is_deadline = |l: &str| l.chars().count() < 60 && looks_like_deadline(l, reference);
    #[derive(PartialEq, PartialOrd)]
    enum Stage {
        Title,
        Lead,
        Coordinators,
        Product,
    }
    let mut stage = Stage::Title;
    for l in lines {
        if stage == Stage::Title && c.title.is_empty() {
            c.title = l;
            continue;
        }
        // A line starting in lower case goes on with the cell above (a wrapped title).
        let continues = l.chars().next().is_some_and(char::is_lowercase);
        if !continues
            && stage <= Stage::Coordinators
            && c.deadline.is_empty()
            && is_deadline(&l)
            && !is_units(&l)
        {
            c.deadline = l;
            stage = Stage::Product;
            continue;
        }
        if !continues
            && stage < Stage::Product
            && (is_units(&l) || (stage == Stage::Lead && has(Role::Coordinators)))
        {
            if stage == Stage::Title && has(Role::Lead) {
                c.lead = l;
                stage = Stage::Lead;
            } else if stage <= Stage::Lead && has(Role::Coordinators) {
                c.coordinators = l;
                stage = Stage::Coordinators;
            } else if stage == Stage::Coordinators {
                c.coordinators = format!("{}; {l}", c.coordinators);
            } else {
                c.lead = format!("{}; {l}", c.lead);
            }
            continue;
        }
        match stage {
            Stage::Title => {
                c.title.push(' ');
                c.title.push_str(&l);
            }
            Stage::Lead => {
                c.lead.push(' ');
                c.lead.push_str(&l);
            }
            Stage::Coordinators => {
                c.coordinators.push(' ');
                c.coordinators.push_str(&l);
            }
            Stage::Product => {
                if !c.product.is_empty() {
                    c.product.push(' ');
                }
                c.product.push_str(&l);
            }
        }
    }
    Some(c)
}

/// Whether a line opens a row of a loose table: "1", "1.2", "II", "a)".
pub fn is_row_ref(t: &str) -> bool {
    let t = t.trim().trim_end_matches(['.', ')']);
    if t.is_empty() || t.len() > 8 {
        return false;
    }
    t.split('.')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        || t.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        || (t.chars().count() == 1 && t.chars().all(|c| c.is_lowercase()))
}
