//! The application's error type with a stable code and a Vietnamese message. `http` maps it
//! once to a status; the API renders it as JSON (`{"code", "message", "fields"}`), pages as
//! HTML. Internal errors are logged whole and never shown.

use serde::Serialize;

use crate::store::StoreError;

#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Bạn cần đăng nhập.")]
    Unauthorized,
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    #[error("Không tìm thấy {0}.")]
    NotFound(&'static str),
    #[error("Dữ liệu không hợp lệ: {}", .0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// Too many requests at once, or too soon: try again later.
    #[error("{0}")]
    Busy(String),
    #[error("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ, vui lòng tải lại trang.")]
    Csrf,
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) => "invalid_input",
            AppError::Conflict(_) => "conflict",
            AppError::Busy(_) => "busy",
            AppError::Csrf => "csrf_failed",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message a user may see. Internal details stay in the log.
    pub fn user_message(&self) -> String {
        match self {
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "Đã xảy ra lỗi hệ thống, vui lòng thử lại sau.".to_string()
            }
            other => other.to_string(),
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(f) => f,
            _ => &[],
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Collects field errors so a form reports every problem at once.
#[derive(Default)]
pub struct Validator(Vec<FieldError>);

impl Validator {
    pub fn check(&mut self, ok: bool, field: &str, message: &str) -> &mut Self {
        if !ok {
            self.0.push(FieldError {
                field: field.into(),
                message: message.into(),
            });
        }
        self
    }
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
