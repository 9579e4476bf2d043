//! tokio: `tokio::sync::mpsc::channel(capacity)` (exact capacity),
//! `tokio::sync::oneshot`, `tokio::sync::watch`, and
//! `tokio::sync::broadcast` (capacity rounded up to a power of two).
//!
//! tokio's `watch` has many receivers that *borrow* a shared value; the
//! adapter receives as a single receiver would: `changed().await`, then a
//! copy of `borrow_and_update()`. The channel starts with a value (0) that
//! the receiver counts as seen, so its first `changed` waits for a send, as
//! ours does. Its sender is `Clone` in the locked version (1.54).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use std::future::Future;

use tokio::sync::{broadcast, mpsc, oneshot, watch};

use super::{
    Broadcast, BroadcastReceiver, BroadcastSender, Closed, Mpsc, MpscReceiver, MpscSender, Msg,
    Oneshot, OneshotReceiver, OneshotSender, SharedWatch, Watch, WatchReceiver, WatchSender,
};

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

/// tokio's oneshot channel.
#[derive(Debug)]
pub struct TokioOneshot;

impl Oneshot for TokioOneshot {
    const NAME: &'static str = "tokio oneshot";
    const OURS: bool = false;
    type Tx = oneshot::Sender<Msg>;
    type Rx = oneshot::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        oneshot::channel()
    }
}

impl OneshotSender for oneshot::Sender<Msg> {
    fn send(self, msg: Msg) -> Result<(), Closed> {
        oneshot::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl OneshotReceiver for oneshot::Receiver<Msg> {
    async fn recv(self) -> Result<Msg, Closed> {
        self.await.map_err(|_| Closed)
    }
}

/// tokio's watch channel, with its one receiver.
#[derive(Debug)]
pub struct TokioWatch;

impl Watch for TokioWatch {
    const NAME: &'static str = "tokio watch";
    const OURS: bool = false;
    type Tx = watch::Sender<Msg>;
    type Rx = watch::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        watch::channel(0)
    }
}

/// The same channel with its receiver cloned: its own form.
impl SharedWatch for TokioWatch {
    const NAME: &'static str = "tokio watch";
    const OURS: bool = false;
    type Tx = watch::Sender<Msg>;
    type Rx = watch::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        watch::channel(0)
    }
}

impl WatchSender for watch::Sender<Msg> {
    fn send(&self, msg: Msg) -> Result<(), Closed> {
        watch::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl WatchReceiver for watch::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        self.changed().await.ok()?;
        Some(*self.borrow_and_update())
    }
}

/// tokio's `broadcast`: a send to a full channel overwrites the oldest
/// value (its capacity rounded up to a power of two).
#[derive(Debug)]
pub struct TokioBroadcast;

impl Broadcast for TokioBroadcast {
    const NAME: &'static str = "tokio broadcast";
    const OURS: bool = false;
    type Tx = broadcast::Sender<Msg>;
    type Rx = broadcast::Receiver<Msg>;

    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>) {
        let (tx, rx) = broadcast::channel(capacity);
        let mut all: Vec<_> = (1..receivers).map(|_| tx.subscribe()).collect();
        all.push(rx);
        (tx, all)
    }
}

impl BroadcastSender for broadcast::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        broadcast::Sender::send(self, msg)
            .map(drop)
            .map_err(|_| Closed)
    }
}

impl BroadcastReceiver for broadcast::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Result<Msg, u64>> {
        match broadcast::Receiver::recv(self).await {
            Ok(msg) => Some(Ok(msg)),
            Err(broadcast::error::RecvError::Lagged(n)) => Some(Err(n)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
