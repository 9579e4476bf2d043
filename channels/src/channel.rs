//! The state a channel's two halves share: the core, the receiver's waker
//! (with many receivers: their line, and their count), the blocked senders,
//! and one word for splitting, closing and sender counting. With many
//! receivers, "the receiver" below is the last of them: the one whose drop
//! brings their count to zero.
//!
//! # State word
//!
//! | bits  | meaning                                            |
//! |-------|----------------------------------------------------|
//! | 0     | `CLOSED`: the receiver closed the channel or left |
//! | 1     | `SPLIT`: the halves were handed out                |
//! | 2     | `LINE`: senders wait in line for room (senders that do not wait go behind them); with `SendOrder::Overtaking`, only while a permit's value waits |
//! | 3     | `GONE`: the receiver left, and drained the core    |
//! | 4..   | the number of live senders                         |
//!
//! | event                | RMW                               | then                                  |
//! |----------------------|-----------------------------------|---------------------------------------|
//! | `split`              | CAS from 0 (never split) to `SPLIT` + one sender | a second `split` fails |
//! | sender cloned        | `fetch_add(SENDER)`               |                                       |
//! | weak sender upgraded | CAS adding `SENDER`, only while the count is above zero | `None` at zero: no sender is made from zero |
//! | sender dropped       | `fetch_sub(SENDER)`               | if it was the last: notify the receiver, or drop the items if `GONE` |
//! | receiver `close`     | `fetch_or(CLOSED)`                | blocked senders get their values back |
//! | receiver dropped     | `fetch_or(CLOSED)`, drain, and if borrowed `fetch_or(GONE)` | as `close`, then drop the items; again if no sender was left |
//!
//! A sender that loaded the state before the close may push after the
//! receiver's drain. In an `Arc`, the channel's drop takes care of that
//! item, when the last sender goes; a borrowed channel may be a `static`,
//! never dropped. So there, whoever leaves last drops it: the last sender,
//! if the receiver is `GONE` when it leaves; the receiver, if no sender is
//! left when it sets `GONE`. (No sender is made once the count is zero.)
//! When no sender is left as the receiver starts to leave, none can push:
//! one drain, no RMW, in both homes.
//!
//! The receiver reports "closed" only after seeing `CLOSED` or no sender
//! (Acquire, after the senders' Release) *and* finding the core empty once
//! more, so that an item pushed before the last sender left is never missed.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::contract::{
    ChannelCore, Consumer, ConsumerCount, ConsumerMode, Many, Occupancy, One, Producer,
    ProducerCount, ProducerMode, Wake,
};
use crate::error::{RecvError, SendError, TrySendError};
use crate::handoff_queue::{Line, RoomCheck};
use crate::receiver_line::ReceiverLine;
use crate::receiver_wait::ReceiverWaiters;
use crate::send_order::SendOrder;
use crate::sender_wait::{ChannelOps, SenderWaiters};
use crate::sync::{AtomicUsize, Ordering};
use crate::through_panics::then_through_panics;
use crate::upgrade::add_if_alive;

const CLOSED: usize = 1;
const SPLIT: usize = 2;
const LINE: usize = 4;
const GONE: usize = 8;
const SENDER: usize = 16;

/// Whether `state` says no push is awaited any more: closed, or every
/// sender gone (what a receive reads, after a last look at the core, as
/// the end).
#[inline]
fn no_more_pushes(state: usize) -> bool {
    state & CLOSED != 0 || state < SENDER
}

type Waiters<C> =
    <<C as ProducerCount>::Producers as ProducerMode>::Waiters<<C as ChannelCore>::Item>;
type RecvWaiters<C> = <<C as ConsumerCount>::Receivers as ConsumerMode>::Waiters;
/// What one send, `closed` or `reserve` future keeps between polls.
pub(crate) type Listener<C> = <Waiters<C> as SenderWaiters<<C as ChannelCore>::Item>>::Listener;

