//! The exchange format (see README, "Dossier and feedback data"): CSV (UTF-8, with or without
//! BOM, a header row naming the columns in any order) or JSON Lines (one object per line),
//! read as a stream. Every bad row is reported with its line number and a reason in
//! Vietnamese; good rows are kept.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::model::*;
use super::rules::VN_OFFSET;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}: {}", self.line, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("không đọc được tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error("tệp CSV thiếu cột bắt buộc: {0}")]
    MissingColumns(String),
    #[error("tệp CSV không đọc được: {0}")]
    Csv(String),
    #[error("tệp rỗng")]
    Empty,
}

/// An instant as exports write it: RFC 3339 with an offset, or Vietnam's local time
/// "YYYY-MM-DD HH:MM[:SS]" (also with "T"), or a date (its start).
pub fn instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = local_fast(s.as_bytes()) {
        return Some(t);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&t).timestamp() - VN_OFFSET);
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()?;
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?).timestamp() - VN_OFFSET)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The common export form "YYYY-MM-DD HH:MM[:SS]" (Vietnam's time) read without a general
/// parser: imports read tens of millions of these. Anything else falls back to chrono.
fn local_fast(b: &[u8]) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as i64;
        }
        Some(v)
    };
    if !(b.len() == 16 || b.len() == 19)
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b' ' || b[10] == b'T')
        || b[13] != b':'
    {
        return None;
    }
    let (y, m, d, h, mi) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let sec = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        num(17..19)?
    } else {
        0
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + sec - VN_OFFSET)
}

/// A due date given as a date alone means the end of that day.
fn due_instant(s: &str) -> Option<i64> {
    let t = instant(s)?;
    let date_only = s.trim().len() <= 10;
    Some(if date_only { t + 86_399 } else { t })
}

fn flag(s: &str) -> Option<bool> {
    match s {
        "1" => return Some(true),
        "0" | "" => return Some(false),
        _ => {}
    }
    match s.trim().to_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "co" | "có" | "x" => Some(true),
        "" | "0" | "false" | "no" | "n" | "khong" | "không" => Some(false),
        _ => None,
    }
}

