//! Unit tests that count: the primitive's own RMWs and the waker calls.

use std::boxed::Box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};
use std::vec::Vec;

use crate::sync::rmw_counter;
use crate::{DiatomicWaker, WakeSink};

/// What a counting waker has seen.
#[derive(Default, Debug)]
struct Calls {
    clone: AtomicUsize,
    wake: AtomicUsize,
    wake_by_ref: AtomicUsize,
    drop: AtomicUsize,
    panic_on_wake: bool,
    panic_on_clone: bool,
}

impl Calls {
    fn snapshot(&self) -> [usize; 4] {
        [
            self.clone.load(Ordering::Relaxed),
            self.wake.load(Ordering::Relaxed),
            self.wake_by_ref.load(Ordering::Relaxed),
            self.drop.load(Ordering::Relaxed),
        ]
    }
}

/// A waker that counts its calls in `Calls`; the `Arc` is the waker's identity
/// (so `will_wake` is true only between clones of one waker).
fn counting_waker(calls: &Arc<Calls>) -> Waker {
    unsafe fn clone(data: *const ()) -> RawWaker {
        // Safety: `data` comes from `Arc::into_raw` in this module.
        let calls = unsafe { &*(data as *const Calls) };
        calls.clone.fetch_add(1, Ordering::Relaxed);
        assert!(!calls.panic_on_clone, "clone panics on purpose");
        // Safety: as above; the count is given back by `drop`.
        unsafe { Arc::increment_strong_count(data as *const Calls) };
        RawWaker::new(data, &VTABLE)
    }
    unsafe fn wake(data: *const ()) {
        // Safety: as above.
        let calls = unsafe { Arc::from_raw(data as *const Calls) };
        calls.wake.fetch_add(1, Ordering::Relaxed);
    }
    unsafe fn wake_by_ref(data: *const ()) {
        // Safety: as above.
        let calls = unsafe { &*(data as *const Calls) };
        calls.wake_by_ref.fetch_add(1, Ordering::Relaxed);
        assert!(!calls.panic_on_wake, "wake_by_ref panics on purpose");
    }
    unsafe fn drop(data: *const ()) {
        // Safety: as above.
        let calls = unsafe { Arc::from_raw(data as *const Calls) };
        calls.drop.fetch_add(1, Ordering::Relaxed);
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop);

    let data = Arc::into_raw(calls.clone()) as *const ();
    // Safety: the vtable's functions uphold the `RawWaker` contract for an
    // `Arc<Calls>` pointer.
    unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

fn calls() -> Arc<Calls> {
    Arc::new(Calls::default())
}

// [clone, wake, wake_by_ref, drop]
const WOKEN_ONCE: [usize; 4] = [0, 0, 1, 0];

#[test]
fn notify_without_waker_costs_one_rmw_and_no_waker_call() {
    let w = DiatomicWaker::new();
    let c = calls();
    let waker = counting_waker(&c);
    // Register and consume once so that a waker sits cached in a slot.
    // Safety: single-threaded test, the only sink.
    unsafe { w.register(&waker) };
    w.notify();
    let before = c.snapshot();

    rmw_counter::take();
    w.notify();
    assert_eq!(rmw_counter::take(), 1);
    assert_eq!(c.snapshot(), before, "no waker call");

    // A fresh primitive too.
    let fresh = DiatomicWaker::new();
    fresh.notify();
    assert_eq!(rmw_counter::take(), 1);
}

#[test]
fn same_waker_register_and_notify_costs_three_rmws_and_one_wake_by_ref() {
    let w = DiatomicWaker::new();
    let c = calls();
    let waker = counting_waker(&c);
    // Safety: single-threaded test, the only sink.
    unsafe { w.register(&waker) };
    w.notify();
    let before = c.snapshot();

    rmw_counter::take();
    // Safety: as above.
    unsafe { w.register(&waker) };
    w.notify();
    assert_eq!(rmw_counter::take(), 3);
    let after = c.snapshot();
    let delta: Vec<usize> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    assert_eq!(delta, WOKEN_ONCE, "[clone, wake, wake_by_ref, drop]");
}

#[test]
fn new_waker_with_both_slots_full_costs_three_rmws_clone_drop_wake() {
    let w = DiatomicWaker::new();
    let (a, b, c) = (calls(), calls(), calls());
    let (wa, wb, wc) = (counting_waker(&a), counting_waker(&b), counting_waker(&c));
    // Safety: single-threaded test, the only sink.
    unsafe { w.register(&wa) };
    w.notify();
    // Safety: as above.
    unsafe { w.register(&wb) };
    w.notify();
    // Both slots now hold a waker (A and B).
    let (a0, b0, c0) = (a.snapshot(), b.snapshot(), c.snapshot());

    rmw_counter::take();
    // Safety: as above.
    unsafe { w.register(&wc) };
    w.notify();
    assert_eq!(rmw_counter::take(), 3);
    // C was cloned into the slot A occupied, A's clone dropped, C woken.
    assert_eq!(c.snapshot(), [c0[0] + 1, 0, c0[2] + 1, c0[3]]);
    assert_eq!(a.snapshot(), [a0[0], 0, a0[2], a0[3] + 1]);
    assert_eq!(b.snapshot(), b0, "B stays cached, untouched");
}

#[test]
fn re_registering_the_last_waker_clones_once_whatever_happens_in_between() {
    let w = DiatomicWaker::new();
    let c = calls();
    let waker = counting_waker(&c);
    // Safety: single-threaded test, the only sink.
    unsafe {
        w.register(&waker); // new: cloned
        w.register(&waker); // still pending (U set): nothing to do
        w.notify();
        w.register(&waker); // current: no clone
        w.unregister();
        w.register(&waker); // still cached after unregister
    }
    w.notify();
    assert_eq!(c.snapshot(), [1, 0, 2, 0]);
}

#[test]
fn notification_unregisters_and_unregister_silences() {
    let w = DiatomicWaker::new();
    let c = calls();
    let waker = counting_waker(&c);
    // Safety: single-threaded test, the only sink.
    unsafe { w.register(&waker) };
    w.notify();
    w.notify();
    assert_eq!(c.wake_by_ref.load(Ordering::Relaxed), 1);
    // Safety: as above.
    unsafe {
        w.register(&waker);
        w.unregister();
    }
    w.notify();
    assert_eq!(c.wake_by_ref.load(Ordering::Relaxed), 1);
}

#[test]
fn re_registration_before_notification_wakes_the_latest_waker_only() {
    let w = DiatomicWaker::new();
    let (a, b, c) = (calls(), calls(), calls());
    let (wa, wb, wc) = (counting_waker(&a), counting_waker(&b), counting_waker(&c));
    // Safety: single-threaded test, the only sink.
    unsafe {
        w.register(&wa);
        w.register(&wb); // pending update retracted and replaced
        w.register(&wc);
    }
    w.notify();
    assert_eq!(a.wake_by_ref.load(Ordering::Relaxed), 0);
    assert_eq!(b.wake_by_ref.load(Ordering::Relaxed), 0);
    assert_eq!(c.wake_by_ref.load(Ordering::Relaxed), 1);
}

#[test]
fn panicking_wake_by_ref_releases_the_lock() {
    let w = DiatomicWaker::new();
    let bad = Arc::new(Calls {
        panic_on_wake: true,
        ..Calls::default()
    });
    let good = calls();
    // Safety: single-threaded test, the only sink.
    unsafe { w.register(&counting_waker(&bad)) };
    assert!(catch_unwind(AssertUnwindSafe(|| w.notify())).is_err());

    // Safety: as above.
    unsafe { w.register(&counting_waker(&good)) };
    w.notify();
    assert_eq!(good.wake_by_ref.load(Ordering::Relaxed), 1);
    // And again, through the cached path.
    // Safety: as above.
    unsafe { w.register(&counting_waker(&good)) };
    w.notify();
    assert_eq!(good.wake_by_ref.load(Ordering::Relaxed), 2);
}

#[test]
fn panicking_clone_leaves_the_primitive_usable() {
    let w = DiatomicWaker::new();
    let bad = Arc::new(Calls {
        panic_on_clone: true,
        ..Calls::default()
    });
    let good = calls();
    let bad_waker = counting_waker(&bad);
    // Safety: single-threaded test, the only sink.
    assert!(catch_unwind(AssertUnwindSafe(|| unsafe { w.register(&bad_waker) })).is_err());
    w.notify();
    assert_eq!(bad.wake_by_ref.load(Ordering::Relaxed), 0);

    // Safety: as above.
    unsafe { w.register(&counting_waker(&good)) };
    w.notify();
    assert_eq!(good.wake_by_ref.load(Ordering::Relaxed), 1);
}

#[test]
fn dropping_sink_and_sources_in_any_order_drops_each_waker_once() {
    type Step = Box<dyn FnOnce(&mut Option<WakeSink>, &mut Vec<crate::WakeSource>)>;
    let orders: [[u8; 3]; 3] = [[0, 1, 2], [1, 0, 2], [1, 2, 0]];
    for order in orders {
        let (a, b, c) = (calls(), calls(), calls());
        let (wa, wb, wc) = (counting_waker(&a), counting_waker(&b), counting_waker(&c));
        let mut sink = Some(WakeSink::new());
        let s = sink.as_mut().unwrap();
        let mut sources = std::vec![s.source(), s.source()];
        s.register(&wa);
        sources[0].notify();
        s.register(&wb);
        sources[1].notify();
        s.register(&wc); // A's clone is dropped here: both slots were full
        assert_eq!(a.drop.load(Ordering::Relaxed), 1);
        assert_eq!(b.drop.load(Ordering::Relaxed), 0);
        let mut steps: Vec<Option<Step>> = std::vec![
            Some(Box::new(|sink, _| *sink = None)),
            Some(Box::new(|_, srcs| drop(srcs.remove(0)))),
            Some(Box::new(|_, srcs| drop(srcs.pop()))),
        ];
        for i in order {
            (steps[i as usize].take().unwrap())(&mut sink, &mut sources);
        }
        for (calls, name) in [(&a, "A"), (&b, "B"), (&c, "C")] {
            let [clone, wake, _, drop] = calls.snapshot();
            assert_eq!(clone, 1, "{name} cloned once");
            assert_eq!(wake, 0, "{name} never consumed by wake");
            assert_eq!(drop, 1, "{name}'s clone dropped once (order {order:?})");
            // The test's own `Arc` and its original waker remain.
            assert_eq!(Arc::strong_count(calls), 2, "{name} leaked nothing");
        }
        std::mem::drop((wa, wb, wc));
    }
}
