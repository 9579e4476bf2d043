//! Loom models of the channel runtime's races, through `diatomic-waker`'s
//! Loom switch (`--cfg diatomic_waker_loom` makes the primitive's and the
//! runtime's atomics Loom's).
//!
//! Run from `channels/` with:
//! `RUSTFLAGS="--cfg diatomic_waker_loom" cargo test --release --test loom`
#![cfg(diatomic_waker_loom)]

use std::collections::VecDeque;

use diatomic_channels::{
    async_channel, broadcast, mpmc, mpsc, oneshot, slot, spsc, watch, Channel, ChannelCore,
    Consumer, Many, One, Producer, RecvError, SendOrder, TrySendError,
};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Waker};

use futures_core::stream::FusedStream;

use loom::sync::Mutex;
use loom::thread;

fn model(f: impl Fn() + Sync + Send + 'static) {
    model_with_bound(3, f);
}

/// The bound of the heaviest models: `full`, or 1 when the reliability
/// suite runs in its quick mode (`DIATOMIC_LOOM_QUICK` set and not empty:
/// CI's run, where these two took over six minutes at bound 2; bound 1
/// takes seconds). `.ci/reliability full` runs them at `full`.
fn heavy_bound(full: usize) -> usize {
    match std::env::var_os("DIATOMIC_LOOM_QUICK") {
        Some(quick) if !quick.is_empty() => 1,
        _ => full,
    }
}

/// Runs a model with `bound` preemptions unless `LOOM_MAX_PREEMPTIONS` says
/// otherwise.
fn model_with_bound(bound: usize, f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(bound);
    }
    builder.check(f);
}

/// A toy core of capacity 2 over Loom's mutex, many producers.
#[async_channel(sender = PairSender, receiver = PairReceiver)]
struct Pair {
    items: Mutex<VecDeque<u32>>,
}

