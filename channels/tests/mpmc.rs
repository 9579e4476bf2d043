//! The `mpmc` channel: its ring against a `VecDeque` model with receivers
//! cloned and dropped (proptest), the line of waiting receivers (one wake
//! per item, oldest first, a woken-then-dropped or forgotten receive), the
//! close seen by every receiver, and a second of real contention per test
//! on tokio's multi-threaded runtime and on plain threads (a fixed count
//! under Miri), every item received once.

mod support;

use std::collections::VecDeque;
use std::future::Future;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use diatomic_channels::mpmc::{self, InlineRing};
use diatomic_channels::{Channel, RecvError, TryRecvError, TrySendError};
use proptest::prelude::*;
use support::*;

/// One step of a random run.
#[derive(Clone, Debug)]
enum Op {
    Send,
    /// Receives with the receiver at this index (modulo how many there are).
    Recv(usize),
    Close,
    CloneSender,
    DropSender,
    CloneReceiver,
    DropReceiver,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Send),
        6 => (0usize..4).prop_map(Op::Recv),
        1 => Just(Op::Close),
        1 => Just(Op::CloneSender),
        1 => Just(Op::DropSender),
        1 => Just(Op::CloneReceiver),
        1 => Just(Op::DropReceiver),
    ]
}

/// Runs `ops` on a channel of `capacity` and on the model, comparing every
/// outcome; items are counted so that drops equal creations at the end.
fn check<S>(
    capacity: usize,
    ops: &[Op],
    (tx, rx): (mpmc::RingSender<Counted, S>, mpmc::RingReceiver<Counted, S>),
) where
    S: mpmc::Storage<mpmc::Cell<Counted>> + Send + Sync,
{
    let drops = drops();
    let mut model: VecDeque<usize> = VecDeque::new();
    let mut senders = vec![tx];
    let mut receivers = vec![rx];
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
            Op::Recv(which) => {
                if receivers.is_empty() {
                    continue;
                }
                let rx = &receivers[which % receivers.len()];
                match rx.try_recv() {
                    Ok(item) => assert_eq!(Some(item.id), model.pop_front()),
                    Err(TryRecvError::Empty) => {
                        assert!(model.is_empty() && !closed && !senders.is_empty())
                    }
                    Err(TryRecvError::Closed) => {
                        assert!(model.is_empty() && (closed || senders.is_empty()))
                    }
                }
            }
            Op::Close => {
                if let Some(rx) = receivers.first() {
                    rx.close();
                    closed = true;
                }
            }
            Op::CloneSender => {
                if let Some(tx) = senders.first() {
                    senders.push(tx.clone());
                }
            }
            Op::DropSender => {
                senders.pop();
            }
            Op::CloneReceiver => {
                if let Some(rx) = receivers.first() {
                    receivers.push(rx.clone());
                }
            }
            Op::DropReceiver => {
                if receivers.pop().is_some() && receivers.is_empty() {
                    // The last receiver closes the channel and drops the
                    // items.
                    closed = true;
                    model.clear();
                }
            }
        }
        if let Some(rx) = receivers.first() {
            assert_eq!(rx.len(), model.len());
            assert_eq!(rx.is_full(), model.len() == capacity);
            assert_eq!(rx.capacity(), capacity);
            assert_eq!(rx.receiver_count(), receivers.len());
        }
        assert_eq!(count(&drops), created - model.len(), "queued items alive");
    }
    drop(senders);
    drop(receivers);
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
        check(capacity, &ops, mpmc::channel::<Counted>(capacity));
    }

    #[test]
    fn inline_ring_behaves_as_a_bounded_fifo(ops in prop::collection::vec(op(), 0..MODEL_OPS)) {
        check(3, &ops, InlineRing::<Counted, 3>::new().into_channel());
    }
}

#[test]
#[should_panic(expected = "capacity of at least 1")]
fn capacity_zero_is_refused_at_run_time() {
    let _ = mpmc::channel::<u8>(0);
}

