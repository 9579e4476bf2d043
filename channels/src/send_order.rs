//! Whether senders that do not wait may pass senders that wait for room.

/// The order in which a many-producer channel serves its senders when it is
/// full, chosen when the channel is made
/// ([`channel_with_order`](crate::channel_with_order),
/// [`Channel::with_order`](crate::Channel::with_order),
/// [`mpsc::channel_with_order`](crate::mpsc::channel_with_order)).
///
/// | | `Fifo` (the default) | `Overtaking` |
/// |---|---|---|
/// | blocked senders | served in the order they parked | the same, among themselves |
/// | a send that finds room while others wait | goes behind them (`try_send` is `Full`) | takes the room |
/// | a woken sender whose room was taken | cannot happen while others wait | parks again, first in line (a futile wakeup) |
/// | task wakeups per message, 13 senders, capacity 10 (`--counts`) | 1.18, as tokio's | 0.51 |
/// | each producer's own values, permits included | in order | in order |
/// | a `send` dropped before `Ready` has not sent | yes | yes |
///
/// `Fifo` is fair: no sender waits while later ones go first, and each
/// room freed wakes the sender it is for. It costs one task wakeup per
/// blocked message, because a sender that was woken and pushed its value
/// must then queue behind the others for its next one. `Overtaking` lets a
/// running sender keep sending while there is room (tachyonix's,
/// futures-channel's and thingbuf's order), at the price of a waiting
/// sender's room being taken now and then; that sender keeps its place,
/// first in line. With one producer there is no line, and the two are the
/// same.
///
/// # Examples
///
/// ```
/// use diatomic_channels::{SendOrder, TrySendError};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let (tx, mut rx) = diatomic_channels::mpsc::channel_with_order::<u32>(1, SendOrder::Overtaking);
/// tx.try_send(1).unwrap();
/// let waiting = tokio::spawn({
///     let tx = tx.clone();
///     async move { tx.send(2).await } // full: it waits for room
/// });
/// tokio::task::yield_now().await;
/// assert_eq!(rx.recv().await, Ok(1)); // the room goes to the waiting send...
/// tx.try_send(3).unwrap(); // ...but a running sender may take it first
/// assert_eq!(rx.recv().await, Ok(3));
/// waiting.await.unwrap().unwrap(); // the waiting send gets the next room
/// assert_eq!(rx.recv().await, Ok(2));
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SendOrder {
    /// Senders that do not wait go behind those that wait for room.
    #[default]
    Fifo,
    /// A sender that finds room takes it, even while others wait.
    Overtaking,
}