impl ChannelCore for Pair {
    type Item = u32;
    fn try_push(&self, item: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        let mut items = self.items.lock().unwrap();
        if items.len() == 2 {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        self.items.lock().unwrap().pop_front()
    }
}

fn pair() -> (PairSender, PairReceiver) {
    Pair {
        items: Mutex::new(VecDeque::new()),
    }
    .into_channel()
}

/// The same with one producer.
#[async_channel(sender = SoloSender, receiver = SoloReceiver, producers = one)]
struct Solo {
    items: Mutex<VecDeque<u32>>,
}

impl ChannelCore for Solo {
    type Item = u32;
    fn try_push(&self, item: u32, _: Producer<'_, One>) -> Result<(), u32> {
        let mut items = self.items.lock().unwrap();
        if !items.is_empty() {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        self.items.lock().unwrap().pop_front()
    }
}

#[test]
fn send_races_close_slot() {
    model(|| {
        let (tx, mut rx) = slot::channel::<u32>();
        let t = thread::spawn(move || tx.try_send(1));
        rx.close();
        let sent = t.join().unwrap();
        // Either the item got in before the close (and can be drained), or
        // the sender was told the channel is closed and got it back.
        match sent {
            Ok(()) => assert_eq!(rx.try_recv(), Ok(1)),
            Err(e) => assert_eq!(e, TrySendError::Closed(1)),
        }
        assert!(rx.try_recv().is_err());
    });
}

#[test]
fn recv_races_last_sender_drop_capacity_2() {
    model(|| {
        let (tx, mut rx) = pair();
        let t = thread::spawn(move || {
            tx.try_send(1).unwrap();
            tx.try_send(2).unwrap();
            drop(tx);
        });
        // Nothing sent may be lost to the "closed" report.
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

#[test]
fn recv_races_last_sender_drop_slot() {
    model(|| {
        let (tx, mut rx) = slot::channel::<u32>();
        let t = thread::spawn(move || {
            tx.try_send(7).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(7));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

#[test]
fn blocked_send_races_recv_slot() {
    model(|| {
        let (tx, mut rx) = slot::channel::<u32>();
        let t = thread::spawn(move || {
            loom::future::block_on(tx.send(1)).unwrap();
            loom::future::block_on(tx.send(2)).unwrap(); // blocks until 1 is taken
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        t.join().unwrap();
    });
}

#[test]
fn blocked_send_races_recv_one_producer() {
    model(|| {
        let (mut tx, mut rx) = Solo {
            items: Mutex::new(VecDeque::new()),
        }
        .into_channel();
        let t = thread::spawn(move || {
            loom::future::block_on(tx.send(1)).unwrap();
            loom::future::block_on(tx.send(2)).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

#[test]
fn blocked_send_races_close_capacity_2() {
    model(|| {
        let (tx, mut rx) = pair();
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        let t = thread::spawn(move || loom::future::block_on(tx.send(3)));
        rx.close();
        // The blocked sender is woken and gets its value back, unless it got
        // in first (impossible here: the queue is full until drained below).
        assert_eq!(t.join().unwrap().unwrap_err().0, 3);
        assert_eq!(rx.try_recv(), Ok(1));
        assert_eq!(rx.try_recv(), Ok(2));
    });
}

/// Three threads: bound 2 (under the wake-all rule, bound 3 took over ten
/// minutes; bound 2 takes four and a half, so 1 in the quick mode).
#[test]
fn two_blocked_senders_race_recv_slot() {
    model_with_bound(heavy_bound(2), || {
        let (tx, mut rx) = slot::channel::<u32>();
        tx.try_send(0).unwrap();
        let tx2 = tx.clone();
        let a = thread::spawn(move || loom::future::block_on(tx.send(1)).unwrap());
        let b = thread::spawn(move || loom::future::block_on(tx2.send(2)).unwrap());
        let mut got: Vec<u32> = (0..3)
            .map(|_| loom::future::block_on(rx.recv()).unwrap())
            .collect();
        got.sort_unstable();
        assert_eq!(got, [0, 1, 2]);
        a.join().unwrap();
        b.join().unwrap();
    });
}

/// A blocked send future is forgotten while parked, first in line: the
/// first room made goes to it and is never used, yet the live sender gets
/// through (the next room, or the forgotten one's once nobody waits in
/// line), and the forgotten value is never received.
#[test]
fn forgotten_blocked_sender_races_recv_and_a_live_sender_capacity_2() {
    model(|| {
        let (tx, mut rx) = pair();
        tx.try_send(0).unwrap();
        tx.try_send(1).unwrap();
        let tx2 = tx.clone();
        let mut a = Box::pin(tx.send(10));
        let parked = a.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(parked.is_pending(), "the core is full");
        // Never polled again. (Dropped after the model's checks rather than
        // leaked, so that Loom's leak check stays meaningful.)
        let forgotten = ManuallyDrop::new(a);
        let b = thread::spawn(move || loom::future::block_on(tx2.send(2)).unwrap());
        let got: Vec<u32> = (0..3)
            .map(|_| loom::future::block_on(rx.recv()).unwrap())
            .collect();
        assert_eq!(got, [0, 1, 2]);
        b.join().unwrap();
        assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Empty));
        drop(ManuallyDrop::into_inner(forgotten));
    });
}

/// A parked send future is dropped after the receiver made room for it,
/// racing a second sender that blocks: the room passes to that sender, and
/// the dropped future's value is never received.
#[test]
fn room_of_a_dropped_send_passes_to_the_next_slot() {
    model(|| {
        let (tx, mut rx) = slot::channel::<u32>();
        tx.try_send(0).unwrap();
        let tx2 = tx.clone();
        let mut a = Box::pin(tx.send(10));
        let parked = a.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(parked.is_pending(), "the slot is full");
        let b = thread::spawn(move || loom::future::block_on(tx2.send(2)).unwrap());
        assert_eq!(loom::future::block_on(rx.recv()), Ok(0)); // the room is A's
        drop(a);
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        b.join().unwrap();
        assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Empty));
    });
}

/// An item whose drops are counted.
struct Counted(u32, Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::Relaxed);
    }
}

/// A send future is polled once and dropped, racing the receiver making
/// room: it completed in that poll (its value is received), or it has not
/// sent (its value is dropped, never received, and its room is free).
#[test]
fn dropped_blocked_sender_races_room_made_slot() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = slot::channel::<Counted>();
        tx.try_send(Counted(0, drops.clone())).unwrap();
        let tx2 = tx.clone();
        let d = drops.clone();
        let t = thread::spawn(move || {
            let mut fut = Box::pin(tx.send(Counted(1, d)));
            let polled = fut.as_mut().poll(&mut Context::from_waker(Waker::noop()));
            drop(fut); // cancels, racing the receiver's room for it
            polled.is_ready()
        });
        let first = loom::future::block_on(rx.recv()).unwrap();
        assert_eq!(first.0, 0);
        drop(first);
        if t.join().unwrap() {
            let second = rx.try_recv().unwrap();
            assert_eq!(second.0, 1);
            assert_eq!(drops.load(Ordering::Relaxed), 1);
            drop(second);
        } else {
            assert!(rx.try_recv().is_err(), "a cancelled send was delivered");
            assert_eq!(drops.load(Ordering::Relaxed), 2);
            // Its room is free.
            assert!(tx2.try_send(Counted(2, drops.clone())).is_ok());
        }
    });
}

/// The receiver takes an item (making room for a parked sender) and
/// closes, racing a sender that parks: the value is delivered once or
/// handed back once.
#[test]
fn room_made_races_park_and_close_capacity_2() {
    model(|| {
        let (tx, mut rx) = pair();
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        let t = thread::spawn(move || loom::future::block_on(tx.send(3)));
        assert_eq!(rx.try_recv(), Ok(1));
        rx.close();
        // (A send that began before the close may complete after it: drain
        // once the sender is done.)
        let sent = t.join().unwrap();
        let mut rest = Vec::new();
        while let Ok(v) = rx.try_recv() {
            rest.push(v);
        }
        match sent {
            Ok(()) => assert_eq!(rest, [2, 3]),
            Err(e) => {
                assert_eq!(e.0, 3);
                assert_eq!(rest, [2]);
            }
        }
    });
}

// ---- the `mpsc` ring ----

/// Two producers race the consumer on a ring of capacity 2 in its second lap
/// (positions wrapped): every accepted item is received once, after the one
/// queued before, and a refused one was refused because the ring was full.
/// Three threads: bound 2.
#[test]
fn mpsc_two_producers_race_the_consumer_after_wrap_around() {
    model_with_bound(2, || {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        for i in 0..2 {
            tx.try_send(i).unwrap();
        }
        assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(0), Ok(1)));
        tx.try_send(2).unwrap();
        let tx2 = tx.clone();
        let a = thread::spawn(move || tx.try_send(10).is_ok());
        let b = thread::spawn(move || tx2.try_send(20).is_ok());
        let mut got = Vec::new();
        if let Ok(v) = rx.try_recv() {
            got.push(v);
        }
        let sent = [a.join().unwrap(), b.join().unwrap()];
        while let Ok(v) = rx.try_recv() {
            got.push(v);
        }
        assert_eq!(got[0], 2, "FIFO: the item queued first comes first");
        let mut expected = vec![2];
        expected.extend(
            [10, 20]
                .iter()
                .zip(sent)
                .filter(|(_, s)| *s)
                .map(|(v, _)| *v),
        );
        got.sort_unstable();
        assert_eq!(got, expected);
        // Without a pop between them, only one of the two fits.
        assert!(sent.iter().any(|s| *s));
    });
}

#[test]
fn mpsc_send_races_close() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let t = thread::spawn(move || tx.try_send(1));
        rx.close();
        match t.join().unwrap() {
            Ok(()) => assert_eq!(rx.try_recv(), Ok(1)),
            Err(e) => assert_eq!(e, TrySendError::Closed(1)),
        }
        assert!(rx.try_recv().is_err());
    });
}

#[test]
fn mpsc_recv_races_last_sender_drop_capacity_2() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        let t = thread::spawn(move || {
            tx.try_send(1).unwrap();
            tx.try_send(2).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

/// The receiver is dropped while a producer fills the ring: every item is
/// dropped exactly once, refused or queued.
#[test]
fn mpsc_receiver_dropped_with_items_queued() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel::<Counted>(2);
        let d = drops.clone();
        let t = thread::spawn(move || {
            for i in 0..2 {
                drop(tx.try_send(Counted(i, d.clone())));
            }
        });
        drop(rx);
        t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    });
}

/// A send blocked on a full ring of capacity 1 is given the room made by the
/// receiver.
#[test]
fn mpsc_blocked_send_races_recv_capacity_1() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let t = thread::spawn(move || {
            loom::future::block_on(tx.send(1)).unwrap();
            loom::future::block_on(tx.send(2)).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

/// The receiver goes to sleep on the ring (it marks the cell it waits for)
/// while two producers push, in every interleaving: one may claim its
/// position before the mark and publish after it. The push of the item the
/// receiver waits for finds the mark and wakes it; nothing is lost. The
/// senders stay alive until both items are received, so no sender's drop
/// (which always notifies) can hide a lost wakeup; `block_on` would report
/// one as a deadlock. Capacity 2, in its second lap. Three threads: bound 2.
#[test]
fn mpsc_pushes_race_the_receiver_going_to_sleep() {
    model_with_bound(2, || {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        tx.try_send(0).unwrap();
        assert_eq!(rx.try_recv(), Ok(0));
        let keep = tx.clone();
        let tx2 = tx.clone();
        let a = thread::spawn(move || tx.try_send(1).unwrap());
        let b = thread::spawn(move || tx2.try_send(2).unwrap());
        let first = loom::future::block_on(rx.recv()).unwrap();
        let second = loom::future::block_on(rx.recv()).unwrap();
        let mut got = [first, second];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
        a.join().unwrap();
        b.join().unwrap();
        drop(keep);
    });
}

/// A receiver that went to sleep and was woken by the marked push goes to
/// sleep again on the next cell, capacity 1 (positions of two laps): the
/// second push, racing that second sleep, wakes it too.
#[test]
fn mpsc_receiver_sleeps_twice_capacity_1() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let keep = tx.clone();
        let t = thread::spawn(move || {
            loom::future::block_on(tx.send(1)).unwrap();
            loom::future::block_on(tx.send(2)).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        t.join().unwrap();
        drop(keep);
    });
}

// ---- mpmc ----

/// Two receivers wait (or not yet) while two pushes come: each push wakes
/// one receiver, and both get an item.
#[test]
fn mpmc_two_pushes_race_two_waiting_receivers() {
    model_with_bound(2, || {
        let (tx, rx) = mpmc::channel::<u32>(2);
        let rx2 = rx.clone();
        let r = thread::spawn(move || loom::future::block_on(rx2.recv()));
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        let mine = loom::future::block_on(rx.recv()).unwrap();
        let theirs = r.join().unwrap().unwrap();
        let mut got = [mine, theirs];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
    });
}

/// A forced send into a full channel races a receiver: each item is
/// received once or taken out (returned) once, and the receiver, which
/// waits for both, is never left asleep.
#[test]
fn mpmc_force_send_races_a_receiver() {
    model(|| {
        let (tx, rx) = mpmc::channel::<u32>(1);
        tx.try_send(1).unwrap();
        let t = thread::spawn(move || tx.force_send(2).unwrap());
        let mut seen = Vec::new();
        while let Ok(v) = loom::future::block_on(rx.recv()) {
            seen.push(v);
        }
        seen.extend(t.join().unwrap());
        seen.sort_unstable();
        assert_eq!(seen, [1, 2]);
    });
}

/// A forced send races another sender, which takes the room it freed,
/// and a receiver's take: its value then waits in line, and either the
/// take sees it there or the forced send's look after parking it sees the
/// room (without that look, a take between the failed push and the
/// parking leaves the value stranded in line, which the final drain
/// reports). Every item once: received, or returned as taken out.
#[test]
fn mpmc_force_send_races_a_send_and_a_take() {
    model(|| {
        let (tx, rx) = mpmc::channel::<u32>(1);
        tx.try_send(1).unwrap();
        let (tx2, rx2) = (tx.clone(), rx.clone());
        let t = thread::spawn(move || {
            let sent = tx2.try_send(3).is_ok();
            (sent, rx2.try_recv().ok())
        });
        let taken_out = tx.force_send(2).unwrap();
        let (sent, got) = t.join().unwrap();
        let mut seen: Vec<u32> = taken_out.into_iter().chain(got).collect();
        while let Ok(v) = rx.try_recv() {
            seen.push(v);
        }
        seen.sort_unstable();
        let expected: &[u32] = if sent { &[1, 2, 3] } else { &[1, 2] };
        assert_eq!(seen, expected);
    });
}

/// A receive future woken for an item and dropped before it took it,
/// racing another receiver going to sleep: the wakeup goes on, and the
/// other receiver gets the item.
#[test]
fn mpmc_woken_receive_dropped_passes_its_wake_on() {
    model_with_bound(2, || {
        let (tx, rx) = mpmc::channel::<u32>(2);
        let rx2 = rx.clone();
        let mut first = Box::pin(rx.recv());
        let waited = first.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(waited.is_pending(), "empty: it joins the line");
        let r = thread::spawn(move || loom::future::block_on(rx2.recv()));
        // Kept until the item is received: the last sender's drop, which
        // wakes every receiver, would hide a lost wakeup.
        let keep = tx.clone();
        let s = thread::spawn(move || tx.try_send(7).unwrap());
        s.join().unwrap();
        drop(first);
        assert_eq!(r.join().unwrap(), Ok(7));
        drop(keep);
    });
}

/// Two producers race two receivers (one waiting, one coming): a pop may
/// find the first position won but not yet written while the second is
/// written and announced. The receiver told of the second owes its
/// wakeup: both receivers still get an item.
#[test]
fn mpmc_item_hidden_behind_a_push_being_written_is_still_received() {
    model_with_bound(heavy_bound(2), || {
        let (tx, rx) = mpmc::channel::<u32>(2);
        let tx2 = tx.clone();
        // Kept until both items are in: the last sender's drop, which
        // wakes every receiver, would hide a lost wakeup.
        let keep = tx.clone();
        let rx2 = rx.clone();
        let a = thread::spawn(move || tx.try_send(1).unwrap());
        let b = thread::spawn(move || tx2.try_send(2).unwrap());
        let r = thread::spawn(move || loom::future::block_on(rx2.recv()));
        let mine = loom::future::block_on(rx.recv()).unwrap();
        let theirs = r.join().unwrap().unwrap();
        a.join().unwrap();
        b.join().unwrap();
        drop(keep);
        let mut got = [mine, theirs];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
    });
}

/// The last sender leaves while two receivers wait or are about to: both
/// learn of the close.
#[test]
fn mpmc_last_sender_drop_wakes_every_receiver() {
    model_with_bound(2, || {
        let (tx, rx) = mpmc::channel::<u32>(1);
        let rx2 = rx.clone();
        let r = thread::spawn(move || loom::future::block_on(rx2.recv()));
        let s = thread::spawn(move || drop(tx));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        s.join().unwrap();
        assert_eq!(r.join().unwrap(), Err(RecvError));
    });
}

// ---- watch::shared ----

/// A send races two receivers waiting for a change (or about to): each is
/// told, and reads the new value.
#[test]
fn watch_shared_send_races_two_waiting_receivers() {
    model_with_bound(2, || {
        let (tx, mut rx) = watch::shared::channel(0u32);
        let mut rx2 = rx.clone();
        let r = thread::spawn(move || {
            loom::future::block_on(rx2.changed()).unwrap();
            *rx2.borrow()
        });
        let s = thread::spawn(move || {
            tx.send(1).unwrap();
            tx // kept: its drop would wake the receivers too
        });
        loom::future::block_on(rx.changed()).unwrap();
        assert_eq!(*rx.borrow(), 1);
        assert_eq!(r.join().unwrap(), 1);
        drop(s.join().unwrap());
    });
}

/// The last sender leaves while a receiver waits for a change: it learns
/// of the close.
#[test]
fn watch_shared_last_sender_drop_races_changed() {
    model(|| {
        let (tx, mut rx) = watch::shared::channel(0u32);
        let s = thread::spawn(move || drop(tx));
        assert_eq!(loom::future::block_on(rx.changed()), Err(RecvError));
        s.join().unwrap();
    });
}

/// `broadcast`'s `closed` races the last receiver's drop: it completes (a
/// wakeup lost between its look at the count and its place in the line
/// would leave `block_on` waiting for good, which Loom reports).
#[test]
fn broadcast_closed_races_the_last_receivers_drop() {
    model(|| {
        let (tx, rx) = broadcast::channel::<u32>(1);
        let r = thread::spawn(move || drop(rx));
        loom::future::block_on(tx.closed());
        assert!(tx.is_closed());
        r.join().unwrap();
    });
}

/// `watch::shared`'s `closed` races the last receiver's drop: it completes.
#[test]
fn watch_shared_closed_races_the_last_receivers_drop() {
    model(|| {
        let (tx, rx) = watch::shared::channel(0u32);
        let r = thread::spawn(move || drop(rx));
        loom::future::block_on(tx.closed());
        assert!(tx.is_closed());
        r.join().unwrap();
    });
}

/// A sender's `close` races a waiting receive, with many receivers (the
/// line): the receive ends (a lost wakeup leaves `block_on` waiting for
/// good, which Loom reports as a deadlock).
#[test]
fn mpmc_sender_close_races_a_waiting_receive() {
    model(|| {
        let (tx, rx) = mpmc::channel::<u32>(1);
        let other = rx.clone();
        // The receiver is handed back, so that its drop does not close
        // the channel first.
        let r = thread::spawn(move || (loom::future::block_on(rx.recv()), rx));
        assert!(tx.close());
        assert_eq!(r.join().unwrap().0, Err(RecvError));
        assert_eq!(
            other.try_recv(),
            Err(diatomic_channels::TryRecvError::Closed)
        );
    });
}

/// The same with one receiver, woken through the primitive.
#[test]
fn mpsc_sender_close_races_a_waiting_receive() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let r = thread::spawn(move || (loom::future::block_on(rx.recv()), rx));
        assert!(tx.close());
        assert_eq!(r.join().unwrap().0, Err(RecvError));
    });
}

