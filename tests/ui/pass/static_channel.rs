// A core declared with the attribute lives in a `static`: `Channel::new` is
// `const`, `split` hands out the borrowed halves once, named after the
// declared ones (`<Sender>Ref`, `<Receiver>Ref`) or as `sender_ref` /
// `receiver_ref` say. They have the methods of the `Arc` halves.
use std::sync::atomic::{AtomicU32, Ordering};

use diatomic_channels::{async_channel, Channel, ChannelCore, Consumer, Many, Producer};

/// Capacity 1 for non-zero `u32`s.
#[async_channel(sender = CellTx, receiver = CellRx)]
pub struct Cell {
    value: AtomicU32,
}

impl Cell {
    const fn new() -> Self {
        Self { value: AtomicU32::new(0) }
    }
}

impl ChannelCore for Cell {
    type Item = u32;
    fn try_push(&self, v: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        self.value
            .compare_exchange(0, v, Ordering::AcqRel, Ordering::Relaxed)
            .map(drop)
            .map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        Some(self.value.swap(0, Ordering::AcqRel)).filter(|&v| v != 0)
    }
}

/// The same core, its borrowed halves named.
#[async_channel(sender_ref = StaticTx, receiver_ref = StaticRx)]
pub struct Named {
    value: AtomicU32,
}

impl ChannelCore for Named {
    type Item = u32;
    fn try_push(&self, v: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        self.value
            .compare_exchange(0, v, Ordering::AcqRel, Ordering::Relaxed)
            .map(drop)
            .map_err(|_| v)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        Some(self.value.swap(0, Ordering::AcqRel)).filter(|&v| v != 0)
    }
}

static CELL: Channel<Cell> = Channel::new(Cell::new());
static NAMED: Channel<Named> = Channel::new(Named { value: AtomicU32::new(0) });

fn producer(tx: CellTxRef<'static>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for v in 1..=3 {
            tx.send_blocking(v).unwrap();
        }
    })
}

fn main() {
    let (tx, mut rx): (CellTxRef<'static>, CellRxRef<'static>) = CELL.split().unwrap();
    assert!(CELL.split().is_none());
    let clone = tx.clone();
    let t = producer(tx);
    let got: Vec<u32> = (0..3).map(|_| rx.recv_blocking().unwrap()).collect();
    assert_eq!(got, [1, 2, 3]);
    t.join().unwrap();
    drop(clone);
    assert!(rx.recv_blocking().is_err(), "every sender gone");

    let (tx, mut rx): (StaticTx<'static>, StaticRx<'static>) = NAMED.split().unwrap();
    tx.try_send(9).unwrap();
    assert_eq!(rx.try_recv(), Ok(9));
    drop(rx);
    assert!(tx.is_closed());

    // A channel on the stack: the halves borrow it.
    let local = Channel::new(Cell::new());
    let (tx, mut rx) = local.split().unwrap();
    tx.try_send(4).unwrap();
    assert_eq!(rx.try_recv(), Ok(4));
}
