//! Our contenders. MPSC: the `mpsc` channel (the family's ring, any
//! capacity), the `slot` channel (capacity 1), and a core declared by a user
//! with `#[async_channel]` over crossbeam's `ArrayQueue` (any capacity), which
//! shows the runtime's cost apart from any core of ours. MPMC: the `mpmc`
//! channel, and the same `ArrayQueue` declared with `receivers = many`. The
//! other families: the `spsc` channel (any capacity), `oneshot`, `watch`
//! and `broadcast` (both policies).
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use diatomic_channels::slot::{Slot, SlotReceiver, SlotSender};
use diatomic_channels::{
    async_channel, broadcast, mpmc, oneshot, spsc, watch, ChannelCore, Consumer, Many, One,
    Producer, Receiver, SharedReceiver,
};

use super::{
    Blocking, BlockingReceiver, BlockingSender, Broadcast, BroadcastReceiver, BroadcastSender,
    Closed, Mixed, Mpmc, Mpsc, MpscReceiver, MpscSender, Msg, Oneshot, OneshotReceiver,
    OneshotSender, SharedWatch, Spsc, SpscReceiver, SpscSender, Watch, WatchReceiver, WatchSender,
};

/// A channel core as a user would write one: crossbeam's bounded lock-free
/// queue, made async by the attribute.
#[async_channel(sender = ArrayQueueSender, receiver = ArrayQueueReceiver)]
pub struct ArrayQueueCore<T> {
    queue: crossbeam_queue::ArrayQueue<T>,
}

impl<T: Send> ChannelCore for ArrayQueueCore<T> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        self.queue.push(item)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.queue.pop()
    }
}

impl<T> ArrayQueueCore<T> {
    /// An empty core of `capacity` places.
    pub fn new(capacity: usize) -> Self {
        Self {
            queue: crossbeam_queue::ArrayQueue::new(capacity),
        }
    }
}

impl<T> std::fmt::Debug for ArrayQueueCore<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrayQueueCore")
            .field("len", &self.queue.len())
            .field("capacity", &self.queue.capacity())
            .finish()
    }
}

/// `#[async_channel]` over `ArrayQueue`: every capacity.
#[derive(Debug)]
pub struct OursArrayQueue;

impl Mpsc for OursArrayQueue {
    const NAME: &'static str = "ours/ArrayQueue";
    const OURS: bool = true;
    type Tx = ArrayQueueSender<Msg>;
    type Rx = ArrayQueueReceiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        ArrayQueueCore::new(capacity).into_channel()
    }
}

impl MpscSender for ArrayQueueSender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        // The generic sender behind the named one (`self.send` here would
        // pick this very method).
        let tx: &diatomic_channels::Sender<ArrayQueueCore<Msg>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for ArrayQueueReceiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<ArrayQueueCore<Msg>> = self;
        rx.recv().await.ok()
    }
}

/// The user's core again, declared with many receivers: an async MPMC
/// channel in a dozen lines (`ArrayQueue` takes any number of poppers).
#[async_channel(
    sender = ArrayQueueManySender,
    receiver = ArrayQueueManyReceiver,
    receivers = many
)]
pub struct ArrayQueueManyCore<T> {
    queue: crossbeam_queue::ArrayQueue<T>,
}

impl<T: Send> ChannelCore for ArrayQueueManyCore<T> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        self.queue.push(item)
    }
    fn try_pop(&self, _: Consumer<'_, Many>) -> Option<T> {
        self.queue.pop()
    }
    fn certainly_empty(&self) -> bool {
        // `pop` waits out a push being written: it never misses an item
        // that is there, so an empty queue is empty.
        self.queue.is_empty()
    }
}

impl<T> std::fmt::Debug for ArrayQueueManyCore<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrayQueueManyCore")
            .field("len", &self.queue.len())
            .field("capacity", &self.queue.capacity())
            .finish()
    }
}

/// `#[async_channel(receivers = many)]` over `ArrayQueue`: every capacity.
#[derive(Debug)]
pub struct OursArrayQueueMany;

impl Mpmc for OursArrayQueueMany {
    const NAME: &'static str = "ours/ArrayQueue many";
    const OURS: bool = true;
    type Tx = ArrayQueueManySender<Msg>;
    type Rx = ArrayQueueManyReceiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        ArrayQueueManyCore {
            queue: crossbeam_queue::ArrayQueue::new(capacity),
        }
        .into_channel()
    }
}

impl MpscSender for ArrayQueueManySender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        let tx: &diatomic_channels::Sender<ArrayQueueManyCore<Msg>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for ArrayQueueManyReceiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &SharedReceiver<ArrayQueueManyCore<Msg>> = self;
        rx.recv().await.ok()
    }
}

/// The `mpmc` channel: every capacity; in the MPSC family too (one
/// receiver), against our `mpsc`.
#[derive(Debug)]
pub struct OursMpmc;