// ---- FusedStream: the end is told only once it is final ----

/// A receiver asks whether its stream has ended while the last sender
/// sends and goes: never, since nobody takes the item. (Fails if the
/// look at the senders' count is Relaxed: the count at zero, the push
/// not seen.)
#[test]
fn fused_mpsc_does_not_end_before_the_last_senders_item() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let t = thread::spawn(move || {
            tx.try_send(1).unwrap();
            drop(tx);
        });
        assert!(!rx.is_terminated(), "an item is on its way");
        t.join().unwrap();
        assert!(!rx.is_terminated(), "an item is left");
        assert_eq!(rx.try_recv(), Ok(1));
        assert!(rx.is_terminated());
    });
}

/// Two receivers: one takes what it can while the last sender sends and
/// goes; the other's stream may end only if the item was taken.
#[test]
fn fused_mpmc_ends_only_once_the_item_is_taken() {
    model(|| {
        let (tx, rx) = mpmc::channel::<u32>(1);
        let other = rx.clone();
        let sender = thread::spawn(move || {
            tx.try_send(1).unwrap();
            drop(tx);
        });
        let taker = thread::spawn(move || other.try_recv().ok());
        let ended = rx.is_terminated();
        sender.join().unwrap();
        let taken = taker.join().unwrap();
        if ended {
            assert_eq!(taken, Some(1), "ended with the item left");
        }
        assert_eq!(rx.is_terminated(), taken.is_some());
    });
}

