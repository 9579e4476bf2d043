//! Cross-crate tests of the diatomic workspace: stress tests on tokio's
//! multi-threaded runtime and trybuild suites (`tests/`), the expansion
//! snapshot (`expanded/`), and the demo (`examples/`).
//!
//! This library holds what several of them share, and runs the README's
//! code blocks as doc tests.

pub mod nonzero_slot;
pub mod nz_channel;

#[doc = include_str!("../../README.md")]
mod readme {}
