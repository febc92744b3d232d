//! The HTTP kit both faces (the web pages in `web`, the JSON API in `api`) are built on: the
//! shared state, extractors, the mapping of errors to statuses, responses. The domain modules
//! never import it.

pub mod conn;
mod csrf;
mod error;
mod extract;
mod respond;
mod state;
pub mod trace;

pub use csrf::{authority, csrf};
pub use error::{status_of, Refusal};
pub use extract::{
    as_of, bearer_token, is_multipart, local_path, read_form, session_cookie_value, ClientAddress,
    FormPairs, In, MaybeActor, Multipart, SiteUrl, F, J, P, Q,
};
pub use respond::{
    attachment_response, done_goes_to_its_page, download, multipart_error, read_progress_form,
    security_headers, urlencode, Done, ProgressForm, Upload,
};
pub use state::AppState;
