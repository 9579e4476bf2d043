//! The halves of [`channel`](super::channel): a one-purpose state machine in
//! an allocation of their own, with no reference count. The last half to
//! leave frees the allocation, as the state word tells it.
//!
//! Why not the generic halves here, as everywhere else in the family: a
//! oneshot is made, used once and freed, so what a channel pays once per
//! life counts per message. The generic halves share an `Arc` (two counts
//! to settle), notify through a [`DiatomicWaker`](diatomic_waker::DiatomicWaker)
//! (a lock word to take and release) and count their senders. Here one word
//! does all of it. A round trip (make, wait, send, receive, drop) costs
//! three read-modify-writes of its own (counted in `tests/costs.rs`) and the
//! waker's clone and wake, where the generic halves paid about ten; 338
//! instructions against 491 (`bench/examples/oneshot_path.rs`). The
//! borrowed home (`oneshot::split` over a [`Once`](super::Once) core, for a
//! `static`) keeps the generic halves: it frees nothing.
//!
//! # The state word
//!
//! | bit | set by | means |
//! |---|---|---|
//! | `VALUE` | the sender | the value is written (set with `TX_DONE`) |
//! | `TX_DONE` | the sender | it sent or was dropped: the receiver waits no more |
//! | `TX_GONE` | the sender | it touches the allocation no more |
//! | `RX_WAKER` | the receiver; cleared by whoever owns the cell | the receiver's waker is in its cell |
//! | `RX_DONE` | the receiver | it closed or was dropped: a send fails |
//! | `RX_GONE` | the receiver | it touches the allocation no more |
//! | `TX_WAKER` | the sender; cleared by whoever owns the cell | the waker of the sender's `closed` is in its cell |
//! | `TAKEN` | the receiver, as it leaves | it took the value |
//!
//! Who may touch what:
//! * the value's cell: the sender until it sets `VALUE` (it may take the
//!   value back while `VALUE` is clear), the receiver after it saw `VALUE`;
//! * a waker's cell: its owner while its bit is clear; once the bit is set,
//!   whoever clears it with a compare-and-swap (the owner, to replace the
//!   waker), or the other half once its own `_DONE` is set while the bit is
//!   (it takes the waker to wake it, then clears the bit);
//! * the allocation: freed by the half whose leaving read-modify-write finds
//!   the other's `_GONE` set. It drops the value if `VALUE` is set and
//!   `TAKEN` is not, and whatever waker is still in a cell.
//!
//! A half that must wake the other takes the waker in two steps (its `_DONE`
//! claims the cell, then its `_GONE` leaves), so that the other half cannot
//! free the allocation under it; one that need not wake anyone leaves in
//! one step; one that finds the other gone (an Acquire load sees its
//! `_GONE`, and with it all it did) frees with no read-modify-write at all,
//! which is how a round trip usually ends.

use alloc::boxed::Box;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ptr::NonNull;
use core::task::{Context, Poll, Waker};

use crate::error::{RecvError, TryRecvError};
use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

const VALUE: usize = 1 << 0;
const TX_DONE: usize = 1 << 1;
const TX_GONE: usize = 1 << 2;
const RX_WAKER: usize = 1 << 3;
const RX_DONE: usize = 1 << 4;
const RX_GONE: usize = 1 << 5;
const TX_WAKER: usize = 1 << 6;
const TAKEN: usize = 1 << 7;

/// What the two halves share.
struct Shared<T> {
    state: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
    rx_waker: UnsafeCell<Option<Waker>>,
    tx_waker: UnsafeCell<Option<Waker>>,
}

