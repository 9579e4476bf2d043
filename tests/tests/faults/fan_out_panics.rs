//! Panicking wakers where one call wakes many waiters, for the fan-out
//! members: a `broadcast` send (both policies) waking its waiting
//! receivers, the last sender's drop waking them to see the close, a
//! backpressured receiver's drop freeing rooms for waiting sends, the last
//! receiver's drop failing them; a `watch::shared` send waking `changed`,
//! its last sender's drop, and its last receiver's drop waking `closed`.
//!
//! Each case lines up 2 to 20 waiters (past the line's batch of 16 wakes
//! per lock hold), the seed choosing which one's waker panics, and a few
//! more that leave the line before the call. Checked: the panic reaches
//! the call; exactly the waiters due are woken, once each (the ones that
//! left never); each woken future then completes with what it was due; and
//! the channel works on (a new value reaches every receiver). Every copy
//! of a value is dropped once.

use std::future::Future;
use std::ops::Range;
use std::sync::Arc;
use std::task::{Poll, Waker};

use diatomic_channels::broadcast::{RecvError, TryRecvError};
use diatomic_channels::watch::shared;
use diatomic_channels::SendError;

use crate::broadcast::Policy;
use crate::fan_out::{Copies, FanTx, Polled, Value};
use crate::harness::{poll_once, Misbehaving, Rng};
use crate::ledger::Tally;
use crate::panics::panics;

/// Every case, for `broadcast` (both policies), over several line lengths.
pub fn broadcast(seed: u64, tally: &Tally) {
    let mut rng = Rng::new(seed);
    for n in sizes(&mut rng) {
        for policy in [Policy::Overwrite, Policy::Backpressure] {
            send_wakes_receivers(policy, n, &mut rng, tally);
            last_sender_wakes_receivers(policy, n, &mut rng, tally);
        }
        receiver_frees_rooms(n, &mut rng, tally);
        last_receiver_fails_sends(n, &mut rng, tally);
    }
}

/// Every case, for `watch::shared`, over several line lengths.
pub fn watch_shared(seed: u64, tally: &Tally) {
    let mut rng = Rng::new(seed ^ 0x5EED);
    for n in sizes(&mut rng) {
        watch_send_wakes_changed(n, &mut rng, tally);
        watch_last_sender_wakes_changed(n, &mut rng, tally);
        watch_last_receiver_wakes_closed(n, &mut rng, tally);
    }
}

/// How many waiters stay in line: both sides of the batch of 16, the
/// most, and one of the seed's (one under Miri: past the first batch).
fn sizes(rng: &mut Rng) -> Vec<usize> {
    let random = 2 + rng.below(19) as usize;
    if cfg!(miri) {
        vec![17]
    } else {
        vec![2, 16, 17, 20, random]
    }
}

/// Who lines up: `stays[i]` for the `i`th to join, false for one that
/// leaves before the call; `bad` counts among those that stay.
struct Plan {
    stays: Vec<bool>,
    bad: Option<usize>,
}

impl Plan {
    /// `n` waiters that stay, the one at `bad` (of them) panicking, and 0
    /// to 2 that leave, at the seed's places in the line.
    fn new(rng: &mut Rng, n: usize, bad: Option<usize>) -> Self {
        let mut stays = vec![true; n];
        for _ in 0..rng.below(3) {
            let at = rng.below(stays.len() as u64 + 1) as usize;
            stays.insert(at, false);
        }
        Self { stays, bad }
    }

    /// `n` waiters that all stay, none panicking.
    fn calm(n: usize) -> Self {
        Self {
            stays: vec![true; n],
            bad: None,
        }
    }

    /// `n` waiters, one of the first `due` panicking (the seed's).
    fn panicking(rng: &mut Rng, n: usize, due: usize) -> Self {
        let bad = rng.below(due as u64) as usize;
        Self::new(rng, n, Some(bad))
    }

