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

pub(crate) use core::sync::atomic::Ordering;

/// Stands in, for Loom, for the `SeqCst` fences that `event-listener` emits
/// in `listen` and `notify` with atomics Loom cannot see; a no-op otherwise,
/// where those fences do the work.
#[inline(always)]
pub(crate) fn event_listener_fence() {
    #[cfg(diatomic_waker_loom)]
    loom::sync::atomic::fence(Ordering::SeqCst);
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
