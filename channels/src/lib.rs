//! Fixed-capacity async channels, and `#[async_channel]`, which makes your own.
//!
//! A channel here is a non-blocking queue (a *core*: atomic slots, a ring
//! buffer, anything with a push that hands the item back when full and a pop
//! that returns nothing when empty) wired to async tasks through
//! [`diatomic_waker`]: the receiver waits on a `DiatomicWaker` (many
//! receivers wait in a line instead, each push waking the oldest); a
//! blocked sender waits on a second one (one producer), or parks its value
//! in a queue from which the receiver moves it into the space it frees
//! (many producers). Closing, backpressure and cancellation are handled
//! once, in the generic [`Sender`], [`Receiver`] and [`SharedReceiver`];
//! the attribute only names them.
//!
//! # The channels
//!
//! * [`mpsc`]: a bounded ring, many senders, any capacity (run time or
//!   compile time);
//! * [`mpmc`]: the same ring, many senders and many receivers (`Clone`),
//!   each item to one receiver: a work queue for a pool;
//! * [`spsc`]: a bounded ring, one sender, no read-modify-write in the ring;
//! * [`oneshot`]: one value, once; the receiver is a future;
//! * [`watch`]: the latest value, overwritten by each send, which never
//!   waits; taken by one receiver, or read by many ([`watch::shared`],
//!   tokio's form);
//! * [`broadcast`]: every value to every receiver, bounded; when the
//!   slowest receiver is a ring behind, a send overwrites (tokio's policy,
//!   the receiver is told it lagged) or waits (backpressure), as chosen at
//!   construction (`std`);
//! * [`slot`]: capacity 1, many senders.
//!
//! # Make your own channel
//!
//! Declare the core, put [`async_channel`] on it, implement [`ChannelCore`]:
//!
//! ```
//! use std::num::NonZeroUsize;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};
//!
//! /// Capacity 1, for non-zero integers: zero means empty.
//! #[async_channel(sender = NzSender, receiver = NzReceiver, producers = many)]
//! pub struct NzSlot {
//!     value: AtomicUsize,
//! }
//!
//! impl ChannelCore for NzSlot {
//!     type Item = NonZeroUsize;
//!     fn try_push(&self, v: NonZeroUsize, _: Producer<'_, Many>) -> Result<(), NonZeroUsize> {
//!         // Ordering: Relaxed; the value is the atomic itself.
//!         self.value
//!             .compare_exchange(0, v.get(), Ordering::Relaxed, Ordering::Relaxed)
//!             .map(drop)
//!             .map_err(|_| v)
//!     }
//!     fn try_pop(&self, _: Consumer<'_>) -> Option<NonZeroUsize> {
//!         NonZeroUsize::new(self.value.swap(0, Ordering::Relaxed))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = NzSlot { value: AtomicUsize::new(0) }.into_channel();
//! let tx2 = tx.clone();
//! tokio::spawn(async move { tx.send(NonZeroUsize::new(1).unwrap()).await });
//! tokio::spawn(async move { tx2.send(NonZeroUsize::new(2).unwrap()).await });
//! let sum = rx.recv().await.unwrap().get() + rx.recv().await.unwrap().get();
//! assert_eq!(sum, 3);
//! assert!(rx.recv().await.is_err()); // both senders are gone
//! # }
//! ```
//!
//! That is the reference page's capacity-1 `NonZeroUsize` channel. For
//! comparison, the page writes it by hand over `diatomic-waker`, like this
//! (no backpressure: `try_send` only; no closing):
//!
//! ```
//! use std::num::NonZeroUsize;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use diatomic_waker::{WakeSink, WakeSource};
//!
//! #[derive(Clone)]
//! struct Sender { wake_source: WakeSource, value: Arc<AtomicUsize> }
//! struct Receiver { wake_sink: WakeSink, value: Arc<AtomicUsize> }
//!
//! fn channel() -> (Sender, Receiver) {
//!     let value = Arc::new(AtomicUsize::new(0));
//!     let wake_sink = WakeSink::new();
//!     let wake_source = wake_sink.source();
//!     (Sender { wake_source, value: value.clone() }, Receiver { wake_sink, value })
//! }
//!
//! impl Sender {
//!     fn try_send(&self, v: NonZeroUsize) -> bool {
//!         // Ordering: Relaxed; the value is the atomic itself.
//!         let stored = self.value
//!             .compare_exchange(0, v.get(), Ordering::Relaxed, Ordering::Relaxed)
//!             .is_ok();
//!         if stored {
//!             self.wake_source.notify();
//!         }
//!         stored
//!     }
//! }
//!
//! impl Receiver {
//!     async fn recv(&mut self) -> NonZeroUsize {
//!         let value = &self.value;
//!         self.wake_sink
//!             .wait_until(|| NonZeroUsize::new(value.swap(0, Ordering::Relaxed)))
//!             .await
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = channel();
//! assert!(tx.try_send(NonZeroUsize::new(5).unwrap()));
//! assert_eq!(rx.recv().await.get(), 5);
//! # }
//! ```
//!
//! With the attribute, the waker code, closing, backpressure and
//! cancellation come from the runtime.
//!
//! # The attribute
//!
//! `#[async_channel(sender = Name, receiver = Name, sender_ref = Name,
//! receiver_ref = Name, producers = one | many, receivers = one | many,
//! crate = path)]`, every argument optional:
//!
//! | argument       | default                    | meaning |
//! |----------------|----------------------------|---------|
//! | `sender`       | `<Struct>Sender`           | name of the generated sending half |
//! | `receiver`     | `<Struct>Receiver`         | name of the generated receiving half |
//! | `sender_ref`   | `<sender>Ref`              | name of the sending half that borrows a [`Channel`] |
//! | `receiver_ref` | `<receiver>Ref`            | name of the receiving half that borrows a [`Channel`] |
//! | `producers`    | `many`                     | `many`: the sender is `Clone`, its methods take `&self`; `one`: not `Clone`, `&mut self`, and the core may rely on a single pusher |
//! | `receivers`    | `one`                      | `one`: the receiver is a [`Receiver`], not `Clone`, `&mut self`, and the core may rely on a single popper; `many`: a [`SharedReceiver`], `Clone`, `&self` (see [many receivers](#many-receivers)) |
//! | `crate`        | `::diatomic_channels`      | where the runtime is, for crates that re-export it |
//!
//! It accepts a struct with named fields, public or not, with type and const
//! parameters and `where` clauses (not lifetime parameters), keeps it
//! unchanged, and writes: `impl ProducerCount` and `impl ConsumerCount` for
//! it; four halves (same
//! visibility and parameters as the struct; they dereference to [`Sender`]
//! and [`Receiver`]): the pair that shares the channel through an `Arc`,
//! made by `fn into_channel(self) -> (Sender, Receiver)`, and the pair that
//! borrows a [`Channel`] (`'static` when it is a `static`), made by
//! [`Channel::split`] through the [`Halves`] impl it also writes.
//! `tests/expanded/` in the repository holds one expansion in full.
//!
//! # Many receivers
//!
//! With `receivers = many`, the core's `try_pop` takes a
//! [`Consumer<'_, Many>`](Consumer), which promises nothing: pops may race
//! (a core that relies on one popper says `Consumer<'_>` and is refused at
//! compile time). The receivers are [`SharedReceiver`]s: `Clone`, methods on
//! `&self`; the last one to go closes the channel. A receiver that finds
//! the core empty waits in a FIFO line; each push wakes the oldest waiting
//! receiver, never all of them (a fence and a load when nobody waits), and
//! a woken receive future that is dropped passes its wakeup on. The close,
//! or the last sender leaving, wakes them all. A core may help its
//! receivers with [`ChannelCore::certainly_empty`].
//!
//! ```
//! use std::collections::VecDeque;
//! use std::sync::Mutex;
//! use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};
//!
//! /// Four jobs at most, for any number of workers.
//! #[async_channel(sender = JobSender, receiver = JobReceiver, receivers = many)]
//! struct Jobs {
//!     queue: Mutex<VecDeque<u32>>,
//! }
//!
//! impl ChannelCore for Jobs {
//!     type Item = u32;
//!     fn try_push(&self, job: u32, _: Producer<'_, Many>) -> Result<(), u32> {
//!         let mut queue = self.queue.lock().unwrap();
//!         if queue.len() == 4 {
//!             return Err(job);
//!         }
//!         queue.push_back(job);
//!         Ok(())
//!     }
//!     fn try_pop(&self, _: Consumer<'_, Many>) -> Option<u32> {
//!         self.queue.lock().unwrap().pop_front()
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, rx) = Jobs { queue: Mutex::default() }.into_channel();
//! let workers: Vec<_> = (0..3)
//!     .map(|_| {
//!         let rx = rx.clone();
//!         tokio::spawn(async move {
//!             let mut done = 0;
//!             while rx.recv().await.is_ok() {
//!                 done += 1;
//!             }
//!             done
//!         })
//!     })
//!     .collect();
//! drop(rx);
//! for job in 0..20 {
//!     tx.send(job).await.unwrap();
//! }
//! drop(tx);
//! let mut done = 0;
//! for worker in workers {
//!     done += worker.await.unwrap();
//! }
//! assert_eq!(done, 20);
//! # }
//! ```
//!
//! # Two homes: an `Arc`, or a `static`
//!
//! `into_channel` (and each member's `channel`) puts the channel in an `Arc`
//! that its halves share. [`Channel::new`] is `const`, so a channel can also
//! be a `static`, or live anywhere the halves can borrow it from;
//! [`Channel::split`] hands out its halves once. Both pairs are the same
//! generic [`Sender`] and [`Receiver`], over a different [`Home`]: one
//! implementation, the same semantics (the semantics suite runs in both).
//!
//! ```
//! use diatomic_channels::mpsc::InlineRing;
//! use diatomic_channels::Channel;
//!
//! static EVENTS: Channel<InlineRing<u32, 16>> = Channel::new(InlineRing::new());
//!
//! let (tx, mut rx) = EVENTS.split().expect("split once");
//! let producer = std::thread::spawn(move || {
//!     for event in 0..100 {
//!         tx.send_blocking(event).unwrap();
//!     }
//! });
//! let mut sum = 0;
//! while let Ok(event) = rx.recv_blocking() {
//!     sum += event;
//! }
//! producer.join().unwrap();
//! assert_eq!(sum, 4950);
//! ```
//!
//! # From threads
//!
//! Every channel serves threads as well as tasks, on the same halves: a
//! thread calls `send_blocking` / `recv_blocking`, or their timed forms
//! ([`Sender::send_timeout`], [`Sender::send_deadline`],
//! [`Receiver::recv_timeout`], [`Receiver::recv_deadline`]), which hand
//! the value back when the time runs out ([`SendTimeoutError::Timeout`]):
//! a timed-out send has not sent.
//!
//! A blocking call allocates nothing: each thread keeps one parker and its
//! waker (made at its first blocking call). A thread that must wait spins
//! for a few hundred cycles, then yields its core a few times, then
//! parks; the side that wakes it makes a system call only if it really
//! sleeps.
//!
//! **Do not call a blocking method from async code.** It blocks the
//! executor's thread, and every task that thread would run, until the
//! channel is ready, which may need one of those tasks: a deadlock (the
//! same holds for every channel crate's blocking calls; flume's issue 124
//! is one report). From a task, `.await` the async method; to hand work to
//! a thread, send from the task and receive on the thread. The one case
//! detected is a blocking call made inside another on the same thread
//! (from a waker, an item's `drop` or a user core's `try_push` run by the
//! outer call): it panics rather than sleep for good.
//!
//! ```
//! use std::time::Duration;
//! use diatomic_channels::{mpsc, RecvTimeoutError};
//!
//! // Threads feed an async task.
//! let (tx, mut rx) = mpsc::channel::<u32>(16);
//! let producers: Vec<_> = (0..4)
//!     .map(|p| {
//!         let tx = tx.clone();
//!         std::thread::spawn(move || {
//!             for i in 0..100 {
//!                 tx.send_blocking(p * 100 + i).unwrap();
//!             }
//!         })
//!     })
//!     .collect();
//! drop(tx);
//! let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! let sum = rt.block_on(async move {
//!     let mut sum = 0;
//!     while let Ok(v) = rx.recv().await {
//!         sum += v;
//!     }
//!     sum
//! });
//! assert_eq!(sum, (0..400).sum());
//! for p in producers {
//!     p.join().unwrap();
//! }
//!
//! // A timed receive on a thread.
//! let (_tx, mut rx) = mpsc::channel::<u32>(1);
//! assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Err(RecvTimeoutError::Timeout));
//! ```
//!
//! # Semantics
//!
//! | situation | behaviour |
//! |---|---|
//! | queue full, `try_send` | `Err(TrySendError::Full(value))` |
//! | queue full, `send().await` | waits without spinning. With many producers the value is parked in line, and each item the receiver takes gives its room to the oldest parked sender and wakes that one sender, which pushes its value into that room when its task polls it: one wakeup per blocked message, no retry, first parked first served (with one producer, the sender is woken and tries again) |
//! | senders wait in line, `try_send` (or a new `send`) | goes behind them: `Full` even if a room is free, since that room was made for the first in line (a permit's `send` and a woken sender go in regardless: each holds a room) |
//! | receiver closed or dropped | `send` / `try_send` fail and hand the value back, parked values included |
//! | every sender dropped | the receiver drains the queue, then gets `RecvError` |
//! | a sender calls [`Sender::close`] | as a receiver's close, for every half: sends fail and hand the value back (blocked ones woken), and the receivers, waiting ones woken, drain the queue, then get `RecvError` |
//! | receiver dropped with items queued | each item is dropped once |
//! | `send` or `recv` future dropped early | nothing is lost or duplicated: a `send` future dropped before it returned `Ready` has not sent (its value is dropped with it), even if it had been woken with a room made for it; that room goes to the next sender in line |
//! | blocked `send` future forgotten | no unsoundness, and nobody waits on it. If a room was made for it, it keeps that room while others wait in line (a channel of capacity 1 then waits with them, as tokio's does), and gives it up to the next sender that does not wait once the line is empty (tokio's forgotten permit keeps it for good). Its value is never sent; its memory (its place in the line) is leaked, as `forget` says |
//! | a blocking call (`send_blocking`, `recv_blocking`, timed forms) | no allocation per call; on timeout `send_timeout` / `send_deadline` hand the value back (`Timeout(value)`): it was not sent, and never will be. A blocking send that waits in line has its value moved into the queue for it by whoever frees room (a blocking call cannot be dropped midway, so nobody can tell, and the receiver need not wait for a sleeping thread to push): if that happened before the deadline, the call returns `Ok` |
//! | a waker that panics | the panic reaches the caller; the channel stays usable. Where one call wakes several waiters (a close, a value every receiver reads, rooms freed together), every other waiter is still woken, then the panic goes on (a second panic there aborts) |
//! | an item whose `Drop` panics while the receiver drops the queue | the other items are still dropped, once each, then the panic reaches the code dropping the receiver (as with `Vec`, a second panicking item aborts) |
//! | the core's `try_push` or `try_pop` panics in a `send` or `recv` | the panic reaches that call, and the value it carried goes with it; the runtime's state is unchanged, so the channel is as usable as the core left itself |
//! | the core's `try_push` panics when a woken sender pushes into its room | the panic reaches that sender's poll (its value goes with it); the channel stays usable |
//! | many receivers, the core empty, `recv().await` | waits in a FIFO line; each push wakes the oldest waiting receiver (never all); the close, or the last sender leaving, wakes every one |
//! | many receivers, a woken `recv` future dropped before it took an item | its wakeup goes to the next receiver in line: no item waits while a receiver sleeps |
//! | many receivers, a `recv` future forgotten | no unsoundness; it keeps the wakeup it held (or takes one when its turn in line comes): the item announced waits for the next push or receive, which wakes the next receiver. Nothing is lost |
//! | many receivers, queue full, [`Sender::force_send`] | never waits: takes the oldest item out (returned to the caller, never dropped unseen) and sends; if another sender takes the room first, the value waits first in line (allocated) and goes in at the next take, with this sender's later sends behind it. With one receiver it does not compile |
//! | many receivers, the last one dropped | the channel closes; the queued items are dropped, once each |
//! | [`broadcast`], the slowest receiver a ring behind | [`broadcast::channel`]: the send overwrites the oldest value and that receiver is told how many it missed (`Lagged(n)`), then reads on from the oldest held; [`broadcast::channel_with_backpressure`]: the send waits until every receiver has read the oldest |
//! | [`broadcast`], a receiver dropped | holds nobody back: its unread values count as read, and senders waiting for it go on |
//! | [`broadcast`], a receiver's `clone` panics | the panic reaches that receive; the value counts as read by it, and nobody waits for it |
//!
//! # Cancellation and timeouts
//!
//! Every future here may be dropped at any point (in `select!`, under a
//! timeout) without breaking the channel. What a drop means for each:
//!
//! | future | cancel safe | dropped before it completes |
//! |---|---|---|
//! | [`Receiver::recv`], `Stream::poll_next` | yes | nothing was taken; the next `recv` gets the item |
//! | [`Receiver::recv_many`] | yes | nothing was taken (it takes its items in the poll that completes it) |
//! | [`SharedReceiver::recv`] | yes | nothing was taken; a wakeup it was given goes to the next receiver in line |
//! | [`Sender::send`], one producer | yes | nothing was sent; the value is dropped with the future |
//! | [`Sender::send`], many producers | yes | nothing was sent; the value is dropped with the future, and a room made for it goes to the next sender in line |
//! | [`Sender::closed`] | yes | nothing happens |
//! | [`Sender::reserve`] | yes | nothing is held: a permit granted to it and never taken goes back |
//! | [`Sender::reserve_many`] | yes | nothing is held: permits granted to it and never taken go back; while it waited for more room than was free, the rooms it could not use go to those behind it |
//! | [`SendSink`] (`poll_ready`) | yes | dropping the sink gives back the room it held |
//! | [`oneshot::Receiver`] (itself a future) | yes | a value sent is dropped with it |
//! | [`broadcast::Receiver::recv`], its `Stream` | yes | nothing was read; the next `recv` gets the value |
//! | [`broadcast::BackpressureSender::send`] | yes | nothing was sent; a wakeup it was given (a freed slot) goes to the next waiting sender |
//! | [`broadcast::Sender::closed`] (both senders) | yes | nothing happens |
//!
//! A `send` that loses a `select!` or times out has not sent, as with
//! tokio, async-channel, flume and tachyonix: a retry never duplicates. The
//! value of a blocked sender stays in its future until that sender's own
//! poll pushes it into the room the receiver made for it, so that a woken
//! sender never retries; a future dropped in between passes the room on.
//! The cost, measured in the benchmarks: when the receiver empties the
//! queue before the woken sender runs, it waits for that push (kanal's
//! receiver takes the value from the parked sender itself, which is faster
//! there and is why a cancelled kanal `send` may have sent).
//!
//! # Reservations
//!
//! [`Sender::reserve`] (and `try_reserve`) waits for room for one value and
//! returns a [`Permit`], whose `send` never waits and never fails (if the
//! receiver has left, the value is dropped). Dropping a permit unused gives
//! the room back to whoever waits first. They need a core that reports its
//! [`Occupancy`] (every channel of this crate does), and, with many
//! producers, `alloc`.
//!
//! What reserving means, for any such core: the runtime counts the permits
//! out, and grants one only while the core holds fewer items than its
//! capacity minus that count; reservations that must wait queue with the
//! blocked senders, in order, and each item the receiver takes either moves
//! a parked value in or grants the first reservation. Senders that do not
//! wait (`try_send`, a `send`'s first attempt) do not read the count, so
//! that no send pays for permits nobody uses: one of them may take the room
//! a permit stands for. The permit's value then waits in line (the one case
//! that allocates: a place for it), and a bit of the channel's state word,
//! which those senders read anyway, sends them behind it until it is in:
//! the channel holds at most one more item per permit outstanding, and
//! each producer's values keep their order. With one producer the permit
//! borrows the sender, so the room it saw stays its own.
//!
//! [`Sender::into_sink`] turns a sender into a `futures` `Sink` whose
//! `poll_ready` reserves, so that `stream.forward(sink)` keeps the
//! backpressure.
//!
//! A timeout, with tokio's:
//!
//! ```
//! use std::time::Duration;
//! use tokio::time::timeout;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(1);
//! tx.try_send(1).unwrap();
//! // The queue is full and nobody receives: the send times out, and its
//! // value is dropped with the future (nobody moved it in meanwhile).
//! assert!(timeout(Duration::from_millis(10), tx.send(2)).await.is_err());
//! // With a reservation the timeout cannot leave a value half sent.
//! match timeout(Duration::from_millis(10), tx.reserve()).await {
//!     Ok(permit) => permit.unwrap().send(2),
//!     Err(_elapsed) => {} // nothing reserved, nothing sent
//! }
//! // A receive under a timeout loses nothing either way.
//! assert_eq!(timeout(Duration::from_millis(10), rx.recv()).await, Ok(Ok(1)));
//! assert!(timeout(Duration::from_millis(10), rx.recv()).await.is_err());
//! assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Empty));
//! # }
//! ```
//!
//! # Features
//!
//! * `std` (default, implies `alloc`): the blocking calls
//!   (`send_blocking`, `recv_blocking`, their timed forms); the blocked
//!   senders' lock is `std`'s mutex.
//! * `alloc`: channels in an `Arc` (`channel`, `into_channel`, each
//!   member's `channel`), run-time capacities, `recv_many`.
//!
//! With neither, the crate is `no_std` and allocation-free: channels live in
//! `static`s ([`Channel::new`], [`Channel::split`]), compile-time capacities
//! (`mpsc::InlineRing`, `spsc::InlineRing`), and the blocked senders of a
//! many-producer channel park their values in their own pinned futures,
//! linked under a [`critical-section`](https://docs.rs/critical-section)
//! (the application provides the implementation, as usual in embedded
//! Rust). CI builds it for `thumbv7em-none-eabihf`, with the example crate
//! `embedded/` (a `static` channel fed by an interrupt handler).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

