#[diatomic_channels::async_channel(receivers = several)]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
