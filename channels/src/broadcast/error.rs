//! The receive errors of `broadcast`, with tokio's names: a receiver can
//! fall behind, which the other members' receivers cannot.

use core::fmt;

/// `recv` failed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use diatomic_channels::broadcast::{self, RecvError};
///
/// let (tx, mut rx) = broadcast::channel(2);
/// for i in 0..5 {
///     tx.send(i).unwrap();
/// }
/// // Three values were overwritten before this receiver read them.
/// assert_eq!(rx.recv().await, Err(RecvError::Lagged(3)));
/// assert_eq!(rx.recv().await, Ok(3));
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecvError {
    /// Every sender is gone and this receiver has seen every value.
    Closed,
    /// The receiver fell behind (only with [`channel`](super::channel),
    /// whose sends overwrite the oldest value): this many values were
    /// overwritten before it read them. It now stands at the oldest value
    /// still held, which the next receive returns.
    Lagged(u64),
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed => f.write_str("receiving on a closed channel"),
            Self::Lagged(n) => write!(f, "receiver lagged behind by {n} values"),
        }
    }
}

impl core::error::Error for RecvError {}

/// `try_recv` failed.
///
/// ```
/// use diatomic_channels::broadcast::{self, TryRecvError};
///
/// let (tx, mut rx) = broadcast::channel::<u8>(4);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryRecvError {
    /// No value this receiver has not seen; senders remain.
    Empty,
    /// Every sender is gone and this receiver has seen every value.
    Closed,
    /// As [`RecvError::Lagged`].
    Lagged(u64),
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("receiving on an empty channel"),
            Self::Closed => f.write_str("receiving on a closed channel"),
            Self::Lagged(n) => write!(f, "receiver lagged behind by {n} values"),
        }
    }
}

impl core::error::Error for TryRecvError {}

impl From<RecvError> for TryRecvError {
    fn from(e: RecvError) -> Self {
        match e {
            RecvError::Closed => Self::Closed,
            RecvError::Lagged(n) => Self::Lagged(n),
        }
    }
}
