//! What the workloads need to drive any member: the send and receive sides
//! as traits, the two homes, a seeded generator, cancelling branches and
//! misbehaving wakers.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
// Ordering: Relaxed for the wake counter: read by the same thread that
// made the wake happen, or after a join.
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use diatomic_channels::watch::{self, Latest};
use diatomic_channels::{
    Channel, ChannelCore, Home, Many, One, Receiver, RecvError, RecvFuture, SendError, SendFuture,
    Sender, SharedReceiver, SharedRecvFuture,
};

use crate::ledger::Item;

/// A sending half, whatever its producer mode and home.
pub trait Tx: Send + Sized + 'static {
    type SendFut<'a>: Future<Output = Result<(), SendError<Item>>> + Send + 'a
    where
        Self: 'a;

    fn send(&mut self, item: Item) -> Self::SendFut<'_>;

    /// Ready once the receiver is gone or closed.
    fn closed(&mut self) -> impl Future<Output = ()> + Send + '_;

    /// Another sender of the channel, if it has many producers.
    fn fork(&self) -> Option<Self>;
}

impl<C, H> Tx for Sender<C, Many, H>
where
    C: ChannelCore<Item = Item, Producers = Many> + 'static,
    H: Home<C> + Send + 'static,
    Channel<C>: Send + Sync,
{
    type SendFut<'a> = SendFuture<'a, C>;

    fn send(&mut self, item: Item) -> SendFuture<'_, C> {
        Sender::<C, Many, H>::send(self, item)
    }

    fn closed(&mut self) -> impl Future<Output = ()> + Send + '_ {
        Sender::<C, Many, H>::closed(self)
    }

    fn fork(&self) -> Option<Self> {
        Some(self.clone())
    }
}

impl<C, H> Tx for Sender<C, One, H>
where
    C: ChannelCore<Item = Item, Producers = One> + 'static,
    H: Home<C> + Send + 'static,
    Channel<C>: Send + Sync,
{
    type SendFut<'a> = SendFuture<'a, C>;

    fn send(&mut self, item: Item) -> SendFuture<'_, C> {
        Sender::<C, One, H>::send(self, item)
    }

    fn closed(&mut self) -> impl Future<Output = ()> + Send + '_ {
        Sender::<C, One, H>::closed(self)
    }

    fn fork(&self) -> Option<Self> {
        None
    }
}

/// `watch`'s sender never waits: its send is ready at once.
impl<H> Tx for watch::Sender<Item, H>
where
    H: Home<Latest<Item>> + Send + 'static,
{
    type SendFut<'a> = Ready<Result<(), SendError<Item>>>;

    fn send(&mut self, item: Item) -> Self::SendFut<'_> {
        ready(watch::Sender::send(self, item))
    }

    fn closed(&mut self) -> impl Future<Output = ()> + Send + '_ {
        (**self).closed()
    }

    fn fork(&self) -> Option<Self> {
        Some(self.clone())
    }
}

/// `tx` and up to `n - 1` more senders of its channel (none more if it
/// has one producer).
pub fn senders<T: Tx>(tx: T, n: usize) -> Vec<T> {
    let mut senders = vec![tx];
    while senders.len() < n {
        match senders[0].fork() {
            Some(other) => senders.push(other),
            None => break,
        }
    }
    senders
}

/// Sends `item` with one poll, which must complete.
pub fn send_now<T: Tx>(tx: &mut T, item: Item) {
    let mut send = Box::pin(tx.send(item));
    assert!(matches!(
        poll_once(send.as_mut(), Waker::noop()),
        Poll::Ready(Ok(()))
    ));
}

/// The receiving half of every member but `oneshot`.
pub trait Rx: Send + 'static {
    type RecvFut<'a>: Future<Output = Result<Item, RecvError>> + Send + 'a
    where
        Self: 'a;

    fn recv(&mut self) -> Self::RecvFut<'_>;

    fn close(&mut self);
}

