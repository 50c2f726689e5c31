//! Identifiers at the edge (证件号码): resident ID numbers under GB 11643-1999.
//!
//! A [`ResidentId`] can only be built by [`ResidentId::parse`], so a value of the type is always
//! a number whose length, check character, birth date and province code are right.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt;

use crate::mask::mask_resident_id;
use crate::validation::FieldError;

/// 公民身份号码 weights: W_i = 2^(17−i) mod 11 for positions 1..=17 (GB 11643-1999 §7.2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2).
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes of GB/T 2260 (the first two digits of an address code).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, // 华北
    21, 22, 23, // 东北
    31, 32, 33, 34, 35, 36, 37, // 华东
    41, 42, 43, 44, 45, 46, // 中南
    50, 51, 52, 53, 54, // 西南
    61, 62, 63, 64, 65, // 西北
    71, // 台湾
    81, 82, // 香港、澳门
];

/// 校验码: the ISO 7064 MOD 11-2 check character of a 17-digit body, or `None` if `body` is
/// not 17 ASCII digits.
pub fn resident_id_check_char(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// 居民身份证号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit order
/// code (odd for men) and a check character. Stored upper-case (`x` → `X`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses and validates a number typed into `field`. `today` bounds the birth date (no
    /// clock in the domain). Surrounding whitespace is ignored; a lower-case `x` is accepted.
    pub fn parse(field: &str, input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let err = |m: String| FieldError::new(field, m);
        let s = input.trim().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(err(format!(
                "身份证号码须为18位（GB 11643-1999），现为{}位",
                s.chars().count()
            )));
        }
        let (body, check) = s.split_at(17);
        if !body.bytes().all(|b| b.is_ascii_digit())
            || !matches!(check.as_bytes(), [b'0'..=b'9' | b'X'])
        {
            return Err(err(
                "身份证号码前17位须为数字，第18位为数字或X（GB 11643-1999）".into(),
            ));
        }
        let province: u8 = body[..2].parse().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(err(format!(
                "身份证号码地址码“{}”的省级代码“{province:02}”不存在（GB/T 2260）",
                &body[..6]
            )));
        }
        let birth = NaiveDate::parse_from_str(&body[6..14], "%Y%m%d").map_err(|_| {
            err(format!(
                "身份证号码中的出生日期“{}”不是有效日期（GB 11643-1999）",
                &body[6..14]
            ))
        })?;
        if birth > today {
            return Err(err(format!(
                "身份证号码中的出生日期{}晚于今天（GB 11643-1999）",
                birth.format("%Y年%-m月%-d日")
            )));
        }
        if resident_id_check_char(body) != check.chars().next() {
            return Err(err("身份证号码校验位不符（GB 11643-1999）".into()));
        }
        Ok(ResidentId(s))
    }

    /// The full number. Show it only to roles that need it, and audit the reveal.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 地址码: the 6-digit GB/T 2260 code of the place of first registration (640324).
    pub fn address_code(&self) -> &str {
        &self.0[..6]
    }

    /// 出生日期.
    pub fn birth_date(&self) -> NaiveDate {
        // Validated in `parse`.
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").unwrap_or_default()
    }

    /// 顺序码 odd = male, even = female.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// 640324********1234.
    pub fn masked(&self) -> String {
        mask_resident_id(&self.0)
    }
}

