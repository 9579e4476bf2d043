//! `broadcast` under faults, both policies: receivers race each `recv` in
//! `select!` against a timer or a few polls (a cancelled receive must not
//! lose its value: the next one gets it), some receivers leave early (they
//! must hold nobody back), backpressured sends are cancelled too (a
//! cancelled send has not sent), and clones panic now and then (the value
//! counts as read by that receiver).
//!
//! A value is a sender's id and its sequence number, with a count of live
//! copies. Every receiver that stays to the end must see each sender's
//! values in order, none twice, and account for every value sent: under
//! backpressure it receives them all; under overwrite, what it receives
//! plus what it is told it missed (`Lagged(n)`) is what was sent. At the
//! end every copy made was dropped once.

use std::collections::BTreeSet;
use std::future::Future;
// Ordering: Relaxed for every count here, as in the ledger: counters on
// their own, read after the round's tasks are joined.
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use diatomic_channels::broadcast::{self, RecvError};
use diatomic_channels::SendError;

use crate::harness::{cancel_branch, Countdown, Exec, Rng, Task};
use crate::ledger::Tally;

/// The copies of a round's values: made (the originals and every clone)
/// and dropped.
#[derive(Default)]
struct Copies {
    made: AtomicUsize,
    dropped: AtomicUsize,
    /// Clones left to make before the next one panics (0: none armed).
    panic_in: AtomicUsize,
}

/// One value of one sender.
struct Value {
    sender: usize,
    seq: u64,
    copies: Arc<Copies>,
}

impl Value {
    fn new(sender: usize, seq: u64, copies: &Arc<Copies>) -> Self {
        copies.made.fetch_add(1, Relaxed);
        Self {
            sender,
            seq,
            copies: copies.clone(),
        }
    }
}

impl Clone for Value {
    fn clone(&self) -> Self {
        // Ordering: Relaxed, a counter of its own (as in the ledger).
        let armed = self
            .copies
            .panic_in
            .fetch_update(Relaxed, Relaxed, |n| n.checked_sub(1))
            .is_ok_and(|n| n == 1);
        if armed {
            panic!(
                "a clone of value {}/{} panics (injected)",
                self.sender, self.seq
            );
        }
        Value::new(self.sender, self.seq, &self.copies)
    }
}

impl Drop for Value {
    fn drop(&mut self) {
        self.copies.dropped.fetch_add(1, Relaxed);
    }
}

/// The two policies.
#[derive(Clone, Copy, Debug)]
pub enum Policy {
    Overwrite,
    Backpressure,
}

/// What one receiver saw.
#[derive(Default)]
struct Seen {
    received: u64,
    lagged: u64,
    /// Stayed to the end (was not dropped early).
    stayed: bool,
    /// A clone panicked in one of its receives: that value counts as read.
    clone_panics: u64,
    out_of_order: u64,
}

