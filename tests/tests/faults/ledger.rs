//! Where every item of a round goes, and the totals of every round.
//!
//! Each item has an id in its round's ledger. Its drop is counted, and the
//! test marks its fate: received, handed back (an error gave it back), or
//! left in a future that was forgotten on purpose. At the end of a round,
//! [`Ledger::audit`] checks that every item was dropped exactly once (or,
//! if its future was forgotten, at most once) and had at most one fate,
//! and that no item whose `send` was cancelled (its future dropped before
//! it returned `Ready`) was received: a cancelled send has not sent.

use std::collections::BTreeMap;
use std::fmt;
// Ordering: Relaxed for every count here: each is a counter on its own,
// read by the audit only after the round's threads and tasks are joined,
// which orders every increment before the reads.
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

const RECEIVED: u8 = 1;
const HANDED_BACK: u8 = 2;
const FORGOTTEN: u8 = 4;
const CANCELLED: u8 = 8;

/// The items of one round.
pub struct Ledger {
    drops: Box<[AtomicU8]>,
    fates: Box<[AtomicU8]>,
    next: AtomicUsize,
    /// Fates marked twice (an item received twice, say): must stay 0.
    twice: AtomicUsize,
}

impl Ledger {
    pub fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            drops: (0..capacity).map(|_| AtomicU8::new(0)).collect(),
            fates: (0..capacity).map(|_| AtomicU8::new(0)).collect(),
            next: AtomicUsize::new(0),
            twice: AtomicUsize::new(0),
        })
    }

    /// A new item; its `Drop` panics if `armed`.
    pub fn item(self: &Arc<Self>, armed: bool) -> Item {
        let id = self.next.fetch_add(1, Relaxed);
        assert!(id < self.drops.len(), "ledger too small");
        Item {
            id,
            ledger: self.clone(),
            armed,
        }
    }

    fn mark(&self, id: usize, fate: u8) {
        if self.fates[id].fetch_or(fate, Relaxed) & (RECEIVED | HANDED_BACK) != 0
            && fate & (FORGOTTEN | CANCELLED) == 0
        {
            self.twice.fetch_add(1, Relaxed);
        }
    }

    /// The item came out of the receiver.
    pub fn received(&self, item: Item) {
        self.mark(item.id, RECEIVED);
    }

    /// An error handed the item back to its sender.
    pub fn handed_back(&self, item: Item) {
        self.mark(item.id, HANDED_BACK);
    }

    /// The item's future is about to be forgotten: the item may never be
    /// dropped.
    pub fn forgotten(&self, id: usize) {
        self.mark(id, FORGOTTEN);
    }

    /// The item's `send` future was dropped before it returned `Ready`: the
    /// item must not be received (it is dropped with the future).
    pub fn cancelled(&self, id: usize) {
        self.mark(id, CANCELLED);
    }

    /// Counts every item's fate into `tally`, then asserts that nothing was
    /// lost or duplicated, and that no cancelled send was received.
    pub fn audit(&self, what: &str, tally: &Tally) {
        let n = self.next.load(Relaxed);
        let mut lost = Vec::new();
        let mut twice = self.twice.load(Relaxed);
        let mut sent_though_cancelled = Vec::new();
        for id in 0..n {
            let drops = self.drops[id].load(Relaxed);
            let fate = self.fates[id].load(Relaxed);
            let forgotten = fate & FORGOTTEN != 0;
            if fate & CANCELLED != 0 {
                if fate & RECEIVED != 0 {
                    sent_though_cancelled.push(id);
                }
                tally
                    .cancelled_sends_not_sent
                    .add(u64::from(fate & RECEIVED == 0));
            }
            match (drops, fate & !(FORGOTTEN | CANCELLED)) {
                (0, _) if forgotten => tally.leaked_by_forget.add(1),
                (0, _) => lost.push(id),
                (1, RECEIVED) => tally.received.add(1),
                (1, HANDED_BACK) => tally.handed_back.add(1),
                (1, 0) => tally.dropped.add(1),
                _ => twice += 1,
            }
        }
        tally.sent.add(n as u64);
        tally.lost.add(lost.len() as u64);
        tally.duplicated.add(twice as u64);
        tally
            .sent_though_cancelled
            .add(sent_though_cancelled.len() as u64);
        assert!(
            lost.is_empty() && twice == 0,
            "{what}: {} items lost (ids {:?}), {twice} dropped or received twice",
            lost.len(),
            &lost[..lost.len().min(10)],
        );
        assert!(
            sent_though_cancelled.is_empty(),
            "{what}: items received though their send was cancelled (ids {:?})",
            &sent_though_cancelled[..sent_though_cancelled.len().min(10)],
        );
    }
}

/// An item: its drop is counted in its ledger.
pub struct Item {
    pub id: usize,
    ledger: Arc<Ledger>,
    armed: bool,
}

