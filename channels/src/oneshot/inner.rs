//! The generic halves over a borrowed `Channel<Once<T>>`
//! ([`split`](super::split)) under the `once_*` names that the public halves
//! (`mod.rs`'s `oneshot_halves!`) call; the state machine of
//! [`channel`](super::channel) (`heap.rs`) has those names itself.

use core::task::{Context, Poll};

use crate::error::{RecvError, TryRecvError};
use crate::{Home, One};

use super::Once;

impl<T: Send, H: Home<Once<T>>> crate::Sender<Once<T>, One, H> {
    pub(super) fn once_send(self, value: T) -> Result<(), T> {
        // The one push of this core, so never `Full`: any error is
        // `Closed`. Dropping the sender with it notifies the receiver once
        // for both.
        self.try_send_and_drop(value).map_err(|e| e.into_inner())
    }

    pub(super) fn once_is_closed(&self) -> bool {
        self.is_closed()
    }

    pub(super) fn once_closed(&mut self) -> crate::ClosedFuture<'_, Once<T>> {
        self.closed()
    }
}

impl<T: Send, H: Home<Once<T>>> crate::Receiver<Once<T>, H> {
    pub(super) fn once_try_recv(&mut self) -> Result<T, TryRecvError> {
        self.try_recv()
    }

    pub(super) fn once_poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        self.poll_recv(cx)
    }

    pub(super) fn once_close(&mut self) {
        self.close();
    }

    pub(super) fn once_is_sent(&self) -> bool {
        self.is_full()
    }

    #[cfg(feature = "std")]
    pub(super) fn once_recv_until(
        &mut self,
        deadline: Option<std::time::Instant>,
    ) -> Result<T, crate::error::RecvTimeoutError> {
        match deadline {
            Some(deadline) => self.recv_deadline(deadline),
            None => self.recv_blocking().map_err(Into::into),
        }
    }
}
