// The whole declaration of the `oneshot` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::mem::MaybeUninit;

use crate::sync::{AtomicU8, Ordering, UnsafeCell};
use crate::{async_channel, ChannelCore, Consumer, Occupancy, One, Producer};

const EMPTY: u8 = 0;
const FULL: u8 = 1;

/// The core of the `oneshot` channel: room for one value, one producer.
///
/// With one producer nobody races the push, so it needs no read-modify-write:
///
/// | from    | to      | by           | how                              |
/// |---------|---------|--------------|----------------------------------|
/// | `EMPTY` | `FULL`  | the producer | write, then Release store        |
/// | `FULL`  | `EMPTY` | the consumer | read, then Release store         |
///
/// (`oneshot`'s sender pushes once; the core would take more, one at a
/// time, through the generic halves.)
#[async_channel(sender = OnceSender, receiver = OnceReceiver, producers = one, crate = crate)]
pub struct Once<T> {
    pub(super) state: AtomicU8,
    pub(super) value: UnsafeCell<MaybeUninit<T>>,
}

impl<T: Send> ChannelCore for Once<T> {
    type Item = T;

    #[inline]
    fn try_push(&self, item: T, _: Producer<'_, One>) -> Result<(), T> {
        // Ordering: Acquire, pairs with the consumer's Release store of
        // `EMPTY`: its read of the previous value happens before this write.
        if self.state.load(Ordering::Acquire) != EMPTY {
            return Err(item);
        }
        self.value.with_mut(|cell| {
            // Safety: `EMPTY`, and the `Producer<One>` token says no other
            // push runs; the consumer reads only after `FULL`.
            unsafe { (*cell).write(item) };
        });
        // Ordering: Release, publishes the value to the consumer's Acquire load.
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    #[inline]
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        // Ordering: Acquire, pairs with the producer's Release store of `FULL`.
        if self.state.load(Ordering::Acquire) != FULL {
            return None;
        }
        let item = self.value.with_mut(|cell| {
            // Safety: `FULL` means written, and the producer leaves the cell
            // alone until `EMPTY`; the `Consumer` token means no other pop.
            unsafe { (*cell).assume_init_read() }
        });
        // Ordering: Release, pairs with the producer's Acquire load.
        self.state.store(EMPTY, Ordering::Release);
        Some(item)
    }
}

impl<T> Once<T> {
    /// An empty cell.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// An empty cell.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }
}

impl<T: Send> Occupancy for Once<T> {
    fn capacity(&self) -> usize {
        1
    }

    fn len(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        usize::from(self.state.load(Ordering::Relaxed) == FULL)
    }
}

impl<T> Drop for Once<T> {
    fn drop(&mut self) {
        // Ordering: Relaxed; `&mut self` means no other access remains.
        if self.state.load(Ordering::Relaxed) == FULL {
            self.value.with_mut(|cell| {
                // Safety: `FULL` means written, and `&mut self` is exclusive.
                unsafe { (*cell).assume_init_drop() };
            });
        }
    }
}

// Safety: the value moves between threads (`T: Send`), and the state byte
// gives the cell to one side at a time.
unsafe impl<T: Send> Send for Once<T> {}
// Safety: as above; `&Once` only hands values over, never shares them.
unsafe impl<T: Send> Sync for Once<T> {}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Self::new()
    }
}
