//! What a meeting puts on paper, in Decree 30/2020 form: the preparation dispatch (công văn
//! chuẩn bị nội dung họp, the shape of example 003), the invitation (giấy mời), the notice of
//! conclusions (thông báo kết luận, the shape of example 004), and the meeting pack for the
//! chair (readiness, follow-up, the period's figures, overdue work by unit, the league table).

use chrono::NaiveDate;
use serde::Serialize;

use super::agenda::{self, Item, Participant};
use super::conclusions::{self, Conclusion};
use super::followup::{self, Followup};
use super::prepare::{self, Audience, Ready, StepView};
use super::Meeting;
use crate::bodies::Body;
use crate::dashboard::UnitCounts;
use crate::documents::blocks::{bold, p, table, title, BODY, SMALL};
use crate::documents::docx::{self, Align, Block, Para};
use crate::documents::{dispatch_heading, heading, signature, Issuer};
use crate::error::AppResult;
use crate::indicators::board::League;
use crate::reporting::consolidation::Consolidation;
use crate::store::Db;
use crate::tracking::Status;

/// Everything about a meeting the chair and the secretariat read at once.
#[derive(Serialize)]
pub struct Pack {
    pub meeting: Meeting,
    pub bodies: Vec<Body>,
    pub readiness: Vec<StepView>,
    pub followup: Followup,
    pub items: Vec<Item>,
    pub participants: Vec<Participant>,
    pub conclusions: Vec<Conclusion>,
    /// The period's consolidation at the top of the cascade the meeting reviews.
    pub consolidation: Option<Consolidation>,
    /// Units with overdue work as of the meeting day (or today, before it), most first.
    pub overdue: Vec<UnitCounts>,
    /// The first league table of the province's index for the meeting's year.
    pub league: Option<League>,
    /// The year's emulation summary, the units with a breakthrough or a rank commitment.
    pub emulation: Vec<crate::breakthroughs::emulation::Row>,
    /// The names of the units the conclusions name.
    pub unit_names: std::collections::BTreeMap<i64, String>,
    pub today: NaiveDate,
}

impl Pack {
    /// The league rows a chair reads: the first ten and the last five (all when fewer).
    pub fn league_rows(&self) -> Vec<&crate::indicators::board::Ranked> {
        let Some(l) = &self.league else {
            return vec![];
        };
        if l.rows.len() <= 15 {
            return l.rows.iter().collect();
        }
        l.rows
            .iter()
            .take(10)
            .chain(l.rows.iter().skip(l.rows.len() - 5))
            .collect()
    }
    /// The units with the most overdue work, at most `n`, and how many more there are.
    pub fn most_overdue(&self, n: usize) -> (&[UnitCounts], usize) {
        let k = self.overdue.len().min(n);
        (&self.overdue[..k], self.overdue.len() - k)
    }
    pub fn unit_name(&self, id: i64) -> String {
        self.unit_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }
}

/// A meeting with its timeline, agenda, participants, follow-up and conclusions: what its page
/// and its invitation, dispatch and notice show (the figures of [`pack`] left out).
pub async fn meeting(db: &Db, m: Meeting, today: NaiveDate) -> AppResult<Pack> {
    let bodies = super::bodies_of(db, &m).await?;
    let readiness = prepare::readiness(db, &m, today).await?;
    let followup = followup::followup(db, &m, today).await?;
    let items = agenda::items(db, m.id).await?;
    let participants = agenda::participants(db, m.id).await?;
    let conclusions = conclusions::conclusions(db, m.id).await?;
    let mut unit_names = std::collections::BTreeMap::new();
    for id in conclusions
        .iter()
        .flat_map(|c| c.leads().into_iter().chain(c.coordinators()))
    {
        if let std::collections::btree_map::Entry::Vacant(e) = unit_names.entry(id) {
            e.insert(crate::org::get_unit(db, id).await?.name);
        }
    }
    Ok(Pack {
        unit_names,
        meeting: m,
        bodies,
        readiness,
        followup,
        items,
        participants,
        conclusions,
        consolidation: None,
        overdue: vec![],
        league: None,
        emulation: vec![],
        today,
    })
}

