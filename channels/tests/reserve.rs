//! Reservations: `try_reserve`, `reserve` and `Permit`, for many producers
//! (permits counted against the core's room, waiting reservations in line
//! with blocked senders) and for one (the permit borrows the sender).

mod support;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use diatomic_channels::{mpsc, spsc, SendError, TryRecvError, TrySendError};
use support::*;

#[test]
fn a_permit_holds_room_against_other_reservations() {
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    let first = tx.try_reserve().unwrap();
    let second = tx.try_reserve().unwrap();
    assert_eq!(tx.try_reserve().err(), Some(TrySendError::Full(())));
    second.send(2);
    first.send(1);
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(2), Ok(1)));
    assert!(tx.try_reserve().is_ok(), "room again");
}

#[test]
fn a_dropped_permit_gives_its_room_back() {
    let (tx, _rx) = mpsc::channel::<u32>(1);
    let permit = tx.try_reserve().unwrap();
    assert!(tx.try_reserve().is_err());
    drop(permit);
    assert!(tx.try_reserve().is_ok());
}

#[test]
fn a_permit_never_fails_even_when_a_try_send_took_its_room() {
    let d = drops();
    let (tx, mut rx) = mpsc::channel::<Counted>(1);
    let permit = tx.try_reserve().unwrap();
    // `try_send` does not look at permits: it takes the room.
    tx.try_send(Counted::new(0, &d)).unwrap();
    // The permit's value waits first in line, and goes in at the next take.
    permit.send(Counted::new(1, &d));
    assert_eq!(rx.try_recv().unwrap().id, 0);
    assert_eq!(rx.try_recv().unwrap().id, 1);
    assert_eq!(rx.try_recv().err(), Some(TryRecvError::Empty));
    assert_eq!(count(&d), 2, "each delivered once");
}

#[test]
fn waiting_reservations_queue_with_blocked_senders() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(0).unwrap();
    let mut send = pin!(tx.send(1));
    assert!(send.as_mut().poll(&mut cx).is_pending(), "parked first");
    let mut reserve = pin!(tx.reserve());
    assert!(
        reserve.as_mut().poll(&mut cx).is_pending(),
        "then the reservation"
    );
    assert_eq!(rx.try_recv(), Ok(0)); // hands the parked value over
    assert_eq!(send.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert!(reserve.as_mut().poll(&mut cx).is_pending(), "still full");
    let woken = wakes(&f);
    assert_eq!(rx.try_recv(), Ok(1)); // grants the reservation
    assert_eq!(wakes(&f), woken + 1);
    let Poll::Ready(Ok(permit)) = reserve.as_mut().poll(&mut cx) else {
        panic!("granted")
    };
    assert!(tx.try_reserve().is_err(), "the granted room is held");
    permit.send(2);
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn a_granted_reservation_dropped_unpolled_gives_its_room_back() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(0).unwrap();
    {
        let mut reserve = pin!(tx.reserve());
        assert!(reserve.as_mut().poll(&mut cx).is_pending());
        assert_eq!(rx.try_recv(), Ok(0)); // grants it
    } // dropped before it saw the grant
    assert!(tx.try_reserve().is_ok(), "the permit went back");
}

#[test]
fn dropping_a_permit_wakes_the_next_reservation() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, _rx) = mpsc::channel::<u32>(1);
    let permit = tx.try_reserve().unwrap();
    let mut reserve = pin!(tx.reserve());
    assert!(reserve.as_mut().poll(&mut cx).is_pending());
    drop(permit);
    assert_eq!(wakes(&f), 1);
    assert!(matches!(reserve.as_mut().poll(&mut cx), Poll::Ready(Ok(_))));
}

#[test]
fn closing_fails_waiting_reservations_and_drops_late_values() {
    let d = drops();
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = mpsc::channel::<Counted>(1);
    let permit = tx.try_reserve().unwrap();
    let mut reserve = pin!(tx.reserve());
    assert!(reserve.as_mut().poll(&mut cx).is_pending());
    drop(rx);
    assert_eq!(wakes(&f), 1);
    assert!(matches!(
        reserve.as_mut().poll(&mut cx),
        Poll::Ready(Err(SendError(())))
    ));
    assert_eq!(tx.try_reserve().err(), Some(TrySendError::Closed(())));
    permit.send(Counted::new(0, &d));
    assert_eq!(count(&d), 1, "dropped, since nobody will receive it");
}

