//! The `oneshot` channel: every way a value goes (delivered, refused, never
//! received) dropped once; the receiver as a future; `closed`; and real
//! contention: many channels, each value across threads or tasks, for a
//! second (a fixed count under Miri).

mod support;

use std::future::Future;
use std::pin::Pin;
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
