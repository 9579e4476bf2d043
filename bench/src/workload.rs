//! What a workload is: its points, the contenders that run them (data, so
//! that a caller may keep only some), and what one run measures.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::marker::PhantomData;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::run::Flavor;

use crate::contenders::{
    blocking_contenders, broadcast_contenders, mixed_contenders, mpmc_contenders, mpsc_contenders,
    oneshot_contenders, shared_watch_contenders, spsc_contenders, watch_contenders, Blocking,
    BlockingVisitor, Broadcast, BroadcastVisitor, Mixed, MixedVisitor, Mpmc, MpmcVisitor, Mpsc,
    MpscVisitor, Oneshot, OneshotVisitor, SharedWatch, SharedWatchVisitor, Spsc, SpscVisitor,
    Watch, WatchVisitor,
};

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
    /// Operations (of the kind the unit names, e.g. `sends/us`) per
    /// microsecond: higher is better.
    Rate(&'static str),
}

impl Metric {
    /// The unit, for headers and the CSV.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Throughput => "msg/us",
            Metric::RoundTrip => "ns/round-trip",
            Metric::Rate(unit) => unit,
        }
    }

    /// Whether a higher value is better.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::RoundTrip)
    }

    /// How much faster `ours` is than `peer` (above 1: ours is faster):
    /// ours/peer for a throughput or a rate, peer/ours for a time.
    pub fn speedup(self, ours: f64, peer: f64) -> f64 {
        if self.higher_is_better() {
            ours / peer
        } else {
            peer / ours
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
    /// Tasks on the side that varies: clients (oneshot), senders (watch);
    /// 0 elsewhere.
    pub tasks: usize,
    /// Amount of work per sample: messages per sender, hops per graph,
    /// round trips (per client), or sends per sender.
    pub count: u64,
}

/// What one run of one contender at one point measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    /// Messages delivered, or round trips made.
    pub ops: u64,
    /// Wall time they took.
    pub elapsed: Duration,
    /// Values the receiver got, where that is not every message: a
    /// latest-value channel drops the values the receiver was too slow for.
    pub received: Option<u64>,
}

impl Measurement {
    /// `ops` operations in `elapsed`, every message received.
    pub fn new(ops: u64, elapsed: Duration) -> Self {
        Self {
            ops,
            elapsed,
            received: None,
        }
    }

    /// The value reported under `metric`.
    pub fn value(&self, metric: Metric) -> f64 {
        let nanos = self.elapsed.as_nanos().max(1) as f64;
        if metric.higher_is_better() {
            self.ops as f64 * 1e3 / nanos
        } else {
            nanos / self.ops.max(1) as f64
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

/// One [`Runner`] per SPSC contender (ours, the MPSC channels with one
/// sender, async-ringbuf), for workload `W`.
/// A workload that any MPMC contender can run.
pub trait MpmcWorkload: 'static {
    /// One run of `point` with the contender `C`.
    fn run<C: Mpmc>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One runner per MPMC contender for the workload `W`.
pub fn mpmc_runners<W: MpmcWorkload>() -> Vec<Runner> {
    mpmc_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: MpmcWorkload> MpmcVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Mpmc>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |point| C::accepts(point.capacity),
            run: W::run::<C>,
        }
    }
}

pub fn spsc_runners<W: SpscWorkload>() -> Vec<Runner> {
    spsc_contenders(&mut MakeRunner::<W>(PhantomData))
}

/// A workload over SPSC channels, written once for any contender.
pub trait SpscWorkload: 'static {
    /// Runs one sample of `point` with contender `C` on `rt`.
    fn run<C: Spsc>(rt: &Runtime, point: &Point) -> Measurement;
}

impl<W: SpscWorkload> SpscVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Spsc>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |point| C::accepts(point.capacity),
            run: W::run::<C>,
        }
    }
}

/// A workload over oneshot channels, written once for any contender.
pub trait OneshotWorkload: 'static {
    /// Runs one sample of `point` with contender `C` on `rt`.
    fn run<C: Oneshot>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One [`Runner`] per oneshot contender, for workload `W`.
pub fn oneshot_runners<W: OneshotWorkload>() -> Vec<Runner> {
    oneshot_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: OneshotWorkload> OneshotVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Oneshot>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |_| true,
            run: W::run::<C>,
        }
    }
}

