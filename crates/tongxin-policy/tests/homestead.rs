//! The homestead procedure (同政办规发〔2023〕6号) as the township would check it: the
//! transition table, the checks at every threshold, forms and due dates on the real calendar.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;
use tongxin_calendar::{Calendar, Pause};
use tongxin_domain::checks::{
    self, CaseFacts, CheckContext, CheckOutcome, ExistingHomestead, LandType,
};
use tongxin_domain::procedure::{DeadlineKind, Procedure, ProcedureError, due_date};
use tongxin_domain::{ResidentId, Role};
use tongxin_policy::Pack;
use tongxin_policy::tongxin::pack;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn the_pack() -> &'static Pack {
    static P: OnceLock<Pack> = OnceLock::new();
    P.get_or_init(|| pack().unwrap())
}

fn homestead() -> &'static Procedure {
    the_pack().procedure("homestead").unwrap()
}

fn id_with_check(body: &str) -> String {
    format!(
        "{body}{}",
        tongxin_domain::ids::resident_id_check_char(body).unwrap()
    )
}

const DECISION_DAY: (i32, u32, u32) = (2024, 3, 1);

fn day() -> NaiveDate {
    d(DECISION_DAY.0, DECISION_DAY.1, DECISION_DAY.2)
}

// ------------------------------------------------------------------------------------------
// Transition table
// ------------------------------------------------------------------------------------------

#[test]
fn the_homestead_procedure_loads_from_the_pack() {
    let p = homestead();
    assert_eq!(p.initial, "drafting");
    assert_eq!(p.document.to_string(), "同政办规发〔2023〕6号");
    assert_eq!(p.actions.len(), 22);
    let approve = p.find_action("approve").unwrap();
    let titles: Vec<&str> = approve
        .issues
        .iter()
        .map(|i| p.document_def(i).unwrap().title.as_str())
        .collect();
    assert_eq!(titles, ["《农村宅基地批准书》", "《乡村建设规划许可证》"]);
    assert_eq!(
        approve.citation.to_string(),
        "同政办规发〔2023〕6号 第十二条"
    );
}

#[test]
fn every_transition_is_allowed_only_from_its_state_and_for_its_roles() {
    use Role::*;
    let p = homestead();
    // (action, from, to, roles that may act)
    let table: &[(&str, &str, &str, &[Role])] = &[
        ("submit", "drafting", "group_meeting", &[Applicant, Village]),
        ("group_pass", "group_meeting", "village_review", &[Village]),
        (
            "group_reject",
            "group_meeting",
            "rejected_by_village",
            &[Village],
        ),
        (
            "village_pass",
            "village_review",
            "public_notice",
            &[Village],
        ),
        (
            "village_reject",
            "village_review",
            "rejected_by_village",
            &[Village],
        ),
        (
            "record_objection",
            "public_notice",
            "public_notice",
            &[Village],
        ),
        (
            "notice_passed",
            "public_notice",
            "township_acceptance",
            &[Village],
        ),
        (
            "objection_upheld",
            "public_notice",
            "rejected_by_village",
            &[Village],
        ),
        ("accept", "township_acceptance", "joint_review", &[Township]),
        (
            "return_for_correction",
            "joint_review",
            "correction",
            &[Township],
        ),
        (
            "resubmit",
            "correction",
            "joint_review",
            &[Applicant, Village],
        ),
        ("approve", "joint_review", "approved", &[Township]),
        ("reject", "joint_review", "rejected", &[Township]),
        (
            "apply_start",
            "approved",
            "papers_review",
            &[Applicant, Village],
        ),
        (
            "return_papers",
            "papers_review",
            "papers_correction",
            &[Township],
        ),
        (
            "resubmit_papers",
            "papers_correction",
            "papers_review",
            &[Applicant, Village],
        ),
        (
            "consent_start",
            "papers_review",
            "start_inspection",
            &[Township],
        ),
        (
            "inspect_start",
            "start_inspection",
            "under_construction",
            &[Township],
        ),
        (
            "record_inspection",
            "under_construction",
            "under_construction",
            &[Township],
        ),
        (
            "apply_completion",
            "under_construction",
            "completion_inspection",
            &[Applicant, Village],
        ),
        (
            "pass_completion",
            "completion_inspection",
            "completed",
            &[Township],
        ),
        (
            "fail_completion",
            "completion_inspection",
            "under_construction",
            &[Township],
        ),
    ];
    assert_eq!(table.len(), p.actions.len(), "every action is in the table");
    for &(action, from, to, roles) in table {
        for state in &p.states {
            for role in Role::ALL {
                let r = p.action(&state.id, action, role);
                let expected = state.id == from && roles.contains(&role);
                assert_eq!(r.is_ok(), expected, "{action} in {} by {role}", state.id);
                if let Ok(a) = r {
                    assert_eq!(a.to, to, "{action}");
                } else if state.id != from {
                    assert!(matches!(r, Err(ProcedureError::WrongState { .. })));
                } else {
                    assert!(matches!(r, Err(ProcedureError::RoleNotAllowed { .. })));
                }
            }
        }
    }
}

