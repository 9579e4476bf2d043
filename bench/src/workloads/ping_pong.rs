//! *Ping-pong*: two tasks bouncing one message through two channels of
//! capacity 1; the figure is the round-trip time in nanoseconds.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{Mpsc, MpscReceiver, MpscSender, Msg};
use crate::run::Flavor;
use crate::workload::{mpsc_runners, Measurement, Metric, Mode, MpscWorkload, Point, Workload};

/// Round trips in one sample: roughly 50 to 150 ms on two cores in full
/// mode, a fifth of that in quick mode.
fn round_trips(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 300_000,
        Mode::Quick => 60_000,
    }
}

/// Ping-pong at capacity 1.
pub fn workload(mode: Mode) -> Workload {
    Workload {
        name: "ping-pong",
        description: "2 tasks, 1 message, 2 channels of capacity 1".to_string(),
        metric: Metric::RoundTrip,
        plot: None,
        points: vec![Point {
            label: "cap=1".to_string(),
            x: 1.0,
            capacity: 1,
            balls: 0,
            tasks: 0,
            count: round_trips(mode),
        }],
        runners: mpsc_runners::<PingPong>(),
        targets: Vec::new(),
        flavor: Flavor::MultiThread,
    }
}

/// Ping-pong, for any contender.
#[derive(Debug)]
pub struct PingPong;

impl MpscWorkload for PingPong {
    fn run<C: Mpsc>(rt: &Runtime, point: &Point) -> Measurement {
        let round_trips = point.count;
        let (mut ping_tx, mut ping_rx) = C::channel(point.capacity);
        let (mut pong_tx, mut pong_rx) = C::channel(point.capacity);
        rt.block_on(async move {
            let echo = crate::counts::spawn(async move {
                while let Some(msg) = ping_rx.recv().await {
                    if pong_tx.send(msg).await.is_err() {
                        break;
                    }
                }
            });
            let pinger = crate::counts::spawn(async move {
                let start = Instant::now();
                for i in 0..round_trips {
                    ping_tx.send(i as Msg).await.expect("the echo is alive");
                    let back = pong_rx.recv().await.expect("the echo is alive");
                    assert_eq!(back, i as Msg);
                }
                start.elapsed()
                // `ping_tx` drops here: the echo sees the channel closed.
            });
            let elapsed = pinger.await.expect("pinger task");
            echo.await.expect("echo task");
            Measurement::new(round_trips, elapsed)
        })
    }
}