/// The value in lower case, borrowed when it already is (the usual case).
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    let s = s.trim();
    if s.bytes().any(|b| b.is_ascii_uppercase()) || !s.is_ascii() {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A field longer than this is a bad row: no column of the format is near it, and a runaway
/// field must not carry megabytes into an error message.
const MAX_FIELD: usize = 4096;

/// The mark a line with an unbalanced quote becomes (see [`LineGuard`]).
const UNBALANCED: &str = "\u{1}";

/// Every physical line of a CSV body is one record: a line with an odd number of quote
/// characters (a quoted field never closed) becomes a one-field mark that the reader reports
/// as a bad row, instead of swallowing the rest of the file into one field. Line numbers
/// stay those of the file.
struct LineGuard<R> {
    inner: R,
    line: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> LineGuard<R> {
    fn new(inner: R) -> LineGuard<R> {
        LineGuard {
            inner,
            line: Vec::with_capacity(4096),
            pos: 0,
        }
    }
}

impl<R: BufRead> Read for LineGuard<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.line.len() {
            self.line.clear();
            self.pos = 0;
            if self.inner.read_until(b'\n', &mut self.line)? == 0 {
                return Ok(0);
            }
            if self.line.iter().filter(|b| **b == b'"').count() % 2 == 1 {
                let end = self.line.ends_with(b"\n");
                self.line.clear();
                self.line.extend_from_slice(UNBALANCED.as_bytes());
                if end {
                    self.line.push(b'\n');
                }
            }
        }
        let n = out.len().min(self.line.len() - self.pos);
        out[..n].copy_from_slice(&self.line[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// One row, whatever the format: a value by column name.
trait Row {
    fn get(&self, c: Col) -> &str;
}

/// Every column the format knows, so a CSV row finds its fields by position, not by hashing
/// the column name for each field of each of millions of rows.
const KNOWN: &[&str] = &[
    "dossier_code",
    "unit_code",
    "procedure_code",
    "fee_required",
    "channel",
    "online_mode",
    "received_at",
    "due_at",
    "finished_at",
    "status",
    "supplement_requests",
    "supplement_days",
    "digitized",
    "e_result",
    "reused_data",
    "paid_online",
    "rating",
    "feedback_code",
    "category",
    "resolved_at",
    "repeat",
];

/// A column of the format, by its position in `KNOWN`.
#[derive(Debug, Clone, Copy)]
enum Col {
    DossierCode,
    UnitCode,
    ProcedureCode,
    FeeRequired,
    Channel,
    OnlineMode,
    ReceivedAt,
    DueAt,
    FinishedAt,
    Status,
    SupplementRequests,
    SupplementDays,
    Digitized,
    EResult,
    ReusedData,
    PaidOnline,
    Rating,
    FeedbackCode,
    Category,
    ResolvedAt,
    Repeat,
}

impl Col {
    fn name(self) -> &'static str {
        KNOWN[self as usize]
    }
}

struct CsvRow<'a> {
    positions: &'a [Option<usize>],
    record: &'a csv::StringRecord,
}

impl Row for CsvRow<'_> {
    fn get(&self, c: Col) -> &str {
        self.positions[c as usize]
            .and_then(|i| self.record.get(i))
            .map(str::trim_ascii)
            .unwrap_or("")
    }
}

struct JsonRow(HashMap<String, String>);

impl Row for JsonRow {
    fn get(&self, c: Col) -> &str {
        self.0.get(c.name()).map(String::as_str).unwrap_or("")
    }
}

fn json_row(line: &str) -> Result<JsonRow, String> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("không phải JSON hợp lệ ({e})"))?;
    let obj = v.as_object().ok_or("mỗi dòng phải là một đối tượng JSON")?;
    // a code written as a number has lost its leading zeros ("00123" → 123)
    for code in [
        "dossier_code",
        "unit_code",
        "procedure_code",
        "feedback_code",
    ] {
        if obj.get(code).is_some_and(|v| v.is_number()) {
            return Err(format!(
                "{code} phải là chuỗi trong dấu ngoặc kép (mã dạng số mất số 0 ở đầu)"
            ));
        }
    }
    Ok(JsonRow(
        obj.iter()
            .map(|(k, v)| {
                let s = match v {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Bool(b) => (if *b { "1" } else { "0" }).to_string(),
                    other => other.to_string(),
                };
                (k.trim().to_lowercase(), s)
            })
            .collect(),
    ))
}

struct Fields<'a> {
    row: &'a dyn Row,
    errors: Vec<String>,
}

impl Fields<'_> {
    fn text(&mut self, c: Col, required: bool) -> String {
        let name = c.name();
        let v = self.row.get(c).trim_ascii();
        if required && v.is_empty() {
            self.errors.push(format!("thiếu {name}"));
        }
        v.to_string()
    }
    fn flag(&mut self, c: Col) -> bool {
        let name = c.name();
        let v = self.row.get(c);
        flag(v).unwrap_or_else(|| {
            self.errors.push(format!("{name} “{v}” phải là 0 hoặc 1"));
            false
        })
    }
    fn instant(&mut self, c: Col, required: bool, due: bool) -> Option<i64> {
        let name = c.name();
        let v = self.row.get(c).trim_ascii();
        if v.is_empty() {
            if required {
                self.errors.push(format!("thiếu {name}"));
            }
            return None;
        }
        let t = if due { due_instant(v) } else { instant(v) };
        if t.is_none() {
            self.errors.push(format!(
                "{name} “{v}” không phải thời điểm hợp lệ (YYYY-MM-DD HH:MM)"
            ));
        }
        t
    }
    fn number(&mut self, c: Col) -> f64 {
        let name = c.name();
        let v = self.row.get(c).trim_ascii();
        if v.is_empty() {
            return 0.0;
        }
        // digits and one decimal mark: no exponent ("1e3"), sign, "inf" or "NaN"
        let plain = v
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
        match v.replace(',', ".").parse::<f64>() {
            Ok(n) if plain && n.is_finite() => n,
            _ => {
                self.errors
                    .push(format!("{name} “{v}” phải là số không âm"));
                0.0
            }
        }
    }
    fn rating(&mut self, c: Col) -> Rating {
        let name = c.name();
        match lower(self.row.get(c)).as_ref() {
            "" | "empty" | "none" => Rating::Empty,
            "satisfied" | "hai_long" | "hài lòng" | "1" => Rating::Satisfied,
            "unsatisfied" | "khong_hai_long" | "không hài lòng" | "0" => Rating::Unsatisfied,
            other => {
                self.errors.push(format!(
                    "{name} “{other}” phải là satisfied, unsatisfied hoặc để trống"
                ));
                Rating::Empty
            }
        }
    }
}

