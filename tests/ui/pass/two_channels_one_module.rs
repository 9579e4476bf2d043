// Two channels declared side by side: no name clashes.
use std::sync::atomic::{AtomicU32, Ordering};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

macro_rules! nonzero_u32_core {
    ($name:ident) => {
        impl ChannelCore for $name {
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
    };
}

#[async_channel]
struct Left {
    value: AtomicU32,
}

#[async_channel]
struct Right {
    value: AtomicU32,
}

nonzero_u32_core!(Left);
nonzero_u32_core!(Right);

fn main() {
    let (ltx, mut lrx) = Left { value: AtomicU32::new(0) }.into_channel();
    let (rtx, mut rrx) = Right { value: AtomicU32::new(0) }.into_channel();
    ltx.try_send(1).unwrap();
    rtx.try_send(2).unwrap();
    let _: &LeftSender = &ltx;
    let _: &RightSender = &rtx;
    assert_eq!(lrx.try_recv(), Ok(1));
    assert_eq!(rrx.try_recv(), Ok(2));
}
