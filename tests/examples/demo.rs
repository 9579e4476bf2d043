//! The main demo: the reference page's capacity-1 MPSC channel of
//! `NonZeroUsize`, hand-written over `WakeSink`/`WakeSource`, on tokio's
//! multi-threaded runtime.
//!
//! Run with `cargo run -p diatomic-tests --example demo`.

use std::num::NonZeroUsize;
use std::time::Instant;

use diatomic_tests::nonzero_slot::channel;

const SENDERS: usize = 4;
const PER_SENDER: usize = 25_000;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let (tx, mut rx) = channel();
    let start = Instant::now();
    for s in 0..SENDERS {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 1..=PER_SENDER {
                let mut value = NonZeroUsize::new(s * PER_SENDER + i).unwrap();
                // Capacity 1: retry (yielding to the runtime) while full.
                while let Err(back) = tx.try_send(value) {
                    value = back;
                    tokio::task::yield_now().await;
                }
            }
        });
    }
    let mut sum = 0usize;
    for _ in 0..SENDERS * PER_SENDER {
        sum += rx.recv().await.get();
    }
    let n = SENDERS * PER_SENDER;
    assert_eq!(sum, n * (n + 1) / 2);
    println!(
        "capacity-1 MPSC channel over diatomic-waker: {SENDERS} senders, {n} values received, \
         sum {sum} (expected {}), in {:?}",
        n * (n + 1) / 2,
        start.elapsed()
    );
}
