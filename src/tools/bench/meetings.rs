//! `steerco bench-meetings`: the meeting pack of a province on the national dataset (see
//! README, "Scale and speed"). Sets up once per province a steering committee, its meeting of
//! January concluded with a notice of 30 tasks spread over the province's units, and the
//! quarterly meeting of 29/3 convened on the example 003 cascade of `bench-reports` (85 % of
//! the units reported). Then times `GET /api/v1/meetings/{id}` (the pack: readiness per step
//! and unit, the follow-up, the consolidation, overdue work by unit, the league table) through
//! the real server, for a random province each time, and the pack as a `.docx`.

use std::time::Instant;

use chrono::NaiveDate;

use super::{http_get, pct, peak_rss_mb, Rng};
use crate::auth::Actor;
use crate::bodies::{self, BodyInput, MemberInput};
use crate::meetings::{self, conclusions, MeetingInput};
use crate::store::Db;
use crate::with_db;

const MARK: &str = "[bench]";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// The convened quarterly meeting of a province's bench committee, created on first use.
async fn setup_province(
    db: &Db,
    a: &Actor,
    province: &str,
    rng: &mut Rng,
) -> anyhow::Result<Option<i64>> {
    let code = format!("{province}.BENCH-BCD");
    let existing: Option<(i64,)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.code = $1 AND m.state = 'convened'"
    )
    .bind(&code)
    .fetch_optional(p)
    .await
    })?;
    if let Some((id,)) = existing {
        return Ok(Some(id));
    }
    let Some(top) = super::reports::setup_province(db, a, province, rng).await? else {
        return Ok(None);
    };
    let units = crate::org::province_units(db, province).await?;
    let Some(snv) = units.iter().find(|u| u.code == format!("{province}.SNV")) else {
        return Ok(None);
    };
    let body = bodies::create_body(
        db,
        a,
        &BodyInput {
            code,
            name: format!("{MARK} Ban Chỉ đạo CCHC"),
            kind: "steering_committee".into(),
            province_code: province.into(),
            standing_unit_id: Some(snv.id),
            meeting_cadence: "Hằng quý".into(),
            description: String::new(),
        },
    )
    .await?;
    let departments: Vec<&crate::org::Unit> =
        units.iter().filter(|u| u.kind == "department").collect();
    let mut chair = None;
    for (i, u) in departments.iter().take(12).enumerate() {
        let id = bodies::add_member(
            db,
            a,
            body,
            &MemberInput {
                person_name: format!("Giám đốc {}", u.name),
                position: "Thành viên".into(),
                unit_id: Some(u.id),
                role: if i == 0 { "head" } else { "member" }.into(),
                domain: String::new(),
            },
        )
        .await?;
        chair.get_or_insert(id);
    }
    let first = meetings::create_meeting(
        db,
        a,
        &MeetingInput {
            body_id: Some(body),
            kind: "extraordinary".into(),
            chair_member_id: chair,
            planned_on: "2026-01-15".into(),
            ..Default::default()
        },
        day("2026-01-02"),
    )
    .await?;
    meetings::convene(db, a, first, day("2026-01-02")).await?;
    meetings::hold(db, a, first, "", day("2026-01-15")).await?;
    let leads: Vec<&crate::org::Unit> = units.iter().filter(|u| u.kind != "province").collect();
    for i in 0..30 {
        let lead = leads[(i * 7 + rng.below(5) as usize) % leads.len()];
        let due = day("2026-01-20") + chrono::Duration::days(rng.below(120) as i64);
        conclusions::add_conclusion(
            db,
            a,
            first,
            &conclusions::ConclusionInput {
                kind: "task".into(),
                body: format!("Nhiệm vụ {} theo kết luận cuộc họp tháng 01/2026", i + 1),
                lead_units: vec![lead.id],
                deadline_text: format!("Trước ngày {}", due.format("%d/%m/%Y")),
                ..Default::default()
            },
        )
        .await?;
    }
    conclusions::issue_notice(
        db,
        a,
        first,
        &conclusions::NoticeInput {
            number: "10/TB-UBND".into(),
            issued_on: "2026-01-16".into(),
            ..Default::default()
        },
        day("2026-01-16"),
    )
    .await?;
    let next = meetings::create_meeting(
        db,
        a,
        &MeetingInput {
            body_id: Some(body),
            kind: "regular".into(),
            chair_member_id: chair,
            planned_on: "2026-03-29".into(),
            schedule_id: Some(top),
            period: super::reports::PERIOD.into(),
            ..Default::default()
        },
        day("2026-03-01"),
    )
    .await?;
    meetings::convene(db, a, next, day("2026-03-01")).await?;
    Ok(Some(next))
}

pub async fn run(db: &Db, runs: usize) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let provinces = crate::org::provinces(db).await?;
    anyhow::ensure!(
        !provinces.is_empty(),
        "no data: run `steerco gen-national` first"
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let actor = super::reports::bench_actor(db).await?;
    let mut ids = Vec::new();
    for p in &provinces {
        if let Some(id) = setup_province(db, &actor, &p.code, &mut rng).await? {
            ids.push(id);
        }
    }
    anyhow::ensure!(!ids.is_empty(), "no province has the units the bench needs");
    println!(
        "dataset: {} provinces with a convened quarterly meeting ({}); set up in {:.1} s",
        ids.len(),
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        t0.elapsed().as_secs_f64()
    );
    let (addr, token) = super::serve_with_admin(db).await?;
    let mut stream = None;
    // the first read of each province's pack (its dashboard not yet computed by this server)
    let mut cold = Vec::new();
    for id in &ids {
        let t = Instant::now();
        http_get(addr, &format!("/api/v1/meetings/{id}"), &token, &mut stream).await?;
        cold.push(t.elapsed());
    }
    let mut warm = Vec::new();
    let mut docx = Vec::new();
    for i in 0..runs {
        let id = ids[rng.below(ids.len() as u64) as usize];
        let t = Instant::now();
        http_get(addr, &format!("/api/v1/meetings/{id}"), &token, &mut stream).await?;
        warm.push(t.elapsed());
        if i % 4 == 0 {
            let t = Instant::now();
            http_get(
                addr,
                &format!("/api/v1/meetings/{id}/pack.docx"),
                &token,
                &mut stream,
            )
            .await?;
            docx.push(t.elapsed());
        }
    }
    let (c50, c95) = (pct(cold.clone(), 0.5), pct(cold, 0.95));
    let (w50, w95) = (pct(warm.clone(), 0.5), pct(warm, 0.95));
    let (d50, d95) = (pct(docx.clone(), 0.5), pct(docx, 0.95));
    println!(
        "meeting pack (JSON)        p50 {w50:7.2} ms  p95 {w95:7.2} ms  = {:.2} × the 200 ms goal",
        w95 / 200.0
    );
    println!(
        "meeting pack, first read   p50 {c50:7.2} ms  p95 {c95:7.2} ms  = {:.2} × the 200 ms goal (province dashboard computed)",
        c95 / 200.0
    );
    println!("meeting pack (.docx)       p50 {d50:7.2} ms  p95 {d95:7.2} ms");
    println!("peak memory (VmHWM)  {:.0} MB", peak_rss_mb());
    Ok(())
}
