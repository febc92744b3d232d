//! Resolving the unit phrases of a document ("Các sở, ban, ngành", "Sở TT&TT", "VP UBND",
//! "UBND các huyện, thành phố") to units and unit groups of one province.
//!
//! Phrases are matched word by word on folded text (no case, no diacritics, `&` and
//! punctuation as spaces), longest alias first, so "sở, ban, ngành" is one phrase while
//! "Sở Nội vụ, Sở Tư pháp" is two. ";" always separates. Words glued together ("SởNội vụ")
//! are caught by a second pass on the text without spaces. What matches nothing is kept as
//! text with no unit, for the reviewer to settle.

use std::collections::HashMap;

use serde::Serialize;

use crate::org::DEPARTMENTS;
use crate::text::fold;

/// Words that start the name of a body outside the province's registry (agencies of the
/// central government in the province, mass organisations, enterprises, service centres),
/// compared with their diacritics ("Quỹ" is not "Quy chế", "Báo Đồng Nai" not "Báo cáo").
/// The generic ones need a proper name after them ("Trung tâm Phục vụ…", "Hội Nông dân").
const ORGANISATION_HEADS: &[(&str, bool)] = &[
    ("bảo hiểm xã hội", false),
    ("kho bạc", false),
    ("cục thuế", false),
    ("tỉnh đoàn", false),
    ("vnpt", false),
    ("viettel", false),
    ("bưu điện", false),
    ("ngân hàng", false),
    ("liên đoàn lao động", false),
    ("ủy ban mặt trận", false),
    ("mặt trận tổ quốc", false),
    ("đài phát thanh", false),
    ("bộ chỉ huy", false),
    ("viện kiểm sát", false),
    ("tòa án", false),
    ("trung tâm ", true),
    ("ban ", true),
    ("bộ ", true),
    ("tổng công ty ", true),
    ("tập đoàn ", true),
    ("ban quản lý ", true),
    ("cục ", true),
    ("chi cục ", true),
    ("báo ", true),
    ("hội ", true),
    ("công ty ", true),
    ("trường ", true),
    ("bệnh viện ", true),
    ("quỹ ", true),
    ("hiệp hội ", true),
    ("viện ", true),
    ("phòng ", true),
    ("đoàn ", true),
];

/// Whether a phrase starts with the name of a body outside the registry ("Ban Chỉ huy Phòng
/// thủ dân sự tỉnh", "Bộ CHQS tỉnh", "Trung tâm Chuyển đổi số").
pub(crate) fn names_an_organisation(t: &str) -> bool {
    let t = t.trim();
    let lower = t.chars().take(40).collect::<String>().to_lowercase();
    t.starts_with(char::is_uppercase)
        && ORGANISATION_HEADS.iter().any(|(h, needs_name)| {
            lower.starts_with(h)
                && (!needs_name
                    || t.get(h.len()..)
                        .is_some_and(|rest| rest.starts_with(char::is_uppercase)))
        })
}

/// One lead or coordinating unit as the document names it, and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRef {
    pub text: String,
    /// A unit code ("75.SNV", "26041") or a group code ("75.SBN"); None when nothing matched.
    pub unit: Option<String>,
    /// The registry's name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why a reviewer should look twice (a unit that no longer exists, a guess).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl UnitRef {
    /// A phrase that names no unit of the registry, kept for the reviewer.
    pub fn unknown(text: impl Into<String>) -> UnitRef {
        UnitRef {
            text: text.into(),
            unit: None,
            name: None,
            note: Some("Chưa xác định được đơn vị: chọn đơn vị hoặc nhóm.".into()),
        }
    }
}

/// One entry per unit, in the order named: "UBND cấp huyện, xã" names the communes twice.
fn dedup(mut refs: Vec<UnitRef>) -> Vec<UnitRef> {
    let mut seen = std::collections::HashSet::new();
    refs.retain(|u| u.unit.as_ref().is_none_or(|c| seen.insert(c.clone())));
    refs
}

#[derive(Debug, Clone)]
struct Alias {
    words: Vec<String>,
    code: String,
    name: String,
    note: Option<&'static str>,
}

/// The units and groups of one province, with the ways documents name them.
#[derive(Debug, Clone)]
pub struct Registry {
    pub province_code: String,
    /// "Tỉnh Đồng Nai", "Thành phố Hồ Chí Minh".
    pub province_name: String,
    aliases: Vec<Alias>,
    by_first: HashMap<String, Vec<usize>>,
    /// Aliases without spaces, for glued words; only long ones, to avoid false hits.
    compact: Vec<(String, usize)>,
    /// The first three letters of every compact alias, to refuse most texts at once.
    compact_heads: std::collections::HashSet<String>,
    codes: HashMap<String, usize>,
}

