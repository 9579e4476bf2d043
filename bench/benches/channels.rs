//! Async channel workloads, ours against the crates users would otherwise
//! pick, all in one run on one tokio multi-threaded runtime (one worker per
//! core). MPSC channels: *funnel* (61 rigs of 13 senders and 1 receiver,
//! capacities 1 to 10 000), *pinball* (61 complete graphs of 13 nodes, balls
//! doing a random walk) and *ping-pong* (round trip through two capacity-1
//! channels). The family's other members: *spsc* (one producer streaming to
//! one consumer, capacities 16 to 4096, against async-ringbuf and every
//! MPSC channel), *oneshot* (a request-reply through a new oneshot channel
//! each time, 1 and 16 clients) and *watch* (sends per microsecond with a
//! slower reader, 1 and 4 senders). The funnel and the pinball run again on
//! tokio's current-thread runtime and on an oversubscribed multi-threaded
//! one (4 workers per core: where a spinning lock collapses), with the
//! contention issue's target (`mpsc` at or above the best MPSC peer). The
//! blocking calls: *thread-funnel* and *thread-ping-pong* (threads only,
//! against crossbeam-channel, flume, kanal and `std`), *threads-to-task*
//! and *tasks-to-thread* (one channel between threads and tasks).
//!
//! Run with `cargo bench -p diatomic-bench --bench channels`; options after
//! `--`: `--quick` (a short run, about 45 s on two cores; what CI runs),
//! `--counts` (the diagnostic mode: task polls and wakes per message next
//! to each throughput, see `diatomic_bench::counts`), `--out
//! DIR` (default `bench/results/`, or `target/diatomic-bench/` with
//! `--quick`; a relative DIR is taken from `bench/`, where cargo runs
//! benchmarks), and substrings of `workload/point` names to run only those
//! points, e.g. `-- --quick funnel`, `-- spsc oneshot watch` or `-- cap=1`.
//! It prints a table per workload and the targets (met or missed), and
//! writes `channels.csv` (every sample) and one SVG plot per workload into
//! the output directory. A filtered run writes only what it ran, so give a
//! partial run its own `--out`.
//!
//! Ratios are ours/peer for throughputs and rates, peer/ours for round-trip
//! times: above 1, ours is faster. The machines are shared and noisy: read the
//! ratios and the ranges, not single figures. The harness is the library in
//! `bench/src/`.

use std::time::Instant;

use diatomic_bench::options::Options;
use diatomic_bench::progress::ProgressLine;
use diatomic_bench::run;
use diatomic_bench::{csv, machine, plot, report, workloads};

fn main() {
    let options = Options::parse(std::env::args().skip(1));
    diatomic_bench::counts::set_enabled(options.counts);
    let started = Instant::now();
    println!("diatomic-bench channels, {:?} mode", options.mode);
    if options.counts {
        println!(
            "counting task polls and wakes per message: the throughputs of this run \
             are not comparable with a normal run's"
        );
    }
    println!("machine: {}", machine::describe());
    println!("runtime: tokio multi-threaded, {} workers", run::workers());
    let rt = run::runtime();
    let mut progress = ProgressLine::new();
    let mut runs = Vec::new();
    let mut outcomes = Vec::new();
    for mut workload in workloads::all(options.mode) {
        workload.filter_points(&options.filters);
        if workload.points.is_empty() {
            continue;
        }
        // The default runtime is built once; the others per workload.
        let other;
        let on = if workload.flavor == run::Flavor::MultiThread {
            &rt
        } else {
            other = workload.flavor.runtime();
            &other
        };
        let records = run::run_workload(on, &workload, options.mode, &mut |p| {
            progress.update(p);
        });
        progress.clear();
        println!("\n{}", report::tables(&workload, &records));
        outcomes.extend(report::outcomes(&workload, &records));
        runs.push((workload, records));
    }
    if runs.is_empty() {
        println!("no point matches {:?}", options.filters);
        return;
    }
    if !outcomes.is_empty() {
        println!("{}", report::targets(&outcomes));
    }

    std::fs::create_dir_all(&options.out).expect("create the output directory");
    // Say where the files go in full: a relative `--out` is taken from the
    // directory cargo runs benchmarks in, which may not be the caller's.
    let out = std::fs::canonicalize(&options.out).unwrap_or_else(|_| options.out.clone());
    let csv_path = out.join("channels.csv");
    csv::write(&csv_path, &runs).expect("write the CSV");
    println!("wrote {}", csv_path.display());
    let subtitle = format!("{:?} mode, {}", options.mode, machine::describe());
    for (workload, records) in &runs {
        if let Some(how) = workload.plot {
            let path = out.join(format!("{}.svg", workload.name));
            plot::draw(&path, workload, how, records, &subtitle).expect("draw the plot");
            println!("wrote {}", path.display());
        }
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
}
