//! `oneshot`: one value, once, from one sender to one receiver.
//!
//! Pick it for a reply: a request carries a [`Sender`], the requester
//! awaits the [`Receiver`], which is itself a future. [`Sender::send`]
//! consumes the sender and never waits; the receiver learns if the sender
//! is dropped without sending, and the sender can learn, with
//! [`Sender::closed`] or [`Sender::is_closed`], whether anyone still waits.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, rx) = diatomic_channels::oneshot::channel::<u32>();
//! tokio::spawn(async move {
//!     tx.send(42).unwrap();
//! });
//! assert_eq!(rx.await, Ok(42));
//!
//! let (tx, rx) = diatomic_channels::oneshot::channel::<u32>();
//! drop(tx);
//! assert!(rx.await.is_err()); // the sender left without sending
//! # }
//! ```
//!
//! # Costs
//!
//! One allocation per channel (`tests/counting.rs`). [`channel`]'s halves
//! are a state machine in one word (`oneshot/heap.rs`), with no reference
//! count: the last half to go frees the allocation. Counted by
//! `tests/costs.rs`: with nobody waiting, `send` is one CAS (publish and
//! leave) and the receive a load; with the receiver waiting, its poll is one
//! CAS after the waker's clone, and the send one CAS and one `fetch_xor`
//! (it takes the waker and wakes it); the half that goes last frees with no
//! read-modify-write.
//!
//! # Cancellation
//!
//! Awaiting the receiver is cancel safe: dropping it drops a value that was
//! sent, once. `send` never waits, so it cannot be cancelled half way.
//! `closed` is cancel safe.
//!
//! # Two homes, one surface
//!
//! [`channel`] allocates; [`split`] borrows a
//! [`Channel<Once<T>>`](crate::Channel) that lives elsewhere, a `static`
//! included, and runs on the family's generic halves over the core below
//! (declared with the attribute, `producers = one`), which give closing,
//! the receiver's waker and the sender's `closed`. Why two: a oneshot lives
//! for one message, so the costs a channel pays once per life (an `Arc`'s
//! counts, a waker primitive's lock word, a sender count) are per message
//! here; the one-purpose state machine drops them, and measured 0.92x the
//! `oneshot` crate before and is level or ahead after (`docs/benchmarks.md`).
//! A `static` frees nothing, so the generic halves lose nothing there.
//!
//! The whole declaration, `oneshot/declaration.rs` as it is:
//!
#![doc = concat!("```ignore\n", include_str!("declaration.rs"), "```")]

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

#[cfg(feature = "std")]
use crate::error::RecvTimeoutError;
use crate::error::{RecvError, TryRecvError};
use crate::{Channel, One};

mod declaration;
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
mod heap;
mod inner;

pub use declaration::{Once, OnceReceiverRef, OnceSenderRef};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use declaration::{OnceReceiver, OnceSender};

/// Creates a oneshot channel.
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = diatomic_channels::oneshot::channel::<&str>();
/// tx.send("done").unwrap();
/// assert_eq!(rx.try_recv(), Ok("done"));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<T: Send>() -> (Sender<T>, Receiver<T>) {
    let (sender, receiver) = heap::channel();
    (Sender { inner: sender }, Receiver { inner: receiver })
}

/// The halves of a oneshot channel that lives elsewhere, a `static`
/// included, borrowing it; `None` if they were handed out already.
///
/// # Examples
///
/// ```
/// use diatomic_channels::oneshot::{self, Once};
/// use diatomic_channels::Channel;
///
/// static REPLY: Channel<Once<u32>> = Channel::new(Once::new());
///
/// let (tx, mut rx) = oneshot::split(&REPLY).unwrap();
/// assert!(oneshot::split(&REPLY).is_none());
/// tx.send(5).unwrap();
/// assert_eq!(rx.try_recv(), Ok(5));
/// ```
pub fn split<T: Send>(
    channel: &Channel<Once<T>>,
) -> Option<(SenderRef<'_, T>, ReceiverRef<'_, T>)> {
    let (sender, receiver) = channel.split_generic()?;
    Some((SenderRef { inner: sender }, ReceiverRef { inner: receiver }))
}

