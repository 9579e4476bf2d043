//! What a workload is: its points, the contenders that run them (data, so
//! that a caller may keep only some), and what one run measures.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::marker::PhantomData;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::contenders::{mpsc_contenders, Mpsc, MpscVisitor};

/// How long the suite runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Short samples, few of them: for CI and the demo.
    Quick,
    /// Samples of roughly 50-200 ms, enough of them for a spread.
    Full,
}

impl Mode {
    /// Samples per contender and point.
    pub fn samples(self) -> usize {
        match self {
            Mode::Quick => 3,
            Mode::Full => 7,
        }
    }

    /// Whether every contender runs each point once, untimed, first.
    pub fn warm_up(self) -> bool {
        self == Mode::Full
    }
}

/// What a workload reports, and which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Messages per microsecond: higher is better.
    Throughput,
    /// Nanoseconds per round trip: lower is better.
    RoundTrip,
}

impl Metric {
    /// The unit, for headers and the CSV.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Throughput => "msg/us",
            Metric::RoundTrip => "ns/round-trip",
        }
    }

    /// How much faster `ours` is than `peer` (above 1: ours is faster):
    /// ours/peer for a throughput, peer/ours for a time.
    pub fn speedup(self, ours: f64, peer: f64) -> f64 {
        match self {
            Metric::Throughput => ours / peer,
            Metric::RoundTrip => peer / ours,
        }
    }
}

/// One configuration of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Short name, e.g. `cap=10`; the filter matches `workload/label`.
    pub label: String,
    /// Abscissa in the plot (the capacity, the number of balls).
    pub x: f64,
    /// Capacity of each channel.
    pub capacity: usize,
    /// Balls per graph (pinball only; 0 elsewhere).
    pub balls: usize,
    /// Amount of work per sample: messages per sender, hops per graph or
    /// round trips.
    pub count: u64,
}

/// What one run of one contender at one point measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    /// Messages delivered, or round trips made.
    pub ops: u64,
    /// Wall time they took.
    pub elapsed: Duration,
}

impl Measurement {
    /// The value reported under `metric`.
    pub fn value(&self, metric: Metric) -> f64 {
        let nanos = self.elapsed.as_nanos().max(1) as f64;
        match metric {
            Metric::Throughput => self.ops as f64 * 1e3 / nanos,
            Metric::RoundTrip => nanos / self.ops.max(1) as f64,
        }
    }
}

/// One contender, ready to run a workload's points.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The contender's name.
    pub name: &'static str,
    /// One of ours.
    pub ours: bool,
    /// Whether it can run a point (e.g. `slot` only at capacity 1).
    pub accepts: fn(&Point) -> bool,
    /// Runs one sample of a point.
    pub run: fn(&Runtime, &Point) -> Measurement,
}

/// A workload over MPSC channels, written once for any contender.
pub trait MpscWorkload: 'static {
    /// Runs one sample of `point` with contender `C` on `rt`.
    fn run<C: Mpsc>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One [`Runner`] per MPSC contender, for workload `W`.
pub fn mpsc_runners<W: MpscWorkload>() -> Vec<Runner> {
    mpsc_contenders(&mut MakeRunner::<W>(PhantomData))
}

struct MakeRunner<W>(PhantomData<W>);

impl<W: MpscWorkload> MpscVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Mpsc>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |point| C::accepts(point.capacity),
            run: W::run::<C>,
        }
    }
}

/// How a workload is plotted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plot {
    /// Label of the abscissa.
    pub x_label: &'static str,
    /// Logarithmic abscissa.
    pub log_x: bool,
}

/// A workload: its points and its contenders.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Its name, e.g. `funnel`.
    pub name: &'static str,
    /// One line saying what it does, printed above its table.
    pub description: String,
    /// What it reports.
    pub metric: Metric,
    /// How it is plotted, if it is.
    pub plot: Option<Plot>,
    /// Its points, in order.
    pub points: Vec<Point>,
    /// Its contenders, ours first.
    pub runners: Vec<Runner>,
}

impl Workload {
    /// The name the filter matches for `point`: `workload/label`.
    pub fn point_name(&self, point: &Point) -> String {
        format!("{}/{}", self.name, point.label)
    }

    /// Keeps the points whose name contains one of `filters` (all of them
    /// if there is no filter).
    pub fn filter_points(&mut self, filters: &[String]) {
        if filters.is_empty() {
            return;
        }
        let names: Vec<String> = self.points.iter().map(|p| self.point_name(p)).collect();
        let mut keep = names
            .iter()
            .map(|n| filters.iter().any(|f| n.contains(f.as_str())));
        self.points.retain(|_| keep.next().unwrap_or(false));
    }

    /// Keeps the contenders named in `names`.
    pub fn keep_contenders(&mut self, names: &[&str]) {
        self.runners.retain(|r| names.contains(&r.name));
    }
}
