//! Counts, not timings: no allocation per message once a channel exists, and
//! no waker clone when the same task waits again.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use diatomic_channels::slot;
use support::*;

/// Counts the allocations of the current thread.
struct CountingAlloc;

std::thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

// Safety: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // Safety: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Safety: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocations() -> usize {
    ALLOCS.with(Cell::get)
}

#[test]
fn no_allocation_per_message_after_construction() {
    let (tx, mut rx) = slot::channel::<u64>();
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    // Warm up every path once: fast send, blocked send, recv, wait.
    tx.try_send(0).unwrap();
    {
        let mut blocked = pin!(tx.send(1));
        assert!(blocked.as_mut().poll(&mut cx).is_pending());
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(0)));
        assert!(blocked.as_mut().poll(&mut cx).is_ready());
    }
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(1)));
    assert!(rx.poll_recv(&mut cx).is_pending());

    let before = allocations();
    for i in 0..1000 {
        let mut send = pin!(tx.send(i));
        assert!(send.as_mut().poll(&mut cx).is_ready());
        let mut blocked = pin!(tx.send(i + 1));
        assert!(
            blocked.as_mut().poll(&mut cx).is_pending(),
            "the slot is full"
        );
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(i)));
        assert!(blocked.as_mut().poll(&mut cx).is_ready());
        assert_eq!(rx.try_recv(), Ok(i + 1));
        assert!(rx.poll_recv(&mut cx).is_pending());
    }
    assert_eq!(allocations() - before, 0, "allocations for 2000 messages");
}

#[test]
fn mpsc_allocates_nothing_per_message_after_construction() {
    // 100 000 messages (2 000 under Miri), a quarter through a blocked send.
    let rounds: u64 = if cfg!(miri) { 100 } else { 25_000 };
    let (tx, mut rx) = diatomic_channels::mpsc::channel::<u64>(2);
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut round = |i: u64| {
        // Fill the ring, block a third send, take two (the second taken is
        // handed over from the blocked sender), complete it, drain.
        tx.try_send(4 * i).unwrap();
        tx.try_send(4 * i + 1).unwrap();
        let mut blocked = pin!(tx.send(4 * i + 2));
        assert!(
            blocked.as_mut().poll(&mut cx).is_pending(),
            "the ring is full"
        );
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(4 * i)));
        assert_eq!(rx.try_recv(), Ok(4 * i + 1));
        assert!(blocked.as_mut().poll(&mut cx).is_ready());
        assert_eq!(rx.try_recv(), Ok(4 * i + 2));
        let mut fast = pin!(tx.send(4 * i + 3));
        assert!(fast.as_mut().poll(&mut cx).is_ready());
        assert_eq!(rx.try_recv(), Ok(4 * i + 3));
        assert!(rx.poll_recv(&mut cx).is_pending());
    };
    round(0); // warm up every path once
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    assert_eq!(
        allocations() - before,
        0,
        "allocations for {} messages",
        4 * rounds
    );
}

#[test]
fn mpmc_allocates_nothing_per_message_after_construction() {
    // The same rounds on `mpmc`, with two receivers, one of them waiting in
    // the line (its place lives in its future) and woken by a push.
    let rounds: u64 = if cfg!(miri) { 100 } else { 25_000 };
    let (tx, rx) = diatomic_channels::mpmc::channel::<u64>(2);
    let other = rx.clone();
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut round = |i: u64| {
        let mut waiting = pin!(other.recv());
        assert!(waiting.as_mut().poll(&mut cx).is_pending(), "empty");
        tx.try_send(4 * i).unwrap();
        assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Ok(4 * i)));
        tx.try_send(4 * i + 1).unwrap();
        tx.try_send(4 * i + 2).unwrap();
        let mut blocked = pin!(tx.send(4 * i + 3));
        assert!(
            blocked.as_mut().poll(&mut cx).is_pending(),
            "the ring is full"
        );
        assert_eq!(rx.try_recv(), Ok(4 * i + 1));
        assert!(blocked.as_mut().poll(&mut cx).is_ready());
        assert_eq!(other.try_recv(), Ok(4 * i + 2));
        assert_eq!(rx.try_recv(), Ok(4 * i + 3));
    };
    round(0); // warm up every path once
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    assert_eq!(
        allocations() - before,
        0,
        "allocations for {} messages",
        4 * rounds
    );
}

