//! steerco: steering-committee directives, tasks and progress for Vietnamese provinces.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod bodies;
pub mod clock;
pub mod dashboard;
pub mod deadline;
pub mod directives;
pub mod documents;
pub mod dossiers;
pub mod error;
pub mod http;
pub mod import;
pub mod indicators;
pub mod meetings;
pub mod notify;
pub mod openapi;
pub mod org;
pub mod reporting;
pub mod store;
pub mod text;
pub mod tools;
pub mod tracking;
pub mod web;
pub mod work;
