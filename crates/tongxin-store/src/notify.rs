//! 通知 as stored: the outbox (written in the transaction of the event that causes it), the
//! units' channels, the users' subscriptions, the deliveries fanned out from each notification
//! and every attempt to send one.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::query::{Where, bind_all};
use crate::stmt::Stmt;
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// An inbox message's kind (`warning`, `overdue`, `window_open`, `notice_ended`) as a
/// notification's kind, with its title.
pub fn inbox_kind(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "overdue" => ("overdue", "逾期提醒"),
        "warning" => ("warning", "临近到期提醒"),
        "window_open" => ("notice", "办理期间开始"),
        "notice_ended" => ("notice", "公示期满"),
        _ => ("warning", "时限提醒"),
    }
}

/// A notification to write with its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxDraft {
    /// What caused it, unique: `inbox:17`, `report:JB20261203-7K3F9Q`, `digest:dept-eco:2026-12-03`.
    /// A second draft with the same key is dropped, so an event replayed is sent once.
    pub event_key: String,
    pub kind: String,
    pub unit_id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    /// Shown in the 工作台 inbox from the outbox (the deadline inbox shows its own items).
    pub in_inbox: bool,
}

/// A notification as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub event_key: String,
    pub kind: String,
    pub unit_id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub in_inbox: bool,
    pub created_at: String,
    pub fanned_out: bool,
}

const OUTBOX_COLUMNS: &str =
    "id, event_key, kind, unit_id, title, body, link, in_inbox, created_at, fanned_out";

fn outbox_row(r: &AnyRow) -> Result<OutboxRow> {
    outbox_row_as(r, "")
}

/// A notification from columns named with `prefix` (`o_id`, … in a join).
fn outbox_row_as(r: &AnyRow, prefix: &str) -> Result<OutboxRow> {
    let c = |name: &str| format!("{prefix}{name}");
    Ok(OutboxRow {
        id: r.try_get(c("id").as_str())?,
        event_key: r.try_get(c("event_key").as_str())?,
        kind: r.try_get(c("kind").as_str())?,
        unit_id: r.try_get(c("unit_id").as_str())?,
        title: r.try_get(c("title").as_str())?,
        body: r.try_get(c("body").as_str())?,
        link: r.try_get(c("link").as_str())?,
        in_inbox: r.try_get::<i64, _>(c("in_inbox").as_str())? != 0,
        created_at: r.try_get(c("created_at").as_str())?,
        fanned_out: r.try_get::<i64, _>(c("fanned_out").as_str())? != 0,
    })
}

/// A unit's channel: a group robot's webhook or a mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRow {
    pub id: i64,
    pub unit_id: String,
    /// dingtalk | wecom | email
    pub kind: String,
    pub target: String,
    pub secret: String,
    /// Kinds sent here, comma-separated; '' = all.
    pub kinds: String,
    pub enabled: bool,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
}

const CHANNEL_COLUMNS: &str =
    "id, unit_id, kind, target, secret, kinds, enabled, created_by, created_at, version";

fn channel_row(r: &AnyRow) -> Result<ChannelRow> {
    Ok(ChannelRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        kind: r.try_get("kind")?,
        target: r.try_get("target")?,
        secret: r.try_get("secret")?,
        kinds: r.try_get("kinds")?,
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        version: r.try_get("version")?,
    })
}

/// What reaches a user by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrefsRow {
    pub username: String,
    pub email: String,
    /// Kinds sent to the address, comma-separated.
    pub kinds: String,
    pub version: i64,
}

/// One notification's delivery to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: i64,
    pub outbox_id: i64,
    pub channel: String,
    pub target: String,
    pub secret: String,
    /// pending | sending | delivered | failed
    pub status: String,
    pub attempts: i64,
    pub next_at: String,
    pub last_error: String,
    pub delivered_at: Option<String>,
}

const DELIVERY_COLUMNS: &str =
    "id, outbox_id, channel, target, secret, status, attempts, next_at, last_error, delivered_at";

