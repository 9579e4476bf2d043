//! Atomics and `Arc`, switched to Loom's under `--cfg diatomic_waker_loom`
//! like those of `diatomic-waker`, so that the runtime is model-checked with
//! the primitive.

#[cfg(not(diatomic_waker_loom))]
pub(crate) use alloc::sync::Arc;
#[cfg(not(diatomic_waker_loom))]
pub(crate) use core::sync::atomic::{AtomicU8, AtomicUsize};
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicUsize};
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::Arc;

#[cfg(not(diatomic_waker_loom))]
pub(crate) use core::sync::atomic::fence;
pub(crate) use core::sync::atomic::Ordering;
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::atomic::fence;
#[cfg(diatomic_waker_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(not(diatomic_waker_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, ignoring poisoning: the critical sections of this crate run
/// no user code, so a panic elsewhere leaves the data consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
}

#[cfg(diatomic_waker_loom)]
pub(crate) use loom::cell::UnsafeCell;
