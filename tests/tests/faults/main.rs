//! Fault injection, for every member of the family in both homes (an `Arc`
//! and a `static` channel) and for a user's core declared with the
//! attribute (`user_core.rs`), with contention on tokio's multi-threaded
//! runtime where it matters:
//!
//! - random cancellation of `send` and `recv` in `select!` (`cancel.rs`);
//! - forgotten futures (`forget.rs`);
//! - panics in items' `Drop`, wakers and cores (`panics.rs`);
//! - drop orders of every party (`drop_orders.rs`);
//! - `broadcast`, both policies: cancelled receives and backpressured
//!   sends, receivers leaving early, clones that panic, with every value
//!   accounted for once per receiver (`broadcast.rs`);
//! - `watch::shared`: cancelled `changed` and `wait_for`, receivers leaving
//!   early, updates from several tasks; no change told twice or lost
//!   (`watch_shared.rs`);
//! - `broadcast` (both policies) and `watch::shared`, the fan-out members
//!   (their shared set-up in `fan_out.rs`): wakers that panic in a call
//!   that wakes many waiters (`fan_out_panics.rs`), every drop order of
//!   their parties checked against a model (`fan_out_drop_orders.rs`), and
//!   forgotten receives, sends and `closed` (`fan_out_forget.rs`); they
//!   run with the categories above (panics, drop orders, forgotten
//!   futures), in the tallies of `broadcast` and `watch-shared`.
//!
//! Every item is accounted for in a ledger (`ledger.rs`): received, handed
//! back, or dropped, exactly once (an item left in a future forgotten on
//! purpose may leak). A normal run does a few seeds of each; the soak mode
//! (`SOAK_SECS=600 cargo test --release -p diatomic-tests --test faults
//! soak -- --ignored --nocapture`) loops over seeds for that long and
//! prints the totals: items by fate, faults by kind, and items lost.
//!
//! Under Miri (one seed, fewer items): the panics, the drop orders, and
//! random cancellation on `futures`' local pool; not tokio's runtime, nor
//! the futures forgotten on purpose (which Miri reports as leaks).

mod broadcast;
mod cancel;
mod drop_orders;
mod fan_out;
mod fan_out_drop_orders;
mod fan_out_forget;
mod fan_out_panics;
mod forget;
mod harness;
mod ledger;
mod panics;
mod user_core;
mod watch_shared;

use std::sync::Arc;
use std::time::{Duration, Instant};

use diatomic_channels::oneshot::{self, Once};
use diatomic_channels::slot::Slot;
use diatomic_channels::watch::{self, Latest};
use diatomic_channels::{mpmc, mpsc, spsc};

use drop_orders::Cast;
use harness::{in_both_homes, Exec, Leaked};
use ledger::{Item, Tallies};
use user_core::{Mailbox, Switches};

/// Seeds per category in a normal test run.
const QUICK_SEEDS: u64 = if cfg!(miri) { 1 } else { 3 };

/// Runs `$body` with `($tx, $rx)` the halves of a `watch` channel: the
/// named sender and the generic receiver, in both homes.
macro_rules! watch_in_both_homes {
    (|$home:ident, $tx:ident, $rx:ident| $body:block) => {{
        {
            let $home = "arc";
            let (tx, rx) = watch::channel::<Item>();
            (|$tx, $rx| $body)(tx, rx.into_inner());
        }
        {
            let $home = "static";
            let leaked = Leaked::new(Latest::<Item>::new());
            let (tx, rx) = watch::split(leaked.channel()).expect("split once");
            (|$tx, $rx| $body)(tx, rx.into_inner());
            // Safety: the closure took both halves, and dropped them or
            // joined the tasks it moved them into (as in `in_both_homes!`).
            unsafe { leaked.reclaim() };
        }
    }};
}

/// Injected panics are expected: keep them out of the output.
fn quiet_injected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            let injected = message.contains("(injected)")
                || message.contains("the channel core panicked while taking this send's value");
            if !injected {
                default(info);
            }
        }));
    });
}

