//! One place of the `mpsc` ring: a stamp and a value.

use core::fmt;
use core::mem::MaybeUninit;

use crate::sync::{AtomicUsize, UnsafeCell};

/// One place of the ring. Its stamp says whose turn it is (see
/// [`Ring`](super::Ring)): "empty at `p`", the cell waits for the push at
/// position `p` (marked, the consumer sleeps until then); "full at `p`", it
/// holds that position's item.
pub struct Cell<T> {
    pub(crate) stamp: AtomicUsize,
    pub(crate) value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Cell<T> {
    /// A cell waiting for the push at `position`.
    #[cfg(not(diatomic_waker_loom))]
    pub(crate) const fn waiting_for(position: usize) -> Self {
        Self {
            stamp: AtomicUsize::new(empty(position)),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// A cell waiting for the push at `position`.
    #[cfg(diatomic_waker_loom)]
    pub(crate) fn waiting_for(position: usize) -> Self {
        Self {
            stamp: AtomicUsize::new(empty(position)),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }
}

/// The mark of a stamp `empty(p)` on which the consumer went to sleep: the
/// push at `p` finds it when it publishes, and wakes the consumer.
pub(crate) const ASLEEP: usize = 1;

/// The stamp of a cell that waits for the push at `position`: positions
/// count in steps of two, so that bit 0 is free for [`ASLEEP`] (they wrap
/// after 2^63 pushes on 64-bit targets, instead of 2^64).
#[inline(always)]
pub(crate) const fn empty(position: usize) -> usize {
    position.wrapping_mul(2)
}

/// The stamp of a cell that holds the item of `position`.
#[inline(always)]
pub(crate) const fn full(position: usize) -> usize {
    position.wrapping_add(1).wrapping_mul(2)
}

// Safety: a cell hands its value from one thread to another, one at a time
// (the stamp protocol of `Ring`), so sharing it needs `T: Send` only.
unsafe impl<T: Send> Sync for Cell<T> {}

impl<T> fmt::Debug for Cell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cell").finish_non_exhaustive()
    }
}
