//! `watch::shared`: the newest value, from any number of senders to any
//! number of receivers that *read* it, each told of a change at most once:
//! tokio's `watch`, with the same names.
//!
//! Pick it for state that many tasks follow: a configuration, a shutdown
//! signal, a health status. Every receiver sees the newest value; a
//! receiver that is slower than the changes skips the ones in between.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use diatomic_channels::watch::shared;
//!
//! let (tx, rx) = shared::channel("starting");
//! let followers: Vec<_> = (0..3)
//!     .map(|_| {
//!         let mut rx = rx.clone();
//!         tokio::spawn(async move {
//!             // Waits until the state is "ready", whatever came between.
//!             let state = rx.wait_for(|s| *s == "ready").await.unwrap();
//!             *state
//!         })
//!     })
//!     .collect();
//! tx.send("loading").unwrap();
//! tx.send("ready").unwrap();
//! for follower in followers {
//!     assert_eq!(follower.await.unwrap(), "ready");
//! }
//! # }
//! ```
//!
//! # Reading the value: `borrow`, or a clone
//!
//! The value sits under a reader-writer lock (`std`'s): [`Receiver::borrow`]
//! returns a read guard ([`Ref`]), so `T` need be neither `Clone` nor
//! copied, at the cost of one lock and unlock per borrow (two RMWs on the
//! lock's word, which every reader shares); a send waits for the borrows
//! in progress. Hold a `Ref` briefly, never across an `.await`. For a value
//! to keep, clone it out of the borrow ([`Receiver::get`] does both, for
//! `T: Clone`): one borrow, plus the clone.
//!
//! # Changes
//!
//! Each send bumps a version; a receiver remembers the version it last saw
//! ([`Receiver::borrow_and_update`], [`Receiver::changed`]). `changed`
//! completes once the version differs, so each change is reported at most
//! once per receiver, and changes in between are merged. A send wakes every
//! waiting receiver (one lock hold each; a send with no receiver waiting
//! costs a fence and a load).
//!
//! # Closing
//!
//! When every sender is gone, `changed` fails with [`RecvError`] once the
//! last change was seen; the value can still be borrowed. [`Sender::send`]
//! fails (the value handed back) when no receiver is left, and
//! [`Sender::closed`] completes then; [`Sender::send_replace`] stores the
//! value all the same.

use crate::closed_wait::{closed_future, Closing};
use crate::error::{RecvError, SendError};
use crate::receiver_line::{ReceiverLine, RecvPlace};
use crate::sync::{Arc, AtomicU8, AtomicUsize, Ordering, RwLock, RwLockReadGuard};
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::ops::Deref;
use core::pin::Pin;
use core::task::{Context, Poll};

/// `state`: the version in steps of two, and this bit once every sender is
/// gone.
const CLOSED: usize = 1;
/// One version step.
const VERSION: usize = 2;

/// What the halves of a `watch::shared` channel share: the value, its
/// version, and who waits. [`channel`] puts it in an `Arc`; put it in a
/// `static` (or anywhere that outlives the halves) and [`split`] it for
/// halves that borrow it.
///
/// ```
/// use diatomic_channels::watch::shared::{self, Watch};
///
/// static LEVEL: Watch<u8> = Watch::new(1);
///
/// let (tx, rx) = shared::split(&LEVEL).unwrap();
/// assert!(shared::split(&LEVEL).is_none()); // one pair per `Watch`
/// tx.send(3).unwrap();
/// assert_eq!(*rx.borrow(), 3);
/// ```
pub struct Watch<T> {
    value: RwLock<T>,
    /// The version (bumped under the write lock) and `CLOSED`.
    state: AtomicUsize,
    /// Receivers waiting in `changed`, and the count of receivers.
    receivers: ReceiverLine,
    /// Senders waiting in `closed`; its own count of "receivers" is unused.
    closing: ReceiverLine,
    senders: AtomicUsize,
    /// Whether the halves were handed out (`split` once).
    split: AtomicU8,
}

impl<T> Watch<T> {
    /// A channel's shared state holding `initial`, for one sender and one
    /// receiver that [`split`] hands out.
    #[cfg(not(diatomic_waker_loom))]
    pub const fn new(initial: T) -> Self {
        Self {
            value: RwLock::new(initial),
            state: AtomicUsize::new(0),
            receivers: ReceiverLine::new(),
            closing: ReceiverLine::new(),
            senders: AtomicUsize::new(1),
            split: AtomicU8::new(0),
        }
    }

