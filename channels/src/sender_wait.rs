//! Where senders wait while the queue is full, one way per producer mode.
//!
//! * One producer: a second [`DiatomicWaker`], with the sender as its sink and
//!   the receiver as its source. The receiver notifies it after each item it
//!   takes; the sender, woken, tries again. A forgotten send future releases
//!   its `&mut` borrow of the one sender, whose next send registers afresh.
//! * Many producers: a [`HandoffQueue`]. A blocked sender parks its value;
//!   the receiver, after each item it takes, assigns the room it just freed
//!   to the oldest parked sender and wakes it; that sender pushes its own
//!   value when polled. One wakeup per blocked message, no retry, FIFO among
//!   blocked senders, and a `send` future dropped before it completed has
//!   not sent (the room it was assigned passes to the next in line).

use core::fmt;
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::task::{Context, Poll};

use diatomic_waker::DiatomicWaker;

use crate::error::{SendError, SendTimeoutError, TrySendError};
use crate::handoff_queue::{
    Cancelled, HandOver, HandoffQueue, Line, Outcome, RoomCheck, Waiter, Withdrawn,
};
use crate::through_panics::repeat_through_panics;

/// What the waiters need of the channel.
pub trait ChannelOps<T> {
    /// Sends `item` if there is room and the channel is open, notifying the
    /// receiver.
    ///
    /// # Safety
    ///
    /// With one producer, not called concurrently with itself.
    unsafe fn try_send(&self, item: T) -> Result<(), TrySendError<T>>;
    /// Pushes into the core, nothing else.
    ///
    /// # Safety
    ///
    /// Only with many producers (no promise about concurrent pushes).
    unsafe fn push(&self, item: T) -> Result<(), T>;
    /// Pushes a value that holds a room of its own (an assigned room, a
    /// permit): past the line, unless the channel is closed; notifies the
    /// receiver.
    ///
    /// # Safety
    ///
    /// As for `push`.
    unsafe fn push_own(&self, item: T) -> Result<(), TrySendError<T>>;
    /// Tells the receiver an item arrived.
    fn notify_receiver(&self);
    /// A receiver pushed an item (into the room it freed): tells the other
    /// receivers, if there can be others.
    fn notify_other_receivers(&self);
    /// Whether every sender is gone, for good.
    fn senders_gone(&self) -> bool;
    /// Whether the receiver closed the channel or left.
    fn is_closed(&self) -> bool;
    /// Tells the channel what its line holds, so that it marks itself for
    /// the senders that do not wait (they then go behind the line), as its
    /// [`SendOrder`](crate::SendOrder) says. Called under the waiters' lock.
    fn mark_line(&self, line: Line);
    /// Whether the core certainly has no room now
    /// ([`ChannelCore::certainly_full`](crate::ChannelCore::certainly_full)).
    fn certainly_full(&self) -> bool;
}

/// The waiting side of blocked senders, for items of type `T`.
pub trait SenderWaiters<T>: fmt::Debug {
    /// What one `send` (or `closed`) future keeps between polls, pinned
    /// with it.
    type Listener: Default;

    /// The waiters' shared state, empty (for `const` channels).
    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self;

    /// The waiters' shared state, empty.
    #[cfg(diatomic_waker_loom)]
    fn new() -> Self;

    /// Polls a send on `channel`. `item` holds the value unless it is
    /// parked with the waiters. `blocking`: a thread's blocking send, whose
    /// parked value may be moved into the core for it (see
    /// `handoff_queue`).
    ///
    /// # Safety
    ///
    /// With one producer, not called concurrently with itself.
    unsafe fn poll_send(
        &self,
        item: &mut Option<T>,
        listener: Pin<&mut Self::Listener>,
        cx: &mut Context<'_>,
        blocking: bool,
        channel: &impl ChannelOps<T>,
    ) -> Poll<Result<(), SendError<T>>>;

    /// The send or `closed` future goes away: its value, if it is still
    /// waiting, is dropped (not sent), and a room assigned to it passes on.
    fn cancel(&self, listener: Pin<&mut Self::Listener>, channel: &impl ChannelOps<T>);