/// `broadcast`: the close is read before the tail, so a receiver that has
/// read nothing never sees its stream end. (Fails with the two reads
/// swapped: the old tail, then the close.)
#[test]
fn fused_broadcast_does_not_end_before_the_last_senders_value() {
    model(|| {
        let (tx, mut rx) = broadcast::channel::<u32>(1);
        let t = thread::spawn(move || {
            tx.send(1).unwrap();
            drop(tx);
        });
        assert!(!rx.is_terminated(), "a value is on its way");
        t.join().unwrap();
        assert_eq!(rx.try_recv(), Ok(1));
        assert!(rx.is_terminated());
    });
}

// ---- broadcast ----

/// A send overwrites the only slot (capacity 1) while a receiver clones
/// its value: the clone reads a whole value (Loom checks the cell's
/// accesses), and the receiver gets both values or is told it missed the
/// first.
#[test]
fn broadcast_overwrite_races_a_clone_of_the_value_it_replaces() {
    model(|| {
        let (tx, mut rx) = broadcast::channel::<u32>(1);
        tx.send(1).unwrap();
        let s = thread::spawn(move || {
            tx.send(2).unwrap();
        });
        let first = rx.try_recv();
        s.join().unwrap();
        match first {
            Ok(1) => assert_eq!(rx.try_recv(), Ok(2)),
            Err(broadcast::TryRecvError::Lagged(1)) => assert_eq!(rx.try_recv(), Ok(2)),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(rx.try_recv(), Err(broadcast::TryRecvError::Closed));
    });
}

/// Capacity 2, three sends racing two receivers that read on another
/// thread each: the third send overwrites without looking at the marks when
/// every receiver is past the value it replaces, and looks (and may wait
/// for a clone) when one is not. Each receiver gets every value in order
/// or is told how many it missed. (This model caught a mark stored
/// Relaxed, which a send's Acquire look did not synchronize with.)
#[test]
fn broadcast_overwrites_race_two_receivers_cloning() {
    model_with_bound(1, || {
        let (tx, mut a) = broadcast::channel::<u32>(2);
        let mut b = tx.subscribe();
        let s = thread::spawn(move || {
            for i in 1..=3 {
                tx.send(i).unwrap();
            }
        });
        let follow = |rx: &mut broadcast::Receiver<u32>| {
            let (mut seen, mut last) = (0, 0);
            loop {
                match loom::future::block_on(rx.recv()) {
                    Ok(v) => {
                        assert!(v > last, "in order, once");
                        last = v;
                        seen += 1;
                    }
                    Err(broadcast::RecvError::Lagged(n)) => seen += n,
                    Err(broadcast::RecvError::Closed) => return seen,
                }
            }
        };
        let r = thread::spawn(move || follow(&mut b));
        assert_eq!(follow(&mut a), 3);
        assert_eq!(r.join().unwrap(), 3);
        s.join().unwrap();
    });
}

/// A send races two receivers waiting (or about to): both get the value.
#[test]
fn broadcast_send_wakes_every_waiting_receiver() {
    model_with_bound(2, || {
        let (tx, mut rx) = broadcast::channel::<u32>(2);
        let mut rx2 = tx.subscribe();
        let r = thread::spawn(move || loom::future::block_on(rx2.recv()));
        let s = thread::spawn(move || {
            tx.send(7).unwrap();
            tx // kept: its drop would wake the receivers too
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(7));
        assert_eq!(r.join().unwrap(), Ok(7));
        drop(s.join().unwrap());
    });
}

/// Backpressure, capacity 1: a sender sends two values while two receivers
/// read them; the second send waits for both readers of the first.
#[test]
fn broadcast_backpressure_send_waits_for_both_receivers() {
    model_with_bound(1, || {
        let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(1);
        let mut rx2 = tx.subscribe();
        let s = thread::spawn(move || {
            for i in 1..=2 {
                loom::future::block_on(tx.send(i)).unwrap();
            }
        });
        let r = thread::spawn(move || {
            let a = loom::future::block_on(rx2.recv());
            let b = loom::future::block_on(rx2.recv());
            (a, b)
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(r.join().unwrap(), (Ok(1), Ok(2)));
        s.join().unwrap();
    });
}

/// Backpressure, capacity 1: a receiver that fell behind is dropped while
/// a send waits for it; the send completes and the other receiver reads.
#[test]
fn broadcast_receiver_dropped_while_behind_frees_the_waiting_send() {
    model(|| {
        let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(1);
        let behind = tx.subscribe();
        tx.try_send(1).unwrap();
        let s = thread::spawn(move || {
            loom::future::block_on(tx.send(2)).unwrap();
        });
        let d = thread::spawn(move || drop(behind));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        d.join().unwrap();
        s.join().unwrap();
    });
}

/// Overwrite: a receiver that lags is dropped while a send overwrites its
/// values; the remaining receiver reads on.
#[test]
fn broadcast_receiver_dropped_while_lagging() {
    model(|| {
        let (tx, mut rx) = broadcast::channel::<u32>(1);
        let lagging = tx.subscribe();
        tx.send(1).unwrap();
        let d = thread::spawn(move || drop(lagging));
        tx.send(2).unwrap();
        d.join().unwrap();
        assert_eq!(rx.try_recv(), Err(broadcast::TryRecvError::Lagged(1)));
        assert_eq!(rx.try_recv(), Ok(2));
        assert_eq!(tx.receiver_count(), 1);
    });
}

/// The last sender leaves while a receiver waits: it reads what is left,
/// then learns of the close.
#[test]
fn broadcast_last_sender_drop_races_recv() {
    model(|| {
        let (tx, mut rx) = broadcast::channel::<u32>(1);
        let s = thread::spawn(move || {
            tx.send(1).unwrap();
            drop(tx);
        });
        let first = loom::future::block_on(rx.recv());
        assert_eq!(first, Ok(1));
        assert_eq!(
            loom::future::block_on(rx.recv()),
            Err(broadcast::RecvError::Closed)
        );
        s.join().unwrap();
    });
}

// ---- spsc ----

/// After the indices have wrapped (capacity 2), one producer sends three
/// items, blocking on the full ring, while the consumer takes them: all
/// arrive, in order.
#[test]
fn spsc_blocked_send_races_recv_after_wrap_around() {
    model(|| {
        let (mut tx, mut rx) = spsc::channel::<u32>(2);
        for i in 0..3 {
            tx.try_send(i).unwrap();
            assert_eq!(rx.try_recv(), Ok(i));
        }
        let t = thread::spawn(move || {
            for i in 10..13 {
                loom::future::block_on(tx.send(i)).unwrap();
            }
        });
        for i in 10..13 {
            assert_eq!(loom::future::block_on(rx.recv()), Ok(i));
        }
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

#[test]
fn spsc_send_races_close() {
    model(|| {
        let (mut tx, mut rx) = spsc::channel::<u32>(1);
        let t = thread::spawn(move || tx.try_send(1));
        rx.close();
        match t.join().unwrap() {
            Ok(()) => assert_eq!(rx.try_recv(), Ok(1)),
            Err(e) => assert_eq!(e, TrySendError::Closed(1)),
        }
        assert!(rx.try_recv().is_err());
    });
}

#[test]
fn spsc_recv_races_last_sender_drop_capacity_2() {
    model(|| {
        let (mut tx, mut rx) = spsc::channel::<u32>(2);
        let t = thread::spawn(move || {
            tx.try_send(1).unwrap();
            tx.try_send(2).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

/// The receiver is dropped while the producer fills the ring: every item
/// is dropped exactly once, refused or queued.
#[test]
fn spsc_receiver_dropped_with_items_queued() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut tx, rx) = spsc::channel::<Counted>(2);
        let d = drops.clone();
        let t = thread::spawn(move || {
            for i in 0..2 {
                drop(tx.try_send(Counted(i, d.clone())));
            }
        });
        drop(rx);
        t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    });
}

/// `closed` of the one sender, racing the receiver's drop, completes.
#[test]
fn spsc_closed_races_receiver_drop() {
    model(|| {
        let (mut tx, rx) = spsc::channel::<u32>(1);
        let t = thread::spawn(move || loom::future::block_on(tx.closed()));
        drop(rx);
        t.join().unwrap();
    });
}

// ---- oneshot ----

#[test]
fn oneshot_send_races_the_awaiting_receiver() {
    model(|| {
        let (tx, rx) = oneshot::channel::<u32>();
        let t = thread::spawn(move || tx.send(5).unwrap());
        assert_eq!(loom::future::block_on(rx), Ok(5));
        t.join().unwrap();
    });
}

#[test]
fn oneshot_sender_dropped_unsent_races_the_awaiting_receiver() {
    model(|| {
        let (tx, rx) = oneshot::channel::<u32>();
        let t = thread::spawn(move || drop(tx));
        assert_eq!(loom::future::block_on(rx), Err(RecvError));
        t.join().unwrap();
    });
}

/// The value is dropped once: handed back to the sender, or with the
/// channel.
#[test]
fn oneshot_send_races_receiver_drop() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot::channel::<Counted>();
        let d = drops.clone();
        let t = thread::spawn(move || drop(tx.send(Counted(1, d))));
        drop(rx);
        t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}

#[test]
fn oneshot_closed_races_receiver_drop() {
    model(|| {
        let (mut tx, rx) = oneshot::channel::<u32>();
        let t = thread::spawn(move || {
            loom::future::block_on(tx.closed());
            assert!(tx.is_closed());
        });
        drop(rx);
        t.join().unwrap();
    });
}

/// The receiver, polled once with one waker, is polled again with another
/// (its reclaim of its waker's cell) while the send claims that cell: the
/// send wakes the waker of the last poll, or the value is seen by it.
#[test]
fn oneshot_receiver_polled_again_with_a_new_waker_races_the_send() {
    model(|| {
        let (tx, mut rx) = oneshot::channel::<u32>();
        let first = std::pin::Pin::new(&mut rx).poll(&mut Context::from_waker(Waker::noop()));
        assert!(first.is_pending());
        let t = thread::spawn(move || tx.send(5).unwrap());
        assert_eq!(loom::future::block_on(rx), Ok(5));
        t.join().unwrap();
    });
}

/// `closed`, polled once with one waker, is polled again with another while
/// the receiver closes: it completes.
#[test]
fn oneshot_closed_polled_again_races_receiver_close() {
    model(|| {
        let (mut tx, mut rx) = oneshot::channel::<u32>();
        let t = thread::spawn(move || {
            rx.close();
            rx
        });
        {
            let mut closed = Box::pin(tx.closed());
            let first = closed
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()));
            if first.is_pending() {
                loom::future::block_on(closed);
            }
        }
        assert!(tx.is_closed());
        drop(t.join().unwrap());
    });
}

/// Both halves leave at once, each with a waker registered (the receiver's
/// poll, the sender's `closed`): the allocation is freed once, by whichever
/// goes second, with the value dropped once (received by nobody, or handed
/// back), and no cell touched by both.
#[test]
fn oneshot_halves_leave_together_with_both_wakers_registered() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut tx, mut rx) = oneshot::channel::<Counted>();
        let noop = &mut Context::from_waker(Waker::noop());
        assert!(std::pin::Pin::new(&mut rx).poll(noop).is_pending());
        assert!(Box::pin(tx.closed()).as_mut().poll(noop).is_pending());
        let d = drops.clone();
        let t = thread::spawn(move || drop(tx.send(Counted(1, d))));
        drop(rx);
        t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}

// ---- watch ----

/// Two senders race each other and the receiver. Every value is dropped
/// once (received, overwritten or dropped by its sender as overwritten by
/// a write in progress); none is received twice; and a value sent after
/// the receiver's last take is there for it.
/// Three threads: bound 2.
#[test]
fn watch_two_senders_race_the_receiver() {
    model_with_bound(2, || {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = watch::channel::<Counted>();
        let tx2 = tx.clone();
        let (d, d2) = (drops.clone(), drops.clone());
        let a = thread::spawn(move || tx.send(Counted(1, d)).unwrap());
        let b = thread::spawn(move || tx2.send(Counted(2, d2)).unwrap());
        let early = rx.try_recv().ok().map(|v| v.0);
        a.join().unwrap();
        b.join().unwrap();
        let late = rx.try_recv().ok().map(|v| v.0);
        assert!(rx.try_recv().is_err());
        assert!(
            early.is_some() || late.is_some(),
            "the newest value is kept"
        );
        assert_ne!(early, late, "no value twice");
        drop(rx);
        assert_eq!(drops.load(Ordering::Relaxed), 2);
    });
}

/// One sender sends twice while the receiver waits: it gets the values in
/// order, the last one surely, each at most once.
#[test]
fn watch_sends_race_the_waiting_receiver() {
    model(|| {
        let (tx, mut rx) = watch::channel::<u32>();
        let t = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        let first = loom::future::block_on(rx.recv()).unwrap();
        if first == 1 {
            assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        } else {
            assert_eq!(first, 2);
        }
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

// ---- the common surface, many producers ----

/// `closed` of a many-producer sender, racing the receiver's drop, completes.
#[test]
fn mpsc_closed_races_receiver_drop() {
    model(|| {
        let (tx, rx) = mpsc::channel::<u32>(1);
        let t = thread::spawn(move || loom::future::block_on(tx.closed()));
        drop(rx);
        t.join().unwrap();
    });
}

// ---- the borrowed home (`Channel::split`) ----

/// A channel put where threads can borrow it for `'static` (a `static` in
/// real code; leaked here, and reclaimed at the end of each run).
fn leaked<C: ChannelCore>(core: C) -> &'static Channel<C> {
    Box::leak(Box::new(Channel::new(core)))
}

/// Reclaims what `leaked` gave.
///
/// # Safety
///
/// Every half of `channel` is gone, and it is reclaimed once.
unsafe fn reclaim<C: ChannelCore>(channel: &'static Channel<C>) {
    // Safety: the caller's contract; the pointer came from `Box::leak`.
    drop(unsafe { Box::from_raw(channel as *const Channel<C> as *mut Channel<C>) });
}

/// Two threads split the same channel: exactly one gets the halves.
#[test]
fn split_races_split() {
    model(|| {
        let channel = leaked(slot::Slot::<u32>::new());
        let t = thread::spawn(move || {
            channel.split().map(|(tx, rx)| {
                tx.try_send(1).unwrap();
                rx
            })
        });
        let mine = channel.split().map(|(tx, rx)| {
            tx.try_send(1).unwrap();
            rx
        });
        let theirs = t.join().unwrap();
        let mut rx = match (mine, theirs) {
            (Some(rx), None) | (None, Some(rx)) => rx,
            _ => panic!("exactly one split must succeed"),
        };
        assert_eq!(rx.try_recv(), Ok(1));
        assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Closed));
        drop(rx);
        // Safety: both halves are gone, and this is the only reclaim.
        unsafe { reclaim(channel) };
    });
}

/// Borrowed halves: a blocked send races the receiver, as in the `Arc` home.
#[test]
fn borrowed_blocked_send_races_recv_capacity_1() {
    model(|| {
        let channel = leaked(mpsc::InlineRing::<u32, 1>::new());
        let (tx, mut rx) = channel.split().unwrap();
        let t = thread::spawn(move || {
            loom::future::block_on(tx.send(1)).unwrap();
            loom::future::block_on(tx.send(2)).unwrap();
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(2));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
        drop(rx);
        // Safety: both halves are gone, and this is the only reclaim.
        unsafe { reclaim(channel) };
    });
}

/// A send racing the receiver's drop in a channel that is never dropped
/// (a `static`): an item that lands after the receiver's drain is dropped
/// by the last sender to leave, not left in the core for good.
#[test]
fn borrowed_send_races_receiver_drop_and_the_item_is_dropped() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let channel = leaked(mpsc::InlineRing::<Counted, 2>::new());
        let (tx, rx) = channel.split().unwrap();
        let d = drops.clone();
        let t = thread::spawn(move || {
            drop(tx.try_send(Counted(0, d)));
        });
        drop(rx);
        t.join().unwrap();
        // Before the channel itself goes: its core must be empty by now.
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        // Safety: both halves are gone, and this is the only reclaim.
        unsafe { reclaim(channel) };
    });
}

// ---- reservations ----

/// A permit's send races a `try_send` that may take the permit's room and
/// the receiver: every value arrives once (the permit's waits in line if
/// its room was taken), none is lost, nothing deadlocks.
#[test]
fn permit_send_races_try_send_and_recv() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let tx2 = tx.clone();
        let permit = tx.try_reserve().unwrap();
        let t = thread::spawn(move || tx2.try_send(10).is_ok());
        permit.send(20);
        drop(tx);
        let mut got = Vec::new();
        while let Ok(v) = loom::future::block_on(rx.recv()) {
            got.push(v);
        }
        let sent = t.join().unwrap();
        got.sort_unstable();
        assert_eq!(got, if sent { vec![10, 20] } else { vec![20] });
    });
}

