//! `tongxin doc parse FILE [--json]`: what the parser reads in a document's text — the outline
//! and every extraction — for a person (an outline with marks) or a program (JSON, documented
//! in docs/doc-parse-json.md).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use tongxin_docparse::{ParseResult, ParsedDocument, UnitRef, parse};

pub fn run(file: &Path, json: bool) -> Result<ExitCode> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("无法读取标准输入")?
    } else {
        std::fs::read_to_string(file)
            .with_context(|| format!("无法读取文件 {}（须为UTF-8文本）", file.display()))?
    };
    let directory = tongxin_policy::tongxin::directory()?;
    let result = parse(&text, &directory);
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print!("{}", human(&result));
    }
    Ok(if result.documents.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn units(u: &[UnitRef]) -> String {
    u.iter()
        .map(|u| {
            if u.resolved.is_empty() {
                format!("{}[未识别]", u.raw)
            } else {
                u.resolved.join("、")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn document(out: &mut String, d: &ParsedDocument) -> std::fmt::Result {
    writeln!(
        out,
        "== {} {}",
        d.number.as_deref().unwrap_or("（未识别文号）"),
        d.title.as_deref().unwrap_or("（未识别标题）")
    )?;
    writeln!(
        out,
        "发文单位：{}　日期：{}　{}　种类：{:?}",
        units(&d.issuers),
        d.date
            .map(|x| x.to_string())
            .unwrap_or_else(|| "未识别".into()),
        if d.public {
            "（此件公开发布）"
        } else {
            "（未标公开）"
        },
        d.kind
    )?;
    writeln!(out, "-- 条款（{}）", d.clauses.len())?;
    for c in &d.clauses {
        let mut depth = 0;
        let mut cur = c.parent.as_deref();
        while let Some(p) = cur {
            depth += 1;
            cur = d
                .clauses
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.parent.as_deref());
        }
        let text: String = c.text.chars().take(40).collect();
        writeln!(
            out,
            "{}{} {} {}",
            "  ".repeat(depth),
            c.label,
            c.title,
            text
        )?;
    }
    writeln!(out, "-- 任务（{}）", d.tasks.len())?;
    for t in &d.tasks {
        let people = t
            .people
            .iter()
            .map(|p| format!("{}（{}）", p.name, p.role))
            .collect::<Vec<_>>()
            .join("、");
        writeln!(
            out,
            "[{}] 牵头：{}　责任：{}{}{}{}",
            t.clause,
            units(&t.lead_units),
            units(&t.responsible_units),
            if people.is_empty() {
                String::new()
            } else {
                format!("　负责人：{people}")
            },
            t.time
                .as_ref()
                .map(|x| format!("　时间：{}", x.text))
                .unwrap_or_default(),
            t.place
                .as_ref()
                .map(|x| format!("　地点：{x}"))
                .unwrap_or_default()
        )?;
    }
    writeln!(out, "-- 期限（{}）", d.deadlines.len())?;
    for x in &d.deadlines {
        writeln!(
            out,
            "[{}] {}（{} {:?}，{}）",
            x.clause, x.text, x.amount, x.unit, x.relation
        )?;
    }
    writeln!(
        out,
        "-- 限额（{}）与目标（{}）",
        d.caps.len(),
        d.targets.len()
    )?;
    for (k, q) in d
        .caps
        .iter()
        .map(|q| ("限额", q))
        .chain(d.targets.iter().map(|q| ("目标", q)))
    {
        writeln!(
            out,
            "{k} [{}] {}（{} {}{}{}）",
            q.clause,
            q.text,
            q.comparator,
            q.value,
            q.unit,
            if q.inclusive { "，含" } else { "" }
        )?;
    }
    if !d.anomalies.is_empty() {
        writeln!(out, "-- 异常（{}）", d.anomalies.len())?;
        for a in &d.anomalies {
            writeln!(out, "[{}] {}", a.kind, a.message)?;
        }
    }
    writeln!(out)
}

fn human(r: &ParseResult) -> String {
    let mut out = String::new();
    if r.documents.is_empty() {
        out.push_str("未识别出文件：没有找到文号行或条款。\n");
    }
    for d in &r.documents {
        let _ = document(&mut out, d);
    }
    out
}
