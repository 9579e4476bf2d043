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
//! # Entries
//!
//! An entry belongs to one send future from `park` until that future reads
//! its outcome or is dropped; only then is it freed, so an index never
//! refers to someone else's entry.
//!
//! | state          | value is        | next                                                      |
//! |----------------|-----------------|-----------------------------------------------------------|
//! | `Parked`       | in the entry    | `HandingOver` (hand-over), `Rejected` (close), freed (cancel) |
//! | `HandingOver`  | being pushed    | `Sent` (pushed), `Parked` (core full again), `Abandoned` (cancel) |
//! | `Abandoned`    | being pushed    | freed by the hand-over: the value is delivered, or dropped if the core stays full |
//! | `Sent`         | in the core     | freed by the future (`Ready(Ok)`) or its drop              |
//! | `Rejected`     | in the entry    | freed by the future (`Ready(Err)`) or its drop             |
//! | `Lost`         | gone            | the core panicked while taking it; the future panics       |
//!
//! One hand-over runs at a time. Space freed while it runs (its value out of
//! the queue, its push possibly failing on a stale view of a full core) is
//! recorded in `missed`, and the running hand-over tries again instead of
//! parking the value back.

use core::fmt;
use core::task::{Poll, Waker};
use std::collections::VecDeque;
use std::vec::Vec;

use crate::sync::{fence, lock, AtomicUsize, Mutex, Ordering};

enum Entry<T> {
    Free,
    Parked { item: T, waker: Waker },
    HandingOver { waker: Waker },
    Abandoned,
    Sent,
    Rejected { item: T },
    Lost,
}

struct Waiters<T> {
    entries: Vec<Entry<T>>,
    free: Vec<usize>,
    /// Parked entries, oldest first.
    order: VecDeque<usize>,
    /// A hand-over is running: its value is out of the queue.
    handing_over: bool,
    /// Space was freed while the running hand-over had its value out.
    missed: bool,
    /// The channel is closed: nothing parks any more.
    closed: bool,
}

impl<T> Waiters<T> {
    fn release(&mut self, index: usize) -> Entry<T> {
        self.free.push(index);
        core::mem::replace(&mut self.entries[index], Entry::Free)
    }
}

/// The queue of parked values.
pub(crate) struct HandoffQueue<T> {
    /// Values not yet in the core: parked or being handed over. Written under
    /// the lock, read without it by whoever frees space.
    len: AtomicUsize,
    waiters: Mutex<Waiters<T>>,
}

