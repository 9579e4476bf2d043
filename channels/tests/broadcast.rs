//! `broadcast`, both policies: the ring against a model of one queue per
//! receiver with subscriptions and drops (proptest), values made and
//! dropped in equal numbers, lag reports, waiting receivers and senders
//! woken (a woken-then-dropped send passes its wakeup on, a dropped
//! receiver frees the senders it held back), and a second of contention on
//! tokio's multi-threaded runtime and on plain threads (a fixed count
//! under Miri), every value received once per receiver or reported lost.

mod support;

use std::future::Future;
use std::pin::pin;
// Ordering: Relaxed for every counter and switch here: each is read after
// the threads and tasks that touch it are joined, or on the same thread.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use diatomic_channels::broadcast::{self, RecvError, TryRecvError};
use diatomic_channels::{SendError, TrySendError};
use proptest::prelude::*;
use support::*;

/// A value whose creations (clones included) and drops are counted.
#[derive(Debug)]
struct Tracked {
    id: usize,
    made: Arc<AtomicUsize>,
    dropped: Arc<AtomicUsize>,
}

impl Tracked {
    fn new(id: usize, made: &Arc<AtomicUsize>, dropped: &Arc<AtomicUsize>) -> Self {
        made.fetch_add(1, Ordering::Relaxed);
        Self {
            id,
            made: made.clone(),
            dropped: dropped.clone(),
        }
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Self::new(self.id, &self.made, &self.dropped)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Clone, Debug)]
enum Op {
    Send,
    /// Receives with the receiver at this index (modulo how many there are).
    Recv(usize),
    Subscribe,
    DropReceiver(usize),
    DropSender,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Send),
        8 => (0usize..4).prop_map(Op::Recv),
        1 => Just(Op::Subscribe),
        1 => (0usize..4).prop_map(Op::DropReceiver),
        1 => Just(Op::DropSender),
    ]
}

/// The model: every value ever sent, and each receiver's cursor into it.
struct Model {
    sent: Vec<usize>,
    cursors: Vec<usize>,
    capacity: usize,
    backpressure: bool,
    closed: bool,
}

impl Model {
    fn full(&self) -> bool {
        let tail = self.sent.len();
        self.backpressure && self.cursors.iter().any(|&c| tail - c == self.capacity)
    }

    fn try_recv(&mut self, r: usize) -> Result<usize, TryRecvError> {
        let tail = self.sent.len();
        let c = self.cursors[r];
        if c == tail {
            return Err(if self.closed {
                TryRecvError::Closed
            } else {
                TryRecvError::Empty
            });
        }
        if tail - c > self.capacity {
            self.cursors[r] = tail - self.capacity;
            return Err(TryRecvError::Lagged((tail - self.capacity - c) as u64));
        }
        self.cursors[r] += 1;
        Ok(self.sent[c])
    }
}

fn check(capacity: usize, backpressure: bool, ops: &[Op]) {
    let (made, dropped) = (drops(), drops());
    {
        let mut model = Model {
            sent: Vec::new(),
            cursors: vec![0],
            capacity,
            backpressure,
            closed: false,
        };
        let (mut tx_over, mut tx_wait) = (None, None);
        let rx = if backpressure {
            let (tx, rx) = broadcast::channel_with_backpressure::<Tracked>(capacity);
            tx_wait = Some(tx);
            rx
        } else {
            let (tx, rx) = broadcast::channel::<Tracked>(capacity);
            tx_over = Some(tx);
            rx
        };
        let mut receivers = vec![rx];
        let mut next = 0;
        for op in ops {
            match *op {
                Op::Send => {
                    let value = Tracked::new(next, &made, &dropped);
                    let got = match (&tx_over, &tx_wait) {
                        (Some(tx), _) => tx.send(value).map(|n| {
                            assert_eq!(n, receivers.len());
                        }),
                        (_, Some(tx)) => tx.try_send(value).map_err(|e| match e {
                            TrySendError::Full(v) => {
                                assert!(model.full(), "full only when the model is");
                                SendError(v)
                            }
                            TrySendError::Closed(v) => SendError(v),
                        }),
                        _ => continue,
                    };
                    match got {
                        Ok(()) => {
                            assert!(!receivers.is_empty() && !model.full());
                            model.sent.push(next);
                            next += 1;
                        }
                        Err(SendError(v)) => {
                            assert_eq!(v.id, next);
                            assert!(receivers.is_empty() || model.full());
                        }
                    }
                }
                Op::Recv(i) => {
                    if receivers.is_empty() {
                        continue;
                    }
                    let r = i % receivers.len();
                    let got = receivers[r].try_recv().map(|v| v.id);
                    assert_eq!(got, model.try_recv(r), "receiver {r}");
                }
                Op::Subscribe => {
                    let rx = match (&tx_over, &tx_wait) {
                        (Some(tx), _) => tx.subscribe(),
                        (_, Some(tx)) => tx.subscribe(),
                        _ => match receivers.first() {
                            Some(rx) => rx.resubscribe(),
                            None => continue,
                        },
                    };
                    receivers.push(rx);
                    model.cursors.push(model.sent.len());
                }
                Op::DropReceiver(i) => {
                    if receivers.is_empty() {
                        continue;
                    }
                    let r = i % receivers.len();
                    drop(receivers.remove(r));
                    model.cursors.remove(r);
                }
                Op::DropSender => {
                    tx_over = None;
                    tx_wait = None;
                    model.closed = true;
                }
            }
            for (r, rx) in receivers.iter().enumerate() {
                let unread = (model.sent.len() - model.cursors[r]).min(capacity);
                assert_eq!(rx.len(), unread, "receiver {r}'s len");
            }
        }
    }
    assert_eq!(
        count(&made),
        count(&dropped),
        "every value made was dropped"
    );
}