impl<T> Shared<T> {
    /// Registers `cx`'s waker in `cell`, which `bit` publishes, unless
    /// `stop` has a bit set or gets one: `Ok` once registered, or
    /// `Err(word)` with the word that has a `stop` bit. `state` is a recent
    /// read of the word. While `bit` is clear the cell is its half's; a
    /// waker left in it on `Err` stays that half's, for the free.
    fn register(
        &self,
        mut state: usize,
        bit: usize,
        stop: usize,
        cell: &UnsafeCell<Option<Waker>>,
        cx: &Context<'_>,
    ) -> Result<(), usize> {
        loop {
            if state & stop != 0 {
                return Err(state);
            }
            if state & bit != 0 {
                // Take the cell back to look at the waker in it.
                // Ordering: AcqRel on success (the cell is this half's
                // again); Acquire on failure, to read the new word.
                match self.state.compare_exchange(
                    state,
                    state & !bit,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                ) {
                    Ok(_) => state &= !bit,
                    Err(now) => {
                        state = now;
                        continue;
                    }
                }
            }
            cell.with_mut(|cell| {
                // Safety: `bit` is clear, so the cell is this half's.
                let cell = unsafe { &mut *cell };
                match cell {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    _ => *cell = Some(cx.waker().clone()),
                }
            });
            // Ordering: AcqRel on success: Release publishes the waker to
            // the other half, whose claim acquires it. Acquire on failure,
            // to read what the other half published.
            match self.state.compare_exchange(
                state,
                state | bit,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return Ok(()),
                Err(now) => state = now,
            }
        }
    }
}

/// Makes the two halves, in one allocation.
pub(crate) fn channel<T>() -> (HeapSender<T>, HeapReceiver<T>) {
    let shared = Box::new(Shared {
        state: AtomicUsize::new(0),
        value: UnsafeCell::new(MaybeUninit::uninit()),
        rx_waker: UnsafeCell::new(None),
        tx_waker: UnsafeCell::new(None),
    });
    // Safety: `Box::into_raw` is never null.
    let shared = unsafe { NonNull::new_unchecked(Box::into_raw(shared)) };
    (
        HeapSender {
            shared,
            _owns: PhantomData,
        },
        HeapReceiver {
            shared,
            finished: false,
            took: false,
            _owns: PhantomData,
        },
    )
}

/// Frees the allocation, with the value if it is still there.
///
/// # Safety
///
/// Both halves have left: `state` is the word after the second `_GONE`,
/// read by the half that set it, and nothing else refers to `shared`.
unsafe fn free<T>(shared: NonNull<Shared<T>>, state: usize) {
    // Safety: made by `Box::into_raw` in `channel`, freed once (the caller's
    // contract: only the half that saw both `_GONE` bits frees).
    let shared = unsafe { Box::from_raw(shared.as_ptr()) };
    if state & (VALUE | TAKEN) == VALUE {
        shared.value.with_mut(|cell| {
            // Safety: `VALUE` without `TAKEN`: written and not taken.
            unsafe { (*cell).assume_init_drop() };
        });
    }
    // The waker cells drop with the box.
}

/// Sends the one value; the home of [`channel`](super::channel)'s sender.
pub(crate) struct HeapSender<T> {
    shared: NonNull<Shared<T>>,
    _owns: PhantomData<T>,
}

// Safety: the value moves to the receiver's thread (`T: Send`); wakers are
// `Send + Sync`; the state word gives each cell to one side at a time.
unsafe impl<T: Send> Send for HeapSender<T> {}
// Safety: `&HeapSender` only reads the state word.
unsafe impl<T: Send> Sync for HeapSender<T> {}
// Nothing is pinned: the value lives in the allocation.
impl<T> Unpin for HeapSender<T> {}

impl<T> HeapSender<T> {
    fn shared(&self) -> &Shared<T> {
        // Safety: this half has not left, so the allocation is there.
        unsafe { self.shared.as_ref() }
    }

    /// Sends `value`, consuming the sender; the value back if the receiver
    /// closed or left.
    pub(crate) fn once_send(self, value: T) -> Result<(), T> {
        let this = ManuallyDrop::new(self);
        let shared = this.shared();
        // Ordering: Acquire: a receiver that left is seen with all it did
        // (`leave` may free at once), and one that closed before the value
        // is written in vain.
        let state = shared.state.load(Ordering::Acquire);
        if state & RX_DONE != 0 {
            // Safety: this half has not left, and leaves now, once.
            let _ = unsafe { leave(this.shared, state, 0) };
            return Err(value);
        }
        shared.value.with_mut(|cell| {
            // Safety: `VALUE` is clear, so the cell is the sender's.
            unsafe { (*cell).write(value) };
        });
        // Safety: as above.
        match unsafe { leave(this.shared, state, VALUE) } {
            Ok(()) => Ok(()),
            Err(state) => {
                let value = shared.value.with_mut(|cell| {
                    // Safety: written above; `VALUE` was not published.
                    unsafe { (*cell).assume_init_read() }
                });
                // Safety: the first `leave` left nothing.
                let _ = unsafe { leave(this.shared, state, 0) };
                Err(value)
            }
        }
    }

