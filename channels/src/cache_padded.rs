//! A value alone on its cache lines, so that writes to its neighbours do not
//! invalidate it in other cores' caches (false sharing).

use core::ops::Deref;

/// `T`, aligned to 128 bytes: two 64-byte lines, since x86's adjacent-line
/// prefetcher pulls lines in pairs (and some ARM cores have 128-byte lines).
#[repr(align(128))]
pub(crate) struct CachePadded<T>(T);

impl<T> CachePadded<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(value)
    }
}

impl<T> Deref for CachePadded<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}
