//! Report templates: narrative sections and numeric fields, each optionally tied to an
//! indicator, required or optional, with validation rules; ratio fields are never typed but
//! computed from two numbers, so that consolidation recomputes them as ratios of sums.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, Validator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Narrative,
    Number,
    /// numerator ÷ denominator × 100, computed.
    Ratio,
}

impl FieldKind {
    pub fn parse(s: &str) -> Option<FieldKind> {
        Some(match s {
            "narrative" => FieldKind::Narrative,
            "number" => FieldKind::Number,
            "ratio" => FieldKind::Ratio,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Narrative => "narrative",
            FieldKind::Number => "number",
            FieldKind::Ratio => "ratio",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Narrative => "Nội dung (văn bản)",
            FieldKind::Number => "Số liệu",
            FieldKind::Ratio => "Tỷ lệ % (tự tính)",
        }
    }
}

/// Where a field can be pre-filled from: the unit's task progress in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Prefill {
    #[default]
    None,
    /// Results reported on the unit's assignments in the window.
    Results,
    Difficulties,
    Proposals,
    /// Number of the unit's tasks with a deadline.
    TasksTotal,
    /// Completed (on time or late) by the end of the window.
    TasksDone,
    /// Unfinished and past due at the end of the window.
    TasksOverdue,
}

pub const PREFILLS: &[(Prefill, &str, &str)] = &[
    (Prefill::None, "none", "Không"),
    (
        Prefill::Results,
        "results",
        "Kết quả đã báo cáo trên nhiệm vụ",
    ),
    (Prefill::Difficulties, "difficulties", "Khó khăn đã báo cáo"),
    (Prefill::Proposals, "proposals", "Đề xuất đã báo cáo"),
    (
        Prefill::TasksTotal,
        "tasks_total",
        "Số nhiệm vụ có thời hạn",
    ),
    (
        Prefill::TasksDone,
        "tasks_done",
        "Số nhiệm vụ đã hoàn thành",
    ),
    (
        Prefill::TasksOverdue,
        "tasks_overdue",
        "Số nhiệm vụ quá hạn chưa hoàn thành",
    ),
];

impl Prefill {
    pub fn parse(s: &str) -> Option<Prefill> {
        PREFILLS.iter().find(|p| p.1 == s).map(|p| p.0)
    }
    pub fn as_str(self) -> &'static str {
        PREFILLS
            .iter()
            .find(|p| p.0 == self)
            .map(|p| p.1)
            .unwrap_or("none")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// Code of the indicator this figure reports (e.g. "dossier_on_time_rate").
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// A number that may not exceed another field (on-time ≤ processed).
    #[serde(default)]
    pub at_most: String,
    #[serde(default)]
    pub numerator: String,
    #[serde(default)]
    pub denominator: String,
    #[serde(default)]
    pub prefill: Prefill,
}

/// What a unit typed, by field key. Kept as text so that a draft is saved exactly as typed,
/// even half-finished; numbers are parsed when it is submitted or consolidated.
pub type Values = BTreeMap<String, String>;