#[test]
fn broadcast_allocates_nothing_per_message_after_construction() {
    // Both policies, two receivers waiting in the line (one's place lives
    // in its future, the other's in its box) and woken by a send; under backpressure a
    // send also waits for room and is woken by the last reader.
    use diatomic_channels::broadcast;
    let rounds: u64 = if cfg!(miri) { 100 } else { 25_000 };
    let (tx, mut rx) = broadcast::channel::<u64>(2);
    let mut other = tx.subscribe();
    let (btx, mut brx) = broadcast::channel_with_backpressure::<u64>(1);
    let mut bother = btx.subscribe();
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut round = |i: u64| {
        let mut waiting = pin!(rx.recv());
        assert!(waiting.as_mut().poll(&mut cx).is_pending(), "empty");
        // `poll_recv` keeps its place in a box made at its first wait.
        assert!(other.poll_recv(&mut cx).is_pending(), "empty");
        tx.send(i).unwrap();
        assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Ok(i)));
        assert_eq!(other.poll_recv(&mut cx), Poll::Ready(Ok(i)));

        btx.try_send(i).unwrap();
        let mut blocked = pin!(btx.send(i + 1));
        assert!(blocked.as_mut().poll(&mut cx).is_pending(), "full");
        assert_eq!(brx.try_recv(), Ok(i));
        assert_eq!(bother.try_recv(), Ok(i));
        assert!(blocked.as_mut().poll(&mut cx).is_ready());
        assert_eq!(brx.try_recv(), Ok(i + 1));
        assert_eq!(bother.try_recv(), Ok(i + 1));
    };
    round(0); // warm up every path once
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    assert_eq!(
        allocations() - before,
        0,
        "allocations for {} values",
        3 * rounds
    );
}

#[test]
fn spsc_allocates_nothing_per_message_after_construction() {
    // 100 000 messages (2 000 under Miri), a quarter through a blocked send.
    let rounds: u64 = if cfg!(miri) { 100 } else { 25_000 };
    let (mut tx, mut rx) = diatomic_channels::spsc::channel::<u64>(2);
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut round = |i: u64| {
        tx.try_send(4 * i).unwrap();
        tx.try_send(4 * i + 1).unwrap();
        {
            let mut blocked = pin!(tx.send(4 * i + 2));
            assert!(blocked.as_mut().poll(&mut cx).is_pending(), "full");
            assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(4 * i)));
            assert!(blocked.as_mut().poll(&mut cx).is_ready());
        }
        assert_eq!(rx.try_recv(), Ok(4 * i + 1));
        assert_eq!(rx.try_recv(), Ok(4 * i + 2));
        assert!(pin!(tx.send(4 * i + 3)).poll(&mut cx).is_ready());
        assert_eq!(rx.try_recv(), Ok(4 * i + 3));
        assert!(rx.poll_recv(&mut cx).is_pending());
    };
    round(0);
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    assert_eq!(
        allocations() - before,
        0,
        "allocations for {} messages",
        4 * rounds
    );
}

#[test]
fn watch_allocates_nothing_per_message_after_construction() {
    // 100 000 sends (2 000 under Miri), half of them overwriting.
    let rounds: u64 = if cfg!(miri) { 200 } else { 50_000 };
    let (tx, mut rx) = diatomic_channels::watch::channel::<u64>();
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut round = |i: u64| {
        assert!(rx.poll_recv(&mut cx).is_pending());
        tx.send(2 * i).unwrap();
        tx.send(2 * i + 1).unwrap();
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(2 * i + 1)));
    };
    round(0);
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    assert_eq!(
        allocations() - before,
        0,
        "allocations for {} sends",
        2 * rounds
    );
}

#[test]
fn a_oneshot_channel_is_one_allocation() {
    let (tx, rx) = diatomic_channels::oneshot::channel::<u64>();
    drop((tx, rx)); // warm up
    let before = allocations();
    let (tx, mut rx) = diatomic_channels::oneshot::channel::<u64>();
    tx.send(1).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    drop(rx);
    assert_eq!(allocations() - before, 1, "the shared state, once");
}

#[test]
fn waiting_again_with_the_same_waker_clones_nothing() {
    let (tx, mut rx) = slot::channel::<u64>();
    let calls = std::sync::Arc::new(WakerCalls::default());
    let waker = counting_waker(&calls);
    let mut cx = Context::from_waker(&waker);
    for i in 0..100 {
        assert!(rx.poll_recv(&mut cx).is_pending());
        tx.try_send(i).unwrap();
        assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(i)));
    }
    // Cloned once, into the receiver's waker slot; woken once per message.
    let load = |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(load(&calls.clones), 1);
    assert_eq!(load(&calls.wakes), 100);
    assert_eq!(load(&calls.drops), 0);
    drop(rx);
    drop(tx);
    assert_eq!(
        load(&calls.drops),
        1,
        "the cached clone is dropped with the channel"
    );
}

