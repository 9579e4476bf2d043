//! The blocked senders of a many-producer channel, as a FIFO of their values.
//!
//! A sender that finds the core full parks its *value* here with its waker.
//! Whoever frees space (the receiver, after each item it takes) moves the
//! oldest parked value into the core and only then wakes its sender, whose
//! send has completed: a woken sender never retries, and every item taken
//! wakes at most one sender.
//!
//! This is also what makes a forgotten send future harmless: its value is
//! here, not in the future, and is handed over like any other, so the
//! channel never waits on a future that nobody will poll again. (A
//! forgotten future only leaks its entry, a few words.)
//!
//! No spinlock: the entries are under a mutex taken only when someone parks,
//! is handed over, or is polled while parked. The receiver's common case,
//! nobody parked, is a `SeqCst` fence and one load.
//!
//! The hand-over pushes into the core *under* the lock. The core's push is
//! short and non-blocking by contract, and doing it under the lock means no
//! value is ever out of the queue and not yet in the core: a hand-over, a
//! close and a cancel never see one another half done. (The first version
//! pushed outside the lock and needed a "space freed meanwhile" flag; Loom
//! found a lost wakeup in it, and it took two more lock round trips per
//! message.) Wakers and the values' drops, user code that may panic or
//! re-enter, still run outside the lock.
//!
//! # Entries
//!
//! An entry belongs to one send future from `park` until that future reads
//! its outcome or is dropped; only then is it freed, so an index never
//! refers to someone else's entry.
//!
//! | state      | the value is  | next                                                      |
//! |------------|---------------|-----------------------------------------------------------|
//! | `Parked`   | in the entry  | `Sent` (handed over), `Rejected` (close), freed (cancel: the value is dropped) |
//! | `Sent`     | in the core   | freed by the future (`Ready(Ok)`) or its drop             |
//! | `Rejected` | in the entry  | freed by the future (`Ready(Err(value))`) or its drop     |
//! | `Lost`     | gone          | the core's push panicked during a hand-over; the future panics when polled |
//!
//! A `closed` future also holds an entry, `Watching`, with no value: `close`
//! takes and wakes its waker; the future frees the entry when it sees the
//! queue closed, or when dropped.

use core::fmt;
use core::task::{Poll, Waker};
use std::collections::VecDeque;
use std::vec::Vec;

use crate::sync::{fence, lock, AtomicUsize, Mutex, Ordering};

enum Entry<T> {
    Free,
    Parked { item: T, waker: Waker },
    Sent,
    Rejected { item: T },
    Lost,
    Watching { waker: Option<Waker> },
}

struct Waiters<T> {
    entries: Vec<Entry<T>>,
    free: Vec<usize>,
    /// Parked entries, oldest first.
    order: VecDeque<usize>,
    /// The channel is closed: nothing parks any more.
    closed: bool,
}

impl<T> Waiters<T> {
    /// A free entry, for the caller to fill.
    fn allocate(&mut self) -> usize {
        match self.free.pop() {
            Some(index) => index,
            None => {
                self.entries.push(Entry::Free);
                self.entries.len() - 1
            }
        }
    }

    fn release(&mut self, index: usize) -> Entry<T> {
        self.free.push(index);
        core::mem::replace(&mut self.entries[index], Entry::Free)
    }
}

/// The queue of parked values.
pub struct HandoffQueue<T> {
    /// How many values are parked. Written under the lock, read without it
    /// by whoever frees space.
    len: AtomicUsize,
    waiters: Mutex<Waiters<T>>,
}

