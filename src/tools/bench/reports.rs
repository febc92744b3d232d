//! `steerco bench-reports`: consolidating one period of the example 003 cascade for every
//! province of the national dataset (see README, "Scale and speed"). Sets the cascade up
//! once per province — every department and commune reporting to Sở Nội vụ (CCHC) and the
//! departments to Sở KH&CN (CĐS), the three standing agencies to Sở Nội vụ, Sở Nội vụ to the
//! committee — with 85 % of units submitted (some late, a few returned), then times the
//! whole cascade's consolidation for a province and for the country.

use std::time::Instant;

use super::{pct, peak_rss_mb, Rng};
use crate::auth::{Actor, Role};
use crate::store::Db;
use crate::with_db;

use crate::reporting::consolidation;
use crate::reporting::schedule::{self, ScheduleInput, TemplateInput};
use crate::reporting::template;

pub(super) const PERIOD: &str = "2026-Q1";
const MARK: &str = "[bench] ";

/// An administrator account for the setup (audit entries name a real user).
pub(super) async fn bench_actor(db: &Db) -> anyhow::Result<Actor> {
    let name = "bench-reports";
    if crate::auth::repo::find_user(db, name).await?.is_none() {
        crate::auth::repo::create_user(
            db,
            None,
            crate::auth::repo::NewUser {
                username: name,
                password: &crate::auth::random_token(),
                full_name: "bench",
                role: Role::Admin,
                unit_id: None,
                body_id: None,
            },
        )
        .await?;
    }
    crate::auth::repo::actor_by_username(db, name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench account is locked"))
}

async fn unit(db: &Db, code: &str) -> anyhow::Result<Option<i64>> {
    Ok(crate::org::find_unit_by_code(db, code).await?.map(|u| u.id))
}

/// The top schedule of a province's bench cascade, created on first use.
pub(super) async fn setup_province(
    db: &Db,
    a: &Actor,
    province: &str,
    rng: &mut Rng,
) -> anyhow::Result<Option<i64>> {
    let existing: Option<(i64,)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM report_schedules WHERE province_code = $1 AND name = $2"
    )
    .bind(province)
    .bind(format!("{MARK}tổng hợp"))
    .fetch_optional(p)
    .await)?;
    if let Some((id,)) = existing {
        return Ok(Some(id));
    }
    let (Some(ubnd), Some(snv), Some(skhcn), Some(cat)) = (
        unit(db, province).await?,
        unit(db, &format!("{province}.SNV")).await?,
        unit(db, &format!("{province}.SKHCN")).await?,
        unit(db, &format!("{province}.CAT")).await?,
    ) else {
        return Ok(None);
    };
    let tpl = schedule::save_template(
        db,
        a,
        province,
        None,
        &TemplateInput {
            name: format!("{MARK}báo cáo quý"),
            description: String::new(),
            fields: template::quarterly_reform_report(),
        },
    )
    .await?;
    let groups = crate::org::list_groups(db, Some(province)).await?;
    let group = |suffix: &str| {
        groups
            .iter()
            .find(|g| g.code.ends_with(suffix))
            .map(|g| g.id)
    };
    let input = |name: &str,
                 receiver: i64,
                 units: Vec<i64>,
                 groups: Vec<i64>,
                 parent: Option<i64>,
                 day: &str| ScheduleInput {
        name: format!("{MARK}{name}"),
        template_id: Some(tpl),
        receiver_unit_id: Some(receiver),
        parent_id: parent,
        frequency: "quarterly".into(),
        cutoff_day: "14".into(),
        due_rule: "day_of_month".into(),
        due_value: day.into(),
        reminder_offsets: "-3,-1,1,3".into(),
        units,
        groups,
        ..Default::default()
    };
    // Created "before" the period, so its requests are opened below, not by the creation.
    let at = chrono::Utc::now();
    let top = schedule::create_schedule(
        db,
        a,
        province,
        &input("tổng hợp", ubnd, vec![snv], vec![], None, "28"),
        at,
    )
    .await?;
    let agencies = schedule::create_schedule(
        db,
        a,
        province,
        &input(
            "cơ quan thường trực",
            snv,
            vec![snv, skhcn, cat],
            vec![],
            Some(top),
            "27",
        ),
        at,
    )
    .await?;
    let all: Vec<i64> = [group(".SBN"), group(".XA")]
        .into_iter()
        .flatten()
        .collect();
    let cchc = schedule::create_schedule(
        db,
        a,
        province,
        &input("CCHC", snv, vec![], all, Some(agencies), "25"),
        at,
    )
    .await?;
    let cds = schedule::create_schedule(
        db,
        a,
        province,
        &input(
            "CĐS",
            skhcn,
            vec![],
            group(".SBN").into_iter().collect(),
            Some(agencies),
            "25",
        ),
        at,
    )
    .await?;
    let cal = crate::reporting::WorkCalendar::load(db).await?;
    for id in [top, agencies, cchc, cds] {
        let s = schedule::get_schedule(db, id).await?;
        if let Some(p) = s.period(PERIOD) {
            crate::reporting::open_requests(db, &s, &p, &cal).await?;
        }
    }
    // Submissions: 85 % of units (lower levels first), 1 in 8 late, 1 in 30 returned.
    let rows: Vec<(i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT r.id, r.schedule_id FROM report_requests r JOIN report_schedules s ON s.id = r.schedule_id \
         WHERE s.province_code = $1 AND r.period = $2 ORDER BY r.id"
    )
    .bind(province)
    .bind(PERIOD)
    .fetch_all(p)
    .await
    })?;
    let _w = db.write_lock().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        for (rid, _) in rows {
            if rng.below(100) >= 85 {
                continue;
            }
            let late = rng.below(8) == 0;
            let state = if rng.below(30) == 0 {
                "returned"
            } else {
                "submitted"
            };
            let received = 50 + rng.below(2000);
            let finished = received * (80 + rng.below(20)) / 100;
            let on_time = finished * (90 + rng.below(10)) / 100;
            let online = received * (50 + rng.below(45)) / 100;
            let values = serde_json::json!({
                "ket_qua": "Hoàn thành các nhiệm vụ trọng tâm của quý; rà soát, đơn giản hóa thủ tục hành chính.",
                "kho_khan": "Hạ tầng số cấp xã chưa đồng bộ.",
                "de_xuat": "",
                "nhiem_vu_ky_toi": "Tiếp tục số hóa hồ sơ, kết quả giải quyết TTHC.",
                "nv_tong": "12", "nv_hoan_thanh": "9", "nv_qua_han": "1",
                "hs_tiep_nhan": received.to_string(), "hs_giai_quyet": finished.to_string(),
                "hs_dung_han": on_time.to_string(), "hs_truc_tuyen": online.to_string(),
            })
            .to_string();
            let at = if late {
                "2026-03-27T03:00:00Z"
            } else {
                "2026-03-20T03:00:00Z"
            };
            sqlx::query(
                "INSERT INTO report_submissions (request_id, version, state, values_json, saved_at, submitted_at, late) \
                 VALUES ($1, 1, $2, $3, $4, $4, $5)",
            )
            .bind(rid)
            .bind(state)
            .bind(&values)
            .bind(at)
            .bind(late)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE report_requests SET state = $1, submitted_at = $2, late = $3, returns = $4 WHERE id = $5")
                .bind(state)
                .bind(at)
                .bind(late)
                .bind(if state == "returned" { 1 } else { 0 })
                .bind(rid)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(Some(top))
}

