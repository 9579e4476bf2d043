// A user core that reports its occupancy gets `len`, `capacity`, `is_empty`
// and `is_full` on both halves, and the default `is_full` of the contract.
use std::sync::atomic::{AtomicU32, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Occupancy, Producer};

/// Capacity 1 for non-zero `u32`s.
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

impl Occupancy for Cell {
    fn capacity(&self) -> usize {
        1
    }
    fn len(&self) -> usize {
        usize::from(self.value.load(Ordering::Relaxed) != 0)
    }
}

fn main() {
    let (tx, mut rx) = Cell { value: AtomicU32::new(0) }.into_channel();
    assert!(tx.is_empty() && rx.is_empty());
    tx.try_send(5).unwrap();
    assert_eq!((tx.len(), tx.capacity(), tx.is_full()), (1, 1, true));
    assert_eq!((rx.len(), rx.capacity(), rx.is_full()), (1, 1, true));
    assert_eq!(rx.try_recv(), Ok(5));
    assert!(!rx.is_full());
}
