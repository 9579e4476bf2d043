//! The semantics every channel keeps, each one a test, on the `slot` channel
//! and on toy cores of other capacities and producer modes; the whole suite
//! runs in both homes: halves sharing an `Arc` (`into_channel`) and halves
//! borrowing a `Channel` (`Channel::split`).

mod support;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::task::{Context, Poll};

use diatomic_channels::slot::Slot;
use diatomic_channels::{RecvError, SendOrder, TryRecvError, TrySendError};
use support::*;

/// Capacity 1; pushing 13 into room panics (a broken core).
#[diatomic_channels::async_channel(sender = TrapSender, receiver = TrapReceiver)]
struct Trap {
    item: std::sync::Mutex<Option<u32>>,
}

impl diatomic_channels::ChannelCore for Trap {
    type Item = u32;
    fn try_push(
        &self,
        item: u32,
        _: diatomic_channels::Producer<'_, diatomic_channels::Many>,
    ) -> Result<(), u32> {
        let mut slot = self.item.lock().unwrap();
        if slot.is_some() {
            return Err(item);
        }
        if item == 13 {
            drop(slot);
            panic!("this core panics on 13");
        }
        *slot = Some(item);
        Ok(())
    }
    fn try_pop(&self, _: diatomic_channels::Consumer<'_>) -> Option<u32> {
        self.item.lock().unwrap().take()
    }
}

/// An item whose `Drop` panics when armed; its drop is counted all the same
/// (the field is dropped while the panic unwinds).
#[derive(Debug)]
struct Bomb(#[allow(dead_code)] Counted, bool);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.1 {
            panic!("an item's drop panics");
        }
    }
}

