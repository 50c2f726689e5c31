//! Test support: a fresh database per test on each backend.
//!
//! SQLite: a file in a temporary folder, removed on drop. PostgreSQL: a new database on the
//! server named by `TONGXIN_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`),
//! dropped on drop. Without a reachable server the PostgreSQL tests are skipped with a message,
//! unless `CI` is set: in CI an unreachable server fails the test, so the suite cannot
//! silently never run.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::Store;

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database made for one test; gone when dropped.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("tongxin.db").display());
        let store = Store::connect(&url)
            .await
            .expect("open a fresh SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A fresh PostgreSQL database, or None (after saying so) when no server answers outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url =
            std::env::var("TONGXIN_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
        let admin = match Store::connect_unmigrated(&admin_url, 1).await {
            Ok(s) => s,
            Err(e) => {
                if std::env::var_os("CI").is_some() {
                    panic!("CI: the PostgreSQL suite cannot reach {admin_url}: {e}");
                }
                // Written to stderr directly, not through eprintln!, so the test harness does
                // not swallow it: whoever runs `cargo test` sees the suite was skipped.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL suite skipped: {admin_url} does not answer ({e}); set TONGXIN_TEST_PG_URL or start PostgreSQL"
                );
                return None;
            }
        };
        let name = format!(
            "tongxin_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        admin
            .execute_raw(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
            .expect("drop a stale test database");
        admin
            .execute_raw(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let store = Store::connect(&url).await.expect("open the test database");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }

    /// Every backend this machine offers: SQLite always, PostgreSQL when reachable.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        if let Some(pg) = TestDb::postgres().await {
            v.push(pg);
        }
        v
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |s| s + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::PgDatabase { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: do the async work on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async move {
                        if let Ok(admin) = Store::connect_unmigrated(&admin_url, 1).await {
                            let _ = admin
                                .execute_raw(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_replaced_in_the_url() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/test", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::replace_database("postgres://u@h/test?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
