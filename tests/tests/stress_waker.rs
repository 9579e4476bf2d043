//! Stress: real threads notify a task on tokio's multi-threaded runtime for
//! more than a second; every token must be accounted for, in order per thread.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diatomic_tests::nonzero_slot::channel;
use diatomic_waker::WakeSink;

const PRODUCERS: usize = 3;
const RUN_FOR: Duration = Duration::from_millis(1200);
const SEQ_BITS: u32 = 40;

#[test]
fn capacity_one_channel_delivers_every_token_in_order() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let (tx, mut rx) = channel();
    let finished = Arc::new(AtomicUsize::new(0));
    let sent: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let (tx, finished) = (tx.clone(), finished.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut seq = 0usize;
                while start.elapsed() < RUN_FOR {
                    seq += 1;
                    let mut token = NonZeroUsize::new((p << SEQ_BITS) | seq).unwrap();
                    while let Err(back) = tx.try_send(token) {
                        token = back;
                        std::thread::yield_now();
                    }
                }
                // Ordering: Release, publishes every send of this thread.
                finished.fetch_add(1, Ordering::Release);
                tx.notify_receiver();
                seq
            })
        })
        .collect();
    drop(tx);

    let received = rt.block_on(async move {
        let consumer = tokio::spawn(async move {
            let mut last = [0usize; PRODUCERS];
            loop {
                // Ordering: Acquire, pairs with the producers' Release.
                let done = || finished.load(Ordering::Acquire) == PRODUCERS;
                match rx.recv_until(done).await {
                    Some(token) => {
                        let (p, seq) =
                            (token.get() >> SEQ_BITS, token.get() & ((1 << SEQ_BITS) - 1));
                        assert_eq!(
                            seq,
                            last[p] + 1,
                            "producer {p}: token lost, duplicated or reordered"
                        );
                        last[p] = seq;
                    }
                    None => return last,
                }
            }
        });
        tokio::time::timeout(Duration::from_secs(60), consumer)
            .await
            .expect("lost wakeup: the consumer never finished")
            .unwrap()
    });

    let sent: Vec<usize> = sent.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(received.to_vec(), sent);
    assert!(sent.iter().all(|&n| n > 0));
}

#[test]
fn counter_tokens_from_notifying_threads_are_all_counted() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let mut sink = WakeSink::new();
    let pending = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|_| {
            let (source, pending, finished) = (sink.source(), pending.clone(), finished.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut n = 0usize;
                while start.elapsed() < RUN_FOR {
                    // Ordering: Relaxed; the notification orders it.
                    pending.fetch_add(1, Ordering::Relaxed);
                    source.notify();
                    n += 1;
                    if n.is_multiple_of(64) {
                        std::thread::yield_now();
                    }
                }
                // Ordering: Release, publishes this thread's last increments.
                finished.fetch_add(1, Ordering::Release);
                source.notify();
                n
            })
        })
        .collect();

    let counted = rt.block_on(async move {
        let consumer = tokio::spawn(async move {
            let mut counted = 0usize;
            loop {
                let (pending, finished) = (&pending, &finished);
                let (taken, done) = sink
                    .wait_until(|| {
                        // Ordering: Acquire, pairs with the producers' Release.
                        let done = finished.load(Ordering::Acquire) == PRODUCERS;
                        // Ordering: Relaxed; taken after `done` was read.
                        let taken = pending.swap(0, Ordering::Relaxed);
                        (taken > 0 || done).then_some((taken, done))
                    })
                    .await;
                counted += taken;
                if done {
                    return counted;
                }
            }
        });
        tokio::time::timeout(Duration::from_secs(60), consumer)
            .await
            .expect("lost wakeup: the consumer never finished")
            .unwrap()
    });
    let sent: usize = producers.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(counted, sent);
}
