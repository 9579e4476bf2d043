//! `slot`: a channel of capacity 1 for any `T: Send`, with many senders.
//!
//! It is the canonical use of [`async_channel`]: the
//! whole declaration is below, and the crate's other channels follow the
//! same shape.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let (tx, mut rx) = diatomic_channels::slot::channel::<String>();
//! tokio::spawn(async move { tx.send("one".to_string()).await });
//! assert_eq!(rx.recv().await.as_deref(), Ok("one"));
//! # }
//! ```
//!
//! The core: a state byte and a cell.
//!
//! ```ignore
//! #[async_channel(sender = SlotSender, receiver = SlotReceiver, crate = crate)]
//! pub struct Slot<T> {
//!     state: AtomicU8,
//!     value: UnsafeCell<MaybeUninit<T>>,
//! }
//!
//! impl<T: Send> ChannelCore for Slot<T> {
//!     type Item = T;
//!     fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
//!         // EMPTY -> WRITING (one producer wins) -> write -> FULL
//!     }
//!     fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
//!         // FULL -> read (the one consumer) -> EMPTY
//!     }
//! }
//! ```
//!
//! (`crate = crate` because it is declared inside `diatomic-channels`; from
//! another crate the default path is right.)

use core::fmt;
use core::mem::MaybeUninit;

use crate::sync::{AtomicU8, Ordering, UnsafeCell};
use crate::{async_channel, ChannelCore, Consumer, Many, Producer};

/// Nothing stored; producers race to take the cell.
const EMPTY: u8 = 0;
/// A producer won the race and is writing the cell.
const WRITING: u8 = 1;
/// The cell holds a value; only the consumer touches it.
const FULL: u8 = 2;

/// The core of the `slot` channel: capacity 1, any `T: Send`.
///
/// | from      | to        | by                  | RMW / store                 |
/// |-----------|-----------|---------------------|-----------------------------|
/// | `EMPTY`   | `WRITING` | a producer          | CAS (losers get `Full`)     |
/// | `WRITING` | `FULL`    | that producer       | store, after writing        |
/// | `FULL`    | `EMPTY`   | the consumer        | store, after reading        |
#[async_channel(sender = SlotSender, receiver = SlotReceiver, crate = crate)]
pub struct Slot<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Slot<T> {
    /// An empty slot.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::slot::Slot::<u8>::new().into_channel();
    /// ```
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// An empty slot.
    #[cfg(diatomic_waker_loom)]
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Creates a `slot` channel: capacity 1, many senders.
///
/// # Examples
///
/// ```
/// let (tx, mut rx) = diatomic_channels::slot::channel::<u8>();
/// let tx2 = tx.clone();
/// tx2.try_send(1).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
pub fn channel<T: Send>() -> (SlotSender<T>, SlotReceiver<T>) {
    Slot::new().into_channel()
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

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ordering: Relaxed, a snapshot for display.
        let full = self.state.load(Ordering::Relaxed) == FULL;
        f.debug_struct("Slot")
            .field("full", &full)
            .finish_non_exhaustive()
    }
}
