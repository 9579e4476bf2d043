// The struct does not implement `ChannelCore`: the error points at it.
#[diatomic_channels::async_channel]
struct Queue {
    value: std::sync::atomic::AtomicUsize,
}

fn main() {}