    /// A pending send stops waiting (a blocking send's time ran out) and
    /// keeps its future: `Ok` if a room was assigned to it meanwhile and its
    /// value went in now, else the value back (`Timeout`, or `Closed` if the
    /// channel closed while it waited). The listener is idle afterwards.
    fn withdraw(
        &self,
        item: &mut Option<T>,
        listener: Pin<&mut Self::Listener>,
        channel: &impl ChannelOps<T>,
    ) -> Result<(), SendTimeoutError<T>>;

    /// Counts `count` permits if nobody waits first and `room(permits)`
    /// says the core has room for them beyond the `permits` outstanding.
    fn try_reserve(&self, room: impl Fn(usize) -> bool, count: usize) -> bool;

    /// Polls a `reserve` future: `Ready(true)` once its permits (as many
    /// as `check` asks for, which `room` checks too) are counted,
    /// `Ready(false)` if the channel is closed.
    ///
    /// # Safety
    ///
    /// With one producer, not called concurrently with itself or
    /// `poll_send`; `check` as `RoomCheck::new` requires.
    unsafe fn poll_reserve(
        &self,
        listener: Pin<&mut Self::Listener>,
        cx: &mut Context<'_>,
        room: impl Fn(usize) -> bool,
        check: RoomCheck,
        channel: &impl ChannelOps<T>,
    ) -> Poll<bool>;

    /// A permit goes away: unused (`freed`: its room is free), or after its
    /// value went in.
    fn release(&self, freed: bool, channel: &impl ChannelOps<T>);

    /// A permit's value found the core full.
    fn overflow(&self, item: T, channel: &impl ChannelOps<T>);

    /// A forced send's value found the core full again after it took the
    /// oldest item out (another sender took that room): it waits in line
    /// as a permit's value does, and goes in at the next item taken.
    fn overflow_forced(&self, item: T, channel: &impl ChannelOps<T>);

    /// Polls a `closed` future: ready once the channel is closed (which
    /// `is_closed` reads), with `cx` registered meanwhile.
    ///
    /// # Safety
    ///
    /// With one producer, not called concurrently with itself or
    /// `poll_send`.
    unsafe fn poll_closed(
        &self,
        listener: Pin<&mut Self::Listener>,
        cx: &mut Context<'_>,
        is_closed: impl Fn() -> bool,
    ) -> Poll<()>;

    /// The receiver took an item from `channel`: one space is free.
    fn space_freed(&self, channel: &impl ChannelOps<T>);

    /// The channel closed: every waiting sender fails with its value.
    fn close(&self);

    /// Whether anything waits in line (a parked value, a reservation, a
    /// permit's value).
    fn has_waiting(&self) -> bool;
}

/// Blocked-sender waiting with one producer.
#[derive(Debug)]
pub struct OneSender(DiatomicWaker);

impl<T> SenderWaiters<T> for OneSender {
    /// Whether the waker was registered since the last failed attempt.
    type Listener = bool;

    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self = Self(DiatomicWaker::new());

    #[cfg(diatomic_waker_loom)]
    fn new() -> Self {
        Self(DiatomicWaker::new())
    }

    unsafe fn poll_send(
        &self,
        item: &mut Option<T>,
        registered: Pin<&mut bool>,
        cx: &mut Context<'_>,
        _: bool,
        channel: &impl ChannelOps<T>,
    ) -> Poll<Result<(), SendError<T>>> {
        let registered = registered.get_mut();
        loop {
            let value = item
                .take()
                .expect("a send future was polled after it completed");
            // Safety: the caller's contract.
            match unsafe { channel.try_send(value) } {
                Ok(()) => return Poll::Ready(Ok(())),
                Err(TrySendError::Closed(value)) => return Poll::Ready(Err(SendError(value))),
                Err(TrySendError::Full(value)) => *item = Some(value),
            }
            if *registered {
                // Registered, tried again, still full: wait for the
                // receiver's notification.
                *registered = false;
                return Poll::Pending;
            }
            // Register first, then try again: an item taken after this
            // point notifies this waker.
            // Safety: one producer, so this sink is never registered
            // concurrently (the caller's contract).
            unsafe { self.0.register(cx.waker()) };
            *registered = true;
        }
    }

    fn cancel(&self, _: Pin<&mut bool>, _: &impl ChannelOps<T>) {
        // A stale registration of the one sender's waker costs one spurious
        // wake at most.
    }

