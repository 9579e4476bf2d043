//! The waiting receivers of a channel with many receivers
//! (`receivers = many`), as a FIFO line.
//!
//! A receive that finds the core empty joins the line with its waker; each
//! push then wakes one receiver, the oldest, and takes it out of the line
//! (it is *notified*). So:
//!
//! * every push wakes at most one receiver (never all of them), and only
//!   if one waits: a push into a channel whose receivers are busy costs a
//!   `SeqCst` fence and one load, no lock;
//! * a notified receive that finds nothing joins the line again. Either
//!   the item it was told of is gone (a receiver that did not wait took
//!   it: the core is [certainly empty](crate::ChannelCore::certainly_empty)),
//!   or it is hidden behind a push still being written (a ring's producer
//!   between winning a position and writing it), whose producer will wake
//!   the first receiver in line when it is written. In that case the
//!   receive *owes* its notification: it joins at the front of the line,
//!   so that it is the one woken, and once it has an item it wakes one
//!   more receiver per notification it owes, for the items behind;
//! * a receive future that is dropped passes on the notification it held
//!   and those it owes, so an item never waits while receivers sleep. So
//!   does a receive that, notified while it made its last look before
//!   sleeping, took an item on that look: the item its notification
//!   announced may still be there.
//!
//! A *forgotten* receive future (`mem::forget`) keeps what it held: a
//! notification and those it owed, or its place in line (which takes one
//! notification when its turn comes). Each such notification leaves one
//! item waiting for the next push or receive, which wakes the next
//! receiver in line; nothing is lost, and the forgotten place holds up
//! nobody else.
//!
//! # No allocation, and its lock
//!
//! Each waiting receive's place lives inside its future (pinned), linked
//! through an [`intrusive list`](crate::intrusive_list) under a lock that
//! is a `std` mutex with `std`, a critical section without: no spinlock.
//! Every access to a place happens under that lock, but for its owner's,
//! once a push has taken it out and marked it notified (the woken receive
//! then leaves without the lock). The common case of a push, nobody
//! waiting, takes no lock: a fence pairs with the one a receive makes
//! after it joins (see [`ReceiverLine::join`]).

use core::fmt;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::Waker;

use crate::intrusive_list::{Linked, Links, List};
use crate::sync::{fence, AtomicU8, AtomicUsize, Lock, Ordering, UnsafeCell};
use crate::through_panics::{repeat_through_panics, run_while_through_panics};
use crate::upgrade::add_if_alive;

/// The line of waiting receivers, and the count of live receivers.
pub struct ReceiverLine {
    places: Lock<List<RecvPlace>>,
    /// How many places are in the line: written under the lock, read
    /// without it by a push, after its fence.
    len: AtomicUsize,
    /// How many receivers are alive; the last one to go closes the channel.
    receivers: AtomicUsize,
}

// Safety: the list's pointers are only followed under the lock, to places
// kept valid by their futures (see the module docs); only wakers, which are
// `Send`, move between threads through it.
unsafe impl Send for ReceiverLine {}
// Safety: as above.
unsafe impl Sync for ReceiverLine {}

struct RecvNode {
    links: Links<RecvPlace>,
    waker: Option<Waker>,
}

/// One receive future's place in the line: it lives in the future, which
/// must be pinned before the place is used, and stays valid until the
/// future's `drop`, which calls [`ReceiverLine::cancel`].
pub struct RecvPlace {
    node: UnsafeCell<RecvNode>,
    /// Set (to 1) by the push that takes the place out of the line to wake
    /// it (an item was announced to it), under the lock and as its last
    /// access to the place: from then on the place is its owner's alone,
    /// so the owner's `leave` reads it without the lock. Cleared by the
    /// owner.
    notified: AtomicU8,
    _pinned: PhantomPinned,
}

// Safety: the place's node is only touched under the line's lock, or by
// its owner once notified (see `notified`); it holds a `Waker`, which is
// `Send`.
unsafe impl Send for RecvPlace {}
// Safety: as above: a shared reference only reaches the node under the lock.
unsafe impl Sync for RecvPlace {}

