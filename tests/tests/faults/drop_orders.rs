//! Drop orders: with the queue full, the parties of a channel (a sender, a
//! task blocked in `send`, a task waiting in `closed`, the receiver) are
//! dropped in every order. After each drop, whoever is left is checked:
//! the receiver drains what is queued and then reports closed once every
//! sender is gone; a blocked `send` gets its value back and `closed`
//! completes once the receiver is gone, and both were woken for it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use diatomic_channels::{Channel, ChannelCore, ReceiverHalf, RecvError, SendError, Sender};

use crate::harness::{poll_once, send_now, senders, Leaked, Misbehaving, Rx, Tx};
use crate::ledger::{Item, Ledger, Tally};

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One party of the channel.
enum Party<T, R> {
    Sender(T),
    /// A task blocked in `send` (it owns its sender).
    Sending(Task, Arc<Misbehaving>),
    /// A task waiting in `closed` (it owns its sender).
    Watching(Task, Arc<Misbehaving>),
    Receiver(R),
}

/// Every permutation of `0..n`.
pub fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut all = Vec::new();
    for rest in permutations(n - 1) {
        for at in 0..=rest.len() {
            let mut p = rest.clone();
            p.insert(at, n - 1);
            all.push(p);
        }
    }
    all
}

/// Which parties a round has: the kinds, by index into the party list.
#[derive(Clone, Copy)]
pub struct Cast {
    /// A bare sender.
    pub sender: bool,
    /// A task blocked in `send` (needs a channel that can be full).
    pub sending: bool,
    /// A task waiting in `closed`.
    pub watching: bool,
}

/// Runs every drop order of `cast`'s parties, in both homes, each on a
/// fresh channel over `core()` with `capacity` items queued (`capacity`
/// fills it).
pub fn every_order<C>(
    what: &str,
    core: &dyn Fn() -> C,
    capacity: usize,
    cast: Cast,
    tally: &Arc<Tally>,
) where
    C: ChannelCore<Item = Item> + 'static,
    Sender<C, C::Producers>: Tx,
    ReceiverHalf<C>: Rx,
    Sender<C, C::Producers, &'static Channel<C>>: Tx,
    ReceiverHalf<C, &'static Channel<C>>: Rx,
{
    let count = 1 + cast.sender as usize + cast.sending as usize + cast.watching as usize;
    for order in permutations(count) {
        let (tx, rx) = diatomic_channels::channel(core());
        one_order(
            &format!("{what}/arc"),
            tx,
            rx,
            &order,
            capacity,
            cast,
            tally,
        );
        let leaked = Leaked::new(core());
        let (tx, rx) = leaked.channel().split_generic().expect("split once");
        one_order(
            &format!("{what}/static"),
            tx,
            rx,
            &order,
            capacity,
            cast,
            tally,
        );
        // Safety: `one_order` dropped every party, and completed or dropped
        // every future.
        unsafe { leaked.reclaim() };
    }
}

fn one_order<T: Tx, R: Rx>(
    what: &str,
    tx: T,
    rx: R,
    order: &[usize],
    capacity: usize,
    cast: Cast,
    tally: &Arc<Tally>,
) {
    let ledger = Ledger::new(capacity + 1);
    let mut parties = make_parties(tx, rx, &ledger, capacity, cast);
    let mut queued = capacity;
    for &i in order {
        // Already gone if it completed at an earlier step.
        drop(parties[i].take());
        check_the_rest(&mut parties, &ledger, &mut queued);
    }
    ledger.audit(&format!("{what}, drop order {order:?}"), tally);
    tally.drop_orders.add(1);
    tally.rounds.add(1);
}

fn make_parties<T: Tx, R: Rx>(
    tx: T,
    rx: R,
    ledger: &Arc<Ledger>,
    capacity: usize,
    cast: Cast,
) -> Vec<Option<Party<T, R>>> {
    let kinds = [cast.sender, cast.sending, cast.watching];
    let wanted = kinds.iter().filter(|&&k| k).count();
    let mut senders = senders(tx, wanted);
    assert_eq!(senders.len(), wanted, "one sender per party");
    // Fill the queue first.
    for _ in 0..capacity {
        send_now(&mut senders[0], ledger.item(false));
    }
    let mut parties = Vec::new();
    for (kind, _) in kinds.iter().enumerate().filter(|(_, &k)| k) {
        let sender = senders.pop().expect("one sender per party");
        parties.push(Some(match kind {
            0 => Party::Sender(sender),
            1 => {
                let item = ledger.item(false);
                let ledger = ledger.clone();
                let mut task: Task = Box::pin(async move {
                    let mut sender = sender;
                    if let Err(SendError(item)) = sender.send(item).await {
                        ledger.handed_back(item);
                    }
                });
                let (flag, waker) = Misbehaving::waker(false);
                assert!(poll_once(task.as_mut(), &waker).is_pending(), "full");
                Party::Sending(task, flag)
            }
            _ => {
                let mut task: Task = Box::pin(async move {
                    let mut sender = sender;
                    sender.closed().await;
                });
                let (flag, waker) = Misbehaving::waker(false);
                assert!(poll_once(task.as_mut(), &waker).is_pending(), "open");
                Party::Watching(task, flag)
            }
        }));
    }
    parties.push(Some(Party::Receiver(rx)));
    parties
}

/// What the parties left must see now.
fn check_the_rest<T: Tx, R: Rx>(
    parties: &mut [Option<Party<T, R>>],
    ledger: &Arc<Ledger>,
    queued: &mut usize,
) {
    let receiver_gone = !parties
        .iter()
        .any(|p| matches!(p, Some(Party::Receiver(_))));
    let senders_gone = !parties.iter().any(|p| {
        matches!(
            p,
            Some(Party::Sender(_) | Party::Sending(..) | Party::Watching(..))
        )
    });
    for party in parties.iter_mut() {
        match party {
            Some(Party::Sending(task, flag)) | Some(Party::Watching(task, flag))
                if receiver_gone =>
            {
                assert!(flag.wakes() >= 1, "told that the receiver left");
                let done = poll_once(task.as_mut(), std::task::Waker::noop());
                assert!(done.is_ready(), "a blocked send or `closed` completes");
                *party = None;
            }
            Some(Party::Receiver(rx)) if senders_gone => {
                let mut got = 0;
                loop {
                    let mut recv = Box::pin(rx.recv());
                    match poll_once(recv.as_mut(), std::task::Waker::noop()) {
                        Poll::Ready(Ok(item)) => {
                            ledger.received(item);
                            got += 1;
                        }
                        Poll::Ready(Err(RecvError)) => break,
                        Poll::Pending => panic!("every sender left: the receiver never waits"),
                    }
                }
                assert_eq!(got, *queued, "what was queued, once");
                *queued = 0;
            }
            _ => {}
        }
    }
}
