#[diatomic_channels::async_channel]
enum Queue {
    Empty,
}

fn main() {}