proptest! {
    // No failure file: a failing case is printed, and Miri has no file system.
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn overwrite_matches_a_queue_per_receiver(
        capacity in 1usize..5,
        ops in proptest::collection::vec(op(), 0..80),
    ) {
        check(capacity, false, &ops);
    }

    #[test]
    fn backpressure_matches_a_queue_per_receiver(
        capacity in 1usize..5,
        ops in proptest::collection::vec(op(), 0..80),
    ) {
        check(capacity, true, &ops);
    }
}

#[test]
fn a_lagging_receiver_is_told_how_many_it_missed() {
    let (tx, mut rx) = broadcast::channel(3);
    for i in 0..10 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(7)));
    assert_eq!(rx.len(), 3);
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Ok(8));
    assert_eq!(rx.try_recv(), Ok(9));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    drop(tx);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn a_late_subscriber_sees_only_later_values() {
    let (tx, mut rx) = broadcast::channel(4);
    tx.send(1).unwrap();
    let mut late = tx.subscribe();
    let mut later = rx.resubscribe();
    tx.send(2).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(late.try_recv(), Ok(2));
    assert_eq!(later.try_recv(), Ok(2));
    assert_eq!(late.try_recv(), Err(TryRecvError::Empty));
    assert_eq!(tx.receiver_count(), 3);
}

#[test]
fn a_send_wakes_every_waiting_receiver_once() {
    let (tx, mut rx1) = broadcast::channel::<u32>(2);
    let mut rx2 = tx.subscribe();
    let (f1, w1) = flag();
    let (f2, w2) = flag();
    let mut r1 = pin!(rx1.recv());
    let mut r2 = pin!(rx2.recv());
    assert!(r1.as_mut().poll(&mut Context::from_waker(&w1)).is_pending());
    assert!(r2.as_mut().poll(&mut Context::from_waker(&w2)).is_pending());
    tx.send(5).unwrap();
    assert_eq!((wakes(&f1), wakes(&f2)), (1, 1));
    assert_eq!(
        r1.as_mut().poll(&mut Context::from_waker(&w1)),
        Poll::Ready(Ok(5))
    );
    assert_eq!(
        r2.as_mut().poll(&mut Context::from_waker(&w2)),
        Poll::Ready(Ok(5))
    );
    tx.send(6).unwrap();
    assert_eq!((wakes(&f1), wakes(&f2)), (1, 1), "nobody waits: no wake");
}

#[test]
fn the_last_sender_gone_wakes_the_receivers_with_closed() {
    let (tx, mut rx) = broadcast::channel::<u32>(2);
    let (f, w) = flag();
    let mut r = pin!(rx.recv());
    assert!(r.as_mut().poll(&mut Context::from_waker(&w)).is_pending());
    let tx2 = tx.clone();
    drop(tx);
    assert_eq!(wakes(&f), 0);
    drop(tx2);
    assert_eq!(wakes(&f), 1);
    assert_eq!(
        r.as_mut().poll(&mut Context::from_waker(&w)),
        Poll::Ready(Err(RecvError::Closed))
    );
}

