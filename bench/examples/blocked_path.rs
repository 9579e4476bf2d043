//! The blocked senders' path on one thread, for counting instructions with
//! callgrind: 13 sender tasks and one receiver on tokio's current-thread
//! runtime, through one channel of a small capacity, so that senders wait
//! nearly every time (the funnel's small capacities without the scheduler's
//! cross-core noise). 20 000 messages in all.
//!
//! ```sh
//! cargo build --release -p diatomic-bench --example blocked_path
//! valgrind --tool=callgrind target/release/examples/blocked_path ours 1
//! valgrind --tool=callgrind target/release/examples/blocked_path kanal 1
//! ```

const SENDERS: u64 = 13;
const PER_SENDER: u64 = 20_000 / SENDERS;

macro_rules! funnel {
    ($rt:expr, $make:expr, |$tx:ident, $i:ident| $send:expr, |$rx:ident| $recv:expr) => {
        $rt.block_on(async {
            // kanal's receiver receives through `&self`.
            #[allow(unused_mut)]
            let ($tx, mut $rx) = $make;
            for _ in 0..SENDERS {
                let $tx = $tx.clone();
                tokio::spawn(async move {
                    for $i in 0..PER_SENDER {
                        $send;
                    }
                });
            }
            drop($tx);
            let mut n = 0;
            while $recv {
                n += 1;
            }
            assert_eq!(n, SENDERS * PER_SENDER);
        })
    };
}

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let capacity: usize = args.next().and_then(|c| c.parse().ok()).unwrap_or(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    match which.as_str() {
        "ours" => funnel!(
            rt,
            diatomic_channels::mpsc::channel::<u64>(capacity),
            |tx, i| tx.send(i).await.unwrap(),
            |rx| rx.recv().await.is_ok()
        ),
        "kanal" => funnel!(
            rt,
            kanal::bounded_async::<u64>(capacity),
            |tx, i| tx.send(i).await.unwrap(),
            |rx| rx.recv().await.is_ok()
        ),
        "tokio" => funnel!(
            rt,
            tokio::sync::mpsc::channel::<u64>(capacity),
            |tx, i| tx.send(i).await.unwrap(),
            |rx| rx.recv().await.is_some()
        ),
        "tachyonix" => funnel!(
            rt,
            tachyonix::channel::<u64>(capacity),
            |tx, i| tx.send(i).await.unwrap(),
            |rx| rx.recv().await.is_ok()
        ),
        _ => eprintln!("usage: blocked_path ours|kanal|tokio|tachyonix [capacity]"),
    }
}
