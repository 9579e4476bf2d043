// Two generated halves may not share a name.
#[diatomic_channels::async_channel(sender = Tx, receiver_ref = Tx)]
pub struct Queue {
    value: std::sync::atomic::AtomicU32,
}

fn main() {}
