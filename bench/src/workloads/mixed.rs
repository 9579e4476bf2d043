//! *Mixed*: one bounded channel between synchronous threads and async
//! tasks, both ways. *threads-to-task*: producer threads sending to one
//! receiving task on the runtime; *tasks-to-thread*: producer tasks on the
//! runtime sending to one receiving thread. The figure is messages per
//! microsecond.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{
    BlockingReceiver, Flume, Kanal, Mixed, MpscReceiver, MpscSender, Msg, OursMpsc,
};
use crate::run::Flavor;
use crate::workload::{
    mixed_runners, Measurement, Metric, MixedWorkload, Mode, Plot, Point, Target, Workload,
};

/// Producers (threads or tasks).
pub const PRODUCERS: usize = 4;
/// The capacities of the full suite.
pub const CAPACITIES: &[usize] = &[1, 128, 10000];

fn points(mode: Mode, capacities: &[usize]) -> Vec<Point> {
    capacities
        .iter()
        .map(|&capacity| Point {
            label: format!("cap={capacity}"),
            x: capacity as f64,
            capacity,
            balls: 0,
            tasks: PRODUCERS,
            count: super::thread_funnel::messages_per_producer(mode, capacity),
        })
        .collect()
}

fn targets() -> Vec<Target> {
    vec![Target {
        ours: <OursMpsc as Mixed>::NAME,
        against: "flume and kanal",
        peers: vec![<Flume as Mixed>::NAME, <Kanal as Mixed>::NAME],
        factor: 1.0,
    }]
}

/// Producer threads to one task, at `capacities`.
pub fn threads_to_task(mode: Mode, capacities: &[usize]) -> Workload {
    Workload {
        name: "threads-to-task",
        description: format!("{PRODUCERS} producer threads -> 1 receiving task"),
        metric: Metric::Throughput,
        plot: Some(Plot::Bars),
        points: points(mode, capacities),
        runners: mixed_runners::<ThreadsToTask>(),
        targets: targets(),
        flavor: Flavor::MultiThread,
    }
}

/// Producer tasks to one thread, at `capacities`.
pub fn tasks_to_thread(mode: Mode, capacities: &[usize]) -> Workload {
    Workload {
        name: "tasks-to-thread",
        description: format!("{PRODUCERS} producer tasks -> 1 receiving thread"),
        metric: Metric::Throughput,
        plot: Some(Plot::Bars),
        points: points(mode, capacities),
        runners: mixed_runners::<TasksToThread>(),
        targets: targets(),
        flavor: Flavor::MultiThread,
    }
}

/// Threads to a task, for any contender.
#[derive(Debug)]
pub struct ThreadsToTask;

impl MixedWorkload for ThreadsToTask {
    fn run<C: Mixed>(rt: &Runtime, point: &Point) -> Measurement {
        let per_producer = point.count;
        let total = per_producer * point.tasks as u64;
        let (tx, mut rx) = C::threads_to_task(point.capacity);
        let start = Instant::now();
        let receiver = crate::counts::spawn_on(rt, async move {
            for _ in 0..total {
                rx.recv().await.expect("producers are alive");
            }
            let elapsed = start.elapsed();
            assert_eq!(rx.recv().await, None, "every message was counted");
            elapsed
        });
        let producers = super::thread_funnel::spawn_producers(tx, point.tasks, per_producer);
        for producer in producers {
            producer.join().expect("producer thread");
        }
        let elapsed = rt.block_on(receiver).expect("receiver task");
        Measurement::new(total, elapsed)
    }
}

/// Tasks to a thread, for any contender.
#[derive(Debug)]
pub struct TasksToThread;

impl MixedWorkload for TasksToThread {
    fn run<C: Mixed>(rt: &Runtime, point: &Point) -> Measurement {
        let per_producer = point.count;
        let total = per_producer * point.tasks as u64;
        let (tx, mut rx) = C::tasks_to_thread(point.capacity);
        let start = Instant::now();
        let producers: Vec<_> = (0..point.tasks)
            .map(|_| {
                let mut tx = tx.clone();
                crate::counts::spawn_on(rt, async move {
                    for i in 0..per_producer {
                        tx.send(i as Msg).await.expect("the receiver is alive");
                    }
                })
            })
            .collect();
        drop(tx);
        for _ in 0..total {
            rx.recv_blocking().expect("producers are alive");
        }
        let elapsed = start.elapsed();
        rt.block_on(async {
            for producer in producers {
                producer.await.expect("producer task");
            }
        });
        assert_eq!(rx.recv_blocking(), None, "every message was counted");
        Measurement::new(total, elapsed)
    }
}
