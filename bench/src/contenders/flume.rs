//! flume: `flume::bounded(capacity)` with `send_async` / `recv_async`, exact
//! capacity (an MPMC channel used with one receiver).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{
    Blocking, BlockingReceiver, BlockingSender, Closed, Mixed, Mpmc, Mpsc, MpscReceiver,
    MpscSender, Msg,
};

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

impl Blocking for Flume {
    const NAME: &'static str = "flume";
    const OURS: bool = false;
    type Tx = flume::Sender<Msg>;
    type Rx = flume::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        flume::bounded(capacity)
    }
}

impl BlockingSender for flume::Sender<Msg> {
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed> {
        flume::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl BlockingReceiver for flume::Receiver<Msg> {
    fn recv_blocking(&mut self) -> Option<Msg> {
        flume::Receiver::recv(self).ok()
    }
}

/// One flume channel serves both sides as it is.
impl Mixed for Flume {
    const NAME: &'static str = "flume";
    const OURS: bool = false;
    type ThreadTx = flume::Sender<Msg>;
    type TaskRx = flume::Receiver<Msg>;
    type TaskTx = flume::Sender<Msg>;
    type ThreadRx = flume::Receiver<Msg>;

    fn threads_to_task(capacity: usize) -> (Self::ThreadTx, Self::TaskRx) {
        flume::bounded(capacity)
    }

    fn tasks_to_thread(capacity: usize) -> (Self::TaskTx, Self::ThreadRx) {
        flume::bounded(capacity)
    }
}

/// The same channel with its receiver cloned: it is MPMC.
impl Mpmc for Flume {
    const NAME: &'static str = "flume";
    const OURS: bool = false;
    type Tx = flume::Sender<Msg>;
    type Rx = flume::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        flume::bounded(capacity)
    }
}
