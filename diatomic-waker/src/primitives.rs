//! The paths of diatomic-waker 0.1, kept for code written against it.
//!
//! ```
//! #![allow(deprecated)]
//! use diatomic_waker::primitives::DiatomicWaker;
//! DiatomicWaker::new().notify();
//! ```

pub use crate::{DiatomicWaker, WaitUntil};
