//! A small per-task pseudo-random generator (Marsaglia's xorshift64), so that
//! the pinball's nodes choose their next node without sharing any state.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

/// xorshift64: three shifts and xors per number.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator seeded from `seed` (any value; mixed so that neighbouring
    /// seeds give unrelated sequences, and never zero).
    pub fn new(seed: u64) -> Self {
        // One round of splitmix64's finalizer.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(z | 1)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`; the modulo bias is negligible for the
    /// small `n` used here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}
