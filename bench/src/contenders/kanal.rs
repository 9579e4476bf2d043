//! kanal: `kanal::bounded_async(capacity)`, exact capacity (0 would be a
//! rendezvous channel; the workloads never ask for 0).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// kanal's bounded channel, async halves.
#[derive(Debug)]
pub struct Kanal;

impl Mpsc for Kanal {
    const NAME: &'static str = "kanal";
    const OURS: bool = false;
    type Tx = kanal::AsyncSender<Msg>;
    type Rx = kanal::AsyncReceiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        kanal::bounded_async(capacity)
    }
}

impl MpscSender for kanal::AsyncSender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        kanal::AsyncSender::send(self, msg)
            .await
            .map_err(|_| Closed)
    }
}

impl MpscReceiver for kanal::AsyncReceiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        kanal::AsyncReceiver::recv(self).await.ok()
    }
}
