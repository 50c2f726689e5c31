//! `tongxin`: the server and every command-line tool of the platform, in one binary.
//!
//! Configuration, highest precedence first: command-line flags, environment variables
//! (`TONGXIN_DB`, `TONGXIN_LISTEN`, `TONGXIN_TODAY`, `TONGXIN_SECURE_COOKIES`), the config file
//! (`--config FILE` or `TONGXIN_CONFIG`, else `./tongxin.toml` when present), built-in defaults.

mod calendar_cmd;
mod config;
mod doc_cmd;
mod policy_cmd;
mod rules_cmd;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use tongxin_app::users::NewUserInput;
use tongxin_app::{App, Clock, FixedDateClock, Mode, SystemClock};
use tongxin_store::{Store, redact_url};

use crate::config::{Config, FileConfig};

#[derive(Parser)]
#[command(
    name = "tongxin",
    version,
    about = "同心县域治理平台：服务与命令行工具"
)]
struct Cli {
    /// Config file (TOML: db, listen, today, secure_cookies).
    #[arg(long, global = true, env = "TONGXIN_CONFIG")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Default)]
struct DbArgs {
    /// Database URL: sqlite://FILE (default) or postgres://USER@HOST/DB.
    #[arg(long, env = "TONGXIN_DB")]
    db: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, env = "TONGXIN_LISTEN")]
        listen: Option<String>,
        /// Demo mode: a demo database (default sqlite://tongxin-demo.db) with demo users for
        /// every role; every page is marked 演示.
        #[arg(long)]
        demo: bool,
        /// Fix the county's date (YYYY-MM-DD) for demos, training and tests.
        #[arg(long, env = "TONGXIN_TODAY")]
        today: Option<String>,
        /// Mark cookies Secure (when served over HTTPS).
        #[arg(long, env = "TONGXIN_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The address officials open Tongxin at, for links in notifications
        /// [default: http:// + the listen address].
        #[arg(long, env = "TONGXIN_BASE_URL")]
        base_url: Option<String>,
        /// SMTP relay for e-mail notifications: smtp://HOST:25, smtp://HOST:587?tls=required,
        /// smtps://USER:PASS@HOST:465 [default: none; e-mail deliveries then fail, visibly].
        #[arg(long, env = "TONGXIN_SMTP_URL")]
        smtp_url: Option<String>,
        /// Sender of e-mail notifications, e.g. "同心县域治理平台 <noreply@tongxin.gov.cn>".
        #[arg(long, env = "TONGXIN_SMTP_FROM")]
        smtp_from: Option<String>,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Demo databases.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Working-day calendar: `tongxin calendar add-workdays 2024-02-05 5`, `is-workday D`,
    /// `sub-workdays D N`, `workdays-between A B`, `period D 2y|6m|30d`, `dekad D`;
    /// `--stdin` answers one query per line; `add-regional` enters a regional notice.
    Calendar(calendar_cmd::CalendarArgs),
    /// Documents: `tongxin doc parse FILE [--json]` prints the outline and what was extracted.
    Doc {
        #[command(subcommand)]
        command: DocCommand,
    },
    /// Deadline sweep (时限巡查): marks overdue deadlines, warns those due within 3 working
    /// days, and posts each once to the responsible unit's inbox. `tongxin serve` runs it every
    /// five minutes; run it by hand after restoring a backup or to see what it finds.
    Sweep {
        #[command(flatten)]
        db: DbArgs,
        /// The day to sweep as (YYYY-MM-DD) [default: today, UTC+8].
        #[arg(long, env = "TONGXIN_TODAY")]
        today: Option<String>,
    },
    /// The policy pack: validity of each document, and lint.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Decisions the rules make: `tongxin rules invest --amount 4999.99 [--planned]
    /// [--simple] [--partial] [--emergency] [--new-land]` prints a government investment
    /// project's approval path with each clause.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// 政府投资项目审批路径 (同政办规发〔2023〕5号 第七条、第八条).
    Invest(rules_cmd::InvestArgs),
}

