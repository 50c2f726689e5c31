//! 验证码 for the public forms, made on the server with nothing downloaded: a small sum
//! (`23+7=?`) drawn as jittered strokes in an SVG, not as text, with noise lines across it.
//!
//! The challenge is signed, not stored: the token carries a nonce, its expiry and an HMAC of
//! them with the answer, under a key kept in the database (`meta`). Showing a form writes
//! nothing; answering records the nonce (`captcha_used`), right or wrong, so a challenge
//! answers once and guessing means fetching a new picture each time. A reader who cannot see
//! the picture is pointed to the reporting telephone numbers on the same page.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a challenge may be answered.
pub const LIFETIME_MINUTES: i64 = 30;

/// A challenge as shown: the picture and the token the form sends back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Challenge {
    pub token: String,
    /// `<svg …>…</svg>`, to be placed in the page as is.
    pub svg: String,
}

/// The sum a challenge asks: `a + b` or `a - b`, never negative; (question, answer).
pub fn question(r: [u8; 3]) -> (String, String) {
    let a = 10 + u32::from(r[0]) % 40;
    let b = 1 + u32::from(r[1]) % 9;
    if r[2] % 2 == 0 {
        (format!("{a}+{b}="), (a + b).to_string())
    } else {
        (format!("{a}-{b}="), (a - b).to_string())
    }
}

/// Segments of a character on a 10 × 20 grid: (x1, y1, x2, y2).
fn strokes(c: char) -> &'static [(i32, i32, i32, i32)] {
    const A: (i32, i32, i32, i32) = (0, 0, 10, 0);
    const B: (i32, i32, i32, i32) = (10, 0, 10, 10);
    const C: (i32, i32, i32, i32) = (10, 10, 10, 20);
    const D: (i32, i32, i32, i32) = (0, 20, 10, 20);
    const E: (i32, i32, i32, i32) = (0, 10, 0, 20);
    const F: (i32, i32, i32, i32) = (0, 0, 0, 10);
    const G: (i32, i32, i32, i32) = (0, 10, 10, 10);
    match c {
        '0' => &[A, B, C, D, E, F],
        '1' => &[B, C],
        '2' => &[A, B, G, E, D],
        '3' => &[A, B, G, C, D],
        '4' => &[F, G, B, C],
        '5' => &[A, F, G, C, D],
        '6' => &[A, F, G, E, C, D],
        '7' => &[A, B, C],
        '8' => &[A, B, C, D, E, F, G],
        '9' => &[A, B, C, D, F, G],
        '+' => &[(5, 5, 5, 15), G],
        '-' => &[G],
        '=' => &[(0, 7, 10, 7), (0, 13, 10, 13)],
        _ => &[],
    }
}

/// The question drawn as strokes, each end moved by up to 2 units, each character shifted and
/// scaled a little, with five noise lines; `jitter` supplies the randomness (any length, used
/// cyclically). A `?` in text follows, since it carries nothing to guess.
pub fn render_svg(question: &str, jitter: &[u8]) -> String {
    let mut j = jitter.iter().copied().cycle();
    let mut next = |span: i32| -> i32 {
        let b = i32::from(j.next().unwrap_or(0));
        b % (2 * span + 1) - span
    };
    let mut paths = String::new();
    let mut x0 = 10;
    for c in question.chars() {
        let dy = next(4);
        let scale = 10 + next(2); // tenths
        let mut d = String::new();
        for &(x1, y1, x2, y2) in strokes(c) {
            let p = |x: i32, y: i32, jx: i32, jy: i32| {
                (x0 + (x * scale) / 10 + jx, 12 + dy + (y * scale) / 10 + jy)
            };
            let (a, b) = p(x1, y1, next(2), next(2));
            let (e, f) = p(x2, y2, next(2), next(2));
            d.push_str(&format!("M{a} {b}L{e} {f}"));
        }
        paths.push_str(&format!(
            r##"<path d="{d}" stroke="#1f2d3d" stroke-width="{}" stroke-linecap="round" fill="none"/>"##,
            3 + next(1).abs()
        ));
        x0 += 18 + next(2);
    }
    let width = x0 + 24;
    let mut noise = String::new();
    for _ in 0..5 {
        let (a, b, e, f) = (
            next(10).abs(),
            22 + next(20),
            width - next(10).abs(),
            22 + next(20),
        );
        noise.push_str(&format!(
            r##"<path d="M{a} {b}L{e} {f}" stroke="#8795a1" stroke-width="1"/>"##
        ));
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="captcha" width="{width}" height="46" viewBox="0 0 {width} 46" role="img" aria-label="验证码图片：一道算术题">{noise}{paths}<text x="{}" y="33" font-size="22" fill="#1f2d3d">?</text></svg>"##,
        x0 + 2
    )
}

type HmacSha256 = Hmac<Sha256>;

/// The key as one SHA-256 block: HMAC pads a shorter key with zeros to the block, so for the
/// 32-byte keys Tongxin makes this is HMAC under the key itself; a longer key is hashed first,
/// as HMAC does.
fn key_block(key: &[u8]) -> [u8; 64] {
    use sha2::Digest;
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    block
}