#[test]
fn one_producer_reserves_when_room_frees() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (mut tx, mut rx) = spsc::channel::<u32>(1);
    tx.try_send(0).unwrap();
    {
        let mut reserve = pin!(tx.reserve());
        assert!(reserve.as_mut().poll(&mut cx).is_pending());
        assert_eq!(rx.try_recv(), Ok(0));
        assert!(wakes(&f) >= 1);
        let Poll::Ready(Ok(permit)) = reserve.as_mut().poll(&mut cx) else {
            panic!("room")
        };
        permit.send(1);
    }
    assert_eq!(rx.try_recv(), Ok(1));
    drop(rx);
    assert_eq!(tx.try_reserve().err(), Some(TrySendError::Closed(())));
}

#[test]
fn reserve_in_select_loses_nothing() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        tx.try_send(0).unwrap();
        let mut lost = 0;
        for i in 1..=20 {
            tokio::select! {
                permit = tx.reserve() => permit.unwrap().send(i),
                _ = tokio::task::yield_now() => lost += 1,
            }
            if i % 2 == 0 {
                let _ = rx.try_recv();
            }
        }
        // Whatever lost its race sent nothing; whatever won was delivered.
        let mut got = 0;
        while rx.try_recv().is_ok() {
            got += 1;
        }
        assert!(lost > 0);
        let _ = got;
    });
}

#[test]
fn permits_cross_threads_every_value_once() {
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(2);
    let start = std::time::Instant::now();
    let threads: Vec<_> = (0..3)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    if i % 3 == 0 {
                        // Some plain sends, which may take a permit's room.
                        tx.send_blocking((p, i)).unwrap();
                    } else {
                        let permit = block_on(tx.reserve()).unwrap();
                        permit.send((p, i));
                    }
                    i += 1;
                }
                i
            })
        })
        .collect();
    drop(tx);
    let mut delivery = Delivery::new(3);
    while let Ok(item) = rx.recv_blocking() {
        delivery.receive(item);
    }
    let sent: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    println!(
        "permits and sends, 3 threads: {} items",
        delivery.finish(&sent)
    );
}

// ---- the `Sink` ----

use futures_util::{SinkExt, StreamExt};

#[test]
fn a_stream_forwards_into_the_sink_with_backpressure() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(2);
        let sink = tx.into_inner().into_sink();
        let forward = tokio::spawn(futures_util::stream::iter(0..1000).map(Ok).forward(sink));
        let mut expected = 0;
        while let Ok(v) = rx.recv().await {
            assert_eq!(v, expected, "in order, each once");
            expected += 1;
        }
        assert_eq!(expected, 1000);
        forward.await.unwrap().unwrap();
    });
}

#[test]
fn poll_ready_holds_room_and_dropping_the_sink_gives_it_back() {
    use futures_sink::Sink;
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    let other = tx.clone();
    {
        let mut sink = pin!(tx.into_inner().into_sink());
        assert_eq!(sink.as_mut().poll_ready(&mut cx), Poll::Ready(Ok(())));
        assert!(other.try_reserve().is_err(), "the sink holds the room");
        sink.as_mut().start_send(1).unwrap();
        assert_eq!(sink.as_mut().poll_flush(&mut cx), Poll::Ready(Ok(())));
        assert!(sink.as_mut().poll_ready(&mut cx).is_pending(), "full");
        assert_eq!(rx.try_recv(), Ok(1));
        assert_eq!(sink.as_mut().poll_ready(&mut cx), Poll::Ready(Ok(())));
        assert!(other.try_reserve().is_err(), "held again");
    } // the sink is dropped here, with its permit
    assert!(other.try_reserve().is_ok(), "its permit went back");
}

#[test]
fn a_one_producer_sink_and_a_closed_channel() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let (tx, mut rx) = spsc::channel::<u32>(1);
        let mut sink = tx.into_inner().into_sink();
        sink.send(5).await.unwrap();
        assert_eq!(rx.recv().await, Ok(5));
        drop(rx);
        assert_eq!(sink.send(6).await, Err(SendError(())));
    });
}

#[test]
fn a_permit_value_waiting_in_line_is_dropped_once_when_everyone_leaves() {
    let d = drops();
    let (tx, rx) = mpsc::channel::<Counted>(1);
    let permit = tx.try_reserve().unwrap();
    tx.try_send(Counted::new(0, &d)).unwrap(); // takes the permit's room
    permit.send(Counted::new(1, &d)); // waits in line
    drop(tx);
    assert_eq!(count(&d), 0);
    drop(rx); // the queued item, and the value waiting in line
    assert_eq!(count(&d), 2);
}

// ---- reserve_many ----

