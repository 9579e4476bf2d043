//! Fault injection, for every member of the family in both homes (an `Arc`
//! and a `static` channel) and for a user's core declared with the
//! attribute (`user_core.rs`), with contention on tokio's multi-threaded
//! runtime where it matters:
//!
//! - random cancellation of `send` and `recv` in `select!` (`cancel.rs`);
//! - forgotten futures (`forget.rs`);
//! - panics in items' `Drop`, wakers and cores (`panics.rs`);
//! - drop orders of every party (`drop_orders.rs`).
//!
//! Every item is accounted for in a ledger (`ledger.rs`): received, handed
//! back, or dropped, exactly once (an item left in a future forgotten on
//! purpose may leak). A normal run does a few seeds of each; the soak mode
//! (`SOAK_SECS=600 cargo test --release -p diatomic-tests --test faults
//! soak -- --ignored --nocapture`) loops over seeds for that long and
//! prints the totals: items by fate, faults by kind, and items lost.
#![cfg(not(miri))] // tokio's multi-threaded runtime; the channels' own tests run under Miri

mod cancel;
mod drop_orders;
mod forget;
mod harness;
mod ledger;
mod panics;
mod user_core;

use std::sync::Arc;
use std::time::{Duration, Instant};

use diatomic_channels::oneshot::{self, Once};
use diatomic_channels::slot::Slot;
use diatomic_channels::watch::{self, Latest};
use diatomic_channels::{mpsc, spsc};

use drop_orders::Cast;
use harness::{in_both_homes, Leaked};
use ledger::{Item, Tallies};
use user_core::{Mailbox, Switches};

/// Seeds per category in a normal test run.
const QUICK_SEEDS: u64 = 3;

/// Runs `$body` with `($tx, $rx)` the halves of a `watch` channel: the
/// named sender and the generic receiver, in both homes.
macro_rules! watch_in_both_homes {
    (|$home:ident, $tx:ident, $rx:ident| $body:block) => {{
        {
            let $home = "arc";
            let ($tx, rx) = watch::channel::<Item>();
            let $rx = rx.into_inner();
            $body
        }
        {
            let $home = "static";
            let leaked = Leaked::new(Latest::<Item>::new());
            let ($tx, rx) = watch::split(leaked.channel()).expect("split once");
            let $rx = rx.into_inner();
            $body
            // Safety: the body consumed both halves and joined its tasks.
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

/// Random cancellation, every member, both homes.
fn cancellation(seed: u64, ts: &Tallies) {
    let cap = 1 + (seed % 3) as usize;
    let n = 150;
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        cancel::round(
            &format!("mpsc cap {cap}/{home}"),
            tx,
            rx,
            seed,
            3,
            n,
            &ts.of("mpsc"),
        );
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        cancel::round(
            &format!("spsc cap {cap}/{home}"),
            tx,
            rx,
            seed,
            1,
            3 * n,
            &ts.of("spsc"),
        );
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        cancel::round(&format!("slot/{home}"), tx, rx, seed, 3, n, &ts.of("slot"));
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        cancel::round(
            &format!("user core cap {cap}/{home}"),
            tx,
            rx,
            seed,
            3,
            n,
            &ts.of("user-core"),
        );
    });
    watch_in_both_homes!(|home, tx, rx| {
        cancel::round(
            &format!("watch/{home}"),
            tx,
            rx,
            seed,
            3,
            n,
            &ts.of("watch"),
        );
    });
    cancel::oneshot_round("arc", seed, 100, &ts.of("oneshot"));
    cancel::oneshot_round("static", seed, 100, &ts.of("oneshot"));
}

/// Forgotten futures, every member that has a pending future to forget.
fn forgotten(seed: u64, ts: &Tallies) {
    let cap = 1 + (seed % 3) as usize;
    let n = 200;
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        forget::forgotten_futures(
            &format!("mpsc cap {cap}/{home}"),
            tx,
            rx,
            cap,
            3,
            n,
            &ts.of("mpsc"),
        );
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        forget::forgotten_futures(
            &format!("spsc cap {cap}/{home}"),
            tx,
            rx,
            cap,
            1,
            n,
            &ts.of("spsc"),
        );
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        forget::forgotten_futures(&format!("slot/{home}"), tx, rx, 1, 3, n, &ts.of("slot"));
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        forget::forgotten_futures(
            &format!("user core/{home}"),
            tx,
            rx,
            cap,
            3,
            n,
            &ts.of("user-core"),
        );
    });
    watch_in_both_homes!(|home, tx, rx| {
        forget::forgotten_futures(&format!("watch/{home}"), tx, rx, 1, 3, n, &ts.of("watch"));
    });
}

