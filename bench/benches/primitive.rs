//! Side-by-side benchmark of the primitive against the crates users would
//! otherwise pick, in one process: `atomic-waker`, `futures`' `AtomicWaker`
//! and diatomic-waker 0.2.3 from crates.io.
//!
//! Run with `cargo bench -p diatomic-bench --bench primitive` (`-- --quick`
//! for a short run, `-- <substring>` for one row). Each workload runs every
//! contender in interleaved rounds; the table reports the median time per
//! operation and the ratio `other / ours` (above 1: ours is faster). The
//! machine is shared and noisy: read the ratios, not the absolute times.

use std::future::Future;
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// The operations every contender offers, mapped onto its own API.
trait Contender: Send + Sync + 'static {
    const NAME: &'static str;
    fn new() -> Self;
    fn notify(&self);
    /// Safety: called by one thread at a time (the sink).
    unsafe fn register(&self, waker: &Waker);
    /// Waits until `ready` returns true, the idiomatic way for this contender.
    /// Safety: called by one thread at a time (the sink).
    unsafe fn wait<'a>(&'a self, ready: impl FnMut() -> bool + 'a)
        -> impl Future<Output = ()> + 'a;
}

struct Ours(diatomic_waker::DiatomicWaker);
struct V023(diatomic_waker_023::DiatomicWaker);
struct AtomicWakerCrate(atomic_waker::AtomicWaker);
struct FuturesAtomicWaker(futures_util::task::AtomicWaker);

/// Ours and 0.2.3 share one API, so one impl body serves both.
macro_rules! diatomic_contender {
    ($ty:ident, $krate:ident, $name:expr) => {
        impl Contender for $ty {
            const NAME: &'static str = $name;
            fn new() -> Self {
                Self($krate::DiatomicWaker::new())
            }
            fn notify(&self) {
                self.0.notify();
            }
            unsafe fn register(&self, waker: &Waker) {
                // Safety: forwarded contract.
                unsafe { self.0.register(waker) }
            }
            unsafe fn wait<'a>(
                &'a self,
                mut ready: impl FnMut() -> bool + 'a,
            ) -> impl Future<Output = ()> + 'a {
                // Safety: forwarded contract.
                unsafe { self.0.wait_until(move || ready().then_some(())) }
            }
        }
    };
}

diatomic_contender!(Ours, diatomic_waker, "ours");
diatomic_contender!(V023, diatomic_waker_023, "diatomic-waker 0.2.3");

/// The usual register-then-check future written over an `AtomicWaker`.
struct AtomicWait<'a, R, F> {
    register: R,
    ready: F,
    _p: std::marker::PhantomData<&'a ()>,
}

impl<R: Fn(&Waker) + Unpin, F: FnMut() -> bool + Unpin> Future for AtomicWait<'_, R, F> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if (self.ready)() {
            return Poll::Ready(());
        }
        (self.register)(cx.waker());
        if (self.ready)() {
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

impl Contender for AtomicWakerCrate {
    const NAME: &'static str = "atomic-waker";
    fn new() -> Self {
        Self(atomic_waker::AtomicWaker::new())
    }
    fn notify(&self) {
        self.0.wake();
    }
    unsafe fn register(&self, waker: &Waker) {
        self.0.register(waker);
    }
    unsafe fn wait<'a>(
        &'a self,
        ready: impl FnMut() -> bool + 'a,
    ) -> impl Future<Output = ()> + 'a {
        AtomicWait {
            register: move |w: &Waker| self.0.register(w),
            ready: Box::new(ready),
            _p: std::marker::PhantomData,
        }
    }
}

impl Contender for FuturesAtomicWaker {
    const NAME: &'static str = "futures AtomicWaker";
    fn new() -> Self {
        Self(futures_util::task::AtomicWaker::new())
    }
    fn notify(&self) {
        self.0.wake();
    }
    unsafe fn register(&self, waker: &Waker) {
        self.0.register(waker);
    }
    unsafe fn wait<'a>(
        &'a self,
        ready: impl FnMut() -> bool + 'a,
    ) -> impl Future<Output = ()> + 'a {
        AtomicWait {
            register: move |w: &Waker| self.0.register(w),
            ready: Box::new(ready),
            _p: std::marker::PhantomData,
        }
    }
}

