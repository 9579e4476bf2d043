//! The blocked senders of a many-producer channel, as a FIFO line.
//!
//! A sender that finds the core full parks its *value* here with its waker.
//! Whoever frees space (the receiver, after each item it takes) *assigns*
//! that room to the oldest parked sender and wakes it; the woken sender
//! pushes its own value when its task polls it, into the room that waits
//! for it. So:
//!
//! * a `send` future dropped before it returned `Ready` has not sent: its
//!   value never left it for the core (the rule tokio, async-channel,
//!   flume and tachyonix keep; a `timeout(send)` followed by a retry does
//!   not duplicate);
//! * a dropped future that held an assigned room passes it to the next in
//!   line, so no room and no wakeup is lost;
//! * every freed room wakes at most one sender, which completes without a
//!   retry while others wait behind it (senders that do not wait go behind
//!   the line, see `mark`), and blocked senders go in the order they
//!   parked.
//!
//! A *blocking* send (a thread in `send_blocking`, `send_timeout`) parks
//! for a hand-over instead: whoever frees room moves its value into the
//! core itself and wakes the thread, whose send is then complete. Nobody
//! can observe the difference there (the call returns only with its
//! outcome, and a timed-out call that finds its value sent returns `Ok`),
//! and the receiver need not wait for a sleeping thread to push.
//!
//! A *forgotten* future (`mem::forget`) that was assigned a room keeps it
//! only while others wait in line: once the line is empty, a sender that
//! does not wait takes that room, and the channel has its whole capacity
//! again (a forgotten tokio permit keeps its room for good). Until then,
//! a channel of capacity 1 is stuck, as tokio's is for good.
//!
//! # An intrusive list, no allocation
//!
//! Each waiter's place (a [`Waiter`]: the value, the waker, the links) lives
//! *inside its future*, which is pinned before it is first polled; the queue
//! only links those places together. So parking allocates nothing, and the
//! queue needs neither `alloc` nor `std`: its lock is a `std` mutex with
//! `std`, a `critical-section` without (the embedded convention: no
//! spinlock either way).
//!
//! It is sound under `mem::forget`: a pinned future's memory is never
//! reused before its `drop` runs (the `Pin` contract), so a forgotten
//! future's place stays valid (its memory is leaked, as `forget` says). A
//! future that is dropped takes its place out of the list first, under the
//! lock.
//!
//! Every access to a place, by its future or by the queue, happens under
//! the lock. The receiver's common case, nobody parked, takes no lock: a
//! `SeqCst` fence and one load of the count.
//!
//! The values that the queue itself pushes (a permit's value that found
//! the core full, an *orphan*: no future waits for it; a blocking send's)
//! go into the core *under* the lock, so that a hand-over, a close and a cancel never see
//! one another half done. Wakers and the values' drops, user code that may
//! panic or re-enter, run outside the lock.
//!
//! # The line
//!
//! The line is every parked send, every orphan, and every reservation of
//! several permits waiting (`reserve_many`: while it waits for enough room
//! at once, senders that do not wait would otherwise take each room as it
//! frees, and starve it; one permit is granted at the first room freed,
//! so a single reservation needs no place in the line). Whenever what it holds
//! changes (anyone, any orphan: a [`Line`]), `mark` tells the channel,
//! under the lock. A channel whose senders go in order
//! ([`SendOrder::Fifo`](crate::SendOrder)) marks itself while anyone
//! waits: senders that do not wait then go behind the line instead of
//! taking a room assigned to someone in it, which keeps the line FIFO and
//! spares an assigned sender a futile wakeup. One that lets them overtake
//! marks itself only while an orphan waits, so that a producer's later
//! sends never pass its own permit's value. A permit's value and an
//! assigned sender's value go in regardless: each stands for a room of
//! its own.
//!
//! An assigned sender leaves the line when it is assigned: while others
//! still wait, the mark protects its room; once nobody does, a sender that
//! does not wait may take it before the woken one runs, which then parks
//! again, first, for the next room (one futile wakeup, only as the line
//! empties; the price of a forgotten future never holding a room for
//! good).
//!
//! # States of a place
//!
//! | state      | the value is  | next                                                      |
//! |------------|---------------|-----------------------------------------------------------|
//! | `Idle`     | nowhere       | `Parked` (park), `Watching` (a `closed` future), `Reserving` |
//! | `Parked`   | in the place  | `Assigned` (room freed), `Sent` (a blocking send's, handed over), `Rejected` (close), `Idle` (its own push, or cancel: the value is dropped) |
//! | `Sent`     | in the core   | `Idle`, when the blocking send reads it (`Ready(Ok)`)     |
//! | `Assigned` | in the place  | `Idle`, when the future takes it to push (`poll`), or is dropped (the room passes on); out of the line |
//! | `Rejected` | in the place  | `Idle`, when the future takes it back (`Ready(Err(value))`) or is dropped |
//! | `Lost`     | gone          | the core's push panicked during a hand-over; the send panics when polled |
//! | `Watching` | (none)        | a `closed` future, in the watchers' list; `close` wakes it |
//! | `Reserving`| (none)        | a `reserve` future in line: `Granted` or `Refused`        |
//!
//! A place is *linked* (in the parked FIFO, or in the watchers' list) while
//! `Parked`, `Reserving` or `Watching` before the close, and only then.

use core::fmt;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Poll, Waker};

use crate::intrusive_list::{Linked, Links, List};
use crate::sync::{fence, AtomicU8, AtomicUsize, Lock, Ordering, UnsafeCell};

enum State<T> {
    Idle,
    Parked {
        item: T,
        waker: Waker,
    },
    /// A room was freed for this value; its sender, woken, pushes it.
    Assigned {
        item: T,
    },
    /// A blocking send's value, moved into the core by a hand-over.
    Sent,
    Rejected {
        item: T,
    },
    Lost,
    Watching {
        waker: Option<Waker>,
    },
    /// A `reserve` future waiting in line (in the parked list), with the
    /// check of its channel's room.
    Reserving {
        waker: Waker,
        room: RoomCheck,
    },
    /// Its reservation was granted: `count` permits are counted in
    /// `reserved`.
    Granted {
        count: usize,
    },
    /// The channel closed while it waited.
    Refused,
}
impl<T> State<T> {
    /// Whether the place counts in the line (see the module docs): a
    /// parked send, or a reservation of several permits.
    fn in_line(&self) -> bool {
        match self {
            State::Parked { .. } => true,
            State::Reserving { room, .. } => room.count > 1,
            _ => false,
        }
    }
}

struct Node<T> {
    state: State<T>,
    links: Links<Waiter<T>>,
    /// A blocking send's place: its value is handed over (see the module
    /// docs).
    moved: bool,
    /// A permit's value parked because a sender that does not wait took
    /// the permit's room: the place is boxed and belongs to the queue,
    /// which frees it once the value is in the core or dropped.
    orphan: bool,
}

