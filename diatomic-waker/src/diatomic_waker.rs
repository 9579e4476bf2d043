//! The primitive: two waker slots and one state word.

use core::fmt;
use core::task::Waker;

use crate::sync::{Ordering, StateWord, UnsafeCell};
use crate::{WaitUntil, WakeSinkRef};

// # State word
//
// | bit | name         | meaning                                                  |
// |-----|--------------|----------------------------------------------------------|
// | I   | INDEX        | slot notifiers read (the *current* slot)                 |
// | U   | UPDATE       | the sink stored a newer waker in slot `!I`; the next     |
// |     |              | notifier to take the lock flips `I` and clears `U`       |
// | R   | REGISTERED   | a waker awaits a notification                            |
// | L   | LOCKED       | a notifier holds the notification lock and may read the |
// |     |              | current slot                                             |
// | N   | REQUESTS     | bits 4 and up: a counter (wrapping) of notification      |
// |     |              | requests; a notifier that finds the lock taken (or no    |
// |     |              | waker) adds one, and the lock holder, seeing it move,    |
// |     |              | notifies once more                                       |
//
// # Slot ownership
//
// Only the lock holder reads a slot from the notifier side, and only the
// current one (`I` as of its last successful RMW). The sink owns slot `!I`
// whenever `U` is clear: no notifier reads it, and `I` cannot flip because only
// the sink sets `U`. The sink may always *read* either slot (`will_wake`), as
// notifiers only ever read them too.
//
// # Transitions
//
// Sink side (one thread at a time, guaranteed by the caller):
//
// | operation                          | condition              | RMW                                | slot access                |
// |------------------------------------|------------------------|------------------------------------|----------------------------|
// | register, waker cached in slot `I` | `U == 0`, `R == 1`     | none (see below)                   | read `I`                   |
// | register, waker cached in slot `I` | `U == 0`, `R == 0`     | `fetch_or(R)`                      | read `I`                   |
// | register, new waker                | `U == 0`               | `fetch_or(U \| R)`                 | write `!I`                 |
// | register, waker pending in `!I`    | `U == 1`, `R == 1`     | none (see below)                   | read `!I`                  |
// | register, waker pending in `!I`    | `U == 1`, `R == 0`     | `fetch_or(R)`                      | read `!I`                  |
// | register, other waker              | `U == 1`               | `fetch_and(!U)` then `fetch_or(U \| R)` | write `!I` of the `fetch_and` result |
// | unregister                         | `R == 1`               | `fetch_and(!R)`                    | none                       |
// | unregister                         | `R == 0`               | none (only the sink sets `R`)      | none                       |
//
// Registering the waker that is already registered needs no RMW even if the
// value read is stale: only the sink sets `R` and `U`, so whichever notifier
// clears `R` wakes that waker (after applying `U`), and the task is polled
// again whether or not it saw the notifier's progress.
//
// Notifier side (any number of threads):
//
// | from                       | to                                              | RMW                   |
// |----------------------------|-------------------------------------------------|-----------------------|
// | `R == 0` or `L == 1`       | `N += 1`; return                                | `fetch_add(REQUEST)`  |
// | `R == 1`, `L == 0`         | `L = 1, R = 0`; if `U`: flip `I`, `U = 0`; wake slot `I` | CAS          |
// | holder, `N` moved, `R == 1`| as above, lock kept; wake again                 | CAS                   |
// | holder, otherwise          | `L = 0`; return                                 | CAS                   |
// | holder, waker panicked     | `L = 0`                                         | `fetch_and(!L)`       |
//
// `N` is a counter rather than a bit so that a request is a single
// `fetch_add`, one instruction (`lock xadd`) that does not depend on a prior
// load, where a `fetch_or` whose result is inspected compiles to a
// compare-and-swap loop. It lives in the top bits, so its wrapping never
// touches the flags; the holder only asks whether it moved since its last
// successful CAS. A false "no" would need a multiple of 2^(usize::BITS - 4)
// requests (2^60 on 64-bit targets, 2^28 on 32-bit ones) to land between two
// CASes of one holder, i.e. during a single `wake_by_ref`.
//
// # Why no notification is lost
//
// Every operation that decides anything is an RMW on the state word, so all of
// them are totally ordered (modification order). A notifier's first RMW is a
// Release; the sink's registering RMW is an Acquire. If the notifier's RMW
// comes first, the sink reads from its release sequence and sees the progress
// the notifier reported before notifying, so the predicate checked after
// registration succeeds. If the sink's RMW comes first, the notifier sees
// `R == 1`: it either takes the lock and wakes the slot `I` after applying
// `U` (which is the waker just registered), or it finds `L == 1` and bumps
// `N`, which the lock holder sees in its unlocking CAS (Acquire) and honours
// while `R == 1`.

