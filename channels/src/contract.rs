//! The non-blocking contract a channel core implements, and the access
//! tokens through which the runtime hands it its guarantees.

use core::fmt;
use core::marker::PhantomData;

/// A non-blocking queue that `#[async_channel]` turns into an async channel.
///
/// Implement it for the struct that carries the attribute: a push that hands
/// the item back when the queue is full, and a pop that returns `None` when it
/// is empty. Neither may block or wait for the other side.
///
/// The generated types give the core two guarantees, carried by the tokens
/// in the signatures so that a core written with `unsafe` can rely on them:
/// * [`Consumer<'_, One>`](Consumer) (written `Consumer<'_>`): with
///   `receivers = one`, the default, `try_pop` is never called
///   concurrently with itself. With `receivers = many` the token is a
///   [`Consumer<'_, Many>`](Consumer) and promises nothing;
/// * [`Producer<'_, One>`](Producer): with `producers = one`, `try_push` is
///   never called concurrently with itself. With `producers = many` the token
///   is a [`Producer<'_, Many>`](Producer) and promises nothing.
///
/// The modes in the signatures of `try_push` and `try_pop` must be the ones
/// given to the attribute; the compiler checks it.
///
/// Items still in the core when the channel is dropped are dropped with the
/// core: a core that stores items in `MaybeUninit` needs a `Drop` impl.
///
/// # Examples
///
/// ```
/// use std::sync::Mutex;
/// use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};
///
/// /// A queue of capacity 4 (a mutex keeps the example short; a real core
/// /// would be lock-free, like `slot`).
/// #[async_channel(sender = QuadSender, receiver = QuadReceiver)]
/// struct Quad {
///     items: Mutex<std::collections::VecDeque<u32>>,
/// }
///
/// impl ChannelCore for Quad {
///     type Item = u32;
///     fn try_push(&self, item: u32, _: Producer<'_, Many>) -> Result<(), u32> {
///         let mut items = self.items.lock().unwrap();
///         if items.len() == 4 {
///             return Err(item);
///         }
///         items.push_back(item);
///         Ok(())
///     }
///     fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
///         self.items.lock().unwrap().pop_front()
///     }
/// }
///
/// let (tx, mut rx) = Quad { items: Mutex::default() }.into_channel();
/// tx.try_send(7).unwrap();
/// assert_eq!(rx.try_recv(), Ok(7));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `ChannelCore`",
    label = "`#[async_channel]` needs a non-blocking push and pop for this struct",
    note = "implement `diatomic_channels::ChannelCore` for `{Self}`: `try_push` hands the item back when full, `try_pop` returns `None` when empty"
)]
pub trait ChannelCore: ProducerCount + ConsumerCount + Send + Sync {
    /// What the channel carries.
    type Item: Send;

    /// Stores `item` if there is room, or hands it back.
    fn try_push(
        &self,
        item: Self::Item,
        producer: Producer<'_, Self::Producers>,
    ) -> Result<(), Self::Item>;