/// The pack for the chair: [`meeting`] and the figures — the period's consolidation, overdue
/// work by unit (from the dashboards' `cache`, one computation per change of the province's
/// work), the league table.
pub async fn pack(
    db: &Db,
    cache: &crate::dashboard::Cache,
    m: Meeting,
    today: NaiveDate,
) -> AppResult<Pack> {
    let mut pk = meeting(db, m, today).await?;
    let m = &pk.meeting;
    let as_of = today.min(m.planned_on.date());
    pk.consolidation = match m.schedule_id {
        Some(s) if !m.period.is_empty() => {
            let s = crate::reporting::schedule::get_schedule(db, s).await?;
            Some(crate::reporting::consolidation::consolidate(db, &s, &m.period).await?)
        }
        _ => None,
    };
    let view = cache.province(db, &m.province_code, None, as_of).await?;
    pk.overdue = view
        .dash
        .units
        .iter()
        .filter(|u| u.counts.overdue > 0)
        .cloned()
        .collect();
    pk.overdue
        .sort_by_key(|u| std::cmp::Reverse(u.counts.overdue));
    // the year's board once: its first league for the pack, its standings for the emulation
    let year = chrono::Datelike::year(&pk.meeting.planned_on.date());
    let board =
        crate::breakthroughs::commitments::year_board(db, &pk.meeting.province_code, year).await?;
    let standings = board
        .as_ref()
        .map(|b| crate::breakthroughs::commitments::standings_of(&b.leagues))
        .unwrap_or_default();
    pk.league = board.and_then(|b| b.leagues.into_iter().next());
    pk.emulation = crate::breakthroughs::emulation::summary_with(
        db,
        &pk.meeting.province_code,
        year,
        as_of,
        standings,
    )
    .await?
    .rows
    .into_iter()
    .filter(|r| r.committed_rank.is_some() || !r.breakthroughs.is_empty())
    .collect();
    Ok(pk)
}

