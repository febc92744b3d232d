//! Rules that exist twice, held to each other on the real databases.

use steerco::tracking::status::{edge_cases, status_as_of, status_sql_case, Status};
use steerco::with_db;

use crate::helpers::spawn_app;

/// The dashboards count states in SQL; a unit's page computes them in Rust. On every edge case
/// (due, completion and as-of dates around a year end, ongoing or not) both give the same state,
/// on SQLite and on PostgreSQL.
#[tokio::test]
async fn dashboards_and_pages_agree_on_every_status() {
    let app = spawn_app().await;
    let cases = edge_cases();
    let rows: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (due, recurring, completed, as_of))| {
            let text = |d: &Option<chrono::NaiveDate>| match d {
                Some(d) => format!("'{d}'"),
                None => "NULL".into(),
            };
            format!(
                "SELECT {i} AS id, {recurring} AS recurring, {} AS due_on, {} AS completed_on, '{as_of}' AS as_of",
                text(due),
                text(completed)
            )
        })
        .collect();
    let sql = format!(
        "SELECT a.id, {} FROM ({}) a ORDER BY a.id",
        status_sql_case("a.as_of"),
        rows.join(" UNION ALL ")
    );
    let got: Vec<(i32, String)> =
        with_db!(&app.db, |p| sqlx::query_as(&sql).fetch_all(p).await).unwrap();
    assert_eq!(got.len(), cases.len());
    for ((id, code), &(due, recurring, completed, as_of)) in got.iter().zip(&cases) {
        assert_eq!(
            Status::parse(code),
            Some(status_as_of(due, recurring, completed, as_of)),
            "case {id}: due {due:?}, recurring {recurring}, completed {completed:?}, as of {as_of}"
        );
    }
}
