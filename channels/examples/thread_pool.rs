//! A thread pool feeding async tasks: synchronous worker threads (CPU work,
//! blocking I/O) take jobs from one `mpsc` channel each and send results
//! into one channel that an async task receives from. Threads use the
//! blocking calls, the task `.await`s: the same channel serves both. A
//! worker that cannot hand its result over in time gets it back
//! (`send_timeout`).
//!
//! Run with `cargo run -p diatomic-channels --example thread_pool`.

use std::thread;
use std::time::Duration;

use diatomic_channels::{mpsc, RecvTimeoutError, SendTimeoutError};

/// Some work that would block an executor's thread.
fn work(n: u64) -> u64 {
    (0..n).fold(0u64, |acc, k| acc.wrapping_add(k * k) % 1_000_003)
}

#[tokio::main]
async fn main() {
    let (results, mut results_rx) = mpsc::channel::<(u64, u64)>(16);
    let mut job_queues = Vec::new();
    let mut workers = Vec::new();
    for _ in 0..4 {
        let (jobs, mut jobs_rx) = mpsc::channel::<u64>(8);
        let results = results.clone();
        workers.push(thread::spawn(move || {
            loop {
                // A worker idle for a second checks in, then waits again.
                let job = match jobs_rx.recv_timeout(Duration::from_secs(1)) {
                    Ok(job) => job,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Closed) => return, // no more jobs
                };
                let mut result = (job, work(job));
                // The consumer may be slow: wait up to 10 s, then retry
                // with the same value, which came back.
                while let Err(err) = results.send_timeout(result, Duration::from_secs(10)) {
                    match err {
                        SendTimeoutError::Timeout(back) => result = back,
                        SendTimeoutError::Closed(_) => return,
                    }
                }
            }
        }));
        job_queues.push(jobs);
    }
    drop(results); // the workers hold the only senders now

    // Hand the jobs out from a blocking task, round robin.
    let feeder = tokio::task::spawn_blocking(move || {
        for job in 0..200u64 {
            let queue = &job_queues[(job % 4) as usize];
            queue.send_blocking(1_000 + job).expect("the workers run");
        }
        // `job_queues` drops: each worker sees its queue closed.
    });

    let mut done = 0;
    let mut checksum = 0u64;
    while let Ok((job, result)) = results_rx.recv().await {
        assert_eq!(result, work(job));
        checksum = checksum.wrapping_add(result);
        done += 1;
    }
    feeder.await.unwrap();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{done} jobs done on 4 threads, checksum {checksum}");
    assert_eq!(done, 200);
}
