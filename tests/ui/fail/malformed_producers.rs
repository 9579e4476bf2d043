#[diatomic_channels::async_channel(producers = three)]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
