//! The same workload on several executors, so that nothing depends on
//! tokio's scheduling: tokio (current-thread and multi-thread),
//! `futures::executor` (a local pool), and `async-executor` (smol's, on two
//! threads). (`tests/adversarial.rs` adds a hand-written executor that polls
//! in random order, with spurious polls.)
//!
//! The workload: three producers through an `mpsc` of capacity 2 (every
//! item once, each producer's in order), an `spsc` stream, oneshot
//! request-replies, and a `watch` whose last value must arrive.
#![cfg(not(miri))]

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use diatomic_channels::{mpsc, oneshot, spsc, watch};
use support::Delivery;

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

const ITEMS: usize = 2_000;

/// The workload's tasks; each checks what it receives.
fn workload() -> Vec<Task> {
    let mut tasks: Vec<Task> = Vec::new();

    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(2);
    for p in 0..3 {
        let tx = tx.clone();
        tasks.push(Box::pin(async move {
            for i in 0..ITEMS {
                tx.send((p, i)).await.unwrap();
            }
        }));
    }
    drop(tx);
    tasks.push(Box::pin(async move {
        let mut delivery = Delivery::new(3);
        while let Ok(item) = rx.recv().await {
            delivery.receive(item);
        }
        delivery.finish(&[ITEMS; 3]);
    }));

    let (mut tx, mut rx) = spsc::channel::<usize>(4);
    tasks.push(Box::pin(async move {
        for i in 0..ITEMS {
            tx.send(i).await.unwrap();
        }
    }));
    tasks.push(Box::pin(async move {
        for i in 0..ITEMS {
            assert_eq!(rx.recv().await, Ok(i));
        }
        assert!(rx.recv().await.is_err());
    }));

    let (requests, mut server) = mpsc::channel::<(usize, oneshot::Sender<usize>)>(1);
    tasks.push(Box::pin(async move {
        while let Ok((n, reply)) = server.recv().await {
            let _ = reply.send(n * 2);
        }
    }));
    tasks.push(Box::pin(async move {
        for n in 0..200 {
            let (reply, answer) = oneshot::channel();
            requests.send((n, reply)).await.unwrap();
            assert_eq!(answer.await, Ok(n * 2));
        }
    }));

    let (tx, mut rx) = watch::channel::<usize>();
    tasks.push(Box::pin(async move {
        for i in 0..ITEMS {
            tx.send(i).unwrap();
        }
    }));
    tasks.push(Box::pin(async move {
        let mut last = None;
        while let Ok(v) = rx.recv().await {
            assert!(last < Some(v), "newer each time");
            last = Some(v);
        }
        assert_eq!(last, Some(ITEMS - 1), "the last value arrives");
    }));

    tasks
}

#[test]
fn tokio_current_thread() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let handles: Vec<_> = workload().into_iter().map(tokio::spawn).collect();
        for h in handles {
            h.await.unwrap();
        }
    });
}

#[test]
fn tokio_multi_thread() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let handles: Vec<_> = workload().into_iter().map(tokio::spawn).collect();
        for h in handles {
            h.await.unwrap();
        }
    });
}

#[test]
fn futures_local_pool() {
    use futures_executor::LocalPool;
    use futures_util::task::LocalSpawnExt;
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    for task in workload() {
        spawner.spawn_local(task).unwrap();
    }
    pool.run();
}

#[test]
fn futures_block_on_threads() {
    // Each task on its own thread, under `futures::executor::block_on`.
    let threads: Vec<_> = workload()
        .into_iter()
        .map(|task| std::thread::spawn(move || futures_executor::block_on(task)))
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn async_executor_on_two_threads() {
    let ex = Arc::new(async_executor::Executor::new());
    let tasks: Vec<_> = workload().into_iter().map(|t| ex.spawn(t)).collect();
    let (stop, stopped) = oneshot::channel::<()>();
    let runner = {
        let ex = ex.clone();
        std::thread::spawn(move || futures_executor::block_on(ex.run(stopped)))
    };
    futures_executor::block_on(ex.run(async {
        for t in tasks {
            t.await;
        }
    }));
    stop.send(()).unwrap();
    let _ = runner.join().unwrap();
}
