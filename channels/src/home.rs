//! Where a channel's shared state lives, and how a half holds on to it:
//! in an `Arc` that the halves share (made by [`channel`](crate::channel)
//! and each core's `into_channel`), or borrowed from wherever the
//! [`Channel`] was put, a `static` included ([`Channel::split`]).
//!
//! The halves are generic over it, so both homes run the same code.

use core::ops::Deref;

use crate::channel::Channel;
use crate::contract::{ChannelCore, ProducerCount};
use crate::receiver::Receiver;
use crate::sender::Sender;
use crate::sync::Arc;

/// The generic sending half that borrows its channel (the named one is the
/// core's [`Halves::SenderRef`](crate::Halves::SenderRef)).
pub type BorrowedSender<'a, C> = Sender<C, <C as ProducerCount>::Producers, &'a Channel<C>>;

/// The generic receiving half that borrows its channel.
pub type BorrowedReceiver<'a, C> = Receiver<C, &'a Channel<C>>;

/// How a half holds on to its [`Channel`]: `Arc<Channel<C>>` or
/// `&Channel<C>`. Sealed.
pub trait Home<C: ChannelCore>:
    Deref<Target = Channel<C>> + Clone + Unpin + sealed::Sealed
{
}

impl<C: ChannelCore> Home<C> for Arc<Channel<C>> {}

impl<C: ChannelCore> Home<C> for &Channel<C> {}

mod sealed {
    use super::*;

    pub trait Sealed {}
    impl<C: ChannelCore> Sealed for Arc<Channel<C>> {}
    impl<C: ChannelCore> Sealed for &Channel<C> {}
}
