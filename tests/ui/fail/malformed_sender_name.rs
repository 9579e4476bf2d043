#[diatomic_channels::async_channel(sender = "Tx")]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