/// One future's place in the queue: it lives in the future, which must be
/// pinned before the place is used, and stays valid until the future's
/// `drop`, which calls [`HandoffQueue::cancel`].
pub struct Waiter<T> {
    node: UnsafeCell<Node<T>>,
    /// Set (to 1) by whoever resolves a parked send for its owner
    /// (`Assigned`, `Sent`, `Rejected`), under the lock and as its last
    /// access to the place: from then on the place is the owner's alone
    /// (out of every list), so the owner's `poll` reads the outcome without
    /// the lock. Cleared by the owner when it parks.
    resolved: AtomicU8,
    _pinned: PhantomPinned,
}

// Safety: the place is only touched under the queue's lock (see the module
// docs); it hands a `T` between threads, so it needs `T: Send`, and no more.
unsafe impl<T: Send> Send for Waiter<T> {}
// Safety: as above: a shared reference only reaches the place under the lock.
unsafe impl<T: Send> Sync for Waiter<T> {}

impl<T> Waiter<T> {
    /// A place not in any queue.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            node: UnsafeCell::new(Node {
                state: State::Idle,
                links: Links::new(),
                moved: false,
                orphan: false,
            }),
            resolved: AtomicU8::new(0),
            _pinned: PhantomPinned,
        }
    }

    /// A place not in any queue.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            node: UnsafeCell::new(Node {
                state: State::Idle,
                links: Links::new(),
                moved: false,
                orphan: false,
            }),
            resolved: AtomicU8::new(0),
            _pinned: PhantomPinned,
        }
    }
}

impl<T> Default for Waiter<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Waiter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The state is the lock's to read; this says nothing more.
        f.debug_struct("Waiter").finish_non_exhaustive()
    }
}

/// Tells the owner of `waiter` that its place holds an outcome, so that
/// its `poll` may read the place without the lock.
///
/// # Safety
///
/// Under the queue's lock, with `waiter` valid and just taken out of every
/// list with an outcome for its owner in its state. The caller must not
/// touch the place afterwards (its future may complete and go away).
unsafe fn resolve<T>(waiter: NonNull<Waiter<T>>) {
    // Safety: the caller's contract: valid until this store is seen.
    let waiter = unsafe { waiter.as_ref() };
    // Ordering: Release, pairs with the owner's Acquire load in `poll`: the
    // state written before (under the lock) is visible to its lock-free
    // read.
    waiter.resolved.store(1, Ordering::Release);
}

/// Runs `f` on the node of `waiter`.
///
/// # Safety
///
/// Under the queue's lock, with `waiter` valid (a linked place is: see the
/// module docs), and not from within another `with_node` on the same place;
/// or by the owner of a resolved place (see [`resolve`]), which nobody else
/// touches.
unsafe fn with_node<T, R>(waiter: NonNull<Waiter<T>>, f: impl FnOnce(&mut Node<T>) -> R) -> R {
    // Safety: the caller's contract: valid, and exclusive under the lock.
    unsafe { waiter.as_ref().node.with_mut(|node| f(&mut *node)) }
}

// Safety: the links are a field of the node, which `with_node` gives alone
// under the same contract.
unsafe impl<T> Linked for Waiter<T> {
    unsafe fn with_links<R>(w: NonNull<Self>, f: impl FnOnce(&mut Links<Self>) -> R) -> R {
        // Safety: the caller's contract is `with_node`'s.
        unsafe { with_node(w, |n| f(&mut n.links)) }
    }
}

struct Queues<T> {
    /// Parked values and reservations, oldest first.
    parked: List<Waiter<T>>,
    /// `closed` futures.
    watchers: List<Waiter<T>>,
    /// The channel is closed: nothing parks or watches any more.
    closed: bool,
    /// How many are in the line (see the module docs): parked sends and
    /// orphans.
    line: usize,
    /// How many of them are orphans.
    orphans: usize,
}

/// What the line holds, told to the channel (`mark`) whenever it changes:
/// a channel that keeps senders in order marks itself while anyone waits
/// in line; one that lets senders overtake, only while an orphan does (a
/// permit's value, which its own producer's later sends must not pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Anyone waits in line: a parked send or an orphan.
    pub waiting: bool,
    /// An orphan waits in line.
    pub orphans: bool,
}

impl<T> Queues<T> {
    fn line_now(&self) -> Line {
        Line {
            waiting: self.line != 0,
            orphans: self.orphans != 0,
        }
    }

    /// Tells `mark` what the line holds if it changed since `before`.
    fn report(&self, before: Line, mark: impl FnOnce(Line)) {
        let now = self.line_now();
        if now != before {
            mark(now);
        }
    }

    /// One more in the line (an orphan with `orphan`).
    fn join_line(&mut self, orphan: bool, mark: impl FnOnce(Line)) {
        let before = self.line_now();
        self.line += 1;
        self.orphans += usize::from(orphan);
        self.report(before, mark);
    }

    /// One fewer in the line (an orphan with `orphan`).
    fn leave_line(&mut self, orphan: bool, mark: impl FnOnce(Line)) {
        let before = self.line_now();
        self.line -= 1;
        self.orphans -= usize::from(orphan);
        self.report(before, mark);
    }
}

/// The queue of parked values (and of `closed` futures).
pub struct HandoffQueue<T> {
    /// How many places are in the parked list. Written under the lock, read
    /// without it by whoever frees space.
    len: AtomicUsize,
    /// Outstanding permits: reservations granted and not yet used or
    /// dropped. A reservation is granted only while the core's length plus
    /// this stays below its capacity.
    reserved: AtomicUsize,
    queues: Lock<Queues<T>>,
}

// Safety: the lists' pointers are only followed under the lock, to places
// kept valid by their futures (see the module docs); values of `T` move
// between threads through it, so `T: Send` is needed, and enough.
unsafe impl<T: Send> Send for HandoffQueue<T> {}
// Safety: as above.
unsafe impl<T: Send> Sync for HandoffQueue<T> {}

