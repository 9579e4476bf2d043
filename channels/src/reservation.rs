//! Reservations: room in a channel taken before the value exists
//! ([`Permit`]), one at a time or several at once ([`PermitIterator`]).

use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::channel::{Channel, Listener};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use crate::contract::Many;
use crate::contract::{ChannelCore, Occupancy, One};
use crate::error::{SendError, TrySendError};
use crate::home::Home;
use crate::sender::Sender;

/// Reservations, many producers: with a core that implements [`Occupancy`]
/// (every queue of this crate), and `alloc`.
///
/// A permit stands for one place in the channel: it is granted only while
/// the core holds fewer items than its capacity minus the permits already
/// out, and waiting reservations queue with blocked senders, in order.
/// [`Permit::send`] never waits and never fails. A sender that does not
/// wait (`try_send`, or the first attempt of a `send`) does not look at
/// permits, so it may take the room a permit stands for: the permit's value
/// then waits in line (in a place allocated for it, the one case
/// that allocates) and goes into the core at the next item taken. So the
/// channel holds at most one more item per permit outstanding, and no send
/// pays for permits that nobody uses.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
impl<C: Occupancy<Producers = Many>, H: Home<C>> Sender<C, Many, H> {
    /// A permit if there is room now and nobody waits first, without
    /// waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use diatomic_channels::TrySendError;
    ///
    /// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u8>(1);
    /// let permit = tx.try_reserve().unwrap();
    /// assert_eq!(tx.try_reserve().err(), Some(TrySendError::Full(())));
    /// permit.send(7);
    /// assert_eq!(rx.try_recv(), Ok(7));
    /// ```
    pub fn try_reserve(&self) -> Result<Permit<'_, C>, TrySendError<()>> {
        self.channel().try_reserve(1)?;
        Ok(Permit::new(self.channel()))
    }

    /// Waits for a permit: room for one value, held until the permit sends
    /// it or is dropped. Fails if the receiver closes the channel or is
    /// dropped.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `reserve` future holds nothing (a permit
    /// granted to it and never taken goes back). Inside `select!`, reserve
    /// first and send with the permit: the value is never lost nor sent by
    /// a branch that lost.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(1);
    /// let permit = tx.reserve().await.unwrap();
    /// permit.send(1);
    /// tokio::select! {
    ///     permit = tx.reserve() => permit.unwrap().send(2),
    ///     _ = tokio::time::sleep(std::time::Duration::from_millis(5)) => {}
    /// }
    /// // The queue was full: the reserve branch lost, and sent nothing.
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// assert!(rx.try_recv().is_err());
    /// # }
    /// ```
    pub fn reserve(&self) -> ReserveFuture<'_, C> {
        ReserveFuture::new(self.channel(), 1)
    }

    /// `n` permits at once if there is room for all of them now and nobody
    /// waits first, without waiting. `Full` if `n` exceeds the capacity
    /// (it never fits); an empty iterator for `n = 0`.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u8>(4);
    /// let permits = tx.try_reserve_many(3).unwrap();
    /// assert!(tx.try_reserve_many(2).is_err()); // one room left
    /// for (permit, v) in permits.zip([1, 2, 3]) {
    ///     permit.send(v);
    /// }
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_reserve_many(&self, n: usize) -> Result<PermitIterator<'_, C>, TrySendError<()>> {
        try_reserve_many(self.channel(), n)
    }

    /// Waits for `n` permits at once: room for `n` values, granted together
    /// (never a part of them held while waiting for the rest, so two
    /// callers cannot each hold half of what the other needs), in line with
    /// the other waiting senders and reservations.
    ///
    /// An empty iterator for `n = 0`. Fails (`SendError`, as tokio's
    /// `reserve_many`) if the channel is closed, or at once if `n` exceeds
    /// the capacity, which could never be granted.
    ///
    /// # Cancel safety
    ///
    /// As `reserve`: a dropped future holds nothing; permits granted to it
    /// and never taken go back. While it waits at the head of the line for
    /// more room than is free, those behind it wait too (first come, first
    /// served, as tokio's semaphore); when it goes away, the rooms it could
    /// not use go to them.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(8);
    /// // A frame of three parts goes in whole or not at all.
    /// let permits = tx.reserve_many(3).await.unwrap();
    /// assert_eq!(permits.len(), 3);
    /// for (permit, part) in permits.zip([10, 11, 12]) {
    ///     permit.send(part);
    /// }
    /// assert_eq!(rx.recv().await, Ok(10));
    /// assert!(tx.reserve_many(9).await.is_err()); // more than the capacity
    /// # }
    /// ```
    pub fn reserve_many(&self, n: usize) -> ReserveManyFuture<'_, C> {
        ReserveManyFuture::new(self.channel(), n)
    }
}