// Under Loom, `Arc` is Loom's.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
#[cfg_attr(diatomic_waker_loom, allow(unused_extern_crates))]
extern crate alloc;
#[cfg(any(feature = "std", test, diatomic_waker_loom, diatomic_waker_count_rmw))]
extern crate std;

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_alloc {
    ($($item:item)*) => {
        $($item)*
    };
}

#[cfg(not(any(feature = "alloc", diatomic_waker_loom)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_alloc {
    ($($item:item)*) => {};
}

#[cfg(feature = "std")]
mod blocking;
#[cfg(any(feature = "std", diatomic_waker_loom))]
pub mod broadcast;
mod cache_padded;
mod channel;
#[cfg(any(feature = "std", diatomic_waker_loom))]
mod closed_wait;
mod contract;
mod error;
mod handoff_queue;
mod home;
mod intrusive_list;
pub mod mpmc;
pub mod mpsc;
pub mod oneshot;
#[cfg(feature = "std")]
mod parker;
mod receiver;
mod receiver_line;
mod receiver_wait;
mod recv_wait;
mod reservation;
mod ring;
mod send_order;
mod sender;
mod sender_wait;
mod shared_receiver;
mod sink;
pub mod slot;
mod split;
pub mod spsc;
mod storage;
mod sync;
mod through_panics;
mod upgrade;
pub mod watch;
mod weak_receiver;
mod weak_sender;

