//! Weak handles beyond `mpsc`'s `WeakSender` (`tests/weak_sender.rs`):
//! `broadcast`'s weak senders (both policies) and the `WeakReceiver` of
//! many-receiver channels, in both homes. A weak handle does not keep the
//! channel open, and becomes a strong one again only while one is alive.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diatomic_channels::broadcast::{self, RecvError as BroadcastRecvError, TryRecvError};
use diatomic_channels::{mpmc, Channel, RecvError, SendError, TrySendError};
use futures_executor::block_on;

// ---- broadcast, overwrite policy ----

#[test]
fn a_weak_broadcast_sender_does_not_keep_the_channel_open() {
    let (tx, mut rx) = broadcast::channel::<u32>(4);
    let weak = tx.downgrade();
    let weak2 = weak.clone();
    assert_eq!(tx.sender_count(), 1, "weak senders do not count");
    assert_eq!(weak.sender_count(), 1);
    tx.send(1).unwrap();
    drop(tx);
    assert_eq!(weak.sender_count(), 0);
    assert!(rx.is_closed());
    assert!(weak.upgrade().is_none());
    assert!(weak2.upgrade().is_none());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert_eq!(block_on(rx.recv()), Err(BroadcastRecvError::Closed));
}

#[test]
fn an_upgraded_broadcast_sender_is_a_sender() {
    let (tx, mut rx) = broadcast::channel::<u32>(4);
    let weak = tx.downgrade();
    let upgraded = weak.upgrade().expect("`tx` is alive");
    assert_eq!(tx.sender_count(), 2);
    assert_eq!(weak.sender_count(), 2);
    drop(tx);
    assert!(!rx.is_closed(), "the upgraded sender keeps it open");
    assert_eq!(upgraded.send(7), Ok(1));
    let mut rx2 = upgraded.subscribe();
    assert!(upgraded.same_channel(&rx2));
    assert_eq!(upgraded.send(8), Ok(2));
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Ok(8));
    assert_eq!(rx2.try_recv(), Ok(8));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty), "a sender is alive");
    // An upgrade from an upgraded one's life.
    let again = weak.upgrade().unwrap();
    drop(upgraded);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    drop(again);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert_eq!(rx2.try_recv(), Err(TryRecvError::Closed));
    assert!(weak.upgrade().is_none(), "never a sender from zero");
    assert_eq!(weak.sender_count(), 0);
}

#[test]
fn an_upgraded_broadcast_sender_fails_without_receivers() {
    let (tx, rx) = broadcast::channel::<u32>(4);
    let weak = tx.downgrade();
    drop(rx);
    let upgraded = weak.upgrade().unwrap();
    assert_eq!(upgraded.send(3).unwrap_err().0, 3);
    assert_eq!(upgraded.receiver_count(), 0);
}

#[test]
fn a_waiting_broadcast_receiver_learns_of_the_close_with_a_weak_sender_left() {
    let (tx, mut rx) = broadcast::channel::<u32>(4);
    let weak = tx.downgrade();
    let closer = std::thread::spawn(move || drop(tx));
    assert_eq!(block_on(rx.recv()), Err(BroadcastRecvError::Closed));
    closer.join().unwrap();
    assert!(weak.upgrade().is_none());
}

#[test]
fn weak_broadcast_senders_debug() {
    let (tx, _rx) = broadcast::channel::<u32>(4);
    let weak = tx.downgrade();
    assert_eq!(format!("{weak:?}"), "WeakSender { sender_count: 1, .. }");
    drop(tx);
    assert_eq!(format!("{weak:?}"), "WeakSender { sender_count: 0, .. }");
    let (tx, _rx) = broadcast::channel_with_backpressure::<u32>(4);
    let weak = tx.downgrade();
    assert_eq!(
        format!("{weak:?}"),
        "WeakBackpressureSender { sender_count: 1, .. }"
    );
}

// ---- broadcast, backpressure policy ----

#[test]
fn a_weak_backpressure_sender_does_not_keep_the_channel_open() {
    let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(2);
    let weak = tx.downgrade();
    let weak2 = weak.clone();
    assert_eq!(tx.sender_count(), 1);
    tx.try_send(1).unwrap();
    drop(tx);
    assert_eq!(weak2.sender_count(), 0);
    assert!(weak.upgrade().is_none());
    assert!(weak2.upgrade().is_none());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(block_on(rx.recv()), Err(BroadcastRecvError::Closed));
}

#[test]
fn an_upgraded_backpressure_sender_is_a_sender() {
    let (tx, mut rx) = broadcast::channel_with_backpressure::<u32>(1);
    let weak = tx.downgrade();
    let upgraded = weak.upgrade().unwrap();
    assert_eq!(upgraded.sender_count(), 2);
    drop(tx);
    block_on(upgraded.send(5)).unwrap();
    assert_eq!(
        upgraded.try_send(6),
        Err(TrySendError::Full(6)),
        "backpressure"
    );
    assert_eq!(rx.try_recv(), Ok(5));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    upgraded.send_blocking(6).unwrap();
    assert_eq!(rx.try_recv(), Ok(6));
    drop(upgraded);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert!(weak.upgrade().is_none());
    // Without receivers, an upgraded sender's send fails.
    let (tx, rx) = broadcast::channel_with_backpressure::<u32>(1);
    let weak = tx.downgrade();
    drop(rx);
    let upgraded = weak.upgrade().unwrap();
    assert_eq!(block_on(upgraded.send(9)), Err(SendError(9)));
}