    fn withdraw(
        &self,
        item: &mut Option<T>,
        _: Pin<&mut bool>,
        _: &impl ChannelOps<T>,
    ) -> Result<(), SendTimeoutError<T>> {
        // The one sender's value never leaves its future until it is sent.
        let value = item.take().expect("withdrew a send that had completed");
        Err(SendTimeoutError::Timeout(value))
    }

    fn try_reserve(&self, room: impl Fn(usize) -> bool, _: usize) -> bool {
        // The permits borrow the one sender: nobody else pushes, so room
        // seen stays room; nothing to count.
        room(0)
    }

    unsafe fn poll_reserve(
        &self,
        _: Pin<&mut bool>,
        cx: &mut Context<'_>,
        room: impl Fn(usize) -> bool,
        _: RoomCheck,
        channel: &impl ChannelOps<T>,
    ) -> Poll<bool> {
        if channel.is_closed() {
            return Poll::Ready(false);
        }
        if room(0) {
            return Poll::Ready(true);
        }
        // Register, then look again: each item taken notifies this waker.
        // Safety: one producer, so this sink is never registered
        // concurrently (the caller's contract).
        unsafe { self.0.register(cx.waker()) };
        if channel.is_closed() {
            return Poll::Ready(false);
        }
        if room(0) {
            return Poll::Ready(true);
        }
        Poll::Pending
    }

    fn release(&self, _: bool, _: &impl ChannelOps<T>) {}

    fn overflow(&self, item: T, _: &impl ChannelOps<T>) {
        drop(item);
        panic!("the channel core reported room (`Occupancy`) but refused a permit's push");
    }

    fn overflow_forced(&self, item: T, _: &impl ChannelOps<T>) {
        drop(item);
        unreachable!("`force_send` needs many producers");
    }

    unsafe fn poll_closed(
        &self,
        _: Pin<&mut bool>,
        cx: &mut Context<'_>,
        is_closed: impl Fn() -> bool,
    ) -> Poll<()> {
        if is_closed() {
            return Poll::Ready(());
        }
        // Register, then look again: `close` sets the flag, then notifies.
        // Safety: one producer, so this sink is never registered
        // concurrently (the caller's contract).
        unsafe { self.0.register(cx.waker()) };
        if is_closed() {
            return Poll::Ready(());
        }
        Poll::Pending
    }

    #[inline]
    fn space_freed(&self, channel: &impl ChannelOps<T>) {
        // The one sender may be waiting for room, unless it is gone (a
        // `oneshot` after its send): then the RMW is saved.
        if !channel.senders_gone() {
            self.0.notify();
        }
    }

    fn close(&self) {
        self.0.notify();
    }

    fn has_waiting(&self) -> bool {
        // A blocked send of the one producer keeps its value in its future.
        false
    }
}

/// Blocked-sender waiting with many producers.
pub struct ManySenders<T>(HandoffQueue<T>);

/// What a `send` or `closed` future of a many-producer channel keeps: its
/// place in the queue, and whether the place is in use (a parked value, or
/// a `closed` registration), so that a future that never waited never
/// takes the lock.
///
/// The place is written only when the future first waits: a `send` that
/// finds room (the common case) pays for one flag, neither the place's
/// initialization nor its drop (measured: 29 instructions per message more
/// when every future carried an initialized place).
pub struct ManyListener<T> {
    /// Initialized from the first wait on; idle (nothing to drop) whenever
    /// `in_queue` is false.
    waiter: MaybeUninit<Waiter<T>>,
    in_queue: bool,
}

impl<T> Default for ManyListener<T> {
    #[inline]
    fn default() -> Self {
        Self {
            waiter: MaybeUninit::uninit(),
            in_queue: false,
        }
    }
}

impl<T> ManyListener<T> {
    /// A fresh, idle place (written now), pinned, and the flag; for a future
    /// whose place is not in the queue.
    fn fresh_place(self: Pin<&mut Self>) -> (Pin<&Waiter<T>>, &mut bool) {
        // Safety: `waiter` is never moved out of the pinned listener: it is
        // only written in place, here, while not in the queue (so nothing
        // refers to it), and otherwise reached pinned; `in_queue` is not
        // pinned.
        unsafe {
            let this = self.get_unchecked_mut();
            debug_assert!(!this.in_queue);
            let waiter: &Waiter<T> = this.waiter.write(Waiter::new());
            (Pin::new_unchecked(waiter), &mut this.in_queue)
        }
    }