fn names(bodies: &[Body]) -> String {
    bodies
        .iter()
        .map(|b| b.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The preparation dispatch: what each audience sends, by when, for the meeting.
pub fn preparation_dispatch(issuer: &Issuer, pk: &Pack, date: NaiveDate) -> Vec<u8> {
    let m = &pk.meeting;
    let mut b = vec![dispatch_heading(
        issuer,
        date,
        &format!("V/v chuẩn bị nội dung họp {}", names(&pk.bodies)),
    )];
    b.push(Block::P(
        Para::new(Align::Center)
            .text(
                "Kính gửi: Các cơ quan, đơn vị là thành viên và các cơ quan, đơn vị liên quan.",
                BODY,
            )
            .after(12),
    ));
    let period = m.period_label();
    let when = match m.window_end.filter(|e| *e > m.planned_on) {
        Some(e) => format!("từ ngày {} đến ngày {}", m.planned_on.show(), e.show()),
        None => format!("vào ngày {}", m.planned_on.show()),
    };
    b.push(p(&format!(
        "Để chuẩn bị cho {} dự kiến tổ chức {when}, nhằm đánh giá tiến độ, kết quả thực hiện nhiệm vụ{} và phương hướng, nhiệm vụ trọng tâm thời gian tới, yêu cầu các cơ quan, đơn vị chuẩn bị một số nội dung sau:",
        conclusions::as_object(&m.title),
        if period.is_empty() { String::new() } else { format!(" {period}") },
    )));
    let mut n = 0;
    for a in Audience::ALL {
        let steps: Vec<&StepView> = pk
            .readiness
            .iter()
            .filter(|s| s.step.audience() == a)
            .collect();
        if steps.is_empty() {
            continue;
        }
        n += 1;
        b.push(bold(&format!("{n}. {}", a.label())));
        for s in steps {
            b.push(p(&format!(
                "- {} chậm nhất ngày {}.",
                s.step.title,
                s.step.due_on.show()
            )));
        }
    }
    b.push(p(&format!(
        "Lưu ý: Tại cuộc họp yêu cầu người đứng đầu từng cơ quan, đơn vị báo cáo tiến độ, kết quả thực hiện các nội dung nêu trên; tài liệu gửi qua hệ thống steerco để được tổng hợp tự động{}.",
        if m.place.is_empty() { String::new() } else { format!("; địa điểm họp: {}", m.place) }
    )));
    b.push(p(
        "Đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện./.",
    ));
    b.push(signature(
        issuer,
        &["Như trên".into(), format!("Lưu: VT, {}", issuer.symbol)],
    ));
    docx::build(&b)
}

/// The invitation: time, place, chair, who attends, the agenda.
pub fn invitation(issuer: &Issuer, pk: &Pack, date: NaiveDate) -> Vec<u8> {
    let m = &pk.meeting;
    let mut b = vec![heading(issuer, "", date, "GM")];
    b.extend(title("GIẤY MỜI", &format!("Dự {}", m.title)));
    b.push(p(&format!(
        "{} trân trọng kính mời các thành viên {} và các đại biểu dự {}.",
        issuer.name_for_text(),
        names(&pk.bodies),
        conclusions::as_object(&m.title)
    )));
    if let Some(c) = &m.chair_name {
        b.push(p(&format!(
            "Chủ trì: đồng chí {c}{}.",
            m.chair_position
                .as_deref()
                .filter(|x| !x.is_empty())
                .map(|x| format!(", {x}"))
                .unwrap_or_default()
        )));
    }
    let time = if m.starts_at.is_empty() {
        m.when()
    } else {
        format!("{}, ngày {}", m.starts_at, m.when())
    };
    b.push(p(&format!("Thời gian: {time}.")));
    if !m.place.is_empty() {
        b.push(p(&format!("Địa điểm: {}.", m.place)));
    }
    if !m.online_link.is_empty() {
        b.push(p(&format!("Họp trực tuyến: {}", m.online_link)));
    }
    b.push(bold("Thành phần:"));
    for x in &pk.participants {
        b.push(p(&format!("- {};", x.who())));
    }
    b.push(bold("Nội dung:"));
    for (i, it) in pk.items.iter().enumerate() {
        let who = it.presenter();
        b.push(p(&format!(
            "{}. {}{}{}.",
            i + 1,
            it.title,
            if who.is_empty() {
                String::new()
            } else {
                format!(" (trình bày: {who})")
            },
            if it.planned_minutes > 0 {
                format!(", {} phút", it.planned_minutes)
            } else {
                String::new()
            }
        )));
    }
    b.push(p("Tài liệu họp được đăng trên hệ thống steerco. Đề nghị các đồng chí thành viên dự họp đầy đủ, đúng giờ; trường hợp vắng mặt, cử người dự thay và báo trước cho cơ quan thường trực./."));
    b.push(signature(
        issuer,
        &[
            "Như thành phần mời".into(),
            format!("Lưu: VT, {}", issuer.symbol),
        ],
    ));
    docx::build(&b)
}

/// The notice of conclusions, with its number as issued (or blank while a draft).
pub fn notice(issuer: &Issuer, pk: &Pack, number: &str, date: NaiveDate) -> Vec<u8> {
    let m = &pk.meeting;
    let mut b = vec![heading(issuer, number, date, "TB")];
    b.extend(title("THÔNG BÁO", &conclusions::default_summary(m)));
    let present: Vec<String> = pk
        .participants
        .iter()
        .filter(|x| {
            matches!(
                x.attendance(),
                agenda::Attendance::Present | agenda::Attendance::Represented
            )
        })
        .map(|x| match x.attendance() {
            agenda::Attendance::Represented => format!("{} (dự thay {})", x.delegate_name, x.who()),
            _ => x.who(),
        })
        .collect();
    b.push(p(&format!(
        "Ngày {}, {} chủ trì {}. Tham dự cuộc họp có {}.",
        m.planned_on.show(),
        m.chair_name
            .as_deref()
            .map(|c| format!("đồng chí {c}"))
            .unwrap_or_else(|| "người chủ trì".into()),
        conclusions::as_object(&m.title),
        if present.is_empty() {
            "các thành viên và đại biểu được mời".to_string()
        } else {
            present.join("; ")
        }
    )));
    b.push(p(
        "Sau khi nghe báo cáo và ý kiến của các đại biểu dự họp, người chủ trì kết luận như sau:",
    ));
    let name = |id: i64| pk.unit_name(id);
    for (i, c) in pk.conclusions.iter().enumerate() {
        let mut t = format!("{}. {}", i + 1, c.body);
        if c.kind() == conclusions::Kind::Task {
            if !t.ends_with(['.', ';', ':']) {
                t.push('.');
            }
            let leads: Vec<String> = c.leads().into_iter().map(name).collect();
            t.push_str(&format!(" Giao {} chủ trì", leads.join(", ")));
            let co: Vec<String> = c.coordinators().into_iter().map(name).collect();
            if !co.is_empty() {
                t.push_str(&format!(", phối hợp {}", co.join(", ")));
            }
            t.push_str(" thực hiện");
            if !c.deadline_text.is_empty() {
                t.push_str(&format!("; thời hạn: {}", c.deadline_text));
            }
            if !c.product.is_empty() {
                t.push_str(&format!("; sản phẩm: {}", c.product));
            }
            t.push('.');
        }
        b.push(p(&t));
    }
    b.push(p(&format!(
        "{} thông báo để các cơ quan, đơn vị biết, thực hiện và cập nhật kết quả trên hệ thống steerco./.",
        issuer.name_for_text()
    )));
    let mut signer = issuer.clone();
    signer.signer_title = "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG".into();
    b.push(signature(
        &signer,
        &[
            "Các thành viên dự họp".into(),
            "Các cơ quan, đơn vị được giao nhiệm vụ".into(),
            format!("Lưu: VT, {}", issuer.symbol),
        ],
    ));
    docx::build(&b)
}

/// The meeting pack as one document for the chair.
pub fn pack_docx(issuer: &Issuer, pk: &Pack) -> Vec<u8> {
    let m = &pk.meeting;
    let mut b = title("TÀI LIỆU PHỤC VỤ CUỘC HỌP", &m.title);
    b.push(Block::P(
        Para::new(Align::Center)
            .italic(
                &format!(
                    "{} · {} · số liệu đến ngày {}",
                    issuer.name_for_text(),
                    m.when(),
                    pk.followup.as_of.show()
                ),
                SMALL,
            )
            .after(12),
    ));
    b.push(bold("1. Tình hình chuẩn bị"));
    b.push(table(
        vec![3700, 1400, 1100, 1100, 1100, 1000],
        &[
            "Bước chuẩn bị",
            "Hạn",
            "Đã có",
            "Muộn",
            "Thiếu",
            "Chưa đến hạn",
        ],
        pk.readiness
            .iter()
            .map(|s| {
                vec![
                    s.step.title.clone(),
                    s.step.due_on.show(),
                    s.count(Ready::In).to_string(),
                    s.count(Ready::Late).to_string(),
                    s.count(Ready::Missing).to_string(),
                    s.count(Ready::Awaited).to_string(),
                ]
            })
            .collect(),
    ));
    b.push(bold("2. Kết quả thực hiện kết luận cuộc họp trước"));
    match &pk.followup.notice {
        None => b.push(p(
            "Chưa có thông báo kết luận của cuộc họp trước trên hệ thống.",
        )),
        Some(n) => {
            b.push(p(&format!(
                "Thông báo số {} ({} nhiệm vụ được giao): hoàn thành đúng hạn {}, hoàn thành quá hạn {}, đang thực hiện trong hạn {}, quá hạn chưa hoàn thành {}.",
                n.number,
                pk.followup.total(),
                pk.followup.count(Status::DoneOnTime),
                pk.followup.count(Status::DoneLate),
                pk.followup.count(Status::InProgress),
                pk.followup.count(Status::Overdue),
            )));
            b.push(followup_table(&pk.followup));
        }
    }
    b.push(bold("3. Số liệu báo cáo của kỳ"));
    match &pk.consolidation {
        None => b.push(p("Cuộc họp không gắn với kỳ báo cáo.")),
        Some(c) => {
            b.push(p(&format!(
                "{} — kỳ {}: {}/{} đơn vị đã nộp ({} nộp muộn).",
                c.schedule_name,
                m.period_label(),
                c.submitted(),
                c.expected(),
                c.late()
            )));
            let rows: Vec<Vec<String>> = c
                .fields
                .iter()
                .filter(|f| {
                    matches!(
                        f.kind,
                        crate::reporting::template::FieldKind::Number
                            | crate::reporting::template::FieldKind::Ratio
                    )
                })
                .map(|f| vec![f.label.clone(), c.show_figure(f)])
                .collect();
            if !rows.is_empty() {
                b.push(table(vec![6400, 3000], &["Chỉ tiêu", "Tổng hợp"], rows));
            }
        }
    }
    b.push(bold("4. Các cơ quan, đơn vị có nhiệm vụ quá hạn"));
    if pk.overdue.is_empty() {
        b.push(p("Không có nhiệm vụ quá hạn."));
    } else {
        let (most, more) = pk.most_overdue(20);
        b.push(table(
            vec![5400, 2000, 2000],
            &["Đơn vị", "Quá hạn", "Có thời hạn"],
            most.iter()
                .map(|u| {
                    vec![
                        u.unit_name.clone(),
                        u.counts.overdue.to_string(),
                        u.counts.with_deadline().to_string(),
                    ]
                })
                .collect(),
        ));
        if more > 0 {
            b.push(p(&format!(
                "Và {more} cơ quan, đơn vị khác có nhiệm vụ quá hạn."
            )));
        }
    }
    b.push(bold("5. Bảng xếp hạng"));
    match &pk.league {
        Some(l) if !l.rows.is_empty() => {
            b.push(p(&l.title));
            b.push(table(
                vec![900, 6000, 2500],
                &["Hạng", "Đơn vị", "Điểm"],
                l.rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.rank.to_string(),
                            r.name.clone(),
                            format!("{:.1}", r.total),
                        ]
                    })
                    .collect(),
            ));
        }
        _ => b.push(p("Chưa có số liệu chỉ số của năm.")),
    }
    b.push(bold("6. Khâu đột phá và cam kết thứ hạng"));
    if pk.emulation.is_empty() {
        b.push(p(
            "Chưa có đơn vị nào đăng ký khâu đột phá hoặc cam kết thứ hạng trong năm.",
        ));
    } else {
        b.push(table(
            vec![3000, 1300, 1300, 3800],
            &["Đơn vị", "Cam kết", "Thứ hạng hiện tại", "Khâu đột phá"],
            pk.emulation.iter().map(emulation_cells).collect(),
        ));
    }
    docx::build(&b)
}

