//! Loom models of the primitive.
//!
//! Run with:
//! `RUSTFLAGS="--cfg diatomic_waker_loom" LOOM_MAX_PREEMPTIONS=3 cargo test --release --test loom`
//! from `diatomic-waker/`.
#![cfg(diatomic_waker_loom)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc as StdArc;
use std::task::{Context, Poll, Wake, Waker};

use diatomic_waker::{WakeSink, WakeSource};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// Runs a model with a preemption bound that keeps the whole suite within
/// minutes, unless `LOOM_MAX_PREEMPTIONS` says otherwise.
fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}

/// A producer: reports progress, then notifies.
fn produce(counter: &AtomicUsize, source: &WakeSource) {
    // Ordering: Relaxed; the notification's RMW orders it.
    counter.fetch_add(1, Ordering::Relaxed);
    source.notify();
}

/// Waits until `counter` reaches `target`.
async fn wait_for(sink: &mut WakeSink, counter: &AtomicUsize, target: usize) {
    sink.wait_until(|| (counter.load(Ordering::Relaxed) >= target).then_some(()))
        .await
}

#[test]
fn two_notifiers_one_waiter_no_lost_notification() {
    model(|| {
        let mut sink = WakeSink::new();
        let counter = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (source, counter) = (sink.source(), counter.clone());
                thread::spawn(move || produce(&counter, &source))
            })
            .collect();
        loom::future::block_on(wait_for(&mut sink, &counter, 2));
        for h in handles {
            h.join().unwrap();
        }
    });
}

#[test]
fn spurious_notifications_do_not_hide_the_real_one() {
    model(|| {
        let mut sink = WakeSink::new();
        let counter = Arc::new(AtomicUsize::new(0));
        let source = sink.source();
        let spurious = sink.source();
        let c = counter.clone();
        let producer = thread::spawn(move || produce(&c, &source));
        let noise = thread::spawn(move || {
            spurious.notify();
            spurious.notify();
        });
        loom::future::block_on(wait_for(&mut sink, &counter, 1));
        producer.join().unwrap();
        noise.join().unwrap();
    });
}

/// Forwards to the waker it wraps, but is a distinct waker each time.
struct Forward(Waker);

impl Wake for Forward {
    fn wake(self: StdArc<Self>) {
        self.0.wake_by_ref();
    }
}

/// Polls the inner future with a brand new waker on every poll.
struct NewWakerEachPoll<F>(F);

impl<F: Future + Unpin> Future for NewWakerEachPoll<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let waker = Waker::from(StdArc::new(Forward(cx.waker().clone())));
        Pin::new(&mut self.0).poll(&mut Context::from_waker(&waker))
    }
}

#[test]
fn a_new_waker_on_every_poll() {
    model(|| {
        let mut sink = WakeSink::new();
        let counter = Arc::new(AtomicUsize::new(0));
        let source = sink.source();
        let c = counter.clone();
        let producer = thread::spawn(move || {
            produce(&c, &source);
            produce(&c, &source);
        });
        for target in 1..=2 {
            let c = &counter;
            let fut = sink.wait_until(|| (c.load(Ordering::Relaxed) >= target).then_some(()));
            loom::future::block_on(NewWakerEachPoll(fut));
        }
        producer.join().unwrap();
    });
}

#[test]
fn unregister_racing_notify() {
    model(|| {
        let mut sink = WakeSink::new();
        let source = sink.source();
        let counter = Arc::new(AtomicUsize::new(0));
        let c = counter.clone();
        let notifier = thread::spawn(move || {
            source.notify();
            produce(&c, &source);
        });
        // Register, then change our mind while the first notification races.
        let waker = Waker::from(StdArc::new(Forward(futures_noop())));
        sink.register(&waker);
        sink.unregister();
        // The primitive is still consistent: the real notification arrives.
        loom::future::block_on(wait_for(&mut sink, &counter, 1));
        notifier.join().unwrap();
    });
}

fn futures_noop() -> Waker {
    Waker::noop().clone()
}

#[test]
fn slot_reuse_across_many_registrations() {
    model(|| {
        let mut sink = WakeSink::new();
        let counter = Arc::new(AtomicUsize::new(0));
        let source = sink.source();
        let c = counter.clone();
        let producer = thread::spawn(move || {
            for _ in 0..3 {
                produce(&c, &source);
            }
        });
        // Alternating wakers so that both slots are written and read.
        for target in 1..=3 {
            let c = &counter;
            let fut = sink.wait_until(|| (c.load(Ordering::Relaxed) >= target).then_some(()));
            if target % 2 == 0 {
                loom::future::block_on(NewWakerEachPoll(fut));
            } else {
                loom::future::block_on(fut);
            }
        }
        producer.join().unwrap();
    });
}

/// Counts its drops.
struct DropCounter(StdArc<std::sync::atomic::AtomicUsize>);

impl Wake for DropCounter {
    fn wake(self: StdArc<Self>) {}
}

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn drop_of_sink_and_sources_on_different_threads() {
    model(|| {
        let drops = StdArc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut sink = WakeSink::new();
        let source = sink.source();
        {
            let waker = Waker::from(StdArc::new(DropCounter(drops.clone())));
            sink.register(&waker);
        }
        let t = thread::spawn(move || {
            source.notify();
            drop(source);
        });
        drop(sink);
        t.join().unwrap();
        assert_eq!(drops.load(std::sync::atomic::Ordering::Relaxed), 1);
    });
}
