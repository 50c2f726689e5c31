//! Forms generated from a procedure's field definitions: one input per field kind, the typed
//! text kept as typed when a submission is refused, and each refusal shown beside its field.
//!
//! Form names are the field ids (`applicant_name`), with `coordinates.lon` / `coordinates.lat`
//! for coordinates and `members[2].name` for the rows of a member table. Rows left empty are
//! dropped before the data goes to the app layer, so an error the app reports on
//! `members[1].resident_id` (the second row sent) is mapped back to the row it was typed in.

use std::collections::HashMap;

use serde_json::{Map, Value};
use tongxin_domain::FieldError;
use tongxin_domain::procedure::{FieldDef, FieldKind};

use crate::cite::CitedText;

/// Member rows offered on an empty form; a refused form offers one more than were filled.
pub const MEMBER_ROWS: usize = 5;
/// Rows read from a submission at most.
pub const MEMBER_ROWS_MAX: usize = 30;

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct MemberRow {
    pub index: usize,
    pub name: String,
    pub resident_id: String,
    pub relation: String,
    pub errors: Vec<CitedText>,
}

/// One input as the template draws it (templates/case_field.html).
pub struct FieldInput {
    /// The form name: the field id.
    pub name: String,
    /// The element id (unique on a page with several forms).
    pub dom_id: String,
    pub label: String,
    /// text | textarea | integer | decimal | date | choice | resident_id | bool | coordinates |
    /// members
    pub kind: &'static str,
    pub required: bool,
    pub max_length: usize,
    pub value: String,
    pub checked: bool,
    pub lon: String,
    pub lat: String,
    pub options: Vec<OptionView>,
    pub members: Vec<MemberRow>,
    /// What the field accepts, in a word (range, format).
    pub hint: String,
    pub errors: Vec<CitedText>,
}

/// What was typed, by form name.
pub type Typed = HashMap<String, String>;

fn typed<'a>(raw: &'a Typed, key: &str) -> &'a str {
    raw.get(key).map(String::as_str).unwrap_or("")
}

fn member_key(field: &str, row: usize, part: &str) -> String {
    format!("{field}[{row}].{part}")
}

fn range_hint<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("不小于{a}"),
        (None, Some(b)) => format!("不大于{b}"),
        (None, None) => String::new(),
    }
}

/// Errors by form key, with member-row keys mapped back to the rows typed.
#[derive(Default)]
pub struct Errors {
    pub by_key: HashMap<String, Vec<CitedText>>,
    /// Every message, in the order the app gave them (the summary at the top of the form).
    pub all: Vec<CitedText>,
}

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    fn take(&self, key: &str) -> Vec<CitedText> {
        self.by_key.get(key).cloned().unwrap_or_default()
    }
}

/// The data sent to the app layer, and which typed row each sent member came from.
pub struct Submission {
    pub data: Map<String, Value>,
    rows_sent: HashMap<String, Vec<usize>>,
}

impl Submission {
    /// The app's field errors, keyed as the form is (`members[4].name` for the fifth row typed).
    pub fn errors(&self, errors: Vec<FieldError>) -> Errors {
        let mut out = Errors::default();
        for e in errors {
            let key = self.form_key(&e.field);
            let msg = CitedText::new(&e.message);
            out.by_key.entry(key).or_default().push(msg.clone());
            out.all.push(msg);
        }
        out
    }

    fn form_key(&self, field: &str) -> String {
        // `members[1].resident_id` → the row the second member sent was typed in.
        if let Some((name, rest)) = field.split_once('[')
            && let Some((n, tail)) = rest.split_once(']')
            && let Ok(n) = n.parse::<usize>()
            && let Some(rows) = self.rows_sent.get(name)
            && let Some(row) = rows.get(n)
        {
            return format!("{name}[{row}]{tail}");
        }
        field.to_owned()
    }
}