#[test]
fn each_push_wakes_one_waiting_receiver_the_oldest() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let (b_woken, b) = flag();
    let mut a_recv = pin!(rx.recv());
    let mut b_recv = pin!(rx.recv());
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    assert!(b_recv
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!(
        (wakes(&a_woken), wakes(&b_woken)),
        (1, 0),
        "the oldest only"
    );
    tx.try_send(2).unwrap();
    assert_eq!((wakes(&a_woken), wakes(&b_woken)), (1, 1), "then the next");
    assert_eq!(
        b_recv.as_mut().poll(&mut Context::from_waker(&b)),
        Poll::Ready(Ok(1))
    );
    assert_eq!(
        a_recv.as_mut().poll(&mut Context::from_waker(&a)),
        Poll::Ready(Ok(2))
    );
    tx.try_send(3).unwrap();
    assert_eq!((wakes(&a_woken), wakes(&b_woken)), (1, 1), "nobody waits");
}

#[test]
fn a_woken_receive_dropped_passes_its_wake_to_the_next() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let (b_woken, b) = flag();
    let mut a_recv = Box::pin(rx.recv());
    let mut b_recv = pin!(rx.recv());
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    assert!(b_recv
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!((wakes(&a_woken), wakes(&b_woken)), (1, 0));
    drop(a_recv); // woken, never polled again
    assert_eq!(wakes(&b_woken), 1, "the wake went on");
    assert_eq!(
        b_recv.as_mut().poll(&mut Context::from_waker(&b)),
        Poll::Ready(Ok(1))
    );
}

#[test]
fn a_waiting_receive_dropped_leaves_the_line() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let (b_woken, b) = flag();
    let mut a_recv = Box::pin(rx.recv());
    let mut b_recv = pin!(rx.recv());
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    assert!(b_recv
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    drop(a_recv);
    tx.try_send(1).unwrap();
    assert_eq!((wakes(&a_woken), wakes(&b_woken)), (0, 1));
}

#[test]
fn a_forgotten_woken_receive_holds_up_one_item_until_the_next_push() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let (b_woken, b) = flag();
    // Forgotten: never polled again nor dropped; its place stays valid in
    // its box until the end of the test.
    let mut a_recv = ManuallyDrop::new(Box::pin(rx.recv()));
    let mut b_recv = pin!(rx.recv());
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    assert!(b_recv
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!(wakes(&b_woken), 0, "the forgotten future took the wake");
    tx.try_send(2).unwrap();
    assert_eq!(
        (wakes(&a_woken), wakes(&b_woken)),
        (1, 1),
        "the next push wakes b"
    );
    assert_eq!(
        b_recv.as_mut().poll(&mut Context::from_waker(&b)),
        Poll::Ready(Ok(1))
    );
    assert_eq!(rx.try_recv(), Ok(2), "nothing lost");
    // Safety: the forgotten place left the line when it was notified:
    // nothing points to it any more.
    unsafe { free_without_drop(ManuallyDrop::into_inner(a_recv)) };
}

/// Frees the box of a forgotten future without running its drop (which a
/// forgotten future never runs), so that Miri sees no leak.
///
/// # Safety
///
/// Nothing points into the future any more.
unsafe fn free_without_drop<F>(future: Pin<Box<F>>) {
    // Safety: the caller's contract; the memory is only freed.
    let raw = Box::into_raw(unsafe { Pin::into_inner_unchecked(future) });
    // Safety: from `Box::into_raw` above; `MaybeUninit` has no drop.
    drop(unsafe { Box::from_raw(raw.cast::<MaybeUninit<F>>()) });
}

#[test]
fn a_wake_that_finds_the_item_taken_joins_the_line_again() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let mut a_recv = pin!(rx.recv());
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!(
        rx.try_recv(),
        Ok(1),
        "a receiver that does not wait takes it"
    );
    assert!(a_recv
        .as_mut()
        .poll(&mut Context::from_waker(&a))
        .is_pending());
    tx.try_send(2).unwrap();
    assert_eq!(wakes(&a_woken), 2);
    assert_eq!(
        a_recv.as_mut().poll(&mut Context::from_waker(&a)),
        Poll::Ready(Ok(2))
    );
}

#[test]
fn the_last_sender_gone_wakes_every_receiver_with_the_close() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (woken, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut a_recv = pin!(rx.recv());
    let mut b_recv = pin!(rx.recv());
    assert!(a_recv.as_mut().poll(&mut cx).is_pending());
    assert!(b_recv.as_mut().poll(&mut cx).is_pending());
    drop(tx);
    assert_eq!(wakes(&woken), 2);
    assert_eq!(a_recv.as_mut().poll(&mut cx), Poll::Ready(Err(RecvError)));
    assert_eq!(b_recv.as_mut().poll(&mut cx), Poll::Ready(Err(RecvError)));
}

