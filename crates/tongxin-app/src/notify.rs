//! 通知: what reaches officials where they work. Every event that must be told (a deadline near
//! or passed, a report from the public, an objection to a notice, the daily digest) writes one
//! notification into the outbox in its own transaction; after commit the deliverer fans it out
//! to the unit's channels (政务钉钉 and 企业微信 group robots, mailboxes) and to the e-mail of
//! each user of the unit who subscribed to its kind, one delivery per target, and sends each,
//! retrying with back-off until it is delivered or given up; administrators see every attempt
//! and can send a given-up delivery again.
//!
//! Once only: a notification is unique by its event, a delivery by (notification, channel,
//! target), and a delivery is claimed before it is sent and marked delivered in the same
//! durable write that records the attempt. The one window left is a crash between the robot's
//! answer and that write: the claim lapses and the message is sent again (at least once, never
//! lost). The robots' APIs take no idempotency key that would close it.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use serde_json::{Value, json};
use tongxin_domain::Permission;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::validation::FieldError;
use tongxin_store::format_ts;
use tongxin_store::notify::{
    ChannelRow, DeliveryFilter, DueDelivery, OutboxDraft, OutboxRow, PrefsRow,
};

use crate::{Actor, App, AppError, AuditActor};

/// 通知类别: what a notification is about; users and channels choose among these.
pub const KINDS: &[(&str, &str)] = &[
    ("warning", "临近到期（到期前3个工作日内）"),
    ("overdue", "逾期"),
    ("notice", "公示期满、办理期间开始"),
    ("report", "群众举报"),
    ("objection", "公示异议"),
    ("digest", "每日汇总（到期和逾期事项）"),
];

/// 测试消息: sent to one channel when its administrator asks (not a kind users choose).
pub const TEST_KIND: &str = "test";

/// What a user receives by e-mail until they choose otherwise.
pub const DEFAULT_EMAIL_KINDS: &[&str] = &["overdue", "report", "objection", "digest"];

/// The label of a kind.
pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(if code == TEST_KIND {
            "测试消息"
        } else {
            "提醒"
        })
}

/// 推送渠道: where a unit's notifications go besides the 工作台.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// 政务钉钉 group robot (custom robot webhook, markdown, optional 加签).
    DingTalk,
    /// 企业微信 group robot (webhook, markdown).
    WeCom,
    /// A mailbox (SMTP).
    Email,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 3] = [
        ChannelKind::DingTalk,
        ChannelKind::WeCom,
        ChannelKind::Email,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChannelKind::DingTalk => "dingtalk",
            ChannelKind::WeCom => "wecom",
            ChannelKind::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::DingTalk => "政务钉钉群机器人",
            ChannelKind::WeCom => "企业微信群机器人",
            ChannelKind::Email => "电子邮箱",
        }
    }

    pub fn parse(code: &str) -> Option<ChannelKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Attempts before a delivery is given up (and shown to administrators as failed).
pub const MAX_ATTEMPTS: i64 = 10;

/// How long to wait after the `n`-th failed attempt (1-based): 30 s doubling, at most an hour;
/// None once [`MAX_ATTEMPTS`] have failed. Ten attempts span about four hours.
pub fn retry_after(n: i64) -> Option<Duration> {
    if n >= MAX_ATTEMPTS {
        return None;
    }
    let exp = u32::try_from(n.clamp(1, 8) - 1).unwrap_or(0);
    Some(Duration::seconds((30i64 << exp).min(3600)))
}

/// Is `code` one of `list` (comma-separated; '' means every kind)?
fn listed(list: &str, code: &str) -> bool {
    list.trim().is_empty() || list.split(',').any(|k| k.trim() == code)
}

/// The JSON a 政务钉钉 custom robot accepts (msgtype markdown).
pub fn dingtalk_message(n: &OutboxRow, url: &str) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": {
            "title": n.title,
            "text": format!("#### {}\n\n{}\n\n[在同心平台中打开]({url})", n.title, n.body),
        }
    })
}

/// The JSON a 企业微信 group robot accepts (msgtype markdown).
pub fn wecom_message(n: &OutboxRow, url: &str) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": {
            "content": format!("**{}**\n{}\n[在同心平台中打开]({url})", n.title, n.body),
        }
    })
}

