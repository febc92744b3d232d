//! The secretariat's consolidation of a year: every registration with its quality verdicts,
//! state, milestones and progress, the targets' values so far, the units the call named that
//! have not registered, and the rank commitments against the league tables — on the list page,
//! as a `.docx` report and as a `.xlsx` workbook.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::calls::{self, Call, Named};
use super::commitments::{self, Compared};
use super::quality::{self, Verdict};
use super::tracking::{self, Progress, TrackedMilestone};
use super::{emulation, Breakthrough, State};
use crate::documents::blocks::{bold, p, table, title};
use crate::documents::docx::{self, Align, Block, Para};
use crate::documents::xlsx::{self, Cell, Sheet};
use crate::documents::{heading, signature, Issuer};
use crate::error::AppResult;
use crate::indicators::period::Period;
use crate::indicators::store::Targets;
use crate::store::Db;

/// A registration as the consolidation reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub b: Breakthrough,
    pub verdicts: Vec<Verdict>,
    pub flagged: usize,
    /// Each target's indicator value for the year so far (for the unit, or the province).
    pub values: Vec<Option<f64>>,
    pub milestones: Vec<TrackedMilestone>,
    pub progress: Progress,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consolidated {
    pub call: Call,
    pub named: Vec<Named>,
    pub lines: Vec<Line>,
    /// Named units with nothing submitted or accepted.
    pub missing: Vec<Named>,
    pub commitments: Vec<Compared>,
    pub final_: bool,
    pub today: NaiveDate,
}

impl Consolidated {
    pub fn count(&self, s: State) -> usize {
        self.lines.iter().filter(|l| l.b.state() == s).count()
    }
    pub fn flagged(&self) -> usize {
        self.lines.iter().filter(|l| l.flagged > 0).count()
    }
}

/// The lines of some registrations: verdicts against the year's assigned targets, values,
/// milestones and progress.
pub async fn lines(
    db: &Db,
    province: &str,
    year: i32,
    list: Vec<Breakthrough>,
    today: NaiveDate,
) -> AppResult<Vec<Line>> {
    let assigned = Targets::load(db, province, year).await?;
    let ids: Vec<i64> = list.iter().map(|b| b.id).collect();
    let mut tracked = tracking::milestones(db, &ids, today).await?;
    let mut codes: Vec<String> = list
        .iter()
        .flat_map(|b| b.targets().into_iter().map(|t| t.indicator))
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    let values = match Period::parse(&year.to_string()) {
        Some(p) if !codes.is_empty() => {
            crate::indicators::board::values(db, province, &p, &codes).await?
        }
        _ => HashMap::new(),
    };
    Ok(list
        .into_iter()
        .map(|b| {
            let targets = b.targets();
            let verdicts = quality::verdicts(&targets, &assigned, b.unit_id);
            let who = b.unit_code.clone().unwrap_or_default();
            let vals = targets
                .iter()
                .map(|t| values.get(&who).and_then(|m| m.get(&t.indicator)).copied())
                .collect();
            let milestones = tracked.remove(&b.id).unwrap_or_default();
            let progress = tracking::progress(&b, Some(&milestones));
            Line {
                flagged: quality::flags(&verdicts),
                verdicts,
                values: vals,
                milestones,
                progress,
                b,
            }
        })
        .collect())
}

pub async fn consolidate(db: &Db, call: Call, today: NaiveDate) -> AppResult<Consolidated> {
    let year = call.year as i32;
    let named = calls::units(db, call.id).await?;
    let list = super::of_call(db, call.id).await?;
    let lines = lines(db, &call.province_code, year, list, today).await?;
    let missing = named
        .iter()
        .filter(|u| {
            !lines.iter().any(|l| {
                l.b.unit_id == Some(u.id)
                    && matches!(l.b.state(), State::Submitted | State::Accepted)
            })
        })
        .cloned()
        .collect();
    let (commitments, final_) = commitments::compared(db, &call.province_code, year, today).await?;
    Ok(Consolidated {
        call,
        named,
        lines,
        missing,
        commitments,
        final_,
        today,
    })
}

fn value(v: Option<f64>) -> String {
    v.map(quality::pct).unwrap_or_else(|| "—".into())
}

