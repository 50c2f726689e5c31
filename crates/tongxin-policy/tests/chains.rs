//! The 21 chains of 同党办发〔2023〕49号 三、 (issue 9): every chain of DOMAIN.md's table present
//! with its chief, lead unit and responsible units (names as the document writes them, aliases
//! and the 新材料 misspelling resolved), its kind, its clause and its segments.

use tongxin_domain::chains::{ChainKind, SegmentStage};
use tongxin_policy::Pack;

fn pack() -> &'static Pack {
    static P: std::sync::OnceLock<Pack> = std::sync::OnceLock::new();
    P.get_or_init(|| tongxin_policy::tongxin::pack().expect("the Tongxin pack loads"))
}

/// (name, cultivated, chief, lead, responsible) as DOMAIN.md's table has them.
const TABLE: &[(&str, bool, &str, &str, &str)] = &[
    (
        "光伏",
        false,
        "凌镇",
        "投资促进服务中心",
        "工业园区管委会、发展和改革局、工业信息化和商务局、自然资源局、市场监管局",
    ),
    (
        "现代化工",
        false,
        "李生元",
        "工业园区管委会",
        "发展和改革局、工业信息化和商务局、应急管理局、市场监管局",
    ),
    (
        "装备制造",
        false,
        "郭吉龙",
        "工业信息化和商务局",
        "工业园区管委会、发展和改革局、市场监管局",
    ),
    (
        "新材料",
        false,
        "杨冕",
        "工业信息和商务局",
        "工业园区管委会、发展和改革局、市场监管局",
    ),
    (
        "储能、动力电池",
        false,
        "张琦",
        "发展和改革局",
        "工业园区管委会、工业信息化和商务局、自然资源局",
    ),
    (
        "节能环保",
        false,
        "马俊文",
        "吴忠市生态环境局同心分局",
        "工业园区管委会、发展和改革局、工业信息化和商务局、水务局",
    ),
    (
        "羊绒",
        false,
        "买兰",
        "工业园区管委会",
        "发展和改革局、科技局、工业信息化和商务局、市场监管局、金融局",
    ),
    (
        "枸杞",
        false,
        "杨国林",
        "自然资源局",
        "工业信息化和商务局、农业农村局、市场监管局",
    ),
    (
        "肉牛、滩羊",
        false,
        "宋继忠",
        "农业农村局",
        "工业园区管委会、发展和改革局、工业信息化和商务局、自然资源局、市场监管局",
    ),
    (
        "冷凉蔬菜",
        false,
        "王学华",
        "农业农村局",
        "发展和改革局、工业信息化和商务局、市场监管局",
    ),
    (
        "富硒杂粮",
        false,
        "刘艳",
        "农业农村局",
        "发展和改革局、工业信息化和商务局、市场监管局",
    ),
    (
        "葡萄酒",
        false,
        "马立军",
        "农业农村局",
        "工业信息化和商务局、市场监管局",
    ),
    (
        "生产性服务业",
        false,
        "洪建群",
        "人力资源和社会保障局",
        "发展和改革局、教育局、科技局、工业信息化和商务局、司法局、市场监管局",
    ),
    (
        "商贸物流",
        false,
        "马宗新",
        "工业信息化和商务局",
        "发展和改革局、交通运输局、市场监管局",
    ),
    (
        "文化旅游",
        false,
        "王新海",
        "文化旅游体育广电局",
        "发展和改革局、教育局、交通运输局、市场监管局",
    ),
    (
        "数字信息",
        true,
        "王建云",
        "工业信息化和商务局",
        "发展和改革局、科技局",
    ),
    (
        "氢能",
        true,
        "凌镇",
        "工业园区管委会",
        "发展和改革局、工业信息化和商务局、投资促进服务中心",
    ),
    (
        "中药材",
        true,
        "王新刚",
        "农业农村局",
        "发展和改革局、工业信息化和商务局、市场监管局",
    ),
    (
        "文冠果",
        true,
        "田梅音",
        "自然资源局",
        "发展和改革局、工业信息化和商务局、农业农村局、市场监管局",
    ),
    (
        "玉米",
        true,
        "杨国林",
        "农业农村局",
        "发展和改革局、工业信息化和商务局、市场监管局",
    ),
    (
        "健康养老",
        true,
        "徐莉芳",
        "民政局",
        "发展和改革局、卫生健康局、市场监管局、残联",
    ),
];

fn unit_id(name: &str) -> String {
    pack()
        .directory
        .resolve_unit(name)
        .map(|u| u.id.0.clone())
        .unwrap_or_else(|| panic!("{name} resolves"))
}

#[test]
fn every_chain_of_the_table_is_present_with_its_people_and_units() {
    let chains = &pack().chains;
    assert_eq!(chains.len(), TABLE.len());
    assert_eq!(
        chains.iter().filter(|c| c.kind == ChainKind::Key).count(),
        15
    );
    for (i, (name, cultivated, chief, lead, responsible)) in TABLE.iter().enumerate() {
        let c = &chains[i];
        assert_eq!(c.name, *name);
        let kind = if *cultivated {
            ChainKind::Cultivated
        } else {
            ChainKind::Key
        };
        assert_eq!(c.kind, kind, "{name}");
        let n = if *cultivated { i - 14 } else { i + 1 };
        let part = if *cultivated {
            "三、（二）"
        } else {
            "三、（一）"
        };
        assert_eq!(
            c.clause.to_string(),
            format!("同党办发〔2023〕49号 {part}{n}."),
            "{name}"
        );
        assert_eq!(c.chief, *chief, "{name}");
        assert_eq!(c.lead.0, unit_id(lead), "{name}");
        let mut want: Vec<String> = responsible.split('、').map(unit_id).collect();
        let mut got: Vec<String> = c.responsible.iter().map(|u| u.0.clone()).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}");
        // The clause the chain cites names it.
        let clause = pack().corpus.resolve(&c.clause).expect("clause exists");
        assert!(clause.1.text.contains(&format!("{name}产业链")), "{name}");
    }
}

#[test]
fn every_segment_is_a_link_its_clause_names() {
    for c in &pack().chains {
        assert!(c.segments.len() >= 2, "{}", c.key);
        let text = &pack().corpus.resolve(&c.clause).expect("clause").1.text;
        for s in &c.segments {
            assert!(s.name.chars().count() <= 12, "{}: {}", c.key, s.name);
            // Names may be shortened from the text; their first two characters are in it.
            let head: String = s.name.chars().take(2).collect();
            assert!(
                text.contains(&head),
                "{}: {} not in {}",
                c.key,
                s.name,
                c.clause
            );
        }
    }
    let pv = pack().chain("pv").expect("光伏");
    let names: Vec<&str> = pv.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["拉晶", "切片", "光伏组件", "逆变器", "支架", "光伏电缆"]
    );
    assert_eq!(pv.segments[0].stage, SegmentStage::Upstream);
    assert_eq!(pv.platforms, ["同心清洁能源产业园"]);
    let chem = pack().chain("chem").expect("现代化工");
    let names: Vec<&str> = chem.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        &names[..5],
        ["选煤", "炼焦", "煤气制甲醇", "合成氨", "医药中间体"]
    );
}

#[test]
fn every_chain_has_its_supervision_tasks() {
    for c in &pack().chains {
        let tasks = pack()
            .plans
            .iter()
            .filter(|t| t.link_kind == "chain" && t.link_ref == c.key)
            .count();
        assert_eq!(tasks, 10, "{}", c.key);
    }
}
