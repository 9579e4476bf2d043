//! `mpsc`: a bounded channel of any capacity, many senders, one receiver; the
//! flagship of the family.
//!
//! Pick it for a queue of work or events between tasks: it is a ring of
//! cells with a lock-free push (one compare-and-swap on the tail) and a pop
//! that relies on the single receiver (a load and two stores, no
//! read-modify-write). The capacity is chosen at run time
//! ([`channel`], storage allocated once) or at compile time
//! ([`InlineRing`], storage inline, for a `static` or a place without an
//! allocator).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(16);
//! for task in 0..4 {
//!     let tx = tx.clone();
//!     tokio::spawn(async move {
//!         for i in 0..100 {
//!             tx.send(task * 100 + i).await.unwrap();
//!         }
//!     });
//! }
//! drop(tx);
//! let mut sum = 0;
//! while let Ok(v) = rx.recv().await {
//!     sum += v;
//! }
//! assert_eq!(sum, (0..400).sum());
//! # }
//! ```
//!
//! # Costs
//!
//! Counted, not timed, by `tests/costs.rs`: a send with room is one
//! compare-and-swap on the ring's tail and one swap on the sender's own cell,
//! which tells it whether the receiver sleeps on that cell: only then does it
//! notify the receiver (the core reports it, see
//! [`ChannelCore::try_push_reporting`](crate::ChannelCore::try_push_reporting)).
//! A send to an awake receiver writes no word that other senders write but
//! the tail. A receiver about to sleep pays one compare-and-swap to mark its
//! cell. A receive with an item is no RMW and one fence (to see whether a
//! sender is parked). No allocation per message, blocked sends included.
//!
//! # Fairness and cancellation
//!
//! Blocked senders wait in line and are served in order (see the crate's
//! semantics table); a sender that does not wait (`try_send`, or the first
//! attempt of `send`) goes behind them. Items of one sender arrive in the
//! order it sent them. A cancelled `recv` loses nothing; a cancelled `send`
//! has not sent (see [`Sender::send`](crate::Sender::send)).
//!
//! The whole declaration, `mpsc/declaration.rs` as it is:
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]

use core::fmt;
use core::marker::PhantomData;

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use alloc::boxed::Box;

use crate::cache_padded::CachePadded;
use crate::sync::{AtomicUsize, Ordering};

pub(crate) mod cell;
mod declaration;

pub use crate::storage::Storage;
pub use cell::Cell;
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
/// If `capacity` is 0 (a channel that can hold nothing), or so large that
/// its positions would not fit a `usize`.
///
/// # Examples
///
/// ```
/// use diatomic_channels::TrySendError;
///
/// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u8>(2);
/// tx.try_send(1).unwrap();
/// tx.try_send(2).unwrap();
/// assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<T: Send>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    Ring::with_capacity(capacity).into_channel()
}

/// A channel of `capacity` items that serves its senders in `order` when
/// it is full ([`SendOrder`](crate::SendOrder); [`channel`] is `Fifo`).
///
/// # Panics
///
/// As [`channel`].
///
/// # Examples
///
/// ```
/// use diatomic_channels::SendOrder;
///
/// let (tx, mut rx) = diatomic_channels::mpsc::channel_with_order::<u8>(2, SendOrder::Overtaking);
/// tx.try_send(1).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel_with_order<T: Send>(
    capacity: usize,
    order: crate::SendOrder,
) -> (Sender<T>, Receiver<T>) {
    let (sender, receiver) = crate::channel_with_order(Ring::with_capacity(capacity), order);
    (sender.into(), receiver.into())
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
    /// let (tx, rx) = diatomic_channels::mpsc::Ring::<u8, _>::with_capacity(8).into_channel();
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "an mpsc channel needs a capacity of at least 1"
        );
        let one_lap = crate::ring::one_lap(capacity);
        Self {
            tail: CachePadded::new(AtomicUsize::new(0)),
            head: CachePadded::new(AtomicUsize::new(0)),
            one_lap,
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
    /// use diatomic_channels::mpsc::InlineRing;
    ///
    /// let (tx, mut rx) = InlineRing::<u8, 4>::new().into_channel();
    /// tx.try_send(7).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(7));
    /// ```
    ///
    /// ```compile_fail
    /// let ring = diatomic_channels::mpsc::InlineRing::<u8, 0>::new();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        const { assert!(N > 0, "an mpsc ring needs a capacity of at least 1") };
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
        assert!(N > 0, "an mpsc ring needs a capacity of at least 1");
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
