//! Shared by the channel tests: counted items, counting wakers, toy cores.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};
use std::time::{Duration, Instant};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, One, Producer};

/// An item whose drops are counted in a shared counter.
#[derive(Debug)]
pub struct Counted {
    pub id: usize,
    drops: Arc<AtomicUsize>,
}

impl Counted {
    pub fn new(id: usize, drops: &Arc<AtomicUsize>) -> Self {
        Self {
            id,
            drops: drops.clone(),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

pub fn drops() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

pub fn count(drops: &Arc<AtomicUsize>) -> usize {
    drops.load(Ordering::Relaxed)
}

/// A waker that counts its wakes, and can panic on wake.
#[derive(Default)]
pub struct Flag {
    pub wakes: AtomicUsize,
    pub panic: bool,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::Relaxed);
        assert!(!self.panic, "this waker panics on purpose");
    }
}

pub fn flag() -> (Arc<Flag>, Waker) {
    let f = Arc::new(Flag::default());
    (f.clone(), Waker::from(f))
}

pub fn wakes(f: &Flag) -> usize {
    f.wakes.load(Ordering::Relaxed)
}

/// A waker that counts its clones, wakes and drops (a `RawWaker` over an
/// `Arc<WakerCalls>`: its identity, for `will_wake`, is the `Arc`).
#[derive(Default, Debug)]
pub struct WakerCalls {
    pub clones: AtomicUsize,
    pub wakes: AtomicUsize,
    pub drops: AtomicUsize,
}

pub fn counting_waker(calls: &Arc<WakerCalls>) -> std::task::Waker {
    use std::task::{RawWaker, RawWakerVTable};
    unsafe fn clone(data: *const ()) -> RawWaker {
        // Safety: `data` comes from `Arc::into_raw` below.
        let calls = unsafe { &*(data as *const WakerCalls) };
        calls.clones.fetch_add(1, Ordering::Relaxed);
        // Safety: as above; given back by `drop`.
        unsafe { Arc::increment_strong_count(data as *const WakerCalls) };
        RawWaker::new(data, &VTABLE)
    }
    unsafe fn wake(data: *const ()) {
        // Safety: as above.
        unsafe { wake_by_ref(data) };
        // Safety: as above.
        unsafe { drop(data) };
    }
    unsafe fn wake_by_ref(data: *const ()) {
        // Safety: as above.
        let calls = unsafe { &*(data as *const WakerCalls) };
        calls.wakes.fetch_add(1, Ordering::Relaxed);
    }
    unsafe fn drop(data: *const ()) {
        // Safety: as above.
        let calls = unsafe { Arc::from_raw(data as *const WakerCalls) };
        calls.drops.fetch_add(1, Ordering::Relaxed);
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop);
    let data = Arc::into_raw(calls.clone()) as *const ();
    // Safety: the vtable upholds the `RawWaker` contract for this pointer.
    unsafe { std::task::Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

/// A bounded FIFO of capacity `N` over a mutex: the storage of the toy cores
/// below (test only: the real cores are lock-free).
pub struct Deque<T, const N: usize>(Mutex<VecDeque<T>>);

impl<T, const N: usize> Deque<T, N> {
    fn new() -> Self {
        Self(Mutex::new(VecDeque::new()))
    }
    fn try_push(&self, item: T) -> Result<(), T> {
        let mut items = self.0.lock().unwrap();
        if items.len() == N {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self) -> Option<T> {
        self.0.lock().unwrap().pop_front()
    }
}

/// A toy core of capacity `N`, many producers.
#[async_channel(sender = RingSender, receiver = RingReceiver)]
pub struct Ring<T, const N: usize> {
    items: Deque<T, N>,
}

impl<T, const N: usize> Ring<T, N> {
    pub fn new() -> Self {
        Self {
            items: Deque::new(),
        }
    }
}

impl<T: Send, const N: usize> ChannelCore for Ring<T, N> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        self.items.try_push(item)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.items.try_pop()
    }
}

/// The same with one producer.
#[async_channel(sender = SoloSender, receiver = SoloReceiver, producers = one)]
pub struct Solo<T, const N: usize> {
    items: Deque<T, N>,
}

impl<T, const N: usize> Solo<T, N> {
    pub fn new() -> Self {
        Self {
            items: Deque::new(),
        }
    }
}

impl<T: Send, const N: usize> ChannelCore for Solo<T, N> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, One>) -> Result<(), T> {
        self.items.try_push(item)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.items.try_pop()
    }
}

// ---- stress: real contention for a while, checked as items arrive ----

/// How long each stress test keeps its producers sending; under Miri, a
/// fixed number of items instead.
pub const CONTENTION: Duration = Duration::from_secs(1);
pub const MIRI_ITEMS: usize = 100;

/// The longest operation sequence of a model test (proptest): shorter under
/// Miri, where each case is slow to generate and run, and where the four
/// cases it runs are a smoke test of the code under its checks rather than
/// a search.
pub const MODEL_OPS: usize = if cfg!(miri) { 40 } else { 200 };

/// Whether producer `p`, having sent `sent` items since `start`, goes on.
pub fn keep_sending(start: Instant, sent: usize) -> bool {
    if cfg!(miri) {
        sent < MIRI_ITEMS
    } else {
        sent % 256 != 0 || start.elapsed() < CONTENTION
    }
}

/// What the receiver checks as items arrive: each producer's items come
/// once and in order.
pub struct Delivery {
    pub next: Vec<usize>,
}

impl Delivery {
    pub fn new(producers: usize) -> Self {
        Self {
            next: vec![0; producers],
        }
    }

    pub fn receive(&mut self, (p, i): (usize, usize)) {
        assert_eq!(i, self.next[p], "producer {p}: out of order or duplicated");
        self.next[p] += 1;
    }

    /// Checks that everything each producer sent arrived; returns the total.
    pub fn finish(self, sent: &[usize]) -> usize {
        assert_eq!(self.next, sent, "every item arrived");
        sent.iter().sum()
    }
}

/// Runs `future` on this thread, parking it between polls.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}