/// A waker whose clone and drop are real reference-count RMWs, and whose wake
/// sets a flag (what an executor's waker does, minus the queue).
struct FlagWaker(AtomicBool);

impl Wake for FlagWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

fn flag_waker() -> (Arc<FlagWaker>, Waker) {
    let flag = Arc::new(FlagWaker(AtomicBool::new(false)));
    (flag.clone(), Waker::from(flag))
}

/// Polls `fut` on this thread, spinning (not parking) between a `Pending` and
/// the wakeup, so that the primitive rather than the OS is measured. A lost
/// wakeup would hang here.
fn block_on_spin<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let (flag, waker) = flag_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        while !flag.0.swap(false, Ordering::Acquire) {
            std::hint::spin_loop();
        }
    }
}

// ---- workloads: each returns nanoseconds per operation ----

fn notify_no_waker<C: Contender>(iters: u64) -> f64 {
    let c = C::new();
    let start = Instant::now();
    for _ in 0..iters {
        black_box(&c).notify();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

fn register_same_and_notify<C: Contender>(iters: u64) -> f64 {
    let c = C::new();
    let (_flag, waker) = flag_waker();
    let start = Instant::now();
    for _ in 0..iters {
        // Safety: single thread.
        unsafe { black_box(&c).register(&waker) };
        black_box(&c).notify();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

fn register_new_and_notify<C: Contender>(iters: u64) -> f64 {
    let c = C::new();
    // Three distinct wakers in rotation: never the one cached in either slot.
    let wakers: Vec<Waker> = (0..3).map(|_| flag_waker().1).collect();
    let start = Instant::now();
    for i in 0..iters {
        // Safety: single thread.
        unsafe { black_box(&c).register(&wakers[(i % 3) as usize]) };
        black_box(&c).notify();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

/// A thread kept for the whole run, so that every ping-pong sample, whatever
/// the contender, runs between the same two OS threads: spawning a thread per
/// sample let the scheduler place it differently each time, which moved the
/// round trip between 100 and 220 ns.
struct Echo {
    jobs: std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl Echo {
    fn new() -> Self {
        let (jobs, job_rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let (done_tx, done) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for job in job_rx {
                job();
                done_tx.send(()).unwrap();
            }
        });
        Self { jobs, done }
    }
}

std::thread_local! {
    static ECHO: Echo = Echo::new();
}

/// Two threads, each awaiting the other's counter through its own primitive;
/// reports nanoseconds per round trip.
fn ping_pong<C: Contender>(iters: u64) -> f64 {
    let ping = Arc::new((C::new(), AtomicU64::new(0)));
    let pong = Arc::new((C::new(), AtomicU64::new(0)));
    let (ping2, pong2) = (ping.clone(), pong.clone());
    let barrier = Arc::new(Barrier::new(2));
    let b2 = barrier.clone();
    let echo = move || {
        b2.wait();
        for i in 1..=iters {
            // Safety: this thread is the only sink of `ping`.
            block_on_spin(unsafe { ping2.0.wait(|| ping2.1.load(Ordering::Acquire) >= i) });
            pong2.1.store(i, Ordering::Release);
            pong2.0.notify();
        }
    };
    ECHO.with(|e| e.jobs.send(Box::new(echo)).unwrap());
    barrier.wait();
    let start = Instant::now();
    for i in 1..=iters {
        ping.1.store(i, Ordering::Release);
        ping.0.notify();
        // Safety: this thread is the only sink of `pong`.
        block_on_spin(unsafe { pong.0.wait(|| pong.1.load(Ordering::Acquire) >= i) });
    }
    let elapsed = start.elapsed();
    ECHO.with(|e| e.done.recv().unwrap());
    elapsed.as_nanos() as f64 / iters as f64
}

/// Two threads notify while the sink re-registers the same waker in a loop;
/// reports nanoseconds per notification (wall time / notifications per thread).
fn contended_notify<C: Contender>(iters: u64) -> f64 {
    let c = Arc::new(C::new());
    let stop = Arc::new(AtomicBool::new(false));
    let barrier = Arc::new(Barrier::new(3));
    let sink = {
        let (c, stop, barrier) = (c.clone(), stop.clone(), barrier.clone());
        std::thread::spawn(move || {
            let (_flag, waker) = flag_waker();
            barrier.wait();
            while !stop.load(Ordering::Relaxed) {
                // Safety: this thread is the only sink.
                unsafe { c.register(&waker) };
            }
        })
    };
    let notifier = {
        let (c, barrier) = (c.clone(), barrier.clone());
        std::thread::spawn(move || {
            barrier.wait();
            for _ in 0..iters {
                c.notify();
            }
        })
    };
    barrier.wait();
    let start = Instant::now();
    for _ in 0..iters {
        c.notify();
    }
    notifier.join().unwrap();
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    sink.join().unwrap();
    elapsed.as_nanos() as f64 / iters as f64
}

// ---- harness ----

type Workload = fn(u64) -> f64;

struct Row {
    name: &'static str,
    iters: u64,
    contenders: [(&'static str, Workload); 5],
}

macro_rules! row {
    ($name:expr, $f:ident, $iters:expr) => {
        Row {
            name: $name,
            iters: $iters,
            contenders: [
                (Ours::NAME, $f::<Ours>),
                (V023::NAME, $f::<V023>),
                (AtomicWakerCrate::NAME, $f::<AtomicWakerCrate>),
                (FuturesAtomicWaker::NAME, $f::<FuturesAtomicWaker>),
                // Ours again: the spread of an A/A comparison shows the noise.
                ("ours (A/A)", $f::<Ours>),
            ],
        }
    };
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs this with `--test`-like flags: keep it short.
    let quick = args.iter().any(|a| a == "--quick" || a == "--test");
    // Many short samples, interleaved across contenders, so that a burst of
    // noise from other tenants lands on all of them alike; the median of each
    // contender's samples is reported.
    let (scale, rounds) = if quick { (50, 5) } else { (10, 41) };
    // Any other argument that is not a flag selects rows by substring.
    let filters: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with("--")).collect();
    let rows = [
        row!("notify, no waker", notify_no_waker, 20_000_000),
        row!(
            "register same waker + notify",
            register_same_and_notify,
            10_000_000
        ),
        row!(
            "register new waker + notify",
            register_new_and_notify,
            5_000_000
        ),
        row!("ping-pong via wait_until (round trip)", ping_pong, 200_000),
        row!(
            "notify under contention (2 notifiers + re-registering sink)",
            contended_notify,
            2_000_000
        ),
    ];

    println!(
        "{:<60} {:>10} {:>22} {:>22} {:>22} {:>22}",
        "workload (median ns/op; ratio = other/ours)",
        "ours",
        "diatomic-waker 0.2.3",
        "atomic-waker",
        "futures AtomicWaker",
        "ours again (A/A)"
    );
    for row in &rows {
        if !filters.is_empty() && !filters.iter().any(|f| row.name.contains(f.as_str())) {
            continue;
        }
        let iters = (row.iters / scale).max(1);
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); row.contenders.len()];
        // Warm-up, then interleaved rounds so that drifts hit all alike.
        for (_, f) in &row.contenders {
            f((iters / 10).max(1));
        }
        // `BENCH_CONTENDER=<name>` runs one contender alone (for `perf stat`).
        let only = std::env::var("BENCH_CONTENDER").ok();
        // Each round starts with the next contender: the first of a round
        // ran about 3% slower than the others on two-thread rows, whoever it
        // was, so a fixed order would favour the later ones.
        let n = row.contenders.len();
        for round in 0..rounds {
            for k in 0..n {
                let i = (round + k) % n;
                let (name, f) = row.contenders[i];
                if only.as_deref().is_some_and(|o| o != name) {
                    samples[i].push(f64::NAN);
                    continue;
                }
                samples[i].push(f(iters));
            }
        }
        let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
        let ours = medians[0];
        print!("{:<60} {:>10.2}", row.name, ours);
        for m in &medians[1..] {
            print!(" {:>11.2} ({:>5.2}x)", m, m / ours);
        }
        println!();
        std::thread::sleep(Duration::from_millis(10));
    }
}
