// The whole declaration of the `watch` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::mem::MaybeUninit;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};
use crate::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};

/// Nothing in the cell.
const EMPTY: usize = 0;
/// A producer owns the cell: writing it, or replacing its value.
const WRITING: usize = 1;
/// The cell holds the latest value.
const FULL: usize = 2;
/// The consumer owns the cell: moving its value out.
const READING: usize = 3;
/// The two bits of one cell in the state word.
const MASK: usize = 3;

/// The state of cell `i` in `word`.
fn cell_state(word: usize, i: usize) -> usize {
    (word >> (2 * i)) & MASK
}

/// The first cell of `word` in `state`, if any.
fn find(word: usize, state: usize) -> Option<usize> {
    (0..2).find(|&i| cell_state(word, i) == state)
}

/// `word` with cell `i` moved from `from` to `to`.
fn moved(word: usize, i: usize, from: usize, to: usize) -> usize {
    word ^ ((from ^ to) << (2 * i))
}

/// The core of the `watch` channel: the latest value, overwritten by every
/// push, which therefore never fails for want of room.
///
/// Two cells and one word holding the state of each (two bits apiece). At
/// most one cell is `WRITING` or `FULL` (the latest value, or the one being
/// written), and at most one is `READING` (the one consumer), so a producer
/// always finds a cell to use:
///
/// | producer finds       | it                                                  | RMWs |
/// |----------------------|-----------------------------------------------------|------|
/// | a cell `FULL`        | takes it (`WRITING`), replaces the value, marks it `FULL`, then drops the old value | CAS, `fetch_xor` |
/// | no cell `FULL` or `WRITING` | takes an `EMPTY` one the same way, writes   | CAS, `fetch_xor` |
/// | a cell `WRITING`     | drops its own value at once: the other producer's write is in progress and will be published after this push, so it overwrites this one | none |
///
/// The consumer takes the `FULL` cell (`READING`, CAS), moves the value
/// out and marks it `EMPTY` (`fetch_xor`). Nobody ever waits for anybody:
/// a producer stalled while `WRITING` only delays the next value (the
/// consumer sees none until it is published, and is woken then), as a
/// stalled producer of `mpsc` delays its own item.
#[async_channel(sender = LatestSender, receiver = LatestReceiver, crate = crate)]
pub struct Latest<T> {
    pub(super) word: AtomicUsize,
    pub(super) cells: [UnsafeCell<MaybeUninit<T>>; 2],
}

impl<T: Send> ChannelCore for Latest<T> {
    type Item = T;

    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        // Ordering: Relaxed; the CAS below acquires what it needs.
        let mut word = self.word.load(Ordering::Relaxed);
        let (cell, overwrite) = loop {
            if find(word, WRITING).is_some() {
                // Overwritten by the push in progress.
                drop(item);
                return Ok(());
            }
            let (cell, from) = match find(word, FULL) {
                Some(cell) => (cell, FULL),
                // No cell is `WRITING` or `FULL`, at most one `READING`.
                None => (find(word, EMPTY).expect("a free cell"), EMPTY),
            };
            // Ordering: Acquire on success, pairs with the Release
            // `fetch_xor` of the consumer (its read of this cell happens
            // before this write) and of the last producer (its write happens
            // before this replacement).
            match self.word.compare_exchange_weak(
                word,
                moved(word, cell, from, WRITING),
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => break (cell, from == FULL),
                Err(current) => word = current,
            }
        };
        let old = self.cells[cell].with_mut(|value| {
            // Safety: `WRITING` gives this producer the cell: other producers
            // drop their values, the consumer takes only a `FULL` cell. It
            // holds a value exactly if it was `FULL`.
            unsafe {
                let old = overwrite.then(|| (*value).assume_init_read());
                (*value).write(item);
                old
            }
        });
        // Ordering: Release, publishes the value to the consumer's Acquire
        // CAS and to the next overwriting producer's.
        self.word
            .fetch_xor((WRITING ^ FULL) << (2 * cell), Ordering::Release);
        drop(old);
        Ok(())
    }

    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        // Ordering: Relaxed; the CAS below acquires.
        let mut word = self.word.load(Ordering::Relaxed);
        let cell = loop {
            let cell = find(word, FULL)?;
            // Ordering: Acquire on success, pairs with the Release
            // `fetch_xor` of the producer that wrote the value.
            match self.word.compare_exchange_weak(
                word,
                moved(word, cell, FULL, READING),
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => break cell,
                Err(current) => word = current,
            }
        };
        let item = self.cells[cell].with_mut(|value| {
            // Safety: `READING` gives the consumer the cell, which was `FULL`.
            unsafe { (*value).assume_init_read() }
        });
        // Ordering: Release, pairs with the Acquire CAS of the producer that
        // takes this cell next.
        self.word
            .fetch_xor((READING ^ EMPTY) << (2 * cell), Ordering::Release);
        Some(item)
    }
}

impl<T: Send> Occupancy for Latest<T> {
    fn capacity(&self) -> usize {
        1
    }

    fn len(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        usize::from(find(self.word.load(Ordering::Relaxed), FULL).is_some())
    }
}

impl<T> Latest<T> {
    /// No value yet.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            word: AtomicUsize::new(EMPTY),
            cells: [
                UnsafeCell::new(MaybeUninit::uninit()),
                UnsafeCell::new(MaybeUninit::uninit()),
            ],
        }
    }

    /// No value yet.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            word: AtomicUsize::new(EMPTY),
            cells: [
                UnsafeCell::new(MaybeUninit::uninit()),
                UnsafeCell::new(MaybeUninit::uninit()),
            ],
        }
    }
}

impl<T> Drop for Latest<T> {
    fn drop(&mut self) {
        // Ordering: Relaxed; `&mut self` means no other access remains, so
        // no cell is `WRITING` or `READING`.
        if let Some(cell) = find(self.word.load(Ordering::Relaxed), FULL) {
            self.cells[cell].with_mut(|value| {
                // Safety: `FULL` means written, and `&mut self` is exclusive.
                unsafe { (*value).assume_init_drop() };
            });
        }
    }
}

// Safety: values move between threads (`T: Send`), and the state word gives
// each cell to one thread at a time.
unsafe impl<T: Send> Send for Latest<T> {}
// Safety: as above; `&Latest` only hands values over, never shares them.
unsafe impl<T: Send> Sync for Latest<T> {}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Self::new()
    }
}
