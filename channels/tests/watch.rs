//! The `watch` channel: against a model of one latest value (proptest),
//! with every overwritten value dropped at once; and real contention for a
//! second (a fixed count under Miri): each value at most once, each
//! sender's values newer each time, and the last value sent received.

mod support;

use std::time::Instant;

use diatomic_channels::{watch, RecvError, TryRecvError};
use proptest::prelude::*;
use support::*;

#[derive(Clone, Debug)]
enum Op {
    Send,
    Recv,
    Close,
    CloneSender,
    DropSender,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Send),
        4 => Just(Op::Recv),
        1 => Just(Op::Close),
        1 => Just(Op::CloneSender),
        1 => Just(Op::DropSender),
    ]
}

fn check(ops: &[Op]) {
    let drops = drops();
    let (tx, mut rx) = watch::channel::<Counted>();
    let mut senders = vec![tx];
    let mut latest: Option<usize> = None;
    let mut closed = false;
    let mut created = 0;
    // Values gone for good: received, overwritten or refused.
    let mut gone = 0;
    for op in ops {
        match op {
            Op::Send => {
                let Some(tx) = senders.first() else { continue };
                let result = tx.send(Counted::new(created, &drops));
                created += 1;
                match result {
                    Ok(()) => {
                        assert!(!closed, "accepted");
                        // The previous value, if not received, is dropped now.
                        if latest.replace(created - 1).is_some() {
                            gone += 1;
                        }
                    }
                    Err(error) => {
                        assert!(closed, "refused");
                        assert_eq!(error.into_inner().id, created - 1);
                        gone += 1;
                    }
                }
                assert_eq!(count(&drops), gone, "overwritten values dropped at once");
                assert_eq!(tx.len(), usize::from(latest.is_some()));
            }
            Op::Recv => match rx.try_recv() {
                Ok(item) => {
                    assert_eq!(Some(item.id), latest.take());
                    gone += 1;
                }
                Err(TryRecvError::Empty) => {
                    assert!(latest.is_none() && !closed && !senders.is_empty())
                }
                Err(TryRecvError::Closed) => {
                    assert!(latest.is_none() && (closed || senders.is_empty()))
                }
            },
            Op::Close => {
                rx.close();
                closed = true;
            }
            Op::CloneSender => {
                if let Some(tx) = senders.first() {
                    senders.push(tx.clone());
                }
            }
            Op::DropSender => {
                senders.pop();
            }
        }
        assert_eq!(count(&drops), gone);
    }
    drop(senders);
    drop(rx);
    assert_eq!(count(&drops), created, "every value dropped exactly once");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn behaves_as_one_latest_value(ops in prop::collection::vec(op(), 0..MODEL_OPS)) {
        check(&ops);
    }
}

#[test]
fn receiving_after_the_senders_left_gives_the_last_value_then_an_error() {
    let (tx, mut rx) = watch::channel::<u8>();
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    drop(tx);
    assert_eq!(rx.recv_blocking(), Ok(2));
    assert_eq!(rx.recv_blocking(), Err(RecvError));
}

/// What the receiver checks: values of each sender newer each time (so
/// none twice), and at the end that the last one it got was some sender's
/// last (the newest value is never lost).
struct Newest {
    last: Vec<Option<usize>>,
    received: usize,
    latest: Option<(usize, usize)>,
}

impl Newest {
    fn new(senders: usize) -> Self {
        Self {
            last: vec![None; senders],
            received: 0,
            latest: None,
        }
    }

    fn receive(&mut self, (p, i): (usize, usize)) {
        assert!(self.last[p] < Some(i), "sender {p}: {i} not newer");
        self.last[p] = Some(i);
        self.received += 1;
        self.latest = Some((p, i));
    }

    fn finish(self, sent: &[usize]) -> usize {
        let (p, i) = self.latest.expect("something received");
        assert_eq!(
            i + 1,
            sent[p],
            "the last value received is sender {p}'s last"
        );
        if sent.len() == 1 {
            assert_eq!(self.last[0], Some(sent[0] - 1));
        }
        self.received
    }
}

fn stress_tokio(senders: usize) -> (usize, usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let (tx, mut rx) = watch::channel::<(usize, usize)>();
        let start = Instant::now();
        let tasks: Vec<_> = (0..senders)
            .map(|p| {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut i = 0;
                    while keep_sending(start, i) {
                        tx.send((p, i)).unwrap();
                        i += 1;
                        if i % 64 == 0 {
                            tokio::task::yield_now().await;
                        }
                    }
                    i
                })
            })
            .collect();
        drop(tx);
        let mut newest = Newest::new(senders);
        while let Ok(item) = rx.recv().await {
            newest.receive(item);
        }
        let mut sent = Vec::new();
        for task in tasks {
            sent.push(task.await.unwrap());
        }
        (sent.iter().sum(), newest.finish(&sent))
    })
}

fn stress_threads(senders: usize) -> (usize, usize) {
    let (tx, mut rx) = watch::channel::<(usize, usize)>();
    let start = Instant::now();
    let threads: Vec<_> = (0..senders)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    tx.send((p, i)).unwrap();
                    i += 1;
                }
                i
            })
        })
        .collect();
    drop(tx);
    let mut newest = Newest::new(senders);
    while let Ok(item) = rx.recv_blocking() {
        newest.receive(item);
    }
    let sent: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    (sent.iter().sum(), newest.finish(&sent))
}

#[test]
fn one_task_sending_the_newest_value_arrives() {
    let (sent, received) = stress_tokio(1);
    println!("1 task: {sent} sent, {received} received");
}

#[test]
fn four_tasks_sending_each_value_at_most_once_newer_each_time() {
    let (sent, received) = stress_tokio(4);
    println!("4 tasks: {sent} sent, {received} received");
}

#[test]
fn three_threads_sending_each_value_at_most_once_newer_each_time() {
    let (sent, received) = stress_threads(3);
    println!("3 threads: {sent} sent, {received} received");
}

#[test]
fn overwritten_values_are_dropped_under_contention_too() {
    let drops = drops();
    let (tx, mut rx) = watch::channel::<Counted>();
    let start = Instant::now();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let tx = tx.clone();
            let drops = drops.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while keep_sending(start, i) {
                    tx.send(Counted::new(i, &drops)).unwrap();
                    i += 1;
                }
                i
            })
        })
        .collect();
    drop(tx);
    let mut received = 0;
    while rx.recv_blocking().is_ok() {
        received += 1;
    }
    let sent: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    drop(rx);
    assert_eq!(
        count(&drops),
        sent,
        "{received} received, the rest overwritten"
    );
}
