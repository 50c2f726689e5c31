//! Cases as stored, on every backend: insert and read back, one case per client key, the
//! version check, append-only events numbered per case, deadlines with pauses, document
//! sequences, the sweep's query and inboxes that hold one message per deadline and kind.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tongxin_store::testing::TestDb;
use tongxin_store::{
    AuditDraft, AuditFilter, CaseDocumentRow, CaseFilter, DeadlineRow, EventRow, NewCase, NewUser,
    Store, StoreError, Tx, UnitRow,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 5, 1, 0, 0).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn unit(id: &str, parent: Option<&str>, kind: &str) -> UnitRow {
    UnitRow {
        id: id.into(),
        name: id.into(),
        short_name: id.into(),
        kind: kind.into(),
        parent_id: parent.map(Into::into),
        division_code: None,
        internal_code: None,
        aliases: vec![],
    }
}

fn new_case<'a>(number: &'a str, key: &'a str, user: i64, unit: &'a str) -> NewCase<'a> {
    NewCase {
        procedure: "homestead",
        number,
        state: "group_meeting",
        unit_id: unit,
        township_id: "twp",
        village: "王团村",
        applicant_name: "马小明",
        household_key: "640324199001011234",
        data: "{}",
        created_by: user,
        client_key: key,
    }
}

fn deadline(case_id: i64, due: Option<NaiveDate>) -> DeadlineRow {
    DeadlineRow {
        id: 0,
        case_id,
        deadline: "papers_review".into(),
        kind: "within".into(),
        status: "running".into(),
        started_on: d(2024, 2, 5),
        due_on: due,
        amount: 10,
        unit: "workdays".into(),
        pauses: "[]".into(),
        citation: "同政办规发〔2023〕6号 第十七条".into(),
        rule_citation: "同政办规发〔2023〕6号 第十七条".into(),
        responsible: "twp".into(),
        met_on: None,
        warned_on: None,
        overdue_on: None,
        extended_months: 0,
        extensions: 0,
        opens_on: None,
    }
}

fn event(case_id: i64, seq: i64) -> EventRow {
    EventRow {
        case_id,
        seq,
        at: "2024-02-05T01:00:00.000Z".into(),
        actor: "clerk".into(),
        role: "village".into(),
        unit: "vil".into(),
        action: "submit".into(),
        from_state: "drafting".into(),
        to_state: "group_meeting".into(),
        comment: String::new(),
        data: "{}".into(),
        clauses: "[]".into(),
        policy_version: "abc".into(),
    }
}

/// Three units, a village clerk, and one case filed by them with its first event.
async fn seed_case(store: &Store) -> (i64, i64) {
    let mut tx = store.begin().await.unwrap();
    tx.sync_units(&[
        unit("county", None, "county"),
        unit("twp", Some("county"), "township"),
        unit("vil", Some("twp"), "village"),
    ])
    .await
    .unwrap();
    let user = tx
        .insert_user(
            &NewUser {
                username: "clerk",
                display_name: "马明",
                password_hash: "$argon2id$stub",
                role: "village",
                unit_id: "vil",
                is_demo: false,
            },
            t0(),
        )
        .await
        .unwrap();
    let id = tx
        .insert_case(&new_case("宅2024-000001", "k1", user, "vil"), t0())
        .await
        .unwrap();
    tx.insert_event(&event(id, 1)).await.unwrap();
    tx.commit().await.unwrap();
    (user, id)
}

