//! Statements held back (延后执行的语句). A write whose result its caller does not need at once
//! (an UPDATE checked only for "some row changed", an INSERT without RETURNING) can wait in its
//! transaction and go to SQLite's writer together with the next statement that must run, as
//! one multi-statement query: one hand-off to the connection's thread instead of one each. The
//! writer lock is held for far less time per transaction that way, and the writer lock is what
//! limits write throughput on SQLite.
//!
//! On PostgreSQL, where sqlx cannot send several statements with parameters in one round
//! trip, the held-back writes go as one statement of data-modifying CTEs
//! (`WITH w0 AS (UPDATE … RETURNING 1), w1 AS (INSERT … RETURNING 1) SELECT count(*) …`),
//! sent before the next statement that must run. CTE members share one snapshot and must not
//! touch the same row: the store's held-back writes name their rows by ids read earlier, so
//! the only way two of them could is the same statement twice, and that starts a new batch.
//!
//! A statement's failure (a constraint, or an expectation such as [`Expect::Changed`]) is
//! reported by the call that ran it: the held-back statement's own call on PostgreSQL, the next
//! call that reaches the database on SQLite (at the latest [`crate::Tx::commit`]). Callers
//! that map errors to messages therefore map them over the whole transaction.

use std::borrow::Cow;

use sqlx::Arguments;
use sqlx::any::AnyArguments;

use crate::{Result, StoreError};

/// A parameter's value. The store uses only BIGINT and TEXT columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}

/// What a statement must have done, checked once it has run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Whatever it did.
    Anything,
    /// At least one row changed; none means the row moved on under the caller (a version
    /// check failed): [`StoreError::StaleVersion`].
    Changed,
}

/// One statement with its parameters, written with `$1…$n` placeholders.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    pub(crate) sql: Cow<'static, str>,
    pub(crate) args: Vec<Arg>,
    pub(crate) expect: Expect,
}

impl Stmt {
    pub(crate) fn new(sql: impl Into<Cow<'static, str>>) -> Self {
        Self {
            sql: sql.into(),
            args: Vec::new(),
            expect: Expect::Anything,
        }
    }

    pub(crate) fn arg(mut self, a: impl Into<Arg>) -> Self {
        self.args.push(a.into());
        self
    }

    pub(crate) fn expect_changed(mut self) -> Self {
        self.expect = Expect::Changed;
        self
    }
}

/// `head VALUES ($1, …, $cols), (…), … tail`: a statement writing `rows` rows of `cols`
/// parameters each, bound in row order.
pub(crate) fn values_sql(head: &str, rows: usize, cols: usize, tail: &str) -> String {
    let mut sql = format!("{head} VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * cols + c + 1));
        }
        sql.push(')');
    }
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    sql
}

impl Expect {
    /// A result judged against what the statement must have done.
    pub(crate) fn check(self, rows_affected: u64) -> Result<()> {
        match self {
            Expect::Changed if rows_affected == 0 => Err(StoreError::StaleVersion),
            _ => Ok(()),
        }
    }

    /// Whether there is anything to judge.
    pub(crate) fn is_checked(self) -> bool {
        self != Expect::Anything
    }
}

/// Binds `args` in order onto `out`.
pub(crate) fn bind_args(out: &mut AnyArguments<'_>, args: Vec<Arg>) -> Result<()> {
    for a in args {
        let r = match a {
            Arg::Int(v) => out.add(v),
            Arg::Text(v) => out.add(v),
        };
        r.map_err(|e| StoreError::Corrupt(format!("参数无法绑定：{e}")))?;
    }
    Ok(())
}

/// A statement's text and its parameters, bound.
pub(crate) fn split(stmt: Stmt) -> Result<(Cow<'static, str>, AnyArguments<'static>)> {
    let mut args = AnyArguments::default();
    bind_args(&mut args, stmt.args)?;
    Ok((stmt.sql, args))
}

/// Whether `s` may join the writes held back on PostgreSQL: not one with its own RETURNING,
/// and not the same statement again (it could touch the same row, and CTE members share a
/// snapshot) unless it only inserts the values it is given, which reads no row.
pub(crate) fn joins(pending: &[Stmt], s: &Stmt) -> bool {
    !s.sql.contains("RETURNING")
        && (inserts_values_only(&s.sql) || !pending.iter().any(|p| p.sql == s.sql))
}

/// `INSERT INTO … VALUES …` with no SELECT and no ON CONFLICT: it touches only the rows it
/// makes (a clash with another is a unique violation, never a silent overwrite).
fn inserts_values_only(sql: &str) -> bool {
    sql.starts_with("INSERT INTO ")
        && sql.contains(" VALUES ")
        && !sql.contains("SELECT")
        && !sql.contains("ON CONFLICT")
}

