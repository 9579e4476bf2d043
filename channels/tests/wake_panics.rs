//! A waker that panics, where one call wakes several waiters: the panic
//! reaches the caller, and every other waiter due is still woken, once.
//! (The crate's semantics table: a panicking waker leaves the channel
//! usable.) Each case failed before the wakes ran through panics
//! (`through_panics.rs`): the line woke at most its first batch of 16, a
//! freed room's wake stopped the rooms after it, and a receiver's close
//! skipped the waiting receivers.

mod support;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use diatomic_channels::{broadcast, mpmc, RecvError};
use support::*;

fn panics(f: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(f)).is_err()
}

/// `n` wakers, the one at `bad` panicking on wake.
fn wakers(n: usize, bad: usize) -> Vec<(Arc<Flag>, Waker)> {
    (0..n)
        .map(|i| {
            let f = Arc::new(Flag {
                panic: i == bad,
                ..Flag::default()
            });
            (f.clone(), Waker::from(f))
        })
        .collect()
}

fn poll<F: Future + ?Sized>(f: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    f.poll(&mut Context::from_waker(waker))
}

/// Every waker but the panicking one was woken exactly once (the
/// panicking one too: its wake was called).
fn each_woken_once(wakers: &[(Arc<Flag>, Waker)], what: &str) {
    for (i, (flag, _)) in wakers.iter().enumerate() {
        assert_eq!(wakes(flag), 1, "{what}: waiter {i} woken once");
    }
}

/// More waiting receivers than one batch of the line: the last sender's
/// drop wakes them all, whichever one panics.
#[test]
fn the_last_senders_drop_wakes_every_receiver_past_a_panic() {
    const WAITING: usize = 20;
    for bad in [0, 15, 16, 19] {
        let (tx, rx) = mpmc::channel::<u32>(1);
        let receivers: Vec<_> = (0..WAITING).map(|_| rx.clone()).collect();
        let wakers = wakers(WAITING, bad);
        let mut recvs: Vec<_> = receivers.iter().map(|r| Box::pin(r.recv())).collect();
        for (recv, (_, waker)) in recvs.iter_mut().zip(&wakers) {
            assert!(poll(recv.as_mut(), waker).is_pending());
        }
        assert!(panics(|| drop(tx)), "the wake's panic reaches the drop");
        each_woken_once(&wakers, &format!("panic at {bad}"));
        for recv in &mut recvs {
            assert_eq!(
                poll(recv.as_mut(), Waker::noop()),
                Poll::Ready(Err(RecvError))
            );
        }
    }
}

/// A value every receiver reads: a send wakes each waiting receiver, past
/// a panicking one, and each then gets the value.
#[test]
fn a_broadcast_send_wakes_every_receiver_past_a_panic() {
    const WAITING: usize = 20;
    let (tx, rx) = broadcast::channel::<u32>(4);
    let mut receivers: Vec<_> = (0..WAITING).map(|_| rx.resubscribe()).collect();
    let wakers = wakers(WAITING, 3);
    {
        let mut recvs: Vec<_> = receivers.iter_mut().map(|r| Box::pin(r.recv())).collect();
        for (recv, (_, waker)) in recvs.iter_mut().zip(&wakers) {
            assert!(poll(recv.as_mut(), waker).is_pending());
        }
        assert!(panics(|| {
            let _ = tx.send(7);
        }));
        each_woken_once(&wakers, "send");
        for recv in &mut recvs {
            assert_eq!(poll(recv.as_mut(), Waker::noop()), Poll::Ready(Ok(7)));
        }
    }
    assert_eq!(tx.send(8), Ok(WAITING + 1), "the channel still works");
}