/// Turns what was typed into the action's data: blank inputs are left out (the app names a
/// required one missing), an unticked checkbox is left out (so a required pledge must be
/// ticked), numbers go as typed (the app says what is wrong with them).
pub fn submission(fields: &[FieldDef], raw: &Typed) -> Submission {
    let mut data = Map::new();
    let mut rows_sent = HashMap::new();
    for f in fields {
        let id = f.id.as_str();
        match &f.kind {
            FieldKind::Bool => {
                if matches!(typed(raw, id), "true" | "on") {
                    data.insert(f.id.clone(), Value::Bool(true));
                }
            }
            FieldKind::Coordinates => {
                let lon = typed(raw, &format!("{id}.lon")).trim();
                let lat = typed(raw, &format!("{id}.lat")).trim();
                if !lon.is_empty() || !lat.is_empty() {
                    let mut m = Map::new();
                    m.insert("lon".into(), Value::String(lon.to_owned()));
                    m.insert("lat".into(), Value::String(lat.to_owned()));
                    data.insert(f.id.clone(), Value::Object(m));
                }
            }
            FieldKind::Members => {
                let mut items = Vec::new();
                let mut rows = Vec::new();
                for row in 0..MEMBER_ROWS_MAX {
                    let cell =
                        |part: &str| typed(raw, &member_key(id, row, part)).trim().to_owned();
                    let (name, rid, relation) =
                        (cell("name"), cell("resident_id"), cell("relation"));
                    if name.is_empty() && rid.is_empty() && relation.is_empty() {
                        continue;
                    }
                    let mut m = Map::new();
                    m.insert("name".into(), Value::String(name));
                    m.insert("resident_id".into(), Value::String(rid));
                    m.insert("relation".into(), Value::String(relation));
                    items.push(Value::Object(m));
                    rows.push(row);
                }
                if !items.is_empty() {
                    data.insert(f.id.clone(), Value::Array(items));
                }
                rows_sent.insert(f.id.clone(), rows);
            }
            _ => {
                let v = typed(raw, id);
                if !v.trim().is_empty() {
                    data.insert(f.id.clone(), Value::String(v.to_owned()));
                }
            }
        }
    }
    Submission { data, rows_sent }
}