/// A number as Vietnamese users type it: "1.234" (thousands), "12,5" (decimal comma),
/// "1234.5", with spaces.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    // Vietnamese writes thousands with dots: "1.234.567"; "97.5" stays a decimal.
    let mut groups = t.split('.');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    let thousands = t.contains('.') && !t.contains(',') && first_ok && groups.all(|g| g.len() == 3);
    let normal = if thousands {
        t.replace('.', "")
    } else if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else {
        t
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A figure shown the Vietnamese way: "1.234", "97,5".
pub fn show_number(v: f64) -> String {
    let neg = v < 0.0;
    let v = v.abs();
    let int = v.trunc() as u64;
    let frac = ((v - v.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if frac > 0 {
        let f = format!("{frac:02}");
        out.push(',');
        out.push_str(f.trim_end_matches('0'));
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den > 0.0 {
        Some(num / den * 100.0)
    } else {
        None
    }
}

pub fn show_ratio(r: Option<f64>) -> String {
    match r {
        Some(v) => format!("{} %", show_number((v * 10.0).round() / 10.0)),
        None => "—".to_string(),
    }
}

/// A number or ratio field's value in one unit's values (a ratio in %); None when a number
/// is missing or a denominator is zero.
pub fn figure(f: &Field, values: &Values) -> Option<f64> {
    let n = |k: &str| values.get(k).and_then(|v| parse_number(v));
    match f.kind {
        FieldKind::Number => n(&f.key),
        FieldKind::Ratio => ratio(n(&f.numerator)?, n(&f.denominator)?),
        FieldKind::Narrative => None,
    }
}

/// A field as shown for one unit: "1.234", "97,5 %" ("—" without data), or its text.
pub fn show_field(f: &Field, values: &Values) -> String {
    match f.kind {
        FieldKind::Number => figure(f, values).map(show_number).unwrap_or_default(),
        FieldKind::Ratio => show_ratio(figure(f, values)),
        FieldKind::Narrative => values.get(&f.key).cloned().unwrap_or_default(),
    }
}

/// Checks a submission before it is sent. Drafts are never checked: they are saved as typed.
pub fn validate_submission(fields: &[Field], values: &Values) -> Result<(), AppError> {
    let mut v = Validator::default();
    let number = |k: &str| values.get(k).and_then(|s| parse_number(s));
    for f in fields {
        let raw = values.get(&f.key).map(|s| s.trim()).unwrap_or("");
        match f.kind {
            FieldKind::Ratio => {}
            FieldKind::Narrative => {
                if f.required && raw.is_empty() {
                    v.push(&f.key, format!("Mục “{}” là bắt buộc.", f.label));
                }
            }
            FieldKind::Number => {
                if raw.is_empty() {
                    if f.required {
                        v.push(&f.key, format!("Số liệu “{}” là bắt buộc.", f.label));
                    }
                    continue;
                }
                let Some(n) = parse_number(raw) else {
                    v.push(
                        &f.key,
                        format!("“{}”: “{raw}” không phải là một số.", f.label),
                    );
                    continue;
                };
                if let Some(min) = f.min.filter(|m| n < *m) {
                    v.push(
                        &f.key,
                        format!("“{}” không được nhỏ hơn {}.", f.label, show_number(min)),
                    );
                }
                if let Some(max) = f.max.filter(|m| n > *m) {
                    v.push(
                        &f.key,
                        format!("“{}” không được lớn hơn {}.", f.label, show_number(max)),
                    );
                }
                if !f.at_most.is_empty() {
                    if let Some(limit) = number(&f.at_most) {
                        if n > limit {
                            let other = fields
                                .iter()
                                .find(|o| o.key == f.at_most)
                                .map(|o| o.label.as_str())
                                .unwrap_or(&f.at_most);
                            v.push(
                                &f.key,
                                format!("“{}” không được lớn hơn “{other}”.", f.label),
                            );
                        }
                    }
                }
            }
        }
    }
    v.finish()
}

/// Checks a template's definition: keys unique, references to existing number fields.
pub fn validate_fields(fields: &[Field]) -> AppResult<()> {
    let mut v = Validator::default();
    if fields.is_empty() {
        v.push("fields", "Mẫu báo cáo cần ít nhất một mục.");
    }
    let mut seen = std::collections::HashSet::new();
    let is_number = |k: &str| {
        fields
            .iter()
            .any(|f| f.key == k && f.kind == FieldKind::Number)
    };
    for f in fields {
        if f.label.trim().is_empty() {
            v.push("fields", "Mỗi mục cần có tên.");
        }
        if f.key.is_empty() || !seen.insert(f.key.clone()) {
            v.push("fields", format!("Mã mục “{}” bị trống hoặc trùng.", f.key));
        }
        if f.kind == FieldKind::Ratio && (!is_number(&f.numerator) || !is_number(&f.denominator)) {
            v.push(
                "fields",
                format!(
                    "Tỷ lệ “{}” cần tử số và mẫu số là mã của hai mục số liệu.",
                    f.label
                ),
            );
        }
        if !f.at_most.is_empty() && !is_number(&f.at_most) {
            v.push(
                "fields",
                format!(
                    "“{}”: mục so sánh “{}” không phải mục số liệu.",
                    f.label, f.at_most
                ),
            );
        }
        if let (Some(a), Some(b)) = (f.min, f.max) {
            if a > b {
                v.push(
                    "fields",
                    format!("“{}”: giá trị nhỏ nhất lớn hơn lớn nhất.", f.label),
                );
            }
        }
    }
    v.finish()
}

/// A key from a label: "Khó khăn, vướng mắc" → "kho_khan_vuong_mac".
pub fn key_of(label: &str) -> String {
    let f = crate::text::fold(label);
    let mut out = String::new();
    for w in f
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(w);
        if out.len() > 40 {
            break;
        }
    }
    out
}

fn narrative(key: &str, label: &str, required: bool, prefill: Prefill) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind: FieldKind::Narrative,
        required,
        prefill,
        ..Default::default()
    }
}

fn number(key: &str, label: &str, indicator: &str, at_most: &str, prefill: Prefill) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind: FieldKind::Number,
        required: true,
        indicator: indicator.into(),
        min: Some(0.0),
        at_most: at_most.into(),
        prefill,
        ..Default::default()
    }
}

