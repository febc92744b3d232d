//! The stored state of every dossier (or feedback item) of one unit, compact: what an
//! import needs to upsert by code and what drill-down needs to count by procedure. Each
//! row keeps a hash of its code, its month of receipt, its subject (procedure or feedback
//! category) and its contribution bits — 14 bytes — so a year of a large province fits in a
//! few megabytes and the country's ten million dossiers in about 140 MB.
//!
//! Codes are keyed within one unit (a dossier code names its receiving unit), with a 64-bit
//! hash: two codes of one unit collide with odds below 1 in 10⁹ even at 250,000 dossiers.

use std::collections::BTreeMap;

use super::monthly::Tally;

/// One dossier's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    pub key: u64,
    /// Months since year 0: `year * 12 + month - 1`.
    pub month: u16,
    /// Index into the unit's subjects.
    pub subject: u16,
    pub flags: u16,
}

const REC_BYTES: usize = 14;
const MAGIC: &[u8; 4] = b"SCS1";

/// A row arriving from a file, before it meets the stored state.
#[derive(Debug, Clone, Copy)]
pub struct Incoming {
    pub key: u64,
    pub month: u16,
    /// Index into the import's own subject list.
    pub subject: u32,
    pub flags: u16,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitState {
    pub subjects: Vec<String>,
    /// Sorted by key, one per key.
    pub recs: Vec<Rec>,
}

#[derive(Debug, thiserror::Error)]
#[error("trạng thái hồ sơ lưu trữ bị hỏng")]
pub struct Corrupt;

pub use super::keys::{code_key, FastMap, FastSet, FxHasher};

pub fn month_index(year: i32, month: u32) -> u16 {
    (year.max(0) as u32 * 12 + month.saturating_sub(1)) as u16
}

/// "YYYY-MM" of a month index.
pub fn month_label(m: u16) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

pub use super::keys::supersedes;

impl UnitState {
    pub fn decode(bytes: &[u8]) -> Result<UnitState, Corrupt> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], Corrupt> {
            let s = bytes.get(at..at + n).ok_or(Corrupt)?;
            at += n;
            Ok(s)
        };
        if take(4)? != MAGIC {
            return Err(Corrupt);
        }
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let n_subjects = u32_at(take(4)?) as usize;
        let mut subjects = Vec::with_capacity(n_subjects.min(bytes.len() / 2));
        for _ in 0..n_subjects {
            let len = u16::from_le_bytes(take(2)?.try_into().map_err(|_| Corrupt)?) as usize;
            let s = std::str::from_utf8(take(len)?).map_err(|_| Corrupt)?;
            subjects.push(s.to_string());
        }
        let n = u32_at(take(4)?) as usize;
        let body = take(n * REC_BYTES)?;
        let recs = body
            .chunks_exact(REC_BYTES)
            .map(|c| Rec {
                key: u64::from_le_bytes(c[0..8].try_into().unwrap_or_default()),
                month: u16::from_le_bytes([c[8], c[9]]),
                subject: u16::from_le_bytes([c[10], c[11]]),
                flags: u16::from_le_bytes([c[12], c[13]]),
            })
            .collect();
        Ok(UnitState { subjects, recs })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(16 + self.subjects.len() * 8 + self.recs.len() * REC_BYTES);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.subjects.len() as u32).to_le_bytes());
        for s in &self.subjects {
            let b = &s.as_bytes()[..s.len().min(u16::MAX as usize)];
            out.extend_from_slice(&(b.len() as u16).to_le_bytes());
            out.extend_from_slice(b);
        }
        out.extend_from_slice(&(self.recs.len() as u32).to_le_bytes());
        for r in &self.recs {
            out.extend_from_slice(&r.key.to_le_bytes());
            out.extend_from_slice(&r.month.to_le_bytes());
            out.extend_from_slice(&r.subject.to_le_bytes());
            out.extend_from_slice(&r.flags.to_le_bytes());
        }
        out
    }

    /// Upserts rows in file order. A row replaces the stored state of its code, except that
    /// a state whose processing had ended is not replaced by one still in progress (an
    /// older export imported late). Returns whether anything changed.
    pub fn apply(&mut self, mut rows: Vec<Incoming>, names: &[String], ended: u16) -> bool {
        if rows.is_empty() {
            return false;
        }
        // Stable: rows of one code stay in file order, the last one deciding.
        rows.sort_by_key(|r| r.key);
        let mut subject_of: std::collections::HashMap<u32, u16> = Default::default();
        let mut merged: Vec<Rec> = Vec::with_capacity(self.recs.len() + rows.len());
        let mut old = self.recs.iter().peekable();
        let mut i = 0;
        while i < rows.len() {
            let key = rows[i].key;
            while let Some(o) = old.next_if(|o| o.key < key) {
                merged.push(*o);
            }
            let mut current = old.next_if(|o| o.key == key).copied();
            while i < rows.len() && rows[i].key == key {
                let r = rows[i];
                i += 1;
                if !supersedes(current.map(|c| c.flags), r.flags, ended) {
                    continue;
                }
                let subject = *subject_of.entry(r.subject).or_insert_with(|| {
                    let name = names
                        .get(r.subject as usize)
                        .map(String::as_str)
                        .unwrap_or("");
                    match self.subjects.iter().position(|s| s == name) {
                        Some(p) => p as u16,
                        None if self.subjects.len() < u16::MAX as usize => {
                            self.subjects.push(name.to_string());
                            (self.subjects.len() - 1) as u16
                        }
                        None => u16::MAX,
                    }
                });
                current = Some(Rec {
                    key,
                    month: r.month,
                    subject,
                    flags: r.flags,
                });
            }
            merged.extend(current);
        }
        merged.extend(old.copied());
        let changed = merged != self.recs;
        self.recs = merged;
        changed
    }

    /// Counts per month of receipt.
    pub fn monthly<C: Tally>(&self) -> BTreeMap<u16, C> {
        let mut out: BTreeMap<u16, C> = BTreeMap::new();
        for r in &self.recs {
            out.entry(r.month).or_default().add_flags(r.flags);
        }
        out
    }

    /// Counts per subject for rows received in months `from..=to`.
    pub fn by_subject<C: Tally>(&self, from: u16, to: u16) -> BTreeMap<String, C> {
        let mut per: Vec<C> = (0..self.subjects.len()).map(|_| C::default()).collect();
        for r in self.recs.iter().filter(|r| (from..=to).contains(&r.month)) {
            if let Some(c) = per.get_mut(r.subject as usize) {
                c.add_flags(r.flags);
            }
        }
        self.subjects
            .iter()
            .cloned()
            .zip(per)
            .filter(|(_, c)| c.counts().first().copied().unwrap_or(0) > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossiers::monthly::DossierCounts;

    fn row(code: &str, month: u16, subject: u32, flags: u16) -> Incoming {
        Incoming {
            key: code_key(code),
            month,
            subject,
            flags,
        }
    }

    #[test]
    fn upsert_by_code_newer_state_wins_ended_is_not_undone() {
        let names = vec!["P1".to_string(), "P2".to_string()];
        let ended = DossierCounts::ENDED;
        let in_progress = 1 | 1 << 5;
        let finished = 1 | ended;
        let mut s = UnitState::default();
        let may = month_index(2026, 5);
        assert!(s.apply(
            vec![row("A", may, 0, in_progress), row("B", may, 1, in_progress)],
            &names,
            ended
        ));
        assert_eq!(s.recs.len(), 2);
        // The same file again changes nothing.
        let again = s.clone();
        assert!(!s.apply(
            vec![row("A", may, 0, in_progress), row("B", may, 1, in_progress)],
            &names,
            ended
        ));
        assert_eq!(s, again);
        // June's export: A finished; a new dossier C.
        assert!(s.apply(
            vec![row("A", may, 0, finished), row("C", may + 1, 0, finished)],
            &names,
            ended
        ));
        let m = s.monthly::<DossierCounts>();
        assert_eq!(m[&may].received, 2);
        assert_eq!(m[&may].finished, 1);
        assert_eq!(m[&may].in_progress, 1);
        assert_eq!(m[&(may + 1)].finished, 1);
        // May's export imported late does not reopen A.
        assert!(!s.apply(vec![row("A", may, 0, in_progress)], &names, ended));
        assert_eq!(s.monthly::<DossierCounts>()[&may].finished, 1);
        // Within one file the last row of a code decides.
        s.apply(
            vec![
                row("B", may, 1, finished),
                row("B", may, 1, finished | 1 << 13),
            ],
            &names,
            ended,
        );
        assert_eq!(s.monthly::<DossierCounts>()[&may].satisfied, 1);
        let by = s.by_subject::<DossierCounts>(may, may);
        assert_eq!(by["P1"].received, 1);
        assert_eq!(by["P2"].satisfied, 1);
        // Round trip through bytes; garbage is refused.
        let back = UnitState::decode(&s.encode()).unwrap();
        assert_eq!(back, s);
        assert!(UnitState::decode(b"SCS1\xff\xff\xff\xff").is_err());
        assert_eq!(month_label(may), "2026-05");
    }
}
