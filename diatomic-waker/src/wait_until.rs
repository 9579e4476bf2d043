//! The future returned by `wait_until`.

use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::DiatomicWaker;

/// A future that resolves to the first `Some(T)` returned by a predicate.
///
/// The predicate is checked before registering the task's waker and once more
/// after, so that a notification sent between the two checks is never missed.
/// The waker is unregistered when the predicate succeeds right after
/// registration; a notification unregisters it otherwise.
///
/// `WaitUntil` is `Unpin` whatever the predicate, which it never pins.
///
/// Created by [`WakeSink::wait_until`](crate::WakeSink::wait_until),
/// [`WakeSinkRef::wait_until`](crate::WakeSinkRef::wait_until) or
/// [`DiatomicWaker::wait_until`].
#[must_use = "futures do nothing unless polled"]
pub struct WaitUntil<'a, P, T> {
    predicate: P,
    wake: &'a DiatomicWaker,
    _output: PhantomData<fn() -> T>,
}

impl<'a, P, T> WaitUntil<'a, P, T>
where
    P: FnMut() -> Option<T>,
{
    /// The caller guarantees that no other sink call runs while this future
    /// is alive (the contract of `DiatomicWaker::wait_until`).
    pub(crate) fn new(wake: &'a DiatomicWaker, predicate: P) -> Self {
        Self {
            predicate,
            wake,
            _output: PhantomData,
        }
    }
}

impl<P, T> Unpin for WaitUntil<'_, P, T> {}

impl<P, T> Future for WaitUntil<'_, P, T>
where
    P: FnMut() -> Option<T>,
{
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if let Some(value) = (this.predicate)() {
            // Usually the notification that caused this poll unregistered the
            // waker. If the poll was spurious, the registration stays: a later
            // notification wakes the task once for nothing, which is cheaper
            // than reading the state word's cache line on every ready poll.
            return Poll::Ready(value);
        }
        // Safety: the constructor's caller guarantees exclusive sink access for
        // the lifetime of this future.
        unsafe { this.wake.register(cx.waker()) };
        if let Some(value) = (this.predicate)() {
            // Safety: as above.
            unsafe { this.wake.unregister() };
            return Poll::Ready(value);
        }
        Poll::Pending
    }
}

impl<P, T> fmt::Debug for WaitUntil<'_, P, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitUntil")
            .field("wake", self.wake)
            .finish_non_exhaustive()
    }
}