const CENTRAL_BODIES: &str = include_str!("../../data/central-bodies.txt");

/// The proper name of a body of the centre a text names exactly ("thủ tướng chính phủ" →
/// "Thủ tướng Chính phủ"), or of the National Assembly's bodies; None for anything else.
pub fn central_body_name(text: &str) -> Option<String> {
    let f = fold(text);
    if f.is_empty() {
        return None;
    }
    for (w, name) in [
        ("uy ban thuong vu quoc hoi", "Ủy ban Thường vụ Quốc hội"),
        ("quoc hoi", "Quốc hội"),
    ] {
        if f == w {
            return Some(name.to_string());
        }
    }
    CENTRAL_BODIES
        .lines()
        .take_while(|l| l.trim() != "[central]")
        .filter(|l| !l.trim().starts_with('#'))
        .find_map(|l| {
            let names: Vec<&str> = l.split('|').map(str::trim).collect();
            names
                .iter()
                .any(|n| fold(n) == f && n.chars().count() > 4)
                .then(|| names[0].to_string())
        })
}
pub const OUTSIDE: &str =
    "Cơ quan ngoài danh mục đơn vị của tỉnh (trung ương, địa phương khác): giữ dạng chữ.";
const MERGED_2025: &str = "Đơn vị đã hợp nhất năm 2025: giao cho đơn vị kế thừa.";
const DISTRICTS_ENDED: &str =
    "Cấp huyện kết thúc hoạt động từ 01/7/2025: nhiệm vụ chuyển cho UBND cấp xã.";
pub const GUESS: &str = "Cụm từ chung, đã hiểu là nhóm đơn vị này: kiểm tra lại.";

/// Ways documents name each department, by code suffix (see `org::DEPARTMENTS`); old names
/// of departments merged in 2025 lead to their successor.
const DEPARTMENT_ALIASES: &[(&str, &[&str], &[&str])] = &[
    (
        "VPUBND",
        &[
            "văn phòng ubnd tỉnh",
            "văn phòng ubnd",
            "vp ubnd tỉnh",
            "vp ubnd",
            "vpubnd",
            "văn phòng ủy ban",
            "văn phòng tỉnh",
        ],
        &[],
    ),
    (
        "SNV",
        &["sở nội vụ", "snv"],
        &[
            "sở lao động thương binh và xã hội",
            "sở lđtbxh",
            "sở lđ tb xh",
        ],
    ),
    ("STP", &["sở tư pháp", "stp"], &[]),
    (
        "STC",
        &["sở tài chính", "stc"],
        &["sở kế hoạch và đầu tư", "sở kh&đt", "sở khđt", "sở kh đt"],
    ),
    ("SCT", &["sở công thương", "sct"], &[]),
    (
        "SNNMT",
        &["sở nông nghiệp và môi trường", "sở nn&mt", "sở nnmt"],
        &[
            "sở nông nghiệp và phát triển nông thôn",
            "sở nn&ptnt",
            "sở nnptnt",
            "sở tài nguyên và môi trường",
            "sở tn&mt",
            "sở tnmt",
        ],
    ),
    (
        "SXD",
        &["sở xây dựng", "sxd"],
        &["sở giao thông vận tải", "sở gtvt"],
    ),
    (
        "SKHCN",
        &["sở khoa học và công nghệ", "sở kh&cn", "sở khcn"],
        &[
            "sở thông tin và truyền thông",
            "sở tt&tt",
            "sở tttt",
            "stttt",
            "sở ttvtt",
        ],
    ),
    (
        "SGDDT",
        &["sở giáo dục và đào tạo", "sở gd&đt", "sở gdđt"],
        &[],
    ),
    ("SYT", &["sở y tế", "syt"], &[]),
    (
        "SVHTTDL",
        &[
            "sở văn hóa thể thao và du lịch",
            "sở vh tt&dl",
            "sở vhttdl",
            "sở văn hóa và thể thao",
            "sở văn hóa thể thao",
            "sở du lịch",
        ],
        &[],
    ),
    (
        "SDTTG",
        &["sở dân tộc và tôn giáo"],
        &["ban dân tộc", "ban dân tộc tỉnh"],
    ),
    ("TTT", &["thanh tra tỉnh"], &[]),
    (
        "CAT",
        &[
            "công an tỉnh",
            "ca tỉnh",
            "công an",
            "pc06",
            "phòng cảnh sát quản lý hành chính về trật tự xã hội",
        ],
        &[],
    ),
    (
        "BQLKCN",
        &["ban quản lý các khu công nghiệp", "bql các kcn", "bql kcn"],
        &[],
    ),
];