fn mac(key: &[u8], nonce: &str, expires: i64, answer: &str) -> HmacSha256 {
    let block = key_block(key);
    let mut m = <HmacSha256 as hmac::digest::KeyInit>::new(
        hmac::digest::generic_array::GenericArray::from_slice(&block),
    );
    m.update(format!("captcha|{nonce}|{expires}|{}", answer.trim()).as_bytes());
    m
}

/// The token of a challenge: `nonce.expiry.mac`.
pub fn sign(key: &[u8], nonce: &str, expires: DateTime<Utc>, answer: &str) -> String {
    let e = expires.timestamp();
    let tag = mac(key, nonce, e, answer).finalize().into_bytes();
    format!("{nonce}.{e}.{}", tongxin_domain::audit::hex(&tag))
}

/// Why an answer was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    Expired,
    Wrong,
}

/// A challenge's nonce and expiry: what is recorded once it is answered.
pub type Spent = (String, DateTime<Utc>);

/// Checks a typed answer against a token at `now`: the nonce and expiry to record as used,
/// or why not (with them, when the token was readable, so a wrong answer spends it too).
pub fn check(
    key: &[u8],
    token: &str,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<Spent, (Refusal, Option<Spent>)> {
    let mut parts = token.trim().splitn(3, '.');
    let (Some(nonce), Some(e), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
        return Err((Refusal::Malformed, None));
    };
    let Some(expires) = e
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
    else {
        return Err((Refusal::Malformed, None));
    };
    let Some(tag) = unhex(tag) else {
        return Err((Refusal::Malformed, None));
    };
    if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err((Refusal::Malformed, None));
    }
    let used = Some((nonce.to_owned(), expires));
    if expires <= now || expires > now + Duration::minutes(LIFETIME_MINUTES + 1) {
        return Err((Refusal::Expired, used));
    }
    match mac(key, nonce, expires.timestamp(), answer).verify_slice(&tag) {
        Ok(()) => Ok((nonce.to_owned(), expires)),
        Err(_) => Err((Refusal::Wrong, used)),
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap()
    }

    #[test]
    fn questions_are_small_sums_never_negative() {
        for r in 0..=255u8 {
            for op in 0..2u8 {
                let (q, a) = question([r, r.wrapping_mul(7), op]);
                let a: i64 = a.parse().unwrap();
                let (x, y) = q.trim_end_matches('=').split_once(['+', '-']).unwrap();
                let (x, y): (i64, i64) = (x.parse().unwrap(), y.parse().unwrap());
                assert_eq!(a, if q.contains('+') { x + y } else { x - y }, "{q}");
                assert!(
                    (10..=49).contains(&x) && (1..=9).contains(&y) && a >= 1,
                    "{q}"
                );
            }
        }
    }

    #[test]
    fn the_picture_draws_every_character_and_holds_no_digits_as_text() {
        let svg = render_svg("23+7=", &[3, 250, 17, 99, 4]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // One path per character plus five noise lines.
        assert_eq!(svg.matches("<path").count(), 5 + 5);
        // Strokes: 2 (5) + 3 (5) + '+' (2) + 7 (3) + '=' (2).
        let segments = svg.matches('M').count() - 5;
        assert_eq!(segments, 5 + 5 + 2 + 3 + 2);
        let text = svg.split("<text").nth(1).unwrap();
        assert!(text.contains(">?</text>"));
        assert_eq!(svg.matches("<text").count(), 1);
        // The same randomness draws the same picture; other randomness another.
        assert_eq!(svg, render_svg("23+7=", &[3, 250, 17, 99, 4]));
        assert_ne!(svg, render_svg("23+7=", &[4, 250, 17, 99, 4]));
    }

    #[test]
    fn a_token_accepts_its_answer_once_signed_and_before_it_expires() {
        let key = b"k";
        let nonce = "0123456789abcdef0123456789abcdef";
        let exp = now() + Duration::minutes(LIFETIME_MINUTES);
        let t = sign(key, nonce, exp, "30");
        assert_eq!(check(key, &t, " 30 ", now()), Ok((nonce.to_owned(), exp)));
        let used = Some((nonce.to_owned(), exp));
        assert_eq!(
            check(key, &t, "31", now()),
            Err((Refusal::Wrong, used.clone()))
        );
        assert_eq!(
            check(b"other key", &t, "30", now()),
            Err((Refusal::Wrong, used.clone()))
        );
        assert_eq!(
            check(key, &t, "30", exp),
            Err((Refusal::Expired, used.clone()))
        );
        // An expiry pushed further than a challenge lives is refused even if signed.
        let far = now() + Duration::days(2);
        let t2 = sign(key, nonce, far, "30");
        assert_eq!(
            check(key, &t2, "30", now()),
            Err((Refusal::Expired, Some((nonce.to_owned(), far))))
        );
        for bad in [
            "",
            "a.b",
            "x.1.00",
            &t.replace(nonce, "zz"),
            &format!("{t}0"),
        ] {
            assert_eq!(
                check(key, bad, "30", now()).map_err(|e| e.0),
                Err(Refusal::Malformed),
                "{bad}"
            );
        }
    }
}
