// The whole declaration of the `mpsc` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::marker::PhantomData;

use super::cell::{empty, full, ASLEEP};
use super::Cell;
use crate::cache_padded::CachePadded;
use crate::ring;
use crate::storage::Storage;
use crate::sync::{AtomicUsize, Ordering};
use crate::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer, Wake};

/// The core of the `mpsc` channel: a bounded ring, any number of producers,
/// one consumer, cells in `S` (a boxed slice or an inline array).
///
/// A *position* counts pushes: `lap * one_lap + index`, where `one_lap` is
/// the smallest power of two above the capacity, so that "full with the item
/// of position `p`" (`full(p)`, `2p + 2`) and "empty, waiting for position
/// `p`" (`empty(p)`, `2p`) never collide, even at capacity 1. Bit 0 is the
/// consumer's `ASLEEP` mark. A cell's stamp moves:
///
/// | from       | to               | by                                   | how |
/// |------------|------------------|--------------------------------------|-----|
/// | `empty(p)` | `empty(p) \| ASLEEP` | the consumer, about to sleep waiting for `p` | CAS |
/// | `empty(p)`, marked or not | `full(p)` | the producer that won position `p` | CAS on `tail`, write, swap |
/// | `full(p)`  | `empty(p + one_lap)` | the consumer (position `p` taken) | read, Release store |
///
/// A push reads the stamp of the tail's cell: empty at the tail, it tries to
/// take the position (one CAS); behind it, the ring is full there (the item
/// of the previous lap is not taken, or not even written yet): `Full`, never
/// a wait; ahead of it, another producer took the position: it reads the
/// tail again. So a producer stalled between its CAS and its write holds up
/// no other producer.
///
/// The consumer is told of an item only when it may be asleep: it marks the
/// cell it waits for before it sleeps, and the producer's publishing swap
/// returns the mark, so the push knows whether to wake it
/// ([`Wake`](crate::Wake)). Every other send makes no notification at all:
/// a push is one CAS on the tail and one swap on the producer's own cell.
/// The mark is on the cell rather than on the tail, so that a producer
/// stalled between its CAS and its write (whose CAS came before the mark)
/// still finds it, and the consumer never has to spin for it.
#[async_channel(sender = RingSender, receiver = RingReceiver, crate = crate)]
pub struct Ring<T, S>
where
    S: Storage<Cell<T>>,
{
    /// The next position to push.
    pub(super) tail: CachePadded<AtomicUsize>,
    /// The next position to pop; written by the consumer only.
    pub(super) head: CachePadded<AtomicUsize>,
    /// The power of two above the capacity: positions `lap * one_lap + i`.
    pub(super) one_lap: usize,
    pub(super) cells: S,
    /// The items are in `cells`; this only names their type (and is
    /// `Send` and `Sync` whatever `T`: the cells decide).
    pub(super) _items: PhantomData<fn() -> T>,
}

impl<T, S: Storage<Cell<T>>> Ring<T, S> {
    /// The position after `position`.
    #[inline(always)]
    fn next(&self, position: usize) -> usize {
        ring::next(position, self.one_lap, self.cells.cells().len())
    }
}

impl<T: Send, S: Storage<Cell<T>> + Send + Sync> ChannelCore for Ring<T, S> {
    type Item = T;

    fn try_push(&self, item: T, producer: Producer<'_, Many>) -> Result<(), T> {
        self.try_push_reporting(item, producer).map(drop)
    }