    /// A channel's shared state holding `initial` (Loom's atomics and lock
    /// are not `const`).
    #[cfg(diatomic_waker_loom)]
    pub fn new(initial: T) -> Self {
        Self {
            value: RwLock::new(initial),
            state: AtomicUsize::new(0),
            receivers: ReceiverLine::new(),
            closing: ReceiverLine::new(),
            senders: AtomicUsize::new(1),
            split: AtomicU8::new(0),
        }
    }

    /// The state (Acquire: pairs with the Release of the send or the last
    /// sender's drop that wrote it).
    fn state(&self) -> usize {
        // Ordering: Acquire, as said.
        self.state.load(Ordering::Acquire)
    }

    /// A read guard, whatever a panicking writer left (the value is whole:
    /// every write is a replacement or the caller's own closure).
    fn read(&self) -> RwLockReadGuard<'_, T> {
        self.value.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// Makes a channel holding `initial`: one sender, one receiver (clone
/// either; [`Sender::subscribe`] makes more receivers).
///
/// ```
/// let (tx, mut rx) = diatomic_channels::watch::shared::channel(0u32);
/// assert_eq!(*rx.borrow(), 0);
/// tx.send(5).unwrap();
/// assert!(rx.has_changed().unwrap());
/// assert_eq!(*rx.borrow_and_update(), 5);
/// assert!(!rx.has_changed().unwrap());
/// ```
pub fn channel<T>(initial: T) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Watch::new(initial));
    let receiver = Receiver {
        shared: shared.clone(),
        _value: PhantomData,
        seen: 0,
    };
    (
        Sender {
            shared,
            _value: PhantomData,
        },
        receiver,
    )
}

impl<T> Sender<T> {
    /// A sender with no receiver yet (tokio's `watch::Sender::new`):
    /// [`subscribe`](Self::subscribe) makes them. Until then a
    /// [`send`](Self::send) fails; [`send_replace`](Self::send_replace)
    /// and [`send_modify`](Self::send_modify) still update the value.
    ///
    /// ```
    /// use diatomic_channels::watch::shared;
    ///
    /// let tx = shared::Sender::new(1);
    /// assert_eq!(tx.receiver_count(), 0);
    /// assert!(tx.send(2).is_err());
    /// let rx = tx.subscribe();
    /// tx.send(3).unwrap();
    /// assert_eq!(*rx.borrow(), 3);
    /// ```
    pub fn new(initial: T) -> Self {
        let watch = Watch::new(initial);
        // A `Watch` counts one receiver for `split`; this one has none.
        let _ = watch.receivers.drop_receiver();
        Self {
            shared: Arc::new(watch),
            _value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Watch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("version", &(self.state() / VERSION))
            .field("closed", &(self.state() & CLOSED != 0))
            .field("receivers", &self.receivers.receiver_count())
            .finish_non_exhaustive()
    }
}

/// The halves of a [`Watch`] that lives elsewhere, a `static` included,
/// borrowing it: one sender and one receiver (clone either); `None` if they
/// were handed out already. Once they are all gone the channel stays
/// closed, as an `Arc`'d one would be dropped.
pub fn split<T>(watch: &Watch<T>) -> Option<(SenderRef<'_, T>, ReceiverRef<'_, T>)> {
    // Ordering: AcqRel; the flag guards only itself, and one caller wins.
    if watch.split.swap(1, Ordering::AcqRel) != 0 {
        return None;
    }
    let receiver = Receiver {
        shared: watch,
        _value: PhantomData,
        seen: 0,
    };
    Some((
        Sender {
            shared: watch,
            _value: PhantomData,
        },
        receiver,
    ))
}

/// The sender of a [`split`] channel, borrowing its [`Watch`].
pub type SenderRef<'a, T> = Sender<T, &'a Watch<T>>;

/// The receiver of a [`split`] channel, borrowing its [`Watch`].
pub type ReceiverRef<'a, T> = Receiver<T, &'a Watch<T>>;

/// How a half holds on to its [`Watch`]: `Arc<Watch<T>>` ([`channel`]) or
/// `&Watch<T>` ([`split`]). Sealed.
pub trait WatchHome<T>: Deref<Target = Watch<T>> + Clone + Unpin + sealed::Sealed {}

impl<T> WatchHome<T> for Arc<Watch<T>> {}
impl<T> WatchHome<T> for &Watch<T> {}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for crate::sync::Arc<super::Watch<T>> {}
    impl<T> Sealed for &super::Watch<T> {}
}