/// The public halves, once per home: the same methods and docs over each
/// home's inner half (`heap.rs`'s state machine, or the generic halves
/// with the adapters of `inner.rs`), which share their `once_*` names.
/// Two types rather than one generic over the home: a field whose type is
/// picked by a trait on the home made `async` blocks holding a borrowed
/// half fail to prove `Send`, and an enum over both cost the round trip
/// about 70 instructions (callgrind).
macro_rules! oneshot_halves {
    (
        $(#[$sender_doc:meta])*
        sender $sender:ident $(<$lt:lifetime>)? = $sender_inner:ty;
        $(#[$receiver_doc:meta])*
        receiver $receiver:ident = $receiver_inner:ty;
    ) => {
        $(#[$sender_doc])*
        pub struct $sender<$($lt,)? T: Send> {
            inner: $sender_inner,
        }

        impl<$($lt,)? T: Send> $sender<$($lt,)? T> {
            /// Sends `value`, consuming the sender; never waits. Hands the
            /// value back if the receiver is gone or closed.
            ///
            /// # Examples
            ///
            /// ```
            /// let (tx, rx) = diatomic_channels::oneshot::channel::<u8>();
            /// drop(rx);
            /// assert_eq!(tx.send(1), Err(1));
            /// ```
            pub fn send(self, value: T) -> Result<(), T> {
                self.inner.once_send(value)
            }

            /// Whether the receiver is gone or closed.
            ///
            /// # Examples
            ///
            /// ```
            /// let (tx, mut rx) = diatomic_channels::oneshot::channel::<u8>();
            /// assert!(!tx.is_closed());
            /// rx.close();
            /// assert!(tx.is_closed());
            /// ```
            pub fn is_closed(&self) -> bool {
                self.inner.once_is_closed()
            }

            /// Completes when the receiver is dropped or closed: for a task
            /// that computes a reply only while someone waits for it.
            /// Cancel safe.
            ///
            /// # Examples
            ///
            /// ```
            /// # #[tokio::main(flavor = "current_thread")] async fn main() {
            /// let (mut tx, rx) = diatomic_channels::oneshot::channel::<u8>();
            /// let worker = tokio::spawn(async move {
            ///     tokio::select! {
            ///         _ = tx.closed() => "abandoned",
            ///         _ = std::future::pending::<()>() => unreachable!(),
            ///     }
            /// });
            /// drop(rx);
            /// assert_eq!(worker.await.unwrap(), "abandoned");
            /// # }
            /// ```
            pub async fn closed(&mut self) {
                self.inner.once_closed().await;
            }
        }

        impl<$($lt,)? T: Send> fmt::Debug for $sender<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(concat!("oneshot::", stringify!($sender)))
                    .field("closed", &self.is_closed())
                    .finish()
            }
        }

        $(#[$receiver_doc])*
        pub struct $receiver<$($lt,)? T: Send> {
            inner: $receiver_inner,
        }

        impl<$($lt,)? T: Send> $receiver<$($lt,)? T> {
            /// Takes the value if it was sent, without waiting.
            ///
            /// # Examples
            ///
            /// ```
            /// use diatomic_channels::TryRecvError;
            ///
            /// let (tx, mut rx) = diatomic_channels::oneshot::channel::<u8>();
            /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
            /// tx.send(5).unwrap();
            /// assert_eq!(rx.try_recv(), Ok(5));
            /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
            /// ```
            pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
                self.inner.once_try_recv()
            }

            /// Closes the channel: the sender's `send` fails from now on; a
            /// value already sent can still be received.
            ///
            /// # Examples
            ///
            /// ```
            /// let (tx, mut rx) = diatomic_channels::oneshot::channel::<u8>();
            /// rx.close();
            /// assert_eq!(tx.send(1), Err(1));
            /// ```
            pub fn close(&mut self) {
                self.inner.once_close();
            }

            /// Waits for the value from a synchronous thread. Do not call it
            /// from async code.
            ///
            /// # Examples
            ///
            /// ```
            /// let (tx, rx) = diatomic_channels::oneshot::channel::<u8>();
            /// std::thread::spawn(move || tx.send(3));
            /// assert_eq!(rx.recv_blocking(), Ok(3));
            /// ```
            #[cfg(feature = "std")]
            pub fn recv_blocking(mut self) -> Result<T, RecvError> {
                self.inner.once_recv_until(None).map_err(|_| RecvError)
            }

            /// Waits for the value from a synchronous thread for at most
            /// `timeout`; the receiver stays, to wait again. Do not call it
            /// from async code.
            ///
            /// # Examples
            ///
            /// ```
            /// use std::time::Duration;
            /// use diatomic_channels::RecvTimeoutError;
            ///
            /// let (tx, mut rx) = diatomic_channels::oneshot::channel::<u8>();
            /// assert_eq!(rx.recv_timeout(Duration::from_millis(5)), Err(RecvTimeoutError::Timeout));
            /// tx.send(3).unwrap();
            /// assert_eq!(rx.recv_timeout(Duration::from_millis(5)), Ok(3));
            /// ```
            #[cfg(feature = "std")]
            pub fn recv_timeout(
                &mut self,
                timeout: std::time::Duration,
            ) -> Result<T, RecvTimeoutError> {
                self.inner
                    .once_recv_until(std::time::Instant::now().checked_add(timeout))
            }

            /// As [`recv_timeout`](Self::recv_timeout), with a deadline.
            #[cfg(feature = "std")]
            pub fn recv_deadline(
                &mut self,
                deadline: std::time::Instant,
            ) -> Result<T, RecvTimeoutError> {
                self.inner.once_recv_until(Some(deadline))
            }
        }

        impl<$($lt,)? T: Send> Future for $receiver<$($lt,)? T> {
            type Output = Result<T, RecvError>;

            #[inline]
            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                self.get_mut().inner.once_poll_recv(cx)
            }
        }

        impl<$($lt,)? T: Send> fmt::Debug for $receiver<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(concat!("oneshot::", stringify!($receiver)))
                    .field("sent", &self.inner.once_is_sent())
                    .finish()
            }
        }
    };
}

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
oneshot_halves! {
    /// Sends the one value of a [`channel`].
    sender Sender = heap::HeapSender<T>;
    /// Receives the one value of a [`channel`]; a future of it.
    ///
    /// Awaiting it gives the value, or `RecvError` if the sender was
    /// dropped without sending (or the receiver closed before it sent).
    /// Polled again after that, it returns `RecvError`. Cancel safe:
    /// dropping it drops the value, if one was sent.
    receiver Receiver = heap::HeapReceiver<T>;
}

oneshot_halves! {
    /// Sends the one value of a [`split`] channel, borrowing it; as
    /// [`Sender`] (the examples use
    /// [`channel`]; the methods are the same).
    sender SenderRef<'a> = crate::Sender<Once<T>, One, &'a Channel<Once<T>>>;
    /// Receives the one value of a [`split`] channel, borrowing it; a
    /// future of it, as [`Receiver`].
    receiver ReceiverRef = crate::Receiver<Once<T>, &'a Channel<Once<T>>>;
}

impl<T: Send> fmt::Debug for Once<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::Occupancy;
        f.debug_struct("Once")
            .field("full", &self.is_full())
            .finish_non_exhaustive()
    }
}
