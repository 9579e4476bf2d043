//! The `--counts` mode's counters are global to the process, so this test
//! lives in a binary of its own: in the library's unit tests, another test's
//! counted tasks ran while this one counted, and it read their polls too.

use diatomic_bench::counts::{set_enabled, spawn, take};

#[test]
fn counts_the_polls_and_wakes_of_a_task_that_waits_once() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    set_enabled(true);
    take();
    rt.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let waiter = spawn(async move { rx.await.unwrap() });
        tokio::task::yield_now().await; // the waiter polls once, waits
        tx.send(7).unwrap(); // one wake
        assert_eq!(waiter.await.unwrap(), 7); // its second poll
    });
    set_enabled(false);
    assert_eq!(take(), (2, 1));
}
