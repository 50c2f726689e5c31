//! The binary as an operator uses it: creating users, printing demo accounts, verifying the
//! audit trail, and serving.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

fn tongxin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tongxin"));
    c.env_remove("TONGXIN_DB")
        .env_remove("TONGXIN_CONFIG")
        .env("TONGXIN_LOG", "warn");
    c
}

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = tongxin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_bad_fields_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let (code, out, err) = run(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "admin",
            "--role",
            "system_admin",
            "--unit",
            "同心县人民政府办公室",
        ],
        "Tongxin-2026!\n",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("已创建用户 admin（系统管理员，同心县人民政府办公室）"),
        "{out}"
    );

    let (code, _, err) = run(
        &[
            "user",
            "add",
            "--db",
            &db,
            "--username",
            "clerk",
            "--role",
            "镇长",
            "--unit",
            "火星镇",
        ],
        "short\n",
    );
    assert_eq!(code, 2);
    for expected in [
        "role：角色“镇长”不存在",
        "unit：单位“火星镇”不在组织机构目录中",
        "password：密码长度不能少于10个字符",
    ] {
        assert!(err.contains(expected), "{expected} not in {err}");
    }
}

#[test]
fn audit_verify_exits_non_zero_naming_an_edited_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    for name in ["admin", "clerk"] {
        let (code, out, err) = run(
            &[
                "user",
                "add",
                "--db",
                &db,
                "--username",
                name,
                "--role",
                "township",
                "--unit",
                "豫海镇",
            ],
            "Tongxin-2026!\n",
        );
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, out, _) = run(&["audit", "verify", "--db", &db], "");
    assert_eq!(code, 0);
    // The directory sync, the plans published as tasks, and the two users.
    assert!(out.contains("审计链完整：已校验4条记录"), "{out}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = tongxin_store::Store::connect(&db).await.unwrap();
        store
            .execute_raw("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2")
            .await
            .unwrap();
        store.close().await;
    });
    let (code, _, err) = run(&["audit", "verify", "--db", &db], "");
    assert_eq!(code, 1);
    assert!(err.contains("第2条审计记录的内容与其哈希不符"), "{err}");
}