    /// The place, pinned, and the flag; for a future whose place is in the
    /// queue (`in_queue`), so initialized.
    fn place(self: Pin<&mut Self>) -> (Pin<&Waiter<T>>, &mut bool) {
        // Safety: as in `fresh_place`; `in_queue` means the place was
        // written by `fresh_place` before it entered the queue.
        unsafe {
            let this = self.get_unchecked_mut();
            debug_assert!(this.in_queue);
            (
                Pin::new_unchecked(this.waiter.assume_init_ref()),
                &mut this.in_queue,
            )
        }
    }

    fn in_queue(&self) -> bool {
        self.in_queue
    }
}

impl<T> fmt::Debug for ManyListener<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManyListener")
            .field("in_queue", &self.in_queue)
            .finish_non_exhaustive()
    }
}

impl<T> SenderWaiters<T> for ManySenders<T> {
    type Listener = ManyListener<T>;

    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self = Self(HandoffQueue::new());

    #[cfg(diatomic_waker_loom)]
    fn new() -> Self {
        Self(HandoffQueue::new())
    }

    unsafe fn poll_send(
        &self,
        item: &mut Option<T>,
        mut listener: Pin<&mut ManyListener<T>>,
        cx: &mut Context<'_>,
        blocking: bool,
        channel: &impl ChannelOps<T>,
    ) -> Poll<Result<(), SendError<T>>> {
        let mark = |line| channel.mark_line(line);
        if !listener.in_queue() {
            let value = item
                .take()
                .expect("a send future was polled after it completed");
            // Safety: many producers, no promise to keep.
            let value = match unsafe { channel.try_send(value) } {
                Ok(()) => return Poll::Ready(Ok(())),
                Err(TrySendError::Closed(value)) => return Poll::Ready(Err(SendError(value))),
                Err(TrySendError::Full(value)) => value,
            };
            let (waiter, in_queue) = listener.as_mut().fresh_place();
            if let Err(value) = self
                .0
                .park(waiter, value, cx.waker(), false, blocking, mark)
            {
                return Poll::Ready(Err(SendError(value)));
            }
            *in_queue = true;
            return self.look_for_room(waiter, in_queue, channel);
        }
        let (waiter, in_queue) = listener.place();
        let value = match self.0.poll(waiter, cx.waker()) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Outcome::Rejected(value)) => {
                *in_queue = false;
                return Poll::Ready(Err(SendError(value)));
            }
            Poll::Ready(Outcome::Assigned(value)) => value,
            Poll::Ready(Outcome::Sent) => {
                // A blocking send's value, moved in for it.
                *in_queue = false;
                return Poll::Ready(Ok(()));
            }
            Poll::Ready(Outcome::Lost) => {
                *in_queue = false;
                panic!("the channel core panicked while taking this send's value")
            }
        };
        // A room was assigned to this value: it goes in now, by its own
        // sender's hand (so a future dropped before this poll never sent).
        *in_queue = false;
        // Safety: many producers, no promise to keep.
        match unsafe { channel.push_own(value) } {
            Ok(()) => Poll::Ready(Ok(())),
            Err(TrySendError::Closed(value)) => Poll::Ready(Err(SendError(value))),
            Err(TrySendError::Full(value)) => {
                // A sender that had not seen the line took the room: first
                // in line again, for the next room.
                if let Err(value) = self.0.park(waiter, value, cx.waker(), true, blocking, mark) {
                    return Poll::Ready(Err(SendError(value)));
                }
                *in_queue = true;
                self.look_for_room(waiter, in_queue, channel)
            }
        }
    }

    #[inline]
    fn cancel(&self, listener: Pin<&mut ManyListener<T>>, channel: &impl ChannelOps<T>) {
        if listener.in_queue() {
            let (waiter, in_queue) = listener.place();
            *in_queue = false;
            match self.0.cancel(waiter, |line| channel.mark_line(line)) {
                Cancelled::Nothing => {}
                // Granted, never taken: the permits go back.
                Cancelled::GrantedPermits(count) => {
                    repeat_through_panics(count, || self.release(true, channel));
                }
                // Rooms too few for it may serve those behind it.
                Cancelled::WaitingReservation(count) => {
                    for _ in 1..count {
                        if !self.pass_room(channel) {
                            break;
                        }
                    }
                }
                // Assigned, never pushed: the room goes to the next in line.
                Cancelled::AssignedRoom => {
                    self.pass_room(channel);
                }
            }
        }
    }

    fn withdraw(
        &self,
        item: &mut Option<T>,
        listener: Pin<&mut ManyListener<T>>,
        channel: &impl ChannelOps<T>,
    ) -> Result<(), SendTimeoutError<T>> {
        if !listener.in_queue() {
            let value = item.take().expect("withdrew a send that had completed");
            return Err(SendTimeoutError::Timeout(value));
        }
        let (waiter, in_queue) = listener.place();
        *in_queue = false;
        match self.0.withdraw(waiter, |line| channel.mark_line(line)) {
            Withdrawn::NotSent(value) => Err(SendTimeoutError::Timeout(value)),
            // Its room came in time: use it.
            // Safety: many producers, no promise to keep.
            Withdrawn::Assigned(value) => match unsafe { channel.push_own(value) } {
                Ok(()) => Ok(()),
                Err(TrySendError::Closed(value)) => Err(SendTimeoutError::Closed(value)),
                // Taken by a sender that had not seen the line: no room
                // left to pass on.
                Err(TrySendError::Full(value)) => Err(SendTimeoutError::Timeout(value)),
            },
            Withdrawn::Rejected(value) => Err(SendTimeoutError::Closed(value)),
            Withdrawn::Sent => Ok(()),
            Withdrawn::Lost => panic!("the channel core panicked while taking this send's value"),
        }
    }

    fn try_reserve(&self, room: impl Fn(usize) -> bool, count: usize) -> bool {
        self.0.try_reserve(room, count)
    }

    unsafe fn poll_reserve(
        &self,
        mut listener: Pin<&mut ManyListener<T>>,
        cx: &mut Context<'_>,
        room: impl Fn(usize) -> bool,
        check: RoomCheck,
        channel: &impl ChannelOps<T>,
    ) -> Poll<bool> {
        if !listener.in_queue() {
            if channel.is_closed() {
                return Poll::Ready(false);
            }
            if self.0.try_reserve(&room, check.count()) {
                return Poll::Ready(true);
            }
            let (waiter, in_queue) = listener.as_mut().fresh_place();
            if !self
                .0
                .enqueue_reservation(waiter, cx.waker(), check, |line| channel.mark_line(line))
            {
                return Poll::Ready(false);
            }
            *in_queue = true;
            // Room freed before the reservation was visible goes to the
            // first in line now, as for a parked value.
            let push = core_push(channel);
            match self
                .0
                .hand_over(Some(waiter), false, push, |line| channel.mark_line(line))
            {
                HandOver::Nothing | HandOver::Woken => return Poll::Pending,
                HandOver::Pushed => {
                    channel.notify_receiver();
                    return Poll::Pending;
                }
                HandOver::Own => {}
            }
        }
        let (waiter, in_queue) = listener.place();
        let granted = match self.0.poll_reservation(waiter, cx.waker()) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(granted) => granted,
        };
        *in_queue = false;
        Poll::Ready(granted)
    }

    fn release(&self, freed: bool, channel: &impl ChannelOps<T>) {
        let push = core_push(channel);
        if self.0.release(freed, push, |line| channel.mark_line(line)) == HandOver::Pushed {
            channel.notify_receiver();
        }
    }

    fn overflow(&self, item: T, channel: &impl ChannelOps<T>) {
        #[cfg(any(feature = "alloc", diatomic_waker_loom))]
        self.0.park_orphan(item, |line| channel.mark_line(line));
        #[cfg(not(any(feature = "alloc", diatomic_waker_loom)))]
        {
            let _ = channel;
            drop(item);
            unreachable!("many-producer permits need `alloc`");
        }
    }

    fn overflow_forced(&self, item: T, channel: &impl ChannelOps<T>) {
        #[cfg(any(feature = "alloc", diatomic_waker_loom))]
        {
            self.0.park_orphan(item, |line| channel.mark_line(line));
            let push = core_push(channel);
            if self.0.look_again(push, |line| channel.mark_line(line)) == HandOver::Pushed {
                channel.notify_receiver();
            }
        }
        #[cfg(not(any(feature = "alloc", diatomic_waker_loom)))]
        {
            let _ = channel;
            drop(item);
            unreachable!("`force_send` needs `alloc`");
        }
    }

    unsafe fn poll_closed(
        &self,
        listener: Pin<&mut ManyListener<T>>,
        cx: &mut Context<'_>,
        _: impl Fn() -> bool,
    ) -> Poll<()> {
        let (waiter, in_queue) = if listener.in_queue() {
            listener.place()
        } else {
            listener.fresh_place()
        };
        // The queue learns of the close under its lock, which orders it.
        let polled = self.0.poll_closed(waiter, cx.waker());
        *in_queue = polled.is_pending();
        polled
    }

    #[inline]
    fn space_freed(&self, channel: &impl ChannelOps<T>) {
        // The receiver is running: a value it pushes need not wake it (but
        // may wake another receiver).
        if self
            .0
            .space_freed(core_push(channel), |line| channel.mark_line(line))
            == HandOver::Pushed
        {
            channel.notify_other_receivers();
        }
    }

    fn close(&self) {
        self.0.close();
    }

    fn has_waiting(&self) -> bool {
        self.0.has_waiting()
    }
}

