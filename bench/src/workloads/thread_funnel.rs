//! *Thread funnel*: producer threads sending as fast as they can to one
//! receiving thread, through one bounded channel; the figure is messages
//! per microsecond. No async runtime takes part.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::thread;
use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{
    Blocking, BlockingReceiver, BlockingSender, CrossbeamChannel, Flume, Kanal, Msg, OursMpsc,
    StdSyncChannel,
};
use crate::run::Flavor;
use crate::workload::{
    blocking_runners, BlockingWorkload, Measurement, Metric, Mode, Plot, Point, Target, Workload,
};

/// Producer threads.
pub const PRODUCERS: usize = 4;
/// The capacities of the full suite.
pub const CAPACITIES: &[usize] = &[1, 16, 128, 1024, 10000];

/// Messages each producer sends in one sample: roughly 50 to 200 ms for
/// the slower contenders on two cores in full mode, a fifth of that in
/// quick mode.
pub fn messages_per_producer(mode: Mode, capacity: usize) -> u64 {
    let full = match capacity {
        0..16 => 10_000,
        16..1024 => 40_000,
        _ => 100_000,
    };
    match mode {
        Mode::Full => full,
        Mode::Quick => full / 5,
    }
}

/// The targets of the thread workloads: at or above each of the peers
/// that have an async side too and `std`'s, and at or above 0.9x
/// crossbeam-channel.
pub fn targets() -> Vec<Target> {
    vec![
        Target {
            ours: OursMpsc::NAME,
            against: "flume, kanal and std",
            peers: vec![
                <Flume as Blocking>::NAME,
                <Kanal as Blocking>::NAME,
                StdSyncChannel::NAME,
            ],
            factor: 1.0,
        },
        Target {
            ours: OursMpsc::NAME,
            against: "crossbeam-channel",
            peers: vec![CrossbeamChannel::NAME],
            factor: 0.9,
        },
    ]
}

/// The thread funnel at `capacities`.
pub fn workload(mode: Mode, capacities: &[usize]) -> Workload {
    let points = capacities
        .iter()
        .map(|&capacity| Point {
            label: format!("cap={capacity}"),
            x: capacity as f64,
            capacity,
            balls: 0,
            tasks: PRODUCERS,
            count: messages_per_producer(mode, capacity),
        })
        .collect();
    Workload {
        name: "thread-funnel",
        description: format!("{PRODUCERS} producer threads -> 1 receiving thread, tight loop"),
        metric: Metric::Throughput,
        plot: Some(Plot::Lines {
            x_label: "channel capacity",
            log_x: true,
        }),
        points,
        runners: blocking_runners::<ThreadFunnel>(),
        targets: targets(),
        flavor: Flavor::MultiThread,
    }
}

/// The thread funnel, for any contender.
#[derive(Debug)]
pub struct ThreadFunnel;

impl BlockingWorkload for ThreadFunnel {
    fn run<C: Blocking>(_: &Runtime, point: &Point) -> Measurement {
        let per_producer = point.count;
        let total = per_producer * point.tasks as u64;
        let (tx, mut rx) = C::channel(point.capacity);
        let start = Instant::now();
        let producers = spawn_producers(tx, point.tasks, per_producer);
        for _ in 0..total {
            rx.recv_blocking().expect("producers are alive");
        }
        let elapsed = start.elapsed();
        for producer in producers {
            producer.join().expect("producer thread");
        }
        assert_eq!(rx.recv_blocking(), None, "every message was counted");
        Measurement::new(total, elapsed)
    }
}

/// Starts `threads` producer threads, each sending `per_producer` messages
/// on a clone of `tx` with blocking sends; `tx` itself is dropped.
pub fn spawn_producers<T: BlockingSender>(
    tx: T,
    threads: usize,
    per_producer: u64,
) -> Vec<thread::JoinHandle<()>> {
    (0..threads)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    tx.send_blocking(i as Msg).expect("the receiver is alive");
                }
            })
        })
        .collect()
}