#[test]
fn a_receiver_closing_wakes_the_others_once_drained() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let other = rx.clone();
    let (woken, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut waiting = pin!(other.recv());
    assert!(waiting.as_mut().poll(&mut cx).is_pending());
    rx.close();
    assert_eq!(wakes(&woken), 1);
    assert_eq!(tx.try_send(1), Err(TrySendError::Closed(1)));
    assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Err(RecvError)));
}

#[test]
fn the_last_receiver_gone_closes_and_drops_the_items() {
    let drops = drops();
    let (tx, rx) = mpmc::channel::<Counted>(4);
    let other = rx.clone();
    tx.try_send(Counted::new(0, &drops)).unwrap();
    drop(rx);
    assert!(tx.try_send(Counted::new(1, &drops)).is_ok(), "one is left");
    drop(other);
    assert_eq!(count(&drops), 2, "both queued items dropped");
    assert!(tx.is_closed());
    assert!(matches!(
        tx.try_send(Counted::new(2, &drops)),
        Err(TrySendError::Closed(_))
    ));
}

#[test]
fn a_blocked_send_moved_in_by_a_receiver_wakes_another_receiver() {
    let (tx, rx) = mpmc::channel::<u32>(1);
    let (b_woken, b) = flag();
    let (c_woken, c) = flag();
    let mut b_recv = pin!(rx.recv());
    let mut c_recv = pin!(rx.recv());
    assert!(b_recv
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    assert!(c_recv
        .as_mut()
        .poll(&mut Context::from_waker(&c))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!((wakes(&b_woken), wakes(&c_woken)), (1, 0));
    let blocked = std::thread::spawn({
        let tx = tx.clone();
        move || tx.send_blocking(2)
    });
    // Give the thread time to park its value. (If it has not, its own push
    // wakes c: the test still holds, without testing the hand-over.)
    std::thread::sleep(std::time::Duration::from_millis(50));
    // b takes 1 and moves the blocked value in: c, asleep, must hear of it.
    assert_eq!(
        b_recv.as_mut().poll(&mut Context::from_waker(&b)),
        Poll::Ready(Ok(1))
    );
    blocked.join().unwrap().unwrap();
    assert_eq!(wakes(&c_woken), 1);
    assert_eq!(
        c_recv.as_mut().poll(&mut Context::from_waker(&c)),
        Poll::Ready(Ok(2))
    );
}

#[test]
fn a_static_channel_shares_its_receivers() {
    static JOBS: Channel<InlineRing<u32, 2>> = Channel::new(InlineRing::new());
    let (tx, rx) = JOBS.split().unwrap();
    assert!(JOBS.split().is_none());
    let worker = rx.clone();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(worker.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    drop((rx, worker));
    assert_eq!(tx.try_send(3), Err(TrySendError::Closed(3)));
}

/// Every item `(p, i)` received once, and each receiver sees a producer's
/// items in order.
fn account(received: Vec<Vec<(usize, usize)>>, sent: &[usize]) -> usize {
    let mut seen: Vec<Vec<bool>> = sent.iter().map(|&n| vec![false; n]).collect();
    for by_one in received {
        let mut last = vec![None; sent.len()];
        for (p, i) in by_one {
            assert!(
                last[p] < Some(i),
                "producer {p}: out of order at one receiver"
            );
            last[p] = Some(i);
            assert!(
                !std::mem::replace(&mut seen[p][i], true),
                "({p}, {i}) twice"
            );
        }
    }
    for (p, seen) in seen.iter().enumerate() {
        assert!(
            seen.iter().all(|&s| s),
            "producer {p}: an item never arrived"
        );
    }
    sent.iter().sum()
}

fn stress_tokio(capacity: usize, producers: usize, consumers: usize) -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (received, sent) = rt.block_on(async {
        let (tx, rx) = mpmc::channel::<(usize, usize)>(capacity);
        let start = Instant::now();
        let producers: Vec<_> = (0..producers)
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
        let consumers: Vec<_> = (0..consumers)
            .map(|_| {
                let rx = rx.clone();
                tokio::spawn(async move {
                    let mut got = Vec::new();
                    while let Ok(item) = rx.recv().await {
                        got.push(item);
                    }
                    got
                })
            })
            .collect();
        drop((tx, rx));
        let mut sent = Vec::new();
        for task in producers {
            sent.push(task.await.unwrap());
        }
        let mut received = Vec::new();
        for task in consumers {
            received.push(task.await.unwrap());
        }
        (received, sent)
    });
    account(received, &sent)
}

fn stress_threads(capacity: usize, producers: usize, consumers: usize) -> usize {
    let (tx, rx) = mpmc::channel::<(usize, usize)>(capacity);
    let start = Instant::now();
    let producers: Vec<_> = (0..producers)
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
    let consumers: Vec<_> = (0..consumers)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                while let Ok(item) = rx.recv_blocking() {
                    got.push(item);
                }
                got
            })
        })
        .collect();
    drop((tx, rx));
    let sent: Vec<usize> = producers.into_iter().map(|t| t.join().unwrap()).collect();
    let received = consumers.into_iter().map(|t| t.join().unwrap()).collect();
    account(received, &sent)
}

