//! Field errors: what every refused input turns into, with the field named and the rule in
//! Chinese, so that the web layer can show it beside the field and keep what was typed.

use std::fmt;

/// A refused input field (字段校验错误): the field's machine name, its Chinese label and the rule
/// it broke, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as it appears in forms and JSON (`username`).
    pub field: String,
    /// The rule in Chinese, naming the field (`用户名长度须为3至32个字符`).
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for FieldError {}

/// Counts characters, not bytes: a limit of 32 means 32 汉字 or 32 letters.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}
