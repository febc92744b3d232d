//! The keys and small rules both the figures read from a file (`monthly`) and the stored
//! state (`state`) use: a code's hash, fast maps for short keys, which row of a code wins.

/// FNV-1a over the code, then a strong final mix (codes share long prefixes).
pub fn code_key(code: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.trim().as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A fast hasher for short keys (unit and procedure codes looked up for every row of a
/// file); not for keys an attacker could choose to collide, which only slows a lookup.
#[derive(Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// Whether a later row of a code (`flags`) replaces what is held for it (`current`): always,
/// except that a newer state never undoes an ended processing (`ended`, the kind's bit).
pub fn supersedes(current: Option<u16>, flags: u16, ended: u16) -> bool {
    !current.is_some_and(|c| c & ended != 0 && flags & ended == 0)
}