/// A target as one line: "criterion: aim (indicator value so far) — verdict".
pub fn target_text(l: &Line) -> Vec<String> {
    l.b.targets()
        .iter()
        .zip(&l.verdicts)
        .zip(&l.values)
        .map(|((t, v), now)| {
            let aim = t.target.map(quality::pct).unwrap_or_default();
            let now = match (t.indicator.is_empty(), now) {
                (true, _) => String::new(),
                (false, n) => format!(" (hiện đạt {})", value(*n)),
            };
            format!("{}: {aim}{now} — {}", t.criterion, v.label())
        })
        .collect()
}

fn commitment_row(c: &Compared, final_: bool) -> Vec<String> {
    vec![
        c.commitment.unit_name.clone(),
        c.commitment.target_rank.to_string(),
        c.commitment
            .target_score
            .map(|s| format!("{s:.2}"))
            .unwrap_or_default(),
        c.standing
            .as_ref()
            .map(|s| format!("{}/{}", s.rank, s.of))
            .unwrap_or_else(|| "—".into()),
        c.standing
            .as_ref()
            .map(|s| format!("{:.2}", s.score))
            .unwrap_or_default(),
        match c.by {
            Some(b) if b > 0 => format!("{} (vượt {b} bậc)", c.outcome.label(final_)),
            Some(b) if b < 0 => format!("{} (kém {} bậc)", c.outcome.label(final_), -b),
            _ => c.outcome.label(final_).to_string(),
        },
    ]
}

/// The consolidation as a report of the secretariat to the committee.
pub fn docx(issuer: &Issuer, c: &Consolidated) -> Vec<u8> {
    let year = c.call.year;
    let mut b = vec![heading(issuer, "", c.today, "BC")];
    b.extend(title(
        "BÁO CÁO",
        &format!(
            "Tổng hợp đăng ký khâu đột phá về công tác CCHC, Chuyển đổi số, Đề án 06 và cam kết thứ hạng chỉ số CCHC năm {year}"
        ),
    ));
    b.push(p(&format!(
        "Thực hiện Công văn số {} ngày {} của UBND tỉnh, hạn gửi {}: {} cơ quan, đơn vị phải đăng ký; {} bản đăng ký đã gửi và chờ xem xét, {} đã chấp thuận, {} đã trả lại để hoàn thiện, {} đang soạn; {} đơn vị chưa gửi. {} bản đăng ký có chỉ tiêu không cao hơn chỉ tiêu đã được giao.",
        c.call.number,
        c.call.issued_on.show(),
        c.call.due_on.show(),
        c.named.len(),
        c.count(State::Submitted),
        c.count(State::Accepted),
        c.count(State::Returned),
        c.count(State::Draft),
        c.missing.len(),
        c.flagged(),
    )));
    let rows = |own: bool| -> Vec<Vec<String>> {
        c.lines
            .iter()
            .filter(|l| l.b.is_province_own() == own)
            .enumerate()
            .map(|(i, l)| {
                vec![
                    (i + 1).to_string(),
                    l.b.owner(),
                    l.b.field().label().to_string(),
                    l.b.title.clone(),
                    target_text(l).join("\n"),
                    format!(
                        "{}{}",
                        l.b.state().label(),
                        if l.b.state() == State::Accepted {
                            format!(" — {}", l.progress.label())
                        } else {
                            String::new()
                        }
                    ),
                ]
            })
            .collect()
    };
    let head = [
        "STT",
        "Đơn vị",
        "Lĩnh vực",
        "Khâu đột phá",
        "Chỉ tiêu, tiêu chí",
        "Tình trạng",
    ];
    let widths = vec![600, 1800, 1100, 2300, 2600, 1400];
    b.push(bold("1. Khâu đột phá của tỉnh"));
    let own = rows(true);
    if own.is_empty() {
        b.push(p(
            "Các cơ quan thường trực chưa đề xuất khâu đột phá của tỉnh.",
        ));
    } else {
        b.push(table(widths.clone(), &head, own));
    }
    b.push(bold("2. Khâu đột phá của các cơ quan, đơn vị"));
    let units = rows(false);
    if units.is_empty() {
        b.push(p("Chưa có cơ quan, đơn vị nào đăng ký."));
    } else {
        b.push(table(widths, &head, units));
    }
    b.push(bold("3. Cơ quan, đơn vị chưa gửi đăng ký"));
    b.push(p(&if c.missing.is_empty() {
        "Tất cả các cơ quan, đơn vị đã gửi đăng ký.".to_string()
    } else {
        c.missing
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    }));
    b.push(bold(&format!("4. Cam kết thứ hạng chỉ số CCHC năm {year}")));
    if c.commitments.is_empty() {
        b.push(p("Chưa có cơ quan, đơn vị nào gửi cam kết."));
    } else {
        b.push(p(if c.final_ {
            "Thứ hạng thực tế theo Bộ chỉ số năm (kết quả cuối năm)."
        } else {
            "Thứ hạng thực tế theo Bộ chỉ số tính đến nay (tạm tính)."
        }));
        b.push(table(
            vec![2900, 1000, 1000, 1200, 1000, 2700],
            &[
                "Đơn vị",
                "Cam kết",
                "Điểm cam kết",
                "Hiện tại",
                "Điểm",
                "Kết quả",
            ],
            c.commitments
                .iter()
                .map(|x| commitment_row(x, c.final_))
                .collect(),
        ));
    }
    b.push(Block::P(Para::new(Align::Left).text(" ", 12)));
    b.push(signature(
        issuer,
        &["UBND tỉnh (để báo cáo)".into(), "Lưu: VT".into()],
    ));
    docx::build(&b)
}

