//! The reference page's channel of capacity 1 for `NonZeroUsize` values, with
//! several senders and one async receiver, hand-written over `WakeSink`.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diatomic_waker::{WakeSink, WakeSource};

/// The sending side; clone it for more senders.
#[derive(Clone, Debug)]
pub struct Sender {
    wake_source: WakeSource,
    slot: Arc<AtomicUsize>,
}

/// The receiving side.
#[derive(Debug)]
pub struct Receiver {
    wake_sink: WakeSink,
    slot: Arc<AtomicUsize>,
}

/// Creates an empty channel.
pub fn channel() -> (Sender, Receiver) {
    let slot = Arc::new(AtomicUsize::new(0));
    let wake_sink = WakeSink::new();
    let wake_source = wake_sink.source();
    (
        Sender {
            wake_source,
            slot: slot.clone(),
        },
        Receiver { wake_sink, slot },
    )
}

impl Sender {
    /// Stores `value` if the slot is empty and notifies the receiver;
    /// otherwise hands the value back.
    pub fn try_send(&self, value: NonZeroUsize) -> Result<(), NonZeroUsize> {
        // Ordering: Relaxed; the value is the atomic itself (zero = empty).
        self.slot
            .compare_exchange(0, value.get(), Ordering::Relaxed, Ordering::Relaxed)
            .map_err(|_| value)?;
        self.wake_source.notify();
        Ok(())
    }

    /// Notifies the receiver without sending, for a condition outside the
    /// channel that `Receiver::recv_until` checks.
    pub fn notify_receiver(&self) {
        self.wake_source.notify();
    }
}

impl Receiver {
    /// Waits for a value.
    pub async fn recv(&mut self) -> NonZeroUsize {
        let slot = &self.slot;
        self.wake_sink
            // Ordering: Relaxed, as in `try_send`.
            .wait_until(|| NonZeroUsize::new(slot.swap(0, Ordering::Relaxed)))
            .await
    }

    /// Waits for a value, or for `done()` to return true with the slot empty.
    pub async fn recv_until(&mut self, mut done: impl FnMut() -> bool) -> Option<NonZeroUsize> {
        let slot = &self.slot;
        self.wake_sink
            .wait_until(|| {
                // Ordering: Relaxed, as in `try_send`.
                if let Some(v) = NonZeroUsize::new(slot.swap(0, Ordering::Relaxed)) {
                    return Some(Some(v));
                }
                // Once `done`, no sender stores any more: one last look.
                done().then(|| NonZeroUsize::new(slot.swap(0, Ordering::Relaxed)))
            })
            .await
    }
}