#[test]
fn a_full_backpressure_send_waits_for_the_slowest_receiver() {
    let (tx, mut fast) = broadcast::channel_with_backpressure::<u32>(1);
    let mut slow = tx.subscribe();
    tx.try_send(1).unwrap();
    let (f, w) = flag();
    let mut send = pin!(tx.send(2));
    assert!(send
        .as_mut()
        .poll(&mut Context::from_waker(&w))
        .is_pending());
    assert_eq!(fast.try_recv(), Ok(1));
    assert_eq!(wakes(&f), 0, "the slow receiver still holds the slot");
    assert_eq!(slow.try_recv(), Ok(1));
    assert_eq!(wakes(&f), 1);
    assert_eq!(
        send.as_mut().poll(&mut Context::from_waker(&w)),
        Poll::Ready(Ok(()))
    );
    assert_eq!(slow.try_recv(), Ok(2));
}

#[test]
fn a_dropped_receiver_frees_the_senders_it_held_back() {
    let (tx, mut fast) = broadcast::channel_with_backpressure::<u32>(2);
    let slow = tx.subscribe();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(fast.try_recv(), Ok(1));
    assert_eq!(fast.try_recv(), Ok(2));
    let (f, w) = flag();
    let mut send = pin!(tx.send(3));
    assert!(send
        .as_mut()
        .poll(&mut Context::from_waker(&w))
        .is_pending());
    drop(slow);
    assert_eq!(wakes(&f), 1);
    assert_eq!(
        send.as_mut().poll(&mut Context::from_waker(&w)),
        Poll::Ready(Ok(()))
    );
    assert_eq!(fast.try_recv(), Ok(3));
}

#[test]
fn the_last_receiver_gone_fails_the_waiting_senders() {
    let (tx, rx) = broadcast::channel_with_backpressure::<u32>(1);
    tx.try_send(1).unwrap();
    let (f, w) = flag();
    let mut send = pin!(tx.send(2));
    assert!(send
        .as_mut()
        .poll(&mut Context::from_waker(&w))
        .is_pending());
    drop(rx);
    assert_eq!(wakes(&f), 1);
    assert_eq!(
        send.as_mut().poll(&mut Context::from_waker(&w)),
        Poll::Ready(Err(SendError(2)))
    );
}

/// `closed` (both senders): pending while a receiver is left, woken once
/// by the last one's drop (not by an earlier one's), then ready; ready at
/// once with none; a later `subscribe` opens the channel again.
#[test]
fn closed_completes_when_the_last_receiver_goes() {
    // Overwrite.
    let (tx, rx) = broadcast::channel::<u32>(2);
    let rx2 = tx.subscribe();
    let (f, w) = flag();
    let mut cx = Context::from_waker(&w);
    let mut closed = pin!(tx.closed());
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    assert!(!tx.is_closed());
    drop(rx);
    assert_eq!(wakes(&f), 0, "a receiver is left");
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    drop(rx2);
    assert_eq!(wakes(&f), 1, "the last receiver's drop wakes it");
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    assert!(tx.is_closed());
    assert_eq!(pin!(tx.closed()).poll(&mut cx), Poll::Ready(()), "at once");
    let again = tx.subscribe();
    assert!(!tx.is_closed());
    assert_eq!(pin!(tx.closed()).poll(&mut cx), Poll::Pending, "open again");
    drop(again);
    // Backpressure: the last receiver wakes a blocked send and `closed`.
    let (tx, rx) = broadcast::channel_with_backpressure::<u32>(1);
    tx.try_send(1).unwrap();
    let (sf, sw) = flag();
    let mut send = pin!(tx.send(2));
    assert!(send
        .as_mut()
        .poll(&mut Context::from_waker(&sw))
        .is_pending());
    let (cf, cw) = flag();
    let mut closed = pin!(tx.closed());
    assert_eq!(
        closed.as_mut().poll(&mut Context::from_waker(&cw)),
        Poll::Pending
    );
    drop(rx);
    assert_eq!((wakes(&sf), wakes(&cf)), (1, 1));
    assert_eq!(
        closed.as_mut().poll(&mut Context::from_waker(&cw)),
        Poll::Ready(())
    );
    assert!(format!("{closed:?}").starts_with("Closed"));
}

