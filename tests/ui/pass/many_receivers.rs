// A user's core declared with `receivers = many`: its receivers are
// `Clone`, take `&self`, and share the items, in both homes.

use std::collections::VecDeque;
use std::sync::Mutex;

use diatomic_channels::{async_channel, Channel, ChannelCore, Consumer, Many, Producer};

#[async_channel(sender = PoolSender, receiver = PoolReceiver, receivers = many)]
pub struct Pool {
    items: Mutex<VecDeque<u32>>,
}

impl ChannelCore for Pool {
    type Item = u32;
    fn try_push(&self, item: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        let mut items = self.items.lock().unwrap();
        if items.len() == 2 {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_, Many>) -> Option<u32> {
        self.items.lock().unwrap().pop_front()
    }
    fn certainly_empty(&self) -> bool {
        self.items.lock().unwrap().is_empty()
    }
}

static POOL: Channel<Pool> = Channel::new(Pool {
    items: Mutex::new(VecDeque::new()),
});

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, rx): (PoolSender, PoolReceiver) = Pool { items: Mutex::default() }.into_channel();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            tokio::spawn(async move {
                let mut n = 0;
                while rx.recv().await.is_ok() {
                    n += 1;
                }
                n
            })
        })
        .collect();
    drop(rx);
    for i in 0..30 {
        tx.send(i).await.unwrap();
    }
    drop(tx);
    let mut total = 0;
    for w in workers {
        total += w.await.unwrap();
    }
    assert_eq!(total, 30);

    // The named receiver is a `Stream` too (its place kept in a box).
    let (tx, mut rx): (PoolSender, PoolReceiver) = Pool { items: Mutex::default() }.into_channel();
    tx.try_send(5).unwrap();
    drop(tx);
    assert_eq!(futures_util::StreamExt::next(&mut rx).await, Some(5));
    assert_eq!(futures_util::StreamExt::next(&mut rx).await, None);

    let (tx, rx) = POOL.split().unwrap();
    let other = rx.clone();
    tx.try_send(1).unwrap();
    assert_eq!(other.try_recv(), Ok(1));
    assert_eq!(rx.receiver_count(), 2);
}
