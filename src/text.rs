//! Vietnamese text: the one fold function every search index and query uses, and the
//! collation key that sorts names in Vietnamese alphabetical order.

use unicode_normalization::UnicodeNormalization;

/// NFD, drop combining marks, đ→d, lowercase, punctuation as spaces, collapse whitespace.
/// "Sở Nội vụ" → "so noi vu", "Rà soát, công bố" → "ra soat cong bo".
/// SQLite's FTS does not fold `đ`, hence our own.
pub fn fold(s: &str) -> String {
    fold_with(s, true)
}

/// The LIKE pattern of a search box against a folded column (`name_fold`…): None when the box
/// is empty, so the query's `$n IS NULL OR …` lets everything through.
/// Whether a character is kept in what users send: not a control character (tab and line
/// breaks excepted), not an invisible format character (zero-width spaces and joiners, bidi
/// overrides, the byte-order mark) nor a noncharacter. They are dropped at the edge: PostgreSQL
/// refuses NUL, and invisible characters break search and the documents steerco writes.
pub fn is_input_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        c if c.is_control() => false,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}' => false,
        '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

/// `s` without the characters [`is_input_char`] drops (borrowed when there are none).
pub fn clean_input(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_input_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|c| is_input_char(*c)).collect())
    }
}

pub fn like_pattern(q: Option<&str>) -> Option<String> {
    q.map(fold)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{s}%"))
}

/// Like [`fold`] but keeps punctuation, for parsers that read "31/01/2025" or "Quý II/2025".
pub fn fold_keep_punct(s: &str) -> String {
    fold_with(s, false)
}

fn fold_with(s: &str, punct_as_space: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let c = match base_char(c) {
            Some(b) => b,
            None => continue, // a combining mark
        };
        if c.is_whitespace() || (punct_as_space && !c.is_alphanumeric()) {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A character without its diacritics (đ→d), None for a lone combining mark. ASCII, most of
/// any Vietnamese text, skips the Unicode tables: folding is on every parser's hot path.
fn base_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    if ('\u{0300}'..='\u{036f}').contains(&c) {
        return None;
    }
    if c == 'đ' || c == 'Đ' {
        return Some('d');
    }
    // A canonical decomposition starts with its base letter ("ố" → o, ̂, ́).
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        base.get_or_insert(d);
    });
    Some(base.unwrap_or(c))
}

/// Lowercase, no marks, đ→d, punctuation and spacing kept, with the byte offset in `s` of
/// every byte of the result, so a phrase found in folded text can be cut from the original.
pub fn fold_mapped(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (i, ch) in s.char_indices() {
        let Some(c) = base_char(ch) else {
            continue;
        };
        let c = if c.is_whitespace() { ' ' } else { c };
        for l in c.to_lowercase() {
            for _ in 0..l.len_utf8() {
                map.push(i);
            }
            out.push(l);
        }
    }
    map.push(s.len());
    (out, map)
}

/// NFC on input, so that the same word typed on two keyboards is stored the same way.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";

/// A key whose byte order is Vietnamese alphabetical order: letters first (ă after a,
/// đ after d, ư after u…), then tones as a tie-breaker (ngang, huyền, sắc, hỏi, ngã, nặng).
pub fn vn_sort_key(s: &str) -> String {
    let mut primary = String::new();
    let mut tones = String::new();
    let lower = s.to_lowercase();
    let mut chars = lower.nfd().peekable();
    while let Some(c) = chars.next() {
        let mut base = c;
        let mut tone = '0';
        while let Some(&m) = chars.peek() {
            if !('\u{0300}'..='\u{036f}').contains(&m) && m != '\u{031b}' {
                break;
            }
            chars.next();
            base = match (base, m) {
                ('a', '\u{0306}') => 'ă',
                ('a', '\u{0302}') => 'â',
                ('e', '\u{0302}') => 'ê',
                ('o', '\u{0302}') => 'ô',
                ('o', '\u{031b}') => 'ơ',
                ('u', '\u{031b}') => 'ư',
                _ => base,
            };
            tone = match m {
                '\u{0300}' => '1',
                '\u{0301}' => '2',
                '\u{0309}' => '3',
                '\u{0303}' => '4',
                '\u{0323}' => '5',
                _ => tone,
            };
        }
        match ALPHABET.chars().position(|a| a == base) {
            Some(i) => primary.push((b'A' + i as u8) as char),
            None if base.is_ascii_digit() => primary.push(base),
            None if base.is_whitespace() => primary.push(' '),
            // other letters (f, j, w, z) after y; punctuation is ignored
            None if base.is_alphabetic() => primary.push('_'),
            None => {}
        }
        tones.push(tone);
    }
    format!("{primary}|{tones}")
}