    /// The places in line (counting those that leave) of those that stay:
    /// the numbers of the values they send.
    fn staying(&self) -> Vec<u64> {
        let places = self.stays.iter().enumerate();
        places.filter(|(_, &s)| s).map(|(i, _)| i as u64).collect()
    }

    /// Everyone who joins, leavers included.
    fn len(&self) -> usize {
        self.stays.len()
    }

    fn describe(&self) -> String {
        let n = self.stays.iter().filter(|&&s| s).count();
        let left = self.len() - n;
        match self.bad {
            Some(bad) => format!("{n} waiters ({left} left), waker {bad} panics"),
            None => format!("{n} waiters ({left} left)"),
        }
    }
}

/// A line of waiters polled by hand, each with a counting waker.
struct Line<'a, T> {
    /// Those that stay, in the order they joined.
    stay: Vec<Polled<'a, T>>,
    /// The wakers of those that left.
    left: Vec<Arc<Misbehaving>>,
}

impl<'a, T> Line<'a, T> {
    /// Polls each future once, in order (each must wait), then drops
    /// those `plan` says leave: from anywhere in the line.
    fn join<F>(what: &str, futures: impl IntoIterator<Item = F>, plan: &Plan) -> Self
    where
        F: Future<Output = T> + 'a,
    {
        let (mut stay, mut leaving) = (Vec::new(), Vec::new());
        let mut joined = 0;
        for (future, &stays) in futures.into_iter().zip(&plan.stays) {
            let label = format!("{what}: waiter {joined}");
            joined += 1;
            if stays {
                let panics = plan.bad == Some(stay.len());
                stay.push(Polled::pending(label, future, panics));
            } else {
                leaving.push(Polled::pending(label, future, false));
            }
        }
        assert_eq!(joined, plan.len(), "{what}: one future per place");
        let left = leaving.into_iter().map(|p| p.flag()).collect();
        Self { stay, left }
    }

    /// Exactly the waiters in `due` were woken since their last poll, once
    /// each; no other, and none that left.
    #[track_caller]
    fn assert_woken(&self, what: &str, due: Range<usize>) {
        for (i, waiter) in self.stay.iter().enumerate() {
            let expected = usize::from(due.contains(&i));
            assert_eq!(
                waiter.new_wakes(),
                expected,
                "{what}: waiter {i} woken {expected} times (due: {due:?})"
            );
        }
        for flag in &self.left {
            assert_eq!(flag.wakes(), 0, "{what}: a waiter that left is not woken");
        }
    }

    /// Polls the waiters in `due` (each woken once): each completes.
    fn complete(&mut self, due: Range<usize>) -> Vec<T> {
        self.stay[due].iter_mut().map(Polled::complete).collect()
    }

    fn len(&self) -> usize {
        self.stay.len()
    }
}

/// Runs `call`, which must panic (a waker's panic reaching it), then
/// checks that exactly the first `due` waiters were woken.
#[track_caller]
fn call_panics<T>(what: &str, line: &Line<'_, T>, due: usize, call: impl FnOnce(), tally: &Tally) {
    assert!(panics(call), "{what}: the waker's panic reaches the call");
    line.assert_woken(what, 0..due);
    tally.panicking_wakes.add(1);
    tally.woken_past_a_panic.add(due as u64);
}

/// The end of a case: every copy dropped once.
fn done(what: &str, copies: &Copies, tally: &Tally) {
    copies.assert_all_dropped(what, 0);
    tally.rounds.add(1);
}

