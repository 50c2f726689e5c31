//! 宅基地审批 through the pages, as a village clerk and a township official would use them:
//! the application form (refused input kept, each message beside its field and citing its
//! clause), the list, the case page with its deadlines and actions, the notice period that
//! blocks the next step, a conflict, printable certificates, the XLSX ledger, the public notice
//! list (names masked, no ID numbers) and the workbench reminders.

use crate::support;

use axum::http::{Method, StatusCode, header};
use chrono::{TimeZone, Utc};
use support::{Client, Reply, TestApp};
use tongxin_app::Clock;
use tongxin_domain::Role;
use tongxin_domain::ids::resident_id_check_char;

/// A valid resident ID (GB 11643) for birth date 1990-01-01 and sequence `seq`.
fn id(seq: u32) -> String {
    let body = format!("64032419900101{:03}", seq % 1000);
    format!("{body}{}", resident_id_check_char(&body).unwrap())
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn post_form(t: &TestApp, path: &str, c: &Client, pairs: &[(&str, &str)]) -> Reply {
    let mut all = vec![("csrf", c.csrf.as_str())];
    all.extend_from_slice(pairs);
    t.request(
        Method::POST,
        path,
        Some(c),
        Some(("application/x-www-form-urlencoded", form(&all))),
    )
    .await
}

/// The value of a hidden input in a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in the page"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// The application as a village clerk types it; `area` on irrigated land.
fn application(applicant: &str, spouse: &str, area: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("applicant_name", "马小明".into()),
        ("applicant_id", applicant.into()),
        ("members[0].name", "马小明".into()),
        ("members[0].resident_id", applicant.into()),
        ("members[0].relation", "户主".into()),
        // A row left empty between two filled ones is ignored.
        ("members[2].name", "李梅".into()),
        ("members[2].resident_id", spouse.into()),
        ("members[2].relation", "配偶".into()),
        ("village", "王团村".into()),
        ("village_group", "三组".into()),
        ("land_type", "irrigated".into()),
        ("area_m2", area.into()),
        ("storeys", "2".into()),
        (
            "site_description",
            "东至村道，西至马某宅，南至耕地，北至渠".into(),
        ),
        ("coordinates.lon", "106.12".into()),
        ("coordinates.lat", "36.98".into()),
        ("application_reason", "分户另建".into()),
        ("use_pledge_signed", "true".into()),
    ]
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Sets the county date (09:00 in Ningxia).
fn on(t: &TestApp, y: i32, m: u32, d: u32) {
    t.clock
        .set(Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().unwrap());
}

async fn act(t: &TestApp, c: &Client, case: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
    let page = t.get(case, Some(c)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = hidden(&page.body, "version");
    let mut all = vec![("action", action), ("version", version.as_str())];
    all.extend_from_slice(fields);
    post_form(t, &format!("{case}/actions"), c, &all).await
}

async fn act_ok(t: &TestApp, c: &Client, case: &str, action: &str, fields: &[(&str, &str)]) {
    let page = t.get(case, Some(c)).await;
    assert!(
        page.body
            .contains(&format!("name=\"action\" value=\"{action}\"")),
        "{action} is not offered"
    );
    let r = act(t, c, case, action, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    assert_eq!(r.location(), format!("{case}?done={action}"));
}

#[tokio::test]
async fn a_village_clerk_files_through_the_form_and_the_case_runs_to_its_certificates() {
    let t = TestApp::new().await;
    let village = t.login(Role::Village).await;
    let applicant = id(1);
    let spouse = id(501);

    // The form, generated from the procedure, with a key against double submits.
    let new = t.get("/homestead/new", Some(&village)).await;
    assert_eq!(new.status, StatusCode::OK);
    for text in [
        "申请人（户主）姓名",
        "家庭成员",
        "水浇地",
        "第八条",
        "豫海镇",
    ] {
        assert!(new.body.contains(text), "the form lacks {text}");
    }
    let key = hidden(&new.body, "client_key");
    assert!(key.len() >= 32);

    // 300 m² of irrigated land is over the cap: refused, everything typed kept.
    let mut typed = application(&applicant, &spouse, "300");
    typed.push(("client_key", key.clone()));
    let r = post_form(&t, "/homestead/new", &village, &pairs(&typed)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for kept in [
        "马小明",
        applicant.as_str(),
        spouse.as_str(),
        "李梅",
        "东至村道，西至马某宅，南至耕地，北至渠",
        "value=\"300\"",
        "value=\"106.12\"",
        "第七条",
        "宅基地面积不得超过",
        &key,
    ] {
        assert!(
            r.body.contains(kept),
            "{kept} missing from the refused form"
        );
    }
    assert!(r.body.contains("有1处需要修改"));
    assert!(
        r.body.contains("<option value=\"irrigated\" selected>"),
        "the land type stays chosen"
    );

    // A bad ID in the third member row comes back beside that row.
    let mut bad = application(&applicant, "640324199001011230", "200");
    bad.push(("client_key", key.clone()));
    let r = post_form(&t, "/homestead/new", &village, &pairs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第2人"), "{}", r.body);
    assert!(r.body.contains("640324199001011230"));

    // Accepted: 303 to the case page; the same form sent twice files one case.
    let mut good = application(&applicant, &spouse, "200");
    good.push(("client_key", key.clone()));
    let r = post_form(&t, "/homestead/new", &village, &pairs(&good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = r.location().to_owned();
    assert!(case.starts_with("/homestead/"), "{case}");
    let again = post_form(&t, "/homestead/new", &village, &pairs(&good)).await;
    assert_eq!(
        again.location(),
        case,
        "a double submit lands on the same case"
    );

    // The list.
    let list = t.get("/homestead", Some(&village)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("共1件"), "{}", list.body);
    for text in [
        "马小明",
        "王团村",
        "村民小组会议讨论",
        "新建申请",
        "导出台账（XLSX）",
        "/homestead/notices",
    ] {
        assert!(list.body.contains(text), "the list lacks {text}");
    }
    let filtered = t
        .get(
            "/homestead?state=public_notice&overdue=true",
            Some(&village),
        )
        .await;
    assert!(filtered.body.contains("共0件"));
    let bad_filter = t.get("/homestead?state=nope", Some(&village)).await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_filter.body.contains("状态“nope”不存在"));

    // The case page: the actions the clerk may take now, each with its clause.
    let page = t.get(&case, Some(&village)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "村民小组会议通过",
        "村民小组会议未通过",
        "第九条",
        "办理记录",
        "提交申请",
        "第八条",
        "水浇地",
        "李梅 · 配偶",
    ] {
        assert!(page.body.contains(text), "the case page lacks {text}");
    }

    // An action that does not exist is refused on the page, not lost.
    let r = act(&t, &village, &case, "fly", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("办理事项“fly”不存在"), "{}", r.body);

    // A refused action keeps what was typed.
    let r = act(
        &t,
        &village,
        &case,
        "group_pass",
        &[("group_meeting_record", "全组同意")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("全组同意") && r.body.contains("请填写“村民小组会议日期”"));

    act_ok(
        &t,
        &village,
        &case,
        "group_pass",
        &[
            ("group_meeting_date", "2026-11-27"),
            ("group_meeting_record", "全组同意"),
        ],
    )
    .await;
    let done = t
        .get(&format!("{case}?done=group_pass"), Some(&village))
        .await;
    assert!(done.body.contains("已办理：村民小组会议通过"));
    act_ok(
        &t,
        &village,
        &case,
        "village_pass",
        &[
            ("villagers_meeting_date", "2026-11-28"),
            ("neighbours_opinion", "无异议"),
            ("notice_place", "王团村村务公开栏"),
        ],
    )
    .await;

    // The notice period runs: a deadline with its due date, and the next step blocked.
    let page = t.get(&case, Some(&village)).await;
    for text in [
        "公示期（不少于7个工作日）",
        "2026-12-08",
        "status-yellow",
        "公示中，还需7个工作日",
        "暂不能办理",
        "2026年12月8日起方可办理",
        "第十条",
    ] {
        assert!(page.body.contains(text), "the case page lacks {text}");
    }
    // Posted anyway (a stale page): 409, said plainly, with the current state.
    let r = act(
        &t,
        &village,
        &case,
        "notice_passed",
        &[("village_opinion", "同意")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("未满") && r.body.contains("公示中"));

    // The public sees the notice without logging in: the name masked, no ID number.
    let public = t.get("/homestead/notices", None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("马*明"), "{}", public.body);
    assert!(public.body.contains("王团村村务公开栏") && public.body.contains("水浇地"));
    assert!(public.body.contains("第十条"));
    assert!(!public.body.contains("马小明"));
    assert!(!public.body.contains(&applicant[..14]));

    // Someone else acted first: a form with the old version is refused, plainly.
    on(&t, 2026, 12, 8);
    let village = t.login(Role::Village).await; // (the old session idled out)
    // The sweep tells the village the notice has run: a reminder on its workbench.
    let report = t.app.sweep(t.clock.today()).await.unwrap();
    assert_eq!(report.notice_ended, 1);
    let wb = t.get("/workbench", Some(&village)).await;
    for text in [
        "时限提醒",
        "公示期满",
        "status-green",
        "已于2026年12月8日届满",
        "第十条",
        &case,
    ] {
        assert!(wb.body.contains(text), "the workbench lacks {text}");
    }
    let page = t.get(&case, Some(&village)).await;
    let old_version = hidden(&page.body, "version");
    act_ok(
        &t,
        &village,
        &case,
        "notice_passed",
        &[("village_opinion", "同意上报")],
    )
    .await;
    let r = post_form(
        &t,
        &format!("{case}/actions"),
        &village,
        &[
            ("action", "notice_passed"),
            ("version", &old_version),
            ("village_opinion", "同意上报"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("已被他人办理"), "{}", r.body);
    assert!(r.body.contains("待乡镇受理"));

    // The township accepts and approves; the approval issues two numbered certificates.
    let township = t.login(Role::Township).await;
    act_ok(&t, &township, &case, "accept", &[]).await;
    act_ok(
        &t,
        &township,
        &case,
        "approve",
        &[
            ("review_opinion", "符合规划和面积标准，同意"),
            ("site_plan_coordinates.lon", "106.1201"),
            ("site_plan_coordinates.lat", "36.9802"),
        ],
    )
    .await;
    let page = t.get(&case, Some(&township)).await;
    assert!(page.body.contains("宅批〔2026〕0001号") && page.body.contains("乡字〔2026〕0001号"));
    assert!(page.body.contains("第十二条"));
    let cert = t
        .get(
            &format!("{case}/documents/homestead_approval"),
            Some(&township),
        )
        .await;
    assert_eq!(cert.status, StatusCode::OK);
    for text in [
        "农村宅基地批准书",
        "宅批〔2026〕0001号",
        "2026年12月8日",
        "马小明",
        "同心县豫海镇王团村三组",
        "水浇地",
        "200",
        "第十二条",
        "本页内容取自案件",
        "同心县豫海镇人民政府",
        "/static/print.js",
    ] {
        assert!(cert.body.contains(text), "the certificate lacks {text}");
    }
    let by_number = t
        .get(
            &format!(
                "{case}/documents/{}",
                tongxin_web::cite::segment("乡字〔2026〕0001号")
            ),
            Some(&township),
        )
        .await;
    assert!(by_number.body.contains("乡村建设规划许可证"));
    let none = t
        .get(
            &format!("{case}/documents/acceptance_form"),
            Some(&township),
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);

    // The ledger: an XLSX workbook named in Chinese.
    let x = t
        .get(
            "/homestead/ledger.xlsx?township=%E8%B1%AB%E6%B5%B7%E9%95%87",
            Some(&township),
        )
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(
        x.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let cd = x.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(cd.starts_with("attachment; filename=\"homestead-ledger-2026-12-08.xlsx\""));
    assert!(cd.contains("filename*=UTF-8''%E5%90%8C%E5%BF%83"), "{cd}");
    assert!(x.body.starts_with("PK"), "an XLSX file is a zip");
}

#[tokio::test]
async fn roles_that_do_not_file_are_told_who_files() {
    let t = TestApp::new().await;
    for role in [Role::Township, Role::Department, Role::CountyLeader] {
        let c = t.login(role).await;
        let r = t.get("/homestead/new", Some(&c)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert!(r.body.contains("需要申请人或村"), "{}", r.body);
        let list = t.get("/homestead", Some(&c)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            !list.body.contains("新建申请"),
            "{role:?} is offered no form"
        );
    }
}

#[tokio::test]
async fn an_applicant_chooses_the_township_and_is_told_when_none_is_chosen() {
    let t = TestApp::new().await;
    let me = t.login(Role::Applicant).await;
    let new = t.get("/homestead/new", Some(&me)).await;
    assert!(new.body.contains("name=\"township\""));
    let key = hidden(&new.body, "client_key");
    let mut typed = application(&id(7), &id(507), "150");
    typed.push(("client_key", key));
    let r = post_form(&t, "/homestead/new", &me, &pairs(&typed)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请选择“所在乡镇”"));
    assert!(r.body.contains("马小明"));
    typed.push(("township", "豫海镇".into()));
    let r = post_form(&t, "/homestead/new", &me, &pairs(&typed)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The applicant's workbench has no unit inbox but links to the cases.
    let wb = t.get("/workbench", Some(&me)).await;
    assert!(wb.body.contains("时限提醒") && wb.body.contains("href=\"/homestead\""));
}

#[tokio::test]
async fn the_leaders_see_names_masked_and_administrators_do_not_see_cases() {
    let t = TestApp::new().await;
    let village = t.login(Role::Village).await;
    let new = t.get("/homestead/new", Some(&village)).await;
    let mut typed = application(&id(9), &id(509), "120");
    typed.push(("client_key", hidden(&new.body, "client_key")));
    let r = post_form(&t, "/homestead/new", &village, &pairs(&typed)).await;
    let case = r.location().to_owned();
    let leader = t.login(Role::CountyLeader).await;
    let page = t.get(&case, Some(&leader)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("马*明") && !page.body.contains("马小明"));
    assert!(!page.body.contains(&id(9)));
    assert!(page.body.contains("没有您的角色可以办理的事项"));
    let list = t.get("/homestead", Some(&leader)).await;
    assert!(list.body.contains("已按您的角色脱敏"));
    let admin = t.login(Role::SystemAdmin).await;
    let wb = t.get("/workbench", Some(&admin)).await;
    assert!(
        !wb.body.contains("href=\"/homestead\""),
        "no link to a page they may not open"
    );
}
