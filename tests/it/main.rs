//! Integration tests: the real HTTP server on a random port, on SQLite (always) and on
//! PostgreSQL when STEERCO_TEST_PG is set to an administrator URL (`.ci/run` does this).

mod corpus;
mod csrf;
mod helpers;
mod imports;
mod indicators;
mod reports;
mod rules;
mod scenarios;