/// Collective phrases for every department ("Các sở, ban, ngành").
const DEPARTMENT_GROUP: &[&str] = &[
    "các sở ban ngành",
    "sở ban ngành",
    "các sở ban",
    "các sở ngành",
    "sở ngành",
    "các sở",
    "các ngành",
    "các cơ quan hành chính thuộc ubnd tỉnh",
    "các cơ quan chuyên môn thuộc ubnd tỉnh",
    "các cơ quan chuyên môn",
    "cơ quan chuyên môn thuộc ubnd tỉnh",
    "các cơ quan đơn vị thuộc ubnd tỉnh",
    "các cơ quan nhà nước cấp tỉnh",
    "cấp tỉnh",
];

/// Collective phrases for every commune; district phrases of plans written before
/// 01/7/2025 lead here too (the communes took over).
const COMMUNE_GROUP: &[&str] = &[
    "ubnd cấp xã",
    "ubnd các xã phường",
    "ubnd các xã phường thị trấn",
    "ubnd các xã phường đặc khu",
    "ubnd xã phường",
    "ubnd các xã",
    "các xã phường",
    "các xã phường thị trấn",
    "các xã",
    "ubnd xã",
    "cấp xã",
    "xã phường thị trấn",
    "ubnd các phường xã",
    "các phường xã",
    "xã phường đặc khu",
    "ubnd cấp xã phường",
    "chính quyền cấp xã",
    "ubnd xã phường thị trấn",
    "ubnd phường xã",
    "ubnd các phường xã đặc khu",
    "ubnd phường xã đặc khu",
    "phường xã đặc khu",
    "các phường xã đặc khu",
    "ubnd cấp xã phường đặc khu",
    "ubnd xã phường đặc khu",
];
const DISTRICT_PHRASES: &[&str] = &[
    "ubnd cấp huyện",
    "ubnd các huyện",
    "ubnd các huyện thành phố",
    "ubnd các huyện thị xã thành phố",
    "ubnd các huyện thị xã",
    "ubnd huyện thành phố",
    "ubnd cấp huyện xã",
    "ubnd các huyện thành phố thị xã",
    "các huyện thành phố",
    "các huyện thị xã thành phố",
    "cấp huyện",
    "các huyện",
    "cấp huyện xã",
];
/// Vague phrases read as groups, flagged for the reviewer.
const GUESSED: &[(&str, &str)] = &[
    ("các địa phương", "XA"),
    ("ubnd các địa phương", "XA"),
    ("chính quyền địa phương", "XA"),
    ("các cơ quan đơn vị", "SBN"),
    ("các đơn vị", "SBN"),
    ("địa phương", "XA"),
];

/// Words that join unit names and mean nothing on their own.
const FILLER: &[&str] = &[
    "va", "cac", "voi", "cung", "tinh", "co", "lien", "quan", "thanh", "vien", "khac", "hoac",
    "nhu", "toan", "thu", "truong", "giam", "doc", "chu", "tich", "nguoi", "dung", "dau", "lanh",
    "dao", "tren", "dia", "ban", "la",
];

/// Words that may stand before or between the units a clause starts with.
const LEADING_FILLER: &[&str] = &[
    "va", "cac", "cung", "thu", "truong", "chu", "tich", "giam", "doc", "nguoi", "dung", "dau",
    "lanh", "dao", "doi", "voi", "giao", "cho",
];
/// Words that may close a unit's name at the start of a clause.
const LEADING_TAIL: &[&[&str]] = &[
    &["tinh"],
    &["thanh", "vien"],
    &["lien", "quan"],
    &["co", "lien", "quan"],
];

/// A word of the original text: its folded form and where it sits.
#[derive(Debug, Clone)]
struct Word {
    fold: String,
    start: usize,
    end: usize,
    /// The strongest separator between the previous word and this one: ';', ',' or ' '.
    sep: char,
}

