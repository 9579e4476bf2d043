//! `broadcast`: every receiver sees every value, in order, from any number
//! of senders; bounded. tokio's `broadcast`, with its names, and a second
//! policy for when the slowest receiver falls a whole ring behind.
//!
//! Pick it to fan events out to every task that follows them: a chat
//! room, a stream of market data, invalidations for every cache. Each
//! receiver gets its own clone (`T: Clone`); a value is sent once and
//! stays in the ring until a later send overwrites its slot.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use diatomic_channels::broadcast;
//!
//! let (tx, mut rx1) = broadcast::channel(16);
//! let mut rx2 = tx.subscribe();
//! tx.send("hello").unwrap();
//! tx.send("world").unwrap();
//! assert_eq!(rx1.recv().await.unwrap(), "hello");
//! assert_eq!(rx2.recv().await.unwrap(), "hello");
//! assert_eq!(rx2.recv().await.unwrap(), "world");
//! # }
//! ```
//!
//! # When a receiver falls behind: two policies, chosen at construction
//!
//! | | [`channel`] (tokio's) | [`channel_with_backpressure`] |
//! |---|---|---|
//! | a send to a full ring | overwrites the oldest value, never waits | waits until every receiver has read the oldest |
//! | a slow receiver | is told how many it missed ([`RecvError::Lagged`]), then reads on from the oldest held | holds the senders back; misses nothing |
//! | the sender | [`Sender::send`], not `async` | [`BackpressureSender::send`], `async` (and `try_send`, `send_blocking`) |
//! | a receive | no RMW on a shared line: a store and a fence before the clone, a swap after, on the receiver's own line | one RMW on its slot (counted read) |
//!
//! Either way, a receiver that is dropped holds nobody back, and a
//! receiver made by [`Sender::subscribe`] (or [`Receiver::resubscribe`])
//! sees the values sent after it was made.
//!
//! # Costs
//!
//! * No allocation per value: the ring is allocated once, at
//!   construction, and a waiting receive keeps its place in the line of
//!   waiting receivers inside its future.
//! * A send takes the senders' lock (a `std` mutex: no spinlock), writes
//!   one slot, and wakes every waiting receiver (up to 16 per hold of the
//!   waiting line's lock); with none waiting that is a fence and a load.
//! * A receive takes no lock and, under [`channel`], writes nothing that
//!   another receiver writes: each receiver publishes how far it has read
//!   on its own cache line (a store and a fence before its clone, a swap
//!   after), and a send looks at those marks only when some receiver is a
//!   whole ring behind. Under [`channel_with_backpressure`] a receive
//!   counts its read on the slot (one RMW), and the last reader of a value
//!   looks for a waiting sender (a fence).
//! * A waiting receive registers its waker once per wait (a clone only if
//!   the task's waker changed).
//! * Under [`channel`], a send that overwrites a value a receiver is
//!   cloning waits for that clone to finish (as tokio's send waits for its
//!   slot's read lock): keep `clone` cheap, and never send from a `clone`
//!   of the same channel's values. Each receiver costs one allocation (its
//!   mark) when made.
//!
//! # Cancellation
//!
//! Dropping a [`RecvFuture`] loses nothing: a value is only taken by the
//! poll that returns it. Dropping a [`SendFuture`] (backpressure) means the
//! value was not sent, and a wakeup it held goes to the next waiting
//! sender.
//!
//! # Closing
//!
//! When every sender is gone, receivers read what is left and then get
//! [`RecvError::Closed`]. A send fails, the value handed back, when no
//! receiver is left ([`Sender::subscribe`] makes a new one).
//!
//! # From tokio
//!
//! Same names and semantics for [`channel`], [`Sender::send`] (returns the
//! number of receivers), [`Sender::subscribe`], [`Receiver::recv`],
//! [`Receiver::try_recv`], [`Receiver::resubscribe`], [`Receiver::len`],
//! [`RecvError`] and [`TryRecvError`], and for [`Sender::downgrade`] and
//! [`WeakSender::upgrade`] (a [`WeakBackpressureSender`] for the other
//! policy). Differences: the capacity is used as given (tokio rounds it
//! up to a power of two); `blocking_recv` is
//! [`Receiver::recv_blocking`], as everywhere in this crate; values need
//! `Send + Sync` to cross threads (receivers clone them concurrently); a
//! value is dropped when its slot is overwritten, not when the last
//! receiver has read it; positions count in `usize`, so on a 32-bit target
//! a channel carries at most 2^29 values (a send after that panics), where
//! tokio counts in `u64`.

