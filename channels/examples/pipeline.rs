//! A pipeline: stages connected by `spsc` channels, each stage a task
//! that receives from the one before and sends to the one after. A full
//! channel makes the stage before it wait (backpressure end to end);
//! dropping a stage's sender ends the next stage once it has drained.
//!
//! Run with `cargo run -p diatomic-channels --example pipeline`.

use diatomic_channels::spsc;

#[tokio::main]
async fn main() {
    let (mut numbers, mut numbers_rx) = spsc::channel::<u64>(64);
    let (mut squares, mut squares_rx) = spsc::channel::<u64>(64);
    let (mut evens, mut evens_rx) = spsc::channel::<u64>(64);

    let source = tokio::spawn(async move {
        for n in 1..=10_000 {
            numbers.send(n).await.expect("the next stage runs");
        }
        // `numbers` drops here: the next stage ends once it has drained.
    });
    let square = tokio::spawn(async move {
        while let Ok(n) = numbers_rx.recv().await {
            squares.send(n * n).await.expect("the next stage runs");
        }
    });
    let keep_even = tokio::spawn(async move {
        while let Ok(n) = squares_rx.recv().await {
            if n % 2 == 0 {
                evens.send(n).await.expect("the sink runs");
            }
        }
    });
    let mut sum = 0;
    let mut count = 0;
    while let Ok(n) = evens_rx.recv().await {
        sum += n;
        count += 1;
    }
    for stage in [source, square, keep_even] {
        stage.await.unwrap();
    }
    println!("{count} even squares of 1..=10 000, summing to {sum}");
    assert_eq!(count, 5_000);
    assert_eq!(sum, (1..=5_000u64).map(|k| 4 * k * k).sum::<u64>());
}
