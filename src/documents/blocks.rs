//! The blocks official documents are made of: body paragraphs, bold headings, a title, a
//! bordered table with a header row.

use super::docx::{Align, Block, Para, Table};

pub(crate) const SMALL: u32 = 12;
pub(crate) const BODY: u32 = 14;

pub(crate) fn p(t: &str) -> Block {
    Block::P(Para::new(Align::Justify).text(t, BODY).indent())
}

pub(crate) fn bold(t: &str) -> Block {
    Block::P(Para::new(Align::Justify).bold(t, BODY).indent())
}

pub(crate) fn title(kind: &str, subject: &str) -> Vec<Block> {
    vec![
        Block::P(Para::new(Align::Center).bold(kind, 14).after(0)),
        Block::P(Para::new(Align::Center).bold(subject, 14).after(12)),
    ]
}

pub(crate) fn table(widths: Vec<u32>, head: &[&str], rows: Vec<Vec<String>>) -> Block {
    let c = |s: &str, b: bool| {
        let para = Para::new(Align::Left);
        vec![if b {
            para.bold(s, SMALL)
        } else {
            para.text(s, SMALL)
        }
        .after(0)]
    };
    let mut out = vec![head.iter().map(|h| c(h, true)).collect::<Vec<_>>()];
    out.extend(
        rows.into_iter()
            .map(|r| r.iter().map(|s| c(s, false)).collect()),
    );
    Block::T(Table {
        widths,
        rows: out,
        borders: true,
        header_rows: 1,
    })
}