fn delivery_row(r: &AnyRow) -> Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        outbox_id: r.try_get("outbox_id")?,
        channel: r.try_get("channel")?,
        target: r.try_get("target")?,
        secret: r.try_get("secret")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        next_at: r.try_get("next_at")?,
        last_error: r.try_get("last_error")?,
        delivered_at: r.try_get("delivered_at")?,
    })
}

/// A delivery to make: the notification with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub delivery: DeliveryRow,
    pub notification: OutboxRow,
}

/// One attempt to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub at: String,
    pub ok: bool,
    pub detail: String,
}

/// A delivery with its notification, for the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryListRow {
    pub delivery: DeliveryRow,
    pub kind: String,
    pub unit_id: String,
    pub title: String,
    pub created_at: String,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    pub unit_id: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl Tx {
    /// Writes a notification with the event that causes it (held back to go with the next
    /// statement); dropped when one was written for the same event before.
    pub async fn enqueue_notification(
        &mut self,
        n: &OutboxDraft,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.defer(
            Stmt::new(
                "INSERT INTO notify_outbox (event_key, kind, unit_id, title, body, link, in_inbox, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_key) DO NOTHING",
            )
            .arg(n.event_key.as_str())
            .arg(n.kind.as_str())
            .arg(n.unit_id.as_str())
            .arg(n.title.as_str())
            .arg(n.body.as_str())
            .arg(n.link.as_str())
            .arg(i64::from(n.in_inbox))
            .arg(format_ts(now)),
        )
        .await
    }

    /// 测试消息: a notification to one channel only, written fanned out with its one delivery,
    /// due now (the administrator checks a channel's address and key). Returns the delivery.
    pub async fn enqueue_channel_test(
        &mut self,
        n: &OutboxDraft,
        channel: &ChannelRow,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let ts = format_ts(now);
        let outbox: i64 = sqlx::query(
            "INSERT INTO notify_outbox (event_key, kind, unit_id, title, body, link, in_inbox, created_at, fanned_out) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 1) RETURNING id",
        )
        .bind(n.event_key.as_str())
        .bind(n.kind.as_str())
        .bind(n.unit_id.as_str())
        .bind(n.title.as_str())
        .bind(n.body.as_str())
        .bind(n.link.as_str())
        .bind(ts.as_str())
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?
        .try_get(0)?;
        let delivery: i64 = sqlx::query(
            "INSERT INTO notify_deliveries (outbox_id, channel, target, secret, status, next_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
        )
        .bind(outbox)
        .bind(channel.kind.as_str())
        .bind(channel.target.as_str())
        .bind(channel.secret.as_str())
        .bind(ts.as_str())
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?
        .try_get(0)?;
        Ok(delivery)
    }

    /// Writes the deliveries of a notification not yet fanned out and marks it fanned out;
    /// false when another deliverer did it first.
    pub async fn fan_out(
        &mut self,
        outbox_id: i64,
        targets: &[(String, String, String)],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n =
            sqlx::query("UPDATE notify_outbox SET fanned_out = 1 WHERE id = $1 AND fanned_out = 0")
                .bind(outbox_id)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?
                .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        for (channel, target, secret) in targets {
            sqlx::query(
                "INSERT INTO notify_deliveries (outbox_id, channel, target, secret, status, next_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (outbox_id, channel, target) DO NOTHING",
            )
            .bind(outbox_id)
            .bind(channel.as_str())
            .bind(target.as_str())
            .bind(secret.as_str())
            .bind(format_ts(now))
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        }
        Ok(true)
    }

    /// Claims a delivery due at `now` for sending until `lease_until`; false when another
    /// deliverer claimed it, or it was delivered, meanwhile.
    pub async fn claim_delivery(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE notify_deliveries SET status = 'sending', next_at = $1 \
             WHERE id = $2 AND status IN ('pending', 'sending') AND next_at <= $3",
        )
        .bind(format_ts(lease_until))
        .bind(id)
        .bind(format_ts(now))
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        Ok(n == 1)
    }

    /// Records an attempt and its consequence: delivered, tried again at `retry_at`, or given
    /// up (`retry_at` None after a failure).
    pub async fn record_attempt(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        ok: bool,
        detail: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let ts = format_ts(at);
        sqlx::query(
            "INSERT INTO notify_attempts (delivery_id, at, ok, detail) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(ts.as_str())
        .bind(i64::from(ok))
        .bind(detail)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        let (status, next_at, delivered, error) = match (ok, retry_at) {
            (true, _) => ("delivered", ts.clone(), Some(ts.clone()), ""),
            (false, Some(t)) => ("pending", format_ts(t), None, detail),
            (false, None) => ("failed", ts.clone(), None, detail),
        };
        sqlx::query(
            "UPDATE notify_deliveries SET status = $1, attempts = attempts + 1, next_at = $2, delivered_at = $3, last_error = $4 \
             WHERE id = $5 AND status = 'sending'",
        )
        .bind(status)
        .bind(next_at)
        .bind(delivered)
        .bind(error)
        .bind(id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }

    /// Puts a delivery given up back in the queue (an administrator's 重新发送); false unless
    /// it had failed.
    pub async fn retry_delivery(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE notify_deliveries SET status = 'pending', next_at = $1 WHERE id = $2 AND status = 'failed'",
        )
        .bind(format_ts(now))
        .bind(id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        Ok(n == 1)
    }

    /// Adds a channel to a unit; a unit with the same target already is a
    /// [`crate::StoreError::Conflict`].
    pub async fn insert_channel(&mut self, c: &ChannelRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO notify_channels (unit_id, kind, target, secret, kinds, enabled, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&c.unit_id)
        .bind(&c.kind)
        .bind(&c.target)
        .bind(&c.secret)
        .bind(&c.kinds)
        .bind(i64::from(c.enabled))
        .bind(&c.created_by)
        .bind(&c.created_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Switches a channel on or off, if still at `version`.
    pub async fn set_channel_enabled(
        &mut self,
        id: i64,
        version: i64,
        enabled: bool,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE notify_channels SET enabled = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(i64::from(enabled))
        .bind(id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    /// Saves a user's subscription, if still at `p.version` (0: none saved yet).
    pub async fn save_prefs(&mut self, p: &PrefsRow) -> Result<()> {
        let n = if p.version == 0 {
            sqlx::query(
                "INSERT INTO notify_prefs (username, email, kinds, version) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (username) DO NOTHING",
            )
            .bind(&p.username)
            .bind(&p.email)
            .bind(&p.kinds)
            .execute(self.conn().await?)
            .await
        } else {
            sqlx::query(
                "UPDATE notify_prefs SET email = $1, kinds = $2, version = version + 1 WHERE username = $3 AND version = $4",
            )
            .bind(&p.email)
            .bind(&p.kinds)
            .bind(&p.username)
            .bind(p.version)
            .execute(self.conn().await?)
            .await
        }
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }
}

impl Store {
    /// Notifications not yet fanned out, oldest first.
    pub async fn outbox_to_fan_out(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM notify_outbox WHERE fanned_out = 0 ORDER BY id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// The notifications the 工作台 inbox shows from the outbox for these units, newest first.
    pub async fn outbox_inbox(&self, units: &[String], limit: i64) -> Result<Vec<OutboxRow>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let mut w = Where::default();
        w.is_in("unit_id", units);
        w.push("in_inbox = 1");
        let n = w.args.len();
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM notify_outbox{} ORDER BY id DESC LIMIT ${}",
            w.sql(),
            n + 1
        );
        let rows = bind_all(sqlx::query(&sql), &w.args)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// A notification by its event key.
    pub async fn notification(&self, event_key: &str) -> Result<Option<OutboxRow>> {
        let row = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM notify_outbox WHERE event_key = $1"
        ))
        .bind(event_key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(outbox_row).transpose()
    }

    /// The enabled channels of a unit.
    pub async fn unit_channels(&self, unit_id: &str) -> Result<Vec<ChannelRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM notify_channels WHERE unit_id = $1 ORDER BY id"
        ))
        .bind(unit_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(channel_row).collect()
    }

    /// Every channel, by unit.
    pub async fn channels(&self) -> Result<Vec<ChannelRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM notify_channels ORDER BY unit_id, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(channel_row).collect()
    }

    /// A channel by id.
    pub async fn channel(&self, id: i64) -> Result<Option<ChannelRow>> {
        let row = sqlx::query(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM notify_channels WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(channel_row).transpose()
    }

    /// A user's subscription (None: never saved).
    pub async fn prefs(&self, username: &str) -> Result<Option<PrefsRow>> {
        let row = sqlx::query(
            "SELECT username, email, kinds, version FROM notify_prefs WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PrefsRow {
                username: r.try_get("username")?,
                email: r.try_get("email")?,
                kinds: r.try_get("kinds")?,
                version: r.try_get("version")?,
            })
        })
        .transpose()
    }

    /// The e-mail subscriptions of a unit's active users: (username, address, kinds).
    pub async fn unit_subscriptions(&self, unit_id: &str) -> Result<Vec<PrefsRow>> {
        let rows = sqlx::query(
            "SELECT p.username, p.email, p.kinds, p.version FROM notify_prefs p JOIN users u ON u.username = p.username \
             WHERE u.unit_id = $1 AND u.active = 1 AND p.email <> '' ORDER BY p.username",
        )
        .bind(unit_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PrefsRow {
                    username: r.try_get("username")?,
                    email: r.try_get("email")?,
                    kinds: r.try_get("kinds")?,
                    version: r.try_get("version")?,
                })
            })
            .collect()
    }

    /// Deliveries due at `now` (pending, or sending with a lapsed claim), oldest first.
    pub async fn due_deliveries(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DueDelivery>> {
        let own: Vec<String> = DELIVERY_COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect();
        let theirs: Vec<String> = OUTBOX_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c} AS o_{c}"))
            .collect();
        let rows = sqlx::query(&format!(
            "SELECT {}, {} FROM notify_deliveries d JOIN notify_outbox o ON o.id = d.outbox_id \
             WHERE d.status IN ('pending', 'sending') AND d.next_at <= $1 ORDER BY d.next_at, d.id LIMIT $2",
            own.join(", "),
            theirs.join(", ")
        ))
        .bind(format_ts(now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueDelivery {
                    delivery: delivery_row(r)?,
                    notification: outbox_row_as(r, "o_")?,
                })
            })
            .collect()
    }

    /// The earliest time a delivery still waiting is due (None: nothing waits).
    pub async fn next_delivery_at(&self) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT MIN(next_at) FROM notify_deliveries WHERE status IN ('pending', 'sending')",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// A page of deliveries with their notifications, newest first, and how many match.
    pub async fn deliveries(&self, f: &DeliveryFilter) -> Result<(Vec<DeliveryListRow>, i64)> {
        let mut w = Where::default();
        if let Some(s) = &f.status {
            let p = w.text(s.as_str());
            w.push(format!("d.status = {p}"));
        }
        if let Some(u) = &f.unit_id {
            let p = w.text(u.as_str());
            w.push(format!("o.unit_id = {p}"));
        }
        let own: Vec<String> = DELIVERY_COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect();
        let cols = format!(
            "{}, o.kind AS o_kind, o.unit_id AS o_unit_id, o.title AS o_title, o.created_at AS o_created_at",
            own.join(", ")
        );
        let (rows, total) = self
            .page_from(
                "notify_deliveries d JOIN notify_outbox o ON o.id = d.outbox_id",
                &cols,
                &w,
                "d.id DESC",
                f.limit,
                f.offset,
            )
            .await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(DeliveryListRow {
                    delivery: delivery_row(r)?,
                    kind: r.try_get("o_kind")?,
                    unit_id: r.try_get("o_unit_id")?,
                    title: r.try_get("o_title")?,
                    created_at: r.try_get("o_created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    /// The attempts of these deliveries, in order.
    pub async fn attempts_of(&self, ids: &[i64]) -> Result<Vec<AttemptRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT delivery_id, at, ok, detail FROM notify_attempts WHERE delivery_id IN ({}) ORDER BY id",
            crate::query::placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AttemptRow {
                    delivery_id: r.try_get("delivery_id")?,
                    at: r.try_get("at")?,
                    ok: r.try_get::<i64, _>("ok")? != 0,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}

/// What a unit has due or overdue, for its daily digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSummary {
    pub unit_id: String,
    /// Case deadlines (办理时限) past due and still running.
    pub case_overdue: i64,
    /// Case deadlines due from today through the warning window's end.
    pub case_due: i64,
    /// Ledger problems (incl. citizen reports) past their deadline and not closed.
    pub problem_overdue: i64,
    pub problem_due: i64,
    /// Enforcement cases (执法案件) whose order to correct is past its deadline, or due.
    pub order_overdue: i64,
    pub order_due: i64,
}

impl Store {
    /// Per unit: running case deadlines, open problems and enforcement orders to correct
    /// overdue at `today` or due by `through`. Units with nothing are left out.
    pub async fn due_summary(
        &self,
        today: chrono::NaiveDate,
        through: chrono::NaiveDate,
    ) -> Result<Vec<DueSummary>> {
        let (t, u) = (crate::cases::day(today), crate::cases::day(through));
        // (unit column, date column, table and condition) of each kind of item counted.
        const KINDS: [(&str, &str, &str); 3] = [
            (
                "responsible",
                "due_on",
                "case_deadlines WHERE status = 'running' AND kind = 'within' AND due_on IS NOT NULL",
            ),
            (
                "unit_id",
                "deadline",
                "sv_problems WHERE status IN ('open', 'reopened')",
            ),
            (
                "unit_id",
                "deadline",
                "enforcement_cases WHERE status = 'ordered' AND deadline IS NOT NULL",
            ),
        ];
        let mut out: std::collections::BTreeMap<String, DueSummary> = Default::default();
        for (i, (unit, date, from)) in KINDS.iter().enumerate() {
            let rows = sqlx::query(&format!(
                "SELECT {unit}, SUM(CASE WHEN {date} < $1 THEN 1 ELSE 0 END), \
                        SUM(CASE WHEN {date} >= $1 THEN 1 ELSE 0 END) \
                 FROM {from} AND {date} <= $2 GROUP BY {unit}"
            ))
            .bind(t.as_str())
            .bind(u.as_str())
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                let unit_id: String = r.try_get(0)?;
                let late = r.try_get::<Option<i64>, _>(1)?.unwrap_or(0);
                let soon = r.try_get::<Option<i64>, _>(2)?.unwrap_or(0);
                let s = out.entry(unit_id.clone()).or_insert_with(|| DueSummary {
                    unit_id,
                    case_overdue: 0,
                    case_due: 0,
                    problem_overdue: 0,
                    problem_due: 0,
                    order_overdue: 0,
                    order_due: 0,
                });
                let (l, n) = match i {
                    0 => (&mut s.case_overdue, &mut s.case_due),
                    1 => (&mut s.problem_overdue, &mut s.problem_due),
                    _ => (&mut s.order_overdue, &mut s.order_due),
                };
                *l = late;
                *n = soon;
            }
        }
        Ok(out
            .into_values()
            .filter(|s| {
                s.case_overdue
                    + s.case_due
                    + s.problem_overdue
                    + s.problem_due
                    + s.order_overdue
                    + s.order_due
                    > 0
            })
            .collect())
    }
}