pub use crate::channel::Channel;
pub use crate::contract::{
    ChannelCore, Consumer, ConsumerCount, ConsumerMode, ForceSend, Halves, Many, Occupancy, One,
    Producer, ProducerCount, ProducerMode, Wake,
};
pub use crate::error::{
    RecvError, RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError,
};
pub use crate::home::{DefaultHome, Home};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use crate::receiver::RecvManyFuture;
pub use crate::receiver::{Receiver, RecvFuture};
pub use crate::reservation::{Permit, PermitIterator, ReserveFuture, ReserveManyFuture};
pub use crate::send_order::SendOrder;
pub use crate::sender::{ClosedFuture, SendFuture, Sender};
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub use crate::shared_receiver::SharedRecvManyFuture;
pub use crate::shared_receiver::{SharedReceiver, SharedRecvFuture};
pub use crate::sink::SendSink;
pub use crate::split::{BorrowedReceiver, BorrowedSender, ReceiverHalf};
pub use crate::weak_receiver::WeakReceiver;
pub use crate::weak_sender::WeakSender;
pub use diatomic_macros::async_channel;

/// Makes a channel over `core`: its sender and its receiver.
///
/// The structs declared with [`async_channel`] have an `into_channel` method
/// that calls this and wraps the halves in their named types.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel<C, M>(core: C) -> (Sender<C, M>, ReceiverHalf<C>)
where
    C: ChannelCore<Producers = M>,
    M: ProducerMode,
{
    channel_with_order(core, SendOrder::Fifo)
}