pub const DOSSIER_REQUIRED: &[&str] = &["dossier_code", "unit_code", "received_at"];
pub const FEEDBACK_REQUIRED: &[&str] = &["feedback_code", "unit_code", "received_at"];

fn dossier_from(row: &dyn Row) -> Result<Dossier, String> {
    let mut f = Fields {
        row,
        errors: vec![],
    };
    let code = f.text(Col::DossierCode, true);
    let unit_code = f.text(Col::UnitCode, true);
    let procedure_code = f.text(Col::ProcedureCode, false);
    let fee_required = f.flag(Col::FeeRequired);
    let channel = match lower(row.get(Col::Channel)).as_ref() {
        "direct" | "1" | "" => Channel::Direct,
        "online" | "2" => Channel::Online,
        "postal" | "3" => Channel::Postal,
        other => {
            f.errors.push(format!(
                "channel “{other}” phải là direct, online hoặc postal"
            ));
            Channel::Direct
        }
    };
    let online_mode = match lower(row.get(Col::OnlineMode)).as_ref() {
        "" | "none" => OnlineMode::None,
        "partial" => OnlineMode::Partial,
        "full" => OnlineMode::Full,
        other => {
            f.errors.push(format!(
                "online_mode “{other}” phải là none, partial hoặc full"
            ));
            OnlineMode::None
        }
    };
    let received_at = f.instant(Col::ReceivedAt, true, false);
    let due_at = f.instant(Col::DueAt, false, true);
    let finished_at = f.instant(Col::FinishedAt, false, false);
    let status = match lower(row.get(Col::Status)).as_ref() {
        "" => {
            if finished_at.is_some() {
                DossierStatus::Finished
            } else {
                DossierStatus::InProgress
            }
        }
        "in_progress" | "processing" | "waiting_supplement" => DossierStatus::InProgress,
        "finished" | "returned" | "done" => DossierStatus::Finished,
        "rejected" | "stopped" => DossierStatus::Rejected,
        "withdrawn" => DossierStatus::Withdrawn,
        other => {
            f.errors.push(format!(
                "status “{other}” phải là in_progress, finished, rejected hoặc withdrawn"
            ));
            DossierStatus::InProgress
        }
    };
    let requests = f.number(Col::SupplementRequests);
    if requests.fract() != 0.0 {
        f.errors
            .push("supplement_requests phải là số nguyên".into());
    }
    let supplement_days = f.number(Col::SupplementDays);
    let digitized = f.flag(Col::Digitized);
    let e_result = f.flag(Col::EResult);
    let reused_data = f.flag(Col::ReusedData);
    let paid_online = f.flag(Col::PaidOnline);
    let rating = f.rating(Col::Rating);
    if status.ended() && finished_at.is_none() && f.errors.is_empty() {
        f.errors
            .push("hồ sơ đã kết thúc xử lý nhưng thiếu finished_at".into());
    }
    if let (Some(r), Some(e)) = (received_at, finished_at) {
        if e < r {
            f.errors.push("finished_at trước received_at".into());
        }
    }
    if !f.errors.is_empty() {
        return Err(f.errors.join("; "));
    }
    Ok(Dossier {
        code,
        unit_code,
        procedure_code,
        fee_required,
        channel,
        online_mode,
        received_at: received_at.unwrap_or(0),
        due_at,
        finished_at: if status.ended() { finished_at } else { None },
        status,
        supplement_requests: requests as u32,
        supplement_days,
        digitized,
        e_result,
        reused_data,
        paid_online,
        rating,
    })
}

