// A generic core with a `where` clause and a doc comment.
use std::collections::VecDeque;
use std::sync::Mutex;

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

/// A queue of capacity 2 for any `T` that can be sent.
#[async_channel]
pub struct Pair<T>
where
    T: Send,
{
    items: Mutex<VecDeque<T>>,
}

impl<T> ChannelCore for Pair<T>
where
    T: Send,
{
    type Item = T;
    fn try_push(&self, item: T, _: Producer<'_, Many>) -> Result<(), T> {
        let mut items = self.items.lock().unwrap();
        if items.len() == 2 {
            return Err(item);
        }
        items.push_back(item);
        Ok(())
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<T> {
        self.items.lock().unwrap().pop_front()
    }
}

fn main() {
    let (tx, mut rx): (PairSender<String>, PairReceiver<String>) = Pair {
        items: Mutex::new(VecDeque::new()),
    }
    .into_channel();
    let tx2 = tx.clone();
    tx.try_send("a".into()).unwrap();
    tx2.try_send("b".into()).unwrap();
    assert!(tx.try_send("c".into()).unwrap_err().is_full());
    assert_eq!(rx.try_recv().unwrap(), "a");
    assert_eq!(rx.try_recv().unwrap(), "b");
}
