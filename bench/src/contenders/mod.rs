//! The contenders: what a channel must offer to enter a workload, one adapter
//! file per crate, and the lists the workloads draw from.
//!
//! A *family* is one kind of channel, with its own traits and its own list of
//! contenders:
//!
//! * bounded MPSC ([`Mpsc`], [`mpsc_contenders`]): ours, tachyonix, tokio,
//!   async-channel, flume, thingbuf, kanal, futures-channel;
//! * bounded MPMC ([`Mpmc`], [`mpmc_contenders`]): ours (`mpmc`, and a
//!   user's core over `ArrayQueue` declared `receivers = many`),
//!   async-channel, flume, kanal (the async MPMC channels; tokio and
//!   tachyonix have none, crossbeam-channel no async side);
//! * bounded SPSC ([`Spsc`], [`spsc_contenders`]): ours, async-ringbuf, and
//!   every MPSC channel above used with one sender (through [`ViaMpsc`], so
//!   no MPSC adapter is written twice);
//! * oneshot ([`Oneshot`], [`oneshot_contenders`]): ours, tokio's, the
//!   `oneshot` crate's;
//! * latest value with one receiver ([`Watch`], [`watch_contenders`]): ours,
//!   tokio's `watch`;
//! * latest value with many receivers that read it ([`SharedWatch`],
//!   [`shared_watch_contenders`]): ours (`watch::shared`), tokio's `watch`;
//! * bounded broadcast, every value to every receiver ([`Broadcast`],
//!   [`broadcast_contenders`]): ours (both policies), tokio's `broadcast`,
//!   async-broadcast (both policies);
//! * bounded MPSC from threads ([`Blocking`], [`blocking_contenders`]):
//!   ours, crossbeam-channel, flume, kanal, `std`'s `sync_channel`;
//! * one channel between threads and tasks ([`Mixed`],
//!   [`mixed_contenders`]): ours, flume, kanal.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::future::Future;
use std::marker::PhantomData;

mod async_broadcast;
mod async_channel;
mod async_ringbuf;
mod crossbeam_channel;
mod flume;
mod futures_channel;
mod kanal;
mod oneshot;
mod ours;
mod std_sync;
mod tachyonix;
mod thingbuf;
mod tokio;

pub use self::async_broadcast::{AsyncBroadcast, AsyncBroadcastOverflow};
pub use self::async_channel::AsyncChannel;
pub use self::async_ringbuf::AsyncRingbuf;
pub use self::crossbeam_channel::CrossbeamChannel;
pub use self::flume::Flume;
pub use self::futures_channel::FuturesChannel;
pub use self::kanal::Kanal;
pub use self::oneshot::OneshotCrate;
pub use self::ours::{
    ArrayQueueCore, ArrayQueueReceiver, ArrayQueueSender, OursArrayQueue, OursArrayQueueMany,
    OursBroadcast, OursBroadcastBackpressure, OursMpmc, OursMpsc, OursMpscOvertaking, OursOneshot,
    OursSharedWatch, OursSlot, OursSpsc, OursWatch,
};
pub use self::std_sync::StdSyncChannel;
pub use self::tachyonix::Tachyonix;
pub use self::thingbuf::Thingbuf;
pub use self::tokio::{TokioBroadcast, TokioMpsc, TokioOneshot, TokioWatch};

/// What the channels carry: a `Copy` integer, so that no contender pays for
/// an allocation or a drop, and `thingbuf` (which wants `Default + Clone`
/// to recycle its slots) can take it as it is.
pub type Msg = u64;

/// The other side is gone: the receiver, for a send (which did not
/// happen); the sender, for a oneshot receive (which got nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// The sending half of a bounded MPSC channel.
///
/// `send` takes `&mut self` because futures-channel's `Sink` needs it; the
/// others only need `&self`.
pub trait MpscSender: Clone + Send + 'static {
    /// Sends `msg`, waiting while the channel is full.
    fn send(&mut self, msg: Msg) -> impl Future<Output = Result<(), Closed>> + Send + '_;
}

/// The receiving half of a bounded MPSC channel.
pub trait MpscReceiver: Send + 'static {
    /// Receives the next message, waiting while the channel is empty;
    /// `None` once it is empty and every sender is gone.
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_;
}

/// A bounded multi-producer single-consumer channel factory.
pub trait Mpsc: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: MpscSender;
    /// The receiving half.
    type Rx: MpscReceiver;

    /// Whether this contender can make a channel of `capacity` (the points
    /// it does not accept are skipped for it).
    fn accepts(capacity: usize) -> bool {
        capacity >= 1
    }

    /// A channel that holds `capacity` messages (see each adapter for the
    /// crates whose capacity is not exactly that).
    fn channel(capacity: usize) -> (Self::Tx, Self::Rx);
}

