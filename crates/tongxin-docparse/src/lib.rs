//! Document import (文件导入): the text of a county document as it comes out of a PDF → its
//! number, title, outline (章/条/款/项; 一、（一）1.（1）) and the tasks, deadlines, caps and
//! targets drafted from it, each with its source span.
//!
//! Pure: no I/O, no async, no clock. Linear in the input: hand-written scanners, no regex.

mod anomalies;
mod extract;
pub mod lunar;
pub mod model;
mod outline;
mod split;
mod text;

pub use model::*;

use std::str::FromStr;

use tongxin_domain::{Directory, DocNumber};

use crate::outline::{Mode, Style};
use crate::text::{Clean, Line, join, lines};

/// The canonical form of a 文号 as printed (`同政办规发〔 2023〕 7 号` → `同政办规发〔2023〕7号`).
pub fn canonical_number(raw: &str) -> Option<String> {
    DocNumber::from_str(raw).ok().map(|n| n.to_string())
}

/// Parses a text holding one or many documents.
/// Resolves a list of unit names an official typed while reviewing (`住建局、豫海镇`), split and
/// resolved as the parser does. The refs carry `span`, the extraction they replace, because the
/// typed text is not in the source.
pub fn resolve_units(list: &str, span: Span, directory: &Directory) -> Vec<UnitRef> {
    extract::units::split_list(list, 0, list.len())
        .into_iter()
        .map(|(a, b)| list[a..b].trim())
        .filter(|name| !name.is_empty())
        .map(|name| extract::units::resolve(name, span, directory))
        .collect()
}

pub fn parse(text: &str, directory: &Directory) -> ParseResult {
    let documents = split::split(text)
        .into_iter()
        .map(|(a, b)| document(text, a, b, directory))
        .filter(|d| d.number.is_some() || !d.clauses.is_empty() || d.title.is_some())
        .collect();
    ParseResult { documents }
}

fn span_of(ls: &[Line]) -> Span {
    match (ls.first(), ls.last()) {
        (Some(f), Some(l)) => Span {
            start: f.start,
            end: l.end,
        },
        _ => Span { start: 0, end: 0 },
    }
}

fn kind_of(title: Option<&str>, mode: Mode, has_sections: bool) -> ParsedKind {
    let t = title.unwrap_or("");
    let t = t
        .trim_end_matches("（试行）")
        .trim_end_matches("（暂行）")
        .trim_end_matches("(试行)");
    if t.ends_with("制度") {
        ParsedKind::System
    } else if ["办法", "规定", "细则", "规则"]
        .iter()
        .any(|e| t.ends_with(e))
    {
        ParsedKind::Measures
    } else if ["方案", "计划", "要点"].iter().any(|e| t.ends_with(e)) {
        ParsedKind::Plan
    } else if mode == Mode::Articles {
        ParsedKind::Measures
    } else if has_sections {
        ParsedKind::Plan
    } else {
        ParsedKind::Unknown
    }
}

fn anomaly(kind: &str, message: &str, span: Span) -> Anomaly {
    Anomaly {
        kind: kind.into(),
        message: message.into(),
        span,
    }
}