fn words(s: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut sep = ' ';
    let mut start: Option<usize> = None;
    let flush = |out: &mut Vec<Word>, s: &str, a: usize, b: usize, sep: char| {
        let f = fold(&s[a..b]);
        if !f.is_empty() {
            out.push(Word {
                fold: f,
                start: a,
                end: b,
                sep,
            });
        }
    };
    for (i, c) in s.char_indices() {
        let word_char = c.is_ascii_alphanumeric()
            || (!c.is_ascii() && (c.is_alphanumeric() || ('\u{0300}'..='\u{036f}').contains(&c)));
        if word_char {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(a) = start.take() {
            flush(&mut out, s, a, i, sep);
            sep = ' ';
        }
        sep = match (sep, c) {
            (_, ';' | '\n' | '+' | '•') => ';',
            (' ', ',' | '/') => ',',
            (s, _) => s,
        };
    }
    if let Some(a) = start {
        flush(&mut out, s, a, s.len(), sep);
    }
    // "Ủy ban nhân dân" is written out as often as "UBND".
    let mut merged: Vec<Word> = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        let is = |k: usize, w: &str| out.get(i + k).is_some_and(|x| x.fold == w);
        if is(0, "uy") && is(1, "ban") && is(2, "nhan") && is(3, "dan") {
            merged.push(Word {
                fold: "ubnd".into(),
                start: out[i].start,
                end: out[i + 3].end,
                sep: out[i].sep,
            });
            i += 4;
        } else {
            merged.push(out[i].clone());
            i += 1;
        }
    }
    merged
}

impl Alias {
    /// The unit this alias names, as the document wrote it.
    fn to_ref(&self, text: &str) -> UnitRef {
        UnitRef {
            text: text.to_string(),
            // bodies outside the registry have no code
            unit: (!self.code.is_empty()).then(|| self.code.clone()),
            name: Some(self.name.clone()),
            note: self.note.map(str::to_string),
        }
    }
}

fn key(s: &str) -> Vec<String> {
    fold(
        &s.replace("Ủy ban nhân dân", "ubnd")
            .replace("ủy ban nhân dân", "ubnd"),
    )
    .split(' ')
    .filter(|w| !w.is_empty())
    .map(str::to_string)
    .collect()
}

/// The province's own name without "Tỉnh"/"Thành phố": "Đồng Nai".
pub fn bare_province_name(name: &str) -> &str {
    name.strip_prefix("Tỉnh ")
        .or_else(|| name.strip_prefix("Thành phố "))
        .unwrap_or(name)
}

/// A unit of the registry, as its source (database or embedded lists) describes it.
pub struct RegistryUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
}

