//! The ring that `broadcast`'s halves share, and what each side does to it.
//!
//! Values stay in their slots once written: a receiver *clones* the value
//! at its own cursor, and the value is dropped when a later send
//! overwrites its slot (or when the channel goes). Sends, subscriptions
//! and receivers' drops take the senders' lock; receives take no lock.
//!
//! # The two policies
//!
//! * **Overwrite** (tokio's): a send always writes, over the oldest value
//!   if the ring is full; a receiver whose next value was overwritten is
//!   told how many it missed (`Lagged`). A receiver *pins* the slot it
//!   clones from (one RMW on the slot's state before the clone, one
//!   after), and a send about to overwrite a slot first marks it
//!   `EVICT`: a receiver that pins a marked slot backs off (it lagged),
//!   and a send that finds readers cloning waits for the last of them to
//!   unpin (a condition variable it signals). That wait is bounded by one
//!   `clone` of a `T` and is the only wait of a send in this policy.
//! * **Wait** (backpressure): a slot counts the receivers that have not
//!   read its value yet, set at the send to the number of receivers; each
//!   receiver decrements it after its clone (one RMW), and a send waits
//!   until the slot it writes counts none. A receiver that is dropped
//!   counts as having read everything it had not, so it holds nobody
//!   back.
//!
//! # Positions
//!
//! Position `p` lives in slot `p % capacity`; `tail` is the next position
//! to write, stored (Release) after each write, so a receiver whose cursor
//! is below `tail` (Acquire) finds its value written. Positions are
//! `usize`: they do not wrap within any run on a 64-bit target.

use super::error::TryRecvError;
use crate::error::TrySendError;
use crate::receiver_line::ReceiverLine;
use crate::sync::{AtomicUsize, Condvar, Lock, Mutex, Ordering, UnsafeCell};
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::mem::MaybeUninit;

/// What a send does when the slowest receiver is a whole ring behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Policy {
    /// Overwrite the oldest value; that receiver lags.
    Overwrite,
    /// Wait until every receiver has read the oldest value.
    Wait,
}

/// A slot's `pos` before its first value.
const EMPTY: usize = usize::MAX;
/// Overwrite policy, in a slot's `state`: a send is replacing the value.
const EVICT: usize = 1 << (usize::BITS - 1);
/// Overwrite policy, in a slot's `state`: the count of readers cloning.
const PINS: usize = !EVICT;
/// One reader cloning.
const PIN: usize = 1;