#[test]
fn a_woken_then_dropped_send_passes_its_wakeup_on() {
    let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(1);
    tx.try_send(0).unwrap();
    let (fa, wa) = flag();
    let (fb, wb) = flag();
    let mut a = Box::pin(tx.send(1));
    let mut b = pin!(tx.send(2));
    assert!(a.as_mut().poll(&mut Context::from_waker(&wa)).is_pending());
    assert!(b.as_mut().poll(&mut Context::from_waker(&wb)).is_pending());
    assert_eq!(rx.try_recv(), Ok(0));
    assert_eq!((wakes(&fa), wakes(&fb)), (1, 0), "one wake, the oldest");
    drop(a); // woken, never polled again: it has not sent
    assert_eq!(wakes(&fb), 1, "the wakeup went on");
    assert_eq!(
        b.as_mut().poll(&mut Context::from_waker(&wb)),
        Poll::Ready(Ok(()))
    );
    assert_eq!(rx.try_recv(), Ok(2), "the dropped send did not send");
}

#[test]
fn a_dropped_receive_loses_nothing() {
    let (tx, mut rx) = broadcast::channel::<u32>(2);
    let (_, w) = flag();
    {
        let mut r = pin!(rx.recv());
        assert!(r.as_mut().poll(&mut Context::from_waker(&w)).is_pending());
        tx.send(1).unwrap();
    }
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
fn values_stay_until_overwritten_and_go_with_the_channel() {
    let (made, dropped) = (drops(), drops());
    let (tx, mut rx) = broadcast::channel(2);
    for i in 0..3 {
        tx.send(Tracked::new(i, &made, &dropped)).unwrap();
    }
    assert_eq!(count(&dropped), 1, "the first was overwritten");
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Lagged(1))));
    assert_eq!(rx.try_recv().unwrap().id, 1);
    assert_eq!(count(&made) - count(&dropped), 2, "the clone is gone");
    drop((tx, rx));
    assert_eq!(count(&made), count(&dropped));
}

#[test]
fn blocking_calls_between_threads() {
    let (tx, mut rx) = broadcast::channel_with_backpressure(1);
    let sender = std::thread::spawn(move || {
        for i in 0..50u32 {
            tx.send_blocking(i).unwrap();
        }
    });
    for i in 0..50 {
        assert_eq!(rx.recv_blocking(), Ok(i));
    }
    sender.join().unwrap();
    assert_eq!(rx.recv_blocking(), Err(RecvError::Closed));
}

#[test]
fn debug_forms() {
    let (tx, rx) = broadcast::channel::<u8>(2);
    assert_eq!(format!("{tx:?}"), "Sender { capacity: 2, receivers: 1 }");
    assert_eq!(format!("{rx:?}"), "Receiver { unread: 0, closed: false }");
    let (tx, _rx) = broadcast::channel_with_backpressure::<u8>(1);
    assert!(format!("{tx:?}").starts_with("BackpressureSender"));
}

#[test]
#[should_panic(expected = "capacity of 1 or more")]
fn a_capacity_of_zero_is_refused() {
    let _ = broadcast::channel::<u8>(0);
}

/// A value whose clone panics when its flag says so.
#[derive(Debug)]
struct Fragile {
    id: u32,
    panics: Arc<std::sync::atomic::AtomicBool>,
}

impl Clone for Fragile {
    fn clone(&self) -> Self {
        assert!(
            !self.panics.load(Ordering::Relaxed),
            "this clone panics on purpose"
        );
        Self {
            id: self.id,
            panics: self.panics.clone(),
        }
    }
}

#[test]
fn a_panicking_clone_skips_the_value_and_holds_nobody_back() {
    let panics = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let value = |id| Fragile {
        id,
        panics: panics.clone(),
    };
    // Overwrite: the receiver's mark moved past the value, so a send over
    // it does not wait for a clone that never ends.
    let (tx, mut rx) = broadcast::channel(1);
    tx.send(value(1)).unwrap();
    panics.store(true, Ordering::Relaxed);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rx.try_recv()));
    assert!(caught.is_err());
    panics.store(false, Ordering::Relaxed);
    tx.send(value(2)).unwrap();
    assert_eq!(
        rx.try_recv().unwrap().id,
        2,
        "the panicked value counts as read"
    );
    // Backpressure: the value counts as read, so the slot frees.
    let (tx, mut rx) = broadcast::channel_with_backpressure(1);
    tx.try_send(value(1)).unwrap();
    panics.store(true, Ordering::Relaxed);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rx.try_recv()));
    assert!(caught.is_err());
    panics.store(false, Ordering::Relaxed);
    tx.try_send(value(2)).unwrap();
    assert_eq!(rx.try_recv().unwrap().id, 2);
}

