//! The primitive's new-waker path, for counting instructions with
//! callgrind: a sink registers a waker other than the cached one, then a
//! source notifies it, 100 000 times, on one thread; ours against
//! diatomic-waker 0.2.3 (`cached` registers the same waker every time).
//!
//! ```sh
//! cargo build --release -p diatomic-bench --example register_path
//! valgrind --tool=callgrind target/release/examples/register_path ours
//! valgrind --tool=callgrind target/release/examples/register_path v023
//! ```

use std::hint::black_box;
use std::sync::Arc;
use std::task::{Wake, Waker};

const ROUNDS: usize = 100_000;

struct Nothing;

impl Wake for Nothing {
    fn wake(self: Arc<Self>) {}
}

macro_rules! rounds {
    ($primitive:expr, $wakers:expr) => {{
        let primitive = $primitive;
        let wakers = $wakers;
        for i in 0..ROUNDS {
            // Safety: one thread is the sink.
            unsafe { primitive.register(black_box(&wakers[i % wakers.len()])) };
            black_box(&primitive).notify();
        }
    }};
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let two = [
        Waker::from(Arc::new(Nothing)),
        Waker::from(Arc::new(Nothing)),
    ];
    let one = [Waker::from(Arc::new(Nothing))];
    match which.as_str() {
        "ours" => rounds!(diatomic_waker::DiatomicWaker::new(), two),
        "v023" => rounds!(diatomic_waker_023::DiatomicWaker::new(), two),
        "ours-cached" => rounds!(diatomic_waker::DiatomicWaker::new(), one),
        "v023-cached" => rounds!(diatomic_waker_023::DiatomicWaker::new(), one),
        _ => eprintln!("usage: register_path ours|v023|ours-cached|v023-cached"),
    }
}