mod closed;
mod error;
mod ring;
mod weak;

use crate::error::{SendError, TrySendError};
use crate::receiver_line::RecvPlace;
use crate::sync::Arc;
use alloc::boxed::Box;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use ring::{Nothing, Policy, Reader, Shared};

pub use closed::Closed;
pub use error::{RecvError, TryRecvError};
pub use weak::{WeakBackpressureSender, WeakSender};

/// What both senders offer besides their sends: subscriptions, counts,
/// `Clone` (one more sender), `Drop` (the last one closes the channel) and
/// `Debug`.
macro_rules! sender_common {
    ($name:ident, $make:ident) => {
        impl<T> $name<T> {
            /// A new receiver, which sees the values sent from now on.
            pub fn subscribe(&self) -> Receiver<T> {
                Receiver::subscribe(&self.shared)
            }

            /// How many receivers there are now.
            pub fn receiver_count(&self) -> usize {
                self.shared.receiver_count()
            }

            /// Whether no receiver is left (a snapshot: `subscribe` makes
            /// one).
            pub fn is_closed(&self) -> bool {
                self.receiver_count() == 0
            }

            /// Completes once no receiver is left (at once if none is):
            /// the senders can stop producing. A receiver made later by
            /// `subscribe` opens the channel again, for later calls.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a dropped `closed` future holds nothing.
            ///
            /// # Examples
            ///
            /// ```
            /// # #[tokio::main(flavor = "current_thread")] async fn main() {
            #[doc = concat!("let (tx, rx) = diatomic_channels::broadcast::", stringify!($make), "::<u8>(4);")]
            /// let rx2 = tx.subscribe();
            /// tokio::spawn(async move { drop((rx, rx2)) });
            /// tx.closed().await;
            /// assert!(tx.is_closed());
            /// # }
            /// ```
            pub fn closed(&self) -> Closed<'_, T> {
                Closed::new(&self.shared)
            }

            /// How many senders there are now (a snapshot).
            pub fn sender_count(&self) -> usize {
                self.shared.sender_count()
            }

            /// The number of values the ring holds at most.
            pub fn capacity(&self) -> usize {
                self.shared.capacity()
            }

            /// Whether both halves are of the same channel.
            pub fn same_channel(&self, other: &Receiver<T>) -> bool {
                Arc::ptr_eq(&self.shared, &other.shared)
            }
        }

        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                self.shared.add_sender();
                Self {
                    shared: self.shared.clone(),
                }
            }
        }

        impl<T> Drop for $name<T> {
            fn drop(&mut self) {
                self.shared.drop_sender();
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("capacity", &self.capacity())
                    .field("receivers", &self.receiver_count())
                    .finish()
            }
        }
    };
}

/// Makes a channel of `capacity` values whose sends never wait: a send to
/// a full ring overwrites the oldest value, and a receiver that had not
/// read it is told it [lagged](RecvError::Lagged). One sender and one
/// receiver; clone the sender, [`subscribe`](Sender::subscribe) for more
/// receivers.
///
/// # Panics
///
/// If `capacity` is 0 (or more than a quarter of the address space).
///
/// ```
/// use diatomic_channels::broadcast::{self, TryRecvError};
///
/// let (tx, mut rx) = broadcast::channel(1);
/// assert_eq!(tx.send(1), Ok(1)); // one receiver
/// tx.send(2).unwrap(); // overwrites 1
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(1)));
/// assert_eq!(rx.try_recv(), Ok(2));
/// ```
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared::new(capacity, Policy::Overwrite));
    let receiver = Receiver::subscribe(&shared);
    (Sender { shared }, receiver)
}

