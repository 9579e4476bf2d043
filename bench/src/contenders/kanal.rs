//! kanal: `kanal::bounded_async(capacity)`, exact capacity (0 would be a
//! rendezvous channel; the workloads never ask for 0).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use super::{
    Blocking, BlockingReceiver, BlockingSender, Closed, Mixed, Mpmc, Mpsc, MpscReceiver,
    MpscSender, Msg,
};

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

impl Blocking for Kanal {
    const NAME: &'static str = "kanal";
    const OURS: bool = false;
    type Tx = kanal::Sender<Msg>;
    type Rx = kanal::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        kanal::bounded(capacity)
    }
}

impl BlockingSender for kanal::Sender<Msg> {
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed> {
        self.send(msg).map_err(|_| Closed)
    }
}

impl BlockingReceiver for kanal::Receiver<Msg> {
    fn recv_blocking(&mut self) -> Option<Msg> {
        self.recv().ok()
    }
}

/// One kanal channel, each half turned sync or async as the side needs.
impl Mixed for Kanal {
    const NAME: &'static str = "kanal";
    const OURS: bool = false;
    type ThreadTx = kanal::Sender<Msg>;
    type TaskRx = kanal::AsyncReceiver<Msg>;
    type TaskTx = kanal::AsyncSender<Msg>;
    type ThreadRx = kanal::Receiver<Msg>;

    fn threads_to_task(capacity: usize) -> (Self::ThreadTx, Self::TaskRx) {
        let (tx, rx) = kanal::bounded(capacity);
        (tx, rx.to_async())
    }

    fn tasks_to_thread(capacity: usize) -> (Self::TaskTx, Self::ThreadRx) {
        let (tx, rx) = kanal::bounded(capacity);
        (tx.to_async(), rx)
    }
}

/// The same channel with its receiver cloned: it is MPMC.
impl Mpmc for Kanal {
    const NAME: &'static str = "kanal";
    const OURS: bool = false;
    type Tx = kanal::AsyncSender<Msg>;
    type Rx = kanal::AsyncReceiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        kanal::bounded_async(capacity)
    }
}
