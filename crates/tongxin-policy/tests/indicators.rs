//! 指标 as loaded: every numeric target of 同党办综〔2023〕55号 (DOMAIN.md's D2 table) and the
//! revenue target of 同政办发〔2023〕76号 present, each with its clause, date and unit; and the
//! loader refusing what it must, naming the file and the code.

use tongxin_domain::indicators::{Direction, Measure, Value};
use tongxin_policy::indicators::load_indicators;
use tongxin_policy::tongxin;

#[test]
fn every_campaign_target_and_the_revenue_target_is_an_indicator() {
    let pack = tongxin::pack().unwrap();
    let ind = &pack.indicators;
    // Every numeric target parameter of the campaign (not its length, not the dust-cover date,
    // which is a task's deadline) has exactly one indicator.
    let targets: Vec<&str> = pack
        .corpus
        .parameters()
        .filter(|p| p.key.starts_with("campaign.") && p.kind != "period" && p.kind != "deadline")
        .map(|p| p.key.as_str())
        .collect();
    assert_eq!(targets.len(), 26);
    for key in &targets {
        assert_eq!(
            ind.iter().filter(|i| i.parameter == *key).count(),
            1,
            "{key} has one indicator"
        );
    }
    let d2 = ind.iter().filter(|i| i.code.starts_with("d2.")).count();
    assert_eq!(d2, 26);
    // Each action's targets, by its clause.
    let by_clause = |prefix: &str| {
        ind.iter()
            .filter(|i| {
                i.citation
                    .to_string()
                    .starts_with(&format!("同党办综〔2023〕55号 {prefix}"))
            })
            .count()
    };
    assert_eq!(
        [
            by_clause("一、"),
            by_clause("二、"),
            by_clause("三、"),
            by_clause("四、"),
            by_clause("五、"),
            by_clause("六、"),
            by_clause("七、")
        ],
        [6, 3, 1, 10, 2, 1, 3]
    );
    let pm25 = ind.iter().find(|i| i.code == "d2.air.pm25").unwrap();
    assert_eq!(
        (
            pm25.target,
            pm25.direction,
            pm25.measure,
            pm25.unit.as_str()
        ),
        (
            Value::from_int(34),
            Direction::AtMost,
            Measure::Level,
            "μg/m³"
        )
    );
    assert_eq!(pm25.deadline.to_string(), "2023-12-31");
    assert_eq!(pm25.citation.to_string(), "同党办综〔2023〕55号 一、（一）");
    assert_eq!(pm25.responsible.0, "ext-ecology-branch");
    let grass = ind
        .iter()
        .find(|i| i.code == "d2.desert.grassland")
        .unwrap();
    assert_eq!(
        (grass.target, grass.measure),
        (Value::from_int(30_000), Measure::Cumulative)
    );
    let revenue = ind
        .iter()
        .find(|i| i.code == "d8.revenue.general_budget")
        .unwrap();
    assert_eq!(
        (
            revenue.target,
            revenue.deadline.to_string(),
            revenue.citation.to_string()
        ),
        (
            Value::from_int(5),
            "2025-12-31".to_owned(),
            "同政办发〔2023〕76号 一、（三）".to_owned()
        )
    );
}

#[test]
fn every_rate_is_entered_as_its_two_amounts() {
    let pack = tongxin::pack().unwrap();
    let rates: Vec<&str> = pack
        .indicators
        .iter()
        .filter(|i| i.unit == "%")
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(rates.len(), 7, "{rates:?}");
    for i in pack.indicators.iter().filter(|i| i.unit == "%") {
        assert!(
            i.ratio.is_some(),
            "{} has a numerator and denominator",
            i.code
        );
    }
}

#[test]
fn the_loader_names_what_is_wrong() {
    let pack = tongxin::pack().unwrap();
    let row = |over: &str| {
        let base = [
            ("code", "\"x.1\""),
            ("parameter", "\"campaign.air.pm25_annual_mean\""),
            ("name", "\"PM2.5\""),
            ("unit", "\"μg/m³\""),
            ("direction", "\"at_most\""),
            ("measure", "\"level\""),
            ("period", "\"month\""),
            ("responsible", "\"生态环境分局\""),
            ("starts", "2023-10-19"),
        ];
        let (k, v) = over.split_once('=').unwrap();
        let mut text = String::from("[[indicator]]\n");
        for (bk, bv) in base {
            text.push_str(&format!(
                "{bk} = {}\n",
                if bk == k.trim() { v.trim() } else { bv }
            ));
        }
        text
    };
    let load =
        |text: String| load_indicators("indicators.toml", &text, &pack.corpus, &pack.directory);
    assert!(load(row("name = \"PM2.5\"")).is_ok());
    for (over, says) in [
        (
            "parameter = \"campaign.nothing\"",
            "规则“campaign.nothing”不存在",
        ),
        ("parameter = \"revenue.guarantee_risk_split\"", "不是数值"),
        ("direction = \"at_least\"", "方向须与之一致"),
        ("direction = \"below\"", "不是 at_most"),
        ("measure = \"sum\"", "不是 level 或 cumulative"),
        ("period = \"once\"", "不是 dekad"),
        (
            "responsible = \"各乡镇（开发区）\"",
            "不是单位名录中的一个单位",
        ),
        ("starts = 2024-06-01", "晚于目标日期"),
    ] {
        let e = load(row(over)).unwrap_err().to_string();
        assert!(
            e.contains(says) && e.contains("indicators.toml") && e.contains("x.1"),
            "{over}: {e}"
        );
    }
    // A rate names both amounts and their unit, and is a percentage.
    let rate = |unit: &str, extra: &str| {
        format!(
            "{}{extra}",
            row(&format!("unit = \"{unit}\""))
                .replace(
                    "campaign.air.pm25_annual_mean",
                    "campaign.nonpoint.manure_utilisation"
                )
                .replace("at_most", "at_least")
        )
    };
    let both = "numerator = \"利用量\"\ndenominator = \"产生量\"\nratio_unit = \"吨\"\n";
    let ok = load(rate("%", both)).unwrap();
    assert_eq!(
        ok[0].ratio.as_ref().map(|r| r.denominator.as_str()),
        Some("产生量")
    );
    for (text, says) in [
        (rate("%", "numerator = \"利用量\"\n"), "须同时写明"),
        (rate("吨", both), "单位须为%"),
    ] {
        let e = load(text).unwrap_err().to_string();
        assert!(e.contains(says) && e.contains("x.1"), "{e}");
    }
    let twice = format!("{}{}", row("name = \"a\""), row("name = \"b\""));
    assert!(
        load(twice)
            .unwrap_err()
            .to_string()
            .contains("指标代码重复")
    );
}
