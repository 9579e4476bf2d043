//! The `spsc` channel: its ring against a `VecDeque` model (proptest), drops
//! counted on every path, and a second of real contention per test on
//! tokio's multi-threaded runtime and on plain threads (a fixed count under
//! Miri), at capacities 2 and 1024.

mod support;

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use diatomic_channels::spsc::{self, InlineRing};
use diatomic_channels::{TryRecvError, TrySendError};
use proptest::prelude::*;
use support::*;

/// One step of a random run (one producer: no clones).
#[derive(Clone, Debug)]
enum Op {
    Send,
    Recv,
    Close,
    DropSender,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => Just(Op::Send),
        8 => Just(Op::Recv),
        1 => Just(Op::Close),
        1 => Just(Op::DropSender),
    ]
}

/// Runs `ops` on a channel of `capacity` and on the model, comparing every
/// outcome and `len`; drops equal creations at the end.
fn check<S>(
    capacity: usize,
    ops: &[Op],
    (tx, mut rx): (spsc::RingSender<Counted, S>, spsc::RingReceiver<Counted, S>),
) where
    S: spsc::Storage<spsc::Cell<Counted>> + Send + Sync,
{
    let drops = drops();
    let mut model: VecDeque<usize> = VecDeque::new();
    let mut sender = Some(tx);
    let mut closed = false;
    let mut created = 0;
    for op in ops {
        match op {
            Op::Send => {
                let Some(tx) = sender.as_mut() else { continue };
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
                assert_eq!(tx.len(), model.len());
                assert_eq!(tx.is_full(), model.len() == capacity);
            }
            Op::Recv => match rx.try_recv() {
                Ok(item) => assert_eq!(Some(item.id), model.pop_front()),
                Err(TryRecvError::Empty) => {
                    assert!(model.is_empty() && !closed && sender.is_some())
                }
                Err(TryRecvError::Closed) => {
                    assert!(model.is_empty() && (closed || sender.is_none()))
                }
            },
            Op::Close => {
                rx.close();
                closed = true;
            }
            Op::DropSender => sender = None,
        }
        assert_eq!(rx.len(), model.len());
        assert_eq!(rx.is_empty(), model.is_empty());
        assert_eq!(rx.capacity(), capacity);
    }
    drop(sender);
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
        check(capacity, &ops, spsc::channel::<Counted>(capacity));
    }

    #[test]
    fn inline_ring_behaves_as_a_bounded_fifo(ops in prop::collection::vec(op(), 0..MODEL_OPS)) {
        check(3, &ops, InlineRing::<Counted, 3>::new().into_channel());
    }
}

#[test]
fn every_path_drops_its_items_once() {
    let drops = drops();
    let (mut tx, mut rx) = spsc::channel::<Counted>(4);
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
fn a_dropped_send_future_drops_its_value() {
    let drops = drops();
    let (mut tx, rx) = spsc::channel::<Counted>(1);
    tx.try_send(Counted::new(0, &drops)).unwrap();
    let (_, waker) = flag();
    let mut cx = std::task::Context::from_waker(&waker);
    {
        let mut send = tx.send(Counted::new(1, &drops));
        assert!(std::pin::Pin::new(&mut send).poll(&mut cx).is_pending());
    }
    assert_eq!(count(&drops), 1);
    drop((tx, rx));
    assert_eq!(count(&drops), 2);
}

#[test]
#[should_panic(expected = "capacity of at least 1")]
fn capacity_zero_is_refused_at_run_time() {
    let _ = spsc::channel::<u8>(0);
}

fn stress_tokio(capacity: usize) -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (delivery, sent) = rt.block_on(async {
        let (mut tx, mut rx) = spsc::channel::<(usize, usize)>(capacity);
        let start = Instant::now();
        let producer = tokio::spawn(async move {
            let mut i = 0;
            while keep_sending(start, i) {
                tx.send((0, i)).await.unwrap();
                i += 1;
            }
            i
        });
        let mut delivery = Delivery::new(1);
        let mut batch = Vec::new();
        // Half the items through `recv_many`, half through `recv`.
        loop {
            if delivery.next[0] % 2 == 0 {
                if rx.recv_many(&mut batch, 8).await == 0 {
                    break;
                }
                batch.drain(..).for_each(|item| delivery.receive(item));
            } else {
                match rx.recv().await {
                    Ok(item) => delivery.receive(item),
                    Err(_) => break,
                }
            }
        }
        (delivery, vec![producer.await.unwrap()])
    });
    delivery.finish(&sent)
}

fn stress_threads(capacity: usize) -> usize {
    let (mut tx, mut rx) = spsc::channel::<(usize, usize)>(capacity);
    let start = Instant::now();
    let producer = std::thread::spawn(move || {
        let mut i = 0;
        while keep_sending(start, i) {
            tx.send_blocking((0, i)).unwrap();
            i += 1;
        }
        i
    });
    let mut delivery = Delivery::new(1);
    while let Ok(item) = rx.recv_blocking() {
        delivery.receive(item);
    }
    delivery.finish(&[producer.join().unwrap()])
}

#[test]
fn a_task_delivers_every_item_once_in_order_capacity_2() {
    println!("capacity 2, tasks: {} items", stress_tokio(2));
}

#[test]
fn a_task_delivers_every_item_once_in_order_capacity_1024() {
    println!("capacity 1024, tasks: {} items", stress_tokio(1024));
}

#[test]
fn a_thread_delivers_every_item_once_in_order_capacity_2() {
    println!("capacity 2, threads: {} items", stress_threads(2));
}

#[test]
fn a_thread_delivers_every_item_once_in_order_capacity_1024() {
    println!("capacity 1024, threads: {} items", stress_threads(1024));
}

/// `InlineRing::new` is `const`: it can initialize a `static`.
static _RING_IN_A_STATIC: InlineRing<u64, 8> = InlineRing::new();

#[test]
fn an_inline_ring_drops_what_it_holds() {
    let (mut tx, mut rx) = InlineRing::<Arc<()>, 2>::new().into_channel();
    let item = Arc::new(());
    tx.try_send(item.clone()).unwrap();
    tx.try_send(item.clone()).unwrap();
    assert!(tx.try_send(item.clone()).unwrap_err().is_full());
    drop(rx.try_recv().unwrap());
    drop((tx, rx));
    assert_eq!(Arc::strong_count(&item), 1);
}

#[test]
fn wraps_around_many_times() {
    // Indices count modulo twice the capacity: go round often, at capacity 3.
    let (mut tx, mut rx) = spsc::channel::<usize>(3);
    for round in 0..100 {
        for i in 0..=(round % 3) {
            tx.try_send(round * 10 + i).unwrap();
        }
        for i in 0..=(round % 3) {
            assert_eq!(rx.try_recv(), Ok(round * 10 + i));
        }
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    }
}