/// With `SendOrder::Overtaking`, a send blocked on a full ring of capacity
/// 1 races the receiver, which takes an item (assigning the room to the
/// blocked send) and then sends without waiting itself: it may take that
/// room, and the blocked send then parks again, first, and is given the
/// next room. Every value arrives once; nothing deadlocks (a lost wakeup
/// would).
#[test]
fn overtaking_try_send_races_a_blocked_send_capacity_1() {
    model_with_bound(2, || {
        let (tx, mut rx) = mpsc::channel_with_order::<u32>(1, SendOrder::Overtaking);
        tx.try_send(0).unwrap();
        let tx2 = tx.clone();
        let blocked = thread::spawn(move || loom::future::block_on(tx.send(1)).unwrap());
        assert_eq!(loom::future::block_on(rx.recv()), Ok(0));
        let sent = tx2.try_send(2).is_ok();
        drop(tx2);
        let mut got = Vec::new();
        while let Ok(v) = loom::future::block_on(rx.recv()) {
            got.push(v);
        }
        blocked.join().unwrap();
        got.sort_unstable();
        assert_eq!(got, if sent { vec![1, 2] } else { vec![1] });
    });
}

/// With `SendOrder::Overtaking`, a permit's value whose room was taken (it
/// waits in line, an orphan) still goes before its own producer's next
/// send, while the receiver frees a room concurrently: the line is marked
/// for orphans in both orders.
#[test]
fn overtaking_keeps_a_producers_permit_value_before_its_next_send() {
    model_with_bound(2, || {
        let (tx, mut rx) = mpsc::channel_with_order::<u32>(1, SendOrder::Overtaking);
        let producer = thread::spawn(move || {
            let permit = tx.try_reserve().unwrap();
            // Another sender takes the permit's room: the permit's value
            // will wait in line, unless the receiver has freed it by then.
            tx.clone().try_send(10).unwrap();
            permit.send(20);
            tx.try_send(30).is_ok()
        });
        let mut got = Vec::new();
        while let Ok(v) = loom::future::block_on(rx.recv()) {
            got.push(v);
        }
        let next = producer.join().unwrap();
        let expected: &[u32] = if next { &[10, 20, 30] } else { &[10, 20] };
        assert_eq!(got, expected, "a producer's values keep their order");
    });
}