#[test]
fn refusals_name_the_state_the_role_and_the_action_in_chinese() {
    let p = homestead();
    assert_eq!(
        p.action("public_notice", "approve", Role::Township)
            .unwrap_err()
            .to_string(),
        "当前状态“公示中”不能执行“批准”"
    );
    assert_eq!(
        p.action("joint_review", "approve", Role::Village)
            .unwrap_err()
            .to_string(),
        "角色“村”不能执行“批准”"
    );
    assert!(matches!(
        p.action("joint_review", "nope", Role::Township),
        Err(ProcedureError::UnknownAction { .. })
    ));
}

#[test]
fn county_departments_and_the_three_administrators_never_act() {
    let p = homestead();
    for role in [
        Role::Department,
        Role::CountyLeader,
        Role::Supervision,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
    ] {
        for s in &p.states {
            assert!(
                p.allowed_actions(&s.id, role).is_empty(),
                "{role} in {}",
                s.id
            );
        }
    }
}

#[test]
fn the_township_in_joint_review_may_approve_reject_or_return_for_correction() {
    let ids: Vec<&str> = homestead()
        .allowed_actions("joint_review", Role::Township)
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["return_for_correction", "approve", "reject"]);
}

#[test]
fn terminal_states_allow_nothing() {
    let p = homestead();
    for s in p.states.iter().filter(|s| s.terminal) {
        for role in Role::ALL {
            assert!(p.allowed_actions(&s.id, role).is_empty());
        }
    }
}

#[test]
fn returning_construction_papers_pauses_the_review_clock_and_resubmitting_resumes_it() {
    let p = homestead();
    let ids = |v: Vec<&tongxin_domain::procedure::DeadlineDef>| {
        v.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(p.effects("return_papers").pauses), ["papers_review"]);
    assert_eq!(ids(p.effects("resubmit_papers").resumes), ["papers_review"]);
    assert_eq!(ids(p.effects("consent_start").meets), ["papers_review"]);
    assert_eq!(ids(p.effects("consent_start").starts), ["start_inspection"]);
    assert_eq!(ids(p.effects("village_pass").starts), ["public_notice"]);
    assert_eq!(
        ids(p.effects("objection_upheld").cancels),
        ["public_notice"]
    );
}

// ------------------------------------------------------------------------------------------
// Checks
// ------------------------------------------------------------------------------------------

#[test]
fn each_land_types_cap_admits_the_limit_and_refuses_one_square_metre_more() {
    let corpus = &the_pack().corpus;
    for (land, cap) in [
        (LandType::Irrigated, 270.0),
        (LandType::FlatDryland, 400.0),
        (LandType::Hillside, 540.0),
    ] {
        let at = checks::area_within_cap(corpus, day(), land, cap).unwrap();
        let CheckOutcome::Pass(pass) = at else {
            panic!("{land:?} at {cap}")
        };
        assert_eq!(pass.citation.to_string(), "同政办规发〔2023〕6号 第七条");
        assert_eq!(pass.applied[0].key, land.cap_parameter());
        let over = checks::area_within_cap(corpus, day(), land, cap + 1.0).unwrap();
        let f = &over.failures()[0];
        assert_eq!(
            f.message,
            format!(
                "宅基地面积不得超过{cap}平方米（{}）——同政办规发〔2023〕6号 第七条",
                land.label()
            )
        );
        assert_eq!(f.field, "area_m2");
        let just_over = checks::area_within_cap(corpus, day(), land, cap + 0.01).unwrap();
        assert!(!just_over.is_pass());
    }
}

