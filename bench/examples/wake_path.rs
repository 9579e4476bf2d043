//! The waiting paths on one thread, for counting instructions with
//! callgrind: two tasks on tokio's current-thread runtime bounce one message
//! through two channels of capacity 16 (never full), 100 000 round trips, so
//! that every receive waits and every send wakes its receiver.
//!
//! ```sh
//! cargo build --release -p diatomic-bench --example wake_path
//! valgrind --tool=callgrind target/release/examples/wake_path ours
//! valgrind --tool=callgrind target/release/examples/wake_path mpsc
//! valgrind --tool=callgrind target/release/examples/wake_path mpmc
//! valgrind --tool=callgrind target/release/examples/wake_path broadcast
//! valgrind --tool=callgrind target/release/examples/wake_path tachyonix
//! ```

use diatomic_bench::contenders::{ArrayQueueCore, ArrayQueueReceiver, ArrayQueueSender};

const ROUND_TRIPS: u64 = 100_000;

fn ours() -> (ArrayQueueSender<u64>, ArrayQueueReceiver<u64>) {
    ArrayQueueCore::new(16).into_channel()
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    match which.as_str() {
        "ours" => rt.block_on(async {
            let (ping_tx, mut ping_rx) = ours();
            let (pong_tx, mut pong_rx) = ours();
            let echo = tokio::spawn(async move {
                while let Ok(v) = ping_rx.recv().await {
                    pong_tx.send(v).await.unwrap();
                }
            });
            for i in 0..ROUND_TRIPS {
                ping_tx.send(i).await.unwrap();
                assert_eq!(pong_rx.recv().await, Ok(i));
            }
            drop(ping_tx);
            echo.await.unwrap();
        }),
        "mpsc" => rt.block_on(async {
            let (ping_tx, mut ping_rx) = diatomic_channels::mpsc::channel::<u64>(16);
            let (pong_tx, mut pong_rx) = diatomic_channels::mpsc::channel::<u64>(16);
            let echo = tokio::spawn(async move {
                while let Ok(v) = ping_rx.recv().await {
                    pong_tx.send(v).await.unwrap();
                }
            });
            for i in 0..ROUND_TRIPS {
                ping_tx.send(i).await.unwrap();
                assert_eq!(pong_rx.recv().await, Ok(i));
            }
            drop(ping_tx);
            echo.await.unwrap();
        }),
        "tachyonix" => rt.block_on(async {
            let (ping_tx, mut ping_rx) = tachyonix::channel::<u64>(16);
            let (pong_tx, mut pong_rx) = tachyonix::channel::<u64>(16);
            let echo = tokio::spawn(async move {
                while let Ok(v) = ping_rx.recv().await {
                    pong_tx.send(v).await.unwrap();
                }
            });
            for i in 0..ROUND_TRIPS {
                ping_tx.send(i).await.unwrap();
                assert_eq!(pong_rx.recv().await.ok(), Some(i));
            }
            drop(ping_tx);
            echo.await.unwrap();
        }),
        // The receivers' line: each receive waits in it, each send wakes
        // its first place.
        "mpmc" => rt.block_on(async {
            let (ping_tx, ping_rx) = diatomic_channels::mpmc::channel::<u64>(16);
            let (pong_tx, pong_rx) = diatomic_channels::mpmc::channel::<u64>(16);
            let echo = tokio::spawn(async move {
                while let Ok(v) = ping_rx.recv().await {
                    pong_tx.send(v).await.unwrap();
                }
            });
            for i in 0..ROUND_TRIPS {
                ping_tx.send(i).await.unwrap();
                assert_eq!(pong_rx.recv().await, Ok(i));
            }
            drop(ping_tx);
            echo.await.unwrap();
        }),
        // A value every receiver reads: each send wakes the whole line.
        "broadcast" => rt.block_on(async {
            let (ping_tx, mut ping_rx) = diatomic_channels::broadcast::channel::<u64>(16);
            let (pong_tx, mut pong_rx) = diatomic_channels::broadcast::channel::<u64>(16);
            let echo = tokio::spawn(async move {
                while let Ok(v) = ping_rx.recv().await {
                    pong_tx.send(v).unwrap();
                }
            });
            for i in 0..ROUND_TRIPS {
                ping_tx.send(i).unwrap();
                assert_eq!(pong_rx.recv().await, Ok(i));
            }
            drop(ping_tx);
            echo.await.unwrap();
        }),
        _ => eprintln!("usage: wake_path ours|mpsc|mpmc|broadcast|tachyonix"),
    }
}