/// Sorts any list by a name in Vietnamese order.
pub fn sort_vn<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|t| vn_sort_key(name(t)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_loses_nul_controls_and_invisible_characters_but_keeps_line_breaks() {
        assert_eq!(clean_input("Sở\u{0}Nội vụ"), "SởNội vụ");
        assert_eq!(clean_input("Số\u{200B}hóa\u{202E}"), "Sốhóa");
        assert_eq!(clean_input("a\tb\r\nc\u{7}\u{FEFF}"), "a\tb\r\nc");
        assert!(matches!(
            clean_input("Kế hoạch 404"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn fold_removes_marks_and_d() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("  Đồng   Nai "), "dong nai");
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(
            fold("Rà soát, công bố (404/KH-UBND)"),
            "ra soat cong bo 404 kh ubnd"
        );
    }

    #[test]
    fn vietnamese_order() {
        let mut v = vec![
            "Đồng Xoài",
            "Dầu Giây",
            "Ấp Bắc",
            "An Lộc",
            "Ăn Uống",
            "Uyên",
            "Ưng",
        ];
        sort_vn(&mut v, |s| s);
        assert_eq!(
            v,
            vec![
                "An Lộc",
                "Ăn Uống",
                "Ấp Bắc",
                "Dầu Giây",
                "Đồng Xoài",
                "Uyên",
                "Ưng"
            ]
        );
        let mut t = vec!["má", "ma", "mạ", "mà"];
        sort_vn(&mut t, |s| s);
        assert_eq!(t, vec!["ma", "mà", "má", "mạ"]);
    }
}

/// The rules a user would name: what typing finds, how names sort in a list.
#[cfg(test)]
mod rules {
    use super::*;

    #[test]
    fn folding_for_search_and_for_parsers() {
        for (typed, folded) in [
            ("Đ", "d"),
            ("đ", "d"),
            ("Sở Nội vụ", "so noi vu"),
            ("a\t\n b", "a b"),
            ("Quý II/2025", "quy ii 2025"),
            ("", ""),
        ] {
            assert_eq!(fold(typed), folded, "fold({typed:?})");
        }
        // parsers keep the punctuation of "31/01/2025" but still collapse spacing
        for (typed, folded) in [
            ("Quý  II/2025 ", "quy ii/2025"),
            ("Trước ngày 31/01/2025.", "truoc ngay 31/01/2025."),
            ("Đ-Đ", "d-d"),
        ] {
            assert_eq!(fold_keep_punct(typed), folded, "fold_keep_punct({typed:?})");
        }
    }

    #[test]
    fn a_phrase_found_in_folded_text_is_cut_from_the_original() {
        let original = "Đồng Nai";
        let (folded, map) = fold_mapped(original);
        assert_eq!(folded, "dong nai");
        // Đ is 2 bytes, ồ 3: every folded byte points at its character in the original
        assert_eq!(map, vec![0, 2, 5, 6, 7, 8, 9, 10, 11]);
        let at = folded.find("nai").unwrap();
        assert_eq!(&original[map[at]..map[folded.len()]], "Nai");
        // combining marks typed apart vanish, spacing is kept as it is
        let (folded, map) = fold_mapped("Ho\u{0300}a  Bi");
        assert_eq!(folded, "hoa  bi");
        assert_eq!(map.len(), folded.len() + 1);
    }

    #[test]
    fn typed_input_is_stored_in_one_form() {
        // "Hòa" typed as o + combining grave (some keyboards) is stored as the precomposed
        // letter, so a search for either finds both
        assert_eq!(nfc("  Ho\u{0300}a Bi\u{0300}nh "), "Hòa Bình");
        assert_eq!(nfc("Hòa Bình"), "Hòa Bình");
        assert_eq!(nfc("Tie\u{0302}\u{0301}n"), "Tiến");
    }

    fn sorted(names: &[&'static str]) -> Vec<&'static str> {
        let mut v = names.to_vec();
        sort_vn(&mut v, |s| s);
        v
    }

    #[test]
    fn names_sort_in_vietnamese_alphabetical_order() {
        // each case is given in the wrong order; the expected order is the dictionary's
        for expected in [
            // a < ă < â, a letter decides before the rest of the word
            &["An Phú", "Ao Xanh", "Ăn Uống", "Âu Cơ"][..],
            // e < ê
            &["Eo Gió", "Ê Đê"],
            // o < ô < ơ
            &["Ong Vàng", "Ô Môn", "Ơn Nghĩa"],
            // u < ư, d < đ
            &["Uyên Hưng", "Ưng Hòa"],
            &["Dầu Giây", "Đồng Xoài"],
            // a space ends a word before any letter
            &["An Phú", "Anh Sơn"],
            // digits before letters, in their own order
            &["Phường 1", "Phường 2", "Phường A"],
            // f, j, w, z come after y
            &["Yên Bình", "Zô Lang"],
            // punctuation is ignored
            &["Ba Đình", "B.Trang"],
            &["B.An", "Bc"],
            &["Số 2-A", "Số 2B"],
            // tones break ties: ngang, huyền, sắc, hỏi, ngã, nặng
            &["ma", "mà", "má", "mả", "mã", "mạ"],
        ] {
            let mut reversed = expected.to_vec();
            reversed.reverse();
            assert_eq!(sorted(&reversed), expected, "from {reversed:?}");
        }
    }
}