impl<T> HandoffQueue<T> {
    /// An empty queue.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            reserved: AtomicUsize::new(0),
            queues: Lock::new(Queues {
                parked: List::new(),
                watchers: List::new(),
                closed: false,
                line: 0,
                orphans: 0,
            }),
        }
    }

    /// An empty queue.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            reserved: AtomicUsize::new(0),
            queues: Lock::new(Queues {
                parked: List::new(),
                watchers: List::new(),
                closed: false,
                line: 0,
                orphans: 0,
            }),
        }
    }

    /// Parks `item` in `waiter` (an idle place) at the back of the line, or
    /// at its front (`front`: a sender whose assigned room was taken by a
    /// sender that had not seen the line), or hands `item` back if the
    /// channel is closed. With `moved` (a blocking send), whoever frees
    /// room moves the value in rather than assigning the room.
    ///
    /// The caller then runs [`hand_over`](Self::hand_over) once, for its own
    /// place: the fence here orders this registration before that attempt,
    /// against the fence of [`space_freed`](Self::space_freed), so that
    /// space freed before the registration was visible is not missed.
    pub fn park(
        &self,
        waiter: Pin<&Waiter<T>>,
        item: T,
        waker: &Waker,
        front: bool,
        moved: bool,
        mark: impl FnOnce(Line),
    ) -> Result<(), T> {
        let waker = waker.clone(); // outside the lock: user code may panic
        let w = NonNull::from(&*waiter);
        let refused = self.queues.with(|q| {
            if q.closed {
                return Some((item, waker));
            }
            // Safety: under the lock; the place is pinned and idle, so valid
            // until its future's drop, which unlinks it first.
            unsafe {
                with_node(w, |n| {
                    n.state = State::Parked { item, waker };
                    n.moved = moved;
                });
                // Ordering: Relaxed; only this owner reads it, and others
                // set it only once the place is linked, under this lock.
                waiter.resolved.store(0, Ordering::Relaxed);
                if front {
                    q.parked.push_front(w);
                } else {
                    q.parked.push_back(w);
                }
            }
            q.join_line(false, mark);
            // Ordering: Relaxed; the fence below orders it.
            self.len.fetch_add(1, Ordering::Relaxed);
            None
        });
        if let Some((item, waker)) = refused {
            drop(waker);
            return Err(item);
        }
        // Ordering: SeqCst, pairs with the fence in `space_freed`: either
        // that side's load of `len` sees this registration, or the caller's
        // hand-over attempt after this fence sees the space.
        fence(Ordering::SeqCst);
        Ok(())
    }

    /// The outcome of the value parked in `waiter`, once there is one (the
    /// place is then idle again); `Pending` meanwhile, after refreshing the
    /// waker.
    pub fn poll(&self, waiter: Pin<&Waiter<T>>, waker: &Waker) -> Poll<Outcome<T>> {
        let w = NonNull::from(&*waiter);
        // Ordering: Acquire, pairs with the Release store of `resolve`: the
        // outcome written under the lock before it is visible here.
        if waiter.resolved.load(Ordering::Acquire) != 0 {
            // Resolved places are out of every list, and nothing but their
            // owner touches them: no lock (the common case of a woken send).
            // Safety: the caller's place, pinned; the Acquire above orders
            // the resolver's writes before this access, and none follows.
            let taken = unsafe { with_node(w, |n| core::mem::replace(&mut n.state, State::Idle)) };
            return Poll::Ready(match taken {
                State::Assigned { item } => Outcome::Assigned(item),
                State::Rejected { item } => Outcome::Rejected(item),
                State::Sent => Outcome::Sent,
                _ => unreachable!("only an outcome is resolved"),
            });
        }
        let (outcome, stale) = self.queues.with(|_| {
            // Safety: under the lock; the caller's place, pinned.
            let taken = unsafe {
                with_node(w, |n| match &mut n.state {
                    State::Parked { waker: old, .. } => {
                        let stale =
                            (!old.will_wake(waker)).then(|| core::mem::replace(old, waker.clone()));
                        Err(stale)
                    }
                    _ => Ok(core::mem::replace(&mut n.state, State::Idle)),
                })
            };
            match taken {
                Err(stale) => (None, stale),
                Ok(State::Assigned { item }) => (Some(Some(Outcome::Assigned(item))), None),
                Ok(State::Rejected { item }) => (Some(Some(Outcome::Rejected(item))), None),
                Ok(State::Sent) => (Some(Some(Outcome::Sent)), None),
                Ok(State::Lost) => (Some(Some(Outcome::Lost)), None),
                Ok(other) => {
                    // Put back, for the future's drop.
                    // Safety: as above.
                    unsafe { with_node(w, |n| n.state = other) };
                    (Some(None), None)
                }
            }
        });
        drop(stale); // outside the lock: user code may panic
        match outcome {
            None => Poll::Pending,
            Some(Some(outcome)) => Poll::Ready(outcome),
            Some(None) => unreachable!("polled a place that held no send"),
        }
    }

    /// The future that owns `waiter` goes away: its place leaves the queue
    /// and the line, and its value is dropped (it never went into the
    /// core). The caller passes on what the place held: an assigned room,
    /// a granted permit.
    ///
    /// Called from the future's `drop` (its place pinned since its first
    /// poll, or never used), whatever the state.
    pub fn cancel(&self, waiter: Pin<&Waiter<T>>, mark: impl FnOnce(Line)) -> Cancelled {
        let state = self.take_place(waiter, mark);
        let cancelled = match state {
            State::Granted { count } => Cancelled::GrantedPermits(count),
            State::Reserving { room, .. } if room.count > 1 => {
                Cancelled::WaitingReservation(room.count)
            }
            State::Assigned { .. } => Cancelled::AssignedRoom,
            _ => Cancelled::Nothing,
        };
        drop(state); // outside the lock: the value's and the waker's drops are user code
        cancelled
    }

    /// A send stops waiting but keeps its future (a blocking send whose
    /// time ran out): its place leaves the queue and the line, idle again,
    /// and the caller gets its value back with what it may do with it.
    pub fn withdraw(&self, waiter: Pin<&Waiter<T>>, mark: impl FnOnce(Line)) -> Withdrawn<T> {
        match self.take_place(waiter, mark) {
            State::Parked { item, waker } => {
                drop(waker); // outside the lock: user code
                Withdrawn::NotSent(item)
            }
            State::Assigned { item } => Withdrawn::Assigned(item),
            State::Rejected { item } => Withdrawn::Rejected(item),
            State::Sent => Withdrawn::Sent,
            State::Lost => Withdrawn::Lost,
            other => {
                drop(other);
                unreachable!("withdrew a place that held no send")
            }
        }
    }

    /// Unlinks the place of `waiter` if it is linked, takes it out of the
    /// line if it is in it, and leaves it idle; returns what it held.
    fn take_place(&self, waiter: Pin<&Waiter<T>>, mark: impl FnOnce(Line)) -> State<T> {
        let w = NonNull::from(&*waiter);
        self.queues.with(|q| {
            // Safety: under the lock; the caller's place.
            unsafe {
                let (linked, waiting, in_line) = with_node(w, |n| {
                    (
                        n.links.is_linked(),
                        matches!(n.state, State::Parked { .. } | State::Reserving { .. }),
                        n.state.in_line(),
                    )
                });
                if linked && waiting {
                    q.parked.unlink(w);
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                } else if linked {
                    q.watchers.unlink(w);
                }
                if in_line {
                    q.leave_line(false, mark);
                }
                with_node(w, |n| core::mem::replace(&mut n.state, State::Idle))
            }
        })
    }

    /// Called after an item was taken from the core: if anyone waits in
    /// line, the room goes to the first (see [`hand_over`](Self::hand_over)).
    #[inline(always)]
    pub fn space_freed(
        &self,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        self.serve_if_waiting(true, push, mark)
    }

    /// A fence, then a hand-over (`freed` as there) if anyone waits in
    /// line: after a take, a permit's release, or an orphan parked by a
    /// forced send.
    #[inline(always)]
    fn serve_if_waiting(
        &self,
        freed: bool,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        // Ordering: SeqCst, pairs with the fence in `park` (see there):
        // either the other side's fence comes after this one and it sees
        // what was done before this (a freed room, a parked value), or this
        // look sees what it parked.
        fence(Ordering::SeqCst);
        // Ordering: Relaxed, ordered by the fence above.
        if self.len.load(Ordering::Relaxed) != 0 {
            self.hand_over(None, freed, push, mark)
        } else {
            HandOver::Nothing
        }
    }

    /// Serves the first place of the parked list, if the core has room for
    /// it:
    ///
    /// * the caller's own place (`own`): its value goes into the core with
    ///   `push` (its send is complete: `Own`);
    /// * an orphan, or a blocking send's value: it goes into the core with
    ///   `push` (`Pushed`; the blocking send is woken, its send complete);
    /// * a reservation: granted if its channel's core has room beyond the
    ///   permits outstanding, and woken (`Woken`);
    /// * another sender's value: only if the caller freed a room (`freed`),
    ///   which is then assigned to it; it is woken to push it (`Woken`).
    ///   A parker that merely looks for room it may have missed leaves it:
    ///   that sender looks for itself after parking.
    ///
    /// Never inlined: it takes a lock anyway, and inlined into the
    /// receiver's `pop` it made that hot path save six registers per call.
    #[inline(never)]
    pub fn hand_over(
        &self,
        own: Option<Pin<&Waiter<T>>>,
        freed: bool,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        let own = own.map(|w| NonNull::from(&*w));
        // Declared before the lock is taken, so dropped after it is
        // released on unwinding.
        let mut unwinding = PushPanicked {
            len: &self.len,
            waker: None,
        };
        let (handed, waker, orphan) = self.queues.with(|q| {
            let Some(w) = q.parked.head() else {
                return (HandOver::Nothing, None, None);
            };
            // Safety: under the lock; `w` is linked, so valid (and below).
            let (orphan, moved, reserving) = unsafe {
                with_node(w, |n| {
                    (
                        n.orphan,
                        n.moved,
                        matches!(n.state, State::Reserving { .. }),
                    )
                })
            };
            if reserving {
                // Ordering: Relaxed, under the lock (grants are made
                // under it); the check reads the core.
                let permits = self.reserved.load(Ordering::Relaxed);
                // Safety: as above; the check's channel outlives its
                // waiters.
                let granted = unsafe {
                    with_node(w, |n| {
                        let State::Reserving { room, .. } = &n.state else {
                            unreachable!()
                        };
                        if !room.has_room(permits) {
                            return None;
                        }
                        let count = room.count;
                        match core::mem::replace(&mut n.state, State::Granted { count }) {
                            State::Reserving { waker, .. } => Some((waker, count)),
                            _ => unreachable!(),
                        }
                    })
                };
                let Some((waker, count)) = granted else {
                    return (HandOver::Nothing, None, None);
                };
                if count > 1 {
                    q.leave_line(false, mark);
                }
                // Safety: under the lock; `w` is linked here.
                unsafe { q.parked.unlink(w) };
                // Ordering: Relaxed; read and written under the lock by
                // grants, and by permits' CAS and `fetch_sub` outside it,
                // which only need the count to be exact.
                self.reserved.fetch_add(count, Ordering::Relaxed);
                // Ordering: Relaxed, under the lock; see `len`.
                self.len.fetch_sub(1, Ordering::Relaxed);
                let handed = if own == Some(w) {
                    HandOver::Own
                } else {
                    HandOver::Woken
                };
                return (handed, Some(waker), None);
            }
            if !orphan && !moved && own != Some(w) {
                if !freed {
                    return (HandOver::Nothing, None, None);
                }
                // Safety: under the lock; `w` is linked here.
                unsafe {
                    q.parked.unlink(w);
                    let waker =
                        with_node(w, |n| match core::mem::replace(&mut n.state, State::Lost) {
                            State::Parked { item, waker } => {
                                n.state = State::Assigned { item };
                                waker
                            }
                            _ => unreachable!("only waiting places are in the parked list"),
                        });
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    q.leave_line(false, mark);
                    // Last: the place is its owner's from here on.
                    resolve(w);
                    return (HandOver::Woken, Some(waker), None);
                }
            }
            // The value goes in now: the caller's own, an orphan's, or a
            // blocking send's.
            // Safety: under the lock; `w` is linked here.
            let taken = unsafe {
                q.parked.unlink(w);
                with_node(w, |n| core::mem::replace(&mut n.state, State::Lost))
            };
            let State::Parked { item, waker } = taken else {
                unreachable!("only waiting places are in the parked list")
            };
            // Out of the line before the push, which may panic (the value
            // then goes with the panic; a mark left set only sends senders
            // the slow way); back in if the core is full.
            let before = q.line_now();
            q.line -= 1;
            q.orphans -= usize::from(orphan);
            unwinding.waker = Some(waker);
            let pushed = push(item);
            let waker = unwinding.waker.take().expect("set above");
            match pushed {
                Ok(()) => {
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    q.report(before, mark);
                    if orphan {
                        (HandOver::Pushed, Some(waker), Some(w))
                    } else if own == Some(w) {
                        // Safety: as above: the caller's own place, idle.
                        unsafe { with_node(w, |n| n.state = State::Idle) };
                        (HandOver::Own, Some(waker), None)
                    } else {
                        // Safety: as above; nothing touches the place
                        // after `resolve`.
                        unsafe {
                            with_node(w, |n| n.state = State::Sent);
                            resolve(w);
                        }
                        // Its thread is woken, its send complete.
                        (HandOver::Pushed, Some(waker), None)
                    }
                }
                Err(item) => {
                    // The core is full: still first in line.
                    q.line += 1;
                    q.orphans += usize::from(orphan);
                    // Safety: as above.
                    unsafe {
                        with_node(w, |n| n.state = State::Parked { item, waker });
                        q.parked.push_front(w);
                    }
                    (HandOver::Nothing, None, None)
                }
            }
        });
        // Outside the lock: user code. (An orphan's waker is a no-op one,
        // dropped with it.)
        match (handed, waker) {
            (HandOver::Woken, Some(waker)) => waker.wake(),
            (HandOver::Pushed, Some(waker)) if orphan.is_none() => waker.wake(),
            (_, waker) => drop(waker),
        }
        if let Some(orphan) = orphan {
            // Safety: an orphan's place was boxed by `park_orphan` and is
            // out of the list: nothing else refers to it.
            unsafe { free_orphan(orphan) };
        }
        handed
    }

    /// After parking an orphan outside a permit's release (a forced send's
    /// value that found the core full again): looks for room an item taken
    /// meanwhile may have freed before the orphan was visible, as a permit's
    /// release does.
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    pub fn look_again(
        &self,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        self.serve_if_waiting(false, push, mark)
    }

    /// A room assigned to a future that went away: it goes to the first in
    /// line, or stays free in the core. (Under the lock, so a sender that
    /// parks after this finds the room when it looks for itself.)
    pub fn release_room(
        &self,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        self.hand_over(None, true, push, mark)
    }

    /// Polls a `closed` future whose place is `waiter`: ready once the queue
    /// is closed (the place is then idle), otherwise registers `waker`.
    pub fn poll_closed(&self, waiter: Pin<&Waiter<T>>, waker: &Waker) -> Poll<()> {
        let w = NonNull::from(&*waiter);
        let (ready, stale) = self.queues.with(|q| {
            // Safety: under the lock; the caller's place, pinned.
            unsafe {
                if q.closed {
                    if with_node(w, |n| n.links.is_linked()) {
                        q.watchers.unlink(w);
                    }
                    let old = with_node(w, |n| core::mem::replace(&mut n.state, State::Idle));
                    return (true, Some(old));
                }
                let idle = with_node(w, |n| match &mut n.state {
                    State::Watching { waker: Some(old) } => {
                        if !old.will_wake(waker) {
                            *old = waker.clone();
                        }
                        false
                    }
                    _ => true,
                });
                if idle {
                    with_node(w, |n| {
                        n.state = State::Watching {
                            waker: Some(waker.clone()),
                        }
                    });
                    q.watchers.push_back(w);
                }
                (false, None)
            }
        });
        drop(stale); // outside the lock
        if ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Closes the queue: nothing parks any more, every parked sender gets
    /// its value back, and every `closed` future is woken (one per lock,
    /// outside it). A sender assigned a room learns of the close when it
    /// pushes.
    ///
    /// A waker that panics does not leave the others waiting: the closing
    /// goes on while the panic unwinds (a second panic there aborts).
    pub fn close(&self) {
        self.queues.with(|q| q.closed = true);
        let rest = CloseOnUnwind(self);
        self.wake_all_closed();
        core::mem::forget(rest);
    }

    /// Empties both lists of a closed queue, waking each place's task.
    fn wake_all_closed(&self) {
        loop {
            let waker = self.queues.with(|q| {
                // Safety: under the lock; linked places are valid.
                unsafe {
                    if let Some(w) = q.parked.pop_front() {
                        // Ordering: Relaxed, under the lock; see `len`.
                        self.len.fetch_sub(1, Ordering::Relaxed);
                        let taken = with_node(w, |n| core::mem::replace(&mut n.state, State::Lost));
                        return Some(match taken {
                            State::Parked { item, waker } => {
                                // Closed: the mark no longer matters
                                // (senders see `CLOSED` first).
                                let orphan = with_node(w, |n| n.orphan);
                                q.leave_line(orphan, |_| {});
                                if orphan {
                                    Closing::Orphan(w, item)
                                } else {
                                    with_node(w, |n| n.state = State::Rejected { item });
                                    resolve(w);
                                    Closing::Wake(Some(waker))
                                }
                            }
                            State::Reserving { waker, room } => {
                                if room.count > 1 {
                                    q.leave_line(false, |_| {});
                                }
                                with_node(w, |n| n.state = State::Refused);
                                Closing::Wake(Some(waker))
                            }
                            _ => unreachable!("only waiting places are in the parked list"),
                        });
                    }
                    let w = q.watchers.pop_front()?;
                    Some(Closing::Wake(with_node(w, |n| match &mut n.state {
                        State::Watching { waker } => waker.take(),
                        _ => None,
                    })))
                }
            });
            match waker {
                None => return,
                Some(Closing::Wake(waker)) => {
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                }
                Some(Closing::Orphan(w, item)) => {
                    drop(item);
                    // Safety: out of the list, boxed by `park_orphan`.
                    unsafe { free_orphan(w) };
                }
            }
        }
    }
}