/// The consolidation as a workbook: registrations, targets, milestones, commitments.
pub fn xlsx(c: &Consolidated) -> Vec<u8> {
    let year = c.call.year;
    let title = |what: &str| {
        vec![
            format!("{what} NĂM {year}"),
            format!(
                "Công văn số {} · số liệu đến ngày {}",
                c.call.number,
                crate::store::Day(c.today).show()
            ),
        ]
    };
    let registrations = Sheet {
        name: "Đăng ký".into(),
        title: title("TỔNG HỢP ĐĂNG KÝ KHÂU ĐỘT PHÁ"),
        header: [
            "STT",
            "Đơn vị",
            "Lĩnh vực",
            "Khâu đột phá",
            "Lãnh đạo chịu trách nhiệm",
            "Phiên bản",
            "Tình trạng",
            "Chỉ tiêu bị gắn cờ",
            "Tiến độ",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![6.0, 36.0, 18.0, 50.0, 26.0, 10.0, 22.0, 12.0, 26.0],
        rows: c
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    Cell::from((i + 1) as i64),
                    Cell::from(l.b.owner()),
                    Cell::from(l.b.field().label()),
                    Cell::from(l.b.title.as_str()),
                    Cell::from(l.b.leader.as_str()),
                    Cell::from(l.b.version),
                    Cell::from(l.b.state().label()),
                    Cell::from(l.flagged as i64),
                    Cell::from(l.progress.label()),
                ]
            })
            .collect(),
    };
    let targets = Sheet {
        name: "Chỉ tiêu".into(),
        title: title("CHỈ TIÊU CỦA CÁC KHÂU ĐỘT PHÁ"),
        header: [
            "Đơn vị",
            "Khâu đột phá",
            "Tiêu chí, chỉ tiêu",
            "Chỉ số",
            "Phấn đấu",
            "Hiện đạt",
            "Đánh giá",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![36.0, 40.0, 40.0, 24.0, 12.0, 12.0, 44.0],
        rows: c
            .lines
            .iter()
            .flat_map(|l| {
                l.b.targets()
                    .into_iter()
                    .zip(l.verdicts.clone())
                    .zip(l.values.clone())
                    .map(|((t, v), now)| {
                        vec![
                            Cell::from(l.b.owner()),
                            Cell::from(l.b.title.as_str()),
                            Cell::from(t.criterion),
                            Cell::from(t.indicator),
                            t.target.map(Cell::from).unwrap_or(Cell::Empty),
                            now.map(|x| Cell::from((x * 100.0).round() / 100.0))
                                .unwrap_or(Cell::Empty),
                            Cell::from(v.label()),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
    };
    let milestones = Sheet {
        name: "Lộ trình".into(),
        title: title("LỘ TRÌNH THỰC HIỆN CÁC KHÂU ĐỘT PHÁ ĐÃ CHẤP THUẬN"),
        header: [
            "Đơn vị",
            "Khâu đột phá",
            "Mốc",
            "Thời hạn",
            "Sản phẩm",
            "Tình trạng",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![36.0, 40.0, 44.0, 12.0, 30.0, 26.0],
        rows: c
            .lines
            .iter()
            .flat_map(|l| {
                l.milestones.iter().map(|m| {
                    vec![
                        Cell::from(l.b.owner()),
                        Cell::from(l.b.title.as_str()),
                        Cell::from(m.title.as_str()),
                        Cell::from(m.due_on.show()),
                        Cell::from(m.product.as_str()),
                        Cell::from(m.status.map(|s| s.label()).unwrap_or("—")),
                    ]
                })
            })
            .collect(),
    };
    let commitments = Sheet {
        name: "Cam kết thứ hạng".into(),
        title: title("CAM KẾT THỨ HẠNG CHỈ SỐ CCHC"),
        header: [
            "Đơn vị",
            "Thứ hạng cam kết",
            "Điểm cam kết",
            "Thứ hạng hiện tại",
            "Điểm hiện tại",
            "Kết quả",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![40.0, 14.0, 14.0, 16.0, 14.0, 36.0],
        rows: c
            .commitments
            .iter()
            .map(|x| {
                commitment_row(x, c.final_)
                    .into_iter()
                    .map(Cell::from)
                    .collect()
            })
            .collect(),
    };
    let missing = Sheet {
        name: "Chưa đăng ký".into(),
        title: title("CƠ QUAN, ĐƠN VỊ CHƯA GỬI ĐĂNG KÝ KHÂU ĐỘT PHÁ"),
        header: ["Mã", "Đơn vị"].map(String::from).to_vec(),
        widths: vec![16.0, 50.0],
        rows: c
            .missing
            .iter()
            .map(|u| vec![Cell::from(u.code.as_str()), Cell::from(u.name.as_str())])
            .collect(),
    };
    xlsx::build(&[registrations, targets, milestones, commitments, missing])
}

/// The emulation summary as a workbook for the emulation council.
pub fn emulation_xlsx(s: &emulation::Summary) -> Vec<u8> {
    let share = |c: &emulation::Counts| {
        c.share()
            .map(|x| Cell::from((x * 10.0).round() / 10.0))
            .unwrap_or(Cell::Empty)
    };
    let sheet = Sheet {
        name: "Thi đua".into(),
        title: vec![
            format!("TỔNG HỢP KẾT QUẢ PHỤC VỤ BÌNH XÉT THI ĐUA NĂM {}", s.year),
            format!(
                "Số liệu đến ngày {}{}",
                s.as_of.show(),
                if s.final_ { "" } else { " (tạm tính)" }
            ),
        ],
        header: [
            "Đơn vị",
            "Nhiệm vụ đến hạn",
            "Đúng hạn",
            "Quá hạn",
            "Chưa hoàn thành",
            "Tỷ lệ đúng hạn (%)",
            "Báo cáo đến hạn",
            "Gửi đúng hạn",
            "Gửi muộn",
            "Chưa gửi",
            "Tỷ lệ báo cáo đúng hạn (%)",
            "Thứ hạng cam kết",
            "Thứ hạng thực tế",
            "Kết quả cam kết",
            "Khâu đột phá",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![
            40.0, 10.0, 10.0, 10.0, 10.0, 12.0, 10.0, 10.0, 10.0, 10.0, 12.0, 10.0, 10.0, 24.0,
            50.0,
        ],
        rows: s
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::from(r.unit_name.as_str()),
                    Cell::from(r.tasks.due),
                    Cell::from(r.tasks.on_time),
                    Cell::from(r.tasks.late),
                    Cell::from(r.tasks.missing),
                    share(&r.tasks),
                    Cell::from(r.reports.due),
                    Cell::from(r.reports.on_time),
                    Cell::from(r.reports.late),
                    Cell::from(r.reports.missing),
                    share(&r.reports),
                    r.committed_rank.map(Cell::from).unwrap_or(Cell::Empty),
                    r.standing
                        .as_ref()
                        .map(|x| Cell::from(format!("{}/{}", x.rank, x.of)))
                        .unwrap_or(Cell::Empty),
                    Cell::from(if r.committed_rank.is_some() {
                        r.outcome.label(s.final_)
                    } else {
                        "Chưa cam kết"
                    }),
                    Cell::from(r.breakthrough_line()),
                ]
            })
            .collect(),
    };
    xlsx::build(&[sheet])
}