/// A send wakes every waiting receiver; each gets the value. Then every
/// receiver waits again and a second send (no panic) wakes each once.
fn send_wakes_receivers(policy: Policy, n: usize, rng: &mut Rng, tally: &Tally) {
    let plan = Plan::panicking(rng, n, n);
    let what = format!("broadcast {policy:?} send, {}", plan.describe());
    let copies = Copies::new();
    // A receiver that never waits: it gets both values all the same.
    let (tx, mut idle) = FanTx::open(policy, 2);
    let mut rxs: Vec<_> = (0..plan.len()).map(|_| tx.subscribe()).collect();
    {
        let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.recv()), &plan);
        let value = Value::new(0, 0, &copies);
        call_panics(&what, &line, n, || drop(tx.send_now(value)), tally);
        for got in line.complete(0..n) {
            assert_eq!(got.map(|v| v.key()), Ok((0, 0)), "{what}: the value");
        }
    }
    // The ones that left read it now; then everyone waits again.
    for (rx, _) in rxs.iter_mut().zip(&plan.stays).filter(|(_, &s)| !s) {
        assert_eq!(rx.try_recv().map(|v| v.key()), Ok((0, 0)), "{what}");
    }
    let calm = Plan::calm(plan.len());
    let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.recv()), &calm);
    assert!(tx.send_now(Value::new(0, 1, &copies)).is_ok(), "{what}");
    let all = line.len();
    line.assert_woken(&what, 0..all);
    for got in line.complete(0..all) {
        assert_eq!(got.map(|v| v.key()), Ok((0, 1)), "{what}: works on");
    }
    drop(line);
    for seq in 0..2 {
        assert_eq!(idle.try_recv().map(|v| v.key()), Ok((0, seq)), "{what}");
    }
    drop((tx, idle, rxs));
    done(&what, &copies, tally);
}

/// The last sender's drop wakes every waiting receiver to see the close
/// (another sender's drop before it wakes nobody).
fn last_sender_wakes_receivers(policy: Policy, n: usize, rng: &mut Rng, tally: &Tally) {
    let plan = Plan::panicking(rng, n, n);
    let what = format!(
        "broadcast {policy:?} last sender's drop, {}",
        plan.describe()
    );
    let copies = Copies::new();
    let (tx, mut idle) = FanTx::open(policy, 2);
    let other = tx.clone();
    assert!(tx.send_now(Value::new(0, 0, &copies)).is_ok());
    let mut rxs: Vec<_> = (0..plan.len()).map(|_| tx.subscribe()).collect();
    {
        let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.recv()), &plan);
        drop(other);
        line.assert_woken(&format!("{what}: not the last sender"), 0..0);
        call_panics(&what, &line, n, || drop(tx), tally);
        for got in line.complete(0..n) {
            assert_eq!(got.map(|v| v.key()), Err(RecvError::Closed), "{what}");
        }
    }
    // Closed for good, and what was sent before is still read.
    for rx in &mut rxs {
        assert_eq!(rx.try_recv().map(|v| v.key()), Err(TryRecvError::Closed));
    }
    assert_eq!(idle.try_recv().map(|v| v.key()), Ok((0, 0)), "{what}");
    assert_eq!(idle.try_recv().map(|v| v.key()), Err(TryRecvError::Closed));
    drop((idle, rxs));
    done(&what, &copies, tally);
}

/// Backpressure: a receiver that has read none of a full ring goes, which
/// frees every room at once: the first `capacity` waiting sends are woken
/// (the others not) and complete; each later read frees one more room and
/// wakes the next send.
fn receiver_frees_rooms(n: usize, rng: &mut Rng, tally: &Tally) {
    let capacity = 1 + rng.below(n as u64 + 2) as usize;
    let due = capacity.min(n);
    let plan = Plan::panicking(rng, n, due);
    let what = format!(
        "broadcast Backpressure cap {capacity}, a receiver's drop, {}",
        plan.describe()
    );
    let copies = Copies::new();
    let (tx, mut keeps_up) = FanTx::open(Policy::Backpressure, capacity);
    let lags = keeps_up.resubscribe();
    for seq in 0..capacity as u64 {
        assert!(tx.send_now(Value::new(0, seq, &copies)).is_ok());
        assert_eq!(keeps_up.try_recv().map(|v| v.key()), Ok((0, seq)));
    }
    // Every room is held by `lags` alone.
    let sender = tx.backpressured();
    let values = (0..plan.len() as u64).map(|seq| Value::new(1, seq, &copies));
    let mut line = Line::join(&what, values.map(|v| sender.send(v)), &plan);
    call_panics(&what, &line, due, || drop(lags), tally);
    for sent in line.complete(0..due) {
        assert!(sent.is_ok(), "{what}: a woken send sends");
    }
    // The sends still waiting: each read frees the room of the next.
    let sent = plan.staying();
    for k in due..n {
        let got = keeps_up.try_recv().map(|v| v.key());
        assert_eq!(got, Ok((1, sent[k - due])), "{what}: in line order");
        line.assert_woken(&format!("{what}: read {}", k - due), k..k + 1);
        assert!(line.complete(k..k + 1)[0].is_ok(), "{what}");
    }
    for &seq in &sent[n - due..] {
        let got = keeps_up.try_recv().map(|v| v.key());
        assert_eq!(got, Ok((1, seq)), "{what}: in line order");
    }
    drop(line);
    // Works on.
    assert!(tx.send_now(Value::new(2, 0, &copies)).is_ok(), "{what}");
    assert_eq!(keeps_up.try_recv().map(|v| v.key()), Ok((2, 0)));
    drop((tx, keeps_up));
    done(&what, &copies, tally);
}

