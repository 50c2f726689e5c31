//! Nothing personal on any public page (issue 11): with a homestead application in its notice
//! (applicant, household members, ID numbers), a citizen report and a notice objection with
//! telephone numbers, and an individual on the dishonesty list, every page and public API the
//! public can reach — found by following links from the portal, without logging in — is
//! scanned for the ID numbers, the telephone numbers and the full names, and for anything
//! shaped like a resident ID or a mobile number.

use crate::support;

use std::collections::{BTreeSet, VecDeque};

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::TestApp;
use support::cases::{application, file, id, on, step};
use support::reports::{captcha, lodge};
use tongxin_domain::Role;
use tongxin_web::routes::{Access, ROUTES, Verb};

/// Runs of digits in `text` that read as a resident ID (17 digits and a digit or X, with a
/// valid check character) or a mainland mobile number (11 digits starting 13–19).
fn personal_numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let mut run: String = chars[start..i].iter().collect();
        if run.len() == 17 && i < chars.len() && (chars[i] == 'X' || chars[i] == 'x') {
            run.push('X');
        }
        let is_id = run.len() == 18
            && tongxin_domain::ids::resident_id_check_char(&run[..17])
                .is_some_and(|c| run.ends_with(c));
        let is_mobile =
            run.len() == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9');
        if is_id || is_mobile {
            out.push(run);
        }
    }
    out
}

/// The page without the captcha (a random picture and a signed token carry no personal data,
/// but their random digits could look like a number).
fn without_captcha(body: &str) -> String {
    let mut s = body.to_owned();
    while let (Some(a), Some(b)) = (s.find("<svg"), s.find("</svg>")) {
        if b < a {
            break;
        }
        s.replace_range(a..b + "</svg>".len(), "");
    }
    if let Some(a) = s.find("name=\"captcha_token\" value=\"") {
        let from = a + "name=\"captcha_token\" value=\"".len();
        if let Some(len) = s[from..].find('"') {
            s.replace_range(from..from + len, "");
        }
    }
    s
}

/// Public GET routes, and whether `path` is one of them (a concrete path against the patterns).
fn public_route(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    ROUTES.iter().any(|r| {
        r.method == Verb::Get && r.access == Access::Public && {
            let a: Vec<&str> = r.path.split('/').collect();
            let b: Vec<&str> = path.split('/').collect();
            a.len() == b.len()
                && a.iter()
                    .zip(&b)
                    .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
        }
    })
}

fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn no_public_page_shows_an_id_number_a_phone_number_or_a_full_name() {
    for t in TestApp::all().await {
        // A homestead application in its notice: 马小明 and 李梅 with their ID numbers.
        on(&t, 2026, 11, 30);
        let village = t.login(Role::Village).await;
        let r = file(&t, &village, application(11, "水浇地", 180.0, 1), "pub-1").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let case = r.json();
        let case = step(
            &t,
            &village,
            &case,
            "group_pass",
            json!({"group_meeting_date": "2026-11-30", "group_meeting_record": "同意"}),
        )
        .await;
        let case = step(&t, &village, &case, "village_pass", json!({"villagers_meeting_date": "2026-11-30", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"})).await;
        let number = case["number"].as_str().unwrap().to_owned();

        // A report with the reporter's phone; an objection with the objector's.
        let report = lodge(&t, "environment", "豫海镇").await;
        let receipt = report["receipt"].as_str().unwrap().to_owned();
        let (token, answer) = captcha(&t).await;
        let r = t
            .json(
                Method::POST,
                &format!("/api/v1/public/notices/{number}/objections"),
                None,
                &json!({ "objection": "西侧界址有争议，请核实四至", "contact": "13800951234", "captcha_token": token, "captcha_answer": answer }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        // An individual on the dishonesty list.
        let dept = t.login(Role::Department).await;
        let body = "64032419800101002";
        let listed_id = format!(
            "{body}{}",
            tongxin_domain::ids::resident_id_check_char(body).unwrap()
        );
        let r = t
            .json(
                Method::POST,
                "/api/v1/temporary-land/dishonesty",
                Some(&dept),
                &json!({ "subject_kind": "individual", "subject": listed_id, "name": "马大山", "reason": "破坏临时用地致无法复垦", "decision": "同自然资发〔2026〕3号", "decided_on": "2026-11-20" }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let secrets = [
            id(11),
            id(511),
            listed_id.clone(),
            "13909531234".to_owned(),
            "13800951234".to_owned(),
            "马小明".to_owned(),
            "李梅".to_owned(),
            "马大山".to_owned(),
        ];

        // Every public page reachable from the portal and the public routes without parameters,
        // and the pages their links lead to.
        let mut queue: VecDeque<String> = ROUTES
            .iter()
            .filter(|r| {
                r.method == Verb::Get && r.access == Access::Public && !r.path.contains('{')
            })
            .map(|r| r.path.to_owned())
            .collect();
        queue.push_back(format!("/public/report/follow?receipt={receipt}"));
        queue.push_back(format!("/api/v1/public/reports/{receipt}"));
        let mut seen = BTreeSet::new();
        let mut scanned = 0;
        while let Some(path) = queue.pop_front() {
            if !seen.insert(path.clone()) || seen.len() > 400 {
                continue;
            }
            if path.starts_with("/static/") || path == "/favicon.ico" {
                continue;
            }
            let r = t.get(&path, None).await;
            assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            let is_text = r
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("text/") || c.contains("json"));
            if !is_text {
                continue;
            }
            scanned += 1;
            let text = without_captcha(&r.body);
            for s in &secrets {
                assert!(!text.contains(s.as_str()), "{path} shows “{s}”");
            }
            let numbers = personal_numbers(&text);
            assert!(numbers.is_empty(), "{path} shows {numbers:?}");
            for l in links(&r.body) {
                if public_route(&l) && !seen.contains(&l) {
                    queue.push_back(l);
                }
            }
        }
        // The scan reached the pages that hold the data: the notice, its objection form, the
        // report's follow page, the dishonesty list, the public documents and their clauses.
        assert!(seen.contains("/homestead/notices"));
        assert!(seen.contains(&format!("/public/notices/{number}/objection")));
        assert!(
            seen.iter()
                .any(|p| p.starts_with("/policies/") && p.contains("/clauses/"))
        );
        assert!(seen.contains("/temporary-land/public"));
        // Progress of the campaign and the chains: targets and status, for everyone.
        let progress = t.get("/public/progress", None).await;
        assert_eq!(progress.status, StatusCode::OK);
        assert!(progress.body.contains("光伏") && progress.body.contains("百日攻坚行动"));
        assert!(scanned > 40, "only {scanned} pages scanned: {seen:?}");
        // Public pages may be cached for a minute; a form with a captcha never.
        let cc = |r: &support::Reply| {
            r.headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(
            cc(&t.get("/homestead/notices", None).await),
            "public, max-age=60"
        );
        assert_eq!(cc(&t.get("/public/report", None).await), "no-store");
        // And the masked forms are what the public sees.
        let notices = t.get("/homestead/notices", None).await;
        assert!(notices.body.contains("马*明"));
        let listing = t.get("/api/v1/public/dishonesty", None).await;
        assert!(listing.body.contains("马*山"), "{}", listing.body);
    }
}

#[test]
fn the_scanner_finds_ids_and_mobiles_but_not_other_numbers() {
    let body = "64032419800101002";
    let idn = format!(
        "{body}{}",
        tongxin_domain::ids::resident_id_check_char(body).unwrap()
    );
    assert_eq!(personal_numbers(&format!("身份证{idn}。")), vec![idn]);
    assert_eq!(personal_numbers("电话13909531234，"), ["13909531234"]);
    assert!(
        personal_numbers("受理编号JB20261203，面积180平方米，2026-12-01，12345678901").is_empty()
    );
    assert!(personal_numbers("20261203100000123").is_empty());
}
