//! A measuring device, not a channel of the library: a bounded ring with a
//! lock-free push (per-cell stamps and one compare-and-swap, in the manner
//! of Vyukov's bounded queue) and a pop that relies on the single consumer
//! (a load and two stores, no read-modify-write), declared with
//! `#[async_channel]` like any user core.
//!
//! It answers one question: whether what separates `ours/ArrayQueue` from
//! tachyonix is the runtime or crossbeam's multi-consumer `ArrayQueue`, whose
//! pop pays a compare-and-swap that a single consumer does not need. The
//! library's own ring (the `mpsc` member of the family) comes with the
//! family, with its Loom models; this one is checked by the tests below (run
//! under Miri by `.ci/run`), not model-checked.
//!
//! Not run by itself: a contender of `benches/channels.rs`.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer, Receiver};

use super::{Closed, Mpsc, MpscReceiver, MpscSender, Msg};

/// A value alone on its cache lines (two, for the adjacent-line prefetcher).
#[repr(align(128))]
struct Padded<T>(T);

/// One place of the ring. Its stamp says whose turn it is: `p` means empty,
/// waiting for the push at position `p`; `p + 1` means full with the item of
/// position `p`, waiting for the pop at `p`, which makes it `p + capacity`.
struct Cell<T> {
    stamp: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// The ring: positions count up forever (a `usize` does not wrap in any
/// benchmark); a position's cell is `position % capacity`.
#[async_channel(sender = RingSender, receiver = RingReceiver)]
pub struct SingleConsumerRing<T> {
    /// The next position to push.
    tail: Padded<AtomicUsize>,
    /// The next position to pop; written by the consumer only.
    head: Padded<AtomicUsize>,
    cells: Box<[Cell<T>]>,
}

// Safety: items move between threads (`T: Send`); a cell's stamp gives its
// value to one thread at a time.
unsafe impl<T: Send> Send for SingleConsumerRing<T> {}
// Safety: as above.
unsafe impl<T: Send> Sync for SingleConsumerRing<T> {}

impl<T> SingleConsumerRing<T> {
    /// An empty ring of `capacity` places.
    ///
    /// # Panics
    ///
    /// If `capacity < 2`: with one cell, "full with position p" and "empty
    /// for position p + 1" would be the same stamp.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity >= 2, "the ring needs a capacity of at least 2");
        let cells = (0..capacity)
            .map(|position| Cell {
                stamp: AtomicUsize::new(position),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            })
            .collect();
        Self {
            tail: Padded(AtomicUsize::new(0)),
            head: Padded(AtomicUsize::new(0)),
            cells,
        }
    }
}

impl<T: Send> ChannelCore for SingleConsumerRing<T> {
    type Item = T;

    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        let capacity = self.cells.len();
        // Ordering: Relaxed; the cell's stamp orders the data.
        let mut tail = self.tail.0.load(Ordering::Relaxed);
        loop {
            let cell = &self.cells[tail % capacity];
            // Ordering: Acquire, pairs with the consumer's Release store of
            // `tail` as the stamp: its read of the old value happened before.
            let stamp = cell.stamp.load(Ordering::Acquire);
            if stamp == tail {
                // Ordering: Relaxed; winning the position is all it decides.
                match self.tail.0.compare_exchange_weak(
                    tail,
                    tail + 1,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        // Safety: this producer won position `tail`, whose
                        // cell is empty (stamp == tail) and which no other
                        // producer or the consumer touches until the stamp
                        // below.
                        unsafe { (*cell.value.get()).write(item) };
                        // Ordering: Release, publishes the value to the
                        // consumer's Acquire load.
                        cell.stamp.store(tail + 1, Ordering::Release);
                        return Ok(());
                    }
                    Err(current) => tail = current,
                }
            } else if stamp < tail {
                // The cell still holds the item of position `tail - capacity`.
                return Err(item);
            } else {
                // Another producer took `tail`: look again.
                // Ordering: Relaxed, as above.
                tail = self.tail.0.load(Ordering::Relaxed);
            }
        }
    }

    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        let capacity = self.cells.len();
        // Ordering: Relaxed; only this consumer writes `head`.
        let head = self.head.0.load(Ordering::Relaxed);
        let cell = &self.cells[head % capacity];
        // Ordering: Acquire, pairs with the producer's Release stamp.
        if cell.stamp.load(Ordering::Acquire) != head + 1 {
            return None;
        }
        // Safety: the stamp says the cell holds the item of position `head`,
        // and the `Consumer` token says no other pop runs.
        let item = unsafe { (*cell.value.get()).assume_init_read() };
        // Ordering: Release, pairs with the producers' Acquire stamp load:
        // the read above happens before the next write of this cell.
        cell.stamp.store(head + capacity, Ordering::Release);
        // Ordering: Relaxed; read by this consumer only (and `Drop`).
        self.head.0.store(head + 1, Ordering::Relaxed);
        Some(item)
    }
}

