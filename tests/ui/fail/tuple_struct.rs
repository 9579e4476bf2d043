#[diatomic_channels::async_channel]
struct Queue(std::sync::atomic::AtomicUsize);

fn main() {}
