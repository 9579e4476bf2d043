//! The surface every channel shares, through the generic halves: `closed`,
//! `same_channel`, `recv_many`, and `len`/`capacity`/`is_empty`/`is_full`
//! on each member.

mod support;

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use diatomic_channels::{mpsc, oneshot, slot, spsc, watch};
use support::*;

#[test]
fn every_closed_future_of_many_senders_completes_when_the_receiver_goes() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = mpsc::channel::<u8>(1);
    let tx2 = tx.clone();
    let mut a = pin!(tx.closed());
    let mut b = pin!(tx2.closed());
    assert_eq!(a.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(b.as_mut().poll(&mut cx), Poll::Pending);
    // A third one, dropped before the close: it is not woken.
    {
        let mut c = pin!(tx.closed());
        assert_eq!(c.as_mut().poll(&mut cx), Poll::Pending);
    }
    // A sender parked meanwhile gets its value back, as before.
    tx.try_send(1).unwrap();
    let mut send = pin!(tx.send(2));
    assert!(send.as_mut().poll(&mut cx).is_pending());
    assert_eq!(wakes(&f), 0);
    drop(rx);
    assert_eq!(wakes(&f), 3, "two `closed` futures and the parked sender");
    assert_eq!(a.as_mut().poll(&mut cx), Poll::Ready(()));
    assert_eq!(b.as_mut().poll(&mut cx), Poll::Ready(()));
    assert!(matches!(send.as_mut().poll(&mut cx), Poll::Ready(Err(e)) if e.into_inner() == 2));
    // After the close, `closed` is ready at once.
    assert_eq!(pin!(tx.closed()).poll(&mut cx), Poll::Ready(()));
}

#[test]
fn closed_of_one_sender_completes_on_close() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (mut tx, mut rx) = spsc::channel::<u8>(1);
    {
        let mut closed = pin!(tx.closed());
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
        rx.close();
        assert_eq!(wakes(&f), 1);
        assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    }
    assert!(tx.try_send(1).unwrap_err().is_closed());
}

#[test]
fn closed_does_not_complete_while_the_receiver_lives() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = slot::channel::<u8>();
    let mut closed = pin!(tx.closed());
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    tx.try_send(1).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(wakes(&f), 0);
    let debug = format!("{:?}", closed);
    assert_eq!(debug, "ClosedFuture { closed: false, .. }");
}

#[test]
fn same_channel_tells_channels_apart() {
    let (tx, _rx) = mpsc::channel::<u8>(2);
    let (other, _other_rx) = mpsc::channel::<u8>(2);
    assert!(tx.same_channel(&tx.clone()));
    assert!(!tx.same_channel(&other));
    let (a, _ra) = watch::channel::<u8>();
    let (b, _rb) = watch::channel::<u8>();
    assert!(a.same_channel(&a.clone()));
    assert!(!a.same_channel(&b));
}

#[test]
fn recv_many_takes_up_to_the_limit_in_one_go() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(8);
    let mut buffer = vec![99];
    // Nothing queued: pending.
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 4)).poll(&mut cx),
        Poll::Pending
    );
    for i in 0..6 {
        tx.try_send(i).unwrap();
    }
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 0)).poll(&mut cx),
        Poll::Ready(0)
    );
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 4)).poll(&mut cx),
        Poll::Ready(4)
    );
    assert_eq!(buffer, [99, 0, 1, 2, 3], "appended");
    drop(tx);
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 4)).poll(&mut cx),
        Poll::Ready(2)
    );
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 4)).poll(&mut cx),
        Poll::Ready(0)
    );
    assert_eq!(buffer, [99, 0, 1, 2, 3, 4, 5]);
}