/// Finishes closing a queue if a waker panicked while it was closing.
struct CloseOnUnwind<'a, T>(&'a HandoffQueue<T>);

impl<T> Drop for CloseOnUnwind<'_, T> {
    fn drop(&mut self) {
        self.0.wake_all_closed();
    }
}

/// How a waiting reservation checks its channel's room: a function of the
/// channel (monomorphized for its core), the channel's address, and how
/// many permits the reservation asks for.
#[derive(Clone, Copy)]
pub struct RoomCheck {
    check: unsafe fn(*const (), usize, usize) -> bool,
    channel: *const (),
    count: usize,
}

impl fmt::Debug for RoomCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoomCheck").finish_non_exhaustive()
    }
}

impl RoomCheck {
    /// `check(channel, permits, count)` says whether the core has room
    /// for `count` more beyond `permits` outstanding; the reservation asks
    /// for `count` (at least one).
    ///
    /// # Safety
    ///
    /// `channel` stays valid for `check` while any reservation made with
    /// this check waits (a channel outlives its waiters).
    pub unsafe fn new(
        check: unsafe fn(*const (), usize, usize) -> bool,
        channel: *const (),
        count: usize,
    ) -> Self {
        debug_assert!(count > 0, "a reservation asks for at least one permit");
        Self {
            check,
            channel,
            count,
        }
    }