/// The core's push, for the values the queue moves in (orphans, blocking
/// sends') and a sender's own.
fn core_push<T>(channel: &impl ChannelOps<T>) -> impl FnOnce(T) -> Result<(), T> + '_ {
    |value| {
        // Safety: only the many-producer waiters call this: no promise to
        // keep about concurrent pushes.
        unsafe { channel.push(value) }
    }
}

impl<T> ManySenders<T> {
    /// A send that has just parked looks, once, for a room freed before
    /// it was visible in line (which nobody would assign to it): under the
    /// lock, unless the core is certainly full. The fence at the end of
    /// `park` pairs with the one after each pop (`space_freed`): either
    /// that pop sees this send in line and assigns it a room, or the core
    /// read here shows the room.
    ///
    /// Two functions on purpose: the cheap check is inlined into the
    /// caller and the locked part stays out of line. Merged into one
    /// function, a blocked send costs 1.1% more instructions at capacity 1
    /// and 1.3% more at capacity 10 (callgrind, `blocked_path` example).
    #[inline]
    fn look_for_room(
        &self,
        waiter: Pin<&Waiter<T>>,
        in_queue: &mut bool,
        channel: &impl ChannelOps<T>,
    ) -> Poll<Result<(), SendError<T>>> {
        if channel.certainly_full() {
            return Poll::Pending;
        }
        self.try_own(waiter, in_queue, channel)
    }

