// The whole declaration of the `mpmc` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::marker::PhantomData;

use crate::cache_padded::CachePadded;
use crate::mpsc::cell::{empty, full};
use crate::mpsc::Cell;
use crate::ring;
use crate::storage::Storage;
use crate::sync::{AtomicUsize, Ordering};
use crate::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};

/// The core of the `mpmc` channel: a bounded ring, any number of producers
/// and consumers, cells in `S` (a boxed slice or an inline array).
///
/// The cells and positions are those of the [`mpsc`](crate::mpsc) ring
/// (per-cell stamps, `lap * one_lap + index`), with a compare-and-swap on
/// the head too, since consumers race as producers do:
///
/// | from       | to                   | by                                 |
/// |------------|----------------------|------------------------------------|
/// | `empty(p)` | `full(p)`            | the producer that won position `p` (CAS on `tail`, write, Release store) |
/// | `full(p)`  | `empty(p + one_lap)` | the consumer that won position `p` (CAS on `head`, read, Release store) |
///
/// Neither side ever waits for the other. A push that finds the tail's cell
/// still holding the previous lap's item answers `Full`; a pop that finds
/// the head's cell not yet written answers `None`. So what a stalled thread
/// holds up is bounded, and says itself:
///
/// * a producer stalled between winning position `p` and writing it makes
///   pops answer `None` at `p` until it writes: the items behind it wait
///   (at most the capacity), nothing is lost, other producers go on until
///   the ring is full;
/// * a consumer stalled between winning position `p` and reading it makes
///   pushes answer `Full` at that cell, one lap later: other consumers go
///   on until they reach the items behind it.
#[async_channel(
    sender = RingSender,
    receiver = RingReceiver,
    receivers = many,
    crate = crate
)]
pub struct Ring<T, S>
where
    S: Storage<Cell<T>>,
{
    /// The next position to push.
    pub(super) tail: CachePadded<AtomicUsize>,
    /// The next position to pop.
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

    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        let cells = self.cells.cells();
        // Ordering: Relaxed; the cell's stamp orders the data, the CAS below
        // decides who gets the position.
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let cell = ring::cell(cells, tail, self.one_lap);
            // Ordering: Acquire, pairs with the consumer's Release stamp: its
            // read of the previous lap's item happens before this write.
            let stamp = cell.stamp.load(Ordering::Acquire);
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
                            // cell is empty (stamp == empty(tail)); nobody
                            // else touches it until the stamp below.
                            unsafe { (*value).write(item) };
                        });
                        // Ordering: Release, publishes the item to the
                        // consumers' Acquire load.
                        cell.stamp.store(full(tail), Ordering::Release);
                        return Ok(());
                    }
                    Err(current) => tail = current,
                }
            } else if ahead < 0 {
                // The previous lap's item is still there (or being read).
                return Err(item);
            } else {
                // Another producer took the position: look again.
                // Ordering: Relaxed, as above.
                tail = self.tail.load(Ordering::Relaxed);
            }
        }
    }

    fn try_pop(&self, _: Consumer<'_, Many>) -> Option<T> {
        let cells = self.cells.cells();
        // Ordering: Relaxed; the cell's stamp orders the data, the CAS below
        // decides who gets the position.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let cell = ring::cell(cells, head, self.one_lap);
            // Ordering: Acquire, pairs with the producer's Release stamp.
            let stamp = cell.stamp.load(Ordering::Acquire);
            let ahead = stamp.wrapping_sub(full(head)) as isize;
            if ahead == 0 {
                // Ordering: Relaxed, as above.
                match self.head.compare_exchange_weak(
                    head,
                    self.next(head),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        let item = cell.value.with_mut(|value| {
                            // Safety: this consumer won position `head`, whose
                            // cell holds its item (stamp == full(head));
                            // nobody else touches it until the stamp below.
                            unsafe { (*value).assume_init_read() }
                        });
                        // Ordering: Release, pairs with the producers'
                        // Acquire stamp load: the read above happens before
                        // the next lap's write.
                        cell.stamp
                            .store(empty(head.wrapping_add(self.one_lap)), Ordering::Release);
                        return Some(item);
                    }
                    Err(current) => head = current,
                }
            } else if ahead < 0 {
                // Not written yet: empty here (see the type's docs).
                return None;
            } else {
                // Another consumer took the position: look again.
                // Ordering: Relaxed, as above.
                head = self.head.load(Ordering::Relaxed);
            }
        }
    }

    fn certainly_full(&self) -> bool {
        // Ordering: Relaxed; see `ring::behind_tail`.
        let tail = self.tail.load(Ordering::Relaxed);
        ring::behind_tail(self.cells.cells(), tail, self.one_lap)
    }

    fn certainly_empty(&self) -> bool {
        // Ordering: Relaxed, both (see the contract); `head` first, so that
        // a `tail` that equals it was not passed by a push meanwhile: every
        // position won before these loads was popped.
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        head == tail
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
