//! The Tongxin pack as the county's officials would check it.

use chrono::NaiveDate;
use tongxin_domain::DocNumber;
use tongxin_domain::policy::Validity;
use tongxin_policy::lint::lint;
use tongxin_policy::tongxin::pack;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn num(s: &str) -> DocNumber {
    s.parse().unwrap()
}

#[test]
fn the_eight_documents_load_with_the_numbers_dates_and_articles_of_the_text() {
    let p = pack().unwrap();
    let table = [
        ("同党办发〔2023〕49号", d(2023, 12, 21), false),
        ("同党办综〔2023〕55号", d(2023, 10, 19), false),
        ("同党办综〔2023〕64号", d(2023, 12, 29), false),
        ("同政办规发〔2023〕5号", d(2023, 12, 13), true),
        ("同政办规发〔2023〕6号", d(2023, 12, 28), true),
        ("同政办规发〔2023〕7号", d(2023, 12, 28), true),
        ("同政办发〔2023〕72号", d(2023, 11, 16), true),
        ("同政办发〔2023〕76号", d(2023, 12, 5), true),
    ];
    assert_eq!(p.corpus.documents().len(), 8);
    for (n, issued, public) in table {
        let doc = p
            .corpus
            .document(&num(n))
            .unwrap_or_else(|| panic!("{n} missing"));
        assert_eq!((doc.issued, doc.public), (issued, public), "{n}");
    }
    let articles = |n: &str| {
        p.corpus
            .document(&num(n))
            .unwrap()
            .clauses
            .iter()
            .filter(|c| c.label.starts_with('第') && c.label.ends_with('条'))
            .count()
    };
    assert_eq!(
        articles("同政办规发〔2023〕5号"),
        22,
        "D4: 21 articles, 第九条 printed twice"
    );
    assert_eq!(articles("同政办规发〔2023〕6号"), 32);
    assert_eq!(articles("同政办规发〔2023〕7号"), 27);
    assert_eq!(articles("同政办发〔2023〕72号"), 16);
}

#[test]
fn validity_on_the_day_this_was_written() {
    let p = pack().unwrap();
    let today = d(2026, 11, 29);
    let v = |n: &str| p.corpus.document(&num(n)).unwrap().validity(today);
    assert_eq!(
        v("同政办规发〔2023〕5号"),
        Validity::Lapsed {
            ended: d(2026, 1, 12),
            was_trial: true
        }
    );
    assert_eq!(v("同政办规发〔2023〕7号").label(), "现行有效");
    assert_eq!(
        p.corpus
            .document(&num("同政办规发〔2023〕7号"))
            .unwrap()
            .validity(d(2028, 12, 28))
            .label(),
        "已失效"
    );
}

#[test]
fn rules_answer_with_their_clause_and_a_warning_when_the_document_lapsed() {
    let p = pack().unwrap();
    let cap = p
        .corpus
        .rule("homestead.area_cap.irrigated", d(2024, 3, 1))
        .unwrap();
    assert_eq!(
        (
            cap.value.to_string().as_str(),
            cap.citation.to_string().as_str()
        ),
        ("270", "同政办规发〔2023〕6号 第七条")
    );
    assert!(cap.warnings.is_empty());
    for (key, value) in [
        ("homestead.area_cap.flat_dryland", 400.0),
        ("homestead.area_cap.hillside", 540.0),
        ("homestead.public_notice.min_workdays", 7.0),
    ] {
        assert_eq!(
            p.corpus.rule(key, d(2024, 3, 1)).unwrap().value.as_f64(),
            Some(value),
            "{key}"
        );
    }
    let threshold = p
        .corpus
        .rule(
            "gov_investment.approval.full_path_threshold",
            d(2026, 11, 29),
        )
        .unwrap();
    assert_eq!(threshold.value.as_f64(), Some(5000.0));
    assert!(
        threshold.warnings[0]
            .to_string()
            .contains("试行期已于2026年1月12日届满")
    );
    assert!(
        p.corpus
            .rule("gov_investment.approval.full_path_threshold", d(2025, 1, 1))
            .unwrap()
            .warnings
            .is_empty()
    );
    assert!(
        p.corpus
            .rule("temporary_land.period.general_years", d(2029, 1, 1))
            .is_err(),
        "D6's rules end with it"
    );
}