    fn try_push_reporting(&self, item: T, _: Producer<'_, Many>) -> Result<Wake, T> {
        let cells = self.cells.cells();
        // Ordering: Relaxed; the cell's stamp orders the data, the CAS below
        // decides who gets the position.
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let cell = &cells[tail & (self.one_lap - 1)];
            // Ordering: Acquire, pairs with the consumer's Release stamp: its
            // read of the previous lap's item happens before this write.
            let stamp = cell.stamp.load(Ordering::Acquire) & !ASLEEP;
            // Positions only grow (wrapping after 2^63 pushes on 64-bit
            // targets): the sign of the difference says behind or ahead.
            let ahead = stamp.wrapping_sub(empty(tail)) as isize;
            if ahead == 0 {
                // Ordering: Relaxed, as above.
                match self.tail.compare_exchange_weak(
                    tail,
                    self.next(tail),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        cell.value.with_mut(|value| {
                            // Safety: this producer won position `tail`, whose
                            // cell is empty (stamp == tail); nobody else
                            // touches it until the stamp below.
                            unsafe { (*value).write(item) };
                        });
                        // Ordering: Release, publishes the item to the
                        // consumer's Acquire load; Acquire, pairs with the
                        // consumer's Release mark: the waker it registered
                        // before is seen by the notification this asks for.
                        let before = cell.stamp.swap(full(tail), Ordering::AcqRel);
                        return Ok(if before & ASLEEP != 0 {
                            Wake::Consumer
                        } else {
                            Wake::Nobody
                        });
                    }
                    Err(current) => tail = current,
                }
            } else if ahead < 0 {
                return Err(item);
            } else {
                // Ordering: Relaxed, as above.
                tail = self.tail.load(Ordering::Relaxed);
            }
        }
    }

    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        // Ordering: Relaxed; only the consumer writes `head`.
        let head = self.head.load(Ordering::Relaxed);
        let cell = &self.cells.cells()[head & (self.one_lap - 1)];
        // Ordering: Acquire, pairs with the producer's Release stamp.
        if cell.stamp.load(Ordering::Acquire) != full(head) {
            return None;
        }
        let item = cell.value.with_mut(|value| {
            // Safety: the stamp says the cell holds the item of position
            // `head`; the `Consumer` token says no other pop runs.
            unsafe { (*value).assume_init_read() }
        });
        // Ordering: Release, pairs with the producers' Acquire stamp load:
        // the read above happens before the next lap's write.
        cell.stamp
            .store(empty(head.wrapping_add(self.one_lap)), Ordering::Release);
        // Ordering: Relaxed; read by the consumer (and `Drop`) only.
        self.head.store(self.next(head), Ordering::Relaxed);
        Some(item)
    }

    fn certainly_full(&self) -> bool {
        // Ordering: Relaxed; see `ring::behind_tail`.
        let tail = self.tail.load(Ordering::Relaxed);
        ring::behind_tail(self.cells.cells(), tail, self.one_lap)
    }

    fn prepare_sleep(&self, _: Consumer<'_>) {
        // Ordering: Relaxed; only the consumer writes `head`.
        let head = self.head.load(Ordering::Relaxed);
        let cell = &self.cells.cells()[head & (self.one_lap - 1)];
        // Ordering: Release, so that the waker the consumer registered
        // before happens before the notification of the producer whose swap
        // (Acquire) returns the mark. A failure means the item is there
        // already (or the mark is): the consumer's next pop finds it.
        let _ = cell.stamp.compare_exchange(
            empty(head),
            empty(head) | ASLEEP,
            Ordering::Release,
            Ordering::Relaxed,
        );
    }
}

impl<T: Send, S: Storage<Cell<T>> + Send + Sync> Occupancy for Ring<T, S> {
    fn capacity(&self) -> usize {
        self.cells.cells().len()
    }

    fn len(&self) -> usize {
        // Ordering: Relaxed, both: a snapshot, `head` first (see `ring::len`).
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        ring::len(head, tail, self.one_lap, self.capacity())
    }
}

impl<T, S: Storage<Cell<T>>> Drop for Ring<T, S> {
    fn drop(&mut self) {
        // Ordering: Relaxed; `&mut self`, no other access remains.
        let head = self.head.load(Ordering::Relaxed);
        // Safety: as said; `head` is the next position to pop.
        unsafe { ring::drop_items(self.cells.cells(), head, self.one_lap) };
    }
}