impl fmt::Display for ResidentId {
    /// Displays masked: the full number only through [`ResidentId::as_str`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn with_check(body: &str) -> String {
        format!("{body}{}", resident_id_check_char(body).unwrap())
    }

    #[test]
    fn the_standards_published_example_validates() {
        let id = ResidentId::parse("id", "11010519491231002X", today()).unwrap();
        assert_eq!(id.address_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!id.is_male(), "order code 002 is even: female");
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.to_string(), "110105********002X");
    }

    #[test]
    fn a_lower_case_x_is_accepted_and_normalised() {
        let id = ResidentId::parse("id", " 11010519491231002x ", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn valid_and_invalid_numbers_table() {
        let tongxin = with_check("64032419900101123");
        let old_code = with_check("64212719800229001");
        let born_today = with_check("64032420261129001");
        assert!(
            ResidentId::parse("id", &tongxin, today())
                .unwrap()
                .is_male()
        );
        assert!(ResidentId::parse("id", &old_code, today()).is_ok());
        assert!(ResidentId::parse("id", &born_today, today()).is_ok());
        for p in ["71", "81", "82", "65", "11"] {
            let n = with_check(&format!("{p}010019900101123"));
            assert!(ResidentId::parse("id", &n, today()).is_ok(), "{n}");
        }
        let wrong_check = {
            let mut s = tongxin.clone();
            let c = s.pop().unwrap();
            s.push(if c == '0' { '1' } else { '0' });
            s
        };
        let table: Vec<(String, &str)> = vec![
            (wrong_check, "身份证号码校验位不符（GB 11643-1999）"),
            (
                "11010519491231002".into(),
                "身份证号码须为18位（GB 11643-1999），现为17位",
            ),
            (
                "110105194912310021X".into(),
                "身份证号码须为18位（GB 11643-1999），现为19位",
            ),
            (
                "1101051949123100X2".into(),
                "身份证号码前17位须为数字，第18位为数字或X（GB 11643-1999）",
            ),
            (
                "11010519491231002Y".into(),
                "身份证号码前17位须为数字，第18位为数字或X（GB 11643-1999）",
            ),
            (
                with_check("10010519491231002"),
                "身份证号码地址码“100105”的省级代码“10”不存在（GB/T 2260）",
            ),
            (
                with_check("66010519491231002"),
                "身份证号码地址码“660105”的省级代码“66”不存在（GB/T 2260）",
            ),
            (
                with_check("64032420230229001"),
                "身份证号码中的出生日期“20230229”不是有效日期（GB 11643-1999）",
            ),
            (
                with_check("64032419901301001"),
                "身份证号码中的出生日期“19901301”不是有效日期（GB 11643-1999）",
            ),
            (
                with_check("64032420261130001"),
                "身份证号码中的出生日期2026年11月30日晚于今天（GB 11643-1999）",
            ),
        ];
        for (input, message) in table {
            let e = ResidentId::parse("members[0].resident_id", &input, today()).unwrap_err();
            assert_eq!(e.field, "members[0].resident_id");
            assert_eq!(e.message, message, "{input}");
        }
    }

    #[test]
    fn the_check_char_matches_the_published_example() {
        assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
        assert_eq!(resident_id_check_char("1101051949123100"), None);
        assert_eq!(resident_id_check_char("1101051949123100A"), None);
    }

    fn body() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PROVINCES.to_vec()),
            0u32..10_000,
            1900i32..2026,
            1u32..=12,
            1u32..=28,
            0u32..1000,
        )
            .prop_map(|(p, a, y, m, d, o)| format!("{p:02}{a:04}{y:04}{m:02}{d:02}{o:03}"))
    }

    proptest! {
        #[test]
        fn any_valid_body_with_its_computed_check_char_validates(b in body()) {
            let n = with_check(&b);
            prop_assert!(ResidentId::parse("id", &n, today()).is_ok(), "{}", n);
        }

        #[test]
        fn changing_any_single_digit_breaks_the_check(b in body(), pos in 0usize..17, delta in 1u8..10) {
            let n = with_check(&b);
            let mut bytes = n.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let altered = String::from_utf8(bytes).unwrap();
            let (body, check) = altered.split_at(17);
            prop_assert_ne!(resident_id_check_char(body), check.chars().next());
            prop_assert!(ResidentId::parse("id", &altered, today()).is_err());
        }
    }
}

/// The 31 characters a 统一社会信用代码 may use (GB 32100-2015: digits and capitals without
/// I, O, S, V, Z).
const CREDIT_CODE_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码 (GB 32100-2015): registration authority, organisation type, 6-digit
/// division code, 9-character organisation code and a check character (MOD 31).
/// Stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

/// 登记管理部门代码 and the 机构类别代码 each allows (GB 32100-2015 附录A).
const CREDIT_CODE_AUTHORITIES: &[(u8, &str, &[u8])] = &[
    (b'1', "机构编制", b"1239"),
    (b'2', "外交", b"19"),
    (b'3', "司法行政", b"123459"),
    (b'4', "文化", b"19"),
    (b'5', "民政", b"1239"),
    (b'6', "旅游", b"129"),
    (b'7', "宗教", b"129"),
    (b'8', "工会", b"19"),
    (b'9', "工商（市场监管）", b"123"),
    (b'A', "中央军委改革和编制办公室", b"19"),
    (b'N', "农业", b"1239"),
    (b'Y', "其他", b"1"),
];

