//! A document as read: lines and tables, and its whole text for review.

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Line(String),
    /// Rows of cells; the first rows may be headers.
    Table(Vec<Vec<String>>),
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
    /// The whole text as read, shown beside the extraction for review.
    pub text: String,
}
