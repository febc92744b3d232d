//! Calendar periods of the indicators: a month, a quarter or a year, as spans of months.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub span: Span,
    pub year: i32,
    /// Month (1–12), quarter (1–4) or 0 for a year.
    pub n: u32,
}

impl Period {
    /// "2026", "2026-Q3" (or "2026-q3"), "2026-09".
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year: i32 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match rest {
            None => Some(Period {
                span: Span::Year,
                year,
                n: 0,
            }),
            Some(r) if r.starts_with(['Q', 'q']) => {
                let n: u32 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
                Some(Period {
                    span: Span::Quarter,
                    year,
                    n,
                })
            }
            Some(r) => {
                let n: u32 = r.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(Period {
                    span: Span::Month,
                    year,
                    n,
                })
            }
        }
    }

    /// The period's key as `parse` reads it.
    pub fn key(&self) -> String {
        match self.span {
            Span::Year => format!("{}", self.year),
            Span::Quarter => format!("{}-Q{}", self.year, self.n),
            Span::Month => format!("{}-{:02}", self.year, self.n),
        }
    }

    pub fn label(&self) -> String {
        match self.span {
            Span::Year => format!("Năm {}", self.year),
            Span::Quarter => format!("Quý {}/{}", roman(self.n), self.year),
            Span::Month => format!("Tháng {}/{}", self.n, self.year),
        }
    }

    /// First and last month, "YYYY-MM" (inclusive; compare as text).
    pub fn months(&self) -> (String, String) {
        let (a, b) = match self.span {
            Span::Year => (1, 12),
            Span::Quarter => (self.n * 3 - 2, self.n * 3),
            Span::Month => (self.n, self.n),
        };
        (
            format!("{}-{a:02}", self.year),
            format!("{}-{b:02}", self.year),
        )
    }

    /// The period before, of the same span (what trends compare with).
    pub fn previous(&self) -> Period {
        let (year, n) = match self.span {
            Span::Year => (self.year - 1, 0),
            Span::Quarter if self.n == 1 => (self.year - 1, 4),
            Span::Month if self.n == 1 => (self.year - 1, 12),
            _ => (self.year, self.n - 1),
        };
        Period {
            span: self.span,
            year,
            n,
        }
    }

    /// The month of a "YYYY-MM" text.
    pub fn month_of(ym: &str) -> Option<Period> {
        Period::parse(ym).filter(|p| p.span == Span::Month)
    }
}

fn roman(n: u32) -> &'static str {
    ["I", "II", "III", "IV"]
        .get(n.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_span_and_step_back() {
        let q = Period::parse("2026-Q1").unwrap();
        assert_eq!(q.months(), ("2026-01".into(), "2026-03".into()));
        assert_eq!(q.previous().key(), "2025-Q4");
        assert_eq!(q.label(), "Quý I/2026");
        let m = Period::parse("2026-01").unwrap();
        assert_eq!(m.previous().key(), "2025-12");
        assert_eq!(Period::parse("2026").unwrap().months().1, "2026-12");
        assert!(Period::parse("2026-13").is_none());
        assert!(Period::parse("2026-Q5").is_none());
        assert!(Period::parse("hôm qua").is_none());
    }
}