/// The check character of a 9-character 组织机构代码 body (GB 11714-1997: weights
/// 3 7 9 10 5 8 4 2, MOD 11; 10 is written X, 11 is written 0).
fn organisation_check(body: &[u8]) -> Option<u8> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(W) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    })
}

/// The MOD 31 check character over 17 characters, if all are allowed.
fn credit_check(first17: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in first17.iter().enumerate() {
        let v = CREDIT_CODE_CHARS.iter().position(|x| x == c)?;
        sum += v as u32 * CREDIT_CODE_WEIGHTS[i];
    }
    Some(CREDIT_CODE_CHARS[((31 - sum % 31) % 31) as usize])
}

impl CreditCode {
    /// Checks, in order: 18 characters of the allowed 31; the check character (MOD 31);
    /// the registration authority (1st) and the category it allows (2nd); the division code
    /// (3rd–8th, digits); the embedded organisation code's own check (17th, GB 11714).
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let err = |m: String| FieldError::new(field, m);
        let s = input.trim().to_ascii_uppercase();
        let n = s.chars().count();
        if n != 18 {
            return Err(err(format!(
                "统一社会信用代码须为18位（GB 32100-2015），现为{n}位"
            )));
        }
        let b = s.as_bytes();
        if let Some(i) = b.iter().position(|c| !CREDIT_CODE_CHARS.contains(c)) {
            return Err(err(format!(
                "统一社会信用代码第{}位“{}”不是允许的字符（数字或除I、O、S、V、Z以外的大写字母）",
                i + 1,
                b[i] as char
            )));
        }
        if credit_check(&b[..17]) != Some(b[17]) {
            return Err(err(
                "统一社会信用代码校验位不符，请核对是否抄错（GB 32100-2015）".to_owned(),
            ));
        }
        let Some((_, authority, categories)) =
            CREDIT_CODE_AUTHORITIES.iter().find(|(c, _, _)| *c == b[0])
        else {
            return Err(err(format!(
                "统一社会信用代码第1位“{}”不是登记管理部门代码（GB 32100-2015 附录A：1–9、A、N、Y）",
                b[0] as char
            )));
        };
        if !categories.contains(&b[1]) {
            return Err(err(format!(
                "统一社会信用代码第2位“{}”不是{authority}登记的机构类别代码（GB 32100-2015 附录A）",
                b[1] as char
            )));
        }
        if !b[2..8].iter().all(u8::is_ascii_digit) {
            return Err(err(
                "统一社会信用代码第3至8位须为登记管理机关的行政区划代码（数字）".to_owned(),
            ));
        }
        if organisation_check(&b[8..16]) != Some(b[16]) {
            return Err(err(
                "统一社会信用代码第9至17位（组织机构代码）的校验码不符（GB 11714-1997），请核对是否抄错"
                    .to_owned(),
            ));
        }
        Ok(Self(s))
    }

    /// The code completed from its first 16 characters (authority, category, division code and
    /// the organisation code's body): the organisation code's check and the code's check
    /// character appended. For making valid codes (demo data, tests); None if a character is
    /// not allowed.
    pub fn complete(first16: &str) -> Option<Self> {
        let b = first16.as_bytes();
        if b.len() != 16 {
            return None;
        }
        let mut v = b.to_vec();
        v.push(organisation_check(&b[8..16])?);
        let check = credit_check(&v)?;
        v.push(check);
        let s = String::from_utf8(v).ok()?;
        Self::parse("credit_code", &s).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod credit_code_tests {
    use super::CreditCode;

    #[test]
    fn published_codes_pass_and_typos_are_caught() {
        // Two codes companies publish on their licences.
        for ok in [
            "914403001922038216",
            "9144030071526726XG",
            " 9144030071526726xg ",
        ] {
            assert!(CreditCode::parse("c", ok).is_ok(), "{ok}");
        }
        let cases = [
            ("91440300192203821", "须为18位"),
            ("914403001922038217", "校验位不符"),
            ("914403001922O38216", "第13位“O”"),
            ("91A403001922038216", "统一社会信用代码"),
            // Check characters right, structure wrong.
            (
                complete_unchecked("B1640324MA760000"),
                "第1位“B”不是登记管理部门代码",
            ),
            (
                complete_unchecked("94640324MA760000"),
                "不是工商（市场监管）登记的机构类别代码",
            ),
            (
                with_wrong_org_check("91640324MA760000"),
                "组织机构代码）的校验码不符",
            ),
        ];
        for (bad, says) in cases {
            let e = CreditCode::parse("applicant_credit_code", bad).unwrap_err();
            assert_eq!(e.field, "applicant_credit_code");
            assert!(e.message.contains(says), "{bad}: {}", e.message);
        }
    }

    /// The code with a correct MOD 31 character whatever its structure.
    fn complete_unchecked(first16: &str) -> &'static str {
        let mut v = first16.as_bytes().to_vec();
        v.push(super::organisation_check(&v[8..16]).unwrap());
        v.push(super::credit_check(&v).unwrap());
        String::from_utf8(v).unwrap().leak()
    }

    /// A code whose organisation check is off by one but whose MOD 31 character fits.
    fn with_wrong_org_check(first16: &str) -> &'static str {
        let mut v = first16.as_bytes().to_vec();
        let right = super::organisation_check(&v[8..16]).unwrap();
        v.push(if right == b'1' { b'2' } else { b'1' });
        v.push(super::credit_check(&v).unwrap());
        String::from_utf8(v).unwrap().leak()
    }

    #[test]
    fn completed_codes_parse() {
        for body in [
            "91640324MA760000",
            "12640324MB000000",
            "Y1640324000000AB",
            "N2640324MC123456",
        ] {
            let c = CreditCode::complete(body).unwrap_or_else(|| panic!("{body}"));
            assert!(c.as_str().starts_with(body));
        }
        assert!(CreditCode::complete("9164032").is_none());
        assert!(CreditCode::complete("B1640324MA760000").is_none());
        // Real codes published on licences keep passing.
        assert!(CreditCode::parse("c", "91350100M000100Y43").is_ok());
        assert!(CreditCode::parse("c", "91110000600037341L").is_ok());
    }

    #[test]
    fn every_single_character_substitution_is_caught() {
        const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let good = "914403001922038216";
        for i in 0..18 {
            for &c in CHARS {
                let mut b = good.as_bytes().to_vec();
                if b[i] == c {
                    continue;
                }
                b[i] = c;
                let s = String::from_utf8(b).unwrap();
                assert!(CreditCode::parse("c", &s).is_err(), "{s}");
            }
        }
    }

    fn any_body() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let authority = proptest::sample::select(
            super::CREDIT_CODE_AUTHORITIES
                .iter()
                .flat_map(|(a, _, cats)| cats.iter().map(move |c| [*a, *c]))
                .collect::<Vec<_>>(),
        );
        let org = proptest::collection::vec(proptest::sample::select(CHARS_NO_CHECK.to_vec()), 8);
        (authority, 0u32..1_000_000, org).prop_map(|(ac, div, org)| {
            let mut v = ac.to_vec();
            v.extend(format!("{div:06}").bytes());
            v.extend(org);
            String::from_utf8(v).unwrap()
        })
    }

    /// Characters an organisation code body may hold (GB 11714: digits and capitals).
    const CHARS_NO_CHECK: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

    proptest::proptest! {
        /// Any structurally valid body completes to a code that parses, and changing any one
        /// of its 18 characters to another allowed character is refused.
        #[test]
        fn completed_codes_parse_and_any_substitution_is_refused(
            body in any_body(), pos in 0usize..18, to in 0usize..31,
        ) {
            let code = CreditCode::complete(&body).unwrap();
            proptest::prop_assert!(CreditCode::parse("c", code.as_str()).is_ok());
            let mut b = code.as_str().as_bytes().to_vec();
            let c = CHARS_NO_CHECK[to];
            proptest::prop_assume!(b[pos] != c);
            b[pos] = c;
            let s = String::from_utf8(b).unwrap();
            proptest::prop_assert!(CreditCode::parse("c", &s).is_err(), "{}", s);
        }
    }
}
