// A user core that opts in to reporting its consumer's sleep: its push says
// whether the receiver must be woken, so a send to an awake receiver makes
// no notification.
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer, Wake};

#[async_channel]
struct Tracked {
    // The items, and whether the consumer went to sleep on the empty queue.
    inner: Mutex<(VecDeque<u32>, bool)>,
}

/// How many pushes asked for the receiver to be woken.
static REPORTED: AtomicUsize = AtomicUsize::new(0);

impl ChannelCore for Tracked {
    type Item = u32;
    fn try_push(&self, item: u32, producer: Producer<'_, Many>) -> Result<(), u32> {
        self.try_push_reporting(item, producer).map(drop)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        self.inner.lock().unwrap().0.pop_front()
    }
    fn try_push_reporting(&self, item: u32, _: Producer<'_, Many>) -> Result<Wake, u32> {
        let mut inner = self.inner.lock().unwrap();
        if inner.0.len() == 4 {
            return Err(item);
        }
        inner.0.push_back(item);
        if std::mem::take(&mut inner.1) {
            // Ordering: Relaxed; a count read by this thread only.
            REPORTED.fetch_add(1, Ordering::Relaxed);
            Ok(Wake::Consumer)
        } else {
            Ok(Wake::Nobody)
        }
    }
    fn prepare_sleep(&self, _: Consumer<'_>) {
        let mut inner = self.inner.lock().unwrap();
        inner.1 = inner.0.is_empty();
    }
}

fn main() {
    let (tx, mut rx) = Tracked {
        inner: Mutex::new((VecDeque::new(), false)),
    }
    .into_channel();
    // Ordering: Relaxed; a count, read after the pushes on the same thread
    // (the last check after a join).
    let reported = || REPORTED.load(Ordering::Relaxed);
    let mut cx = Context::from_waker(Waker::noop());

    // The receiver is awake: no push asks for a notification.
    tx.try_send(1).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(reported(), 0);

    // It goes to sleep: the next push, and only that one, reports it.
    assert_eq!(rx.poll_recv(&mut cx), Poll::Pending);
    tx.try_send(2).unwrap();
    tx.try_send(3).unwrap();
    assert_eq!(reported(), 1);
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(2)));
    assert_eq!(rx.poll_recv(&mut cx), Poll::Ready(Ok(3)));

    // A thread sleeping in `recv_blocking` is woken by the reporting push.
    let t = std::thread::spawn(move || rx.recv_blocking());
    tx.try_send(4).unwrap();
    assert_eq!(t.join().unwrap(), Ok(4));
    assert!(reported() <= 2);
}
