//! steerco: one binary — the web server and the administration commands.

use std::io::Write;

use clap::{Parser, Subcommand};

use steerco::app::{self, AppState};
use steerco::auth::{repo, Role};
use steerco::store::Db;

#[derive(Parser)]
#[command(
    name = "steerco",
    about = "Theo dõi văn bản chỉ đạo, nhiệm vụ và tiến độ (CCHC · CĐS · Đề án 06)"
)]
struct Cli {
    /// Database URL: sqlite://FILE (embedded, default) or postgres://…
    #[arg(
        long,
        env = "STEERCO_DATABASE_URL",
        default_value = "sqlite://steerco.db",
        global = true
    )]
    db: String,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the web server.
    Serve {
        #[arg(long, env = "STEERCO_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Seed the demo province (Đồng Nai) when the database is empty.
        #[arg(long)]
        demo: bool,
        /// Mark the session cookie Secure (behind HTTPS).
        #[arg(long, env = "STEERCO_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Load provinces, departments and communes from the 2025 unit lists (idempotent).
    LoadUnits {
        /// Province code, e.g. 75 for Đồng Nai.
        #[arg(long, conflicts_with = "all")]
        province: Option<String>,
        /// All 34 provinces.
        #[arg(long)]
        all: bool,
    },
    /// Create an account.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, env = "STEERCO_NEW_PASSWORD")]
        password: String,
        #[arg(long)]
        full_name: String,
        /// admin, secretariat, officer or leader.
        #[arg(long)]
        role: String,
        /// Code of the user's unit (e.g. 75.SNV or a commune code).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Create an API token for scripts; printed once.
    CreateToken {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "script")]
        name: String,
        /// Days the token lasts.
        #[arg(long, default_value_t = steerco::auth::repo::TOKEN_DAYS)]
        days: i64,
    },
    /// End an account's API tokens (all, or those of one name).
    RevokeToken {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Generate the national-scale dataset (34 provinces) for benchmarks.
    GenNational {
        /// Directives per province.
        #[arg(long, default_value_t = 30)]
        directives: usize,
        /// Tasks per directive.
        #[arg(long, default_value_t = 40)]
        tasks: usize,
        /// Progress updates per assignment (average).
        #[arg(long, default_value_t = 5)]
        updates: usize,
    },
    /// Read a directive (.txt, .docx, .pdf) and print the proposed directive and tasks.
    /// Writes nothing.
    Import {
        file: std::path::PathBuf,
        /// Print the extraction as one JSON object.
        #[arg(long)]
        json: bool,
        /// Province code whose units resolve the document's unit phrases, when the document
        /// does not name its province.
        #[arg(long)]
        province: Option<String>,
    },
    /// Generate synthetic dossier and feedback files (exchange format, CSV) for a province or
    /// the whole country. Opens no database.
    GenDossiers {
        /// Province code (e.g. 75); all 34 provinces when absent.
        #[arg(long)]
        province: Option<String>,
        #[arg(long, default_value_t = 2026)]
        year: i32,
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Total number of dossiers.
        #[arg(long, default_value_t = 200_000)]
        dossiers: u64,
        /// Feedback items per 100 dossiers.
        #[arg(long, default_value_t = 1.5)]
        feedback_per_100: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "dossiers.csv")]
        out: std::path::PathBuf,
        #[arg(long, default_value = "feedback.csv")]
        feedback_out: std::path::PathBuf,
    },
    /// Figures per unit and calendar month of receipt from exchange files (CSV or JSON Lines):
    /// one CSV row per unit and month; bad rows go to stderr with their line numbers.
    /// Opens no database.
    DossierFigures {
        /// Dossier file.
        #[arg(long)]
        dossiers: Option<std::path::PathBuf>,
        /// Feedback file.
        #[arg(long)]
        feedback: Option<std::path::PathBuf>,
        /// Output file (standard output when absent).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// League table on a scorecard (default: the Decision 766 index) from exchange files, for
    /// the months given (default: all): rank, unit, total and group points, as CSV. Indicators
    /// a province reports itself (TTHC publication, sync…) score 0 here. Opens no database.
    Scorecard {
        #[arg(long)]
        dossiers: std::path::PathBuf,
        #[arg(long)]
        feedback: Option<std::path::PathBuf>,
        /// First month, YYYY-MM.
        #[arg(long)]
        from: Option<String>,
        /// Last month, YYYY-MM.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = "766")]
        card: String,
    },
    /// Import exchange files (dossiers and/or feedback) into the database: upsert by code, bad
    /// rows reported with their line numbers, nothing written unless the whole file is.
    ImportDossiers {
        #[arg(long)]
        dossiers: Option<std::path::PathBuf>,
        #[arg(long)]
        feedback: Option<std::path::PathBuf>,
        /// Accept only this province's units (all provinces when absent).
        #[arg(long)]
        province: Option<String>,
    },
    /// Export the stored figures: one CSV row per unit and calendar month of receipt
    /// (dossiers, then after a blank line feedback), as `dossier-figures` writes them.
    ExportFigures {
        #[arg(long)]
        province: Option<String>,
        /// Output file (standard output when absent).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Benchmark importing a dossier file and computing every indicator per unit and month,
    /// then a re-import of the same file and the country scorecard page.
    BenchIndicators {
        #[arg(long)]
        dossiers: std::path::PathBuf,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
    /// Benchmark document import: read a plan of N pages in its usual shapes.
    BenchImport {
        #[arg(long, default_value_t = 50)]
        pages: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Benchmark consolidation: the example 003 cascade for every province of the
    /// national dataset (run `gen-national` first), one period, timed per province and for
    /// the country.
    BenchReports {
        #[arg(long, default_value_t = 100)]
        runs: usize,
    },
    /// Benchmark the meeting pack: a convened quarterly meeting per province of the national
    /// dataset (run `gen-national` first), read through the real HTTP server.
    BenchMeetings {
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Run the reminder pass once (open periods, queue reminders, urging notices and the
    /// daily digest, deliver) — for cron, when the server's own scheduler is not used.
    Remind,
    /// A consistent copy of the SQLite database into FILE while the server runs (restore: stop
    /// the server, put FILE in the database's place). PostgreSQL: pg_dump.
    Backup { file: String },
    /// Benchmark memory under a flood of logins with made-up usernames (peak resident MB).
    BenchLogins {
        #[arg(long, default_value_t = 200)]
        concurrency: usize,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Benchmark a running dataset through the real HTTP server.
    Bench {
        #[arg(long, default_value_t = 200)]
        requests: usize,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
}

#[tokio::main]
async fn main() {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr);
    // one JSON object a line for a log collector; otherwise text, coloured only on a terminal
    if std::env::var("STEERCO_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("lỗi: {e:#}");
        std::process::exit(2);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Cmd::BenchImport { pages, runs } = &cli.cmd {
        return Ok(steerco::tools::bench::import::run(*pages, *runs)?);
    }
    if let Cmd::GenDossiers {
        province,
        year,
        months,
        dossiers,
        feedback_per_100,
        seed,
        out,
        feedback_out,
    } = &cli.cmd
    {
        use steerco::tools::generate;
        let units = generate::units_of(province.as_deref());
        anyhow::ensure!(!units.is_empty(), "không có tỉnh mã {province:?}");
        let d = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
        let f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(feedback_out)?);
        let t = std::time::Instant::now();
        let (n, nf) = generate::generate(
            &units,
            &generate::Options {
                year: *year,
                months: *months,
                dossiers: *dossiers,
                feedback_per_100: *feedback_per_100,
                seed: *seed,
            },
            d,
            f,
            |n| eprintln!("  … {n} hồ sơ"),
        )?;
        eprintln!(
            "Đã tạo {n} hồ sơ ({}) và {nf} phản ánh, kiến nghị ({}) cho {} đơn vị trong {:.1} s.",
            out.display(),
            feedback_out.display(),
            units.len(),
            t.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    if let Cmd::Scorecard {
        dossiers,
        feedback,
        from,
        to,
        card,
    } = &cli.cmd
    {
        return scorecard(
            dossiers,
            feedback.as_deref(),
            from.as_deref(),
            to.as_deref(),
            card,
        );
    }
    if let Cmd::DossierFigures {
        dossiers,
        feedback,
        out,
    } = &cli.cmd
    {
        return dossier_figures(dossiers.as_deref(), feedback.as_deref(), out.as_deref());
    }
    if let Cmd::Import {
        file,
        json,
        province,
    } = &cli.cmd
    {
        // Reads the file only: no database is opened, nothing is written.
        return import(file, *json, province.as_deref());
    }
    let db = Db::connect(&cli.db).await?;
    let cli_db = cli.db.clone();
    match cli.cmd {
        Cmd::Serve {
            addr,
            demo,
            secure_cookies,
        } => {
            if demo && steerco::tools::demo::is_empty(&db).await? {
                eprintln!("Đang tạo dữ liệu mẫu tỉnh Đồng Nai…");
                steerco::tools::demo::seed(&db).await?;
                eprintln!(
                    "Xong. Đăng nhập: admin / {} (xem README để biết các tài khoản khác)",
                    steerco::tools::demo::DEMO_PASSWORD
                );
            }
            steerco::dossiers::import::mark_interrupted(&db).await?;
            let channels = steerco::notify::Channels::from_env().map_err(anyhow::Error::msg)?;
            let (listener, bound) = app::bind(&addr).await?;
            eprintln!("steerco đang chạy tại http://{bound}");
            let state = AppState::with_channels(db.clone(), secure_cookies, channels);
            // other servers on the same PostgreSQL: their changes reach our caches at once
            db.follow_changes();
            // Reminders, digests and urging notices: a pass now, then every few minutes.
            let every = std::env::var("STEERCO_NOTIFY_EVERY_SECS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(300);
            steerco::notify::spawn_worker(
                db.clone(),
                (*state.channels).clone(),
                std::time::Duration::from_secs(every),
            );
            app::serve(listener, state).await?;
            db.close().await;
        }
        Cmd::LoadUnits { province, all } => {
            if province.is_none() && !all {
                anyhow::bail!("chọn --province MÃ hoặc --all");
            }
            let r = steerco::org::load_provinces(&db, province.as_deref(), true).await?;
            eprintln!(
                "Đã nạp {} tỉnh, {} đơn vị mới.",
                r.provinces, r.units_created
            );
        }
        Cmd::CreateUser {
            username,
            password,
            full_name,
            role,
            unit,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("vai trò phải là admin, secretariat, officer hoặc leader")
            })?;
            let unit_id = match unit {
                Some(c) => Some(
                    steerco::org::find_unit_by_code(&db, &c)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("không có đơn vị mã {c}"))?
                        .id,
                ),
                None => None,
            };
            let id = repo::create_user(
                &db,
                None,
                repo::NewUser {
                    username: &username,
                    password: &password,
                    full_name: &full_name,
                    role,
                    unit_id,
                    body_id: None,
                },
            )
            .await?;
            eprintln!("Đã tạo tài khoản #{id}.");
        }
        Cmd::CreateToken { user, name, days } => {
            println!(
                "{}",
                repo::create_api_token_for(&db, &user, &name, days).await?
            );
        }
        Cmd::RevokeToken { user, name } => {
            let n = repo::revoke_api_tokens(&db, &user, name.as_deref()).await?;
            println!("Đã thu hồi {n} mã truy cập của {user}.");
        }
        Cmd::GenNational {
            directives,
            tasks,
            updates,
        } => {
            steerco::tools::bench::generate(&db, directives, tasks, updates).await?;
        }
        Cmd::Import { .. }
        | Cmd::BenchImport { .. }
        | Cmd::GenDossiers { .. }
        | Cmd::DossierFigures { .. }
        | Cmd::Scorecard { .. } => {
            unreachable!("handled before the database opens")
        }
        Cmd::BenchLogins {
            concurrency,
            rounds,
        } => {
            steerco::tools::bench::logins::run(&cli_db, concurrency, rounds).await?;
        }
        Cmd::BenchReports { runs } => {
            steerco::tools::bench::reports::run(&db, runs).await?;
        }
        Cmd::BenchMeetings { runs } => {
            steerco::tools::bench::meetings::run(&db, runs).await?;
        }
        Cmd::ImportDossiers {
            dossiers,
            feedback,
            province,
        } => {
            use steerco::dossiers::import::Kind;
            anyhow::ensure!(
                dossiers.is_some() || feedback.is_some(),
                "cần --dossiers TỆP và/hoặc --feedback TỆP"
            );
            for (kind, path) in [(Kind::Dossier, dossiers), (Kind::Feedback, feedback)] {
                if let Some(p) = path {
                    import_dossiers(&db, kind, &p, province.as_deref()).await?;
                }
            }
        }
        Cmd::ExportFigures { province, out } => {
            let mut sink: Box<dyn std::io::Write + Send> = match out {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout())),
            };
            steerco::indicators::store::export_csv(&db, province.as_deref(), &mut sink).await?;
            sink.flush()?;
        }
        Cmd::BenchIndicators { dossiers, runs } => {
            steerco::tools::bench::indicators::run(&db, &dossiers, runs).await?;
        }
        Cmd::Backup { file } => {
            db.backup(&file).await.map_err(anyhow::Error::msg)?;
            eprintln!("Đã sao lưu vào {file}.");
        }
        Cmd::Remind => {
            let r = steerco::notify::tick(
                &db,
                &steerco::notify::Channels::from_env().map_err(anyhow::Error::msg)?,
                chrono::Utc::now(),
            )
            .await?;
            eprintln!(
                "Mở {} yêu cầu báo cáo; xếp {} lời nhắc, {} đôn đốc, {} tổng hợp; gửi {} (lỗi {}).",
                r.requests_opened, r.reminders, r.urgings, r.digests, r.sent, r.failed
            );
        }
        Cmd::Bench {
            requests,
            concurrency,
        } => {
            steerco::tools::bench::run(db.clone(), requests, concurrency).await?;
        }
    }
    Ok(())
}

/// Imports one exchange file, printing progress every second and the bad rows.
async fn import_dossiers(
    db: &Db,
    kind: steerco::dossiers::import::Kind,
    path: &std::path::Path,
    province: Option<&str>,
) -> anyhow::Result<()> {
    use std::sync::atomic::Ordering::Relaxed;
    use steerco::dossiers::import;
    let t = std::time::Instant::now();
    let name = path.display().to_string();
    let (id, progress) = import::begin(db, kind, province, &name, None).await?;
    let watch = {
        let p = progress.clone();
        tokio::spawn(async move {
            let mut last = (u64::MAX, 0);
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if p.finished() {
                    break;
                }
                let now = (p.rows.load(Relaxed), p.phase.load(Relaxed));
                if now != last {
                    eprintln!("  … {}: {} dòng", p.phase_label(), now.0);
                    last = now;
                }
            }
        })
    };
    let r = import::run(db, id, kind, path, province, None, progress).await;
    watch.abort();
    let o = r.map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    for e in o.errors.iter().take(50) {
        eprintln!("{name}: {e}");
    }
    if o.rows_bad > 50 {
        eprintln!("{name}: … và {} dòng lỗi khác", o.rows_bad - 50);
    }
    eprintln!(
        "{} (lần nhập #{}): {} dòng hợp lệ, {} dòng lỗi, {} đơn vị thay đổi, {:.1} s",
        kind.label(),
        o.id,
        o.rows_kept,
        o.rows_bad,
        o.units_changed,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Counts an exchange file, printing progress every two million rows and the bad rows
/// with their line numbers.
fn count_file<C: steerco::dossiers::monthly::Tally>(
    path: &std::path::Path,
    what: &str,
) -> anyhow::Result<steerco::dossiers::monthly::Counted<C>> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    let t = std::time::Instant::now();
    let (seen, done) = (AtomicU64::new(0), AtomicBool::new(false));
    let counted = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut last = 0;
            while !done.load(Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(200));
                let n = seen.load(Relaxed);
                if n >= last + 2_000_000 {
                    eprintln!("  … {n} dòng");
                    last = n;
                }
            }
        });
        let r = steerco::dossiers::monthly::count_file::<C>(path, &seen);
        done.store(true, Relaxed);
        r
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    for e in &counted.errors {
        eprintln!("{}: {e}", path.display());
    }
    eprintln!(
        "{what}: {} dòng hợp lệ, {} dòng lỗi, {:.1} s",
        counted.rows,
        counted.bad,
        t.elapsed().as_secs_f64()
    );
    Ok(counted)
}

/// Writes the counts of exchange files as CSV: dossiers, then (after a blank line) feedback.
fn dossier_figures(
    dossiers: Option<&std::path::Path>,
    feedback: Option<&std::path::Path>,
    out: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use steerco::dossiers::monthly::{self, DossierCounts, FeedbackCounts};
    anyhow::ensure!(
        dossiers.is_some() || feedback.is_some(),
        "cần --dossiers TỆP và/hoặc --feedback TỆP"
    );
    let mut sink: Box<dyn std::io::Write> = match out {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if let Some(p) = dossiers {
        let c = count_file::<DossierCounts>(p, "hồ sơ")?;
        monthly::write_csv(&mut sink, &c.counts.into_monthly())?;
    }
    if let Some(p) = feedback {
        if dossiers.is_some() {
            writeln!(sink)?;
        }
        let c = count_file::<FeedbackCounts>(p, "phản ánh, kiến nghị")?;
        monthly::write_csv(&mut sink, &c.counts.into_monthly())?;
    }
    sink.flush()?;
    Ok(())
}

fn scorecard(
    dossiers: &std::path::Path,
    feedback: Option<&std::path::Path>,
    from: Option<&str>,
    to: Option<&str>,
    card: &str,
) -> anyhow::Result<()> {
    use steerco::dossiers::monthly::{DossierCounts, FeedbackCounts, Tally};
    use steerco::indicators::{self, Catalogue, Facts};
    let c = Catalogue::national();
    let card = c
        .scorecards
        .iter()
        .find(|s| s.code == card)
        .ok_or_else(|| anyhow::anyhow!("không có bảng điểm {card}"))?;
    let in_range = |month: &str| from.is_none_or(|f| month >= f) && to.is_none_or(|t| month <= t);
    let mut facts: std::collections::BTreeMap<String, Facts> = Default::default();
    let counted = count_file::<DossierCounts>(dossiers, "hồ sơ")?;
    for ((unit, month), c) in counted.counts.into_monthly() {
        if in_range(&month) {
            facts.entry(unit).or_default().dossiers.merge(&c);
        }
    }
    if let Some(p) = feedback {
        let counted = count_file::<FeedbackCounts>(p, "phản ánh, kiến nghị")?;
        for ((unit, month), c) in counted.counts.into_monthly() {
            if in_range(&month) {
                facts.entry(unit).or_default().feedback.merge(&c);
            }
        }
    }
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec!["rank".to_string(), "unit_code".into(), "total".into()];
    header.extend(card.groups.iter().map(|g| format!("group_{}", g.code)));
    w.write_record(&header)?;
    for row in indicators::league(c, card, &facts) {
        let mut rec = vec![
            row.rank.to_string(),
            row.unit_code.clone(),
            format!("{:.2}", row.score.total),
        ];
        rec.extend(row.score.groups.iter().map(|g| format!("{:.2}", g.points)));
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

fn import(file: &std::path::Path, json: bool, province: Option<&str>) -> anyhow::Result<()> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("lỗi: không đọc được {}: {e}", file.display());
            std::process::exit(2)
        }
    };
    let x = match steerco::import::extract_file(&bytes, province) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("lỗi: {}: {e}", file.display());
            std::process::exit(2)
        }
    };
    use std::io::Write;
    // A closed pipe (`| head`) ends the output quietly.
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&x)?);
        return Ok(());
    }
    let d = &x.directive;
    let _ = writeln!(
        out,
        "{} {} ngày {} — {}\n{}",
        d.kind_label,
        d.number,
        d.date.map(|d| d.to_string()).unwrap_or_else(|| "?".into()),
        d.issuer,
        d.summary
    );
    for (i, t) in x.tasks.iter().enumerate() {
        let lead: Vec<String> = t
            .lead
            .iter()
            .map(|u| format!("{}[{}]", u.text, u.unit.as_deref().unwrap_or("?")))
            .collect();
        let _ = writeln!(
            out,
            "{:>3}. {} | {} | {} {}",
            i + 1,
            t.title.chars().take(90).collect::<String>(),
            lead.join("; "),
            t.deadline.text,
            t.deadline.due.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
