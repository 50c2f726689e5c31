//! Filters built at run time: a `WHERE` clause with numbered placeholders and its arguments,
//! and a page of rows with the total that matched (the case, task and problem lists).

use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};

use crate::{Result, Store};

/// A bound argument of a query built at run time.
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.as_str()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}

/// The conditions of a filter, joined with AND.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub(crate) args: Vec<Arg>,
}

impl Where {
    /// Adds an argument; returns its placeholder (`$3`).
    pub(crate) fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    pub(crate) fn text(&mut self, s: impl Into<String>) -> String {
        self.arg(Arg::Text(s.into()))
    }

    pub(crate) fn push(&mut self, clause: impl Into<String>) {
        self.clauses.push(clause.into());
    }

    /// `(a IN (…) OR b IN (…) …)`: a row belonging to any of `values` by any of `columns`
    /// (the values bound once); an empty list matches nothing.
    pub(crate) fn any_in(&mut self, columns: &[&str], values: &[String]) {
        if values.is_empty() {
            self.push("1 = 0");
            return;
        }
        let ph: Vec<String> = values.iter().map(|v| self.text(v.clone())).collect();
        let list = ph.join(", ");
        let any: Vec<String> = columns.iter().map(|c| format!("{c} IN ({list})")).collect();
        self.push(format!("({})", any.join(" OR ")));
    }

    /// `column IN (…)`; an empty list matches nothing.
    pub(crate) fn is_in(&mut self, column: &str, values: &[String]) {
        if values.is_empty() {
            self.push("1 = 0");
            return;
        }
        let ph: Vec<String> = values.iter().map(|v| self.text(v.clone())).collect();
        self.push(format!("{column} IN ({})", ph.join(", ")));
    }

    /// ` WHERE …`, or nothing.
    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// `$first, $first+1, …` for `n` values of an `IN (…)` list.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A guarded UPDATE (`… AND version = $n`) that changed no row: someone acted first.
pub(crate) fn one_row(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        return Err(crate::StoreError::StaleVersion);
    }
    Ok(())
}

impl Store {
    /// A page of `table alias` rows matching `w`, in `order`, and how many match in all.
    /// `columns` are the table's own (prefixed with the alias here).
    pub(crate) async fn page(
        &self,
        from: (&str, &str),
        columns: &str,
        w: &Where,
        order: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AnyRow>, i64)> {
        let (table, alias) = from;
        let cols = columns
            .split(", ")
            .map(|c| format!("{alias}.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.page_from(&format!("{table} {alias}"), &cols, w, order, limit, offset)
            .await
    }

    /// A page of rows of `from` (a table or a join) selecting `columns` as written, matching
    /// `w`, in `order`, and how many match in all.
    pub(crate) async fn page_from(
        &self,
        from: &str,
        cols: &str,
        w: &Where,
        order: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AnyRow>, i64)> {
        let where_sql = w.sql();
        let total: i64 = bind_all(
            sqlx::query(&format!("SELECT COUNT(*) FROM {from}{where_sql}")),
            &w.args,
        )
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        let n = w.args.len();
        let sql = format!(
            "SELECT {cols} FROM {from}{where_sql} ORDER BY {order} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = bind_all(sqlx::query(&sql), &w.args)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok((rows, total))
    }
}