/// A backpressured broadcast receiver that goes frees several rooms at
/// once: each waiting send is woken, past a panicking one, and completes.
#[test]
fn a_receivers_drop_frees_every_room_past_a_panic() {
    const CAPACITY: usize = 4;
    const SENDS: usize = 3;
    let (tx, mut keeps_up) = broadcast::channel_with_backpressure::<usize>(CAPACITY);
    let lags = keeps_up.resubscribe();
    for v in 0..CAPACITY {
        tx.try_send(v).unwrap();
        assert_eq!(keeps_up.try_recv(), Ok(v));
    }
    // Every room is held by `lags` alone.
    let wakers = wakers(SENDS, 0);
    let mut sends: Vec<_> = (0..SENDS)
        .map(|v| Box::pin(tx.send(CAPACITY + v)))
        .collect();
    for (send, (_, waker)) in sends.iter_mut().zip(&wakers) {
        assert!(poll(send.as_mut(), waker).is_pending());
    }
    assert!(panics(|| drop(lags)), "the wake's panic reaches the drop");
    each_woken_once(&wakers, "freed rooms");
    for send in &mut sends {
        assert_eq!(poll(send.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
    }
    drop(sends);
    for v in CAPACITY..CAPACITY + SENDS {
        assert_eq!(keeps_up.try_recv(), Ok(v));
    }
}

/// A receiver closes an `mpmc` channel while a reservation waits (for
/// the room a held permit stands for) and another receiver waits: the
/// waiting reservation's waker panics, and the waiting receiver is told
/// all the same.
#[test]
fn a_receivers_close_tells_the_other_receivers_past_a_panic() {
    let (tx, rx) = mpmc::channel::<u32>(1);
    let other = rx.clone();
    let permit = tx.try_reserve().unwrap();
    let (sender, sender_waker) = wakers(1, 0).pop().unwrap();
    let mut reserve = Box::pin(tx.reserve());
    assert!(poll(reserve.as_mut(), &sender_waker).is_pending());
    let (receiver, receiver_waker) = flag();
    let mut recv = Box::pin(other.recv());
    assert!(poll(recv.as_mut(), &receiver_waker).is_pending());
    assert!(panics(|| rx.close()), "the wake's panic reaches close");
    assert_eq!(wakes(&sender), 1);
    assert_eq!(wakes(&receiver), 1, "the waiting receiver is told");
    assert!(matches!(
        poll(reserve.as_mut(), Waker::noop()),
        Poll::Ready(Err(_))
    ));
    drop(permit);
    assert_eq!(
        poll(recv.as_mut(), Waker::noop()),
        Poll::Ready(Err(RecvError))
    );
}

/// The last receiver of a backpressured `broadcast` goes while sends wait
/// for room, one of whose wakers panics, and senders wait in `closed`:
/// every send is failed and every `closed` completes all the same.
#[test]
fn the_last_broadcast_receiver_tells_closed_past_a_panicking_send() {
    const SENDS: usize = 3;
    const CLOSED: usize = 2;
    let (tx, rx) = broadcast::channel_with_backpressure::<usize>(1);
    tx.try_send(0).unwrap();
    let send_wakers = wakers(SENDS, 1);
    let mut sends: Vec<_> = (1..=SENDS).map(|v| Box::pin(tx.send(v))).collect();
    for (send, (_, waker)) in sends.iter_mut().zip(&send_wakers) {
        assert!(poll(send.as_mut(), waker).is_pending());
    }
    let closed_wakers = wakers(CLOSED, usize::MAX);
    let mut closed: Vec<_> = (0..CLOSED).map(|_| Box::pin(tx.closed())).collect();
    for (c, (_, waker)) in closed.iter_mut().zip(&closed_wakers) {
        assert!(poll(c.as_mut(), waker).is_pending());
    }
    assert!(panics(|| drop(rx)), "the wake's panic reaches the drop");
    each_woken_once(&send_wakers, "sends failed");
    each_woken_once(&closed_wakers, "closed");
    for (v, send) in (1..).zip(&mut sends) {
        assert!(matches!(
            poll(send.as_mut(), Waker::noop()),
            Poll::Ready(Err(e)) if e.0 == v
        ));
    }
    for c in &mut closed {
        assert_eq!(poll(c.as_mut(), Waker::noop()), Poll::Ready(()));
    }
}
