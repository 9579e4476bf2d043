// The whole declaration of the `slot` channel's core: the struct under the
// attribute and the contract. The module documentation shows this file.

use core::mem::MaybeUninit;

use crate::sync::{AtomicU8, Ordering, UnsafeCell};
use crate::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};

/// Nothing stored; producers race to take the cell.
pub(super) const EMPTY: u8 = 0;
/// A producer won the race and is writing the cell.
const WRITING: u8 = 1;
/// The cell holds a value; only the consumer touches it.
pub(super) const FULL: u8 = 2;

/// The core of the `slot` channel: capacity 1, any `T: Send`.
///
/// | from      | to        | by                  | RMW / store                 |
/// |-----------|-----------|---------------------|-----------------------------|
/// | `EMPTY`   | `WRITING` | a producer          | CAS (losers get `Full`)     |
/// | `WRITING` | `FULL`    | that producer       | store, after writing        |
/// | `FULL`    | `EMPTY`   | the consumer        | store, after reading        |
#[async_channel(sender = SlotSender, receiver = SlotReceiver, crate = crate)]
pub struct Slot<T> {
    pub(super) state: AtomicU8,
    pub(super) value: UnsafeCell<MaybeUninit<T>>,
}

impl<T: Send> ChannelCore for Slot<T> {
    type Item = T;

    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        // Ordering: Acquire on success, pairs with the consumer's Release
        // store of `EMPTY`: its read of the previous value happens before this
        // producer overwrites the cell.
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(item);
        }
        self.value.with_mut(|cell| {
            // Safety: `WRITING` gives this producer the cell: other producers'
            // CAS fail, and the consumer waits for `FULL`.
            unsafe { (*cell).write(item) };
        });
        // Ordering: Release, publishes the value to the consumer's Acquire load.
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        // Ordering: Acquire, pairs with the producer's Release store of `FULL`.
        if self.state.load(Ordering::Acquire) != FULL {
            return None;
        }
        let item = self.value.with_mut(|cell| {
            // Safety: `FULL` means initialized, and producers leave the cell
            // alone; the `Consumer` token means no other pop runs.
            unsafe { (*cell).assume_init_read() }
        });
        // Ordering: Release, pairs with the producers' Acquire CAS: the read
        // above happens before the next write.
        self.state.store(EMPTY, Ordering::Release);
        Some(item)
    }

    fn certainly_full(&self) -> bool {
        // Ordering: Relaxed; the runtime's fence before this call orders it
        // after the pop that the parked sender could have missed (see the
        // contract). `WRITING` is full too: a producer holds the cell.
        self.state.load(Ordering::Relaxed) != EMPTY
    }
}

impl<T: Send> Occupancy for Slot<T> {
    fn capacity(&self) -> usize {
        1
    }

    fn len(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        usize::from(self.state.load(Ordering::Relaxed) == FULL)
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        // Ordering: Relaxed; `&mut self` means no other access remains.
        if self.state.load(Ordering::Relaxed) == FULL {
            self.value.with_mut(|cell| {
                // Safety: `FULL` means initialized, and `&mut self` is exclusive.
                unsafe { (*cell).assume_init_drop() };
            });
        }
    }
}

// Safety: the value moves between threads (`T: Send`), and the state byte
// gives the cell to exactly one thread at a time.
unsafe impl<T: Send> Send for Slot<T> {}
// Safety: as above; `&Slot` only hands values over, never shares them.
unsafe impl<T: Send> Sync for Slot<T> {}
