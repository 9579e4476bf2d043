//! Where receivers wait while the core is empty, one way per consumer mode.
//!
//! * One consumer: a [`DiatomicWaker`], with the receiver as its sink and
//!   the senders as its sources. A push notifies it, unless the core
//!   reports that the receiver is awake
//!   ([`ChannelCore::try_push_reporting`](crate::ChannelCore::try_push_reporting)).
//! * Many consumers: a [`ReceiverLine`]: each push wakes the oldest
//!   waiting receiver, if any (see its module).

use core::fmt;

use diatomic_waker::DiatomicWaker;

use crate::contract::Wake;
use crate::receiver_line::ReceiverLine;

/// What the channel asks of its waiting receivers, in either mode.
pub trait ReceiverWaiters: Send + Sync + fmt::Debug {
    /// No receiver waits.
    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self;

    /// No receiver waits.
    #[cfg(diatomic_waker_loom)]
    fn new() -> Self;

    /// A sender pushed an item; `wake` is the core's report.
    fn pushed(&self, wake: Wake);

    /// A receiver pushed an item (a blocked sender's value, moved into the
    /// room it freed): it runs, but another receiver may sleep.
    fn pushed_by_receiver(&self);

    /// Every receiver must look again: the last sender left.
    fn wake_all(&self);

    /// A receiver closed the channel: the others must learn of it.
    fn closed_by_receiver(&self);
}

impl ReceiverWaiters for DiatomicWaker {
    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self = DiatomicWaker::new();

    #[cfg(diatomic_waker_loom)]
    fn new() -> Self {
        DiatomicWaker::new()
    }

    #[inline]
    fn pushed(&self, wake: Wake) {
        if wake == Wake::Consumer {
            self.notify();
        }
    }

    #[inline]
    fn pushed_by_receiver(&self) {
        // The one receiver is running: it finds the item.
    }

    #[inline]
    fn wake_all(&self) {
        self.notify();
    }

    #[inline]
    fn closed_by_receiver(&self) {
        // The one receiver closed it, and knows.
    }
}

impl ReceiverWaiters for ReceiverLine {
    #[cfg(not(diatomic_waker_loom))]
    const NEW: Self = ReceiverLine::new();

    #[cfg(diatomic_waker_loom)]
    fn new() -> Self {
        ReceiverLine::new()
    }

    #[inline]
    fn pushed(&self, _: Wake) {
        // A core's report speaks of one consumer; with many, the line
        // itself knows whether anyone waits.
        self.notify_one();
    }

    #[inline]
    fn pushed_by_receiver(&self) {
        self.notify_one();
    }

    #[inline]
    fn wake_all(&self) {
        ReceiverLine::wake_all(self);
    }

    #[inline]
    fn closed_by_receiver(&self) {
        ReceiverLine::wake_all(self);
    }
}