/// A 政务钉钉 robot's address with its 加签 (timestamp in milliseconds and the HMAC-SHA256 of
/// "timestamp\nsecret" under the secret, Base64, URL-encoded); unchanged without a secret.
pub fn dingtalk_signed_url(target: &str, secret: &str, timestamp_ms: i64) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    if secret.is_empty() {
        return target.to_owned();
    }
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return target.to_owned();
    };
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let sign = sign
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let sep = if target.contains('?') { '&' } else { '?' };
    format!("{target}{sep}timestamp={timestamp_ms}&sign={sign}")
}

/// Why a send failed: worth trying again, or not until someone changes the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    Retry(String),
    Permanent(String),
}

/// How the deliverer reaches the outside: the server's address for links, the SMTP relay.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// The address officials open Tongxin at (`http://tongxin.example:8080`), for links.
    pub base_url: String,
    /// `smtp://host:25`, `smtps://user:pass@host:465`, `smtp://host:587?tls=required`
    /// (lettre's URL form); None: e-mail is not sent and says so.
    pub smtp_url: Option<String>,
    /// The sender's address.
    pub smtp_from: String,
    /// One attempt's time limit.
    pub timeout: StdDuration,
}

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Sends deliveries: webhooks over HTTP(S), e-mail over SMTP.
pub struct Deliverer {
    config: DeliveryConfig,
    http: HttpsClient,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

impl Deliverer {
    pub fn new(config: DeliveryConfig) -> Result<Deliverer, AppError> {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| AppError::Internal(format!("无法读取系统根证书：{e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        let http = Client::builder(TokioExecutor::new()).build(https);
        let smtp = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| AppError::Internal(format!("发信服务器地址无效：{e}")))?
                    .timeout(Some(config.timeout))
                    .build(),
            ),
            None => None,
        };
        Ok(Deliverer { config, http, smtp })
    }

    fn link(&self, n: &OutboxRow) -> String {
        format!("{}{}", self.config.base_url.trim_end_matches('/'), n.link)
    }

    /// Sends one delivery; Ok carries what the other side answered.
    pub async fn send(&self, d: &DueDelivery, now: DateTime<Utc>) -> Result<String, SendFailure> {
        let n = &d.notification;
        let url = self.link(n);
        match ChannelKind::parse(&d.delivery.channel) {
            Some(ChannelKind::DingTalk) => {
                let target = dingtalk_signed_url(
                    &d.delivery.target,
                    &d.delivery.secret,
                    now.timestamp_millis(),
                );
                self.post_robot(&target, &dingtalk_message(n, &url)).await
            }
            Some(ChannelKind::WeCom) => {
                self.post_robot(&d.delivery.target, &wecom_message(n, &url))
                    .await
            }
            Some(ChannelKind::Email) => self.mail(&d.delivery.target, n, &url).await,
            None => Err(SendFailure::Permanent(format!(
                "未知的推送渠道“{}”",
                d.delivery.channel
            ))),
        }
    }

