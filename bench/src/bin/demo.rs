//! The showcase: a short funnel (capacities 1, 10, 100) and a short pinball
//! (4 and 64 balls per graph), our channels (`mpsc`, `mpsc` with senders
//! that may overtake, `slot`, and a user's core over `ArrayQueue`) next to
//! tokio's mpsc, tachyonix and kanal (the strongest peer where senders
//! block); then one line for each other member of the family, against its
//! peers: `spsc` (capacity 256, against
//! async-ringbuf and every MPSC channel), `oneshot` (one client's
//! request-reply, against tokio's and the `oneshot` crate's), `watch` (one
//! sender, a slower reader, against tokio's), `watch::shared` (one sender,
//! 16 receivers that wait for a change and read it, against tokio's),
//! `mpmc` (a work pool of 7
//! senders and 7 receivers per channel, capacity 100, against
//! async-channel, flume and kanal), and `mpsc` from threads (4
//! producer threads, capacity 16, against crossbeam-channel, flume, kanal
//! and `std`). About 20 s on two cores.
//!
//! Run with `cargo run --release -p diatomic-bench --bin demo`. It shows its
//! progress on stderr and ends with a table of messages per microsecond and
//! the ratios ours/peer (above 1: ours is faster), then the six lines. The
//! full comparison, against every peer, is
//! `cargo bench -p diatomic-bench --bench channels`.

use std::time::Instant;

use diatomic_bench::contenders::{
    Kanal, Mpsc, OursArrayQueue, OursMpsc, OursMpscOvertaking, OursSlot, Tachyonix, TokioMpsc,
};
use diatomic_bench::progress::ProgressLine;
use diatomic_bench::run;
use diatomic_bench::workload::Mode;
use diatomic_bench::workloads::{
    fan_out, funnel, oneshot, pinball, pool, spsc, thread_funnel, watch, watch_many,
};
use diatomic_bench::{machine, report};

fn main() {
    let started = Instant::now();
    println!("diatomic-channels demo: {}", machine::describe());
    println!("runtime: tokio multi-threaded, {} workers", run::workers());
    // Full-length samples, on few points and contenders: about 12 s.
    let mode = Mode::Full;
    let mut workloads = vec![
        funnel::workload(mode, &[1, 10, 100]),
        pinball::workload(mode, &[4, 64]),
    ];
    let names = [
        OursMpsc::NAME,
        // The same ring, with senders allowed to overtake waiting ones.
        OursMpscOvertaking::NAME,
        OursArrayQueue::NAME,
        OursSlot::NAME,
        TokioMpsc::NAME,
        Tachyonix::NAME,
        // The strongest peer where senders block.
        <Kanal as Mpsc>::NAME,
    ];
    for workload in &mut workloads {
        workload.keep_contenders(&names);
    }
    // The other members: one point each, every contender, short samples
    // (about 2 s in all).
    let members = vec![
        spsc::workload(Mode::Quick, &[256]),
        oneshot::workload(Mode::Quick, &[1]),
        watch::workload(Mode::Quick, &[1]),
        watch_many::workload(Mode::Quick, &[16]),
        fan_out::workload(Mode::Quick, &[16]),
        pool::workload(Mode::Quick, &[100]),
        thread_funnel::workload(Mode::Quick, &[16]),
    ];
    let rt = run::runtime();
    let mut progress = ProgressLine::new();
    let mut tables = Vec::new();
    for workload in &workloads {
        let records = run::run_workload(&rt, workload, mode, &mut |p| progress.update(p));
        tables.push(report::tables(workload, &records));
    }
    let mut lines = Vec::new();
    for workload in &members {
        let records = run::run_workload(&rt, workload, Mode::Quick, &mut |p| progress.update(p));
        lines.push(report::summary_line(&report::outcomes(workload, &records)));
    }
    progress.clear();
    for table in tables {
        println!("\n{table}");
    }
    println!("the family's other members (above 1x: ours is faster):");
    for line in lines {
        println!("{line}");
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
}
