//! Account rules (账号): user names, display names and the password policy that 等保 level 3
//! (GB/T 22239-2019) expects: at least 10 characters from at least three character classes.

use std::fmt;

use crate::validation::{FieldError, char_len};

/// Failed logins that lock an account (登录失败锁定阈值).
pub const LOCKOUT_THRESHOLD: u32 = 5;
/// How long a locked account stays locked, in minutes (锁定时长).
pub const LOCKOUT_MINUTES: i64 = 15;
/// A session ends after this many idle minutes (会话空闲超时).
pub const SESSION_IDLE_MINUTES: i64 = 30;
/// Shortest password accepted (口令最小长度).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest password accepted: argon2 hashes anything, but a megabyte "password" is an attack.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// 用户名: 3–32 characters of lower-case ASCII letters, digits, `.`, `_`, `-`, starting with a
/// letter. Kept ASCII so it can be typed on any keyboard and used in logs without leaking names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new("username", "用户名不能为空"));
        }
        let n = char_len(s);
        if !(3..=32).contains(&n) {
            return Err(FieldError::new(
                "username",
                format!("用户名长度须为3至32个字符（现为{n}个）"),
            ));
        }
        let mut chars = s.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !first_ok || !rest_ok {
            return Err(FieldError::new(
                "username",
                "用户名须以小写字母开头，只能包含小写字母、数字和 . _ -",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 姓名 (display name): 1–32 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new("display_name", "姓名不能为空"));
        }
        let n = char_len(s);
        if n > 32 {
            return Err(FieldError::new(
                "display_name",
                format!("姓名不能超过32个字符（现为{n}个）"),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldError::new("display_name", "姓名不能包含控制字符"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password against the policy (口令复杂度): length 10–128 and at least three of
/// upper-case letters, lower-case letters, digits and other characters. The username may not
/// appear in it.
pub fn check_password_policy(password: &str, username: &str) -> Result<(), FieldError> {
    let n = char_len(password);
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            "password",
            format!("密码长度不能少于{PASSWORD_MIN_CHARS}个字符（现为{n}个）"),
        ));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(
            "password",
            format!("密码长度不能超过{PASSWORD_MAX_CHARS}个字符"),
        ));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .into_iter()
    .filter(|&b| b)
    .count();
    if classes < 3 {
        return Err(FieldError::new(
            "password",
            "密码须至少包含大写字母、小写字母、数字、其他字符中的三类",
        ));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(FieldError::new("password", "密码不能包含用户名"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_at_the_length_limits() {
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        let err = Username::parse(&"a".repeat(33)).unwrap_err();
        assert_eq!(err.field, "username");
        assert!(err.message.contains("33"));
    }

    #[test]
    fn usernames_refuse_capitals_spaces_and_chinese() {
        for bad in ["Admin", "a b", "马明", "1abc", "abc!"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Username::parse("  yuhai.clerk-1 ").unwrap().as_str(),
            "yuhai.clerk-1"
        );
    }

    #[test]
    fn password_policy_table() {
        let cases = [
            ("Abcdefgh1", false),       // 9 chars
            ("Abcdefgh12", true),       // 10 chars, three classes
            ("abcdefgh12", false),      // two classes
            ("abcdefgh!2", true),       // lower, digit, other
            ("ABCDEFGH!a", true),       // upper, other, lower
            ("Zhang2024!clerk", false), // contains the username
        ];
        for (pw, ok) in cases {
            assert_eq!(check_password_policy(pw, "clerk").is_ok(), ok, "{pw}");
        }
        let long = format!("Aa1{}", "x".repeat(200));
        assert!(check_password_policy(&long, "u").is_err());
    }

    #[test]
    fn display_names_are_bounded() {
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("马明").is_ok());
        assert_eq!(
            DisplayName::parse(&"马".repeat(33)).unwrap_err().field,
            "display_name"
        );
    }
}
