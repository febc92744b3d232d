//! steerco: one binary — the web server and the administration commands.

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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("lỗi: {e:#}");
        std::process::exit(2);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = Db::connect(&cli.db).await?;
    match cli.cmd {
        Cmd::Serve {
            addr,
            demo,
            secure_cookies,
        } => {
            if demo && steerco::demo::is_empty(&db).await? {
                eprintln!("Đang tạo dữ liệu mẫu tỉnh Đồng Nai…");
                steerco::demo::seed(&db).await?;
                eprintln!(
                    "Xong. Đăng nhập: admin / {} (xem README để biết các tài khoản khác)",
                    steerco::demo::DEMO_PASSWORD
                );
            }
            let (listener, bound) = app::bind(&addr).await?;
            eprintln!("steerco đang chạy tại http://{bound}");
            app::serve(listener, AppState::new(db.clone(), secure_cookies)).await?;
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
        Cmd::CreateToken { user, name } => {
            println!("{}", repo::create_api_token(&db, &user, &name).await?);
        }
        Cmd::GenNational {
            directives,
            tasks,
            updates,
        } => {
            steerco::bench::generate(&db, directives, tasks, updates).await?;
        }
        Cmd::Bench {
            requests,
            concurrency,
        } => {
            steerco::bench::run(db.clone(), requests, concurrency).await?;
        }
    }
    Ok(())
}
