use std::sync::atomic::{AtomicUsize, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, One, Producer};

#[async_channel(producers = one)]
struct Queue {
    value: AtomicUsize,
}

impl ChannelCore for Queue {
    type Item = usize;
    fn try_push(&self, v: usize, _: Producer<'_, One>) -> Result<(), usize> {
        self.value.compare_exchange(0, v, Ordering::AcqRel, Ordering::Relaxed).map(drop).map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<usize> {
        Some(self.value.swap(0, Ordering::AcqRel)).filter(|&v| v != 0)
    }
}

fn main() {
    let (tx, _rx) = Queue { value: AtomicUsize::new(0) }.into_channel();
    // One producer: the sender cannot be cloned.
    let _tx2 = tx.clone();
}
