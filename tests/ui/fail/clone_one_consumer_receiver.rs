use std::sync::atomic::{AtomicUsize, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

#[async_channel]
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

fn main() {
    let (_tx, rx) = Queue { value: AtomicUsize::new(0) }.into_channel();
    // One receiver (the default): it cannot be cloned.
    let _rx2 = rx.clone();
}
