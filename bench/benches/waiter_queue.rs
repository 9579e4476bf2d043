//! The queue of blocked senders of a many-producer channel: ours
//! (`channels/src/handoff_queue.rs`, which holds the senders' *values* and
//! moves them into the core) against the waiter lists a channel would
//! otherwise use, `event-listener` and `async-event`, side by side in one
//! process, on one thread.
//!
//! Run with `cargo bench -p diatomic-bench --bench waiter_queue`
//! (`-- --quick` for a short run). Ratios are other/ours.
//!
//! * "notify one, nobody waits": what every `recv` pays after taking an item
//!   when no sender waits -- the hot path;
//! * "wait, notify, wake": one blocked sender's cycle: register (ours: park
//!   the value), get released (ours: a room is assigned to it), complete
//!   (ours: take the value back to push it);
//! * "4 waiters, released one by one": four items taken, four senders
//!   released.
//!
//! Ours does more per cycle than the others (it keeps the value, so that
//! the woken sender's push cannot fail for want of room; theirs may have
//! to retry, not counted here), so this
//! bench shows the queue's own overhead; the channel workloads
//! (`--bench channels`) show what the whole design gives.

use std::future::Future;
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Waker};

use diatomic_channels::__private::{HandOver, HandoffQueue, Waiter};
use std::time::Instant;