#[test]
fn reserve_many_grants_all_or_nothing() {
    let (tx, mut rx) = mpsc::channel::<u32>(4);
    tx.try_send(0).unwrap();
    assert_eq!(tx.try_reserve_many(4).err(), Some(TrySendError::Full(())));
    let permits = tx.try_reserve_many(3).unwrap();
    assert_eq!(permits.len(), 3);
    assert_eq!(tx.try_reserve().err(), Some(TrySendError::Full(())));
    for (permit, v) in permits.zip([1, 2, 3]) {
        permit.send(v);
    }
    let got: Vec<_> = (0..4).map(|_| rx.try_recv().unwrap()).collect();
    assert_eq!(got, [0, 1, 2, 3]);
}

#[test]
fn reserve_many_of_zero_and_beyond_the_capacity_answer_at_once() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, _rx) = mpsc::channel::<u32>(2);
    let empty = tx.try_reserve_many(0).unwrap();
    assert_eq!(empty.len(), 0);
    drop(empty);
    assert_eq!(tx.try_reserve_many(3).err(), Some(TrySendError::Full(())));
    let mut never = pin!(tx.reserve_many(3));
    assert!(matches!(
        never.as_mut().poll(&mut cx),
        Poll::Ready(Err(SendError(())))
    ));
    let mut none = pin!(tx.reserve_many(0));
    let Poll::Ready(Ok(mut it)) = none.as_mut().poll(&mut cx) else {
        panic!("an empty grant")
    };
    assert!(it.next().is_none());
}

#[test]
fn unused_permits_of_a_batch_go_back_when_it_is_dropped() {
    let (tx, mut rx) = mpsc::channel::<u32>(3);
    let mut permits = tx.try_reserve_many(3).unwrap();
    permits.next().unwrap().send(1);
    let held = permits.next().unwrap();
    drop(permits); // the third room goes back, the second stays held
    assert_eq!(tx.try_reserve_many(2).err(), Some(TrySendError::Full(())));
    assert!(tx.try_reserve().is_ok());
    held.send(2);
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(1), Ok(2)));
}

#[test]
fn a_waiting_batch_is_granted_whole_once_enough_room_is_free() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(3);
    for v in 0..3 {
        tx.try_send(v).unwrap();
    }
    let mut batch = pin!(tx.reserve_many(2));
    assert!(batch.as_mut().poll(&mut cx).is_pending());
    assert_eq!(rx.try_recv(), Ok(0)); // one room: not enough
    assert_eq!(wakes(&f), 0);
    assert!(batch.as_mut().poll(&mut cx).is_pending());
    // First come, first served: a try_send does not pass the waiting batch.
    assert_eq!(tx.try_send(9), Err(TrySendError::Full(9)));
    assert_eq!(rx.try_recv(), Ok(1)); // two rooms: granted
    assert_eq!(wakes(&f), 1);
    let Poll::Ready(Ok(permits)) = batch.as_mut().poll(&mut cx) else {
        panic!("granted")
    };
    assert_eq!(permits.len(), 2);
    assert_eq!(tx.try_reserve().err(), Some(TrySendError::Full(())));
}

#[test]
fn a_waiting_batch_that_goes_away_passes_its_rooms_to_those_behind_it() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(3);
    for v in 0..3 {
        tx.try_send(v).unwrap();
    }
    let mut send = pin!(tx.send(7));
    {
        let mut batch = pin!(tx.reserve_many(3));
        assert!(batch.as_mut().poll(&mut cx).is_pending());
        assert!(send.as_mut().poll(&mut cx).is_pending(), "behind the batch");
        assert_eq!(rx.try_recv(), Ok(0));
        assert_eq!(rx.try_recv(), Ok(1)); // two rooms, the batch wants three
        assert!(send.as_mut().poll(&mut cx).is_pending(), "still behind it");
        assert_eq!(wakes(&f), 0);
    } // the batch goes away: its free rooms serve the send
    assert!(wakes(&f) >= 1, "the send behind was woken");
    assert_eq!(send.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(2), Ok(7)));
}

#[test]
fn a_granted_batch_dropped_unpolled_gives_every_room_back() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    tx.try_send(0).unwrap();
    tx.try_send(1).unwrap();
    {
        let mut batch = pin!(tx.reserve_many(2));
        assert!(batch.as_mut().poll(&mut cx).is_pending());
        assert_eq!(rx.try_recv(), Ok(0));
        assert_eq!(rx.try_recv(), Ok(1)); // grants it
    }
    assert_eq!(tx.try_reserve_many(2).map(|p| p.len()), Ok(2));
}

#[test]
fn closing_fails_a_waiting_batch() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = mpsc::channel::<u32>(1);
    tx.try_send(0).unwrap();
    let mut batch = pin!(tx.reserve_many(1));
    assert!(batch.as_mut().poll(&mut cx).is_pending());
    drop(rx);
    assert_eq!(wakes(&f), 1);
    assert!(matches!(
        batch.as_mut().poll(&mut cx),
        Poll::Ready(Err(SendError(())))
    ));
}