impl<T> Drop for SingleConsumerRing<T> {
    fn drop(&mut self) {
        let capacity = self.cells.len();
        // Ordering: Relaxed everywhere: `&mut self`, no other access remains.
        let mut head = self.head.0.load(Ordering::Relaxed);
        loop {
            let cell = &mut self.cells[head % capacity];
            if cell.stamp.load(Ordering::Relaxed) != head + 1 {
                return;
            }
            // Safety: full with the item of position `head` (its stamp), not
            // yet popped; dropped once, as `head` moves on.
            unsafe { cell.value.get_mut().assume_init_drop() };
            head += 1;
        }
    }
}

impl<T> std::fmt::Debug for SingleConsumerRing<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleConsumerRing")
            .field("capacity", &self.cells.len())
            .finish_non_exhaustive()
    }
}

/// Our runtime over the single-consumer ring: every capacity from 2.
#[derive(Debug)]
pub struct OursSingleConsumerRing;

impl Mpsc for OursSingleConsumerRing {
    const NAME: &'static str = "ours/sc-ring";
    const OURS: bool = true;
    type Tx = RingSender<Msg>;
    type Rx = RingReceiver<Msg>;

    fn accepts(capacity: usize) -> bool {
        capacity >= 2
    }

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        SingleConsumerRing::new(capacity).into_channel()
    }
}

impl MpscSender for RingSender<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        let tx: &diatomic_channels::Sender<SingleConsumerRing<Msg>> = self;
        tx.send(msg).await.map_err(|_| Closed)
    }
}

impl MpscReceiver for RingReceiver<Msg> {
    async fn recv(&mut self) -> Option<Msg> {
        let rx: &mut Receiver<SingleConsumerRing<Msg>> = self;
        rx.recv().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::SingleConsumerRing;

    #[test]
    fn fills_refuses_wraps_and_drops_what_is_left() {
        let (tx, mut rx) = SingleConsumerRing::<Arc<()>>::new(2).into_channel();
        let counted = Arc::new(());
        for _ in 0..5 {
            tx.try_send(counted.clone()).unwrap();
            tx.try_send(counted.clone()).unwrap();
            assert!(tx.try_send(counted.clone()).unwrap_err().is_full());
            assert!(rx.try_recv().is_ok());
            assert!(rx.try_recv().is_ok());
            assert!(rx.try_recv().is_err());
        }
        tx.try_send(counted.clone()).unwrap();
        assert_eq!(Arc::strong_count(&counted), 2);
        drop((tx, rx));
        assert_eq!(
            Arc::strong_count(&counted),
            1,
            "the queued item was dropped"
        );
    }

    #[test]
    fn two_producers_deliver_every_item_once_in_order() {
        const PER: usize = if cfg!(miri) { 50 } else { 20_000 };
        let (tx, mut rx) = SingleConsumerRing::<(usize, usize)>::new(3).into_channel();
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    for i in 0..PER {
                        tx.send_blocking((p, i)).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let mut next = [0, 0];
        while let Ok((p, i)) = rx.recv_blocking() {
            assert_eq!(i, next[p], "per-producer order");
            next[p] += 1;
        }
        assert_eq!(next, [PER, PER]);
        for p in producers {
            p.join().unwrap();
        }
    }
}
