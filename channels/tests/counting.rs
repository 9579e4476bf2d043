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