/// One slot, on its own cache line (for a small `T`): the receivers pin
/// the slot they read while the sender writes the next one (measured: the
/// fan-out with 16 receivers gains about 8%).
#[repr(align(64))]
struct Slot<T> {
    /// Overwrite: `EVICT` and the pins. Wait: how many receivers have not
    /// read the value.
    state: AtomicUsize,
    /// The position of the value held (`EMPTY` before the first): written
    /// under the senders' lock, published by the stores that follow it.
    pos: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Self {
            state: AtomicUsize::new(0),
            pos: AtomicUsize::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Writes `value` for position `pos`; returns the value it replaced.
    ///
    /// # Safety
    ///
    /// Under the senders' lock, with no reader in the slot (none pinned
    /// with `EVICT` set, or none left to read it).
    unsafe fn replace(&self, value: T, pos: usize) -> Option<T> {
        // Ordering: Relaxed; only the lock's holders write it.
        let written = self.pos.load(Ordering::Relaxed) != EMPTY;
        let old = self.value.with_mut(|cell| {
            // Safety: the caller's contract: nobody else is in the slot;
            // `written` says whether it holds a value.
            unsafe {
                let old = written.then(|| (*cell).assume_init_read());
                (*cell).write(value);
                old
            }
        });
        // Ordering: Relaxed; published by the Release stores that follow
        // (the state's for a pin, the tail's for a cursor).
        self.pos.store(pos, Ordering::Relaxed);
        old
    }

    /// A clone of the value.
    ///
    /// # Safety
    ///
    /// The slot holds a value that no send replaces meanwhile (pinned, or
    /// not yet read by the caller under the wait policy).
    unsafe fn clone_value(&self) -> T
    where
        T: Clone,
    {
        // A shared access: receivers clone concurrently.
        // Safety: the caller's contract.
        self.value
            .with(|cell| unsafe { (*cell).assume_init_ref().clone() })
    }
}

/// What the halves share.
pub(super) struct Shared<T> {
    slots: Box<[Slot<T>]>,
    policy: Policy,
    /// The next position to write.
    tail: AtomicUsize,
    /// Serializes sends, subscriptions and receivers' drops; holds the
    /// count of receivers.
    lock: Lock<usize>,
    /// Set (to 1) once every sender is gone.
    closed: AtomicUsize,
    senders: AtomicUsize,
    /// Receivers waiting for a value: a send wakes all of them. (The
    /// line's own count of receivers is not used.)
    pub(super) receivers_waiting: ReceiverLine,
    /// Wait policy: senders waiting for room, one woken per freed slot.
    pub(super) senders_waiting: ReceiverLine,
    /// Overwrite policy: a send waiting for the readers of the slot it
    /// replaces, and their signal.
    unpinned: (Mutex<()>, Condvar),
}

// Safety: values are moved in by senders and dropped by whichever side
// replaces or outlives them (`T: Send`), and cloned from shared references
// by receivers on any thread (`T: Sync`); the slots' cells are reached
// under the protocol of the module docs.
unsafe impl<T: Send + Sync> Send for Shared<T> {}
// Safety: as above.
unsafe impl<T: Send + Sync> Sync for Shared<T> {}

/// A receive that found nothing.
pub(super) enum Nothing {
    Empty,
    Closed,
    /// Missed this many values; the cursor now stands at the oldest held.
    Lagged(u64),
}

impl From<Nothing> for TryRecvError {
    fn from(n: Nothing) -> Self {
        match n {
            Nothing::Empty => Self::Empty,
            Nothing::Closed => Self::Closed,
            Nothing::Lagged(n) => Self::Lagged(n),
        }
    }
}

impl<T> Shared<T> {
    /// An empty ring of `capacity` slots, with one sender and one receiver.
    pub(super) fn new(capacity: usize, policy: Policy) -> Self {
        assert!(
            capacity > 0,
            "a broadcast channel needs a capacity of 1 or more"
        );
        assert!(
            capacity <= usize::MAX / 4,
            "a broadcast channel's capacity must fit its positions"
        );
        Self {
            slots: (0..capacity)
                .map(|_| Slot::new())
                .collect::<Vec<_>>()
                .into(),
            policy,
            tail: AtomicUsize::new(0),
            lock: Lock::new(1),
            closed: AtomicUsize::new(0),
            senders: AtomicUsize::new(1),
            receivers_waiting: ReceiverLine::new(),
            senders_waiting: ReceiverLine::new(),
            unpinned: (Mutex::new(()), Condvar::new()),
        }
    }

    pub(super) fn capacity(&self) -> usize {
        self.slots.len()
    }

    #[inline]
    fn slot(&self, pos: usize) -> &Slot<T> {
        let cap = self.slots.len();
        let i = if cap.is_power_of_two() {
            pos & (cap - 1)
        } else {
            pos % cap
        };
        &self.slots[i]
    }

    /// The next position to write (Acquire: the values below it are
    /// written and visible).
    #[inline]
    pub(super) fn tail(&self) -> usize {
        // Ordering: Acquire, pairs with the Release store of each send.
        self.tail.load(Ordering::Acquire)
    }

    /// Overwrite policy: writes `value`, over the oldest if the ring is
    /// full, and wakes the waiting receivers. `Ok(receivers)`, or the
    /// value back if no receiver is left.
    pub(super) fn send_overwrite(&self, value: T) -> Result<usize, T> {
        let (result, old) = self.lock.with(|receivers| {
            if *receivers == 0 {
                return (Err(value), None);
            }
            // Ordering: Relaxed; only the lock's holders store it.
            let t = self.tail.load(Ordering::Relaxed);
            let slot = self.slot(t);
            // Ordering: Acquire, pairs with the readers' Release unpins:
            // their clones of the old value happen before it is replaced.
            // From here, a reader that pins backs off.
            let prev = slot.state.fetch_or(EVICT, Ordering::Acquire);
            if prev & PINS != 0 {
                self.wait_unpinned(slot);
            }
            // Safety: under the lock, `EVICT` set and no pin left.
            let old = unsafe { slot.replace(value, t) };
            // Ordering: Release: a reader whose pin reads this (or a later
            // pin or unpin) sees the new value and its position.
            slot.state.fetch_and(!EVICT, Ordering::Release);
            // Ordering: Release, pairs with the receivers' Acquire `tail`.
            self.tail.store(t.wrapping_add(1), Ordering::Release);
            (Ok(*receivers), old)
        });
        if result.is_ok() {
            self.receivers_waiting.wake_all();
        }
        drop(old); // outside the lock: user code
        result
    }