/// Reservations, one producer: the permits borrow the one sender mutably,
/// so the room they saw stays theirs.
impl<C: Occupancy<Producers = One>, H: Home<C>> Sender<C, One, H> {
    /// A permit if there is room now, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u8>(1);
    /// tx.try_reserve().unwrap().send(3);
    /// assert!(tx.try_reserve().is_err());
    /// assert_eq!(rx.try_recv(), Ok(3));
    /// ```
    pub fn try_reserve(&mut self) -> Result<Permit<'_, C>, TrySendError<()>> {
        self.channel().try_reserve(1)?;
        Ok(Permit::new(self.channel()))
    }

    /// Waits for room for one value; as the `Many` form.
    pub fn reserve(&mut self) -> ReserveFuture<'_, C> {
        ReserveFuture::new(self.channel(), 1)
    }

    /// `n` permits if there is room for all of them now; as the `Many`
    /// form.
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u8>(2);
    /// let mut permits = tx.try_reserve_many(2).unwrap();
    /// permits.next().unwrap().send(1);
    /// drop(permits); // the second room goes back
    /// assert!(tx.try_reserve_many(2).is_err()); // one item, one room
    /// assert_eq!(tx.try_reserve_many(1).map(|p| p.len()), Ok(1));
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_reserve_many(
        &mut self,
        n: usize,
    ) -> Result<PermitIterator<'_, C>, TrySendError<()>> {
        try_reserve_many(self.channel(), n)
    }

    /// Waits for room for `n` values at once; as the `Many` form.
    pub fn reserve_many(&mut self, n: usize) -> ReserveManyFuture<'_, C> {
        ReserveManyFuture::new(self.channel(), n)
    }
}

/// `try_reserve_many` of either producer mode.
fn try_reserve_many<C: Occupancy>(
    shared: &Channel<C>,
    n: usize,
) -> Result<PermitIterator<'_, C>, TrySendError<()>> {
    if n > 0 {
        if n > shared.core().capacity() {
            return Err(if shared.is_closed() {
                TrySendError::Closed(())
            } else {
                TrySendError::Full(())
            });
        }
        shared.try_reserve(n)?;
    }
    Ok(PermitIterator::new(shared, n))
}

/// Room for one value, reserved by `reserve` or `try_reserve` (or one of
/// a [`PermitIterator`]); see [`Sender::reserve`](Sender#method.reserve).
///
/// Dropping it unused gives the room back, to whoever waits first. A permit
/// forgotten with `mem::forget` keeps its room for good (as tokio's does):
/// the channel's capacity is one less from then on.
#[must_use = "a permit holds room until it sends or is dropped"]
pub struct Permit<'a, C: ChannelCore> {
    shared: &'a Channel<C>,
    /// With one producer, the permit borrows the sender mutably.
    _borrow: PhantomData<&'a mut ()>,
}

impl<'a, C: ChannelCore> Permit<'a, C> {
    fn new(shared: &'a Channel<C>) -> Self {
        Self {
            shared,
            _borrow: PhantomData,
        }
    }

    /// Sends `item` into the room reserved; never waits, never fails. If the
    /// receiver closed the channel meanwhile, `item` is dropped.
    pub fn send(self, item: C::Item) {
        let this = core::mem::ManuallyDrop::new(self);
        this.shared.permit_send(item);
    }
}

impl<C: ChannelCore> Drop for Permit<'_, C> {
    fn drop(&mut self) {
        self.shared.permit_release();
    }
}

impl<C: ChannelCore> fmt::Debug for Permit<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

/// Rooms for several values, reserved together by `reserve_many` or
/// `try_reserve_many`: it yields one [`Permit`] per room. The rooms it has
/// not yielded go back when it is dropped.
#[must_use = "permits hold room until they send or are dropped"]
pub struct PermitIterator<'a, C: ChannelCore> {
    shared: &'a Channel<C>,
    /// Rooms not yet yielded as permits.
    remaining: usize,
    /// With one producer, the permits borrow the sender mutably.
    _borrow: PhantomData<&'a mut ()>,
}

impl<'a, C: ChannelCore> PermitIterator<'a, C> {
    fn new(shared: &'a Channel<C>, remaining: usize) -> Self {
        Self {
            shared,
            remaining,
            _borrow: PhantomData,
        }
    }
}

impl<'a, C: ChannelCore> Iterator for PermitIterator<'a, C> {
    type Item = Permit<'a, C>;