#[test]
fn three_storeys_need_the_village_organisations_consent_two_do_not() {
    let corpus = &the_pack().corpus;
    let table = [
        (2, false, true),
        (3, false, false),
        (3, true, true),
        (4, false, false),
        (4, true, true),
    ];
    for (storeys, consent, passes) in table {
        let r = checks::storeys_consent(corpus, day(), storeys, consent).unwrap();
        assert_eq!(r.is_pass(), passes, "{storeys} storeys, consent {consent}");
    }
    let r = checks::storeys_consent(corpus, day(), 3, false).unwrap();
    assert_eq!(
        r.failures()[0].message,
        "建设3层及以上住房须征得村级组织及利益相关方同意并纳入村庄规划（拟建3层，未记录同意）——同政办规发〔2023〕6号 第七条"
    );
}

#[test]
fn a_second_homestead_is_refused_unless_the_old_one_is_promised_back() {
    let corpus = &the_pack().corpus;
    let existing = |by| ExistingHomestead {
        case_id: "ZJD-2024-001".into(),
        returning_by: by,
    };
    assert!(
        checks::one_household(corpus, day(), None)
            .unwrap()
            .is_pass()
    );
    let no_promise = checks::one_household(corpus, day(), Some(&existing(None))).unwrap();
    assert_eq!(
        no_promise.failures()[0].message,
        "一户村民只能拥有1处宅基地：本户已有宅基地（案件ZJD-2024-001），须承诺退回原宅基地的日期——同政办规发〔2023〕6号 第七条"
    );
    let promised =
        checks::one_household(corpus, day(), Some(&existing(Some(d(2025, 6, 30))))).unwrap();
    let CheckOutcome::Pass(p) = promised else {
        panic!()
    };
    assert_eq!(p.citation.to_string(), "同政办规发〔2023〕6号 第二十六条");
    assert!(the_pack().corpus.resolve(&p.citation).is_some());
    // A promise due on the decision day still holds; one already past does not.
    assert!(
        checks::one_household(corpus, day(), Some(&existing(Some(day()))))
            .unwrap()
            .is_pass()
    );
    let lapsed =
        checks::one_household(corpus, day(), Some(&existing(Some(d(2024, 2, 29))))).unwrap();
    assert_eq!(lapsed.failures()[0].field, "old_homestead_return_by");
}

#[test]
fn every_applicant_and_member_id_is_checked_with_its_place_in_the_form() {
    let p = homestead();
    let submit = p.find_action("submit").unwrap();
    let good = id_with_check("64032419900101123");
    let bad = {
        let mut s = id_with_check("64032419920202002");
        let c = s.pop().unwrap();
        s.push(if c == '1' { '2' } else { '1' });
        s
    };
    let data: Map<String, Value> = json!({
        "applicant_id": good,
        "members": [
            {"name": "马明", "resident_id": good, "relation": "户主"},
            {"name": "马芳", "resident_id": bad, "relation": "配偶"},
        ]
    })
    .as_object()
    .unwrap()
    .clone();
    let spec = checks::lookup("resident_id.valid").unwrap();
    let facts = CaseFacts::default();
    let cx = CheckContext {
        corpus: &the_pack().corpus,
        day: day(),
        data: &data,
        fields: &p.fields,
        facts: &facts,
        action_citation: &submit.citation,
    };
    let r = (spec.run)(&cx).unwrap();
    let f = r.failures();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field, "members[1].resident_id");
    assert_eq!(
        f[0].message,
        "“家庭成员第2人身份证号码”：身份证号码校验位不符（GB 11643-1999）——同政办规发〔2023〕6号 第八条"
    );
}

