//! Forgotten futures: a pending `recv` and a blocked `send` leaked with
//! `mem::forget`, then the channel must keep working for every other
//! party, under contention.

use std::sync::Arc;
use std::task::Waker;

use diatomic_channels::RecvError;

use crate::harness::{poll_once, send_now, senders, Exec, Rx, Task, Tx};
use crate::ledger::{Ledger, Tally};

/// Forgets a pending `recv`; fills the queue (`capacity` items) and, if a
/// send can block, forgets a blocked one; then `producers` tasks send
/// `per_producer` items each and the receiver must get every item that
/// was not left in a forgotten future.
#[allow(clippy::too_many_arguments)]
pub fn forgotten_futures<T: Tx, R: Rx>(
    exec: Exec,
    what: &str,
    mut tx: T,
    mut rx: R,
    capacity: usize,
    producers: usize,
    per_producer: usize,
    tally: &Arc<Tally>,
) {
    let ledger = Ledger::new(capacity + 1 + producers * per_producer);
    let noop = Waker::noop();

    let mut recv = Box::pin(rx.recv());
    assert!(poll_once(recv.as_mut(), noop).is_pending(), "empty");
    std::mem::forget(recv);
    tally.forgotten_recvs.add(1);

    for _ in 0..capacity {
        send_now(&mut tx, ledger.item(false));
    }
    let item = ledger.item(false);
    let id = item.id;
    let mut send = Box::pin(tx.send(item));
    // With many producers, a forgotten blocked send first in line is given
    // the first room made and keeps it while others wait in line (its value
    // is never sent): at capacity 1 the others then wait for good, as with
    // tokio's forgotten permit (the crate's semantics table). So that case
    // forgets only the `recv`.
    let stalls = capacity == 1 && producers > 1;
    if !stalls && poll_once(send.as_mut(), noop).is_pending() {
        ledger.forgotten(id);
        std::mem::forget(send);
        tally.forgotten_sends.add(1);
    } else {
        // `watch` never blocks: the value replaced the last one.
        drop(send);
    }

    let senders = senders(tx, producers);
    let mut tasks: Vec<Task> = Vec::new();
    {
        for mut tx in senders {
            let ledger = ledger.clone();
            tasks.push(Box::pin(async move {
                for _ in 0..per_producer {
                    if let Err(e) = tx.send(ledger.item(false)).await {
                        panic!("the receiver is there: {:?}", e.0);
                    }
                }
            }));
        }
        let ledger = ledger.clone();
        tasks.push(Box::pin(async move {
            loop {
                match rx.recv().await {
                    Ok(item) => ledger.received(item),
                    Err(RecvError) => return,
                }
            }
        }));
    }
    exec.run_all(what, tasks);
    ledger.audit(what, tally);
    tally.rounds.add(1);
}
