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
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// JSON rendering, used by the `/api/v1` routes.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "code": self.code(),
            "message": self.user_message(),
            "fields": self.fields(),
        });
        (status_of(&self), axum::Json(body)).into_response()
    }
}
