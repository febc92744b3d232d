//! National-scale dataset generation and the HTTP benchmark (see README).

use crate::store::Db;

pub async fn generate(
    _db: &Db,
    _directives: usize,
    _tasks: usize,
    _updates: usize,
) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}

pub async fn run(_db: Db, _requests: usize, _concurrency: usize) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