/// Backpressure: the last receiver's drop fails every waiting send, each
/// handed its value back (another receiver's drop before it, which frees
/// no room, wakes none); a new receiver then gets a new value.
fn last_receiver_fails_sends(n: usize, rng: &mut Rng, tally: &Tally) {
    let capacity = 1 + rng.below(4) as usize;
    let plan = Plan::panicking(rng, n, n);
    let what = format!(
        "broadcast Backpressure cap {capacity}, the last receiver's drop, {}",
        plan.describe()
    );
    let copies = Copies::new();
    let (tx, rx) = FanTx::open(Policy::Backpressure, capacity);
    let mut reader = rx.resubscribe();
    for seq in 0..capacity as u64 {
        assert!(tx.send_now(Value::new(0, seq, &copies)).is_ok());
        assert!(reader.try_recv().is_ok());
    }
    let sender = tx.backpressured();
    let values = (0..plan.len() as u64).map(|seq| Value::new(1, seq, &copies));
    let mut line = Line::join(&what, values.map(|v| sender.send(v)), &plan);
    drop(reader);
    line.assert_woken(&format!("{what}: a reader's drop frees nothing"), 0..0);
    call_panics(&what, &line, n, || drop(rx), tally);
    for (result, seq) in line.complete(0..n).into_iter().zip(plan.staying()) {
        match result {
            Err(SendError(v)) => assert_eq!(v.key(), (1, seq), "{what}: its own"),
            Ok(()) => panic!("{what}: no receiver is left"),
        }
    }
    drop(line);
    let mut late = tx.subscribe();
    assert!(tx.send_now(Value::new(2, 0, &copies)).is_ok(), "{what}");
    assert_eq!(late.try_recv().map(|v| v.key()), Ok((2, 0)), "{what}");
    drop((tx, late));
    done(&what, &copies, tally);
}

