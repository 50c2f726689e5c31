//! The store's story: what every backend must do the same way. Runs on SQLite always and on
//! PostgreSQL when a server answers (always in CI).

use chrono::{DateTime, Duration, TimeZone, Utc};
use tongxin_domain::audit::ChainBreak;
use tongxin_store::testing::TestDb;
use tongxin_store::{AuditDraft, AuditFilter, NewUser, Store, StoreError, UnitRow, UserFilter};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap()
}

fn unit(id: &str, parent: Option<&str>, kind: &str, aliases: &[&str]) -> UnitRow {
    UnitRow {
        id: id.into(),
        name: format!("{id}-name"),
        short_name: id.into(),
        kind: kind.into(),
        parent_id: parent.map(Into::into),
        division_code: None,
        internal_code: None,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

fn draft<'a>(object: &'a str) -> AuditDraft<'a> {
    AuditDraft {
        actor: "admin",
        role: "system_admin",
        unit: "county",
        action: "create",
        object,
        summary: "{}".into(),
        client_ip: "127.0.0.1",
    }
}

async fn seed_units(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    tx.sync_units(&[
        unit("county", None, "county", &[]),
        unit("twp-yuhai", Some("county"), "township", &["豫海"]),
        unit("vil-a", Some("twp-yuhai"), "village", &[]),
        unit("dept-nr", Some("county"), "department", &["自然资源局"]),
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn story(store: &Store) {
    // Units are seeded, and syncing again is idempotent.
    seed_units(store).await;
    seed_units(store).await;
    assert_eq!(store.unit_count().await.unwrap(), 4);
    assert!(store.unit_exists("vil-a").await.unwrap());

    // Users: insert, find, unique usernames, unknown units refused.
    let mut tx = store.begin().await.unwrap();
    let clerk = NewUser {
        username: "clerk",
        display_name: "马明",
        password_hash: "$argon2id$stub",
        role: "township",
        unit_id: "twp-yuhai",
        is_demo: false,
    };
    let id = tx.insert_user(&clerk, t0()).await.unwrap();
    tx.append_audit(draft("user:clerk"), t0()).await.unwrap();
    tx.commit().await.unwrap();
    let u = store.user_by_username("clerk").await.unwrap().unwrap();
    assert_eq!(
        (u.id, u.unit_id.as_str(), u.active, u.version),
        (id, "twp-yuhai", true, 1)
    );

    let mut tx = store.begin().await.unwrap();
    match tx.insert_user(&clerk, t0()).await {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("a second 'clerk' must conflict, got {other:?}"),
    }
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    let nowhere = NewUser {
        username: "ghost",
        unit_id: "nowhere",
        ..clerk.clone()
    };
    assert!(matches!(
        tx.insert_user(&nowhere, t0()).await,
        Err(StoreError::Conflict { .. })
    ));
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    let vil = NewUser {
        username: "villager",
        unit_id: "vil-a",
        role: "village",
        ..clerk.clone()
    };
    let vid = tx.insert_user(&vil, t0()).await.unwrap();
    let dept = NewUser {
        username: "nr",
        unit_id: "dept-nr",
        role: "department",
        ..clerk.clone()
    };
    tx.insert_user(&dept, t0()).await.unwrap();
    tx.commit().await.unwrap();

    // Lists filter by units and by user, and paginate.
    let all = UserFilter {
        limit: 50,
        ..Default::default()
    };
    assert_eq!(store.list_users(&all).await.unwrap().1, 3);
    let township = UserFilter {
        units: Some(vec!["twp-yuhai".into(), "vil-a".into()]),
        limit: 1,
        offset: 1,
        ..Default::default()
    };
    let (page, total) = store.list_users(&township).await.unwrap();
    assert_eq!(
        (page.len(), total, page[0].username.as_str()),
        (1, 2, "villager")
    );
    let own = UserFilter {
        user_id: Some(vid),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.list_users(&own).await.unwrap().1, 1);
    let none = UserFilter {
        units: Some(vec![]),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.list_users(&none).await.unwrap().1, 0);

    // Failed logins count up and lock at the threshold.
    for attempt in 1..=5 {
        let mut tx = store.begin().await.unwrap();
        let (count, locked) = tx
            .record_failed_login(id, 5, t0() + Duration::minutes(15), t0())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((count, locked), (attempt, attempt == 5));
    }
    let u = store.user_by_id(id).await.unwrap().unwrap();
    assert_eq!(
        (u.failed_logins, u.locked_until),
        (0, Some(t0() + Duration::minutes(15)))
    );
    let mut tx = store.begin().await.unwrap();
    tx.clear_failed_logins(id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store.user_by_id(id).await.unwrap().unwrap().locked_until,
        None
    );

    // Sessions: created, found, touched, expired by idleness.
    let mut tx = store.begin().await.unwrap();
    tx.insert_session("h1", id, "csrf1", "127.0.0.1", t0())
        .await
        .unwrap();
    tx.insert_session("h2", vid, "csrf2", "127.0.0.1", t0())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let s = store.session("h1").await.unwrap().unwrap();
    assert_eq!((s.user_id, s.csrf_token.as_str()), (id, "csrf1"));
    store
        .touch_session("h1", t0() + Duration::minutes(20))
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.delete_idle_sessions(t0() + Duration::minutes(10))
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    assert!(store.session("h2").await.unwrap().is_none());
    assert!(store.session("h1").await.unwrap().is_some());

    // Optimistic concurrency: the second of two edits at the same version is refused, and
    // disabling a user ends their sessions.
    let mut tx = store.begin().await.unwrap();
    tx.set_user_active(id, false, 1, t0()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.set_user_active(id, true, 1, t0()).await,
        Err(StoreError::StaleVersion)
    ));
    drop(tx);
    assert!(store.session("h1").await.unwrap().is_none());

    // Settings.
    let mut tx = store.begin().await.unwrap();
    tx.set_meta("mode", "demo").await.unwrap();
    tx.set_meta("mode", "production").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store.meta("mode").await.unwrap().as_deref(),
        Some("production")
    );
    assert_eq!(store.meta("absent").await.unwrap(), None);

    // Demo accounts.
    let mut tx = store.begin().await.unwrap();
    tx.insert_demo_account("demo-a", "Pw-123456789")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.demo_accounts().await.unwrap().len(), 1);

    // Concurrent audit appends stay one unbroken chain.
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let object = format!("user:{i}");
            let mut tx = store.begin().await.unwrap();
            tx.append_audit(draft(&object), t0()).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.verify_audit().await.unwrap(), Ok(17));
    let page = store
        .audit_page(&AuditFilter {
            limit: 5,
            before_id: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|e| e.id).collect::<Vec<_>>(),
        [9, 8, 7, 6, 5]
    );
    let by_action = AuditFilter {
        action: Some("login".into()),
        limit: 5,
        ..Default::default()
    };
    assert!(store.audit_page(&by_action).await.unwrap().is_empty());

    // A rolled-back transaction leaves no audit row.
    let mut tx = store.begin().await.unwrap();
    tx.append_audit(draft("user:rolled-back"), t0())
        .await
        .unwrap();
    drop(tx);
    assert_eq!(store.verify_audit().await.unwrap(), Ok(17));

    // Tampering is found and named: an edited row, a deleted row, deleted newest rows.
    store
        .execute_raw("UPDATE audit_log SET object = 'user:forged' WHERE id = 3")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap(),
        Err(ChainBreak::Edited { id: 3 })
    );
}