#[test]
fn the_registered_checks_read_the_case_data_and_the_household_facts() {
    let p = homestead();
    let approve = p.find_action("approve").unwrap();
    let data: Map<String, Value> = json!({
        "land_type": "hillside", "area_m2": 541.0, "storeys": 3, "storeys_consent": true,
        "old_homestead_return_by": "2025-06-30",
    })
    .as_object()
    .unwrap()
    .clone();
    let facts = CaseFacts {
        existing_homestead: Some(ExistingHomestead {
            case_id: "ZJD-2023-9".into(),
            returning_by: None,
        }),
        ..CaseFacts::default()
    };
    let cx = CheckContext {
        corpus: &the_pack().corpus,
        day: day(),
        data: &data,
        fields: &p.fields,
        facts: &facts,
        action_citation: &approve.citation,
    };
    let run = |name: &str| (checks::lookup(name).unwrap().run)(&cx).unwrap();
    assert_eq!(
        run("homestead.area_within_cap").failures()[0].message,
        "宅基地面积不得超过540平方米（山坡地）——同政办规发〔2023〕6号 第七条"
    );
    assert!(run("homestead.storeys_consent").is_pass());
    assert!(
        run("homestead.one_household").is_pass(),
        "promise on the form"
    );
    assert!(checks::lookup("homestead.nope").is_none());
}

// ------------------------------------------------------------------------------------------
// Forms
// ------------------------------------------------------------------------------------------

fn submit_form() -> Map<String, Value> {
    let id = id_with_check("64032419900101123");
    json!({
        "applicant_name": " 马明 ",
        "applicant_id": id.to_lowercase(),
        "members": [{"name": "马明", "resident_id": id, "relation": "户主"}],
        "village": "王团村",
        "village_group": "",
        "land_type": "水浇地",
        "area_m2": "260.5",
        "storeys": 2,
        "site_description": "东至村道，西至马某宅",
        "coordinates": "106.12,36.98",
        "application_reason": "分户",
        "use_pledge_signed": "是",
    })
    .as_object()
    .unwrap()
    .clone()
}

#[test]
fn a_complete_application_is_normalised() {
    let p = homestead();
    let a = p.find_action("submit").unwrap();
    let out = p.validate_form(a, &submit_form(), day()).unwrap();
    assert_eq!(out["applicant_name"], "马明");
    assert_eq!(out["land_type"], "irrigated");
    assert_eq!(out["area_m2"], json!(260.5));
    assert_eq!(out["use_pledge_signed"], json!(true));
    assert_eq!(out["coordinates"], json!({"lon": 106.12, "lat": 36.98}));
    assert!(
        !out.contains_key("village_group"),
        "blank optional field dropped"
    );
    assert!(
        out["applicant_id"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_digit())
    );
}

#[test]
fn every_bad_field_is_reported_at_once_by_its_chinese_label() {
    let p = homestead();
    let a = p.find_action("submit").unwrap();
    let mut form = submit_form();
    form.insert("area_m2".into(), json!("很大"));
    form.insert("storeys".into(), json!(0));
    form.insert("land_type".into(), json!("沙地"));
    form.remove("village");
    form.insert("coordinates".into(), json!([200, 36]));
    form.insert(
        "members".into(),
        json!([{"name": "", "resident_id": "11010519491231002X", "relation": "户主"},
               {"name": "马芳", "resident_id": "110105194912310021", "relation": "配偶"}]),
    );
    form.insert("stray".into(), json!(1));
    let errors = p.validate_form(a, &form, day()).unwrap_err();
    let got: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("stray", "“提交申请”不接受字段“stray”"),
            ("members[0].name", "请填写“家庭成员”第1人的姓名"),
            (
                "members[1].resident_id",
                "“家庭成员”第2人：身份证号码校验位不符（GB 11643-1999）"
            ),
            ("village", "请填写“所在村”"),
            (
                "land_type",
                "“拟用地类型”须为以下之一：水浇地、平川旱作耕地、山坡地"
            ),
            ("area_m2", "“拟用地面积（平方米）”须为数字"),
            ("storeys", "“拟建层数”不能小于1"),
            (
                "coordinates",
                "“拟用地坐标”超出范围：经度须在−180至180之间，纬度须在−90至90之间"
            ),
        ]
    );
}

