//! Handing out the halves of a channel that lives where its caller put
//! it, a `static` included: [`Channel::split`]. This sits above the shared
//! state and the halves, which know nothing of it.

use crate::channel::Channel;
use crate::contract::{ChannelCore, ConsumerCount, ConsumerMode, Halves, ProducerCount};
use crate::home::DefaultHome;
use crate::sender::Sender;

/// The generic sending half that borrows its channel (the named one is the
/// core's [`Halves::SenderRef`](crate::Halves::SenderRef)).
pub type BorrowedSender<'a, C> = Sender<C, <C as ProducerCount>::Producers, &'a Channel<C>>;

/// The generic receiving half of a channel over `C` that holds on to it
/// through `H`: a [`Receiver`](crate::Receiver) with one consumer, a
/// [`SharedReceiver`](crate::SharedReceiver) with many.
pub type ReceiverHalf<C, H = DefaultHome<C>> =
    <<C as ConsumerCount>::Receivers as ConsumerMode>::Receiver<C, H>;

/// The generic receiving half that borrows its channel.
pub type BorrowedReceiver<'a, C> = ReceiverHalf<C, &'a Channel<C>>;

impl<C: ChannelCore> Channel<C> {
    /// Hands out the sender and the receiver, named as the core's
    /// declaration names its borrowed halves, borrowing the channel; `None`
    /// if they were handed out already (there is never a second receiver).
    ///
    /// See [`Channel`] for an example with a `static`.
    pub fn split(&self) -> Option<(C::SenderRef<'_>, C::ReceiverRef<'_>)>
    where
        C: Halves,
    {
        let (sender, receiver) = self.split_generic()?;
        Some(C::name_borrowed(sender, receiver))
    }

    /// As [`split`](Self::split), with the generic halves.
    pub fn split_generic(&self) -> Option<(BorrowedSender<'_, C>, BorrowedReceiver<'_, C>)> {
        if !self.claim_split() {
            return None;
        }
        Some((
            Sender::new(self),
            <C::Receivers as ConsumerMode>::receiver(self),
        ))
    }
}