fn feedback_from(row: &dyn Row) -> Result<Feedback, String> {
    let mut f = Fields {
        row,
        errors: vec![],
    };
    let code = f.text(Col::FeedbackCode, true);
    let unit_code = f.text(Col::UnitCode, true);
    let category = f.text(Col::Category, false);
    let received_at = f.instant(Col::ReceivedAt, true, false);
    let due_at = f.instant(Col::DueAt, false, true);
    let resolved_at = f.instant(Col::ResolvedAt, false, false);
    let rating = f.rating(Col::Rating);
    let repeat = f.flag(Col::Repeat);
    if let (Some(r), Some(e)) = (received_at, resolved_at) {
        if e < r {
            f.errors.push("resolved_at trước received_at".into());
        }
    }
    if !f.errors.is_empty() {
        return Err(f.errors.join("; "));
    }
    Ok(Feedback {
        code,
        unit_code,
        category,
        received_at: received_at.unwrap_or(0),
        due_at,
        resolved_at,
        rating,
        repeat,
    })
}

/// Reads rows from CSV or JSON Lines (decided by the first character) and hands each one,
/// good or bad, to `each`. Fails only when the file as a whole cannot be read.
fn read_rows<T>(
    input: impl Read,
    required: &[&str],
    build: impl Fn(&dyn Row) -> Result<T, String>,
    mut each: impl FnMut(u64, Result<T, RowError>),
) -> Result<(), ReadError> {
    let mut r = BufReader::with_capacity(1 << 20, input);
    // Skip a UTF-8 byte order mark, then look at the first character.
    let buf = r.fill_buf()?;
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.consume(3);
    }
    let first = r
        .fill_buf()?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    match first {
        None => Err(ReadError::Empty),
        Some(b'{') => {
            let mut line = String::new();
            let mut n = 0u64;
            loop {
                line.clear();
                if r.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                n += 1;
                if line.trim().is_empty() {
                    continue;
                }
                each(
                    n,
                    json_row(line.trim())
                        .and_then(|row| build(&row))
                        .map_err(|reason| RowError { line: n, reason }),
                );
            }
        }
        Some(_) => {
            let mut rdr = csv_reader(LineGuard::new(r), true);
            let header = rdr
                .headers()
                .map_err(|e| ReadError::Csv(e.to_string()))?
                .clone();
            let positions = positions(&header, required)?;
            csv_body(&mut rdr, &positions, header.len(), 0, &build, &mut each);
            Ok(())
        }
    }
}

/// Where each known column sits in a CSV header (names trimmed, any case); the required
/// ones must be there.
fn positions(
    header: &csv::StringRecord,
    required: &[&str],
) -> Result<Vec<Option<usize>>, ReadError> {
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(ReadError::MissingColumns(missing.join(", ")));
    }
    Ok(KNOWN.iter().map(|k| index.get(*k).copied()).collect())
}

fn csv_reader<R: Read>(r: R, headers: bool) -> csv::Reader<R> {
    // Fields are trimmed when read (`CsvRow::get`): trimming whole records costs a copy each.
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(headers)
        .from_reader(r)
}