/// PostgreSQL: sends the held-back writes, one statement for all of them, and judges each
/// one's rows against its expectation.
pub(crate) async fn flush_joined(
    conn: &mut sqlx::AnyConnection,
    pending: &mut Vec<Stmt>,
) -> Result<()> {
    let mut stmts = std::mem::take(pending);
    if stmts.len() <= 1 {
        let Some(s) = stmts.pop() else {
            return Ok(());
        };
        let expect = s.expect;
        let (sql, args) = split(s)?;
        let done = sqlx::query_with(&sql, args)
            .execute(&mut *conn)
            .await
            .map_err(crate::classify)?;
        return expect.check(done.rows_affected());
    }
    let mut sql = String::from("WITH ");
    let mut counts = Vec::with_capacity(stmts.len());
    let mut expects = Vec::with_capacity(stmts.len());
    let mut args = AnyArguments::default();
    for (i, s) in stmts.into_iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        expects.push(s.expect);
        let text = append_bound(s, &mut args)?;
        sql.push_str(&format!("w{i} AS ({text} RETURNING 1)"));
        counts.push(format!("(SELECT count(*) FROM w{i})"));
    }
    sql.push_str(" SELECT ");
    sql.push_str(&counts.join(", "));
    let row = sqlx::query_with(&sql, args)
        .fetch_one(&mut *conn)
        .await
        .map_err(crate::classify)?;
    for (i, expect) in expects.into_iter().enumerate() {
        let changed: i64 = sqlx::Row::try_get(&row, i)?;
        expect.check(u64::try_from(changed).unwrap_or(0))?;
    }
    Ok(())
}

/// Binds `s`'s parameters after those already in `args` and returns its text with the
/// placeholders renumbered to match, for joining statements into one query. A statement whose
/// placeholders do not match its parameters is an error (SQLite would bind NULL silently).
pub(crate) fn append_bound(s: Stmt, args: &mut AnyArguments<'_>) -> Result<String> {
    let (text, highest) = renumber(&s.sql, args.len());
    if highest != s.args.len() {
        return Err(StoreError::Corrupt(format!(
            "语句的参数个数与占位符不符：{}",
            s.sql
        )));
    }
    bind_args(args, s.args)?;
    Ok(text)
}

/// `sql` with each placeholder `$n` written `$(n + offset)`, so that statements can be joined
/// into one query whose parameters are numbered throughout; and the highest `n` it had (0 for
/// none). Text in single quotes and quoted names are left alone.
pub(crate) fn renumber(sql: &str, offset: usize) -> (String, usize) {
    let mut highest = 0;
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((_, c)) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '$' => {
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    digits.push(d);
                    chars.next();
                }
                match digits.parse::<usize>() {
                    Ok(n) => {
                        highest = highest.max(n);
                        out.push('$');
                        out.push_str(&(n + offset).to_string());
                    }
                    Err(_) => {
                        out.push('$');
                        out.push_str(&digits);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    (out, highest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_outside_quotes() {
        let cases = [
            ("SELECT $1", 0, "SELECT $1", 1),
            ("SELECT $1", 3, "SELECT $4", 1),
            ("RELEASE tx", 3, "RELEASE tx", 0),
            (
                "UPDATE t SET a = $2 WHERE id = $1",
                10,
                "UPDATE t SET a = $12 WHERE id = $11",
                2,
            ),
            (
                "VALUES ($9, $10, $11, $11)",
                1,
                "VALUES ($10, $11, $12, $12)",
                11,
            ),
            ("SELECT '$1', $1", 2, "SELECT '$1', $3", 1),
            (
                "SELECT \"a$7\" FROM t WHERE x = $1",
                1,
                "SELECT \"a$7\" FROM t WHERE x = $2",
                1,
            ),
            ("SELECT 'it''s $2', $2", 1, "SELECT 'it''s $2', $3", 2),
            ("SELECT $ FROM t", 5, "SELECT $ FROM t", 0),
            ("SELECT '同心$1', $1", 1, "SELECT '同心$1', $2", 1),
        ];
        for (sql, offset, want, highest) in cases {
            assert_eq!(
                renumber(sql, offset),
                (want.to_owned(), highest),
                "{sql} + {offset}"
            );
        }
    }

    #[test]
    fn a_batch_never_holds_the_same_update_twice_or_a_returning() {
        let update = Stmt::new("UPDATE case_deadlines SET status = $2 WHERE id = $1");
        let event = Stmt::new("INSERT INTO case_events (case_id) VALUES ($1)");
        assert!(joins(&[], &update));
        assert!(joins(std::slice::from_ref(&event), &update));
        // The same update again could touch the same row: CTE members share a snapshot.
        assert!(!joins(&[event.clone(), update.clone()], &update));
        // The same plain insert again makes other rows: it joins.
        assert!(joins(&[event.clone(), update.clone()], &event));
        for reads in [
            "INSERT INTO t (a) SELECT a FROM u",
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = excluded.a",
        ] {
            let s = Stmt::new(reads);
            assert!(!joins(std::slice::from_ref(&s), &s), "{reads}");
        }
        assert!(!joins(
            &[],
            &Stmt::new("INSERT INTO t (a) VALUES ($1) RETURNING id")
        ));
    }

    #[test]
    fn values_are_numbered_row_by_row() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2, "RETURNING a"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a)", 1, 1, ""),
            "INSERT INTO t (a) VALUES ($1)"
        );
    }

    #[test]
    fn a_changed_expectation_refuses_no_rows() {
        let s = Stmt::new("UPDATE t SET a = 1").expect_changed();
        assert!(matches!(s.expect.check(0), Err(StoreError::StaleVersion)));
        assert!(s.expect.check(1).is_ok());
        assert!(s.expect.is_checked());
        let plain = Stmt::new("UPDATE t SET a = 1");
        assert!(plain.expect.check(0).is_ok());
        assert!(!plain.expect.is_checked());
    }
}
