//! A sender's wait for the last receiver to go (`closed`), for the members
//! whose receivers are counted apart from a core: `broadcast` and
//! `watch::shared`. The wait keeps its place in a line of its own, which
//! only the last receiver's drop wakes ([`ReceiverLine::wake_all`]), so
//! sends and receives never look at it.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::receiver_line::{ReceiverLine, RecvPlace};

/// What a `closed` wait needs of its channel.
pub(crate) trait Closing {
    /// The line of waiting `closed` futures.
    fn closing(&self) -> &ReceiverLine;

    /// Whether no receiver is left. Read after the wait joins the line:
    /// the last receiver changes what this reads before it wakes the line.
    fn no_receiver_left(&self) -> bool;
}

/// A pending `closed`: completes once no receiver is left. Dropping it
/// leaves the line and loses nothing (every waiter is woken at once:
/// there is no wakeup to pass on).
pub(crate) struct ClosedWait<'a, C: Closing + ?Sized> {
    channel: &'a C,
    place: RecvPlace,
    queued: bool,
}

impl<'a, C: Closing + ?Sized> ClosedWait<'a, C> {
    pub(crate) fn new(channel: &'a C) -> Self {
        Self {
            channel,
            place: RecvPlace::new(),
            queued: false,
        }
    }
}

impl<C: Closing + ?Sized> Future for ClosedWait<'_, C> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Safety: `place` stays pinned (only reached through
        // `Pin::new_unchecked`, here and in `drop`); the other fields are
        // not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let place = unsafe { Pin::new_unchecked(&this.place) };
        let channel = this.channel;
        channel
            .closing()
            .poll_until(place, &mut this.queued, false, cx, || {
                channel.no_receiver_left().then_some(())
            })
    }
}

impl<C: Closing + ?Sized> Drop for ClosedWait<'_, C> {
    fn drop(&mut self) {
        if self.queued {
            // Safety: pinned when it joined; its last use.
            let place = unsafe { Pin::new_unchecked(&self.place) };
            let _ = self.channel.closing().leave(place);
        }
    }
}

impl<C: Closing + ?Sized> fmt::Debug for ClosedWait<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed")
            .field("waiting", &self.queued)
            .finish_non_exhaustive()
    }
}

/// The public `Closed` future of a member: a wrapper of [`ClosedWait`]
/// over the member's channel type, with its docs.
macro_rules! closed_future {
    ($(#[$doc:meta])* $channel:ident) => {
        $(#[$doc])*
        #[must_use = "futures do nothing unless polled"]
        pub struct Closed<'a, T>(crate::closed_wait::ClosedWait<'a, $channel<T>>);

        impl<'a, T> Closed<'a, T> {
            pub(super) fn new(channel: &'a $channel<T>) -> Self {
                Self(crate::closed_wait::ClosedWait::new(channel))
            }
        }

        impl<T> core::future::Future for Closed<'_, T> {
            type Output = ();

            fn poll(
                self: core::pin::Pin<&mut Self>,
                cx: &mut core::task::Context<'_>,
            ) -> core::task::Poll<()> {
                // Safety: the wait is the only field, pinned with the
                // wrapper and never moved out of it.
                unsafe { self.map_unchecked_mut(|closed| &mut closed.0) }.poll(cx)
            }
        }

        impl<T> core::fmt::Debug for Closed<'_, T> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use closed_future;
