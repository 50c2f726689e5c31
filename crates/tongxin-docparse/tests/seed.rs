//! The seed (policies/tongxin/source/tongxin-2023-eight-documents.txt) as DOMAIN.md describes it.

use chrono::NaiveDate;
use tongxin_docparse::{ParseResult, ParsedDocument, PeriodUnit, TitleSource, parse};
use tongxin_domain::Directory;
use tongxin_policy::tongxin;

fn seed() -> (Directory, ParseResult) {
    let dir = tongxin::directory().unwrap();
    let r = parse(tongxin::SEED_TEXT, &dir);
    (dir, r)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn doc<'a>(r: &'a ParseResult, number: &str) -> &'a ParsedDocument {
    r.documents
        .iter()
        .find(|d| d.number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("{number} not found"))
}

/// The canonical name the directory gives a name from DOMAIN.md's tables.
fn canonical(dir: &Directory, name: &str) -> String {
    dir.resolve_unit(name)
        .unwrap_or_else(|| panic!("{name} not in the directory"))
        .name
        .clone()
}

#[test]
fn the_seed_holds_eight_documents_with_the_numbers_dates_and_titles_of_domain_md() {
    let (_, r) = seed();
    let want = [
        (
            "同党办发〔2023〕49号",
            "关于优化调整链长制推动产业链发展的实施方案",
            date(2023, 12, 21),
            false,
        ),
        (
            "同党办综〔2023〕55号",
            "同心县生态环境综合治理百日集中攻坚行动方案",
            date(2023, 10, 19),
            false,
        ),
        (
            "同党办综〔2023〕64号",
            "同心县“红红火火过大年”活动实施方案",
            date(2023, 12, 29),
            false,
        ),
        (
            "同政办规发〔2023〕5号",
            "同心县政府投资项目管理办法（试行）",
            date(2023, 12, 13),
            true,
        ),
        (
            "同政办规发〔2023〕6号",
            "同心县农村宅基地和村民自建住房管理办法",
            date(2023, 12, 28),
            true,
        ),
        (
            "同政办规发〔2023〕7号",
            "同心县临时用地管理办法",
            date(2023, 12, 28),
            true,
        ),
        (
            "同政办发〔2023〕72号",
            "同心县招商引资项目管理制度",
            date(2023, 11, 16),
            true,
        ),
        (
            "同政办发〔2023〕76号",
            "同心县实施财源建设工程推进全县经济高质量发展实施方案",
            date(2023, 12, 5),
            true,
        ),
    ];
    assert_eq!(r.documents.len(), 8);
    for (d, (number, title, issued, public)) in r.documents.iter().zip(want) {
        assert_eq!(d.number.as_deref(), Some(number));
        assert_eq!(d.title.as_deref(), Some(title), "{number}");
        assert_eq!(d.title_source, TitleSource::CoverLetter, "{number}");
        assert_eq!(d.date, Some(issued), "{number}");
        assert_eq!(d.public, public, "{number}");
        assert!(
            !d.issuers.is_empty() && d.issuers.iter().all(|u| !u.resolved.is_empty()),
            "{number}"
        );
    }
    assert_eq!(
        r.documents[0].number_raw.as_deref(),
        Some("同党办发〔 2023〕 49 号")
    );
    assert_eq!(r.documents[0].issuers.len(), 2, "D1 is issued jointly");
}

#[test]
fn d4_has_twenty_one_articles_in_twenty_two_entries_and_reports_the_second_article_nine() {
    let (_, r) = seed();
    let d4 = doc(&r, "同政办规发〔2023〕5号");
    assert_eq!(d4.articles.len(), 22);
    let mut labels: Vec<&str> = d4.articles.iter().map(|a| a.label.as_str()).collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), 21);
    assert!(
        d4.articles
            .iter()
            .any(|a| a.id == "第九条之二" && a.label == "第九条")
    );
    let dup: Vec<_> = d4
        .anomalies
        .iter()
        .filter(|a| a.kind == "duplicate_number")
        .collect();
    assert_eq!(dup.len(), 1);
    assert!(tongxin::SEED_TEXT[dup[0].span.start..dup[0].span.end].starts_with("第九条"));
}