    /// How many permits the reservation asks for.
    pub fn count(&self) -> usize {
        self.count
    }

    fn has_room(&self, permits: usize) -> bool {
        // Safety: the contract of `new`.
        unsafe { (self.check)(self.channel, permits, self.count) }
    }
}

/// What `cancel` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// Nothing for the caller to do.
    Nothing,
    /// A reservation had been granted to the future: the caller releases
    /// the `n` permits it never turned into permits.
    GrantedPermits(usize),
    /// A reservation of `n > 1` permits left the line ungranted: rooms
    /// that were free but too few for it may serve those behind it, so the
    /// caller passes up to `n - 1` of them on.
    WaitingReservation(usize),
    /// A room had been assigned to the future's value: the caller passes
    /// it to the next in line.
    AssignedRoom,
}

/// Where a withdrawn send's value is (see [`HandoffQueue::withdraw`]).
#[derive(Debug)]
pub enum Withdrawn<T> {
    /// Still parked: not sent; here it is.
    NotSent(T),
    /// A room was assigned to it: here it is, for the caller to push.
    Assigned(T),
    /// The channel closed while it waited: here it is.
    Rejected(T),
    /// A blocking send's value, handed over into the core: sent.
    Sent,
    /// The core's push panicked while taking it.
    Lost,
}

/// One step of `close`.
enum Closing<T> {
    Wake(Option<Waker>),
    Orphan(NonNull<Waiter<T>>, T),
}

