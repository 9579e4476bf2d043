// `force_send` takes the oldest item out as another receiver would: a core
// with one receiver (`mpsc`'s ring here) cannot have it.
fn main() {
    let (tx, _rx) = diatomic_channels::mpsc::channel::<u32>(2);
    let _ = tx.force_send(1);
}
