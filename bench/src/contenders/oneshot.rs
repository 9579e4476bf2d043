//! The `oneshot` crate (with its `async` feature): `oneshot::channel()`;
//! `Sender::send` consumes the sender, and the `Receiver` is awaited
//! directly (it turns into its future, `AsyncReceiver`).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Closed, Msg, Oneshot, OneshotReceiver, OneshotSender};

/// The `oneshot` crate's channel.
#[derive(Debug)]
pub struct OneshotCrate;

impl Oneshot for OneshotCrate {
    const NAME: &'static str = "oneshot";
    const OURS: bool = false;
    type Tx = ::oneshot::Sender<Msg>;
    type Rx = ::oneshot::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        ::oneshot::channel()
    }
}

impl OneshotSender for ::oneshot::Sender<Msg> {
    fn send(self, msg: Msg) -> Result<(), Closed> {
        ::oneshot::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl OneshotReceiver for ::oneshot::Receiver<Msg> {
    async fn recv(self) -> Result<Msg, Closed> {
        self.await.map_err(|_| Closed)
    }
}
