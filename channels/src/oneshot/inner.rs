//! Which halves a oneshot runs on: [`channel`](super::channel)'s state
//! machine in an allocation of its own (`heap.rs`), or the family's generic
//! halves over a borrowed `Channel<Once<T>>` ([`split`](super::split)).
//!
//! An enum, rather than a trait on the home with the inner halves as
//! associated types: a public half whose field is such a projection made an
//! `async` block holding a borrowed half fail to prove itself `Send` (the
//! compiler's "not general enough" over the borrow's lifetime). The match
//! costs a predictable branch.

use core::task::{Context, Poll};

use crate::error::{RecvError, TryRecvError};
use crate::{Home, One};

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use super::heap::{HeapReceiver, HeapSender};
use super::Once;

pub(super) enum SenderInner<T: Send, H: Home<Once<T>>> {
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    Heap(HeapSender<T>),
    Generic(crate::Sender<Once<T>, One, H>),
}

impl<T: Send, H: Home<Once<T>>> SenderInner<T, H> {
    pub(super) fn send(self, value: T) -> Result<(), T> {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(sender) => sender.send(value),
            // The one push of this core, so never `Full`: any error is
            // `Closed`. Dropping the sender with it notifies the receiver
            // once for both.
            Self::Generic(sender) => sender.try_send_and_drop(value).map_err(|e| e.into_inner()),
        }
    }

    pub(super) fn is_closed(&self) -> bool {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(sender) => sender.is_closed(),
            Self::Generic(sender) => sender.is_closed(),
        }
    }

    pub(super) async fn closed(&mut self) {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(sender) => core::future::poll_fn(|cx| sender.poll_closed(cx)).await,
            Self::Generic(sender) => sender.closed().await,
        }
    }
}

pub(super) enum ReceiverInner<T: Send, H: Home<Once<T>>> {
    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    Heap(HeapReceiver<T>),
    Generic(crate::Receiver<Once<T>, H>),
}

impl<T: Send, H: Home<Once<T>>> ReceiverInner<T, H> {
    pub(super) fn try_recv(&mut self) -> Result<T, TryRecvError> {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(receiver) => receiver.try_recv(),
            Self::Generic(receiver) => receiver.try_recv(),
        }
    }

    #[inline]
    pub(super) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(receiver) => receiver.poll_recv(cx),
            Self::Generic(receiver) => receiver.poll_recv(cx),
        }
    }

    pub(super) fn close(&mut self) {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(receiver) => receiver.close(),
            Self::Generic(receiver) => receiver.close(),
        }
    }

    /// Whether a value was sent and not taken yet.
    pub(super) fn is_sent(&self) -> bool {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(receiver) => receiver.is_sent(),
            Self::Generic(receiver) => receiver.is_full(),
        }
    }

    /// Waits on this thread for the value, the end, or `deadline`.
    #[cfg(feature = "std")]
    pub(super) fn recv_until(
        &mut self,
        deadline: Option<std::time::Instant>,
    ) -> Result<T, crate::error::RecvTimeoutError> {
        match self {
            #[cfg(any(feature = "alloc", diatomic_waker_loom))]
            Self::Heap(receiver) => receiver.recv_until(deadline),
            Self::Generic(receiver) => match deadline {
                Some(deadline) => receiver.recv_deadline(deadline),
                None => receiver.recv_blocking().map_err(Into::into),
            },
        }
    }
}