impl<T> HandoffQueue<T> {
    pub(crate) fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            waiters: Mutex::new(Waiters {
                entries: Vec::new(),
                free: Vec::new(),
                order: VecDeque::new(),
                handing_over: false,
                missed: false,
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
    pub(crate) fn park(&self, item: T, waker: &Waker) -> Result<usize, T> {
        let waker = waker.clone(); // outside the lock: user code may panic
        let mut w = lock(&self.waiters);
        if w.closed {
            drop(w);
            return Err(item);
        }
        let index = match w.free.pop() {
            Some(index) => index,
            None => {
                w.entries.push(Entry::Free);
                w.entries.len() - 1
            }
        };
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

    /// The outcome of the entry `index`, parked by the caller: `Ready(Ok)`
    /// once its value is in the core, `Ready(Err(item))` if the channel
    /// closed first, `Pending` meanwhile (after refreshing the waker).
    ///
    /// # Panics
    ///
    /// If the core panicked while taking this value.
    pub(crate) fn poll(&self, index: usize, waker: &Waker) -> Poll<Result<(), T>> {
        let mut w = lock(&self.waiters);
        match &mut w.entries[index] {
            Entry::Parked { waker: old, .. } | Entry::HandingOver { waker: old } => {
                if !old.will_wake(waker) {
                    let old = core::mem::replace(old, waker.clone());
                    drop(w);
                    drop(old); // outside the lock: user code may panic
                }
                Poll::Pending
            }
            Entry::Sent => {
                w.release(index);
                Poll::Ready(Ok(()))
            }
            Entry::Rejected { .. } => match w.release(index) {
                Entry::Rejected { item } => {
                    drop(w);
                    Poll::Ready(Err(item))
                }
                _ => unreachable!(),
            },
            Entry::Lost => {
                w.release(index);
                drop(w);
                panic!("the channel core panicked while taking this send's value");
            }
            Entry::Free | Entry::Abandoned => unreachable!("a send future's entry was freed"),
        }
    }

    /// The send future that parked `index` goes away: its value is dropped
    /// unless it is in the core already, or being pushed (then it is
    /// delivered if the push succeeds).
    pub(crate) fn cancel(&self, index: usize) {
        let mut w = lock(&self.waiters);
        let entry = match w.entries[index] {
            Entry::HandingOver { .. } => {
                core::mem::replace(&mut w.entries[index], Entry::Abandoned)
            }
            Entry::Parked { .. } => {
                w.order.retain(|&i| i != index);
                // Ordering: Relaxed, under the lock; see `len`.
                self.len.fetch_sub(1, Ordering::Relaxed);
                w.release(index)
            }
            _ => w.release(index),
        };
        drop(w);
        drop(entry); // outside the lock: the value's and the waker's drops are user code
    }

    /// Called after an item was taken from the core: if values are parked,
    /// hands the oldest over (see [`hand_over`](Self::hand_over)).
    #[inline]
    pub(crate) fn space_freed(&self, push: impl FnMut(T) -> Result<(), T>) {
        // Ordering: SeqCst, pairs with the fence in `park` (see there).
        fence(Ordering::SeqCst);
        // Ordering: Relaxed, ordered by the fence above.
        if self.len.load(Ordering::Relaxed) != 0 {
            self.hand_over(None, push);
        }
    }

    /// Moves the oldest parked value into the core with `push` and wakes its
    /// sender, whose send is complete; again while space was freed meanwhile
    /// (see `missed`). Stops when nothing is parked, when the core is full, or
    /// if another hand-over is running (which then goes on for this one).
    ///
    /// The entry `own`, the caller's, is not woken: returns whether its
    /// outcome is ready (handed over, or refused by a close meanwhile).
    pub(crate) fn hand_over(
        &self,
        own: Option<usize>,
        mut push: impl FnMut(T) -> Result<(), T>,
    ) -> bool {
        let mut own_done = false;
        loop {
            let mut w = lock(&self.waiters);
            if w.handing_over {
                w.missed = true;
                return own_done;
            }
            let Some(index) = w.order.pop_front() else {
                return own_done;
            };
            let (item, waker) = match core::mem::replace(&mut w.entries[index], Entry::Free) {
                Entry::Parked { item, waker } => (item, waker),
                _ => unreachable!("only parked entries are in the order"),
            };
            w.entries[index] = Entry::HandingOver { waker };
            w.handing_over = true;
            w.missed = false;
            drop(w);

            let unwinding = HandOverGuard { queue: self, index };
            let pushed = push(item);
            core::mem::forget(unwinding);

            let mut w = lock(&self.waiters);
            w.handing_over = false;
            // Space freed while the value was out (the receiver may even have
            // taken the value just pushed) is used by another round.
            let again = core::mem::take(&mut w.missed);
            let (wake, discard) = match pushed {
                Ok(()) => {
                    // Ordering: Relaxed, under the lock; see `len`.
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    match core::mem::replace(&mut w.entries[index], Entry::Sent) {
                        Entry::HandingOver { waker } => (Some(waker), None),
                        _ => {
                            // Abandoned: delivered all the same; nobody to wake.
                            w.release(index);
                            (None, None)
                        }
                    }
                }
                Err(item) => match core::mem::replace(&mut w.entries[index], Entry::Free) {
                    Entry::HandingOver { waker } if w.closed => {
                        // Closed meanwhile: the sender gets its value back.
                        // Ordering: Relaxed, under the lock; see `len`.
                        self.len.fetch_sub(1, Ordering::Relaxed);
                        w.entries[index] = Entry::Rejected { item };
                        (Some(waker), None)
                    }
                    Entry::HandingOver { waker } => {
                        // The core is full again: first in line still.
                        w.entries[index] = Entry::Parked { item, waker };
                        w.order.push_front(index);
                        (None, None)
                    }
                    _ => {
                        // Abandoned: its sender is gone, so is the value.
                        // Ordering: Relaxed, under the lock; see `len`.
                        self.len.fetch_sub(1, Ordering::Relaxed);
                        w.release(index);
                        (None, Some(item))
                    }
                },
            };
            drop(w);
            // Outside the lock: user code.
            drop(discard);
            match wake {
                Some(_) if own == Some(index) => own_done = true,
                Some(waker) => waker.wake(),
                None => {}
            }
            if !again {
                return own_done;
            }
        }
    }

    /// Closes the queue: nothing parks any more, and every parked sender gets
    /// its value back (woken one per lock, outside it).
    pub(crate) fn close(&self) {
        lock(&self.waiters).closed = true;
        loop {
            let mut w = lock(&self.waiters);
            let Some(index) = w.order.pop_front() else {
                return;
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

/// Unwinding out of the core's `try_push` during a hand-over: the value is
/// gone with the panic; the hand-over is over, and its sender will learn it.
struct HandOverGuard<'a, T> {
    queue: &'a HandoffQueue<T>,
    index: usize,
}

impl<T> Drop for HandOverGuard<'_, T> {
    fn drop(&mut self) {
        let mut w = lock(&self.queue.waiters);
        w.handing_over = false;
        // Ordering: Relaxed, under the lock; see `len`.
        self.queue.len.fetch_sub(1, Ordering::Relaxed);
        let waker = match core::mem::replace(&mut w.entries[self.index], Entry::Lost) {
            Entry::HandingOver { waker } => Some(waker),
            _ => {
                w.release(self.index);
                None
            }
        };
        drop(w);
        // The sender learns it on its next poll. (A waker that panics now
        // aborts the process: a panic during a panic.)
        if let Some(waker) = waker {
            waker.wake();
        }
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
