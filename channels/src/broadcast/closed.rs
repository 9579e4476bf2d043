//! [`Closed`]: a sender's wait for the last receiver to go, as tokio's
//! `broadcast::Sender::closed`.

use super::ring::Shared;
use crate::receiver_line::RecvPlace;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The future of [`Sender::closed`](super::Sender::closed) and
/// [`BackpressureSender::closed`](super::BackpressureSender::closed):
/// completes once no receiver is left.
///
/// It waits in a line of its own, which only the last receiver's drop
/// wakes: sends and receives never look at it. Dropping it loses nothing.
#[must_use = "futures do nothing unless polled"]
pub struct Closed<'a, T> {
    shared: &'a Shared<T>,
    place: RecvPlace,
    queued: bool,
}

impl<'a, T> Closed<'a, T> {
    pub(super) fn new(shared: &'a Shared<T>) -> Self {
        Self {
            shared,
            place: RecvPlace::new(),
            queued: false,
        }
    }
}

impl<T> Future for Closed<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Safety: `place` stays pinned (only reached through
        // `Pin::new_unchecked`, here and in `drop`); the other fields are
        // not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let place = unsafe { Pin::new_unchecked(&this.place) };
        let shared = this.shared;
        // The count is read under the registry's lock, which the last
        // receiver's drop takes before it wakes this line.
        shared
            .closing
            .poll_until(place, &mut this.queued, false, cx, || {
                (shared.receiver_count() == 0).then_some(())
            })
    }
}

impl<T> Drop for Closed<'_, T> {
    fn drop(&mut self) {
        if self.queued {
            // Safety: pinned when it joined; its last use.
            let place = unsafe { Pin::new_unchecked(&self.place) };
            // Every waiter of this line is woken at once: nothing to pass on.
            let _ = self.shared.closing.leave(place);
        }
    }
}

impl<T> fmt::Debug for Closed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed")
            .field("waiting", &self.queued)
            .finish_non_exhaustive()
    }
}
