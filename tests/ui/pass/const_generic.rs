// A const-generic core with one producer.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use diatomic_channels::{async_channel, ChannelCore, Consumer, One, Producer};

#[async_channel(sender = Tx, receiver = Rx, producers = one)]
struct Bounded<const N: usize> {
    len: AtomicUsize,
    items: Mutex<Vec<u64>>,
}

impl<const N: usize> ChannelCore for Bounded<N> {
    type Item = u64;
    fn try_push(&self, item: u64, _: Producer<'_, One>) -> Result<(), u64> {
        if self.len.load(Ordering::Acquire) == N {
            return Err(item);
        }
        self.items.lock().unwrap().insert(0, item);
        self.len.fetch_add(1, Ordering::Release);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u64> {
        let item = self.items.lock().unwrap().pop()?;
        self.len.fetch_sub(1, Ordering::Release);
        Some(item)
    }
}

fn main() {
    let (mut tx, mut rx): (Tx<3>, Rx<3>) = Bounded::<3> {
        len: AtomicUsize::new(0),
        items: Mutex::new(Vec::new()),
    }
    .into_channel();
    for i in 0..3 {
        tx.try_send(i).unwrap();
    }
    assert!(tx.try_send(3).unwrap_err().is_full());
    assert_eq!(rx.try_recv(), Ok(0));
}