/// A reservation waits for room, and is granted by the receiver's take.
#[test]
fn reserve_waits_for_recv() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        tx.try_send(0).unwrap();
        let t = thread::spawn(move || {
            let permit = loom::future::block_on(tx.reserve()).unwrap();
            permit.send(1);
        });
        assert_eq!(loom::future::block_on(rx.recv()), Ok(0));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

/// A waiting reservation races the receiver's drop: it fails, or gets a
/// permit whose value is dropped once; nothing deadlocks.
#[test]
fn reserve_races_receiver_drop() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel::<Counted>(1);
        tx.try_send(Counted(0, drops.clone())).unwrap();
        let d = drops.clone();
        let t = thread::spawn(move || match loom::future::block_on(tx.reserve()) {
            Ok(permit) => {
                permit.send(Counted(1, d));
                true
            }
            Err(_) => false,
        });
        drop(rx);
        let granted = t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1 + usize::from(granted));
    });
}

/// A batch of two permits waits for two rooms at once, as the receiver
/// frees them one at a time: granted whole, its values after those already
/// queued; nothing deadlocks.
#[test]
fn reserve_many_waits_for_room_for_all() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        tx.try_send(0).unwrap();
        tx.try_send(1).unwrap();
        let t = thread::spawn(move || {
            let permits = loom::future::block_on(tx.reserve_many(2)).unwrap();
            for (permit, v) in permits.zip([2, 3]) {
                permit.send(v);
            }
        });
        for expected in 0..4 {
            assert_eq!(loom::future::block_on(rx.recv()), Ok(expected));
        }
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        t.join().unwrap();
    });
}

