//! Deadlines and periods (期限: `10个工作日内`, `期满前30日`, `超过6个月`, `有效期五年`) and
//! quantities (数量: caps such as `不得超过270平方米`, thresholds such as `5000万元（含）以上`,
//! targets such as `90%以上`, `7.87万亩`).

use crate::model::{DeadlineRef, PeriodUnit, Quantity};
use crate::text::{Clean, cn_number, is_numeral_char};

fn prev_char(s: &str, at: usize) -> Option<char> {
    s[..at].chars().next_back()
}

/// Comparator words written before a number, longest first, with the comparator they give.
const BEFORE: [(&str, &str); 14] = [
    ("不得超过", "<="),
    ("不得高于", "<="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("不得低于", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("控制在", "<="),
    ("达到", ">="),
    ("低于", "<"),
    ("小于", "<"),
    ("高于", ">"),
    ("大于", ">"),
    ("超过", ">"),
];

/// Finds deadlines and periods in `clean.s[a..b]`.
pub(crate) fn deadlines(clean: &Clean, a: usize, b: usize, clause: &str) -> Vec<DeadlineRef> {
    let s = &clean.s[..b];
    let mut out = Vec::new();
    let mut i = a;
    while i < b {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let prev = prev_char(s, i);
        if !is_numeral_char(c)
            || prev.is_some_and(|p| is_numeral_char(p) || p == '第' || p == '.' || p == '月')
        {
            i += c.len_utf8();
            continue;
        }
        let mut k = i;
        while let Some(ch) = s[k..].chars().next() {
            if !is_numeral_char(ch) || k - i > 12 {
                break;
            }
            k += ch.len_utf8();
        }
        let num = &s[i..k];
        let Some(amount) = cn_number(num) else {
            i = k;
            continue;
        };
        let rest = &s[k..];
        let (unit, mut e, counted) = if let Some(r) = rest.strip_prefix("个工作日") {
            (Some(PeriodUnit::Workdays), k + (rest.len() - r.len()), true)
        } else if let Some(r) = rest.strip_prefix("工作日") {
            (Some(PeriodUnit::Workdays), k + (rest.len() - r.len()), true)
        } else if let Some(r) = rest.strip_prefix("个月") {
            (Some(PeriodUnit::Months), k + (rest.len() - r.len()), true)
        } else if rest.starts_with('日') || rest.starts_with('天') {
            (Some(PeriodUnit::Days), k + '日'.len_utf8(), false)
        } else if rest.starts_with('年')
            && amount <= 50
            && !rest[3..].starts_with(['底', '末', '度', '月', '级'])
        {
            (Some(PeriodUnit::Years), k + '年'.len_utf8(), false)
        } else {
            (None, k, false)
        };
        let Some(unit) = unit else {
            i = k.max(i + c.len_utf8());
            continue;
        };
        let after = &s[e..];
        let mut relation = None;
        for (w, r) in [
            ("以内", "within"),
            ("内", "within"),
            ("以前", "before"),
            ("前", "before"),
            ("以后", "after"),
            ("后", "after"),
        ] {
            if after.starts_with(w) {
                relation = Some(r);
                e += w.len();
                break;
            }
        }
        let mut start = i;
        let before = &s[..i];
        for (w, r) in [
            ("不得超过", "within"),
            ("不超过", "within"),
            ("超过", "exceeding"),
            ("不少于", "at_least"),
            ("不低于", "at_least"),
            ("期满前", "before"),
            ("届满前", "before"),
        ] {
            if before.ends_with(w) {
                start = i - w.len();
                if relation.is_none() || matches!(r, "exceeding" | "within" | "before") {
                    relation = Some(r);
                }
                break;
            }
        }
        let period_word = ["期", "通过", "期限", "为期", "连续"]
            .iter()
            .any(|w| before.ends_with(w));
        let relation = match relation {
            Some(r) => r,
            None if counted || period_word || prev_char(s, i) == Some('用') => "period",
            None if unit == PeriodUnit::Days && rest.starts_with('天') => "period",
            None => {
                i = k;
                continue;
            }
        };
        out.push(DeadlineRef {
            clause: clause.to_owned(),
            text: s[start..e].to_owned(),
            amount,
            unit,
            relation: relation.to_owned(),
            span: clean.span(start, e),
        });
        i = e;
    }
    out
}

/// Units a quantity can carry, longest first; the flag marks counts (个, 家 …).
const UNITS: [(&str, bool); 24] = [
    ("微克/立方米", false),
    ("万平方米", false),
    ("平方米", false),
    ("立方米", false),
    ("万亩", false),
    ("亩", false),
    ("亿元", false),
    ("万元", false),
    ("元", false),
    ("%", false),
    ("％", false),
    ("万吨", false),
    ("吨", false),
    ("公里", false),
    ("千米", false),
    ("个", true),
    ("家", true),
    ("处", true),
    ("户", true),
    ("次", true),
    ("项", true),
    ("台", true),
    ("辆", true),
    ("座", true),
];

/// Finds quantities in `clean.s[a..b]`. Counts are kept only when `counts` is set (target
/// clauses); `need_comparator` keeps only limits (caps and thresholds).
pub(crate) fn quantities(
    clean: &Clean,
    a: usize,
    b: usize,
    clause: &str,
    counts: bool,
    need_comparator: bool,
) -> Vec<Quantity> {
    let s = &clean.s[..b];
    let mut out = Vec::new();
    let mut i = a;
    while i < b {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let prev = prev_char(s, i);
        if !c.is_ascii_digit()
            || prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '第')
        {
            i += c.len_utf8();
            continue;
        }
        let mut k = i;
        let mut dot = false;
        while let Some(ch) = s[k..].chars().next() {
            if ch.is_ascii_digit()
                || (ch == '.' && !dot && s[k + 1..].starts_with(|x: char| x.is_ascii_digit()))
            {
                dot |= ch == '.';
                k += 1;
            } else {
                break;
            }
        }
        let Ok(value) = s[i..k].parse::<f64>() else {
            i = k;
            continue;
        };
        let rest = &s[k..];
        let Some(&(unit, is_count)) = UNITS.iter().find(|(u, _)| rest.starts_with(u)) else {
            i = k;
            continue;
        };
        if is_count && !counts {
            i = k;
            continue;
        }
        // 个 followed by 工作日/月 is a period, not a count.
        if is_count
            && (rest[unit.len()..].starts_with("工作日") || rest[unit.len()..].starts_with('月'))
        {
            i = k;
            continue;
        }
        let mut e = k + unit.len();
        let mut inclusive = false;
        for w in ["（含）", "(含)"] {
            if s[e..].starts_with(w) {
                inclusive = true;
                e += w.len();
            }
        }
        let mut comparator = "=";
        for (w, cmp) in [
            ("及以上", ">="),
            ("以上", ">="),
            ("及以下", "<="),
            ("以下", "<="),
            ("以内", "<="),
        ] {
            if s[e..].starts_with(w) {
                comparator = cmp;
                e += w.len();
                break;
            }
        }
        let mut start = i;
        let before = &s[..i];
        for (w, cmp) in BEFORE {
            if before.ends_with(w) {
                start = i - w.len();
                if comparator == "=" || w == "控制在" || w == "达到" {
                    comparator = if comparator == "=" { cmp } else { comparator };
                } else if cmp.starts_with('<') || cmp.starts_with('>') {
                    comparator = cmp;
                }
                break;
            }
        }
        if need_comparator && comparator == "=" && !inclusive {
            i = e;
            continue;
        }
        out.push(Quantity {
            clause: clause.to_owned(),
            text: s[start..e].to_owned(),
            value,
            unit: unit.replace('％', "%"),
            comparator: comparator.to_owned(),
            inclusive,
            span: clean.span(start, e),
        });
        i = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(s: &str) -> Vec<(u32, PeriodUnit, String)> {
        let c = Clean::new(s, 0, s.len());
        deadlines(&c, 0, c.s.len(), "x")
            .into_iter()
            .map(|d| (d.amount, d.unit, d.relation))
            .collect()
    }

    #[test]
    fn deadlines_carry_their_unit_and_relation() {
        use PeriodUnit::*;
        assert_eq!(dl("要在10个工作日内对"), [(10, Workdays, "within".into())]);
        assert_eq!(
            dl("公示时间不少于7个工作日。"),
            [(7, Workdays, "at_least".into())]
        );
        assert_eq!(dl("期满前30日内，"), [(30, Days, "before".into())]);
        assert_eq!(
            dl("无正当理由超过6个月未使用"),
            [(6, Months, "exceeding".into())]
        );
        assert_eq!(dl("有效期五年"), [(5, Years, "period".into())]);
        assert_eq!(dl("二十个工作日内"), [(20, Workdays, "within".into())]);
        assert_eq!(dl("十日内"), [(10, Days, "within".into())]);
        assert_eq!(dl("2023年12月28日前"), []);
        assert_eq!(dl("到2023年底"), []);
    }

    fn q(s: &str, counts: bool, need: bool) -> Vec<(f64, String, String, bool)> {
        let c = Clean::new(s, 0, s.len());
        quantities(&c, 0, c.s.len(), "x", counts, need)
            .into_iter()
            .map(|q| (q.value, q.unit, q.comparator, q.inclusive))
            .collect()
    }

    #[test]
    fn caps_thresholds_and_targets_are_read_with_their_comparators() {
        assert_eq!(
            q("每户宅基地面积不得超过270平方米", false, true),
            [(270.0, "平方米".into(), "<=".into(), false)]
        );
        assert_eq!(
            q("总投资5000万元（含）以上的项目", false, true),
            [(5000.0, "万元".into(), ">=".into(), true)]
        );
        assert_eq!(
            q("总投资1500万元以下的项目", false, true),
            [(1500.0, "万元".into(), "<=".into(), false)]
        );
        assert_eq!(
            q("控制在34微克/立方米以下", false, false),
            [(34.0, "微克/立方米".into(), "<=".into(), false)]
        );
        assert_eq!(
            q("达到90%以上", false, false),
            [(90.0, "%".into(), ">=".into(), false)]
        );
        assert_eq!(
            q("综合抚育管护7.87万亩", false, false),
            [(7.87, "万亩".into(), "=".into(), false)]
        );
        assert_eq!(q("PM2.5、PM10年均浓度", false, false), []);
        assert_eq!(
            q("562个规模养殖场", true, false),
            [(562.0, "个".into(), "=".into(), false)]
        );
    }
}
