//! The `mpsc` channel: its ring against a `VecDeque` model (proptest), drops
//! counted on every path, and a second of real contention per test on
//! tokio's multi-threaded runtime and on plain threads (a fixed count under
//! Miri), at capacities 2 and 1024.

mod support;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

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
    S: mpsc::Storage<mpsc::Cell<Counted>> + Send + Sync,
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
        assert_eq!(rx.len(), model.len());
        assert_eq!(rx.is_full(), model.len() == capacity);
        assert_eq!(rx.capacity(), capacity);
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
    fn boxed_ring_behaves_as_a_bounded_fifo(capacity in 1usize..6, ops in prop::collection::vec(op(), 0..MODEL_OPS)) {
        check(capacity, &ops, mpsc::channel::<Counted>(capacity));
    }

    #[test]
    fn inline_ring_behaves_as_a_bounded_fifo(ops in prop::collection::vec(op(), 0..MODEL_OPS)) {
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

fn stress_tokio(capacity: usize, producers: usize) -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (delivery, sent) = rt.block_on(async {
        let (tx, mut rx) = mpsc::channel::<(usize, usize)>(capacity);
        let start = Instant::now();
        let tasks: Vec<_> = (0..producers)
            .map(|p| {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut i = 0;
                    while keep_sending(start, i) {
                        tx.send((p, i)).await.unwrap();
                        i += 1;
                    }
                    i
                })
            })
            .collect();
        drop(tx);
        let mut delivery = Delivery::new(producers);
        while let Ok(item) = rx.recv().await {
            delivery.receive(item);
        }
        let mut sent = Vec::new();
        for task in tasks {
            sent.push(task.await.unwrap());
        }
        (delivery, sent)
    });
    delivery.finish(&sent)
}

fn stress_threads(capacity: usize, producers: usize) -> usize {
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(capacity);
    let start = Instant::now();
    let threads: Vec<_> = (0..producers)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    tx.send_blocking((p, i)).unwrap();
                    i += 1;
                }
                i
            })
        })
        .collect();
    drop(tx);
    let mut delivery = Delivery::new(producers);
    while let Ok(item) = rx.recv_blocking() {
        delivery.receive(item);
    }
    let sent: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    delivery.finish(&sent)
}

#[test]
fn tasks_deliver_every_item_once_in_order_capacity_2() {
    let items = stress_tokio(2, 4);
    println!("4 tasks, capacity 2: {items} items");
}

#[test]
fn tasks_deliver_every_item_once_in_order_capacity_1024() {
    let items = stress_tokio(1024, 4);
    println!("4 tasks, capacity 1024: {items} items");
}

#[test]
fn threads_deliver_every_item_once_in_order_capacity_2() {
    let items = stress_threads(2, 3);
    println!("3 threads, capacity 2: {items} items");
}

#[test]
fn threads_deliver_every_item_once_in_order_capacity_1024() {
    let items = stress_threads(1024, 3);
    println!("3 threads, capacity 1024: {items} items");
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