/// Makes a channel over `core` that serves its senders in `order` when it
/// is full (see [`SendOrder`]): its sender and its receiver, generic; the
/// named halves of a core declared with [`async_channel`] convert from
/// them with `From`.
///
/// ```
/// use diatomic_channels::mpsc::{self, Ring};
/// use diatomic_channels::SendOrder;
///
/// let (tx, rx) = diatomic_channels::channel_with_order(Ring::with_capacity(4), SendOrder::Overtaking);
/// let (tx, mut rx): (mpsc::Sender<u8>, mpsc::Receiver<u8>) = (tx.into(), rx.into());
/// tx.try_send(1).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub fn channel_with_order<C, M>(core: C, order: SendOrder) -> (Sender<C, M>, ReceiverHalf<C>)
where
    C: ChannelCore<Producers = M>,
    M: ProducerMode,
{
    let shared = sync::Arc::new(Channel::new_split(core, order));
    (
        Sender::new(shared.clone()),
        <C::Receivers as ConsumerMode>::receiver(shared),
    )
}

/// What the code written by `#[async_channel]` names. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use ::core;
    pub use futures_core::stream::FusedStream;
    pub use futures_core::Stream;

    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    pub use crate::channel;
    pub use crate::{
        Channel, ChannelCore, ConsumerCount, Halves, Many, One, ProducerCount, Receiver, Sender,
        SharedReceiver,
    };

    /// Expands to its input where channels can live in an `Arc` (the
    /// `alloc` feature), to nothing elsewhere: the attribute wraps the
    /// `Arc` pair of halves and `into_channel` in it.
    pub use crate::__if_alloc as if_alloc;

    /// For the Loom models of `tests/loom.rs`.
    #[cfg(all(diatomic_waker_loom, feature = "std"))]
    pub use crate::parker::Parker;

    /// For `bench/benches/waiter_queue.rs`.
    pub use crate::handoff_queue::{HandOver, HandoffQueue, Outcome, Waiter};

    /// For `tests/costs.rs`, under `--cfg diatomic_waker_count_rmw`.
    #[cfg(all(diatomic_waker_count_rmw, not(diatomic_waker_loom)))]
    pub use crate::sync::counter;
}
