//! Masking of personal data (脱敏): ID numbers, mobile numbers and names, shown in full only to
//! roles that need them, each reveal audited by the caller.

/// 640324199001011234 → 640324********1234 (keeps the address code and the last four).
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// 13812341234 → 138****1234.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// 马明 → 马*; 马小明 → 马*明 (surname kept, and the last character of names of three or more).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_follow_the_county_conventions() {
        assert_eq!(mask_resident_id("640324199001011234"), "640324********1234");
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_name("马明"), "马*");
        assert_eq!(mask_name("马小明"), "马*明");
        assert_eq!(mask_name("马"), "*");
    }
}
