//! A weak handle's upgrade: one more live handle of a side, only while one
//! is alive. Never from zero, since the last handle's drop has closed that
//! side (and acted on it) for good.

use crate::sync::{AtomicUsize, Ordering};

/// Adds `unit` to `count` (handles of one side, counted in units of
/// `unit`: the low bits may hold flags) unless fewer than one unit is
/// left; true if it was added.
///
/// # Panics
///
/// Past half the address space (a `mem::forget` loop), naming `what`.
pub(crate) fn add_if_alive(count: &AtomicUsize, unit: usize, what: &str) -> bool {
    // Ordering: Relaxed, as for a clone: while the count is a unit or more
    // the new handle is counted next to a live one, whose drop then is not
    // the last; below a unit the CAS is not tried and nothing is made.
    let mut current = count.load(Ordering::Relaxed);
    loop {
        if current < unit {
            return false;
        }
        if current > usize::MAX / 2 {
            panic!("too many {what}");
        }
        // Ordering: Relaxed, as said above (a failure only reloads).
        match count.compare_exchange_weak(
            current,
            current + unit,
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            Ok(_) => return true,
            Err(now) => current = now,
        }
    }
}
