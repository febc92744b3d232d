//! Memory under a flood of bogus logins: `concurrency` logins with made-up usernames at once,
//! each from its own loopback address (so that the per-address throttle does not answer them
//! before a password is checked), in `rounds` waves, against the server started as a process
//! of its own (`steerco serve` on the same database); its peak resident memory is read from
//! /proc, so the load generator's own memory is not counted. Goal: 200 at once keep the server under 300 MB (each argon2 check takes 19 MiB;
//! unbounded, 150 took it to 4.2 GB).

use std::time::Instant;

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn run(db_url: &str, concurrency: usize, rounds: usize) -> anyhow::Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let server = Server(
        std::process::Command::new(std::env::current_exe()?)
            .args(["--db", db_url, "serve", "--addr", &addr])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()?,
    );
    let pid = server.0.id();
    let health = format!("http://{addr}/health");
    let started = Instant::now();
    while reqwest::get(&health).await.is_err() {
        anyhow::ensure!(started.elapsed().as_secs() < 30, "the server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let before = status_kb(pid, "VmRSS:");
    println!(
        "server before: {:.0} MB resident; {concurrency} bogus logins at once, {rounds} rounds",
        before as f64 / 1024.0
    );
    let url = format!("http://{addr}/login");
    for round in 0..rounds {
        let t = Instant::now();
        let answers = futures_util::future::join_all((0..concurrency).map(|i| {
            let url = url.clone();
            async move {
                let from = std::net::IpAddr::V4(std::net::Ipv4Addr::new(
                    127,
                    1 + (i / 250) as u8,
                    (round % 250) as u8,
                    1 + (i % 250) as u8,
                ));
                let c = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .local_address(from)
                    .build()
                    .ok()?;
                let r = c
                    .post(&url)
                    .form(&[
                        ("username", format!("khong-co-{round}-{i}")),
                        ("password", "sai-mat-khau".to_string()),
                    ])
                    .send()
                    .await
                    .ok()?;
                Some(r.status().as_u16())
            }
        }))
        .await;
        let count = |code: u16| answers.iter().filter(|a| **a == Some(code)).count();
        println!(
            "round {}: {} refused as wrong, {} told to come back (429), {} failed, in {:.1} s; peak {:.0} MB, now {:.0} MB",
            round + 1,
            count(303),
            count(429),
            answers.iter().filter(|a| a.is_none()).count(),
            t.elapsed().as_secs_f64(),
            status_kb(pid, "VmHWM:") as f64 / 1024.0,
            status_kb(pid, "VmRSS:") as f64 / 1024.0,
        );
    }
    let peak = status_kb(pid, "VmHWM:") as f64 / 1024.0;
    println!(
        "peak resident memory {peak:.0} MB (goal < 300 MB at 200 at once): {}",
        if peak < 300.0 { "met" } else { "NOT met" }
    );
    drop(server);
    Ok(())
}
