use std::sync::atomic::{AtomicUsize, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

// Declared with many receivers, implemented as if there were one: the core
// relies on a promise the receivers cannot keep.
#[async_channel(receivers = many)]
struct Queue {
    value: AtomicUsize,
}

impl ChannelCore for Queue {
    type Item = usize;
    fn try_push(&self, v: usize, _: Producer<'_, Many>) -> Result<(), usize> {
        self.value.compare_exchange(0, v, Ordering::AcqRel, Ordering::Relaxed).map(drop).map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<usize> {
        Some(self.value.swap(0, Ordering::AcqRel)).filter(|&v| v != 0)
    }
}

fn main() {}
