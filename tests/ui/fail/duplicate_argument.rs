#[diatomic_channels::async_channel(sender = Tx, receiver = Rx, sender = Tx2)]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