impl Mpmc for OursMpmc {
    const NAME: &'static str = "ours/mpmc";
    const OURS: bool = true;
    type Tx = mpmc::Sender<Msg>;
    type Rx = mpmc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        mpmc::channel(capacity)
    }
}

impl Mpsc for OursMpmc {
    const NAME: &'static str = "ours/mpmc";
    const OURS: bool = true;
    type Tx = mpmc::Sender<Msg>;
    type Rx = mpmc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        mpmc::channel(capacity)
    }
}

impl MpscSender for mpmc::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        let tx: &diatomic_channels::Sender<mpmc::Ring<Msg, _>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for mpmc::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &SharedReceiver<mpmc::Ring<Msg, _>> = self;
        rx.recv().await.ok()
    }
}

/// The `mpsc` channel: every capacity.
#[derive(Debug)]
pub struct OursMpsc;

impl Mpsc for OursMpsc {
    const NAME: &'static str = "ours/mpsc";
    const OURS: bool = true;
    type Tx = diatomic_channels::mpsc::Sender<Msg>;
    type Rx = diatomic_channels::mpsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        diatomic_channels::mpsc::channel(capacity)
    }
}

/// The `mpsc` channel with [`SendOrder::Overtaking`]: a sender that finds
/// room takes it even while others wait (as tachyonix's does).
///
/// [`SendOrder::Overtaking`]: diatomic_channels::SendOrder::Overtaking
#[derive(Debug)]
pub struct OursMpscOvertaking;

impl Mpsc for OursMpscOvertaking {
    const NAME: &'static str = "ours/mpsc overtaking";
    const OURS: bool = true;
    type Tx = diatomic_channels::mpsc::Sender<Msg>;
    type Rx = diatomic_channels::mpsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        diatomic_channels::mpsc::channel_with_order(
            capacity,
            diatomic_channels::SendOrder::Overtaking,
        )
    }
}

impl MpscSender for diatomic_channels::mpsc::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        let tx: &diatomic_channels::Sender<diatomic_channels::mpsc::Ring<Msg, _>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for diatomic_channels::mpsc::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<diatomic_channels::mpsc::Ring<Msg, _>> = self;
        rx.recv().await.ok()
    }
}

/// The `slot` channel: capacity 1 only.
#[derive(Debug)]
pub struct OursSlot;

impl Mpsc for OursSlot {
    const NAME: &'static str = "ours/slot";
    const OURS: bool = true;
    type Tx = SlotSender<Msg>;
    type Rx = SlotReceiver<Msg>;

    fn accepts(capacity: usize) -> bool {
        capacity == 1
    }

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        assert_eq!(capacity, 1, "the slot channel has capacity 1");
        diatomic_channels::slot::channel()
    }
}

impl MpscSender for SlotSender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        // The generic sender behind the named one (`self.send` here would
        // pick this very method).
        let tx: &diatomic_channels::Sender<Slot<Msg>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for SlotReceiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<Slot<Msg>> = self;
        rx.recv().await.ok()
    }
}

/// The `spsc` channel: every capacity.
#[derive(Debug)]
pub struct OursSpsc;

impl Spsc for OursSpsc {
    const NAME: &'static str = "ours/spsc";
    const OURS: bool = true;
    type Tx = spsc::Sender<Msg>;
    type Rx = spsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        spsc::channel(capacity)
    }
}

/// The core behind `spsc::channel`.
type SpscRing = spsc::Ring<Msg, spsc::Boxed<Msg>>;

impl SpscSender for spsc::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        // The generic one-producer sender behind the named one.
        let tx: &mut diatomic_channels::Sender<SpscRing, One> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl SpscReceiver for spsc::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<SpscRing> = self;
        rx.recv().await.ok()
    }
}

/// The `oneshot` channel.
#[derive(Debug)]
pub struct OursOneshot;

impl Oneshot for OursOneshot {
    const NAME: &'static str = "ours/oneshot";
    const OURS: bool = true;
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
        // The receiver is the future.
        self.await.map_err(|_| Closed)
    }
}

/// The `watch` channel.
#[derive(Debug)]
pub struct OursWatch;

impl Watch for OursWatch {
    const NAME: &'static str = "ours/watch";
    const OURS: bool = true;
    type Tx = watch::Sender<Msg>;
    type Rx = watch::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        watch::channel()
    }
}

impl WatchSender for watch::Sender<Msg> {
    fn send(&self, msg: Msg) -> Result<(), Closed> {
        watch::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl WatchReceiver for watch::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        // The generic receiver behind the named one: its `recv` takes the
        // latest value.
        let rx: &mut Receiver<watch::Latest<Msg>> = self;
        rx.recv().await.ok()
    }
}