    /// POSTs a robot message; the robots answer `{"errcode":0}` when they took it.
    async fn post_robot(&self, target: &str, body: &Value) -> Result<String, SendFailure> {
        let uri: hyper::Uri = target
            .parse()
            .map_err(|e| SendFailure::Permanent(format!("机器人地址无效：{e}")))?;
        let req = hyper::Request::post(uri)
            .header(
                hyper::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| SendFailure::Permanent(format!("机器人地址无效：{e}")))?;
        let resp = tokio::time::timeout(self.config.timeout, self.http.request(req))
            .await
            .map_err(|_| SendFailure::Retry("对方在时限内没有应答".into()))?
            .map_err(|e| SendFailure::Retry(format!("无法连接：{e}")))?;
        let status = resp.status();
        let bytes = tokio::time::timeout(self.config.timeout, resp.into_body().collect())
            .await
            .map_err(|_| SendFailure::Retry("对方在时限内没有答完".into()))?
            .map_err(|e| SendFailure::Retry(format!("读取应答失败：{e}")))?
            .to_bytes();
        let text: String = String::from_utf8_lossy(&bytes).chars().take(200).collect();
        if !status.is_success() {
            return Err(SendFailure::Retry(format!(
                "HTTP {}：{text}",
                status.as_u16()
            )));
        }
        match serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("errcode").and_then(Value::as_i64))
        {
            Some(0) => Ok(format!("HTTP {}：{text}", status.as_u16())),
            Some(code) => Err(SendFailure::Retry(format!(
                "机器人拒收（errcode {code}）：{text}"
            ))),
            None => Err(SendFailure::Retry(format!(
                "HTTP {}，应答不是机器人的格式：{text}",
                status.as_u16()
            ))),
        }
    }

    async fn mail(&self, to: &str, n: &OutboxRow, url: &str) -> Result<String, SendFailure> {
        let Some(smtp) = &self.smtp else {
            return Err(SendFailure::Permanent(
                "未配置发信服务器（tongxin serve --smtp-url）".into(),
            ));
        };
        let from = self
            .config
            .smtp_from
            .parse()
            .map_err(|e| SendFailure::Permanent(format!("发件地址无效：{e}")))?;
        let to = to
            .parse()
            .map_err(|e| SendFailure::Permanent(format!("收件地址无效：{e}")))?;
        let msg = Message::builder()
            .from(from)
            .to(to)
            .subject(format!("【同心】{}", n.title))
            .body(format!(
                "{}\n\n{url}\n\n——同心县域治理平台（本邮件由系统发出，请勿回复）",
                n.body
            ))
            .map_err(|e| SendFailure::Permanent(format!("邮件无法生成：{e}")))?;
        match smtp.send(msg).await {
            Ok(r) => Ok(format!("SMTP {}", r.code())),
            Err(e) if e.is_permanent() => {
                Err(SendFailure::Permanent(format!("发信服务器拒收：{e}")))
            }
            Err(e) => Err(SendFailure::Retry(format!("发信失败：{e}"))),
        }
    }
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryRound {
    pub fanned_out: usize,
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// A delivery with its attempts, for administrators.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryView {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub unit: String,
    pub channel: String,
    pub channel_label: &'static str,
    /// The target with the robot's token hidden.
    pub target: String,
    /// pending | sending | delivered | failed
    pub status: String,
    pub status_label: &'static str,
    pub colour: &'static str,
    pub attempts: Vec<AttemptView>,
    pub next_at: String,
    pub last_error: String,
    pub delivered_at: Option<String>,
    pub created_at: String,
    pub may_retry: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttemptView {
    pub at: String,
    pub ok: bool,
    pub detail: String,
}

/// A unit's channel as administrators see it.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelView {
    pub id: i64,
    pub unit_id: String,
    pub unit: String,
    pub kind: String,
    pub kind_label: &'static str,
    /// The target with the robot's token hidden.
    pub target: String,
    pub signed: bool,
    /// Kinds sent there (labels); empty: all.
    pub kinds: Vec<&'static str>,
    pub enabled: bool,
    pub version: i64,
}

/// One kind as a user's choice.
#[derive(Debug, Clone, Serialize)]
pub struct KindChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub on: bool,
}

/// What reaches the user by e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct PrefsView {
    pub email: String,
    pub kinds: Vec<KindChoice>,
    pub version: i64,
}

fn status_label(s: &str) -> (&'static str, &'static str) {
    match s {
        "delivered" => ("已送达", "green"),
        "failed" => ("发送失败", "red"),
        "sending" => ("发送中", "yellow"),
        _ => ("等待重试", "yellow"),
    }
}

/// A webhook address with its token hidden (`…access_token=****3f9a`); addresses as they are.
pub fn mask_target(t: &str) -> String {
    let Some((head, query)) = t.split_once('?') else {
        return t.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if v.chars().count() > 4 => {
                let tail: String = v.chars().skip(v.chars().count() - 4).collect();
                format!("{k}=****{tail}")
            }
            Some((k, _)) => format!("{k}=****"),
            None => kv.to_owned(),
        })
        .collect();
    format!("{head}?{}", parts.join("&"))
}

/// A channel to add.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ChannelInput {
    pub unit: String,
    pub kind: String,
    pub target: String,
    #[serde(default)]
    pub secret: String,
    /// Kinds sent to it; empty = all.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A user's subscription as entered.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PrefsInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub version: i64,
}

/// The meta key holding the last day the digests were written.
const DIGEST_DAY: &str = "notify_digest_day";

/// The claim on a delivery while it is sent: after this long another deliverer may take it.
const LEASE: i64 = 120;

