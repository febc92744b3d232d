//! Official documents steerco writes: the consolidated report of a period (Decree 30/2020
//! form, `.docx`), the task status appendix and the submission table (`.xlsx`), the urging
//! dispatch to a unit (`.docx`), and each unit's deadlines as an iCalendar feed.

pub mod blocks;
pub mod docx;
pub mod ical;
pub mod xlsx;

use chrono::{Datelike, NaiveDate};

use crate::dashboard::{Counts, ProvinceDashboard};
use crate::reporting::consolidation::{Consolidation, Level};
use crate::reporting::template::{show_number, show_ratio, FieldKind};
use crate::store::show_date;
use docx::{Align, Block, Para, Table};

/// Who issues a document: the parent body's line (if any), the issuer, the symbol used after
/// "Số: …/", the place name, and the signature block.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub parent: Option<String>,
    pub name: String,
    pub symbol: String,
    pub place: String,
    pub signer_title: String,
    pub signer_name: String,
    /// How the document's text names its issuer ("Ủy ban nhân dân tỉnh Đồng Nai").
    pub in_text: String,
}

impl Issuer {
    pub fn name_for_text(&self) -> &str {
        &self.in_text
    }

    /// A department of a province ("UBND TỈNH ĐỒNG NAI / SỞ NỘI VỤ", symbol "SNV"), or the
    /// province's committee itself ("ỦY BAN NHÂN DÂN / TỈNH ĐỒNG NAI", symbol "UBND").
    pub fn for_unit(unit: &crate::org::Unit, province_name: &str) -> Issuer {
        // "UBND tỉnh Đồng Nai" → ("TỈNH", "Đồng Nai"); "Thành phố Huế" → ("THÀNH PHỐ", "Huế")
        let bare = province_name
            .trim_start_matches("UBND ")
            .trim_start_matches("Ủy ban nhân dân ")
            .trim_start_matches("ỦY BAN NHÂN DÂN ");
        let folded = crate::text::fold(bare);
        let (level, place) = if folded.starts_with("thanh pho ") {
            ("THÀNH PHỐ", bare.chars().skip(10).collect::<String>())
        } else if folded.starts_with("tinh ") {
            ("TỈNH", bare.chars().skip(5).collect::<String>())
        } else {
            ("TỈNH", bare.to_string())
        };
        let place = place.trim().to_string();
        let province_upper = format!("{level} {}", place.to_uppercase());
        if unit.kind == "province" {
            Issuer {
                parent: Some("ỦY BAN NHÂN DÂN".into()),
                name: province_upper,
                symbol: "UBND".into(),
                in_text: format!("Ủy ban nhân dân {} {place}", level.to_lowercase()),
                place,
                signer_title: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".into(),
                signer_name: String::new(),
            }
        } else {
            let symbol = unit
                .code
                .rsplit('.')
                .next()
                .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()) && unit.code.contains('.'))
                .map(str::to_string)
                .unwrap_or_else(|| "UBND".into());
            let parent = if unit.kind == "commune" {
                None
            } else {
                Some(format!("UBND {province_upper}"))
            };
            Issuer {
                parent,
                name: unit.name.to_uppercase(),
                symbol,
                place,
                signer_title: "GIÁM ĐỐC".into(),
                signer_name: String::new(),
                in_text: unit.name.clone(),
            }
        }
    }
}

const TNR_SMALL: u32 = 12;
const BODY: u32 = 14;

fn cell(p: Para) -> Vec<Para> {
    vec![p]
}

/// The national motto beside the issuer, then the number and the place and date: boxes 1–4
/// of Decree 30/2020.
pub(crate) fn heading(issuer: &Issuer, number: &str, date: NaiveDate, kind_code: &str) -> Block {
    let mut left = vec![];
    if let Some(p) = &issuer.parent {
        left.push(Para::new(Align::Center).text(p, 13).after(0));
    }
    left.push(
        Para::new(Align::Center)
            .underlined_bold(&issuer.name, 13)
            .after(6),
    );
    let no = if number.trim().is_empty() {
        format!("Số:      /{kind_code}-{}", issuer.symbol)
    } else {
        format!("Số: {number}")
    };
    left.push(Para::new(Align::Center).text(&no, 13).after(0));
    let right = vec![
        Para::new(Align::Center)
            .bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13)
            .after(0),
        Para::new(Align::Center)
            .underlined_bold("Độc lập - Tự do - Hạnh phúc", 14)
            .after(6),
        Para::new(Align::Center)
            .italic(&place_date(&issuer.place, date), 14)
            .after(0),
    ];
    Block::T(Table {
        widths: vec![3800, 5600],
        rows: vec![vec![left, right]],
        borders: false,
        header_rows: 0,
    })
}