/// A read guard on the value: hold it briefly, never across an `.await`
/// (a send waits for it).
pub struct Ref<'a, T> {
    guard: RwLockReadGuard<'a, T>,
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// A sending half: `Clone`; a send never waits.
pub struct Sender<T, H: WatchHome<T> = Arc<Watch<T>>> {
    shared: H,
    /// `T` is named by `H`; no ownership implied.
    _value: PhantomData<fn() -> T>,
}

impl<T, H: WatchHome<T>> Sender<T, H> {
    /// Stores `value` and tells every receiver, unless no receiver is left:
    /// then the value is handed back.
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::watch::shared::channel(1);
    /// tx.send(2).unwrap();
    /// drop(rx);
    /// assert_eq!(tx.send(3).unwrap_err().0, 3);
    /// ```
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if self.receiver_count() == 0 {
            return Err(SendError(value));
        }
        drop(self.send_replace(value));
        Ok(())
    }

    /// Stores `value` whether or not a receiver is left, tells every
    /// receiver, and returns the value it replaced.
    ///
    /// ```
    /// let (tx, _rx) = diatomic_channels::watch::shared::channel(1);
    /// assert_eq!(tx.send_replace(2), 1);
    /// ```
    pub fn send_replace(&self, value: T) -> T {
        let mut old = Some(value);
        self.send_modify(|current| {
            old = Some(core::mem::replace(current, old.take().expect("once")));
        });
        old.expect("replaced")
    }

    /// Changes the value in place with `modify`, and tells every receiver.
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::watch::shared::channel(vec![1]);
    /// tx.send_modify(|v| v.push(2));
    /// assert_eq!(*rx.borrow(), [1, 2]);
    /// ```
    pub fn send_modify(&self, modify: impl FnOnce(&mut T)) {
        self.send_if_modified(|value| {
            modify(value);
            true
        });
    }

    /// Changes the value in place with `modify`, and tells every receiver
    /// if it returns `true` (its answer is returned).
    ///
    /// ```
    /// let (tx, mut rx) = diatomic_channels::watch::shared::channel(0);
    /// assert!(!tx.send_if_modified(|v| *v > 0)); // unchanged: nobody told
    /// assert!(!rx.has_changed().unwrap());
    /// ```
    pub fn send_if_modified(&self, modify: impl FnOnce(&mut T) -> bool) -> bool {
        {
            let mut value = self.shared.value.write().unwrap_or_else(|e| e.into_inner());
            if !modify(&mut value) {
                return false;
            }
            // Ordering: Release, so that a receiver that sees the new
            // version (Acquire) and then takes the read lock finds the
            // value; under the write lock, so versions follow the values.
            self.shared.state.fetch_add(VERSION, Ordering::Release);
        }
        self.shared.receivers.wake_all();
        true
    }

    /// A read guard on the value (see [`Ref`]).
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref {
            guard: self.shared.read(),
        }
    }

    /// A new receiver, which has seen the current value: `changed` waits
    /// for the next send.
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::watch::shared::channel(1);
    /// drop(rx);
    /// let mut late = tx.subscribe();
    /// assert!(!late.has_changed().unwrap());
    /// tx.send(2).unwrap();
    /// assert!(late.has_changed().unwrap());
    /// ```
    pub fn subscribe(&self) -> Receiver<T, H> {
        self.shared.receivers.add_receiver();
        // The version read after the count is up: a send that finds no
        // receiver before it changes nothing.
        let seen = self.shared.state() & !CLOSED;
        Receiver {
            shared: self.shared.clone(),
            _value: PhantomData,
            seen,
        }
    }

    /// How many receivers there are now (a snapshot).
    pub fn receiver_count(&self) -> usize {
        self.shared.receivers.receiver_count()
    }

    /// How many senders there are now (a snapshot).
    pub fn sender_count(&self) -> usize {
        // Ordering: Relaxed; a snapshot.
        self.shared.senders.load(Ordering::Relaxed)
    }

    /// Whether no receiver is left (a snapshot: `subscribe` makes one).
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Completes once no receiver is left.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, rx) = diatomic_channels::watch::shared::channel(());
    /// tokio::spawn(async move { drop(rx) });
    /// tx.closed().await;
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub fn closed(&self) -> Closed<'_, T> {
        Closed::new(&self.shared)
    }

    /// Whether both halves are of the same channel.
    pub fn same_channel(&self, other: &Receiver<T, H>) -> bool {
        core::ptr::eq::<Watch<T>>(&*self.shared, &*other.shared)
    }
}

