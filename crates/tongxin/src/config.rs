//! Configuration: flags, then environment variables (both through clap), then the config file,
//! then defaults.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::Deserialize;

pub const DEFAULT_DB: &str = "sqlite://tongxin.db";
pub const DEFAULT_DEMO_DB: &str = "sqlite://tongxin-demo.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// `tongxin.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub db: Option<String>,
    pub listen: Option<String>,
    pub today: Option<String>,
    pub secure_cookies: Option<bool>,
    /// The address officials open Tongxin at, for the links in notifications.
    pub base_url: Option<String>,
    /// The SMTP relay for e-mail notifications (`smtp://host:25`).
    pub smtp_url: Option<String>,
    /// The sender's address of e-mail notifications.
    pub smtp_from: Option<String>,
}

impl FileConfig {
    /// Reads the named file, or `./tongxin.toml` when none is named and it exists.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (Path::new("tongxin.toml").to_path_buf(), false),
        };
        if !required && !path.exists() {
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("无法读取配置文件 {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("配置文件 {} 格式错误", path.display()))
    }

    pub fn db_or_default(&self, flag: Option<String>, demo: bool) -> String {
        flag.or_else(|| self.db.clone())
            .unwrap_or_else(|| if demo { DEFAULT_DEMO_DB } else { DEFAULT_DB }.to_owned())
    }
}

/// The server's settings after precedence is applied.
#[derive(Debug)]
pub struct Config {
    pub db: String,
    pub listen: String,
    pub today: Option<NaiveDate>,
    pub secure_cookies: bool,
    pub demo: bool,
    /// Links in notifications start with it (default: `http://` + the listen address).
    pub base_url: String,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
}

/// The notification flags as given (None: not given).
#[derive(Debug, Default, Clone)]
pub struct NotifyFlags {
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_from: Option<String>,
}

impl Config {
    pub fn resolve(
        file: &FileConfig,
        db: Option<String>,
        listen: Option<String>,
        today: Option<String>,
        secure_cookies: bool,
        demo: bool,
        notify: NotifyFlags,
    ) -> Result<Self> {
        let today = match today.or_else(|| file.today.clone()) {
            Some(t) => match NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => bail!("--today “{t}” 不是有效日期，应为 YYYY-MM-DD，如 2026-11-29"),
            },
            None => None,
        };
        let listen = listen
            .or_else(|| file.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let base_url = notify
            .base_url
            .or_else(|| file.base_url.clone())
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            bail!(
                "--base-url “{base_url}” 应以 http:// 或 https:// 开头，如 https://tongxin.example.gov.cn"
            );
        }
        Ok(Config {
            db: file.db_or_default(db, demo),
            listen,
            base_url,
            smtp_url: notify.smtp_url.or_else(|| file.smtp_url.clone()),
            smtp_from: notify
                .smtp_from
                .or_else(|| file.smtp_from.clone())
                .unwrap_or_else(|| "同心县域治理平台 <noreply@localhost>".to_owned()),
            today,
            secure_cookies: secure_cookies || file.secure_cookies.unwrap_or(false),
            demo,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let file = FileConfig {
            db: Some("sqlite://file.db".into()),
            listen: Some("0.0.0.0:9000".into()),
            ..Default::default()
        };
        let c = Config::resolve(
            &file,
            Some("sqlite://flag.db".into()),
            None,
            None,
            false,
            false,
            NotifyFlags::default(),
        )
        .unwrap();
        assert_eq!(
            (c.db.as_str(), c.listen.as_str()),
            ("sqlite://flag.db", "0.0.0.0:9000")
        );
        let c = Config::resolve(
            &FileConfig::default(),
            None,
            None,
            None,
            false,
            true,
            NotifyFlags::default(),
        )
        .unwrap();
        assert_eq!(
            (c.db.as_str(), c.listen.as_str()),
            (DEFAULT_DEMO_DB, DEFAULT_LISTEN)
        );
        assert_eq!(c.base_url, format!("http://{DEFAULT_LISTEN}"));
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn a_base_url_without_a_scheme_is_refused() {
        let err = Config::resolve(
            &FileConfig::default(),
            None,
            None,
            None,
            false,
            false,
            NotifyFlags {
                base_url: Some("tongxin.example".into()),
                ..NotifyFlags::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("http://"), "{err}");
    }

    #[test]
    fn a_bad_today_is_refused_naming_the_format() {
        let err = Config::resolve(
            &FileConfig::default(),
            None,
            None,
            Some("2026-13-01".into()),
            false,
            false,
            NotifyFlags::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }
}
