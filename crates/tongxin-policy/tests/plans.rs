//! The plans published as supervision tasks at first start: every item of D1, D2, D3 and D8
//! present, with its clause, its units resolved and its leader named (issue 8).

use std::collections::BTreeMap;

use tongxin_domain::supervision::Cadence;
use tongxin_policy::Pack;
use tongxin_policy::plans::PlanTask;

fn pack() -> &'static Pack {
    static P: std::sync::OnceLock<Pack> = std::sync::OnceLock::new();
    P.get_or_init(|| tongxin_policy::tongxin::pack().expect("the Tongxin pack loads"))
}

fn of(doc: &str) -> Vec<&'static PlanTask> {
    pack()
        .plans
        .iter()
        .filter(|t| t.clause.doc.to_string() == doc)
        .collect()
}

fn unit(id: &tongxin_domain::UnitId) -> String {
    pack()
        .directory
        .get(id.as_str())
        .map(|u| u.short_name.clone())
        .unwrap_or_default()
}

#[test]
fn d1_has_ten_tasks_for_each_of_its_21_chains() {
    let tasks = of("同党办发〔2023〕49号");
    assert_eq!(tasks.len(), 210);
    let mut chains: BTreeMap<&str, Vec<&PlanTask>> = BTreeMap::new();
    for t in &tasks {
        assert_eq!(t.link_kind, "chain", "{}", t.key);
        chains.entry(t.link_ref.as_str()).or_default().push(t);
    }
    assert_eq!(chains.len(), 21);
    for (chain, ts) in &chains {
        assert_eq!(ts.len(), 10, "{chain}");
        let plans: Vec<_> = ts
            .iter()
            .filter(|t| t.parent.is_none() && t.cadence == Cadence::Once)
            .collect();
        assert_eq!(plans.len(), 1, "{chain}: one work plan");
        let plan = plans[0];
        assert!(!plan.leader.is_empty(), "{chain}: its 链长");
        assert_eq!(
            ts.iter()
                .filter(|t| t.parent.as_deref() == Some(plan.key.as_str()))
                .count(),
            5,
            "{chain}: five lists"
        );
        for c in [
            Cadence::Dekad,
            Cadence::Month,
            Cadence::Quarter,
            Cadence::Year,
        ] {
            assert_eq!(
                ts.iter().filter(|t| t.cadence == c).count(),
                1,
                "{chain}: {c:?}"
            );
        }
    }
    // 光伏: 凌镇, led by 投资促进服务中心 with five responsible units.
    let pv = tasks
        .iter()
        .find(|t| {
            t.title.starts_with("光伏产业链") && t.parent.is_none() && t.cadence == Cadence::Once
        })
        .expect("the 光伏 plan");
    assert_eq!(pv.leader, "凌镇");
    assert_eq!(unit(&pv.lead), "投资促进服务中心");
    assert_eq!(pv.responsible.len(), 5);
    assert_eq!(pv.clause.clause, "四、（一）");
    // 15 key chains and 6 cultivated ones.
    let cultivated = tasks
        .iter()
        .filter(|t| t.note.contains("培育产业链"))
        .count();
    let key = tasks
        .iter()
        .filter(|t| t.note.contains("重点推进产业链"))
        .count();
    assert_eq!((key, cultivated), (15, 6));
}

#[test]
fn d2_has_its_seven_actions_with_their_leaders_and_measures() {
    let tasks = of("同党办综〔2023〕55号");
    assert_eq!(tasks.len(), 51);
    let actions: Vec<_> = tasks
        .iter()
        .filter(|t| t.link_kind == "campaign_action" && t.parent.is_none() && !t.leader.is_empty())
        .collect();
    assert!(actions.len() >= 7, "{}", actions.len());
    let mut refs: Vec<&str> = tasks
        .iter()
        .filter(|t| t.link_kind == "campaign_action")
        .map(|t| t.link_ref.as_str())
        .collect();
    refs.sort();
    refs.dedup();
    // The seven actions, and the campaign-wide work requirements of 八、.
    assert_eq!(refs.len(), 8, "{refs:?}");
    assert!(refs.contains(&"campaign"));
    for leader in ["袁波", "杨国林", "杨根枝"] {
        assert!(tasks.iter().any(|t| t.leader == leader), "{leader}");
    }
    // The campaign ends 100 days after 2023-10-19.
    let end = chrono::NaiveDate::from_ymd_opt(2024, 1, 27).unwrap();
    assert!(tasks.iter().filter(|t| t.due == Some(end)).count() >= 24);
}

