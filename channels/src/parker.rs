//! A thread's parker: the waker of a blocking call, and how the thread
//! waits for it.
//!
//! The waker only flips a state word, and unparks the thread (a system
//! call) only if the thread is really asleep. The thread first watches the
//! word for a short while (spinning, then yielding its core) before it goes
//! to sleep: on the machines this crate is measured on, a park and an
//! unpark cost tens of microseconds, while the other side of a busy channel
//! usually answers within a few. A blocking receive also watches the queue
//! itself for the same few spinning rounds before it registers to sleep
//! ([`spin_for`]): a registered receiver makes the push that ends
//! the gap notify it. Only blocking calls spin; the async paths never do.
//!
//! # States
//!
//! | state      | meaning                                    | next |
//! |------------|--------------------------------------------|------|
//! | `EMPTY`    | no wake since the thread last looked       | `NOTIFIED` (a wake), `PARKED` (the thread goes to sleep) |
//! | `NOTIFIED` | woken; the thread has not looked yet       | `EMPTY` (the thread takes the wake) |
//! | `PARKED`   | the thread sleeps, or is about to          | `NOTIFIED` (a wake: it also unparks the thread), `EMPTY` (the thread's time ran out) |
//!
//! Only wakes write `NOTIFIED`; only the owning thread writes `EMPTY` and
//! `PARKED`. The OS-level park token of the thread absorbs the race where
//! the unpark comes before the thread's `park`.

use core::sync::atomic::Ordering;
use core::task::Waker;
use std::time::Instant;

use crate::sync::{thread, AtomicU8};

const EMPTY: u8 = 0;
const NOTIFIED: u8 = 1;
const PARKED: u8 = 2;

/// How the thread watches the state before sleeping: `SPIN_ROUNDS` rounds
/// that spin for 1, 2, 4, ... `2^(SPIN_ROUNDS - 1)` hints, then up to
/// `YIELD_ROUNDS` rounds that each give the core away once (on an
/// oversubscribed machine, the thread that will wake this one may be
/// waiting for this core), for `YIELD_FOR` at most in all. Measured on
/// the thread workloads of `bench/` (2 vCPUs): with 10 yields and no time
/// bound, a thread ping-pong took 4.7 us a round trip and producer tasks
/// feeding a thread at capacity 1 made 0.06 msg/us; yielding for up to
/// 25 us (kanal's figure) took them to 1.1 us and 0.66 msg/us; 100 us
/// was no better than 25.
#[cfg(not(diatomic_waker_loom))]
const SPIN_ROUNDS: u32 = 7;
#[cfg(not(diatomic_waker_loom))]
const YIELD_ROUNDS: u32 = 256;
/// Under Loom, one look of each kind: the models check the states, not
/// the timing.
#[cfg(diatomic_waker_loom)]
const SPIN_ROUNDS: u32 = 1;
#[cfg(diatomic_waker_loom)]
const YIELD_ROUNDS: u32 = 1;
/// The bound on the yielding rounds' time, checked every 16 rounds.
const YIELD_FOR: core::time::Duration = core::time::Duration::from_micros(25);

/// Looks for a result with `look` before each of the `SPIN_ROUNDS` rounds
/// of spinning (1, 2, 4, ... hints); `None` if every look found nothing
/// (the caller's next step looks again at once). A parked thread's wait
/// starts with it; a blocking receive runs it on the queue itself before it
/// registers to sleep, so that a short gap in the traffic costs the channel
/// nothing (a registered receiver makes the push that ends the gap notify
/// it). Only blocking calls spin.
pub(crate) fn spin_for<T>(mut look: impl FnMut() -> Option<T>) -> Option<T> {
    for round in 0..SPIN_ROUNDS {
        if let Some(found) = look() {
            return Some(found);
        }
        for _ in 0..1u32 << round {
            core::hint::spin_loop();
        }
    }
    None
}

/// The parker of one thread.
#[derive(Debug)]
pub struct Parker {
    state: AtomicU8,
    thread: thread::Thread,
}

