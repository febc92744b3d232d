//! The demo's breakthroughs and rank commitments for the current year: the call of January
//! (due in March), registrations in every state — one accepted and under way with a milestone
//! done, one submitted with a target below what the unit was given (flagged), one returned, one
//! still a draft —, the province's own accepted by the committee, and rank commitments of a few
//! units, some met by the imported one-stop data and some not.

use chrono::{Datelike, NaiveDate};

use crate::auth::Actor;
use crate::breakthroughs::{
    self as bt, calls, commitments, review, Milestone, RegistrationInput, Target,
};
use crate::error::AppResult;
use crate::store::{Day, Db};

async fn unit_id(db: &Db, code: &str) -> AppResult<Option<i64>> {
    Ok(crate::org::find_unit_by_code(db, code).await?.map(|u| u.id))
}

fn day(year: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default()
}

fn target(criterion: &str, indicator: &str, aim: Option<f64>) -> Target {
    Target {
        criterion: criterion.into(),
        indicator: indicator.into(),
        target: aim,
    }
}

fn milestone(title: &str, due: NaiveDate, product: &str) -> Milestone {
    Milestone {
        title: title.into(),
        due_on: Day(due).iso(),
        product: product.into(),
    }
}

fn secretary_province(a: &Actor) -> String {
    a.province_code.clone().unwrap_or_default()
}

