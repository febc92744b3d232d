//! Tools around the product, never imported by the domain: the demo province (`demo`), the
//! synthetic one-stop exports (`generate`), the national dataset and the benchmarks (`bench`),
//! and their deterministic random numbers (`rng`). `main` runs them as subcommands.

pub mod bench;
pub mod demo;
pub mod demo_breakthroughs;
pub mod demo_meetings;
pub mod generate;
pub mod rng;
