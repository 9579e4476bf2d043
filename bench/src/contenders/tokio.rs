//! tokio: `tokio::sync::mpsc::channel(capacity)`, exact capacity.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use std::future::Future;

use tokio::sync::mpsc;

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// tokio's bounded MPSC channel.
#[derive(Debug)]
pub struct TokioMpsc;

impl Mpsc for TokioMpsc {
    const NAME: &'static str = "tokio mpsc";
    const OURS: bool = false;
    type Tx = mpsc::Sender<Msg>;
    type Rx = mpsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        mpsc::channel(capacity)
    }
}

impl MpscSender for mpsc::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        mpsc::Sender::send(self, msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for mpsc::Receiver<Msg> {
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_ {
        mpsc::Receiver::recv(self)
    }
}
