//! One place of the `mpsc` ring: a stamp and a value.

use core::fmt;
use core::mem::MaybeUninit;

use crate::sync::{AtomicUsize, UnsafeCell};

/// One place of the ring. Its stamp says whose turn it is (see
/// [`Ring`](super::Ring)): equal to a position, the cell is empty and waits
/// for the push at that position; one more, it holds that position's item.
pub struct Cell<T> {
    pub(super) stamp: AtomicUsize,
    pub(super) value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Cell<T> {
    /// A cell waiting for the push at `position`.
    #[cfg(not(diatomic_waker_loom))]
    pub(super) const fn waiting_for(position: usize) -> Self {
        Self {
            stamp: AtomicUsize::new(position),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// A cell waiting for the push at `position`.
    #[cfg(diatomic_waker_loom)]
    pub(super) fn waiting_for(position: usize) -> Self {
        Self {
            stamp: AtomicUsize::new(position),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }
}

// Safety: a cell hands its value from one thread to another, one at a time
// (the stamp protocol of `Ring`), so sharing it needs `T: Send` only.
unsafe impl<T: Send> Sync for Cell<T> {}

impl<T> fmt::Debug for Cell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cell").finish_non_exhaustive()
    }
}
