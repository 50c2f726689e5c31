//! `tongxin calendar`: working-day queries for people and for batch jobs.
//!
//! Exit codes: 0 answered; 2 a query could not be answered (a year the data does not cover, a
//! malformed query) — the message names the year or the argument. In `--stdin` mode every line
//! gets one output line; an unanswerable line prints `error: …` and the run exits 2 at the end.
//! A missing regional year is a warning on standard error, not an error.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use tongxin_app::calendar::RegionalYearInput;
use tongxin_calendar::{Calendar, Query, RegionalOverlay};

use crate::config::FileConfig;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: Option<CalendarCommand>,
    /// Apply a region's overlay: `ningxia` (built-in years 2019–2022; with --db also the years
    /// entered by administrators).
    #[arg(long)]
    region: Option<String>,
    /// Read the regional years entered in this database (with --region).
    #[arg(long)]
    db: Option<String>,
    /// Read one query per line from standard input; print one answer per line.
    #[arg(long)]
    stdin: bool,
    /// The query: `add-workdays 2024-02-05 5`, `is-workday 2024-02-04`, `period 2024-03-01 2y`,
    /// `dekad 2024-02-25`, `sub-workdays D N`, `workdays-between A B`.
    #[arg(allow_hyphen_values = true)]
    query: Vec<String>,
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Enter a regional holiday notice's days for a year (replaces that year).
    AddRegional {
        #[arg(long, env = "TONGXIN_DB")]
        db: Option<String>,
        #[arg(long)]
        year: String,
        /// The notice: 文号, or title and date.
        #[arg(long)]
        notice: String,
        /// Extra days off: `2024-04-10:开斋节,2024-04-11,2024-06-17:古尔邦节`.
        #[arg(long, default_value = "")]
        off: String,
        /// Weekend days the notice makes working days.
        #[arg(long, default_value = "")]
        workdays: String,
        /// The days were checked against the regional government's own publication.
        #[arg(long)]
        verified: bool,
    },
}

async fn calendar_for(
    region: Option<&str>,
    db: Option<String>,
    file: &FileConfig,
) -> Result<Calendar> {
    match region {
        None => Ok(Calendar::national()?),
        Some("ningxia" | "宁夏" | "宁夏回族自治区") => match db {
            Some(_) => {
                let app = crate::open_existing(&file.db_or_default(db, false)).await?;
                Ok((*app.calendar()).clone())
            }
            None => Ok(Calendar::national()?.with_overlay(&RegionalOverlay::ningxia_builtin()?)),
        },
        Some(other) => anyhow::bail!("地区“{other}”没有地方节假日数据；可用：ningxia"),
    }
}

pub async fn run(args: CalendarArgs, file: &FileConfig) -> Result<ExitCode> {
    if let Some(CalendarCommand::AddRegional {
        db,
        year,
        notice,
        off,
        workdays,
        verified,
    }) = args.command
    {
        let app = crate::open_existing(&file.db_or_default(db, false)).await?;
        let input = RegionalYearInput {
            year,
            notice,
            extra_off: off,
            extra_workdays: workdays,
            verified,
        };
        let added = app.add_regional_year(None, &input).await;
        app.store.close().await;
        return match added {
            Ok(v) => {
                println!(
                    "已录入{}{}年地方节假日：放假{}天，调休上班{}天（{}）",
                    tongxin_app::calendar::REGION,
                    v.year,
                    v.extra_off.len(),
                    v.extra_workdays.len(),
                    v.notice
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
        };
    }
    let cal = calendar_for(args.region.as_deref(), args.db, file).await?;
    if args.stdin {
        return batch(&cal);
    }
    if args.query.is_empty() {
        anyhow::bail!("缺少查询，例如：tongxin calendar add-workdays 2024-02-05 5");
    }
    let query = match Query::from_args(args.query.iter().map(String::as_str)) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("错误：{e}");
            return Ok(ExitCode::from(2));
        }
    };
    match cal.answer(&query) {
        Ok(c) => {
            println!("{}", c.value);
            for w in c.warnings.iter() {
                eprintln!("提示：{w}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            Ok(ExitCode::from(2))
        }
    }
}

/// One answer per input line, buffered: a million queries in well under a second.
fn batch(cal: &Calendar) -> Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut failed = 0u64;
    let mut warned = std::collections::BTreeSet::new();
    for line in stdin.lines() {
        let line = line?;
        match line
            .parse::<Query>()
            .map_err(|e| e.to_string())
            .and_then(|q| cal.answer(&q).map_err(|e| e.to_string()))
        {
            Ok(c) => {
                writeln!(out, "{}", c.value)?;
                for w in c.warnings.iter() {
                    warned.insert(w.to_string());
                }
            }
            Err(e) => {
                failed += 1;
                writeln!(out, "error: {e}")?;
            }
        }
    }
    out.flush()?;
    for w in warned {
        eprintln!("提示：{w}");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