fn ratio_field(key: &str, label: &str, indicator: &str, num: &str, den: &str) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind: FieldKind::Ratio,
        indicator: indicator.into(),
        numerator: num.into(),
        denominator: den.into(),
        ..Default::default()
    }
}

/// The quarterly CCHC · CĐS · Đề án 06 report units send for the joint meeting (example 003):
/// results, difficulties, proposals, next quarter's tasks, and the one-stop figures of Plan 404.
pub fn quarterly_reform_report() -> Vec<Field> {
    vec![
        narrative("ket_qua", "Kết quả thực hiện", true, Prefill::Results),
        narrative(
            "kho_khan",
            "Khó khăn, vướng mắc",
            false,
            Prefill::Difficulties,
        ),
        narrative("de_xuat", "Đề xuất, kiến nghị", false, Prefill::Proposals),
        narrative(
            "nhiem_vu_ky_toi",
            "Nhiệm vụ trọng tâm kỳ tới",
            true,
            Prefill::None,
        ),
        number(
            "nv_tong",
            "Số nhiệm vụ có thời hạn",
            "",
            "",
            Prefill::TasksTotal,
        ),
        number(
            "nv_hoan_thanh",
            "Số nhiệm vụ đã hoàn thành",
            "",
            "nv_tong",
            Prefill::TasksDone,
        ),
        number(
            "nv_qua_han",
            "Số nhiệm vụ quá hạn chưa hoàn thành",
            "",
            "nv_tong",
            Prefill::TasksOverdue,
        ),
        number(
            "hs_tiep_nhan",
            "Số hồ sơ TTHC tiếp nhận",
            "dossiers_received",
            "",
            Prefill::None,
        ),
        number(
            "hs_giai_quyet",
            "Số hồ sơ đã giải quyết",
            "dossiers_finished",
            "",
            Prefill::None,
        ),
        number(
            "hs_dung_han",
            "Số hồ sơ giải quyết đúng hạn",
            "dossiers_on_time",
            "hs_giai_quyet",
            Prefill::None,
        ),
        number(
            "hs_truc_tuyen",
            "Số hồ sơ nộp trực tuyến",
            "dossiers_online",
            "hs_tiep_nhan",
            Prefill::None,
        ),
        ratio_field(
            "tl_dung_han",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "dossier_on_time_rate",
            "hs_dung_han",
            "hs_giai_quyet",
        ),
        ratio_field(
            "tl_truc_tuyen",
            "Tỷ lệ hồ sơ trực tuyến",
            "dossier_online_rate",
            "hs_truc_tuyen",
            "hs_tiep_nhan",
        ),
        // Decision 766 indicator 1.4 is not in the province's export: units report it, and
        // an accepted report makes it the unit's value on the scorecard.
        Field {
            required: false,
            ..number(
                "hs_dong_bo",
                "Số hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
                "",
                "hs_tiep_nhan",
                Prefill::None,
            )
        },
        ratio_field(
            "tl_dong_bo",
            "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
            "dossier_sync",
            "hs_dong_bo",
            "hs_tiep_nhan",
        ),
    ]
}