/// Makes a channel of `capacity` values whose sends wait for the slowest
/// receiver: a send to a full ring waits until every receiver has read
/// the oldest value, so no receiver misses any. One sender and one
/// receiver; clone the sender, [`subscribe`](BackpressureSender::subscribe)
/// for more receivers.
///
/// # Panics
///
/// If `capacity` is 0 (or more than a quarter of the address space).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use diatomic_channels::{broadcast, TrySendError};
///
/// let (tx, mut rx) = broadcast::channel_with_backpressure(1);
/// tx.send(1).await.unwrap();
/// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
/// assert_eq!(rx.recv().await, Ok(1));
/// tx.send(2).await.unwrap();
/// # }
/// ```
pub fn channel_with_backpressure<T>(capacity: usize) -> (BackpressureSender<T>, Receiver<T>) {
    let shared = Arc::new(Shared::new(capacity, Policy::Wait));
    let receiver = Receiver::subscribe(&shared);
    (BackpressureSender { shared }, receiver)
}

/// The sending half of [`channel`]: `Clone`; a send never waits.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Sender<T> {
    /// Sends `value` to every receiver, over the oldest value if the ring
    /// is full; returns how many receivers there are. Fails, handing the
    /// value back, if there is none.
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::broadcast::channel(4);
    /// let _rx2 = tx.subscribe();
    /// assert_eq!(tx.send("a"), Ok(2));
    /// drop((rx, _rx2));
    /// assert_eq!(tx.send("b").unwrap_err().0, "b");
    /// ```
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        self.shared.send_overwrite(value).map_err(SendError)
    }
}

sender_common!(Sender, channel);

/// The sending half of [`channel_with_backpressure`]: `Clone`; a send to
/// a full ring waits for the slowest receiver.
pub struct BackpressureSender<T> {
    shared: Arc<Shared<T>>,
}

impl<T> BackpressureSender<T> {
    /// Sends `value` to every receiver, waiting for room if the ring is
    /// full; fails, handing the value back, once no receiver is left.
    /// Cancel safe: a dropped future has not sent.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::broadcast::channel_with_backpressure(1);
    /// let reader = tokio::spawn(async move {
    ///     let mut sum = 0;
    ///     while let Ok(v) = rx.recv().await {
    ///         sum += v;
    ///     }
    ///     sum
    /// });
    /// for i in 1..=10 {
    ///     tx.send(i).await.unwrap(); // waits for the reader each time
    /// }
    /// drop(tx);
    /// assert_eq!(reader.await.unwrap(), 55);
    /// # }
    /// ```
    pub fn send(&self, value: T) -> SendFuture<'_, T> {
        SendFuture {
            shared: &self.shared,
            value: Some(value),
            place: RecvPlace::new(),
            queued: false,
        }
    }

    /// Sends `value` if the ring has room now.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.shared.try_send_wait(value)
    }

    /// Sends `value`, blocking this thread while the ring is full (not
    /// from an async task).
    #[cfg(feature = "std")]
    pub fn send_blocking(&self, value: T) -> Result<(), SendError<T>> {
        crate::blocking::block_on(self.send(value))
    }
}

sender_common!(BackpressureSender, channel_with_backpressure);

/// The future of [`BackpressureSender::send`].
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<'a, T> {
    shared: &'a Shared<T>,
    value: Option<T>,
    place: RecvPlace,
    queued: bool,
}

impl<T> Future for SendFuture<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Safety: `place` stays pinned (only reached through
        // `Pin::new_unchecked`, here and in `drop`); the other fields are
        // not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let place = unsafe { Pin::new_unchecked(&this.place) };
        let (shared, value) = (this.shared, &mut this.value);
        shared
            .senders_waiting
            .poll_until(place, &mut this.queued, true, cx, || {
                let v = value.take().expect("polled after completion");
                match shared.try_send_wait(v) {
                    Ok(()) => Some(Ok(())),
                    Err(TrySendError::Closed(v)) => Some(Err(SendError(v))),
                    Err(TrySendError::Full(v)) => {
                        *value = Some(v);
                        None
                    }
                }
            })
    }
}