impl<T, H: WatchHome<T>> Clone for Sender<T, H> {
    fn clone(&self) -> Self {
        // Ordering: Relaxed; made from a live sender (as `Arc::clone`).
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Self {
            shared: self.shared.clone(),
            _value: PhantomData,
        }
    }
}

impl<T, H: WatchHome<T>> Drop for Sender<T, H> {
    fn drop(&mut self) {
        // Ordering: AcqRel; the last sender's close comes after every
        // other sender's sends.
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            // Ordering: Release, pairs with the receivers' Acquire state.
            self.shared.state.fetch_or(CLOSED, Ordering::Release);
            self.shared.receivers.wake_all();
        }
    }
}

impl<T: fmt::Debug, H: WatchHome<T>> fmt::Debug for Sender<T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("value", &*self.borrow())
            .field("receivers", &self.receiver_count())
            .finish()
    }
}

/// A receiving half: `Clone` (the clone has seen what this one has).
pub struct Receiver<T, H: WatchHome<T> = Arc<Watch<T>>> {
    shared: H,
    /// `T` is named by `H`; no ownership implied.
    _value: PhantomData<fn() -> T>,
    /// The version this receiver last saw (without `CLOSED`).
    seen: usize,
}

impl<T, H: WatchHome<T>> Receiver<T, H> {
    /// A read guard on the value, without marking it seen.
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref {
            guard: self.shared.read(),
        }
    }

    /// A read guard on the value, marked seen: `changed` waits for a later
    /// send.
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        let guard = self.shared.read();
        // The version of the value under this guard: sends bump it under
        // the write lock.
        self.seen = self.shared.state() & !CLOSED;
        Ref { guard }
    }

    /// The value, cloned, and marked seen: one borrow and one clone.
    ///
    /// ```
    /// let (tx, mut rx) = diatomic_channels::watch::shared::channel(String::from("a"));
    /// tx.send("b".into()).unwrap();
    /// assert_eq!(rx.get(), "b");
    /// assert!(!rx.has_changed().unwrap());
    /// ```
    pub fn get(&mut self) -> T
    where
        T: Clone,
    {
        self.borrow_and_update().clone()
    }

    /// Whether a send came since this receiver last saw the value; `Err`
    /// once every sender is gone and nothing new came.
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        let state = self.shared.state();
        if state & !CLOSED != self.seen {
            Ok(true)
        } else if state & CLOSED != 0 {
            Err(RecvError)
        } else {
            Ok(false)
        }
    }

    /// Marks the value unseen: the next `changed` completes at once.
    pub fn mark_changed(&mut self) {
        self.seen = self.seen.wrapping_sub(VERSION);
    }

    /// Marks the value seen.
    pub fn mark_unchanged(&mut self) {
        self.seen = self.shared.state() & !CLOSED;
    }

    /// Waits for a send since this receiver last saw the value, and marks
    /// it seen; fails once every sender is gone and nothing new came.
    /// Cancel safe: a dropped future has marked nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::watch::shared::channel(0);
    /// tokio::spawn(async move {
    ///     tx.send(1).unwrap();
    /// });
    /// rx.changed().await.unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// assert!(rx.changed().await.is_err()); // the sender is gone
    /// # }
    /// ```
    pub fn changed(&mut self) -> Changed<'_, T> {
        Changed::new(&self.shared, &mut self.seen)
    }

    /// Waits until the value satisfies `predicate` (checked at once, then
    /// after each change), marks it seen, and returns a read guard on the
    /// value that satisfied it; fails once every sender is gone and the
    /// value does not satisfy it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::watch::shared::channel(0);
    /// tokio::spawn(async move {
    ///     for i in 1..=10 {
    ///         tx.send(i).unwrap();
    ///         tokio::task::yield_now().await;
    ///     }
    /// });
    /// assert!(*rx.wait_for(|v| *v >= 5).await.unwrap() >= 5);
    /// # }
    /// ```
    pub async fn wait_for(
        &mut self,
        mut predicate: impl FnMut(&T) -> bool,
    ) -> Result<Ref<'_, T>, RecvError> {
        // Disjoint borrows: the guard returned borrows `shared` alone, and
        // each wait `seen` alone.
        let Receiver { shared, seen, .. } = self;
        let shared: &Watch<T> = shared;
        loop {
            {
                let guard = shared.read();
                // The version of the value under this guard (sends bump it
                // under the write lock).
                *seen = shared.state() & !CLOSED;
                if predicate(&guard) {
                    return Ok(Ref { guard });
                }
            } // the guard goes before the wait
            Changed::new(shared, seen).await?;
        }
    }

    /// Whether both halves are of the same channel.
    pub fn same_channel(&self, other: &Receiver<T, H>) -> bool {
        core::ptr::eq::<Watch<T>>(&*self.shared, &*other.shared)
    }
}