/// The records of a CSV body; `lines_before` lines precede the reader's first line. `width`:
/// the header's number of columns, which every row must have.
fn csv_body<R: Read, T>(
    rdr: &mut csv::Reader<R>,
    positions: &[Option<usize>],
    width: usize,
    lines_before: u64,
    build: &impl Fn(&dyn Row) -> Result<T, String>,
    each: &mut impl FnMut(u64, Result<T, RowError>),
) {
    let mut record = csv::StringRecord::new();
    loop {
        let line = lines_before + rdr.position().line();
        let bad = |reason: String| Err(RowError { line, reason });
        match rdr.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) if record.len() == 1 && record.get(0) == Some(UNBALANCED) => each(
                line,
                bad("dấu ngoặc kép (\") mở mà không đóng trên dòng này; dòng bị bỏ qua".into()),
            ),
            Ok(true) if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) => {
                // a blank line
            }
            Ok(true) if record.len() != width => {
                // what the short row lacks, too
                let lacks = build(&CsvRow {
                    positions,
                    record: &record,
                })
                .err()
                .map(|e| format!("; {e}"))
                .unwrap_or_default();
                each(
                    line,
                    bad(format!(
                        "dòng có {} cột, tiêu đề có {width} cột{lacks}",
                        record.len()
                    )),
                )
            }
            Ok(true) if record.iter().any(|f| f.len() > MAX_FIELD) => {
                each(line, bad(format!("có trường dài quá {MAX_FIELD} ký tự")))
            }
            Ok(true) => {
                let row = CsvRow {
                    positions,
                    record: &record,
                };
                each(
                    line,
                    build(&row).map_err(|reason| RowError { line, reason }),
                );
            }
            Err(e) => {
                let mut reason = format!("dòng CSV hỏng ({e})");
                reason.truncate(reason.floor_char_boundary(300));
                each(line, bad(reason))
            }
        }
    }
}

/// Reads a dossier file on disk with `threads` workers, each over its own part of a CSV file
/// (split at line ends outside quoted fields, so every record is read whole and keeps its
/// line number). Each worker folds its rows into its own state, made by `init`; the states
/// come back in file order. JSON Lines and small files are read by one worker.
fn read_parallel<T, A: Send>(
    path: &std::path::Path,
    threads: usize,
    required: &[&str],
    build: fn(&dyn Row) -> Result<T, String>,
    init: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, u64, Result<T, RowError>) + Sync,
) -> Result<Vec<A>, ReadError> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = vec![0u8; 1 << 16];
    let n = file.read(&mut head)?;
    head.truncate(n);
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let header_end = head.iter().position(|b| *b == b'\n').map(|i| i as u64 + 1);
    let first = head[bom..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let single = |file: std::fs::File| -> Result<Vec<A>, ReadError> {
        let mut state = init();
        read_rows(file, required, build, |n, r| each(&mut state, n, r))?;
        Ok(vec![state])
    };
    file.seek(SeekFrom::Start(0))?;
    let header_end = match (first, header_end) {
        (Some(b'{'), _) | (_, None) => return single(file),
        (_, Some(_)) if threads < 2 || size < 4 << 20 => return single(file),
        (_, Some(h)) => h,
    };
    let header = csv_reader(&head[bom..header_end as usize], false)
        .records()
        .next()
        .and_then(|r| r.ok())
        .unwrap_or_default();
    let positions = positions(&header, required)?;
    let width = header.len();
    // Split points: at a line end (a record never spans lines, see `LineGuard`). Each worker's
    // share is first counted (line ends, in parallel), so the split points and the line numbers
    // before them follow from the counts without one reader scanning ahead.
    let targets: Vec<u64> = (0..=threads as u64)
        .map(|k| header_end + (size - header_end) * k / threads as u64)
        .collect();
    let counts: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .windows(2)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                scope.spawn(move || count_range(path, from, to))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("counting stopped")))
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut parts: Vec<(u64, u64)> = vec![(header_end, 1)]; // (start, lines before start)
    let mut lines = 1u64;
    for k in 1..threads {
        lines += counts[k - 1];
        match next_split(path, targets[k])? {
            // A line longer than a share: fewer, longer parts.
            Some((at, more)) if at < targets[k + 1] => parts.push((at, lines + more)),
            _ => break,
        }
    }
    let ends: Vec<u64> = parts.iter().skip(1).map(|p| p.0).chain([size]).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .zip(ends)
            .map(|(&(start, lines_before), end)| {
                let (init, each, positions) = (&init, &each, &positions);
                scope.spawn(move || -> Result<A, ReadError> {
                    let mut f = std::fs::File::open(path)?;
                    f.seek(SeekFrom::Start(start))?;
                    let r = BufReader::with_capacity(1 << 20, f.take(end - start));
                    let mut rdr = csv_reader(LineGuard::new(r), false);
                    let mut state = init();
                    csv_body(
                        &mut rdr,
                        positions,
                        width,
                        lines_before,
                        &build,
                        &mut |n, row| each(&mut state, n, row),
                    );
                    Ok(state)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ReadError::Csv("luồng đọc dừng bất thường".into())))
            })
            .collect()
    })
}

