//! async-broadcast: `async_broadcast::broadcast(capacity)`, exact capacity;
//! a send to a full channel waits (the default) or, with `set_overflow`,
//! drops the oldest value.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Broadcast, BroadcastReceiver, BroadcastSender, Closed, Msg};

/// async-broadcast, its default: a send to a full channel waits.
#[derive(Debug)]
pub struct AsyncBroadcast;

/// async-broadcast with `set_overflow(true)`: a send to a full channel
/// drops the oldest value.
#[derive(Debug)]
pub struct AsyncBroadcastOverflow;

fn channel(
    capacity: usize,
    receivers: usize,
    overflow: bool,
) -> (
    async_broadcast::Sender<Msg>,
    Vec<async_broadcast::Receiver<Msg>>,
) {
    let (mut tx, rx) = async_broadcast::broadcast(capacity);
    tx.set_overflow(overflow);
    let mut all: Vec<_> = (1..receivers).map(|_| rx.new_receiver()).collect();
    all.push(rx);
    (tx, all)
}

impl Broadcast for AsyncBroadcast {
    const NAME: &'static str = "async-broadcast";
    const OURS: bool = false;
    type Tx = async_broadcast::Sender<Msg>;
    type Rx = async_broadcast::Receiver<Msg>;

    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>) {
        channel(capacity, receivers, false)
    }
}

impl Broadcast for AsyncBroadcastOverflow {
    const NAME: &'static str = "async-broadcast overflow";
    const OURS: bool = false;
    type Tx = async_broadcast::Sender<Msg>;
    type Rx = async_broadcast::Receiver<Msg>;

    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>) {
        channel(capacity, receivers, true)
    }
}

impl BroadcastSender for async_broadcast::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        self.broadcast(msg).await.map(drop).map_err(|_| Closed)
    }
}

impl BroadcastReceiver for async_broadcast::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Result<Msg, u64>> {
        match async_broadcast::Receiver::recv(self).await {
            Ok(msg) => Some(Ok(msg)),
            Err(async_broadcast::RecvError::Overflowed(n)) => Some(Err(n)),
            Err(async_broadcast::RecvError::Closed) => None,
        }
    }
}
