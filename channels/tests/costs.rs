//! What one `send` and one `recv` cost, counted rather than timed: the
//! runtime's atomic read-modify-writes, fences and lock acquisitions, and the
//! primitive's RMWs, for each path, on one thread (so the counts are exact).
//! `slot`'s own atomic (an `AtomicU8`) is not counted: it is the core's.
//! `mpsc`'s ring uses the crate's counted `AtomicUsize`, so its CAS is.
//!
//! Run with
//! `RUSTFLAGS="--cfg diatomic_waker_count_rmw" cargo test -p diatomic-channels --test costs`
//! (the counters exist only under that cfg).
#![cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use diatomic_channels::__private::counter::{self, Counts};
use diatomic_channels::slot;

/// The runtime's counts and the primitive's RMWs, since the last call.
fn costs() -> (Counts, usize) {
    (counter::take(), diatomic_waker::__rmw_counter::take())
}

fn counts(rmws: usize, fences: usize, locks: usize) -> Counts {
    Counts {
        rmws,
        fences,
        locks,
    }
}

#[test]
fn send_and_recv_fast_paths() {
    let (tx, mut rx) = slot::channel::<u32>();
    costs();
    // The receiver is not waiting: one RMW on its waker's state word.
    tx.try_send(1).unwrap();
    assert_eq!(costs(), (counts(0, 0, 0), 1), "try_send, receiver busy");
    // Nobody is parked: one fence to check.
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(0, 1, 0), 0), "try_recv with an item");
    // The same through the futures.
    let mut cx = Context::from_waker(Waker::noop());
    assert!(pin!(tx.send(2)).poll(&mut cx).is_ready());
    assert_eq!(costs(), (counts(0, 0, 0), 1), "send().await, room");
    assert_eq!(pin!(rx.recv()).poll(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(costs(), (counts(0, 1, 0), 0), "recv().await, an item");
}

#[test]
fn receiver_waits_and_is_woken() {
    let (tx, mut rx) = slot::channel::<u32>();
    let mut cx = Context::from_waker(Waker::noop());
    assert!(rx.poll_recv(&mut cx).is_pending());
    let (runtime, primitive) = costs();
    assert_eq!(runtime, counts(0, 0, 0), "recv finding nothing");
    assert_eq!(primitive, 1, "registering a new waker: one RMW");
    tx.try_send(1).unwrap();
    assert_eq!(costs(), (counts(0, 0, 0), 2), "send waking the receiver");
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(costs(), (counts(0, 1, 0), 0), "the woken receiver takes it");
}

#[test]
fn blocked_send_gets_the_room_made_for_it() {
    let (tx, mut rx) = slot::channel::<u32>();
    let mut cx = Context::from_waker(Waker::noop());
    tx.try_send(0).unwrap();
    let mut blocked = pin!(tx.send(1));
    costs();
    assert!(blocked.as_mut().poll(&mut cx).is_pending());
    let (runtime, _) = costs();
    assert_eq!(
        runtime,
        counts(2, 1, 1),
        "park (lock, count, the line's mark as the first in it, fence); the \
         slot is certainly full, so no look for a room under the lock"
    );
    // The receiver takes the item and gives the room to the parked sender.
    assert_eq!(rx.try_recv(), Ok(0));
    let (runtime, primitive) = costs();
    assert_eq!(
        runtime,
        counts(2, 1, 1),
        "fence, then the room assigned (lock, count, the line's mark cleared \
         as the last leaves it)"
    );
    assert_eq!(primitive, 0, "no value moved: nobody to notify");
    // The woken sender takes its value back and pushes it: no retry.
    assert_eq!(blocked.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!(
        costs(),
        (counts(0, 0, 0), 1),
        "its resolved place read without the lock, then the push notifies \
         the receiver"
    );
    assert_eq!(rx.try_recv(), Ok(1));
}

/// The `mpsc` ring's own atomics go through the same counters: a push is one
/// compare-and-swap on the tail and one swap on the producer's own cell, and
/// the swap tells it whether the receiver sleeps: awake, it is not notified
/// at all (no RMW on the receiver's waker, a word every sender shares). A
/// pop is no RMW.
#[test]
fn mpsc_fast_paths() {
    let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(4);
    costs();
    tx.try_send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(2, 0, 0), 0),
        "push: one CAS, one swap; the receiver is awake: no notification"
    );
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(0, 1, 0), 0), "pop: no RMW; one fence");
    let mut cx = Context::from_waker(Waker::noop());
    assert!(pin!(tx.send(2)).poll(&mut cx).is_ready());
    assert_eq!(
        costs(),
        (counts(2, 0, 0), 0),
        "send().await with room: the same"
    );
    assert_eq!(rx.try_recv(), Ok(2));
    costs();
}

