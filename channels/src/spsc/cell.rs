//! One place of the `spsc` ring: just the value; the indices say which
//! places are full.

use core::fmt;
use core::mem::MaybeUninit;

use crate::sync::UnsafeCell;

/// One place of the ring, full when it lies between `head` and `tail`.
pub struct Cell<T>(pub(super) UnsafeCell<MaybeUninit<T>>);

impl<T> Cell<T> {
    /// An empty cell.
    #[cfg(not(diatomic_waker_loom))]
    pub(super) const fn empty() -> Self {
        Self(UnsafeCell::new(MaybeUninit::uninit()))
    }

    /// An empty cell.
    #[cfg(diatomic_waker_loom)]
    pub(super) fn empty() -> Self {
        Self(UnsafeCell::new(MaybeUninit::uninit()))
    }
}

// Safety: a cell passes its value from the producer to the consumer, one at a
// time (the index protocol of `Ring`), so sharing it needs `T: Send` only.
unsafe impl<T: Send> Sync for Cell<T> {}

impl<T> fmt::Debug for Cell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cell").finish_non_exhaustive()
    }
}
