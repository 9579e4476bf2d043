//! Stress on tokio's multi-threaded runtime: several senders (tasks and
//! threads) through the capacity-1 `slot` and a one-producer channel; every
//! item delivered exactly once, in order per sender, and dropped once.

mod support;

use std::sync::Arc;
use std::time::Duration;

use diatomic_channels::slot;
use support::*;

const SENDERS: usize = 4;
const PER_SENDER: usize = if cfg!(miri) { 20 } else { 20_000 };

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap()
}

#[test]
fn slot_delivers_every_item_once_in_order_per_sender() {
    let drops = drops();
    let (tx, mut rx) = slot::channel::<Counted>();
    let rt = runtime();
    let received = rt.block_on(async {
        for s in 0..SENDERS {
            let tx = tx.clone();
            let drops = drops.clone();
            if s % 2 == 0 {
                tokio::spawn(async move {
                    for i in 0..PER_SENDER {
                        tx.send(Counted::new(s * PER_SENDER + i, &drops))
                            .await
                            .unwrap();
                    }
                });
            } else {
                // Half the senders are threads using the blocking API.
                std::thread::spawn(move || {
                    for i in 0..PER_SENDER {
                        tx.send_blocking(Counted::new(s * PER_SENDER + i, &drops))
                            .unwrap();
                    }
                });
            }
        }
        drop(tx);
        let consumer = tokio::spawn(async move {
            let mut next = [0usize; SENDERS];
            let mut n = 0;
            while let Ok(item) = rx.recv().await {
                let (s, i) = (item.id / PER_SENDER, item.id % PER_SENDER);
                assert_eq!(i, next[s], "sender {s}: lost, duplicated or reordered");
                next[s] += 1;
                n += 1;
            }
            n
        });
        tokio::time::timeout(Duration::from_secs(120), consumer)
            .await
            .expect("lost wakeup: the receiver never saw the channel close")
            .unwrap()
    });
    assert_eq!(received, SENDERS * PER_SENDER);
    assert_eq!(count(&drops), SENDERS * PER_SENDER);
}

#[test]
fn one_producer_channel_delivers_every_item_once_in_order() {
    let (mut tx, mut rx) = Solo::<usize, 2>::new().into_channel();
    let rt = runtime();
    let sum = rt.block_on(async {
        tokio::spawn(async move {
            for i in 0..PER_SENDER {
                tx.send(i).await.unwrap();
            }
        });
        let consumer = tokio::spawn(async move {
            let mut expected = 0;
            while let Ok(i) = rx.recv().await {
                assert_eq!(i, expected);
                expected += 1;
            }
            expected
        });
        tokio::time::timeout(Duration::from_secs(120), consumer)
            .await
            .expect("lost wakeup")
            .unwrap()
    });
    assert_eq!(sum, PER_SENDER);
}

#[test]
fn receiver_dropped_mid_stream_leaks_nothing() {
    let drops = drops();
    let (tx, mut rx) = Ring::<Counted, 8>::new().into_channel();
    let rt = runtime();
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    rt.block_on(async {
        let producers: Vec<_> = (0..SENDERS)
            .map(|s| {
                let (tx, drops, sent) = (tx.clone(), drops.clone(), sent.clone());
                tokio::spawn(async move {
                    for i in 0.. {
                        if tx
                            .send(Counted::new(s * PER_SENDER + i, &drops))
                            .await
                            .is_err()
                        {
                            break; // the value came back and was dropped
                        }
                        sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                })
            })
            .collect();
        drop(tx);
        for _ in 0..100 {
            rx.recv().await.unwrap();
        }
        drop(rx);
        for p in producers {
            p.await.unwrap();
        }
    });
    // Each item created was either received and dropped, dropped with the
    // receiver, or handed back and dropped: once each.
    let created = sent.load(std::sync::atomic::Ordering::Relaxed) + SENDERS;
    assert_eq!(count(&drops), created);
}