/// The heading of a dispatch (công văn): its number has no type code ("Số:      /SNV") and its
/// subject line ("V/v …") stands under the number.
pub(crate) fn dispatch_heading(issuer: &Issuer, date: NaiveDate, subject: &str) -> Block {
    let mut b = heading(issuer, "", date, "");
    if let Block::T(t) = &mut b {
        if let Some(p) = t.rows[0][0]
            .iter_mut()
            .rev()
            .find(|p| p.runs.iter().any(|r| r.text.starts_with("Số:")))
        {
            *p = Para::new(Align::Center)
                .text(&format!("Số:      /{}", issuer.symbol), 13)
                .after(0);
        }
        t.rows[0][0].push(Para::new(Align::Center).text(subject, 12).after(0));
    }
    b
}

/// "Đồng Nai, ngày 05 tháng 01 năm 2025": days below 10 and months 1–2 take a leading zero.
pub fn place_date(place: &str, d: NaiveDate) -> String {
    let m = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{place}, ngày {:02} tháng {m} năm {}", d.day(), d.year())
}

pub(crate) fn signature(issuer: &Issuer, recipients: &[String]) -> Block {
    let mut left = vec![Para::new(Align::Left).bold_italic("Nơi nhận:", 12).after(0)];
    for (i, r) in recipients.iter().enumerate() {
        let end = if i + 1 == recipients.len() { "." } else { ";" };
        left.push(
            Para::new(Align::Left)
                .text(&format!("- {r}{end}"), 11)
                .after(0),
        );
    }
    let mut right = vec![Para::new(Align::Center)
        .bold(&issuer.signer_title, 14)
        .after(60)];
    right.push(Para::new(Align::Center).bold(
        if issuer.signer_name.is_empty() {
            " "
        } else {
            &issuer.signer_name
        },
        14,
    ));
    Block::T(Table {
        widths: vec![4700, 4700],
        rows: vec![vec![left, right]],
        borders: false,
        header_rows: 0,
    })
}

fn counts_row(i: usize, name: &str, c: &Counts) -> Vec<Vec<Para>> {
    let n = |v: i64| {
        cell(
            Para::new(Align::Center)
                .text(&v.to_string(), TNR_SMALL)
                .after(0),
        )
    };
    vec![
        cell(
            Para::new(Align::Center)
                .text(&i.to_string(), TNR_SMALL)
                .after(0),
        ),
        cell(Para::new(Align::Left).text(name, TNR_SMALL).after(0)),
        n(c.with_deadline()),
        n(c.done_on_time),
        n(c.done_late),
        n(c.in_progress),
        n(c.overdue),
        n(c.ongoing),
    ]
}

const APPENDIX_HEAD: [&str; 8] = [
    "STT",
    "Đơn vị",
    "Nhiệm vụ có thời hạn",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn chưa hoàn thành",
    "Thường xuyên",
];

fn appendix_table(tasks: &ProvinceDashboard) -> Block {
    let head: Vec<Vec<Para>> = APPENDIX_HEAD
        .iter()
        .map(|h| cell(Para::new(Align::Center).bold(h, TNR_SMALL).after(0)))
        .collect();
    let mut rows = vec![head];
    for (i, u) in tasks.units.iter().enumerate() {
        rows.push(counts_row(i + 1, &u.unit_name, &u.counts));
    }
    let mut total = counts_row(0, "Tổng cộng", &tasks.total);
    total[0] = cell(Para::new(Align::Center).after(0));
    rows.push(total);
    Block::T(Table {
        widths: vec![760, 2740, 1000, 1000, 1000, 1000, 1000, 900],
        rows,
        borders: true,
        header_rows: 1,
    })
}

