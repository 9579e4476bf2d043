//! A stand-in for `event_listener::Event` under Loom, with the same semantics
//! for what the runtime uses (FIFO waiters, `notify_additional`, `notify` all,
//! a dropped notified listener passes its notification on), built on Loom's
//! mutex so that the models can explore it. `event-listener` itself cannot be
//! run under Loom: it wakes wakers while holding a `std` mutex, which blocks
//! Loom's single-threaded scheduler.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::vec::Vec;

use loom::sync::{Arc, Mutex};

#[derive(Debug)]
struct Entry {
    id: u64,
    waker: Option<Waker>,
    notified: bool,
}

#[derive(Debug, Default)]
struct Waiters {
    next_id: u64,
    queue: VecDeque<Entry>,
}

impl Waiters {
    /// Marks up to `n` unnotified waiters notified and returns their wakers.
    fn notify_additional(&mut self, n: usize) -> Vec<Waker> {
        self.queue
            .iter_mut()
            .filter(|e| !e.notified)
            .take(n)
            .filter_map(|e| {
                e.notified = true;
                e.waker.take()
            })
            .collect()
    }
}

#[derive(Debug)]
pub struct Event(Arc<Mutex<Waiters>>);

impl Event {
    pub(crate) fn new() -> Self {
        Self(Arc::new(Mutex::new(Waiters::default())))
    }

    pub(crate) fn listen(&self) -> EventListener {
        let mut waiters = self.0.lock().unwrap();
        let id = waiters.next_id;
        waiters.next_id += 1;
        waiters.queue.push_back(Entry {
            id,
            waker: None,
            notified: false,
        });
        EventListener {
            waiters: self.0.clone(),
            id,
            done: false,
        }
    }

    pub(crate) fn notify_additional(&self, n: usize) {
        let wakers = self.0.lock().unwrap().notify_additional(n);
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Notifies every waiter (the runtime only calls it with `usize::MAX`).
    pub(crate) fn notify(&self, n: usize) {
        self.notify_additional(n);
    }
}

#[derive(Debug)]
pub struct EventListener {
    waiters: Arc<Mutex<Waiters>>,
    id: u64,
    done: bool,
}

impl Future for EventListener {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut waiters = self.waiters.lock().unwrap();
        let Some(pos) = waiters.queue.iter().position(|e| e.id == self.id) else {
            drop(waiters);
            self.done = true;
            return Poll::Ready(());
        };
        if waiters.queue[pos].notified {
            waiters.queue.remove(pos);
            drop(waiters);
            self.done = true;
            return Poll::Ready(());
        }
        waiters.queue[pos].waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let wakers = {
            let mut waiters = self.waiters.lock().unwrap();
            match waiters.queue.iter().position(|e| e.id == self.id) {
                Some(pos) => match waiters.queue.remove(pos) {
                    // Notified but never used: pass it on.
                    Some(entry) if entry.notified => waiters.notify_additional(1),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            }
        };
        wakers.into_iter().for_each(Waker::wake);
    }
}
