//! Cross-crate tests of the diatomic workspace: stress tests on tokio's
//! multi-threaded runtime and trybuild suites (`tests/`), the expansion
//! snapshot (`expanded/`), and the demo (`examples/`).
//!
//! This library holds what several of them share, and runs the code blocks
//! of the README and of `docs/` as doc tests.

pub mod nonzero_slot;
pub mod nz_channel;

#[doc = include_str!("../../README.md")]
mod readme {}

#[doc = include_str!("../../docs/waker.md")]
mod docs_waker {}

#[doc = include_str!("../../docs/runtime.md")]
mod docs_runtime {}