impl Parker {
    /// A parker for the calling thread.
    pub fn for_current_thread() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            thread: thread::current(),
        }
    }

    /// Wakes the thread: its next (or current) [`wait`](Self::wait)
    /// returns `true`.
    pub fn unpark(&self) {
        // Ordering: Release, pairs with the Acquire of the thread taking the
        // wake: what the waker's caller did before (a push, a pop) is
        // visible to the thread's next poll.
        if self.state.swap(NOTIFIED, Ordering::Release) == PARKED {
            self.thread.unpark();
        }
    }

    /// Waits, on the thread this parker was made for, until a wake or
    /// `deadline`: `true` if woken (the wake is taken), `false` if the
    /// time ran out first.
    pub fn wait(&self, deadline: Option<Instant>) -> bool {
        if spin_for(|| self.take_wake().then_some(())).is_some() {
            return true;
        }
        let yielding_since = Instant::now();
        for round in 0..YIELD_ROUNDS {
            if self.take_wake() {
                return true;
            }
            if round % 16 == 15 && yielding_since.elapsed() >= YIELD_FOR {
                break;
            }
            thread::yield_now();
        }
        // Ordering: Acquire on failure (a wake came): pairs with its
        // Release. Relaxed on success: nothing is read until a wake is
        // taken, with Acquire, below.
        if let Err(_notified) =
            self.state
                .compare_exchange(EMPTY, PARKED, Ordering::Relaxed, Ordering::Acquire)
        {
            return self.take_wake();
        }
        loop {
            match deadline {
                None => thread::park(),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        // Ordering: as the compare-exchange above; a wake
                        // that came meanwhile is taken, not lost.
                        return match self.state.compare_exchange(
                            PARKED,
                            EMPTY,
                            Ordering::Relaxed,
                            Ordering::Acquire,
                        ) {
                            Ok(_) => false,
                            Err(_notified) => self.take_wake(),
                        };
                    }
                    thread::park_timeout(deadline - now);
                }
            }
            // Parks may end without an unpark: look at the state.
            // Ordering: Acquire, pairs with the wake's Release.
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return true;
            }
        }
    }

    /// Takes a pending wake, if any.
    fn take_wake(&self) -> bool {
        // Ordering: Relaxed to look; the swap that takes the wake is
        // Acquire, pairs with the wake's Release (a swap, not a store: it
        // reads the latest wake's write).
        self.state.load(Ordering::Relaxed) == NOTIFIED
            && self.state.swap(EMPTY, Ordering::Acquire) == NOTIFIED
    }
}

/// A parker as a task waker (no allocation to clone: an `Arc`).
#[cfg(not(diatomic_waker_loom))]
impl std::task::Wake for Parker {
    fn wake(self: crate::sync::Arc<Self>) {
        self.unpark();
    }

    fn wake_by_ref(self: &crate::sync::Arc<Self>) {
        self.unpark();
    }
}

/// A waker of `parker` (under Loom, whose `Arc` `std::task::Wake` does not
/// take).
#[cfg(diatomic_waker_loom)]
pub fn waker(parker: crate::sync::Arc<Parker>) -> Waker {
    use crate::sync::Arc;
    use core::task::{RawWaker, RawWakerVTable};

    const VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);
    unsafe fn clone(p: *const ()) -> RawWaker {
        // Safety: `p` came from `Arc::into_raw` below and is still owned
        // by a waker.
        unsafe { Arc::increment_strong_count(p as *const Parker) };
        RawWaker::new(p, &VTABLE)
    }
    unsafe fn wake(p: *const ()) {
        // Safety: as in `clone`; this consumes the waker's count.
        let parker = unsafe { Arc::from_raw(p as *const Parker) };
        parker.unpark();
    }
    unsafe fn wake_by_ref(p: *const ()) {
        // Safety: as in `clone`; the waker keeps its count.
        unsafe { &*(p as *const Parker) }.unpark();
    }
    unsafe fn drop_waker(p: *const ()) {
        // Safety: as in `clone`; this consumes the waker's count.
        drop(unsafe { Arc::from_raw(p as *const Parker) });
    }
    let p = Arc::into_raw(parker) as *const ();
    // Safety: the vtable's functions keep the `Arc`'s count as a `RawWaker`
    // requires.
    unsafe { Waker::from_raw(RawWaker::new(p, &VTABLE)) }
}

/// A waker of `parker`.
#[cfg(not(diatomic_waker_loom))]
pub fn waker(parker: crate::sync::Arc<Parker>) -> Waker {
    Waker::from(parker)
}
