//! `slot`: a channel of capacity 1 for any `T: Send`, with many senders.
//!
//! It is the canonical use of [`async_channel`](crate::async_channel): the
//! whole declaration is below, and the crate's other channels follow the
//! same shape.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = diatomic_channels::slot::channel::<String>();
//! tokio::spawn(async move { tx.send("one".to_string()).await });
//! assert_eq!(rx.recv().await.as_deref(), Ok("one"));
//! # }
//! ```
//!
//! Pick it to hand one value at a time from several tasks to one, where a
//! queue would only add latency: a "work ready" token, a request to a
//! single worker. Costs, counted by `tests/costs.rs`: a send with room is
//! one CAS in the core and one RMW to notify; a receive, a load, a store
//! and one fence. Blocked senders and cancellation are as for
//! [`mpsc`](crate::mpsc).
//!
//! The whole declaration, `slot/declaration.rs` as it is:
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]
//!
//! (`crate = crate` because it is declared inside `diatomic-channels`; from
//! another crate the default path is right.)

use core::fmt;
use core::mem::MaybeUninit;

use crate::sync::{AtomicU8, Ordering, UnsafeCell};

mod declaration;

pub use declaration::{Slot, SlotReceiverRef, SlotSenderRef};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use declaration::{SlotReceiver, SlotSender};
use declaration::{EMPTY, FULL};

impl<T> Slot<T> {
    /// An empty slot.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::slot::Slot::<u8>::new().into_channel();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// An empty slot.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Creates a `slot` channel: capacity 1, many senders.
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = diatomic_channels::slot::channel::<u8>();
/// let tx2 = tx.clone();
/// tx2.try_send(1).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<T: Send>() -> (SlotSender<T>, SlotReceiver<T>) {
    Slot::new().into_channel()
}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ordering: Relaxed, a snapshot for display.
        let full = self.state.load(Ordering::Relaxed) == FULL;
        f.debug_struct("Slot")
            .field("full", &full)
            .finish_non_exhaustive()
    }
}
