//! Documents from elsewhere, written for these tests in the same style with other units,
//! numbers and layouts (tests/fixtures/), so the parser is not tuned to the Tongxin seed alone.

use chrono::NaiveDate;
use tongxin_docparse::{ParseResult, ParsedDocument, ParsedKind, PeriodUnit, TitleSource, parse};
use tongxin_domain::directory::{Collective, CollectiveMembers};
use tongxin_domain::{Directory, Unit, UnitId, UnitKind};

const WUZHONG: &str = include_str!("fixtures/wuzhong-city-measures.txt");
const LITONG: &str = include_str!("fixtures/litong-district-plan.txt");
const QINGTONGXIA: &str = include_str!("fixtures/qingtongxia-two-documents.txt");

fn unit(id: &str, name: &str, kind: UnitKind, parent: Option<&str>, aliases: &[&str]) -> Unit {
    Unit {
        id: UnitId(id.into()),
        name: name.into(),
        short_name: name.into(),
        kind,
        parent: parent.map(|p| UnitId(p.into())),
        division_code: None,
        internal_code: None,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        cited_in: vec![],
        note: None,
    }
}

fn directory() -> Directory {
    use UnitKind::*;
    let ids =
        |v: &[&str]| CollectiveMembers::Ids(v.iter().map(|s| UnitId(s.to_string())).collect());
    Directory::new(
        vec![
            unit("wz", "吴忠市", County, None, &[]),
            unit(
                "wz-gov",
                "吴忠市人民政府办公室",
                GovernmentOffice,
                Some("wz"),
                &[],
            ),
            unit(
                "wz-housing",
                "吴忠市住房和城乡建设局",
                Department,
                Some("wz"),
                &["市住房和城乡建设局"],
            ),
            unit(
                "wz-land",
                "吴忠市自然资源局",
                Department,
                Some("wz"),
                &["市自然资源局"],
            ),
            unit("lt", "利通区", County, Some("wz"), &[]),
            unit(
                "lt-party",
                "中共利通区委办公室",
                PartyOffice,
                Some("lt"),
                &[],
            ),
            unit(
                "lt-gov",
                "利通区人民政府办公室",
                GovernmentOffice,
                Some("lt"),
                &[],
            ),
            unit(
                "lt-culture",
                "利通区文化旅游广电局",
                Department,
                Some("lt"),
                &["文旅局"],
            ),
            unit("lt-agri", "利通区农业农村局", Department, Some("lt"), &[]),
            unit(
                "lt-media",
                "利通区融媒体中心",
                Centre,
                Some("lt"),
                &["区融媒体中心"],
            ),
            unit(
                "lt-edu",
                "利通区教育局",
                Department,
                Some("lt"),
                &["区教育局"],
            ),
            unit(
                "lt-union",
                "利通区总工会",
                Organisation,
                Some("lt"),
                &["区总工会"],
            ),
            unit("lt-gucheng", "古城镇", Township, Some("lt"), &[]),
            unit("lt-jinyintan", "金银滩镇", Township, Some("lt"), &[]),
            unit("qtx", "青铜峡市", County, Some("wz"), &[]),
            unit(
                "qtx-gov",
                "青铜峡市人民政府办公室",
                GovernmentOffice,
                Some("qtx"),
                &[],
            ),
            unit(
                "qtx-land",
                "青铜峡市自然资源局",
                Department,
                Some("qtx"),
                &[],
            ),
            unit(
                "qtx-agri",
                "青铜峡市农业农村局",
                Department,
                Some("qtx"),
                &[],
            ),
            unit("qtx-yesheng", "叶盛镇", Township, Some("qtx"), &[]),
            unit("qtx-qujing", "瞿靖镇", Township, Some("qtx"), &[]),
        ],
        vec![
            Collective {
                name: "各乡镇（街道）".into(),
                aliases: vec![],
                members: ids(&["lt-gucheng", "lt-jinyintan"]),
                note: None,
            },
            Collective {
                name: "各镇".into(),
                aliases: vec![],
                members: ids(&["qtx-yesheng", "qtx-qujing"]),
                note: None,
            },
        ],
        vec![],
        vec![],
    )
    .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn ids(d: &ParsedDocument) -> Vec<(&str, Option<&str>, &str)> {
    d.clauses
        .iter()
        .map(|c| (c.id.as_str(), c.parent.as_deref(), c.title.as_str()))
        .collect()
}

fn one(text: &str) -> ParsedDocument {
    let r: ParseResult = parse(text, &directory());
    assert_eq!(r.documents.len(), 1);
    r.documents.into_iter().next().unwrap()
}

#[test]
fn a_city_measures_document_with_chapters_and_a_heading_title_is_outlined() {
    let d = one(WUZHONG);
    assert_eq!(d.number.as_deref(), Some("吴政办规发〔2024〕3号"));
    assert_eq!(d.title.as_deref(), Some("吴忠市城镇老旧小区改造管理办法"));
    assert_eq!(d.title_source, TitleSource::Heading);
    assert_eq!(d.kind, ParsedKind::Measures);
    assert_eq!(d.date, date(2024, 3, 15));
    assert!(d.public);
    assert_eq!(d.issuers[0].unit_ids, ["wz-gov"]);
    assert_eq!(
        ids(&d),
        [
            ("印发通知", None, ""),
            ("第一章", None, "总则"),
            ("第一条", Some("第一章"), ""),
            ("第二条", Some("第一章"), ""),
            ("第二章", None, "申请与审批"),
            ("第三条", Some("第二章"), ""),
            ("第三条（一）", Some("第三条"), ""),
            ("第三条（二）", Some("第三条"), ""),
            ("第三条（三）", Some("第三条"), ""),
            ("第四条", Some("第二章"), ""),
            ("第五条", Some("第二章"), ""),
            ("第七条", Some("第二章"), ""),
            ("第三章", None, "附则"),
            ("第八条", Some("第三章"), ""),
        ]
    );
    let c3 = d.clauses.iter().find(|c| c.id == "第三条（三）").unwrap();
    assert_eq!(
        c3.text, "改造设计方案。",
        "the article's closing paragraph is not the last item's"
    );
    let dl: Vec<_> = d
        .deadlines
        .iter()
        .map(|x| (x.clause.as_str(), x.amount, x.unit, x.relation.as_str()))
        .collect();
    assert_eq!(
        dl,
        [
            ("第三条", 15, PeriodUnit::Workdays, "within"),
            ("第五条", 20, PeriodUnit::Days, "within"),
            ("第五条", 3, PeriodUnit::Days, "before"),
            ("第七条", 6, PeriodUnit::Months, "within"),
            ("第八条", 3, PeriodUnit::Years, "period"),
        ]
    );
    let caps: Vec<_> = d
        .caps
        .iter()
        .map(|q| (q.value, q.unit.as_str(), q.comparator.as_str(), q.inclusive))
        .collect();
    assert_eq!(
        caps,
        [(200.0, "平方米", "<=", false), (3000.0, "万元", ">=", true)]
    );
    let skipped: Vec<_> = d
        .anomalies
        .iter()
        .filter(|a| a.kind == "skipped_number")
        .collect();
    assert_eq!(skipped.len(), 1, "第六条 is missing");
    assert!(skipped[0].message.contains("第六条"));
}

#[test]
fn a_district_plan_without_chapters_takes_its_title_from_the_cover_letter() {
    let d = one(LITONG);
    assert_eq!(d.number.as_deref(), Some("利党办发〔2024〕18号"));
    assert_eq!(d.title.as_deref(), Some("利通区2025年春节文化活动方案"));
    assert_eq!(d.title_source, TitleSource::CoverLetter);
    assert_eq!(d.kind, ParsedKind::Plan);
    assert!(!d.public);
    let issuers: Vec<_> = d.issuers.iter().map(|u| u.unit_ids.clone()).collect();
    assert_eq!(
        issuers,
        [vec!["lt-party".to_string()], vec!["lt-gov".to_string()]]
    );
    assert_eq!(
        ids(&d),
        [
            ("印发通知", None, ""),
            ("前言", None, ""),
            ("一、", None, "总体目标"),
            ("二、", None, "活动安排"),
            ("二、（一）", Some("二、"), "文艺演出行动"),
            ("二、（一）1.", Some("二、（一）"), ""),
            ("二、（一）2.", Some("二、（一）"), ""),
            ("二、（二）", Some("二、"), "全民健身行动"),
            ("二、（二）1.", Some("二、（二）"), ""),
            ("二、（三）", Some("二、"), "非遗展示行动"),
            ("二、（三）1.", Some("二、（三）"), ""),
            ("二、（四）", Some("二、"), "志愿服务行动"),
            ("三、", None, "工作要求"),
            ("三、（一）", Some("三、"), ""),
            ("三、（二）", Some("三、"), ""),
        ]
    );
    let gala = d.tasks.iter().find(|t| t.clause == "二、（一）1.").unwrap();
    let time = gala.time.as_ref().unwrap();
    assert_eq!(
        (time.start, time.time_of_day.as_deref()),
        (date(2025, 1, 25), Some("19:30"))
    );
    assert_eq!(gala.place.as_deref(), Some("利通区文化中心大剧院"));
    assert_eq!(gala.lead_units[0].unit_ids, ["lt-culture"]);
    let resp: Vec<_> = gala
        .responsible_units
        .iter()
        .flat_map(|u| u.unit_ids.clone())
        .collect();
    assert_eq!(resp, ["lt-gucheng", "lt-jinyintan", "lt-media"]);
    let shehuo = d.tasks.iter().find(|t| t.clause == "二、（一）2.").unwrap();
    let t = shehuo.time.as_ref().unwrap();
    assert_eq!((t.start, t.end), (date(2025, 1, 28), date(2025, 2, 12)));
    assert!(shehuo.responsible_units[0].collective);
    assert_eq!(shehuo.responsible_units[0].unit_ids.len(), 2);
    let run = d.tasks.iter().find(|t| t.clause == "二、（二）1.").unwrap();
    let t = run.time.as_ref().unwrap();
    assert_eq!((t.start, t.end), (date(2025, 1, 21), date(2025, 1, 31)));
    let volunteers = d.tasks.iter().find(|t| t.clause == "二、（四）").unwrap();
    assert_eq!(
        (
            volunteers.people[0].name.as_str(),
            volunteers.people[0].role.as_str()
        ),
        ("王明", "组长")
    );
    assert!(
        d.deadlines
            .iter()
            .any(|x| x.amount == 10 && x.unit == PeriodUnit::Workdays)
    );
    let targets: Vec<_> = d
        .targets
        .iter()
        .map(|q| (q.value, q.unit.as_str(), q.comparator.as_str()))
        .collect();
    assert_eq!(targets, [(95.0, "%", ">="), (2.0, "个", "=")]);

    let kinds = |k: &str| {
        d.anomalies
            .iter()
            .filter(|a| a.kind == k)
            .map(|a| a.message.clone())
            .collect::<Vec<_>>()
    };
    let counts = kinds("count_mismatch");
    assert_eq!(counts.len(), 1, "五大行动 but four listed");
    assert!(
        counts[0].contains('5') && counts[0].contains('4'),
        "{}",
        counts[0]
    );
    let lunar = kinds("lunar_date_mismatch");
    assert_eq!(
        lunar.len(),
        1,
        "2025-01-28 is 除夕, not 正月初一; 正月十五 is right"
    );
    assert!(lunar[0].contains("2025-01-29"), "{}", lunar[0]);
    let unknown = kinds("unknown_unit");
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].contains("区体育中心"));
    let kept = shehuo
        .responsible_units
        .iter()
        .find(|u| u.raw == "区体育中心")
        .unwrap();
    assert!(
        kept.resolved.is_empty(),
        "an unknown unit is kept, unresolved"
    );
}