    /// Whether the receiver closed or left.
    pub(crate) fn once_is_closed(&self) -> bool {
        // Ordering: Acquire; a snapshot, ordered after what the receiver
        // did before it closed.
        self.shared().state.load(Ordering::Acquire) & RX_DONE != 0
    }

    /// Completes once the receiver closed or left.
    pub(crate) fn once_closed(&mut self) -> impl core::future::Future<Output = ()> + '_ {
        core::future::poll_fn(move |cx| self.poll_closed(cx))
    }

    /// Ready once the receiver closed or left; registers `cx` meanwhile.
    fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let shared = self.shared();
        // Ordering: Acquire, pairs with the receiver's AcqRel RMWs.
        let state = shared.state.load(Ordering::Acquire);
        match shared.register(state, TX_WAKER, RX_DONE, &shared.tx_waker, cx) {
            Ok(()) => Poll::Pending,
            Err(_) => Poll::Ready(()),
        }
    }
}

impl<T> Drop for HeapSender<T> {
    fn drop(&mut self) {
        // Ordering: Acquire, as in `send`.
        let state = self.shared().state.load(Ordering::Acquire);
        // Safety: this half has not left, and leaves now, once.
        let _ = unsafe { leave(self.shared, state, 0) };
    }
}

/// The sender's last step: publishes `value` (`VALUE` or nothing) with
/// `TX_DONE`, wakes a waiting receiver, and leaves, freeing the allocation
/// if the receiver left first. `state` is a recent read of the word. With
/// `VALUE`, `Err(word)` if the receiver closed first: nothing changed, and
/// the caller takes its value back and calls again without it.
///
/// # Safety
///
/// Called by the sender, which has not left; it touches nothing afterwards
/// unless this returned `Err`.
unsafe fn leave<T>(ptr: NonNull<Shared<T>>, mut state: usize, value: usize) -> Result<(), usize> {
    if state & RX_GONE != 0 {
        // The receiver is gone for good, and this read (Acquire) saw all it
        // did: nothing to publish, nobody to race; free with no RMW.
        // Safety: both halves are gone now.
        unsafe { free(ptr, state | TX_DONE | TX_GONE) };
        return Ok(());
    }
    // Safety: the sender has not left.
    let shared = unsafe { ptr.as_ref() };
    let (wake, new) = loop {
        if value != 0 && state & RX_DONE != 0 {
            return Err(state);
        }
        // A receiver that waits (its waker in, not done) is woken: the
        // sender claims its cell now and leaves after taking the waker.
        let wake = state & (RX_WAKER | RX_DONE) == RX_WAKER;
        let new = state | value | TX_DONE | if wake { 0 } else { TX_GONE };
        // Ordering: AcqRel: Release publishes the value (and, leaving, all
        // the sender did) to the receiver; Acquire takes the receiver's
        // waker (and, if it left, all it did, before a free). Acquire on
        // failure, to read the new word.
        match shared
            .state
            .compare_exchange_weak(state, new, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => break (wake, new),
            Err(now) => state = now,
        }
    };
    if !wake {
        if state & RX_GONE != 0 {
            // Safety: both halves are gone, and this one set the second.
            unsafe { free(ptr, new) };
        }
        return Ok(());
    }
    let waker = shared.rx_waker.with_mut(|cell| {
        // Safety: `TX_DONE` with `RX_WAKER` set gives the cell to the
        // sender: the receiver touches it no more.
        unsafe { (*cell).take() }
    });
    // Ordering: AcqRel; Release hands the emptied cell over, Acquire sees
    // what the receiver did if it left meanwhile (before a free).
    let before = shared.state.fetch_xor(TX_GONE | RX_WAKER, Ordering::AcqRel);
    if before & RX_GONE != 0 {
        // Safety: both halves are gone, and this one set the second.
        unsafe { free(ptr, before ^ (TX_GONE | RX_WAKER)) };
    }
    if let Some(waker) = waker {
        waker.wake();
    }
    Ok(())
}

