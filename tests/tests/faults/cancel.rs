//! Random cancellation under real contention: producers race each `send`
//! in `select!` against a timer or a few polls, the receiver does the same
//! with `recv`, and may close or leave early. Every item must end up
//! received, handed back, or dropped, exactly once.

use std::sync::Arc;

use diatomic_channels::oneshot::{self, Once};
use diatomic_channels::{RecvError, SendError};

use crate::harness::{cancel_branch, senders, Countdown, Exec, Leaked, Rng, Rx, Task, Tx};
use crate::ledger::{Item, Ledger, Tally};

/// One round: `producers` senders (one if the channel has one producer)
/// each sending `per_producer` items to one receiver, on `exec`.
#[allow(clippy::too_many_arguments)]
pub fn round<T: Tx, R: Rx>(
    exec: Exec,
    what: &str,
    tx: T,
    rx: R,
    seed: u64,
    producers: usize,
    per_producer: usize,
    tally: &Arc<Tally>,
) {
    let ledger = Ledger::new(producers * per_producer);
    // Each member and home makes its own choices from the same seed.
    let seed = what
        .bytes()
        .fold(seed, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01B3));
    let senders = senders(tx, producers);
    let total = (senders.len() * per_producer) as u64;
    let timers = exec.has_timers();
    let mut tasks: Vec<Task> = Vec::new();
    {
        for (p, mut tx) in senders.into_iter().enumerate() {
            let (ledger, tally) = (ledger.clone(), tally.clone());
            tasks.push(Box::pin(async move {
                let mut rng = Rng::new(seed ^ (p as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
                for _ in 0..per_producer {
                    let item = ledger.item(false);
                    let id = item.id;
                    tokio::select! {
                        biased;
                        sent = tx.send(item) => {
                            if let Err(SendError(item)) = sent {
                                ledger.handed_back(item);
                            }
                        }
                        _ = cancel_branch(&mut rng, timers) => {
                            // Dropped before it returned `Ready`: not sent.
                            ledger.cancelled(id);
                            tally.cancelled_sends.add(1);
                        }
                    }
                    if rng.one_in(16) {
                        Countdown(1).await;
                    }
                }
            }));
        }
        let (ledger, tally) = (ledger.clone(), tally.clone());
        tasks.push(Box::pin(async move {
            let mut rx = rx;
            let mut rng = Rng::new(seed);
            // One round in four, the receiver closes or leaves early.
            let mut leave_after = rng.one_in(4).then(|| rng.below(total + 1));
            let mut received = 0;
            loop {
                if leave_after == Some(received) {
                    leave_after = None;
                    if rng.one_in(2) {
                        tally.early_receiver_drops.add(1);
                        return;
                    }
                    tally.early_closes.add(1);
                    rx.close();
                }
                tokio::select! {
                    biased;
                    item = rx.recv() => match item {
                        Ok(item) => {
                            ledger.received(item);
                            received += 1;
                        }
                        Err(RecvError) => return,
                    },
                    _ = cancel_branch(&mut rng, timers) => tally.cancelled_recvs.add(1),
                }
            }
        }));
    }
    exec.run_all(what, tasks);
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// `oneshot`: `channels` request-replies, each sender sending after a few
/// polls (or racing `closed()`, or leaving unsent), each receiver racing
/// its value against a cancelling branch, and then either waiting again
/// or leaving.
pub fn oneshot_round(exec: Exec, home: &str, seed: u64, channels: usize, tally: &Arc<Tally>) {
    let ledger = Ledger::new(channels);
    let seed = seed ^ home.len() as u64;
    let timers = exec.has_timers();
    let mut tasks: Vec<Task> = Vec::new();
    let mut leaked = Vec::new();
    {
        for i in 0..channels {
            let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9FB2_1C65_1E98_DF25));
            let (tx, rx) = if home == "arc" {
                let (tx, rx) = oneshot::channel();
                (Either::Arc(tx), Either::Arc(rx))
            } else {
                let channel = Leaked::new(Once::new());
                let (tx, rx) = oneshot::split(channel.channel()).expect("split once");
                leaked.push(channel);
                (Either::Static(tx), Either::Static(rx))
            };
            let (ledger_tx, tally_rx) = (ledger.clone(), tally.clone());
            let mut send_rng = Rng::new(rng.next());
            tasks.push(Box::pin(async move {
                let mut tx = tx;
                match send_rng.below(8) {
                    0 => return, // left unsent
                    1 => {
                        tokio::select! {
                            biased;
                            _ = tx.closed() => {}
                            _ = Countdown(send_rng.below(4) as u32) => {}
                        }
                    }
                    _ => Countdown(send_rng.below(3) as u32).await,
                }
                if let Err(item) = tx.send(ledger_tx.item(false)) {
                    ledger_tx.handed_back(item);
                }
            }));
            let ledger = ledger.clone();
            tasks.push(Box::pin(async move {
                let mut rx = rx;
                tokio::select! {
                    biased;
                    value = rx.recv() => {
                        if let Ok(item) = value {
                            ledger.received(item);
                        }
                        return;
                    }
                    _ = cancel_branch(&mut rng, timers) => tally_rx.cancelled_recvs.add(1),
                }
                if rng.one_in(2) {
                    tally_rx.early_receiver_drops.add(1);
                } else if let Ok(item) = rx.recv().await {
                    ledger.received(item);
                }
            }));
        }
    }
    exec.run_all(&format!("oneshot/{home}"), tasks);
    for channel in leaked {
        // Safety: both halves were moved into the tasks, which are done.
        unsafe { channel.reclaim() };
    }
    ledger.audit(&format!("oneshot/{home}"), tally);
    tally.rounds.add(1);
}

/// Either home's `oneshot` halves, behind one type for the tasks.
enum Either<A, S> {
    Arc(A),
    Static(S),
}

type ArcTx = oneshot::Sender<Item>;
type StaticTx = oneshot::SenderRef<'static, Item>;
type ArcRx = oneshot::Receiver<Item>;
type StaticRx = oneshot::ReceiverRef<'static, Item>;

impl Either<ArcTx, StaticTx> {
    async fn closed(&mut self) {
        match self {
            Either::Arc(tx) => tx.closed().await,
            Either::Static(tx) => tx.closed().await,
        }
    }

    fn send(self, item: Item) -> Result<(), Item> {
        match self {
            Either::Arc(tx) => tx.send(item),
            Either::Static(tx) => tx.send(item),
        }
    }
}

impl Either<ArcRx, StaticRx> {
    async fn recv(&mut self) -> Result<Item, RecvError> {
        match self {
            Either::Arc(rx) => rx.await,
            Either::Static(rx) => rx.await,
        }
    }
}
