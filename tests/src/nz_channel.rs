//! The reference page's capacity-1 `NonZeroUsize` channel again, this time
//! declared with `#[async_channel]`: compare with `nonzero_slot.rs`, which
//! writes the waker code by hand. (The README's "Make your own channel".)

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

/// Capacity 1 for non-zero integers; zero means empty.
#[async_channel(sender = NzSender, receiver = NzReceiver)]
#[derive(Debug)]
pub struct NzSlot {
    value: AtomicUsize,
}

impl NzSlot {
    /// An empty slot.
    pub fn new() -> Self {
        Self {
            value: AtomicUsize::new(0),
        }
    }
}

impl Default for NzSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl ChannelCore for NzSlot {
    type Item = NonZeroUsize;
    fn try_push(&self, v: NonZeroUsize, _: Producer<'_, Many>) -> Result<(), NonZeroUsize> {
        // Ordering: Relaxed; the value is the atomic itself.
        self.value
            .compare_exchange(0, v.get(), Relaxed, Relaxed)
            .map(drop)
            .map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<NonZeroUsize> {
        // Ordering: Relaxed, as above.
        NonZeroUsize::new(self.value.swap(0, Relaxed))
    }
}