    /// Takes the oldest item, if any.
    fn try_pop(&self, consumer: Consumer<'_, Self::Receivers>) -> Option<Self::Item>;

    /// `try_push`, telling the runtime whether the consumer must be woken:
    /// an optional capability, for a core that can learn through its own
    /// push whether its consumer may be asleep (it overrides
    /// [`prepare_sleep`](Self::prepare_sleep) too).
    ///
    /// Used with `receivers = one` only: with many receivers, the runtime
    /// looks for a waiting receiver after every push (a fence and a load,
    /// no lock unless one waits), and never calls `prepare_sleep`.
    ///
    /// The default calls `try_push` and answers [`Wake::Consumer`]: the
    /// runtime then notifies the receiver's waker after every push (one
    /// atomic read-modify-write on a word every sender shares). A core that
    /// overrides it keeps one promise: once `prepare_sleep` has returned and
    /// the next `try_pop` found nothing, the push of the item that `try_pop`
    /// would return next answers [`Wake::Consumer`]. Other pushes may answer
    /// [`Wake::Nobody`]. Breaking the promise cannot cause undefined
    /// behaviour, but a receiver may then sleep while an item waits.
    ///
    /// # Examples
    ///
    /// A slot of one item that remembers whether its consumer went to sleep
    /// on it, in the same word as the item's presence, so that the push that
    /// fills it learns from its own compare-and-swap whether to wake anyone:
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU8, Ordering};
    /// use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer, Wake};
    ///
    /// const FULL: u8 = 1;
    /// const ASLEEP: u8 = 2;
    ///
    /// #[async_channel]
    /// struct Flag {
    ///     state: AtomicU8,
    /// }
    ///
    /// impl ChannelCore for Flag {
    ///     type Item = ();
    ///     fn try_push(&self, item: (), producer: Producer<'_, Many>) -> Result<(), ()> {
    ///         self.try_push_reporting(item, producer).map(drop)
    ///     }
    ///     fn try_pop(&self, _: Consumer<'_>) -> Option<()> {
    ///         // Ordering: Acquire, pairs with the push's Release (a real
    ///         // item would be read after it).
    ///         if self.state.load(Ordering::Acquire) & FULL == 0 {
    ///             return None; // a mark stays for the push that fills it
    ///         }
    ///         // Empties the slot, and clears the mark of a sleep that is over.
    ///         // Ordering: Relaxed; the item is `()`, nothing to hand back.
    ///         self.state.store(0, Ordering::Relaxed);
    ///         Some(())
    ///     }
    ///     fn try_push_reporting(&self, _: (), _: Producer<'_, Many>) -> Result<Wake, ()> {
    ///         // Full already: nothing to do. Otherwise fill it, and read the
    ///         // consumer's mark in the same step.
    ///         // Ordering: Release publishes the item; Acquire pairs with the
    ///         // mark's Release (the waker registered before it is seen).
    ///         let before = self.state.fetch_or(FULL, Ordering::AcqRel);
    ///         if before & FULL != 0 {
    ///             return Err(());
    ///         }
    ///         Ok(if before & ASLEEP != 0 { Wake::Consumer } else { Wake::Nobody })
    ///     }
    ///     fn prepare_sleep(&self, _: Consumer<'_>) {
    ///         // Marks the empty slot; if it is full, the next `try_pop` sees it.
    ///         // Ordering: Release, see the push.
    ///         let _ = self.state.compare_exchange(0, ASLEEP, Ordering::Release, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = Flag { state: AtomicU8::new(0) }.into_channel();
    /// let waiter = tokio::spawn(async move { rx.recv().await });
    /// tokio::task::yield_now().await; // the receiver goes to sleep, marked
    /// tx.send(()).await.unwrap(); // its push reports it: the receiver is woken
    /// assert_eq!(waiter.await.unwrap(), Ok(()));
    /// # }
    /// ```
    #[inline]
    fn try_push_reporting(
        &self,
        item: Self::Item,
        producer: Producer<'_, Self::Producers>,
    ) -> Result<Wake, Self::Item> {
        self.try_push(item, producer).map(|()| Wake::Consumer)
    }

    /// Called by the consumer when `try_pop` found nothing and the receiver
    /// is about to sleep, after its waker is registered and before one more
    /// `try_pop`: see [`try_push_reporting`](Self::try_push_reporting). The
    /// default does nothing.
    #[inline]
    fn prepare_sleep(&self, consumer: Consumer<'_, Self::Receivers>) {
        let _ = consumer;
    }