    fn next(&mut self) -> Option<Permit<'a, C>> {
        self.remaining = self.remaining.checked_sub(1)?;
        Some(Permit::new(self.shared))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<C: ChannelCore> ExactSizeIterator for PermitIterator<'_, C> {}

impl<C: ChannelCore> core::iter::FusedIterator for PermitIterator<'_, C> {}

impl<C: ChannelCore> Drop for PermitIterator<'_, C> {
    fn drop(&mut self) {
        /// Releases what is left if a release panics (a waker woken for the
        /// room, user code), so the rooms after it are not lost; a second
        /// panic there aborts.
        struct Rest<'r, 'a, C: ChannelCore>(&'r mut PermitIterator<'a, C>);
        impl<C: ChannelCore> Drop for Rest<'_, '_, C> {
            fn drop(&mut self) {
                self.0.by_ref().for_each(drop);
            }
        }
        // One release per room: each may serve the next in line.
        let rest = Rest(self);
        rest.0.by_ref().for_each(drop);
    }
}

impl<C: ChannelCore> fmt::Debug for PermitIterator<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermitIterator")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

/// The future returned by `reserve`.
#[must_use = "futures do nothing unless polled"]
pub struct ReserveFuture<'a, C: ChannelCore> {
    shared: &'a Channel<C>,
    listener: Listener<C>,
    /// How many permits it asks for (at least one).
    count: usize,
}

impl<'a, C: ChannelCore> ReserveFuture<'a, C> {
    fn new(shared: &'a Channel<C>, count: usize) -> Self {
        Self {
            shared,
            listener: Default::default(),
            count,
        }
    }
}

impl<'a, C: Occupancy> ReserveFuture<'a, C> {
    /// Polls the reservation: `Ok` once its permits are counted.
    fn poll_granted(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<&'a Channel<C>, SendError<()>>> {
        // Safety: `listener` stays pinned, as in `SendFuture`.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let listener = unsafe { Pin::new_unchecked(&mut this.listener) };
        // Safety: with one producer, the future borrows the only sender
        // mutably, so no send or other reservation runs meanwhile.
        let polled = unsafe { this.shared.poll_reserve(listener, cx, this.count) };
        let shared = this.shared;
        polled.map(|granted| granted.map(|()| shared))
    }
}

impl<'a, C: Occupancy> Future for ReserveFuture<'a, C> {
    type Output = Result<Permit<'a, C>, SendError<()>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.poll_granted(cx)
            .map(|granted| granted.map(Permit::new))
    }
}

impl<C: ChannelCore> Drop for ReserveFuture<'_, C> {
    fn drop(&mut self) {
        // Safety: as in `SendFuture`'s drop.
        let listener = unsafe { Pin::new_unchecked(&mut self.listener) };
        self.shared.cancel_wait(listener);
    }
}

impl<C: ChannelCore> fmt::Debug for ReserveFuture<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReserveFuture")
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

/// The future returned by `reserve_many`.
#[must_use = "futures do nothing unless polled"]
pub struct ReserveManyFuture<'a, C: ChannelCore> {
    shared: &'a Channel<C>,
    /// How many permits it asks for.
    n: usize,
    /// The reservation, for a request that waits (`n` from one to the
    /// capacity); `None` for one answered at once.
    reservation: Option<ReserveFuture<'a, C>>,
}

impl<'a, C: Occupancy> ReserveManyFuture<'a, C> {
    fn new(shared: &'a Channel<C>, n: usize) -> Self {
        let waits = n > 0 && n <= shared.core().capacity();
        Self {
            shared,
            n,
            reservation: waits.then(|| ReserveFuture::new(shared, n)),
        }
    }
}

impl<'a, C: Occupancy> Future for ReserveManyFuture<'a, C> {
    type Output = Result<PermitIterator<'a, C>, SendError<()>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Safety: the reservation is never moved out of its field
        // (structural pinning), nor replaced.
        let this = unsafe { self.get_unchecked_mut() };
        let (shared, n) = (this.shared, this.n);
        match &mut this.reservation {
            None if n == 0 => Poll::Ready(Ok(PermitIterator::new(shared, 0))),
            // More than the capacity: never granted.
            None => Poll::Ready(Err(SendError(()))),
            Some(reservation) => {
                // Safety: pinned with `self` (see above).
                let reservation = unsafe { Pin::new_unchecked(reservation) };
                reservation
                    .poll_granted(cx)
                    .map(|granted| granted.map(|shared| PermitIterator::new(shared, n)))
            }
        }
    }
}

impl<C: ChannelCore> fmt::Debug for ReserveManyFuture<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReserveManyFuture")
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}