/// Something done once per MPSC contender, with the contender's type in hand
/// (so that the workloads run monomorphized code, not boxed futures).
pub trait MpscVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Mpsc>(&mut self) -> Self::Output;
}

/// Every MPSC contender, ours first, in the order of the tables.
pub fn mpsc_contenders<V: MpscVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursArrayQueue>(),
        visitor.visit::<OursSlot>(),
        visitor.visit::<OursMpsc>(),
        visitor.visit::<OursMpscOvertaking>(),
        visitor.visit::<OursMpmc>(),
        visitor.visit::<Tachyonix>(),
        visitor.visit::<TokioMpsc>(),
        visitor.visit::<AsyncChannel>(),
        visitor.visit::<Flume>(),
        visitor.visit::<Thingbuf>(),
        visitor.visit::<Kanal>(),
        visitor.visit::<FuturesChannel>(),
    ]
}

/// The SPSC family's MPSC stand-ins that are left out: ours with a narrower
/// purpose (`slot` holds one message, below every SPSC capacity;
/// `ArrayQueue` is the runtime over a user's core, not a channel of the
/// family; with one sender, `mpsc overtaking` is `mpsc`; `mpmc` is there
/// for its receivers).
const NOT_IN_SPSC: [&str; 4] = [
    OursSlot::NAME,
    OursArrayQueue::NAME,
    OursMpscOvertaking::NAME,
    <OursMpmc as Mpsc>::NAME,
];

/// A bounded multi-producer multi-consumer channel factory: its receiver
/// is `Clone`, and each message goes to one receiver.
pub trait Mpmc: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: MpscSender;
    /// A receiving half; each consumer has a clone.
    type Rx: MpscReceiver + Clone;

    /// Whether this contender can make a channel of `capacity`.
    fn accepts(capacity: usize) -> bool {
        capacity >= 1
    }

    /// A channel that holds `capacity` messages.
    fn channel(capacity: usize) -> (Self::Tx, Self::Rx);
}

/// Something done once per MPMC contender, with its type in hand.
pub trait MpmcVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Mpmc>(&mut self) -> Self::Output;
}

/// Every MPMC contender, ours first, in the order of the tables.
pub fn mpmc_contenders<V: MpmcVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursMpmc>(),
        visitor.visit::<OursArrayQueueMany>(),
        visitor.visit::<AsyncChannel>(),
        visitor.visit::<Flume>(),
        visitor.visit::<Kanal>(),
    ]
}

/// The names of the MPMC peers (not ours), in their list's order.
pub fn mpmc_peer_names() -> Vec<&'static str> {
    struct Names;
    impl MpmcVisitor for Names {
        type Output = (&'static str, bool);
        fn visit<C: Mpmc>(&mut self) -> Self::Output {
            (C::NAME, C::OURS)
        }
    }
    mpmc_contenders(&mut Names)
        .into_iter()
        .filter(|&(_, ours)| !ours)
        .map(|(name, _)| name)
        .collect()
}

/// The sending half of a bounded SPSC channel: only `Send`, since there is
/// one sender. Every MPSC sender is one, as it is.
pub trait SpscSender: Send + 'static {
    /// Sends `msg`, waiting while the channel is full.
    fn send(&mut self, msg: Msg) -> impl Future<Output = Result<(), Closed>> + Send + '_;
}

impl<T: MpscSender> SpscSender for T {
    fn send(&mut self, msg: Msg) -> impl Future<Output = Result<(), Closed>> + Send + '_ {
        MpscSender::send(self, msg)
    }
}

/// The receiving half of a bounded SPSC channel. Every MPSC receiver is
/// one, as it is.
pub trait SpscReceiver: Send + 'static {
    /// Receives the next message, waiting while the channel is empty;
    /// `None` once it is empty and the sender is gone.
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_;
}

impl<T: MpscReceiver> SpscReceiver for T {
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_ {
        MpscReceiver::recv(self)
    }
}

/// A bounded single-producer single-consumer channel factory.
pub trait Spsc: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: SpscSender;
    /// The receiving half.
    type Rx: SpscReceiver;

    /// Whether this contender can make a channel of `capacity`.
    fn accepts(capacity: usize) -> bool {
        capacity >= 1
    }

    /// A channel that holds `capacity` messages.
    fn channel(capacity: usize) -> (Self::Tx, Self::Rx);
}

/// The MPSC contender `C` entering the SPSC family: the same channel, its
/// sender never cloned.
#[derive(Debug)]
pub struct ViaMpsc<C>(PhantomData<fn() -> C>);