    /// Whether a push would certainly fail now: `true` only if the core has
    /// no room. A sender that has just joined the line of blocked senders
    /// asks it before it looks, under the waiters' lock, for a room it may
    /// have missed; `true` spares it that lock. `false` is always correct,
    /// and is the default.
    ///
    /// It is asked after a `SeqCst` fence that pairs with one the runtime
    /// makes after each `try_pop`, so an atomic load (`Relaxed` is enough)
    /// of what `try_pop` writes to free a room sees that room. Answer from
    /// such loads, never from a value cached before the call.
    ///
    /// ```
    /// use core::sync::atomic::{AtomicU8, Ordering};
    /// use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};
    ///
    /// /// One `u8` at a time; 0 means empty.
    /// #[async_channel(sender = ByteSender, receiver = ByteReceiver)]
    /// pub struct Byte {
    ///     cell: AtomicU8,
    /// }
    ///
    /// impl ChannelCore for Byte {
    ///     type Item = u8;
    ///     fn try_push(&self, item: u8, _: Producer<'_, Many>) -> Result<(), u8> {
    ///         assert_ne!(item, 0, "0 stands for empty");
    ///         // Ordering: Release publishes the byte; Relaxed on failure.
    ///         self.cell
    ///             .compare_exchange(0, item, Ordering::Release, Ordering::Relaxed)
    ///             .map(drop)
    ///             .map_err(|_| item)
    ///     }
    ///     fn try_pop(&self, _: Consumer<'_>) -> Option<u8> {
    ///         // Ordering: Acquire pairs with the push's Release.
    ///         Some(self.cell.swap(0, Ordering::Acquire)).filter(|&b| b != 0)
    ///     }
    ///     fn certainly_full(&self) -> bool {
    ///         // Ordering: Relaxed; the runtime's fences order it (see above).
    ///         self.cell.load(Ordering::Relaxed) != 0
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = Byte { cell: AtomicU8::new(0) }.into_channel();
    /// tx.send(1).await.unwrap();
    /// let blocked = tokio::spawn({
    ///     let tx = tx.clone();
    ///     async move { tx.send(2).await } // full: it waits in line
    /// });
    /// tokio::task::yield_now().await;
    /// assert_eq!(rx.recv().await, Ok(1));
    /// blocked.await.unwrap().unwrap();
    /// assert_eq!(rx.recv().await, Ok(2));
    /// # }
    /// ```
    #[inline]
    fn certainly_full(&self) -> bool {
        false
    }

    /// Whether the core certainly holds no item now, counting pushes still
    /// under way: `true` only if a pop would find nothing and no push has
    /// begun that it would not see. Asked with `receivers = many` only,
    /// when a receiver that was told of an item found none: `true` means
    /// another receiver took it; `false` (always correct, and the default)
    /// makes the receiver wake one more receiver once it has an item, in
    /// case the item was hidden behind a push still being written (see
    /// [`mpmc::Ring`](crate::mpmc::Ring)). A core whose `try_pop` never
    /// misses an item that is there loses only wakeups by the default.
    ///
    /// It is asked after the receiver took a lock that the notifying push
    /// released, so plain loads (`Relaxed`) of what `try_push` and
    /// `try_pop` write are enough; read the consumers' side first.
    #[inline]
    fn certainly_empty(&self) -> bool {
        false
    }
}

/// What a push asks of the runtime, as
/// [`ChannelCore::try_push_reporting`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a consumer that may be asleep must be woken"]
pub enum Wake {
    /// The consumer may be asleep waiting for this item: notify it.
    Consumer,
    /// The consumer is awake, or will find the item before it sleeps.
    Nobody,
}