#[test]
fn a_rejection_and_a_return_for_correction_need_a_reason() {
    let p = homestead();
    for action in [
        "reject",
        "return_for_correction",
        "return_papers",
        "group_reject",
    ] {
        let a = p.find_action(action).unwrap();
        assert!(a.reason_required, "{action}");
        let mut form = Map::new();
        if action == "reject" {
            form.insert("review_opinion".into(), json!("不符合村庄规划"));
        }
        if action == "group_reject" {
            form.insert("group_meeting_date".into(), json!("2024-02-01"));
            form.insert("group_meeting_record".into(), json!("未通过"));
        }
        let e = p.validate_form(a, &form, day()).unwrap_err();
        assert_eq!(e.last().unwrap().field, "reason", "{action}");
        assert_eq!(
            e.last().unwrap().message,
            format!("“{}”须说明理由", a.label)
        );
        form.insert("reason".into(), json!(" 拟用地位于地质灾害易发区 "));
        let out = p.validate_form(a, &form, day()).unwrap();
        assert_eq!(out["reason"], "拟用地位于地质灾害易发区");
    }
}

#[test]
fn a_pledge_not_signed_is_refused_citing_the_clause_that_requires_it() {
    let p = homestead();
    let submit = p.find_action("submit").unwrap();
    let mut form = submit_form();
    form.insert("use_pledge_signed".into(), json!("否"));
    let e = p.validate_form(submit, &form, day()).unwrap_err();
    assert_eq!(e[0].field, "use_pledge_signed");
    assert_eq!(
        e[0].message,
        "“已签署《农村宅基地使用承诺书》”须为“是”：此项材料必须提交——同政办规发〔2023〕6号 第八条"
    );
    let start = p.find_action("apply_start").unwrap();
    let papers = json!({"design_source": "catalogue", "construction_contract": "SG-1", "builder_name": "杨师傅", "quality_pledge": false});
    let e = p
        .validate_form(start, papers.as_object().unwrap(), day())
        .unwrap_err();
    assert!(e[0].message.ends_with("第十七条"), "{e:?}");
}

#[test]
fn a_meeting_date_after_today_is_refused() {
    let p = homestead();
    let a = p.find_action("group_pass").unwrap();
    let form = json!({"group_meeting_date": "2024-03-02", "group_meeting_record": "通过"});
    let e = p
        .validate_form(a, form.as_object().unwrap(), day())
        .unwrap_err();
    assert_eq!(e[0].message, "“村民小组会议日期”不能晚于今天");
}

// ------------------------------------------------------------------------------------------
// Due dates on the real calendar
// ------------------------------------------------------------------------------------------

fn calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(|| Calendar::national().unwrap())
}

#[test]
fn a_seven_working_day_notice_posted_before_the_spring_festival_closes_on_20_february_2024() {
    // 2024: 2月4日（日）上班, 2月10日至17日放假, 2月18日（日）上班. From Monday 5 February the
    // working days are 6, 7, 8, 9, 18, 19, 20 February.
    let p = homestead();
    let def = p.deadline("public_notice").unwrap();
    let due = due_date(def, d(2024, 2, 5), &[], calendar(), &the_pack().corpus).unwrap();
    assert_eq!(due.kind, DeadlineKind::AtLeast);
    assert_eq!((due.amount, due.date), (7, Some(d(2024, 2, 20))));
    assert_eq!(due.citation.to_string(), "同政办规发〔2023〕6号 第十条");
    assert_eq!(
        due.rule_citation.to_string(),
        "同政办规发〔2023〕6号 第十条"
    );
    assert!(due.warnings.is_empty());
}

#[test]
fn due_dates_of_every_homestead_clock_across_the_spring_festival() {
    let p = homestead();
    let table = [
        ("public_notice", d(2024, 2, 5), 7, d(2024, 2, 20)),
        ("papers_review", d(2024, 2, 5), 10, d(2024, 2, 23)),
        ("start_inspection", d(2024, 2, 8), 5, d(2024, 2, 21)),
        ("completion_inspection", d(2024, 2, 9), 5, d(2024, 2, 22)),
        ("completion_inspection", d(2024, 2, 10), 5, d(2024, 2, 22)),
    ];
    for (id, start, n, expected) in table {
        let due = due_date(
            p.deadline(id).unwrap(),
            start,
            &[],
            calendar(),
            &the_pack().corpus,
        )
        .unwrap();
        assert_eq!(
            (due.amount, due.date),
            (n, Some(expected)),
            "{id} from {start}"
        );
    }
}