impl<C: Mpsc> Spsc for ViaMpsc<C> {
    const NAME: &'static str = C::NAME;
    const OURS: bool = C::OURS;
    type Tx = C::Tx;
    type Rx = C::Rx;

    fn accepts(capacity: usize) -> bool {
        C::accepts(capacity)
    }

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        C::channel(capacity)
    }
}

/// Something done once per SPSC contender, with its type in hand.
pub trait SpscVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Spsc>(&mut self) -> Self::Output;
}

/// Every SPSC contender, in the order of the tables: ours first, then the
/// MPSC channels (ours, then the peers, in their list's order), then
/// async-ringbuf.
pub fn spsc_contenders<V: SpscVisitor>(visitor: &mut V) -> Vec<V::Output> {
    let mut all = vec![visitor.visit::<OursSpsc>()];
    all.extend(
        mpsc_contenders(&mut ThroughMpsc(visitor))
            .into_iter()
            .flatten(),
    );
    all.push(visitor.visit::<AsyncRingbuf>());
    all
}

/// Hands each MPSC contender (but those of [`NOT_IN_SPSC`]) to an SPSC
/// visitor.
struct ThroughMpsc<'a, V>(&'a mut V);

impl<V: SpscVisitor> MpscVisitor for ThroughMpsc<'_, V> {
    type Output = Option<V::Output>;
    fn visit<C: Mpsc>(&mut self) -> Option<V::Output> {
        (!NOT_IN_SPSC.contains(&C::NAME)).then(|| self.0.visit::<ViaMpsc<C>>())
    }
}

/// The names of the MPSC peers (not ours), in their list's order: the SPSC
/// targets hold ours against the best of them.
pub fn mpsc_peer_names() -> Vec<&'static str> {
    struct Names;
    impl MpscVisitor for Names {
        type Output = (&'static str, bool);
        fn visit<C: Mpsc>(&mut self) -> Self::Output {
            (C::NAME, C::OURS)
        }
    }
    mpsc_contenders(&mut Names)
        .into_iter()
        .filter(|&(_, ours)| !ours)
        .map(|(name, _)| name)
        .collect()
}

/// The sending half of a oneshot channel: consumed by its one send, which
/// never waits.
pub trait OneshotSender: Send + 'static {
    /// Sends `msg`.
    fn send(self, msg: Msg) -> Result<(), Closed>;
}

/// The receiving half of a oneshot channel: consumed by its one receive.
pub trait OneshotReceiver: Send + 'static {
    /// Waits for the value; `Closed` if the sender is dropped without
    /// sending.
    fn recv(self) -> impl Future<Output = Result<Msg, Closed>> + Send;
}

/// A oneshot channel factory.
pub trait Oneshot: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: OneshotSender;
    /// The receiving half.
    type Rx: OneshotReceiver;

    /// A new channel.
    fn channel() -> (Self::Tx, Self::Rx);
}

/// Something done once per oneshot contender, with its type in hand.
pub trait OneshotVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Oneshot>(&mut self) -> Self::Output;
}

/// Every oneshot contender, ours first, in the order of the tables.
pub fn oneshot_contenders<V: OneshotVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursOneshot>(),
        visitor.visit::<TokioOneshot>(),
        visitor.visit::<OneshotCrate>(),
    ]
}

/// The sending half of a latest-value channel: `Clone`, and a send never
/// waits (it replaces the value not yet received).
pub trait WatchSender: Clone + Send + 'static {
    /// Makes `msg` the latest value.
    fn send(&self, msg: Msg) -> Result<(), Closed>;
}

/// The one receiving half of a latest-value channel.
pub trait WatchReceiver: Send + 'static {
    /// Waits for a value newer than the last one received and returns it
    /// (the newest); `None` once every sender is gone and the newest value
    /// was received.
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_;
}

/// A latest-value channel factory (no value at first).
pub trait Watch: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: WatchSender;
    /// The receiving half.
    type Rx: WatchReceiver;

    /// A new channel.
    fn channel() -> (Self::Tx, Self::Rx);
}

/// Something done once per latest-value contender, with its type in hand.
pub trait WatchVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Watch>(&mut self) -> Self::Output;
}

/// Every latest-value contender, ours first, in the order of the tables.
pub fn watch_contenders<V: WatchVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![visitor.visit::<OursWatch>(), visitor.visit::<TokioWatch>()]
}

/// A latest-value channel factory whose receivers are `Clone` and read
/// the value (each told of a change at most once), starting at 0.
pub trait SharedWatch: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: WatchSender;
    /// A receiving half: `recv` waits for a change and reads the value.
    type Rx: WatchReceiver + Clone;

    /// A new channel holding 0.
    fn channel() -> (Self::Tx, Self::Rx);
}

/// Something done once per many-receiver latest-value contender.
pub trait SharedWatchVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: SharedWatch>(&mut self) -> Self::Output;
}

