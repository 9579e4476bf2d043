//! Side-by-side comparisons of `diatomic-waker` and `diatomic-channels`
//! against the crates users would otherwise pick, all taken from crates.io.
//!
//! The comparisons are the benchmarks of this crate (add `-- --quick` for a
//! short run, and a substring to run only the rows or points it names):
//!
//! * `cargo bench -p diatomic-bench --bench primitive`: the wakeup primitive;
//! * `cargo bench -p diatomic-bench --bench waiter_queue`: the channels'
//!   blocked-sender queue;
//! * `cargo bench -p diatomic-bench --bench channels`: async channel
//!   workloads on tokio's multi-threaded runtime: funnel, pinball and
//!   ping-pong over MPSC channels, then the SPSC stream, the oneshot
//!   request-reply and the watch update rate, each against its own peers
//!   and with its targets; this library is its harness;
//! * `cargo run --release -p diatomic-bench --bin demo`: a showcase of the
//!   channel workloads, about 15 seconds.

pub mod contenders;
pub mod counts;
pub mod csv;
pub mod machine;
pub mod options;
pub mod plot;
pub mod progress;
pub mod report;
pub mod run;
pub mod stats;
pub mod workload;
pub mod workloads;
