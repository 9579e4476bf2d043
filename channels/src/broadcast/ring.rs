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
//!   told how many it missed (`Lagged`). Each receiver publishes, on its
//!   own cache line, the position below which it is done, and marks the
//!   position it is cloning while it clones (a store and a fence before
//!   the clone, a swap after: no read-modify-write on a line another
//!   receiver writes). A send about to overwrite position `p` keeps the
//!   lowest position any receiver published: while that is above `p`, no
//!   receiver will read `p` again and the send just writes. Otherwise
//!   (some receiver is a ring behind) it marks the slot `EVICT`, looks at
//!   every receiver's mark, and waits for one that is cloning `p` to
//!   finish (a condition variable it signals); a receiver that then finds
//!   `EVICT` backs off, told it lagged. That wait is bounded by one
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
//! `usize` and never wrap: a channel carries at most [`LAST_POSITION`]
//! values (2^61 on a 64-bit target, out of reach; 2^29 on a 32-bit one),
//! and a send past that panics rather than reuse a position.

use super::error::TryRecvError;
use crate::cache_padded::CachePadded;
use crate::error::TrySendError;
use crate::receiver_line::ReceiverLine;
use crate::sync::{fence, Arc, AtomicUsize, Condvar, Lock, Mutex, Ordering, UnsafeCell};
use crate::through_panics::then_through_panics;
use crate::upgrade::add_if_alive;
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
/// The positions a channel can use: marks keep them shifted left by
/// `MARK_SHIFT`, with a bit to spare for the distances between them.
pub(super) const LAST_POSITION: usize = usize::MAX >> (MARK_SHIFT + 1);
/// Overwrite policy, a slot's `state`: a send is replacing the value.
const EVICT: usize = 1;
/// In a receiver's mark (a position shifted left by 2): it clones that
/// position.
const CLONING: usize = 1;
/// In a receiver's mark: a send waits for this clone to finish, and is to
/// be signalled when the mark moves on.
const WAITED: usize = 2;
/// How far a mark's position is shifted.
const MARK_SHIFT: u32 = 2;

/// One slot, on its own cache line (for a small `T`): receivers read (and,
/// with backpressure, count their reads on) one slot while the sender
/// writes the next. Measured when receivers pinned slots with RMWs: the
/// fan-out with 16 receivers gained about 8%.
#[repr(align(64))]
struct Slot<T> {
    /// Overwrite: `EVICT` or 0, stored under the senders' lock. Wait: how
    /// many receivers have not read the value.
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
    /// Under the senders' lock, with no receiver in the slot (none
    /// cloning it, or none left to read it).
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
        // (the tail's, and the state's after an eviction).
        self.pos.store(pos, Ordering::Relaxed);
        old
    }

    /// A clone of the value.
    ///
    /// # Safety
    ///
    /// The slot holds a value that no send replaces meanwhile (marked as
    /// cloned by the caller, or not yet read by it under the wait policy).
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
    /// Serializes sends, subscriptions and receivers' drops.
    lock: Lock<Registry>,
    /// Set (to 1) once every sender is gone.
    closed: AtomicUsize,
    senders: AtomicUsize,
    /// Receivers waiting for a value: a send wakes all of them. (The
    /// line's own count of receivers is not used.)
    pub(super) receivers_waiting: ReceiverLine,
    /// Wait policy: senders waiting for room, one woken per freed slot.
    pub(super) senders_waiting: ReceiverLine,
    /// Senders waiting in `closed` for the last receiver to go: its drop
    /// wakes all of them.
    pub(super) closing: ReceiverLine,
    /// Overwrite policy: a send waiting for a receiver cloning the value
    /// it replaces, and that receiver's signal.
    cloned: (Mutex<()>, Condvar),
}

/// What the senders' lock guards besides the ring's writes.
struct Registry {
    receivers: usize,
    /// Overwrite policy: every receiver's mark.
    marks: Vec<Arc<Mark>>,
    /// Overwrite policy: no receiver's mark was below this when last
    /// looked at (marks only rise, and new receivers start at the tail).
    lowest: usize,
}