/// Receives the one value; the home of [`channel`](super::channel)'s
/// receiver.
pub(crate) struct HeapReceiver<T> {
    shared: NonNull<Shared<T>>,
    /// The value was taken, or the end reported.
    finished: bool,
    /// The value was taken (its cell is empty).
    took: bool,
    _owns: PhantomData<T>,
}

// Safety: as for `HeapSender`.
unsafe impl<T: Send> Send for HeapReceiver<T> {}
// Safety: `&HeapReceiver` only reads the state word.
unsafe impl<T: Send> Sync for HeapReceiver<T> {}
// Nothing is pinned: the value lives in the allocation.
impl<T> Unpin for HeapReceiver<T> {}

impl<T> HeapReceiver<T> {
    fn shared(&self) -> &Shared<T> {
        // Safety: this half has not left, so the allocation is there.
        unsafe { self.shared.as_ref() }
    }

    /// Takes the value, `VALUE` having been seen (with Acquire).
    fn take(&mut self) -> T {
        self.finished = true;
        self.took = true;
        self.shared().value.with_mut(|cell| {
            // Safety: `VALUE` was seen: written, and the sender touches the
            // cell no more; `took` makes this the only read.
            unsafe { (*cell).assume_init_read() }
        })
    }

    /// Takes the value if it was sent.
    pub(crate) fn once_try_recv(&mut self) -> Result<T, TryRecvError> {
        if self.finished {
            return Err(TryRecvError::Closed);
        }
        // Ordering: Acquire, pairs with the sender's publishing RMW.
        let state = self.shared().state.load(Ordering::Acquire);
        if state & VALUE != 0 {
            Ok(self.take())
        } else if state & (TX_DONE | RX_DONE) != 0 {
            self.finished = true;
            Err(TryRecvError::Closed)
        } else {
            Err(TryRecvError::Empty)
        }
    }

    /// Whether a value was sent and not taken yet.
    pub(crate) fn once_is_sent(&self) -> bool {
        // Ordering: Relaxed; a snapshot.
        !self.finished && self.shared().state.load(Ordering::Relaxed) & VALUE != 0
    }