pub struct ReportInput<'a> {
    pub issuer: Issuer,
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
    pub period_label: String,
    /// The cascade from the consolidating level down; the first is the report's own level.
    pub levels: &'a [Level],
    pub tasks: &'a ProvinceDashboard,
    pub recipients: Vec<String>,
}

/// The consolidated report of a period, in Decree 30/2020 form.
pub fn consolidated_report(r: &ReportInput) -> Vec<u8> {
    let mut b: Vec<Block> = vec![heading(&r.issuer, &r.number, r.date, "BC")];
    let p = |t: &str| Block::P(Para::new(Align::Justify).text(t, BODY).indent());
    let h = |t: &str| Block::P(Para::new(Align::Left).bold(t, BODY).indent());
    b.push(Block::P(
        Para::new(Align::Center).bold("BÁO CÁO", 14).after(0),
    ));
    b.push(Block::P(
        Para::new(Align::Center)
            .bold(&format!("{} {}", r.title, r.period_label), 14)
            .after(12),
    ));
    let Some(top) = r.levels.first().map(|l| &l.consolidation) else {
        return docx::build(&b);
    };
    // I. Direction and the reporting itself.
    b.push(h("I. TÌNH HÌNH TỔNG HỢP BÁO CÁO"));
    for l in r.levels {
        let c = &l.consolidation;
        b.push(p(&format!(
            "{}: {}/{} đơn vị đã gửi báo cáo (đạt {}), {} đúng hạn, {} trễ hạn; tỷ lệ đúng hạn {}.{}",
            c.schedule_name,
            c.submitted(),
            c.expected(),
            show_ratio(c.completeness()),
            c.on_time(),
            c.late(),
            show_ratio(c.timeliness()),
            missing_sentence(c)
        )));
    }
    // II. Results, figures computed from the submissions.
    b.push(h("II. KẾT QUẢ THỰC HIỆN"));
    let mut n = 0;
    let figures: Vec<_> = top
        .fields
        .iter()
        .filter(|f| f.kind != FieldKind::Narrative)
        .collect();
    if !figures.is_empty() {
        n += 1;
        b.push(h(&format!("{n}. Số liệu tổng hợp")));
        let mut rows = vec![vec![
            cell(
                Para::new(Align::Center)
                    .bold("Chỉ tiêu", TNR_SMALL)
                    .after(0),
            ),
            cell(Para::new(Align::Center).bold("Kết quả", TNR_SMALL).after(0)),
        ]];
        for f in figures {
            rows.push(vec![
                cell(Para::new(Align::Left).text(&f.label, TNR_SMALL).after(0)),
                cell(
                    Para::new(Align::Center)
                        .text(&top.show_figure(f), TNR_SMALL)
                        .after(0),
                ),
            ]);
        }
        b.push(Block::T(Table {
            widths: vec![6400, 3000],
            rows,
            borders: true,
            header_rows: 1,
        }));
    }
    for f in top.fields.iter().filter(|f| f.kind == FieldKind::Narrative) {
        n += 1;
        b.push(h(&format!("{n}. {}", f.label)));
        let parts = top.narratives(f);
        if parts.is_empty() {
            b.push(p("Không có nội dung."));
        }
        for (unit, text) in parts {
            // one paragraph per line: a justified paragraph with line breaks in it stretches
            // every broken line to the margin
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            b.push(Block::P(
                Para::new(Align::Justify)
                    .bold(&format!("- {unit}: "), BODY)
                    .text(lines.next().unwrap_or(""), BODY)
                    .indent(),
            ));
            for l in lines {
                b.push(Block::P(Para::new(Align::Justify).text(l, BODY).indent()));
            }
        }
    }
    // III. Task statistics, as leaders read them (VPCP categories).
    let t = &r.tasks.total;
    b.push(h("III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO"));
    b.push(p(&format!(
        "Tổng số nhiệm vụ có thời hạn: {}; đã hoàn thành {} ({} đúng hạn, {} quá hạn); đang thực hiện trong hạn {}; quá hạn chưa hoàn thành {} (chiếm {} %). Nhiệm vụ thường xuyên: {}. Chi tiết tại Phụ lục kèm theo.",
        t.with_deadline(),
        t.done_on_time + t.done_late,
        t.done_on_time,
        t.done_late,
        t.in_progress,
        t.overdue,
        show_number((t.overdue_share() * 10.0).round() / 10.0),
        t.ongoing
    )));
    b.push(h("IV. ĐỀ XUẤT, KIẾN NGHỊ"));
    b.push(p("Đề nghị các cơ quan, đơn vị chưa gửi báo cáo hoặc có báo cáo bị trả lại khẩn trương hoàn thiện, gửi về cơ quan tổng hợp; các đơn vị có nhiệm vụ quá hạn tập trung thực hiện, báo cáo kết quả trong kỳ tới."));
    b.push(signature(&r.issuer, &r.recipients));
    // Appendix: task status per unit.
    b.push(Block::P(
        Para::new(Align::Center)
            .bold("Phụ lục", 14)
            .after(0)
            .page_break(),
    ));
    b.push(Block::P(
        Para::new(Align::Center)
            .bold("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ", 14)
            .after(0),
    ));
    b.push(Block::P(Para::new(Align::Center).italic(
        &format!(
            "(Kèm theo Báo cáo số {} ngày {} của {})",
            if r.number.is_empty() {
                format!("     /BC-{}", r.issuer.symbol)
            } else {
                r.number.clone()
            },
            r.date.format("%d/%m/%Y"),
            r.issuer.in_text
        ),
        13,
    )));
    b.push(appendix_table(r.tasks));
    docx::build(&b)
}

