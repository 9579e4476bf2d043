//! Side-by-side comparisons of `diatomic-waker` and `diatomic-channels`
//! against the crates users would otherwise pick, all taken from crates.io.
//!
//! The comparisons are the benchmarks of this crate:
//! `cargo bench -p diatomic-bench --bench primitive` (the wakeup primitive)
//! and `cargo bench -p diatomic-bench --bench waiter_queue` (the channels'
//! blocked-sender queue); add `-- --quick` for a short run.
