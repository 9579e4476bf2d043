//! async-ringbuf: `AsyncHeapRb::new(capacity).split()`, exact capacity; the
//! producer's `push(..).await` and the consumer's `pop().await` (its
//! documented async API, `AsyncProducer` and `AsyncConsumer`). Dropping the
//! producer closes the ring: `pop` then drains it and returns `None`.
//!
//! Not run by itself: a contender of `benches/channels.rs` (see there for
//! the command).

use std::future::Future;

use async_ringbuf::traits::{AsyncConsumer, AsyncProducer, Split};
use async_ringbuf::{AsyncHeapCons, AsyncHeapProd, AsyncHeapRb};

use super::{Closed, Msg, Spsc, SpscReceiver, SpscSender};

/// async-ringbuf's heap ring, split into its two halves.
#[derive(Debug)]
pub struct AsyncRingbuf;

impl Spsc for AsyncRingbuf {
    const NAME: &'static str = "async-ringbuf";
    const OURS: bool = false;
    type Tx = AsyncHeapProd<Msg>;
    type Rx = AsyncHeapCons<Msg>;

    fn channel(capacity: usize) -> (Self::Tx, Self::Rx) {
        AsyncHeapRb::<Msg>::new(capacity).split()
    }
}

impl SpscSender for AsyncHeapProd<Msg> {
    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        AsyncProducer::push(self, msg).await.map_err(|_| Closed)
    }
}

impl SpscReceiver for AsyncHeapCons<Msg> {
    fn recv(&mut self) -> impl Future<Output = Option<Msg>> + Send + '_ {
        AsyncConsumer::pop(self)
    }
}
