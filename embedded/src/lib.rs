//! A `static` channel between an interrupt handler and an async task, with
//! no allocator: the shape of a sampling driver on a Cortex-M
//! (`thumbv7em-none-eabihf`; CI builds this crate for it), tested here on
//! the host, where a thread plays the interrupt.
//!
//! * [`init`] splits the `static` channel once, hands the sender to the
//!   interrupt handler (through a critical-section mutex, as embedded code
//!   shares anything with an interrupt) and returns the receiver.
//! * [`on_sample_interrupt`] is what the handler runs per sample: `try_send`,
//!   which never waits (an interrupt must not), and counts what a full queue
//!   refuses.
//! * [`average_blocks`] is the task: it awaits samples and averages them.
//!
//! With `diatomic-channels` built without `std` and without `alloc`, the
//! channel's state is the `static` itself, and a sender that would block
//! (another task's `send().await`) parks its value in its own pinned future,
//! under a critical section.
#![cfg_attr(not(test), no_std)]

use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};

use critical_section::Mutex;
use diatomic_channels::mpsc::{Cell, InlineRing, RingReceiverRef, RingSenderRef};
use diatomic_channels::Channel;

/// How many samples may wait for the task.
pub const DEPTH: usize = 16;

/// The ring: `DEPTH` samples, inline.
pub type Samples = InlineRing<u16, DEPTH>;

/// The sender the interrupt handler uses.
pub type SampleSender = RingSenderRef<'static, u16, [Cell<u16>; DEPTH]>;

/// The receiver the task uses.
pub type SampleReceiver = RingReceiverRef<'static, u16, [Cell<u16>; DEPTH]>;

/// The channel: a `static`, initialized at compile time.
pub static SAMPLES: Channel<Samples> = Channel::new(InlineRing::new());

/// The interrupt handler's sender, installed by [`init`].
static HANDLER_SENDER: Mutex<RefCell<Option<SampleSender>>> = Mutex::new(RefCell::new(None));

/// Samples the handler could not queue (the task fell `DEPTH` behind).
static DROPPED: AtomicU32 = AtomicU32::new(0);

/// Splits the channel, installs the sender for the interrupt handler, and
/// returns the receiver for the task; `None` if called twice.
pub fn init() -> Option<SampleReceiver> {
    let (tx, rx) = SAMPLES.split()?;
    critical_section::with(|cs| HANDLER_SENDER.borrow_ref_mut(cs).replace(tx));
    Some(rx)
}

/// The interrupt handler's work for one sample: queue it without waiting.
/// Returns whether it was queued.
pub fn on_sample_interrupt(sample: u16) -> bool {
    critical_section::with(|cs| {
        let queued = match HANDLER_SENDER.borrow_ref(cs).as_ref() {
            Some(tx) => tx.try_send(sample).is_ok(),
            None => false,
        };
        if !queued {
            // Ordering: Relaxed; a statistic.
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
        queued
    })
}

/// Another sender for a task that produces too (its `send().await` waits,
/// parked in its own future, while the queue is full); `None` before
/// [`init`] or after [`shutdown`].
pub fn task_sender() -> Option<SampleSender> {
    critical_section::with(|cs| HANDLER_SENDER.borrow_ref(cs).clone())
}

/// Stops the producer side: the handler's sender is dropped, so the task
/// sees the channel close once it has drained it.
pub fn shutdown() {
    let tx = critical_section::with(|cs| HANDLER_SENDER.borrow_ref_mut(cs).take());
    drop(tx);
}

/// How many samples the handler dropped because the queue was full.
pub fn dropped() -> u32 {
    // Ordering: Relaxed; a statistic.
    DROPPED.load(Ordering::Relaxed)
}

/// The task's work: the average of the next `n` samples, or `None` once
/// the producer is gone and the queue drained.
pub async fn average_blocks(rx: &mut SampleReceiver, n: u32) -> Option<u16> {
    let mut sum = 0u32;
    for _ in 0..n {
        sum += u32::from(rx.recv().await.ok()?);
    }
    Some((sum / n.max(1)) as u16)
}

#[cfg(test)]
mod tests {
    //! The same code on the host: a thread plays the interrupt, the test's
    //! thread runs the task with a small `block_on`.

    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct Unpark(std::thread::Thread);

    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::park();
        }
    }

    #[test]
    fn an_interrupt_thread_feeds_the_task_through_the_static_channel() {
        let mut rx = init().expect("first split");
        assert!(init().is_none(), "the halves are handed out once");
        const TASK_SENDS: u32 = if cfg!(miri) { 50 } else { 1_000 };
        // A task that sends too, blocking on the full queue: its values park
        // in its pinned future, under the critical section (this crate
        // builds the channels without `std`).
        let task = task_sender().unwrap();
        let task = std::thread::spawn(move || {
            block_on(async {
                for _ in 0..TASK_SENDS {
                    task.send(102).await.unwrap();
                }
            })
        });
        const SAMPLES_SENT: u32 = if cfg!(miri) { 200 } else { 10_000 };
        let interrupt = std::thread::spawn(|| {
            let mut queued = 0;
            for i in 0..SAMPLES_SENT {
                // A fixed value per block of 8, so that averages are exact.
                if on_sample_interrupt(100 + (i / 8 % 4) as u16) {
                    queued += 1;
                }
                if i % 64 == 0 {
                    std::thread::yield_now();
                }
            }
            shutdown();
            queued
        });
        let mut received = 0;
        let mut blocks = 0;
        while let Some(average) = block_on(average_blocks(&mut rx, 1)) {
            assert!((100..104).contains(&average));
            received += 1;
            blocks += 1;
        }
        let queued = interrupt.join().unwrap();
        task.join().unwrap();
        assert_eq!(received, queued + TASK_SENDS, "every queued sample arrives");
        assert_eq!(queued + dropped(), SAMPLES_SENT, "the rest were counted");
        assert!(blocks > 0);
    }
}
