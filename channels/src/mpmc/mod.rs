//! `mpmc`: a bounded channel of any capacity, many senders, many receivers;
//! each item goes to one receiver.
//!
//! Pick it for a pool of workers fed from a queue (tasks or threads): the
//! receivers are `Clone`, their methods take `&self`, and a waiting
//! receiver is woken by exactly one push (the oldest waiting receiver
//! first, never all of them). It is the [`mpsc`](crate::mpsc) ring with a
//! compare-and-swap on the head as well as on the tail: no lock and no
//! spinning on either side. The capacity is chosen at run time
//! ([`channel`], storage allocated once) or at compile time
//! ([`InlineRing`], storage inline, for a `static` or a place without an
//! allocator).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (jobs, queue) = diatomic_channels::mpmc::channel::<u64>(16);
//! let (results, mut collected) = diatomic_channels::mpsc::channel::<u64>(16);
//! for _ in 0..4 {
//!     let (queue, results) = (queue.clone(), results.clone());
//!     tokio::spawn(async move {
//!         while let Ok(n) = queue.recv().await {
//!             results.send(n * n).await.unwrap();
//!         }
//!     });
//! }
//! drop((queue, results));
//! tokio::spawn(async move {
//!     for n in 1..=10 {
//!         jobs.send(n).await.unwrap();
//!     }
//! });
//! let mut sum = 0;
//! while let Ok(square) = collected.recv().await {
//!     sum += square;
//! }
//! assert_eq!(sum, 385);
//! # }
//! ```
//!
//! # Costs
//!
//! A send that finds room: one compare-and-swap on the tail, then a `SeqCst`
//! fence and one load to learn that no receiver waits (a lock only if one
//! does). A receive that finds an item: one compare-and-swap on the head,
//! then the blocked senders' check (a fence and a load). A receiver that
//! waits takes the receivers' lock to join the line and, once woken, to
//! leave it.
//!
//! # The declaration
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]

use core::fmt;
use core::marker::PhantomData;

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use alloc::boxed::Box;

use crate::cache_padded::CachePadded;
use crate::sync::{AtomicUsize, Ordering};

mod declaration;

pub use crate::mpsc::Cell;
pub use crate::storage::Storage;
pub use declaration::{Ring, RingReceiverRef, RingSenderRef};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use declaration::{RingReceiver, RingSender};

/// The cells of a ring whose capacity is chosen at run time.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Boxed<T> = Box<[Cell<T>]>;

/// A ring whose capacity `N` is chosen at compile time, its cells inline.
pub type InlineRing<T, const N: usize> = Ring<T, [Cell<T>; N]>;

/// A sending half of a channel made by [`channel`].
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Sender<T> = RingSender<T, Boxed<T>>;

/// A receiving half of a channel made by [`channel`] (`Clone`).
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type Receiver<T> = RingReceiver<T, Boxed<T>>;

/// Creates a channel of `capacity` items, allocated once.
///
/// # Panics
///
/// If `capacity` is 0 (a channel that can hold nothing), or so large that
/// its positions would not fit a `usize`.
///
/// # Examples
///
/// ```
/// use diatomic_channels::TrySendError;
///
/// let (tx, rx) = diatomic_channels::mpmc::channel::<u8>(2);
/// let rx2 = rx.clone();
/// tx.try_send(1).unwrap();
/// tx.try_send(2).unwrap();
/// assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
/// assert_eq!(rx.try_recv(), Ok(1));
/// assert_eq!(rx2.try_recv(), Ok(2));
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
    /// let (tx, rx) = diatomic_channels::mpmc::Ring::<u8, _>::with_capacity(8).into_channel();
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "an mpmc channel needs a capacity of at least 1"
        );
        Self {
            tail: CachePadded::new(AtomicUsize::new(0)),
            head: CachePadded::new(AtomicUsize::new(0)),
            one_lap: crate::ring::one_lap(capacity),
            cells: crate::ring::boxed_cells(capacity),
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
    /// use diatomic_channels::mpmc::InlineRing;
    /// use diatomic_channels::Channel;
    ///
    /// static JOBS: Channel<InlineRing<u32, 4>> = Channel::new(InlineRing::new());
    ///
    /// let (tx, rx) = JOBS.split().unwrap();
    /// let worker = rx.clone();
    /// tx.try_send(7).unwrap();
    /// assert_eq!(worker.try_recv(), Ok(7));
    /// ```
    ///
    /// ```compile_fail
    /// let ring = diatomic_channels::mpmc::InlineRing::<u8, 0>::new();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        const { assert!(N > 0, "an mpmc ring needs a capacity of at least 1") };
        Self {
            tail: CachePadded::new(AtomicUsize::new(0)),
            head: CachePadded::new(AtomicUsize::new(0)),
            one_lap: (N + 1).next_power_of_two(),
            cells: crate::ring::inline_cells(),
            _items: PhantomData,
        }
    }

    /// An empty ring of `N` cells, inline.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        assert!(N > 0, "an mpmc ring needs a capacity of at least 1");
        Self {
            tail: CachePadded::new(AtomicUsize::new(0)),
            head: CachePadded::new(AtomicUsize::new(0)),
            one_lap: crate::ring::one_lap(N),
            cells: crate::ring::inline_cells(),
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
        f.debug_struct("Ring")
            .field("capacity", &self.cells.cells().len())
            // Ordering: Relaxed, a snapshot for display.
            .field("pushed", &self.tail.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}
