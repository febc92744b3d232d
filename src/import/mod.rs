//! Reading directives: a document (text, Word, PDF) becomes a proposed directive and its
//! tasks, for a secretary to review and publish.

pub mod units;