impl<T> Drop for SendFuture<'_, T> {
    fn drop(&mut self) {
        if self.queued {
            // Safety: pinned when it joined; its last use.
            let place = unsafe { Pin::new_unchecked(&self.place) };
            // A wakeup it held (a freed slot) goes to the next sender.
            self.shared.senders_waiting.cancel(place, 0);
        }
    }
}

impl<T> fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture")
            .field("waiting", &self.queued)
            .finish_non_exhaustive()
    }
}

/// A receiving half of either policy: it reads every value sent after it
/// was made, each once. Not `Clone` (as tokio's): make another with
/// [`resubscribe`](Self::resubscribe) or the sender's `subscribe`.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// Its cursor, and what it publishes for the senders.
    reader: Reader,
    /// `poll_recv`'s place in the line of waiting receivers, made at its
    /// first wait and kept between polls; `queued` while in the line.
    place: Option<Pin<Box<RecvPlace>>>,
    queued: bool,
}

impl<T> Receiver<T> {
    fn subscribe(shared: &Arc<Shared<T>>) -> Self {
        let reader = shared.subscribe();
        Self {
            shared: shared.clone(),
            reader,
            place: None,
            queued: false,
        }
    }

    /// The next value, cloned; waits while there is none. Fails once every
    /// sender is gone and every value was read, or with
    /// [`RecvError::Lagged`] (then the next call reads the oldest value
    /// held). Cancel safe.
    pub fn recv(&mut self) -> RecvFuture<'_, T>
    where
        T: Clone,
    {
        RecvFuture {
            receiver: self,
            place: RecvPlace::new(),
            queued: false,
        }
    }

    /// Polls for the next value: [`recv`](Self::recv) without a future,
    /// for a hand-written `poll` (and this receiver's `Stream`). A poll
    /// that waits keeps the receiver's place in the line in a box, made at
    /// the first such poll and kept until the receiver goes.
    ///
    /// ```
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let (tx, mut rx) = diatomic_channels::broadcast::channel(4);
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(rx.poll_recv(&mut cx).is_pending());
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(1)));
    /// ```
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>>
    where
        T: Clone,
    {
        let Receiver {
            shared,
            reader,
            place,
            queued,
        } = self;
        let shared: &Shared<T> = shared;
        let mut ready = || next_value(shared, reader);
        if !*queued {
            // The common case, a value at hand: no place needed.
            if let Some(r) = ready() {
                return Poll::Ready(r);
            }
        }
        let place = place.get_or_insert_with(|| Box::pin(RecvPlace::new()));
        shared
            .receivers_waiting
            .poll_until(place.as_ref(), queued, false, cx, ready)
    }

    /// The next value, cloned, if there is one now.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError>
    where
        T: Clone,
    {
        self.shared
            .try_recv(&mut self.reader)
            .map_err(TryRecvError::from)
    }

    /// The next value, blocking this thread while there is none (not from
    /// an async task).
    ///
    /// ```
    /// let (tx, mut rx) = diatomic_channels::broadcast::channel(2);
    /// std::thread::spawn(move || tx.send(7).unwrap());
    /// assert_eq!(rx.recv_blocking(), Ok(7));
    /// ```
    #[cfg(feature = "std")]
    pub fn recv_blocking(&mut self) -> Result<T, RecvError>
    where
        T: Clone,
    {
        crate::blocking::block_on(self.recv())
    }

    /// A new receiver of the same channel, which sees the values sent from
    /// now on (not the ones this one has not read yet).
    pub fn resubscribe(&self) -> Self {
        Self::subscribe(&self.shared)
    }

    /// How many senders there are now (a snapshot; tokio's
    /// `sender_strong_count`: weak senders do not count).
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::broadcast::channel::<u8>(2);
    /// let _weak = tx.downgrade();
    /// assert_eq!(rx.sender_count(), 1);
    /// drop(tx);
    /// assert_eq!(rx.sender_count(), 0);
    /// ```
    pub fn sender_count(&self) -> usize {
        self.shared.sender_count()
    }

    /// How many values this receiver has not read yet (at most the
    /// capacity).
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::broadcast::channel(2);
    /// for i in 0..5 {
    ///     tx.send(i).unwrap();
    /// }
    /// assert_eq!(rx.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.shared.unread(self.reader.cursor())
    }

    /// Whether this receiver has read every value sent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every sender is gone (values may be left to read).
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// How many receivers there are now.
    pub fn receiver_count(&self) -> usize {
        self.shared.receiver_count()
    }

    /// Whether both are receivers of the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let (true, Some(place)) = (self.queued, &self.place) {
            // Every waiting receiver is woken on a send: nothing to pass on.
            let _ = self.shared.receivers_waiting.leave(place.as_ref());
        }
        self.shared.drop_receiver(&self.reader);
    }
}