/// A unit's emulation line in the pack: its commitment, its standing, its breakthroughs.
fn emulation_cells(r: &crate::breakthroughs::emulation::Row) -> Vec<String> {
    vec![
        r.unit_name.clone(),
        r.committed_rank
            .map(|c| format!("Hạng {c}"))
            .unwrap_or_else(|| "—".into()),
        r.standing
            .as_ref()
            .map(|s| format!("Hạng {}/{}", s.rank, s.of))
            .unwrap_or_else(|| "Chưa xếp hạng".into()),
        r.breakthrough_line(),
    ]
}

fn followup_table(f: &Followup) -> Block {
    table(
        vec![3400, 1200, 1200, 1200, 1200, 1200],
        &[
            "Đơn vị chủ trì",
            "Đúng hạn",
            "Quá hạn (đã xong)",
            "Trong hạn",
            "Quá hạn",
            "Thường xuyên",
        ],
        f.units
            .iter()
            .map(|u| {
                vec![
                    u.unit_name.clone(),
                    u.count(Status::DoneOnTime).to_string(),
                    u.count(Status::DoneLate).to_string(),
                    u.count(Status::InProgress).to_string(),
                    u.count(Status::Overdue).to_string(),
                    u.count(Status::Ongoing).to_string(),
                ]
            })
            .collect(),
    )
}

