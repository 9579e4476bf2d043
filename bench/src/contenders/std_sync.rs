//! `std::sync::mpsc::sync_channel(capacity)`, exact capacity; threads only.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use std::sync::mpsc::{Receiver, SyncSender};

use super::{Blocking, BlockingReceiver, BlockingSender, Closed, Msg};

/// The standard library's bounded channel.
#[derive(Debug)]
pub struct StdSyncChannel;

impl Blocking for StdSyncChannel {
    const NAME: &'static str = "std sync_channel";
    const OURS: bool = false;
    type Tx = SyncSender<Msg>;
    type Rx = Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        std::sync::mpsc::sync_channel(capacity)
    }
}

impl BlockingSender for SyncSender<Msg> {
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed> {
        self.send(msg).map_err(|_| Closed)
    }
}

impl BlockingReceiver for Receiver<Msg> {
    fn recv_blocking(&mut self) -> Option<Msg> {
        self.recv().ok()
    }
}