pub async fn run(db: &Db, runs: usize) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let provinces = crate::org::provinces(db).await?;
    anyhow::ensure!(
        !provinces.is_empty(),
        "no data: run `steerco gen-national` first"
    );
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut tops = Vec::new();
    let actor = bench_actor(db).await?;
    for p in &provinces {
        if let Some(top) = setup_province(db, &actor, &p.code, &mut rng).await? {
            tops.push((p.code.clone(), schedule::get_schedule(db, top).await?));
        }
    }
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*) FROM report_requests WHERE period = $1"
    )
    .bind(PERIOD)
    .fetch_one(p)
    .await)?;
    println!(
        "dataset: {} provinces, {n} report requests in {PERIOD} over 4 levels ({}); set up in {:.1} s",
        tops.len(),
        if db.is_postgres() { "PostgreSQL" } else { "SQLite" },
        t0.elapsed().as_secs_f64()
    );
    // One province: the whole cascade (four consolidations) as the schedule page shows it.
    let mut one = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..runs {
        let (_, top) = &tops[rng.below(tops.len() as u64) as usize];
        let t = Instant::now();
        let levels = consolidation::cascade(db, top, PERIOD).await?;
        one.push(t.elapsed());
        sizes.push(
            levels
                .iter()
                .map(|l| l.consolidation.expected())
                .sum::<usize>(),
        );
    }
    // The country: every province's cascade, one after the other.
    let mut country = Vec::new();
    let mut check = (0usize, 0usize);
    for _ in 0..(runs / 10).max(5) {
        let t = Instant::now();
        check = (0, 0);
        for (_, top) in &tops {
            for l in consolidation::cascade(db, top, PERIOD).await? {
                check.0 += l.consolidation.expected();
                check.1 += l.consolidation.submitted();
            }
        }
        country.push(t.elapsed());
    }
    let avg = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    let (p50, p95) = (pct(one.clone(), 0.5), pct(one, 0.95));
    println!(
        "province consolidation (4 levels, {avg:.0} requests on average)  p50 {p50:7.2} ms  p95 {p95:7.2} ms  = {:.2} × the 200 ms goal",
        p95 / 200.0
    );
    let (c50, c95) = (pct(country.clone(), 0.5), pct(country, 0.95));
    println!(
        "country consolidation ({} requests, {} counted)          p50 {c50:7.0} ms  p95 {c95:7.0} ms  = {:.2} × the 2 s goal",
        check.0,
        check.1,
        c95 / 2000.0
    );
    println!("peak memory (VmHWM)  {:.0} MB", peak_rss_mb());
    Ok(())
}
