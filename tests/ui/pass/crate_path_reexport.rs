// Use through a re-export, with `crate = path`.
mod facade {
    pub use diatomic_channels as channels;
}

use std::sync::atomic::{AtomicI64, Ordering};

use facade::channels::{ChannelCore, Consumer, Many, Producer};

#[facade::channels::async_channel(crate = crate::facade::channels)]
struct Latest {
    value: AtomicI64,
}

impl ChannelCore for Latest {
    type Item = i64;
    fn try_push(&self, v: i64, _: Producer<'_, Many>) -> Result<(), i64> {
        self.value
            .compare_exchange(i64::MIN, v, Ordering::AcqRel, Ordering::Relaxed)
            .map(drop)
            .map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<i64> {
        Some(self.value.swap(i64::MIN, Ordering::AcqRel)).filter(|&v| v != i64::MIN)
    }
}

fn main() {
    let (tx, mut rx) = Latest { value: AtomicI64::new(i64::MIN) }.into_channel();
    tx.try_send(-5).unwrap();
    assert_eq!(rx.try_recv(), Ok(-5));
}
