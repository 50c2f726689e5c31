//! `tongxin policy status` and `tongxin policy lint`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use tongxin_app::{Clock, SystemClock};
use tongxin_domain::policy::Validity;

/// The day a command works on: `--today`, else today in the county (UTC+8).
pub(crate) fn day(today: Option<String>) -> Result<NaiveDate> {
    match today {
        Some(t) => match NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d") {
            Ok(d) => Ok(d),
            Err(_) => bail!("--today “{t}” 不是有效日期，应为 YYYY-MM-DD"),
        },
        None => Ok(SystemClock.today()),
    }
}

fn describe(v: Validity) -> String {
    let f = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    match v {
        Validity::NotYetInForce { from } => format!("尚未生效（自{}起施行）", f(from)),
        Validity::Trial { until: Some(u) } => format!("试行（至{}）", f(u)),
        Validity::Trial { until: None } => "试行（未定期限）".into(),
        Validity::InForce { until: Some(u) } => format!("现行有效（至{}）", f(u)),
        Validity::InForce { until: None } => "现行有效".into(),
        Validity::Lapsed {
            ended,
            was_trial: true,
        } => format!("已失效（试行期已于{}届满，须修订或续期）", f(ended)),
        Validity::Lapsed {
            ended,
            was_trial: false,
        } => format!("已失效（有效期已于{}届满）", f(ended)),
    }
}

pub fn status(today: Option<String>) -> Result<ExitCode> {
    let day = day(today)?;
    let pack = tongxin_policy::tongxin::pack()?;
    println!("政策文件有效性（{}）", day.format("%Y年%m月%d日"));
    for d in pack.corpus.documents() {
        println!("{}\t{}\t{}", d.number, d.title, describe(d.validity(day)));
        for r in &d.repeals {
            println!("  废止 {r}");
        }
    }
    let lapsed: Vec<_> = pack
        .corpus
        .parameters()
        .filter_map(|p| p.values.iter().find(|v| v.covers(day)).map(|v| (p, v)))
        .filter(|(_, v)| {
            pack.corpus
                .document(&v.citation.doc)
                .is_some_and(|d| d.validity(day).is_lapsed())
        })
        .collect();
    if !lapsed.is_empty() {
        println!("\n依据已失效文件的规则（使用时均带提示）：");
        for (p, v) in lapsed {
            println!(
                "{}\t{}\t{}{}\t{}",
                p.key,
                p.label,
                v.value,
                p.unit_label(),
                v.citation
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn lint() -> Result<ExitCode> {
    let pack = tongxin_policy::tongxin::pack()?;
    let findings = tongxin_policy::lint::lint(&pack);
    for f in &findings {
        let kind = match f.kind {
            "duplicate_number" => "条号重复",
            "unknown_unit" => "未知单位",
            "disagreement" => "文件间不一致",
            other => other,
        };
        println!("[{kind}] {}：{}", f.place, f.message);
    }
    println!("共{}项", findings.len());
    Ok(ExitCode::SUCCESS)
}