/// Frees an orphan's boxed place.
///
/// # Safety
///
/// `w` came from `park_orphan`'s box, is out of the list, and is freed once.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
unsafe fn free_orphan<T>(w: NonNull<Waiter<T>>) {
    // Safety: the caller's contract.
    drop(unsafe { alloc::boxed::Box::from_raw(w.as_ptr()) });
}

/// Without `alloc` there are no orphans (many-producer permits need it).
#[cfg(not(any(feature = "alloc", diatomic_waker_loom)))]
unsafe fn free_orphan<T>(_: NonNull<Waiter<T>>) {
    unreachable!("orphans need `alloc`")
}

impl<T> HandoffQueue<T> {
    /// Whether anything waits in line.
    pub fn has_waiting(&self) -> bool {
        // Ordering: Acquire; called by the receiver going away after it saw
        // no sender left (Acquire), so every parking is visible.
        self.len.load(Ordering::Acquire) != 0
    }

    /// Counts `count` permits if nobody waits in line and `room(permits)`
    /// says the core has room for them beyond the `permits` outstanding.
    pub fn try_reserve(&self, room: impl Fn(usize) -> bool, count: usize) -> bool {
        // Ordering: Relaxed; a waiter in line (counted under the lock) goes
        // first, and a stale zero only lets this reservation compete with
        // it for room that `room` checks anyway.
        if self.len.load(Ordering::Relaxed) != 0 {
            return false;
        }
        // Ordering: Relaxed; the count is all that matters (see `reserved`).
        let mut permits = self.reserved.load(Ordering::Relaxed);
        loop {
            if !room(permits) {
                return false;
            }
            // Ordering: Relaxed, as above.
            match self.reserved.compare_exchange_weak(
                permits,
                permits + count,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(current) => permits = current,
            }
        }
    }

    /// Puts the reservation of `waiter` (an idle place) in line, behind the
    /// values and reservations already waiting, or returns `false` if the
    /// channel is closed. As with `park`, the caller then attempts one
    /// hand-over.
    ///
    /// A reservation of several permits joins the line too (`mark`), so
    /// that senders that do not wait cannot take each room it needs as it
    /// frees, one at a time, and starve it.
    pub fn enqueue_reservation(
        &self,
        waiter: Pin<&Waiter<T>>,
        waker: &Waker,
        room: RoomCheck,
        mark: impl FnOnce(Line),
    ) -> bool {
        let waker = waker.clone(); // outside the lock: user code may panic
        let w = NonNull::from(&*waiter);
        let queued = self.queues.with(|q| {
            if q.closed {
                return false;
            }
            // Safety: under the lock; the place is pinned and idle.
            unsafe {
                with_node(w, |n| n.state = State::Reserving { waker, room });
                q.parked.push_back(w);
                if room.count > 1 {
                    q.join_line(false, mark);
                }
            }
            // Ordering: Relaxed; the fence below orders it.
            self.len.fetch_add(1, Ordering::Relaxed);
            true
        });
        // Ordering: SeqCst, as in `park`.
        fence(Ordering::SeqCst);
        queued
    }

    /// The reservation in `waiter`: `Ready(true)` once granted (a permit is
    /// counted), `Ready(false)` if the channel closed; the place is then
    /// idle again.
    pub fn poll_reservation(&self, waiter: Pin<&Waiter<T>>, waker: &Waker) -> Poll<bool> {
        let w = NonNull::from(&*waiter);
        let (outcome, stale) = self.queues.with(|_| {
            // Safety: under the lock; the caller's place, pinned.
            unsafe {
                with_node(w, |n| match &mut n.state {
                    State::Reserving { waker: old, .. } => {
                        let stale =
                            (!old.will_wake(waker)).then(|| core::mem::replace(old, waker.clone()));
                        (None, stale)
                    }
                    _ => (Some(core::mem::replace(&mut n.state, State::Idle)), None),
                })
            }
        });
        drop(stale);
        match outcome {
            None => Poll::Pending,
            Some(State::Granted { .. }) => Poll::Ready(true),
            Some(State::Refused) => Poll::Ready(false),
            Some(_) => unreachable!("polled a place that was not reserving"),
        }
    }

    /// A permit goes away, unused (`freed`: its room goes to whoever waits
    /// first in line) or after its value went in (a reservation waiting
    /// may now fit): one fewer outstanding.
    pub fn release(
        &self,
        freed: bool,
        push: impl FnOnce(T) -> Result<(), T>,
        mark: impl FnOnce(Line),
    ) -> HandOver {
        // Ordering: Relaxed; see `reserved`.
        self.reserved.fetch_sub(1, Ordering::Relaxed);
        self.serve_if_waiting(freed, push, mark)
    }

    /// A permit's value found the core full (a sender that does not wait
    /// took the room): it waits in line like a parked value, in a boxed
    /// place that the queue frees once the value is in the core; or it is
    /// dropped if the channel is closed. The caller then releases the
    /// permit.
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    ///
    /// It joins the line (see the module docs).
    pub fn park_orphan(&self, item: T, mark: impl FnOnce(Line)) {
        let place = alloc::boxed::Box::new(Waiter::new());
        let w = NonNull::from(alloc::boxed::Box::leak(place));
        let refused = self.queues.with(|q| {
            if q.closed {
                return Some(item);
            }
            // Safety: under the lock; the place is boxed and leaked, so
            // valid until `free_orphan`.
            unsafe {
                with_node(w, |n| {
                    n.state = State::Parked {
                        item,
                        waker: Waker::noop().clone(),
                    };
                    n.orphan = true;
                });
                q.parked.push_back(w);
            }
            q.join_line(true, mark);
            // Ordering: Relaxed; the caller's `release` fences.
            self.len.fetch_add(1, Ordering::Relaxed);
            None
        });
        if let Some(item) = refused {
            drop(item);
            // Safety: never linked; boxed just above.
            unsafe { free_orphan(w) };
        }
    }
}

/// How a parked send ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// A room was assigned to it: the value, for its sender to push.
    Assigned(T),
    /// The channel closed first: the value, back.
    Rejected(T),
    /// A blocking send's value went into the core (a hand-over).
    Sent,
    /// The core's push panicked during the hand-over: the value is gone.
    Lost,
}

/// What a hand-over did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandOver {
    /// Nothing waits, the core was full, or the first in line is another
    /// sender and the caller freed no room.
    Nothing,
    /// The caller's own value went into the core (or its reservation was
    /// granted).
    Own,
    /// A value of the queue's went into the core: an orphan's, or a
    /// blocking send's (whose thread was woken).
    Pushed,
    /// Another waiter was given the room (or a permit) and woken.
    Woken,
}

/// Unwinding out of the core's `try_push` during a hand-over: the value went
/// with the panic and its place is `Lost`; its sender is woken.
struct PushPanicked<'a> {
    len: &'a AtomicUsize,
    waker: Option<Waker>,
}