/// Every test of the suite, for the home that `open!` makes.
macro_rules! suite {
    () => {
        #[test]
        fn try_send_on_full_hands_the_value_back() {
            open!(let (tx, mut rx) = Slot::<&str>::new());
            tx.try_send("a").unwrap();
            assert_eq!(tx.try_send("b"), Err(TrySendError::Full("b")));
            assert_eq!(rx.try_recv(), Ok("a"));
            assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        }

        #[test]
        fn closed_or_dropped_receiver_fails_senders_with_the_value() {
            open!(let (tx, mut rx) = Slot::<u32>::new());
            rx.close();
            assert_eq!(tx.try_send(1), Err(TrySendError::Closed(1)));
            assert_eq!(tx.send_blocking(2).unwrap_err().into_inner(), 2);
            assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

            open!(let (tx, rx) = Ring::<u32, 2>::new());
            drop(rx);
            assert!(tx.is_closed());
            assert_eq!(tx.try_send(3), Err(TrySendError::Closed(3)));
        }

        #[test]
        fn receiver_drains_after_the_last_sender_leaves_then_reports_closed() {
            open!(let (tx, mut rx) = Ring::<u32, 3>::new());
            let tx2 = tx.clone();
            tx.try_send(1).unwrap();
            tx2.try_send(2).unwrap();
            drop(tx);
            assert!(!rx.is_closed());
            drop(tx2);
            assert!(rx.is_closed());
            assert_eq!(rx.recv_blocking(), Ok(1));
            assert_eq!(rx.recv_blocking(), Ok(2));
            assert_eq!(rx.recv_blocking(), Err(RecvError));
            assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
        }

        #[test]
        fn receiver_dropped_with_items_queued_drops_each_once() {
            let d = drops();
            open!(let (tx, rx) = Ring::<Counted, 3>::new());
            for i in 0..3 {
                tx.try_send(Counted::new(i, &d)).unwrap();
            }
            assert_eq!(count(&d), 0);
            drop(rx);
            assert_eq!(count(&d), 3, "dropped when the receiver left");
            let back = tx.try_send(Counted::new(9, &d)).unwrap_err().into_inner();
            assert_eq!(back.id, 9);
            drop(back);
            drop(tx);
            assert_eq!(count(&d), 4);

            // The slot too, and an item left in the core when all is dropped.
            open!(let (tx, rx) = Slot::<Counted>::new());
            tx.try_send(Counted::new(0, &d)).unwrap();
            drop(rx);
            drop(tx);
            assert_eq!(count(&d), 5);
        }

        #[test]
        fn a_dropped_recv_future_loses_nothing() {
            open!(let (tx, mut rx) = Slot::<u32>::new());
            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            {
                let mut fut = pin!(rx.recv());
                assert_eq!(fut.as_mut().poll(&mut cx), Poll::Pending);
            } // dropped half-way
            tx.try_send(7).unwrap();
            assert_eq!(rx.try_recv(), Ok(7));
            assert!(wakes(&f) <= 1, "at most the stale registration fired");
            tx.try_send(8).unwrap();
            assert_eq!(rx.recv_blocking(), Ok(8));
        }

        #[test]
        fn a_dropped_send_future_drops_its_item_once_and_sends_nothing() {
            let d = drops();
            open!(let (tx, mut rx) = Slot::<Counted>::new());
            tx.try_send(Counted::new(0, &d)).unwrap();
            let (_f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            {
                let mut fut = pin!(tx.send(Counted::new(1, &d)));
                assert!(fut.as_mut().poll(&mut cx).is_pending());
            }
            assert_eq!(count(&d), 1, "the unsent item was dropped with its future");
            assert_eq!(rx.try_recv().unwrap().id, 0);
            assert_eq!(rx.try_recv().unwrap_err(), TryRecvError::Empty);
            assert_eq!(count(&d), 2);
            tx.try_send(Counted::new(2, &d)).unwrap();
            assert_eq!(rx.try_recv().unwrap().id, 2);
        }

        /// The rule tokio, async-channel, flume and tachyonix keep: a `send`
        /// future dropped before it returned `Ready` has not sent, even once it
        /// was woken because room was made for it.
        #[test]
        fn a_send_future_dropped_after_it_was_woken_has_not_sent() {
            let d = drops();
            open!(let (tx, mut rx) = Slot::<Counted>::new());
            tx.try_send(Counted::new(0, &d)).unwrap();
            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            {
                let mut fut = pin!(tx.send(Counted::new(1, &d)));
                assert!(fut.as_mut().poll(&mut cx).is_pending());
                // Taking an item makes room for the parked sender and wakes it.
                drop(rx.try_recv().unwrap());
                assert_eq!(wakes(&f), 1);
                // Dropped woken but not polled again: its value never went in.
            }
            assert_eq!(count(&d), 2, "the unsent value was dropped with its future");
            assert_eq!(rx.try_recv().unwrap_err(), TryRecvError::Empty);
            // The room it was given is free for the next sender.
            tx.try_send(Counted::new(2, &d)).unwrap();
            assert_eq!(rx.try_recv().unwrap().id, 2);
        }

        /// tachyonix's scenario (its issue on cancelled sends): A parks and its
        /// task stops polling it, B parks behind it, an item is taken, then A's
        /// future is dropped: the room made for A goes to B, and the receiver
        /// never sees A's value.
        #[test]
        fn a_room_made_for_a_dropped_send_goes_to_the_next_sender() {
            open!(let (tx, mut rx) = Ring::<u32, 2>::new());
            let tx2 = tx.clone();
            tx.try_send(1).unwrap();
            tx.try_send(2).unwrap();
            let (fa, waker_a) = flag();
            let (fb, waker_b) = flag();
            let mut a = Box::pin(tx.send(10));
            let mut b = pin!(tx2.send(20));
            assert!(a
                .as_mut()
                .poll(&mut Context::from_waker(&waker_a))
                .is_pending());
            assert!(b
                .as_mut()
                .poll(&mut Context::from_waker(&waker_b))
                .is_pending());
            assert_eq!(rx.try_recv(), Ok(1));
            assert_eq!((wakes(&fa), wakes(&fb)), (1, 0), "the room is A's");
            drop(a);
            assert_eq!(wakes(&fb), 1, "A's room passed to B");
            assert_eq!(
                b.as_mut().poll(&mut Context::from_waker(&waker_b)),
                Poll::Ready(Ok(()))
            );
            assert_eq!(rx.try_recv(), Ok(2));
            assert_eq!(rx.try_recv(), Ok(20));
            assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        }

        /// While senders wait in line, a sender that does not wait goes behind
        /// them (so a room made for the first is not taken from it).
        #[test]
        fn try_send_goes_behind_waiting_senders() {
            open!(let (tx, mut rx) = Ring::<u32, 1>::new());
            tx.try_send(0).unwrap();
            let (_f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            let mut a = pin!(tx.send(1));
            let mut b = pin!(tx.send(2));
            assert!(a.as_mut().poll(&mut cx).is_pending());
            assert!(b.as_mut().poll(&mut cx).is_pending());
            assert_eq!(rx.try_recv(), Ok(0));
            assert_eq!(tx.try_send(9), Err(TrySendError::Full(9)), "B waits");
            assert_eq!(a.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
            assert_eq!(rx.try_recv(), Ok(1));
            assert_eq!(b.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
            assert_eq!(rx.try_recv(), Ok(2));
            tx.try_send(3).unwrap();
            assert_eq!(rx.try_recv(), Ok(3));
        }

        #[test]
        fn a_blocked_send_completes_when_an_item_is_taken() {
            open!(let (tx, mut rx) = Slot::<u32>::new());
            tx.try_send(0).unwrap();
            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            let mut fut = pin!(tx.send(1));
            assert!(fut.as_mut().poll(&mut cx).is_pending());
            assert_eq!(rx.try_recv(), Ok(0));
            assert_eq!(wakes(&f), 1, "taking an item wakes the blocked sender");
            assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
            assert_eq!(rx.try_recv(), Ok(1));
        }

        #[test]
        fn closing_wakes_blocked_senders_and_gives_their_values_back() {
            open!(let (tx, mut rx) = Ring::<u32, 1>::new());
            tx.try_send(0).unwrap();
            let tx2 = tx.clone();
            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            let mut a = pin!(tx.send(1));
            let mut b = pin!(tx2.send(2));
            assert!(a.as_mut().poll(&mut cx).is_pending());
            assert!(b.as_mut().poll(&mut cx).is_pending());
            rx.close();
            assert_eq!(wakes(&f), 2);
            assert_eq!(
                a.as_mut().poll(&mut cx).map(|r| r.unwrap_err().0),
                Poll::Ready(1)
            );
            assert_eq!(
                b.as_mut().poll(&mut cx).map(|r| r.unwrap_err().0),
                Poll::Ready(2)
            );
            assert_eq!(rx.try_recv(), Ok(0), "queued items can still be drained");
        }

        #[test]
        fn a_forgotten_blocked_sender_does_not_deadlock_the_others() {
            open!(let (tx, mut rx) = Ring::<u32, 2>::new());
            let tx2 = tx.clone();
            tx.try_send(0).unwrap();
            tx.try_send(1).unwrap();
            let (fa, waker_a) = flag();
            let (fb, waker_b) = flag();

            let mut a = Box::pin(tx.send(10));
            assert!(a
                .as_mut()
                .poll(&mut Context::from_waker(&waker_a))
                .is_pending());
            let mut b = pin!(tx2.send(20));
            assert!(b
                .as_mut()
                .poll(&mut Context::from_waker(&waker_b))
                .is_pending());
            // First in line, never polled nor dropped again: forgotten. (Kept in a
            // `ManuallyDrop` and dropped after the assertions, not leaked, so that
            // Miri's leak check stays meaningful.)
            let forgotten = std::mem::ManuallyDrop::new(a);

            // The first room goes to the forgotten future, which never uses it;
            // the next one to B.
            let (_fr, waker_r) = flag();
            let mut cx = Context::from_waker(&waker_r);
            assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(0)));
            assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(1)));
            assert_eq!((wakes(&fa), wakes(&fb)), (1, 1));
            assert_eq!(
                b.as_mut().poll(&mut Context::from_waker(&waker_b)),
                Poll::Ready(Ok(()))
            );
            assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(20)));
            assert_eq!(rx.poll_recv(&mut cx), Poll::Pending);
            // Nobody waits in line any more: the forgotten future's room is
            // everyone's again, the whole capacity is there.
            tx2.try_send(30).unwrap();
            tx2.try_send(31).unwrap();
            assert_eq!(tx2.try_send(32), Err(TrySendError::Full(32)));
            assert_eq!(rx.try_recv(), Ok(30));
            assert_eq!(rx.try_recv(), Ok(31));
            drop(std::mem::ManuallyDrop::into_inner(forgotten));
        }

        #[test]
        #[cfg_attr(miri, ignore = "forgets a boxed future on purpose: a leak for Miri")]
        fn a_forgotten_blocked_sender_with_one_producer_frees_the_sender() {
            open!(let (mut tx, mut rx) = Solo::<u32, 1>::new());
            tx.try_send(0).unwrap();
            let (_f, waker) = flag();
            let mut fut = Box::pin(tx.send(1));
            assert!(fut
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending());
            std::mem::forget(fut);
            assert_eq!(rx.try_recv(), Ok(0));
            // The borrow ended with `forget`: the sender works again.
            std::thread::scope(|s| {
                s.spawn(move || {
                    tx.send_blocking(2).unwrap();
                    tx.send_blocking(3).unwrap();
                });
                assert_eq!(rx.recv_blocking(), Ok(2));
                assert_eq!(rx.recv_blocking(), Ok(3));
            });
            assert_eq!(rx.recv_blocking(), Err(RecvError));
        }

        #[test]
        fn an_item_panicking_in_drop_as_the_receiver_drains_leaves_none_undropped() {
            open!(let (tx, rx) = Ring::<Bomb, 4>::new());
            let n = drops();
            for armed in [false, true, false, false] {
                tx.try_send(Bomb(Counted::new(0, &n), armed)).unwrap();
            }
            // The sender keeps the channel alive: the drain alone must drop
            // the items after the panicking one.
            assert!(catch_unwind(AssertUnwindSafe(|| drop(rx))).is_err());
            assert_eq!(count(&n), 4, "each item dropped once");
            let back = tx.try_send(Bomb(Counted::new(0, &n), false));
            assert!(matches!(back, Err(TrySendError::Closed(_))), "closed first");
            drop(back);
            drop(tx);
            assert_eq!(count(&n), 5);
        }

        #[test]
        fn a_panicking_receiver_waker_leaves_the_channel_usable() {
            open!(let (tx, mut rx) = Slot::<u32>::new());
            let bad = std::sync::Arc::new(Flag {
                panic: true,
                ..Flag::default()
            });
            let bad_waker = std::task::Waker::from(bad);
            assert!(rx
                .poll_recv(&mut Context::from_waker(&bad_waker))
                .is_pending());
            // The sender's notification runs the panicking waker: the panic reaches
            // the sender, after the item was stored.
            assert!(catch_unwind(AssertUnwindSafe(|| tx.try_send(1))).is_err());
            assert_eq!(rx.try_recv(), Ok(1));

            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            assert!(rx.poll_recv(&mut cx).is_pending());
            tx.try_send(2).unwrap();
            assert_eq!(wakes(&f), 1);
            assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(2)));
        }

        #[test]
        fn a_panicking_sender_waker_leaves_the_channel_usable() {
            open!(let (mut tx, mut rx) = Solo::<u32, 1>::new());
            tx.try_send(0).unwrap();
            let bad = std::sync::Arc::new(Flag {
                panic: true,
                ..Flag::default()
            });
            let bad_waker = std::task::Waker::from(bad);
            {
                let mut fut = pin!(tx.send(1));
                assert!(fut
                    .as_mut()
                    .poll(&mut Context::from_waker(&bad_waker))
                    .is_pending());
            }
            assert!(catch_unwind(AssertUnwindSafe(|| rx.try_recv())).is_err());
            // The item was taken before the wake panicked; it was dropped by the
            // unwinding. The channel still works both ways.
            tx.try_send(5).unwrap();
            assert_eq!(rx.try_recv(), Ok(5));
            std::thread::scope(|s| {
                let t = s.spawn(move || tx.send_blocking(6));
                assert_eq!(rx.recv_blocking(), Ok(6));
                t.join().unwrap().unwrap();
            });
        }

        #[test]
        fn the_receiver_is_a_stream() {
            use futures_core::Stream;
            open!(let (tx, mut rx) = Ring::<u32, 4>::new());
            for i in 0..3 {
                tx.try_send(i).unwrap();
            }
            drop(tx);
            let (_f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            let mut got = Vec::new();
            while let Poll::Ready(Some(v)) = std::pin::Pin::new(&mut rx).poll_next(&mut cx) {
                got.push(v);
            }
            assert_eq!(got, [0, 1, 2]);
        }

        #[test]
        fn debug_output_names_the_halves() {
            open!(let (tx, rx) = Slot::<u32>::new());
            let s = format!("{tx:?} {rx:?}");
            assert!(
                s.contains("SlotSender") && s.contains("SlotReceiver"),
                "{s}"
            );
            assert!(s.contains("senders: 1"), "{s}");
        }

        /// What a core whose push panics leaves behind when a woken sender
        /// pushes into the room made for it: the panic reaches that sender's
        /// poll (its value goes with it), and the channel keeps working for
        /// everyone else.
        #[test]
        fn a_core_panicking_on_a_woken_senders_push_leaves_the_channel_usable() {
            open!(let (tx, mut rx) = Trap {
                item: std::sync::Mutex::new(None),
            });
            tx.try_send(1).unwrap();
            let (f, waker) = flag();
            let mut cx = Context::from_waker(&waker);
            let mut unlucky = Box::pin(tx.send(13));
            assert!(unlucky.as_mut().poll(&mut cx).is_pending(), "parked");
            assert_eq!(rx.try_recv(), Ok(1));
            assert_eq!(wakes(&f), 1, "the parked sender is woken");
            let polled = catch_unwind(AssertUnwindSafe(|| unlucky.as_mut().poll(&mut cx)));
            assert!(polled.is_err(), "its push panics: the value is gone");
            drop(unlucky);
            // Everyone else carries on, blocked sends included (two parked at
            // once: each has an entry of its own).
            tx.try_send(2).unwrap();
            let mut three = pin!(tx.send(3));
            let mut four = pin!(tx.send(4));
            assert!(three.as_mut().poll(&mut cx).is_pending());
            assert!(four.as_mut().poll(&mut cx).is_pending());
            assert_eq!(rx.try_recv(), Ok(2));
            assert_eq!(three.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
            assert_eq!(rx.try_recv(), Ok(3));
            assert_eq!(four.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
            assert_eq!(rx.try_recv(), Ok(4));
            assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        }

        #[test]
        fn overtaking_lets_a_running_sender_take_the_room_of_a_waiting_one() {
            for order in [SendOrder::Fifo, SendOrder::Overtaking] {
                open_with_order!(let (tx, mut rx) = Slot::<u32>::new(), order);
                let (woken, waker) = flag();
                let mut cx = Context::from_waker(&waker);
                tx.try_send(1).unwrap();
                // Two sends wait in line: the second keeps the line's mark
                // up once the first is given a room.
                let mut first = pin!(tx.send(2));
                let mut second = pin!(tx.send(3));
                assert!(first.as_mut().poll(&mut cx).is_pending());
                assert!(second.as_mut().poll(&mut cx).is_pending());
                // The room goes to the first, which is woken.
                assert_eq!(rx.try_recv(), Ok(1));
                assert_eq!(wakes(&woken), 1, "{order:?}");
                if order == SendOrder::Fifo {
                    assert_eq!(tx.try_send(4), Err(TrySendError::Full(4)), "behind the line");
                    assert_eq!(first.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
                    assert_eq!(rx.try_recv(), Ok(2));
                } else {
                    assert_eq!(tx.try_send(4), Ok(()), "takes the room");
                    assert!(
                        first.as_mut().poll(&mut cx).is_pending(),
                        "its room was taken: it waits again, first in line"
                    );
                    assert_eq!(rx.try_recv(), Ok(4));
                    assert_eq!(wakes(&woken), 2, "the next room is the first's again");
                    assert_eq!(first.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
                    assert_eq!(rx.try_recv(), Ok(2));
                }
                // Then the second, in both orders.
                assert_eq!(second.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
                assert_eq!(rx.try_recv(), Ok(3));
                assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
            }
        }
    };
}

/// Halves that share the channel through an `Arc`.
mod arc_home {
    use super::*;

    macro_rules! open {
        (let $halves:pat = $core:expr) => {
            let $halves = $core.into_channel();
        };
    }

    macro_rules! open_with_order {
        (let $halves:pat = $core:expr, $order:expr) => {
            let $halves = diatomic_channels::channel_with_order($core, $order);
        };
    }

    suite!();
}

/// Halves that borrow a `Channel` (here on the stack; a `static` is the
/// same borrow, for `'static`).
mod borrowed_home {
    use super::*;

    macro_rules! open {
        (let $halves:pat = $core:expr) => {
            let channel = diatomic_channels::Channel::new($core);
            let $halves = channel.split().unwrap();
        };
    }

    macro_rules! open_with_order {
        (let $halves:pat = $core:expr, $order:expr) => {
            let channel = diatomic_channels::Channel::with_order($core, $order);
            let $halves = channel.split().unwrap();
        };
    }

    suite!();
}