/// Line ends in bytes `from..to` of a file.
fn count_range(path: &std::path::Path, from: u64, to: u64) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(from))?;
    let mut r = f.take(to - from);
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0u64;
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
}

/// From byte `from`, the first position after a line end, and the line ends passed (one).
fn next_split(path: &std::path::Path, from: u64) -> std::io::Result<Option<(u64, u64)>> {
    use std::io::{Seek, SeekFrom};
    let mut f = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    f.seek(SeekFrom::Start(from))?;
    let mut skipped = Vec::new();
    if f.read_until(b'\n', &mut skipped)? == 0 || !skipped.ends_with(b"\n") {
        return Ok(None);
    }
    Ok(Some((from + skipped.len() as u64, 1)))
}

pub fn read_dossiers_parallel<A: Send>(
    path: &std::path::Path,
    threads: usize,
    init: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, u64, Result<Dossier, RowError>) + Sync,
) -> Result<Vec<A>, ReadError> {
    read_parallel(path, threads, DOSSIER_REQUIRED, dossier_from, init, each)
}

pub fn read_feedback_parallel<A: Send>(
    path: &std::path::Path,
    threads: usize,
    init: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, u64, Result<Feedback, RowError>) + Sync,
) -> Result<Vec<A>, ReadError> {
    read_parallel(path, threads, FEEDBACK_REQUIRED, feedback_from, init, each)
}

pub fn read_dossiers(
    input: impl Read,
    mut each: impl FnMut(Result<Dossier, RowError>),
) -> Result<(), ReadError> {
    read_rows(input, DOSSIER_REQUIRED, dossier_from, |_, r| each(r))
}