fn document(text: &str, a: usize, b: usize, dir: &Directory) -> ParsedDocument {
    let ls = lines(text, a, b);
    let cover = split::cover(text, &ls);
    let doc_span = Span {
        start: ls.first().map_or(a, |l| l.start),
        end: ls.last().map_or(a, |l| l.end),
    };
    let date = cover.date.map(|d| d.0);
    let year = extract::time::year_of(date);

    // The body: after the letter, residue of image titles skipped, a heading title taken.
    let mut from = cover.body_from;
    while from < ls.len() && split::is_residue(ls[from].text(text)) {
        from += 1;
    }
    let heading = split::heading(text, &ls[from..]);
    let heading_lines = heading.as_ref().map_or(0, |h| h.1);
    let body = &ls[from + heading_lines..];
    let body_end = body.last().map_or(doc_span.end, |l| l.end);
    let (mode, outline) = outline::build(text, body, body_end);

    let (title, title_source) = match (&heading, &cover.title) {
        (Some((t, _)), _) => (Some(t.clone()), TitleSource::Heading),
        (None, Some((t, _, _))) => (Some(t.clone()), TitleSource::CoverLetter),
        _ => (None, TitleSource::None),
    };

    let mut clauses = Vec::new();
    // Own text of each clause (index into `clauses`), for the scanners.
    let mut own: Vec<(usize, Clean)> = Vec::new();
    if !cover.letter.is_empty() {
        let pieces: Vec<_> = cover.letter.iter().map(|l| (l.start, l.end)).collect();
        let sp = span_of(&cover.letter);
        clauses.push(ParsedClause {
            id: "印发通知".into(),
            parent: None,
            label: "印发通知".into(),
            title: String::new(),
            text: join(text, &pieces),
            span: sp,
        });
    }
    let first_label = outline.nodes.first().map_or(body_end, |n| n.start);
    let preface: Vec<Line> = body
        .iter()
        .filter(|l| l.end <= first_label && !split::is_residue(l.text(text)))
        .copied()
        .collect();
    if !preface.is_empty() {
        let pieces: Vec<_> = preface.iter().map(|l| (l.start, l.end)).collect();
        let sp = span_of(&preface);
        own.push((clauses.len(), Clean::new(text, sp.start, sp.end)));
        clauses.push(ParsedClause {
            id: "前言".into(),
            parent: None,
            label: "前言".into(),
            title: String::new(),
            text: join(text, &pieces),
            span: sp,
        });
    }
    for node in &outline.nodes {
        let mut ranges = vec![(node.text_start.min(node.own_end), node.own_end)];
        ranges.extend(node.tail);
        own.push((clauses.len(), Clean::from_ranges(text, &ranges)));
        clauses.push(ParsedClause {
            id: node.id.clone(),
            parent: node.parent.map(|p| outline.nodes[p].id.clone()),
            label: node.label.clone(),
            title: node.title.clone(),
            text: node.text.clone(),
            span: Span {
                start: node.start,
                end: node.text_end.max(node.start),
            },
        });
    }

    let articles = outline
        .nodes
        .iter()
        .filter(|n| n.style == Style::Article)
        .map(|n| Article {
            id: n.id.clone(),
            label: n.label.clone(),
            text: n.text.clone(),
            span: Span {
                start: n.start,
                end: n.text_end.max(n.start),
            },
        })
        .collect();
    let sections = sections(&outline.nodes, mode, text);

    // Extraction, clause by clause.
    let mut tasks = Vec::new();
    let mut deadlines = Vec::new();
    let mut caps = Vec::new();
    let mut targets = Vec::new();
    let mut notes = Vec::new();
    for (ci, clean) in &own {
        let clause = &clauses[*ci];
        let fields = extract::fields(&clean.s);
        let mut lead = Vec::new();
        let mut responsible = Vec::new();
        let mut times = Vec::new();
        let mut place = None;
        for f in &fields {
            match f.key {
                extract::Key::Lead => lead.extend(extract::units::list(clean, f.start, f.end, dir)),
                extract::Key::Responsible => {
                    responsible.extend(extract::units::list(clean, f.start, f.end, dir))
                }
                extract::Key::Time => {
                    times.extend(extract::time::scan(clean, f.start, f.end, year).0)
                }
                extract::Key::Place if place.is_none() => {
                    place = Some(clean.s[f.start..f.end].to_owned())
                }
                _ => {}
            }
        }
        if lead.is_empty() {
            lead = extract::units::led_by(clean, dir);
        }
        let people = extract::people::people(clean, &fields);
        notes.extend(extract::time::scan(clean, 0, clean.s.len(), year).1);
        if !(lead.is_empty() && responsible.is_empty() && people.is_empty()) {
            tasks.push(Task {
                clause: clause.id.clone(),
                text: clause.text.clone(),
                lead_units: lead,
                lead_from: None,
                responsible_units: responsible,
                people,
                time: times.first().cloned(),
                times,
                place,
                span: clause.span,
            });
        }
        deadlines.extend(extract::numbers::deadlines(
            clean,
            0,
            clean.s.len(),
            &clause.id,
        ));
        if mode == Mode::Articles {
            caps.extend(extract::numbers::quantities(
                clean,
                0,
                clean.s.len(),
                &clause.id,
                false,
                true,
            ));
        } else {
            let counts = clause.title.contains("目标");
            targets.extend(extract::numbers::quantities(
                clean,
                0,
                clean.s.len(),
                &clause.id,
                counts,
                false,
            ));
        }
    }

    inherit_leads(&mut tasks, &clauses);

    let issuers: Vec<UnitRef> = cover
        .issuer_lines
        .iter()
        .map(|l| {
            let raw: String = l
                .text(text)
                .chars()
                .filter(|c| !text::is_space(*c))
                .collect();
            extract::units::resolve(
                &raw,
                Span {
                    start: l.start,
                    end: l.end,
                },
                dir,
            )
        })
        .collect();

    let mut anomalies: Vec<Anomaly> = outline
        .issues
        .iter()
        .map(|i| {
            anomaly(
                i.kind,
                &i.message,
                Span {
                    start: i.start,
                    end: i.end,
                },
            )
        })
        .collect();
    anomalies.extend(anomalies::counts(&clauses, &own));
    anomalies.extend(anomalies::unknown_units(
        issuers.iter().chain(
            tasks
                .iter()
                .flat_map(|t| t.lead_units.iter().chain(&t.responsible_units)),
        ),
    ));
    anomalies.extend(anomalies::lunar(&notes));
    let head = Span {
        start: doc_span.start,
        end: doc_span.start,
    };
    if cover.number.is_none() {
        anomaly_push(&mut anomalies, "missing_number", "未找到文号", head);
    }
    if title.is_none() {
        anomaly_push(&mut anomalies, "missing_title", "未找到文件标题", head);
    }
    if date.is_none() {
        anomaly_push(&mut anomalies, "missing_date", "未找到成文日期", head);
    }
    anomalies.sort_by_key(|a| a.span.start);

    let kind = kind_of(title.as_deref(), mode, !outline.nodes.is_empty());
    ParsedDocument {
        number: cover.number.as_ref().map(|n| n.0.clone()),
        number_raw: cover.number.as_ref().map(|n| n.1.text(text).to_owned()),
        title,
        title_source,
        issuers,
        date,
        public: cover.public.is_some(),
        kind,
        span: doc_span,
        clauses,
        articles,
        sections,
        tasks,
        deadlines,
        caps,
        targets,
        anomalies,
    }
}