#[test]
fn serve_demo_answers_health_and_prints_its_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let mut child = tongxin()
        .args([
            "serve",
            "--demo",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--today",
            "2024-02-09",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200"),
        "{reply}"
    );

    let (code, out, err) = run(&["demo", "accounts", "--db", &db], "");
    assert_eq!(code, 0, "{err}");
    let accounts: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    // One per role, the government-investment project's three departments, the units that
    // enter indicators and tax data (生态环境分局, 税务局), the investment-promotion centre and
    // a chain chief (凌镇).
    assert_eq!(accounts.len(), 16);
    let roles: std::collections::BTreeSet<&str> = accounts
        .iter()
        .map(|a| a["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 9, "every role");
    for (user, unit) in [
        ("demo-builder", "同心县交通运输局"),
        ("demo-reform", "同心县发展和改革局"),
        ("demo-finance", "同心县财政局"),
        ("demo-invest", "同心县投资促进服务中心"),
    ] {
        assert!(
            accounts
                .iter()
                .any(|a| a["username"] == user && a["unit"] == unit),
            "{user} on {unit}: {accounts:?}"
        );
    }
    for a in &accounts {
        for key in ["username", "password", "role", "unit"] {
            assert!(a[key].as_str().is_some_and(|v| !v.is_empty()), "{a}");
        }
    }

    // A demo database is never opened as production, nor the reverse.
    let prod = format!("sqlite://{}", dir.path().join("prod.db").display());
    run(
        &[
            "user",
            "add",
            "--db",
            &prod,
            "--username",
            "admin",
            "--role",
            "system_admin",
            "--unit",
            "同心县人民政府办公室",
        ],
        "Tongxin-2026!\n",
    );
    let (code, _, err) = run(
        &["serve", "--demo", "--db", &prod, "--listen", "127.0.0.1:0"],
        "",
    );
    assert_ne!(code, 0);
    assert!(err.contains("演示数据不得混入生产数据库"), "{err}");
}

#[test]
fn calendar_answers_the_documented_examples() {
    for (args, expected) in [
        (vec!["calendar", "is-workday", "2024-02-04"], "true\n"),
        (
            vec!["calendar", "add-workdays", "2024-02-05", "5"],
            "2024-02-18\n",
        ),
        (
            vec!["calendar", "period", "2024-01-31", "1m"],
            "2024-02-29\n",
        ),
        (
            vec!["calendar", "dekad", "2024-02-25"],
            "2024年2月下旬 2024-02-21 2024-02-29\n",
        ),
        (
            vec![
                "calendar",
                "--region",
                "ningxia",
                "is-workday",
                "2019-06-05",
            ],
            "false\n",
        ),
    ] {
        let (code, out, err) = run(&args, "");
        assert_eq!((code, out.as_str()), (0, expected), "{args:?}: {err}");
    }
}

#[test]
fn a_year_the_calendar_does_not_cover_exits_2_naming_it() {
    let (code, out, err) = run(&["calendar", "add-workdays", "2026-12-30", "5"], "");
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("2027年"), "{err}");
    let (code, _, err) = run(
        &[
            "calendar",
            "--region",
            "ningxia",
            "add-workdays",
            "2024-04-08",
            "3",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        err.contains("宁夏回族自治区2024年节假日安排未录入"),
        "{err}"
    );
}

#[test]
fn calendar_batch_mode_answers_one_line_per_query() {
    let input = "add-workdays 2024-02-05 5\nis-workday 2027-01-01\nis-workday 2024-02-04\n";
    let (code, out, _) = run(&["calendar", "--stdin"], input);
    assert_eq!(code, 2, "one line failed");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "2024-02-18");
    assert!(lines[1].starts_with("error: ") && lines[1].contains("2027"));
    assert_eq!(lines[2], "true");
}

#[test]
fn policy_status_shows_d4_lapsed_and_its_rules() {
    let (code, out, _) = run(&["policy", "status", "--today", "2026-11-29"], "");
    assert_eq!(code, 0);
    let d4 = out
        .lines()
        .find(|l| l.starts_with("同政办规发〔2023〕5号"))
        .unwrap();
    assert!(d4.contains("已失效（试行期已于2026-01-12届满"), "{d4}");
    assert!(out.contains("gov_investment.approval.full_path_threshold"));
    let (_, out, _) = run(&["policy", "lint"], "");
    assert!(
        out.contains("第九条之二") && out.contains("17") && out.contains("21"),
        "{out}"
    );
}

#[test]
fn calendar_add_regional_enters_a_year_into_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let (code, out, err) = run(
        &[
            "calendar",
            "add-regional",
            "--db",
            &db,
            "--year",
            "2024",
            "--notice",
            "宁夏2024年节假日通知",
            "--off",
            "2024-04-10:开斋节,2024-04-11",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2024年地方节假日：放假2天"), "{out}");
    let (_, out, err) = run(
        &[
            "calendar",
            "--region",
            "ningxia",
            "--db",
            &db,
            "add-workdays",
            "2024-04-09",
            "1",
        ],
        "",
    );
    assert_eq!(out, "2024-04-12\n", "{err}");
    let (code, _, err) = run(
        &[
            "calendar",
            "add-regional",
            "--db",
            &db,
            "--year",
            "2024",
            "--notice",
            "x",
            "--workdays",
            "2024-04-10",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("extra_workdays"), "{err}");
}

#[test]
fn doc_parse_prints_the_outline_and_json_of_the_seed() {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/tongxin/source/d6-temporary-land.txt"
    );
    let (code, out, err) = run(&["doc", "parse", seed], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("同政办规发〔2023〕7号") && out.contains("第二十七条"),
        "{out}"
    );
    let (code, out, _) = run(&["doc", "parse", seed, "--json"], "");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["number"], "同政办规发〔2023〕7号");
    assert_eq!(doc["date"], "2023-12-28");
    assert!(
        doc["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["unit"] == "workdays" && d["amount"] == 20)
    );
    // Text without a 文号 is still read, with what is missing reported for an official.
    let (code, out, _) = run(&["doc", "parse", "-"], "这不是一份文件。");
    assert_eq!(code, 0);
    assert!(out.contains("未找到文号"), "{out}");
    let (code, out, _) = run(&["doc", "parse", "-"], "");
    assert_eq!(code, 2, "nothing to read: {out}");
}

#[test]
fn sweep_reports_what_it_found_and_refuses_a_bad_date_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let (code, out, err) = run(&["sweep", "--db", &db, "--today", "2024-03-05"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2024-03-05 时限巡查：检查0项，预警0项，逾期0项"),
        "{out}"
    );
    let (code, _, err) = run(&["sweep", "--db", &db, "--today", "2024-13-01"], "");
    assert_ne!(code, 0);
    assert!(err.contains("不是有效日期"), "{err}");
}