#[test]
fn d5_d6_and_d7_have_thirty_two_twenty_seven_and_sixteen_articles() {
    let (_, r) = seed();
    assert_eq!(doc(&r, "同政办规发〔2023〕6号").articles.len(), 32);
    assert_eq!(doc(&r, "同政办规发〔2023〕7号").articles.len(), 27);
    assert_eq!(doc(&r, "同政办发〔2023〕72号").articles.len(), 16);
    for d in &r.documents[3..7] {
        assert!(
            !d.anomalies.iter().any(|a| a.kind == "skipped_number"),
            "{:?}",
            d.number
        );
    }
}

#[test]
fn d1_lists_twenty_one_chains_each_with_the_chief_lead_and_responsible_units_of_domain_md() {
    let (dir, r) = seed();
    let d1 = doc(&r, "同党办发〔2023〕49号");
    let table: [(&str, &str, &str, &[&str]); 21] = [
        (
            "光伏",
            "凌镇",
            "投资促进服务中心",
            &[
                "工业园区管委会",
                "发展和改革局",
                "工业信息化和商务局",
                "自然资源局",
                "市场监管局",
            ],
        ),
        (
            "现代化工",
            "李生元",
            "工业园区管委会",
            &[
                "发展和改革局",
                "工业信息化和商务局",
                "应急管理局",
                "市场监管局",
            ],
        ),
        (
            "装备制造",
            "郭吉龙",
            "工业信息化和商务局",
            &["工业园区管委会", "发展和改革局", "市场监管局"],
        ),
        (
            "新材料",
            "杨冕",
            "工业信息和商务局",
            &["工业园区管委会", "发展和改革局", "市场监管局"],
        ),
        (
            "储能、动力电池",
            "张琦",
            "发展和改革局",
            &["工业园区管委会", "工业信息化和商务局", "自然资源局"],
        ),
        (
            "节能环保",
            "马俊文",
            "吴忠市生态环境局同心分局",
            &[
                "工业园区管委会",
                "发展和改革局",
                "工业信息化和商务局",
                "水务局",
            ],
        ),
        (
            "羊绒",
            "买兰",
            "工业园区管委会",
            &[
                "发展和改革局",
                "科技局",
                "工业信息化和商务局",
                "市场监管局",
                "金融局",
            ],
        ),
        (
            "枸杞",
            "杨国林",
            "自然资源局",
            &["工业信息化和商务局", "农业农村局", "市场监管局"],
        ),
        (
            "肉牛、滩羊",
            "宋继忠",
            "农业农村局",
            &[
                "工业园区管委会",
                "发展和改革局",
                "工业信息化和商务局",
                "自然资源局",
                "市场监管局",
            ],
        ),
        (
            "冷凉蔬菜",
            "王学华",
            "农业农村局",
            &["发展和改革局", "工业信息化和商务局", "市场监管局"],
        ),
        (
            "富硒杂粮",
            "刘艳",
            "农业农村局",
            &["发展和改革局", "工业信息化和商务局", "市场监管局"],
        ),
        (
            "葡萄酒",
            "马立军",
            "农业农村局",
            &["工业信息化和商务局", "市场监管局"],
        ),
        (
            "生产性服务业",
            "洪建群",
            "人力资源和社会保障局",
            &[
                "发展和改革局",
                "教育局",
                "科技局",
                "工业信息化和商务局",
                "司法局",
                "市场监管局",
            ],
        ),
        (
            "商贸物流",
            "马宗新",
            "工业信息化和商务局",
            &["发展和改革局", "交通运输局", "市场监管局"],
        ),
        (
            "文化旅游",
            "王新海",
            "文化旅游体育广电局",
            &["发展和改革局", "教育局", "交通运输局", "市场监管局"],
        ),
        (
            "数字信息",
            "王建云",
            "工业信息化和商务局",
            &["发展和改革局", "科技局"],
        ),
        (
            "氢能",
            "凌镇",
            "工业园区管委会",
            &["发展和改革局", "工业信息化和商务局", "投资促进服务中心"],
        ),
        (
            "中药材",
            "王新刚",
            "农业农村局",
            &["发展和改革局", "工业信息化和商务局", "市场监管局"],
        ),
        (
            "文冠果",
            "田梅音",
            "自然资源局",
            &[
                "发展和改革局",
                "工业信息化和商务局",
                "农业农村局",
                "市场监管局",
            ],
        ),
        (
            "玉米",
            "杨国林",
            "农业农村局",
            &["发展和改革局", "工业信息化和商务局", "市场监管局"],
        ),
        (
            "健康养老",
            "徐莉芳",
            "民政局",
            &["发展和改革局", "卫生健康局", "市场监管局", "残联"],
        ),
    ];
    let chains: Vec<_> = d1
        .tasks
        .iter()
        .filter(|t| t.people.iter().any(|p| p.role == "链长"))
        .collect();
    assert_eq!(chains.len(), 21);
    for (t, (chain, chief, lead, responsible)) in chains.iter().zip(table) {
        assert!(
            t.text.starts_with(&format!("{chain}产业链。")),
            "{chain}: {}",
            t.text
        );
        let chiefs: Vec<&str> = t.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(chiefs, [chief], "{chain}");
        let leads: Vec<&str> = t
            .lead_units
            .iter()
            .flat_map(|u| u.resolved.iter().map(String::as_str))
            .collect();
        assert_eq!(leads, [canonical(&dir, lead)], "{chain}");
        let got: Vec<&str> = t
            .responsible_units
            .iter()
            .flat_map(|u| u.resolved.iter().map(String::as_str))
            .collect();
        let want: Vec<String> = responsible.iter().map(|n| canonical(&dir, n)).collect();
        assert_eq!(got, want, "{chain}");
    }
    assert_eq!(
        chains[3].lead_units[0].raw, "工业信息和商务局",
        "the typo is kept as written"
    );
    assert!(
        !d1.anomalies.iter().any(|a| a.kind == "count_mismatch"),
        "二十一条 and 21 listed agree"
    );
}