/// An item without a lead unit takes its nearest ancestor's (a group led by one unit).
fn inherit_leads(tasks: &mut [Task], clauses: &[ParsedClause]) {
    let parent_of = |id: &str| {
        clauses
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent.clone())
    };
    for i in 0..tasks.len() {
        if !tasks[i].lead_units.is_empty() {
            continue;
        }
        let mut cur = parent_of(&tasks[i].clause);
        let mut hops = 0;
        while let Some(p) = cur {
            if let Some(t) = tasks
                .iter()
                .find(|t| t.clause == p && t.lead_from.is_none() && !t.lead_units.is_empty())
            {
                let lead = t.lead_units.clone();
                tasks[i].lead_units = lead;
                tasks[i].lead_from = Some(p);
                break;
            }
            hops += 1;
            if hops > 16 {
                break;
            }
            cur = parent_of(&p);
        }
    }
}

fn anomaly_push(v: &mut Vec<Anomaly>, kind: &str, message: &str, span: Span) {
    v.push(anomaly(kind, message, span));
}

/// The section tree: 章 of a 办法, or the sections of a 方案 with their children.
fn sections(nodes: &[outline::Node], mode: Mode, text: &str) -> Vec<Section> {
    let keep = |n: &outline::Node| match mode {
        Mode::Articles => n.style == Style::Chapter,
        Mode::Sections => n.style != Style::Attachment,
    };
    fn build(
        nodes: &[outline::Node],
        parent: Option<usize>,
        keep: &dyn Fn(&outline::Node) -> bool,
        text: &str,
        depth: usize,
    ) -> Vec<Section> {
        if depth > 16 {
            return Vec::new();
        }
        nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent == parent && keep(n))
            .map(|(i, n)| {
                let end = text[n.start..n.extent_end]
                    .trim_end_matches(text::is_space)
                    .len()
                    + n.start;
                Section {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    title: n.title.clone(),
                    span: Span {
                        start: n.start,
                        end,
                    },
                    children: build(nodes, Some(i), keep, text, depth + 1),
                }
            })
            .collect()
    }
    build(nodes, None, &keep, text, 0)
}
