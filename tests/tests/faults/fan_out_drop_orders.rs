//! Drop orders for the fan-out members: five parties of a channel dropped
//! in every order (120; under Miri every fifth, 24, the variants of a
//! round, capacity or home, taking turns).
//!
//! `broadcast`, backpressure (capacity 1 and 2): a task waiting in
//! `closed` (it holds a sender), two tasks blocked in `send` (the ring is
//! full; the second waits behind the first), a receiver that has read
//! none of it, a task waiting in `recv` (it has read everything). Overwrite: a bare sender, a task waiting in `closed`,
//! a receiver a value behind the ring (it lags), two tasks waiting in
//! `recv`. `watch::shared`, in both homes (an `Arc`, a borrowed
//! `Watch`): a bare sender, tasks waiting in `closed`, a receiver with an
//! unseen change, tasks waiting in `changed`.
//!
//! After each drop, a model of the channel says who is due to move: a
//! blocked send once it is first in line with room (it sends) or no
//! receiver is left (its value handed back); a waiting receive once there
//! is a value it has not read or every sender is gone (then it ends); a
//! `closed` once no receiver is left (its own drop, pending, moves no one
//! but counts as its sender's); the lagging or unseen receiver, once every
//! sender is gone, drains what it is owed. Each party due must have been
//! woken exactly once and then complete (or progress) with what the model
//! says; each party not due must not have been woken (and a waiting
//! receive or `closed`, polled, still waits). Every copy of a value is
//! counted: the live ones are those the ring (or the watch) and the
//! blocked sends hold, and none once the channel is gone.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use diatomic_channels::broadcast::{Receiver, RecvError, TryRecvError};
use diatomic_channels::watch::shared::{self, Watch, WatchHome};
use diatomic_channels::SendError;

use crate::broadcast::Policy;
use crate::drop_orders::permutations;
use crate::fan_out::{Copies, FanTx, Polled, Value};
use crate::harness::poll_once;
use crate::ledger::Tally;

/// The drop orders of `n` parties: every one; under Miri every fifth (24
/// of 120).
fn orders(n: usize) -> Vec<Vec<usize>> {
    let every = if cfg!(miri) { 5 } else { 1 };
    permutations(n).into_iter().step_by(every).collect()
}

/// Whether the `k`th order runs `variant` (0 or 1) of a round: both
/// always; under Miri they take turns.
fn runs(k: usize, variant: usize) -> bool {
    !cfg!(miri) || k % 2 == variant
}

/// What a waiting receiver got, in order.
#[derive(Debug, PartialEq)]
enum Got {
    Value((usize, u64)),
    Lagged(u64),
    Closed,
}

/// A task's log of what it got, shared with the round.
type Log = Arc<Mutex<Vec<Got>>>;

/// Takes what the task logged since the last look.
fn take(log: &Log) -> Vec<Got> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// `broadcast`, both policies: every order of its casts (backpressure
/// at capacity 1 and 2).
pub fn broadcast(tally: &Tally) {
    use BKind::*;
    for (k, order) in orders(5).iter().enumerate() {
        for (variant, capacity) in [1, 2].into_iter().enumerate() {
            if runs(k, variant) {
                let cast = [Closing, Sending, Sending, Unread, Waiting];
                BRound::new(Policy::Backpressure, capacity, &cast, order).run(tally);
            }
        }
        if runs(k, 0) {
            let cast = [Sender, Closing, Unread, Waiting, Waiting];
            BRound::new(Policy::Overwrite, 2, &cast, order).run(tally);
        }
    }
}

