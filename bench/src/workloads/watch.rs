//! *Watch*: the update rate of a latest-value channel with a slower reader.
//!
//! Sender tasks send their numbers `0..N` as fast as they can (a send never
//! waits), each yielding to the scheduler every [`YIELD_EVERY`] sends as a
//! task with other work would, so that the reader and the other senders get
//! the runtime's two workers. One reader task receives until the channel
//! closes and does a little work per value (a short xorshift loop, about
//! 200 ns), so it gets only some of the values. The time runs from the first
//! spawn until every sender has finished and the reader has seen the
//! channel close; the figure is sends per microsecond, and the report also
//! gives how many values the reader got.
//!
//! How the reader runs is tokio's doing, the same for both contenders: a
//! send that wakes it puts it in the sending worker's LIFO slot, which the
//! other worker cannot steal, so it runs when that sender yields. With one
//! sender the reader gets one value per yield ([`YIELD_EVERY`] sends); with
//! four, two senders run at once and the reader gets a few percent of the
//! values. (Without the yields, it would get the first and the last.)
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::hint::black_box;
use std::time::Instant;

use tokio::runtime::Runtime;

use super::xorshift::XorShift;
use crate::contenders::{Msg, OursWatch, Watch, WatchReceiver, WatchSender};
use crate::workload::{
    watch_runners, Measurement, Metric, Mode, Plot, Point, Target, WatchWorkload, Workload,
};

/// The sender counts of the full suite.
pub const SENDERS: &[usize] = &[1, 4];

/// Sends between two yields of a sender task.
pub const YIELD_EVERY: u64 = 128;

/// xorshift steps per received value: about 200 ns (1.5 ns a step on the
/// 2-core Xeon the results were measured on).
const WORK_STEPS: u32 = 130;

/// Sends in one sample (all senders together): roughly 30 to 150 ms on two
/// cores in full mode, a fifth of that in quick mode.
fn sends(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 2_000_000,
        Mode::Quick => 400_000,
    }
}

/// The watch update rate with `senders` senders, and its target: ours at
/// least as fast as tokio's watch.
pub fn workload(mode: Mode, senders: &[usize]) -> Workload {
    let points = senders
        .iter()
        .map(|&senders| Point {
            label: format!("senders={senders}"),
            x: senders as f64,
            capacity: 1,
            balls: 0,
            tasks: senders,
            count: sends(mode) / senders as u64,
        })
        .collect();
    let runners = watch_runners::<UpdateRate>();
    let targets = runners
        .iter()
        .filter(|r| !r.ours)
        .map(|peer| Target {
            ours: OursWatch::NAME,
            against: peer.name,
            peers: vec![peer.name],
            factor: 1.0,
        })
        .collect();
    Workload {
        flavor: crate::run::Flavor::MultiThread,
        name: "watch",
        description: format!(
            "senders (yielding every {YIELD_EVERY} sends) -> 1 reader, ~200 ns of work per value"
        ),
        metric: Metric::Rate("sends/us"),
        plot: Some(Plot::Bars),
        points,
        runners,
        targets,
    }
}

/// The reader's work on one value.
fn work(rng: &mut XorShift, value: Msg) -> u64 {
    let mut acc = value;
    for _ in 0..WORK_STEPS {
        acc ^= rng.next_u64();
    }
    black_box(acc)
}

/// The watch update rate, for any contender.
#[derive(Debug)]
pub struct UpdateRate;

impl WatchWorkload for UpdateRate {
    fn run<C: Watch>(rt: &Runtime, point: &Point) -> Measurement {
        let (senders, per_sender) = (point.tasks, point.count);
        let (tx, mut rx) = C::channel();
        rt.block_on(async move {
            let start = Instant::now();
            let reader = crate::counts::spawn(async move {
                let mut rng = XorShift::new(0);
                let (mut got, mut last) = (0u64, None);
                while let Some(value) = rx.recv().await {
                    got += 1;
                    last = Some(value);
                    work(&mut rng, value);
                }
                (got, last, start.elapsed())
            });
            let tasks: Vec<_> = (0..senders)
                .map(|_| {
                    let tx = tx.clone();
                    crate::counts::spawn(async move {
                        for i in 0..per_sender {
                            tx.send(i as Msg).expect("the reader is alive");
                            if i % YIELD_EVERY == YIELD_EVERY - 1 {
                                tokio::task::yield_now().await;
                            }
                        }
                    })
                })
                .collect();
            drop(tx);
            for task in tasks {
                task.await.expect("sender task");
            }
            let (got, last, elapsed) = reader.await.expect("reader task");
            // The last send of all is some sender's last: the reader, which
            // takes the newest value, must end with it.
            assert_eq!(last, Some(per_sender - 1), "{}: the newest value", C::NAME);
            Measurement {
                ops: senders as u64 * per_sender,
                elapsed,
                received: Some(got),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_delivers_the_last_value() {
        let rt = crate::run::runtime();
        let mut update_rate = workload(Mode::Quick, SENDERS);
        for point in &mut update_rate.points {
            point.count = 1_000;
        }
        for point in &update_rate.points {
            for runner in &update_rate.runners {
                // The run checks that the reader ends with the last value.
                let m = (runner.run)(&rt, point);
                assert_eq!(m.ops, 1_000 * point.tasks as u64, "{}", runner.name);
                let got = m.received.expect("the reader counts");
                assert!((1..=m.ops).contains(&got), "{}: {got}", runner.name);
            }
        }
    }
}