/// The demo's breakthroughs of `today`'s year (clock of the demo: the machine's).
/// `secretary` records, registers on behalf of the units and reviews; `admin` reports the
/// progress a unit's officer would.
pub async fn seed(db: &Db, admin: &Actor, secretary: &Actor, today: NaiveDate) -> AppResult<()> {
    let year = today.year();
    let issued = day(year, 1, 19).min(today);
    calls::issue(
        db,
        secretary,
        &calls::CallInput {
            year: Some(year),
            number: "125/UBND-SNV".into(),
            issued_on: Day(issued).iso(),
            due_on: Day(day(year, 3, 25).max(issued)).iso(),
            summary: String::new(),
            kinds: vec!["department".into(), "commune".into()],
            unit_ids: vec![],
        },
        today,
    )
    .await?;
    let now = chrono::Utc::now();
    let input = |unit: Option<i64>,
                 field: &str,
                 title: &str,
                 targets: Vec<Target>,
                 milestones: Vec<Milestone>| {
        RegistrationInput {
        unit_id: unit,
        field: field.into(),
        title: title.into(),
        rationale: "Giải quyết dứt điểm điểm nghẽn của đơn vị; chỉ tiêu cao hơn chỉ tiêu UBND tỉnh giao năm nay.".into(),
        solutions: "Rà soát, tái cấu trúc quy trình; số hóa hồ sơ; theo dõi hằng tháng trên steerco.".into(),
        products: "Quy trình điện tử; báo cáo kết quả cuối năm.".into(),
        leader: "Thủ trưởng đơn vị".into(),
        targets,
        milestones,
        ..Default::default()
    }
    };
    // Science and Technology: accepted, under way, its first milestone done
    if let Some(skhcn) = unit_id(db, "75.SKHCN").await? {
        let id = bt::register(
            db,
            secretary,
            &input(
                Some(skhcn),
                "cds",
                "Dịch vụ công trực tuyến toàn trình cho 100 % thủ tục đủ điều kiện",
                vec![
                    target("Hồ sơ nộp trực tuyến", "dossier_online", Some(92.0)),
                    target("", "dossier_full_online", Some(70.0)),
                    target("Kết nối nền tảng NDXP cho mọi hệ thống của Sở", "", None),
                ],
                vec![
                    milestone(
                        "Rà soát thủ tục đủ điều kiện toàn trình",
                        day(year, 4, 30),
                        "Danh mục thủ tục",
                    ),
                    milestone(
                        "Tái cấu trúc quy trình, cấu hình trên Hệ thống giải quyết TTHC",
                        day(year, 8, 31),
                        "Quy trình điện tử",
                    ),
                    milestone("Đánh giá, báo cáo kết quả", day(year, 12, 15), "Báo cáo"),
                ],
            ),
            today,
        )
        .await?;
        review::submit(db, secretary, id, now).await?;
        let tasks = review::accept(db, secretary, id, &review::Decision::default(), today).await?;
        if let Some(first) = tasks.first() {
            let done = day(year, 4, 25).min(today);
            for a in crate::tracking::task_assignments(db, *first).await? {
                crate::tracking::post_progress(
                    db,
                    admin,
                    a.id,
                    &crate::tracking::ProgressInput {
                        result: "Đã ban hành danh mục 126 thủ tục đủ điều kiện.".into(),
                        percent: Some(100),
                        done: true,
                        completed_on: Some(Day(done).iso()),
                        ..Default::default()
                    },
                    None,
                    today,
                )
                .await?;
                crate::tracking::review_completion(
                    db,
                    secretary,
                    a.id,
                    &crate::tracking::ReviewInput {
                        decision: "confirm".into(),
                        reason: String::new(),
                    },
                )
                .await?;
            }
        }
    }
    // Health: submitted with an online target below the 80 % assigned — flagged
    if let Some(syt) = unit_id(db, "75.SYT").await? {
        let id = bt::register(
            db,
            secretary,
            &input(
                Some(syt),
                "cchc",
                "Một cửa ngành y tế không giấy tờ",
                vec![target("Hồ sơ nộp trực tuyến", "dossier_online", Some(78.0))],
                vec![milestone(
                    "Số hóa hồ sơ cấp phép hành nghề",
                    day(year, 9, 30),
                    "Kho hồ sơ số",
                )],
            ),
            today,
        )
        .await?;
        review::submit(db, secretary, id, now).await?;
    }
    // Trấn Biên: returned to be improved
    if let Some(tb) = unit_id(db, "26041").await? {
        let id = bt::register(
            db,
            secretary,
            &input(
                Some(tb),
                "da06",
                "Phường không tiền mặt, định danh điện tử cho mọi người dân",
                vec![target("Người dân có tài khoản định danh mức 2", "", None)],
                vec![milestone(
                    "Ra quân hỗ trợ kích hoạt tài khoản",
                    day(year, 6, 30),
                    "Báo cáo",
                )],
            ),
            today,
        )
        .await?;
        review::submit(db, secretary, id, now).await?;
        review::return_(
            db,
            secretary,
            id,
            &review::Decision {
                reason: "Chỉ tiêu chưa định lượng: nêu tỷ lệ phấn đấu và gắn với chỉ số của tỉnh."
                    .into(),
                decision_ref: String::new(),
            },
        )
        .await?;
    }
    // Justice: a draft
    if let Some(stp) = unit_id(db, "75.STP").await? {
        bt::register(
            db,
            secretary,
            &input(
                Some(stp),
                "cds",
                "Cấp phiếu lý lịch tư pháp trên ứng dụng VNeID",
                vec![target("", "dossier_online", Some(95.0))],
                vec![milestone(
                    "Kết nối dữ liệu với Bộ Tư pháp",
                    day(year, 10, 31),
                    "",
                )],
            ),
            today,
        )
        .await?;
    }
    // the province's own, proposed by Home Affairs, decided by the committee
    if let Some(snv) = unit_id(db, "75.SNV").await? {
        let mut own = input(
            None,
            "cchc",
            "Tỉnh không còn hồ sơ trễ hạn",
            vec![target("", "dossier_finished_on_time", Some(99.0))],
            vec![
                milestone(
                    "Công khai hằng tháng đơn vị có hồ sơ trễ hạn",
                    day(year, 5, 31),
                    "Bảng xếp hạng",
                ),
                milestone(
                    "Kiểm điểm người đứng đầu đơn vị để hồ sơ trễ hạn",
                    day(year, 11, 30),
                    "Báo cáo",
                ),
            ],
        );
        own.province_own = true;
        own.proposer_unit_id = Some(snv);
        let id = bt::register(db, secretary, &own, today).await?;
        review::submit(db, secretary, id, now).await?;
        review::accept(
            db,
            secretary,
            id,
            &review::Decision {
                reason: String::new(),
                decision_ref: "Kết luận của Ban Chỉ đạo CCHC tỉnh tại phiên họp quý I".into(),
            },
            today,
        )
        .await?;
    }
    // rank commitments of the departments and two communes, placed around their actual ranks
    // on the year's one-stop data: some met, some not
    let standings = commitments::standings(db, &secretary_province(secretary), year).await?;
    for (code, ahead) in [
        ("75.SKHCN", 0),
        ("75.SYT", -3),
        ("75.STP", 2),
        ("75.SNV", -20),
        ("26041", 0),
        ("25195", -30),
    ] {
        let Some(u) = unit_id(db, code).await? else {
            continue;
        };
        let (actual, of) = standings
            .get(code)
            .map(|s| (s.rank as i64, s.of as i64))
            .unwrap_or((5, 5));
        commitments::commit(
            db,
            secretary,
            &commitments::CommitmentInput {
                year: Some(year),
                unit_id: Some(u),
                // within the league (a small demo ranks few units)
                target_rank: (actual + ahead).clamp(1, of.max(1)).to_string(),
                target_score: String::new(),
                note: String::new(),
            },
            now,
        )
        .await?;
    }
    Ok(())
}
