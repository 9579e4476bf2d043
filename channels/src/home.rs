//! Where a channel's shared state lives, and how a half holds on to it:
//! in an `Arc` that the halves share (made by [`channel`](crate::channel)
//! and each core's `into_channel`), or borrowed from wherever the
//! [`Channel`] was put, a `static` included ([`Channel::split`]).
//!
//! The halves are generic over it, so both homes run the same code.

use core::ops::Deref;

use crate::channel::Channel;
use crate::contract::ChannelCore;
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
use crate::sync::Arc;

/// How a half holds on to its [`Channel`]: `Arc<Channel<C>>` or
/// `&Channel<C>`. Sealed.
pub trait Home<C: ChannelCore>:
    Deref<Target = Channel<C>> + Clone + Unpin + sealed::Sealed
{
}

#[cfg(any(feature = "alloc", diatomic_waker_loom))]
impl<C: ChannelCore> Home<C> for Arc<Channel<C>> {}

/// The home of halves that do not say: an `Arc` with `alloc`, a `'static`
/// borrow (a `static` channel) without.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub type DefaultHome<C> = Arc<Channel<C>>;

/// The home of halves that do not say: an `Arc` with `alloc`, a `'static`
/// borrow (a `static` channel) without.
#[cfg(not(any(feature = "alloc", diatomic_waker_loom)))]
pub type DefaultHome<C> = &'static Channel<C>;

impl<C: ChannelCore> Home<C> for &Channel<C> {}

pub(crate) mod sealed {
    use super::*;

    pub trait Sealed {
        /// Whether the last half to go drops the channel, and with it the
        /// core and any item still in it (an `Arc`). A borrowed channel may
        /// be a `static`, which is never dropped.
        const LAST_HALF_DROPS_CHANNEL: bool;
    }

    #[cfg(any(feature = "alloc", diatomic_waker_loom))]
    impl<C: ChannelCore> Sealed for Arc<Channel<C>> {
        const LAST_HALF_DROPS_CHANNEL: bool = true;
    }

    impl<C: ChannelCore> Sealed for &Channel<C> {
        const LAST_HALF_DROPS_CHANNEL: bool = false;
    }
}