#[test]
fn one_producer_reserves_many_when_room_frees() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (mut tx, mut rx) = spsc::channel::<u32>(2);
    tx.try_send(0).unwrap();
    {
        let mut batch = pin!(tx.reserve_many(2));
        assert!(batch.as_mut().poll(&mut cx).is_pending());
        assert_eq!(rx.try_recv(), Ok(0));
        assert!(wakes(&f) >= 1);
        let Poll::Ready(Ok(permits)) = batch.as_mut().poll(&mut cx) else {
            panic!("room for two")
        };
        for (permit, v) in permits.zip([1, 2]) {
            permit.send(v);
        }
    }
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(1), Ok(2)));
}

#[test]
fn batches_cross_threads_every_value_once() {
    const PRODUCERS: usize = 3;
    const BATCHES: usize = if cfg!(miri) { 20 } else { 300 };
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(4);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for b in 0..BATCHES {
                    let n = 1 + (p + b) % 3;
                    let permits = futures_executor::block_on(tx.reserve_many(n)).unwrap();
                    assert_eq!(permits.len(), n);
                    for (i, permit) in permits.enumerate() {
                        permit.send((p, b * 3 + i));
                    }
                }
            })
        })
        .collect();
    drop(tx);
    let mut last = [None::<usize>; PRODUCERS];
    let mut total = 0;
    while let Ok((p, seq)) = rx.recv_blocking() {
        assert!(last[p].is_none_or(|l| l < seq), "a producer's order");
        last[p] = Some(seq);
        total += 1;
    }
    for p in producers {
        p.join().unwrap();
    }
    let expected: usize = (0..PRODUCERS)
        .map(|p| (0..BATCHES).map(|b| 1 + (p + b) % 3).sum::<usize>())
        .sum();
    assert_eq!(total, expected);
}

/// A waiting batch granted its rooms and then dropped gives them back one
/// by one, each to the next in line; when the first one's waker panics, the
/// rooms after it still go out (to the send behind it) rather than being
/// lost with the unwinding.
#[test]
fn a_granted_batch_dropped_releases_every_room_though_a_waker_panics() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let panicking = std::sync::Arc::new(Flag {
        panic: true,
        ..Flag::default()
    });
    let panicking_waker = std::task::Waker::from(panicking.clone());
    let (calm, calm_waker) = flag();
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    tx.try_send(0).unwrap();
    tx.try_send(1).unwrap();
    let mut batch = Box::pin(tx.reserve_many(2));
    assert!(batch.as_mut().poll(&mut cx).is_pending());
    let mut first = pin!(tx.send(10));
    let mut second = pin!(tx.send(11));
    assert!(first
        .as_mut()
        .poll(&mut Context::from_waker(&panicking_waker))
        .is_pending());
    assert!(second
        .as_mut()
        .poll(&mut Context::from_waker(&calm_waker))
        .is_pending());
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(0), Ok(1))); // granted
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(batch)));
    assert!(dropped.is_err(), "the first waker's panic comes through");
    assert_eq!(wakes(&panicking), 1);
    assert_eq!(wakes(&calm), 1, "the second room went out all the same");
    assert_eq!(first.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!(second.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(10), Ok(11)));
}

/// Unused permits of a `reserve_many` dropped together go back one by one,
/// each to the next reservation in line; when the first one's waker
/// panics, the others still go out.
#[test]
fn unused_permits_dropped_release_every_room_though_a_waker_panics() {
    let (_, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let panicking = std::sync::Arc::new(Flag {
        panic: true,
        ..Flag::default()
    });
    let panicking_waker = std::task::Waker::from(panicking.clone());
    let (calm, calm_waker) = flag();
    let (tx, _rx) = mpsc::channel::<u32>(2);
    let permits = tx.try_reserve_many(2).unwrap();
    let mut first = pin!(tx.reserve());
    let mut second = pin!(tx.reserve());
    assert!(first
        .as_mut()
        .poll(&mut Context::from_waker(&panicking_waker))
        .is_pending());
    assert!(second
        .as_mut()
        .poll(&mut Context::from_waker(&calm_waker))
        .is_pending());
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(permits)));
    assert!(dropped.is_err(), "the first waker's panic comes through");
    assert_eq!(wakes(&panicking), 1);
    assert_eq!(wakes(&calm), 1, "the second room went out all the same");
    let Poll::Ready(Ok(a)) = first.as_mut().poll(&mut cx) else {
        panic!("granted")
    };
    let Poll::Ready(Ok(b)) = second.as_mut().poll(&mut cx) else {
        panic!("granted")
    };
    a.send(10);
    b.send(11);
}
