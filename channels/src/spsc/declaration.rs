// The whole declaration of the `spsc` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::marker::PhantomData;

use super::Cell;
use crate::cache_padded::CachePadded;
use crate::storage::Storage;
use crate::sync::{AtomicUsize, Ordering};
use crate::{async_channel, ChannelCore, Consumer, Occupancy, One, Producer};

/// The core of the `spsc` channel: a bounded ring, one producer, one
/// consumer, cells in `S` (a boxed slice or an inline array).
///
/// `tail` (next position to write) and `head` (next position to read) count
/// modulo twice the capacity, so that full (`tail - head == capacity`) and
/// empty (`tail == head`) differ; the cell of a position `p` is `p` modulo the
/// capacity.
///
/// Each side owns one cache line: its own index, which only it writes, and
/// its copy of the other side's index, refreshed only when the copy says
/// full (producer) or empty (consumer). In the common case a push reads and
/// writes only the producer's line and the cell, a pop only the consumer's
/// line and the cell: no read-modify-write, no line the other side writes.
///
/// | index  | written by | published with | read by the other side with |
/// |--------|------------|----------------|-----------------------------|
/// | `tail` | producer, after writing the cell | Release store | Acquire load, when its copy says empty |
/// | `head` | consumer, after reading the cell | Release store | Acquire load, when its copy says full |
#[async_channel(sender = RingSender, receiver = RingReceiver, producers = one, crate = crate)]
pub struct Ring<T, S>
where
    S: Storage<Cell<T>>,
{
    pub(super) producer: CachePadded<Side>,
    pub(super) consumer: CachePadded<Side>,
    pub(super) cells: S,
    /// The items are in `cells`; this only names their type.
    pub(super) _items: PhantomData<fn() -> T>,
}

/// One side's line: its own index and its copy of the other side's.
pub(crate) struct Side {
    /// `tail` on the producer's line, `head` on the consumer's.
    pub(super) own: AtomicUsize,
    /// The last value of the other side's index that this side read.
    /// Atomic only to share the struct; only this side touches it (Relaxed).
    pub(super) seen: AtomicUsize,
}

impl<T, S: Storage<Cell<T>>> Ring<T, S> {
    #[inline(always)]
    fn capacity(&self) -> usize {
        self.cells.cells().len()
    }

    /// The position after `position`, modulo twice the capacity.
    #[inline(always)]
    fn next(&self, position: usize) -> usize {
        if position + 1 == 2 * self.capacity() {
            0
        } else {
            position + 1
        }
    }

    /// The cell of `position`.
    #[inline(always)]
    fn cell(&self, position: usize) -> &Cell<T> {
        let capacity = self.capacity();
        let index = if position >= capacity {
            position - capacity
        } else {
            position
        };
        &self.cells.cells()[index]
    }

    /// How many items lie between `head` and `tail`.
    #[inline(always)]
    pub(super) fn distance(&self, head: usize, tail: usize) -> usize {
        if tail >= head {
            tail - head
        } else {
            tail + 2 * self.capacity() - head
        }
    }
}

impl<T: Send, S: Storage<Cell<T>> + Send + Sync> ChannelCore for Ring<T, S> {
    type Item = T;

    #[inline]
    fn try_push(&self, item: T, _: Producer<'_, One>) -> Result<(), T> {
        // Ordering: Relaxed, both: the producer's own index and copy.
        let tail = self.producer.own.load(Ordering::Relaxed);
        let mut head = self.producer.seen.load(Ordering::Relaxed);
        if self.distance(head, tail) == self.capacity() {
            // Ordering: Acquire, pairs with the consumer's Release store of
            // `head`: its read of a cell happens before this write to it.
            head = self.consumer.own.load(Ordering::Acquire);
            // Ordering: Relaxed; the producer's own copy.
            self.producer.seen.store(head, Ordering::Relaxed);
            if self.distance(head, tail) == self.capacity() {
                return Err(item);
            }
        }
        self.cell(tail).0.with_mut(|value| {
            // Safety: the cell of `tail` is empty (fewer than `capacity`
            // items since `head`), and the `Producer<One>` token says no
            // other push runs; the consumer reads it only after the store.
            unsafe { (*value).write(item) };
        });
        // Ordering: Release, publishes the item to the consumer's Acquire load.
        self.producer.own.store(self.next(tail), Ordering::Release);
        Ok(())
    }

    #[inline]
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        // Ordering: Relaxed, both: the consumer's own index and copy.
        let head = self.consumer.own.load(Ordering::Relaxed);
        let mut tail = self.consumer.seen.load(Ordering::Relaxed);
        if head == tail {
            // Ordering: Acquire, pairs with the producer's Release store of
            // `tail`: the cell's write happens before this read of it.
            tail = self.producer.own.load(Ordering::Acquire);
            // Ordering: Relaxed; the consumer's own copy.
            self.consumer.seen.store(tail, Ordering::Relaxed);
            if head == tail {
                return None;
            }
        }
        let item = self.cell(head).0.with_mut(|value| {
            // Safety: `head != tail`: the cell holds the item of `head`,
            // published by the producer; the `Consumer` token says no other
            // pop runs, and the producer writes it again only after the
            // store below.
            unsafe { (*value).assume_init_read() }
        });
        // Ordering: Release, pairs with the producer's Acquire load of `head`.
        self.consumer.own.store(self.next(head), Ordering::Release);
        Some(item)
    }
}

impl<T: Send, S: Storage<Cell<T>> + Send + Sync> Occupancy for Ring<T, S> {
    fn capacity(&self) -> usize {
        self.cells.cells().len()
    }

    fn len(&self) -> usize {
        // Ordering: Relaxed, both: a snapshot, clamped since the two loads
        // are not one instant.
        let head = self.consumer.own.load(Ordering::Relaxed);
        let tail = self.producer.own.load(Ordering::Relaxed);
        self.distance(head, tail).min(self.capacity())
    }
}

impl<T, S: Storage<Cell<T>>> Drop for Ring<T, S> {
    fn drop(&mut self) {
        // Ordering: Relaxed; `&mut self`, no other access remains.
        let tail = self.producer.own.load(Ordering::Relaxed);
        // Ordering: Relaxed, as above.
        let mut head = self.consumer.own.load(Ordering::Relaxed);
        while head != tail {
            self.cell(head).0.with_mut(|value| {
                // Safety: between `head` and `tail`, so holds an item never
                // popped; dropped once, as `head` moves on.
                unsafe { (*value).assume_init_drop() };
            });
            head = self.next(head);
        }
    }
}

impl Side {
    #[cfg(not(diatomic_waker_loom))]
    pub(super) const fn new() -> Self {
        Self {
            own: AtomicUsize::new(0),
            seen: AtomicUsize::new(0),
        }
    }

    #[cfg(diatomic_waker_loom)]
    pub(super) fn new() -> Self {
        Self {
            own: AtomicUsize::new(0),
            seen: AtomicUsize::new(0),
        }
    }
}
