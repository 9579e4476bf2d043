//! The channels under a hand-written executor that polls adversarially:
//! tasks in a random (seeded) order, spurious polls of tasks nobody woke,
//! and send futures dropped between polls. Progress must come from wakes:
//! if tasks remain and none is woken, a wakeup was lost, and the test
//! fails. Every item is delivered once or, for a cancelled send, dropped
//! once (a many-producer send that was already moved in is delivered).

mod support;

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use diatomic_channels::{mpsc, slot, spsc};
use support::*;

/// A small xorshift generator: reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Runs `tasks` to completion, adversarially, from `seed`.
fn run(seed: u64, tasks: Vec<Task>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut tasks: Vec<Option<(Task, Arc<Flag>)>> = tasks
        .into_iter()
        .map(|t| Some((t, Arc::new(Flag(AtomicBool::new(true))))))
        .collect();
    let mut polls = 0u64;
    loop {
        let live: Vec<usize> = (0..tasks.len()).filter(|&i| tasks[i].is_some()).collect();
        if live.is_empty() {
            return;
        }
        let woken: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&i| tasks[i].as_ref().unwrap().1 .0.load(Ordering::SeqCst))
            .collect();
        // Now and then, a spurious poll of a task nobody woke.
        let spurious = rng.below(8) == 0;
        let i = if spurious || woken.is_empty() {
            assert!(
                !woken.is_empty() || spurious,
                "seed {seed}: tasks remain and none is woken: a lost wakeup"
            );
            live[rng.below(live.len())]
        } else {
            woken[rng.below(woken.len())]
        };
        let (task, flag) = tasks[i].as_mut().unwrap();
        flag.0.store(false, Ordering::SeqCst);
        let waker = Waker::from(flag.clone());
        if task
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            tasks[i] = None;
        }
        polls += 1;
        assert!(polls < 10_000_000, "seed {seed}: no end");
    }
}

/// A future polled at most `polls` times, then dropped (cancelled).
struct Cancel<F> {
    inner: Option<Pin<Box<F>>>,
    polls: usize,
}

impl<F: Future> Future for Cancel<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.polls == 0 {
            self.inner = None;
            return Poll::Ready(None);
        }
        self.polls -= 1;
        let polled = self.inner.as_mut().unwrap().as_mut().poll(cx);
        polled.map(Some)
    }
}

fn cancel_after<F: Future>(future: F, polls: usize) -> Cancel<F> {
    Cancel {
        inner: Some(Box::pin(future)),
        polls,
    }
}

const SEEDS: u64 = if cfg!(miri) { 3 } else { 200 };
const ITEMS: usize = if cfg!(miri) { 6 } else { 40 };

/// What the consumer saw and what cancelled sends gave back.
#[derive(Default)]
struct Ledger {
    received: Vec<usize>,
    handed_back: Vec<usize>,
}

/// Nothing received twice, nothing lost (an item not received was in a
/// cancelled send), every item dropped exactly once. With one producer a
/// cancelled send has not sent (`disjoint`); with many, it may have been
/// moved in before it was dropped, and then it is delivered.
fn check(
    ledger: &Ledger,
    drops: &Arc<std::sync::atomic::AtomicUsize>,
    created: usize,
    disjoint: bool,
) {
    let received: HashSet<usize> = ledger.received.iter().copied().collect();
    assert_eq!(
        received.len(),
        ledger.received.len(),
        "nothing received twice"
    );
    let handed_back: HashSet<usize> = ledger.handed_back.iter().copied().collect();
    for id in 0..created {
        assert!(
            received.contains(&id) || handed_back.contains(&id),
            "item {id} lost"
        );
        if disjoint {
            assert!(
                !(received.contains(&id) && handed_back.contains(&id)),
                "item {id} both cancelled and delivered"
            );
        }
    }
    assert_eq!(count(drops), created, "every item dropped exactly once");
}

#[test]
fn mpsc_and_slot_under_an_adversarial_executor() {
    for capacity in [0usize, 1, 2] {
        for seed in 0..SEEDS {
            let drops = drops();
            let ledger = Arc::new(Mutex::new(Ledger::default()));
            let producers = 3;
            let mut tasks: Vec<Task> = Vec::new();
            // capacity 0 stands for `slot` (capacity 1, a different core).
            macro_rules! spawn_all {
                ($tx:expr, $rx:expr) => {{
                    let (tx, mut rx) = ($tx, $rx);
                    for p in 0..producers {
                        let tx = tx.clone();
                        let drops = drops.clone();
                        let ledger = ledger.clone();
                        let mut rng = Rng(seed * 31 + p as u64 + 7);
                        tasks.push(Box::pin(async move {
                            for i in 0..ITEMS {
                                let id = p * ITEMS + i;
                                let item = Counted::new(id, &drops);
                                if rng.below(4) == 0 {
                                    // A send cancelled after a few polls: sent
                                    // once or dropped once.
                                    let polls = rng.below(3);
                                    match cancel_after(tx.send(item), polls).await {
                                        Some(result) => result.unwrap(),
                                        None => ledger.lock().unwrap().handed_back.push(id),
                                    }
                                } else {
                                    tx.send(item).await.unwrap();
                                }
                            }
                        }));
                    }
                    drop(tx);
                    let ledger = ledger.clone();
                    tasks.push(Box::pin(async move {
                        while let Ok(item) = rx.recv().await {
                            ledger.lock().unwrap().received.push(item.id);
                        }
                    }));
                }};
            }
            if capacity == 0 {
                let (tx, rx) = slot::channel::<Counted>();
                spawn_all!(tx, rx);
            } else {
                let (tx, rx) = mpsc::channel::<Counted>(capacity);
                spawn_all!(tx, rx);
            }
            run(seed, tasks);
            check(&ledger.lock().unwrap(), &drops, producers * ITEMS, false);
        }
    }
}

#[test]
fn spsc_under_an_adversarial_executor() {
    for seed in 0..SEEDS {
        let drops = drops();
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let (mut tx, mut rx) = spsc::channel::<Counted>(2);
        let mut tasks: Vec<Task> = Vec::new();
        {
            let drops = drops.clone();
            let ledger = ledger.clone();
            let mut rng = Rng(seed + 3);
            tasks.push(Box::pin(async move {
                for id in 0..ITEMS {
                    let item = Counted::new(id, &drops);
                    if rng.below(4) == 0 {
                        // One producer: a cancelled send has not sent.
                        let polls = rng.below(3);
                        if cancel_after(tx.send(item), polls).await.is_none() {
                            ledger.lock().unwrap().handed_back.push(id);
                        }
                    } else {
                        tx.send(item).await.unwrap();
                    }
                }
            }));
        }
        {
            let ledger = ledger.clone();
            tasks.push(Box::pin(async move {
                while let Ok(item) = rx.recv().await {
                    ledger.lock().unwrap().received.push(item.id);
                }
            }));
        }
        run(seed, tasks);
        let ledger = ledger.lock().unwrap();
        check(&ledger, &drops, ITEMS, true);
        // One producer: what was not handed back arrived, in order.
        let expected: Vec<usize> = (0..ITEMS)
            .filter(|id| !ledger.handed_back.contains(id))
            .collect();
        assert_eq!(ledger.received, expected, "seed {seed}");
    }
}