impl<C, H> Rx for Receiver<C, H>
where
    C: ChannelCore<Item = Item, Receivers = One> + 'static,
    H: Home<C> + Send + 'static,
    Channel<C>: Send + Sync,
{
    type RecvFut<'a> = RecvFuture<'a, C>;

    fn recv(&mut self) -> RecvFuture<'_, C> {
        Receiver::recv(self)
    }

    fn close(&mut self) {
        Receiver::close(self)
    }
}

/// A receiver of a many-receiver channel (`mpmc`), used as the one
/// receiver of a round (its waits go through the receivers' line all the
/// same).
impl<C, H> Rx for SharedReceiver<C, H>
where
    C: ChannelCore<Item = Item, Receivers = Many> + 'static,
    H: Home<C> + Send + 'static,
    Channel<C>: Send + Sync,
{
    type RecvFut<'a> = SharedRecvFuture<'a, C>;

    fn recv(&mut self) -> SharedRecvFuture<'_, C> {
        SharedReceiver::recv(self)
    }

    fn close(&mut self) {
        SharedReceiver::close(self)
    }
}

/// A channel in the `static` home: leaked for the round, then reclaimed.
///
/// Kept as the pointer `Box::into_raw` gave, so that `reclaim` frees it with
/// the box's own (unique) permission; the halves get shared borrows of it.
pub struct Leaked<C: ChannelCore + 'static>(*mut Channel<C>);

impl<C: ChannelCore + 'static> Leaked<C> {
    pub fn new(core: C) -> Self {
        Self(Box::into_raw(Box::new(Channel::new(core))))
    }

    pub fn channel(&self) -> &'static Channel<C> {
        // Safety: allocated in `new` and freed only by `reclaim`, which
        // consumes `self` and whose caller promises that no borrow handed
        // out here is used after it.
        unsafe { &*self.0 }
    }

    /// Frees the channel.
    ///
    /// # Safety
    ///
    /// Nothing that borrows the channel is used again: every half and
    /// future is dropped, or forgotten and never touched again.
    pub unsafe fn reclaim(self) {
        // Safety: made by `Box::into_raw` in `new`, freed once (`self` is
        // consumed); the caller promises that no borrow is used again.
        drop(unsafe { Box::from_raw(self.0) });
    }
}

/// Runs `$body` twice, with `($tx, $rx)` the generic halves of a channel
/// over `$core`: in an `Arc`, then in the `static` home; `$home` names it.
///
/// The body is a closure's, called with both halves: they are gone when it
/// returns, whether or not it used them (the `static` channel is freed
/// right after).
macro_rules! in_both_homes {
    ($core:expr, |$home:ident, $tx:ident, $rx:ident| $body:block) => {{
        {
            let $home = "arc";
            let (tx, rx) = diatomic_channels::channel($core);
            (|$tx, $rx| $body)(tx, rx);
        }
        {
            let $home = "static";
            let leaked = $crate::harness::Leaked::new($core);
            let (tx, rx) = leaked.channel().split_generic().expect("split once");
            (|$tx, $rx| $body)(tx, rx);
            // Safety: the closure took both halves, and dropped them or
            // joined the tasks it moved them into.
            unsafe { leaked.reclaim() };
        }
    }};
}
pub(crate) use in_both_homes;

/// A seeded xorshift generator: the choices of a round are reproducible
/// from its seed (the threads' interleaving is the machine's).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// In `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True once in `n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// The other branch of a `select!`: ready after a few polls (waking itself
/// in between), or after a short timer.
pub async fn cancel_branch(rng: &mut Rng, timers: bool) {
    if timers && rng.one_in(8) {
        tokio::time::sleep(Duration::from_micros(rng.below(200))).await;
    } else {
        Countdown(rng.below(4) as u32).await;
    }
}

/// Ready after `n` pending polls.
pub struct Countdown(pub u32);

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A waker that counts its wakes and clones, and panics on either when
/// told to.
#[derive(Default)]
pub struct Misbehaving {
    pub wakes: AtomicUsize,
    pub panic_on_wake: bool,
}

