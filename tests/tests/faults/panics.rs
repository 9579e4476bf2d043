//! Panics where user code runs: an item's `Drop` while the receiver drops
//! the queue, a waker's `wake` or `clone`, a user core's `try_push` or
//! `try_pop`. What the channel guarantees afterwards (the crate's
//! semantics table) is checked here, one case at a time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::task::{Poll, Waker};

use crate::harness::{panicking_clone_waker, poll_once, send_now, Misbehaving, Rx, Tx};
use crate::ledger::{Item, Ledger, Tally};
use crate::user_core::Switches;

/// Whether `f` panics (the panic caught).
pub fn panics(f: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(f)).is_err()
}

/// Receives with one poll, which must complete with an item.
fn recv_now<R: Rx>(rx: &mut R, ledger: &Ledger) -> usize {
    let mut recv = Box::pin(rx.recv());
    match poll_once(recv.as_mut(), Waker::noop()) {
        Poll::Ready(Ok(item)) => {
            let id = item.id;
            ledger.received(item);
            id
        }
        other => panic!("an item was queued: {:?}", other.map(|r| r.map(|i| i.id))),
    }
}

/// The channel still carries an item both ways.
fn still_works<T: Tx, R: Rx>(tx: &mut T, rx: &mut R, ledger: &Arc<Ledger>) {
    let item = ledger.item(false);
    let id = item.id;
    send_now(tx, item);
    assert_eq!(recv_now(rx, ledger), id, "the channel still works");
}

