// A `no_std` crate: the generated code names nothing from `std`. (`std` is
// linked under another name only to provide `main`'s runtime.)
#![no_std]

extern crate std as _std_runtime;

use core::sync::atomic::{AtomicU8, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, One, Producer};

#[async_channel(producers = one)]
struct Byte {
    value: AtomicU8,
}

impl ChannelCore for Byte {
    type Item = u8;
    fn try_push(&self, v: u8, _: Producer<'_, One>) -> Result<(), u8> {
        if v == 0 || self.value.load(Ordering::Acquire) != 0 {
            return Err(v);
        }
        self.value.store(v, Ordering::Release);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u8> {
        match self.value.swap(0, Ordering::AcqRel) {
            0 => None,
            v => Some(v),
        }
    }
}

fn main() {
    let (mut tx, mut rx) = Byte { value: AtomicU8::new(0) }.into_channel();
    tx.try_send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(3));
}
