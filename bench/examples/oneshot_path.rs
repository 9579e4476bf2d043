//! A `oneshot` round trip on one thread, for counting instructions with
//! callgrind: make the channel, poll the receiver once (it waits, with a
//! waker that counts its wakes), send, poll it again (ready), drop both
//! halves; 100 000 times. Ours against the `oneshot` crate and tokio's.
//!
//! ```sh
//! cargo build --release -p diatomic-bench --example oneshot_path
//! valgrind --tool=callgrind target/release/examples/oneshot_path ours
//! valgrind --tool=callgrind target/release/examples/oneshot_path oneshot
//! valgrind --tool=callgrind target/release/examples/oneshot_path tokio
//! ```

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

const ROUNDS: u64 = 100_000;

struct Counting(AtomicU64);

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        // Ordering: Relaxed; a count read by this thread at the end.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

macro_rules! rounds {
    ($cx:expr, $make:expr, |$tx:ident, $n:ident| $send:expr, |$rx:ident| $recv:expr) => {
        for $n in 0..ROUNDS {
            let ($tx, $rx) = $make;
            let mut reply = pin!($recv);
            assert!(reply.as_mut().poll($cx).is_pending());
            $send;
            assert!(matches!(reply.as_mut().poll($cx), Poll::Ready(Some(r)) if r == $n));
        }
    };
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let counting = Arc::new(Counting(AtomicU64::new(0)));
    let waker = Waker::from(counting.clone());
    let mut cx = Context::from_waker(&waker);
    let cx = &mut cx;
    match which.as_str() {
        "ours" => rounds!(
            cx,
            diatomic_channels::oneshot::channel::<u64>(),
            |tx, n| tx.send(black_box(n)).unwrap(),
            |rx| async move { rx.await.ok() }
        ),
        "oneshot" => rounds!(
            cx,
            oneshot::channel::<u64>(),
            |tx, n| tx.send(black_box(n)).unwrap(),
            |rx| async move { rx.await.ok() }
        ),
        "tokio" => rounds!(
            cx,
            tokio::sync::oneshot::channel::<u64>(),
            |tx, n| tx.send(black_box(n)).unwrap(),
            |rx| async move { rx.await.ok() }
        ),
        _ => return eprintln!("usage: oneshot_path ours|oneshot|tokio"),
    }
    // Ordering: Relaxed; every wake ran on this thread.
    assert_eq!(counting.0.load(Ordering::Relaxed), ROUNDS);
}