impl Wake for Misbehaving {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Relaxed);
        if self.panic_on_wake {
            panic!("a waker panics in wake (injected)");
        }
    }
}

impl Misbehaving {
    pub fn waker(panic_on_wake: bool) -> (Arc<Self>, Waker) {
        let this = Arc::new(Self {
            wakes: AtomicUsize::new(0),
            panic_on_wake,
        });
        (this.clone(), Waker::from(this))
    }

    pub fn wakes(&self) -> usize {
        self.wakes.load(Relaxed)
    }
}

/// A waker whose `clone` panics (a raw waker: `Wake` cannot say that).
pub fn panicking_clone_waker() -> Waker {
    use std::task::{RawWaker, RawWakerVTable};
    fn clone(_: *const ()) -> RawWaker {
        panic!("a waker panics in clone (injected)")
    }
    fn noop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    // Safety: the vtable's functions ignore the data pointer, and `clone`
    // never returns.
    unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
}

/// Polls `fut` once with `waker`.
pub fn poll_once<F: Future + ?Sized>(fut: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}

/// A workload's task.
pub type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The executors the workloads run on, so that nothing depends on tokio's
/// scheduling.
#[derive(Clone, Copy, Debug)]
pub enum Exec {
    /// Two worker threads: real contention.
    TokioMultiThread,
    TokioCurrentThread,
    /// `async-executor`, run by two threads.
    AsyncExecutor,
    /// `futures::executor::LocalPool`, on this thread.
    FuturesLocalPool,
}

impl Exec {
    pub const ALL: [Exec; 4] = [
        Exec::TokioMultiThread,
        Exec::TokioCurrentThread,
        Exec::AsyncExecutor,
        Exec::FuturesLocalPool,
    ];

    /// Whether tokio's timers work here (the cancelling branch uses them).
    pub fn has_timers(self) -> bool {
        matches!(self, Exec::TokioMultiThread | Exec::TokioCurrentThread)
    }

    /// Runs `tasks` to completion; a task's panic fails the caller. On
    /// tokio, a minute without completing fails it too (a lost wakeup or
    /// a deadlock); elsewhere the test's own timeout does.
    pub fn run_all(self, what: &str, tasks: Vec<Task>) {
        match self {
            Exec::TokioMultiThread | Exec::TokioCurrentThread => {
                let runtime = match self {
                    Exec::TokioMultiThread => tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .enable_time()
                        .build(),
                    _ => tokio::runtime::Builder::new_current_thread()
                        .enable_time()
                        .build(),
                };
                runtime.expect("runtime").block_on(async {
                    let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
                    let all = async {
                        for handle in handles {
                            handle.await.expect("no task panics");
                        }
                    };
                    tokio::time::timeout(Duration::from_secs(60), all)
                        .await
                        .unwrap_or_else(|_| {
                            panic!("{what}: stuck for 60 s (a lost wakeup or a deadlock)")
                        });
                });
            }
            Exec::AsyncExecutor => {
                let ex = async_executor::Executor::new();
                let (stop, stopped) = oneshot_stop();
                std::thread::scope(|s| {
                    s.spawn(|| futures_executor::block_on(ex.run(stopped)));
                    futures_executor::block_on(ex.run(async {
                        let handles: Vec<_> = tasks.into_iter().map(|t| ex.spawn(t)).collect();
                        for handle in handles {
                            handle.await;
                        }
                    }));
                    drop(stop);
                });
            }
            Exec::FuturesLocalPool => {
                use futures_util::task::SpawnExt;
                let mut pool = futures_executor::LocalPool::new();
                for task in tasks {
                    pool.spawner().spawn(task).expect("spawn");
                }
                pool.run();
            }
        }
    }
}

/// A future that completes when its sender is dropped: stops the second
/// thread of `async-executor`.
fn oneshot_stop() -> (
    diatomic_channels::oneshot::Sender<()>,
    impl Future<Output = ()> + Send,
) {
    let (tx, rx) = diatomic_channels::oneshot::channel::<()>();
    (tx, async move {
        let _ = rx.await;
    })
}