impl Registry {
    /// Builds the registry of a province from its units and groups.
    pub fn new<'a>(
        province_code: &str,
        province_name: &str,
        units: impl IntoIterator<Item = RegistryUnit<'a>>,
        groups: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Registry {
        let mut r = Registry {
            province_code: province_code.to_string(),
            province_name: province_name.to_string(),
            aliases: Vec::new(),
            by_first: HashMap::new(),
            compact: Vec::new(),
            compact_heads: Default::default(),
            codes: HashMap::new(),
        };
        let p = province_code;
        // Without a province (a document that names none), codes are the bare suffixes.
        let code_of = |suffix: &str| {
            if p.is_empty() {
                suffix.to_string()
            } else {
                format!("{p}.{suffix}")
            }
        };
        let bare = bare_province_name(province_name);
        let ubnd_tinh = format!("UBND {}", province_name.to_lowercase());
        let central = p.is_empty();
        if !central {
            for a in [
                "ubnd tỉnh".to_string(),
                format!("ubnd tỉnh {bare}"),
                format!("ubnd thành phố {bare}"),
                format!("ubnd {bare}"),
            ] {
                r.add(&a, p, &ubnd_tinh, None);
            }
        }
        r.add_outside_bodies(central, &fold(bare));
        if central {
            // A document of the centre: the province's own units and groups are not its
            // leads; every body it names is kept as text.
            r.index();
            return r;
        }
        let mut unit_names: HashMap<String, String> = HashMap::new();
        for u in units {
            unit_names.insert(u.code.to_string(), u.name.to_string());
            if u.kind == "province" {
                continue;
            }
            r.add(u.name, u.code, u.name, None);
            if u.kind == "commune" {
                r.add(&format!("ubnd {}", u.name), u.code, u.name, None);
            }
        }
        for (suffix, names, old) in DEPARTMENT_ALIASES {
            let code = code_of(suffix);
            let Some(name) = unit_names.get(&code).cloned().or_else(|| {
                DEPARTMENTS
                    .iter()
                    .find(|d| d.0 == *suffix)
                    .map(|d| d.1.to_string())
            }) else {
                continue;
            };
            for a in names.iter() {
                r.add(a, &code, &name, None);
            }
            for a in old.iter() {
                r.add(a, &code, &name, Some(MERGED_2025));
            }
        }
        let mut group_names: HashMap<String, String> = HashMap::new();
        for (code, name) in groups {
            group_names.insert(code.to_string(), name.to_string());
            r.add(name, code, name, None);
        }
        let sbn = code_of("SBN");
        let xa = code_of("XA");
        let gname = |code: &str, default: &str| {
            group_names
                .get(code)
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        let (sbn_name, xa_name) = (gname(&sbn, "Các sở, ban, ngành"), gname(&xa, "UBND cấp xã"));
        for a in DEPARTMENT_GROUP {
            r.add(a, &sbn, &sbn_name, None);
        }
        for a in COMMUNE_GROUP {
            r.add(a, &xa, &xa_name, None);
        }
        for a in DISTRICT_PHRASES {
            r.add(a, &xa, &xa_name, Some(DISTRICTS_ENDED));
        }
        for (a, g) in GUESSED {
            let code = code_of(g);
            let name = if *g == "XA" { &xa_name } else { &sbn_name };
            r.add(a, &code, name, Some(GUESS));
        }
        for (prov, district) in districts_before_2025() {
            if prov == p {
                r.add(district, &xa, &xa_name, Some(DISTRICTS_ENDED));
                r.add(
                    &format!("ubnd {district}"),
                    &xa,
                    &xa_name,
                    Some(DISTRICTS_ENDED),
                );
            }
        }
        r.index();
        r
    }

    /// The registry of a province from the unit lists embedded in the binary: its
    /// departments, communes and built-in groups, as `load-units` would create them.
    pub fn embedded(province_code: &str) -> Option<Registry> {
        let mut name = None;
        let mut communes: Vec<(String, String)> = Vec::new();
        for line in crate::org::ADMIN_UNITS_2025.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() >= 4 && f[0] == province_code {
                name = Some(f[1].to_string());
                communes.push((f[2].to_string(), f[3].to_string()));
            }
        }
        let name = name?;
        let depts: Vec<(String, &str)> = DEPARTMENTS
            .iter()
            .map(|(s, n, _)| (format!("{province_code}.{s}"), *n))
            .collect();
        let units = depts
            .iter()
            .map(|(c, n)| RegistryUnit {
                code: c,
                name: n,
                kind: "department",
            })
            .chain(communes.iter().map(|(c, n)| RegistryUnit {
                code: c,
                name: n,
                kind: "commune",
            }));
        let groups = [
            (format!("{province_code}.SBN"), "Các sở, ban, ngành"),
            (format!("{province_code}.XA"), "UBND cấp xã"),
        ];
        Some(Registry::new(
            province_code,
            &name,
            units,
            groups.iter().map(|(c, n)| (c.as_str(), *n)),
        ))
    }

    /// Bodies outside every province's registry (`data/central-bodies.txt`) and the other
    /// provinces' people's committees: recognised as leads, kept as text with no unit.
    fn add_outside_bodies(&mut self, central: bool, own_province: &str) {
        let mut central_only = false;
        for line in CENTRAL_BODIES.lines() {
            let line = line.trim();
            if line == "[central]" {
                central_only = true;
                continue;
            }
            if line.is_empty() || line.starts_with('#') || (central_only && !central) {
                continue;
            }
            let names: Vec<&str> = line.split('|').map(str::trim).collect();
            for n in &names {
                self.add(n, "", names[0], Some(OUTSIDE));
            }
        }
        for line in include_str!("../../data/provinces-before-2025.csv")
            .lines()
            .skip(1)
        {
            let f: Vec<&str> = line.split(',').collect();
            let Some(full) = f.get(1) else { continue };
            let bare = bare_province_name(full);
            if fold(bare) == own_province {
                continue;
            }
            let name = format!("UBND {}", full.to_lowercase());
            let kind = full.strip_suffix(bare).unwrap_or("").trim().to_lowercase();
            for a in [format!("ubnd {kind} {bare}"), format!("ubnd {bare}")] {
                self.add(&a, "", &name, Some(OUTSIDE));
            }
            if central {
                self.add(&format!("{kind} {bare}"), "", &name, Some(OUTSIDE));
            }
        }
    }

    fn add(&mut self, alias: &str, code: &str, name: &str, note: Option<&'static str>) {
        let words = key(alias);
        if words.is_empty() {
            return;
        }
        self.aliases.push(Alias {
            words,
            code: code.to_string(),
            name: name.to_string(),
            note,
        });
    }