/// The meeting pack as a workbook: every unit's readiness per step, the follow-up task by
/// task, the overdue units, the whole league table — what the secretariat sorts and filters.
pub fn pack_xlsx(pk: &Pack) -> Vec<u8> {
    use crate::documents::xlsx::{build, Cell, Sheet};
    let m = &pk.meeting;
    let title = |what: &str| {
        vec![
            format!("{what}: {}", m.title.to_uppercase()),
            format!(
                "{} · số liệu đến ngày {}",
                m.when(),
                pk.followup.as_of.show()
            ),
        ]
    };
    let readiness = Sheet {
        name: "Chuẩn bị".into(),
        title: title("TÌNH HÌNH CHUẨN BỊ"),
        header: ["Hạn", "Bước chuẩn bị", "Đơn vị", "Tình hình"]
            .map(String::from)
            .to_vec(),
        widths: vec![12.0, 60.0, 36.0, 18.0],
        rows: pk
            .readiness
            .iter()
            .flat_map(|s| {
                s.rows.iter().map(|r| {
                    vec![
                        Cell::from(s.step.due_on.show()),
                        Cell::from(s.step.title.as_str()),
                        Cell::from(r.unit_name.as_str()),
                        Cell::from(r.ready.label()),
                    ]
                })
            })
            .collect(),
    };
    let followup = Sheet {
        name: "Kết luận trước".into(),
        title: title("KẾT QUẢ THỰC HIỆN KẾT LUẬN CUỘC HỌP TRƯỚC"),
        header: [
            "Đơn vị chủ trì",
            "Nhiệm vụ",
            "Thời hạn",
            "Tiến độ (%)",
            "Tình trạng",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![32.0, 60.0, 12.0, 10.0, 24.0],
        rows: pk
            .followup
            .units
            .iter()
            .flat_map(|u| {
                u.tasks.iter().map(|t| {
                    vec![
                        Cell::from(u.unit_name.as_str()),
                        Cell::from(t.title.as_str()),
                        t.due_on
                            .map(|d| Cell::from(d.show()))
                            .unwrap_or(Cell::Empty),
                        Cell::from(t.percent as i64),
                        Cell::from(t.status.label()),
                    ]
                })
            })
            .collect(),
    };
    let overdue = Sheet {
        name: "Quá hạn".into(),
        title: title("CÁC CƠ QUAN, ĐƠN VỊ CÓ NHIỆM VỤ QUÁ HẠN"),
        header: ["Đơn vị", "Quá hạn", "Có thời hạn"]
            .map(String::from)
            .to_vec(),
        widths: vec![40.0, 12.0, 14.0],
        rows: pk
            .overdue
            .iter()
            .map(|u| {
                vec![
                    Cell::from(u.unit_name.as_str()),
                    Cell::from(u.counts.overdue),
                    Cell::from(u.counts.with_deadline()),
                ]
            })
            .collect(),
    };
    let league = Sheet {
        name: "Xếp hạng".into(),
        title: title("BẢNG XẾP HẠNG"),
        header: ["Hạng", "Đơn vị", "Điểm"].map(String::from).to_vec(),
        widths: vec![8.0, 40.0, 10.0],
        rows: pk
            .league
            .iter()
            .flat_map(|l| l.rows.iter())
            .map(|r| {
                vec![
                    Cell::from(r.rank as i64),
                    Cell::from(r.name.as_str()),
                    Cell::from(r.total),
                ]
            })
            .collect(),
    };
    let emulation = Sheet {
        name: "Đột phá, cam kết".into(),
        title: title("KHÂU ĐỘT PHÁ VÀ CAM KẾT THỨ HẠNG"),
        header: ["Đơn vị", "Cam kết", "Thứ hạng hiện tại", "Khâu đột phá"]
            .map(String::from)
            .to_vec(),
        widths: vec![40.0, 12.0, 16.0, 70.0],
        rows: pk
            .emulation
            .iter()
            .map(|r| emulation_cells(r).into_iter().map(Cell::from).collect())
            .collect(),
    };
    build(&[readiness, followup, overdue, league, emulation])
}
