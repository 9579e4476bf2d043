//! The main demo, on tokio's multi-threaded runtime:
//! 1. the reference page's capacity-1 MPSC channel of `NonZeroUsize`,
//!    hand-written over `WakeSink`/`WakeSource`;
//! 2. the same channel declared with `#[async_channel]` (the README's "Make
//!    your own channel");
//! 3. the crate's `slot` channel (capacity 1, any `T: Send`) with `String`s.
//!
//! Run with `cargo run -p diatomic-tests --example demo`.

use std::num::NonZeroUsize;
use std::time::Instant;

use diatomic_tests::{nonzero_slot, nz_channel::NzSlot};

const SENDERS: usize = 4;
const PER_SENDER: usize = 25_000;
const N: usize = SENDERS * PER_SENDER;

fn value(sender: usize, i: usize) -> NonZeroUsize {
    NonZeroUsize::new(sender * PER_SENDER + i).unwrap()
}

async fn hand_written() -> usize {
    let (tx, mut rx) = nonzero_slot::channel();
    for s in 0..SENDERS {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 1..=PER_SENDER {
                let mut v = value(s, i);
                // No backpressure in the hand-written version: retry, yielding.
                while let Err(back) = tx.try_send(v) {
                    v = back;
                    tokio::task::yield_now().await;
                }
            }
        });
    }
    let mut sum = 0;
    for _ in 0..N {
        sum += rx.recv().await.get();
    }
    sum
}

async fn with_the_attribute() -> usize {
    let (tx, mut rx) = NzSlot::new().into_channel();
    for s in 0..SENDERS {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 1..=PER_SENDER {
                tx.send(value(s, i)).await.unwrap(); // waits while full
            }
        });
    }
    drop(tx);
    let mut sum = 0;
    while let Ok(v) = rx.recv().await {
        sum += v.get(); // ends when every sender is gone and the slot drained
    }
    sum
}

async fn slot_of_strings() -> usize {
    let (tx, mut rx) = diatomic_channels::slot::channel::<String>();
    for s in 0..SENDERS {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 1..=PER_SENDER / 10 {
                tx.send(format!("{s}:{i}")).await.unwrap();
            }
        });
    }
    drop(tx);
    let mut bytes = 0;
    while let Ok(s) = rx.recv().await {
        bytes += s.len();
    }
    bytes
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let expected = N * (N + 1) / 2;

    let start = Instant::now();
    let sum = hand_written().await;
    assert_eq!(sum, expected);
    println!(
        "hand-written NonZeroUsize channel over WakeSink: {SENDERS} senders, {N} values, \
         sum {sum} (expected {expected}), {:?}",
        start.elapsed()
    );

    let start = Instant::now();
    let sum = with_the_attribute().await;
    assert_eq!(sum, expected);
    println!(
        "the same channel made with #[async_channel]:     {SENDERS} senders, {N} values, \
         sum {sum} (expected {expected}), {:?}",
        start.elapsed()
    );

    let start = Instant::now();
    let bytes = slot_of_strings().await;
    println!(
        "slot::channel::<String>: {SENDERS} senders, {} strings, {bytes} bytes received, {:?}",
        SENDERS * (PER_SENDER / 10),
        start.elapsed()
    );
}