    fn index(&mut self) {
        // Earlier aliases win ties: a unit's own name before a guess.
        self.by_first.clear();
        self.compact.clear();
        for (i, a) in self.aliases.iter().enumerate() {
            self.by_first.entry(a.words[0].clone()).or_default().push(i);
            let c: String = a.words.concat();
            if c.len() >= 6 {
                self.compact.push((c, i));
            }
            if !a.code.is_empty() {
                self.codes.entry(a.code.to_lowercase()).or_insert(i);
            }
        }
        for v in self.by_first.values_mut() {
            let aliases = &self.aliases;
            v.sort_by_key(|&i| std::cmp::Reverse(aliases[i].words.len()));
        }
        self.compact
            .sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
        self.compact_heads = self
            .compact
            .iter()
            .map(|(c, _)| c.chars().take(3).collect())
            .collect();
    }

    /// The registry's name for a code.
    pub fn name_of(&self, code: &str) -> Option<&str> {
        self.codes
            .get(&code.to_lowercase())
            .map(|&i| self.aliases[i].name.as_str())
    }

    /// The longest alias that starts at word `i`: (alias index, words consumed).
    fn match_at(&self, w: &[Word], i: usize) -> Option<(usize, usize)> {
        let cands = self.by_first.get(&w[i].fold)?;
        for &a in cands {
            let aw = &self.aliases[a].words;
            if i + aw.len() > w.len() {
                continue;
            }
            let ok = aw
                .iter()
                .enumerate()
                .all(|(k, x)| w[i + k].fold == *x && (k == 0 || w[i + k].sep != ';'));
            if ok {
                return Some((a, aw.len()));
            }
        }
        None
    }

    /// The units a clause starts with ("Thủ trưởng các sở, ban, ngành, Chủ tịch UBND cấp
    /// xã xác định…"): the units and the byte offset where the rest of the clause begins.
    /// None when the clause does not start with a unit.
    pub fn leading_units(&self, text: &str) -> Option<(Vec<UnitRef>, usize)> {
        // Units open a clause within its first few hundred bytes; reading further would make
        // long paragraphs quadratic.
        let mut cut = text.len().min(600);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = &text[..cut];
        let w = words(text);
        let mut out: Vec<UnitRef> = Vec::new();
        let mut end = 0;
        let mut i = 0;
        while i < w.len() {
            if i > 0
                && text[w[i - 1].end..w[i].start].contains([':', '(', '.', '\u{2013}'])
                && !out.is_empty()
            {
                // "(PC06)" and "– Công an tỉnh" continue a name; a colon or a full stop ends it.
                let gap = &text[w[i - 1].end..w[i].start];
                if gap.contains(':') || gap.contains(". ") {
                    break;
                }
            }
            if let Some((a, n)) = self.match_at_split(&w, i) {
                out.push(self.aliases[a].to_ref(&text[w[i].start..w[i + n - 1].end]));
                i += n;
                end = w[i - 1].end;
                // "…tỉnh", "…thành viên", "…có liên quan" close a name.
                loop {
                    let n = LEADING_TAIL
                        .iter()
                        .find(|t| {
                            t.iter()
                                .enumerate()
                                .all(|(k, x)| w.get(i + k).is_some_and(|y| y.fold == *x))
                        })
                        .map(|t| t.len());
                    match n {
                        Some(n) => {
                            end = w[i + n - 1].end;
                            i += n;
                        }
                        None => break,
                    }
                }
                continue;
            }
            if LEADING_FILLER.contains(&w[i].fold.as_str()) {
                i += 1;
                continue;
            }
            // "Sở Nội vụchủ trì": a unit glued to the next word.
            if let Some((a, len)) = self.glued_prefix(&text[w[i].start..]) {
                let end_at = w[i].start + len;
                out.push(self.aliases[a].to_ref(&text[w[i].start..end_at]));
                end = end_at;
            }
            break;
        }
        if out.is_empty() {
            return None;
        }
        Some((dedup(out), end))
    }

    /// Like `match_at`, but gives up the longest alias for a shorter one when that lets the
    /// next words match too: "UBND các huyện, thành phố Long Khánh" is the districts and
    /// then "thành phố Long Khánh", not "UBND các huyện, thành phố" and then "Long Khánh".
    fn match_at_split(&self, w: &[Word], i: usize) -> Option<(usize, usize)> {
        let (a, n) = self.match_at(w, i)?;
        let next_ok = |k: usize| {
            k >= w.len() || self.match_at(w, k).is_some() || FILLER.contains(&w[k].fold.as_str())
        };
        if next_ok(i + n) {
            return Some((a, n));
        }
        let cands = self.by_first.get(&w[i].fold)?;
        for &b in cands {
            let bw = &self.aliases[b].words;
            let m = bw.len();
            if m >= n || i + m > w.len() {
                continue;
            }
            let ok = bw
                .iter()
                .enumerate()
                .all(|(k, x)| w[i + k].fold == *x && (k == 0 || w[i + k].sep != ';'));
            if ok && i + m < w.len() && self.match_at(w, i + m).is_some() {
                return Some((b, m));
            }
        }
        Some((a, n))
    }

