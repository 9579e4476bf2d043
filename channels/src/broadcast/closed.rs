//! [`Closed`]: a sender's wait for the last receiver to go, as tokio's
//! `broadcast::Sender::closed`.

use super::ring::Shared;
use crate::closed_wait::{closed_future, Closing};
use crate::receiver_line::ReceiverLine;

impl<T> Closing for Shared<T> {
    fn closing(&self) -> &ReceiverLine {
        &self.closing
    }

    fn no_receiver_left(&self) -> bool {
        // Under the registry's lock, which the last receiver's drop takes
        // before it wakes the line.
        self.receiver_count() == 0
    }
}

closed_future! {
    /// The future of [`Sender::closed`](super::Sender::closed) and
    /// [`BackpressureSender::closed`](super::BackpressureSender::closed):
    /// completes once no receiver is left. Dropping it loses nothing.
    Shared
}
