//! `FusedStream` on every receiver whose core knows its occupancy: the
//! stream has ended exactly when a receive can only report the end (every
//! sender gone, or the channel closed, and nothing left), so
//! `futures::select!` takes receivers with no `.fuse()`.

use std::task::{Context, Poll};

use diatomic_channels::{broadcast, mpmc, mpsc, spsc};
use futures_core::stream::FusedStream;
use futures_core::Stream;

/// What the receiver's `Stream` gives on one poll.
fn next<S: Stream + Unpin>(s: &mut S) -> Poll<Option<S::Item>> {
    std::pin::Pin::new(s).poll_next(&mut Context::from_waker(std::task::Waker::noop()))
}

#[test]
fn an_mpsc_receiver_ends_once_the_senders_are_gone_and_it_is_drained() {
    let (tx, mut rx) = mpsc::channel::<u8>(4);
    let tx2 = tx.clone();
    assert!(!rx.is_terminated(), "senders are alive");
    tx.try_send(1).unwrap();
    drop(tx);
    assert!(!rx.is_terminated(), "one sender is alive");
    drop(tx2);
    assert!(!rx.is_terminated(), "an item is left");
    assert_eq!(next(&mut rx), Poll::Ready(Some(1)));
    assert!(rx.is_terminated());
    assert_eq!(next(&mut rx), Poll::Ready(None), "ended, as it said");
}

#[test]
fn a_receivers_close_ends_the_stream_once_drained() {
    let (mut tx, mut rx) = spsc::channel::<u8>(2);
    tx.try_send(1).unwrap();
    rx.close();
    assert!(!rx.is_terminated(), "an item is left");
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(rx.is_terminated(), "closed and drained, a sender alive");
    assert_eq!(next(&mut rx), Poll::Ready(None));
}

#[test]
fn every_mpmc_receiver_ends_together() {
    let (tx, rx) = mpmc::channel::<u8>(4);
    let mut rx2 = rx.clone();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    drop(tx);
    assert!(!rx.is_terminated() && !rx2.is_terminated());
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(!rx2.is_terminated(), "one item is left for either");
    assert_eq!(next(&mut rx2), Poll::Ready(Some(2)));
    assert!(rx.is_terminated() && rx2.is_terminated());
    assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Closed));
}

#[test]
fn a_broadcast_receiver_ends_after_its_unread_values() {
    // Overwrite: a receiver two values behind a ring of one has a lag to
    // hear of, then a value, before the end.
    let (tx, mut rx) = broadcast::channel::<u8>(1);
    let mut other = rx.resubscribe();
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    drop(tx);
    assert!(!rx.is_terminated(), "values are unread");
    assert!(matches!(
        next(&mut rx),
        Poll::Ready(Some(Err(broadcast::RecvError::Lagged(_))))
    ));
    assert!(!rx.is_terminated(), "a value is unread");
    assert_eq!(next(&mut rx), Poll::Ready(Some(Ok(2))));
    assert!(rx.is_terminated());
    assert_eq!(next(&mut rx), Poll::Ready(None));
    assert!(!other.is_terminated(), "each receiver's own");
    while next(&mut other) != Poll::Ready(None) {}
    assert!(other.is_terminated());
}

#[test]
fn select_takes_receivers_with_no_fuse() {
    // The bound `futures::select!` puts on its streams, on each receiver.
    fn fused<S: FusedStream + Unpin>(_: &S) {}
    let (_tx, rx) = mpsc::channel::<u8>(1);
    fused(&rx);
    let (_tx, rx) = mpmc::channel::<u8>(1);
    fused(&rx);
    let (_tx, rx) = spsc::channel::<u8>(1);
    fused(&rx);
    let (_tx, rx) = broadcast::channel::<u8>(1);
    fused(&rx);
    static STATIC: diatomic_channels::Channel<mpsc::InlineRing<u8, 1>> =
        diatomic_channels::Channel::new(mpsc::InlineRing::new());
    let (_tx, rx) = STATIC.split().unwrap();
    fused(&rx);
}
