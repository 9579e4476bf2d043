//! crossbeam-channel: `crossbeam_channel::bounded(capacity)`, exact
//! capacity; threads only (it has no async side).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{Blocking, BlockingReceiver, BlockingSender, Closed, Msg};

/// crossbeam's bounded channel.
#[derive(Debug)]
pub struct CrossbeamChannel;

impl Blocking for CrossbeamChannel {
    const NAME: &'static str = "crossbeam-channel";
    const OURS: bool = false;
    type Tx = crossbeam_channel::Sender<Msg>;
    type Rx = crossbeam_channel::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        crossbeam_channel::bounded(capacity)
    }
}

impl BlockingSender for crossbeam_channel::Sender<Msg> {
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed> {
        self.send(msg).map_err(|_| Closed)
    }
}

impl BlockingReceiver for crossbeam_channel::Receiver<Msg> {
    fn recv_blocking(&mut self) -> Option<Msg> {
        self.recv().ok()
    }
}
