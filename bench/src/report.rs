//! The printed tables of a workload: every contender's median and range, then
//! ours against each peer, as ratios where above 1 means ours is faster.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::fmt::Write;

use crate::run::Record;
use crate::stats::Summary;
use crate::workload::{Metric, Workload};

/// Width of a peer's column in the ratio table.
const CELL: usize = 17;

/// The median and range of `contender` at `point`, from `records`.
pub fn summary(records: &[Record], point: &str, contender: &str) -> Option<Summary> {
    let values: Vec<f64> = records
        .iter()
        .filter(|r| r.point == point && r.contender == contender)
        .map(|r| r.value)
        .collect();
    Summary::of(&values)
}

/// A value as the tables show it.
fn value(metric: Metric, v: f64) -> String {
    match metric {
        Metric::Throughput => format!("{v:.2}"),
        Metric::RoundTrip => format!("{v:.0}"),
    }
}

/// Both tables of `workload` for `records`.
pub fn tables(workload: &Workload, records: &[Record]) -> String {
    let metric = workload.metric;
    let better = match metric {
        Metric::Throughput => "higher is better",
        Metric::RoundTrip => "lower is better",
    };
    let samples = records.iter().map(|r| r.sample + 1).max().unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "== {}: {} ({}, {better}; {samples} samples) ==",
        workload.name,
        workload.description,
        metric.unit(),
    );
    let _ = writeln!(
        out,
        "{:<12} {:<17} {:>10}   min..max",
        "point", "contender", "median"
    );
    for point in &workload.points {
        for runner in &workload.runners {
            if let Some(s) = summary(records, &point.label, runner.name) {
                let _ = writeln!(
                    out,
                    "{:<12} {:<17} {:>10}   {}..{}",
                    point.label,
                    runner.name,
                    value(metric, s.median),
                    value(metric, s.min),
                    value(metric, s.max),
                );
            }
        }
    }
    let peers: Vec<_> = workload.runners.iter().filter(|r| !r.ours).collect();
    let ratio = match metric {
        Metric::Throughput => "ours/peer",
        Metric::RoundTrip => "peer/ours",
    };
    let _ = writeln!(
        out,
        "\n{ratio} per peer (above 1: ours is faster); each cell: peer median, ratio"
    );
    let _ = write!(out, "{:<12} {:<28}", "point", "ours (median)");
    for peer in &peers {
        let _ = write!(out, "{:>CELL$}", peer.name);
    }
    out.push('\n');
    for point in &workload.points {
        for ours in workload.runners.iter().filter(|r| r.ours) {
            let Some(mine) = summary(records, &point.label, ours.name) else {
                continue;
            };
            let who = format!("{} {}", ours.name, value(metric, mine.median));
            let _ = write!(out, "{:<12} {:<28}", point.label, who);
            for peer in &peers {
                let cell = match summary(records, &point.label, peer.name) {
                    Some(theirs) => format!(
                        "{} {:.2}x",
                        value(metric, theirs.median),
                        metric.speedup(mine.median, theirs.median)
                    ),
                    None => "-".to_string(),
                };
                let _ = write!(out, "{cell:>CELL$}");
            }
            out.push('\n');
        }
    }
    out
}
