//! Where a ring keeps its cells: a boxed slice (capacity chosen at run time,
//! allocated once) or an inline array (capacity `N`, for a `static` or any
//! place without an allocator). One ring type serves both; the rings of
//! [`mpsc`](crate::mpsc) and [`spsc`](crate::spsc) are generic over this.

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use alloc::boxed::Box;

/// The cells `E` of a ring, however they are stored.
///
/// Implemented for `Box<[E]>` (run-time capacity) and `[E; N]` (compile-time
/// capacity); sealed.
pub trait Storage<E>: sealed::Sealed<E> {
    /// The cells, at least one.
    fn cells(&self) -> &[E];
}

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
impl<E> Storage<E> for Box<[E]> {
    #[inline(always)]
    fn cells(&self) -> &[E] {
        self
    }
}

impl<E, const N: usize> Storage<E> for [E; N] {
    #[inline(always)]
    fn cells(&self) -> &[E] {
        self
    }
}

mod sealed {
    pub trait Sealed<E> {}
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    impl<E> Sealed<E> for alloc::boxed::Box<[E]> {}
    impl<E, const N: usize> Sealed<E> for [E; N] {}
}
