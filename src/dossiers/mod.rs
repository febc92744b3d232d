//! Dossier and feedback data from the province's one-stop system, and the figures computed
//! from them per unit and calendar month (indicators of Plan 404 and Decision 766).

pub mod import;
pub mod keys;
pub mod model;
pub mod monthly;
pub mod parse;
pub mod rules;
pub mod state;
