//! The showcase: a short funnel (capacities 1, 10, 100) and a short pinball
//! (4 and 64 balls per graph), our channels (`mpsc`, `slot`, and a user's
//! core over `ArrayQueue`) next to tokio's mpsc and tachyonix, in under a
//! minute on two cores.
//!
//! Run with `cargo run --release -p diatomic-bench --bin demo`. It shows its
//! progress on stderr and ends with a table of messages per microsecond and
//! the ratios ours/peer (above 1: ours is faster). The full comparison,
//! against every peer, is `cargo bench -p diatomic-bench --bench channels`.

use std::time::Instant;

use diatomic_bench::contenders::{Mpsc, OursArrayQueue, OursMpsc, OursSlot, Tachyonix, TokioMpsc};
use diatomic_bench::progress::ProgressLine;
use diatomic_bench::run;
use diatomic_bench::workload::Mode;
use diatomic_bench::workloads::{funnel, pinball};
use diatomic_bench::{machine, report};

fn main() {
    let started = Instant::now();
    println!("diatomic-channels demo: {}", machine::describe());
    println!("runtime: tokio multi-threaded, {} workers", run::workers());
    // Full-length samples, on few points and contenders: about 20 s.
    let mode = Mode::Full;
    let mut workloads = vec![
        funnel::workload(mode, &[1, 10, 100]),
        pinball::workload(mode, &[4, 64]),
    ];
    let names = [
        OursMpsc::NAME,
        OursArrayQueue::NAME,
        OursSlot::NAME,
        TokioMpsc::NAME,
        Tachyonix::NAME,
    ];
    for workload in &mut workloads {
        workload.keep_contenders(&names);
    }
    let rt = run::runtime();
    let mut progress = ProgressLine::new();
    let mut tables = Vec::new();
    for workload in &workloads {
        let records = run::run_workload(&rt, workload, mode, &mut |p| progress.update(p));
        tables.push(report::tables(workload, &records));
    }
    progress.clear();
    for table in tables {
        println!("\n{table}");
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
}