/// `watch::shared`, both homes: every order of its two casts.
pub fn watch_shared(tally: &Tally) {
    use WKind::*;
    let casts: &[[WKind; 5]] = if cfg!(miri) {
        &[[Sender, Closing, Unseen, Changing, Changing]]
    } else {
        &[
            [Sender, Closing, Unseen, Changing, Changing],
            [Sender, Closing, Closing, Unseen, Changing],
        ]
    };
    for cast in casts {
        for (k, order) in orders(5).iter().enumerate() {
            if runs(k, 0) {
                let copies = Copies::new();
                let (tx, rx) = shared::channel(Value::new(0, 0, &copies));
                WRound::new("arc", tx, rx, cast, order, &copies).run(tally);
                copies.assert_all_dropped("watch::shared/arc", 0);
            }
            if runs(k, 1) {
                let copies = Copies::new();
                let watch = Watch::new(Value::new(0, 0, &copies));
                let (tx, rx) = shared::split(&watch).expect("split once");
                WRound::new("borrowed", tx, rx, cast, order, &copies).run(tally);
                // The value goes with the `Watch`, not with its last half.
                assert_eq!(copies.made() - copies.dropped(), 1, "borrowed: kept");
                drop(watch);
                copies.assert_all_dropped("watch::shared/borrowed", 0);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum BKind {
    /// A bare sender.
    Sender,
    /// A task waiting in `closed` (it owns its sender).
    Closing,
    /// A task blocked in a backpressured `send` (it owns its sender).
    Sending,
    /// The receiver made before the ring was filled, which reads nothing
    /// until every sender is gone.
    Unread,
    /// A task waiting in `recv` (it owns its receiver, made after the
    /// ring was filled).
    Waiting,
}

enum BParty {
    Sender(FanTx),
    Closing(Polled<'static, ()>),
    Sending {
        task: Polled<'static, Result<(), (usize, u64)>>,
        key: (usize, u64),
    },
    Unread(Receiver<Value>),
    Waiting {
        task: Polled<'static, ()>,
        log: Log,
        /// The position of the next value it reads.
        next: usize,
    },
}

/// A `broadcast` round and the model it is checked against.
struct BRound {
    what: String,
    order: Vec<usize>,
    capacity: usize,
    copies: Arc<Copies>,
    parties: Vec<Option<BParty>>,
    /// The keys sent, by position.
    sent: Vec<(usize, u64)>,
    senders: usize,
    receivers: usize,
    /// Whether the unread receiver drained the ring (every sender gone).
    drained: bool,
}

impl BRound {
    /// A channel with the ring full (overwrite: one more, so the unread
    /// receiver lags by one) and `cast`'s parties, the waiting ones
    /// waiting.
    fn new(policy: Policy, capacity: usize, cast: &[BKind], order: &[usize]) -> Self {
        let what = format!("broadcast {policy:?} cap {capacity}, {cast:?}, drop order {order:?}");
        let copies = Copies::new();
        let (tx, unread) = FanTx::open(policy, capacity);
        let fill = match policy {
            Policy::Backpressure => capacity,
            Policy::Overwrite => capacity + 1,
        };
        let mut sent = Vec::new();
        for seq in 0..fill as u64 {
            assert!(tx.send_now(Value::new(0, seq, &copies)).is_ok());
            sent.push((0, seq));
        }
        let mut unread = Some(unread);
        let mut parties = Vec::new();
        for (i, &kind) in cast.iter().enumerate() {
            let label = format!("{what}: party {i} ({kind:?})");
            parties.push(Some(match kind {
                BKind::Sender => BParty::Sender(tx.clone()),
                BKind::Closing => BParty::Closing(closing(label, tx.clone())),
                BKind::Sending => {
                    let value = Value::new(1, i as u64, &copies);
                    let key = value.key();
                    let tx = tx.clone();
                    let send = async move {
                        let sent = tx.backpressured().send(value).await;
                        drop(tx);
                        sent.map_err(|SendError(v)| v.key())
                    };
                    let task = Polled::pending(label, send, false);
                    BParty::Sending { task, key }
                }
                BKind::Unread => BParty::Unread(unread.take().expect("one unread receiver")),
                BKind::Waiting => {
                    let log = Log::default();
                    let task = Polled::pending(label, recv_all(tx.subscribe(), log.clone()), false);
                    let next = sent.len();
                    BParty::Waiting { task, log, next }
                }
            }));
        }
        assert!(unread.is_none(), "{what}: the cast has the unread receiver");
        let count = |k| cast.iter().filter(|&&c| c == k).count();
        Self {
            what,
            order: order.to_vec(),
            capacity,
            copies,
            parties,
            sent,
            senders: count(BKind::Sender) + count(BKind::Closing) + count(BKind::Sending),
            receivers: 1 + count(BKind::Waiting),
            drained: false,
        }
    }

    fn run(mut self, tally: &Tally) {
        for i in std::mem::take(&mut self.order) {
            self.drop_party(i);
            self.settle();
            self.check_copies();
        }
        tally.drop_orders.add(1);
        tally.rounds.add(1);
    }

    /// Drops party `i` (gone already if it completed).
    fn drop_party(&mut self, i: usize) {
        match self.parties[i].take() {
            None => {}
            Some(BParty::Sender(tx)) => {
                drop(tx);
                self.senders -= 1;
            }
            Some(BParty::Closing(_) | BParty::Sending { .. }) => self.senders -= 1,
            Some(BParty::Unread(rx)) => {
                let owed = self.owed(self.unread_cursor());
                assert_eq!(rx.len(), owed, "{}: unread before its drop", self.what);
                self.receivers -= 1;
            }
            Some(BParty::Waiting { .. }) => self.receivers -= 1,
        }
    }

    /// How many values a receiver at `cursor` has not read (the ring keeps
    /// at most its capacity).
    fn owed(&self, cursor: usize) -> usize {
        (self.sent.len() - cursor).min(self.capacity)
    }

    fn unread_cursor(&self) -> usize {
        if self.drained {
            self.sent.len()
        } else {
            0
        }
    }

    /// Whether a send has room: every receiver left is less than a ring
    /// behind.
    fn room(&self) -> bool {
        let tail = self.sent.len();
        self.parties.iter().all(|p| match p {
            Some(BParty::Unread(_)) => tail - self.unread_cursor() < self.capacity,
            Some(BParty::Waiting { next, .. }) => tail - next < self.capacity,
            _ => true,
        })
    }

    /// Whether party `i` is due to move now.
    fn due(&self, i: usize) -> bool {
        match &self.parties[i] {
            Some(BParty::Closing(_)) => self.receivers == 0,
            Some(BParty::Sending { .. }) => {
                let first = self
                    .parties
                    .iter()
                    .position(|p| matches!(p, Some(BParty::Sending { .. })));
                self.receivers == 0 || (first == Some(i) && self.room())
            }
            Some(BParty::Waiting { next, .. }) => *next < self.sent.len() || self.senders == 0,
            Some(BParty::Unread(_)) => self.senders == 0 && !self.drained,
            _ => false,
        }
    }

    /// Moves every party due, until none is.
    fn settle(&mut self) {
        let mut moved = true;
        while moved {
            moved = false;
            for i in 0..self.parties.len() {
                let due = self.due(i);
                let oldest = self.sent.len() - self.owed(0);
                let what = &self.what;
                match &mut self.parties[i] {
                    // Not polled: a poll would put it at the line's end.
                    Some(BParty::Sending { task, .. }) if !due => task.assert_not_woken(),
                    Some(BParty::Closing(task) | BParty::Waiting { task, .. }) if !due => {
                        task.still_waits()
                    }
                    Some(BParty::Closing(task)) => {
                        task.complete();
                        self.parties[i] = None;
                        self.senders -= 1;
                        moved = true;
                    }
                    Some(BParty::Sending { task, key }) => {
                        let (result, key) = (task.complete(), *key);
                        if self.receivers == 0 {
                            assert_eq!(result, Err(key), "{what}: party {i} handed back");
                        } else {
                            assert_eq!(result, Ok(()), "{what}: party {i} sent");
                            self.sent.push(key);
                        }
                        self.parties[i] = None;
                        self.senders -= 1;
                        moved = true;
                    }
                    Some(BParty::Waiting { task, log, next }) => {
                        let ends = self.senders == 0;
                        let done = task.poll_woken().is_ready();
                        let mut expected: Vec<_> =
                            self.sent[*next..].iter().map(|&k| Got::Value(k)).collect();
                        if ends {
                            expected.push(Got::Closed);
                        }
                        assert_eq!(take(log), expected, "{what}: party {i} got");
                        assert_eq!(done, ends, "{what}: party {i} ends once closed");
                        *next = self.sent.len();
                        if done {
                            self.parties[i] = None;
                            self.receivers -= 1;
                        }
                        moved = true;
                    }
                    Some(BParty::Unread(rx)) if due => {
                        let mut expected = Vec::new();
                        if oldest > 0 {
                            expected.push(Got::Lagged(oldest as u64));
                        }
                        expected.extend(self.sent[oldest..].iter().map(|&k| Got::Value(k)));
                        expected.push(Got::Closed);
                        assert_eq!(drain(rx), expected, "{what}: party {i} drains");
                        self.drained = true;
                    }
                    _ => {}
                }
            }
        }
    }

    /// The live copies: the ring's values and the blocked sends' own; none
    /// once every party is gone (and the channel with them).
    fn check_copies(&self) {
        let live = self.copies.made() - self.copies.dropped();
        let expected = if self.parties.iter().all(Option::is_none) {
            0
        } else {
            let blocked = self
                .parties
                .iter()
                .filter(|p| matches!(p, Some(BParty::Sending { .. })))
                .count();
            self.sent.len().min(self.capacity) + blocked
        };
        assert_eq!(live, expected, "{}: live copies", self.what);
    }
}

/// A sender with a `closed` wait: either policy's `broadcast` sender, or
/// `watch::shared`'s.
trait Closes {
    fn closed(&self) -> impl Future<Output = ()> + '_;
}

impl Closes for FanTx {
    fn closed(&self) -> impl Future<Output = ()> + '_ {
        match self {
            FanTx::Overwrite(tx) => tx.closed(),
            FanTx::Backpressure(tx) => tx.closed(),
        }
    }
}

impl<H: WatchHome<Value>> Closes for shared::Sender<Value, H> {
    fn closed(&self) -> impl Future<Output = ()> + '_ {
        shared::Sender::closed(self)
    }
}

/// A task waiting in `closed` on its own sender, `tx`, which it drops
/// once no receiver is left; polled once, it waits.
fn closing<'a, S: Closes + 'a>(label: String, tx: S) -> Polled<'a, ()> {
    let closing = async move {
        tx.closed().await;
        drop(tx);
    };
    Polled::pending(label, closing, false)
}

/// A task that receives until the channel is closed, logging each value.
async fn recv_all(mut rx: Receiver<Value>, log: Log) {
    loop {
        let got = match rx.recv().await {
            Ok(value) => Got::Value(value.key()),
            Err(RecvError::Lagged(n)) => Got::Lagged(n),
            Err(RecvError::Closed) => Got::Closed,
        };
        let closed = got == Got::Closed;
        log.lock().unwrap().push(got);
        if closed {
            break;
        }
    }
    drop(rx);
}

/// Everything a receiver reads now, up to the close (which must come).
fn drain(rx: &mut Receiver<Value>) -> Vec<Got> {
    let mut got = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(value) => got.push(Got::Value(value.key())),
            Err(TryRecvError::Lagged(n)) => got.push(Got::Lagged(n)),
            Err(TryRecvError::Closed) => {
                got.push(Got::Closed);
                return got;
            }
            Err(TryRecvError::Empty) => panic!("every sender is gone: {got:?}, then empty"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum WKind {
    /// A bare sender.
    Sender,
    /// A task waiting in `closed` (it owns its sender).
    Closing,
    /// A receiver that has not seen the last change.
    Unseen,
    /// A task waiting in `changed` (it owns its receiver, which has seen
    /// the last change).
    Changing,
}

enum WParty<'a, H: WatchHome<Value>> {
    Sender(shared::Sender<Value, H>),
    Closing(Polled<'a, ()>),
    Unseen(shared::Receiver<Value, H>),
    Changing(Polled<'a, ()>, Log),
}

/// A `watch::shared` round and the model it is checked against.
struct WRound<'a, H: WatchHome<Value>> {
    what: String,
    order: Vec<usize>,
    /// Whether the value goes with the last half (the `Arc` home).
    arc: bool,
    copies: Arc<Copies>,
    parties: Vec<Option<WParty<'a, H>>>,
    senders: usize,
    receivers: usize,
    /// Whether the unseen receiver was told of the change (every sender
    /// gone).
    told: bool,
}

impl<'a, H: WatchHome<Value> + 'a> WRound<'a, H> {
    /// One change sent, and `cast`'s parties, the waiting ones waiting.
    fn new(
        home: &str,
        tx: shared::Sender<Value, H>,
        rx: shared::Receiver<Value, H>,
        cast: &[WKind],
        order: &[usize],
        copies: &Arc<Copies>,
    ) -> Self {
        let what = format!("watch::shared/{home}, {cast:?}, drop order {order:?}");
        let mut seen = rx.clone();
        assert!(tx.send(Value::new(0, 1, copies)).is_ok());
        assert_eq!(seen.borrow_and_update().key(), (0, 1));
        let mut unseen = Some(rx);
        let mut parties = Vec::new();
        for (i, &kind) in cast.iter().enumerate() {
            let label = format!("{what}: party {i} ({kind:?})");
            parties.push(Some(match kind {
                WKind::Sender => WParty::Sender(tx.clone()),
                WKind::Closing => WParty::Closing(closing(label, tx.clone())),
                WKind::Unseen => WParty::Unseen(unseen.take().expect("one unseen receiver")),
                WKind::Changing => {
                    let log = Log::default();
                    let changes = changes(seen.clone(), log.clone());
                    WParty::Changing(Polled::pending(label, changes, false), log)
                }
            }));
        }
        assert!(unseen.is_none(), "{what}: the cast has the unseen receiver");
        let count = |k| cast.iter().filter(|&&c| c == k).count();
        Self {
            what,
            order: order.to_vec(),
            arc: home == "arc",
            copies: copies.clone(),
            parties,
            senders: count(WKind::Sender) + count(WKind::Closing),
            receivers: count(WKind::Unseen) + count(WKind::Changing),
            told: false,
        }
    }

    fn run(mut self, tally: &Tally) {
        for i in std::mem::take(&mut self.order) {
            match self.parties[i].take() {
                None => {}
                Some(WParty::Sender(_) | WParty::Closing(_)) => self.senders -= 1,
                Some(WParty::Unseen(_) | WParty::Changing(..)) => self.receivers -= 1,
            }
            self.settle();
            // The value lives as long as the `Watch`: in the `Arc` home,
            // until the last party goes.
            let gone = self.arc && self.parties.iter().all(Option::is_none);
            let live = self.copies.made() - self.copies.dropped();
            assert_eq!(
                live,
                usize::from(!gone),
                "{}: the value's copies",
                self.what
            );
        }
        tally.drop_orders.add(1);
        tally.rounds.add(1);
    }

    /// Moves every party due, until none is.
    fn settle(&mut self) {
        let mut moved = true;
        while moved {
            moved = false;
            for i in 0..self.parties.len() {
                let what = &self.what;
                let (senders_gone, receivers_gone) = (self.senders == 0, self.receivers == 0);
                match &mut self.parties[i] {
                    Some(WParty::Closing(task)) if receivers_gone => {
                        task.complete();
                        self.parties[i] = None;
                        self.senders -= 1;
                        moved = true;
                    }
                    Some(WParty::Changing(task, log)) if senders_gone => {
                        task.complete();
                        assert_eq!(take(log), [Got::Closed], "{what}: party {i} got");
                        self.parties[i] = None;
                        self.receivers -= 1;
                        moved = true;
                    }
                    Some(WParty::Closing(task) | WParty::Changing(task, _)) => task.still_waits(),
                    Some(WParty::Unseen(rx)) if !self.told => {
                        assert_eq!(rx.has_changed(), Ok(true), "{what}: a change unseen");
                        if senders_gone {
                            let mut changed = Box::pin(rx.changed());
                            let now = poll_once(changed.as_mut(), Waker::noop());
                            assert_eq!(now, Poll::Ready(Ok(())), "{what}: told of it");
                            drop(changed);
                            assert_eq!(rx.borrow().key(), (0, 1), "{what}: the last value");
                            self.told = true;
                        }
                    }
                    Some(WParty::Unseen(rx)) => {
                        assert!(rx.has_changed().is_err(), "{what}: told, then closed");
                        let mut changed = Box::pin(rx.changed());
                        let now = poll_once(changed.as_mut(), Waker::noop());
                        assert!(matches!(now, Poll::Ready(Err(_))), "{what}: closed");
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A task that waits for changes until every sender is gone, logging each.
async fn changes<H: WatchHome<Value>>(mut rx: shared::Receiver<Value, H>, log: Log) {
    while rx.changed().await.is_ok() {
        let key = rx.borrow_and_update().key();
        log.lock().unwrap().push(Got::Value(key));
    }
    log.lock().unwrap().push(Got::Closed);
    drop(rx);
}