#[test]
fn d2_has_seven_actions_with_their_leaders_and_numeric_targets() {
    let (_, r) = seed();
    let d2 = doc(&r, "同党办综〔2023〕55号");
    let actions: Vec<_> = d2
        .clauses
        .iter()
        .filter(|c| c.parent.is_none() && c.title.ends_with("行动"))
        .collect();
    assert_eq!(actions.len(), 7);
    let leaders = [
        "袁波",
        "袁波",
        "杨国林",
        "杨国林",
        "杨根枝",
        "袁波",
        "杨根枝",
    ];
    for (a, leader) in actions.iter().zip(leaders) {
        let task = d2
            .tasks
            .iter()
            .find(|t| t.clause == format!("{}（三）", a.id))
            .unwrap();
        assert_eq!(task.people.len(), 1);
        assert_eq!(
            (task.people[0].name.as_str(), task.people[0].role.as_str()),
            (leader, "组长"),
            "{}",
            a.id
        );
    }
    let targets = |id: &str| -> Vec<(f64, String, String)> {
        d2.targets
            .iter()
            .filter(|q| q.clause == id)
            .map(|q| (q.value, q.unit.clone(), q.comparator.clone()))
            .collect()
    };
    let t = |v: f64, u: &str, c: &str| (v, u.to_owned(), c.to_owned());
    assert_eq!(
        targets("一、（一）"),
        [t(34.0, "微克/立方米", "<="), t(68.0, "微克/立方米", "<=")]
    );
    assert_eq!(targets("二、（一）"), [t(9.0, "个", "=")]);
    assert_eq!(targets("三、（一）"), [t(100.0, "%", "=")]);
    assert_eq!(
        targets("四、（一）"),
        [
            t(90.0, "%", ">="),
            t(100.0, "%", ">="),
            t(90.0, "%", ">="),
            t(90.0, "%", ">="),
            t(85.0, "%", ">="),
            t(100.0, "%", ">=")
        ]
    );
    assert_eq!(
        targets("七、（一）"),
        [
            t(3.0, "万亩", "="),
            t(5.0, "万亩", "="),
            t(7.87, "万亩", "=")
        ]
    );
    assert!(
        !d2.anomalies.iter().any(|a| a.kind == "count_mismatch"),
        "七大行动 and 7 listed agree"
    );
}