/// A channel's shared state, which its two halves hold on to.
///
/// Made by [`channel`](crate::channel) (and each core's `into_channel`) in an
/// `Arc`, or by [`Channel::new`] wherever you put it, a `static` included:
/// [`split`](Self::split) then hands out halves that borrow it, once.
///
/// # Examples
///
/// ```
/// use diatomic_channels::slot::Slot;
/// use diatomic_channels::Channel;
///
/// static CHANNEL: Channel<Slot<u32>> = Channel::new(Slot::new());
///
/// let (tx, mut rx) = CHANNEL.split().unwrap();
/// assert!(CHANNEL.split().is_none(), "the halves are handed out once");
/// tx.try_send(7).unwrap();
/// assert_eq!(rx.try_recv(), Ok(7));
/// ```
pub struct Channel<C: ChannelCore> {
    core: C,
    state: AtomicUsize,
    order: SendOrder,
    receiver_wake: RecvWaiters<C>,
    sender_waiters: Waiters<C>,
}

impl<C: ChannelCore> Channel<C> {
    /// A channel over `core`, not split yet; `const`, so that it can
    /// initialize a `static`.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new(core: C) -> Self {
        Self::with_state(core, 0, SendOrder::Fifo)
    }

    /// A channel over `core`, not split yet.
    #[cfg(diatomic_waker_loom)]
    pub fn new(core: C) -> Self {
        Self::with_state(core, 0, SendOrder::Fifo)
    }

    /// A channel over `core` that serves its senders in `order` when full
    /// (see [`SendOrder`]), not split yet; `const`, for a `static`.
    ///
    /// ```
    /// use diatomic_channels::mpsc::InlineRing;
    /// use diatomic_channels::{Channel, SendOrder};
    ///
    /// static JOBS: Channel<InlineRing<u32, 8>> =
    ///     Channel::with_order(InlineRing::new(), SendOrder::Overtaking);
    ///
    /// let (tx, mut rx) = JOBS.split().unwrap();
    /// tx.try_send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn with_order(core: C, order: SendOrder) -> Self {
        Self::with_state(core, 0, order)
    }

    /// A channel over `core` that serves its senders in `order`, not split
    /// yet.
    #[cfg(diatomic_waker_loom)]
    pub fn with_order(core: C, order: SendOrder) -> Self {
        Self::with_state(core, 0, order)
    }

    /// A channel over `core`, split already: one sender, one receiver, for
    /// the halves the caller makes.
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    pub(crate) fn new_split(core: C, order: SendOrder) -> Self {
        Self::with_state(core, SPLIT | SENDER, order)
    }

    /// The order in which this channel serves its senders when full.
    pub fn send_order(&self) -> SendOrder {
        self.order
    }

    #[cfg(not(diatomic_waker_loom))]
    const fn with_state(core: C, state: usize, order: SendOrder) -> Self {
        Self {
            core,
            state: AtomicUsize::new(state),
            order,
            receiver_wake: <RecvWaiters<C> as ReceiverWaiters>::NEW,
            sender_waiters: <Waiters<C> as SenderWaiters<C::Item>>::NEW,
        }
    }

    #[cfg(diatomic_waker_loom)]
    fn with_state(core: C, state: usize, order: SendOrder) -> Self {
        Self {
            core,
            state: AtomicUsize::new(state),
            order,
            receiver_wake: RecvWaiters::<C>::new(),
            sender_waiters: Waiters::<C>::new(),
        }
    }

    /// Claims the right to hand out the halves of a channel made by `new`:
    /// true once, for the first caller (see `split`).
    pub(crate) fn claim_split(&self) -> bool {
        // Ordering: Relaxed; the flag decides who splits, and publishes
        // nothing: the halves start from the state `new` wrote.
        self.state
            .compare_exchange(0, SPLIT | SENDER, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }

    // ---- sender side ----

    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        // Ordering: Relaxed; a snapshot, nothing is read on its strength.
        self.state.load(Ordering::Relaxed) & CLOSED != 0
    }

    /// # Safety
    ///
    /// With one producer, not called concurrently with itself (nor with
    /// `poll_send`).
    #[inline]
    pub(crate) unsafe fn try_send(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        let item = self.admit(item)?;
        // Safety: the same contract.
        unsafe { self.push_and_notify(item) }
    }

    /// `try_send` without notifying the receiver: the caller does, or drops
    /// the last sender (which does).
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    #[inline]
    pub(crate) unsafe fn try_push(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        let item = self.admit(item)?;
        // Safety: the same contract.
        unsafe { self.push_core(item) }.map(drop)
    }

    /// Hands `item` back for a push by a sender that does not wait, unless
    /// the channel is closed or senders wait in line (it goes behind them).
    #[inline]
    fn admit(&self, item: C::Item) -> Result<C::Item, TrySendError<C::Item>> {
        // Ordering: Relaxed; a snapshot: a sender that misses a close only
        // pushes an item the receiver drains or drops, and one that misses
        // the line's mark only takes a room the line's first sender then
        // waits for again. A producer sees the mark of its own waiting
        // value (a permit's) in program order.
        let state = self.state.load(Ordering::Relaxed);
        if state & (CLOSED | LINE) != 0 {
            return Err(Self::refused_by_state(state, item));
        }
        Ok(item)
    }

    /// Why a state with `CLOSED` or `LINE` refuses a sender that does not
    /// wait.
    #[cold]
    fn refused_by_state(state: usize, item: C::Item) -> TrySendError<C::Item> {
        if state & CLOSED != 0 {
            TrySendError::Closed(item)
        } else {
            // Senders wait in line for room: go behind them.
            TrySendError::Full(item)
        }
    }

    /// The core's push, its refusal read as `Closed` or `Full`, and whether
    /// the receiver must be woken (always, unless the core reports it).
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    #[inline]
    unsafe fn push_core(&self, item: C::Item) -> Result<Wake, TrySendError<C::Item>> {
        match self.core.try_push_reporting(item, Producer::new()) {
            Ok(wake) => Ok(wake),
            Err(item) if self.is_closed() => Err(TrySendError::Closed(item)),
            Err(item) => Err(TrySendError::Full(item)),
        }
    }

    /// The core's push, then the receiver's notification if the push asks
    /// for it.
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    #[inline]
    unsafe fn push_and_notify(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        // Safety: the same contract.
        let wake = unsafe { self.push_core(item) }?;
        self.receiver_wake.pushed(wake);
        Ok(())
    }

    /// Polls a send whose value waits in `item` (or, once parked, with the
    /// blocked senders).
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    #[inline]
    pub(crate) unsafe fn poll_send(
        &self,
        item: &mut Option<C::Item>,
        listener: Pin<&mut Listener<C>>,
        cx: &mut Context<'_>,
        blocking: bool,
    ) -> Poll<Result<(), SendError<C::Item>>> {
        // Safety: the caller's contract, passed on.
        unsafe {
            self.sender_waiters
                .poll_send(item, listener, cx, blocking, self)
        }
    }

    /// A pending send stops waiting but keeps its future (see
    /// `SenderWaiters::withdraw`).
    #[cfg(feature = "std")]
    pub(crate) fn withdraw_send(
        &self,
        item: &mut Option<C::Item>,
        listener: Pin<&mut Listener<C>>,
    ) -> Result<(), crate::error::SendTimeoutError<C::Item>> {
        self.sender_waiters.withdraw(item, listener, self)
    }

    /// A send or `closed` future goes away, possibly registered as a waiter.
    pub(crate) fn cancel_wait(&self, listener: Pin<&mut Listener<C>>) {
        self.sender_waiters.cancel(listener, self);
    }

    // ---- reservations (cores with `Occupancy`) ----

    /// Whether the core has room for `count` more beyond `permits`
    /// outstanding.
    fn room(&self, permits: usize, count: usize) -> bool
    where
        C: Occupancy,
    {
        self.core
            .len()
            .saturating_add(permits)
            .saturating_add(count)
            <= self.core.capacity()
    }

    /// Counts `count` permits (at least one, at most the capacity) if there
    /// is room for them and nobody waits first.
    pub(crate) fn try_reserve(&self, count: usize) -> Result<(), TrySendError<()>>
    where
        C: Occupancy,
    {
        if self.is_closed() {
            return Err(TrySendError::Closed(()));
        }
        if self
            .sender_waiters
            .try_reserve(|permits| self.room(permits, count), count)
        {
            Ok(())
        } else {
            Err(TrySendError::Full(()))
        }
    }

    /// Polls a `reserve` future asking for `count` permits (at least one,
    /// at most the capacity).
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    pub(crate) unsafe fn poll_reserve(
        &self,
        listener: Pin<&mut Listener<C>>,
        cx: &mut Context<'_>,
        count: usize,
    ) -> Poll<Result<(), SendError<()>>>
    where
        C: Occupancy,
    {
        /// The room check of a reservation waiting in line.
        ///
        /// # Safety
        ///
        /// `channel` is a live `Channel<C>`.
        unsafe fn room_of<C: Occupancy>(channel: *const (), permits: usize, count: usize) -> bool {
            // Safety: the caller's contract.
            unsafe { &*channel.cast::<Channel<C>>() }.room(permits, count)
        }
        // Safety: the channel outlives its waiters (they borrow it).
        let check = unsafe { RoomCheck::new(room_of::<C>, (self as *const Self).cast(), count) };
        let room = |permits| self.room(permits, count);
        // Safety: the caller's contract, passed on.
        let polled = unsafe {
            self.sender_waiters
                .poll_reserve(listener, cx, room, check, self)
        };
        polled.map(|granted| if granted { Ok(()) } else { Err(SendError(())) })
    }

    /// A permit's value: into the core (past the line: the permit holds a
    /// room of its own), or in line if a sender that does not wait took
    /// the permit's room; dropped if the channel is closed. Then the permit
    /// is released.
    pub(crate) fn permit_send(&self, item: C::Item) {
        // Safety: the permit stands for this push (with one producer it
        // borrows the one sender mutably).
        match unsafe { self.push_own(item) } {
            Ok(()) => {}
            Err(TrySendError::Closed(item)) => drop(item),
            Err(TrySendError::Full(item)) => self.sender_waiters.overflow(item, self),
        }
        self.sender_waiters.release(false, self);
    }

    /// A send that never waits (`force_send`): into the core past the line;
    /// with the core full, after taking its oldest item out as another
    /// receiver would (returned). If another sender takes that room first,
    /// the value waits in line as a permit's does (a place allocated for
    /// it) and goes in at the next item taken: the send is done either way.
    ///
    /// # Safety
    ///
    /// Many producers (the caller's sender is `Many`): nothing to keep.
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    pub(crate) unsafe fn force_send(
        &self,
        item: C::Item,
    ) -> Result<Option<C::Item>, SendError<C::Item>>
    where
        C::Receivers: crate::contract::ForceSend,
    {
        // Safety: the caller's contract.
        let item = match unsafe { self.push_own(item) } {
            Ok(()) => return Ok(None),
            Err(TrySendError::Closed(item)) => return Err(SendError(item)),
            Err(TrySendError::Full(item)) => item,
        };
        // `None` when the oldest is still being written (its producer won
        // the position and has not finished): nothing is taken then, and the
        // value waits in line below.
        // The receivers' mode is `Many` (`ForceSend` is sealed and `One`
        // lacks it): the token promises nothing, and the core's pop allows
        // any number of callers at once.
        let oldest = self.core.try_pop(Consumer::new());
        // A close from here on: the value is in (drained by the receivers,
        // or dropped with the channel) or in line (dropped by the close).
        // Safety: the caller's contract.
        match unsafe { self.push_and_notify(item) } {
            Ok(()) => {}
            Err(TrySendError::Full(item) | TrySendError::Closed(item)) => {
                self.sender_waiters.overflow_forced(item, self);
            }
        }
        Ok(oldest)
    }

    /// A permit dropped unused: its room is free.
    pub(crate) fn permit_release(&self) {
        self.sender_waiters.release(true, self);
    }

    /// Pushes a value that holds a room of its own (a permit's, an assigned
    /// one): past the line, unless the channel is closed; notifies the
    /// receiver.
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    #[inline]
    unsafe fn push_own(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        // Ordering: Relaxed, as in `admit`.
        if self.state.load(Ordering::Relaxed) & CLOSED != 0 {
            return Err(TrySendError::Closed(item));
        }
        // Safety: the same contract.
        unsafe { self.push_and_notify(item) }
    }

    /// Polls a `closed` future.
    ///
    /// # Safety
    ///
    /// As for `try_send`.
    pub(crate) unsafe fn poll_closed(
        &self,
        listener: Pin<&mut Listener<C>>,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        // Ordering: Acquire, pairs with the primitive's notification after
        // `close` set the flag (one producer: the sender's waker).
        let is_closed = || self.state.load(Ordering::Acquire) & CLOSED != 0;
        // Safety: the caller's contract, passed on.
        unsafe { self.sender_waiters.poll_closed(listener, cx, is_closed) }
    }

    /// The core, for the capabilities a caller may read (`len`).
    #[inline]
    pub(crate) fn core(&self) -> &C {
        &self.core
    }

    pub(crate) fn add_sender(&self) {
        // Ordering: Relaxed; a new sender is made from an existing one, which
        // keeps the count above zero meanwhile (as for `Arc::clone`).
        let prev = self.state.fetch_add(SENDER, Ordering::Relaxed);
        if prev > usize::MAX / 2 {
            // More senders than memory could hold: a `mem::forget` loop.
            panic!("too many senders");
        }
    }

    /// Counts one more sender if one is alive, for `WeakSender::upgrade`;
    /// false once the count is zero (no sender is ever made from zero: the
    /// receiver has seen the channel closed, or will).
    pub(crate) fn try_add_sender(&self) -> bool {
        add_if_alive(&self.state, SENDER, "senders")
    }

    pub(crate) fn drop_sender(&self) {
        // Ordering: Release, so that every push of this sender happens before
        // the receiver's Acquire load that sees the count drop to zero.
        let prev = self.state.fetch_sub(SENDER, Ordering::Release);
        if prev / SENDER == 1 {
            if prev & GONE != 0 {
                // Ordering: Acquire, pairs with the receiver's Release
                // `fetch_or(GONE)`: its drain happens before this one.
                crate::sync::fence(Ordering::Acquire);
                // The receiver is gone and this was the last sender: the
                // only party left, so the consumer now.
                DrainOnUnwind(self, false).finish();
            } else {
                self.receiver_wake.wake_all();
            }
        }
    }

    // ---- receiver side ----

    /// Takes an item, or reports that the channel is closed and drained, or
    /// `None` if the receiver must wait.
    ///
    /// # Safety
    ///
    /// With one consumer, called by the one receiver only (never
    /// concurrently).
    #[inline]
    pub(crate) unsafe fn take(&self) -> Option<Result<C::Item, RecvError>> {
        // Safety: the caller's contract (and below).
        if let Some(item) = unsafe { self.pop() } {
            return Some(Ok(item));
        }
        // Ordering: Acquire, pairs with the Release of the last sender's drop:
        // every item pushed before it is visible to the second `pop`.
        let state = self.state.load(Ordering::Acquire);
        if no_more_pushes(state) {
            // Safety: as above.
            return Some(unsafe { self.pop() }.ok_or(RecvError));
        }
        None
    }

    /// # Safety
    ///
    /// As for `take`.
    #[inline]
    unsafe fn pop(&self) -> Option<C::Item> {
        let item = self.core.try_pop(Consumer::new())?;
        self.sender_waiters.space_freed(self);
        Some(item)
    }

    /// Closes the channel: senders fail from now on; queued items stay.
    pub(crate) fn close(&self) {
        // The one receiver knows; many receivers' line is woken.
        self.close_telling(|| self.receiver_wake.closed_by_receiver());
    }

    /// Closes the channel from a sender's side (async-channel's
    /// `Sender::close`): sends fail from now on, blocked ones woken with
    /// their value back, and every receiver, waiting ones included, is told
    /// once it has drained what is queued. True if this call closed it.
    pub(crate) fn close_by_sender(&self) -> bool {
        self.close_telling(|| self.receiver_wake.wake_all())
    }

    /// Sets `CLOSED`; if this call set it, wakes the blocked senders, then
    /// runs `tell_receivers` even if a sender's waker panics. True if this
    /// call closed the channel.
    fn close_telling(&self, tell_receivers: impl FnOnce()) -> bool {
        // Ordering: Release, pairs with the receivers' Acquire load of the
        // state in `take`: a closing sender's pushes are visible to the pop
        // a receiver makes after it sees the flag. (Blocked senders learn
        // of it through the waiters' notification, which orders it.)
        let prev = self.state.fetch_or(CLOSED, Ordering::Release);
        if prev & CLOSED != 0 {
            return false;
        }
        then_through_panics(|| self.sender_waiters.close(), tell_receivers);
        true
    }

    /// # Safety
    ///
    /// Called by the one receiver only, when it goes away.
    ///
    /// With `last_out_drains`, an item a sender pushes after the drain is
    /// dropped by whoever leaves last (see the module notes); without it,
    /// the channel's own drop does that.
    pub(crate) unsafe fn close_and_drain(&self, last_out_drains: bool) {
        // Ordering: Acquire, pairs with the last sender's Release: its pushes
        // are visible to the drain below.
        let senders_left = self.state.load(Ordering::Acquire) >= SENDER;
        if !senders_left && !self.sender_waiters.has_waiting() {
            // No sender is left, none can come back (senders are only made
            // from live ones), and nothing waits: nobody to tell, nobody to
            // push after the drain; three RMWs saved.
            DrainOnUnwind(self, false).finish();
            return;
        }
        // Someone may still send, or wait, or a permit's value waits in
        // line: close, which tells them and drops that value.
        self.close();
        DrainOnUnwind(self, last_out_drains).finish();
    }

    /// The receiver's last step: marks it `GONE`, and drops what was
    /// pushed after its drain if every sender left meanwhile.
    fn receiver_gone(&self) {
        // Ordering: Release, so that the receiver's drain happens before
        // the last sender's (see `drop_sender`); Acquire, pairs with the
        // senders' Release `fetch_sub`: their pushes are visible to the
        // drain below.
        let prev = self.state.fetch_or(GONE, Ordering::AcqRel);
        if prev < SENDER {
            // Every sender left meanwhile, seeing no `GONE`: a push of
            // theirs after the first drain is this receiver's to drop.
            DrainOnUnwind(self, false).finish();
        }
    }

    pub(crate) fn sender_count(&self) -> usize {
        // Ordering: Relaxed; a snapshot (`Debug`, `Sender::sender_count`).
        self.state.load(Ordering::Relaxed) / SENDER
    }
}

