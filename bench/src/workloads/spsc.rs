//! *SPSC stream*: one producer task sends a stream of messages through one
//! bounded channel to one consumer task, on the suite's multi-threaded
//! runtime (so the two usually run on two cores).
//!
//! The producer sends `0..N` as fast as it can; the consumer receives until
//! the channel closes and checks the count and the sum. The time runs from
//! the first spawn until the consumer has seen the channel close; the figure
//! is messages per microsecond. The contenders are our `spsc` channel,
//! async-ringbuf (an async SPSC ring), and every MPSC channel of the suite
//! used with its one sender.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{
    mpsc_peer_names, AsyncRingbuf, Msg, OursSpsc, Spsc, SpscReceiver, SpscSender,
};
use crate::workload::{
    spsc_runners, Measurement, Metric, Mode, Plot, Point, SpscWorkload, Target, Workload,
};

/// The capacities of the full suite.
pub const CAPACITIES: &[usize] = &[16, 64, 256, 1024, 4096];

/// Messages in one sample: roughly 30 to 200 ms on two cores in full mode
/// (the fastest contenders at the large capacities, the slowest at the
/// small), a fifth of that in quick mode.
fn messages(mode: Mode, capacity: usize) -> u64 {
    let full = match capacity {
        0..64 => 1_000_000,
        64..1024 => 2_000_000,
        _ => 4_000_000,
    };
    match mode {
        Mode::Full => full,
        Mode::Quick => full / 5,
    }
}

/// The SPSC stream at `capacities`, with its targets: ours at least twice
/// the best MPSC peer, and at least async-ringbuf, at every capacity.
pub fn workload(mode: Mode, capacities: &[usize]) -> Workload {
    let points = capacities
        .iter()
        .map(|&capacity| Point {
            label: format!("cap={capacity}"),
            x: capacity as f64,
            capacity,
            balls: 0,
            tasks: 0,
            count: messages(mode, capacity),
        })
        .collect();
    Workload {
        flavor: crate::run::Flavor::MultiThread,
        name: "spsc",
        description: "1 producer -> 1 consumer, a stream of u64, tight send loop".to_string(),
        metric: Metric::Throughput,
        plot: Some(Plot::Lines {
            x_label: "channel capacity",
            log_x: true,
        }),
        points,
        runners: spsc_runners::<Stream>(),
        targets: vec![
            Target {
                ours: OursSpsc::NAME,
                against: "the best MPSC peer",
                peers: mpsc_peer_names(),
                factor: 2.0,
            },
            Target {
                ours: OursSpsc::NAME,
                against: "async-ringbuf",
                peers: vec![AsyncRingbuf::NAME],
                factor: 1.0,
            },
        ],
    }
}

/// The SPSC stream, for any contender.
#[derive(Debug)]
pub struct Stream;

impl SpscWorkload for Stream {
    fn run<C: Spsc>(rt: &Runtime, point: &Point) -> Measurement {
        let n = point.count;
        let (mut tx, mut rx) = C::channel(point.capacity);
        rt.block_on(async move {
            let start = Instant::now();
            let producer = crate::counts::spawn(async move {
                for i in 0..n {
                    tx.send(i as Msg).await.expect("the consumer is alive");
                }
                // `tx` drops here: the channel closes once drained.
            });
            let consumer = crate::counts::spawn(async move {
                let (mut count, mut sum) = (0u64, 0u64);
                while let Some(msg) = rx.recv().await {
                    count += 1;
                    sum = sum.wrapping_add(msg);
                }
                (count, sum)
            });
            let (count, sum) = consumer.await.expect("consumer task");
            let elapsed = start.elapsed();
            producer.await.expect("producer task");
            assert_eq!(count, n, "{}: every message arrives", C::NAME);
            assert_eq!(sum, n * n.saturating_sub(1) / 2, "{}: intact", C::NAME);
            Measurement::new(n, elapsed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_streams_a_short_sample() {
        let rt = crate::run::runtime();
        let mut stream = workload(Mode::Quick, CAPACITIES);
        for point in &mut stream.points {
            point.count = 1_000;
        }
        for point in &stream.points {
            for runner in stream.runners.iter().filter(|r| (r.accepts)(point)) {
                assert_eq!((runner.run)(&rt, point).ops, 1_000, "{}", runner.name);
            }
        }
    }

    #[test]
    fn contenders_and_targets() {
        let stream = workload(Mode::Quick, CAPACITIES);
        let names: Vec<_> = stream.runners.iter().map(|r| r.name).collect();
        assert_eq!(names.first(), Some(&"ours/spsc"));
        assert_eq!(names.last(), Some(&"async-ringbuf"));
        assert!(names.contains(&"ours/mpsc") && names.contains(&"tokio mpsc"));
        assert!(!names.contains(&"ours/slot") && !names.contains(&"ours/ArrayQueue"));
        let mpsc_peers = &stream.targets[0].peers;
        assert!(mpsc_peers.contains(&"kanal") && !mpsc_peers.contains(&"ours/mpsc"));
        assert!(!mpsc_peers.contains(&"async-ringbuf"));
    }
}
