//! A channel core declared by a user with the attribute, as a user would:
//! a bounded queue under a mutex, with two switches to make its next
//! `try_push` or `try_pop` panic.

use std::collections::VecDeque;
// Ordering: Relaxed for the switches: set and used on the same thread by
// the tests that pull them (the core's data has its own mutex).
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};

use crate::ledger::Item;

#[async_channel(sender = BoxSender, receiver = BoxReceiver)]
pub struct Mailbox {
    items: Mutex<VecDeque<Item>>,
    capacity: usize,
    switches: Arc<Switches>,
}

/// Kept by the test while the channel owns the core.
#[derive(Default)]
pub struct Switches {
    panic_next_push: AtomicBool,
    panic_next_pop: AtomicBool,
}

impl Switches {
    /// The next `try_push` panics (before it takes the lock).
    pub fn break_next_push(&self) {
        self.panic_next_push.store(true, Relaxed);
    }

    /// The next `try_pop` panics (before it takes the lock).
    pub fn break_next_pop(&self) {
        self.panic_next_pop.store(true, Relaxed);
    }
}

impl Mailbox {
    pub fn new(capacity: usize) -> Self {
        Self::with_switches(capacity, Arc::default())
    }

    pub fn with_switches(capacity: usize, switches: Arc<Switches>) -> Self {
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            switches,
        }
    }
}

impl ChannelCore for Mailbox {
    type Item = Item;

    fn try_push(&self, item: Item, _: Producer<'_, Many>) -> Result<(), Item> {
        if self.switches.panic_next_push.swap(false, Relaxed) {
            panic!("the user's core panics in try_push (injected)");
        }
        let mut items = self.items.lock().unwrap();
        if items.len() == self.capacity {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }

    fn try_pop(&self, _: Consumer<'_>) -> Option<Item> {
        if self.switches.panic_next_pop.swap(false, Relaxed) {
            panic!("the user's core panics in try_pop (injected)");
        }
        self.items.lock().unwrap().pop_front()
    }
}

impl Occupancy for Mailbox {
    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}
