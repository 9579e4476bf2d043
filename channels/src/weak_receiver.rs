//! A receiver that does not keep the channel open: [`WeakReceiver`], from
//! [`SharedReceiver::downgrade`].

use core::fmt;
use core::marker::PhantomData;

use crate::contract::{ChannelCore, Many};
use crate::home::{DefaultHome, Home};
use crate::shared_receiver::SharedReceiver;

/// A handle to a many-receiver channel (`mpmc`, or a core declared with
/// `receivers = many`) that is not a receiver: it does not count among the
/// receivers, so it does not keep the channel open for the senders (the
/// last receiver still closes it, and drops the items queued), but it can
/// become a receiver again with [`upgrade`](Self::upgrade) while any
/// receiver is alive. Made by [`SharedReceiver::downgrade`]; as
/// async-channel's `WeakReceiver`.
///
/// In the `Arc` home it keeps the channel's memory alive (one shared
/// allocation), not its items: those go with the last receiver as usual.
/// It works the same over a borrowed channel (a `static`).
///
/// # Examples
///
/// ```
/// use diatomic_channels::{mpmc, TrySendError};
///
/// let (tx, rx) = mpmc::channel::<u8>(4);
/// let weak = rx.downgrade();
/// tx.try_send(1).unwrap();
/// // A receiver again while one is alive: named through `From`.
/// let again: mpmc::Receiver<u8> = weak.upgrade().unwrap().into();
/// assert_eq!(again.try_recv(), Ok(1));
/// drop((rx, again));
/// // No receiver is left: the weak one does not keep the channel open.
/// assert!(weak.upgrade().is_none());
/// assert_eq!(tx.try_send(2), Err(TrySendError::Closed(2)));
/// ```
pub struct WeakReceiver<C: ChannelCore<Receivers = Many>, H: Home<C> = DefaultHome<C>> {
    shared: H,
    /// `C` is named by `H`; no ownership implied.
    _core: PhantomData<fn() -> C>,
}

impl<C: ChannelCore<Receivers = Many>, H: Home<C>> WeakReceiver<C, H> {
    fn new(shared: H) -> Self {
        Self {
            shared,
            _core: PhantomData,
        }
    }

    /// A receiver, if any receiver of the channel is still alive; `None`
    /// once the last one is gone (the channel is then closed for good: no
    /// receiver is ever made from none).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::mpmc::channel::<u8>(4);
    /// let weak = rx.downgrade();
    /// let again = weak.upgrade().expect("`rx` is alive");
    /// assert_eq!(again.receiver_count(), 2);
    /// drop((rx, again));
    /// assert!(weak.upgrade().is_none());
    /// # drop(tx);
    /// ```
    pub fn upgrade(&self) -> Option<SharedReceiver<C, H>> {
        self.shared
            .receiver_line()
            .try_add_receiver()
            .then(|| SharedReceiver::new(self.shared.clone()))
    }

    /// How many receivers are alive now (a snapshot); weak ones do not
    /// count.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_tx, rx) = diatomic_channels::mpmc::channel::<u8>(4);
    /// let weak = rx.downgrade();
    /// let _other = weak.clone();
    /// assert_eq!(weak.receiver_count(), 1);
    /// drop(rx);
    /// assert_eq!(weak.receiver_count(), 0);
    /// ```
    pub fn receiver_count(&self) -> usize {
        self.shared.receiver_line().receiver_count()
    }
}

impl<C: ChannelCore<Receivers = Many>, H: Home<C>> Clone for WeakReceiver<C, H> {
    fn clone(&self) -> Self {
        Self::new(self.shared.clone())
    }
}

impl<C: ChannelCore<Receivers = Many>, H: Home<C>> fmt::Debug for WeakReceiver<C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakReceiver")
            .field("receiver_count", &self.receiver_count())
            .finish_non_exhaustive()
    }
}

impl<C: ChannelCore<Receivers = Many>, H: Home<C>> SharedReceiver<C, H> {
    /// A [`WeakReceiver`]: a handle that does not keep the channel open,
    /// and becomes a receiver again while any receiver is alive.
    ///
    /// # Examples
    ///
    /// ```
    /// use diatomic_channels::{mpmc, TrySendError};
    ///
    /// let (tx, rx) = mpmc::channel::<u8>(4);
    /// let weak = rx.downgrade();
    /// assert_eq!(weak.receiver_count(), 1);
    /// drop(rx);
    /// assert_eq!(tx.try_send(1), Err(TrySendError::Closed(1)));
    /// assert!(weak.upgrade().is_none());
    /// ```
    pub fn downgrade(&self) -> WeakReceiver<C, H> {
        WeakReceiver::new(self.shared().clone())
    }
}