/// A single-threaded executor that counts every `wake` of its tasks.
mod counting_executor {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Wake, Waker};

    type Task = Pin<Box<dyn Future<Output = ()>>>;

    struct TaskWaker {
        id: usize,
        queued: AtomicBool,
        ready: Arc<Mutex<VecDeque<usize>>>,
        wakes: Arc<AtomicUsize>,
    }

    impl Wake for TaskWaker {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.wakes.fetch_add(1, Ordering::Relaxed);
            if !self.queued.swap(true, Ordering::Relaxed) {
                self.ready.lock().unwrap().push_back(self.id);
            }
        }
    }

    /// Runs `tasks` to completion, polling woken tasks in FIFO order;
    /// returns the number of wakes and of polls.
    pub fn run(tasks: Vec<Task>) -> (usize, usize) {
        let ready = Arc::new(Mutex::new((0..tasks.len()).collect::<VecDeque<_>>()));
        let wakes = Arc::new(AtomicUsize::new(0));
        let wakers: Vec<Arc<TaskWaker>> = (0..tasks.len())
            .map(|id| {
                Arc::new(TaskWaker {
                    id,
                    queued: AtomicBool::new(true),
                    ready: ready.clone(),
                    wakes: wakes.clone(),
                })
            })
            .collect();
        let mut tasks: Vec<Option<Task>> = tasks.into_iter().map(Some).collect();
        let mut polls = 0;
        loop {
            let Some(id) = ready.lock().unwrap().pop_front() else {
                break;
            };
            wakers[id].queued.store(false, Ordering::Relaxed);
            let Some(task) = tasks[id].as_mut() else {
                continue;
            };
            polls += 1;
            let waker = Waker::from(wakers[id].clone());
            if task
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_ready()
            {
                tasks[id] = None;
            }
        }
        assert!(tasks.iter().all(Option::is_none), "a task never completed");
        (wakes.load(Ordering::Relaxed), polls)
    }
}

/// The funnel at capacity 1 on one thread: 13 senders that are blocked most
/// of the time, one receiver. Every item taken wakes at most one sender.
#[test]
fn wakeups_per_message_at_capacity_1_with_13_blocked_senders() {
    const SENDERS: usize = 13;
    // 10 010 messages (1 001 under Miri).
    const PER_SENDER: usize = if cfg!(miri) { 77 } else { 770 };
    let (tx, mut rx) = slot::channel::<usize>();
    let mut tasks: Vec<std::pin::Pin<Box<dyn Future<Output = ()>>>> = Vec::new();
    let received = std::rc::Rc::new(Cell::new(0));
    let r = received.clone();
    tasks.push(Box::pin(async move {
        while rx.recv().await.is_ok() {
            r.set(r.get() + 1);
        }
    }));
    for s in 0..SENDERS {
        let tx = tx.clone();
        tasks.push(Box::pin(async move {
            for i in 0..PER_SENDER {
                tx.send(s * PER_SENDER + i).await.unwrap();
            }
        }));
    }
    drop(tx);
    let (wakes, polls) = counting_executor::run(tasks);
    let messages = SENDERS * PER_SENDER;
    assert_eq!(received.get(), messages);
    let per_message = wakes as f64 / messages as f64;
    println!(
        "{wakes} wakes and {polls} polls for {messages} messages: {per_message:.2} wakes per message"
    );
    assert!(
        per_message <= 2.0,
        "{per_message:.2} wakes per message (at most 2 expected)"
    );
}

#[test]
fn blocking_calls_allocate_nothing_after_the_first() {
    // A ping-pong with an echo thread: this thread's sends find the ring
    // full or not, and its receives wait for the echo (spinning or
    // parked); only this thread's allocations are counted.
    let rounds: u64 = if cfg!(miri) { 10 } else { 5_000 };
    let (ping_tx, mut ping_rx) = diatomic_channels::mpsc::channel::<u64>(1);
    let (pong_tx, mut pong_rx) = diatomic_channels::mpsc::channel::<u64>(1);
    let echo = std::thread::spawn(move || {
        while let Ok(v) = ping_rx.recv_blocking() {
            if pong_tx.send_blocking(v).is_err() {
                break;
            }
        }
    });
    let long = std::time::Duration::from_secs(60);
    let mut round = |i: u64| {
        ping_tx.send_blocking(2 * i).unwrap();
        assert_eq!(pong_rx.recv_blocking(), Ok(2 * i));
        ping_tx.send_timeout(2 * i + 1, long).unwrap();
        assert_eq!(pong_rx.recv_timeout(long), Ok(2 * i + 1));
    };
    round(0); // the thread's parker is made at its first blocking call
    let before = allocations();
    for i in 1..=rounds {
        round(i);
    }
    let allocated = allocations() - before;
    drop(ping_tx);
    echo.join().unwrap();
    assert_eq!(
        allocated,
        0,
        "allocations for {} blocking calls",
        4 * rounds
    );
}
