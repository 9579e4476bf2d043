//! Cross-crate tests of the diatomic workspace: stress tests on tokio's
//! multi-threaded runtime (`tests/`), and the demo (`examples/`).
//!
//! This library holds what several of them share.

pub mod nonzero_slot;
