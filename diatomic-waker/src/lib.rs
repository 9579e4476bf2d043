//! A lock-free, spinlock-free primitive for async task wakeup.
//!
//! One *sink* registers the waker of the task that waits; any number of
//! *sources* notify it. It turns a non-blocking data structure into an
//! asynchronous one: the consumer awaits a predicate on the structure
//! ([`WakeSink::wait_until`]), producers call [`WakeSource::notify`] after
//! making progress. It is a single-consumer eventcount.
//!
//! Compared with `atomic-waker`'s `AtomicWaker`:
//! * a notification nobody waits for costs one atomic read-modify-write (RMW);
//! * the last waker is cached across notifications and `unregister`, so a task
//!   that registers the same waker again clones nothing;
//! * there is no spinlock and no yield loop: the sink always writes the one of
//!   the two waker slots that notifiers are not reading, and a notifier that
//!   finds another one busy waking the task asks it (one `fetch_or`) to wake it
//!   once more, then returns.
//!
//! The cost table is on [`DiatomicWaker`]; the algorithm, with its transition
//! table, is described in the source of `diatomic_waker.rs`.
//!
//! # Handles
//!
//! * [`WakeSink`] / [`WakeSource`] own the primitive through an `Arc`
//!   (feature `alloc`, on by default).
//! * [`WakeSinkRef`] / [`WakeSourceRef`] borrow a [`DiatomicWaker`] you own,
//!   e.g. in a `static` on a target with no allocator.
//! * [`DiatomicWaker`]'s unsafe methods are for building other primitives.
//!
//! # Feature flags
//!
//! * `alloc` (default): [`WakeSink`] and [`WakeSource`]. Without it the crate
//!   needs neither `std` nor `alloc`.
//!
//! # Loom
//!
//! Built with `RUSTFLAGS="--cfg diatomic_waker_loom"`, the crate's atomics,
//! cells and `Arc` are Loom's, so crates built on it can be model-checked
//! through it. `DiatomicWaker::new` is then not `const`.
//!
//! # Example
//!
//! A channel of capacity 1 for `NonZeroUsize` values with several senders and
//! an async receiver:
//!
//! ```
//! use std::num::NonZeroUsize;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//!
//! use diatomic_waker::{WakeSink, WakeSource};
//!
//! #[derive(Clone)]
//! struct Sender {
//!     wake_source: WakeSource,
//!     slot: Arc<AtomicUsize>,
//! }
//!
//! struct Receiver {
//!     wake_sink: WakeSink,
//!     slot: Arc<AtomicUsize>,
//! }
//!
//! fn channel() -> (Sender, Receiver) {
//!     let slot = Arc::new(AtomicUsize::new(0));
//!     let wake_sink = WakeSink::new();
//!     let wake_source = wake_sink.source();
//!     (Sender { wake_source, slot: slot.clone() }, Receiver { wake_sink, slot })
//! }
//!
//! impl Sender {
//!     /// Sends `value` if the slot is empty, else hands it back.
//!     fn try_send(&self, value: NonZeroUsize) -> Result<(), NonZeroUsize> {
//!         // Zero means empty. Ordering: Relaxed, the value is the atomic itself.
//!         self.slot
//!             .compare_exchange(0, value.get(), Ordering::Relaxed, Ordering::Relaxed)
//!             .map_err(|_| value)?;
//!         self.wake_source.notify();
//!         Ok(())
//!     }
//! }
//!
//! impl Receiver {
//!     /// Waits for a value.
//!     async fn recv(&mut self) -> NonZeroUsize {
//!         let slot = &self.slot;
//!         self.wake_sink
//!             .wait_until(|| NonZeroUsize::new(slot.swap(0, Ordering::Relaxed)))
//!             .await
//!     }
//! }
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     use std::task::{Context, Poll, Wake, Waker};
//! #     struct Unpark(std::thread::Thread);
//! #     impl Wake for Unpark { fn wake(self: Arc<Self>) { self.0.unpark() } }
//! #     let mut f = std::pin::pin!(f);
//! #     let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
//! #     let mut cx = Context::from_waker(&waker);
//! #     loop {
//! #         if let Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; }
//! #         std::thread::park();
//! #     }
//! # }
//!
//! let (tx, mut rx) = channel();
//! let producer = std::thread::spawn(move || {
//!     for v in 1..=3 {
//!         let mut value = NonZeroUsize::new(v).unwrap();
//!         while let Err(back) = tx.try_send(value) {
//!             value = back;
//!             std::thread::yield_now();
//!         }
//!     }
//! });
//! let sum: usize = (0..3).map(|_| block_on(rx.recv()).get()).sum();
//! assert_eq!(sum, 6);
//! producer.join().unwrap();
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

#[cfg(all(feature = "alloc", not(diatomic_waker_loom)))]
extern crate alloc;
#[cfg(any(test, diatomic_waker_loom, diatomic_waker_count_rmw))]
extern crate std;

mod borrowed;
mod diatomic_waker;
#[cfg(feature = "alloc")]
mod owned;
mod sync;
mod wait_until;

#[deprecated(
    since = "0.2.0",
    note = "import `DiatomicWaker` and `WaitUntil` from the crate root"
)]
pub mod primitives;

// The counting tests need the real atomics: under Loom, `tests/loom.rs` runs.
#[cfg(all(test, not(diatomic_waker_loom)))]
mod tests;

/// Per-thread count of the primitive's atomic read-modify-write operations,
/// for the cost tests of crates built on it. Only under
/// `--cfg diatomic_waker_count_rmw`; not part of the API.
#[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
#[doc(hidden)]
pub mod __rmw_counter {
    pub use crate::sync::rmw_counter::take;
}

pub use borrowed::{WakeSinkRef, WakeSourceRef};
pub use diatomic_waker::DiatomicWaker;
#[cfg(feature = "alloc")]
pub use owned::{WakeSink, WakeSource};
pub use wait_until::WaitUntil;
