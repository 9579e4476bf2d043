//! Where senders wait while the queue is full.
//!
//! * One producer: a second [`DiatomicWaker`], with the sender as its sink and
//!   the receiver as its source: the sender's registration is as cheap as the
//!   receiver's.
//! * Many producers: an [`event_listener::Event`], a FIFO queue of waiters with
//!   no spinlock (a short critical section under a mutex with `std`). The
//!   receiver wakes one *additional* waiter per item it takes, and every
//!   waiter when it finds the queue empty: a send future that was woken and
//!   then forgotten (`mem::forget`) may have swallowed the wakeup of the last
//!   item taken, and would otherwise leave the live senders waiting for space
//!   that is there.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use diatomic_waker::DiatomicWaker;
#[cfg(not(diatomic_waker_loom))]
use event_listener::{Event, EventListener};

#[cfg(diatomic_waker_loom)]
use crate::loom_event::{Event, EventListener};

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
pub struct ManySenders(Event);

impl fmt::Debug for ManySenders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManySenders").finish_non_exhaustive()
    }
}

impl SenderWaiters for ManySenders {
    type Listener = Option<EventListener>;

    fn new() -> Self {
        Self(Event::new())
    }

    unsafe fn poll_space(
        &self,
        listener: &mut Option<EventListener>,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        match listener {
            None => {
                // Listen first, then try again: an item taken after this point
                // notifies this listener (`listen` and `notify` fence).
                *listener = Some(self.0.listen());
                crate::sync::event_listener_fence();
                Poll::Ready(())
            }
            Some(l) => match Pin::new(l).poll(cx) {
                Poll::Ready(()) => {
                    *listener = None;
                    Poll::Ready(())
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }

    #[inline]
    fn notify_one(&self) {
        crate::sync::event_listener_fence();
        self.0.notify_additional(1);
    }

    fn notify_all(&self) {
        crate::sync::event_listener_fence();
        self.0.notify(usize::MAX);
    }

    fn on_receiver_idle(&self) {
        // The queue is empty, so every waiting sender can try. This is what
        // keeps a forgotten send future from deadlocking the others: it may
        // hold the wakeup of the last item taken, and nobody else would wake
        // the next waiter. (A no-op when no sender waits.)
        self.notify_all();
    }
}
