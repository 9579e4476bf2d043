//! The `oneshot` channel: every way a value goes (delivered, refused, never
//! received) dropped once; the receiver as a future; `closed`; and real
//! contention: many channels, each value across threads or tasks, for a
//! second (a fixed count under Miri).

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use diatomic_channels::{oneshot, RecvError, TryRecvError};
use support::*;

#[test]
fn every_path_drops_its_value_once() {
    let drops = drops();
    // Delivered.
    let (tx, mut rx) = oneshot::channel::<Counted>();
    tx.send(Counted::new(0, &drops)).unwrap();
    drop(rx.try_recv().unwrap());
    assert_eq!(count(&drops), 1);
    // Sent, never received: dropped with the receiver.
    let (tx, rx) = oneshot::channel::<Counted>();
    tx.send(Counted::new(1, &drops)).unwrap();
    assert_eq!(count(&drops), 1);
    drop(rx);
    assert_eq!(count(&drops), 2);
    // Refused: the receiver is gone; the value comes back.
    let (tx, rx) = oneshot::channel::<Counted>();
    drop(rx);
    let back = tx.send(Counted::new(2, &drops)).unwrap_err();
    assert_eq!(back.id, 2);
    drop(back);
    assert_eq!(count(&drops), 3);
    // Refused after `close`.
    let (tx, mut rx) = oneshot::channel::<Counted>();
    rx.close();
    drop(tx.send(Counted::new(3, &drops)).unwrap_err());
    assert_eq!(count(&drops), 4);
}

#[test]
fn the_receiver_is_a_future_that_learns_of_a_dropped_sender() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = oneshot::channel::<u8>();
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Pending);
    drop(tx);
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Err(RecvError)));
    // Polled again after completing: still an error, no panic.
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Err(RecvError)));
}

#[test]
fn a_send_wakes_the_waiting_receiver_once() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = oneshot::channel::<u8>();
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Pending);
    tx.send(7).unwrap();
    assert!(wakes(&f) >= 1);
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(7)));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn closed_completes_when_the_receiver_goes() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (mut tx, rx) = oneshot::channel::<u8>();
    {
        let mut closed = std::pin::pin!(tx.closed());
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
        drop(rx);
        assert_eq!(wakes(&f), 1);
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    }
    assert!(tx.is_closed());
    assert_eq!(tx.send(1), Err(1));
}

#[test]
fn debug_says_what_it_can() {
    let (tx, rx) = oneshot::channel::<u8>();
    assert_eq!(format!("{tx:?}"), "oneshot::Sender { closed: false }");
    tx.send(1).unwrap();
    assert_eq!(format!("{rx:?}"), "oneshot::Receiver { sent: true }");
}

#[test]
fn values_cross_threads_once_each() {
    let start = Instant::now();
    let mut n = 0;
    while keep_sending(start, n) {
        let (tx, rx) = oneshot::channel::<usize>();
        let sender = std::thread::spawn(move || tx.send(n).unwrap());
        assert_eq!(rx.recv_blocking(), Ok(n));
        sender.join().unwrap();
        n += 1;
    }
    println!("{n} oneshot channels across threads");
}

#[test]
fn values_cross_tasks_once_each() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let n = rt.block_on(async {
        let start = Instant::now();
        let mut n = 0;
        while keep_sending(start, n) {
            // Half the time the sender is dropped instead, and the receiver
            // must say so.
            let (tx, rx) = oneshot::channel::<usize>();
            let send = n % 2 == 0;
            tokio::spawn(async move {
                if send {
                    tx.send(n).unwrap();
                }
            });
            let expected = if send { Ok(n) } else { Err(RecvError) };
            assert_eq!(rx.await, expected);
            n += 1;
        }
        n
    });
    println!("{n} oneshot channels across tasks");
}

/// The receiver polled again with another waker: the send wakes that one,
/// not the first, and each waker it cloned is dropped once.
#[test]
fn a_receiver_polled_again_is_woken_through_its_latest_waker() {
    let (first, first_waker) = flag();
    let (second, second_waker) = flag();
    let (tx, mut rx) = oneshot::channel::<u8>();
    let mut cx = Context::from_waker(&first_waker);
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Pending);
    // The same waker again: still waiting, nothing woken.
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Pending);
    let mut cx = Context::from_waker(&second_waker);
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Pending);
    // The first clone was dropped when the second replaced it.
    assert_eq!(Arc::strong_count(&first), 2);
    tx.send(3).unwrap();
    assert_eq!((wakes(&first), wakes(&second)), (0, 1));
    // The waker the send took is dropped after its wake.
    assert_eq!(Arc::strong_count(&second), 2);
    assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(3)));
}

