//! Atomics and `Arc`, switched to Loom's under `--cfg diatomic_waker_loom`
//! like those of `diatomic-waker`, so that the runtime is model-checked with
//! the primitive.
//!
//! Under `--cfg diatomic_waker_count_rmw`, the runtime's own atomic
//! read-modify-writes, fences and lock acquisitions are counted per thread
//! (see [`counter`]), for the cost tests in `tests/costs.rs`, with those
//! of this crate's cores built on these atomics (`mpsc`). A user's core has
//! its own atomics, not counted.

#[cfg(all(feature = "alloc", not(diatomic_waker_loom)))]
pub(crate) use alloc::sync::Arc;
#[cfg(not(diatomic_waker_loom))]
pub(crate) use core::sync::atomic::AtomicU8;
#[cfg(all(not(diatomic_waker_loom), not(diatomic_waker_count_rmw)))]
pub(crate) use core::sync::atomic::AtomicUsize;
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicUsize};
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::Arc;

#[cfg(all(not(diatomic_waker_loom), not(diatomic_waker_count_rmw)))]
pub(crate) use core::sync::atomic::fence;
pub(crate) use core::sync::atomic::Ordering;
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::atomic::fence;
/// The lock of [`Lock`], and `broadcast`'s wait for the readers of a slot
/// it overwrites: Loom's.
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::{Condvar, Mutex};
/// The value of `watch::shared`: `std`'s reader-writer lock, or Loom's.
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::{RwLock, RwLockReadGuard};
/// The lock of [`Lock`], and `broadcast`'s wait for the readers of a slot
/// it overwrites: `std`'s.
#[cfg(all(feature = "std", not(diatomic_waker_loom)))]
pub(crate) use std::sync::{Condvar, Mutex};
#[cfg(all(feature = "std", not(diatomic_waker_loom)))]
pub(crate) use std::sync::{RwLock, RwLockReadGuard};

/// Threads, for the blocking calls' parker: `std`'s, or Loom's. Loom has
/// no timed park: there it is a yield, which a timed park may be anyway
/// (it may end early).
#[cfg(all(feature = "std", not(diatomic_waker_loom)))]
pub(crate) mod thread {
    pub(crate) use std::thread::{current, park, park_timeout, yield_now, Thread};
}

/// Threads, for the blocking calls' parker: Loom's (see the `std` form).
#[cfg(diatomic_waker_loom)]
pub(crate) mod thread {
    pub(crate) use loom::thread::{current, park, yield_now, Thread};

    /// A timed park that always ends early.
    pub(crate) fn park_timeout(_: core::time::Duration) {
        yield_now();
    }
}

/// A lock around a `T`: `std`'s mutex with `std` (Loom's under Loom), a
/// critical section without (the embedded convention, where there is no
/// OS to park a thread on). No spinlock either way. The critical sections
/// of this crate run no user code that could re-enter them, and a panic
/// inside leaves the data consistent (poisoning is ignored).
pub(crate) struct Lock<T> {
    #[cfg(any(feature = "std", diatomic_waker_loom))]
    inner: Mutex<T>,
    #[cfg(not(any(feature = "std", diatomic_waker_loom)))]
    inner: critical_section::Mutex<core::cell::RefCell<T>>,
}

impl<T> Lock<T> {
    #[cfg(all(feature = "std", not(diatomic_waker_loom)))]
    pub(crate) const fn new(value: T) -> Self {
        Self {
            inner: Mutex::new(value),
        }
    }

    #[cfg(not(any(feature = "std", diatomic_waker_loom)))]
    pub(crate) const fn new(value: T) -> Self {
        Self {
            inner: critical_section::Mutex::new(core::cell::RefCell::new(value)),
        }
    }

    #[cfg(diatomic_waker_loom)]
    pub(crate) fn new(value: T) -> Self {
        Self {
            inner: Mutex::new(value),
        }
    }

    /// Runs `f` with the lock held.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        #[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
        counter::count(|c| c.locks += 1);
        #[cfg(any(feature = "std", diatomic_waker_loom))]
        {
            let mut guard = self
                .inner
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        }
        #[cfg(not(any(feature = "std", diatomic_waker_loom)))]
        {
            critical_section::with(|cs| f(&mut self.inner.borrow_ref_mut(cs)))
        }
    }
}

/// An `UnsafeCell` with Loom's closure-based access API.
#[cfg(not(diatomic_waker_loom))]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(diatomic_waker_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }

    /// A shared access (Loom checks it against `with_mut`, not against
    /// other shared accesses). Only `broadcast` (with `std`) uses it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(diatomic_waker_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// Per-thread counts of the runtime's own synchronization operations.
#[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
pub mod counter {
    use core::cell::Cell;

    /// What one thread did since the last [`take`].
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Counts {
        /// Atomic read-modify-writes of the runtime and of this crate's own
        /// cores that use its atomics (`mpsc`); the primitive's are counted
        /// by `diatomic_waker::__rmw_counter`.
        pub rmws: usize,
        /// Memory fences.
        pub fences: usize,
        /// Mutex acquisitions (each one RMW to lock, one to unlock).
        pub locks: usize,
    }

    std::thread_local! {
        static COUNTS: Cell<Counts> = const {
            Cell::new(Counts { rmws: 0, fences: 0, locks: 0 })
        };
    }

    pub(crate) fn count(f: impl FnOnce(&mut Counts)) {
        COUNTS.with(|c| {
            let mut counts = c.get();
            f(&mut counts);
            c.set(counts);
        });
    }

    /// Returns this thread's counts and resets them.
    pub fn take() -> Counts {
        COUNTS.with(|c| c.replace(Counts::default()))
    }
}

/// A fence, counted.
#[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
#[inline(always)]
pub(crate) fn fence(order: Ordering) {
    counter::count(|c| c.fences += 1);
    core::sync::atomic::fence(order);
}

/// An `AtomicUsize` whose read-modify-writes are counted.
#[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
pub(crate) struct AtomicUsize(core::sync::atomic::AtomicUsize);

#[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
impl AtomicUsize {
    pub(crate) const fn new(value: usize) -> Self {
        Self(core::sync::atomic::AtomicUsize::new(value))
    }
    pub(crate) fn load(&self, order: Ordering) -> usize {
        self.0.load(order)
    }
    pub(crate) fn store(&self, value: usize, order: Ordering) {
        self.0.store(value, order);
    }
    pub(crate) fn compare_exchange(
        &self,
        current: usize,
        new: usize,
        success: Ordering,
        failure: Ordering,
    ) -> Result<usize, usize> {
        counter::count(|c| c.rmws += 1);
        self.0.compare_exchange(current, new, success, failure)
    }
    pub(crate) fn compare_exchange_weak(
        &self,
        current: usize,
        new: usize,
        success: Ordering,
        failure: Ordering,
    ) -> Result<usize, usize> {
        counter::count(|c| c.rmws += 1);
        self.0.compare_exchange_weak(current, new, success, failure)
    }
    pub(crate) fn swap(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.swap(value, order)
    }
    pub(crate) fn fetch_add(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.fetch_add(value, order)
    }
    pub(crate) fn fetch_sub(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.fetch_sub(value, order)
    }
    pub(crate) fn fetch_or(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.fetch_or(value, order)
    }
    pub(crate) fn fetch_and(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.fetch_and(value, order)
    }
    pub(crate) fn fetch_xor(&self, value: usize, order: Ordering) -> usize {
        counter::count(|c| c.rmws += 1);
        self.0.fetch_xor(value, order)
    }
}