const INDEX: usize = 0b0_0001;
const UPDATE: usize = 0b0_0010;
const REGISTERED: usize = 0b0_0100;
const LOCKED: usize = 0b0_1000;
/// One notification request: the unit of the counter in the top bits.
const REQUEST: usize = 0b1_0000;
/// The flag bits, below the request counter.
const FLAGS: usize = REQUEST - 1;

/// A primitive that can send or await notifications.
///
/// One *sink* registers wakers (at most one thread at a time: the unsafe
/// methods' contract), any number of *sources* call [`notify`](Self::notify).
/// Most users want the safe handles: [`WakeSink`](crate::WakeSink) and
/// [`WakeSource`](crate::WakeSource) share it through an `Arc`;
/// [`sink_ref`](Self::sink_ref) borrows it without allocation, e.g. from a
/// `static`.
///
/// # Cost
///
/// Counted in the crate's tests, in atomic read-modify-write operations (RMW)
/// on its own state word:
///
/// | operation                                  | own RMWs | waker calls                   |
/// |--------------------------------------------|----------|-------------------------------|
/// | `notify` with no waker registered          | 1        | none                          |
/// | `register` of the last waker + `notify`    | 3        | `wake_by_ref`                 |
/// | `register` of a new waker + `notify`       | 3        | `clone`, `drop`, `wake_by_ref` |
///
/// # Examples
///
/// ```
/// use diatomic_waker::DiatomicWaker;
///
/// static WAKER: DiatomicWaker = DiatomicWaker::new();
/// WAKER.notify(); // nobody is registered: one atomic RMW, nothing else
/// ```
pub struct DiatomicWaker {
    state: StateWord,
    slots: [UnsafeCell<Option<Waker>>; 2],
}