impl RecvPlace {
    /// A place not in the line.
    pub fn new() -> Self {
        Self {
            node: UnsafeCell::new(RecvNode {
                links: Links::new(),
                waker: None,
            }),
            notified: AtomicU8::new(0),
            _pinned: PhantomPinned,
        }
    }
}

impl Default for RecvPlace {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RecvPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The node is the lock's to read; this says nothing more.
        f.debug_struct("RecvPlace").finish_non_exhaustive()
    }
}

/// Runs `f` on the node of `place`.
///
/// # Safety
///
/// Under the line's lock, with `place` valid (a linked place is: see the
/// module docs), and not from within another `with_node` on the same place.
unsafe fn with_node<R>(place: NonNull<RecvPlace>, f: impl FnOnce(&mut RecvNode) -> R) -> R {
    // Safety: the caller's contract: valid, and exclusive under the lock.
    unsafe { place.as_ref().node.with_mut(|node| f(&mut *node)) }
}

// Safety: the links are a field of the node, which `with_node` gives alone
// under the same contract.
unsafe impl Linked for RecvPlace {
    unsafe fn with_links<R>(w: NonNull<Self>, f: impl FnOnce(&mut Links<Self>) -> R) -> R {
        // Safety: the caller's contract is `with_node`'s.
        unsafe { with_node(w, |n| f(&mut n.links)) }
    }
}

