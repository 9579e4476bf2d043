//! Every member in a `static`: `Channel::new` (const) and `split`, which
//! hands the halves out once, borrowing the channel for `'static`; the
//! halves then cross threads as the `Arc` ones do. (The semantics suite
//! runs every rule in both homes; `tests/ui` checks the borrow rules.)

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use diatomic_channels::{mpsc, oneshot, slot, spsc, watch, Channel, RecvError};
use support::*;

static MPSC: Channel<mpsc::InlineRing<(usize, usize), 4>> = Channel::new(mpsc::InlineRing::new());
static SPSC: Channel<spsc::InlineRing<(usize, usize), 4>> = Channel::new(spsc::InlineRing::new());
static SLOT: Channel<slot::Slot<u32>> = Channel::new(slot::Slot::new());
static ONESHOT: Channel<oneshot::Once<u32>> = Channel::new(oneshot::Once::new());
static WATCH: Channel<watch::Latest<(usize, usize)>> = Channel::new(watch::Latest::new());

#[test]
fn a_static_mpsc_ring_serves_threads() {
    let (tx, mut rx) = MPSC.split().unwrap();
    assert!(MPSC.split().is_none(), "one receiver, ever");
    let start = Instant::now();
    let threads: Vec<_> = (0..3)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    tx.send_blocking((p, i)).unwrap();
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
    println!("static mpsc, 3 threads: {} items", delivery.finish(&sent));
}

#[test]
fn a_static_spsc_ring_serves_a_thread() {
    let (mut tx, mut rx) = SPSC.split().unwrap();
    assert!(SPSC.split().is_none());
    let start = Instant::now();
    let producer = std::thread::spawn(move || {
        let mut i = 0;
        while keep_sending(start, i) {
            tx.send_blocking((0, i)).unwrap();
            i += 1;
        }
        i
    });
    let mut delivery = Delivery::new(1);
    while let Ok(item) = rx.recv_blocking() {
        delivery.receive(item);
    }
    println!(
        "static spsc: {} items",
        delivery.finish(&[producer.join().unwrap()])
    );
}

#[test]
fn a_static_slot_and_a_static_oneshot() {
    let (tx, mut rx) = SLOT.split().unwrap();
    let t = std::thread::spawn(move || {
        for v in 1..=100 {
            tx.send_blocking(v).unwrap();
        }
    });
    let sum: u32 = (0..100).map(|_| rx.recv_blocking().unwrap()).sum();
    assert_eq!(sum, 5050);
    t.join().unwrap();
    assert_eq!(rx.recv_blocking(), Err(RecvError));

    let (tx, rx) = oneshot::split(&ONESHOT).unwrap();
    assert!(oneshot::split(&ONESHOT).is_none());
    std::thread::spawn(move || tx.send(7).unwrap());
    assert_eq!(rx.recv_blocking(), Ok(7));
}

#[test]
fn a_static_watch_gives_the_newest_value() {
    let (tx, mut rx) = watch::split(&WATCH).unwrap();
    assert!(watch::split(&WATCH).is_none());
    let t = std::thread::spawn(move || {
        for i in 0..1000 {
            tx.send((0, i)).unwrap();
        }
    });
    let mut last = None;
    while let Ok((_, i)) = rx.recv_blocking() {
        assert!(last < Some(i), "newer each time");
        last = Some(i);
    }
    t.join().unwrap();
    assert_eq!(last, Some(999), "the last value sent arrives");
}

#[test]
fn a_channel_not_split_drops_its_items_with_it() {
    let drops = drops();
    {
        let channel = Channel::new(mpsc::InlineRing::<Counted, 2>::new());
        let (tx, rx) = channel.split().unwrap();
        tx.try_send(Counted::new(0, &drops)).unwrap();
        drop(tx);
        // The receiver still holds the item: it is dropped with it.
        drop(rx);
        assert_eq!(count(&drops), 1);
    }
    {
        let channel = Channel::new(spsc::InlineRing::<Counted, 2>::new());
        let (mut tx, rx) = channel.split().unwrap();
        let item = Counted::new(1, &drops);
        std::thread::scope(|s| {
            s.spawn(move || tx.try_send(item).unwrap());
        });
        assert_eq!(count(&drops), 1, "queued");
        let _ = rx;
    }
    assert_eq!(count(&drops), 2, "dropped with the receiver");
}

static RESERVED: Channel<mpsc::InlineRing<u32, 1>> = Channel::new(mpsc::InlineRing::new());

#[test]
fn a_static_channel_reserves_like_an_arc_one() {
    let (tx, mut rx) = RESERVED.split().unwrap();
    let t = std::thread::spawn(move || {
        let permit = tx.try_reserve().unwrap();
        assert!(tx.try_reserve().is_err(), "the room is held");
        permit.send(1);
        tx.send_blocking(2).unwrap();
    });
    assert_eq!(rx.recv_blocking(), Ok(1));
    assert_eq!(rx.recv_blocking(), Ok(2));
    t.join().unwrap();
}

static SHARED_WATCH: watch::shared::Watch<u64> = watch::shared::Watch::new(0);

/// `watch::shared` in a `static`: split once; receivers on tasks follow the
/// value to its last update, each change told at most once (the values
/// they see only grow); the receivers' leaving fails a send and ends
/// `closed`; the senders' leaving ends `changed`, as in the `Arc` home.
#[test]
fn a_static_shared_watch_serves_many_receivers() {
    use watch::shared;
    let (tx, rx) = shared::split(&SHARED_WATCH).unwrap();
    assert!(shared::split(&SHARED_WATCH).is_none(), "one pair, ever");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    const LAST: u64 = if cfg!(miri) { 20 } else { 2_000 };
    const FOLLOWERS: usize = 4;
    // The senders start once every follower has read the first value: a
    // follower scheduled after the last update would rightly be told of
    // no change at all.
    let started = Arc::new(AtomicUsize::new(0));
    let followers: Vec<_> = (0..FOLLOWERS)
        .map(|_| {
            let mut rx = rx.clone();
            let started = started.clone();
            rt.spawn(async move {
                let mut last = *rx.borrow_and_update();
                // Ordering: Release, pairs with the main thread's Acquire
                // load (only the count matters).
                started.fetch_add(1, Ordering::Release);
                let mut told = 0u64;
                while last < LAST {
                    rx.changed().await.expect("the senders stay");
                    let now = *rx.borrow_and_update();
                    assert!(now > last, "a change told twice, or out of order");
                    last = now;
                    told += 1;
                }
                (told, last)
            })
        })
        .collect();
    drop(rx);
    // Ordering: Acquire, pairs with the followers' Release increments.
    while started.load(Ordering::Acquire) < FOLLOWERS {
        std::thread::yield_now();
    }
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for _ in 0..LAST / 2 {
                    tx.send_modify(|v| *v += 1);
                }
            })
        })
        .collect();
    for s in senders {
        s.join().unwrap();
    }
    for follower in followers {
        let (told, last) = rt.block_on(follower).unwrap();
        assert!((1..=LAST).contains(&told), "told {told} changes");
        assert_eq!(last, LAST, "every follower ends at the last update");
    }
    // Every receiver is gone: `closed` completes, and a send fails.
    rt.block_on(tx.closed());
    assert_eq!(tx.send(7), Err(diatomic_channels::SendError(7)));
    assert_eq!(*tx.borrow(), LAST);
    // Every sender gone: a receiver learns it once it has seen the last change.
    let mut late = tx.subscribe();
    drop(tx);
    assert_eq!(rt.block_on(late.changed()), Err(RecvError));
    assert!(format!("{SHARED_WATCH:?}").contains("closed: true"));
}