/// What a member is, for the workloads.
#[derive(Clone, Copy)]
struct Member {
    /// Its name in the tallies.
    name: &'static str,
    capacity: usize,
    /// How many senders a workload gives it (one for one producer).
    producers: usize,
    /// Whether a send can wait (not `watch`'s).
    blocks: bool,
}

/// Runs `$body` for every member but `oneshot` (which has no queue to
/// fill), in both homes, with `$member` describing it: `mpsc`, `mpmc` and
/// `spsc` of capacity `$cap`, `slot`, the user's core of capacity `$cap`, and
/// `watch` (its halves: the named sender and the generic receiver).
macro_rules! every_member {
    ($cap:expr, |$member:ident, $home:ident, $tx:ident, $rx:ident| $body:block) => {{
        let cap: usize = $cap;
        let member = |name, capacity, producers, blocks| Member {
            name,
            capacity,
            producers,
            blocks,
        };
        let $member = member("mpsc", cap, 3, true);
        in_both_homes!(
            mpsc::Ring::<Item, _>::with_capacity(cap),
            |$home, $tx, $rx| $body
        );
        let $member = member("mpmc", cap, 3, true);
        in_both_homes!(
            mpmc::Ring::<Item, _>::with_capacity(cap),
            |$home, $tx, $rx| $body
        );
        let $member = member("spsc", cap, 1, true);
        in_both_homes!(
            spsc::Ring::<Item, _>::with_capacity(cap),
            |$home, $tx, $rx| $body
        );
        let $member = member("slot", 1, 3, true);
        in_both_homes!(Slot::<Item>::new(), |$home, $tx, $rx| $body);
        let $member = member("user-core", cap, 3, true);
        in_both_homes!(Mailbox::new(cap), |$home, $tx, $rx| $body);
        let $member = member("watch", 1, 3, false);
        watch_in_both_homes!(|$home, $tx, $rx| $body);
    }};
}

/// The label of one member's round in a home, for failures.
fn label(member: Member, home: &str) -> String {
    format!("{} cap {}/{home}", member.name, member.capacity)
}

/// Random cancellation, every member, both homes, on `exec`.
fn cancellation(exec: Exec, seed: u64, ts: &Tallies) {
    every_member!(1 + (seed % 3) as usize, |m, home, tx, rx| {
        let (what, tally) = (format!("{} on {exec:?}", label(m, home)), ts.of(m.name));
        let per_producer = if cfg!(miri) { 12 } else { 450 } / m.producers;
        cancel::round(exec, &what, tx, rx, seed, m.producers, per_producer, &tally);
    });
    let oneshots = if cfg!(miri) { 8 } else { 100 };
    cancel::oneshot_round(exec, "arc", seed, oneshots, &ts.of("oneshot"));
    cancel::oneshot_round(exec, "static", seed, oneshots, &ts.of("oneshot"));
}

/// `broadcast` under both policies, on `exec`: 2 senders, 3 receivers.
fn broadcasting(exec: Exec, seed: u64, ts: &Tallies) {
    let per_sender = if cfg!(miri) { 10 } else { 300 };
    for policy in [
        broadcast::Policy::Overwrite,
        broadcast::Policy::Backpressure,
    ] {
        let capacity = 1 + (seed % 4) as usize;
        broadcast::round(
            exec,
            policy,
            seed,
            capacity,
            2,
            3,
            per_sender,
            &ts.of("broadcast"),
        );
    }
}

/// `watch::shared`, on `exec`: 2 senders, 3 receivers.
fn watching(exec: Exec, seed: u64, ts: &Tallies) {
    let per_sender = if cfg!(miri) { 10 } else { 300 };
    watch_shared::round(exec, seed, 2, 3, per_sender, &ts.of("watch-shared"));
}