#[test]
fn two_documents_in_one_text_are_split_at_their_numbers() {
    let r = parse(QINGTONGXIA, &directory());
    assert_eq!(r.documents.len(), 2);
    let (a, b) = (&r.documents[0], &r.documents[1]);
    assert_eq!(a.number.as_deref(), Some("青政办发〔2024〕9号"));
    assert_eq!(a.kind, ParsedKind::System);
    assert_eq!(a.title_source, TitleSource::Heading);
    assert_eq!(a.articles.len(), 4);
    assert_eq!(
        ids(a).iter().map(|x| x.0).collect::<Vec<_>>(),
        [
            "印发通知",
            "第一条",
            "第二条",
            "第三条",
            "第三条1、",
            "第三条2、",
            "第四条"
        ]
    );
    assert_eq!(a.deadlines[0].amount, 2, "两个工作日 is two working days");
    assert_eq!(a.deadlines[0].unit, PeriodUnit::Workdays);
    assert_eq!(a.caps[0].value, 1500.0);
    assert!(a.anomalies.is_empty(), "{:?}", a.anomalies);

    assert_eq!(b.number.as_deref(), Some("青政办发〔2024〕10号"));
    assert_eq!(b.title.as_deref(), Some("青铜峡市黄河湿地保护三年行动计划"));
    assert_eq!(b.kind, ParsedKind::Plan);
    assert_eq!(b.date, date(2024, 5, 8));
    let patrol = b.tasks.iter().find(|t| t.clause == "二、（一）").unwrap();
    assert_eq!(patrol.lead_units[0].unit_ids, ["qtx-land"]);
    let resp: Vec<_> = patrol
        .responsible_units
        .iter()
        .flat_map(|u| u.unit_ids.clone())
        .collect();
    assert_eq!(resp, ["qtx-yesheng", "qtx-qujing"]);
    let all_towns = b.tasks.iter().find(|t| t.clause == "二、（二）").unwrap();
    assert_eq!(all_towns.responsible_units[0].unit_ids.len(), 2);
    let targets: Vec<_> = b
        .targets
        .iter()
        .map(|q| (q.value, q.unit.as_str()))
        .collect();
    assert_eq!(targets, [(60.0, "%"), (1.2, "万亩")]);
    assert!(b.span.start >= a.span.end);
}
