//! Steps that must all run even if one of them panics.
//!
//! Waking a waker runs user code, which may panic. Where one call wakes
//! several waiters (a close, a value every receiver reads, rooms freed
//! together), each waiter woken is owed its wakeup: a panic in one wake
//! must not leave the others asleep. So the steps left run while the panic
//! unwinds, then the panic goes on to the caller. A second panic during
//! that unwinding aborts the process, as for any panic in a drop during
//! unwinding.

/// Runs `step` `count` times, through panics (see the module docs).
#[inline]
pub(crate) fn repeat_through_panics(count: usize, step: impl FnMut()) {
    let mut step = step;
    repeat_while_through_panics(count, || {
        step();
        true
    });
}

/// Runs `step` while it returns true, through panics (see the module docs).
#[inline]
pub(crate) fn run_while_through_panics(step: impl FnMut() -> bool) {
    repeat_while_through_panics(usize::MAX, step);
}

/// Runs `first`, then `then`, which runs even if `first` panics (before
/// the panic goes on).
#[inline]
pub(crate) fn then_through_panics(first: impl FnOnce(), then: impl FnOnce()) {
    struct Then<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for Then<F> {
        fn drop(&mut self) {
            if let Some(then) = self.0.take() {
                then();
            }
        }
    }
    let then = Then(Some(then));
    first();
    drop(then);
}

/// Calls `step` at most `count` times, until it returns false; the steps
/// left run while a panic unwinds.
#[inline]
fn repeat_while_through_panics(count: usize, step: impl FnMut() -> bool) {
    struct Left<F: FnMut() -> bool> {
        count: usize,
        step: F,
    }
    impl<F: FnMut() -> bool> Left<F> {
        #[inline]
        fn run(&mut self) {
            while self.count > 0 {
                self.count -= 1;
                if !(self.step)() {
                    self.count = 0;
                }
            }
        }
    }
    impl<F: FnMut() -> bool> Drop for Left<F> {
        fn drop(&mut self) {
            self.run();
        }
    }
    Left { count, step }.run();
}
