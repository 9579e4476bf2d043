//! `spsc`: a bounded channel of any capacity, one sender, one receiver.
//!
//! Pick it when exactly one task produces: a stream of samples, frames or
//! log lines from one source to one sink. The sender is not `Clone`, and in
//! exchange the ring needs no read-modify-write at all: each side writes its
//! own index on its own cache line and keeps a copy of the other side's,
//! refreshed only when the queue looks full (sender) or empty (receiver).
//! The capacity is chosen at run time ([`channel`], storage allocated once)
//! or at compile time ([`InlineRing`], storage inline).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u32>(64);
//! tokio::spawn(async move {
//!     for i in 0..1000 {
//!         tx.send(i).await.unwrap();
//!     }
//! });
//! let mut expected = 0;
//! while let Ok(v) = rx.recv().await {
//!     assert_eq!(v, expected);
//!     expected += 1;
//! }
//! assert_eq!(expected, 1000);
//! # }
//! ```
//!
//! # Costs
//!
//! Counted by `tests/costs.rs`: the ring itself does no atomic
//! read-modify-write at all. The runtime adds one RMW per send (notifying
//! the receiver's waker) and one per receive (notifying the sender's, in
//! case it waits for room). No allocation per message.
//!
//! # Fairness and cancellation
//!
//! The sender's methods take `&mut self`. A blocked sender waits on a second
//! `DiatomicWaker`, which the receiver notifies after each item it takes; it
//! then tries again (there is no one to overtake it). Items arrive in the
//! order they were sent. With one producer the value of a blocked `send`
//! stays in its future, so a cancelled `send` has not sent (its value is
//! dropped with it), and a cancelled `recv` loses nothing.
//!
//! The whole declaration, `spsc/declaration.rs` as it is:
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]

use core::fmt;
use core::marker::PhantomData;

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use alloc::boxed::Box;

use crate::cache_padded::CachePadded;
use crate::sync::Ordering;

mod cell;
mod declaration;

pub use crate::storage::Storage;
pub use cell::Cell;
use declaration::Side;
pub use declaration::{Ring, RingReceiverRef, RingSenderRef};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use declaration::{RingReceiver, RingSender};

/// The cells of a ring whose capacity is chosen at run time.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Boxed<T> = Box<[Cell<T>]>;

/// A ring whose capacity `N` is chosen at compile time, its cells inline.
pub type InlineRing<T, const N: usize> = Ring<T, [Cell<T>; N]>;

/// The sending half of a channel made by [`channel`].
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Sender<T> = RingSender<T, Boxed<T>>;

/// The receiving half of a channel made by [`channel`].
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Receiver<T> = RingReceiver<T, Boxed<T>>;

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
/// Creates a channel of `capacity` items, allocated once.
///
/// # Panics
///
/// If `capacity` is 0 (a channel that can hold nothing), or above
/// `usize::MAX / 2` (the indices count to twice the capacity).
///
/// # Examples
///
/// ```
/// use diatomic_channels::TrySendError;
///
/// let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u8>(2);
/// tx.try_send(1).unwrap();
/// tx.try_send(2).unwrap();
/// assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<T: Send>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    Ring::with_capacity(capacity).into_channel()
}

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
impl<T> Ring<T, Boxed<T>> {
    /// An empty ring of `capacity` cells.
    ///
    /// # Panics
    ///
    /// As [`channel`].
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::spsc::Ring::<u8, _>::with_capacity(8).into_channel();
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "an spsc channel needs a capacity of at least 1"
        );
        assert!(capacity <= usize::MAX / 2, "spsc capacity too large");
        Self {
            producer: CachePadded::new(Side::new()),
            consumer: CachePadded::new(Side::new()),
            cells: (0..capacity).map(|_| Cell::empty()).collect(),
            _items: PhantomData,
        }
    }
}

impl<T, const N: usize> Ring<T, [Cell<T>; N]> {
    /// An empty ring of `N` cells, inline; `const`, so it can initialize a
    /// `static`. `N == 0` does not compile.
    ///
    /// # Examples
    ///
    /// ```
    /// use diatomic_channels::spsc::InlineRing;
    ///
    /// let (mut tx, mut rx) = InlineRing::<u8, 4>::new().into_channel();
    /// tx.try_send(7).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(7));
    /// ```
    ///
    /// ```compile_fail
    /// let ring = diatomic_channels::spsc::InlineRing::<u8, 0>::new();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        const {
            assert!(N > 0, "an spsc ring needs a capacity of at least 1");
            assert!(N <= usize::MAX / 2, "spsc capacity too large");
        };
        Self {
            producer: CachePadded::new(Side::new()),
            consumer: CachePadded::new(Side::new()),
            cells: [const { Cell::empty() }; N],
            _items: PhantomData,
        }
    }

    /// An empty ring of `N` cells, inline.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        assert!(N > 0, "an spsc ring needs a capacity of at least 1");
        Self {
            producer: CachePadded::new(Side::new()),
            consumer: CachePadded::new(Side::new()),
            cells: core::array::from_fn(|_| Cell::empty()),
            _items: PhantomData,
        }
    }
}

impl<T, const N: usize> Default for Ring<T, [Cell<T>; N]> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, S: Storage<Cell<T>>> fmt::Debug for Ring<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ordering: Relaxed, both: a snapshot for display.
        let head = self.consumer.own.load(Ordering::Relaxed);
        let tail = self.producer.own.load(Ordering::Relaxed);
        f.debug_struct("Ring")
            .field("capacity", &self.cells.cells().len())
            .field("len", &self.distance(head, tail))
            .finish_non_exhaustive()
    }
}
