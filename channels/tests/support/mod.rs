//! Shared by the channel tests: counted items, counting wakers, toy cores.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

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

/// A toy core of capacity `N` over a mutex, many producers (test only: the
/// real cores are lock-free).
#[async_channel(sender = RingSender, receiver = RingReceiver)]
pub struct Ring<T, const N: usize> {
    items: Mutex<VecDeque<T>>,
}

impl<T, const N: usize> Ring<T, N> {
    pub fn new() -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
        }
    }
}

impl<T: Send, const N: usize> ChannelCore for Ring<T, N> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        let mut items = self.items.lock().unwrap();
        if items.len() == N {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.items.lock().unwrap().pop_front()
    }
}

/// The same with one producer.
#[async_channel(sender = SoloSender, receiver = SoloReceiver, producers = one)]
pub struct Solo<T, const N: usize> {
    items: Mutex<VecDeque<T>>,
}

impl<T, const N: usize> Solo<T, N> {
    pub fn new() -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
        }
    }
}

impl<T: Send, const N: usize> ChannelCore for Solo<T, N> {
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, One>) -> Result<(), T> {
        let mut items = self.items.lock().unwrap();
        if items.len() == N {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.items.lock().unwrap().pop_front()
    }
}
