//! *Funnel*: many senders to one receiver in a tight loop.
//!
//! 61 independent rigs, each a channel with 13 sender tasks that send as
//! fast as they can and one receiver task; all on one multi-threaded runtime.
//! The time runs from the first spawn until every receiver has received every
//! message; the figure is total messages per microsecond.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{mpsc_peer_names, Mpsc, MpscReceiver, MpscSender, Msg, OursMpmc, OursMpsc};
use crate::run::Flavor;
use crate::workload::{
    mpsc_runners, Measurement, Metric, Mode, MpscWorkload, Plot, Point, Target, Workload,
};

/// Independent rigs.
pub const RIGS: usize = 61;
/// Sender tasks per rig.
pub const SENDERS: usize = 13;
/// The capacities of the full suite.
pub const CAPACITIES: &[usize] = &[1, 10, 100, 1000, 10000];

/// Messages each sender sends in one sample, for samples of roughly 50 to
/// 200 ms on two cores in full mode (a fifth of that in quick mode): the
/// small capacities are slower (nearly every message a wakeup), so they get
/// fewer.
fn messages_per_sender(mode: Mode, capacity: usize) -> u64 {
    let full = match capacity {
        0..10 => 400,
        10..100 => 1_500,
        _ => 4_000,
    };
    match mode {
        Mode::Full => full,
        Mode::Quick => full / 5,
    }
}

/// The funnel at `capacities`.
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
        name: "funnel",
        description: format!("{RIGS} rigs of {SENDERS} senders -> 1 receiver, tight send loop"),
        metric: Metric::Throughput,
        plot: Some(Plot::Lines {
            x_label: "channel capacity",
            log_x: true,
        }),
        points,
        runners: mpsc_runners::<Funnel>(),
        targets: vec![
            Target {
                ours: OursMpsc::NAME,
                against: "the best MPSC peer",
                peers: mpsc_peer_names(),
                factor: 1.0,
            },
            Target {
                ours: <OursMpmc as Mpsc>::NAME,
                against: "our mpsc (0.9x: the price of many receivers)",
                peers: vec![OursMpsc::NAME],
                factor: 0.9,
            },
        ],
        flavor: Flavor::MultiThread,
    }
}

/// The funnel, for any contender.
#[derive(Debug)]
pub struct Funnel;

impl MpscWorkload for Funnel {
    fn run<C: Mpsc>(rt: &Runtime, point: &Point) -> Measurement {
        let per_sender = point.count;
        let per_rig = per_sender * SENDERS as u64;
        let rigs: Vec<_> = (0..RIGS).map(|_| C::channel(point.capacity)).collect();
        rt.block_on(async move {
            let start = Instant::now();
            let mut senders = Vec::with_capacity(RIGS * SENDERS);
            let mut receivers = Vec::with_capacity(RIGS);
            for (tx, mut rx) in rigs {
                for _ in 0..SENDERS {
                    let mut tx = tx.clone();
                    senders.push(crate::counts::spawn(async move {
                        for i in 0..per_sender {
                            tx.send(i as Msg).await.expect("the receiver is alive");
                        }
                    }));
                }
                drop(tx);
                receivers.push(crate::counts::spawn(async move {
                    for _ in 0..per_rig {
                        rx.recv().await.expect("senders are alive");
                    }
                }));
            }
            for receiver in receivers {
                receiver.await.expect("receiver task");
            }
            let elapsed = start.elapsed();
            for sender in senders {
                sender.await.expect("sender task");
            }
            Measurement::new(per_rig * RIGS as u64, elapsed)
        })
    }
}