#[test]
fn returning_papers_for_correction_moves_the_review_due_date_by_the_working_days_paused() {
    // Accepted 5 Feb; returned 7 Feb (still counted); papers back 19 Feb (not counted): the
    // working days 8, 9, 18, 19 Feb are not counted, so the 10th counted day moves from
    // 23 Feb to 29 Feb.
    let p = homestead();
    let def = p.deadline("papers_review").unwrap();
    let pause = Pause {
        from: d(2024, 2, 7),
        to: Some(d(2024, 2, 19)),
    };
    let due = due_date(def, d(2024, 2, 5), &[pause], calendar(), &the_pack().corpus).unwrap();
    assert_eq!((due.date, due.paused), (Some(d(2024, 2, 29)), 4));
    let open = Pause {
        from: d(2024, 2, 7),
        to: None,
    };
    let suspended = due_date(def, d(2024, 2, 5), &[open], calendar(), &the_pack().corpus).unwrap();
    assert_eq!(suspended.date, None, "no due date while the papers are out");
}

#[test]
fn a_date_beyond_the_calendar_names_the_missing_year() {
    let def = homestead().deadline("papers_review").unwrap();
    let e = due_date(def, d(2026, 12, 28), &[], calendar(), &the_pack().corpus).unwrap_err();
    assert_eq!(
        e.to_string(),
        "日历数据未覆盖2027年（缺少国务院办公厅2027年节假日安排通知）"
    );
}

#[test]
fn a_clock_started_before_the_rules_took_effect_is_an_error_not_a_guess() {
    let def = homestead().deadline("papers_review").unwrap();
    let e = due_date(def, d(2023, 12, 27), &[], calendar(), &the_pack().corpus).unwrap_err();
    assert!(matches!(e, ProcedureError::Rule(_)));
}

#[test]
fn a_resident_id_in_a_form_is_stored_upper_case() {
    let id = ResidentId::parse("x", "11010519491231002x", day()).unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
}

// ------------------------------------------------------------------------------------------
// 宅基地选址 (第六条、第十一条): the point against the layout areas and hazard zones
// ------------------------------------------------------------------------------------------

mod siting {
    use super::*;
    use proptest::prelude::*;
    use tongxin_domain::homestead_siting::{PointFinding, SiteFacts};
    use tongxin_domain::siting::LayerSource;
    use tongxin_geo::{LayerKind, Nearest};

    /// A finding: `None` = layer not imported; `Some(None)` = imported, nothing near;
    /// `Some(Some(d))` = the nearest feature `d` metres away.
    fn finding(kind: LayerKind, near: Option<Option<f64>>) -> PointFinding {
        PointFinding {
            kind,
            source: near.map(|_| LayerSource {
                layer_id: 1,
                source: "测试".into(),
                dated: d(2023, 12, 31),
            }),
            nearest: near.flatten().map(|distance_m| Nearest {
                feature: format!("{}甲", kind.label()),
                distance_m,
            }),
        }
    }

    fn facts(
        layout: Option<Option<f64>>,
        geo: Option<Option<f64>>,
        flood: Option<Option<f64>>,
    ) -> CaseFacts {
        CaseFacts {
            homestead_site: Some(SiteFacts {
                field: "site_plan_coordinates",
                lon: 106.2,
                lat: 36.95,
                layers: vec![
                    finding(LayerKind::HomesteadLayout, layout),
                    finding(LayerKind::GeologicalHazard, geo),
                    finding(LayerKind::FloodHazard, flood),
                ],
            }),
            ..CaseFacts::default()
        }
    }

    fn run(name: &str, facts: &CaseFacts, assessed: bool) -> CheckOutcome {
        let p = homestead();
        let approve = p.find_action("approve").unwrap();
        let data: Map<String, Value> = json!({ "geology_assessed": assessed })
            .as_object()
            .unwrap()
            .clone();
        let cx = CheckContext {
            corpus: &the_pack().corpus,
            day: day(),
            data: &data,
            fields: &p.fields,
            facts,
            action_citation: &approve.citation,
        };
        (checks::lookup(name).unwrap().run)(&cx).unwrap()
    }

    fn note(o: &CheckOutcome) -> String {
        match o {
            CheckOutcome::Pass(p) => p.note.clone(),
            CheckOutcome::Fail(f) => panic!("expected a pass: {f:?}"),
        }
    }

