//! Senders that do not keep the channel open: [`WeakSender`], from
//! [`Sender::downgrade`], and [`WeakBackpressureSender`], from
//! [`BackpressureSender::downgrade`]; tokio's `broadcast::WeakSender`.

use super::ring::Shared;
use super::{BackpressureSender, Sender};
use crate::sync::Arc;
use core::fmt;

/// A weak sender of either policy: what it holds, how it upgrades, and
/// its `Clone`, `Debug` and `downgrade`.
macro_rules! weak_sender {
    (
        $(#[$doc:meta])*
        $weak:ident upgrades to $strong:ident;
        $(#[$upgrade_doc:meta])*
        upgrade;
        $(#[$count_doc:meta])*
        sender_count;
        $(#[$downgrade_doc:meta])*
        downgrade;
    ) => {
        $(#[$doc])*
        pub struct $weak<T> {
            shared: Arc<Shared<T>>,
        }

        impl<T> $weak<T> {
            $(#[$upgrade_doc])*
            pub fn upgrade(&self) -> Option<$strong<T>> {
                self.shared.try_add_sender().then(|| $strong {
                    shared: self.shared.clone(),
                })
            }

            $(#[$count_doc])*
            pub fn sender_count(&self) -> usize {
                self.shared.sender_count()
            }
        }

        impl<T> Clone for $weak<T> {
            fn clone(&self) -> Self {
                Self {
                    shared: self.shared.clone(),
                }
            }
        }

        impl<T> fmt::Debug for $weak<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($weak))
                    .field("sender_count", &self.sender_count())
                    .finish_non_exhaustive()
            }
        }

        impl<T> $strong<T> {
            $(#[$downgrade_doc])*
            pub fn downgrade(&self) -> $weak<T> {
                $weak {
                    shared: self.shared.clone(),
                }
            }
        }
    };
}

weak_sender! {
    /// A handle to a [`channel`](super::channel) that is not a sender: it
    /// does not count among the senders, so it does not keep the channel
    /// open for the receivers, but it can become a [`Sender`] again with
    /// [`upgrade`](Self::upgrade) while any sender is alive. Made by
    /// [`Sender::downgrade`]; as tokio's `broadcast::WeakSender`.
    ///
    /// It keeps the channel's memory (the ring, and the values still in
    /// it) alive, as the `Arc` it holds, but no receiver waits for it: once
    /// the last sender is gone, they read what is left and then get
    /// [`RecvError::Closed`](super::RecvError::Closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use diatomic_channels::broadcast::{self, TryRecvError};
    ///
    /// let (tx, mut rx) = broadcast::channel::<u8>(4);
    /// let weak = tx.downgrade();
    /// // A sender again while one is alive.
    /// let again = weak.upgrade().unwrap();
    /// again.send(1).unwrap();
    /// drop((tx, again));
    /// // No sender is left: the weak one does not keep the channel open.
    /// assert!(weak.upgrade().is_none());
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    /// ```
    WeakSender upgrades to Sender;

    /// A sender, if any sender of the channel is still alive; `None` once
    /// the last one is gone (the channel is then closed for good: no
    /// sender is ever made from none).
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::broadcast::channel::<u8>(4);
    /// let weak = tx.downgrade();
    /// let again = weak.upgrade().expect("`tx` is alive");
    /// assert_eq!(again.sender_count(), 2);
    /// drop((tx, again));
    /// assert!(weak.upgrade().is_none());
    /// # drop(rx);
    /// ```
    upgrade;

    /// How many senders are alive now (a snapshot); weak ones do not
    /// count.
    ///
    /// ```
    /// let (tx, _rx) = diatomic_channels::broadcast::channel::<u8>(4);
    /// let weak = tx.downgrade();
    /// let _other = weak.clone();
    /// assert_eq!(weak.sender_count(), 1);
    /// drop(tx);
    /// assert_eq!(weak.sender_count(), 0);
    /// ```
    sender_count;

    /// A [`WeakSender`]: a handle that does not keep the channel open,
    /// and becomes a sender again while any sender is alive.
    ///
    /// ```
    /// use diatomic_channels::broadcast::{self, RecvError};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = broadcast::channel::<u8>(4);
    /// let weak = tx.downgrade();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Err(RecvError::Closed));
    /// assert!(weak.upgrade().is_none());
    /// # }
    /// ```
    downgrade;
}

weak_sender! {
    /// A handle to a [`channel_with_backpressure`](super::channel_with_backpressure)
    /// that is not a sender: it does not count among the senders, so it
    /// does not keep the channel open for the receivers, but it can become
    /// a [`BackpressureSender`] again with [`upgrade`](Self::upgrade) while
    /// any sender is alive. Made by [`BackpressureSender::downgrade`]; as
    /// tokio's `broadcast::WeakSender`.
    ///
    /// It keeps the channel's memory (the ring, and the values still in
    /// it) alive, as the `Arc` it holds, but no receiver waits for it: once
    /// the last sender is gone, they read what is left and then get
    /// [`RecvError::Closed`](super::RecvError::Closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use diatomic_channels::broadcast::{self, TryRecvError};
    ///
    /// let (tx, mut rx) = broadcast::channel_with_backpressure::<u8>(4);
    /// let weak = tx.downgrade();
    /// // A sender again while one is alive.
    /// let again = weak.upgrade().unwrap();
    /// again.try_send(1).unwrap();
    /// drop((tx, again));
    /// // No sender is left: the weak one does not keep the channel open.
    /// assert!(weak.upgrade().is_none());
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    /// ```
    WeakBackpressureSender upgrades to BackpressureSender;

    /// A sender, if any sender of the channel is still alive; `None` once
    /// the last one is gone (the channel is then closed for good: no
    /// sender is ever made from none).
    ///
    /// ```
    /// let (tx, rx) = diatomic_channels::broadcast::channel_with_backpressure::<u8>(4);
    /// let weak = tx.downgrade();
    /// let again = weak.upgrade().expect("`tx` is alive");
    /// assert_eq!(again.sender_count(), 2);
    /// drop((tx, again));
    /// assert!(weak.upgrade().is_none());
    /// # drop(rx);
    /// ```
    upgrade;

    /// How many senders are alive now (a snapshot); weak ones do not
    /// count.
    ///
    /// ```
    /// let (tx, _rx) = diatomic_channels::broadcast::channel_with_backpressure::<u8>(4);
    /// let weak = tx.downgrade();
    /// let _other = weak.clone();
    /// assert_eq!(weak.sender_count(), 1);
    /// drop(tx);
    /// assert_eq!(weak.sender_count(), 0);
    /// ```
    sender_count;

    /// A [`WeakBackpressureSender`]: a handle that does not keep the
    /// channel open, and becomes a sender again while any sender is alive.
    ///
    /// ```
    /// use diatomic_channels::broadcast::{self, RecvError};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = broadcast::channel_with_backpressure::<u8>(4);
    /// let weak = tx.downgrade();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Err(RecvError::Closed));
    /// assert!(weak.upgrade().is_none());
    /// # }
    /// ```
    downgrade;
}
