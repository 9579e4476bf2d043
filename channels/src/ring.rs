//! Positions in a bounded ring of stamped cells ([`Cell`](crate::mpsc::Cell)),
//! shared by the [`mpsc`](crate::mpsc) and [`mpmc`](crate::mpmc) rings.
//!
//! A *position* counts pushes (or pops): `lap * one_lap + index`, where
//! `one_lap` is the smallest power of two above the capacity, so that a
//! cell's stamps "empty, waiting for position `p`" and "full with the item
//! of position `p`" never collide, even at capacity 1 (see the cell).

use crate::mpsc::cell::{empty, full, Cell, ASLEEP};
use crate::sync::Ordering;

/// The power of two above `capacity`, which positions count laps in.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub(crate) fn one_lap(capacity: usize) -> usize {
    capacity
        .checked_add(1)
        .and_then(usize::checked_next_power_of_two)
        .expect("ring capacity too large")
}

/// `capacity` cells, allocated once, each waiting for its first push.
#[cfg(any(feature = "alloc", diatomic_waker_loom))]
pub(crate) fn boxed_cells<T>(capacity: usize) -> alloc::boxed::Box<[Cell<T>]> {
    (0..capacity).map(Cell::waiting_for).collect()
}

/// `N` cells, inline, each waiting for its first push; `const`.
#[cfg(not(diatomic_waker_loom))]
pub(crate) const fn inline_cells<T, const N: usize>() -> [Cell<T>; N] {
    let mut cells = [const { Cell::waiting_for(0) }; N];
    let mut i = 0;
    while i < N {
        cells[i] = Cell::waiting_for(i);
        i += 1;
    }
    cells
}

/// `N` cells, inline, each waiting for its first push.
#[cfg(diatomic_waker_loom)]
pub(crate) fn inline_cells<T, const N: usize>() -> [Cell<T>; N] {
    core::array::from_fn(Cell::waiting_for)
}

/// The cell of `position`.
#[inline(always)]
pub(crate) fn cell<T>(cells: &[Cell<T>], position: usize, one_lap: usize) -> &Cell<T> {
    &cells[position & (one_lap - 1)]
}

/// The position after `position` in a ring of `capacity` cells.
#[inline(always)]
pub(crate) fn next(position: usize, one_lap: usize, capacity: usize) -> usize {
    let index = position & (one_lap - 1);
    if index + 1 < capacity {
        position + 1
    } else {
        // The next lap, index 0.
        (position & !(one_lap - 1)).wrapping_add(one_lap)
    }
}

/// How many items lie between `head` and `tail` (a snapshot, at most the
/// capacity). `head` must be read first: the later `tail` is then at least
/// as far, so the difference is not negative (it may exceed the capacity
/// if pushes and pops ran in between).
pub(crate) fn len(head: usize, tail: usize, one_lap: usize, capacity: usize) -> usize {
    let index = |p: usize| p & (one_lap - 1);
    let laps = (tail / one_lap).wrapping_sub(head / one_lap);
    let len = laps
        .wrapping_mul(capacity)
        .wrapping_add(index(tail))
        .wrapping_sub(index(head));
    len.min(capacity)
}

/// Whether the cell of the tail still holds the previous lap's item: the
/// ring is full there (`ChannelCore::certainly_full`). A stale tail finds
/// its cell taken or filled, never behind: it answers `false`, which is
/// always safe.
pub(crate) fn behind_tail<T>(cells: &[Cell<T>], tail: usize, one_lap: usize) -> bool {
    // Ordering: Relaxed; the runtime's fence before `certainly_full` orders
    // it after the pop that a parked sender could have missed.
    let stamp = cell(cells, tail, one_lap).stamp.load(Ordering::Relaxed) & !ASLEEP;
    (stamp.wrapping_sub(empty(tail)) as isize) < 0
}

/// Drops the items from position `head` on, for a ring's `Drop`.
///
/// # Safety
///
/// No other access to the cells remains (`&mut` of the ring), and `head` is
/// the ring's next position to pop.
pub(crate) unsafe fn drop_items<T>(cells: &[Cell<T>], mut head: usize, one_lap: usize) {
    loop {
        let cell = cell(cells, head, one_lap);
        // Ordering: Relaxed; no other access remains.
        if cell.stamp.load(Ordering::Relaxed) != full(head) {
            return;
        }
        cell.value.with_mut(|value| {
            // Safety: full with the item of position `head`, never popped;
            // dropped once, as `head` moves on.
            unsafe { (*value).assume_init_drop() };
        });
        head = next(head, one_lap, cells.len());
    }
}