impl Drop for Item {
    fn drop(&mut self) {
        self.ledger.drops[self.id].fetch_add(1, Relaxed);
        if self.armed {
            self.armed = false;
            panic!("item {} panics in drop (injected)", self.id);
        }
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Item({})", self.id)
    }
}

/// A total, summed over the rounds of a run.
#[derive(Default)]
pub struct Count(AtomicU64);

impl Count {
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// The totals of a run: items by fate, faults by kind.
#[derive(Default)]
pub struct Tally {
    pub sent: Count,
    pub received: Count,
    pub handed_back: Count,
    pub dropped: Count,
    pub leaked_by_forget: Count,
    pub lost: Count,
    pub duplicated: Count,
    pub cancelled_sends_not_sent: Count,
    pub sent_though_cancelled: Count,
    pub rounds: Count,
    pub cancelled_sends: Count,
    pub cancelled_recvs: Count,
    pub early_closes: Count,
    pub early_receiver_drops: Count,
    pub forgotten_sends: Count,
    pub forgotten_recvs: Count,
    /// `watch::shared`: a sender's pending `closed` forgotten.
    pub forgotten_closed: Count,
    pub panicking_drops: Count,
    pub panicking_wakes: Count,
    /// Fan-out members: waiters checked to be woken once each by a call
    /// that woke many, one of whose wakers panicked.
    pub woken_past_a_panic: Count,
    pub panicking_clones: Count,
    /// `broadcast`: a receiver's clone of the value panicked.
    pub panicking_value_clones: Count,
    pub panicking_pushes: Count,
    pub panicking_pops: Count,
    pub drop_orders: Count,
}

impl Tally {
    const ROWS: usize = 25;

    fn rows(&self) -> [(&'static str, &Count); Self::ROWS] {
        [
            ("rounds", &self.rounds),
            ("items_sent", &self.sent),
            ("items_received", &self.received),
            ("items_handed_back", &self.handed_back),
            ("items_dropped", &self.dropped),
            (
                "items_leaked_with_forgotten_futures",
                &self.leaked_by_forget,
            ),
            ("items_lost", &self.lost),
            ("items_duplicated", &self.duplicated),
            (
                "items_of_cancelled_sends_not_sent",
                &self.cancelled_sends_not_sent,
            ),
            (
                "items_sent_though_their_send_was_cancelled",
                &self.sent_though_cancelled,
            ),
            ("fault_cancelled_send", &self.cancelled_sends),
            ("fault_cancelled_recv", &self.cancelled_recvs),
            ("fault_early_close", &self.early_closes),
            ("fault_early_receiver_drop", &self.early_receiver_drops),
            ("fault_forgotten_send", &self.forgotten_sends),
            ("fault_forgotten_recv", &self.forgotten_recvs),
            ("fault_forgotten_closed", &self.forgotten_closed),
            ("fault_panicking_item_drop", &self.panicking_drops),
            ("fault_panicking_wake", &self.panicking_wakes),
            ("waiters_woken_past_a_panic", &self.woken_past_a_panic),
            ("fault_panicking_waker_clone", &self.panicking_clones),
            ("fault_panicking_value_clone", &self.panicking_value_clones),
            ("fault_panicking_core_push", &self.panicking_pushes),
            ("fault_panicking_core_pop", &self.panicking_pops),
            ("fault_drop_order", &self.drop_orders),
        ]
    }
}

/// One [`Tally`] per member (`mpsc`, `spsc`, `slot`, `watch`, `oneshot`,
/// `user-core`).
#[derive(Default)]
pub struct Tallies(Mutex<BTreeMap<&'static str, Arc<Tally>>>);

impl Tallies {
    pub fn of(&self, member: &'static str) -> Arc<Tally> {
        self.0.lock().unwrap().entry(member).or_default().clone()
    }

    /// Items lost or duplicated, over every member.
    pub fn failures(&self) -> u64 {
        let map = self.0.lock().unwrap();
        map.values()
            .map(|t| t.lost.get() + t.duplicated.get())
            .sum()
    }

    /// The lines the reliability script reads, one per member and count,
    /// then the totals: `faults-summary <label> <member> <name> <value>`.
    pub fn print(&self, label: &str, seconds: f64) {
        let map = self.0.lock().unwrap();
        println!("faults-summary {label} all seconds {seconds:.1}");
        let mut totals = [0u64; Tally::ROWS];
        for (member, tally) in map.iter() {
            for (i, (name, count)) in tally.rows().into_iter().enumerate() {
                println!("faults-summary {label} {member} {name} {}", count.get());
                totals[i] += count.get();
            }
        }
        for (i, (name, _)) in Tally::default().rows().into_iter().enumerate() {
            println!("faults-summary {label} all {name} {}", totals[i]);
        }
    }
}
