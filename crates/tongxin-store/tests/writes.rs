//! Write transactions under concurrency, on every backend. On SQLite they queue for one writer
//! connection and share COMMITs (group commit); the contract is the same on both: a commit that
//! returns is on disk, a transaction dropped without commit leaves no trace, and neither
//! disturbs the transactions committed beside it.

use chrono::{TimeZone, Utc};
use tongxin_store::testing::TestDb;
use tongxin_store::{AuditDraft, AuditFilter, Store};

const WRITERS: usize = 120;

fn draft(actor: &str) -> AuditDraft<'_> {
    AuditDraft {
        actor,
        role: "system_admin",
        unit: "county",
        action: "create",
        object: "test",
        summary: "{}".into(),
        client_ip: "127.0.0.1",
    }
}

/// Every fifth writer gives up: it writes, then drops its transaction instead of committing.
fn gives_up(i: usize) -> bool {
    i % 5 == 3
}

async fn write(store: Store, i: usize) -> bool {
    let at = Utc.with_ymd_and_hms(2024, 2, 5, 1, 0, 0).unwrap();
    let actor = format!("w{i}");
    let mut tx = store.begin().await.expect("begin");
    tx.append_audit(draft(&actor), at).await.expect("append");
    // Yield so the others pile up behind the lock and commits are shared.
    tokio::task::yield_now().await;
    if gives_up(i) {
        drop(tx);
        return false;
    }
    tx.commit().await.expect("commit");
    true
}

async fn actors(store: &Store) -> Vec<String> {
    let page = store
        .audit_page(&AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .expect("read the trail");
    let mut out: Vec<String> = page
        .into_iter()
        .map(|e| e.actor)
        .filter(|a| a.starts_with('w'))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_commits_are_all_durable_and_abandoned_ones_leave_no_trace() {
    for db in TestDb::all().await {
        let handles: Vec<_> = (0..WRITERS)
            .map(|i| tokio::spawn(write(db.store.clone(), i)))
            .collect();
        let mut committed = Vec::new();
        for (i, h) in handles.into_iter().enumerate() {
            if h.await.expect("writer task") {
                committed.push(format!("w{i}"));
            }
        }
        committed.sort();
        assert_eq!(committed.len(), WRITERS - WRITERS / 5);

        // A fresh connection (a new process would see the same) finds exactly the commits.
        let reopened = Store::connect(&db.url).await.expect("reopen");
        assert_eq!(actors(&reopened).await, committed, "{}", db.url);
        let verified = reopened
            .verify_audit()
            .await
            .expect("read the chain")
            .expect("the hash chain is intact");
        assert!(verified >= committed.len() as u64);
        reopened.close().await;

        // The writer carries on after all that: one more write, alone.
        assert!(write(db.store.clone(), 1000).await);
        assert!(actors(&db.store).await.contains(&"w1000".to_owned()));
    }
}

#[tokio::test]
async fn a_failed_statement_rolls_back_only_its_own_transaction() {
    for db in TestDb::all().await {
        let at = Utc.with_ymd_and_hms(2024, 2, 5, 1, 0, 0).unwrap();
        let mut tx = db.store.begin().await.expect("begin");
        tx.append_audit(draft("w1"), at).await.expect("append");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        tx.append_audit(draft("w2"), at).await.expect("append");
        // The audit head is the only row of its table: a duplicate id is refused.
        let dup = tx
            .execute_raw("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '')")
            .await;
        assert!(dup.is_err(), "{}: a duplicate key must be refused", db.url);
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin after a failure");
        tx.append_audit(draft("w3"), at).await.expect("append");
        tx.commit().await.expect("commit");
        assert_eq!(actors(&db.store).await, vec!["w1", "w3"], "{}", db.url);
        assert!(db.store.verify_audit().await.expect("chain").is_ok());
    }
}

/// Two stores on one database, as `tongxin serve` and a `tongxin sweep` run from cron are:
/// their writes interleave and the audit chain stays one unbroken chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_writing_keep_one_audit_chain() {
    for db in TestDb::all().await {
        let other = Store::connect(&db.url).await.expect("a second store");
        // Taking turns: each must see the entries the other appended.
        for i in 0..6 {
            let store = if i % 2 == 0 { &db.store } else { &other };
            assert!(write(store.clone(), 1000 + i * 5).await);
        }
        let handles: Vec<_> = (0..80)
            .map(|i| {
                let store = if i % 2 == 0 {
                    db.store.clone()
                } else {
                    other.clone()
                };
                // Offset so no writer gives up: every write here must land.
                tokio::spawn(write(store, i * 5))
            })
            .collect();
        for h in handles {
            assert!(h.await.expect("writer task"));
        }
        let expected: Vec<String> = {
            let mut v: Vec<String> = (0..80)
                .map(|i| format!("w{}", i * 5))
                .chain((0..6).map(|i| format!("w{}", 1000 + i * 5)))
                .collect();
            v.sort();
            v
        };
        assert_eq!(actors(&db.store).await, expected, "{}", db.url);
        let verified = db
            .store
            .verify_audit()
            .await
            .expect("read the chain")
            .expect("one unbroken chain");
        assert!(verified >= 80);
        other.close().await;
    }
}

/// A transaction that has taken SQLite's write lock and is dropped while nothing else is
/// writing must not keep the lock until the server's next write: a second process (a cron
/// `tongxin sweep`) writes at once, and the dropped transaction leaves nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_dropped_on_an_idle_server_lets_go_of_the_database() {
    for db in TestDb::all().await {
        let at = Utc.with_ymd_and_hms(2024, 2, 5, 1, 0, 0).unwrap();
        let mut tx = db.store.begin().await.expect("begin");
        tx.append_audit(draft("w1"), at).await.expect("append");
        // Reaches the database: the BEGIN, the savepoint and the append run.
        tx.execute_raw("SELECT 1").await.expect("a statement");
        drop(tx);
        let other = Store::connect(&db.url).await.expect("a second store");
        assert!(write(other.clone(), 2).await);
        assert_eq!(actors(&other).await, vec!["w2"], "{}", db.url);
        other.close().await;
        // And the first store writes on.
        assert!(write(db.store.clone(), 4).await);
        assert_eq!(actors(&db.store).await, vec!["w2", "w4"], "{}", db.url);
    }
}