/// The receiver that goes to sleep on an `mpsc` ring marks the cell it waits
/// for (one CAS); the push into that cell finds the mark in its swap, and
/// only that push notifies. The next push, with the receiver awake, does not.
#[test]
fn mpsc_receiver_sleeps_and_is_woken_once() {
    let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(4);
    let mut cx = Context::from_waker(Waker::noop());
    costs();
    assert!(rx.poll_recv(&mut cx).is_pending());
    let (runtime, primitive) = costs();
    assert_eq!(
        runtime,
        counts(1, 0, 0),
        "recv finding nothing: the mark's CAS"
    );
    assert_eq!(primitive, 1, "registering a new waker: one RMW");
    tx.try_send(1).unwrap();
    let (runtime, primitive) = costs();
    assert_eq!(
        runtime,
        counts(2, 0, 0),
        "push: CAS, swap (which finds the mark)"
    );
    assert!(primitive >= 1, "the marked push notifies the receiver");
    tx.try_send(2).unwrap();
    assert_eq!(
        costs(),
        (counts(2, 0, 0), 0),
        "the next push: no notification"
    );
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(1)));
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(2)));
}

/// `spsc`'s ring has no RMW at all: a push is loads and a store, a pop the
/// same; the runtime adds the receiver's notification to a send, and the
/// blocked sender's notification to a receive.
#[test]
fn spsc_fast_paths() {
    let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u32>(4);
    costs();
    tx.try_send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(0, 0, 0), 1),
        "push: no RMW; notify: one RMW"
    );
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(
        costs(),
        (counts(0, 0, 0), 1),
        "pop: no RMW; the sender's waker: one RMW"
    );
}

/// `oneshot` (`channel()`'s halves, a state machine in one word, no
/// reference count, no [`DiatomicWaker`](diatomic_waker::DiatomicWaker)):
/// with nobody waiting, the send writes the value, publishes it and leaves
/// in one CAS; the receive is a load; the receiver's drop, finding the
/// sender gone, frees with no RMW.
#[test]
fn oneshot_paths() {
    let (tx, mut rx) = diatomic_channels::oneshot::channel::<u32>();
    costs();
    tx.send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(1, 0, 0), 0),
        "send and leave: one CAS; nobody to notify"
    );
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(0, 0, 0), 0), "receive: a load");
    drop(rx);
    assert_eq!(costs(), (counts(0, 0, 0), 0), "free: no RMW");
}

/// A `oneshot` round trip with the receiver waiting: its poll registers the
/// waker (one CAS, after the waker's clone); the send claims the waker with
/// its publishing CAS and leaves with a `fetch_xor` after taking it; the
/// value is then a load away, and the receiver's drop frees (no RMW).
#[test]
fn oneshot_round_trip_with_a_waiting_receiver() {
    let mut cx = Context::from_waker(Waker::noop());
    let (tx, mut rx) = diatomic_channels::oneshot::channel::<u32>();
    costs();
    assert!(std::pin::Pin::new(&mut rx).poll(&mut cx).is_pending());
    assert_eq!(costs(), (counts(1, 0, 0), 0), "register: one CAS");
    tx.send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(2, 0, 0), 0),
        "publish and claim the waker: one CAS; leave: one fetch_xor"
    );
    assert_eq!(
        std::pin::Pin::new(&mut rx).poll(&mut cx),
        Poll::Ready(Ok(1))
    );
    drop(rx);
    assert_eq!(
        costs(),
        (counts(0, 0, 0), 0),
        "receive: a load; free: no RMW"
    );
}

/// A receiver dropped while its sender lives leaves in one CAS (its done
/// and gone bits together); the sender's `send` then hands the value back
/// and frees, with no RMW.
#[test]
fn a_receiver_dropped_before_its_sender_closes() {
    let (tx, rx) = diatomic_channels::oneshot::channel::<u32>();
    costs();
    drop(rx);
    assert_eq!(costs(), (counts(1, 0, 0), 0), "leave: one CAS");
    assert_eq!(tx.send(1), Err(1));
    assert_eq!(
        costs(),
        (counts(0, 0, 0), 0),
        "the refused send frees: no RMW"
    );
}

/// `watch`: a send and a receive are each one CAS and one `fetch_xor` on
/// the state word; an overwrite costs no more.
#[test]
fn watch_paths() {
    let (tx, mut rx) = diatomic_channels::watch::channel::<u32>();
    costs();
    tx.send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(2, 0, 0), 1),
        "send: CAS, fetch_xor; notify"
    );
    tx.send(2).unwrap();
    assert_eq!(costs(), (counts(2, 0, 0), 1), "overwrite: the same");
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(
        costs(),
        (counts(2, 1, 0), 0),
        "take: CAS, fetch_xor; the fence"
    );
}

