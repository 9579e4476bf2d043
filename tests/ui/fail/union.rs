#[diatomic_channels::async_channel]
union Queue {
    a: u32,
}

fn main() {}