#[test]
fn d3_activities_carry_their_time_place_and_units() {
    let (dir, r) = seed();
    let d3 = doc(&r, "同党办综〔2023〕64号");
    let culture = canonical(&dir, "文化旅游体育广电局");
    let commerce = canonical(&dir, "工业信息化和商务局");
    #[allow(clippy::type_complexity)]
    let table: [(&str, NaiveDate, NaiveDate, Option<&str>, &str, &str); 12] = [
        (
            "二、（一）1.",
            date(2023, 11, 1),
            date(2024, 2, 29),
            None,
            "同心县文化馆、同心县体育馆",
            &culture,
        ),
        (
            "二、（一）2.",
            date(2023, 12, 29),
            date(2023, 12, 29),
            None,
            "同心县职业技术学校多功能厅",
            &culture,
        ),
        (
            "二、（一）3.",
            date(2024, 2, 7),
            date(2024, 2, 7),
            None,
            "同心县新区体育馆",
            &culture,
        ),
        (
            "二、（一）4.（1）",
            date(2024, 1, 1),
            date(2024, 2, 29),
            None,
            "下马关市场、同心县清香巷",
            &culture,
        ),
        (
            "二、（一）5.（1）",
            date(2024, 1, 21),
            date(2024, 1, 31),
            None,
            "同心县新区体育馆",
            &culture,
        ),
        (
            "二、（一）6.",
            date(2024, 2, 23),
            date(2024, 2, 24),
            Some("19:00"),
            "同心县永安广场",
            &culture,
        ),
        (
            "二、（一）8.",
            date(2024, 2, 9),
            date(2024, 2, 25),
            None,
            "同心县永安广场",
            &culture,
        ),
        (
            "二、（一）9.（1）",
            date(2024, 1, 1),
            date(2024, 2, 10),
            None,
            "线上、线下（图书馆）",
            &culture,
        ),
        (
            "二、（一）10.（1）",
            date(2024, 1, 2),
            date(2024, 1, 2),
            None,
            "同心县行政中心广场",
            &culture,
        ),
        (
            "二、（一）10.（3）",
            date(2024, 2, 1),
            date(2024, 2, 10),
            None,
            "同心县全民健身中心",
            &culture,
        ),
        (
            "二、（二）1.",
            date(2024, 2, 3),
            date(2024, 2, 17),
            None,
            "各商贸流通企业",
            &commerce,
        ),
        (
            "二、（二）9.",
            date(2024, 1, 19),
            date(2024, 1, 19),
            None,
            "下马关镇",
            &commerce,
        ),
    ];
    for (clause, start, end, tod, place, lead) in table {
        let t = d3
            .tasks
            .iter()
            .find(|t| t.clause == clause)
            .unwrap_or_else(|| panic!("{clause}"));
        let time = t.time.as_ref().unwrap();
        assert_eq!((time.start, time.end), (Some(start), Some(end)), "{clause}");
        assert_eq!(time.time_of_day.as_deref(), tod, "{clause}");
        assert_eq!(t.place.as_deref(), Some(place), "{clause}");
        assert_eq!(t.lead_units[0].resolved, [lead.to_owned()], "{clause}");
        assert!(!t.responsible_units.is_empty(), "{clause}");
    }
    // 灯谜晚会: the second time of the 花灯灯谜晚会 item.
    let lantern = d3
        .tasks
        .iter()
        .find(|t| t.clause == "二、（一）8.")
        .unwrap();
    assert_eq!(lantern.times.len(), 2);
    assert_eq!(lantern.times[1].start, Some(date(2024, 2, 24)));
    assert_eq!(lantern.times[1].time_of_day.as_deref(), Some("18:30"));
    // Every activity (a leaf under 文体活动 and 促进消费) has a time and a lead unit.
    let leaves: Vec<_> = d3
        .clauses
        .iter()
        .filter(|c| c.id.starts_with("二、（一）") || c.id.starts_with("二、（二）"))
        .filter(|c| {
            !d3.clauses
                .iter()
                .any(|k| k.parent.as_deref() == Some(c.id.as_str()))
        })
        .collect();
    assert_eq!(
        leaves.len(),
        20 + 9,
        "20 文体 activities (sub-items counted), 9 消费 activities"
    );
    for c in leaves {
        let t = d3
            .tasks
            .iter()
            .find(|t| t.clause == c.id)
            .unwrap_or_else(|| panic!("{}", c.id));
        assert!(t.time.is_some(), "{}", c.id);
        assert!(!t.lead_units.is_empty(), "{}", c.id);
    }
    // The lunar notes (大年三十, 正月十六, 正月十五) agree with their dates.
    assert!(!d3.anomalies.iter().any(|a| a.kind == "lunar_date_mismatch"));
}