impl App {
    /// Writes the deliveries of every notification not yet fanned out: the unit's enabled
    /// channels that take its kind, and the e-mail of each of its users subscribed to it.
    pub async fn fan_out_notifications(&self) -> Result<usize, AppError> {
        let mut done = 0;
        loop {
            let batch = self.store.outbox_to_fan_out(200).await?;
            if batch.is_empty() {
                return Ok(done);
            }
            let now = self.clock.now();
            // A unit's channels and subscriptions, read once per batch (a sweep tells many
            // cases of one unit at once).
            let mut units: std::collections::HashMap<String, (Vec<ChannelRow>, Vec<PrefsRow>)> =
                std::collections::HashMap::new();
            for n in &batch {
                if !units.contains_key(&n.unit_id) {
                    let channels = self.store.unit_channels(&n.unit_id).await?;
                    let subscribed = self.store.unit_subscriptions(&n.unit_id).await?;
                    units.insert(n.unit_id.clone(), (channels, subscribed));
                }
                let mut targets = Vec::new();
                if let Some((channels, subscribed)) = units.get(&n.unit_id) {
                    for c in channels {
                        if c.enabled && listed(&c.kinds, &n.kind) {
                            targets.push((c.kind.clone(), c.target.clone(), c.secret.clone()));
                        }
                    }
                    for p in subscribed {
                        if listed_strict(&p.kinds, &n.kind) {
                            targets.push(("email".to_owned(), p.email.clone(), String::new()));
                        }
                    }
                }
                let mut tx = self.store.begin().await?;
                if tx.fan_out(n.id, &targets, now).await? {
                    done += 1;
                }
                tx.commit().await?;
            }
        }
    }