/// The monthly progress report of the Project 06 working group (example 000): communes and
/// departments report before the 15th, the secretary (PC06) consolidates.
pub fn project06_monthly_report() -> Vec<Field> {
    vec![
        narrative(
            "ket_qua",
            "Kết quả triển khai Đề án 06 trong tháng",
            true,
            Prefill::Results,
        ),
        narrative(
            "kho_khan",
            "Khó khăn, vướng mắc",
            false,
            Prefill::Difficulties,
        ),
        narrative("de_xuat", "Đề xuất, kiến nghị", false, Prefill::Proposals),
        number(
            "dinh_danh_kich_hoat",
            "Số tài khoản định danh điện tử mức 2 được kích hoạt",
            "eid_level2_activated",
            "",
            Prefill::None,
        ),
        number(
            "dvc_tiep_nhan",
            "Số hồ sơ dịch vụ công thiết yếu tiếp nhận",
            "essential_dossiers_received",
            "",
            Prefill::None,
        ),
        number(
            "dvc_truc_tuyen",
            "Trong đó nộp trực tuyến",
            "essential_dossiers_online",
            "dvc_tiep_nhan",
            Prefill::None,
        ),
        ratio_field(
            "tl_dvc_truc_tuyen",
            "Tỷ lệ dịch vụ công thiết yếu nộp trực tuyến",
            "essential_online_rate",
            "dvc_truc_tuyen",
            "dvc_tiep_nhan",
        ),
        number(
            "nv_qua_han",
            "Số nhiệm vụ quá hạn chưa hoàn thành",
            "",
            "",
            Prefill::TasksOverdue,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number("1.234"), Some(1234.0));
        assert_eq!(parse_number("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 97.5 "), Some(97.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(show_number(1234567.0), "1.234.567");
        assert_eq!(show_number(97.5), "97,5");
        assert_eq!(show_ratio(ratio(0.0, 0.0)), "—");
        assert_eq!(show_ratio(ratio(97.0, 100.0)), "97 %");
    }

    #[test]
    fn submission_rules_speak_vietnamese() {
        let fields = quarterly_reform_report();
        let mut v = Values::new();
        v.insert("ket_qua".into(), "Đã ban hành kế hoạch".into());
        v.insert("nhiem_vu_ky_toi".into(), "Tiếp tục".into());
        for k in [
            "nv_tong",
            "nv_hoan_thanh",
            "nv_qua_han",
            "hs_tiep_nhan",
            "hs_giai_quyet",
            "hs_truc_tuyen",
        ] {
            v.insert(k.into(), "10".into());
        }
        v.insert("hs_dung_han".into(), "12".into());
        let e = validate_submission(&fields, &v).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("không được lớn hơn “Số hồ sơ đã giải quyết”"),
            "{msg}"
        );
        v.insert("hs_dung_han".into(), "-1".into());
        assert!(validate_submission(&fields, &v)
            .unwrap_err()
            .to_string()
            .contains("không được nhỏ hơn 0"));
        v.insert("hs_dung_han".into(), "mười".into());
        assert!(validate_submission(&fields, &v)
            .unwrap_err()
            .to_string()
            .contains("không phải là một số"));
        v.insert("hs_dung_han".into(), "9".into());
        v.remove("ket_qua");
        assert!(validate_submission(&fields, &v)
            .unwrap_err()
            .to_string()
            .contains("“Kết quả thực hiện” là bắt buộc"));
        v.insert("ket_qua".into(), "x".into());
        assert!(validate_submission(&fields, &v).is_ok());
        assert!(validate_fields(&fields).is_ok());
        assert!(validate_fields(&project06_monthly_report()).is_ok());
    }

    #[test]
    fn keys_from_labels() {
        assert_eq!(key_of("Khó khăn, vướng mắc"), "kho_khan_vuong_mac");
        assert_eq!(key_of("Đề xuất"), "de_xuat");
    }
}
