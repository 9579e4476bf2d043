//! `watch::shared` under faults: receivers race `changed` (and `wait_for`)
//! in `select!` against a timer or a few polls, some leave early, senders
//! update the value by `send_modify` and `send_replace` from several tasks.
//!
//! Each update raises a count by one, so a receiver told of a change must
//! see a count above the last it saw (a change told twice would show the
//! same count), a cancelled `changed` must not lose the change (the next
//! call reports it), and every receiver that stays sees the final count
//! once the senders are gone. Every value made is dropped once.

// Ordering: Relaxed for every count here, as in the ledger: counters on
// their own, read after the round's tasks are joined.
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use diatomic_channels::watch::shared;

use crate::harness::{cancel_branch, Countdown, Exec, Rng, Task};
use crate::ledger::Tally;

/// Values made and dropped in a round.
#[derive(Default)]
struct Copies {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

/// The watched value: a count of updates.
struct Value {
    count: u64,
    copies: Arc<Copies>,
}

impl Value {
    fn new(count: u64, copies: &Arc<Copies>) -> Self {
        copies.made.fetch_add(1, Relaxed);
        Self {
            count,
            copies: copies.clone(),
        }
    }
}

impl Drop for Value {
    fn drop(&mut self) {
        self.copies.dropped.fetch_add(1, Relaxed);
    }
}

/// One round: `senders` senders of `per_sender` updates each, `receivers`
/// receivers, on `exec`, in both homes (an `Arc`, and a `Watch` the halves
/// borrow for `'static`, as a `static` would be).
pub fn round(
    exec: Exec,
    seed: u64,
    senders: usize,
    receivers: usize,
    per_sender: u64,
    tally: &Arc<Tally>,
) {
    for home in ["arc", "static"] {
        let what = format!("watch::shared/{home} on {exec:?}");
        let copies = Arc::new(Copies::default());
        let failures = Arc::new(AtomicUsize::new(0));
        let shape = Shape {
            exec,
            seed,
            senders,
            receivers,
            per_sender,
        };
        if home == "arc" {
            let (tx, rx) = shared::channel(Value::new(0, &copies));
            drive(&what, shape, tx, rx, &copies, &failures, tally);
        } else {
            let raw = Box::into_raw(Box::new(shared::Watch::new(Value::new(0, &copies))));
            // Safety: `raw` is a live allocation, freed only below, after
            // every borrow made from this reference is gone.
            let watch: &'static shared::Watch<Value> = unsafe { &*raw };
            let (tx, rx) = shared::split(watch).expect("split once");
            drive(&what, shape, tx, rx, &copies, &failures, tally);
            // Safety: `drive` ran every task to its end and dropped every
            // half, so nothing borrows the `Watch` any more; this drops it
            // (and its value) once, as the `Arc` home does.
            drop(unsafe { Box::from_raw(raw) });
        }
        let mut lost = failures.load(Relaxed) as u64;
        let (made, dropped) = (copies.made.load(Relaxed), copies.dropped.load(Relaxed));
        if made != dropped {
            lost += 1;
            eprintln!("{what}: {made} values made, {dropped} dropped");
        }
        tally.lost.add(lost);
        tally.rounds.add(1);
        assert_eq!(
            lost, 0,
            "{what}: a change told twice or lost, or a value not dropped once"
        );
    }
}

/// What a round runs.
#[derive(Clone, Copy)]
struct Shape {
    exec: Exec,
    seed: u64,
    senders: usize,
    receivers: usize,
    per_sender: u64,
}

/// Runs a round's tasks on the halves of either home; every half is
/// dropped when it returns.
fn drive<H: shared::WatchHome<Value> + Send + Sync + 'static>(
    what: &str,
    shape: Shape,
    tx: shared::Sender<Value, H>,
    rx: shared::Receiver<Value, H>,
    copies: &Arc<Copies>,
    failures: &Arc<AtomicUsize>,
    tally: &Arc<Tally>,
) {
    let Shape {
        exec,
        seed,
        senders,
        receivers,
        per_sender,
    } = shape;
    let timers = exec.has_timers();
    let total = senders as u64 * per_sender;
    let mut tasks: Vec<Task> = Vec::new();

    let mut rxs = vec![rx];
    while rxs.len() < receivers {
        rxs.push(rxs[0].clone());
    }
    for (r, mut rx) in rxs.into_iter().enumerate() {
        let (tally, failures) = (tally.clone(), failures.clone());
        let what = what.to_owned();
        let mut rng = Rng::new(seed ^ (r as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        tasks.push(Box::pin(async move {
            let mut last = rx.borrow_and_update().count;
            // Receiver 0 stays; the others may leave early.
            let leave_after = (r > 0 && rng.one_in(3)).then(|| rng.below(total.max(1)));
            // Receiver 1 waits with `wait_for` for counts a few ahead.
            let waits_for = r == 1;
            loop {
                if leave_after.is_some_and(|n| last >= n) {
                    tally.early_receiver_drops.add(1);
                    return;
                }
                let told = if waits_for {
                    let target = last + 1 + rng.below(3);
                    tokio::select! {
                        biased;
                        seen = rx.wait_for(|v| v.count >= target.min(total)) => {
                            seen.map(|v| v.count).map_err(drop)
                        }
                        _ = cancel_branch(&mut rng, timers) => {
                            tally.cancelled_recvs.add(1);
                            continue;
                        }
                    }
                } else {
                    tokio::select! {
                        biased;
                        changed = rx.changed() => {
                            changed.map(|()| rx.borrow_and_update().count).map_err(drop)
                        }
                        _ = cancel_branch(&mut rng, timers) => {
                            tally.cancelled_recvs.add(1);
                            continue;
                        }
                    }
                };
                match told {
                    Ok(count) => {
                        // `wait_for` may return the value it already saw
                        // when it satisfies the predicate; `changed` never.
                        let fresh = if waits_for {
                            count >= last
                        } else {
                            count > last
                        };
                        if !fresh {
                            failures.fetch_add(1, Relaxed);
                            eprintln!("{what}: receiver {r} told of count {count} after {last}");
                        }
                        tally.received.add(1);
                        last = count;
                        if waits_for && last >= total {
                            break;
                        }
                    }
                    Err(()) => break, // every sender gone
                }
                if rng.one_in(16) {
                    Countdown(1).await;
                }
            }
            // The senders are gone (or the last count is in): the value is
            // the final one.
            let end = rx.borrow().count;
            if end != total {
                failures.fetch_add(1, Relaxed);
                eprintln!("{what}: receiver {r} ended at {end} of {total}");
            }
        }));
    }

    for s in 0..senders {
        let tx = tx.clone();
        let (copies, tally) = (copies.clone(), tally.clone());
        let mut rng = Rng::new(seed ^ (s as u64 + 7).wrapping_mul(0xA24B_AED4_963E_E407));
        tasks.push(Box::pin(async move {
            for _ in 0..per_sender {
                if rng.one_in(2) {
                    tx.send_modify(|v| v.count += 1);
                } else {
                    // A whole new value in place of the old, under the
                    // write lock: the count read and raised at once.
                    let mut old = None;
                    tx.send_modify(|v| {
                        let next = Value::new(v.count + 1, &copies);
                        old = Some(std::mem::replace(v, next));
                    });
                    drop(old);
                }
                tally.sent.add(1);
                if rng.one_in(8) {
                    Countdown(1).await;
                }
            }
        }));
    }
    drop(tx);

    exec.run_all(what, tasks);
}
