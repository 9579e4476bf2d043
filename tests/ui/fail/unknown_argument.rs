#[diatomic_channels::async_channel(capacity = 4)]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
