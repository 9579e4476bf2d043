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
//! **Two forms, both named `watch`** (the name tokio gives a channel that
//! keeps only the latest value, so that is where a user looks):
//!
//! * [`watch::channel`](channel) (this module): one receiver that *takes*
//!   the value (`recv`), like a mailbox that keeps only the newest letter.
//!   `T` need not be `Sync` or `Clone`, there is no lock around the value,
//!   and no initial value.
//! * [`watch::shared::channel`](shared::channel): tokio's form, with its
//!   names. Any number of receivers *read* the value (`borrow`,
//!   `changed`, `wait_for`), which starts at an initial value and stays
//!   under a reader-writer lock; the sender learns when no receiver is
//!   left (`closed`). With `std`; in an `Arc`, or in a `static`
//!   [`Watch`](shared::Watch) that [`shared::split`] hands out once.
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
use crate::home::DefaultHome;
use crate::{Channel, Home, Many};

mod declaration;
#[cfg(any(feature = "std", diatomic_waker_loom))]
pub mod shared;

pub use declaration::{Latest, LatestReceiverRef, LatestSenderRef};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use declaration::{LatestReceiver, LatestSender};

/// The receiving half of a [`channel`]: the generic receiver, whose `recv`
/// takes the latest value.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
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
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<T: Send>() -> (Sender<T>, Receiver<T>) {
    let (sender, receiver) = crate::channel(Latest::new());
    (Sender { inner: sender }, LatestReceiver::from(receiver))
}

/// The halves of a latest-value channel that lives elsewhere, a `static`
/// included, borrowing it; `None` if they were handed out already.
///
/// # Examples
///
/// ```
/// use diatomic_channels::watch::{self, Latest};
/// use diatomic_channels::Channel;
///
/// static SPEED: Channel<Latest<u32>> = Channel::new(Latest::new());
///
/// let (tx, mut rx) = watch::split(&SPEED).unwrap();
/// tx.send(30).unwrap();
/// tx.send(50).unwrap();
/// assert_eq!(rx.try_recv(), Ok(50));
/// ```
pub fn split<T: Send>(
    channel: &Channel<Latest<T>>,
) -> Option<(SenderRef<'_, T>, ReceiverRef<'_, T>)> {
    let (sender, receiver) = channel.split_generic()?;
    Some((Sender { inner: sender }, LatestReceiverRef::from(receiver)))
}

/// The sender of a [`split`] channel, borrowing it.
pub type SenderRef<'a, T> = Sender<T, &'a Channel<Latest<T>>>;

/// The receiver of a [`split`] channel, borrowing it.
pub type ReceiverRef<'a, T> = LatestReceiverRef<'a, T>;

/// The sending half of a [`channel`] (or of a [`split`] one, borrowing it:
/// `H` is then `&Channel<Latest<T>>`): `Clone`, and [`send`](Self::send)
/// never waits. It dereferences to the generic sender for the rest
/// (`closed`, `is_closed`, `same_channel`, `len`).
pub struct Sender<T: Send, H: Home<Latest<T>> = DefaultHome<Latest<T>>> {
    inner: crate::Sender<Latest<T>, Many, H>,
}

impl<T: Send, H: Home<Latest<T>>> Sender<T, H> {
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

impl<T: Send, H: Home<Latest<T>>> Clone for Sender<T, H> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Send, H: Home<Latest<T>>> Deref for Sender<T, H> {
    type Target = crate::Sender<Latest<T>, Many, H>;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl<T: Send, H: Home<Latest<T>>> fmt::Debug for Sender<T, H> {
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