#[test]
fn every_working_day_deadline_of_d5_and_d6_is_found_with_its_number() {
    let (_, r) = seed();
    let workdays = |number: &str| -> Vec<(String, u32)> {
        doc(&r, number)
            .deadlines
            .iter()
            .filter(|d| d.unit == PeriodUnit::Workdays)
            .map(|d| (d.clause.clone(), d.amount))
            .collect()
    };
    let w = |c: &str, n: u32| (c.to_owned(), n);
    assert_eq!(
        workdays("同政办规发〔2023〕6号"),
        [
            w("第十条", 7),
            w("第十七条", 10),
            w("第二十一条", 5),
            w("第二十四条", 5)
        ]
    );
    assert_eq!(
        workdays("同政办规发〔2023〕7号"),
        [
            w("第九条（一）", 10),
            w("第九条（四）", 10),
            w("第二十三条", 20)
        ]
    );
    let d6 = doc(&r, "同政办规发〔2023〕7号");
    let other: Vec<(&str, u32, PeriodUnit, &str)> = d6
        .deadlines
        .iter()
        .filter(|d| d.unit != PeriodUnit::Workdays)
        .map(|d| (d.clause.as_str(), d.amount, d.unit, d.relation.as_str()))
        .collect();
    assert!(other.contains(&("第十五条", 30, PeriodUnit::Days, "before")));
    assert!(other.contains(&("第二十条（三）", 6, PeriodUnit::Months, "exceeding")));
    assert!(other.contains(&("第二十七条", 5, PeriodUnit::Years, "period")));
    assert!(other.contains(&("第七条", 2, PeriodUnit::Years, "within")));
}

#[test]
fn caps_and_investment_thresholds_are_read_from_d4_and_d5() {
    let (_, r) = seed();
    let caps = |number: &str| -> Vec<(String, f64, String, String, bool)> {
        doc(&r, number)
            .caps
            .iter()
            .map(|q| {
                (
                    q.clause.clone(),
                    q.value,
                    q.unit.clone(),
                    q.comparator.clone(),
                    q.inclusive,
                )
            })
            .collect()
    };
    let c = |cl: &str, v: f64, u: &str, cmp: &str, inc: bool| {
        (cl.to_owned(), v, u.to_owned(), cmp.to_owned(), inc)
    };
    assert_eq!(
        caps("同政办规发〔2023〕6号"),
        [
            c("第七条", 270.0, "平方米", "<=", false),
            c("第七条", 400.0, "平方米", "<=", false),
            c("第七条", 540.0, "平方米", "<=", false)
        ]
    );
    let d4 = caps("同政办规发〔2023〕5号");
    assert!(d4.contains(&c("第七条", 5000.0, "万元", ">=", true)));
    assert!(d4.contains(&c("第七条", 1500.0, "万元", "<=", false)));
    let d8 = doc(&r, "同政办发〔2023〕76号");
    assert!(
        d8.targets
            .iter()
            .any(|q| q.value == 5.0 && q.unit == "亿元")
    );
}

#[test]
fn every_span_is_in_bounds_on_char_boundaries_and_holds_its_text() {
    let (_, r) = seed();
    let text = tongxin::SEED_TEXT;
    for d in &r.documents {
        for c in &d.clauses {
            assert!(c.span.start <= c.span.end && c.span.end <= text.len());
            let src = &text[c.span.start..c.span.end];
            let mut it = src.chars();
            for ch in c.text.chars().filter(|c| !c.is_whitespace()) {
                assert!(it.any(|s| s == ch), "{}: {ch} not in span", c.id);
            }
        }
        for t in &d.tasks {
            for u in t.lead_units.iter().chain(&t.responsible_units) {
                let raw: String = text[u.span.start..u.span.end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert_eq!(raw, u.raw);
            }
        }
    }
}
