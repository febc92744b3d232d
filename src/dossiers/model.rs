//! Dossiers (hồ sơ TTHC) and feedback items (PAKN) as the province's one-stop system exports
//! them, reduced to what the indicators need. Instants are seconds since the epoch (UTC).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Direct,
    Online,
    Postal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineMode {
    None,
    Partial,
    Full,
}

/// Where the dossier stands in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    /// Received, being handled (or waiting for the citizen's supplement).
    InProgress,
    /// Handled: result ready or returned ("Đã xử lý xong", "Đã trả kết quả").
    Finished,
    /// Stopped or refused ("Dừng xử lý / Từ chối"); its end counts like a finish.
    Rejected,
    /// Withdrawn by the citizen after receipt; its end counts like a finish.
    Withdrawn,
}

impl DossierStatus {
    /// Whether processing has ended (the national rule takes the first of these states).
    pub fn ended(self) -> bool {
        !matches!(self, DossierStatus::InProgress)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Empty,
    Satisfied,
    Unsatisfied,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dossier {
    pub code: String,
    pub unit_code: String,
    pub procedure_code: String,
    pub fee_required: bool,
    pub channel: Channel,
    pub online_mode: OnlineMode,
    pub received_at: i64,
    pub due_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub status: DossierStatus,
    pub supplement_requests: u32,
    /// Days spent waiting for the citizen's supplement (subtracted from the end time).
    pub supplement_days: f64,
    pub digitized: bool,
    pub e_result: bool,
    pub reused_data: bool,
    pub paid_online: bool,
    pub rating: Rating,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub code: String,
    pub unit_code: String,
    pub category: String,
    pub received_at: i64,
    pub due_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub rating: Rating,
    /// A repeat complaint about the result.
    pub repeat: bool,
}