/// `watch::shared`: tokio's form of `watch`.
#[derive(Debug)]
pub struct OursSharedWatch;

impl SharedWatch for OursSharedWatch {
    const NAME: &'static str = "ours/watch shared";
    const OURS: bool = true;
    type Tx = watch::shared::Sender<Msg>;
    type Rx = watch::shared::Receiver<Msg>;

    fn channel() -> (Self::Tx, Self::Rx) {
        watch::shared::channel(0)
    }
}

impl WatchSender for watch::shared::Sender<Msg> {
    fn send(&self, msg: Msg) -> Result<(), Closed> {
        watch::shared::Sender::send(self, msg).map_err(|_| Closed)
    }
}

impl WatchReceiver for watch::shared::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        self.changed().await.ok()?;
        Some(*self.borrow_and_update())
    }
}

impl Blocking for OursMpsc {
    const NAME: &'static str = "ours/mpsc";
    const OURS: bool = true;
    type Tx = diatomic_channels::mpsc::Sender<Msg>;
    type Rx = diatomic_channels::mpsc::Receiver<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        diatomic_channels::mpsc::channel(capacity)
    }
}

impl BlockingSender for diatomic_channels::mpsc::Sender<Msg> {
    fn send_blocking(&self, msg: Msg) -> Result<(), Closed> {
        let tx: &diatomic_channels::Sender<diatomic_channels::mpsc::Ring<Msg, _>> = self;
        tx.send_blocking(msg).map_err(|_| Closed)
    }
}

impl BlockingReceiver for diatomic_channels::mpsc::Receiver<Msg> {
    fn recv_blocking(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<diatomic_channels::mpsc::Ring<Msg, _>> = self;
        rx.recv_blocking().ok()
    }
}

/// One `mpsc` channel serves both sides as it is.
impl Mixed for OursMpsc {
    const NAME: &'static str = "ours/mpsc";
    const OURS: bool = true;
    type ThreadTx = diatomic_channels::mpsc::Sender<Msg>;
    type TaskRx = diatomic_channels::mpsc::Receiver<Msg>;
    type TaskTx = diatomic_channels::mpsc::Sender<Msg>;
    type ThreadRx = diatomic_channels::mpsc::Receiver<Msg>;

    fn threads_to_task(capacity: usize) -> (Self::ThreadTx, Self::TaskRx) {
        diatomic_channels::mpsc::channel(capacity)
    }

    fn tasks_to_thread(capacity: usize) -> (Self::TaskTx, Self::ThreadRx) {
        diatomic_channels::mpsc::channel(capacity)
    }
}

/// `broadcast::channel`: tokio's policy, a send to a full ring overwrites
/// the oldest value.
#[derive(Debug)]
pub struct OursBroadcast;

/// `broadcast::channel_with_backpressure`: a send to a full ring waits for
/// the slowest receiver.
#[derive(Debug)]
pub struct OursBroadcastBackpressure;

/// `receivers` receivers of a channel whose first one is `rx`.
fn subscribed(rx: broadcast::Receiver<Msg>, receivers: usize) -> Vec<broadcast::Receiver<Msg>> {
    let mut all: Vec<_> = (1..receivers).map(|_| rx.resubscribe()).collect();
    all.push(rx);
    all
}

impl Broadcast for OursBroadcast {
    const NAME: &'static str = "ours/broadcast";
    const OURS: bool = true;
    type Tx = broadcast::Sender<Msg>;
    type Rx = broadcast::Receiver<Msg>;

    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>) {
        let (tx, rx) = broadcast::channel(capacity);
        (tx, subscribed(rx, receivers))
    }
}

impl Broadcast for OursBroadcastBackpressure {
    const NAME: &'static str = "ours/broadcast backpressure";
    const OURS: bool = true;
    type Tx = broadcast::BackpressureSender<Msg>;
    type Rx = broadcast::Receiver<Msg>;

    fn channel(capacity: usize, receivers: usize) -> (Self::Tx, Vec<Self::Rx>) {
        let (tx, rx) = broadcast::channel_with_backpressure(capacity);
        (tx, subscribed(rx, receivers))
    }
}

impl BroadcastSender for broadcast::Sender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        broadcast::Sender::send(self, msg)
            .map(drop)
            .map_err(|_| Closed)
    }
}

impl BroadcastSender for broadcast::BackpressureSender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        broadcast::BackpressureSender::send(self, msg)
            .await
            .map_err(|_| Closed)
    }
}

impl BroadcastReceiver for broadcast::Receiver<Msg> {
    async fn recv(&mut self) -> Option<Result<Msg, u64>> {
        match broadcast::Receiver::recv(self).await {
            Ok(msg) => Some(Ok(msg)),
            Err(broadcast::RecvError::Lagged(n)) => Some(Err(n)),
            Err(broadcast::RecvError::Closed) => None,
        }
    }
}
