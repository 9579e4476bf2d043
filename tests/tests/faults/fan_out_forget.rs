//! Forgotten futures for the fan-out members: a pending receive (`recv`,
//! `changed`), a backpressured `send` blocked on a full ring, and a
//! sender's pending `closed` (`watch::shared`), each leaked with
//! `mem::forget`; then senders and receivers run on an executor, and every
//! other party must carry on: under backpressure every receiver gets every
//! value (the forgotten send's excepted, never sent), under overwrite what
//! it gets plus what it is told it missed (`Lagged`) is what was sent, each
//! sender's values in order; `watch::shared` receivers see their counts
//! rise to the last one, and a new `closed` completes once they are gone.
//! The capacity is 2 to 4: the room a forgotten send is given and keeps
//! (as tokio's forgotten permit) holds up nobody for good.
//!
//! Not under Miri: a forgotten future is a leak.

use std::mem::forget;
use std::sync::{Arc, Mutex};
use std::task::Waker;

use diatomic_channels::broadcast::RecvError;
use diatomic_channels::watch::shared;

use crate::broadcast::Policy;
use crate::fan_out::{Copies, FanTx, Value};
use crate::harness::{poll_once, Countdown, Exec, Rng, Task};
use crate::ledger::Tally;

const SENDERS: usize = 2;
const RECEIVERS: usize = 3;
const PER_SENDER: u64 = 200;

/// What one receiver saw.
#[derive(Default)]
struct Seen {
    received: u64,
    lagged: u64,
    /// Values of a sender not after the last one seen from it.
    out_of_order: u64,
}

/// `broadcast`, both policies, on `exec`.
pub fn broadcast(exec: Exec, seed: u64, tally: &Arc<Tally>) {
    for policy in [Policy::Overwrite, Policy::Backpressure] {
        broadcast_round(exec, policy, seed, tally);
    }
}