impl ReceiverLine {
    /// An empty line, with one receiver.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            places: Lock::new(List::new()),
            len: AtomicUsize::new(0),
            receivers: AtomicUsize::new(1),
        }
    }

    /// An empty line, with one receiver.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            places: Lock::new(List::new()),
            len: AtomicUsize::new(0),
            receivers: AtomicUsize::new(1),
        }
    }

    /// Puts `place` in the line with `waker` (or refreshes its waker if it
    /// is in the line already): at its end, or at its `front` for a receive
    /// that owes notifications (see the module docs).
    ///
    /// The caller then looks at the core once more: the fence here orders
    /// this registration before that look, against the fence of
    /// [`notify_one`](Self::notify_one) after each push, so that an item
    /// pushed before the registration was visible is not missed.
    pub fn join(&self, place: Pin<&RecvPlace>, waker: &Waker, front: bool) {
        let p = NonNull::from(&*place);
        let stale = self.places.with(|list| {
            // Safety: under the lock; the caller's place, pinned, so valid
            // until its future's drop, which takes it out first.
            unsafe {
                let (linked, stale) = with_node(p, |n| {
                    let fresh = n.waker.as_ref().is_some_and(|w| w.will_wake(waker));
                    let stale = if fresh {
                        None
                    } else {
                        n.waker.replace(waker.clone())
                    };
                    (n.links.is_linked(), stale)
                });
                if !linked {
                    if front {
                        list.push_front(p);
                    } else {
                        list.push_back(p);
                    }
                    // Ordering: Relaxed; the fence below orders it.
                    self.len.fetch_add(1, Ordering::Relaxed);
                }
                stale
            }
        });
        drop(stale); // outside the lock: user code may panic
                     // Ordering: SeqCst, pairs with the fence in `notify_one`: either
                     // that push's load of `len` sees this place, or the caller's look
                     // after this fence sees its item.
        fence(Ordering::SeqCst);
    }

    /// Takes `place` out of the line if it is in it; returns whether it was
    /// notified meanwhile (it is then out of the line already).
    #[must_use = "a notification must be used or passed on"]
    #[inline]
    pub fn leave(&self, place: Pin<&RecvPlace>) -> bool {
        let (notified, waker) = self.take_out(place);
        drop(waker); // outside the lock: user code may panic
        notified
    }

    /// [`leave`](Self::leave), handing back the place's waker to drop.
    #[inline]
    fn take_out(&self, place: Pin<&RecvPlace>) -> (bool, Option<Waker>) {
        // Ordering: Acquire, pairs with the Release store of `wake_first`:
        // its writes to the place (under the lock) happen before this
        // owner's next use of it.
        if place.notified.load(Ordering::Acquire) != 0 {
            // Out of the line, its waker taken, and nobody else's to touch
            // any more: no lock (the common case of a woken receive).
            // Ordering: Relaxed; only the owner reads it from now on.
            place.notified.store(0, Ordering::Relaxed);
            return (true, None);
        }
        let p = NonNull::from(&*place);
        self.places.with(|list| {
            // Safety: under the lock; the caller's place, pinned.
            unsafe {
                if with_node(p, |n| n.links.is_linked()) {
                    list.unlink(p);
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                }
                // Ordering: Relaxed; set under this lock (a notification
                // since the load above).
                let notified = place.notified.swap(0, Ordering::Relaxed) != 0;
                (notified, with_node(p, |n| n.waker.take()))
            }
        })
    }

    /// A receive future goes away: out of the line; a notification it held
    /// and the `owed` ones go to the next in line.
    pub fn cancel(&self, place: Pin<&RecvPlace>, owed: usize) {
        let (notified, waker) = self.take_out(place);
        // The notifications first: dropping the waker runs user code,
        // which may panic.
        self.pass_on(owed + usize::from(notified));
        drop(waker);
    }

    /// Wakes the next `count` receivers in line (as many as wait); all of
    /// them even if a waker panics (each is owed its wakeup).
    pub fn pass_on(&self, count: usize) {
        repeat_through_panics(count, || self.notify_one());
    }

    /// After a push: wakes the oldest waiting receiver, if any.
    #[inline]
    pub fn notify_one(&self) {
        // Ordering: SeqCst, pairs with the fence in `join` (see there).
        fence(Ordering::SeqCst);
        // Ordering: Relaxed, ordered by the fence above.
        if self.len.load(Ordering::Relaxed) != 0 {
            self.wake_first();
        }
    }

    /// Takes the first place out of the line, notified, and wakes it;
    /// false if the line was empty.
    #[inline(never)]
    fn wake_first(&self) -> bool {
        let waker = self.places.with(|list| {
            // Safety: under the lock.
            let p = unsafe { list.pop_front() }?;
            // Ordering: Relaxed, under the lock; see `len`.
            self.len.fetch_sub(1, Ordering::Relaxed);
            // Safety: under the lock; `p` was linked, so valid until the
            // store below, this side's last access to it.
            let waker = unsafe { with_node(p, |n| n.waker.take()) };
            // Ordering: Release, pairs with the owner's Acquire load in
            // `leave` (see the field).
            // Safety: as above.
            unsafe { p.as_ref() }.notified.store(1, Ordering::Release);
            Some(waker)
        });
        match waker {
            Some(waker) => {
                // Outside the lock: user code may panic or re-enter.
                if let Some(waker) = waker {
                    waker.wake();
                }
                true
            }
            None => false,
        }
    }

    /// Wakes every waiting receiver: a value every receiver reads, or the
    /// channel closed. Takes up to [`WAKE_BATCH`] places out of the line
    /// per lock hold and wakes them after it; receivers that join after the
    /// fence here see what the caller changed. A waker that panics does not
    /// end it: the batches left are still woken, then the panic goes on.
    pub fn wake_all(&self) {
        // Ordering: SeqCst, as in `notify_one`.
        fence(Ordering::SeqCst);
        // Ordering: Relaxed, ordered by the fence above.
        if self.len.load(Ordering::Relaxed) == 0 {
            return;
        }
        run_while_through_panics(|| {
            let mut batch = WakeBatch::new();
            let more = self.places.with(|list| {
                while !batch.is_full() {
                    // Safety: under the lock.
                    let Some(p) = (unsafe { list.pop_front() }) else {
                        return false;
                    };
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    // Safety: under the lock; `p` was linked, so valid
                    // until the store below, this side's last access.
                    batch.push(unsafe { with_node(p, |n| n.waker.take()) });
                    // Ordering: Release, as in `wake_first`.
                    // Safety: as above.
                    unsafe { p.as_ref() }.notified.store(1, Ordering::Release);
                }
                true
            });
            batch.wake(); // outside the lock: user code may panic or re-enter
            more
        });
    }

    /// Polls a wait in this line until `ready` answers: a look, then (if
    /// nothing) a place in the line and a second look (see
    /// [`join`](Self::join)). `queued` says whether `place` is in the line;
    /// it must stay pinned until its future's drop leaves the line.
    ///
    /// With `passes_on`, each notification stands for one thing to take (a
    /// freed slot): a wait notified while it joined that found what it
    /// waited for on its second look passes the notification on. Without,
    /// every waiter is woken at once ([`wake_all`](Self::wake_all)) and
    /// nothing is passed on.
    pub fn poll_until<R>(
        &self,
        place: Pin<&RecvPlace>,
        queued: &mut bool,
        passes_on: bool,
        cx: &mut core::task::Context<'_>,
        mut ready: impl FnMut() -> Option<R>,
    ) -> core::task::Poll<R> {
        if *queued {
            *queued = false;
            // A notification is used by the look below, or its thing was
            // taken by a waiter that did not wait in line.
            let _ = self.leave(place);
        }
        if let Some(r) = ready() {
            return core::task::Poll::Ready(r);
        }
        self.join(place, cx.waker(), false);
        *queued = true;
        if let Some(r) = ready() {
            *queued = false;
            if self.leave(place) && passes_on {
                self.pass_on(1);
            }
            return core::task::Poll::Ready(r);
        }
        core::task::Poll::Pending
    }

    /// One more receiver, cloned from a live one.
    pub fn add_receiver(&self) {
        // Ordering: Relaxed; a new receiver is made from an existing one,
        // which keeps the count above zero meanwhile (as for `Arc::clone`).
        let prev = self.receivers.fetch_add(1, Ordering::Relaxed);
        if prev > usize::MAX / 2 {
            // More receivers than memory could hold: a `mem::forget` loop.
            panic!("too many receivers");
        }
    }

    /// Counts one more receiver if one is alive, for `WeakReceiver::upgrade`;
    /// false once the count is zero (no receiver is ever made from zero:
    /// the last one has closed the channel and drained it, or will).
    pub fn try_add_receiver(&self) -> bool {
        add_if_alive(&self.receivers, 1, "receivers")
    }

    /// One receiver fewer; true if it was the last.
    pub fn drop_receiver(&self) -> bool {
        // Ordering: AcqRel; the last receiver's drain then happens after
        // every other receiver's last pop.
        self.receivers.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// How many receivers are alive (a snapshot).
    pub fn receiver_count(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        self.receivers.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for ReceiverLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverLine")
            // Ordering: Relaxed; a snapshot.
            .field("waiting", &self.len.load(Ordering::Relaxed))
            .field("receivers", &self.receiver_count())
            .finish()
    }
}

/// How many wakers [`ReceiverLine::wake_all`] takes per lock hold.
pub const WAKE_BATCH: usize = 16;

/// Wakers taken out of the line under its lock, woken after it. Each was
/// its place's notification, so each is woken even if another panics: the
/// rest are woken by the drop during the unwinding (a second panic there
/// aborts, as any panic in a drop during unwinding).
struct WakeBatch {
    wakers: [Option<Waker>; WAKE_BATCH],
    len: usize,
}

impl WakeBatch {
    fn new() -> Self {
        Self {
            wakers: Default::default(),
            len: 0,
        }
    }

    fn is_full(&self) -> bool {
        self.len == WAKE_BATCH
    }

    fn push(&mut self, waker: Option<Waker>) {
        self.wakers[self.len] = waker;
        self.len += 1;
    }

    /// Wakes them, in the order they were in line.
    #[inline]
    fn wake(mut self) {
        self.wake_rest();
    }

    fn wake_rest(&mut self) {
        for waker in &mut self.wakers[..self.len] {
            if let Some(waker) = waker.take() {
                waker.wake();
            }
        }
    }
}

impl Drop for WakeBatch {
    fn drop(&mut self) {
        self.wake_rest();
    }
}
