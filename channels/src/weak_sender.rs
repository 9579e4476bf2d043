//! A sender that does not keep the channel open: [`WeakSender`], from
//! [`Sender::downgrade`].

use core::fmt;
use core::marker::PhantomData;

use crate::contract::{ChannelCore, Many};
use crate::home::{DefaultHome, Home};
use crate::sender::Sender;

/// A handle to a many-producer channel that is not a sender: it does not
/// count among the senders, so it does not keep the channel open for the
/// receiver, but it can become a sender again with
/// [`upgrade`](Self::upgrade) while any sender is alive. Made by
/// [`Sender::downgrade`]; as tokio's `WeakSender`.
///
/// In the `Arc` home it keeps the channel's memory (not its items' flow)
/// alive, as a `Weak` would not; that is one shared allocation, and no
/// item is kept by it: the receiver drains and drops as usual.
///
/// # Examples
///
/// ```
/// use diatomic_channels::mpsc;
///
/// let (tx, mut rx) = mpsc::channel::<u8>(4);
/// let weak = tx.downgrade();
/// // A sender again while one is alive: named through `From`.
/// let again: mpsc::Sender<u8> = weak.upgrade().unwrap().into();
/// again.try_send(1).unwrap();
/// drop((tx, again));
/// // No sender is left: the weak one does not keep the channel open.
/// assert!(weak.upgrade().is_none());
/// assert_eq!(rx.try_recv(), Ok(1));
/// assert_eq!(rx.try_recv(), Err(diatomic_channels::TryRecvError::Closed));
/// ```
pub struct WeakSender<C: ChannelCore<Producers = Many>, H: Home<C> = DefaultHome<C>> {
    shared: H,
    /// `C` is named by `H`; no ownership implied.
    _core: PhantomData<fn() -> C>,
}

impl<C: ChannelCore<Producers = Many>, H: Home<C>> WeakSender<C, H> {
    pub(crate) fn new(shared: H) -> Self {
        Self {
            shared,
            _core: PhantomData,
        }
    }

    /// A sender, if any sender of the channel is still alive; `None` once
    /// the last one is gone (the channel is then closed for good).
    pub fn upgrade(&self) -> Option<Sender<C, Many, H>> {
        self.shared
            .try_add_sender()
            .then(|| Sender::new(self.shared.clone()))
    }

    /// How many senders are alive now (a snapshot).
    pub fn sender_count(&self) -> usize {
        self.shared.sender_count()
    }
}

impl<C: ChannelCore<Producers = Many>, H: Home<C>> Clone for WeakSender<C, H> {
    fn clone(&self) -> Self {
        Self::new(self.shared.clone())
    }
}

impl<C: ChannelCore<Producers = Many>, H: Home<C>> fmt::Debug for WeakSender<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakSender")
            .field("sender_count", &self.sender_count())
            .finish_non_exhaustive()
    }
}

impl<C: ChannelCore<Producers = Many>, H: Home<C>> Sender<C, Many, H> {
    /// A [`WeakSender`]: a handle that does not keep the channel open,
    /// and becomes a sender again while any sender is alive.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::mpsc::channel::<u8>(4);
    /// let weak = tx.downgrade();
    /// assert_eq!(weak.sender_count(), 1);
    /// drop(tx);
    /// assert!(weak.upgrade().is_none());
    /// # drop(rx);
    /// ```
    pub fn downgrade(&self) -> WeakSender<C, H> {
        WeakSender::new(self.shared().clone())
    }
}