/// The receiving side with one receiver, which the caller borrows mutably.
impl<C: ChannelCore<Receivers = One>> Channel<C> {
    /// # Safety
    ///
    /// Called by the one receiver only (never concurrently).
    #[inline]
    pub(crate) unsafe fn try_recv(&self) -> Option<Result<C::Item, RecvError>> {
        // Safety: the same contract.
        unsafe { self.take() }
    }

    /// # Safety
    ///
    /// Called by the one receiver only (never concurrently).
    #[inline]
    pub(crate) unsafe fn poll_recv(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<C::Item, RecvError>> {
        // Safety: the caller's contract (and below).
        if let Some(result) = unsafe { self.take() } {
            return Poll::Ready(result);
        }
        // Safety: the receiver is the only sink of `receiver_wake`.
        unsafe { self.receiver_wake.register(cx.waker()) };
        // A core that reports sleep learns of it now, before the last look.
        self.core.prepare_sleep(Consumer::new());
        // Safety: as above.
        if let Some(result) = unsafe { self.take() } {
            // Safety: as above.
            unsafe { self.receiver_wake.unregister() };
            return Poll::Ready(result);
        }
        Poll::Pending
    }

    /// The receiver stops waiting: senders need not wake it any more (a
    /// blocking receive that got its item; an async one leaves its waker,
    /// which the next wait refreshes for free).
    ///
    /// # Safety
    ///
    /// Called by the one receiver only (never concurrently).
    #[cfg(feature = "std")]
    pub(crate) unsafe fn stop_waiting(&self) {
        // Safety: the receiver is the only sink of `receiver_wake`.
        unsafe { self.receiver_wake.unregister() };
    }
}

impl<C: Occupancy> Channel<C> {
    /// Whether a receive can only report the end from now on: every
    /// sender is gone (or the channel was closed) and nothing is left.
    /// For `FusedStream::is_terminated`. (An item a sender pushes while
    /// the receiver closes the channel may still come after a close;
    /// `true` then only says that nothing more is awaited.)
    pub(crate) fn is_finished(&self) -> bool {
        // Ordering: Acquire, pairs with the Release of the last sender's
        // drop: every item it pushed before is visible to the look at the
        // core below (read second for that reason).
        let state = self.state.load(Ordering::Acquire);
        no_more_pushes(state) && self.core.is_empty()
    }
}

/// The receiving side with many receivers.
impl<C: ChannelCore<Receivers = Many>> Channel<C> {
    /// The waiting receivers, and their count.
    #[inline]
    pub(crate) fn receiver_line(&self) -> &ReceiverLine {
        &self.receiver_wake
    }
}

/// Drops every item of a channel whose receiver is leaving or gone. Its
/// maker is the only consumer: the departing receiver, or the last sender
/// after the receiver left.
///
/// An item whose `Drop` panics must not leave the others undropped (a
/// `static` channel is never dropped, and an `Arc`'s senders may live on):
/// the guard goes on draining while the panic unwinds, as `Vec` drops its
/// other elements. A second panic there aborts.
///
/// The second field: the departing receiver's drain, to be followed by
/// [`Channel::receiver_gone`], on unwinding too.
struct DrainOnUnwind<'a, C: ChannelCore>(&'a Channel<C>, bool);

