//! *Thread ping-pong*: two threads bouncing one message through two
//! channels of capacity 1; the figure is the round-trip time in
//! nanoseconds. Every message wakes a parked (or spinning) thread.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::thread;
use std::time::Instant;

use tokio::runtime::Runtime;

use crate::contenders::{Blocking, BlockingReceiver, BlockingSender, Msg};
use crate::run::Flavor;
use crate::workload::{
    blocking_runners, BlockingWorkload, Measurement, Metric, Mode, Point, Workload,
};

/// Round trips in one sample.
fn round_trips(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 50_000,
        Mode::Quick => 10_000,
    }
}

/// Thread ping-pong at capacity 1.
pub fn workload(mode: Mode) -> Workload {
    Workload {
        name: "thread-ping-pong",
        description: "2 threads, 1 message, 2 channels of capacity 1".to_string(),
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
        runners: blocking_runners::<ThreadPingPong>(),
        targets: super::thread_funnel::targets(),
        flavor: Flavor::MultiThread,
    }
}

/// Thread ping-pong, for any contender.
#[derive(Debug)]
pub struct ThreadPingPong;

impl BlockingWorkload for ThreadPingPong {
    fn run<C: Blocking>(_: &Runtime, point: &Point) -> Measurement {
        let round_trips = point.count;
        let (ping_tx, mut ping_rx) = C::channel(point.capacity);
        let (pong_tx, mut pong_rx) = C::channel(point.capacity);
        let echo = thread::spawn(move || {
            while let Some(msg) = ping_rx.recv_blocking() {
                if pong_tx.send_blocking(msg).is_err() {
                    break;
                }
            }
        });
        let start = Instant::now();
        for i in 0..round_trips {
            ping_tx.send_blocking(i as Msg).expect("the echo is alive");
            let back = pong_rx.recv_blocking().expect("the echo is alive");
            assert_eq!(back, i as Msg);
        }
        let elapsed = start.elapsed();
        drop(ping_tx);
        echo.join().expect("echo thread");
        Measurement::new(round_trips, elapsed)
    }
}