/// The inputs of a form, filled with what was typed and the errors beside each.
pub fn inputs(fields: &[FieldDef], prefix: &str, raw: &Typed, errors: &Errors) -> Vec<FieldInput> {
    fields
        .iter()
        .map(|f| {
            let id = f.id.as_str();
            let mut input = FieldInput {
                name: f.id.clone(),
                dom_id: format!("{prefix}-{id}"),
                label: f.label.clone(),
                kind: "text",
                required: f.required,
                max_length: 0,
                value: typed(raw, id).to_owned(),
                checked: false,
                lon: String::new(),
                lat: String::new(),
                options: Vec::new(),
                members: Vec::new(),
                hint: String::new(),
                errors: errors.take(id),
            };
            match &f.kind {
                FieldKind::Text { max_length } => {
                    input.kind = if *max_length > 100 {
                        "textarea"
                    } else {
                        "text"
                    };
                    input.max_length = *max_length;
                    input.hint = format!("{max_length}字以内");
                }
                FieldKind::Integer { min, max } => {
                    input.kind = "integer";
                    input.hint = range_hint(min, max);
                }
                FieldKind::Decimal { min, max } => {
                    input.kind = "decimal";
                    let fmt = |v: &Option<f64>| v.map(|x| format!("{x}"));
                    input.hint = range_hint(&fmt(min), &fmt(max));
                }
                FieldKind::WanYuan { min, max } => {
                    // The decimal input, exact: typed as text, checked by the domain's parser.
                    input.kind = "decimal";
                    let fmt = |v: &Option<tongxin_domain::invest::WanYuan>| v.map(|x| x.decimal());
                    input.hint = match range_hint(&fmt(min), &fmt(max)) {
                        h if h.is_empty() => "万元，最多两位小数".into(),
                        h => format!("万元，最多两位小数；{h}"),
                    };
                }
                FieldKind::Date { not_future } => {
                    input.kind = "date";
                    if *not_future {
                        input.hint = "不晚于今天".into();
                    }
                }
                FieldKind::Choice { options } => {
                    input.kind = "choice";
                    input.options = options
                        .iter()
                        .map(|o| OptionView {
                            selected: input.value == o.value || input.value == o.label,
                            value: o.value.clone(),
                            label: o.label.clone(),
                        })
                        .collect();
                }
                FieldKind::ResidentId => {
                    input.kind = "resident_id";
                    input.max_length = 18;
                    input.hint = "18位，末位可为X".into();
                }
                FieldKind::CreditCode => {
                    input.max_length = 18;
                    input.hint = "18位数字或大写字母（GB 32100-2015）".into();
                }
                FieldKind::Bool => {
                    input.kind = "bool";
                    input.checked = matches!(input.value.as_str(), "true" | "on");
                    if let Some(c) = &f.material {
                        input.hint = format!("必交材料，依据{c}");
                    } else if f.required {
                        input.hint = "须勾选".into();
                    }
                }
                FieldKind::Coordinates => {
                    input.kind = "coordinates";
                    input.lon = typed(raw, &format!("{id}.lon")).to_owned();
                    input.lat = typed(raw, &format!("{id}.lat")).to_owned();
                    input.hint = "经纬度（度），如经度106.12、纬度36.98".into();
                }
                FieldKind::Members => {
                    input.kind = "members";
                    let last_typed = (0..MEMBER_ROWS_MAX).rev().find(|row| {
                        ["name", "resident_id", "relation"]
                            .iter()
                            .any(|p| !typed(raw, &member_key(id, *row, p)).is_empty())
                    });
                    let rows = last_typed.map_or(MEMBER_ROWS, |r| (r + 2).max(MEMBER_ROWS));
                    input.members = (0..rows.min(MEMBER_ROWS_MAX))
                        .map(|row| {
                            let cell = |p: &str| typed(raw, &member_key(id, row, p)).to_owned();
                            let mut errs = errors.take(&format!("{id}[{row}]"));
                            for p in ["name", "resident_id", "relation"] {
                                errs.extend(errors.take(&member_key(id, row, p)));
                            }
                            MemberRow {
                                index: row,
                                name: cell("name"),
                                resident_id: cell("resident_id"),
                                relation: cell("relation"),
                                errors: errs,
                            }
                        })
                        .collect();
                    input.hint = "每行一人（含申请人本人），空行不计".into();
                }
                FieldKind::Boundary => {
                    input.kind = "boundary";
                    input.hint = "粘贴GeoJSON（Polygon/MultiPolygon，CGCS2000经纬度），或每行一个拐点“经度,纬度”；也可选择 .geojson 文件".into();
                }
            }
            input
        })
        .collect()
}

/// A stored value as shown: choices by their label, yes/no, coordinates, members one a line.
pub fn display(def: Option<&FieldDef>, v: &Value) -> Vec<String> {
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => number_text(n),
        other => other.to_string(),
    };
    match (def.map(|d| &d.kind), v) {
        (Some(FieldKind::Choice { options }), Value::String(s)) => vec![
            options
                .iter()
                .find(|o| &o.value == s)
                .map(|o| o.label.clone())
                .unwrap_or_else(|| s.clone()),
        ],
        (_, Value::Bool(b)) => vec![if *b { "是" } else { "否" }.to_owned()],
        (Some(FieldKind::Coordinates), Value::Object(m)) => vec![format!(
            "经度 {}，纬度 {}",
            m.get("lon").map(plain).unwrap_or_default(),
            m.get("lat").map(plain).unwrap_or_default()
        )],
        (Some(FieldKind::Boundary), v) => match tongxin_geo::parse_site(&v.to_string()) {
            Ok(site) => {
                let rings: usize = site.shape().0.len();
                vec![format!(
                    "{}个地块，面积{:.2}平方米（{:.2}亩）",
                    rings,
                    site.area_m2(),
                    site.area_mu()
                )]
            }
            Err(e) => vec![format!("用地范围无法读取：{e}")],
        },
        (_, Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(m) => ["name", "relation", "resident_id"]
                    .iter()
                    .filter_map(|k| m.get(*k).map(plain))
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
                other => plain(other),
            })
            .collect(),
        (_, v) => vec![plain(v)],
    }
}

