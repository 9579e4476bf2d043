//! A sender as a `futures` `Sink`: [`Sender::into_sink`](crate::Sender::into_sink).
//!
//! `poll_ready` reserves room through the sender's own reservation
//! (`reserve`), `start_send` sends with that permit: so a sink never
//! holds an item it cannot deliver, and `stream.forward(sink)` keeps the
//! channel's backpressure. The sender itself stays a plain handle: the
//! reservation's state (a place in the waiting line, pinned) lives in this
//! type.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::channel::Listener;
use crate::contract::{ChannelCore, Occupancy, ProducerMode};
use crate::error::SendError;
use crate::home::Home;
use crate::sender::Sender;

impl<C: ChannelCore<Producers = M>, M: ProducerMode, H: Home<C>> Sender<C, M, H> {
    /// This sender as a `futures` [`Sink`](futures_sink::Sink), whose
    /// `poll_ready` reserves room (as [`reserve`](Self::reserve) does) and
    /// `start_send` sends with it; for `stream.forward(sink)`. A sink for
    /// many producers needs `alloc`, as `reserve` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (tx, mut rx) = diatomic_channels::mpsc::channel::<u32>(2);
    /// // A named half (`mpsc::Sender`) gives its generic sender with `into_inner`.
    /// let sink = tx.into_inner().into_sink();
    /// let forward = tokio::spawn(stream::iter(0..10).map(Ok).forward(sink));
    /// let mut sum = 0;
    /// while let Ok(v) = rx.recv().await {
    ///     sum += v;
    /// }
    /// forward.await.unwrap().unwrap();
    /// assert_eq!(sum, 45);
    /// # }
    /// ```
    pub fn into_sink(self) -> SendSink<C, M, H> {
        SendSink::new(self)
    }
}

/// A sender that is a [`futures_sink::Sink`]; made by
/// [`Sender::into_sink`](crate::Sender::into_sink).
///
/// Errors are `SendError<()>`: the receiver closed the channel or left. An
/// item given to `start_send` without a successful `poll_ready` first is
/// sent if there is room and dropped otherwise, with an error.
#[must_use = "sinks do nothing unless polled"]
pub struct SendSink<C: ChannelCore<Producers = M>, M: ProducerMode, H: Home<C>> {
    sender: Sender<C, M, H>,
    listener: Listener<C>,
    /// A permit is held (counted by the channel) for the next item.
    permit: bool,
}

impl<C: ChannelCore<Producers = M>, M: ProducerMode, H: Home<C>> SendSink<C, M, H> {
    pub(crate) fn new(sender: Sender<C, M, H>) -> Self {
        Self {
            sender,
            listener: Default::default(),
            permit: false,
        }
    }

    /// The sender back; a permit held is given back first.
    pub fn into_inner(self) -> Sender<C, M, H> {
        let mut this = core::mem::ManuallyDrop::new(self);
        let this: &mut Self = &mut this;
        this.release();
        // Safety: the listener is pinned in place (never moved: it is left
        // behind, holding nothing once cancelled, and has no drop glue to
        // skip); the sender is read out once and `this` is never dropped.
        unsafe {
            let listener = Pin::new_unchecked(&mut this.listener);
            this.sender.channel().cancel_wait(listener);
            core::ptr::read(&this.sender)
        }
    }

    fn release(&mut self) {
        if core::mem::take(&mut self.permit) {
            self.sender.channel().permit_release();
        }
    }

    /// Reserves room for the next item.
    fn poll_reserve(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), SendError<()>>>
    where
        C: Occupancy,
    {
        // Safety: `listener` stays pinned (reached only through
        // `Pin::new_unchecked`, here and in `drop`); the other fields are
        // not structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if this.permit {
            return Poll::Ready(Ok(()));
        }
        // Safety: as above.
        let listener = unsafe { Pin::new_unchecked(&mut this.listener) };
        // Safety: with one producer, the sink owns the one sender, so no
        // other send or reservation runs on this channel meanwhile.
        let polled = unsafe { this.sender.channel().poll_reserve(listener, cx, 1) };
        if let Poll::Ready(Ok(())) = polled {
            this.permit = true;
        }
        polled
    }

    /// Sends with the permit held, or tries without one.
    fn send_item(self: Pin<&mut Self>, item: C::Item) -> Result<(), SendError<()>> {
        // Safety: as in `poll_reserve`; `listener` is not touched.
        let this = unsafe { self.get_unchecked_mut() };
        let channel = this.sender.channel();
        if core::mem::replace(&mut this.permit, false) {
            channel.permit_send(item);
            return Ok(());
        }
        // Safety: with one producer, the sink owns the one sender.
        unsafe { channel.try_send(item) }.map_err(|_| SendError(()))
    }
}

/// With many producers (needs `alloc`, as `reserve` does).
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
impl<C, H> futures_sink::Sink<C::Item> for SendSink<C, crate::Many, H>
where
    C: Occupancy<Producers = crate::Many>,
    H: Home<C>,
{
    type Error = SendError<()>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.poll_reserve(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: C::Item) -> Result<(), Self::Error> {
        self.send_item(item)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // A sent item is in the channel already.
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Safety: as in `poll_reserve`; `listener` is not moved.
        unsafe { self.get_unchecked_mut() }.release();
        Poll::Ready(Ok(()))
    }
}

/// With one producer.
impl<C, H> futures_sink::Sink<C::Item> for SendSink<C, crate::One, H>
where
    C: Occupancy<Producers = crate::One>,
    H: Home<C>,
{
    type Error = SendError<()>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.poll_reserve(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: C::Item) -> Result<(), Self::Error> {
        self.send_item(item)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Safety: as in `poll_reserve`; `listener` is not moved.
        unsafe { self.get_unchecked_mut() }.release();
        Poll::Ready(Ok(()))
    }
}

impl<C: ChannelCore<Producers = M>, M: ProducerMode, H: Home<C>> Drop for SendSink<C, M, H> {
    fn drop(&mut self) {
        self.release();
        // Safety: this is the listener's last use; it was pinned if ever
        // polled (the `Pin` drop guarantee).
        let listener = unsafe { Pin::new_unchecked(&mut self.listener) };
        self.sender.channel().cancel_wait(listener);
    }
}

impl<C: ChannelCore<Producers = M>, M: ProducerMode, H: Home<C>> fmt::Debug for SendSink<C, M, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendSink")
            .field("sender", &self.sender)
            .field("permit", &self.permit)
            .finish_non_exhaustive()
    }
}