/// The values, each `Ok`, or `Err(RecvError::Lagged(n))` where this
/// receiver fell behind; the stream ends once every sender is gone and
/// every value was read (so `RecvError::Closed` never appears). tokio's
/// form is `tokio_stream::wrappers::BroadcastStream`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use futures_util::StreamExt;
///
/// let (tx, rx) = diatomic_channels::broadcast::channel(4);
/// tokio::spawn(async move {
///     for i in 0..3 {
///         tx.send(i).unwrap();
///     }
/// });
/// let got: Vec<_> = rx.map(Result::unwrap).collect().await;
/// assert_eq!(got, [0, 1, 2]);
/// # }
/// ```
impl<T: Clone> futures_core::Stream for Receiver<T> {
    type Item = Result<T, RecvError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(|r| match r {
            Err(RecvError::Closed) => None,
            other => Some(other),
        })
    }
}

/// The stream has ended once every sender is gone and this receiver has
/// read (or lagged past) every value, so `futures::select!` takes it as it
/// is, with no `.fuse()`.
///
/// # Examples
///
/// ```
/// use futures_core::stream::FusedStream;
///
/// let (tx, mut rx) = diatomic_channels::broadcast::channel::<u8>(2);
/// tx.send(1).unwrap();
/// drop(tx);
/// assert!(!rx.is_terminated(), "a value is unread");
/// assert_eq!(rx.try_recv(), Ok(1));
/// assert!(rx.is_terminated());
/// ```
impl<T: Clone> futures_core::stream::FusedStream for Receiver<T> {
    fn is_terminated(&self) -> bool {
        // The close first: it comes after the last sender's sends, so the
        // tail read after it is final.
        self.is_closed() && self.is_empty()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("unread", &self.len())
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// One look for the reader's next value, as a wait wants it: `None` while
/// there is none, else what `recv` returns.
fn next_value<T: Clone>(shared: &Shared<T>, reader: &mut Reader) -> Option<Result<T, RecvError>> {
    match shared.try_recv(reader) {
        Ok(v) => Some(Ok(v)),
        Err(Nothing::Empty) => None,
        Err(Nothing::Closed) => Some(Err(RecvError::Closed)),
        Err(Nothing::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
    }
}

/// The future of [`Receiver::recv`].
#[must_use = "futures do nothing unless polled"]
pub struct RecvFuture<'a, T> {
    receiver: &'a mut Receiver<T>,
    place: RecvPlace,
    queued: bool,
}

impl<T: Clone> Future for RecvFuture<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Safety: as in `SendFuture::poll`.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let place = unsafe { Pin::new_unchecked(&this.place) };
        let Receiver { shared, reader, .. } = &mut *this.receiver;
        let shared: &Shared<T> = shared;
        shared
            .receivers_waiting
            .poll_until(place, &mut this.queued, false, cx, || {
                next_value(shared, reader)
            })
    }
}

impl<T> Drop for RecvFuture<'_, T> {
    fn drop(&mut self) {
        if self.queued {
            // Safety: pinned when it joined; its last use.
            let place = unsafe { Pin::new_unchecked(&self.place) };
            // Every waiting receiver is woken on a send: nothing to pass on.
            let _ = self.receiver.shared.receivers_waiting.leave(place);
        }
    }
}

impl<T> fmt::Debug for RecvFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvFuture")
            .field("waiting", &self.queued)
            .finish_non_exhaustive()
    }
}
