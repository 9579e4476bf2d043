//! tachyonix: `tachyonix::channel(capacity)`, exact capacity.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// tachyonix's bounded MPSC channel.
#[derive(Debug)]
pub struct Tachyonix;

impl Mpsc for Tachyonix {
    const NAME: &'static str = "tachyonix";
    const OURS: bool = false;
    type Tx = tachyonix::Sender<Msg>;
    type Rx = tachyonix::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        tachyonix::channel(capacity)
    }
}

impl MpscSender for tachyonix::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        tachyonix::Sender::send(self, msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for tachyonix::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        tachyonix::Receiver::recv(self).await.ok()
    }
}