/// Forgotten futures, every member that has a pending future to forget,
/// on `exec`.
fn forgotten(exec: Exec, seed: u64, ts: &Tallies) {
    every_member!(1 + (seed % 3) as usize, |m, home, tx, rx| {
        let (what, tally) = (format!("{} on {exec:?}", label(m, home)), ts.of(m.name));
        let (capacity, producers) = (m.capacity, m.producers);
        forget::forgotten_futures(exec, &what, tx, rx, capacity, producers, 200, &tally);
    });
    fan_out_forget::broadcast(exec, seed, &ts.of("broadcast"));
    fan_out_forget::watch_shared(exec, seed, &ts.of("watch-shared"));
}

/// Panics in items, wakers and the user's core.
fn panicking(seed: u64, ts: &Tallies) {
    let cap = 1 + (seed % 3) as usize;
    every_member!(cap, |m, home, tx, rx| {
        panics::item_drop(&label(m, home), tx, rx, m.capacity, &ts.of(m.name));
    });
    every_member!(cap, |m, home, tx, rx| {
        panics::receiver_wake(&label(m, home), tx, rx, &ts.of(m.name));
    });
    every_member!(cap, |m, home, tx, rx| {
        if m.blocks {
            panics::sender_wake(&label(m, home), tx, rx, m.capacity, &ts.of(m.name));
        }
    });
    every_member!(cap, |m, home, tx, rx| {
        let tally = ts.of(m.name);
        panics::waker_clone(&label(m, home), tx, rx, m.capacity, m.blocks, &tally);
    });
    let switches = Arc::new(Switches::default());
    in_both_homes!(
        Mailbox::with_switches(2, switches.clone()),
        |home, tx, rx| {
            let tally = ts.of("user-core");
            panics::core_push_pop(&format!("user-core/{home}"), tx, rx, &switches, &tally);
        }
    );
    panics::oneshot_cases(
        "arc",
        &oneshot::channel,
        oneshot::Sender::send,
        &ts.of("oneshot"),
    );
    let leaked = std::cell::RefCell::new(Vec::new());
    panics::oneshot_cases(
        "static",
        &|| {
            let channel = Leaked::new(Once::new());
            let halves = oneshot::split(channel.channel()).expect("split once");
            leaked.borrow_mut().push(channel);
            halves
        },
        oneshot::SenderRef::send,
        &ts.of("oneshot"),
    );
    for channel in leaked.into_inner() {
        // Safety: `oneshot_cases` dropped every half it opened.
        unsafe { channel.reclaim() };
    }
    fan_out_panics::broadcast(seed, &ts.of("broadcast"));
    fan_out_panics::watch_shared(seed, &ts.of("watch-shared"));
}

/// Every drop order of every member's parties, both homes.
fn drop_orders(ts: &Tallies) {
    let all = Cast {
        sender: true,
        sending: true,
        watching: true,
    };
    drop_orders::every_order(
        "mpsc",
        &|| mpsc::Ring::<Item, _>::with_capacity(2),
        2,
        all,
        &ts.of("mpsc"),
    );
    drop_orders::every_order(
        "mpmc",
        &|| mpmc::Ring::<Item, _>::with_capacity(2),
        2,
        all,
        &ts.of("mpmc"),
    );
    drop_orders::every_order("slot", &Slot::<Item>::new, 1, all, &ts.of("slot"));
    drop_orders::every_order(
        "user core",
        &|| Mailbox::new(2),
        2,
        all,
        &ts.of("user-core"),
    );
    let alone = |sender, sending, watching| Cast {
        sender,
        sending,
        watching,
    };
    for cast in [
        alone(true, false, false),
        alone(false, true, false),
        alone(false, false, true),
    ] {
        drop_orders::every_order(
            "spsc",
            &|| spsc::Ring::<Item, _>::with_capacity(2),
            2,
            cast,
            &ts.of("spsc"),
        );
    }
    let no_blocking = alone(true, false, true);
    drop_orders::every_order(
        "watch",
        &Latest::<Item>::new,
        1,
        no_blocking,
        &ts.of("watch"),
    );
    drop_orders::every_order(
        "oneshot",
        &Once::<Item>::new,
        0,
        alone(false, false, true),
        &ts.of("oneshot"),
    );
    fan_out_drop_orders::broadcast(&ts.of("broadcast"));
    fan_out_drop_orders::watch_shared(&ts.of("watch-shared"));
}

