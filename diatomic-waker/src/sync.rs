//! The synchronization building blocks of the crate, switched in one place.
//!
//! * Under `--cfg diatomic_waker_loom`, atomics, cells and `Arc` are Loom's, in
//!   every build of the crate (not only its own tests), so that crates built on
//!   top of it can be model-checked through it.
//! * Under `cfg(test)` (and `--cfg diatomic_waker_count_rmw`, for the cost
//!   tests of crates built on this one), every read-modify-write operation on
//!   the state word is counted (per thread), so that the cost table of the
//!   crate documentation is asserted by tests rather than claimed.

#[cfg(all(feature = "alloc", not(diatomic_waker_loom)))]
pub(crate) use alloc::sync::Arc;
#[cfg(not(diatomic_waker_loom))]
use core::sync::atomic::AtomicUsize;
pub(crate) use core::sync::atomic::Ordering;
#[cfg(diatomic_waker_loom)]
use loom::sync::atomic::AtomicUsize;
#[cfg(all(feature = "alloc", diatomic_waker_loom))]
pub(crate) use loom::sync::Arc;

/// An atomic word whose read-modify-write operations are counted in tests.
///
/// Only the operations the crate uses are exposed.
pub(crate) struct StateWord(AtomicUsize);

impl StateWord {
    #[cfg(not(diatomic_waker_loom))]
    pub(crate) const fn new(value: usize) -> Self {
        Self(AtomicUsize::new(value))
    }

    #[cfg(diatomic_waker_loom)]
    pub(crate) fn new(value: usize) -> Self {
        Self(AtomicUsize::new(value))
    }

    #[inline(always)]
    pub(crate) fn load(&self, order: Ordering) -> usize {
        self.0.load(order)
    }

    #[inline(always)]
    pub(crate) fn fetch_or(&self, bits: usize, order: Ordering) -> usize {
        rmw_counter::count();
        self.0.fetch_or(bits, order)
    }

    #[inline(always)]
    pub(crate) fn fetch_add(&self, value: usize, order: Ordering) -> usize {
        rmw_counter::count();
        self.0.fetch_add(value, order)
    }

    #[inline(always)]
    pub(crate) fn fetch_and(&self, bits: usize, order: Ordering) -> usize {
        rmw_counter::count();
        self.0.fetch_and(bits, order)
    }

    /// Strong on purpose: a spurious failure would be a wasted RMW (and would
    /// make the counted costs depend on the target or on Miri's scheduler).
    #[inline(always)]
    pub(crate) fn compare_exchange(
        &self,
        current: usize,
        new: usize,
        success: Ordering,
        failure: Ordering,
    ) -> Result<usize, usize> {
        rmw_counter::count();
        self.0.compare_exchange(current, new, success, failure)
    }
}

/// Per-thread count of the state word's read-modify-write operations.
#[cfg(all(any(test, diatomic_waker_count_rmw), not(diatomic_waker_loom)))]
pub(crate) mod rmw_counter {
    use std::cell::Cell;

    std::thread_local! {
        static RMW_COUNT: Cell<usize> = const { Cell::new(0) };
    }

    pub(crate) fn count() {
        RMW_COUNT.with(|c| c.set(c.get() + 1));
    }

    /// Returns the number of RMWs performed by this thread and resets it.
    pub fn take() -> usize {
        RMW_COUNT.with(|c| c.replace(0))
    }
}

#[cfg(not(all(any(test, diatomic_waker_count_rmw), not(diatomic_waker_loom))))]
mod rmw_counter {
    #[inline(always)]
    pub(crate) fn count() {}
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
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(diatomic_waker_loom)]
pub(crate) use loom::cell::UnsafeCell;
