//! Where the `mpsc` ring keeps its cells: a boxed slice (capacity chosen at
//! run time, allocated once) or an inline array (capacity `N`, for a
//! `static` or any place without an allocator). One ring serves both.

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

/// The cells of a ring, however they are stored.
///
/// Implemented for `Box<[Cell<T>]>` (run-time capacity) and `[Cell<T>; N]`
/// (compile-time capacity); sealed.
pub trait Storage<T>: sealed::Sealed {
    /// The cells, at least one.
    fn cells(&self) -> &[Cell<T>];
}

impl<T> Storage<T> for alloc::boxed::Box<[Cell<T>]> {
    #[inline(always)]
    fn cells(&self) -> &[Cell<T>] {
        self
    }
}

impl<T, const N: usize> Storage<T> for [Cell<T>; N] {
    #[inline(always)]
    fn cells(&self) -> &[Cell<T>] {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for alloc::boxed::Box<[super::Cell<T>]> {}
    impl<T, const N: usize> Sealed for [super::Cell<T>; N] {}
}
