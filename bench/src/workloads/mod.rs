//! The workloads over MPSC channels: funnel, pinball, ping-pong.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

pub mod funnel;
pub mod pinball;
pub mod ping_pong;
mod xorshift;

use crate::workload::{Mode, Workload};

/// Every workload of the suite, at every point, in the order they run.
pub fn all(mode: Mode) -> Vec<Workload> {
    vec![
        funnel::workload(mode, funnel::CAPACITIES),
        pinball::workload(mode, pinball::BALLS),
        ping_pong::workload(mode),
    ]
}
