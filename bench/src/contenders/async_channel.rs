//! async-channel: `async_channel::bounded(capacity)`, exact capacity (an MPMC
//! channel used with one receiver).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Closed, Mpmc, Mpsc, MpscReceiver, MpscSender, Msg};

/// async-channel's bounded channel.
#[derive(Debug)]
pub struct AsyncChannel;

impl Mpsc for AsyncChannel {
    const NAME: &'static str = "async-channel";
    const OURS: bool = false;
    type Tx = async_channel::Sender<Msg>;
    type Rx = async_channel::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        async_channel::bounded(capacity)
    }
}

impl MpscSender for async_channel::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        async_channel::Sender::send(self, msg)
            .await
            .map_err(|_| Closed)
    }
}

impl MpscReceiver for async_channel::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        async_channel::Receiver::recv(self).await.ok()
    }
}

/// The same channel with its receiver cloned: it is MPMC.
impl Mpmc for AsyncChannel {
    const NAME: &'static str = "async-channel";
    const OURS: bool = false;
    type Tx = async_channel::Sender<Msg>;
    type Rx = async_channel::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        async_channel::bounded(capacity)
    }
}
