//! `watch::shared`, tokio's form of `watch`: each receiver told of a change
//! at most once, the newest value borrowed, `wait_for`, the close in both
//! directions, cancellation, counted drops, and a stress run with many
//! receivers on tokio's multi-threaded runtime.

mod support;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use diatomic_channels::watch::shared;
use diatomic_channels::RecvError;
use support::*;

#[test]
fn each_receiver_is_told_of_a_change_once_and_reads_the_newest() {
    let (tx, mut a) = shared::channel(0u32);
    let mut b = a.clone();
    assert_eq!(a.has_changed(), Ok(false));
    tx.send(1).unwrap();
    tx.send(2).unwrap(); // merged with 1: one change to report
    for rx in [&mut a, &mut b] {
        assert_eq!(rx.has_changed(), Ok(true));
        assert_eq!(block_on(rx.changed()), Ok(()));
        assert_eq!(*rx.borrow(), 2);
        assert_eq!(rx.has_changed(), Ok(false));
    }
    let (woken, waker) = flag();
    let mut waiting = pin!(a.changed());
    assert!(waiting
        .as_mut()
        .poll(&mut Context::from_waker(&waker))
        .is_pending());
    tx.send_modify(|v| *v += 1);
    assert_eq!(wakes(&woken), 1);
    assert_eq!(
        waiting.as_mut().poll(&mut Context::from_waker(&waker)),
        Poll::Ready(Ok(()))
    );
    assert_eq!(b.get(), 3);
}

#[test]
fn a_send_wakes_every_waiting_receiver() {
    let (tx, rx) = shared::channel(());
    let mut receivers: Vec<_> = (0..5).map(|_| rx.clone()).collect();
    let flags: Vec<_> = (0..5).map(|_| flag()).collect();
    {
        let mut futures: Vec<_> = receivers
            .iter_mut()
            .map(|r| Box::pin(r.changed()))
            .collect();
        for (f, (_, waker)) in futures.iter_mut().zip(&flags) {
            assert!(f
                .as_mut()
                .poll(&mut Context::from_waker(waker))
                .is_pending());
        }
        tx.send(()).unwrap();
        for (f, (woken, waker)) in futures.iter_mut().zip(&flags) {
            assert_eq!(wakes(woken), 1);
            assert_eq!(
                f.as_mut().poll(&mut Context::from_waker(waker)),
                Poll::Ready(Ok(()))
            );
        }
    }
    assert_eq!(tx.receiver_count(), 6);
}

#[test]
fn a_dropped_changed_future_leaves_the_line_and_marks_nothing() {
    let (tx, mut rx) = shared::channel(0);
    let (woken, waker) = flag();
    {
        let mut waiting = Box::pin(rx.changed());
        assert!(waiting
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending());
    }
    tx.send(1).unwrap();
    assert_eq!(wakes(&woken), 0, "out of the line");
    assert_eq!(rx.has_changed(), Ok(true), "the change is still to be seen");
}

#[test]
fn wait_for_checks_now_then_after_each_change() {
    let (tx, mut rx) = shared::channel(3);
    assert_eq!(*block_on(rx.wait_for(|v| *v == 3)).unwrap(), 3);
    let waiter = std::thread::spawn(move || *block_on(rx.wait_for(|v| *v >= 10)).unwrap());
    for v in 4..=12 {
        tx.send_replace(v);
    }
    assert!(waiter.join().unwrap() >= 10);
}

#[test]
fn the_last_sender_gone_fails_changed_after_the_last_change() {
    let (tx, mut rx) = shared::channel(0);
    let tx2 = tx.clone();
    tx.send(1).unwrap();
    drop(tx);
    drop(tx2);
    assert_eq!(rx.has_changed(), Ok(true));
    assert_eq!(block_on(rx.changed()), Ok(()));
    assert_eq!(rx.has_changed(), Err(RecvError));
    assert_eq!(block_on(rx.changed()), Err(RecvError));
    assert_eq!(*rx.borrow(), 1, "the value stays readable");
    assert!(block_on(rx.wait_for(|v| *v == 2)).is_err());
}

#[test]
fn no_receiver_left_fails_send_and_completes_closed() {
    let (tx, rx) = shared::channel(0);
    let other = rx.clone();
    let (woken, waker) = flag();
    let mut closed = pin!(tx.closed());
    assert!(closed
        .as_mut()
        .poll(&mut Context::from_waker(&waker))
        .is_pending());
    drop(rx);
    assert_eq!(wakes(&woken), 0);
    drop(other);
    assert_eq!(wakes(&woken), 1);
    assert_eq!(
        closed.as_mut().poll(&mut Context::from_waker(&waker)),
        Poll::Ready(())
    );
    assert!(tx.is_closed());
    assert_eq!(tx.send(1).unwrap_err().0, 1);
    assert_eq!(tx.send_replace(2), 0, "stored all the same");
    let late = tx.subscribe();
    assert_eq!(*late.borrow(), 2);
    assert_eq!(late.has_changed(), Ok(false));
    assert!(tx.send(3).is_ok());
}

#[test]
fn every_value_is_dropped_once() {
    let drops = drops();
    let (tx, rx) = shared::channel(Counted::new(0, &drops));
    for i in 1..=5 {
        tx.send(Counted::new(i, &drops)).unwrap();
    }
    assert_eq!(count(&drops), 5, "each replaced value dropped at once");
    drop(rx);
    drop(tx.send(Counted::new(6, &drops)).unwrap_err());
    assert_eq!(count(&drops), 6);
    drop(tx);
    assert_eq!(count(&drops), 7);
}

#[test]
fn many_receivers_follow_one_sender_to_its_last_value() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let last = if cfg!(miri) { 50 } else { 20_000 };
    rt.block_on(async {
        let (tx, rx) = shared::channel(0u64);
        let followers: Vec<_> = (0..8)
            .map(|_| {
                let mut rx = rx.clone();
                tokio::spawn(async move {
                    let mut previous = 0;
                    let mut changes = 0;
                    while rx.changed().await.is_ok() {
                        let now = *rx.borrow_and_update();
                        assert!(now >= previous, "never older");
                        previous = now;
                        changes += 1;
                    }
                    (previous, changes)
                })
            })
            .collect();
        drop(rx);
        for v in 1..=last {
            tx.send(v).unwrap();
            if v % 64 == 0 {
                tokio::task::yield_now().await;
            }
        }
        drop(tx);
        for follower in followers {
            let (seen, changes) = follower.await.unwrap();
            assert_eq!(seen, last, "every receiver reaches the last value");
            assert!(changes <= last);
        }
    });
}
