//! *Watch-many*: one sender updates a latest-value channel as fast as it
//! can (yielding every 16 sends), and 1 or 16 receivers each wait for a
//! change and read the value, until the sender is gone. The figure is
//! updates per microsecond, from the first send until every receiver has
//! read the last value: what the update costs with its notifications, and
//! how quickly the readers follow.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{Msg, OursSharedWatch, SharedWatch, WatchReceiver, WatchSender};
use crate::workload::{
    shared_watch_runners, Measurement, Metric, Mode, Plot, Point, SharedWatchWorkload, Target,
    Workload,
};

/// Receivers per point.
pub const RECEIVERS: &[usize] = &[1, 16];

/// The sender yields to the runtime every this many sends, so that the
/// receivers run on a current-thread runtime too.
pub const YIELD_EVERY: u64 = 16;

/// Sends per sample.
fn sends(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 400_000,
        Mode::Quick => 80_000,
    }
}

/// The workload at `receivers`.
pub fn workload(mode: Mode, receivers: &[usize]) -> Workload {
    let points = receivers
        .iter()
        .map(|&receivers| Point {
            label: format!("receivers={receivers}"),
            x: receivers as f64,
            capacity: 1,
            balls: 0,
            tasks: receivers,
            count: sends(mode),
        })
        .collect();
    let runners = shared_watch_runners::<UpdateAndRead>();
    let targets = runners
        .iter()
        .filter(|r| !r.ours)
        .map(|peer| Target {
            ours: OursSharedWatch::NAME,
            against: peer.name,
            peers: vec![peer.name],
            factor: 1.0,
        })
        .collect();
    Workload {
        flavor: crate::run::Flavor::MultiThread,
        name: "watch-many",
        description: format!(
            "1 sender (yielding every {YIELD_EVERY} sends) -> receivers that wait for a change and read"
        ),
        metric: Metric::Rate("updates/us"),
        plot: Some(Plot::Bars),
        points,
        runners,
        targets,
    }
}

/// The update-and-read run, for any contender.
#[derive(Debug)]
pub struct UpdateAndRead;

impl SharedWatchWorkload for UpdateAndRead {
    fn run<C: SharedWatch>(rt: &Runtime, point: &Point) -> Measurement {
        let (receivers, sends) = (point.tasks, point.count);
        let (tx, rx) = C::channel();
        rt.block_on(async move {
            let start = Instant::now();
            let readers: Vec<_> = (0..receivers)
                .map(|_| {
                    let mut rx = rx.clone();
                    crate::counts::spawn(async move {
                        let (mut got, mut last) = (0u64, 0);
                        while let Some(value) = rx.recv().await {
                            got += 1;
                            last = value;
                        }
                        (got, last)
                    })
                })
                .collect();
            drop(rx);
            let sender = crate::counts::spawn(async move {
                for i in 1..=sends {
                    tx.send(i as Msg).expect("receivers are alive");
                    if i % YIELD_EVERY == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            });
            sender.await.expect("sender task");
            let mut got = 0;
            for reader in readers {
                let (seen, last) = reader.await.expect("reader task");
                assert_eq!(last, sends, "{}: every receiver reads the newest", C::NAME);
                got += seen;
            }
            Measurement {
                ops: sends,
                elapsed: start.elapsed(),
                received: Some(got),
            }
        })
    }
}