/// An optional capability of a core: it knows its capacity and how many
/// items it holds, so that both halves of its channel have `len`,
/// `capacity`, `is_empty` and `is_full`.
///
/// A core need not implement it; the halves of one that does not simply
/// lack those methods (a compile error, not a value that means "unknown").
/// `is_empty` and `is_full` have defaults in terms of the other two.
///
/// Under concurrency the figures are snapshots: an item may be pushed or
/// popped as soon as they are read. They must stay within `0..=capacity`.
///
/// # Examples
///
/// ```
/// use std::collections::VecDeque;
/// use std::sync::Mutex;
/// use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};
///
/// #[async_channel]
/// struct Pair {
///     items: Mutex<VecDeque<u8>>,
/// }
///
/// impl ChannelCore for Pair {
///     type Item = u8;
///     fn try_push(&self, item: u8, _: Producer<'_, Many>) -> Result<(), u8> {
///         let mut items = self.items.lock().unwrap();
///         if items.len() == 2 {
///             return Err(item);
///         }
///         items.push_back(item);
///         Ok(())
///     }
///     fn try_pop(&self, _: Consumer<'_>) -> Option<u8> {
///         self.items.lock().unwrap().pop_front()
///     }
/// }
///
/// impl Occupancy for Pair {
///     fn capacity(&self) -> usize {
///         2
///     }
///     fn len(&self) -> usize {
///         self.items.lock().unwrap().len()
///     }
/// }
///
/// let (tx, rx) = Pair { items: Mutex::default() }.into_channel();
/// tx.try_send(1).unwrap();
/// assert_eq!((tx.len(), tx.capacity(), rx.is_empty(), rx.is_full()), (1, 2, false, false));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not report its occupancy",
    label = "`len`, `capacity`, `is_empty` and `is_full` need `Occupancy`",
    note = "implement `diatomic_channels::Occupancy` for `{Self}`: its `capacity` and `len`"
)]
pub trait Occupancy: ChannelCore {
    /// How many items the core can hold.
    fn capacity(&self) -> usize;

    /// How many items it holds now.
    fn len(&self) -> usize;

    /// Whether it holds none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether it holds `capacity` items.
    fn is_full(&self) -> bool {
        self.len() >= self.capacity()
    }
}

/// The capability behind `Sender::force_send`, on the receivers' mode: a
/// core declared `receivers = many` has a `try_pop` that any number of
/// threads may call at once, so a sender may take the oldest item out to
/// make room, as another receiver would. [`Many`] has it; [`One`] cannot
/// (the pop is the one receiver's alone), and `force_send` on such a
/// channel is a compile error that says so.
#[diagnostic::on_unimplemented(
    message = "`force_send` needs a core declared `receivers = many`; this one's receivers are `{Self}`",
    label = "the core's pop is its one receiver's alone",
    note = "`force_send` takes the oldest item out as another receiver would: declare the core `receivers = many` if its `try_pop` allows concurrent callers (as `mpmc`'s does), or use `try_send`"
)]
pub trait ForceSend: ConsumerMode + sealed::Sealed {}

impl ForceSend for Many {}

/// The halves `#[async_channel]` names for a core that borrow a
/// [`Channel`](crate::Channel) (`<Sender>Ref` and `<Receiver>Ref` unless
/// given with `sender_ref` / `receiver_ref`); implemented by the attribute,
/// for [`Channel::split`](crate::Channel::split).
pub trait Halves: ChannelCore + Sized {
    /// The named sending half that borrows its channel.
    type SenderRef<'a>: fmt::Debug
    where
        Self: 'a;

    /// The named receiving half that borrows its channel.
    type ReceiverRef<'a>: fmt::Debug
    where
        Self: 'a;

    /// Wraps the generic borrowed halves in the named ones.
    #[doc(hidden)]
    fn name_borrowed<'a>(
        sender: crate::BorrowedSender<'a, Self>,
        receiver: crate::BorrowedReceiver<'a, Self>,
    ) -> (Self::SenderRef<'a>, Self::ReceiverRef<'a>)
    where
        Self: 'a;
}

/// How many senders a channel has; implemented by `#[async_channel]` from its
/// `producers` argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not declared with `#[async_channel]`",
    note = "put `#[diatomic_channels::async_channel]` on the struct declaration"
)]
pub trait ProducerCount {
    /// [`One`] or [`Many`].
    type Producers: ProducerMode;
}

/// How many receivers a channel has; implemented by `#[async_channel]` from
/// its `receivers` argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not declared with `#[async_channel]`",
    note = "put `#[diatomic_channels::async_channel]` on the struct declaration"
)]
pub trait ConsumerCount {
    /// [`One`] or [`Many`].
    type Receivers: ConsumerMode;
}

