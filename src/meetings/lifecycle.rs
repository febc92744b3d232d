//! A meeting's changes of state: convened (its report steps open the units' requests), held,
//! concluded by its notice (`conclusions`), closed; postponed or cancelled with a reason. Each
//! change is conditional on the state read, so two decisions sent at once cannot both apply,
//! and is kept in `meeting_events`.

use chrono::NaiveDate;

use super::{entry, manage_meeting, prepare, Meeting, State, StateChange};
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Validator};
use crate::in_work;
use crate::store::{Day, Db};
use crate::text::nfc;
use crate::work::Work;

/// Records a change of state inside `work`: the row and its event.
pub(super) async fn record_state(
    work: &mut Work<'_>,
    actor: &Actor,
    m: &Meeting,
    to: State,
    planned_on: NaiveDate,
    reason: &str,
) -> AppResult<()> {
    let now = work.now_utc();
    // Conditional on the state read: two decisions sent at once cannot both apply.
    let changed = in_work!(work, |tx| {
        let r = sqlx::query(
            "UPDATE meetings SET state = $1, planned_on = $2 WHERE id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(Day(planned_on))
        .bind(m.id)
        .bind(&m.state)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO meeting_events (meeting_id, at, username, from_state, to_state, planned_on, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(m.id)
        .bind(&now)
        .bind(&actor.username)
        .bind(&m.state)
        .bind(to.as_str())
        .bind(Day(planned_on))
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        Ok::<u64, sqlx::Error>(r.rows_affected())
    })?;
    if changed == 0 {
        return Err(AppError::Conflict(
            "Cuộc họp vừa được người khác cập nhật; tải lại trang để xem trạng thái mới.".into(),
        ));
    }
    work.audit(
        entry(actor, to.as_str(), m)
            .before(&serde_json::json!({"state": m.state, "planned_on": m.planned_on}))
            .after(&serde_json::json!({"state": to.as_str(), "planned_on": Day(planned_on), "reason": reason})),
    );
    Ok(())
}

/// Writes the general minutes inside `work`.
async fn write_minutes(work: &mut Work<'_>, id: i64, minutes: &str) -> AppResult<()> {
    in_work!(work, |tx| sqlx::query(
        "UPDATE meetings SET minutes_text = $1 WHERE id = $2"
    )
    .bind(nfc(minutes))
    .bind(id)
    .execute(&mut *tx)
    .await
    .map(|_| ()))?;
    Ok(())
}

fn refuse(m: &Meeting, action: &str) -> AppError {
    AppError::Conflict(format!(
        "Không thể {action}: cuộc họp đang ở trạng thái «{}».",
        m.state().label()
    ))
}

/// Issues the invitation: the timeline's report steps open their units' requests for the
/// period with the step's due date, so that units see what they owe and are reminded by the
/// reporting reminders.
pub async fn convene(db: &Db, actor: &Actor, id: i64, today: NaiveDate) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if !matches!(m.state(), State::Draft | State::Postponed) {
        return Err(refuse(&m, "triệu tập"));
    }
    if m.planned_on.date() < today {
        return Err(AppError::invalid(
            "planned_on",
            "Ngày họp đã qua: hoãn cuộc họp sang ngày mới trước khi triệu tập.",
        ));
    }
    let steps = prepare::steps(db, id).await?;
    let links = prepare::report_links(db, &m, &steps).await?;
    let mut work = Work::begin(db).await?;
    prepare::open_reports(&mut work, &links).await?;
    record_state(
        &mut work,
        actor,
        &m,
        State::Convened,
        m.planned_on.date(),
        "",
    )
    .await?;
    work.touches(&m.province_code);
    work.commit().await?;
    Ok(())
}

/// Postpones a meeting not yet held, with its reason; with a new date, the timeline moves
/// with it.
pub async fn postpone(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &StateChange,
    today: NaiveDate,
) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if !matches!(m.state(), State::Draft | State::Convened) {
        return Err(refuse(&m, "hoãn"));
    }
    let mut v = Validator::default();
    let reason = nfc(&input.reason);
    v.check(!reason.is_empty(), "reason", "Nêu lý do hoãn cuộc họp.");
    let new_date = match input.planned_on.trim() {
        "" => m.planned_on.date(),
        s => super::date_field(
            &mut v,
            "planned_on",
            s,
            Some((today, "Ngày họp mới phải từ hôm nay trở đi.")),
        )
        .unwrap_or(m.planned_on.date()),
    };
    v.finish()?;
    let cal = crate::reporting::WorkCalendar::load(db).await?;
    let steps = prepare::steps(db, id).await?;
    let mut work = Work::begin(db).await?;
    record_state(&mut work, actor, &m, State::Postponed, new_date, &reason).await?;
    prepare::move_steps(&mut work, &steps, new_date, &cal).await?;
    work.commit().await?;
    Ok(())
}

pub async fn cancel(db: &Db, actor: &Actor, id: i64, input: &StateChange) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if !m.state().ahead() {
        return Err(refuse(&m, "hủy"));
    }
    let reason = nfc(&input.reason);
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Nêu lý do hủy cuộc họp."));
    }
    let mut work = Work::begin(db).await?;
    record_state(
        &mut work,
        actor,
        &m,
        State::Cancelled,
        m.planned_on.date(),
        &reason,
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Records that the meeting took place (on its day or after), with its general minutes.
pub async fn hold(
    db: &Db,
    actor: &Actor,
    id: i64,
    minutes: &str,
    today: NaiveDate,
) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if m.state() != State::Convened {
        return Err(refuse(&m, "ghi nhận đã họp"));
    }
    if today < m.planned_on.date() {
        return Err(AppError::Conflict(format!(
            "Chưa đến ngày họp ({}).",
            m.planned_on.show()
        )));
    }
    let mut work = Work::begin(db).await?;
    record_state(&mut work, actor, &m, State::Held, m.planned_on.date(), "").await?;
    write_minutes(&mut work, id, minutes).await?;
    work.commit().await?;
    Ok(())
}

/// Closes a concluded meeting: its follow-up continues at the next one.
pub async fn close(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if m.state() != State::Concluded {
        return Err(refuse(&m, "kết thúc"));
    }
    let mut work = Work::begin(db).await?;
    record_state(&mut work, actor, &m, State::Closed, m.planned_on.date(), "").await?;
    work.commit().await?;
    Ok(())
}

/// General minutes of a held meeting, kept while its conclusions are written.
pub async fn save_minutes(db: &Db, actor: &Actor, id: i64, minutes: &str) -> AppResult<()> {
    let m = manage_meeting(db, actor, id).await?;
    if m.state() != State::Held {
        return Err(refuse(&m, "ghi biên bản"));
    }
    let mut work = Work::begin(db).await?;
    write_minutes(&mut work, id, minutes).await?;
    work.audit(entry(actor, "minutes", &m));
    work.commit().await?;
    Ok(())
}
