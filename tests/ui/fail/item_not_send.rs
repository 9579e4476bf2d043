use std::rc::Rc;
use std::sync::Mutex;

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

#[async_channel]
struct Queue {
    value: Mutex<Option<u32>>,
}

// The channel moves items between threads: `Rc` cannot be one.
impl ChannelCore for Queue {
    type Item = Rc<u32>;
    fn try_push(&self, item: Rc<u32>, _: Producer<'_, Many>) -> Result<(), Rc<u32>> {
        Err(item)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<Rc<u32>> {
        None
    }
}

fn main() {}