/// Producers and consumers of the stress tests (fewer under Miri, where
/// each costs minutes).
const CAST: usize = if cfg!(miri) { 2 } else { 3 };

#[test]
fn tasks_receive_every_item_once_capacity_1() {
    let items = stress_tokio(1, CAST, CAST);
    println!("{CAST} producers, {CAST} consumers, capacity 1: {items} items");
}

#[test]
fn tasks_receive_every_item_once_capacity_1024() {
    let items = stress_tokio(1024, CAST, CAST);
    println!("{CAST} producers, {CAST} consumers, capacity 1024: {items} items");
}

#[test]
fn threads_receive_every_item_once_capacity_2() {
    let items = stress_threads(2, 2, CAST);
    println!("2 producer threads, {CAST} consumer threads, capacity 2: {items} items");
}

#[test]
fn threads_receive_every_item_once_capacity_1024() {
    let items = stress_threads(1024, 2, CAST);
    println!("2 producer threads, {CAST} consumer threads, capacity 1024: {items} items");
}

#[test]
fn an_inline_ring_drops_what_it_holds() {
    let (tx, rx) = InlineRing::<Arc<()>, 2>::new().into_channel();
    let item = Arc::new(());
    tx.try_send(item.clone()).unwrap();
    tx.try_send(item.clone()).unwrap();
    assert!(tx.try_send(item.clone()).unwrap_err().is_full());
    drop(rx.try_recv().unwrap());
    drop((tx, rx));
    assert_eq!(Arc::strong_count(&item), 1);
}

#[test]
fn recv_many_and_the_stream_share_the_items() {
    use futures_util::StreamExt;
    let (tx, rx) = mpmc::channel::<u32>(8);
    let mut stream = rx.clone();
    for i in 0..6 {
        tx.try_send(i).unwrap();
    }
    let mut buffer = Vec::new();
    assert_eq!(block_on(rx.recv_many(&mut buffer, 4)), 4);
    assert_eq!(block_on(stream.next()), Some(4));
    assert_eq!(block_on(rx.recv_many(&mut buffer, 4)), 1);
    assert_eq!(buffer, [0, 1, 2, 3, 5]);
    drop(tx);
    assert_eq!(block_on(stream.next()), None);
    assert_eq!(block_on(rx.recv_many(&mut buffer, 4)), 0);
}

#[test]
fn a_polled_receiver_keeps_its_place_and_gives_it_up_when_dropped() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let (a_woken, a) = flag();
    let (b_woken, b) = flag();
    let mut polled = rx.clone();
    assert!(polled.poll_recv(&mut Context::from_waker(&a)).is_pending());
    let mut waiting = pin!(rx.recv());
    assert!(waiting
        .as_mut()
        .poll(&mut Context::from_waker(&b))
        .is_pending());
    tx.try_send(1).unwrap();
    assert_eq!((wakes(&a_woken), wakes(&b_woken)), (1, 0), "first in line");
    // Woken, then dropped before it took the item: the wake goes on.
    drop(polled);
    assert_eq!(wakes(&b_woken), 1);
    assert_eq!(
        waiting.as_mut().poll(&mut Context::from_waker(&b)),
        Poll::Ready(Ok(1))
    );
    assert_eq!(rx.receiver_count(), 1);
}