    /// The longest alias that the text starts with once spaces and punctuation are dropped,
    /// and the byte length of the text it covers: finds "Sở Nội vụ" in "Sở Nội vụchủ trì".
    fn glued_prefix(&self, text: &str) -> Option<(usize, usize)> {
        // Cheap refusal: the text's first three letters must start some alias.
        let head: String = crate::text::fold(&text.chars().take(12).collect::<String>())
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(3)
            .collect();
        if head.chars().count() < 3 || !self.compact_heads.contains(&head) {
            return None;
        }
        let mut cut = text.len().min(120);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let (f, map) = crate::text::fold_mapped(&text[..cut]);
        let mut compact = String::new();
        let mut ends = Vec::new();
        for (i, c) in f.char_indices() {
            if c.is_alphanumeric() {
                compact.push(c);
                ends.push(map[i + c.len_utf8()]);
            }
        }
        self.compact
            .iter()
            .find(|(c, _)| compact.starts_with(c.as_str()))
            .map(|(c, a)| (*a, ends[c.chars().count() - 1]))
    }

    /// Resolves a lead or coordinating phrase into its units, in the order written.
    pub fn resolve(&self, phrase: &str) -> Vec<UnitRef> {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return vec![];
        }
        // "Bộ CHQS tỉnh; UBND cấp xã", "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã": a body
        // outside the registry is one name, whatever units its words look like.
        let parts: Vec<&str> = phrase
            .split([';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let outside = |p: &str| names_an_organisation(p) && self.leading_units(p).is_none();
        if parts.iter().any(|p| outside(p)) {
            return dedup(
                parts
                    .iter()
                    .flat_map(|p| {
                        if outside(p) {
                            // "Tỉnh đoàn, Hội Nông dân tỉnh": a comma before a new name
                            let mut names = vec![];
                            let mut start = 0;
                            for (i, _) in p.match_indices(", ") {
                                let next = &p[i + 2..];
                                if next.starts_with(char::is_uppercase)
                                    && (names_an_organisation(next)
                                        || self.leading_units(next).is_some())
                                {
                                    names.push(&p[start..i]);
                                    start = i + 2;
                                }
                            }
                            names.push(&p[start..]);
                            names
                                .into_iter()
                                .flat_map(|n| {
                                    if outside(n) {
                                        vec![UnitRef::unknown(n.trim_end_matches(['.', ',']))]
                                    } else {
                                        self.resolve(n)
                                    }
                                })
                                .collect()
                        } else {
                            self.resolve(p)
                        }
                    })
                    .collect(),
            );
        }
        // Codes typed by a reviewer: "75.SNV; 75.XA".
        let parts: Vec<&str> = phrase
            .split([';', ',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts
            .iter()
            .all(|p| self.codes.contains_key(&p.to_lowercase()) && !p.contains(' '))
        {
            return parts
                .iter()
                .map(|p| UnitRef {
                    note: None,
                    ..self.aliases[self.codes[&p.to_lowercase()]].to_ref(p)
                })
                .collect();
        }
        let w = words(phrase);
        let mut out: Vec<UnitRef> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < w.len() {
            if let Some((a, n)) = self.match_at_split(&w, i) {
                self.flush_unmatched(phrase, &w, &mut pending, &mut out);
                out.push(self.aliases[a].to_ref(&phrase[w[i].start..w[i + n - 1].end]));
                i += n;
            } else {
                if w[i].sep == ';' {
                    self.flush_unmatched(phrase, &w, &mut pending, &mut out);
                }
                pending.push(i);
                i += 1;
            }
        }
        self.flush_unmatched(phrase, &w, &mut pending, &mut out);
        dedup(out)
    }

    /// Words that matched no alias: tried once more without spaces (glued words), else kept
    /// as text, split where a comma starts a capitalised name ("Tỉnh đoàn, Hội Nông dân").
    fn flush_unmatched(
        &self,
        phrase: &str,
        w: &[Word],
        pending: &mut Vec<usize>,
        out: &mut Vec<UnitRef>,
    ) {
        if pending.is_empty() {
            return;
        }
        let idx = std::mem::take(pending);
        if idx.iter().all(|&k| FILLER.contains(&w[k].fold.as_str())) {
            return;
        }
        let compact: String = idx.iter().map(|&k| w[k].fold.as_str()).collect();
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (c, a) in &self.compact {
            let mut from = 0;
            while let Some(pos) = compact[from..].find(c.as_str()) {
                let at = from + pos;
                if !found.iter().any(|(s, a2)| {
                    let l = self.aliases[*a2].words.concat().len();
                    at < s + l && *s < at + c.len()
                }) {
                    found.push((at, *a));
                }
                from = at + c.len();
            }
        }
        if !found.is_empty() {
            found.sort();
            let text = phrase[w[idx[0]].start..w[*idx.last().unwrap_or(&idx[0])].end].to_string();
            for (_, a) in found {
                out.push(self.aliases[a].to_ref(&text));
            }
            return;
        }
        let mut piece: Vec<usize> = Vec::new();
        let emit = |piece: &mut Vec<usize>, out: &mut Vec<UnitRef>| {
            if piece.is_empty() || piece.iter().all(|&k| FILLER.contains(&w[k].fold.as_str())) {
                piece.clear();
                return;
            }
            let text = phrase[w[piece[0]].start..w[piece[piece.len() - 1]].end]
                .trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '(')
                .to_string();
            piece.clear();
            out.push(UnitRef::unknown(text));
        };
        for &k in &idx {
            let capital = phrase[w[k].start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if !piece.is_empty() && (w[k].sep == ';' || (w[k].sep == ',' && capital)) {
                emit(&mut piece, out);
            }
            piece.push(k);
        }
        emit(&mut piece, out);
    }
}

/// The legacy districts of every province: (new province code, "Huyện Ba Vì").
fn districts_before_2025() -> impl Iterator<Item = (&'static str, &'static str)> {
    include_str!("../../data/districts-before-2025.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
}

/// Provinces as documents may name them, before and after the 2025 mergers:
/// (folded bare name, new province code).
pub fn province_names() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in include_str!("../../data/provinces-before-2025.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() == 3 {
            out.push((fold(bare_province_name(f[1])), f[2].to_string()));
        }
    }
    out.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Registry {
        Registry::embedded("75").expect("Đồng Nai is in the 2025 list")
    }

    fn codes(r: &Registry, s: &str) -> Vec<Option<String>> {
        r.resolve(s).into_iter().map(|u| u.unit).collect()
    }

    #[test]
    fn collective_phrases_and_separators() {
        let r = reg();
        let c = |s: &str| codes(&r, s);
        let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(c("Các sở, ban, ngành"), some(&["75.SBN"]));
        assert_eq!(
            c("Các Sở, ban ngành, UBND cấp huyện"),
            some(&["75.SBN", "75.XA"])
        );
        assert_eq!(
            c("Sở Tư pháp; Văn phòng UBND tỉnh"),
            some(&["75.STP", "75.VPUBND"])
        );
        assert_eq!(
            c("Sở Thông tin và Truyền thông, Văn phòng UBND tỉnh"),
            some(&["75.SKHCN", "75.VPUBND"])
        );
        assert_eq!(c("VP UBND"), some(&["75.VPUBND"]));
        assert_eq!(c("Sở TT&TT"), some(&["75.SKHCN"]));
        assert_eq!(c("sở noi vu"), some(&["75.SNV"]));
        assert_eq!(
            c("Các sở, ban, ngành tỉnh, UBND cấp huyện, xã"),
            some(&["75.SBN", "75.XA"])
        );
        assert_eq!(c("SởNội vụ"), some(&["75.SNV"]));
        assert_eq!(c("Ủy ban nhân dân cấp xã"), some(&["75.XA"]));
        assert_eq!(c("UBND phường Trấn Biên"), some(&["26041"]));
        assert_eq!(c("75.SNV; 75.XA"), some(&["75.SNV", "75.XA"]));
    }

    #[test]
    fn unknown_phrases_are_kept_as_text() {
        let r = reg();
        let v = r.resolve("Các Sở, ngành; VNPT Đồng Nai");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].unit.as_deref(), Some("75.SBN"));
        assert_eq!(v[1].text, "VNPT Đồng Nai");
        assert_eq!(v[1].unit, None);
        let v = r.resolve("Tỉnh đoàn, Hội Nông dân tỉnh");
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(v.iter().all(|u| u.unit.is_none()));
    }
}
