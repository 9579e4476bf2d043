//! A doubly linked list of places that live inside pinned futures, linked
//! through links the places carry: no allocation. The blocked senders'
//! queue and the waiting receivers' line both use it, each under its own
//! lock.

use core::ptr::NonNull;

/// The links a place carries: its neighbours, and whether it is in a list.
pub(crate) struct Links<W> {
    prev: Option<NonNull<W>>,
    next: Option<NonNull<W>>,
    linked: bool,
}

impl<W> Links<W> {
    /// Not in any list.
    pub(crate) const fn new() -> Self {
        Self {
            prev: None,
            next: None,
            linked: false,
        }
    }

    /// Whether the place is in a list.
    pub(crate) fn is_linked(&self) -> bool {
        self.linked
    }
}

/// A place that can be linked into a [`List`].
///
/// # Safety
///
/// `with_links` gives `f` the links of `w` and nothing else touches them
/// meanwhile, as long as its own caller keeps its contract.
pub(crate) unsafe trait Linked: Sized {
    /// Runs `f` on the links of `w`.
    ///
    /// # Safety
    ///
    /// Under the lock of the list `w` is (or goes) in, with `w` valid (a
    /// linked place is), and not from within another access to the same
    /// place.
    unsafe fn with_links<R>(w: NonNull<Self>, f: impl FnOnce(&mut Links<Self>) -> R) -> R;
}

/// A doubly linked list of places, oldest first.
pub(crate) struct List<W> {
    head: Option<NonNull<W>>,
    tail: Option<NonNull<W>>,
}

impl<W: Linked> List<W> {
    pub(crate) const fn new() -> Self {
        Self {
            head: None,
            tail: None,
        }
    }

    /// The first place, if any.
    pub(crate) fn head(&self) -> Option<NonNull<W>> {
        self.head
    }

    /// # Safety
    ///
    /// Under the lock; `w` valid and not linked.
    pub(crate) unsafe fn push_back(&mut self, w: NonNull<W>) {
        // Safety: the caller's contract.
        unsafe { self.link_between(w, self.tail, None) }
    }

    /// # Safety
    ///
    /// Under the lock; `w` valid and not linked.
    pub(crate) unsafe fn push_front(&mut self, w: NonNull<W>) {
        // Safety: the caller's contract.
        unsafe { self.link_between(w, None, self.head) }
    }

    /// Links `w` between the neighbours `prev` and `next` (the inverse of
    /// `unlink`).
    ///
    /// # Safety
    ///
    /// Under the lock; `w` valid and not linked; `prev` and `next` adjacent
    /// in this list (or its ends).
    unsafe fn link_between(
        &mut self,
        w: NonNull<W>,
        prev: Option<NonNull<W>>,
        next: Option<NonNull<W>>,
    ) {
        // Safety: the caller's contract (and below: linked places are valid).
        unsafe {
            W::with_links(w, |l| {
                l.prev = prev;
                l.next = next;
                l.linked = true;
            })
        };
        match prev {
            // Safety: as above.
            Some(p) => unsafe { W::with_links(p, |l| l.next = Some(w)) },
            None => self.head = Some(w),
        }
        match next {
            // Safety: as above.
            Some(x) => unsafe { W::with_links(x, |l| l.prev = Some(w)) },
            None => self.tail = Some(w),
        }
    }

    /// # Safety
    ///
    /// Under the lock; `w` linked in this list.
    pub(crate) unsafe fn unlink(&mut self, w: NonNull<W>) {
        // Safety: linked places are valid (and below).
        let (prev, next) = unsafe {
            W::with_links(w, |l| {
                l.linked = false;
                (l.prev.take(), l.next.take())
            })
        };
        match prev {
            // Safety: as above.
            Some(p) => unsafe { W::with_links(p, |l| l.next = next) },
            None => self.head = next,
        }
        match next {
            // Safety: as above.
            Some(x) => unsafe { W::with_links(x, |l| l.prev = prev) },
            None => self.tail = prev,
        }
    }

    /// # Safety
    ///
    /// Under the lock.
    pub(crate) unsafe fn pop_front(&mut self) -> Option<NonNull<W>> {
        let head = self.head?;
        // Safety: the caller's contract; `head` is linked here.
        unsafe { self.unlink(head) };
        Some(head)
    }
}
