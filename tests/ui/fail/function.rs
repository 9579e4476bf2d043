#[diatomic_channels::async_channel]
fn queue() {}

fn main() {}
