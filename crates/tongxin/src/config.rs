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
}

impl Config {
    pub fn resolve(
        file: &FileConfig,
        db: Option<String>,
        listen: Option<String>,
        today: Option<String>,
        secure_cookies: bool,
        demo: bool,
    ) -> Result<Self> {
        let today = match today.or_else(|| file.today.clone()) {
            Some(t) => match NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => bail!("--today “{t}” 不是有效日期，应为 YYYY-MM-DD，如 2026-11-29"),
            },
            None => None,
        };
        Ok(Config {
            db: file.db_or_default(db, demo),
            listen: listen
                .or_else(|| file.listen.clone())
                .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
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
        )
        .unwrap();
        assert_eq!(
            (c.db.as_str(), c.listen.as_str()),
            ("sqlite://flag.db", "0.0.0.0:9000")
        );
        let c = Config::resolve(&FileConfig::default(), None, None, None, false, true).unwrap();
        assert_eq!(
            (c.db.as_str(), c.listen.as_str()),
            (DEFAULT_DEMO_DB, DEFAULT_LISTEN)
        );
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
        )
        .unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }
}