impl DiatomicWaker {
    /// Creates a new `DiatomicWaker` with no waker registered.
    ///
    /// # Examples
    ///
    /// ```
    /// let w = diatomic_waker::DiatomicWaker::new();
    /// w.notify();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            state: StateWord::new(0),
            slots: [UnsafeCell::new(None), UnsafeCell::new(None)],
        }
    }

    /// Creates a new `DiatomicWaker` with no waker registered.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            state: StateWord::new(0),
            slots: [UnsafeCell::new(None), UnsafeCell::new(None)],
        }
    }

    /// Returns a sink whose lifetime is bound to this `DiatomicWaker`.
    ///
    /// The mutable borrow guarantees that at most one sink is active.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// let sink = w.sink_ref();
    /// let source = sink.source_ref();
    /// source.notify();
    /// ```
    pub fn sink_ref(&mut self) -> WakeSinkRef<'_> {
        WakeSinkRef::new(self)
    }

    /// Sends a notification if a waker is registered, and unregisters it.
    ///
    /// Never blocks: if another notifier is busy waking the waker, this one
    /// only asks it to notify once more (one `fetch_or`) and returns.
    ///
    /// # Examples
    ///
    /// ```
    /// let w = diatomic_waker::DiatomicWaker::new();
    /// w.notify(); // no waker registered: a no-op
    /// ```
    #[inline]
    pub fn notify(&self) {
        // Ordering: Relaxed, a hint only; every decision is taken on the value
        // an RMW returns.
        let state = self.state.load(Ordering::Relaxed);
        if state & (LOCKED | REGISTERED) == REGISTERED {
            return self.lock_and_notify(state);
        }
        // Ordering: Release, so that what the caller did before notifying
        // happens-before whoever consumes this RMW's value: the sink's next
        // registering RMW (Acquire) or the lock holder's unlocking CAS
        // (Acquire).
        let prev = self.state.fetch_add(REQUEST, Ordering::Release);
        if prev & (LOCKED | REGISTERED) == REGISTERED {
            // The lock was released and a waker registered in between: the
            // request would go unanswered, so take the lock ourselves.
            self.lock_and_notify(prev.wrapping_add(REQUEST));
        }
    }

    /// Takes the notification lock (or hands the notification to its holder),
    /// wakes the waker, and honours the requests made meanwhile.
    ///
    /// `state` is a recent value of the state word, registered and not
    /// locked (both callers checked).
    #[inline(never)]
    fn lock_and_notify(&self, mut state: usize) {
        loop {
            let locked = lock_transition(state);
            // Ordering: Acquire on success to see the waker the sink wrote
            // before its Release RMW that set `R`/`U`, and the previous holder's
            // slot reads; Release so that the caller's progress is published to
            // the sink's next registering RMW (Acquire) and so that an `I` flip
            // is ordered after this thread's earlier slot reads.
            match self
                .state
                .compare_exchange(state, locked, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => {
                    state = locked;
                    break;
                }
                Err(current) => state = current,
            }
            while state & (LOCKED | REGISTERED) != REGISTERED {
                // Ordering: Release, as in `notify`.
                let prev = self.state.fetch_add(REQUEST, Ordering::Release);
                if prev & (LOCKED | REGISTERED) != REGISTERED {
                    return;
                }
                state = prev.wrapping_add(REQUEST);
            }
        }

        // The lock is held; `state` is the value this thread wrote last, and
        // the requests counted in it are served by the wake below.
        let guard = UnlockOnUnwind(&self.state);
        loop {
            self.slots[state & INDEX].with(|slot| {
                // Safety: the lock is held and slot `state & INDEX` is the
                // current slot, which the sink never writes while it is current
                // (it retracts `U` first when it needs it back).
                if let Some(waker) = unsafe { &*slot } {
                    waker.wake_by_ref();
                }
            });

            // Release the lock, unless requests came in while a waker is
            // registered: then keep it and notify once more.
            let served = state;
            // The common case first: nothing changed since the lock was
            // taken, so no request to honour; release.
            // Ordering: as in the loop below.
            match self.state.compare_exchange(
                state,
                state & !LOCKED,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    core::mem::forget(guard);
                    return;
                }
                Err(current) => state = current,
            }
            loop {
                let requested = (state ^ served) & !FLAGS != 0;
                let honour = requested && state & REGISTERED != 0;
                let next = if honour {
                    lock_transition(state)
                } else {
                    state & !LOCKED
                };
                // Ordering: Release so that this thread's slot reads happen
                // before the sink reuses the slot; Acquire (also on failure) to
                // see the progress of the notifiers whose requests are honoured
                // and any waker written by the sink.
                match self
                    .state
                    .compare_exchange(state, next, Ordering::AcqRel, Ordering::Acquire)
                {
                    Ok(_) if honour => {
                        state = next;
                        break;
                    }
                    Ok(_) => {
                        core::mem::forget(guard);
                        return;
                    }
                    Err(current) => state = current,
                }
            }
        }
    }

    /// Registers a waker, to be woken by the next notification.
    ///
    /// Registration is lazy: the waker is cloned only if it wakes a different
    /// task than the last registered waker, which stays cached after it is
    /// unregistered or notified.
    ///
    /// # Safety
    ///
    /// `register`, `unregister` and `wait_until` must not run concurrently
    /// with one another (on several threads at once).
    #[inline]
    pub unsafe fn register(&self, waker: &Waker) {
        // Ordering: Acquire so that, when `U` is clear, the notifier reads of
        // slot `!I` (which happened before the RMW that made it non-current)
        // happen before this thread writes it.
        let state = self.state.load(Ordering::Acquire);
        if state & UPDATE == 0 && self.slot_will_wake(state & INDEX, waker) {
            if state & REGISTERED != 0 {
                // Already registered: whichever notifier clears `R` wakes slot
                // `I`, this very task (only the sink sets `U`), so a
                // notification is delivered whether or not this thread sees
                // the notifier's progress. No RMW: under contention, this
                // keeps the sink off the notifiers' cache line.
                return;
            }
            // Ordering: Acquire, so that the predicate checked after
            // registration sees what notifiers published before their (Release)
            // RMWs ordered before this one. Nothing to publish: the slot did
            // not change.
            self.state.fetch_or(REGISTERED, Ordering::Acquire);
            return;
        }
        if state & UPDATE == 0 {
            return self.register_new(state, waker);
        }
        self.register_other(state, waker);
    }

    /// `register` with a new waker and no update pending; `state` is the
    /// value `register` loaded. Apart from `register_other`, whose retract
    /// path keeps more values alive: this common path then saves fewer
    /// registers (callgrind, `bench/examples/register_path.rs`).
    #[inline(never)]
    fn register_new(&self, state: usize, waker: &Waker) {
        // `U` is clear, so the sink owns slot `!I` (see the module notes)
        // and no other sink call runs concurrently. The waker it holds is
        // not compared: alternating wakers are rare, and the comparison
        // made this path 4% slower in `benches/primitive.rs`.
        self.set_slot((state & INDEX) ^ 1, waker);
        // Ordering: Release to publish the waker just written to the
        // notifier whose lock CAS (Acquire) will flip `I`; Acquire to see
        // what notifiers published before earlier RMWs.
        self.state.fetch_or(UPDATE | REGISTERED, Ordering::AcqRel);
    }

    /// `register` when an update is pending; `state` is the value
    /// `register` loaded.
    #[inline(never)]
    fn register_other(&self, state: usize, waker: &Waker) {
        let other = (state & INDEX) ^ 1;

        // A waker is pending in slot `!I` (or was, if a notifier has flipped).
        if self.slot_will_wake(other, waker) {
            if state & REGISTERED != 0 {
                // Already registered: whichever notifier clears `R` applies `U`
                // first and wakes this very task (see `register`).
                return;
            }
            // Ordering: Acquire, as in `register`. If a notifier flipped `I`
            // meanwhile, the pending waker became current: still the right one.
            self.state.fetch_or(REGISTERED, Ordering::Acquire);
            return;
        }
        // Retract the update to get exclusive ownership of a slot back.
        // Ordering: Acquire so that the reads of a notifier that flipped `I` in
        // between happen before this thread writes the now non-current slot.
        let state = self.state.fetch_and(!UPDATE, Ordering::Acquire);
        // `U` is now clear and slot `!I` is not current: the sink owns it.
        self.set_slot((state & INDEX) ^ 1, waker);
        // Ordering: as for the `U == 0` case above.
        self.state.fetch_or(UPDATE | REGISTERED, Ordering::AcqRel);
    }

    /// Unregisters the waker, if any.
    ///
    /// Notifications sent afterwards are ignored until a waker is registered
    /// again. The waker stays cached, so registering it again is cheap.
    ///
    /// # Safety
    ///
    /// `register`, `unregister` and `wait_until` must not run concurrently
    /// with one another (on several threads at once).
    #[inline]
    pub unsafe fn unregister(&self) {
        // Ordering: Relaxed; only the sink sets `R`, and this thread sees its
        // own last write, so `R == 0` here means it is still clear.
        if self.state.load(Ordering::Relaxed) & REGISTERED == 0 {
            return;
        }
        // Ordering: Relaxed; unregistering publishes nothing.
        self.state.fetch_and(!REGISTERED, Ordering::Relaxed);
    }

    /// Returns a future that resolves to the first `Some` returned by
    /// `predicate`, checked before and after each waker registration.
    ///
    /// # Safety
    ///
    /// `register`, `unregister` and `wait_until` must not run concurrently
    /// with one another, including the polls of the returned future.
    pub unsafe fn wait_until<P, T>(&self, predicate: P) -> WaitUntil<'_, P, T>
    where
        P: FnMut() -> Option<T>,
    {
        WaitUntil::new(self, predicate)
    }

    /// Whether the waker in `slot` wakes the same task as `waker`.
    fn slot_will_wake(&self, slot: usize, waker: &Waker) -> bool {
        // Safety: only the sink writes slots, and the caller is the sink;
        // concurrent notifiers only read them.
        self.slots[slot].with(|w| matches!(unsafe { &*w }, Some(w) if w.will_wake(waker)))
    }

    /// Stores `waker` in `slot`, dropping the waker it held.
    ///
    /// The caller must be the sink and own `slot` (see the module notes). If
    /// the old waker's drop or the clone panics, the slot is left empty and
    /// not yet published: the state stays consistent and the registration
    /// did not happen.
    fn set_slot(&self, slot: usize, waker: &Waker) {
        self.slots[slot].with_mut(|w| {
            // The old waker goes first, then the clone is written: fewer
            // values live across the two calls (callgrind,
            // `bench/examples/register_path.rs`). A panic in either leaves
            // the slot empty and unpublished.
            // Safety: the caller is the sink and owns the slot: no notifier
            // reads it until a later RMW publishes it. The slot is empty
            // when the clone is written, so `write` drops nothing.
            unsafe {
                drop((*w).take());
                w.write(Some(waker.clone()));
            }
        });
    }
}