#[test]
fn recv_many_makes_room_for_parked_senders_as_it_takes() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    tx.try_send(0).unwrap();
    tx.try_send(1).unwrap();
    let mut parked = pin!(tx.send(2));
    assert!(parked.as_mut().poll(&mut cx).is_pending());
    let mut buffer = Vec::new();
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 10)).poll(&mut cx),
        Poll::Ready(2)
    );
    assert_eq!(wakes(&f), 1, "the parked sender was given a room");
    // Its value goes in when its own task polls it.
    assert!(matches!(parked.as_mut().poll(&mut cx), Poll::Ready(Ok(()))));
    assert_eq!(
        pin!(rx.recv_many(&mut buffer, 10)).poll(&mut cx),
        Poll::Ready(1)
    );
    assert_eq!(buffer, [0, 1, 2]);
}

#[test]
fn try_recv_many_and_poll_recv_many_make_room_for_parked_senders() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    let mut buffer = Vec::new();
    assert_eq!(rx.try_recv_many(&mut buffer, 0), Ok(0));
    for round in 0..2u32 {
        let base = 10 * round;
        tx.try_send(base).unwrap();
        tx.try_send(base + 1).unwrap();
        let mut parked = pin!(tx.send(base + 2));
        assert!(parked.as_mut().poll(&mut cx).is_pending());
        let taken = if round == 0 {
            rx.try_recv_many(&mut buffer, 10)
        } else {
            match rx.poll_recv_many(&mut cx, &mut buffer, 10) {
                Poll::Ready(n) => Ok(n),
                Poll::Pending => panic!("items are there"),
            }
        };
        assert_eq!(taken, Ok(2));
        assert!(matches!(parked.as_mut().poll(&mut cx), Poll::Ready(Ok(()))));
        assert_eq!(rx.try_recv_many(&mut buffer, 10), Ok(1));
    }
    assert_eq!(buffer, [0, 1, 2, 10, 11, 12]);
    // A limit stops it; the rest stays queued.
    tx.try_send(20).unwrap();
    tx.try_send(21).unwrap();
    assert_eq!(rx.try_recv_many(&mut buffer, 1), Ok(1));
    assert_eq!(rx.try_recv(), Ok(21));
    assert_eq!(
        rx.try_recv_many(&mut buffer, 4),
        Err(diatomic_channels::TryRecvError::Empty)
    );
    assert_eq!(rx.poll_recv_many(&mut cx, &mut buffer, 4), Poll::Pending);
    drop(tx);
    assert_eq!(rx.poll_recv_many(&mut cx, &mut buffer, 4), Poll::Ready(0));
    assert_eq!(
        rx.try_recv_many(&mut buffer, 4),
        Err(diatomic_channels::TryRecvError::Closed)
    );
}

#[test]
fn every_member_reports_its_occupancy() {
    let (tx, rx) = mpsc::channel::<u8>(3);
    tx.try_send(1).unwrap();
    assert_eq!(
        (
            tx.len(),
            rx.len(),
            rx.capacity(),
            rx.is_empty(),
            rx.is_full()
        ),
        (1, 1, 3, false, false)
    );

    let (mut tx, rx) = spsc::channel::<u8>(2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!((tx.len(), rx.capacity(), rx.is_full()), (2, 2, true));

    let (tx, rx) = slot::channel::<u8>();
    assert!(rx.is_empty());
    tx.try_send(1).unwrap();
    assert_eq!((tx.len(), rx.capacity(), rx.is_full()), (1, 1, true));

    let (tx, mut rx) = watch::channel::<u8>();
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    assert_eq!((tx.len(), rx.capacity()), (1, 1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert!(tx.is_empty());

    let (tx, mut rx) = oneshot::channel::<u8>();
    tx.send(1).unwrap();
    assert_eq!(
        Pin::new(&mut rx).poll(&mut Context::from_waker(&flag().1)),
        Poll::Ready(Ok(1))
    );
}

#[test]
fn mpsc_len_is_right_across_laps() {
    // Positions jump at the end of each lap (capacity 3: one lap is 4).
    let (tx, mut rx) = mpsc::channel::<usize>(3);
    for round in 0..50 {
        for i in 0..=(round % 3) {
            tx.try_send(i).unwrap();
            assert_eq!(tx.len(), i + 1);
        }
        for i in 0..=(round % 3) {
            rx.try_recv().unwrap();
            assert_eq!(rx.len(), round % 3 - i);
        }
    }
}

/// A sender's `close` (async-channel's): for every half at once. A blocked
/// send gets its value back, queued items are still received, then the
/// end; a second `close` says it was closed already.
#[test]
fn a_senders_close_fails_the_blocked_sends_and_keeps_the_queued_items() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = diatomic_channels::mpmc::channel::<u8>(1);
    let tx2 = tx.clone();
    tx.try_send(1).unwrap();
    let mut send = pin!(tx2.send(2));
    assert!(send.as_mut().poll(&mut cx).is_pending());
    let mut closed = pin!(tx2.closed());
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Pending);
    assert!(tx.close(), "this call closed it");
    assert!(!tx2.close(), "closed already");
    assert_eq!(wakes(&f), 2, "the blocked send and `closed`");
    assert!(matches!(send.as_mut().poll(&mut cx), Poll::Ready(Err(e)) if e.into_inner() == 2));
    assert_eq!(closed.as_mut().poll(&mut cx), Poll::Ready(()));
    assert!(tx.is_closed() && rx.is_closed());
    assert_eq!(
        tx.try_send(3),
        Err(diatomic_channels::TrySendError::Closed(3))
    );
    assert_eq!(rx.try_recv(), Ok(1), "queued items stay");
    assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Closed));
}