impl<C: ChannelCore> DrainOnUnwind<'_, C> {
    /// Drains the core (then marks the receiver gone, if it is leaving);
    /// if an item's drop panics, the guard's own drop finishes the job as
    /// the panic unwinds.
    fn finish(self) {
        self.drain();
        let (channel, leaving) = (self.0, self.1);
        core::mem::forget(self);
        if leaving {
            channel.receiver_gone();
        }
    }

    fn drain(&self) {
        // The maker is the only consumer (see the type's docs).
        while let Some(item) = self.0.core.try_pop(Consumer::new()) {
            drop(item);
        }
    }
}

impl<C: ChannelCore> Drop for DrainOnUnwind<'_, C> {
    fn drop(&mut self) {
        self.drain();
        if self.1 {
            self.0.receiver_gone();
        }
    }
}

impl<C: ChannelCore> ChannelOps<C::Item> for Channel<C> {
    #[inline]
    unsafe fn try_send(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        // Safety: the same contract.
        unsafe { Channel::try_send(self, item) }
    }

    #[inline]
    unsafe fn push(&self, item: C::Item) -> Result<(), C::Item> {
        // The caller promises many producers, so the token promises nothing.
        // The waiters notify the receiver after such a push themselves,
        // unless the receiver made it (see `SenderWaiters::space_freed`).
        self.core.try_push(item, Producer::new())
    }

