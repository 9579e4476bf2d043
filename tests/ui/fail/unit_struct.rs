#[diatomic_channels::async_channel]
struct Queue;

fn main() {}