fn missing_sentence(c: &Consolidation) -> String {
    let missing = c.missing();
    if missing.is_empty() {
        return String::new();
    }
    let names: Vec<String> = missing
        .iter()
        .map(|r| {
            if r.returns > 0 {
                format!("{} (bị trả lại)", r.unit_name)
            } else {
                r.unit_name.clone()
            }
        })
        .collect();
    format!(" Chưa gửi hoặc bị trả lại: {}.", names.join(", "))
}

/// The submission table of one level: who sent what, when, and the figures.
pub fn submissions_xlsx(c: &Consolidation, period_label: &str) -> Vec<u8> {
    let numbers: Vec<_> = c
        .fields
        .iter()
        .filter(|f| f.kind != FieldKind::Narrative)
        .collect();
    let mut header: Vec<String> = [
        "STT",
        "Đơn vị",
        "Trạng thái",
        "Thời điểm gửi",
        "Hạn gửi",
        "Đúng/trễ hạn",
        "Số lần bị trả lại",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(numbers.iter().map(|f| f.label.clone()));
    let mut rows = Vec::new();
    for (i, r) in c.rows.iter().enumerate() {
        let mut row: Vec<xlsx::Cell> = vec![
            ((i + 1) as i64).into(),
            r.unit_name.clone().into(),
            r.state.label().into(),
            r.submitted_at
                .as_deref()
                .map(crate::store::show_instant)
                .unwrap_or_default()
                .into(),
            show_date(&r.due_on).into(),
            match (r.state.counts(), r.late) {
                (true, Some(true)) => "Trễ hạn".into(),
                (true, _) => "Đúng hạn".into(),
                _ => xlsx::Cell::Empty,
            },
            (r.returns as i64).into(),
        ];
        for f in &numbers {
            let v = match f.kind {
                FieldKind::Number if r.state.counts() => {
                    crate::reporting::template::figure(f, &r.values)
                        .map(xlsx::Cell::Number)
                        .unwrap_or(xlsx::Cell::Empty)
                }
                FieldKind::Ratio if r.state.counts() => Consolidation::row_figure(r, f).into(),
                _ => xlsx::Cell::Empty,
            };
            row.push(v);
        }
        rows.push(row);
    }
    let mut total: Vec<xlsx::Cell> = vec![xlsx::Cell::Empty, "Tổng hợp".into()];
    total.push(format!("{}/{} đã gửi", c.submitted(), c.expected()).into());
    total.push(xlsx::Cell::Empty);
    total.push(xlsx::Cell::Empty);
    total.push(format!("{} đúng hạn", c.on_time()).into());
    total.push(xlsx::Cell::Empty);
    for f in &numbers {
        total.push(match f.kind {
            FieldKind::Number => c
                .figure(f)
                .map(xlsx::Cell::Number)
                .unwrap_or(xlsx::Cell::Empty),
            _ => c.show_figure(f).into(),
        });
    }
    rows.push(total);
    let mut widths = vec![6.0, 36.0, 22.0, 18.0, 12.0, 12.0, 10.0];
    widths.extend(numbers.iter().map(|_| 16.0));
    xlsx::build(&[xlsx::Sheet {
        name: "Tình hình gửi báo cáo".into(),
        title: vec![
            format!("TÌNH HÌNH GỬI BÁO CÁO: {}", c.schedule_name.to_uppercase()),
            format!("Kỳ báo cáo: {period_label}. Nơi nhận: {}", c.receiver_name),
        ],
        header,
        widths,
        rows,
    }])
}

/// The task status appendix as a workbook.
pub fn task_appendix_xlsx(tasks: &ProvinceDashboard, title: &str) -> Vec<u8> {
    let mut rows: Vec<Vec<xlsx::Cell>> = tasks
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| counts_cells(((i + 1) as i64).into(), &u.unit_name, &u.counts))
        .collect();
    rows.push(counts_cells(xlsx::Cell::Empty, "Tổng cộng", &tasks.total));
    xlsx::build(&[xlsx::Sheet {
        name: "Phụ lục nhiệm vụ".into(),
        title: vec![
            "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ".into(),
            format!("{title} (số liệu đến ngày {})", show_date(&tasks.as_of)),
        ],
        header: APPENDIX_HEAD.iter().map(|s| s.to_string()).collect(),
        widths: vec![6.0, 40.0, 14.0, 14.0, 14.0, 14.0, 14.0, 12.0],
        rows,
    }])
}