    /// Overwrite policy: waits until no reader pins `slot` (its `EVICT` is
    /// set, so no new one stays).
    #[cold]
    fn wait_unpinned(&self, slot: &Slot<T>) {
        let (lock, signal) = &self.unpinned;
        let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        // Ordering: Acquire, as the `fetch_or` of `send_overwrite`. The
        // last reader to unpin signals under `lock`, after its unpin: it
        // cannot fall between this load and the wait.
        while slot.state.load(Ordering::Acquire) & PINS != 0 {
            guard = signal.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Wait policy: writes `value` if the slot at the tail is free (every
    /// receiver read its value) and wakes the waiting receivers.
    pub(super) fn try_send_wait(&self, value: T) -> Result<(), TrySendError<T>> {
        let old = self.lock.with(|receivers| {
            if *receivers == 0 {
                return Err(TrySendError::Closed(value));
            }
            // Ordering: Relaxed; only the lock's holders store it.
            let t = self.tail.load(Ordering::Relaxed);
            let slot = self.slot(t);
            // Ordering: Acquire, pairs with the receivers' Release
            // decrements: their clones happen before the value is replaced
            // (a slot never written counts none).
            if slot.state.load(Ordering::Acquire) != 0 {
                return Err(TrySendError::Full(value));
            }
            // Safety: under the lock; every receiver has read the value.
            let old = unsafe { slot.replace(value, t) };
            // Ordering: Relaxed; published by the tail's Release store (no
            // receiver reads this slot before it sees the new tail).
            slot.state.store(*receivers, Ordering::Relaxed);
            // Ordering: Release, pairs with the receivers' Acquire `tail`.
            self.tail.store(t.wrapping_add(1), Ordering::Release);
            Ok(old)
        })?;
        self.receivers_waiting.wake_all();
        drop(old); // outside the lock: user code
        Ok(())
    }

    /// The value at `*cursor`, which then moves past it; or why not.
    #[inline]
    pub(super) fn try_recv(&self, cursor: &mut usize) -> Result<T, Nothing>
    where
        T: Clone,
    {
        let c = *cursor;
        let t = self.tail();
        if t == c {
            if !self.is_closed() {
                return Err(Nothing::Empty);
            }
            // Every sender is gone: the last one's sends are all below the
            // tail read now.
            if self.tail() == c {
                return Err(Nothing::Closed);
            }
            return self.try_recv(cursor);
        }
        match self.policy {
            Policy::Wait => {
                *cursor = c.wrapping_add(1);
                let slot = self.slot(c);
                // Counted as read even if `clone` panics: the cursor moved.
                let _read = Read { shared: self, slot };
                // Safety: this receiver has not read position `c` (below
                // the tail), so the slot keeps it until it does.
                Ok(unsafe { slot.clone_value() })
            }
            Policy::Overwrite => self.recv_pinned(cursor, t),
        }
    }

    /// Overwrite policy: the value at `*cursor`, pinned while cloned.
    fn recv_pinned(&self, cursor: &mut usize, t: usize) -> Result<T, Nothing>
    where
        T: Clone,
    {
        let c = *cursor;
        let cap = self.capacity();
        if t.wrapping_sub(c) > cap {
            return Err(self.lagged(cursor, t));
        }
        let slot = self.slot(c);
        // Ordering: Acquire, pairs with the Release of the send that wrote
        // the slot (its `EVICT` cleared): the value and `pos` are visible.
        let prev = slot.state.fetch_add(PIN, Ordering::Acquire);
        let pin = Pinned { shared: self, slot };
        // Ordering: Relaxed; made visible by the Acquire pin above.
        if prev & EVICT == 0 && slot.pos.load(Ordering::Relaxed) == c {
            *cursor = c.wrapping_add(1);
            // Safety: pinned, and no `EVICT` at the pin: no send replaces
            // the value before the unpin.
            let value = unsafe { slot.clone_value() };
            drop(pin);
            Ok(value)
        } else {
            drop(pin);
            // Being replaced, or replaced: position `c` is gone.
            Err(self.lagged(cursor, self.tail()))
        }
    }

    /// Moves a lagging cursor to the oldest value held after tail `t`.
    #[cold]
    fn lagged(&self, cursor: &mut usize, t: usize) -> Nothing {
        let c = *cursor;
        let cap = self.capacity();
        let oldest = if t.wrapping_sub(c) > cap {
            t.wrapping_sub(cap)
        } else {
            // `c`'s slot is being replaced by the send of position `t`.
            c.wrapping_add(1)
        };
        *cursor = oldest;
        Nothing::Lagged(oldest.wrapping_sub(c) as u64)
    }

    /// How many values a receiver at `cursor` has not read (at most the
    /// capacity: older ones are gone).
    pub(super) fn unread(&self, cursor: usize) -> usize {
        self.tail().wrapping_sub(cursor).min(self.capacity())
    }

    /// A new receiver: its cursor, at the tail.
    pub(super) fn subscribe(&self) -> usize {
        self.lock.with(|receivers| {
            *receivers += 1;
            // Ordering: Relaxed; only the lock's holders store it.
            self.tail.load(Ordering::Relaxed)
        })
    }

    /// A receiver at `cursor` goes: under the wait policy it counts as
    /// having read every value it had not; the senders waiting for the
    /// room this frees are woken, all of them if it was the last receiver.
    pub(super) fn drop_receiver(&self, cursor: usize) {
        let (freed, last) = self.lock.with(|receivers| {
            *receivers -= 1;
            let mut freed = 0;
            if self.policy == Policy::Wait {
                // Ordering: Relaxed; only the lock's holders store it.
                let t = self.tail.load(Ordering::Relaxed);
                let mut p = cursor;
                while p != t {
                    if self.slot(p).read_by_one() {
                        freed += 1;
                    }
                    p = p.wrapping_add(1);
                }
            }
            (freed, *receivers == 0)
        });
        if last {
            self.senders_waiting.wake_all();
        } else {
            self.senders_waiting.pass_on(freed);
        }
    }

    /// How many receivers there are now.
    pub(super) fn receiver_count(&self) -> usize {
        self.lock.with(|receivers| *receivers)
    }

    pub(super) fn add_sender(&self) {
        // Ordering: Relaxed; made from a live sender (as `Arc::clone`).
        let prev = self.senders.fetch_add(1, Ordering::Relaxed);
        assert!(prev <= usize::MAX / 2, "too many senders");
    }

    /// A sender goes; the last one closes the channel for the receivers.
    pub(super) fn drop_sender(&self) {
        // Ordering: AcqRel; the last sender's close comes after every
        // other sender's sends.
        if self.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            // Ordering: Release, pairs with the receivers' Acquire load.
            self.closed.store(1, Ordering::Release);
            self.receivers_waiting.wake_all();
        }
    }

    pub(super) fn sender_count(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        self.senders.load(Ordering::Relaxed)
    }

    /// Whether every sender is gone.
    pub(super) fn is_closed(&self) -> bool {
        // Ordering: Acquire, as in `try_recv`.
        self.closed.load(Ordering::Acquire) != 0
    }
}

impl<T> Slot<T> {
    /// Wait policy: one receiver has read the value; true if it was the
    /// last.
    fn read_by_one(&self) -> bool {
        // Ordering: Release, pairs with the Acquire load of the send that
        // replaces the value: this receiver's clone happens before.
        self.state.fetch_sub(1, Ordering::Release) == 1
    }
}

/// Wait policy: counts the value read when dropped (after the clone, or
/// during a panic in it); the last reader wakes a waiting sender.
struct Read<'a, T> {
    shared: &'a Shared<T>,
    slot: &'a Slot<T>,
}

impl<T> Drop for Read<'_, T> {
    fn drop(&mut self) {
        if self.slot.read_by_one() {
            self.shared.senders_waiting.notify_one();
        }
    }
}

/// Overwrite policy: a pin on a slot, taken off when dropped (after the
/// clone, or during a panic in it).
struct Pinned<'a, T> {
    shared: &'a Shared<T>,
    slot: &'a Slot<T>,
}

impl<T> Drop for Pinned<'_, T> {
    fn drop(&mut self) {
        // Ordering: Release, pairs with the Acquire of a send replacing
        // the value: the clone happens before.
        let prev = self.slot.state.fetch_sub(PIN, Ordering::Release);
        if prev & EVICT != 0 && prev & PINS == PIN {
            // The last pin out of a slot a send waits to replace: signal
            // it under the lock it checks under (see `wait_unpinned`).
            let (lock, signal) = &self.shared.unpinned;
            let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            signal.notify_all();
        }
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        for slot in self.slots.iter() {
            // Ordering: Relaxed; `&mut self`: nobody else is left.
            if slot.pos.load(Ordering::Relaxed) != EMPTY {
                // Safety: written, and nobody else is left.
                slot.value
                    .with_mut(|cell| unsafe { (*cell).assume_init_drop() });
            }
        }
    }
}
