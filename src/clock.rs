//! The application's clock. Deadlines, lateness and reminders read time from here so that
//! tests (and a demo) can move the date without touching the machine's clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// Real time plus an offset in seconds (zero in production).
#[derive(Clone, Default)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.0.load(Ordering::Relaxed))
    }

    /// Today in Vietnam (Asia/Ho_Chi_Minh is UTC+7, no daylight saving).
    pub fn today_vn(&self) -> NaiveDate {
        vn_date(self.now())
    }

    /// Moves the clock to 09:00 of `day` in Vietnam (office hours, for tests and demos).
    pub fn travel_to(&self, day: NaiveDate) {
        let target = day.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
        self.0
            .store((target - Utc::now()).num_seconds(), Ordering::Relaxed);
    }

    pub fn set_offset_seconds(&self, s: i64) {
        self.0.store(s, Ordering::Relaxed);
    }
}

/// Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving): the one place the offset is written.
pub const VN_OFFSET_SECS: i64 = 7 * 3600;

/// An instant as a wall-clock time in Vietnam.
pub fn vn_time(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    (t + chrono::Duration::seconds(VN_OFFSET_SECS)).naive_utc()
}

pub fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    vn_time(t).date()
}

/// Today in Vietnam by the machine's clock, for what runs outside a server (the command-line
/// reader, the tools). Requests read `AppState.clock` instead, which tests and demos move.
pub fn machine_today_vn() -> NaiveDate {
    vn_date(Utc::now())
}

/// An instant as stored: RFC 3339 UTC, second precision.
pub fn stored(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
