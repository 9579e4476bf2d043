//! The fast paths of `try_send` and `try_recv` on one thread, for counting
//! instructions with callgrind (stable on a noisy machine, unlike timings):
//! 100 000 messages through a channel of capacity 128, 100 sends then 100
//! receives at a time, so that no send waits and no receive finds nothing.
//!
//! ```sh
//! cargo build --release -p diatomic-bench --example fast_path
//! valgrind --tool=callgrind target/release/examples/fast_path ours
//! valgrind --tool=callgrind target/release/examples/fast_path mpsc
//! valgrind --tool=callgrind target/release/examples/fast_path tachyonix
//! valgrind --tool=callgrind target/release/examples/fast_path arrayqueue
//! ```
//!
//! `ours` is the runtime over crossbeam's `ArrayQueue` (`contenders::ours`), the user core of the
//! channel workloads; `arrayqueue` is that core alone, so that `ours` minus
//! `arrayqueue` is the runtime's own cost. Divide the totals by 100 000 for
//! instructions per message (send + receive).

use diatomic_bench::contenders::ArrayQueueCore;

const MESSAGES: u64 = 100_000;
const BATCH: u64 = 100;

#[inline(never)]
fn ours() {
    let (tx, mut rx) = ArrayQueueCore::new(128).into_channel();
    for batch in 0..MESSAGES / BATCH {
        for i in 0..BATCH {
            tx.try_send(batch * BATCH + i).unwrap();
        }
        for _ in 0..BATCH {
            std::hint::black_box(rx.try_recv().unwrap());
        }
    }
}

/// The family's own `mpsc` ring.
#[inline(never)]
fn mpsc() {
    let (tx, mut rx) = diatomic_channels::mpsc::channel::<u64>(128);
    for batch in 0..MESSAGES / BATCH {
        for i in 0..BATCH {
            tx.try_send(batch * BATCH + i).unwrap();
        }
        for _ in 0..BATCH {
            std::hint::black_box(rx.try_recv().unwrap());
        }
    }
}

#[inline(never)]
fn tachyonix() {
    let (tx, mut rx) = tachyonix::channel::<u64>(128);
    for batch in 0..MESSAGES / BATCH {
        for i in 0..BATCH {
            tx.try_send(batch * BATCH + i).unwrap();
        }
        for _ in 0..BATCH {
            std::hint::black_box(rx.try_recv().unwrap());
        }
    }
}

/// The core alone, without any channel around it.
#[inline(never)]
fn array_queue() {
    let queue = crossbeam_queue::ArrayQueue::new(128);
    for batch in 0..MESSAGES / BATCH {
        for i in 0..BATCH {
            queue.push(batch * BATCH + i).unwrap();
        }
        for _ in 0..BATCH {
            std::hint::black_box(queue.pop().unwrap());
        }
    }
}

fn main() {
    match std::env::args().nth(1).unwrap_or_default().as_str() {
        "ours" => ours(),
        "mpsc" => mpsc(),
        "tachyonix" => tachyonix(),
        "arrayqueue" => array_queue(),
        _ => eprintln!("usage: fast_path ours|mpsc|tachyonix|arrayqueue"),
    }
}
