//! What the rounds of the fan-out members (`broadcast` under both policies,
//! `watch::shared`) share: counted values, either policy's sender, and
//! futures polled by hand with a waker that counts its wakes.

use std::future::Future;
use std::pin::Pin;
// Ordering: Relaxed for the copy counts: counters on their own, read by
// the thread that made the copies, or after the round's tasks are joined.
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Poll, Waker};

use diatomic_channels::broadcast::{self, BackpressureSender, Receiver};
use diatomic_channels::{SendError, TrySendError};

use crate::broadcast::Policy;
use crate::harness::{poll_once, Misbehaving};

/// The copies of a round's values: made (each `new` and each clone) and
/// dropped.
#[derive(Default)]
pub struct Copies {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Copies {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    pub fn made(&self) -> usize {
        self.made.load(Relaxed)
    }

    pub fn dropped(&self) -> usize {
        self.dropped.load(Relaxed)
    }

    /// Every copy made was dropped, but `leaked` (left in futures forgotten
    /// on purpose).
    #[track_caller]
    pub fn assert_all_dropped(&self, what: &str, leaked: usize) {
        let (made, dropped) = (self.made(), self.dropped());
        assert_eq!(
            made,
            dropped + leaked,
            "{what}: {made} copies made, {dropped} dropped, {leaked} leaked on purpose"
        );
    }
}

/// A value of a round: who made it and its number there, with its copies
/// counted.
pub struct Value {
    pub from: usize,
    pub seq: u64,
    copies: Arc<Copies>,
}

impl Value {
    pub fn new(from: usize, seq: u64, copies: &Arc<Copies>) -> Self {
        copies.made.fetch_add(1, Relaxed);
        Self {
            from,
            seq,
            copies: copies.clone(),
        }
    }

    /// Who made it and its number, as one key.
    pub fn key(&self) -> (usize, u64) {
        (self.from, self.seq)
    }
}

impl Clone for Value {
    fn clone(&self) -> Self {
        Value::new(self.from, self.seq, &self.copies)
    }
}

impl Drop for Value {
    fn drop(&mut self) {
        self.copies.dropped.fetch_add(1, Relaxed);
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value({}/{})", self.from, self.seq)
    }
}

/// A `broadcast` sender of either policy.
#[derive(Clone)]
pub enum FanTx {
    Overwrite(broadcast::Sender<Value>),
    Backpressure(BackpressureSender<Value>),
}

impl FanTx {
    /// A channel of `capacity` under `policy`, and its first receiver.
    pub fn open(policy: Policy, capacity: usize) -> (Self, Receiver<Value>) {
        match policy {
            Policy::Overwrite => {
                let (tx, rx) = broadcast::channel(capacity);
                (FanTx::Overwrite(tx), rx)
            }
            Policy::Backpressure => {
                let (tx, rx) = broadcast::channel_with_backpressure(capacity);
                (FanTx::Backpressure(tx), rx)
            }
        }
    }

    /// Sends at once (backpressure: the ring must have room); the value
    /// back if no receiver is left.
    pub fn send_now(&self, value: Value) -> Result<(), Value> {
        match self {
            FanTx::Overwrite(tx) => tx.send(value).map(drop).map_err(|SendError(v)| v),
            FanTx::Backpressure(tx) => match tx.try_send(value) {
                Ok(()) => Ok(()),
                Err(TrySendError::Closed(v)) => Err(v),
                Err(TrySendError::Full(v)) => panic!("the ring has room for {v:?}"),
            },
        }
    }

    /// The backpressured sender (the round's policy must be that one).
    pub fn backpressured(&self) -> &BackpressureSender<Value> {
        match self {
            FanTx::Backpressure(tx) => tx,
            FanTx::Overwrite(_) => panic!("a backpressured sender"),
        }
    }

    pub fn subscribe(&self) -> Receiver<Value> {
        match self {
            FanTx::Overwrite(tx) => tx.subscribe(),
            FanTx::Backpressure(tx) => tx.subscribe(),
        }
    }
}

/// A future polled by hand with a waker of its own that counts its wakes.
pub struct Polled<'a, T> {
    /// Who it is, for failures.
    label: String,
    future: Pin<Box<dyn Future<Output = T> + 'a>>,
    flag: Arc<Misbehaving>,
    waker: Waker,
    /// Wakes seen by the last poll.
    seen: usize,
}

impl<'a, T> Polled<'a, T> {
    /// Polls `future` once, which must be pending; its waker panics on
    /// wake if `panics`.
    #[track_caller]
    pub fn pending(label: String, future: impl Future<Output = T> + 'a, panics: bool) -> Self {
        let (flag, waker) = Misbehaving::waker(panics);
        let mut this = Self {
            label,
            future: Box::pin(future),
            flag,
            waker,
            seen: 0,
        };
        assert!(this.poll().is_pending(), "{}: waits at first", this.label);
        this
    }

    /// Its waker's counts.
    pub fn flag(&self) -> Arc<Misbehaving> {
        self.flag.clone()
    }

    /// Wakes since the last poll.
    pub fn new_wakes(&self) -> usize {
        self.flag.wakes() - self.seen
    }

    /// Polls again, with the same waker.
    pub fn poll(&mut self) -> Poll<T> {
        self.seen = self.flag.wakes();
        poll_once(self.future.as_mut(), &self.waker)
    }

    /// Asserts that it was not woken since the last poll.
    #[track_caller]
    pub fn assert_not_woken(&self) {
        let label = &self.label;
        assert_eq!(self.new_wakes(), 0, "{label}: woken before it is due");
    }

    /// Asserts that it was woken exactly once since the last poll, then
    /// polls it.
    #[track_caller]
    pub fn poll_woken(&mut self) -> Poll<T> {
        let label = &self.label;
        assert_eq!(self.new_wakes(), 1, "{label}: woken once for it");
        self.poll()
    }

    /// Polls it once more; it must complete, and was woken once for it.
    #[track_caller]
    pub fn complete(&mut self) -> T {
        match self.poll_woken() {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("{}: woken, and completes", self.label),
        }
    }

    /// Polls it once more (not woken); it must still wait.
    #[track_caller]
    pub fn still_waits(&mut self) {
        self.assert_not_woken();
        assert!(self.poll().is_pending(), "{}: still waits", self.label);
    }
}
