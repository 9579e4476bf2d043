// The borrowed halves cannot outlive the channel they borrow.
use std::sync::atomic::{AtomicU32, Ordering};

use diatomic_channels::{async_channel, Channel, ChannelCore, Consumer, Many, Producer};

#[async_channel]
pub struct Cell {
    value: AtomicU32,
}

impl ChannelCore for Cell {
    type Item = u32;
    fn try_push(&self, v: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        self.value
            .compare_exchange(0, v, Ordering::AcqRel, Ordering::Relaxed)
            .map(drop)
            .map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        Some(self.value.swap(0, Ordering::AcqRel)).filter(|&v| v != 0)
    }
}

fn leak_a_sender() -> CellSenderRef<'static> {
    let channel = Channel::new(Cell { value: AtomicU32::new(0) });
    let (tx, _rx) = channel.split().unwrap();
    tx
}

fn main() {
    let _ = leak_a_sender();
}