/// Every many-receiver latest-value contender, ours first.
pub fn shared_watch_contenders<V: SharedWatchVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursSharedWatch>(),
        visitor.visit::<TokioWatch>(),
    ]
}

/// The sending half of a bounded broadcast channel.
pub trait BroadcastSender: Send + 'static {
    /// Sends `msg` to every receiver: over the oldest value when the ring
    /// is full, or waiting for room, as the contender's policy says.
    fn send(&mut self, msg: Msg) -> impl Future<Output = Result<(), Closed>> + Send + '_;
}

/// A receiving half of a bounded broadcast channel.
pub trait BroadcastReceiver: Send + 'static {
    /// The next value, `Err(n)` when `n` values were overwritten before
    /// this receiver read them, `None` once every sender is gone and every
    /// value was read.
    fn recv(&mut self) -> impl Future<Output = Option<Result<Msg, u64>>> + Send + '_;
}

/// A bounded broadcast channel factory: every receiver gets every value
/// sent after it subscribed.
pub trait Broadcast: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: BroadcastSender;
    /// A receiving half.
    type Rx: BroadcastReceiver;

    /// A channel of `capacity` with `receivers` receivers.
    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>);
}

/// Something done once per broadcast contender.
pub trait BroadcastVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Broadcast>(&mut self) -> Self::Output;
}

/// Every broadcast contender, ours first.
pub fn broadcast_contenders<V: BroadcastVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursBroadcast>(),
        visitor.visit::<OursBroadcastBackpressure>(),
        visitor.visit::<TokioBroadcast>(),
        visitor.visit::<AsyncBroadcast>(),
        visitor.visit::<AsyncBroadcastOverflow>(),
    ]
}

/// The sending half of a bounded channel used from a synchronous thread.
pub trait BlockingSender: Clone + Send + 'static {
    /// Sends `msg`, parking the thread while the channel is full.
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed>;
}

/// The receiving half of a bounded channel used from a synchronous thread.
pub trait BlockingReceiver: Send + 'static {
    /// Receives the next message, parking the thread while the channel is
    /// empty; `None` once it is empty and every sender is gone.
    fn recv_blocking(&mut self) -> Option<Msg>;
}

/// A bounded multi-producer channel factory, both halves used from threads.
pub trait Blocking: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// The sending half.
    type Tx: BlockingSender;
    /// The receiving half.
    type Rx: BlockingReceiver;

    /// Whether this contender can make a channel of `capacity`.
    fn accepts(capacity: usize) -> bool {
        capacity >= 1
    }

    /// A channel that holds `capacity` messages.
    fn channel(capacity: usize) -> (Self::Tx, Self::Rx);
}

/// Something done once per thread contender, with its type in hand.
pub trait BlockingVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Blocking>(&mut self) -> Self::Output;
}

/// Every thread contender, ours first, in the order of the tables.
pub fn blocking_contenders<V: BlockingVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursMpsc>(),
        visitor.visit::<CrossbeamChannel>(),
        visitor.visit::<Flume>(),
        visitor.visit::<Kanal>(),
        visitor.visit::<StdSyncChannel>(),
    ]
}

/// A bounded channel with a synchronous half and an async half on the
/// same channel: threads feeding a task, and tasks feeding a thread.
pub trait Mixed: 'static {
    /// The name in tables, the CSV and the plots.
    const NAME: &'static str;
    /// One of ours: the ratios are ours against each peer.
    const OURS: bool;
    /// A sender for threads.
    type ThreadTx: BlockingSender;
    /// A receiver for a task.
    type TaskRx: MpscReceiver;
    /// A sender for tasks.
    type TaskTx: MpscSender;
    /// A receiver for a thread.
    type ThreadRx: BlockingReceiver;

    /// A channel of `capacity` from threads to a task.
    fn threads_to_task(capacity: usize) -> (Self::ThreadTx, Self::TaskRx);
    /// A channel of `capacity` from tasks to a thread.
    fn tasks_to_thread(capacity: usize) -> (Self::TaskTx, Self::ThreadRx);
}

/// Something done once per mixed contender, with its type in hand.
pub trait MixedVisitor {
    /// What is made per contender.
    type Output;
    /// Called once per contender.
    fn visit<C: Mixed>(&mut self) -> Self::Output;
}

/// Every contender of the mixed workloads (the crates whose one channel
/// serves threads and tasks), ours first.
pub fn mixed_contenders<V: MixedVisitor>(visitor: &mut V) -> Vec<V::Output> {
    vec![
        visitor.visit::<OursMpsc>(),
        visitor.visit::<Flume>(),
        visitor.visit::<Kanal>(),
    ]
}
