//! Weak senders: they do not keep the channel open, and become senders
//! again only while a sender is alive.

use diatomic_channels::mpsc::{self, InlineRing};
use diatomic_channels::{Channel, TryRecvError};

#[test]
fn a_weak_sender_does_not_keep_the_channel_open() {
    let (tx, mut rx) = mpsc::channel::<u32>(4);
    let weak = tx.downgrade();
    let weak2 = weak.clone();
    assert_eq!(tx.sender_count(), 1, "weak senders do not count");
    tx.try_send(1).unwrap();
    drop(tx);
    assert_eq!(weak.sender_count(), 0);
    assert!(weak.upgrade().is_none());
    assert!(weak2.upgrade().is_none());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn an_upgraded_sender_is_a_sender() {
    let (tx, mut rx) = mpsc::channel::<u32>(4);
    let weak = tx.downgrade();
    let upgraded: mpsc::Sender<u32> = weak.upgrade().unwrap().into();
    assert_eq!(tx.sender_count(), 2);
    drop(tx);
    upgraded.try_send(7).unwrap();
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty), "a sender is alive");
    drop(upgraded);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert!(weak.upgrade().is_none(), "never a sender from zero");
}

#[test]
fn a_weak_sender_of_a_static_channel() {
    static CHANNEL: Channel<InlineRing<u32, 2>> = Channel::new(InlineRing::new());
    let (tx, mut rx) = CHANNEL.split().unwrap();
    let weak = tx.downgrade();
    weak.upgrade().unwrap().try_send(3).unwrap();
    drop(tx);
    assert!(weak.upgrade().is_none());
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert!(format!("{weak:?}").contains("sender_count: 0"));
}
