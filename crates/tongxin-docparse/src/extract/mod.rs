//! Extraction from one clause's own text: the labelled fields (牵头单位：, 责任单位：, 时间：,
//! 地点：, 链长：, 组长：) and the scanners for units, people, times, deadlines and quantities.
//! Everything works on a whitespace-free [`crate::text::Clean`] view and maps spans back.

pub(crate) mod numbers;
pub(crate) mod people;
pub(crate) mod time;
pub(crate) mod units;

/// What a field label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// 牵头单位
    Lead,
    /// 责任单位 / 配合单位
    Responsible,
    /// 时间 / 活动时间
    Time,
    /// 地点 / 活动地点
    Place,
    /// 链长
    ChainChief,
    /// 组长
    Leader,
    /// 副组长
    DeputyLeader,
}

const MARKERS: [(&str, Key); 10] = [
    ("牵头单位", Key::Lead),
    ("责任单位", Key::Responsible),
    ("配合单位", Key::Responsible),
    ("活动时间", Key::Time),
    ("时间", Key::Time),
    ("活动地点", Key::Place),
    ("地点", Key::Place),
    ("链长", Key::ChainChief),
    ("副组长", Key::DeputyLeader),
    ("组长", Key::Leader),
];

/// A field: its key and the byte range of its value in the clean text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: Key,
    pub start: usize,
    pub end: usize,
}

/// Finds `KEY：value` fields. A value ends at the next field, at `；` or `。`, or at the `）`
/// closing a parenthesised group (brackets inside the value, as in 各乡镇（开发区）, are kept).
pub(crate) fn fields(s: &str) -> Vec<Field> {
    let mut found: Vec<(usize, usize, Key)> = Vec::new(); // (marker start, value start, key)
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let mut hit = None;
        for (m, k) in MARKERS {
            if let Some(after) = rest.strip_prefix(m)
                && let Some(c) = after.chars().next()
                && matches!(c, '：' | ':')
            {
                hit = Some((m.len() + c.len_utf8(), k));
                break;
            }
        }
        match hit {
            Some((len, k)) => {
                found.push((i, i + len, k));
                i += len;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (n, &(_, vs, key)) in found.iter().enumerate() {
        let limit = found.get(n + 1).map_or(s.len(), |f| f.0);
        let mut depth = 0usize;
        let mut end = limit;
        for (k, c) in s[vs..limit].char_indices() {
            match c {
                '（' | '(' | '<' | '〈' | '＜' => depth += 1,
                '）' | ')' | '>' | '〉' | '＞' => {
                    if depth == 0 {
                        end = vs + k;
                        break;
                    }
                    depth -= 1;
                }
                '；' | ';' | '。' if depth == 0 => {
                    end = vs + k;
                    break;
                }
                _ => {}
            }
        }
        out.push(Field {
            key,
            start: vs,
            end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_stop_at_the_next_field_and_the_closing_bracket() {
        let s =
            "（链长：凌镇；牵头单位：投资促进服务中心；责任单位：工业园区管委会、市场监管局）后文";
        let f = fields(s);
        let v: Vec<(Key, &str)> = f.iter().map(|f| (f.key, &s[f.start..f.end])).collect();
        assert_eq!(
            v,
            [
                (Key::ChainChief, "凌镇"),
                (Key::Lead, "投资促进服务中心"),
                (Key::Responsible, "工业园区管委会、市场监管局"),
            ]
        );
        let s = "时间：2024年2月7日地点：同心县新区体育馆牵头单位：县文化旅游体育广电局责任单位：各乡镇（开发区）、各部门";
        let v: Vec<&str> = fields(s).iter().map(|f| &s[f.start..f.end]).collect();
        assert_eq!(
            v,
            [
                "2024年2月7日",
                "同心县新区体育馆",
                "县文化旅游体育广电局",
                "各乡镇（开发区）、各部门"
            ]
        );
    }
}
