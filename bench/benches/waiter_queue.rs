//! Which multi-waiter queue blocked senders use with many producers: ours
//! (`channels/src/waiter_queue.rs`) against `event-listener` and `async-event`, side by
//! side in one process.
//!
//! Run with `cargo bench -p diatomic-bench --bench waiter_queue`
//! (`-- --quick` for a short run). Ratios are other/ours.
//!
//! * "notify one, nobody waits": what every `recv` pays after taking an item
//!   (the queue is not full, no sender waits) -- the hot path;
//! * "wait, notify, wake": one blocked sender's whole cycle on one thread:
//!   register, get notified, complete;
//! * "4 blocked waiters, notify all": the receiver finding the queue empty.

use std::future::Future;
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Waker};

use diatomic_channels::__private::WaiterQueue;
use std::time::Instant;

fn time(iters: u64, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

fn ours_notify_nobody(iters: u64) -> f64 {
    let q = WaiterQueue::new();
    time(iters, || black_box(&q).notify(1))
}

fn ours_wait_cycle(iters: u64) -> f64 {
    let q = WaiterQueue::new();
    let waker = Waker::noop();
    time(iters, || {
        let key = q.register(waker);
        assert!(q.is_waiting(key, waker));
        q.notify(1);
        assert!(!q.is_waiting(key, waker));
    })
}

fn ours_notify_all_4(iters: u64) -> f64 {
    let q = WaiterQueue::new();
    let waker = Waker::noop();
    time(iters, || {
        let keys: [_; 4] = std::array::from_fn(|_| q.register(waker));
        for &k in &keys {
            assert!(q.is_waiting(k, waker));
        }
        q.notify(usize::MAX);
        for &k in &keys {
            assert!(!q.is_waiting(k, waker));
        }
    })
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

fn el_notify_all_4(iters: u64) -> f64 {
    let ev = event_listener::Event::new();
    let mut cx = Context::from_waker(Waker::noop());
    time(iters, || {
        let mut ls: [_; 4] = std::array::from_fn(|_| ev.listen());
        for l in &mut ls {
            assert!(Pin::new(l).poll(&mut cx).is_pending());
        }
        ev.notify(usize::MAX);
        for l in &mut ls {
            assert!(Pin::new(l).poll(&mut cx).is_ready());
        }
    })
}

fn ae_notify_all_4(iters: u64) -> f64 {
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
        ev.notify_all();
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
            "4 waiters, notify all",
            [ours_notify_all_4, el_notify_all_4, ae_notify_all_4],
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
