//! *Fan-out*: one sender broadcasts to 1, 4 or 16 receivers through a
//! channel of 64 values, yielding every 16 sends; each receiver reads
//! until the sender is gone. The figure is deliveries per microsecond
//! (values received, summed over the receivers), from the first send until
//! every receiver is done: a value overwritten before a receiver read it
//! (the overwriting policies: ours/broadcast, tokio's, async-broadcast's
//! overflow) is not a delivery.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{
    AsyncBroadcast, AsyncBroadcastOverflow, Broadcast, BroadcastReceiver, BroadcastSender, Msg,
    OursBroadcast, OursBroadcastBackpressure, TokioBroadcast,
};
use crate::workload::{
    broadcast_runners, BroadcastWorkload, Measurement, Metric, Mode, Plot, Point, Target, Workload,
};

/// Receivers per point.
pub const RECEIVERS: &[usize] = &[1, 4, 16];

/// The channel's capacity.
pub const CAPACITY: usize = 64;

/// The sender yields to the runtime every this many sends.
pub const YIELD_EVERY: u64 = 16;

/// Sends per sample.
fn sends(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 200_000,
        Mode::Quick => 40_000,
    }
}

/// The workload at `receivers`.
pub fn workload(mode: Mode, receivers: &[usize]) -> Workload {
    let points = receivers
        .iter()
        .map(|&receivers| Point {
            label: format!("receivers={receivers}"),
            x: receivers as f64,
            capacity: CAPACITY,
            balls: 0,
            tasks: receivers,
            count: sends(mode),
        })
        .collect();
    // Each of ours against the peers of its policy, and against the best
    // peer of either.
    let targets = vec![
        Target {
            ours: OursBroadcast::NAME,
            against: TokioBroadcast::NAME,
            peers: vec![TokioBroadcast::NAME],
            factor: 1.0,
        },
        Target {
            ours: OursBroadcast::NAME,
            against: AsyncBroadcastOverflow::NAME,
            peers: vec![AsyncBroadcastOverflow::NAME],
            factor: 1.0,
        },
        Target {
            ours: OursBroadcastBackpressure::NAME,
            against: AsyncBroadcast::NAME,
            peers: vec![AsyncBroadcast::NAME],
            factor: 1.0,
        },
        Target {
            ours: OursBroadcastBackpressure::NAME,
            against: "the best broadcast peer",
            peers: vec![
                TokioBroadcast::NAME,
                AsyncBroadcast::NAME,
                AsyncBroadcastOverflow::NAME,
            ],
            factor: 1.0,
        },
    ];
    Workload {
        flavor: crate::run::Flavor::MultiThread,
        name: "fan-out",
        description: format!(
            "1 sender (yielding every {YIELD_EVERY} sends) -> every receiver, capacity {CAPACITY}"
        ),
        metric: Metric::Rate("deliveries/us"),
        plot: Some(Plot::Bars),
        points,
        runners: broadcast_runners::<FanOut>(),
        targets,
    }
}

/// The fan-out run, for any contender.
#[derive(Debug)]
pub struct FanOut;

impl BroadcastWorkload for FanOut {
    fn run<C: Broadcast>(rt: &Runtime, point: &Point) -> Measurement {
        let sends = point.count;
        let (mut tx, receivers) = C::channel(point.capacity, point.tasks);
        rt.block_on(async move {
            let start = Instant::now();
            let readers: Vec<_> = receivers
                .into_iter()
                .map(|mut rx| {
                    crate::counts::spawn(async move {
                        let (mut got, mut missed, mut last) = (0u64, 0u64, None);
                        while let Some(value) = rx.recv().await {
                            match value {
                                Ok(v) => {
                                    assert!(last < Some(v), "{}: in order", C::NAME);
                                    last = Some(v);
                                    got += 1;
                                }
                                Err(n) => missed += n,
                            }
                        }
                        (got, missed)
                    })
                })
                .collect();
            let sender = crate::counts::spawn(async move {
                for i in 0..sends {
                    tx.send(i as Msg).await.expect("receivers are alive");
                    if (i + 1) % YIELD_EVERY == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            });
            sender.await.expect("sender task");
            let mut delivered = 0;
            for reader in readers {
                let (got, missed) = reader.await.expect("reader task");
                assert_eq!(
                    got + missed,
                    sends,
                    "{}: every value read or missed",
                    C::NAME
                );
                delivered += got;
            }
            Measurement {
                ops: delivered,
                elapsed: start.elapsed(),
                received: Some(delivered),
            }
        })
    }
}
