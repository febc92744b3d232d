//! Integration tests: the real HTTP server on a random port, on SQLite (always) and on
//! PostgreSQL when STEERCO_TEST_PG is set to an administrator URL (`.ci/run` does this).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod breakthroughs;
mod corpus;
mod everyday;
mod helpers;
mod http;
mod imports;
mod indicators;
mod meetings;
mod notices;
mod reports;
mod rules;
mod scenarios;
mod security;
mod tls;