/// A sender's `close` wakes every waiting receiver, with one receiver
/// (the primitive) and with many (the line, past its batch of 16).
#[test]
fn a_senders_close_wakes_every_waiting_receiver() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let mut recv = pin!(rx.recv());
    assert!(recv.as_mut().poll(&mut cx).is_pending());
    assert!(tx.close());
    assert_eq!(wakes(&f), 1);
    assert_eq!(
        recv.as_mut().poll(&mut cx),
        Poll::Ready(Err(diatomic_channels::RecvError))
    );

    const WAITING: usize = 20;
    let (g, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = diatomic_channels::mpmc::channel::<u8>(1);
    let receivers: Vec<_> = (0..WAITING).map(|_| rx.clone()).collect();
    let mut recvs: Vec<_> = receivers.iter().map(|r| Box::pin(r.recv())).collect();
    for recv in &mut recvs {
        assert!(recv.as_mut().poll(&mut cx).is_pending());
    }
    assert!(tx.close());
    assert_eq!(wakes(&g), WAITING);
    for recv in &mut recvs {
        assert_eq!(
            recv.as_mut().poll(&mut cx),
            Poll::Ready(Err(diatomic_channels::RecvError))
        );
    }
}

/// The counts each half gives of the other side, and `same_channel` on
/// the receivers of many-receiver channels.
#[test]
fn each_half_counts_the_other_side() {
    let (tx, rx) = mpsc::channel::<u8>(1);
    let tx2 = tx.clone();
    let weak = tx.downgrade();
    assert_eq!(rx.sender_count(), 2, "weak senders do not count");
    drop((tx, tx2));
    assert_eq!(rx.sender_count(), 0);
    drop(weak);

    let (tx, rx) = diatomic_channels::mpmc::channel::<u8>(1);
    let rx2 = rx.clone();
    let (_other_tx, other) = diatomic_channels::mpmc::channel::<u8>(1);
    assert_eq!((tx.receiver_count(), rx.sender_count()), (2, 1));
    assert!(rx.same_channel(&rx2) && !rx.same_channel(&other));
    drop(rx2);
    assert_eq!(tx.receiver_count(), 1);
    drop(tx);
    assert_eq!(rx.sender_count(), 0);

    let (tx, rx) = diatomic_channels::broadcast::channel::<u8>(1);
    let tx2 = tx.clone();
    assert_eq!(rx.sender_count(), 2);
    drop((tx, tx2));
    assert_eq!(rx.sender_count(), 0);

    let tx = watch::shared::Sender::new(0u8);
    assert_eq!(tx.receiver_count(), 0);
    assert!(tx.is_closed());
    let rx = tx.subscribe();
    assert_eq!(tx.receiver_count(), 1);
    tx.send(1).unwrap();
    assert_eq!(*rx.borrow(), 1);
}