/// A waiting batch races the receiver's drop: it fails, or is granted and
/// its values are dropped once each; nothing deadlocks.
#[test]
fn reserve_many_races_receiver_drop() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel::<Counted>(2);
        tx.try_send(Counted(0, drops.clone())).unwrap();
        let d = drops.clone();
        let t = thread::spawn(move || match loom::future::block_on(tx.reserve_many(2)) {
            Ok(permits) => {
                for permit in permits {
                    permit.send(Counted(1, d.clone()));
                }
                true
            }
            Err(_) => false,
        });
        drop(rx);
        let granted = t.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1 + 2 * usize::from(granted));
    });
}

/// The blocking calls' parker: a wake racing the thread going to sleep is
/// never lost (Loom reports a deadlock if the thread sleeps for good).
#[test]
fn parker_wake_racing_sleep_is_not_lost() {
    use diatomic_channels::__private::Parker;
    model(|| {
        let parker = loom::sync::Arc::new(Parker::for_current_thread());
        let ready = loom::sync::Arc::new(loom::sync::atomic::AtomicBool::new(false));
        let waker = {
            let (parker, ready) = (parker.clone(), ready.clone());
            thread::spawn(move || {
                ready.store(true, Ordering::Relaxed);
                parker.unpark();
            })
        };
        // The wake's Release and the wait's Acquire order the flag.
        while !ready.load(Ordering::Relaxed) {
            assert!(parker.wait(None), "no deadline: only a wake ends it");
        }
        waker.join().unwrap();
    });
}