fn counts_cells(first: xlsx::Cell, name: &str, c: &Counts) -> Vec<xlsx::Cell> {
    vec![
        first,
        name.into(),
        c.with_deadline().into(),
        c.done_on_time.into(),
        c.done_late.into(),
        c.in_progress.into(),
        c.overdue.into(),
        c.ongoing.into(),
    ]
}

/// The overdue list as a workbook: unit, task, document, due date, days overdue, progress.
pub fn overdue_xlsx(
    rows: &[crate::tracking::Assignment],
    as_of: NaiveDate,
    title: &str,
) -> Vec<u8> {
    use xlsx::{Cell, Sheet};
    let sheet = Sheet {
        name: "Quá hạn".into(),
        title: vec![
            title.to_uppercase(),
            format!("Tình hình đến ngày {}", as_of.format("%d/%m/%Y")),
        ],
        header: [
            "STT",
            "Đơn vị",
            "Nhiệm vụ",
            "Văn bản",
            "Hạn",
            "Số ngày quá hạn",
            "Tiến độ (%)",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![6.0, 36.0, 70.0, 18.0, 12.0, 12.0, 10.0],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    Cell::from((i + 1) as i64),
                    Cell::from(a.unit_name.as_str()),
                    Cell::from(a.task_title.as_str()),
                    Cell::from(a.directive_number.as_str()),
                    Cell::from(a.due_on.map(crate::store::Day::show).unwrap_or_default()),
                    Cell::from(-a.days_left(as_of).unwrap_or(0)),
                    Cell::from(a.percent as i64),
                ]
            })
            .collect(),
    };
    xlsx::build(&[sheet])
}

