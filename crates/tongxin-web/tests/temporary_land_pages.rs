//! 临时用地's pages: the list with its warning filters, the case page with the site against the
//! layers, the printable 公示牌 (第二十一条), the public approval information (第二十三条), the
//! layers page, the department's dishonesty list (第二十四条) and the XLSX ledger.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::cases::{on, step};
use support::temporary_land::{application, approved_on, file};
use support::{Client, TestApp};
use tongxin_domain::Role;

fn form(c: &Client, pairs: &[(&str, &str)]) -> String {
    let mut all = vec![("csrf", c.csrf.as_str())];
    all.extend_from_slice(pairs);
    serde_urlencoded::to_string(all).unwrap()
}

#[tokio::test]
async fn the_pages_of_a_site_from_application_to_its_public_sign() {
    let t = TestApp::new().await;
    let dept = t.login(Role::Department).await;

    // Before any layer: the layers page says what is missing; the department may import.
    let page = t.get("/temporary-land/layers", Some(&dept)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("尚未导入") && page.body.contains("layer-import"));
    let leader = t.login(Role::CountyLeader).await;
    let page = t.get("/temporary-land/layers", Some(&leader)).await;
    assert!(
        !page.body.contains("layer-import"),
        "only 自然资源局 imports"
    );

    let (case, applicant, dept) = approved_on(&t, "p-1", (2024, 3, 1), 12).await;
    let id = case["id"].as_i64().unwrap();
    let page = t.get("/temporary-land/layers", Some(&dept)).await;
    assert!(page.body.contains("测试图层（手绘方块）") && !page.body.contains("尚未导入："));
    // The five temporary-land layers are in; the homestead layout layer is said to be missing.
    assert!(page.body.contains("尚未导入宅基地布局区"), "{}", page.body);
    assert!(!page.body.contains("已被替换的图层"));
    // A second import replaces the first, which stays on record.
    support::land::import_layers(&t, &dept).await;
    let page = t.get("/temporary-land/layers", Some(&dept)).await;
    assert!(page.body.contains("已被替换的图层"));

    // The case page: the site, its area and each layer's finding, the clauses linked.
    let page = t.get(&format!("/temporary-land/{id}"), Some(&dept)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "用地范围与保护图层",
        "15.00亩",
        "不重叠",
        "id=\"site-map\"",
        "/static/leaflet.js",
        "第五条",
        "第六条",
        "临时用地公示牌",
    ] {
        assert!(page.body.contains(text), "case page lacks {text}");
    }

    // The sign prints once the site is approved; after registration it carries every field
    // 第二十一条 names, the supervision phone included.
    let sign = t
        .get(&format!("/temporary-land/{id}/sign"), Some(&dept))
        .await;
    assert_eq!(sign.status, StatusCode::OK, "{}", sign.body);
    let case = step(
        &t,
        &dept,
        &case,
        "register",
        json!({"system_number": "640324-2024-LS-0003", "supervision_phone": "0953-8021234"}),
    )
    .await;
    assert_eq!(case["state"], "in_use");
    let sign = t
        .get(&format!("/temporary-land/{id}/sign"), Some(&applicant))
        .await;
    for text in [
        "临时用地公示牌",
        "宁夏某路桥工程有限公司",
        "王工",
        "13800001234",
        "豫海镇王团村",
        "平方米（15.00亩）",
        "其他土地15.00亩",
        "施工营地、材料堆场等一般临时设施",
        "12个月",
        "临批〔2024〕",
        "0953-8021234",
        "第二十一条",
    ] {
        assert!(sign.body.contains(text), "sign lacks {text}: {}", sign.body);
    }

    // The public approval information: no login, the enterprise named, no phone.
    let public = t.get("/temporary-land/public", None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert!(public.body.contains("G109线同心段改建工程") && public.body.contains("临批〔2024〕"));
    assert!(public.body.contains("宁夏某路桥工程有限公司"));
    assert!(!public.body.contains("13800001234") && !public.body.contains("王工"));

    // A site not approved yet is not published, and has no sign to print.
    on(&t, 2024, 3, 5);
    let applicant = t.login(Role::Applicant).await;
    let r = file(&t, &applicant, application(false, 6), "p-2").await;
    let pending = r.json();
    let public = t.get("/temporary-land/public", None).await;
    assert!(!public.body.contains(pending["number"].as_str().unwrap()));
    let dept = t.login(Role::Department).await;
    let sign = t
        .get(
            &format!("/temporary-land/{}/sign", pending["id"]),
            Some(&dept),
        )
        .await;
    assert_eq!(sign.status, StatusCode::CONFLICT, "{}", sign.body);
    assert!(sign.body.contains("尚未批准"));

    // The list: the department sees both, with the area; the warning filter narrows it.
    let list = t.get("/temporary-land", Some(&dept)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(case["number"].as_str().unwrap()));
    assert!(list.body.contains(pending["number"].as_str().unwrap()));
    assert!(list.body.contains("15.00") && list.body.contains("30日内期满"));
    let expiring = t.get("/temporary-land?alert=expiring", Some(&dept)).await;
    assert!(!expiring.body.contains(case["number"].as_str().unwrap()));
    on(&t, 2025, 2, 20);
    let dept = t.login(Role::Department).await;
    let expiring = t.get("/temporary-land?alert=expiring", Some(&dept)).await;
    assert!(expiring.body.contains(case["number"].as_str().unwrap()));
    assert!(!expiring.body.contains(pending["number"].as_str().unwrap()));

    // The sweep's warnings reach the department's 工作台, linked to the site's page.
    on(&t, 2025, 2, 26);
    t.app
        .sweep(chrono::NaiveDate::from_ymd_opt(2025, 2, 26).unwrap())
        .await
        .unwrap();
    let dept = t.login(Role::Department).await;
    let bench = t.get("/workbench", Some(&dept)).await;
    assert!(
        bench
            .body
            .contains(&format!("href=\"/temporary-land/{id}\"")),
        "{}",
        bench.body
    );
    assert!(bench.body.contains("第十五条") && bench.body.contains("临时用地"));

    // The ledger downloads as a workbook named for the procedure.
    let x = t
        .get("/temporary-land/ledger.xlsx?alert=expiring", Some(&dept))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let cd = x.headers["content-disposition"].to_str().unwrap();
    assert!(cd.contains("temporary-land-ledger-2025-02-26.xlsx"), "{cd}");
    assert!(x.body.starts_with("PK"));
}

#[tokio::test]
async fn the_department_keeps_the_dishonesty_list_on_its_page() {
    let t = TestApp::new().await;
    on(&t, 2024, 3, 4);
    let dept = t.login(Role::Department).await;
    let bad = form(
        &dept,
        &[
            ("subject_kind", "enterprise"),
            ("subject", "914403001922038217"),
            ("name", "宁夏某路桥工程有限公司"),
            ("reason", "擅自改变用途，逾期未改正"),
            ("decision", "同自然资罚〔2024〕1号"),
            ("decided_on", "2024-03-01"),
        ],
    );
    let r = t
        .request(
            Method::POST,
            "/temporary-land/dishonesty",
            Some(&dept),
            Some(("application/x-www-form-urlencoded", bad)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("校验位"),
        "the credit code check digit is named: {}",
        r.body
    );
    assert!(
        r.body.contains("擅自改变用途，逾期未改正"),
        "what was typed is kept"
    );
    let good = form(
        &dept,
        &[
            ("subject_kind", "enterprise"),
            ("subject", support::temporary_land::CREDIT_CODE),
            ("name", "宁夏某路桥工程有限公司"),
            ("reason", "擅自改变用途，逾期未改正"),
            ("decision", "同自然资罚〔2024〕1号"),
            ("decided_on", "2024-03-01"),
        ],
    );
    let r = t
        .request(
            Method::POST,
            "/temporary-land/dishonesty",
            Some(&dept),
            Some(("application/x-www-form-urlencoded", good)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location(), Some(&dept)).await;
    assert!(page.body.contains("已列入失信名单") && page.body.contains("2029-02-28"));
    assert!(page.body.contains("限制期内"));
    let public = t.get("/temporary-land/public", None).await;
    assert!(public.body.contains("同自然资罚〔2024〕1号"));
    // Others may not open it.
    let township = t.login(Role::Township).await;
    let r = t.get("/temporary-land/dishonesty", Some(&township)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
