//! `WakeSink` and `WakeSource`: the primitive shared through an `Arc`.

use core::task::Waker;

use crate::sync::Arc;
use crate::{DiatomicWaker, WaitUntil};

/// The owned receiving end: registers wakers and awaits notifications from
/// any number of [`WakeSource`]s.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use diatomic_waker::WakeSink;
///
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     use std::task::{Context, Poll, Wake, Waker};
/// #     struct Unpark(std::thread::Thread);
/// #     impl Wake for Unpark { fn wake(self: Arc<Self>) { self.0.unpark() } }
/// #     let mut f = std::pin::pin!(f);
/// #     let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
/// #     let mut cx = Context::from_waker(&waker);
/// #     loop {
/// #         if let Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; }
/// #         std::thread::park();
/// #     }
/// # }
/// let mut sink = WakeSink::new();
/// let source = sink.source();
/// let flag = Arc::new(AtomicBool::new(false));
/// let flag2 = flag.clone();
/// std::thread::spawn(move || {
///     flag2.store(true, Ordering::Relaxed);
///     source.notify();
/// });
/// block_on(sink.wait_until(|| flag.load(Ordering::Relaxed).then_some(())));
/// ```
#[derive(Debug, Default)]
pub struct WakeSink {
    inner: Arc<DiatomicWaker>,
}

impl WakeSink {
    /// Creates a sink with no waker registered.
    ///
    /// # Examples
    ///
    /// ```
    /// let sink = diatomic_waker::WakeSink::new();
    /// sink.source().notify();
    /// ```
    pub fn new() -> Self {
        Self {
            inner: Arc::new(DiatomicWaker::new()),
        }
    }

    /// Creates a source that notifies this sink.
    ///
    /// # Examples
    ///
    /// ```
    /// let sink = diatomic_waker::WakeSink::new();
    /// let source = sink.source();
    /// source.clone().notify();
    /// ```
    #[inline]
    pub fn source(&self) -> WakeSource {
        WakeSource {
            inner: self.inner.clone(),
        }
    }

    /// Registers a waker; see [`DiatomicWaker::register`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut sink = diatomic_waker::WakeSink::new();
    /// sink.register(std::task::Waker::noop());
    /// sink.source().notify(); // wakes (and unregisters) the waker
    /// ```
    #[inline]
    pub fn register(&mut self, waker: &Waker) {
        // Safety: `WakeSink` is not `Clone` and its sink methods take
        // `&mut self`, so they never run concurrently.
        unsafe { self.inner.register(waker) };
    }

    /// Unregisters the waker, if any; see [`DiatomicWaker::unregister`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut sink = diatomic_waker::WakeSink::new();
    /// sink.register(std::task::Waker::noop());
    /// sink.unregister();
    /// sink.source().notify(); // ignored
    /// ```
    #[inline]
    pub fn unregister(&mut self) {
        // Safety: as for `register`.
        unsafe { self.inner.unregister() };
    }

    /// Returns a future that resolves to the first `Some` returned by
    /// `predicate`; see [`WaitUntil`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::Future;
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut sink = diatomic_waker::WakeSink::new();
    /// let mut fut = sink.wait_until(|| Some(42));
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(std::pin::Pin::new(&mut fut).poll(&mut cx), Poll::Ready(42));
    /// ```
    #[inline]
    pub fn wait_until<P, T>(&mut self, predicate: P) -> WaitUntil<'_, P, T>
    where
        P: FnMut() -> Option<T>,
    {
        // Safety: the future borrows `self` mutably for its whole life.
        unsafe { self.inner.wait_until(predicate) }
    }
}

/// The owned notifying end; cheap to clone, usable from any thread.
///
/// # Examples
///
/// ```
/// let sink = diatomic_waker::WakeSink::new();
/// let source = sink.source();
/// std::thread::spawn(move || source.notify()).join().unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct WakeSource {
    inner: Arc<DiatomicWaker>,
}

impl WakeSource {
    /// Notifies the sink; see [`DiatomicWaker::notify`].
    ///
    /// # Examples
    ///
    /// ```
    /// diatomic_waker::WakeSink::new().source().notify();
    /// ```
    #[inline]
    pub fn notify(&self) {
        self.inner.notify();
    }
}