/// An item whose `Drop` panics while the dropped receiver drains the
/// queue: the others are dropped all the same, each once.
pub fn item_drop<T: Tx, R: Rx>(what: &str, mut tx: T, rx: R, capacity: usize, tally: &Tally) {
    let ledger = Ledger::new(capacity);
    for i in 0..capacity {
        // The first queued item panics: every other one is left to drop.
        send_now(&mut tx, ledger.item(i == 0));
    }
    assert!(
        panics(|| drop(rx)),
        "{what}: the item's panic reaches the drop"
    );
    tally.panicking_drops.add(1);
    drop(tx);
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// The receiver's waker panics when a send wakes it: the panic reaches
/// that send, whose item is delivered all the same.
pub fn receiver_wake<T: Tx, R: Rx>(what: &str, mut tx: T, mut rx: R, tally: &Tally) {
    let ledger = Ledger::new(4);
    let (bad, bad_waker) = Misbehaving::waker(true);
    let mut recv = Box::pin(rx.recv());
    assert!(poll_once(recv.as_mut(), &bad_waker).is_pending());
    let item = ledger.item(false);
    let id = item.id;
    assert!(
        panics(|| send_now(&mut tx, item)),
        "{what}: the wake's panic reaches the send"
    );
    assert_eq!(bad.wakes(), 1);
    tally.panicking_wakes.add(1);
    match poll_once(recv.as_mut(), Waker::noop()) {
        Poll::Ready(Ok(item)) => {
            assert_eq!(item.id, id, "{what}: delivered all the same");
            ledger.received(item);
        }
        other => panic!(
            "{what}: the item was queued: {:?}",
            other.map(|r| r.map(|i| i.id))
        ),
    }
    drop(recv);
    still_works(&mut tx, &mut rx, &ledger);
    drop((tx, rx));
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// A blocked sender's waker panics when the receiver frees room: the panic
/// reaches the receiver's call (the item it took goes with it), and the
/// blocked send still completes.
pub fn sender_wake<T: Tx, R: Rx>(what: &str, mut tx: T, mut rx: R, capacity: usize, tally: &Tally) {
    let ledger = Ledger::new(capacity + 2);
    for _ in 0..capacity {
        send_now(&mut tx, ledger.item(false));
    }
    let (bad, bad_waker) = Misbehaving::waker(true);
    {
        let mut send = Box::pin(tx.send(ledger.item(false)));
        assert!(poll_once(send.as_mut(), &bad_waker).is_pending(), "full");
        assert!(
            panics(|| {
                recv_now(&mut rx, &ledger);
            }),
            "{what}: the wake's panic reaches the receiver"
        );
        assert_eq!(bad.wakes(), 1);
        tally.panicking_wakes.add(1);
        assert!(matches!(
            poll_once(send.as_mut(), Waker::noop()),
            Poll::Ready(Ok(()))
        ));
    }
    for _ in 0..capacity {
        recv_now(&mut rx, &ledger);
    }
    still_works(&mut tx, &mut rx, &ledger);
    drop((tx, rx));
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// A waker whose `clone` panics, given to a pending `recv` and (if the
/// channel can be full) to a blocked `send`: the poll panics, the future is
/// dropped, and the channel works on.
pub fn waker_clone<T: Tx, R: Rx>(
    what: &str,
    mut tx: T,
    mut rx: R,
    capacity: usize,
    can_block: bool,
    tally: &Tally,
) {
    let ledger = Ledger::new(capacity + 3);
    let bad = panicking_clone_waker();
    assert!(
        panics(|| {
            let mut recv = Box::pin(rx.recv());
            let _ = poll_once(recv.as_mut(), &bad);
        }),
        "{what}: a pending recv clones the waker"
    );
    tally.panicking_clones.add(1);
    still_works(&mut tx, &mut rx, &ledger);
    if can_block {
        for _ in 0..capacity {
            send_now(&mut tx, ledger.item(false));
        }
        assert!(
            panics(|| {
                let mut send = Box::pin(tx.send(ledger.item(false)));
                let _ = poll_once(send.as_mut(), &bad);
            }),
            "{what}: a blocked send clones the waker"
        );
        tally.panicking_clones.add(1);
        for _ in 0..capacity {
            recv_now(&mut rx, &ledger);
        }
        still_works(&mut tx, &mut rx, &ledger);
    }
    drop((tx, rx));
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// A user core whose `try_push` or `try_pop` panics. Guarantees: the panic
/// reaches the call that ran the core; the value it carried goes with it;
/// nothing else is lost; the channel works on. During a hand-over (the
/// receiver moving a blocked sender's value in), the receiver's call panics
/// and so does that blocked `send` when polled (its value is gone).
pub fn core_push_pop<T, R>(what: &str, mut tx: T, mut rx: R, core: &Switches, tally: &Tally)
where
    T: Tx,
    R: Rx,
{
    let ledger = Ledger::new(8);
    // `try_push` panics in a send: that item is dropped by the unwinding.
    core.break_next_push();
    assert!(
        panics(|| send_now(&mut tx, ledger.item(false))),
        "{what}: push"
    );
    tally.panicking_pushes.add(1);
    still_works(&mut tx, &mut rx, &ledger);

    // `try_pop` panics: nothing was taken; the next `recv` gets the item.
    let item = ledger.item(false);
    let id = item.id;
    send_now(&mut tx, item);
    core.break_next_pop();
    assert!(
        panics(|| {
            recv_now(&mut rx, &ledger);
        }),
        "{what}: pop"
    );
    tally.panicking_pops.add(1);
    assert_eq!(recv_now(&mut rx, &ledger), id, "{what}: nothing lost");

    // `try_push` panics when a woken sender pushes into the room made for
    // it: the panic reaches that sender's poll, with its value.
    send_now(&mut tx, ledger.item(false));
    send_now(&mut tx, ledger.item(false));
    {
        let mut send = Box::pin(tx.send(ledger.item(false)));
        assert!(poll_once(send.as_mut(), Waker::noop()).is_pending(), "full");
        recv_now(&mut rx, &ledger);
        core.break_next_push();
        assert!(
            panics(|| drop(poll_once(send.as_mut(), Waker::noop()))),
            "{what}: the woken send's push"
        );
        tally.panicking_pushes.add(1);
    }
    recv_now(&mut rx, &ledger);
    still_works(&mut tx, &mut rx, &ledger);
    drop((tx, rx));
    ledger.audit(what, tally);
    tally.rounds.add(1);
}

/// `oneshot`: the value's `Drop` panics as the receiver drops it; the
/// receiver's waker panics on `wake` (the sender's call), and on `clone`.
/// The two homes have their own half types (`Sender` / `SenderRef`): `open`
/// makes a pair, `send` is that sender's `send`.
pub fn oneshot_cases<Tx, Rx>(
    home: &str,
    open: &dyn Fn() -> (Tx, Rx),
    send: fn(Tx, Item) -> Result<(), Item>,
    tally: &Tally,
) where
    Rx: std::future::Future<Output = Result<Item, diatomic_channels::RecvError>> + Unpin,
{
    let what = format!("oneshot/{home}");
    let ledger = Ledger::new(4);
    let (tx, rx) = open();
    send(tx, ledger.item(true)).expect("the receiver is there");
    assert!(panics(|| drop(rx)), "{what}: drop");
    tally.panicking_drops.add(1);

    let (tx, mut rx) = open();
    let (bad, bad_waker) = Misbehaving::waker(true);
    assert!(poll_once(std::pin::Pin::new(&mut rx), &bad_waker).is_pending());
    let item = ledger.item(false);
    let id = item.id;
    assert!(panics(|| drop(send(tx, item))), "{what}: wake");
    assert_eq!(bad.wakes(), 1);
    tally.panicking_wakes.add(1);
    match poll_once(std::pin::Pin::new(&mut rx), Waker::noop()) {
        Poll::Ready(Ok(item)) => {
            assert_eq!(item.id, id);
            ledger.received(item);
        }
        _ => panic!("{what}: delivered all the same"),
    }

    let (tx, mut rx) = open();
    let bad = panicking_clone_waker();
    assert!(
        panics(|| drop(poll_once(std::pin::Pin::new(&mut rx), &bad))),
        "{what}: clone"
    );
    tally.panicking_clones.add(1);
    send(tx, ledger.item(false)).expect("the receiver is there");
    match poll_once(std::pin::Pin::new(&mut rx), Waker::noop()) {
        Poll::Ready(Ok(item)) => ledger.received(item),
        _ => panic!("{what}: the value arrives after a panicking clone"),
    }
    drop(rx);
    ledger.audit(&what, tally);
    tally.rounds.add(1);
}