/// `watch::shared`: a send wakes every receiver waiting in `changed`, and
/// no sender waiting in `closed`; each sees the new value. Then a second
/// send (no panic) wakes each once, and the receivers' drops complete the
/// senders' `closed`.
fn watch_send_wakes_changed(n: usize, rng: &mut Rng, tally: &Tally) {
    let plan = Plan::panicking(rng, n, n);
    let what = format!("watch::shared send, {}", plan.describe());
    let copies = Copies::new();
    let (tx, rx) = shared::channel(Value::new(0, 0, &copies));
    let mut rxs: Vec<_> = (0..plan.len()).map(|_| rx.clone()).collect();
    let closers: Vec<_> = (0..1 + rng.below(2)).map(|_| tx.clone()).collect();
    let mut closing: Vec<_> = closers
        .iter()
        .map(|c| Polled::pending(format!("{what}: `closed`"), c.closed(), false))
        .collect();
    {
        let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.changed()), &plan);
        let value = Value::new(0, 1, &copies);
        call_panics(&what, &line, n, || drop(tx.send(value)), tally);
        for got in line.complete(0..n) {
            assert_eq!(got, Ok(()), "{what}: told of the change");
        }
    }
    for (rx, &stays) in rxs.iter_mut().zip(&plan.stays) {
        assert_eq!(rx.has_changed(), Ok(!stays), "{what}: told once");
        assert_eq!(rx.borrow_and_update().key(), (0, 1), "{what}: the value");
    }
    let calm = Plan::calm(plan.len());
    let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.changed()), &calm);
    assert!(tx.send(Value::new(0, 2, &copies)).is_ok(), "{what}");
    let all = line.len();
    line.assert_woken(&what, 0..all);
    assert!(line.complete(0..all).iter().all(Result::is_ok));
    drop(line);
    for c in &closing {
        assert_eq!(c.new_wakes(), 0, "{what}: sends do not wake `closed`");
    }
    drop((rx, rxs));
    for c in &mut closing {
        c.complete();
    }
    drop(closing);
    drop(closers);
    assert_eq!(tx.borrow().key(), (0, 2), "{what}");
    drop(tx);
    done(&what, &copies, tally);
}

/// `watch::shared`: the last sender's drop (not another's) wakes every
/// receiver waiting in `changed`, which fails; the value stays readable.
fn watch_last_sender_wakes_changed(n: usize, rng: &mut Rng, tally: &Tally) {
    let plan = Plan::panicking(rng, n, n);
    let what = format!("watch::shared last sender's drop, {}", plan.describe());
    let copies = Copies::new();
    let (tx, rx) = shared::channel(Value::new(0, 0, &copies));
    let other = tx.clone();
    let mut rxs: Vec<_> = (0..plan.len()).map(|_| rx.clone()).collect();
    {
        let mut line = Line::join(&what, rxs.iter_mut().map(|rx| rx.changed()), &plan);
        drop(other);
        line.assert_woken(&format!("{what}: not the last sender"), 0..0);
        call_panics(&what, &line, n, || drop(tx), tally);
        for got in line.complete(0..n) {
            assert!(got.is_err(), "{what}: every sender is gone");
        }
    }
    for rx in &mut rxs {
        assert!(rx.has_changed().is_err(), "{what}: closed");
        assert_eq!(rx.borrow().key(), (0, 0), "{what}: still readable");
        let mut again = Box::pin(rx.changed());
        let now = poll_once(again.as_mut(), Waker::noop());
        assert!(matches!(now, Poll::Ready(Err(_))), "{what}: fails at once");
    }
    drop((rx, rxs));
    done(&what, &copies, tally);
}

/// `watch::shared`: the last receiver's drop (not another's) wakes every
/// sender waiting in `closed`; then a new receiver gets a new value.
fn watch_last_receiver_wakes_closed(n: usize, rng: &mut Rng, tally: &Tally) {
    let plan = Plan::panicking(rng, n, n);
    let what = format!("watch::shared last receiver's drop, {}", plan.describe());
    let copies = Copies::new();
    let (tx, rx) = shared::channel(Value::new(0, 0, &copies));
    let other = rx.clone();
    let senders: Vec<_> = (0..plan.len()).map(|_| tx.clone()).collect();
    {
        let mut line = Line::join(&what, senders.iter().map(|tx| tx.closed()), &plan);
        drop(other);
        line.assert_woken(&format!("{what}: not the last receiver"), 0..0);
        call_panics(&what, &line, n, || drop(rx), tally);
        line.complete(0..n);
    }
    drop(senders);
    let mut late = tx.subscribe();
    let mut closed = Polled::pending(format!("{what}: `closed`"), tx.closed(), false);
    assert!(
        tx.send(Value::new(0, 1, &copies)).is_ok(),
        "{what}: works on"
    );
    assert_eq!(late.has_changed(), Ok(true), "{what}");
    assert_eq!(late.borrow_and_update().key(), (0, 1), "{what}");
    drop(late);
    closed.complete();
    drop(closed);
    drop(tx);
    done(&what, &copies, tally);
}