    /// Sends the deliveries due now, each claimed first; records every attempt.
    pub async fn deliver_notifications(
        &self,
        deliverer: &Deliverer,
    ) -> Result<DeliveryRound, AppError> {
        let mut round = DeliveryRound {
            fanned_out: self.fan_out_notifications().await?,
            ..DeliveryRound::default()
        };
        let now = self.clock.now();
        for d in self.store.due_deliveries(now, 100).await? {
            let mut tx = self.store.begin().await?;
            let claimed = tx
                .claim_delivery(d.delivery.id, now, now + Duration::seconds(LEASE))
                .await?;
            tx.commit().await?;
            if !claimed {
                continue;
            }
            let result = deliverer.send(&d, now).await;
            let at = self.clock.now();
            let attempt = d.delivery.attempts + 1;
            let (ok, detail, retry_at) = match result {
                Ok(answer) => (true, answer, None),
                Err(SendFailure::Retry(why)) => {
                    let next = retry_after(attempt).map(|w| at + w);
                    (false, why, next)
                }
                Err(SendFailure::Permanent(why)) => (false, why, None),
            };
            let mut tx = self.store.begin().await?;
            tx.record_attempt(d.delivery.id, at, ok, &detail, retry_at)
                .await?;
            tx.commit().await?;
            match (ok, retry_at) {
                (true, _) => round.delivered += 1,
                (false, Some(_)) => round.retrying += 1,
                (false, None) => {
                    round.failed += 1;
                    tracing::warn!(
                        delivery = d.delivery.id,
                        channel = %d.delivery.channel,
                        "notification given up after {attempt} attempts"
                    );
                }
            }
        }
        if round != DeliveryRound::default() {
            let mut tx = self.store.begin().await?;
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::System,
                "notifications",
                json!({ "fanned_out": round.fanned_out, "delivered": round.delivered, "retrying": round.retrying, "failed": round.failed }),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(round)
    }

    /// Delivers for as long as the server runs: a round every few seconds, sooner when woken.
    pub async fn run_notifications(self, deliverer: Deliverer) {
        loop {
            match self.deliver_notifications(&deliverer).await {
                Ok(r) if r != DeliveryRound::default() => tracing::info!(
                    fanned_out = r.fanned_out,
                    delivered = r.delivered,
                    retrying = r.retrying,
                    failed = r.failed,
                    "notifications"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notification round failed"),
            }
            let _ =
                tokio::time::timeout(StdDuration::from_secs(5), self.outbox_wake.notified()).await;
        }
    }

    /// Wakes the deliverer: something was just written to the outbox.
    pub fn wake_deliverer(&self) {
        self.outbox_wake.notify_one();
    }

    /// 每日汇总: one notification per unit that has deadlines or reports due within the
    /// warning window, or overdue, as of `today`; written by the day's first sweep from 07:00,
    /// so once per unit and day (the event key guards it too). Returns how many were written.
    pub async fn post_digests(
        &self,
        today: NaiveDate,
        through: NaiveDate,
    ) -> Result<usize, AppError> {
        let day = today.to_string();
        if self.store.meta(DIGEST_DAY).await?.as_deref() >= Some(day.as_str()) {
            return Ok(0);
        }
        let rows = self.store.due_summary(today, through).await?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_meta(DIGEST_DAY, &day).await?;
        for r in &rows {
            let mut parts = Vec::new();
            if r.case_overdue > 0 {
                parts.push(format!("逾期案件时限{}项", r.case_overdue));
            }
            if r.case_due > 0 {
                parts.push(format!("{through}前到期的案件时限{}项", r.case_due));
            }
            if r.problem_overdue > 0 {
                parts.push(format!(
                    "逾期未整改问题（含群众举报）{}个",
                    r.problem_overdue
                ));
            }
            if r.problem_due > 0 {
                parts.push(format!(
                    "{through}前到期的问题（含群众举报）{}个",
                    r.problem_due
                ));
            }
            if r.order_overdue > 0 {
                parts.push(format!("整改期限已过的执法案件{}件", r.order_overdue));
            }
            if r.order_due > 0 {
                parts.push(format!("{through}前整改到期的执法案件{}件", r.order_due));
            }
            tx.enqueue_notification(
                &OutboxDraft {
                    event_key: format!("digest:{}:{today}", r.unit_id),
                    kind: "digest".into(),
                    unit_id: r.unit_id.clone(),
                    title: format!("{today} 到期和逾期事项"),
                    body: format!("截至{today}：{}。", parts.join("；")),
                    link: "/workbench".into(),
                    in_inbox: false,
                },
                now,
            )
            .await?;
        }
        self.audit(
            &mut tx,
            &AuditActor::SYSTEM,
            AuditAction::System,
            "notification_digest",
            json!({ "today": today, "units": rows.len() }),
        )
        .await?;
        tx.commit().await?;
        self.wake_deliverer();
        Ok(rows.len())
    }

    /// The notifications the 工作台 shows from the outbox (reports, objections) for the
    /// actor's units, newest first.
    pub async fn notification_inbox(
        &self,
        units: &[String],
        limit: i64,
    ) -> Result<Vec<OutboxRow>, AppError> {
        Ok(self.store.outbox_inbox(units, limit).await?)
    }

    /// 推送渠道, every unit's (system administrator).
    pub async fn notification_channels(&self, actor: &Actor) -> Result<Vec<ChannelView>, AppError> {
        self.require(actor, Permission::ManageUsers, "查看推送渠道")?;
        Ok(self
            .store
            .channels()
            .await?
            .into_iter()
            .map(|c| ChannelView {
                id: c.id,
                unit: self.unit_name(&c.unit_id),
                unit_id: c.unit_id,
                kind_label: ChannelKind::parse(&c.kind)
                    .map(ChannelKind::label)
                    .unwrap_or("未知渠道"),
                kind: c.kind,
                target: mask_target(&c.target),
                signed: !c.secret.is_empty(),
                kinds: c
                    .kinds
                    .split(',')
                    .filter(|k| !k.trim().is_empty())
                    .map(|k| kind_label(k.trim()))
                    .collect(),
                enabled: c.enabled,
                version: c.version,
            })
            .collect())
    }

    /// Adds a channel to a unit (system administrator).
    pub async fn add_channel(&self, actor: &Actor, input: &ChannelInput) -> Result<i64, AppError> {
        self.require(actor, Permission::ManageUsers, "配置推送渠道")?;
        let mut errors = Vec::new();
        let unit = match self.resolve_unit_input("unit", &input.unit) {
            Ok(u) => Some(u),
            Err(_) => {
                errors.push(FieldError::new("unit", "请选择接收通知的单位"));
                None
            }
        };
        let kind = ChannelKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                "请选择渠道：政务钉钉群机器人、企业微信群机器人或电子邮箱",
            ));
        }
        let target = input.target.trim().to_owned();
        match kind {
            Some(ChannelKind::Email) if !plausible_email(&target) => errors.push(FieldError::new(
                "target",
                "“地址”须为电子邮箱，如 bgs@tongxin.gov.cn",
            )),
            Some(ChannelKind::DingTalk | ChannelKind::WeCom)
                if !(target.starts_with("https://") || target.starts_with("http://"))
                    || target.parse::<hyper::Uri>().is_err() =>
            {
                errors.push(FieldError::new(
                    "target",
                    "“地址”须为机器人的Webhook地址（以https://开头，从群设置的机器人详情中复制）",
                ))
            }
            _ => {}
        }
        if target.chars().count() > 500 {
            errors.push(FieldError::new("target", "“地址”不能超过500个字符"));
        }
        let secret = input.secret.trim().to_owned();
        if !secret.is_empty() && kind != Some(ChannelKind::DingTalk) {
            errors.push(FieldError::new(
                "secret",
                "只有政务钉钉机器人有“加签密钥”；其他渠道请留空",
            ));
        }
        let kinds = kinds_list(&input.kinds, "kinds", &mut errors);
        let (Some(unit), Some(kind), true) = (unit, kind, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let now = self.clock.now();
        let row = ChannelRow {
            id: 0,
            unit_id: unit.id.0.clone(),
            kind: kind.code().into(),
            target: target.clone(),
            secret,
            kinds,
            enabled: true,
            created_by: actor.username.clone(),
            created_at: format_ts(now),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = match tx.insert_channel(&row).await {
            Ok(id) => id,
            Err(tongxin_store::StoreError::Conflict { .. }) => {
                return Err(AppError::field(
                    "target",
                    format!("{}已配置过这个{}", unit.short_name, kind.label()),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("notify_channel:{id}"),
            json!({ "unit": row.unit_id, "kind": row.kind, "kinds": row.kinds }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Switches a channel on or off (system administrator).
    pub async fn set_channel_enabled(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        enabled: bool,
    ) -> Result<(), AppError> {
        self.require(actor, Permission::ManageUsers, "配置推送渠道")?;
        let Some(c) = self.store.channel(id).await? else {
            return Err(AppError::NotFound {
                what: format!("推送渠道{id}"),
            });
        };
        let mut tx = self.store.begin().await?;
        match tx.set_channel_enabled(c.id, version, enabled).await {
            Ok(()) => {}
            Err(tongxin_store::StoreError::StaleVersion) => {
                return Err(AppError::Conflict(
                    "这个渠道刚被他人修改过，请刷新后再操作".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("notify_channel:{id}"),
            json!({ "enabled": enabled }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 发送测试消息: a message to this one channel, delivered by the deliverer like any other
    /// (its attempt listed with the deliveries), so the administrator sees at once whether the
    /// address, the token and the 加签 key are right. Returns the delivery's id.
    pub async fn send_channel_test(&self, actor: &Actor, id: i64) -> Result<i64, AppError> {
        self.require(actor, Permission::ManageUsers, "发送测试消息")?;
        let Some(c) = self.store.channel(id).await? else {
            return Err(AppError::NotFound {
                what: format!("推送渠道{id}"),
            });
        };
        let kind = ChannelKind::parse(&c.kind).map_or("推送渠道", ChannelKind::label);
        let unit = self.unit_ref(&c.unit_id).name;
        let now = self.clock.now();
        let draft = OutboxDraft {
            // One a second per channel: a double click sends one.
            event_key: format!("test:{id}:{}", now.timestamp()),
            kind: TEST_KIND.into(),
            unit_id: c.unit_id.clone(),
            title: format!("测试消息：{unit}的{kind}"),
            body: format!(
                "这是同心县域治理平台发出的测试消息。收到即说明{unit}的{kind}配置正确，期限提醒、逾期、群众举报等通知将发到这里。"
            ),
            link: "/workbench".into(),
            in_inbox: false,
        };
        let mut tx = self.store.begin().await?;
        let delivery = match tx.enqueue_channel_test(&draft, &c, now).await {
            Ok(d) => d,
            Err(tongxin_store::StoreError::Conflict { .. }) => {
                return Err(AppError::Conflict(
                    "刚刚已向这个渠道发送过测试消息，请稍候在送达记录中查看结果".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("notify_delivery:{delivery}"),
            json!({ "channel": id, "kind": TEST_KIND }),
        )
        .await?;
        tx.commit().await?;
        self.wake_deliverer();
        Ok(delivery)
    }

    /// 送达记录 with their attempts (system administrator).
    pub async fn notification_deliveries(
        &self,
        actor: &Actor,
        filter: &DeliveryFilter,
    ) -> Result<(Vec<DeliveryView>, i64), AppError> {
        self.require(actor, Permission::ManageUsers, "查看通知送达记录")?;
        let (rows, total) = self.store.deliveries(filter).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.delivery.id).collect();
        let attempts = self.store.attempts_of(&ids).await?;
        let views = rows
            .into_iter()
            .map(|r| {
                let d = r.delivery;
                let (status_label, colour) = status_label(&d.status);
                DeliveryView {
                    attempts: attempts
                        .iter()
                        .filter(|a| a.delivery_id == d.id)
                        .map(|a| AttemptView {
                            at: a.at.clone(),
                            ok: a.ok,
                            detail: a.detail.clone(),
                        })
                        .collect(),
                    id: d.id,
                    title: r.title,
                    kind_label: kind_label(&r.kind),
                    kind: r.kind,
                    unit: self.unit_name(&r.unit_id),
                    channel_label: ChannelKind::parse(&d.channel)
                        .map(ChannelKind::label)
                        .unwrap_or("未知渠道"),
                    channel: d.channel,
                    target: mask_target(&d.target),
                    may_retry: d.status == "failed",
                    status: d.status,
                    status_label,
                    colour,
                    next_at: d.next_at,
                    last_error: d.last_error,
                    delivered_at: d.delivered_at,
                    created_at: r.created_at,
                }
            })
            .collect();
        Ok((views, total))
    }

    /// 重新发送: a delivery given up goes back in the queue (system administrator).
    pub async fn retry_notification(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        self.require(actor, Permission::ManageUsers, "重新发送通知")?;
        let mut tx = self.store.begin().await?;
        if !tx.retry_delivery(id, self.clock.now()).await? {
            return Err(AppError::Conflict(
                "只有“发送失败”的通知可以重新发送；它可能已被重新发送或已送达".into(),
            ));
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("notify_delivery:{id}"),
            json!({ "retry": true }),
        )
        .await?;
        tx.commit().await?;
        self.wake_deliverer();
        Ok(())
    }

    /// The actor's own subscription (defaults until saved).
    pub async fn my_prefs(&self, actor: &Actor) -> Result<PrefsView, AppError> {
        let p = self
            .store
            .prefs(&actor.username)
            .await?
            .unwrap_or_else(|| PrefsRow {
                username: actor.username.clone(),
                email: String::new(),
                kinds: DEFAULT_EMAIL_KINDS.join(","),
                version: 0,
            });
        Ok(PrefsView {
            kinds: KINDS
                .iter()
                .map(|(code, label)| KindChoice {
                    code,
                    label,
                    on: listed_strict(&p.kinds, code),
                })
                .collect(),
            email: p.email,
            version: p.version,
        })
    }

    /// Saves what reaches the actor by e-mail. Two sessions saving at once: one wins.
    pub async fn save_prefs(&self, actor: &Actor, input: &PrefsInput) -> Result<(), AppError> {
        let mut errors = Vec::new();
        let email = input.email.trim().to_owned();
        if !email.is_empty() && !plausible_email(&email) {
            errors.push(FieldError::new(
                "email",
                "“电子邮箱”格式不对，如 zhangsan@tongxin.gov.cn；不需要邮件通知可留空",
            ));
        }
        let kinds = kinds_list(&input.kinds, "kinds", &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let row = PrefsRow {
            username: actor.username.clone(),
            email,
            kinds,
            version: input.version,
        };
        let mut tx = self.store.begin().await?;
        match tx.save_prefs(&row).await {
            Ok(()) => {}
            Err(tongxin_store::StoreError::StaleVersion) => {
                return Err(AppError::Conflict(
                    "通知设置已在别处修改，请刷新后再保存".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("notify_prefs:{}", actor.username),
            json!({ "email_set": !row.email.is_empty(), "kinds": row.kinds }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Like [`listed`], but an empty list means none (a user who unticked everything).
fn listed_strict(list: &str, code: &str) -> bool {
    list.split(',').any(|k| k.trim() == code)
}

/// The chosen kinds as stored, each checked.
fn kinds_list(kinds: &[String], field: &str, errors: &mut Vec<FieldError>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for k in kinds {
        match KINDS.iter().find(|(c, _)| *c == k.trim()) {
            Some((c, _)) if !out.contains(c) => out.push(c),
            Some(_) => {}
            None => errors.push(FieldError::new(field, format!("没有“{k}”这类通知"))),
        }
    }
    out.join(",")
}

/// Enough of an e-mail address to catch typing errors; the relay judges the rest.
fn plausible_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && s.chars().count() <= 200
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && s.parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_to_an_hour_then_gives_up() {
        assert_eq!(retry_after(1), Some(Duration::seconds(30)));
        assert_eq!(retry_after(2), Some(Duration::seconds(60)));
        assert_eq!(retry_after(3), Some(Duration::seconds(120)));
        assert_eq!(retry_after(7), Some(Duration::seconds(1920)));
        assert_eq!(retry_after(8), Some(Duration::seconds(3600)));
        assert_eq!(retry_after(9), Some(Duration::seconds(3600)));
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
        let total: i64 = (1..MAX_ATTEMPTS)
            .filter_map(retry_after)
            .map(|d| d.num_seconds())
            .sum();
        assert!((3 * 3600..5 * 3600).contains(&total), "{total}");
    }

    #[test]
    fn dingtalk_signature_matches_the_documented_construction() {
        // HMAC-SHA256("1700000000000\nSECabc", key "SECabc"), Base64, URL-encoded.
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"SECabc").unwrap();
        mac.update(b"1700000000000\nSECabc");
        let b64 = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let url = dingtalk_signed_url(
            "https://oapi.example/robot/send?access_token=t",
            "SECabc",
            1_700_000_000_000,
        );
        let sign = url.split("&sign=").nth(1).unwrap();
        assert_eq!(
            sign.replace("%2B", "+")
                .replace("%2F", "/")
                .replace("%3D", "="),
            b64
        );
        assert!(url.starts_with(
            "https://oapi.example/robot/send?access_token=t&timestamp=1700000000000&sign="
        ));
        assert!(!sign.contains('+') && !sign.contains('/') && !sign.contains('='));
        assert_eq!(
            dingtalk_signed_url("https://x/y?a=1", "", 5),
            "https://x/y?a=1"
        );
    }

    #[test]
    fn robot_messages_carry_title_body_and_link() {
        let n = OutboxRow {
            id: 1,
            event_key: "report:JB1".into(),
            kind: "report".into(),
            unit_id: "u".into(),
            title: "群众举报".into(),
            body: "南关村有人倾倒垃圾".into(),
            link: "/reports/JB1".into(),
            in_inbox: true,
            created_at: String::new(),
            fanned_out: true,
        };
        let d = dingtalk_message(&n, "http://h/reports/JB1");
        assert_eq!(d["msgtype"], "markdown");
        assert_eq!(d["markdown"]["title"], "群众举报");
        let text = d["markdown"]["text"].as_str().unwrap();
        assert!(text.contains("南关村有人倾倒垃圾") && text.contains("(http://h/reports/JB1)"));
        let w = wecom_message(&n, "http://h/reports/JB1");
        assert_eq!(w["msgtype"], "markdown");
        assert!(
            w["markdown"]["content"]
                .as_str()
                .unwrap()
                .contains("**群众举报**")
        );
    }

    #[test]
    fn robot_tokens_are_hidden() {
        assert_eq!(
            mask_target("https://oapi.dingtalk.com/robot/send?access_token=abcdef123456"),
            "https://oapi.dingtalk.com/robot/send?access_token=****3456"
        );
        assert_eq!(
            mask_target("https://q/x?key=abc&y"),
            "https://q/x?key=****&y"
        );
        assert_eq!(mask_target("bgs@tongxin.gov.cn"), "bgs@tongxin.gov.cn");
    }

    #[test]
    fn kinds_and_addresses_are_checked() {
        let mut e = Vec::new();
        assert_eq!(
            kinds_list(
                &["overdue".into(), "report".into(), "overdue".into()],
                "kinds",
                &mut e
            ),
            "overdue,report"
        );
        assert!(e.is_empty());
        kinds_list(&["spam".into()], "kinds", &mut e);
        assert_eq!(e.len(), 1);
        assert!(
            listed("", "digest")
                && listed("overdue,digest", "digest")
                && !listed("overdue", "digest")
        );
        assert!(!listed_strict("", "digest"));
        for ok in ["a@b.cn", "zhang.san@tongxin.gov.cn"] {
            assert!(plausible_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.cn",
            "a@.cn",
            "a b@c.cn",
            "a@b.cn,c@d.cn",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