#[test]
fn every_parameter_cites_a_clause_that_exists_and_quotes_it() {
    let p = pack().unwrap();
    let mut n = 0;
    for param in p.corpus.parameters() {
        for v in &param.values {
            let (_, clause) = p
                .corpus
                .resolve(&v.citation)
                .unwrap_or_else(|| panic!("{} → {}", param.key, v.citation));
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert!(
                squash(&clause.text).contains(&squash(&v.quote)),
                "{}",
                param.key
            );
            n += 1;
        }
    }
    assert!(n >= 60, "{n}");
}

#[test]
fn lint_reports_the_duplicate_article_and_the_chain_count_disagreement() {
    let p = pack().unwrap();
    let findings = lint(&p);
    assert!(
        findings
            .iter()
            .any(|f| f.kind == "duplicate_number" && f.place == "同政办规发〔2023〕5号 第九条之二"),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.kind == "disagreement"
            && f.message.contains("17")
            && f.message.contains("21")),
        "{findings:#?}"
    );
}

#[test]
fn every_unit_the_documents_list_as_lead_or_responsible_resolves_in_the_directory() {
    let p = pack().unwrap();
    let mut n = 0;
    for d in p.corpus.documents() {
        for c in &d.clauses {
            for name in tongxin_policy::lint::unit_mentions(&c.text) {
                n += 1;
                let known = p.directory.resolve(&name).is_some()
                    || p.directory
                        .office_templates()
                        .iter()
                        .any(|t| t.name == name);
                assert!(known, "{} {}: {name}", d.number, c.id);
            }
        }
    }
    assert!(
        n > 150,
        "only {n} unit mentions found: the list reader is not reading"
    );
}

/// The schema keys the government-investment procedure brought, refused where they make no
/// sense, each naming the file and the key.
#[test]
fn procedure_keys_are_refused_where_they_make_no_sense() {
    let corpus = &tongxin_policy::tongxin::pack().unwrap().corpus;
    let head = r#"
id = "p"
title = "测试"
document = "同政办规发〔2023〕5号"
initial = "a"
"#;
    let states = r#"
[[state]]
id = "a"
label = "甲"
[[state]]
id = "b"
label = "乙"
terminal = true
"#;
    let go = r#"
[[action]]
id = "go"
label = "办结"
from = ["a"]
to = "b"
roles = ["department"]
level = "county"
citation = "同政办规发〔2023〕5号 第七条"
"#;
    let cases: Vec<(String, &str)> = vec![
        (
            format!(
                "{head}{states}{go}[[action]]\nid = \"r\"\nlabel = \"记\"\nfrom = [\"a\"]\nto = \"a\"\nstays = true\nroles = [\"department\"]\nlevel = \"county\"\ncitation = \"同政办规发〔2023〕5号 第七条\"\n"
            ),
            "action (id = \"r\").to",
        ),
        (
            format!(
                "{head}{states}[[action]]\nid = \"go\"\nlabel = \"办结\"\nfrom = [\"a\"]\nstays = true\nroles = [\"department\"]\nlevel = \"county\"\ncitation = \"同政办规发〔2023〕5号 第七条\"\n"
            ),
            "action (id = \"go\").stays",
        ),
        (
            format!(
                "{head}{states}[[action]]\nid = \"go\"\nlabel = \"办结\"\nfrom = [\"a\"]\nto = \"b\"\nunit = \"owner\"\nroles = [\"department\"]\nlevel = \"county\"\ncitation = \"同政办规发〔2023〕5号 第七条\"\n"
            ),
            "action (id = \"go\").unit",
        ),
        (
            format!(
                "{head}{states}{go}[[deadline]]\nid = \"m\"\nlabel = \"月报\"\nparameter = \"gov_investment.progress_report.interval_months\"\nunit = \"months\"\nkind = \"within\"\nrepeats = true\nstarted_by = [\"go\"]\nmet_by = [\"go\"]\ncitation = \"同政办规发〔2023〕5号 第十六条\"\n"
            ),
            "deadline (id = \"m\").repeats",
        ),
        (format!("{head}owner = \"everyone\"\n{states}{go}"), "owner"),
    ];
    for (text, key) in cases {
        match tongxin_policy::procedures::load_procedure("p.toml", &text, corpus) {
            Err(tongxin_policy::PackError::Invalid {
                file,
                key: k,
                message,
            }) => {
                assert_eq!(file, "p.toml");
                assert_eq!(k, key, "{message}");
            }
            other => panic!("{key}: {other:?}"),
        }
    }
}
