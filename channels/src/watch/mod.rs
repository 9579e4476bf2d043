//! `watch`: the latest value, from any number of senders to one receiver.
//!
//! Pick it for state that only matters in its newest form: a configuration,
//! a progress figure, a sensor reading, the position of a cursor. Sending
//! never waits: each value replaces the one not yet received, which is
//! dropped at once (not kept until the receiver comes). The receiver gets
//! the newest value, each value at most once, and `RecvError` once every
//! sender is gone and the last value was taken.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = diatomic_channels::watch::channel::<u32>();
//! tx.send(1).unwrap();
//! tx.send(2).unwrap(); // replaces 1, which is dropped now
//! assert_eq!(rx.recv().await, Ok(2));
//! tokio::spawn(async move {
//!     for progress in 3..=100 {
//!         tx.send(progress).unwrap();
//!         tokio::task::yield_now().await;
//!     }
//! });
//! let mut last = 2;
//! while let Ok(progress) = rx.recv().await {
//!     assert!(progress > last); // newer each time, some skipped
//!     last = progress;
//! }
//! assert_eq!(last, 100);
//! # }
//! ```
//!
//! **Why `watch`:** it is the name tokio gives a channel that keeps only the
//! latest value, so that is where a user looks. The semantics differ from
//! tokio's in one way that follows from this crate's single receiver: the
//! receiver *takes* the value (`recv`), rather than borrowing a value shared
//! by many receivers (`changed` then `borrow`). So `T` need not be `Sync`
//! or `Clone`, and there is no lock around the value.
//!
//! The core keeps two cells and a state word (see below); every send is one
//! compare-and-swap and one `fetch_xor`, every receive the same, with no
//! lock and no allocation. Under contention a send may find another send
//! mid-write: it then drops its own value, which that send overwrites.
//!
//! # Costs
//!
//! Counted by `tests/costs.rs`: a send is one CAS and one `fetch_xor` on
//! the state word, plus one RMW to notify the receiver, whether it
//! overwrites or not; a receive is one CAS, one `fetch_xor` and one fence.
//! No allocation per message.
//!
//! # Fairness and cancellation
//!
//! There is no queue to be fair in: the newest value wins. Between
//! senders, a send that finds another mid-write yields to it (its own value
//! is dropped as overwritten). `send` never waits, so it cannot be
//! cancelled half way; a cancelled `recv` loses nothing (the value stays
//! for the next).
//!
//! The whole declaration, `watch/declaration.rs` as it is:
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]

use core::fmt;
use core::ops::Deref;

use crate::error::{SendError, TrySendError};

mod declaration;

pub use declaration::{Latest, LatestReceiver, LatestSender};

/// The receiving half of a [`channel`]: the generic receiver, whose `recv`
/// takes the latest value.
pub type Receiver<T> = LatestReceiver<T>;

/// Creates a latest-value channel, with no value yet.
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = diatomic_channels::watch::channel::<&str>();
/// tx.send("old").unwrap();
/// tx.send("new").unwrap();
/// assert_eq!(rx.try_recv(), Ok("new"));
/// ```
pub fn channel<T: Send>() -> (Sender<T>, Receiver<T>) {
    let (sender, receiver) = Latest::new().into_channel();
    (Sender { inner: sender }, receiver)
}

/// The sending half of a [`channel`]: `Clone`, and [`send`](Self::send)
/// never waits. It dereferences to the generic sender for the rest
/// (`closed`, `is_closed`, `same_channel`, `len`).
pub struct Sender<T: Send> {
    inner: LatestSender<T>,
}

impl<T: Send> Sender<T> {
    /// Makes `value` the latest, dropping the previous one if the receiver
    /// has not taken it; never waits. Hands `value` back if the receiver is
    /// gone or closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::watch::channel::<u8>();
    /// assert_eq!(tx.send(1), Ok(()));
    /// drop(rx);
    /// assert_eq!(tx.send(2).unwrap_err().into_inner(), 2);
    /// ```
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.inner.try_send(value).map_err(|error| match error {
            TrySendError::Closed(value) | TrySendError::Full(value) => SendError(value),
        })
    }
}

impl<T: Send> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Send> Deref for Sender<T> {
    type Target = LatestSender<T>;

    fn deref(&self) -> &LatestSender<T> {
        &self.inner
    }
}

impl<T: Send> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("watch::Sender").field(&self.inner).finish()
    }
}

impl<T: Send> fmt::Debug for Latest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::Occupancy;
        f.debug_struct("Latest")
            .field("has_value", &!self.is_empty())
            .finish_non_exhaustive()
    }
}
