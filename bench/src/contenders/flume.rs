//! flume: `flume::bounded(capacity)` with `send_async` / `recv_async`, exact
//! capacity (an MPMC channel used with one receiver).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// flume's bounded channel, used asynchronously.
#[derive(Debug)]
pub struct Flume;

impl Mpsc for Flume {
    const NAME: &'static str = "flume";
    const OURS: bool = false;
    type Tx = flume::Sender<Msg>;
    type Rx = flume::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        flume::bounded(capacity)
    }
}

impl MpscSender for flume::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        self.send_async(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for flume::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        self.recv_async().await.ok()
    }
}