    const LAYOUT: &str = "homestead.site_in_layout";
    const HAZARDS: &str = "homestead.site_avoids_hazards";

    #[test]
    fn the_layout_check_at_its_boundaries() {
        // (layout finding, passes, what the note or message says)
        let table: [(Option<Option<f64>>, bool, &str); 5] = [
            (None, true, "未导入宅基地布局区图层，未核对"),
            (Some(Some(0.0)), true, "位于宅基地布局区“宅基地布局区甲”内"),
            // The tolerance is 0 m (a system default): a centimetre outside is outside.
            (Some(Some(0.01)), false, "相距0.0米"),
            (
                Some(Some(35.0)),
                false,
                "最近的布局区“宅基地布局区甲”相距35.0米",
            ),
            (Some(None), false, "2000.0米以内没有布局区"),
        ];
        for (layout, passes, says) in table {
            let o = run(LAYOUT, &facts(layout, None, None), false);
            assert_eq!(o.is_pass(), passes, "{layout:?}: {o:?}");
            let text = match &o {
                CheckOutcome::Pass(p) => p.note.clone(),
                CheckOutcome::Fail(f) => {
                    assert_eq!(f[0].field, "site_plan_coordinates");
                    assert!(f[0].message.ends_with("——同政办规发〔2023〕6号 第十一条"));
                    f[0].message.clone()
                }
            };
            assert!(text.contains(says), "{layout:?}: {text}");
        }
        // No point on the form: passes, saying it was not checked.
        let o = run(LAYOUT, &CaseFacts::default(), false);
        assert!(note(&o).contains("未填写拟用地坐标"));
    }

    #[test]
    fn the_hazard_check_at_its_boundaries() {
        let inside = Some(Some(0.0));
        let near = Some(Some(0.5));
        let none = Some(None);
        // (geological, flood, assessed, passes, what it says)
        type Row = (
            Option<Option<f64>>,
            Option<Option<f64>>,
            bool,
            bool,
            &'static str,
        );
        let table: [Row; 6] = [
            (none, none, false, true, "未位于地质、洪涝灾害易发区"),
            (near, none, false, true, "未位于"),
            (
                inside,
                none,
                false,
                false,
                "地质灾害易发区“地质灾害易发区甲”内",
            ),
            (none, inside, false, false, "洪涝灾害区“洪涝灾害区甲”内"),
            (inside, inside, true, true, "联审已确认地质条件符合建房要求"),
            (None, none, false, true, "未导入地质灾害易发区图层，未核对"),
        ];
        for (geo, flood, assessed, passes, says) in table {
            let o = run(HAZARDS, &facts(Some(Some(0.0)), geo, flood), assessed);
            assert_eq!(o.is_pass(), passes, "{geo:?} {flood:?}: {o:?}");
            let text = match &o {
                CheckOutcome::Pass(p) => {
                    assert_eq!(p.applied[0].key, "homestead.siting.hazard_clearance_m");
                    p.note.clone()
                }
                CheckOutcome::Fail(f) => {
                    assert_eq!(f[0].field, "geology_assessed");
                    assert!(f[0].message.ends_with("——同政办规发〔2023〕6号 第六条"));
                    f[0].message.clone()
                }
            };
            assert!(text.contains(says), "{geo:?} {flood:?}: {text}");
        }
    }

    proptest! {
        /// With the 0 m defaults, the layout check passes exactly when the point is inside,
        /// and the hazard check fails exactly when it is inside a zone and not assessed.
        #[test]
        fn the_checks_turn_on_the_distance(
            d_layout in prop_oneof![Just(0.0), 0.0f64..3_000.0],
            d_hazard in prop_oneof![Just(0.0), 0.0f64..3_000.0],
            assessed: bool,
        ) {
            let within = |d: f64| if d > 2_000.0 { Some(None) } else { Some(Some(d)) };
            let f = facts(within(d_layout), within(d_hazard), Some(None));
            prop_assert_eq!(run(LAYOUT, &f, false).is_pass(), d_layout == 0.0);
            prop_assert_eq!(run(HAZARDS, &f, assessed).is_pass(), d_hazard > 0.0 || assessed);
        }
    }
}