// ---- WeakReceiver, in an `Arc` ----

/// Counts its drops.
#[derive(Debug)]
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn a_weak_receiver_does_not_keep_the_channel_open() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let weak = rx.downgrade();
    let weak2 = weak.clone();
    assert_eq!(rx.receiver_count(), 1, "weak receivers do not count");
    assert_eq!(weak.receiver_count(), 1);
    tx.try_send(1).unwrap();
    drop(rx);
    assert_eq!(weak.receiver_count(), 0);
    assert!(weak.upgrade().is_none());
    assert!(weak2.upgrade().is_none());
    assert!(tx.is_closed());
    assert_eq!(tx.try_send(2), Err(TrySendError::Closed(2)));
    assert_eq!(block_on(tx.send(3)), Err(SendError(3)));
}

#[test]
fn the_last_receiver_drops_the_items_with_a_weak_receiver_left() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpmc::channel::<Counted>(4);
    let weak = rx.downgrade();
    tx.try_send(Counted(drops.clone())).unwrap();
    tx.try_send(Counted(drops.clone())).unwrap();
    drop(rx);
    assert_eq!(
        drops.load(Ordering::Relaxed),
        2,
        "drained by the last receiver"
    );
    assert!(weak.upgrade().is_none());
    drop((tx, weak));
    assert_eq!(drops.load(Ordering::Relaxed), 2);
}

#[test]
fn an_upgraded_receiver_is_a_receiver() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let weak = rx.downgrade();
    let upgraded: mpmc::Receiver<u32> = weak.upgrade().expect("`rx` is alive").into();
    assert_eq!(rx.receiver_count(), 2);
    assert_eq!(weak.receiver_count(), 2);
    drop(rx);
    tx.try_send(4).unwrap();
    assert!(!tx.is_closed(), "the upgraded receiver keeps it open");
    assert_eq!(upgraded.try_recv(), Ok(4));
    tx.try_send(5).unwrap();
    assert_eq!(block_on(upgraded.recv()), Ok(5));
    // A second upgrade while the first lives.
    let again = weak.upgrade().unwrap();
    drop(upgraded);
    tx.try_send(6).unwrap();
    assert_eq!(again.try_recv(), Ok(6));
    drop(again);
    assert_eq!(tx.try_send(7), Err(TrySendError::Closed(7)));
    assert!(weak.upgrade().is_none(), "never a receiver from zero");
    assert_eq!(weak.receiver_count(), 0);
}

#[test]
fn a_weak_receiver_outlives_the_senders() {
    let (tx, rx) = mpmc::channel::<u32>(4);
    let weak = rx.downgrade();
    tx.try_send(1).unwrap();
    drop(tx);
    // The receivers, not the senders, decide whether it upgrades.
    let upgraded = weak.upgrade().unwrap();
    assert!(upgraded.is_closed());
    assert_eq!(upgraded.try_recv(), Ok(1));
    assert_eq!(block_on(upgraded.recv()), Err(RecvError));
    drop((rx, upgraded));
    assert!(weak.upgrade().is_none());
}

#[test]
fn a_blocked_sender_learns_of_the_close_with_a_weak_receiver_left() {
    let (tx, rx) = mpmc::channel::<u32>(1);
    let weak = rx.downgrade();
    tx.try_send(1).unwrap();
    let closer = std::thread::spawn(move || drop(rx));
    assert_eq!(block_on(tx.send(2)), Err(SendError(2)));
    closer.join().unwrap();
    assert!(weak.upgrade().is_none());
}

#[test]
fn weak_receiver_debug() {
    let (_tx, rx) = mpmc::channel::<u32>(4);
    let weak = rx.downgrade();
    assert_eq!(
        format!("{weak:?}"),
        "WeakReceiver { receiver_count: 1, .. }"
    );
    drop(rx);
    assert_eq!(
        format!("{weak:?}"),
        "WeakReceiver { receiver_count: 0, .. }"
    );
}

// ---- WeakReceiver, in a `static` ----

#[test]
fn a_weak_receiver_of_a_static_channel() {
    static CHANNEL: Channel<mpmc::InlineRing<u32, 2>> = Channel::new(mpmc::InlineRing::new());
    let (tx, rx) = CHANNEL.split().unwrap();
    let weak = rx.downgrade();
    let upgraded = weak.upgrade().unwrap();
    assert_eq!(weak.receiver_count(), 2);
    tx.try_send(3).unwrap();
    drop(rx);
    assert_eq!(upgraded.try_recv(), Ok(3));
    tx.try_send(4).unwrap();
    drop(upgraded);
    assert!(weak.upgrade().is_none());
    assert_eq!(weak.receiver_count(), 0);
    assert_eq!(tx.try_send(5), Err(TrySendError::Closed(5)));
    assert!(CHANNEL.split().is_none(), "still split once");
    assert!(format!("{weak:?}").contains("receiver_count: 0"));
}

#[test]
fn the_last_receiver_of_a_static_channel_drops_its_items() {
    static CHANNEL: Channel<mpmc::InlineRing<Counted, 2>> = Channel::new(mpmc::InlineRing::new());
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = CHANNEL.split().unwrap();
    let weak = rx.downgrade();
    tx.try_send(Counted(drops.clone())).unwrap();
    drop(rx);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
    assert!(weak.upgrade().is_none());
    assert!(matches!(
        tx.try_send(Counted(drops.clone())),
        Err(TrySendError::Closed(_))
    ));
    assert_eq!(
        drops.load(Ordering::Relaxed),
        2,
        "the refused one, handed back"
    );
}