/// A reservation and its send, many producers: one CAS to count the permit,
/// the ring's CAS and swap for the push (the receiver is awake: no
/// notification), one RMW and one fence to give the permit back (and see
/// whether anyone waits for it).
#[test]
fn permit_paths() {
    let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(4);
    costs();
    let permit = tx.try_reserve().unwrap();
    assert_eq!(costs(), (counts(1, 0, 0), 0), "try_reserve: one CAS");
    permit.send(1);
    assert_eq!(
        costs(),
        (counts(3, 1, 0), 0),
        "send: the ring's CAS and swap; release: one RMW, one fence"
    );
    drop(tx.try_reserve().unwrap());
    assert_eq!(costs(), (counts(2, 1, 0), 0), "reserve and drop unused");
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
fn mpmc_fast_paths_and_a_waiting_receiver() {
    use diatomic_channels::mpmc;
    let (tx, rx) = mpmc::channel::<u32>(4);
    let other = rx.clone();
    costs();
    // No receiver waits: the ring's CAS on the tail, and a fence to look at
    // the line; no lock, nothing of the primitive.
    tx.try_send(1).unwrap();
    assert_eq!(
        costs(),
        (counts(1, 1, 0), 0),
        "try_send, no receiver waiting"
    );
    // The ring's CAS on the head, and the blocked senders' check.
    assert_eq!(other.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(1, 1, 0), 0), "try_recv with an item");
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(pin!(rx.recv()).poll(&mut cx), Poll::Pending);
    costs();
    // A receiver that waits: its future joins the line (one lock), is
    // woken by the push (one lock), and leaves with the item (no lock: the
    // push marked it notified).
    let mut waiting = pin!(rx.recv());
    assert!(waiting.as_mut().poll(&mut cx).is_pending());
    assert_eq!(
        costs(),
        (counts(1, 1, 1), 0),
        "join: the line's count under its lock and a fence (two looks find nothing)"
    );
    tx.try_send(2).unwrap();
    assert_eq!(
        costs(),
        (counts(2, 1, 1), 0),
        "the push, its fence, and the oldest receiver taken out, under the lock"
    );
    assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(
        costs(),
        (counts(1, 1, 0), 0),
        "notified: it leaves without the lock; the pop, the senders' check"
    );
}

#[test]
fn broadcast_paths() {
    use diatomic_channels::broadcast;
    // Overwrite (tokio's policy). A send: the senders' lock, and a fence
    // to look for waiting receivers; no RMW (every receiver's mark is past
    // the value it replaces).
    let (tx, mut rx) = broadcast::channel::<u32>(4);
    let mut other = tx.subscribe();
    costs();
    tx.send(1).unwrap();
    assert_eq!(costs(), (counts(0, 1, 1), 0), "send, nobody waiting");
    // A receive: no lock, and nothing on a line another receiver writes:
    // its mark stored and a fence before the clone, swapped after.
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(1, 1, 0), 0), "try_recv, a value");
    assert_eq!(other.try_recv(), Ok(1));
    costs();
    // A receiver that waits joins the line (its lock, its count, a fence);
    // the send takes it out under the lock once, and it leaves without.
    let mut cx = Context::from_waker(Waker::noop());
    let mut waiting = pin!(rx.recv());
    assert!(waiting.as_mut().poll(&mut cx).is_pending());
    assert_eq!(costs(), (counts(1, 1, 1), 0), "join");
    tx.send(2).unwrap();
    assert_eq!(costs(), (counts(1, 1, 2), 0), "send, waking one receiver");
    assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(costs(), (counts(1, 1, 0), 0), "woken: no lock to leave");
    // A receiver a ring behind: the send looks at every mark (a fence) and
    // marks the slot it replaces; the receiver is told it lagged.
    for i in 3..=6 {
        tx.send(i).unwrap();
    }
    costs();
    tx.send(7).unwrap();
    assert_eq!(
        costs(),
        (counts(0, 2, 1), 0),
        "send over a value not read by all"
    );
    assert_eq!(other.try_recv(), Err(broadcast::TryRecvError::Lagged(2)));

    // Backpressure. A send: the lock, plain loads and stores on its slot.
    let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(4);
    let mut other = tx.subscribe();
    costs();
    tx.try_send(1).unwrap();
    assert_eq!(costs(), (counts(0, 1, 1), 0), "try_send, room");
    // A receive: one RMW (its read counted); the last reader of a value
    // also looks for a waiting sender (a fence).
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(
        costs(),
        (counts(1, 0, 0), 0),
        "try_recv, not the last reader"
    );
    assert_eq!(other.try_recv(), Ok(1));
    assert_eq!(costs(), (counts(1, 1, 0), 0), "try_recv, the last reader");
}

#[test]
fn mpmc_force_send() {
    use diatomic_channels::mpmc;
    let (tx, rx) = mpmc::channel::<u32>(1);
    costs();
    // With room, it is a send: the ring's CAS on the tail and the fence
    // that looks for a waiting receiver.
    assert_eq!(tx.force_send(1), Ok(None));
    assert_eq!(costs(), (counts(1, 1, 0), 0), "force_send with room");
    // Full: the failed push (no RMW: the cell says full), the pop's CAS on
    // the head (without the senders' check: the room is refilled at once),
    // and the push again; no lock.
    assert_eq!(tx.force_send(2), Ok(Some(1)));
    assert_eq!(
        costs(),
        (counts(2, 1, 0), 0),
        "force_send taking the oldest out"
    );
    assert_eq!(rx.try_recv(), Ok(2));
}