/// The state written when a notifier takes (or keeps) the lock.
#[inline(always)]
fn lock_transition(state: usize) -> usize {
    let state = (state | LOCKED) & !REGISTERED;
    if state & UPDATE != 0 {
        (state ^ INDEX) & !UPDATE
    } else {
        state
    }
}

/// Releases the notification lock if a waker panics while it is held.
struct UnlockOnUnwind<'a>(&'a StateWord);

impl Drop for UnlockOnUnwind<'_> {
    fn drop(&mut self) {
        // Ordering: Release so that the slot reads of this thread happen before
        // the sink reuses the slot. Pending requests are left to the next
        // notifier.
        self.0.fetch_and(!LOCKED, Ordering::Release);
    }
}

impl Default for DiatomicWaker {
    fn default() -> Self {
        Self::new()
    }
}

// Safety: the wakers are `Send + Sync`, and access to the slots is arbitrated by
// the state word as described in the module notes.
unsafe impl Send for DiatomicWaker {}
// Safety: as above.
unsafe impl Sync for DiatomicWaker {}

impl fmt::Debug for DiatomicWaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ordering: Relaxed, a snapshot for display only.
        let state = self.state.load(Ordering::Relaxed);
        f.debug_struct("DiatomicWaker")
            .field("registered", &(state & REGISTERED != 0))
            .field("notifying", &(state & LOCKED != 0))
            .finish_non_exhaustive()
    }
}