fn quick(label: &str, run: impl Fn(u64, &Tallies)) {
    quiet_injected_panics();
    let tallies = Tallies::default();
    let start = Instant::now();
    for seed in 0..QUICK_SEEDS {
        run(seed, &tallies);
    }
    tallies.print(label, start.elapsed().as_secs_f64());
    assert_eq!(tallies.failures(), 0);
}

#[test]
#[cfg_attr(miri, ignore = "executors and forgotten futures: not under Miri")]
fn random_cancellation_loses_and_duplicates_nothing() {
    quick("cancellation", |seed, ts| {
        cancellation(Exec::TokioMultiThread, seed, ts)
    });
}

#[test]
#[cfg_attr(miri, ignore = "executors and forgotten futures: not under Miri")]
fn forgotten_futures_leave_the_channel_working() {
    quick("forgotten", |seed, ts| {
        forgotten(Exec::TokioMultiThread, seed, ts)
    });
}

/// The same two workloads on the other executors: nothing may depend on
/// tokio's multi-threaded scheduling. Under Miri, random cancellation on
/// `futures`' local pool only.
#[test]
fn cancellation_and_forgotten_futures_on_other_executors() {
    if cfg!(miri) {
        quick("FuturesLocalPool", |seed, ts| {
            cancellation(Exec::FuturesLocalPool, seed, ts);
        });
        return;
    }
    for exec in &Exec::ALL[1..] {
        quick(&format!("{exec:?}"), |seed, ts| {
            cancellation(*exec, seed, ts);
            forgotten(*exec, seed, ts);
        });
    }
}

/// The members with many receivers that are not declared with the
/// attribute: `broadcast` (every value once per receiver) and
/// `watch::shared` (every change told once, none lost).
#[test]
fn broadcast_and_watch_shared_account_for_every_value() {
    let execs: &[Exec] = if cfg!(miri) {
        &[Exec::FuturesLocalPool]
    } else {
        &Exec::ALL
    };
    for &exec in execs {
        quick(&format!("many-receivers {exec:?}"), |seed, ts| {
            broadcasting(exec, seed, ts);
            watching(exec, seed, ts);
        });
    }
}

#[test]
fn panics_leave_the_channel_as_documented() {
    quick("panics", panicking);
}

#[test]
fn every_drop_order_drops_every_item_once() {
    quick("drop-orders", |_, tally| drop_orders(tally));
}

/// The soak mode: every category, over fresh seeds, for `SOAK_SECS`.
#[test]
#[ignore = "the soak mode: SOAK_SECS=600 cargo test --release -p diatomic-tests --test faults soak -- --ignored --nocapture"]
fn soak() {
    quiet_injected_panics();
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let tallies = Tallies::default();
    let start = Instant::now();
    let mut seed = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let mut passes = [0u64; 4];
    while Instant::now() < deadline {
        // Each seed on the next executor, tokio's multi-threaded one first.
        let exec = Exec::ALL[(seed % 4) as usize];
        passes[(seed % 4) as usize] += 1;
        cancellation(exec, seed, &tallies);
        forgotten(exec, seed, &tallies);
        panicking(seed, &tallies);
        broadcasting(exec, seed, &tallies);
        watching(exec, seed, &tallies);
        if seed.is_multiple_of(8) {
            drop_orders(&tallies);
        }
        seed += 1;
    }
    tallies.print("soak", start.elapsed().as_secs_f64());
    println!("faults-summary soak all last_seed {}", seed - 1);
    for (exec, passes) in Exec::ALL.iter().zip(passes) {
        println!("faults-summary soak executor {exec:?} {passes}");
    }
    assert_eq!(tallies.failures(), 0);
}
