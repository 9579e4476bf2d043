#[diatomic_channels::async_channel]
struct Queue<'a> {
    value: &'a std::sync::atomic::AtomicUsize,
}

fn main() {}