impl<T, H: WatchHome<T>> Clone for Receiver<T, H> {
    fn clone(&self) -> Self {
        self.shared.receivers.add_receiver();
        Self {
            shared: self.shared.clone(),
            seen: self.seen,
            _value: PhantomData,
        }
    }
}

impl<T, H: WatchHome<T>> Drop for Receiver<T, H> {
    fn drop(&mut self) {
        if self.shared.receivers.drop_receiver() {
            // The last receiver: senders in `closed` learn of it.
            self.shared.closing.wake_all();
        }
    }
}

impl<T: fmt::Debug, H: WatchHome<T>> fmt::Debug for Receiver<T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("value", &*self.borrow())
            .field("seen", &(self.seen / VERSION))
            .finish()
    }
}

/// The future of [`Receiver::changed`].
#[must_use = "futures do nothing unless polled"]
pub struct Changed<'a, T> {
    shared: &'a Watch<T>,
    seen: &'a mut usize,
    place: RecvPlace,
    queued: bool,
}

impl<'a, T> Changed<'a, T> {
    fn new(shared: &'a Watch<T>, seen: &'a mut usize) -> Self {
        Self {
            shared,
            seen,
            place: RecvPlace::new(),
            queued: false,
        }
    }
}

impl<T> Future for Changed<'_, T> {
    type Output = Result<(), RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Safety: `place` stays pinned (only reached through
        // `Pin::new_unchecked`, here and in `drop`); the other fields are
        // not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // Safety: as above.
        let place = unsafe { Pin::new_unchecked(&this.place) };
        let (shared, seen) = (this.shared, &mut *this.seen);
        shared
            .receivers
            .poll_until(place, &mut this.queued, false, cx, || {
                let state = shared.state();
                if state & !CLOSED != *seen {
                    *seen = state & !CLOSED;
                    Some(Ok(()))
                } else if state & CLOSED != 0 {
                    Some(Err(RecvError))
                } else {
                    None
                }
            })
    }
}

impl<T> Drop for Changed<'_, T> {
    fn drop(&mut self) {
        if self.queued {
            // Safety: pinned when it joined; its last use.
            let place = unsafe { Pin::new_unchecked(&self.place) };
            // Every waiter is woken on a send: nothing to pass on.
            let _ = self.shared.receivers.leave(place);
        }
    }
}

impl<T> fmt::Debug for Changed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changed")
            .field("waiting", &self.queued)
            .finish_non_exhaustive()
    }
}

impl<T> Closing for Watch<T> {
    fn closing(&self) -> &ReceiverLine {
        &self.closing
    }

    fn no_receiver_left(&self) -> bool {
        // The last receiver's count drop (AcqRel) comes before its wake of
        // the line, whose fence pairs with the one of this wait's join.
        self.receivers.receiver_count() == 0
    }
}

closed_future! {
    /// The future of [`Sender::closed`]: completes once no receiver is
    /// left. Dropping it loses nothing.
    Watch
}
