//! `WakeSinkRef` and `WakeSourceRef`: the primitive borrowed, no allocation.

use core::task::Waker;

use crate::{DiatomicWaker, WaitUntil};

/// The borrowed receiving end, obtained from [`DiatomicWaker::sink_ref`].
///
/// # Examples
///
/// ```
/// let mut w = diatomic_waker::DiatomicWaker::new();
/// let mut sink = w.sink_ref();
/// sink.register(std::task::Waker::noop());
/// sink.source_ref().notify();
/// ```
#[derive(Debug)]
pub struct WakeSinkRef<'a> {
    inner: &'a DiatomicWaker,
}

impl<'a> WakeSinkRef<'a> {
    /// The caller holds `&mut DiatomicWaker` for `'a`, so this is the only sink.
    pub(crate) fn new(inner: &'a DiatomicWaker) -> Self {
        Self { inner }
    }

    /// Creates a source with the same lifetime.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// let sink = w.sink_ref();
    /// let (a, b) = (sink.source_ref(), sink.source_ref());
    /// a.notify();
    /// b.notify();
    /// ```
    #[inline]
    pub fn source_ref(&self) -> WakeSourceRef<'a> {
        WakeSourceRef { inner: self.inner }
    }

    /// Registers a waker; see [`DiatomicWaker::register`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// w.sink_ref().register(std::task::Waker::noop());
    /// ```
    #[inline]
    pub fn register(&mut self, waker: &Waker) {
        // Safety: `WakeSinkRef` is not `Clone`, only one exists per `&mut
        // DiatomicWaker`, and its sink methods take `&mut self`.
        unsafe { self.inner.register(waker) };
    }

    /// Unregisters the waker, if any; see [`DiatomicWaker::unregister`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// let mut sink = w.sink_ref();
    /// sink.register(std::task::Waker::noop());
    /// sink.unregister();
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
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// let mut sink = w.sink_ref();
    /// let mut fut = sink.wait_until(|| Some("ready"));
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(std::pin::Pin::new(&mut fut).poll(&mut cx), Poll::Ready("ready"));
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

/// The borrowed notifying end, obtained from [`WakeSinkRef::source_ref`].
///
/// # Examples
///
/// ```
/// let mut w = diatomic_waker::DiatomicWaker::new();
/// let sink = w.sink_ref();
/// let source = sink.source_ref();
/// std::thread::scope(|s| {
///     s.spawn(move || source.notify());
/// });
/// ```
#[derive(Clone, Copy, Debug)]
pub struct WakeSourceRef<'a> {
    inner: &'a DiatomicWaker,
}

impl WakeSourceRef<'_> {
    /// Notifies the sink; see [`DiatomicWaker::notify`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut w = diatomic_waker::DiatomicWaker::new();
    /// w.sink_ref().source_ref().notify();
    /// ```
    #[inline]
    pub fn notify(&self) {
        self.inner.notify();
    }
}