/// A task list as a workbook, with the filters it was read with under its title.
pub fn tasks_xlsx(rows: &[crate::directives::TaskRow], as_of: NaiveDate, filters: &str) -> Vec<u8> {
    use xlsx::{Cell, Sheet};
    let mut title = vec![
        "DANH SÁCH NHIỆM VỤ".to_string(),
        format!("Tình hình đến ngày {}", as_of.format("%d/%m/%Y")),
    ];
    if !filters.is_empty() {
        title.push(format!("Lọc: {filters}"));
    }
    let sheet = Sheet {
        name: "Nhiệm vụ".into(),
        title,
        header: [
            "STT",
            "Văn bản",
            "Ngày văn bản",
            "Nhiệm vụ",
            "Chủ trì",
            "Phối hợp",
            "Thời hạn",
            "Hạn (ngày)",
            "Sản phẩm",
            "Số đơn vị",
            "Quá hạn",
            "Đã xong",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![
            6.0, 18.0, 12.0, 60.0, 30.0, 30.0, 22.0, 12.0, 30.0, 10.0, 10.0, 10.0,
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::from((i + 1) as i64),
                    Cell::from(r.directive_number.as_str()),
                    Cell::from(show_date(&r.directive_issued_on)),
                    Cell::from(r.task.title.as_str()),
                    Cell::from(r.task.lead_text.as_str()),
                    Cell::from(r.task.coordinators_text.as_str()),
                    Cell::from(r.task.deadline_label()),
                    Cell::from(
                        r.task
                            .deadline_due
                            .map(crate::store::Day::show)
                            .unwrap_or_default(),
                    ),
                    Cell::from(r.task.product.as_str()),
                    Cell::from(r.units),
                    Cell::from(r.overdue),
                    Cell::from(r.done),
                ]
            })
            .collect(),
    };
    xlsx::build(&[sheet])
}

/// One overdue task in an urging dispatch.
pub struct OverdueTask {
    pub title: String,
    pub directive: String,
    pub due_on: String,
    pub days_late: i64,
    pub percent: i32,
}

/// The urging dispatch (công văn đôn đốc) to a unit listing its overdue tasks.
pub fn urging_dispatch(
    issuer: &Issuer,
    unit_name: &str,
    tasks: &[OverdueTask],
    date: NaiveDate,
    report_by: NaiveDate,
) -> Vec<u8> {
    let mut b = vec![dispatch_heading(
        issuer,
        date,
        "V/v đôn đốc thực hiện các nhiệm vụ quá hạn",
    )];
    b.push(Block::P(
        Para::new(Align::Center)
            .text(&format!("Kính gửi: {unit_name}."), 14)
            .after(12),
    ));
    let p = |t: &str| Block::P(Para::new(Align::Justify).text(t, BODY).indent());
    b.push(p(&format!(
        "Theo dõi trên hệ thống steerco đến ngày {}, {} còn {} nhiệm vụ đã quá thời hạn nhưng chưa hoàn thành, cụ thể như sau:",
        date.format("%d/%m/%Y"),
        unit_name,
        tasks.len()
    )));
    let head: Vec<Vec<Para>> = [
        "STT",
        "Nhiệm vụ",
        "Văn bản giao",
        "Thời hạn",
        "Số ngày quá hạn",
        "Tiến độ",
    ]
    .iter()
    .map(|h| cell(Para::new(Align::Center).bold(h, TNR_SMALL).after(0)))
    .collect();
    let mut rows = vec![head];
    for (i, t) in tasks.iter().enumerate() {
        let c = |s: &str, a| cell(Para::new(a).text(s, TNR_SMALL).after(0));
        rows.push(vec![
            c(&(i + 1).to_string(), Align::Center),
            c(&t.title, Align::Left),
            c(&t.directive, Align::Center),
            c(&show_date(&t.due_on), Align::Center),
            c(&t.days_late.to_string(), Align::Center),
            c(&format!("{} %", t.percent), Align::Center),
        ]);
    }
    b.push(Block::T(Table {
        // A date in 12 pt needs about 1,450 twips with the cell's margins: narrower, the
        // year breaks ("01/07/202 5").
        widths: vec![600, 3500, 1500, 1500, 900, 1000],
        rows,
        borders: true,
        header_rows: 1,
    }));
    b.push(p(&format!(
        "Đề nghị {unit_name} khẩn trương chỉ đạo thực hiện dứt điểm các nhiệm vụ nêu trên; cập nhật kết quả, tiến độ trên hệ thống; trường hợp không thể hoàn thành, báo cáo rõ nguyên nhân và đề xuất gia hạn, gửi về cơ quan theo dõi trước ngày {}.",
        report_by.format("%d/%m/%Y")
    )));
    b.push(p("Đề nghị Quý cơ quan, đơn vị quan tâm thực hiện./."));
    b.push(signature(
        issuer,
        &[
            "Như trên".to_string(),
            format!("Lưu: VT, {}", issuer.symbol),
        ],
    ));
    docx::build(&b)
}