#[derive(Subcommand)]
enum DocCommand {
    /// Parse a document's text (UTF-8, as extracted from PDF; `-` reads standard input).
    Parse {
        file: std::path::PathBuf,
        /// JSON output (documented in docs/doc-parse-json.md).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Each document as 现行有效 / 试行 / 已失效 / 尚未生效, and the rules of lapsed documents.
    Status {
        /// The day to judge on (YYYY-MM-DD) [default: today, UTC+8].
        #[arg(long, env = "TONGXIN_TODAY")]
        today: Option<String>,
    },
    /// Duplicated article numbers, unit names the directory does not know, rules that disagree.
    Lint,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from standard input (or prompted for).
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        /// Role code or Chinese name: system_admin 系统管理员, security_admin 安全管理员,
        /// audit_admin 审计管理员, county_leader 县领导, supervision 督查室, department 部门,
        /// township 乡镇, village 村, applicant 申请人.
        #[arg(long)]
        role: String,
        /// Unit id or any of its names (e.g. 同心县人民政府办公室, 豫海镇).
        #[arg(long)]
        unit: String,
        /// Display name [default: the username].
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Print the demo accounts as JSON: [{"username","password","role","unit"}].
    Accounts {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the audit trail's hash chain; exits 1 naming the first broken link.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TONGXIN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let file = FileConfig::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve {
            db,
            listen,
            demo,
            today,
            secure_cookies,
            base_url,
            smtp_url,
            smtp_from,
        } => {
            let notify = config::NotifyFlags {
                base_url,
                smtp_url,
                smtp_from,
            };
            let cfg = Config::resolve(&file, db.db, listen, today, secure_cookies, demo, notify)?;
            serve(cfg).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command:
                UserCommand::Add {
                    db,
                    username,
                    role,
                    unit,
                    display_name,
                },
        } => {
            let url = file.db_or_default(db.db, false);
            let app = open_existing(&url).await?;
            let password = read_password()?;
            let input = NewUserInput {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                password,
                role,
                unit,
            };
            let created = app.create_user(None, &input).await;
            app.store.close().await;
            match created {
                Ok(u) => {
                    println!(
                        "已创建用户 {}（{}，{}）",
                        u.username, u.role_label, u.unit_name
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(tongxin_app::AppError::Validation(errors)) => {
                    for e in errors {
                        eprintln!("{}：{}", e.field, e.message);
                    }
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Demo {
            command: DemoCommand::Accounts { db },
        } => {
            let url = file.db_or_default(db.db, true);
            let app = open_existing(&url).await?;
            let accounts = app.demo_accounts().await?;
            println!("{}", serde_json::to_string_pretty(&accounts)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sweep { db, today } => {
            let url = file.db_or_default(db.db, false);
            let app = open_existing(&url).await?;
            let day = policy_cmd::day(today.or(file.today.clone()))?;
            let started = std::time::Instant::now();
            let r = app.sweep(day).await;
            app.store.close().await;
            let r = r?;
            println!(
                "{day} 时限巡查：检查{}项，预警{}项，逾期{}项，公示期满{}项；督办任务预警{}项，逾期{}项（用时{:.2}秒）",
                r.examined,
                r.warned,
                r.overdue,
                r.notice_ended,
                r.tasks.warned,
                r.tasks.overdue,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar(args) => calendar_cmd::run(args, &file).await,
        Command::Doc {
            command: DocCommand::Parse { file: path, json },
        } => doc_cmd::run(&path, json),
        Command::Policy {
            command: PolicyCommand::Status { today },
        } => policy_cmd::status(today.or(file.today.clone())),
        Command::Policy {
            command: PolicyCommand::Lint,
        } => policy_cmd::lint(),
        Command::Rules {
            command: RulesCommand::Invest(args),
        } => rules_cmd::invest(args),
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => {
            let url = file.db_or_default(db.db, false);
            let app = open_existing(&url).await?;
            match app.verify_audit(None).await? {
                Ok(n) => {
                    println!("审计链完整：已校验{n}条记录");
                    Ok(ExitCode::SUCCESS)
                }
                Err(b) => {
                    eprintln!("审计链断裂：{b}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn pack() -> Result<tongxin_policy::Pack> {
    Ok(tongxin_policy::tongxin::pack()?)
}

/// Opens a database for a command-line tool, in whatever mode the database was created.
pub(crate) async fn open_existing(url: &str) -> Result<App> {
    let store = Store::connect(url)
        .await
        .with_context(|| format!("无法打开数据库 {}", redact_url(url)))?;
    let mode = match store.meta("mode").await?.as_deref() {
        Some("demo") => Mode::Demo,
        _ => Mode::Production,
    };
    Ok(App::open(store, pack()?, Arc::new(SystemClock), mode).await?)
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password("密码：")?;
        let again = rpassword::prompt_password("再次输入密码：")?;
        if first != again {
            bail!("两次输入的密码不一致");
        }
        first
    } else {
        let mut s = String::new();
        stdin.lock().read_to_string(&mut s)?;
        s.lines().next().unwrap_or("").to_owned()
    };
    Ok(password)
}

async fn serve(cfg: Config) -> Result<()> {
    let clock: Arc<dyn Clock> = match cfg.today {
        Some(date) => Arc::new(FixedDateClock { date }),
        None => Arc::new(SystemClock),
    };
    let mode = if cfg.demo {
        Mode::Demo
    } else {
        Mode::Production
    };
    let store = Store::connect(&cfg.db)
        .await
        .with_context(|| format!("无法打开数据库 {}", redact_url(&cfg.db)))?;
    let app = App::open(store, pack()?, clock.clone(), mode).await?;
    if cfg.demo {
        app.seed_demo().await?;
    }
    let users = app.store.user_count().await?;
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| format!("无法监听 {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(db = %redact_url(&cfg.db), backend = app.store.backend().name(), mode = mode.code(), %addr, today = %clock.today(), "tongxin serving");
    println!(
        "同心县域治理平台已启动：http://{addr}/{}",
        if cfg.demo {
            "（演示模式，账号见 `tongxin demo accounts`）"
        } else {
            ""
        }
    );
    if users == 0 {
        println!(
            "数据库中还没有用户。创建第一位系统管理员：\n  tongxin user add --db {} --username admin --role system_admin --unit 同心县人民政府办公室",
            redact_url(&cfg.db)
        );
    }
    let sweeper = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) = sweeper.purge_idle_sessions().await {
                tracing::warn!(error = %e, "purging idle sessions failed");
            }
            match sweeper.sweep(sweeper.clock.today()).await {
                Ok(r)
                    if r.warned + r.overdue + r.notice_ended + r.tasks.warned + r.tasks.overdue
                        > 0 =>
                {
                    tracing::info!(
                        warned = r.warned,
                        overdue = r.overdue,
                        notice_ended = r.notice_ended,
                        task_warned = r.tasks.warned,
                        task_overdue = r.tasks.overdue,
                        "deadline sweep"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "deadline sweep failed"),
            }
        }
    });
    let deliverer = tongxin_app::notify::Deliverer::new(tongxin_app::notify::DeliveryConfig {
        base_url: cfg.base_url.clone(),
        smtp_url: cfg.smtp_url.clone(),
        smtp_from: cfg.smtp_from.clone(),
        timeout: std::time::Duration::from_secs(10),
    })?;
    tokio::spawn(app.clone().run_notifications(deliverer));
    let state = tongxin_web::AppState {
        app,
        secure_cookies: cfg.secure_cookies,
    };
    tongxin_web::serve(listener, state).await?;
    Ok(())
}