/// The consumer modes, [`One`] and [`Many`].
pub trait ConsumerMode: sealed::Sealed + Send + Sync + 'static {
    /// Where waiting receivers wait.
    #[doc(hidden)]
    type Waiters: crate::receiver_wait::ReceiverWaiters;

    /// The generic receiving half of this mode, over a channel in `H`.
    #[doc(hidden)]
    type Receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>>: fmt::Debug;

    /// Makes the first receiving half of a channel.
    #[doc(hidden)]
    fn receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>>(
        home: H,
    ) -> Self::Receiver<C, H>;
}

/// The producer modes, [`One`] and [`Many`].
pub trait ProducerMode: sealed::Sealed + Send + Sync + 'static {
    /// Where blocked senders of items `T` wait.
    #[doc(hidden)]
    type Waiters<T>: crate::sender_wait::SenderWaiters<T>;
}

/// One producer (or consumer) at a time. As the producer mode: the sender
/// is not `Clone`, and its methods take `&mut self`; a blocked sender waits
/// on a second `DiatomicWaker`. As the consumer mode: the receiver is a
/// [`Receiver`](crate::Receiver), not `Clone`, whose methods take
/// `&mut self`; it waits on a `DiatomicWaker`.
#[derive(Debug, Clone, Copy)]
pub enum One {}

/// Any number of producers (or consumers). As the producer mode: the sender
/// is `Clone`; blocked senders park their values in a queue, and the
/// receiver moves them into the space it frees. As the consumer mode: the
/// receiver is a [`SharedReceiver`](crate::SharedReceiver), `Clone`, whose
/// methods take `&self`; waiting receivers wait in a line, and each push
/// wakes the oldest.
#[derive(Debug, Clone, Copy)]
pub enum Many {}

impl ProducerMode for One {
    type Waiters<T> = crate::sender_wait::OneSender;
}

impl ProducerMode for Many {
    type Waiters<T> = crate::sender_wait::ManySenders<T>;
}

impl ConsumerMode for One {
    type Waiters = diatomic_waker::DiatomicWaker;
    type Receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>> = crate::Receiver<C, H>;

    fn receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>>(
        home: H,
    ) -> crate::Receiver<C, H> {
        crate::Receiver::new(home)
    }
}

impl ConsumerMode for Many {
    type Waiters = crate::receiver_line::ReceiverLine;
    type Receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>> =
        crate::SharedReceiver<C, H>;

    fn receiver<C: ChannelCore<Receivers = Self>, H: crate::Home<C>>(
        home: H,
    ) -> crate::SharedReceiver<C, H> {
        crate::SharedReceiver::new(home)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::One {}
    impl Sealed for super::Many {}
}

/// Passed to [`ChannelCore::try_push`]: with [`One`], proof that no other
/// push runs concurrently on this core.
///
/// Only the runtime creates it; it is neither `Send` nor `Clone`.
pub struct Producer<'a, M: ProducerMode> {
    _exclusive: PhantomData<(&'a mut (), M, *mut ())>,
}

impl<M: ProducerMode> Producer<'_, M> {
    /// The caller upholds the mode's promise for this call.
    pub(crate) fn new() -> Self {
        Self {
            _exclusive: PhantomData,
        }
    }
}

impl<M: ProducerMode> fmt::Debug for Producer<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Producer")
    }
}

/// Passed to [`ChannelCore::try_pop`]: with [`One`] (the default, written
/// `Consumer<'_>`), proof that no other pop runs concurrently on this core;
/// with [`Many`], no promise.
///
/// Only the runtime creates it; it is neither `Send` nor `Clone`.
pub struct Consumer<'a, M: ConsumerMode = One> {
    _exclusive: PhantomData<(&'a mut (), M, *mut ())>,
}

impl<M: ConsumerMode> Consumer<'_, M> {
    /// The caller upholds the mode's promise for this call (with one
    /// consumer: it is the channel's only receiver, borrowed mutably, or
    /// the last party left).
    pub(crate) fn new() -> Self {
        Self {
            _exclusive: PhantomData,
        }
    }
}

impl<M: ConsumerMode> fmt::Debug for Consumer<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Consumer")
    }
}