async fn story(store: &Store) {
    let (user, id) = seed_case(store).await;

    // One case per user and client key.
    let mut tx = store.begin().await.unwrap();
    match tx
        .insert_case(&new_case("宅2024-000002", "k1", user, "vil"), t0())
        .await
    {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("a second case under key k1 must conflict, got {other:?}"),
    }
    drop(tx);
    let found = store.case_by_client_key(user, "k1").await.unwrap().unwrap();
    assert_eq!((found.id, found.version), (id, 1));

    // Events are numbered per case, once. (On SQLite the insert is held back and its failure
    // reported by the commit.)
    let mut tx = store.begin().await.unwrap();
    let r = tx.insert_event(&event(id, 1)).await;
    assert!(matches!(
        through_commit(tx, r).await,
        Err(StoreError::Conflict { .. })
    ));

    // A transition checks the version.
    let mut tx = store.begin().await.unwrap();
    tx.update_case(
        id,
        1,
        "village_review",
        r#"{"a":1}"#,
        "马小明",
        "王团村",
        t0(),
    )
    .await
    .unwrap();
    tx.insert_event(&event(id, 2)).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let r = tx
        .update_case(id, 1, "public_notice", "{}", "", "", t0())
        .await;
    assert!(matches!(
        through_commit(tx, r).await,
        Err(StoreError::StaleVersion)
    ));
    let c = store.case_by_id(id).await.unwrap().unwrap();
    assert_eq!((c.state.as_str(), c.version), ("village_review", 2));
    assert_eq!(store.case_events(id).await.unwrap().len(), 2);

    // Sequences count per name from 1.
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.next_sequence("doc:宅批:2024").await.unwrap(), 1);
    assert_eq!(tx.next_sequence("doc:宅批:2024").await.unwrap(), 2);
    assert_eq!(tx.next_sequence("doc:乡字:2024").await.unwrap(), 1);
    // Several at once, in the order asked: a name asked twice gets two numbers in turn, and a
    // new name starts at 1.
    assert_eq!(
        tx.next_numbers(&[
            "doc:宅批:2024",
            "doc:乡字:2024",
            "doc:宅批:2024",
            "doc:验:2024"
        ])
        .await
        .unwrap(),
        vec![3, 2, 4, 1]
    );
    assert_eq!(tx.next_sequence("doc:宅批:2024").await.unwrap(), 5);
    assert!(tx.next_numbers(&[]).await.unwrap().is_empty());
    let doc = |document: &str, number: &str| CaseDocumentRow {
        case_id: id,
        document: document.into(),
        number: number.into(),
        issued_on: d(2024, 2, 5),
        event_seq: 2,
    };
    tx.insert_case_documents(&[
        doc("homestead_approval", "宅批〔2024〕0001号"),
        doc("planning_permit", "乡字〔2024〕0001号"),
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.case_documents(&[id]).await.unwrap().len(), 2);

    // Deadlines: a running one due 2月23日 and a paused one (no due date).
    let mut tx = store.begin().await.unwrap();
    tx.insert_deadline(&deadline(id, Some(d(2024, 2, 23))))
        .await
        .unwrap();
    let mut paused = deadline(id, None);
    paused.status = "paused".into();
    paused.pauses = r#"[{"from":"2024-02-07","to":null}]"#.into();
    tx.insert_deadline(&paused).await.unwrap();
    tx.commit().await.unwrap();
    let all = store.deadlines_of(&[id]).await.unwrap();
    assert_eq!(all.len(), 2);
    let running = all[0].id;
    assert_eq!(all[0].due_on, Some(d(2024, 2, 23)));
    assert_eq!(all[1].due_on, None);

    // The sweep finds the running one within the window, not before; once warned it is
    // found again only when overdue.
    let none = store
        .deadlines_to_sweep(d(2024, 2, 22), d(2024, 2, 19), 0, 100)
        .await
        .unwrap();
    assert!(none.is_empty());
    let due = store
        .deadlines_to_sweep(d(2024, 2, 23), d(2024, 2, 20), 0, 100)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].deadline.id, running);
    assert_eq!(due[0].case_number, "宅2024-000001");
    assert_eq!(due[0].procedure, "homestead");
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.post_inbox(
            "twp",
            id,
            running,
            "warning",
            "还剩3个工作日",
            d(2024, 2, 23),
            t0()
        )
        .await
        .unwrap()
    );
    assert!(
        !tx.post_inbox(
            "twp",
            id,
            running,
            "warning",
            "还剩3个工作日",
            d(2024, 2, 23),
            t0()
        )
        .await
        .unwrap(),
        "one warning per deadline"
    );
    tx.mark_deadline(running, Some(d(2024, 2, 20)), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        store
            .deadlines_to_sweep(d(2024, 2, 23), d(2024, 2, 20), 0, 100)
            .await
            .unwrap()
            .is_empty()
    );
    let overdue = store
        .deadlines_to_sweep(d(2024, 2, 29), d(2024, 2, 26), 0, 100)
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    let mut tx = store.begin().await.unwrap();
    tx.mark_deadline(running, Some(d(2024, 2, 1)), Some(d(2024, 2, 26)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let row = &store.deadlines_of(&[id]).await.unwrap()[0];
    assert_eq!(
        (row.warned_on, row.overdue_on),
        (Some(d(2024, 2, 20)), Some(d(2024, 2, 26))),
        "the first warning date is kept"
    );
    assert_eq!(store.inbox(&["twp".into()], 10).await.unwrap().len(), 1);

    // Listing by scope, village text, state and overdue.
    let filter = |f: CaseFilter| CaseFilter {
        procedure: "homestead".into(),
        limit: 10,
        ..f
    };
    let count = |f: CaseFilter| async move { store.list_cases(&filter(f)).await.unwrap().1 };
    assert_eq!(count(CaseFilter::default()).await, 1);
    assert_eq!(
        count(CaseFilter {
            units: Some(vec!["vil".into()]),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            units: Some(vec![]),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(CaseFilter {
            village: Some("王团".into()),
            states: Some(vec!["village_review".into()]),
            overdue: true,
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            created_by: Some(user + 1),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        store
            .cases_of_household("homestead", "640324199001011234")
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn every_backend_stores_cases_the_same_way() {
    for db in TestDb::all().await {
        eprintln!("cases on {}", db.store.backend().name());
        story(&db.store).await;
    }
}

/// A write's result as its transaction reports it: from the call (PostgreSQL), or from the
/// commit when the write was held back (SQLite). A failure rolls the transaction back.
async fn through_commit(tx: Tx, r: Result<(), StoreError>) -> Result<(), StoreError> {
    match r {
        Ok(()) => tx.commit().await,
        Err(e) => Err(e),
    }
}

/// Twenty officials act on the same case at once, each transition writing the case, an event
/// and an audit entry. One wins. Every other one is told the case moved on, whichever call
/// reports it (on SQLite the writes are held back and judged at the commit), and leaves
/// nothing behind: no event, no audit entry, and the audit chain unbroken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_simultaneous_transitions_one_wins_and_the_others_leave_nothing() {
    for db in TestDb::all().await {
        let store = &db.store;
        let (_, id) = seed_case(store).await;

        let tasks: Vec<_> = (0..20i64)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let mut tx = store.begin().await?;
                    tx.update_case(id, 1, "village_review", "{}", "马小明", "王团村", t0())
                        .await?;
                    tokio::task::yield_now().await;
                    // Each its own event number, so only the version check can stop a loser.
                    tx.insert_event(&event(id, 2 + i)).await?;
                    let actor = format!("official{i}");
                    tx.append_audit(
                        AuditDraft {
                            actor: &actor,
                            role: "township",
                            unit: "twp",
                            action: "state_change",
                            object: "case",
                            summary: "{}".into(),
                            client_ip: "127.0.0.1",
                        },
                        t0(),
                    )
                    .await?;
                    tx.commit().await
                })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => won += 1,
                Err(StoreError::StaleVersion) => {}
                // PostgreSQL may report the loser at the event's key instead.
                Err(StoreError::Conflict { constraint }) => {
                    assert!(constraint.contains("case_events"), "{constraint}")
                }
                Err(e) => panic!("{}: {e}", db.url),
            }
        }
        assert_eq!(won, 1, "{}", db.url);
        let c = store.case_by_id(id).await.unwrap().unwrap();
        assert_eq!((c.state.as_str(), c.version), ("village_review", 2));
        assert_eq!(store.case_events(id).await.unwrap().len(), 2);
        let audited = store
            .audit_page(&AuditFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.actor.starts_with("official"))
            .count();
        assert_eq!(audited, 1, "{}", db.url);
        assert!(store.verify_audit().await.unwrap().is_ok(), "{}", db.url);
    }
}