/// A number as officials write it: 200, not 200.0.
pub fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

/// A number stored as text by the app (`200.0`), as officials write it.
pub fn number_str(s: &str) -> String {
    match s.parse::<serde_json::Number>() {
        Ok(n) => number_text(&n),
        Err(_) => s.to_owned(),
    }
}

/// One field of a record as shown (case data, an event's form).
pub struct DataRow {
    pub label: String,
    pub lines: Vec<String>,
}

/// The record's fields in the procedure's order, then anything else it holds (`reason`).
pub fn data_rows(fields: &[FieldDef], data: &Map<String, Value>) -> Vec<DataRow> {
    let mut rows: Vec<DataRow> = fields
        .iter()
        .filter_map(|f| {
            data.get(&f.id).map(|v| DataRow {
                label: f.label.clone(),
                lines: display(Some(f), v),
            })
        })
        .collect();
    for (k, v) in data {
        if fields.iter().any(|f| &f.id == k) {
            continue;
        }
        rows.push(DataRow {
            label: if k == tongxin_domain::procedure::REASON_FIELD {
                "理由".to_owned()
            } else {
                k.clone()
            },
            lines: display(None, v),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members_field() -> FieldDef {
        FieldDef {
            id: "members".into(),
            label: "家庭成员".into(),
            required: true,
            kind: FieldKind::Members,
            material: None,
            personal: None,
            personal_unless: None,
        }
    }

    #[test]
    fn empty_member_rows_are_dropped_and_errors_return_to_the_row_typed() {
        let raw: Typed = [
            ("members[0].name", "马小明"),
            ("members[0].resident_id", "640324199001011234"),
            ("members[0].relation", "户主"),
            ("members[3].name", "李梅"),
            ("members[3].resident_id", "bad"),
            ("members[3].relation", "配偶"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let fields = [members_field()];
        let s = submission(&fields, &raw);
        assert_eq!(s.data["members"].as_array().unwrap().len(), 2);
        let errors = s.errors(vec![FieldError::new(
            "members[1].resident_id",
            "“家庭成员”第2人：身份证号码须为18位",
        )]);
        let inputs = inputs(&fields, "new", &raw, &errors);
        let rows = &inputs[0].members;
        assert_eq!(
            rows.len(),
            MEMBER_ROWS,
            "one more row than typed, at least five"
        );
        assert_eq!(
            rows[3].resident_id, "bad",
            "what was typed stays in its row"
        );
        assert_eq!(
            rows[3].errors.len(),
            1,
            "the error sits beside the row typed"
        );
        assert!(rows[1].errors.is_empty());
    }

    #[test]
    fn whole_numbers_are_shown_without_a_decimal_point() {
        assert_eq!(number_str("200.0"), "200");
        assert_eq!(number_str("199.5"), "199.5");
        assert_eq!(number_str("2"), "2");
        assert_eq!(number_str("不是数"), "不是数");
    }

    #[test]
    fn an_unticked_checkbox_and_blank_inputs_are_not_sent() {
        let fields = [
            FieldDef {
                id: "pledge".into(),
                label: "承诺".into(),
                required: true,
                kind: FieldKind::Bool,
                material: None,
                personal: None,
                personal_unless: None,
            },
            FieldDef {
                id: "note".into(),
                label: "说明".into(),
                required: false,
                kind: FieldKind::Text { max_length: 10 },
                material: None,
                personal: None,
                personal_unless: None,
            },
        ];
        let raw: Typed = [("note".to_owned(), "  ".to_owned())].into_iter().collect();
        assert!(submission(&fields, &raw).data.is_empty());
    }
}