    /// After parking `waiter`, under the lock: takes room freed before the
    /// parking was visible, if this value is first in line (a room that
    /// was freed for someone ahead is theirs).
    fn try_own(
        &self,
        waiter: Pin<&Waiter<T>>,
        in_queue: &mut bool,
        channel: &impl ChannelOps<T>,
    ) -> Poll<Result<(), SendError<T>>> {
        let push = core_push(channel);
        match self
            .0
            .hand_over(Some(waiter), false, push, |line| channel.mark_line(line))
        {
            HandOver::Nothing | HandOver::Woken => Poll::Pending,
            HandOver::Pushed => {
                channel.notify_receiver();
                Poll::Pending
            }
            HandOver::Own => {
                *in_queue = false;
                channel.notify_receiver();
                Poll::Ready(Ok(()))
            }
        }
    }

    /// A room assigned to a future that went away goes to the next in line
    /// (or stays free in the core if nobody waits): `false` if nobody took
    /// it.
    fn pass_room(&self, channel: &impl ChannelOps<T>) -> bool {
        let push = core_push(channel);
        match self.0.release_room(push, |line| channel.mark_line(line)) {
            HandOver::Pushed => {
                channel.notify_receiver();
                true
            }
            HandOver::Nothing => false,
            HandOver::Woken | HandOver::Own => true,
        }
    }
}

impl<T> fmt::Debug for ManySenders<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