/// A workload over latest-value channels, written once for any contender.
pub trait WatchWorkload: 'static {
    /// Runs one sample of `point` with contender `C` on `rt`.
    fn run<C: Watch>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One [`Runner`] per latest-value contender, for workload `W`.
pub fn watch_runners<W: WatchWorkload>() -> Vec<Runner> {
    watch_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: WatchWorkload> WatchVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Watch>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |_| true,
            run: W::run::<C>,
        }
    }
}

/// A workload that any many-receiver latest-value contender can run.
pub trait SharedWatchWorkload: 'static {
    /// One run of `point` with the contender `C`.
    fn run<C: SharedWatch>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One runner per many-receiver latest-value contender for `W`.
pub fn shared_watch_runners<W: SharedWatchWorkload>() -> Vec<Runner> {
    shared_watch_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: SharedWatchWorkload> SharedWatchVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: SharedWatch>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |_| true,
            run: W::run::<C>,
        }
    }
}

/// A workload that any broadcast contender can run.
pub trait BroadcastWorkload: 'static {
    /// One run of `point` with the contender `C`.
    fn run<C: Broadcast>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One runner per broadcast contender for `W`.
pub fn broadcast_runners<W: BroadcastWorkload>() -> Vec<Runner> {
    broadcast_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: BroadcastWorkload> BroadcastVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Broadcast>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |_| true,
            run: W::run::<C>,
        }
    }
}

/// A workload over channels used from threads, written once for any
/// contender (the runtime is not used).
pub trait BlockingWorkload: 'static {
    /// Runs one sample of `point` with contender `C`.
    fn run<C: Blocking>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One [`Runner`] per thread contender, for workload `W`.
pub fn blocking_runners<W: BlockingWorkload>() -> Vec<Runner> {
    blocking_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: BlockingWorkload> BlockingVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Blocking>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |point| C::accepts(point.capacity),
            run: W::run::<C>,
        }
    }
}

/// A workload over one channel between threads and tasks, written once for
/// any contender.
pub trait MixedWorkload: 'static {
    /// Runs one sample of `point` with contender `C` on `rt`.
    fn run<C: Mixed>(rt: &Runtime, point: &Point) -> Measurement;
}

/// One [`Runner`] per mixed contender, for workload `W`.
pub fn mixed_runners<W: MixedWorkload>() -> Vec<Runner> {
    mixed_contenders(&mut MakeRunner::<W>(PhantomData))
}

impl<W: MixedWorkload> MixedVisitor for MakeRunner<W> {
    type Output = Runner;
    fn visit<C: Mixed>(&mut self) -> Runner {
        Runner {
            name: C::NAME,
            ours: C::OURS,
            accepts: |_| true,
            run: W::run::<C>,
        }
    }
}

/// How a workload is plotted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plot {
    /// One line per contender through its medians, against the points'
    /// abscissae.
    Lines {
        /// Label of the abscissa.
        x_label: &'static str,
        /// Logarithmic abscissa.
        log_x: bool,
    },
    /// One group of bars per point, one bar per contender (its median).
    Bars,
}

/// A goal for one of ours at every point: to be at least `factor` times as
/// fast as the best of `peers` there.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Our contender.
    pub ours: &'static str,
    /// The peers, as the report names them (e.g. `the best MPSC peer`).
    pub against: &'static str,
    /// The peers' names; at each point the best median of them counts.
    pub peers: Vec<&'static str>,
    /// The speedup to reach (ours/peer for a rate, peer/ours for a time).
    pub factor: f64,
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
    /// What ours should reach (none for most workloads).
    pub targets: Vec<Target>,
    /// The runtime it runs on.
    pub flavor: Flavor,
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

    /// The same workload on `flavor`'s runtime, named `name` (e.g.
    /// `funnel-current-thread`), its description saying which runtime.
    pub fn on(mut self, flavor: Flavor, name: &'static str) -> Self {
        self.description = format!("{} ({})", self.description, flavor.describe());
        self.flavor = flavor;
        self.name = name;
        self
    }

    /// Keeps the contenders named in `names`.
    pub fn keep_contenders(&mut self, names: &[&str]) {
        self.runners.retain(|r| names.contains(&r.name));
    }
}
