//! Runs a workload: every point, every contender that accepts it, repeated
//! for a spread, with the contenders' order rotated from one repetition to
//! the next so that none is always first.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use tokio::runtime::Runtime;

use crate::workload::{Mode, Workload};

/// One timed sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The workload's name.
    pub workload: &'static str,
    /// The point's label.
    pub point: String,
    /// The point's abscissa.
    pub x: f64,
    /// The contender's name.
    pub contender: &'static str,
    /// One of ours.
    pub ours: bool,
    /// Which repetition (from 0).
    pub sample: usize,
    /// Messages delivered, or round trips made.
    pub ops: u64,
    /// Wall time in nanoseconds.
    pub nanos: u128,
    /// The reported value (in the workload's unit).
    pub value: f64,
    /// Values the receiver got, where that is not every message (watch).
    pub received: Option<u64>,
    /// Task polls and wakes in this sample, in the diagnostic mode
    /// (`--counts`, see [`counts`](crate::counts)).
    pub counts: Option<(u64, u64)>,
}

/// Where a run is, for a progress line.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The workload's name.
    pub workload: &'a str,
    /// The point's label.
    pub point: &'a str,
    /// The contender about to run.
    pub contender: &'a str,
    /// Runs done so far in this workload.
    pub done: usize,
    /// Runs in this workload.
    pub total: usize,
}

/// Worker threads of the runtime: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The runtime every contender runs on: tokio's multi-threaded scheduler
/// with [`workers`] worker threads.
pub fn runtime() -> Runtime {
    Flavor::MultiThread.runtime()
}

/// Which tokio runtime a workload runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Multi-threaded, one worker per core ([`workers`]): the default.
    MultiThread,
    /// Current-thread: every task on the thread that calls `block_on`.
    CurrentThread,
    /// Multi-threaded with 4 workers per core (8 on 2 cores): more workers
    /// than cores, where a spinning lock collapses, as on a busy server.
    Oversubscribed,
}

impl Flavor {
    /// Worker threads of this flavor (1 for current-thread).
    pub fn workers(self) -> usize {
        match self {
            Flavor::MultiThread => workers(),
            Flavor::CurrentThread => 1,
            Flavor::Oversubscribed => 4 * workers(),
        }
    }

    /// A new runtime of this flavor.
    pub fn runtime(self) -> Runtime {
        let mut builder = match self {
            Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
            Flavor::MultiThread | Flavor::Oversubscribed => {
                let mut builder = tokio::runtime::Builder::new_multi_thread();
                builder.worker_threads(self.workers());
                builder
            }
        };
        builder.build().expect("a tokio runtime")
    }

    /// How the tables name it.
    pub fn describe(self) -> String {
        match self {
            Flavor::MultiThread => format!("tokio multi-thread, {} workers", self.workers()),
            Flavor::CurrentThread => "tokio current-thread".to_string(),
            Flavor::Oversubscribed => format!(
                "tokio multi-thread, {} workers on {} cores (oversubscribed)",
                self.workers(),
                workers()
            ),
        }
    }
}

/// Runs `workload` on `rt`, telling `progress` before each run; returns one
/// record per timed sample.
pub fn run_workload(
    rt: &Runtime,
    workload: &Workload,
    mode: Mode,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Vec<Record> {
    let samples = mode.samples();
    let rounds = samples + usize::from(mode.warm_up());
    let total: usize = workload
        .points
        .iter()
        .map(|p| workload.runners.iter().filter(|r| (r.accepts)(p)).count() * rounds)
        .sum();
    let mut done = 0;
    let mut records = Vec::new();
    for point in &workload.points {
        let runners: Vec<_> = workload
            .runners
            .iter()
            .filter(|r| (r.accepts)(point))
            .collect();
        for round in 0..rounds {
            // The warm-up round, if any, is round 0 and is not recorded.
            let sample = round.checked_sub(usize::from(mode.warm_up()));
            for i in 0..runners.len() {
                let runner = runners[(i + round) % runners.len()];
                progress(Progress {
                    workload: workload.name,
                    point: &point.label,
                    contender: runner.name,
                    done,
                    total,
                });
                crate::counts::take(); // from zero
                let measurement = (runner.run)(rt, point);
                let counts = crate::counts::enabled().then(crate::counts::take);
                done += 1;
                if let Some(sample) = sample {
                    records.push(Record {
                        workload: workload.name,
                        point: point.label.clone(),
                        x: point.x,
                        contender: runner.name,
                        ours: runner.ours,
                        sample,
                        ops: measurement.ops,
                        nanos: measurement.elapsed.as_nanos(),
                        value: measurement.value(workload.metric),
                        received: measurement.received,
                        counts,
                    });
                }
            }
        }
    }
    records
}