/// `closed` polled again with another waker: the receiver's drop wakes
/// that one.
#[test]
fn closed_polled_again_is_woken_through_its_latest_waker() {
    let (first, first_waker) = flag();
    let (second, second_waker) = flag();
    let (mut tx, mut rx) = oneshot::channel::<u8>();
    {
        let mut closed = std::pin::pin!(tx.closed());
        let mut cx = Context::from_waker(&first_waker);
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
        let mut cx = Context::from_waker(&second_waker);
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
        rx.close();
        assert_eq!((wakes(&first), wakes(&second)), (0, 1));
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    }
    // Each flag's count: the flag and its waker; every clone was dropped.
    assert_eq!(Arc::strong_count(&first), 2);
    assert_eq!(Arc::strong_count(&second), 2);
    assert_eq!(tx.send(1), Err(1));
    drop(rx);
    assert_eq!(Arc::strong_count(&second), 2);
}

/// Every way the two halves can leave with wakers still registered: each
/// waker clone is dropped once (the counts come back), each value
/// once, whichever half goes last.
#[test]
fn wakers_and_values_left_behind_are_dropped_once() {
    let drops = drops();
    for case in 0..6 {
        let (rx_flag, rx_waker) = flag();
        let (tx_flag, tx_waker) = flag();
        let (mut tx, mut rx) = oneshot::channel::<Counted>();
        let mut rx_cx = Context::from_waker(&rx_waker);
        let mut tx_cx = Context::from_waker(&tx_waker);
        assert_eq!(
            Pin::new(&mut rx).poll(&mut rx_cx).map(|_| ()),
            Poll::Pending
        );
        {
            let mut closed = std::pin::pin!(tx.closed());
            assert_eq!(closed.as_mut().poll(&mut tx_cx), Poll::Pending);
        }
        match case {
            // Sent, not received; the receiver goes last.
            0 => {
                tx.send(Counted::new(case, &drops)).unwrap();
                assert_eq!(wakes(&rx_flag), 1);
                drop(rx);
            }
            // The receiver goes first: it wakes `closed`; the value comes back.
            1 => {
                drop(rx);
                assert_eq!(wakes(&tx_flag), 1);
                drop(tx.send(Counted::new(case, &drops)).unwrap_err());
            }
            // The sender goes unsent: it wakes the receiver, which then sees the end.
            2 => {
                drop(tx);
                assert_eq!(wakes(&rx_flag), 1);
                assert_eq!(
                    Pin::new(&mut rx).poll(&mut rx_cx).map(|r| r.is_err()),
                    Poll::Ready(true)
                );
                drop(rx);
                drop(Counted::new(case, &drops));
            }
            // Closed, then sent (refused), then dropped.
            3 => {
                rx.close();
                assert_eq!(wakes(&tx_flag), 1);
                drop(tx.send(Counted::new(case, &drops)).unwrap_err());
                assert_eq!(wakes(&rx_flag), 0, "a closed receiver is not woken");
                drop(rx);
            }
            // Sent after the receiver was polled, received, then both go.
            4 => {
                tx.send(Counted::new(case, &drops)).unwrap();
                let Poll::Ready(Ok(v)) = Pin::new(&mut rx).poll(&mut rx_cx) else {
                    panic!("the value is there")
                };
                drop(v);
                drop(rx);
            }
            // Sent, closed (the value stays), received.
            _ => {
                tx.send(Counted::new(case, &drops)).unwrap();
                rx.close();
                drop(rx.try_recv().unwrap());
                assert_eq!(rx.try_recv().map(|_| ()), Err(TryRecvError::Closed));
                drop(rx);
            }
        }
        assert_eq!(count(&drops), case + 1, "case {case}");
        // The flag and its waker: every clone made was dropped.
        assert_eq!(Arc::strong_count(&rx_flag), 2, "case {case}");
        assert_eq!(Arc::strong_count(&tx_flag), 2, "case {case}");
    }
}

/// A timed-out blocking receive takes its waker back: the value sent later
/// is still received, and nothing wakes the thread that stopped waiting.
#[test]
fn a_timed_out_receive_leaves_nothing_registered() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    assert_eq!(
        rx.recv_timeout(std::time::Duration::from_millis(2)),
        Err(diatomic_channels::RecvTimeoutError::Timeout)
    );
    assert_eq!(format!("{rx:?}"), "oneshot::Receiver { sent: false }");
    tx.send(9).unwrap();
    assert_eq!(rx.recv_timeout(std::time::Duration::from_millis(2)), Ok(9));
}
