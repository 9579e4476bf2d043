//! The contenders: what a channel must offer to enter a workload, one adapter
//! file per crate, and the list the workloads draw from.
//!
//! A *family* is one kind of channel, with its own trait and its own list of
//! contenders: today the bounded MPSC channels ([`Mpsc`],
//! [`mpsc_contenders`]). The other members of our family (SPSC, oneshot,
//! watch) go in as new traits with their own peers (async-ringbuf; tokio's
//! and the `oneshot` crate's oneshot; tokio watch) and their own
//! `*_contenders` lists, without touching this one.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::future::Future;

mod async_channel;
mod flume;
mod futures_channel;
mod kanal;
mod ours;
mod tachyonix;
mod thingbuf;
mod tokio;

pub use self::async_channel::AsyncChannel;
pub use self::flume::Flume;
pub use self::futures_channel::FuturesChannel;
pub use self::kanal::Kanal;
pub use self::ours::{
    ArrayQueueCore, ArrayQueueReceiver, ArrayQueueSender, OursArrayQueue, OursMpsc, OursSlot,
};
pub use self::tachyonix::Tachyonix;
pub use self::thingbuf::Thingbuf;
pub use self::tokio::TokioMpsc;

/// What the channels carry: a `Copy` integer, so that no contender pays for
/// an allocation or a drop, and `thingbuf` (which wants `Default + Clone`
/// to recycle its slots) can take it as it is.
pub type Msg = u64;

/// The receiver is gone: the send did not happen.
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
        visitor.visit::<Tachyonix>(),
        visitor.visit::<TokioMpsc>(),
        visitor.visit::<AsyncChannel>(),
        visitor.visit::<Flume>(),
        visitor.visit::<Thingbuf>(),
        visitor.visit::<Kanal>(),
        visitor.visit::<FuturesChannel>(),
    ]
}