/// One round: `senders` senders and `receivers` receivers, capacity
/// `capacity`, `per_sender` sends each, on `exec`.
#[allow(clippy::too_many_arguments)]
pub fn round(
    exec: Exec,
    policy: Policy,
    seed: u64,
    capacity: usize,
    senders: usize,
    receivers: usize,
    per_sender: u64,
    tally: &Arc<Tally>,
) {
    let what = format!("broadcast {policy:?} cap {capacity} on {exec:?}");
    let copies = Arc::new(Copies::default());
    let timers = exec.has_timers();
    // The sequence numbers each sender really sent (not cancelled, not
    // handed back), for the audit.
    let sent: Arc<Mutex<Vec<BTreeSet<u64>>>> = Arc::new(Mutex::new(vec![BTreeSet::new(); senders]));
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let mut tasks: Vec<Task> = Vec::new();

    // The receivers subscribe before any send, so each is owed every value.
    let (send_halves, first_rx): (Vec<SendHalf>, _) = match policy {
        Policy::Overwrite => {
            let (tx, rx) = broadcast::channel::<Value>(capacity);
            (
                (0..senders)
                    .map(|_| SendHalf::Overwrite(tx.clone()))
                    .collect(),
                rx,
            )
        }
        Policy::Backpressure => {
            let (tx, rx) = broadcast::channel_with_backpressure::<Value>(capacity);
            (
                (0..senders)
                    .map(|_| SendHalf::Backpressure(tx.clone()))
                    .collect(),
                rx,
            )
        }
    };
    let mut rxs = vec![first_rx];
    while rxs.len() < receivers {
        rxs.push(rxs[0].resubscribe());
    }

    for (r, mut rx) in rxs.into_iter().enumerate() {
        let (seen, copies, tally) = (seen.clone(), copies.clone(), tally.clone());
        let mut rng = Rng::new(seed ^ (r as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        tasks.push(Box::pin(async move {
            let mut me = Seen::default();
            let mut last = vec![None::<u64>; senders];
            // Receiver 0 stays; the others may leave early.
            let leave_after = (r > 0 && rng.one_in(3)).then(|| rng.below(per_sender));
            loop {
                if leave_after.is_some_and(|n| me.received >= n) {
                    tally.early_receiver_drops.add(1);
                    break;
                }
                if rng.one_in(64) {
                    copies.panic_in.store(1, Relaxed);
                }
                let received = tokio::select! {
                    biased;
                    got = catch_recv(&mut rx) => got,
                    _ = cancel_branch(&mut rng, timers) => {
                        tally.cancelled_recvs.add(1);
                        continue;
                    }
                };
                match received {
                    Ok(Ok(value)) => {
                        if last[value.sender].is_some_and(|l| l >= value.seq) {
                            me.out_of_order += 1;
                        }
                        last[value.sender] = Some(value.seq);
                        me.received += 1;
                    }
                    Ok(Err(RecvError::Lagged(n))) => me.lagged += n,
                    Ok(Err(RecvError::Closed)) => {
                        me.stayed = true;
                        break;
                    }
                    Err(()) => {
                        me.clone_panics += 1;
                        tally.panicking_value_clones.add(1);
                    }
                }
                if rng.one_in(16) {
                    Countdown(1).await;
                }
            }
            drop(rx);
            seen.lock().unwrap().push(me);
        }));
    }

    for (s, tx) in send_halves.into_iter().enumerate() {
        let (sent, copies, tally) = (sent.clone(), copies.clone(), tally.clone());
        let mut rng = Rng::new(seed ^ (s as u64 + 7).wrapping_mul(0xA24B_AED4_963E_E407));
        tasks.push(Box::pin(async move {
            for seq in 0..per_sender {
                let value = Value::new(s, seq, &copies);
                let done = match &tx {
                    SendHalf::Overwrite(tx) => match tx.send(value) {
                        Ok(_) => true,
                        Err(SendError(value)) => {
                            drop(value);
                            tally.handed_back.add(1);
                            false
                        }
                    },
                    SendHalf::Backpressure(tx) => tokio::select! {
                        biased;
                        result = tx.send(value) => match result {
                            Ok(()) => true,
                            Err(SendError(value)) => {
                                drop(value);
                                tally.handed_back.add(1);
                                false
                            }
                        },
                        _ = cancel_branch(&mut rng, timers) => {
                            // Dropped before it returned `Ready`: not sent.
                            tally.cancelled_sends.add(1);
                            false
                        }
                    },
                };
                if done {
                    sent.lock().unwrap()[s].insert(seq);
                    tally.sent.add(1);
                }
                if rng.one_in(8) {
                    Countdown(1).await;
                }
            }
        }));
    }

    exec.run_all(&what, tasks);

    let sent = sent.lock().unwrap();
    let total: u64 = sent.iter().map(|s| s.len() as u64).sum();
    let seen = seen.lock().unwrap();
    let (mut lost, mut duplicated) = (0, 0);
    for me in seen.iter() {
        duplicated += me.out_of_order;
        tally.received.add(me.received);
        if !me.stayed {
            continue;
        }
        let accounted = me.received + me.lagged + me.clone_panics;
        let expected_lag = matches!(policy, Policy::Overwrite);
        if accounted != total || (!expected_lag && me.lagged != 0) {
            lost += 1;
            eprintln!(
                "{what}: a receiver accounted for {accounted} of {total} values \
                 (received {}, lagged {}, clones that panicked {})",
                me.received, me.lagged, me.clone_panics
            );
        }
    }
    let (made, dropped) = (copies.made.load(Relaxed), copies.dropped.load(Relaxed));
    if made != dropped {
        lost += 1;
        eprintln!("{what}: {made} copies made, {dropped} dropped");
    }
    tally.lost.add(lost);
    tally.duplicated.add(duplicated);
    tally.rounds.add(1);
    assert!(
        lost == 0 && duplicated == 0,
        "{what}: {lost} receivers or copies unaccounted for, {duplicated} values out of order or twice"
    );
}

/// A sending half of either policy.
enum SendHalf {
    Overwrite(broadcast::Sender<Value>),
    Backpressure(broadcast::BackpressureSender<Value>),
}

/// A `recv` whose clone may panic (injected): `Err(())` then.
async fn catch_recv(rx: &mut broadcast::Receiver<Value>) -> Result<Result<Value, RecvError>, ()> {
    let mut recv = std::pin::pin!(rx.recv());
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| recv.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(got)) => std::task::Poll::Ready(Ok(got)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(_) => std::task::Poll::Ready(Err(())),
        }
    })
    .await
}
