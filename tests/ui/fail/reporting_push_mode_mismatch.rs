use std::sync::atomic::{AtomicUsize, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, One, Producer, Wake};

// The reporting push must take the same producer token as `try_push`: a core
// declared with one producer cannot report from a push that claims many.
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
    fn try_push_reporting(&self, v: usize, _: Producer<'_, Many>) -> Result<Wake, usize> {
        Err(v)
    }
}

fn main() {}