pub fn read_feedback(
    input: impl Read,
    mut each: impl FnMut(Result<Feedback, RowError>),
) -> Result<(), ReadError> {
    read_rows(input, FEEDBACK_REQUIRED, feedback_from, |_, r| each(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_name_the_known_columns() {
        assert_eq!(Col::DossierCode.name(), "dossier_code");
        assert_eq!(Col::Repeat.name(), "repeat");
        assert_eq!(Col::Repeat as usize, KNOWN.len() - 1);
    }

    #[test]
    fn the_fast_path_agrees_with_chrono() {
        for s in [
            "2026-05-04 08:00",
            "2024-02-29 23:59:59",
            "1999-12-31T00:00:01",
            "2026-01-01 00:00",
        ] {
            let slow = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
                .map(|t| Utc.from_utc_datetime(&t).timestamp() - VN_OFFSET)
                .unwrap();
            assert_eq!(local_fast(s.as_bytes()), Some(slow), "{s}");
        }
        for bad in [
            "2026-02-29 08:00",
            "2026-13-01 08:00",
            "2026-05-04 24:00",
            "2026-05-04 08:60",
            "2026-05-0x 08:00",
        ] {
            assert_eq!(local_fast(bad.as_bytes()), None, "{bad}");
            assert_eq!(instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn csv_with_bom_and_bad_rows() {
        let csv = "\u{feff}dossier_code,unit_code,procedure_code,fee_required,channel,online_mode,received_at,due_at,finished_at,status,supplement_requests,supplement_days,digitized,e_result,reused_data,paid_online,rating\n\
            H1,26041,1.001,1,online,full,2026-05-04 08:00,2026-05-08,2026-05-08 16:00,finished,0,0,1,1,0,1,satisfied\n\
            H2,26041,1.001,0,direct,none,2026-13-04 08:00,,,in_progress,0,0,0,0,0,0,\n\
            H3,,1.002,0,fax,none,2026-05-04,,,,0,0,0,0,0,0,\n\
            H4,26041,1.002,0,postal,none,2026-05-04,2026-05-20,,in_progress,1,2.5,0,0,1,0,\n";
        let (mut ok, mut bad) = (vec![], vec![]);
        read_dossiers(csv.as_bytes(), |r| match r {
            Ok(d) => ok.push(d),
            Err(e) => bad.push(e),
        })
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].due_at, instant("2026-05-08 23:59:59"));
        assert_eq!(ok[1].supplement_days, 2.5);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 3);
        assert!(
            bad[0]
                .reason
                .contains("received_at “2026-13-04 08:00” không phải thời điểm hợp lệ"),
            "{}",
            bad[0]
        );
        assert_eq!(bad[1].line, 4);
        assert!(
            bad[1].reason.contains("thiếu unit_code") && bad[1].reason.contains("channel “fax”"),
            "{}",
            bad[1]
        );
    }

    #[test]
    fn a_broken_row_is_a_bad_row_with_its_line_and_never_takes_the_rest_of_the_file() {
        let head = "dossier_code,unit_code,received_at,supplement_requests\n";
        let long = "x".repeat(5000);
        let csv = format!(
            "{head}H1,26041,2026-05-04,0\n\
             H2,\"26041,2026-05-04,0\n\
             H3,26041,2026-05-04,0\n\
             H4,26041,2026-05-04\n\
             H5,26041,2026-05-04,0,9\n\
             H6,26041,2026-05-04,1e3\n\
             H7,26041,{long},0\n\
             \"H8\",\"26041\",2026-05-04,\"2\"\n"
        );
        let (mut ok, mut bad) = (vec![], vec![]);
        read_dossiers(csv.as_bytes(), |r| match r {
            Ok(d) => ok.push(d.code),
            Err(e) => bad.push((e.line, e.reason)),
        })
        .unwrap();
        assert_eq!(ok, ["H1", "H3", "H8"], "{bad:?}");
        let lines: Vec<u64> = bad.iter().map(|b| b.0).collect();
        assert_eq!(lines, [3, 5, 6, 7, 8], "{bad:?}");
        assert!(bad[0].1.contains("dấu ngoặc kép"), "{bad:?}");
        assert!(bad[1].1.contains("3 cột, tiêu đề có 4"), "{bad:?}");
        assert!(bad[3].1.contains("1e3"), "{bad:?}");
        assert!(bad.iter().all(|b| b.1.len() < 400), "short reasons");
    }

    #[test]
    fn a_code_written_as_a_number_in_json_lines_is_a_bad_row() {
        let jsonl =
            "{\"dossier_code\":\"H1\",\"unit_code\":26041,\"received_at\":\"2026-05-04\"}\n";
        let mut got = vec![];
        read_dossiers(jsonl.as_bytes(), |r| got.push(r)).unwrap();
        let e = got[0].as_ref().unwrap_err();
        assert!(e.reason.contains("unit_code phải là chuỗi"), "{e}");
    }

    #[test]
    fn json_lines_and_missing_columns() {
        let jsonl = "{\"dossier_code\":\"H1\",\"unit_code\":\"26041\",\"received_at\":\"2026-05-04T08:00:00+07:00\",\"finished_at\":null,\"digitized\":true,\"supplement_requests\":1}\n\nnot json\n";
        let mut got = vec![];
        read_dossiers(jsonl.as_bytes(), |r| got.push(r)).unwrap();
        assert_eq!(got.len(), 2);
        let d = got[0].as_ref().unwrap();
        assert!(d.digitized && d.status == DossierStatus::InProgress && d.supplement_requests == 1);
        assert_eq!(got[1].as_ref().unwrap_err().line, 3);
        let err = read_dossiers("code,unit\nx,y\n".as_bytes(), |_| {}).unwrap_err();
        assert!(
            err.to_string()
                .contains("dossier_code, unit_code, received_at"),
            "{err}"
        );
        assert!(matches!(
            read_dossiers("  \n".as_bytes(), |_| {}),
            Err(ReadError::Empty)
        ));
    }
}
