//! One receive's wait in the line of a many-receiver channel: what a
//! `SharedRecvFuture`, a `recv_many` future and a receiver's `Stream` keep
//! between polls, and the poll itself (see [`ReceiverLine`] for the rules
//! it follows).

use core::fmt;
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::channel::Channel;
use crate::contract::{ChannelCore, Many};
use crate::error::RecvError;
use crate::receiver_line::{ReceiverLine, RecvPlace};

/// A receive's place in the line, written when it first waits, and what it
/// owes. Pinned once polled; its owner calls [`cancel`](Self::cancel) when
/// it goes away.
pub(crate) struct RecvWait {
    /// Written when the receive first waits: one that finds an item (the
    /// common case) pays for neither the place's initialization nor its
    /// drop (measured: 10 ns per message more with an initialized place and
    /// the whole poll inlined). It never needs a drop: a place out of the
    /// line holds no waker (`leave` takes it).
    place: MaybeUninit<RecvPlace>,
    /// `place` is initialized.
    placed: bool,
    /// The place joined the line and has not left it since (it may have
    /// been notified, and taken out, meanwhile).
    queued: bool,
    /// Notifications this receive was given and found nothing for, while
    /// the core was not certainly empty: once it has an item, it wakes as
    /// many receivers (see `ReceiverLine`).
    owed: usize,
}

impl RecvWait {
    /// Not waiting.
    pub(crate) const fn new() -> Self {
        Self {
            place: MaybeUninit::uninit(),
            placed: false,
            queued: false,
            owed: 0,
        }
    }

    /// Polls for an item of `channel`: one inlined look for a receive that
    /// does not wait; the line otherwise.
    #[inline]
    pub(crate) fn poll<C: ChannelCore<Receivers = Many>>(
        self: Pin<&mut Self>,
        channel: &Channel<C>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<C::Item, RecvError>> {
        // Safety: the place stays pinned (it is only reached through
        // `place()`); the other fields are not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let fresh = !this.queued && this.owed == 0;
        if fresh {
            // A receive that does not wait: one look, no place.
            // Safety: with many consumers, nothing to promise.
            if let Some(result) = unsafe { channel.take() } {
                return Poll::Ready(result);
            }
        }
        // Safety: pinned, as said.
        unsafe { this.poll_line(channel, fresh, cx) }
    }

    /// The receive goes away: out of the line; a notification it held and
    /// those it owes go on.
    pub(crate) fn cancel<C: ChannelCore<Receivers = Many>>(
        self: Pin<&mut Self>,
        channel: &Channel<C>,
    ) {
        // Safety: as in `poll`.
        let this = unsafe { self.get_unchecked_mut() };
        let line = channel.receiver_line();
        if this.queued {
            this.queued = false;
            let owed = core::mem::take(&mut this.owed);
            // Safety: pinned, as said.
            line.cancel(unsafe { this.place() }, owed);
        } else {
            this.finish(line, false);
        }
    }

    /// Done with an item or the close: the notifications this receive owes,
    /// and `extra` (one it was given during its last look), go on.
    fn finish(&mut self, line: &ReceiverLine, extra: bool) {
        let pass = core::mem::take(&mut self.owed) + usize::from(extra);
        if pass != 0 {
            line.pass_on(pass);
        }
    }

    /// The place, pinned (initialized on first use).
    ///
    /// # Safety
    ///
    /// `self` is pinned (the place is never moved out of it).
    unsafe fn place(&mut self) -> Pin<&RecvPlace> {
        if !self.placed {
            self.place.write(RecvPlace::new());
            self.placed = true;
        }
        // Safety: initialized above; pinned with `self` (the caller's
        // contract).
        unsafe { Pin::new_unchecked(self.place.assume_init_ref()) }
    }

    /// Everything but the first look of a receive that does not wait: it
    /// may leave the line (woken), looks (unless it just did: `looked`),
    /// joins the line, looks again.
    ///
    /// # Safety
    ///
    /// `self` is pinned.
    #[inline(never)]
    unsafe fn poll_line<C: ChannelCore<Receivers = Many>>(
        &mut self,
        channel: &Channel<C>,
        looked: bool,
        cx: &mut Context<'_>,
    ) -> Poll<Result<C::Item, RecvError>> {
        let line = channel.receiver_line();
        let mut notified = false;
        if self.queued {
            // Woken, or polled again: out of the line first.
            self.queued = false;
            // Safety: the caller's contract.
            notified = line.leave(unsafe { self.place() });
        }
        if !looked {
            // Safety: with many consumers, nothing to promise (and below).
            if let Some(result) = unsafe { channel.take() } {
                // A notification in hand is used by this item.
                self.finish(line, false);
                return Poll::Ready(result);
            }
        }
        if notified && !channel.core().certainly_empty() {
            // The item may be hidden behind a push still being written:
            // owed, to whoever comes after it.
            self.owed += 1;
        }
        let front = self.owed != 0;
        // Safety: the caller's contract.
        line.join(unsafe { self.place() }, cx.waker(), front);
        self.queued = true;
        // The last look, after joining (see `ReceiverLine::join`).
        // Safety: as above.
        if let Some(result) = unsafe { channel.take() } {
            self.queued = false;
            // Notified during this look, for an item this look may not
            // have taken: the next in line looks for it.
            // Safety: the caller's contract.
            let extra = line.leave(unsafe { self.place() });
            self.finish(line, extra);
            return Poll::Ready(result);
        }
        Poll::Pending
    }
}

impl fmt::Debug for RecvWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvWait")
            .field("waiting", &self.queued)
            .field("owed", &self.owed)
            .finish_non_exhaustive()
    }
}
