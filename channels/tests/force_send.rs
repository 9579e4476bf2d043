//! `force_send`: a send that never waits, taking the oldest item out when
//! the channel is full (cores declared `receivers = many`). Its two races
//! are driven here by a core that plays them on demand: another sender
//! taking the room the forced send freed, and the oldest item still being
//! written when the forced send looks for it.

mod support;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
// Ordering: Relaxed for the race switches: each is set and taken on the
// test's one thread (the thread test uses none).
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use diatomic_channels::{
    async_channel, mpmc, ChannelCore, Consumer, Many, Occupancy, Producer, SendError, TryRecvError,
    TrySendError,
};
use support::*;

#[test]
fn with_room_it_sends_and_takes_nothing() {
    let (tx, rx) = mpmc::channel::<u32>(2);
    assert_eq!(tx.force_send(1), Ok(None));
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
fn full_it_takes_the_oldest_out_and_returns_it() {
    let (tx, rx) = mpmc::channel::<u32>(3);
    for v in 0..3 {
        tx.try_send(v).unwrap();
    }
    assert_eq!(tx.force_send(3), Ok(Some(0)));
    assert_eq!(tx.force_send(4), Ok(Some(1)));
    assert_eq!(tx.len(), 3);
    let got: Vec<_> = (0..3).map(|_| rx.try_recv().unwrap()).collect();
    assert_eq!(got, [2, 3, 4]);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn closed_it_gives_the_value_back() {
    let (tx, rx) = mpmc::channel::<u32>(1);
    drop(rx);
    assert_eq!(tx.force_send(7), Err(SendError(7)));
}

#[test]
fn it_passes_blocked_senders_which_keep_waiting() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = mpmc::channel::<u32>(1);
    tx.try_send(0).unwrap();
    let mut send = pin!(tx.send(1));
    assert!(send.as_mut().poll(&mut cx).is_pending());
    assert_eq!(tx.force_send(2), Ok(Some(0)), "never waits");
    assert_eq!(wakes(&f), 0, "the queue is still full");
    assert_eq!(rx.try_recv(), Ok(2)); // frees a room: the blocked send's
    assert_eq!(send.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
fn a_receiver_waiting_is_woken() {
    let (f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let (tx, rx) = mpmc::channel::<u32>(1);
    let mut recv = pin!(rx.recv());
    assert!(recv.as_mut().poll(&mut cx).is_pending());
    assert_eq!(tx.force_send(5), Ok(None));
    assert_eq!(wakes(&f), 1);
    assert_eq!(recv.as_mut().poll(&mut cx), Poll::Ready(Ok(5)));
}

#[test]
fn each_item_is_received_or_returned_once_across_threads() {
    const SENDERS: u32 = 3;
    const PER_SENDER: u32 = if cfg!(miri) { 100 } else { 5_000 };
    let (tx, rx) = mpmc::channel::<u32>(4);
    let senders: Vec<_> = (0..SENDERS)
        .map(|s| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut displaced = Vec::new();
                for i in 0..PER_SENDER {
                    if let Some(old) = tx.force_send(s * PER_SENDER + i).unwrap() {
                        displaced.push(old);
                    }
                }
                displaced
            })
        })
        .collect();
    drop(tx);
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                while let Ok(v) = rx.recv_blocking() {
                    got.push(v);
                }
                got
            })
        })
        .collect();
    drop(rx);
    let mut all: Vec<u32> = senders
        .into_iter()
        .flat_map(|s| s.join().unwrap())
        .chain(receivers.into_iter().flat_map(|r| r.join().unwrap()))
        .collect();
    all.sort_unstable();
    let expected: Vec<u32> = (0..SENDERS * PER_SENDER).collect();
    assert_eq!(all, expected, "every item once: received or taken out");
}

/// A queue under a lock, `receivers = many`, which plays the two races of
/// a forced send on demand: when `steal` is set, its next pop is followed
/// at once by another sender's push into the room (99); when `hide` is
/// set, its next pop finds nothing (the oldest "still being written").
#[derive(Debug)]
#[async_channel(sender = RacySender, receiver = RacyReceiver, receivers = many)]
pub struct Racy {
    items: Mutex<VecDeque<u32>>,
    races: Arc<Races>,
}

/// The races a test asks `Racy` to play.
#[derive(Debug, Default)]
struct Races {
    steal: AtomicBool,
    hide: AtomicBool,
}

impl ChannelCore for Racy {
    type Item = u32;

    fn try_push(&self, v: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        let mut items = self.items.lock().unwrap();
        if items.len() < 2 {
            items.push_back(v);
            Ok(())
        } else {
            Err(v)
        }
    }

    fn try_pop(&self, _: Consumer<'_, Many>) -> Option<u32> {
        if self.races.hide.swap(false, Ordering::Relaxed) {
            return None;
        }
        let mut items = self.items.lock().unwrap();
        let item = items.pop_front();
        if self.races.steal.swap(false, Ordering::Relaxed) {
            items.push_back(99);
        }
        item
    }
}

impl Occupancy for Racy {
    fn capacity(&self) -> usize {
        2
    }
    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

fn racy() -> (RacySender, RacyReceiver, Arc<Races>) {
    let races = Arc::new(Races::default());
    let (tx, rx) = Racy {
        items: Mutex::default(),
        races: races.clone(),
    }
    .into_channel();
    (tx, rx, races)
}

#[test]
fn when_another_sender_takes_the_freed_room_the_value_waits_first_in_line() {
    let (tx, rx, races) = racy();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    races.steal.store(true, Ordering::Relaxed);
    assert_eq!(tx.force_send(5), Ok(Some(1)), "the oldest was taken");
    // 5 waits in line: this sender's later sends go behind it.
    assert_eq!(tx.try_send(6), Err(TrySendError::Full(6)));
    assert_eq!(rx.try_recv(), Ok(2)); // its room goes to 5
    assert_eq!(rx.try_recv(), Ok(99));
    assert_eq!(rx.try_recv(), Ok(5));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    assert_eq!(tx.try_send(6), Ok(()), "the line is empty again");
}

#[test]
fn when_the_oldest_is_not_there_yet_nothing_is_taken_and_the_value_waits() {
    let (tx, rx, races) = racy();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    races.hide.store(true, Ordering::Relaxed);
    assert_eq!(tx.force_send(5), Ok(None), "nothing taken out");
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(5));
}

#[test]
fn a_value_waiting_in_line_goes_with_the_close_and_later_sends_fail() {
    let (tx, rx, races) = racy();
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    races.hide.store(true, Ordering::Relaxed);
    assert_eq!(tx.force_send(5), Ok(None));
    drop(rx); // closes: the queued items and the one in line go
    assert_eq!(tx.force_send(6), Err(SendError(6)));
}
