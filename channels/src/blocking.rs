//! Running a channel's future to completion on a synchronous thread: the
//! blocking calls (`send_blocking`, `recv_timeout`, ...).
//!
//! Each thread has one [`Parker`], made at its first blocking call and kept
//! in a thread-local with its waker, so that a blocking call allocates
//! nothing: the channel clones the waker (an `Arc`'s count) only when it
//! must keep it. The parker spins briefly before sleeping (see
//! [`Parker::wait`]).
//!
//! A blocking call made while the same thread is already inside one (from
//! a waker's `wake`, an item's `drop` or a user core's `try_push` that the
//! outer call ran) is refused with a panic: the inner call would sleep on
//! the parker the outer one waits on, and could never be woken by the work
//! the outer one was doing. A blocking call from inside an async task
//! cannot be detected this cheaply: it blocks the executor's thread (see
//! the crate docs).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::time::Instant;

use crate::parker::{waker, Parker};
use crate::sync::Arc;

/// The message of the panic on a nested blocking call.
const NESTED: &str = "a blocking channel call (`send_blocking`, `recv_blocking`, \
     `send_timeout`, ...) was made inside another one on the same thread \
     (from a waker, an item's `drop` or a channel core run by it): it could \
     never be woken";

/// A thread's parker, its waker, and whether a blocking call is running.
struct LocalParker {
    parker: Arc<Parker>,
    waker: Waker,
    busy: core::cell::Cell<bool>,
}

impl LocalParker {
    fn new() -> Self {
        let parker = Arc::new(Parker::for_current_thread());
        Self {
            waker: waker(parker.clone()),
            parker,
            busy: core::cell::Cell::new(false),
        }
    }

    /// Polls `future` until it is ready or `deadline` passes.
    fn run<F: Future + ?Sized>(
        &self,
        mut future: Pin<&mut F>,
        deadline: Option<Instant>,
    ) -> Option<F::Output> {
        assert!(!self.busy.replace(true), "{NESTED}");
        let _busy = NotBusyOnExit(&self.busy);
        let mut cx = Context::from_waker(&self.waker);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return Some(output);
            }
            if !self.parker.wait(deadline) {
                // Woken by nobody in time. One last look: whatever came
                // before the deadline counts.
                return match future.as_mut().poll(&mut cx) {
                    Poll::Ready(output) => Some(output),
                    Poll::Pending => None,
                };
            }
        }
    }
}

/// Clears the busy flag, also on unwinding out of a poll.
struct NotBusyOnExit<'a>(&'a core::cell::Cell<bool>);

impl Drop for NotBusyOnExit<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

#[cfg(not(diatomic_waker_loom))]
std::thread_local! {
    static LOCAL: LocalParker = LocalParker::new();
}

/// Polls `future` on this thread until it is ready, parking between polls.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let future = core::pin::pin!(future);
    block_on_until(future, None).expect("no deadline")
}

/// Polls `future` on this thread until it is ready (`Some`) or `deadline`
/// passes (`None`; the future is left as it is, for the caller to take
/// back what it holds).
pub(crate) fn block_on_until<F: Future + ?Sized>(
    future: Pin<&mut F>,
    deadline: Option<Instant>,
) -> Option<F::Output> {
    #[cfg(not(diatomic_waker_loom))]
    {
        let mut future = Some(future);
        let run = LOCAL.try_with(|local| local.run(future.take().expect("taken once"), deadline));
        match run {
            Ok(output) => output,
            // The thread's locals are being destroyed (a blocking call from
            // another local's `drop`): a parker for this call alone.
            Err(_) => LocalParker::new().run(future.take().expect("not taken"), deadline),
        }
    }
    // Loom's threads are not the OS's: a parker per call.
    #[cfg(diatomic_waker_loom)]
    {
        LocalParker::new().run(future, deadline)
    }
}