    /// The value, or the end; registers `cx` while neither has come.
    pub(crate) fn once_poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        if self.finished {
            return Poll::Ready(Err(RecvError));
        }
        let shared = self.shared();
        // Ordering: Acquire, pairs with the sender's publishing RMW.
        let state = shared.state.load(Ordering::Acquire);
        let stop = VALUE | TX_DONE | RX_DONE;
        let state = match shared.register(state, RX_WAKER, stop, &shared.rx_waker, cx) {
            Ok(()) => return Poll::Pending,
            Err(state) => state,
        };
        if state & VALUE != 0 {
            Poll::Ready(Ok(self.take()))
        } else {
            self.finished = true;
            Poll::Ready(Err(RecvError))
        }
    }

    /// Stops waiting (a blocking receive's time ran out): takes its waker
    /// back, so that a later send does not wake a thread that left. If the
    /// sender claimed the cell meanwhile, it wakes that waker, once.
    #[cfg(feature = "std")]
    fn stop_waiting(&mut self) {
        let shared = self.shared();
        // Ordering: Acquire, as in `poll_recv`.
        let state = shared.state.load(Ordering::Acquire);
        if state & (RX_WAKER | TX_DONE) != RX_WAKER {
            return;
        }
        // Ordering: AcqRel on success, as in `poll_recv`; Relaxed on
        // failure, where nothing is read.
        let reclaimed = shared
            .state
            .compare_exchange(
                state,
                state & !RX_WAKER,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok();
        if reclaimed {
            let waker = shared.rx_waker.with_mut(|cell| {
                // Safety: `RX_WAKER` is clear again, by this receiver.
                unsafe { (*cell).take() }
            });
            drop(waker);
        }
    }

    /// Waits on this thread for the value, the end, or `deadline`.
    #[cfg(feature = "std")]
    pub(crate) fn once_recv_until(
        &mut self,
        deadline: Option<std::time::Instant>,
    ) -> Result<T, crate::error::RecvTimeoutError> {
        use crate::error::RecvTimeoutError;
        // A short wait for a value already on its way, without registering.
        let quick = crate::parker::spin_for(|| match self.once_try_recv() {
            Err(TryRecvError::Empty) => None,
            other => Some(other),
        });
        if let Some(result) = quick {
            return result.map_err(|_| RecvTimeoutError::Closed);
        }
        let received = {
            let recv = core::pin::pin!(core::future::poll_fn(|cx| self.once_poll_recv(cx)));
            crate::blocking::block_on_until(recv, deadline)
        };
        match received {
            Some(result) => result.map_err(RecvTimeoutError::from),
            None => {
                self.stop_waiting();
                Err(RecvTimeoutError::Timeout)
            }
        }
    }

    /// Closes: a send fails from now on; a value sent already stays.
    pub(crate) fn once_close(&mut self) {
        let shared = self.shared();
        // Ordering: Acquire, pairs with the sender's AcqRel RMWs.
        let mut state = shared.state.load(Ordering::Acquire);
        loop {
            if state & RX_DONE != 0 {
                return;
            }
            // A sender waiting in `closed` is woken: the receiver claims its
            // cell with `RX_DONE`, then takes the waker.
            let wake = state & (TX_WAKER | TX_DONE) == TX_WAKER;
            // Ordering: AcqRel: Acquire takes the sender's waker, Release
            // orders this close before what the sender does on seeing it.
            // Acquire on failure, to read the new word.
            match shared.state.compare_exchange_weak(
                state,
                state | RX_DONE,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) if wake => {
                    let waker = shared.tx_waker.with_mut(|cell| {
                        // Safety: `RX_DONE` with `TX_WAKER` set gives the
                        // cell to the receiver.
                        unsafe { (*cell).take() }
                    });
                    // Ordering: Release, hands the emptied cell back.
                    shared.state.fetch_xor(TX_WAKER, Ordering::Release);
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                    return;
                }
                Ok(_) => return,
                Err(now) => state = now,
            }
        }
    }
}

impl<T> Drop for HeapReceiver<T> {
    fn drop(&mut self) {
        let ptr = self.shared;
        let shared = self.shared();
        let taken = if self.took { TAKEN } else { 0 };
        // Ordering: Acquire, pairs with the sender's AcqRel RMWs.
        let mut state = shared.state.load(Ordering::Acquire);
        if state & TX_GONE != 0 {
            // The sender is gone for good, and this read saw all it did:
            // nobody to race, nobody to wake; free with no RMW (the common
            // end of a round trip).
            // Safety: both halves are gone now.
            unsafe { free(ptr, state | RX_DONE | RX_GONE | taken) };
            return;
        }
        loop {
            // A sender waiting in `closed` is woken, in two steps as in
            // `close`; otherwise the receiver leaves in one.
            let wake = state & (TX_WAKER | TX_DONE | RX_DONE) == TX_WAKER;
            let new = if wake {
                state | RX_DONE
            } else {
                state | RX_DONE | RX_GONE | taken
            };
            // Ordering: AcqRel: Release hands over all the receiver did
            // (its take of the value) before a free by the sender; Acquire
            // sees all the sender did before a free by the receiver, and
            // its waker. Acquire on failure, to read the new word.
            match shared.state.compare_exchange_weak(
                state,
                new,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) if wake => break,
                Ok(_) => {
                    if state & TX_GONE != 0 {
                        // Safety: both halves are gone, this one second.
                        unsafe { free(ptr, new) };
                    }
                    return;
                }
                Err(now) => state = now,
            }
        }
        let waker = shared.tx_waker.with_mut(|cell| {
            // Safety: `RX_DONE` with `TX_WAKER` set gives the cell to the
            // receiver.
            unsafe { (*cell).take() }
        });
        // Ordering: AcqRel, as for the one-step leave above.
        let before = shared
            .state
            .fetch_xor(RX_GONE | TX_WAKER | taken, Ordering::AcqRel);
        if before & TX_GONE != 0 {
            // Safety: both halves are gone, this one second.
            unsafe { free(ptr, before ^ (RX_GONE | TX_WAKER | taken)) };
        }
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
