//! *Pool*: a work pool, many senders to many receivers in a tight loop.
//!
//! 31 independent rigs, each a channel with 7 sender tasks that send as
//! fast as they can and 7 receiver tasks sharing the work (each message to
//! one of them); all on one multi-threaded runtime. The time runs from the
//! first spawn until every receiver has seen the channel close; the figure
//! is total messages per microsecond.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{mpmc_peer_names, Mpmc, MpscReceiver, MpscSender, Msg, OursMpmc};
use crate::run::Flavor;
use crate::workload::{
    mpmc_runners, Measurement, Metric, Mode, MpmcWorkload, Plot, Point, Target, Workload,
};

/// Independent rigs.
pub const RIGS: usize = 31;
/// Sender tasks per rig.
pub const SENDERS: usize = 7;
/// Receiver tasks per rig.
pub const RECEIVERS: usize = 7;
/// The capacities of the full suite.
pub const CAPACITIES: &[usize] = &[1, 10, 100, 1000, 10000];

/// Messages each sender sends in one sample, for samples of roughly 50 to
/// 200 ms on two cores in full mode (a fifth of that in quick mode).
fn messages_per_sender(mode: Mode, capacity: usize) -> u64 {
    let full = match capacity {
        0..10 => 800,
        10..100 => 3_000,
        _ => 8_000,
    };
    match mode {
        Mode::Full => full,
        Mode::Quick => full / 5,
    }
}

/// The pool at `capacities`.
pub fn workload(mode: Mode, capacities: &[usize]) -> Workload {
    let points = capacities
        .iter()
        .map(|&capacity| Point {
            label: format!("cap={capacity}"),
            x: capacity as f64,
            capacity,
            balls: 0,
            tasks: 0,
            count: messages_per_sender(mode, capacity),
        })
        .collect();
    Workload {
        name: "pool",
        description: format!(
            "{RIGS} rigs of {SENDERS} senders -> {RECEIVERS} receivers sharing the work, tight loops"
        ),
        metric: Metric::Throughput,
        plot: Some(Plot::Lines {
            x_label: "channel capacity",
            log_x: true,
        }),
        points,
        runners: mpmc_runners::<Pool>(),
        targets: vec![Target {
            ours: <OursMpmc as Mpmc>::NAME,
            against: "the best MPMC peer",
            peers: mpmc_peer_names(),
            factor: 1.0,
        }],
        flavor: Flavor::MultiThread,
    }
}

/// The pool, for any contender.
#[derive(Debug)]
pub struct Pool;

impl MpmcWorkload for Pool {
    fn run<C: Mpmc>(rt: &Runtime, point: &Point) -> Measurement {
        let per_sender = point.count;
        let per_rig = per_sender * SENDERS as u64;
        let rigs: Vec<_> = (0..RIGS).map(|_| C::channel(point.capacity)).collect();
        rt.block_on(async move {
            let start = Instant::now();
            let mut senders = Vec::with_capacity(RIGS * SENDERS);
            let mut receivers = Vec::with_capacity(RIGS * RECEIVERS);
            for (tx, rx) in rigs {
                for _ in 0..SENDERS {
                    let mut tx = tx.clone();
                    senders.push(crate::counts::spawn(async move {
                        for i in 0..per_sender {
                            tx.send(i as Msg).await.expect("receivers are alive");
                        }
                    }));
                }
                drop(tx);
                for _ in 0..RECEIVERS {
                    let mut rx = rx.clone();
                    receivers.push(crate::counts::spawn(async move {
                        let mut received = 0u64;
                        while rx.recv().await.is_some() {
                            received += 1;
                        }
                        received
                    }));
                }
            }
            let mut received = 0;
            for receiver in receivers {
                received += receiver.await.expect("receiver task");
            }
            let elapsed = start.elapsed();
            for sender in senders {
                sender.await.expect("sender task");
            }
            assert_eq!(
                received,
                per_rig * RIGS as u64,
                "every message received once"
            );
            Measurement::new(received, elapsed)
        })
    }
}
