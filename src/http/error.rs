//! Each error mapped once to an HTTP status; the JSON body of the API.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a refusal says to a person, kept beside the JSON body so that pages render it without
/// reading the body back.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub message: String,
    /// Each refused field with its message (a refused form shows them beside its fields).
    pub errors: Vec<crate::error::FieldError>,
}

/// JSON rendering, used by the `/api/v1` routes; the `Refusal` rides along for the pages.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let message = self.user_message();
        let body = serde_json::json!({
            "code": self.code(),
            "message": message,
            "fields": self.fields(),
        });
        let refusal = Refusal {
            message,
            errors: self.fields().to_vec(),
        };
        let mut res = (status_of(&self), axum::Json(body)).into_response();
        res.extensions_mut().insert(refusal);
        res
    }
}