/// Overwrite policy: one receiver's mark, on its own cache line: `next`
/// (every position below it done with), or `c` with `CLONING` while it
/// clones position `c` (and `WAITED` once a send waits for that clone);
/// positions are shifted left by `MARK_SHIFT`.
struct Mark(CachePadded<AtomicUsize>);

impl Mark {
    fn at(next: usize) -> Arc<Self> {
        Arc::new(Self(CachePadded::new(AtomicUsize::new(next << MARK_SHIFT))))
    }
}

/// A receiver's own state: its cursor, and its mark (overwrite policy).
pub(super) struct Reader {
    cursor: usize,
    mark: Option<Arc<Mark>>,
}

impl Reader {
    /// The position of the next value to read.
    pub(super) fn cursor(&self) -> usize {
        self.cursor
    }

    /// Moves the cursor to `next` and publishes it; true if a send waits
    /// for the clone this ends (it is then to be signalled).
    fn done_below(&mut self, next: usize) -> bool {
        self.cursor = next;
        match &self.mark {
            // Ordering: AcqRel: a Release for the send that reads the mark
            // (the clone before is done with), and an Acquire of the send's
            // `WAITED`.
            Some(mark) => mark.0.swap(next << MARK_SHIFT, Ordering::AcqRel) & WAITED != 0,
            None => false,
        }
    }
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
    /// An empty ring of `capacity` slots, with one sender and no receiver
    /// yet ([`subscribe`](Self::subscribe) makes the first).
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
            lock: Lock::new(Registry {
                receivers: 0,
                marks: Vec::new(),
                lowest: 0,
            }),
            closed: AtomicUsize::new(0),
            senders: AtomicUsize::new(1),
            receivers_waiting: ReceiverLine::new(),
            senders_waiting: ReceiverLine::new(),
            closing: ReceiverLine::new(),
            cloned: (Mutex::new(()), Condvar::new()),
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
        let (result, old) = self.lock.with(|reg| {
            if reg.receivers == 0 {
                return (Err(value), None);
            }
            // Ordering: Relaxed; only the lock's holders store it.
            let t = self.tail.load(Ordering::Relaxed);
            assert!(
                t < LAST_POSITION,
                "a broadcast channel ran out of positions"
            );
            let slot = self.slot(t);
            let cap = self.capacity();
            // Ordering: Relaxed; only the lock's holders write it.
            let evicting =
                slot.pos.load(Ordering::Relaxed) != EMPTY && t.wrapping_sub(reg.lowest) >= cap && {
                    reg.lowest = lowest_mark(&reg.marks, t);
                    t.wrapping_sub(reg.lowest) >= cap
                };
            if evicting {
                // A receiver is a ring behind: it may be cloning the value
                // at `t - cap`.
                self.evict(slot, t.wrapping_sub(cap), &reg.marks);
            }
            // Safety: under the lock; no receiver clones the old value
            // (every mark is past it, or `evict` waited).
            let old = unsafe { slot.replace(value, t) };
            if evicting {
                // Ordering: Release: a receiver that reads this sees the
                // new `pos`, and backs off from the old position.
                slot.state.store(0, Ordering::Release);
            }
            // Ordering: Release, pairs with the receivers' Acquire `tail`.
            self.tail.store(t.wrapping_add(1), Ordering::Release);
            (Ok(reg.receivers), old)
        });
        if result.is_ok() {
            self.receivers_waiting.wake_all();
        }
        drop(old); // outside the lock: user code
        result
    }

    /// Overwrite policy: marks `slot` (holding position `p`) `EVICT`, then
    /// waits for the receivers whose marks say they clone `p`.
    #[cold]
    fn evict(&self, slot: &Slot<T>, p: usize, marks: &[Arc<Mark>]) {
        // Ordering: Relaxed, then a SeqCst fence, against the receivers'
        // mark and fence (see `try_clone`): either a receiver's look after
        // its fence sees `EVICT` and backs off, or the loads below see its
        // mark.
        slot.state.store(EVICT, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        let cloning = (p << MARK_SHIFT) | CLONING;
        let mut waits = false;
        for mark in marks {
            // Ordering: Acquire: a mark that moved past `p` was done with
            // its clone; the CAS's AcqRel likewise, and a Release of
            // `WAITED` for the receiver's swap.
            if mark.0.load(Ordering::Acquire) == cloning
                && mark
                    .0
                    .compare_exchange(
                        cloning,
                        cloning | WAITED,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    )
                    .is_ok()
            {
                waits = true;
            }
        }
        if !waits {
            return;
        }
        let (lock, signal) = &self.cloned;
        let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        // Each such receiver signals under `lock` after its mark moves on:
        // it cannot fall between a look and the wait.
        // Ordering: Acquire, as above.
        while marks
            .iter()
            .any(|m| m.0.load(Ordering::Acquire) == cloning | WAITED)
        {
            guard = signal.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Wait policy: writes `value` if the slot at the tail is free (every
    /// receiver read its value) and wakes the waiting receivers.
    pub(super) fn try_send_wait(&self, value: T) -> Result<(), TrySendError<T>> {
        let old = self.lock.with(|reg| {
            if reg.receivers == 0 {
                return Err(TrySendError::Closed(value));
            }
            // Ordering: Relaxed; only the lock's holders store it.
            let t = self.tail.load(Ordering::Relaxed);
            assert!(
                t < LAST_POSITION,
                "a broadcast channel ran out of positions"
            );
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
            slot.state.store(reg.receivers, Ordering::Relaxed);
            // Ordering: Release, pairs with the receivers' Acquire `tail`.
            self.tail.store(t.wrapping_add(1), Ordering::Release);
            Ok(old)
        })?;
        self.receivers_waiting.wake_all();
        drop(old); // outside the lock: user code
        Ok(())
    }

    /// The value at the reader's cursor, which then moves past it; or why
    /// not.
    #[inline]
    pub(super) fn try_recv(&self, reader: &mut Reader) -> Result<T, Nothing>
    where
        T: Clone,
    {
        let c = reader.cursor;
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
            return self.try_recv(reader);
        }
        match self.policy {
            Policy::Wait => {
                reader.cursor = c.wrapping_add(1);
                let slot = self.slot(c);
                // Counted as read even if `clone` panics: the cursor moved.
                let _read = Read { shared: self, slot };
                // Safety: this receiver has not read position `c` (below
                // the tail), so the slot keeps it until it does.
                Ok(unsafe { slot.clone_value() })
            }
            Policy::Overwrite => self.try_clone(reader, t),
        }
    }

    /// Overwrite policy: the value at the cursor, marked as cloned while
    /// it is.
    fn try_clone(&self, reader: &mut Reader, t: usize) -> Result<T, Nothing>
    where
        T: Clone,
    {
        let c = reader.cursor;
        if t.wrapping_sub(c) > self.capacity() {
            return Err(self.lagged(reader, t));
        }
        let slot = self.slot(c);
        let mark = reader
            .mark
            .as_ref()
            .expect("overwrite receivers have a mark");
        // Ordering: Release: a send that reads this mark (Acquire) and
        // finds it past a position must see this receiver's clones of the
        // positions before done (the swap that ended them is earlier).
        // Then a SeqCst fence: in the single order with a send's `EVICT`
        // store and fence (see `evict`): either that send sees this mark
        // and waits, or the load below sees `EVICT`.
        mark.0.store((c << MARK_SHIFT) | CLONING, Ordering::Release);
        fence(Ordering::SeqCst);
        // Ordering: Acquire: a send that replaced the value cleared `EVICT`
        // with a Release after writing `pos`, which is then seen.
        let evicted = slot.state.load(Ordering::Acquire) & EVICT != 0
            // Ordering: Relaxed; ordered by the load above.
            || slot.pos.load(Ordering::Relaxed) != c;
        if evicted {
            // Being replaced, or replaced: position `c` is gone.
            return Err(self.lagged(reader, self.tail()));
        }
        let cloned = Cloned {
            shared: self,
            reader,
            next: c.wrapping_add(1),
        };
        // Safety: marked as cloning `c`, and no `EVICT` after the mark: no
        // send replaces the value before the mark moves on.
        let value = unsafe { slot.clone_value() };
        drop(cloned);
        Ok(value)
    }

    /// Overwrite policy: signals the send that waited for a receiver's
    /// clone, after that receiver's mark moved on.
    #[cold]
    fn signal_clone_done(&self) {
        let (lock, signal) = &self.cloned;
        let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        signal.notify_all();
    }

    /// Moves a lagging cursor to the oldest value held after tail `t`.
    #[cold]
    fn lagged(&self, reader: &mut Reader, t: usize) -> Nothing {
        let c = reader.cursor;
        let cap = self.capacity();
        let oldest = if t.wrapping_sub(c) > cap {
            t.wrapping_sub(cap)
        } else {
            // `c`'s slot is being replaced by the send of position `t`.
            c.wrapping_add(1)
        };
        if reader.done_below(oldest) {
            self.signal_clone_done();
        }
        Nothing::Lagged(oldest.wrapping_sub(c) as u64)
    }

    /// How many values a receiver at `cursor` has not read (at most the
    /// capacity: older ones are gone).
    pub(super) fn unread(&self, cursor: usize) -> usize {
        self.tail().wrapping_sub(cursor).min(self.capacity())
    }

    /// A new receiver, at the tail.
    pub(super) fn subscribe(&self) -> Reader {
        self.lock.with(|reg| {
            reg.receivers += 1;
            // Ordering: Relaxed; only the lock's holders store it.
            let cursor = self.tail.load(Ordering::Relaxed);
            let mark = (self.policy == Policy::Overwrite).then(|| {
                let mark = Mark::at(cursor);
                reg.marks.push(mark.clone());
                mark
            });
            Reader { cursor, mark }
        })
    }

    /// A receiver goes. Overwrite: its mark with it. Wait: it counts as
    /// having read every value it had not; the senders waiting for the
    /// room this frees are woken, all of them if it was the last receiver,
    /// and then (even if a sender's waker panics) those in `closed`.
    pub(super) fn drop_receiver(&self, reader: &Reader) {
        let (freed, last) = self.lock.with(|reg| {
            reg.receivers -= 1;
            if let Some(mark) = &reader.mark {
                reg.marks.retain(|m| !Arc::ptr_eq(m, mark));
            }
            let mut freed = 0;
            if self.policy == Policy::Wait {
                // Ordering: Relaxed; only the lock's holders store it.
                let t = self.tail.load(Ordering::Relaxed);
                let mut p = reader.cursor;
                while p != t {
                    if self.slot(p).read_by_one() {
                        freed += 1;
                    }
                    p = p.wrapping_add(1);
                }
            }
            (freed, reg.receivers == 0)
        });
        if last {
            then_through_panics(
                || self.senders_waiting.wake_all(),
                || self.closing.wake_all(),
            );
        } else {
            self.senders_waiting.pass_on(freed);
        }
    }

    /// How many receivers there are now.
    pub(super) fn receiver_count(&self) -> usize {
        self.lock.with(|reg| reg.receivers)
    }

    pub(super) fn add_sender(&self) {
        // Ordering: Relaxed; made from a live sender (as `Arc::clone`).
        let prev = self.senders.fetch_add(1, Ordering::Relaxed);
        assert!(prev <= usize::MAX / 2, "too many senders");
    }

    /// Counts one more sender if one is alive, for the weak senders'
    /// `upgrade`; false once the count is zero (the channel is closed for
    /// good: no sender is ever made from zero).
    pub(super) fn try_add_sender(&self) -> bool {
        add_if_alive(&self.senders, 1, "senders")
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

/// Overwrite policy: a receiver's clone in progress; when dropped (after
/// the clone, or during a panic in it) the mark moves past the value, and
/// a send waiting to replace it is signalled.
struct Cloned<'a, T> {
    shared: &'a Shared<T>,
    reader: &'a mut Reader,
    next: usize,
}

impl<T> Drop for Cloned<'_, T> {
    fn drop(&mut self) {
        if self.reader.done_below(self.next) {
            self.shared.signal_clone_done();
        }
    }
}

/// The lowest position any mark stands at (`t` with no mark).
fn lowest_mark(marks: &[Arc<Mark>], t: usize) -> usize {
    marks
        .iter()
        // Ordering: Acquire, pairs with the receivers' AcqRel swaps: a
        // mark past a position was done cloning it.
        .map(|m| m.0.load(Ordering::Acquire) >> MARK_SHIFT)
        .max_by_key(|&next| t.wrapping_sub(next))
        .unwrap_or(t)
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