    #[inline]
    fn notify_receiver(&self) {
        self.receiver_wake.pushed(Wake::Consumer);
    }

    #[inline]
    fn notify_other_receivers(&self) {
        self.receiver_wake.pushed_by_receiver();
    }

    #[inline]
    unsafe fn push_own(&self, item: C::Item) -> Result<(), TrySendError<C::Item>> {
        // Safety: the same contract.
        unsafe { Channel::push_own(self, item) }
    }

    #[inline]
    fn mark_line(&self, line: Line) {
        let present = match self.order {
            // Told of every change of the line; one while orphans come and
            // go with others waiting repeats the bit as it is (rare, and
            // harmless).
            SendOrder::Fifo => line.waiting,
            // Only a permit's value holds its producer's later sends back.
            // Told of every change of the line too, so skip the RMW when
            // the bit stays: `LINE` is only written here, under the
            // waiters' lock, so this load sees its last value.
            // Ordering: Relaxed, for that reason.
            SendOrder::Overtaking => {
                if (self.state.load(Ordering::Relaxed) & LINE != 0) == line.orphans {
                    return;
                }
                line.orphans
            }
        };
        // Ordering: Relaxed; set and cleared under the waiters' lock, and a
        // producer reads its own waiting value's mark in program order. A
        // sender that misses it only takes a room assigned to the first in
        // line, who then waits for the next one (see `try_push`).
        if present {
            self.state.fetch_or(LINE, Ordering::Relaxed);
        } else {
            self.state.fetch_and(!LINE, Ordering::Relaxed);
        }
    }

    #[inline]
    fn certainly_full(&self) -> bool {
        self.core.certainly_full()
    }

    #[inline]
    fn is_closed(&self) -> bool {
        // Ordering: Acquire, pairs with the primitive's notification after
        // `close` set the flag (a single producer waiting for room).
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    #[inline]
    fn senders_gone(&self) -> bool {
        // Ordering: Relaxed; zero is final (senders are only made from live
        // ones), and a stale non-zero costs a useless notification.
        self.state.load(Ordering::Relaxed) < SENDER
    }
}

impl<C: ChannelCore> fmt::Debug for Channel<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("closed", &self.is_closed())
            .field("senders", &self.sender_count())
            .field("order", &self.order)
            .finish_non_exhaustive()
    }
}
