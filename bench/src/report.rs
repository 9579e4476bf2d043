//! The printed tables of a workload: every contender's median and range, then
//! ours against each peer, as ratios where above 1 means ours is faster (and,
//! where the receiver does not get every message, how many it got); then
//! the targets, met or missed.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::fmt::Write;

use crate::run::Record;
use crate::stats::Summary;
use crate::workload::{Metric, Target, Workload};

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
    if metric.higher_is_better() {
        format!("{v:.2}")
    } else {
        format!("{v:.0}")
    }
}

/// The medians, over the samples of `contender` at `point`, of its task
/// polls and wakes per operation, if they were counted.
fn per_message_counts(records: &[Record], point: &str, contender: &str) -> Option<(f64, f64)> {
    let mut polls = Vec::new();
    let mut wakes = Vec::new();
    for r in records
        .iter()
        .filter(|r| r.point == point && r.contender == contender)
    {
        let (p, w) = r.counts?;
        let ops = r.ops.max(1) as f64;
        polls.push(p as f64 / ops);
        wakes.push(w as f64 / ops);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    Some((median(polls)?, median(wakes)?))
}

/// Both tables of `workload` for `records`.
pub fn tables(workload: &Workload, records: &[Record]) -> String {
    let metric = workload.metric;
    let better = if metric.higher_is_better() {
        "higher is better"
    } else {
        "lower is better"
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
    let counted = records.iter().any(|r| r.counts.is_some());
    let _ = writeln!(
        out,
        "{:<12} {:<17} {:>10}   min..max{}",
        "point",
        "contender",
        "median",
        if counted {
            "      polls/msg  wakes/msg (medians)"
        } else {
            ""
        }
    );
    for point in &workload.points {
        for runner in &workload.runners {
            if let Some(s) = summary(records, &point.label, runner.name) {
                let range = format!("{}..{}", value(metric, s.min), value(metric, s.max));
                let _ = write!(
                    out,
                    "{:<12} {:<17} {:>10}   {}",
                    point.label,
                    runner.name,
                    value(metric, s.median),
                    range,
                );
                if let Some((polls, wakes)) = per_message_counts(records, &point.label, runner.name)
                {
                    let _ = write!(
                        out,
                        "{:pad$}{polls:>9.2}  {wakes:>9.2}",
                        "",
                        pad = 14usize.saturating_sub(range.len())
                    );
                }
                out.push('\n');
            }
        }
    }
    let peers: Vec<_> = workload.runners.iter().filter(|r| !r.ours).collect();
    let ratio = if metric.higher_is_better() {
        "ours/peer"
    } else {
        "peer/ours"
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
    out.push_str(&received(workload, records));
    out
}

/// The values the receiver got, per point and contender, where that is not
/// every message (empty otherwise).
fn received(workload: &Workload, records: &[Record]) -> String {
    if records.iter().all(|r| r.received.is_none()) {
        return String::new();
    }
    let mut out = String::from(
        "\nvalues the receiver got (median, min..max; the median's share of the sends)\n",
    );
    for point in &workload.points {
        for runner in &workload.runners {
            let mine: Vec<&Record> = records
                .iter()
                .filter(|r| r.point == point.label && r.contender == runner.name)
                .collect();
            let got: Vec<f64> = mine
                .iter()
                .filter_map(|r| r.received)
                .map(|n| n as f64)
                .collect();
            let (Some(s), Some(first)) = (Summary::of(&got), mine.first()) else {
                continue;
            };
            let _ = writeln!(
                out,
                "{:<12} {:<17} {:>10.0}   {:.0}..{:.0}   {:.2}%",
                point.label,
                runner.name,
                s.median,
                s.min,
                s.max,
                100.0 * s.median / first.ops.max(1) as f64,
            );
        }
    }
    out
}

/// One target at one point: ours against the best of its peers there.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The workload's name.
    pub workload: &'static str,
    /// The point's label.
    pub point: String,
    /// The target.
    pub target: Target,
    /// Our median.
    pub ours: f64,
    /// The best peer there, and its median.
    pub best: (&'static str, f64),
    /// The speedup (above 1: ours is faster).
    pub ratio: f64,
    /// The workload's unit.
    pub unit: &'static str,
}

impl Outcome {
    /// Whether the target is met.
    pub fn met(&self) -> bool {
        self.ratio >= self.target.factor
    }

    /// One line: where, against whom, the figures, the ratio, met or missed.
    pub fn line(&self) -> String {
        let who = if self.target.peers.len() > 1 {
            format!("{} ({})", self.target.against, self.best.0)
        } else {
            self.target.against.to_string()
        };
        format!(
            "{:<22} {} {:.2} vs {} {:.2} {}: {:.2}x, target >= {:.2}x: {}",
            format!("{}/{}", self.workload, self.point),
            self.target.ours,
            self.ours,
            who,
            self.best.1,
            self.unit,
            self.ratio,
            self.target.factor,
            if self.met() { "met" } else { "MISSED" },
        )
    }
}

/// Every target of `workload` at every point that ours and a peer ran.
pub fn outcomes(workload: &Workload, records: &[Record]) -> Vec<Outcome> {
    let metric = workload.metric;
    let mut all = Vec::new();
    for target in &workload.targets {
        for point in &workload.points {
            let Some(mine) = summary(records, &point.label, target.ours) else {
                continue;
            };
            // The best peer: the one ours is the least faster than.
            let best = target
                .peers
                .iter()
                .filter_map(|&peer| summary(records, &point.label, peer).map(|s| (peer, s.median)))
                .min_by(|a, b| {
                    let (ra, rb) = (
                        metric.speedup(mine.median, a.1),
                        metric.speedup(mine.median, b.1),
                    );
                    ra.total_cmp(&rb)
                });
            if let Some(best) = best {
                all.push(Outcome {
                    workload: workload.name,
                    point: point.label.clone(),
                    target: target.clone(),
                    ours: mine.median,
                    best,
                    ratio: metric.speedup(mine.median, best.1),
                    unit: metric.unit(),
                });
            }
        }
    }
    all
}

/// One line for one point of a workload: ours, then each target's peer,
/// ratio and verdict (`outcomes` are that point's, all for the same ours).
pub fn summary_line(outcomes: &[Outcome]) -> String {
    let Some(first) = outcomes.first() else {
        return String::new();
    };
    let mut line = format!(
        "{:<18} {} {:.2} {}",
        format!("{}/{}:", first.workload, first.point),
        first.target.ours,
        first.ours,
        first.unit
    );
    let mut ours = first.target.ours;
    for o in outcomes {
        if o.target.ours != ours {
            // Another of ours (e.g. the other policy): named with its figure.
            ours = o.target.ours;
            let _ = write!(line, "; {ours} {:.2} {}", o.ours, o.unit);
        }
        let who = if o.target.peers.len() > 1 {
            format!("{} ({})", o.target.against, o.best.0)
        } else {
            o.target.against.to_string()
        };
        let _ = write!(
            line,
            "; vs {who} {:.2}: {:.2}x ({})",
            o.best.1,
            o.ratio,
            if o.met() {
                "target met"
            } else {
                "target missed"
            }
        );
    }
    line
}

/// The targets section: one line per target and point, then the count met.
pub fn targets(outcomes: &[Outcome]) -> String {
    let mut out = String::from("== targets: ours against the peers named, at each point ==\n");
    for outcome in outcomes {
        let _ = writeln!(out, "{}", outcome.line());
    }
    let met = outcomes.iter().filter(|o| o.met()).count();
    let _ = writeln!(out, "{met} of {} met", outcomes.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Record;
    use crate::workload::{Measurement, Point, Runner};

    fn record(contender: &'static str, ours: bool, value: f64) -> Record {
        Record {
            counts: None,
            workload: "w",
            point: "p".to_string(),
            x: 1.0,
            contender,
            ours,
            sample: 0,
            ops: 1,
            nanos: 1,
            value,
            received: None,
        }
    }

    fn workload(metric: Metric, factor: f64) -> Workload {
        let runner = |name, ours| Runner {
            name,
            ours,
            accepts: |_| true,
            run: |_, _| Measurement::new(1, std::time::Duration::from_nanos(1)),
        };
        Workload {
            flavor: crate::run::Flavor::MultiThread,
            name: "w",
            description: String::new(),
            metric,
            plot: None,
            points: vec![Point {
                label: "p".to_string(),
                x: 1.0,
                capacity: 1,
                balls: 0,
                tasks: 0,
                count: 1,
            }],
            runners: vec![runner("ours", true), runner("b", false), runner("c", false)],
            targets: vec![Target {
                ours: "ours",
                against: "the best peer",
                peers: vec!["b", "c"],
                factor,
            }],
        }
    }

    #[test]
    fn a_target_holds_ours_against_the_best_peer() {
        let records = [
            record("ours", true, 30.0),
            record("b", false, 10.0),
            record("c", false, 20.0),
        ];
        // A rate: the best peer is the fastest, c.
        let o = outcomes(&workload(Metric::Throughput, 2.0), &records);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].best, ("c", 20.0));
        assert_eq!(o[0].ratio, 1.5);
        assert!(!o[0].met());
        assert!(outcomes(&workload(Metric::Throughput, 1.5), &records)[0].met());
        // A time: the best peer is the quickest, b; ours is slower.
        let o = outcomes(&workload(Metric::RoundTrip, 1.0), &records);
        assert_eq!(o[0].best, ("b", 10.0));
        assert!(!o[0].met());
        assert!(targets(&o).ends_with("0 of 1 met\n"));
    }
}