fn time(iters: u64, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

fn ours_notify_nobody(iters: u64) -> f64 {
    let q = HandoffQueue::<u64>::new();
    time(iters, || {
        black_box(black_box(&q).space_freed(|_| unreachable!("nobody parked"), |_| {}));
    })
}

fn ours_wait_cycle(iters: u64) -> f64 {
    let q = HandoffQueue::<u64>::new();
    let waker = Waker::noop();
    time(iters, || {
        // The place lives in the sender's future, pinned: no allocation.
        let waiter = pin!(Waiter::new());
        let waiter = waiter.as_ref();
        q.park(waiter, black_box(7), waker, false, false, |_| {})
            .unwrap();
        assert!(q.poll(waiter, waker).is_pending());
        // The space freed: the room is assigned to the parked value, whose
        // sender takes it back to push it (into the, here imaginary, core).
        let handed = q.hand_over(None, true, |_| unreachable!(), |_| {});
        assert_eq!(handed, HandOver::Woken);
        assert!(q.poll(waiter, waker).is_ready());
    })
}

fn ours_release_4(iters: u64) -> f64 {
    let q = HandoffQueue::<u64>::new();
    let waker = Waker::noop();
    time(iters, || {
        let places = pin!([Waiter::new(), Waiter::new(), Waiter::new(), Waiter::new()]);
        let places = places.as_ref();
        let place = |i: usize| element(places, i);
        for i in 0..4 {
            q.park(place(i), i as u64, waker, false, false, |_| {})
                .unwrap();
            assert!(q.poll(place(i), waker).is_pending());
        }
        for _ in 0..4 {
            q.hand_over(None, true, |_| unreachable!(), |_| {});
        }
        for i in 0..4 {
            assert!(q.poll(place(i), waker).is_ready());
        }
    })
}

/// Element `i` of a pinned array, pinned.
fn element<T, const N: usize>(array: Pin<&[T; N]>, i: usize) -> Pin<&T> {
    // Safety: an element of a pinned array is pinned too (the array is never
    // moved, so neither are its elements).
    unsafe { array.map_unchecked(|array| &array[i]) }
}

fn el_notify_nobody(iters: u64) -> f64 {
    let ev = event_listener::Event::new();
    ev.notify_additional(1); // the first notification allocates the list
    time(iters, || {
        black_box(&ev).notify_additional(1);
    })
}

fn ae_notify_nobody(iters: u64) -> f64 {
    let ev = async_event::Event::new();
    time(iters, || black_box(&ev).notify_one())
}

fn el_wait_cycle(iters: u64) -> f64 {
    let ev = event_listener::Event::new();
    let mut cx = Context::from_waker(Waker::noop());
    time(iters, || {
        let mut listener = ev.listen();
        assert!(Pin::new(&mut listener).poll(&mut cx).is_pending());
        ev.notify_additional(1);
        assert!(Pin::new(&mut listener).poll(&mut cx).is_ready());
    })
}

fn ae_wait_cycle(iters: u64) -> f64 {
    let ev = async_event::Event::new();
    let flag = AtomicBool::new(false);
    let mut cx = Context::from_waker(Waker::noop());
    time(iters, || {
        flag.store(false, Ordering::Relaxed);
        let mut fut = pin!(ev.wait_until(|| flag.load(Ordering::Relaxed).then_some(())));
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        flag.store(true, Ordering::Relaxed);
        ev.notify_one();
        assert!(fut.as_mut().poll(&mut cx).is_ready());
    })
}

fn el_release_4(iters: u64) -> f64 {
    let ev = event_listener::Event::new();
    let mut cx = Context::from_waker(Waker::noop());
    time(iters, || {
        let mut ls: [_; 4] = std::array::from_fn(|_| ev.listen());
        for l in &mut ls {
            assert!(Pin::new(l).poll(&mut cx).is_pending());
        }
        for _ in 0..4 {
            ev.notify_additional(1);
        }
        for l in &mut ls {
            assert!(Pin::new(l).poll(&mut cx).is_ready());
        }
    })
}

fn ae_release_4(iters: u64) -> f64 {
    let ev = async_event::Event::new();
    let flag = AtomicBool::new(false);
    let mut cx = Context::from_waker(Waker::noop());
    time(iters, || {
        flag.store(false, Ordering::Relaxed);
        let pred = || flag.load(Ordering::Relaxed).then_some(());
        let mut f0 = pin!(ev.wait_until(pred));
        let mut f1 = pin!(ev.wait_until(pred));
        let mut f2 = pin!(ev.wait_until(pred));
        let mut f3 = pin!(ev.wait_until(pred));
        assert!(f0.as_mut().poll(&mut cx).is_pending());
        assert!(f1.as_mut().poll(&mut cx).is_pending());
        assert!(f2.as_mut().poll(&mut cx).is_pending());
        assert!(f3.as_mut().poll(&mut cx).is_pending());
        flag.store(true, Ordering::Relaxed);
        for _ in 0..4 {
            ev.notify_one();
        }
        assert!(f0.as_mut().poll(&mut cx).is_ready());
        assert!(f1.as_mut().poll(&mut cx).is_ready());
        assert!(f2.as_mut().poll(&mut cx).is_ready());
        assert!(f3.as_mut().poll(&mut cx).is_ready());
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let (scale, rounds) = if quick { (50, 5) } else { (5, 31) };
    type Row = (&'static str, [fn(u64) -> f64; 3], u64);
    let rows: [Row; 3] = [
        (
            "notify one, nobody waits",
            [ours_notify_nobody, el_notify_nobody, ae_notify_nobody],
            10_000_000,
        ),
        (
            "wait, notify, wake (one waiter)",
            [ours_wait_cycle, el_wait_cycle, ae_wait_cycle],
            1_000_000,
        ),
        (
            "4 waiters, released one by one",
            [ours_release_4, el_release_4, ae_release_4],
            250_000,
        ),
    ];
    println!(
        "{:<36} {:>10} {:>22} {:>22}",
        "workload (median ns/op)", "ours", "event-listener", "async-event"
    );
    for (name, fs, iters) in rows {
        let iters = iters / scale;
        let mut samples = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..rounds {
            for (s, f) in samples.iter_mut().zip(fs) {
                s.push(f(iters));
            }
        }
        let [ours, el, ae] = samples.map(median);
        println!(
            "{name:<36} {ours:>10.2} {el:>13.2} ({:>5.2}x) {ae:>13.2} ({:>5.2}x)",
            el / ours,
            ae / ours
        );
    }
}
