//! The `mpsc` channel: its ring against a `VecDeque` model (proptest), drops
//! counted on every path, and real contention on tokio's multi-threaded
//! runtime and on plain threads.

mod support;

use std::collections::VecDeque;
use std::sync::Arc;

use diatomic_channels::mpsc::{self, InlineRing};
use diatomic_channels::{TryRecvError, TrySendError};
use proptest::prelude::*;
use support::*;

/// One step of a random run.
#[derive(Clone, Debug)]
enum Op {
    Send,
    Recv,
    Close,
    CloneSender,
    DropSender,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Send),
        6 => Just(Op::Recv),
        1 => Just(Op::Close),
        1 => Just(Op::CloneSender),
        1 => Just(Op::DropSender),
    ]
}

/// Runs `ops` on a channel of `capacity` and on the model, comparing every
/// outcome; items are counted so that drops equal creations at the end.
fn check<S>(
    capacity: usize,
    ops: &[Op],
    (tx, mut rx): (mpsc::RingSender<Counted, S>, mpsc::RingReceiver<Counted, S>),
) where
    S: mpsc::Storage<Counted> + Send + Sync,
{
    let drops = drops();
    let mut model: VecDeque<usize> = VecDeque::new();
    let mut senders = vec![tx];
    let mut closed = false;
    let mut created = 0;
    for op in ops {
        match op {
            Op::Send => {
                let Some(tx) = senders.first() else { continue };
                let result = tx.try_send(Counted::new(created, &drops));
                created += 1;
                match result {
                    Ok(()) => {
                        assert!(!closed && model.len() < capacity, "accepted");
                        model.push_back(created - 1);
                    }
                    Err(TrySendError::Full(item)) => {
                        assert!(!closed && model.len() == capacity, "full");
                        assert_eq!(item.id, created - 1);
                    }
                    Err(TrySendError::Closed(item)) => {
                        assert!(closed, "closed");
                        assert_eq!(item.id, created - 1);
                    }
                }
            }
            Op::Recv => match rx.try_recv() {
                Ok(item) => assert_eq!(Some(item.id), model.pop_front()),
                Err(TryRecvError::Empty) => {
                    assert!(model.is_empty() && !closed && !senders.is_empty())
                }
                Err(TryRecvError::Closed) => {
                    assert!(model.is_empty() && (closed || senders.is_empty()))
                }
            },
            Op::Close => {
                rx.close();
                closed = true;
            }
            Op::CloneSender => {
                if let Some(tx) = senders.first() {
                    senders.push(tx.clone());
                }
            }
            Op::DropSender => {
                senders.pop();
            }
        }
    }
    drop(senders);
    drop(rx);
    assert_eq!(count(&drops), created, "every item dropped exactly once");
}

proptest! {
    // No failure file: a failing case is printed, and Miri has no file system.
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn boxed_ring_behaves_as_a_bounded_fifo(capacity in 1usize..6, ops in prop::collection::vec(op(), 0..200)) {
        check(capacity, &ops, mpsc::channel::<Counted>(capacity));
    }

    #[test]
    fn inline_ring_behaves_as_a_bounded_fifo(ops in prop::collection::vec(op(), 0..200)) {
        check(3, &ops, InlineRing::<Counted, 3>::new().into_channel());
    }
}

#[test]
fn every_path_drops_its_items_once() {
    let drops = drops();
    let (tx, mut rx) = mpsc::channel::<Counted>(4);
    for i in 0..4 {
        tx.try_send(Counted::new(i, &drops)).unwrap();
    }
    // Refused: full, then closed.
    drop(tx.try_send(Counted::new(4, &drops)).unwrap_err());
    drop(rx.try_recv().unwrap()); // delivered
    rx.close();
    drop(tx.try_send(Counted::new(5, &drops)).unwrap_err());
    assert_eq!(count(&drops), 3);
    drop(rx); // three still queued
    assert_eq!(count(&drops), 6);
    drop(tx);
    assert_eq!(count(&drops), 6);
}

#[test]
#[should_panic(expected = "capacity of at least 1")]
fn capacity_zero_is_refused_at_run_time() {
    let _ = mpsc::channel::<u8>(0);
}

/// Producers that each send `per` numbered items; the receiver checks that
/// every item arrives once, in order per producer.
fn check_delivery(
    received: impl IntoIterator<Item = (usize, usize)>,
    producers: usize,
    per: usize,
) {
    let mut next = vec![0; producers];
    for (p, i) in received {
        assert_eq!(i, next[p], "producer {p}: out of order or duplicated");
        next[p] += 1;
    }
    assert_eq!(next, vec![per; producers], "every item arrived");
}

fn stress_tokio(capacity: usize, producers: usize, per: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let received = rt.block_on(async {
        let (tx, mut rx) = mpsc::channel::<(usize, usize)>(capacity);
        for p in 0..producers {
            let tx = tx.clone();
            tokio::spawn(async move {
                for i in 0..per {
                    tx.send((p, i)).await.unwrap();
                }
            });
        }
        drop(tx);
        let mut received = Vec::with_capacity(producers * per);
        while let Ok(item) = rx.recv().await {
            received.push(item);
        }
        received
    });
    check_delivery(received, producers, per);
}

fn stress_threads(capacity: usize, producers: usize, per: usize) {
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(capacity);
    let threads: Vec<_> = (0..producers)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..per {
                    tx.send_blocking((p, i)).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let received = std::iter::from_fn(|| rx.recv_blocking().ok()).collect::<Vec<_>>();
    check_delivery(received, producers, per);
    for t in threads {
        t.join().unwrap();
    }
}

const PER: usize = if cfg!(miri) { 100 } else { 50_000 };

#[test]
fn tasks_deliver_every_item_once_in_order_capacity_2() {
    stress_tokio(2, 4, PER);
}

#[test]
fn tasks_deliver_every_item_once_in_order_capacity_1024() {
    stress_tokio(1024, 4, PER);
}

#[test]
fn threads_deliver_every_item_once_in_order_capacity_2() {
    stress_threads(2, 3, PER / 5);
}

#[test]
fn threads_deliver_every_item_once_in_order_capacity_1024() {
    stress_threads(1024, 3, PER / 5);
}

/// `InlineRing::new` is `const`: it can initialize a `static` (the halves
/// that borrow one come with the static homes of the channels).
static _RING_IN_A_STATIC: InlineRing<u64, 8> = InlineRing::new();

#[test]
fn an_inline_ring_drops_what_it_holds() {
    let (tx, mut rx) = InlineRing::<Arc<()>, 2>::new().into_channel();
    let item = Arc::new(());
    tx.try_send(item.clone()).unwrap();
    tx.try_send(item.clone()).unwrap();
    assert!(tx.try_send(item.clone()).unwrap_err().is_full());
    drop(rx.try_recv().unwrap());
    drop((tx, rx));
    assert_eq!(Arc::strong_count(&item), 1);
}
