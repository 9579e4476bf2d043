//! Where senders wait while the queue is full.
//!
//! * One producer: a second [`DiatomicWaker`], with the sender as its sink and
//!   the receiver as its source: the sender's registration is as cheap as the
//!   receiver's.
//! * Many producers: a [`WaiterQueue`], FIFO, with no spinlock. The receiver
//!   wakes one waiter per item it takes, and every waiter when it finds the
//!   queue empty: a send future that was woken and then forgotten
//!   (`mem::forget`) may have swallowed the wakeup of the last item taken,
//!   and would otherwise leave the live senders waiting for space that is
//!   there.

use core::fmt;
use core::task::{Context, Poll};

use diatomic_waker::DiatomicWaker;

use crate::waiter_queue::{WaiterKey, WaiterQueue};

/// The waiting side of blocked senders, one implementation per producer mode.
pub trait SenderWaiters: Send + Sync + fmt::Debug {
    /// What one blocked `send` keeps between polls.
    type Listener: Default + Unpin + Send;

    /// Creates the waiters' shared state.
    fn new() -> Self;

    /// Called after a failed push. `Ready` asks the sender to try again (it
    /// has just registered its interest, or it was woken); `Pending` means
    /// its waker will be woken once an item is taken or the channel closes.
    ///
    /// # Safety
    ///
    /// With one producer, not called concurrently with itself.
    unsafe fn poll_space(&self, listener: &mut Self::Listener, cx: &mut Context<'_>) -> Poll<()>;

    /// The send future goes away while it may be registered.
    fn cancel(&self, listener: &mut Self::Listener);

    /// An item was taken: wake one waiting sender.
    fn notify_one(&self);

    /// The channel closed: wake every waiting sender.
    fn notify_all(&self);

    /// The receiver found the queue empty and is about to wait.
    fn on_receiver_idle(&self);
}

/// Blocked-sender waiting with one producer.
#[derive(Debug)]
pub struct OneSender(DiatomicWaker);

impl SenderWaiters for OneSender {
    /// Whether the waker was registered since the last failed attempt.
    type Listener = bool;

    fn new() -> Self {
        Self(DiatomicWaker::new())
    }

    unsafe fn poll_space(&self, registered: &mut bool, cx: &mut Context<'_>) -> Poll<()> {
        if *registered {
            // Registered, tried again, still full: wait for the notification.
            *registered = false;
            return Poll::Pending;
        }
        // Safety: one producer, so this sink is never registered concurrently
        // (the caller's contract).
        unsafe { self.0.register(cx.waker()) };
        *registered = true;
        Poll::Ready(())
    }

    fn cancel(&self, _: &mut bool) {
        // A stale registration of the one sender's waker costs one spurious
        // wake at most.
    }

    #[inline]
    fn notify_one(&self) {
        self.0.notify();
    }

    fn notify_all(&self) {
        self.0.notify();
    }

    fn on_receiver_idle(&self) {
        // A forgotten send future releases its `&mut` borrow of the one
        // sender, which registers afresh on its next send: nothing to do.
    }
}

/// Blocked-sender waiting with many producers.
#[derive(Debug)]
pub struct ManySenders(WaiterQueue);

impl SenderWaiters for ManySenders {
    type Listener = Option<WaiterKey>;

    fn new() -> Self {
        Self(WaiterQueue::new())
    }

    unsafe fn poll_space(
        &self,
        listener: &mut Option<WaiterKey>,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        match *listener {
            None => {
                // Register first, then try again: an item taken after this
                // point wakes this waiter.
                *listener = Some(self.0.register(cx.waker()));
                Poll::Ready(())
            }
            Some(key) if self.0.is_waiting(key, cx.waker()) => Poll::Pending,
            Some(_) => {
                // Woken: try again.
                *listener = None;
                Poll::Ready(())
            }
        }
    }

    fn cancel(&self, listener: &mut Option<WaiterKey>) {
        if let Some(key) = listener.take() {
            self.0.cancel(key);
        }
    }

    #[inline]
    fn notify_one(&self) {
        self.0.notify(1);
    }

    fn notify_all(&self) {
        self.0.notify(usize::MAX);
    }

    fn on_receiver_idle(&self) {
        // The queue is empty, so every waiting sender can try (a fence and a
        // load when none waits).
        self.0.notify(usize::MAX);
    }
}