impl Drop for PushPanicked<'_> {
    fn drop(&mut self) {
        if let Some(waker) = self.waker.take() {
            // Ordering: Relaxed. The lock is released already; the place is
            // out of the list, so the count only comes down to the truth.
            self.len.fetch_sub(1, Ordering::Relaxed);
            // A waker that panics now aborts the process (a panic during a
            // panic); waking is the only way to tell its sender.
            waker.wake();
        }
    }
}

impl<T> Default for HandoffQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for HandoffQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandoffQueue")
            // Ordering: Relaxed, a snapshot for display.
            .field("parked", &self.len.load(Ordering::Relaxed))
            .finish()
    }
}

#[cfg(all(test, not(diatomic_waker_loom)))]
mod tests {
    //! The intrusive list on its own, under Miri too: places pinned on the
    //! stack and in boxes, parked, assigned rooms, cancelled in every state,
    //! unpolled ("forgotten") while others go on, and closed.

    use super::*;
    use core::pin::pin;
    use std::boxed::Box;
    use std::cell::Cell;
    use std::mem::ManuallyDrop;
    use std::vec::Vec;

    fn push_into(core: &mut Vec<u32>, room: usize) -> impl FnOnce(u32) -> Result<(), u32> + '_ {
        move |v| {
            if core.len() < room {
                core.push(v);
                Ok(())
            } else {
                Err(v)
            }
        }
    }

    fn no_push<T>(_: T) -> Result<(), T> {
        unreachable!("nothing is pushed by the queue here")
    }

    fn assigned<T>(q: &HandoffQueue<T>, w: Pin<&Waiter<T>>) -> T {
        match q.poll(w, Waker::noop()) {
            Poll::Ready(Outcome::Assigned(v)) => v,
            _ => panic!("not assigned"),
        }
    }

    #[test]
    fn freed_rooms_are_assigned_in_order_and_places_reused() {
        let q = HandoffQueue::<u32>::new();
        let waker = Waker::noop();
        let mark = Cell::new(false);
        let set = |line: Line| mark.set(line.waiting);
        let (a, b, c) = (
            pin!(Waiter::new()),
            pin!(Waiter::new()),
            pin!(Waiter::new()),
        );
        let (a, b, c) = (a.as_ref(), b.as_ref(), c.as_ref());
        for (w, v) in [(a, 1), (b, 2), (c, 3)] {
            q.park(w, v, waker, false, false, set).unwrap();
            assert!(q.poll(w, waker).is_pending());
        }
        assert!(mark.get(), "the line is marked");
        // A parker looking for room it may have missed leaves another's.
        assert_eq!(q.hand_over(Some(c), false, no_push, set), HandOver::Nothing);
        // Freed rooms go to the oldest, whose value stays with it.
        assert_eq!(q.hand_over(None, true, no_push, set), HandOver::Woken);
        assert_eq!(q.hand_over(None, true, no_push, set), HandOver::Woken);
        assert_eq!(assigned(&q, b), 2);
        assert_eq!(assigned(&q, a), 1);
        assert!(mark.get(), "c is still in line");
        assert_eq!(q.queues.with(|q| q.line), 1);
        // `a` is idle again: it parks anew, behind `c`.
        q.park(a, 4, waker, false, false, set).unwrap();
        assert_eq!(q.hand_over(None, true, no_push, set), HandOver::Woken);
        assert_eq!(assigned(&q, c), 3);
        // First in line, `a` pushes its own value into room it finds.
        let mut core = Vec::new();
        assert_eq!(
            q.hand_over(Some(a), false, push_into(&mut core, 0), set),
            HandOver::Nothing,
            "full"
        );
        assert_eq!(
            q.hand_over(Some(a), false, push_into(&mut core, 1), set),
            HandOver::Own
        );
        assert_eq!(core, [4]);
        assert!(!mark.get(), "the line is empty");
        q.cancel(a, set);
        q.cancel(b, set);
        q.cancel(c, set);
        assert_eq!(q.len.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_blocking_sends_value_is_moved_in_by_whoever_finds_room() {
        let q = HandoffQueue::<u32>::new();
        let waker = Waker::noop();
        let mark = Cell::new(false);
        let set = |line: Line| mark.set(line.waiting);
        let (a, b) = (pin!(Waiter::new()), pin!(Waiter::new()));
        let (a, b) = (a.as_ref(), b.as_ref());
        q.park(a, 1, waker, false, true, set).unwrap(); // a thread's
        q.park(b, 2, waker, false, false, set).unwrap(); // a task's
        let mut core = Vec::new();
        // Even a parker looking for its own room moves it in: nobody can
        // tell (the blocking call returns only with its outcome).
        assert_eq!(
            q.hand_over(Some(b), false, push_into(&mut core, 1), set),
            HandOver::Pushed
        );
        assert_eq!(core, [1]);
        assert_eq!(q.poll(a, waker), Poll::Ready(Outcome::Sent));
        assert!(mark.get(), "b still waits");
        // A task's value stays with it: the room is assigned.
        assert_eq!(q.hand_over(None, true, no_push, set), HandOver::Woken);
        assert_eq!(assigned(&q, b), 2);
        assert!(!mark.get());
        // A timed-out blocking send whose value went in was sent.
        q.park(a, 3, waker, false, true, set).unwrap();
        q.hand_over(None, true, push_into(&mut core, 2), set);
        assert!(matches!(q.withdraw(a, set), Withdrawn::Sent));
        assert_eq!(core, [1, 3]);
    }

    #[test]
    fn a_room_assigned_to_a_cancelled_place_passes_to_the_next() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        let mark = Cell::new(false);
        let set = |line: Line| mark.set(line.waiting);
        let (a, b) = (pin!(Waiter::new()), pin!(Waiter::new()));
        let (a, b) = (a.as_ref(), b.as_ref());
        q.park(a, Box::new(1), waker, false, false, set).unwrap();
        q.park(b, Box::new(2), waker, false, false, set).unwrap();
        assert_eq!(q.hand_over(None, true, no_push, set), HandOver::Woken);
        // Dropped before it pushed: not sent (its box is freed, Miri
        // checks), and the room is the next one's.
        assert_eq!(q.cancel(a, set), Cancelled::AssignedRoom);
        assert_eq!(q.release_room(no_push, set), HandOver::Woken);
        assert!(!mark.get(), "b holds the room: out of the line");
        assert_eq!(*assigned(&q, b), 2);
        // Nobody left: the room stays free.
        assert_eq!(q.release_room(no_push, set), HandOver::Nothing);
    }

    #[test]
    fn withdrawing_gives_the_value_back_in_every_state() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        let (a, b) = (pin!(Waiter::new()), pin!(Waiter::new()));
        let (a, b) = (a.as_ref(), b.as_ref());
        q.park(a, Box::new(1), waker, false, false, |_| {}).unwrap();
        q.park(b, Box::new(2), waker, false, false, |_| {}).unwrap();
        q.hand_over(None, true, no_push, |_| {});
        assert!(matches!(q.withdraw(a, |_| {}), Withdrawn::Assigned(v) if *v == 1));
        assert!(matches!(q.withdraw(b, |_| {}), Withdrawn::NotSent(v) if *v == 2));
        q.park(a, Box::new(3), waker, false, false, |_| {}).unwrap();
        q.close();
        assert!(matches!(q.withdraw(a, |_| {}), Withdrawn::Rejected(v) if *v == 3));
        assert_eq!(q.len.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn cancelling_unlinks_from_the_middle_and_drops_the_value() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        let (a, b, c) = (
            pin!(Waiter::new()),
            pin!(Waiter::new()),
            pin!(Waiter::new()),
        );
        let (a, b, c) = (a.as_ref(), b.as_ref(), c.as_ref());
        for (w, v) in [(a, 1), (b, 2), (c, 3)] {
            q.park(w, Box::new(v), waker, false, false, |_| {}).unwrap();
        }
        assert_eq!(q.cancel(b, |_| {}), Cancelled::Nothing); // the middle one; its box is freed
        for _ in 0..3 {
            q.hand_over(None, true, no_push, |_| {});
        }
        assert_eq!(*assigned(&q, a), 1);
        assert_eq!(*assigned(&q, c), 3);
        q.cancel(a, |_| {});
        q.cancel(c, |_| {});
    }

    #[test]
    fn a_forgotten_boxed_place_keeps_its_room_and_the_others_go_on() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        // As a forgotten future: boxed, pinned, never polled again; here
        // reclaimed at the end, so that Miri sees no leak.
        let forgotten = ManuallyDrop::new(Box::pin(Waiter::new()));
        q.park(forgotten.as_ref(), Box::new(1), waker, false, false, |_| {})
            .unwrap();
        let live = pin!(Waiter::new());
        q.park(live.as_ref(), Box::new(2), waker, false, false, |_| {})
            .unwrap();
        assert_eq!(q.hand_over(None, true, no_push, |_| {}), HandOver::Woken);
        assert_eq!(q.hand_over(None, true, no_push, |_| {}), HandOver::Woken);
        assert_eq!(*assigned(&q, live.as_ref()), 2);
        let forgotten = ManuallyDrop::into_inner(forgotten);
        assert_eq!(
            q.cancel(forgotten.as_ref(), |_| {}),
            Cancelled::AssignedRoom
        );
    }

    #[test]
    fn orphans_are_pushed_by_whoever_frees_room() {
        let q = HandoffQueue::<u32>::new();
        let mark = Cell::new(false);
        let set = |line: Line| mark.set(line.waiting);
        q.park_orphan(5, set);
        assert!(mark.get());
        let mut core = Vec::new();
        assert_eq!(
            q.hand_over(None, false, push_into(&mut core, 0), set),
            HandOver::Nothing
        );
        assert_eq!(
            q.hand_over(None, false, push_into(&mut core, 1), set),
            HandOver::Pushed
        );
        assert_eq!(core, [5]);
        assert!(!mark.get());
        assert_eq!(q.len.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn close_rejects_parked_values_and_wakes_watchers() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        let (a, w1, w2) = (
            pin!(Waiter::new()),
            pin!(Waiter::new()),
            pin!(Waiter::new()),
        );
        let (a, w1, w2) = (a.as_ref(), w1.as_ref(), w2.as_ref());
        q.park(a, Box::new(7), waker, false, false, |_| {}).unwrap();
        assert_eq!(q.poll_closed(w1, waker), Poll::Pending);
        assert_eq!(q.poll_closed(w2, waker), Poll::Pending);
        q.cancel(w1, |_| {}); // a watcher leaves before the close
        q.close();
        assert_eq!(
            q.poll(a, waker),
            Poll::Ready(Outcome::Rejected(Box::new(7)))
        );
        assert_eq!(q.poll_closed(w2, waker), Poll::Ready(()));
        assert!(
            q.park(a, Box::new(8), waker, false, false, |_| {}).is_err(),
            "closed"
        );
        q.cancel(a, |_| {});
        q.cancel(w2, |_| {});
    }

    /// Counts its wakes; the first one panics.
    struct PanicsOnce(std::sync::atomic::AtomicUsize);

    impl std::task::Wake for PanicsOnce {
        fn wake(self: std::sync::Arc<Self>) {
            if self.0.fetch_add(1, Ordering::Relaxed) == 0 {
                panic!("a broken waker");
            }
        }
    }

    #[test]
    fn a_waker_panicking_during_close_leaves_no_place_unwoken() {
        let q = HandoffQueue::<Box<u32>>::new();
        let count = std::sync::Arc::new(PanicsOnce(Default::default()));
        let waker = Waker::from(count.clone());
        let (a, b, c) = (
            pin!(Waiter::new()),
            pin!(Waiter::new()),
            pin!(Waiter::new()),
        );
        let (a, b, c) = (a.as_ref(), b.as_ref(), c.as_ref());
        q.park(a, Box::new(1), &waker, false, false, |_| {})
            .unwrap();
        q.park(b, Box::new(2), &waker, false, false, |_| {})
            .unwrap();
        assert!(q.poll_closed(c, &waker).is_pending());
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| q.close()));
        assert!(panicked.is_err());
        // The first wake panicked; the closing went on for the other two.
        assert_eq!(count.0.load(Ordering::Relaxed), 3);
        assert_eq!(
            q.poll(a, Waker::noop()),
            Poll::Ready(Outcome::Rejected(Box::new(1)))
        );
        assert_eq!(
            q.poll(b, Waker::noop()),
            Poll::Ready(Outcome::Rejected(Box::new(2)))
        );
        assert_eq!(q.poll_closed(c, Waker::noop()), Poll::Ready(()));
        assert_eq!(q.len.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_panicking_push_loses_the_value_and_keeps_the_queue() {
        let q = HandoffQueue::<Box<u32>>::new();
        let waker = Waker::noop();
        let (a, b) = (pin!(Waiter::new()), pin!(Waiter::new()));
        let (a, b) = (a.as_ref(), b.as_ref());
        q.park(a, Box::new(1), waker, false, false, |_| {}).unwrap();
        q.park(b, Box::new(2), waker, false, false, |_| {}).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            q.hand_over(Some(a), false, |_| panic!("a broken core"), |_| {});
        }));
        assert!(panicked.is_err());
        assert_eq!(q.cancel(a, |_| {}), Cancelled::Nothing);
        assert_eq!(q.hand_over(None, true, no_push, |_| {}), HandOver::Woken);
        assert_eq!(*assigned(&q, b), 2);
        assert_eq!(q.len.load(Ordering::Relaxed), 0);
    }
}
