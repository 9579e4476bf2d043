//! The diagnostic mode of the suite (`--counts`): how many times the
//! workloads' tasks were polled and woken, so that a gap in throughput is
//! explained by counted work before it is timed.
//!
//! The workloads spawn their tasks with [`spawn`]. With counting off (the
//! default) that is `tokio::spawn`, nothing added. With it on, each task is
//! wrapped: every poll is counted, and the task's waker is wrapped in one
//! that counts its wakes (one wrapper per task, reused while the runtime
//! hands the same waker, so that a channel's "same waker" check still
//! holds). The wrappers cost an allocation per task and a few atomics per
//! poll: throughput measured in this mode is not comparable with a normal
//! run, only the counts are.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use tokio::task::JoinHandle;

/// Whether tasks spawned from now on are counted.
static ON: AtomicBool = AtomicBool::new(false);
/// Polls of counted tasks.
static POLLS: AtomicU64 = AtomicU64::new(0);
/// Wakes (by value or by reference) of counted tasks' wakers.
static WAKES: AtomicU64 = AtomicU64::new(0);

// Ordering: Relaxed everywhere in this file: plain counters and a switch,
// read after the tasks they count were joined (which orders them).

/// Turns counting on or off for the tasks spawned from now on.
pub fn set_enabled(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// Whether counting is on.
pub fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Polls and wakes counted since the last call (which resets them).
pub fn take() -> (u64, u64) {
    (
        POLLS.swap(0, Ordering::Relaxed),
        WAKES.swap(0, Ordering::Relaxed),
    )
}

/// `tokio::spawn`, counting the task's polls and wakes when counting is on.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if enabled() {
        tokio::spawn(Counted::new(future))
    } else {
        tokio::spawn(future)
    }
}

/// [`spawn`] on a given runtime, from outside it.
pub fn spawn_on<F>(rt: &tokio::runtime::Runtime, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if enabled() {
        rt.spawn(Counted::new(future))
    } else {
        rt.spawn(future)
    }
}

/// A task whose polls and wakes are counted.
struct Counted<F> {
    future: Pin<Box<F>>,
    /// The runtime's waker last seen, and the counting wrapper around it.
    waker: Option<(Waker, Waker)>,
}

impl<F> Counted<F> {
    fn new(future: F) -> Self {
        Self {
            future: Box::pin(future),
            waker: None,
        }
    }
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        POLLS.fetch_add(1, Ordering::Relaxed);
        // `Counted` is `Unpin`: the future is boxed.
        let this = self.get_mut();
        let fresh = match &this.waker {
            Some((inner, _)) => !inner.will_wake(cx.waker()),
            None => true,
        };
        if fresh {
            let wrapper = Waker::from(Arc::new(CountingWaker(cx.waker().clone())));
            this.waker = Some((cx.waker().clone(), wrapper));
        }
        let (_, wrapper) = this.waker.as_ref().expect("set above");
        this.future.as_mut().poll(&mut Context::from_waker(wrapper))
    }
}

/// A waker that counts its wakes, then wakes the task.
struct CountingWaker(Waker);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        WAKES.fetch_add(1, Ordering::Relaxed);
        self.0.wake_by_ref();
    }
}