fn broadcast_round(exec: Exec, policy: Policy, seed: u64, tally: &Arc<Tally>) {
    let capacity = 2 + (seed % 3) as usize;
    let what = format!("broadcast {policy:?} cap {capacity} on {exec:?}, forgotten futures");
    let copies = Copies::new();
    let (tx, first) = FanTx::open(policy, capacity);
    let mut rxs = vec![first];
    while rxs.len() < RECEIVERS {
        rxs.push(rxs[0].resubscribe());
    }

    let mut recv = Box::pin(rxs[0].recv());
    assert!(
        poll_once(recv.as_mut(), Waker::noop()).is_pending(),
        "{what}"
    );
    forget(recv);
    tally.forgotten_recvs.add(1);

    // The ring full of values of a sender of their own (`SENDERS`), then
    // (backpressure) one more send, which waits, forgotten.
    let prefill = capacity as u64;
    for seq in 0..prefill {
        assert!(tx.send_now(Value::new(SENDERS, seq, &copies)).is_ok());
    }
    let mut leaked = 0;
    if let FanTx::Backpressure(sender) = &tx {
        let mut send = Box::pin(sender.send(Value::new(SENDERS, prefill, &copies)));
        assert!(
            poll_once(send.as_mut(), Waker::noop()).is_pending(),
            "{what}: full"
        );
        forget(send);
        tally.forgotten_sends.add(1);
        leaked = 1;
    }

    let total = prefill + SENDERS as u64 * PER_SENDER;
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let mut tasks: Vec<Task> = Vec::new();
    for (r, rx) in rxs.into_iter().enumerate() {
        let rng = Rng::new(seed ^ (r as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        tasks.push(Box::pin(receive_all(rx, rng, seen.clone())));
    }
    for s in 0..SENDERS {
        let (tx, copies) = (tx.clone(), copies.clone());
        let mut rng = Rng::new(seed ^ (s as u64 + 7).wrapping_mul(0xA24B_AED4_963E_E407));
        tasks.push(Box::pin(async move {
            for seq in 0..PER_SENDER {
                let value = Value::new(s, seq, &copies);
                let sent = match &tx {
                    FanTx::Overwrite(_) => tx.send_now(value).is_ok(),
                    FanTx::Backpressure(tx) => tx.send(value).await.is_ok(),
                };
                assert!(sent, "the receivers are there");
                if rng.one_in(8) {
                    Countdown(1).await;
                }
            }
        }));
    }
    drop(tx);
    exec.run_all(&what, tasks);

    let seen = seen.lock().unwrap();
    let mut lost = 0;
    let mut duplicated = 0;
    for me in seen.iter() {
        tally.received.add(me.received);
        duplicated += me.out_of_order;
        let lags = matches!(policy, Policy::Overwrite);
        if me.received + me.lagged != total || (!lags && me.lagged != 0) {
            lost += 1;
            eprintln!(
                "{what}: a receiver got {} and missed {} of {total}",
                me.received, me.lagged
            );
        }
    }
    tally.sent.add(total);
    tally.lost.add(lost);
    tally.duplicated.add(duplicated);
    tally.leaked_by_forget.add(leaked as u64);
    assert_eq!(seen.len(), RECEIVERS, "{what}: every receiver reported");
    assert!(
        lost == 0 && duplicated == 0,
        "{what}: {lost} receivers missed values, {duplicated} values out of order or twice"
    );
    copies.assert_all_dropped(&what, leaked);
    tally.rounds.add(1);
}

/// A receiver's task: reads until the channel closes, then reports.
async fn receive_all(
    mut rx: diatomic_channels::broadcast::Receiver<Value>,
    mut rng: Rng,
    seen: Arc<Mutex<Vec<Seen>>>,
) {
    let mut me = Seen::default();
    let mut last = [None::<u64>; SENDERS + 1];
    loop {
        match rx.recv().await {
            Ok(value) => {
                let (from, seq) = value.key();
                if last[from].is_some_and(|l| l >= seq) {
                    me.out_of_order += 1;
                }
                last[from] = Some(seq);
                me.received += 1;
            }
            Err(RecvError::Lagged(n)) => me.lagged += n,
            Err(RecvError::Closed) => break,
        }
        if rng.one_in(16) {
            Countdown(1).await;
        }
    }
    drop(rx);
    seen.lock().unwrap().push(me);
}

/// `watch::shared`, on `exec`: a pending `changed` and a sender's pending
/// `closed` forgotten, then the senders count up to `SENDERS *
/// PER_SENDER`; every receiver follows the count to its end, and a
/// watcher's `closed` completes once they are gone.
pub fn watch_shared(exec: Exec, seed: u64, tally: &Arc<Tally>) {
    let what = format!("watch::shared on {exec:?}, forgotten futures");
    let copies = Copies::new();
    let (tx, rx) = shared::channel(Value::new(0, 0, &copies));
    let mut rxs = vec![rx];
    while rxs.len() < RECEIVERS {
        rxs.push(rxs[0].clone());
    }

    let mut changed = Box::pin(rxs[0].changed());
    assert!(
        poll_once(changed.as_mut(), Waker::noop()).is_pending(),
        "{what}"
    );
    forget(changed);
    tally.forgotten_recvs.add(1);
    let mut closed = Box::pin(tx.closed());
    assert!(
        poll_once(closed.as_mut(), Waker::noop()).is_pending(),
        "{what}"
    );
    forget(closed);
    tally.forgotten_closed.add(1);

    let total = SENDERS as u64 * PER_SENDER;
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut tasks: Vec<Task> = Vec::new();
    for (r, mut rx) in rxs.into_iter().enumerate() {
        let (failures, tally) = (failures.clone(), tally.clone());
        let mut rng = Rng::new(seed ^ (r as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        tasks.push(Box::pin(async move {
            let mut last = rx.borrow_and_update().seq;
            while last < total {
                if rx.changed().await.is_err() {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("receiver {r}: closed at {last}"));
                    return;
                }
                let count = rx.borrow_and_update().seq;
                if count <= last {
                    let told = format!("receiver {r}: told of {count} after {last}");
                    failures.lock().unwrap().push(told);
                }
                tally.received.add(1);
                last = count;
                if rng.one_in(16) {
                    Countdown(1).await;
                }
            }
        }));
    }
    for s in 0..SENDERS {
        let (tx, copies) = (tx.clone(), copies.clone());
        let mut rng = Rng::new(seed ^ (s as u64 + 7).wrapping_mul(0xA24B_AED4_963E_E407));
        tasks.push(Box::pin(async move {
            for _ in 0..PER_SENDER {
                if rng.one_in(2) {
                    tx.send_modify(|v| v.seq += 1);
                } else {
                    // A new value in place of the old: its copies counted.
                    let mut old = None;
                    tx.send_modify(|v| {
                        let next = Value::new(0, v.seq + 1, &copies);
                        old = Some(std::mem::replace(v, next));
                    });
                    drop(old);
                }
                if rng.one_in(8) {
                    Countdown(1).await;
                }
            }
        }));
    }
    // The watcher keeps a sender (no receiver sees a close) until every
    // receiver has reached the end and gone.
    tasks.push(Box::pin(async move {
        tx.closed().await;
        drop(tx);
    }));
    exec.run_all(&what, tasks);

    tally.sent.add(total);
    let failures = failures.lock().unwrap();
    tally.lost.add(failures.len() as u64);
    assert!(failures.is_empty(), "{what}: {failures:?}");
    copies.assert_all_dropped(&what, 0);
    tally.rounds.add(1);
}