async fn tampering_by_deletion(store: &Store) {
    for i in 0..5 {
        let mut tx = store.begin().await.unwrap();
        tx.append_audit(draft(&format!("x:{i}")), t0())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // On PostgreSQL the entries may still wait for the sealer; the attacker edits sealed ones.
    store.seal_audit().await.unwrap();
    store
        .execute_raw("DELETE FROM audit_log WHERE id = 5")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap(),
        Err(ChainBreak::TailMissing {
            last_id: 4,
            head_id: 5
        })
    );
    store
        .execute_raw("DELETE FROM audit_log WHERE id = 2")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap(),
        Err(ChainBreak::Unlinked {
            id: 3,
            expected_prev_id: 1
        })
    );
}

#[tokio::test]
async fn every_backend_tells_the_same_story() {
    for db in TestDb::all().await {
        eprintln!("story on {}", db.store.backend().name());
        story(&db.store).await;
    }
}

#[tokio::test]
async fn every_backend_names_deleted_audit_rows() {
    for db in TestDb::all().await {
        tampering_by_deletion(&db.store).await;
    }
}

/// PostgreSQL seals entries after their transactions commit. What a stopped process left
/// pending is sealed by the next store to open the database, in the order it was written, and
/// any reading of the trail seals first, so a reader sees every committed entry.
#[tokio::test]
async fn postgres_seals_what_an_earlier_process_left_pending() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    for i in 0..3 {
        let mut tx = db.store.begin().await.unwrap();
        tx.append_audit(draft(&format!("before:{i}")), t0())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(db.store.verify_audit().await.unwrap(), Ok(3));
    // Two entries a process committed and stopped before sealing.
    db.store
        .execute_raw(
            "INSERT INTO audit_pending (at, actor, role, unit, action, object, summary, client_ip) VALUES \
             ('2024-02-05T00:00:00Z', 'u', 'r', 'd', 'a', 'left:1', '', ''), \
             ('2024-02-05T00:00:00Z', 'u', 'r', 'd', 'a', 'left:2', '', '')",
        )
        .await
        .unwrap();
    let next = Store::connect(&db.url).await.unwrap();
    let page = next
        .audit_page(&AuditFilter {
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.iter()
            .map(|e| (e.id, e.object.as_str()))
            .collect::<Vec<_>>(),
        [(5, "left:2"), (4, "left:1")]
    );
    assert_eq!(next.verify_audit().await.unwrap(), Ok(5));
    assert_eq!(next.seal_audit().await.unwrap(), 0, "nothing left to seal");
    next.close().await;
}

/// A verification running while writes go on sees an intact chain: it stops at the head it
/// read, so entries linked meanwhile never look like a broken tail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_verifies_while_writes_go_on() {
    for db in TestDb::all().await {
        let writing = {
            let store = db.store.clone();
            tokio::spawn(async move {
                for i in 0..200 {
                    let mut tx = store.begin().await.unwrap();
                    tx.append_audit(draft(&format!("busy:{i}")), t0())
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
            })
        };
        let mut verified = 0;
        while !writing.is_finished() {
            let n = db.store.verify_audit().await.unwrap();
            assert!(n.is_ok(), "{}: {n:?}", db.url);
            verified += 1;
        }
        writing.await.unwrap();
        assert_eq!(
            db.store.verify_audit().await.unwrap(),
            Ok(200),
            "{}",
            db.url
        );
        assert!(verified > 0);
    }
}

#[tokio::test]
async fn both_schemas_have_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await;
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let (a, b) = (
        sqlite.store.schema().await.unwrap(),
        pg.store.schema().await.unwrap(),
    );
    assert!(
        a.contains_key("users") && a.contains_key("audit_log"),
        "{a:?}"
    );
    assert_eq!(a, b);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync() {
    let db = TestDb::sqlite().await;
    let mode = db.store.pragma("journal_mode").await.unwrap();
    let sync = db.store.pragma("synchronous").await.unwrap();
    assert_eq!((mode.as_str(), sync.as_str()), ("wal", "2"));
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused_in_chinese() {
    let err = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("sqlite://"), "{err}");
}

#[tokio::test]
async fn every_backend_keeps_regional_holiday_years() {
    use chrono::NaiveDate;
    use tongxin_store::RegionalYearRow;
    let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
    for db in TestDb::all().await {
        let mut y = RegionalYearRow {
            region: "宁夏回族自治区".into(),
            year: 2024,
            notice: "宁政办发〔2023〕1号".into(),
            verified: true,
            entered_by: String::new(),
            entered_at: String::new(),
            extra_off: vec![(day(4, 10), Some("开斋节".into())), (day(6, 17), None)],
            extra_workdays: vec![(day(4, 7), None)],
        };
        let mut tx = db.store.begin().await.unwrap();
        tx.put_regional_year(&y, "admin", t0()).await.unwrap();
        tx.commit().await.unwrap();
        // Entering the year again replaces it.
        y.extra_off.pop();
        let mut tx = db.store.begin().await.unwrap();
        tx.put_regional_year(&y, "admin", t0()).await.unwrap();
        tx.commit().await.unwrap();
        let got = db.store.regional_years("宁夏回族自治区").await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].extra_off,
            vec![(day(4, 10), Some("开斋节".to_owned()))]
        );
        assert_eq!(got[0].extra_workdays, vec![(day(4, 7), None)]);
        assert_eq!(
            (got[0].entered_by.as_str(), got[0].verified),
            ("admin", true)
        );
        assert!(db.store.regional_years("别处").await.unwrap().is_empty());
    }
}
