//! *Pinball*: balls doing a random walk on complete graphs.
//!
//! 61 independent complete graphs of 13 nodes. Each node is one task that
//! owns its channel's receiver and a sender to each of the 12 other nodes.
//! A node that receives a ball sends it on to a node it picks with its own
//! xorshift generator. The channels hold every ball of their graph and a
//! margin, so a send never waits: this measures delivery and wakeup, not
//! backpressure. Each graph walks a fixed number of hops; the node that
//! completes the last one tells the other nodes to stop. The figure is hops
//! (messages received) per microsecond.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::runtime::Runtime;

use super::xorshift::XorShift;
use crate::contenders::{mpsc_peer_names, Mpsc, MpscReceiver, MpscSender, Msg, OursMpsc};
use crate::run::Flavor;
use crate::workload::{
    mpsc_runners, Measurement, Metric, Mode, MpscWorkload, Plot, Point, Target, Workload,
};

/// Independent graphs.
pub const GRAPHS: usize = 61;
/// Nodes per graph (each with `NODES - 1` senders).
pub const NODES: usize = 13;
/// The ball counts per graph of the full suite.
pub const BALLS: &[usize] = &[1, 4, 16, 64, 256];

/// Tells a node to stop; balls are numbered from 0.
const STOP: Msg = Msg::MAX;

/// Hops per graph in one sample: roughly 50 to 200 ms on two cores in full
/// mode, a fifth of that in quick mode.
fn hops_per_graph(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 30_000,
        Mode::Quick => 6_000,
    }
}

/// The pinball with `balls` balls per graph.
pub fn workload(mode: Mode, balls: &[usize]) -> Workload {
    let points = balls
        .iter()
        .map(|&balls| Point {
            label: format!("balls={balls}"),
            x: balls as f64,
            // Every ball of the graph plus the stop message, with a margin:
            // a send never waits.
            capacity: balls + NODES,
            balls,
            tasks: 0,
            count: hops_per_graph(mode),
        })
        .collect();
    Workload {
        name: "pinball",
        description: format!(
            "{GRAPHS} complete graphs of {NODES} nodes, random walk, channels never full"
        ),
        metric: Metric::Throughput,
        plot: Some(Plot::Lines {
            x_label: "balls per graph",
            log_x: true,
        }),
        points,
        runners: mpsc_runners::<Pinball>(),
        targets: vec![Target {
            ours: OursMpsc::NAME,
            against: "the best MPSC peer",
            peers: mpsc_peer_names(),
            factor: 1.0,
        }],
        flavor: Flavor::MultiThread,
    }
}

/// The pinball, for any contender.
#[derive(Debug)]
pub struct Pinball;

impl MpscWorkload for Pinball {
    fn run<C: Mpsc>(rt: &Runtime, point: &Point) -> Measurement {
        let hops = point.count;
        rt.block_on(async move {
            let mut nodes = Vec::with_capacity(GRAPHS * NODES);
            for graph in 0..GRAPHS {
                let (mut txs, rxs): (Vec<C::Tx>, Vec<C::Rx>) =
                    (0..NODES).map(|_| C::channel(point.capacity)).unzip();
                // The balls start spread over the nodes, before the clock.
                for ball in 0..point.balls {
                    let tx = &mut txs[ball % NODES];
                    tx.send(ball as Msg).await.expect("the node is alive");
                }
                let walked = Arc::new(AtomicU64::new(0));
                for (node, rx) in rxs.into_iter().enumerate() {
                    let peers: Vec<C::Tx> = (0..NODES)
                        .filter(|&other| other != node)
                        .map(|other| txs[other].clone())
                        .collect();
                    let rng = XorShift::new((graph * NODES + node) as u64);
                    nodes.push((rx, peers, rng, walked.clone()));
                }
            }
            let start = Instant::now();
            let tasks: Vec<_> = nodes
                .into_iter()
                .map(|(rx, peers, rng, walked)| {
                    crate::counts::spawn(run_node::<C>(rx, peers, rng, walked, hops))
                })
                .collect();
            for task in tasks {
                task.await.expect("node task");
            }
            Measurement::new(hops * GRAPHS as u64, start.elapsed())
        })
    }
}

/// One node: forwards each ball it receives to a random other node until
/// its graph has walked `hops` hops, then the node that made the last hop
/// stops the others.
async fn run_node<C: Mpsc>(
    mut rx: C::Rx,
    mut peers: Vec<C::Tx>,
    mut rng: XorShift,
    walked: Arc<AtomicU64>,
    hops: u64,
) {
    while let Some(ball) = rx.recv().await {
        if ball == STOP {
            return;
        }
        // Ordering: Relaxed; only the count matters. Increments of one atomic
        // are totally ordered, so exactly one node sees the last hop; what
        // the others need to know travels through the channels.
        let done = walked.fetch_add(1, Ordering::Relaxed) + 1;
        if done < hops {
            let next = rng.below(peers.len());
            // A node only stops after the last hop, so this cannot fail
            // before then; after it, a ball may go nowhere.
            let _ = peers[next].send(ball).await;
        } else if done == hops {
            for peer in &mut peers {
                let _ = peer.send(STOP).await;
            }
            return;
        }
        // done > hops: the walk is over, the ball stops here.
    }
}
