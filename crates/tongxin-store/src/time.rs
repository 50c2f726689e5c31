//! Timestamps as stored: RFC 3339 UTC with milliseconds, fixed width, so text order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::StoreError;

pub fn format_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("时间“{s}”：{e}")))
}