/// Panics in items, wakers and the user's core.
fn panicking(seed: u64, ts: &Tallies) {
    let cap = 1 + (seed % 3) as usize;
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::item_drop(&format!("mpsc/{home}"), tx, rx, cap, &ts.of("mpsc"));
    });
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::receiver_wake(&format!("mpsc/{home}"), tx, rx, &ts.of("mpsc"));
    });
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::sender_wake(&format!("mpsc/{home}"), tx, rx, cap, &ts.of("mpsc"));
    });
    in_both_homes!(mpsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::waker_clone(&format!("mpsc/{home}"), tx, rx, cap, true, &ts.of("mpsc"));
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::item_drop(&format!("spsc/{home}"), tx, rx, cap, &ts.of("spsc"));
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::receiver_wake(&format!("spsc/{home}"), tx, rx, &ts.of("spsc"));
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::sender_wake(&format!("spsc/{home}"), tx, rx, cap, &ts.of("spsc"));
    });
    in_both_homes!(spsc::Ring::<Item, _>::with_capacity(cap), |home, tx, rx| {
        panics::waker_clone(&format!("spsc/{home}"), tx, rx, cap, true, &ts.of("spsc"));
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        panics::item_drop(&format!("slot/{home}"), tx, rx, 1, &ts.of("slot"));
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        panics::receiver_wake(&format!("slot/{home}"), tx, rx, &ts.of("slot"));
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        panics::sender_wake(&format!("slot/{home}"), tx, rx, 1, &ts.of("slot"));
    });
    in_both_homes!(Slot::<Item>::new(), |home, tx, rx| {
        panics::waker_clone(&format!("slot/{home}"), tx, rx, 1, true, &ts.of("slot"));
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        panics::item_drop(
            &format!("user core/{home}"),
            tx,
            rx,
            cap,
            &ts.of("user-core"),
        );
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        panics::receiver_wake(&format!("user core/{home}"), tx, rx, &ts.of("user-core"));
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        panics::sender_wake(
            &format!("user core/{home}"),
            tx,
            rx,
            cap,
            &ts.of("user-core"),
        );
    });
    in_both_homes!(Mailbox::new(cap), |home, tx, rx| {
        panics::waker_clone(
            &format!("user core/{home}"),
            tx,
            rx,
            cap,
            true,
            &ts.of("user-core"),
        );
    });
    let switches = Arc::new(Switches::default());
    in_both_homes!(
        Mailbox::with_switches(2, switches.clone()),
        |home, tx, rx| {
            panics::core_push_pop(
                &format!("user core/{home}"),
                tx,
                rx,
                &switches,
                &ts.of("user-core"),
            );
        }
    );
    watch_in_both_homes!(|home, tx, rx| {
        panics::item_drop(&format!("watch/{home}"), tx, rx, 1, &ts.of("watch"));
    });
    watch_in_both_homes!(|home, tx, rx| {
        panics::receiver_wake(&format!("watch/{home}"), tx, rx, &ts.of("watch"));
    });
    watch_in_both_homes!(|home, tx, rx| {
        panics::waker_clone(&format!("watch/{home}"), tx, rx, 1, false, &ts.of("watch"));
    });
    panics::oneshot_cases("arc", &oneshot::channel, &ts.of("oneshot"));
    panics::oneshot_cases(
        "static",
        &|| {
            // Leaked for good: three small channels per call.
            let channel = Box::leak(Box::new(diatomic_channels::Channel::new(Once::new())));
            oneshot::split(channel).expect("split once")
        },
        &ts.of("oneshot"),
    );
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
fn random_cancellation_loses_and_duplicates_nothing() {
    quick("cancellation", cancellation);
}

#[test]
fn forgotten_futures_leave_the_channel_working() {
    quick("forgotten", forgotten);
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
    while Instant::now() < deadline {
        cancellation(seed, &tallies);
        forgotten(seed, &tallies);
        panicking(seed, &tallies);
        if seed.is_multiple_of(8) {
            drop_orders(&tallies);
        }
        seed += 1;
    }
    tallies.print("soak", start.elapsed().as_secs_f64());
    println!("faults-summary soak all last_seed {}", seed - 1);
    assert_eq!(tallies.failures(), 0);
}