#[test]
fn a_panicking_waker_does_not_keep_the_others_asleep() {
    let (tx, mut rx1) = broadcast::channel::<u32>(2);
    let mut rx2 = tx.subscribe();
    let bad = Arc::new(Flag {
        panic: true,
        ..Flag::default()
    });
    let bad_waker = std::task::Waker::from(bad.clone());
    let (good, good_waker) = flag();
    let mut r1 = pin!(rx1.recv());
    let mut r2 = pin!(rx2.recv());
    assert!(r1
        .as_mut()
        .poll(&mut Context::from_waker(&bad_waker))
        .is_pending());
    assert!(r2
        .as_mut()
        .poll(&mut Context::from_waker(&good_waker))
        .is_pending());
    let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tx.send(1)));
    assert!(sent.is_err(), "the first waker panicked");
    assert_eq!(
        wakes(&good),
        1,
        "the receiver behind it was woken all the same"
    );
    assert_eq!(
        r2.as_mut().poll(&mut Context::from_waker(&good_waker)),
        Poll::Ready(Ok(1))
    );
    assert_eq!(
        r1.as_mut().poll(&mut Context::from_waker(Waker::noop())),
        Poll::Ready(Ok(1)),
        "the value was sent before the wakes"
    );
}

/// One receiver's account: each sender's values in increasing order (all
/// of them, in order, under backpressure), and how many were reported
/// missed.
struct Seen {
    next: Vec<usize>,
    received: usize,
    lagged: u64,
    backpressure: bool,
}

impl Seen {
    fn new(backpressure: bool) -> Self {
        Self {
            next: vec![0; SENDERS],
            received: 0,
            lagged: 0,
            backpressure,
        }
    }

    /// Takes one receive's outcome; false once the channel is closed.
    fn take(&mut self, got: Result<(usize, usize), RecvError>) -> bool {
        match got {
            Ok((p, i)) => {
                if self.backpressure {
                    assert_eq!(
                        i, self.next[p],
                        "sender {p}: out of order, lost or duplicated"
                    );
                } else {
                    assert!(i >= self.next[p], "sender {p}: out of order or duplicated");
                }
                self.next[p] = i + 1;
                self.received += 1;
                true
            }
            Err(RecvError::Lagged(n)) => {
                assert!(!self.backpressure, "no lag with backpressure");
                self.lagged += n;
                true
            }
            Err(RecvError::Closed) => false,
        }
    }

    /// Checks that every value sent was received or reported missed.
    fn finish(self, sent: usize) {
        assert_eq!(
            self.received as u64 + self.lagged,
            sent as u64,
            "every value received or reported missed"
        );
    }
}

const SENDERS: usize = 2;
const RECEIVERS: usize = if cfg!(miri) { 2 } else { 4 };

fn stress_tokio(capacity: usize, backpressure: bool) -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let start = Instant::now();
        let (over, wait, rx) = if backpressure {
            let (tx, rx) = broadcast::channel_with_backpressure::<(usize, usize)>(capacity);
            (None, Some(tx), rx)
        } else {
            let (tx, rx) = broadcast::channel::<(usize, usize)>(capacity);
            (Some(tx), None, rx)
        };
        let receivers: Vec<_> = (0..RECEIVERS)
            .map(|_| {
                let mut rx = rx.resubscribe();
                tokio::spawn(async move {
                    let mut seen = Seen::new(backpressure);
                    while seen.take(rx.recv().await) {}
                    seen
                })
            })
            .collect();
        drop(rx);
        let senders: Vec<_> = (0..SENDERS)
            .map(|p| {
                let (over, wait) = (over.clone(), wait.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while keep_sending(start, i) {
                        match (&over, &wait) {
                            (Some(tx), _) => {
                                tx.send((p, i)).unwrap();
                                if i % 64 == 0 {
                                    tokio::task::yield_now().await;
                                }
                            }
                            (_, Some(tx)) => tx.send((p, i)).await.unwrap(),
                            _ => unreachable!(),
                        }
                        i += 1;
                    }
                    i
                })
            })
            .collect();
        drop((over, wait));
        let mut sent = 0;
        for task in senders {
            sent += task.await.unwrap();
        }
        for task in receivers {
            task.await.unwrap().finish(sent);
        }
        sent
    })
}