/// A wait whose time runs out while a wake comes: either it takes the
/// wake, or the wake stays for the next wait.
#[test]
fn parker_timeout_racing_a_wake_keeps_the_wake() {
    use diatomic_channels::__private::Parker;
    model(|| {
        let parker = loom::sync::Arc::new(Parker::for_current_thread());
        let waker = {
            let parker = parker.clone();
            thread::spawn(move || parker.unpark())
        };
        let past = std::time::Instant::now();
        if !parker.wait(Some(past)) {
            // Timed out: the wake has not come yet, or waits to be taken.
            assert!(parker.wait(None));
        }
        waker.join().unwrap();
    });
}

/// A blocking send whose deadline has passed, racing the receiver moving
/// its parked value in: it is sent (`Ok`, and received) or handed back
/// (`Timeout`, and never received), never both.
#[test]
fn timed_out_blocking_send_races_hand_over_slot() {
    use diatomic_channels::SendTimeoutError;
    model(|| {
        let (tx, mut rx) = slot::channel::<u32>();
        tx.try_send(0).unwrap();
        let t = thread::spawn(move || tx.send_deadline(1, std::time::Instant::now()));
        assert_eq!(loom::future::block_on(rx.recv()), Ok(0));
        match t.join().unwrap() {
            Ok(()) => assert_eq!(rx.try_recv(), Ok(1)),
            Err(e) => {
                assert_eq!(e, SendTimeoutError::Timeout(1));
                assert!(rx.try_recv().is_err(), "a value handed back was also sent");
            }
        }
    });
}

/// A weak sender's upgrade races the last sender's drop: it gets a sender
/// (and the receiver sees the channel closed only once that one is gone
/// too), or `None`; never a sender made from zero.
#[test]
fn weak_upgrade_races_last_sender_drop() {
    model(|| {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        let weak = tx.downgrade();
        let t = thread::spawn(move || drop(tx));
        match weak.upgrade() {
            Some(upgraded) => {
                upgraded.try_send(1).unwrap();
                drop(upgraded);
                t.join().unwrap();
                assert_eq!(loom::future::block_on(rx.recv()), Ok(1));
            }
            None => t.join().unwrap(),
        }
        assert_eq!(loom::future::block_on(rx.recv()), Err(RecvError));
        assert!(weak.upgrade().is_none());
    });
}

// ---- weak handles: broadcast's weak senders, `WeakReceiver` ----
//
// An upgrade racing the last strong handle's drop either fails, or gives
// a handle that keeps the channel open until it goes (the other side sees
// no close meanwhile); never a handle made from a count of zero.

/// A broadcast weak sender's upgrade races the last sender's drop: the
/// upgraded sender's value is read and the receiver sees the channel open
/// while that sender lives, then closed; or the upgrade fails.
#[test]
fn broadcast_weak_upgrade_races_last_sender_drop() {
    model(|| {
        let (tx, mut rx) = broadcast::channel::<u32>(2);
        let weak = tx.downgrade();
        let t = thread::spawn(move || drop(tx));
        match weak.upgrade() {
            Some(upgraded) => {
                assert_eq!(upgraded.send(1), Ok(1));
                t.join().unwrap();
                assert_eq!(rx.try_recv(), Ok(1));
                assert_eq!(
                    rx.try_recv(),
                    Err(broadcast::TryRecvError::Empty),
                    "a sender is alive: not closed"
                );
                drop(upgraded);
            }
            None => t.join().unwrap(),
        }
        assert_eq!(
            loom::future::block_on(rx.recv()),
            Err(broadcast::RecvError::Closed)
        );
        assert!(weak.upgrade().is_none());
    });
}

/// The same with backpressure: a `WeakBackpressureSender`.
#[test]
fn broadcast_backpressure_weak_upgrade_races_last_sender_drop() {
    model(|| {
        let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(1);
        let weak = tx.downgrade();
        let t = thread::spawn(move || drop(tx));
        match weak.upgrade() {
            Some(upgraded) => {
                upgraded.try_send(1).unwrap();
                t.join().unwrap();
                assert_eq!(rx.try_recv(), Ok(1));
                assert_eq!(
                    rx.try_recv(),
                    Err(broadcast::TryRecvError::Empty),
                    "a sender is alive: not closed"
                );
                drop(upgraded);
            }
            None => t.join().unwrap(),
        }
        assert_eq!(
            loom::future::block_on(rx.recv()),
            Err(broadcast::RecvError::Closed)
        );
        assert!(weak.upgrade().is_none());
    });
}

/// A `WeakReceiver`'s upgrade races the last receiver's drop: the sender
/// finds the channel open while the upgraded receiver lives (its item is
/// received), then closed; or the upgrade fails and the sender finds it
/// closed.
#[test]
fn mpmc_weak_receiver_upgrade_races_last_receiver_drop() {
    model(|| {
        let (tx, rx) = mpmc::channel::<u32>(2);
        let weak = rx.downgrade();
        let t = thread::spawn(move || drop(rx));
        match weak.upgrade() {
            Some(upgraded) => {
                assert_eq!(tx.try_send(1), Ok(()), "a receiver is alive: not closed");
                t.join().unwrap();
                assert!(!tx.is_closed());
                assert_eq!(upgraded.try_recv(), Ok(1));
                drop(upgraded);
            }
            None => t.join().unwrap(),
        }
        assert_eq!(tx.try_send(2), Err(TrySendError::Closed(2)));
        assert!(weak.upgrade().is_none());
    });
}
