//! A fan-out: one task publishes price ticks on a `broadcast` channel and
//! three subscribers follow them. The fast ones see every tick; a slow one
//! on the overwriting channel is told how many it missed, while on the
//! backpressured channel it holds the publisher back instead.
//!
//! Run with `cargo run -p diatomic-channels --example fan_out`.

use std::time::Duration;

use diatomic_channels::broadcast::{self, RecvError};

/// Follows ticks until the publisher is gone: (ticks read, ticks missed).
async fn follow(mut ticks: broadcast::Receiver<u64>, pause: Duration) -> (u64, u64) {
    let (mut read, mut missed) = (0, 0);
    loop {
        match ticks.recv().await {
            Ok(_) => {
                read += 1;
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            Err(RecvError::Lagged(n)) => missed += n,
            Err(RecvError::Closed) => return (read, missed),
        }
    }
}

#[tokio::main]
async fn main() {
    const TICKS: u64 = 200;

    // tokio's policy: the publisher never waits; a slow subscriber lags.
    // Bursts of 8 ticks, a millisecond apart, into a ring of 16.
    let (publisher, first) = broadcast::channel(16);
    let fast = tokio::spawn(follow(first, Duration::ZERO));
    let slow = tokio::spawn(follow(publisher.subscribe(), Duration::from_millis(2)));
    for tick in 0..TICKS {
        publisher.send(tick).expect("subscribers are alive");
        if tick % 8 == 7 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    drop(publisher);
    let (fast, slow) = (fast.await.unwrap(), slow.await.unwrap());
    println!(
        "overwrite: fast read {} (missed {}), slow read {} (missed {})",
        fast.0, fast.1, slow.0, slow.1
    );
    assert_eq!(fast.0 + fast.1, TICKS);
    assert_eq!(slow.0 + slow.1, TICKS, "every tick read or reported missed");
    assert!(slow.1 > 0, "the slow subscriber lagged");

    // Backpressure: the publisher waits for the slowest; nobody misses any.
    let (publisher, first) = broadcast::channel_with_backpressure(8);
    let fast = tokio::spawn(follow(first, Duration::ZERO));
    let slow = tokio::spawn(follow(publisher.subscribe(), Duration::from_micros(100)));
    for tick in 0..TICKS {
        publisher.send(tick).await.expect("subscribers are alive");
    }
    drop(publisher);
    let (fast, slow) = (fast.await.unwrap(), slow.await.unwrap());
    println!("backpressure: fast read {}, slow read {}", fast.0, slow.0);
    assert_eq!((fast, slow), ((TICKS, 0), (TICKS, 0)));
}