fn stress_threads(capacity: usize, backpressure: bool) -> usize {
    let start = Instant::now();
    let (over, wait, rx) = if backpressure {
        let (tx, rx) = broadcast::channel_with_backpressure::<(usize, usize)>(capacity);
        (None, Some(tx), rx)
    } else {
        let (tx, rx) = broadcast::channel::<(usize, usize)>(capacity);
        (Some(tx), None, rx)
    };
    let receivers: Vec<_> = (0..RECEIVERS)
        .map(|_| {
            let mut rx = rx.resubscribe();
            std::thread::spawn(move || {
                let mut seen = Seen::new(backpressure);
                while seen.take(rx.recv_blocking()) {}
                seen
            })
        })
        .collect();
    drop(rx);
    let senders: Vec<_> = (0..SENDERS)
        .map(|p| {
            let (over, wait) = (over.clone(), wait.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    match (&over, &wait) {
                        (Some(tx), _) => drop(tx.send((p, i)).unwrap()),
                        (_, Some(tx)) => tx.send_blocking((p, i)).unwrap(),
                        _ => unreachable!(),
                    }
                    i += 1;
                }
                i
            })
        })
        .collect();
    drop((over, wait));
    let sent: usize = senders.into_iter().map(|t| t.join().unwrap()).sum();
    for t in receivers {
        t.join().unwrap().finish(sent);
    }
    sent
}

#[test]
fn tasks_backpressure_every_value_to_every_receiver_capacity_1() {
    let sent = stress_tokio(1, true);
    println!("{SENDERS} senders, {RECEIVERS} receivers, capacity 1: {sent} values");
}

#[test]
#[cfg_attr(
    miri,
    ignore = "the same paths as its neighbours; Miri's time goes to those"
)]
fn tasks_backpressure_every_value_to_every_receiver_capacity_64() {
    let sent = stress_tokio(64, true);
    println!("{SENDERS} senders, {RECEIVERS} receivers, capacity 64: {sent} values");
}

#[test]
fn tasks_overwrite_every_value_received_or_reported_missed() {
    let sent = stress_tokio(4, false);
    println!("{SENDERS} senders, {RECEIVERS} receivers, capacity 4: {sent} values");
}

#[test]
#[cfg_attr(
    miri,
    ignore = "the same paths as its neighbours; Miri's time goes to those"
)]
fn threads_backpressure_every_value_to_every_receiver() {
    let sent = stress_threads(2, true);
    println!("{SENDERS} sender threads, {RECEIVERS} receiver threads: {sent} values");
}

#[test]
fn threads_overwrite_every_value_received_or_reported_missed() {
    let sent = stress_threads(2, false);
    println!("{SENDERS} sender threads, {RECEIVERS} receiver threads: {sent} values");
}

#[test]
fn the_stream_yields_values_and_lags_and_ends_with_the_senders() {
    use futures_util::StreamExt;
    let (tx, mut rx) = broadcast::channel::<u32>(2);
    let (f, w) = flag();
    let mut cx = Context::from_waker(&w);
    assert!(rx.poll_next_unpin(&mut cx).is_pending());
    for i in 0..4 {
        tx.send(i).unwrap();
    }
    assert_eq!(wakes(&f), 1, "the waiting stream was woken once");
    assert_eq!(
        rx.poll_next_unpin(&mut cx),
        Poll::Ready(Some(Err(RecvError::Lagged(2))))
    );
    assert_eq!(rx.poll_next_unpin(&mut cx), Poll::Ready(Some(Ok(2))));
    assert_eq!(rx.poll_next_unpin(&mut cx), Poll::Ready(Some(Ok(3))));
    assert!(rx.poll_next_unpin(&mut cx).is_pending());
    drop(tx);
    assert_eq!(wakes(&f), 2, "woken by the close");
    assert_eq!(rx.poll_next_unpin(&mut cx), Poll::Ready(None));
}