#[test]
fn d3_has_its_activities_and_both_decoration_deadlines() {
    let tasks = of("同党办综〔2023〕64号");
    assert_eq!(tasks.len(), 95);
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert!(
        tasks
            .iter()
            .any(|t| t.due == Some(d(2023, 12, 30)) && t.title == "全面完成面上氛围营造工作")
    );
    assert!(
        tasks
            .iter()
            .any(|t| t.due == Some(d(2024, 1, 25)) && t.title == "完成重点街道、点位氛围营造工作")
    );
    let concert = tasks
        .iter()
        .find(|t| t.title.contains("新年音乐会"))
        .expect("新年音乐会");
    assert_eq!(concert.due, Some(d(2023, 12, 29)));
    assert!(
        concert.place.contains("同心县职业技术学校"),
        "{}",
        concert.place
    );
    assert!(
        tasks
            .iter()
            .all(|t| t.link_kind == "event" || t.link_kind.is_empty() || t.link_kind == "measure")
    );
}

#[test]
fn d8_has_its_measures_with_their_units() {
    let tasks = of("同政办发〔2023〕76号");
    assert_eq!(tasks.len(), 32);
    assert!(tasks.iter().all(|t| t.link_kind == "measure"));
    let monthly = tasks.iter().filter(|t| t.cadence == Cadence::Month).count();
    assert!(monthly >= 2, "{monthly}");
    assert!(
        tasks
            .iter()
            .any(|t| unit(&t.lead) == "财源建设工作领导小组")
    );
}

#[test]
fn every_plan_task_resolves_and_the_five_documents_total_390() {
    // D1 210, D2, D3 and D8 178, D7's assessment and meetings 2.
    assert_eq!(pack().plans.len(), 390);
    for t in &pack().plans {
        assert!(pack().corpus.resolve(&t.clause).is_some(), "{}", t.key);
        assert!(pack().directory.get(t.lead.as_str()).is_some(), "{}", t.key);
        for r in &t.responsible {
            assert!(pack().directory.get(r.as_str()).is_some(), "{}", t.key);
        }
    }
}

#[test]
fn a_bad_plan_is_refused_naming_the_file_and_the_key() {
    let p = pack();
    let head = "document = \"同政办发〔2023〕76号\"\n[[task]]\nkey = \"x.one\"\ntitle = \"测试\"\nstarts = 2024-01-01\n";
    for (body, key) in [
        (
            "clause = \"九十九、\"\nlead = \"财政局\"\ncadence = \"once\"\ndue = 2024-02-01\n",
            "task (key = \"x.one\").clause",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"各乡镇\"\ncadence = \"once\"\ndue = 2024-02-01\n",
            "task (key = \"x.one\").lead",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"神仙局\"\ncadence = \"once\"\ndue = 2024-02-01\n",
            "task (key = \"x.one\").lead",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"财政局\"\ncadence = \"weekly\"\n",
            "task (key = \"x.one\").cadence",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"财政局\"\ncadence = \"once\"\n",
            "task (key = \"x.one\").due",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"财政局\"\ncadence = \"once\"\ndue = 2023-02-01\n",
            "task (key = \"x.one\").due",
        ),
        (
            "clause = \"二、（一）\"\nlead = \"财政局\"\nleader = \"张三\"\ncadence = \"month\"\n",
            "task (key = \"x.one\").leader",
        ),
    ] {
        let text = format!("{head}{body}");
        match tongxin_policy::plans::load_plan("p.toml", &text, &p.corpus, &p.directory) {
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