impl<T> HandoffQueue<T> {
    /// An empty queue.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            waiters: Mutex::new(Waiters {
                entries: Vec::new(),
                free: Vec::new(),
                order: VecDeque::new(),
                closed: false,
            }),
        }
    }

    /// An empty queue.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            waiters: Mutex::new(Waiters {
                entries: Vec::new(),
                free: Vec::new(),
                order: VecDeque::new(),
                closed: false,
            }),
        }
    }

    /// Parks `item` behind the values already parked and returns its entry,
    /// or hands `item` back if the channel is closed.
    ///
    /// The caller then runs [`hand_over`](Self::hand_over) once: the fence
    /// here orders this registration before that attempt, against the fence
    /// of [`space_freed`](Self::space_freed), so that space freed before the
    /// registration was visible is not missed.
    pub fn park(&self, item: T, waker: &Waker) -> Result<usize, T> {
        let waker = waker.clone(); // outside the lock: user code may panic
        let mut w = lock(&self.waiters);
        if w.closed {
            drop(w);
            return Err(item);
        }
        let index = w.allocate();
        w.entries[index] = Entry::Parked { item, waker };
        w.order.push_back(index);
        // Ordering: Relaxed; the fence below orders it.
        self.len.fetch_add(1, Ordering::Relaxed);
        drop(w);
        // Ordering: SeqCst, pairs with the fence in `space_freed`: either
        // that side's load of `len` sees this registration, or the caller's
        // hand-over attempt after this fence sees the space.
        fence(Ordering::SeqCst);
        Ok(index)
    }

    /// The outcome of the entry `index`, parked by the caller, once there
    /// is one (the entry is then freed); `Pending` meanwhile, after
    /// refreshing the waker.
    pub fn poll(&self, index: usize, waker: &Waker) -> Poll<Outcome<T>> {
        let mut w = lock(&self.waiters);
        if let Entry::Parked { waker: old, .. } = &mut w.entries[index] {
            if !old.will_wake(waker) {
                let old = core::mem::replace(old, waker.clone());
                drop(w);
                drop(old); // outside the lock: user code may panic
            }
            return Poll::Pending;
        }
        let entry = w.release(index);
        drop(w);
        Poll::Ready(match entry {
            Entry::Sent => Outcome::Sent,
            Entry::Rejected { item } => Outcome::Rejected(item),
            Entry::Lost => Outcome::Lost,
            Entry::Free | Entry::Parked { .. } | Entry::Watching { .. } => {
                unreachable!("a send future's entry was freed")
            }
        })
    }

    /// The send future that parked `index` goes away: its value is dropped
    /// unless it is in the core already.
    pub fn cancel(&self, index: usize) {
        let mut w = lock(&self.waiters);
        if let Entry::Parked { .. } = w.entries[index] {
            w.order.retain(|&i| i != index);
            // Ordering: Relaxed, under the lock; see `len`.
            self.len.fetch_sub(1, Ordering::Relaxed);
        }
        let entry = w.release(index);
        drop(w);
        drop(entry); // outside the lock: the value's and the waker's drops are user code
    }

    /// Polls a `closed` future whose entry, if it has one, is in
    /// `listener`: ready once the queue is closed (the entry is then freed),
    /// otherwise registers `waker`.
    pub fn poll_closed(&self, listener: &mut Option<usize>, waker: &Waker) -> Poll<()> {
        // Cloned outside the lock: user code may panic.
        let new = listener.is_none().then(|| waker.clone());
        let mut w = lock(&self.waiters);
        if w.closed {
            let entry = listener.take().map(|index| w.release(index));
            drop(w);
            drop(entry); // outside the lock: the waker's drop is user code
            return Poll::Ready(());
        }
        match *listener {
            None => {
                let index = w.allocate();
                w.entries[index] = Entry::Watching { waker: new };
                *listener = Some(index);
            }
            Some(index) => {
                if let Entry::Watching { waker: Some(old) } = &mut w.entries[index] {
                    if !old.will_wake(waker) {
                        let old = core::mem::replace(old, waker.clone());
                        drop(w);
                        drop(old); // outside the lock
                    }
                }
            }
        }
        Poll::Pending
    }

    /// Called after an item was taken from the core: if values are parked,
    /// hands the oldest over (see [`hand_over`](Self::hand_over)).
    #[inline(always)]
    pub fn space_freed(&self, push: impl FnOnce(T) -> Result<(), T>) {
        // Ordering: SeqCst, pairs with the fence in `park` (see there).
        fence(Ordering::SeqCst);
        // Ordering: Relaxed, ordered by the fence above.
        if self.len.load(Ordering::Relaxed) != 0 {
            self.hand_over(None, push);
        }
    }

    /// Moves the oldest parked value into the core with `push` and wakes its
    /// sender, whose send is complete. Does nothing if nothing is parked or
    /// the core is full.
    ///
    /// The entry `own`, the caller's, is not woken.
    ///
    /// Never inlined: it takes a lock anyway, and inlined into the
    /// receiver's `pop` it made that hot path save six registers per call.
    #[inline(never)]
    pub fn hand_over(&self, own: Option<usize>, push: impl FnOnce(T) -> Result<(), T>) -> HandOver {
        // Declared before the lock guard, so dropped after it on unwinding.
        let mut unwinding = PushPanicked {
            len: &self.len,
            waker: None,
        };
        let mut w = lock(&self.waiters);
        let Some(index) = w.order.pop_front() else {
            return HandOver::Nothing;
        };
        let (item, waker) = match core::mem::replace(&mut w.entries[index], Entry::Lost) {
            Entry::Parked { item, waker } => (item, waker),
            _ => unreachable!("only parked entries are in the order"),
        };
        unwinding.waker = Some(waker);
        let pushed = push(item);
        let waker = unwinding.waker.take().expect("set above");
        match pushed {
            Ok(()) => {
                w.entries[index] = Entry::Sent;
                // Ordering: Relaxed, under the lock; see `len`.
                self.len.fetch_sub(1, Ordering::Relaxed);
                drop(w);
                if own == Some(index) {
                    return HandOver::Own;
                }
                waker.wake();
                HandOver::Other
            }
            Err(item) => {
                // The core is full: still first in line.
                w.entries[index] = Entry::Parked { item, waker };
                w.order.push_front(index);
                HandOver::Nothing
            }
        }
    }

    /// Closes the queue: nothing parks any more, every parked sender gets
    /// its value back, and every `closed` future is woken (one per lock,
    /// outside it).
    pub fn close(&self) {
        lock(&self.waiters).closed = true;
        let mut next = 0;
        loop {
            let mut w = lock(&self.waiters);
            let Some(index) = w.order.pop_front() else {
                // Then the `closed` futures, from the first entry up.
                let watching = (next..w.entries.len())
                    .find(|&i| matches!(w.entries[i], Entry::Watching { waker: Some(_) }));
                let Some(index) = watching else {
                    return;
                };
                next = index + 1;
                let waker = match &mut w.entries[index] {
                    Entry::Watching { waker } => waker.take(),
                    _ => unreachable!("found above"),
                };
                drop(w);
                if let Some(waker) = waker {
                    waker.wake();
                }
                continue;
            };
            let waker = match core::mem::replace(&mut w.entries[index], Entry::Free) {
                Entry::Parked { item, waker } => {
                    w.entries[index] = Entry::Rejected { item };
                    waker
                }
                _ => unreachable!("only parked entries are in the order"),
            };
            // Ordering: Relaxed, under the lock; see `len`.
            self.len.fetch_sub(1, Ordering::Relaxed);
            drop(w);
            waker.wake();
        }
    }
}

/// How a parked send ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The value went into the core.
    Sent,
    /// The channel closed first: the value, back.
    Rejected(T),
    /// The core's push panicked during the hand-over: the value is gone.
    Lost,
}

/// What a hand-over did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandOver {
    /// Nothing parked, or the core was full.
    Nothing,
    /// The caller's own value went into the core.
    Own,
    /// Another sender's value went into the core, and that sender was woken.
    Other,
}

/// Unwinding out of the core's `try_push` during a hand-over: the value went
/// with the panic and its entry is `Lost`; its sender is woken to learn it.
struct PushPanicked<'a> {
    len: &'a AtomicUsize,
    waker: Option<Waker>,
}

impl Drop for PushPanicked<'_> {
    fn drop(&mut self) {
        if let Some(waker) = self.waker.take() {
            // Ordering: Relaxed. The lock is released already (its guard is
            // dropped first); the entry is out of the order, so the count
            // only comes down to the truth.
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
