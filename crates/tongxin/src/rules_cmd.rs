//! `tongxin rules invest`: the approval path of a government investment project
//! (同政办规发〔2023〕5号 第七条、第八条), each step with its clause.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use tongxin_domain::invest::{ProjectFacts, WanYuan, approval_path};

#[derive(Args)]
pub struct InvestArgs {
    /// 总投资（万元，最多两位小数），如 4999.99
    #[arg(long)]
    amount: String,
    /// 列入国家相关规划或经县级以上人民政府批准的规划
    #[arg(long)]
    planned: bool,
    /// 建设内容单一、技术方案简单
    #[arg(long)]
    simple: bool,
    /// 部分扩建改建
    #[arg(long)]
    partial: bool,
    /// 应对突发事件需要紧急建设
    #[arg(long)]
    emergency: bool,
    /// 涉及新增建设用地或办理规划选址
    #[arg(long)]
    new_land: bool,
    /// The day to decide on (YYYY-MM-DD) [default: today, UTC+8].
    #[arg(long, env = "TONGXIN_TODAY")]
    today: Option<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

pub fn invest(args: InvestArgs) -> Result<ExitCode> {
    let amount: WanYuan = match args.amount.parse() {
        Ok(a) => a,
        Err(e) => bail!("--amount：{e}"),
    };
    let day = crate::policy_cmd::day(args.today)?;
    let pack = tongxin_policy::tongxin::pack()?;
    let facts = ProjectFacts {
        amount,
        listed_in_plan: args.planned,
        simple_content: args.simple,
        partial_expansion: args.partial,
        emergency: args.emergency,
        new_land: args.new_land,
    };
    let dec = match approval_path(&pack.corpus, day, facts) {
        Ok(d) => d,
        Err(e) => bail!("{day}无法判定：{e}"),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&dec)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("总投资{amount}：{}（{day}）", dec.path.label());
    println!("依据：");
    for r in &dec.reasons {
        println!("  - {}——{}", r.text, r.citation);
    }
    println!("须审批的文件（按顺序）：");
    for (i, d) in dec.documents.iter().enumerate() {
        if d.note.is_empty() {
            println!("  {}. {}", i + 1, d.label);
        } else {
            println!("  {}. {}（{}）", i + 1, d.label, d.note);
        }
    }
    if !dec.parallel.is_empty() {
        println!("并联办理：");
        for p in &dec.parallel {
            println!(
                "  - {}（{}）：{}——{}",
                p.label, p.department, p.when, p.citation
            );
        }
    }
    println!("适用的规则：");
    for a in &dec.applied {
        println!("  - {} = {}万元——{}", a.key, a.value, a.citation);
    }
    for w in &dec.warnings {
        println!("注意：{w}");
    }
    Ok(ExitCode::SUCCESS)
}
