//! futures-channel: `futures_channel::mpsc::channel(buffer)`.
//!
//! Its capacity is `buffer` plus one guaranteed slot per sender, so the
//! adapter passes `capacity - 1` as the buffer: a channel with one sender
//! holds `capacity` messages, as asked; with N senders it holds
//! `capacity - 1 + N` (in the funnel, 12 more than the others). Sending goes
//! through `SinkExt::send`, receiving through `StreamExt::next`.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use std::future::Future;

use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt};

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// futures-channel's bounded MPSC channel.
#[derive(Debug)]
pub struct FuturesChannel;

impl Mpsc for FuturesChannel {
    const NAME: &'static str = "futures-channel";
    const OURS: bool = false;
    type Tx = mpsc::Sender<Msg>;
    type Rx = mpsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        assert!(capacity >= 1, "capacity 0 is not a bounded channel here");
        mpsc::channel(capacity - 1)
    }
}

impl MpscSender for mpsc::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        SinkExt::send(self, msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for mpsc::Receiver<Msg> {
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_ {
        StreamExt::next(self)
    }
}
