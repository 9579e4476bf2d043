//! A shutdown signal: workers run until a `watch::shared` flag says stop,
//! each checking it between jobs and waiting on it with `select!`; the
//! coordinator flips it once and learns, through `closed()`, when every
//! worker has let go of its receiver.
//!
//! Run with `cargo run -p diatomic-channels --example shutdown`.

use std::time::Duration;

use diatomic_channels::watch::shared;

#[tokio::main]
async fn main() {
    let (stop, watching) = shared::channel(false);
    let workers: Vec<_> = (0..4)
        .map(|id| {
            let mut stop = watching.clone();
            tokio::spawn(async move {
                let mut jobs = 0u32;
                loop {
                    tokio::select! {
                        // A change of the flag ends the loop; so does the
                        // coordinator going away.
                        changed = stop.changed() => {
                            if changed.is_err() || *stop.borrow_and_update() {
                                break;
                            }
                        }
                        () = tokio::time::sleep(Duration::from_millis(1)) => jobs += 1,
                    }
                }
                println!("worker {id}: stopped after {jobs} jobs");
                jobs
            })
        })
        .collect();
    drop(watching);
    tokio::time::sleep(Duration::from_millis(20)).await;
    stop.send(true).expect("the workers are listening");
    // Every worker drops its receiver when it returns.
    tokio::time::timeout(Duration::from_secs(5), stop.closed())
        .await
        .expect("every worker stopped");
    assert_eq!(stop.receiver_count(), 0);
    let mut total = 0;
    for worker in workers {
        total += worker.await.expect("worker");
    }
    println!("{total} jobs in all; every worker stopped");
}
