//! The blocking calls from threads: timeouts and deadlines hand the value
//! back, a value is never both sent and handed back, and a blocking call
//! nested inside another one on the same thread is refused.

use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

use diatomic_channels::{
    mpsc, oneshot, slot, spsc, ChannelCore, Consumer, Many, Producer, RecvTimeoutError,
    SendTimeoutError,
};

const SHORT: Duration = Duration::from_millis(20);
const LONG: Duration = Duration::from_secs(60);

#[test]
fn a_send_that_times_out_hands_its_value_back_many_producers() {
    let (tx, mut rx) = mpsc::channel::<String>(1);
    tx.try_send("first".into()).unwrap();
    let started = Instant::now();
    let err = tx.send_timeout("second".into(), SHORT).unwrap_err();
    assert!(started.elapsed() >= SHORT, "it waited the whole timeout");
    assert_eq!(err, SendTimeoutError::Timeout("second".to_string()));
    // The value left the blocked senders' queue: it is not delivered.
    assert_eq!(rx.try_recv().as_deref(), Ok("first"));
    assert!(rx.try_recv().is_err());
    // The channel goes on.
    tx.send_timeout("third".into(), SHORT).unwrap();
    assert_eq!(rx.try_recv().as_deref(), Ok("third"));
}

#[test]
fn a_send_that_times_out_hands_its_value_back_one_producer() {
    let (mut tx, mut rx) = spsc::channel::<u32>(1);
    tx.send_timeout(1, SHORT).unwrap();
    assert_eq!(
        tx.send_deadline(2, Instant::now() + SHORT),
        Err(SendTimeoutError::Timeout(2))
    );
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(rx.try_recv().is_err());
}

#[test]
fn a_deadline_in_the_past_still_tries_once() {
    let (tx, mut rx) = slot::channel::<u32>();
    let past = Instant::now() - Duration::from_millis(1);
    tx.send_deadline(1, past).unwrap();
    assert_eq!(tx.send_deadline(2, past), Err(SendTimeoutError::Timeout(2)));
    assert_eq!(rx.recv_deadline(past), Ok(1));
    assert_eq!(rx.recv_deadline(past), Err(RecvTimeoutError::Timeout));
}

#[test]
fn a_timed_send_completes_when_room_frees_in_time() {
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(1).unwrap();
    let receiver = thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        let first = rx.recv_blocking();
        (first, rx.recv_timeout(LONG))
    });
    tx.send_timeout(2, LONG).unwrap();
    assert_eq!(receiver.join().unwrap(), (Ok(1), Ok(2)));
}

#[test]
fn a_timed_send_fails_closed_when_the_receiver_leaves_meanwhile() {
    let (tx, rx) = mpsc::channel::<u32>(1);
    tx.try_send(1).unwrap();
    let receiver = thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        drop(rx);
    });
    assert_eq!(tx.send_timeout(2, LONG), Err(SendTimeoutError::Closed(2)));
    receiver.join().unwrap();
}

#[test]
fn a_receive_times_out_then_still_receives() {
    let (tx, mut rx) = mpsc::channel::<u32>(4);
    let started = Instant::now();
    assert_eq!(rx.recv_timeout(SHORT), Err(RecvTimeoutError::Timeout));
    assert!(started.elapsed() >= SHORT);
    let sender = thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        tx.send_blocking(5).unwrap();
    });
    assert_eq!(rx.recv_timeout(LONG), Ok(5));
    sender.join().unwrap();
    assert_eq!(rx.recv_timeout(SHORT), Err(RecvTimeoutError::Closed));
}

#[test]
fn a_oneshot_receiver_waits_again_after_a_timeout() {
    let (tx, mut rx) = oneshot::channel::<u32>();
    assert_eq!(rx.recv_timeout(SHORT), Err(RecvTimeoutError::Timeout));
    let sender = thread::spawn(move || tx.send(9));
    assert_eq!(rx.recv_timeout(LONG), Ok(9));
    sender.join().unwrap().unwrap();
}

/// Timed sends racing a slow receiver: each value is either received or
/// handed back, never both and never neither.
#[test]
fn timed_out_values_are_never_also_delivered() {
    let (producers, per_producer) = if cfg!(miri) { (2, 20) } else { (4, 2_000) };
    let (tx, mut rx) = mpsc::channel::<u64>(2);
    let handed_back: Vec<_> = (0..producers)
        .map(|p| {
            let tx = tx.clone();
            thread::spawn(move || {
                let mut back = Vec::new();
                for i in 0..per_producer {
                    let v = p * per_producer + i;
                    let timeout = Duration::from_micros(i % 50);
                    match tx.send_timeout(v, timeout) {
                        Ok(()) => {}
                        Err(SendTimeoutError::Timeout(v)) => back.push(v),
                        Err(SendTimeoutError::Closed(_)) => panic!("the receiver is alive"),
                    }
                }
                back
            })
        })
        .collect();
    drop(tx);
    let mut received = HashSet::new();
    let mut n = 0u64;
    while let Ok(v) = rx.recv_blocking() {
        assert!(received.insert(v), "{v} received twice");
        n += 1;
        if n % 7 == 0 {
            thread::yield_now(); // a slow receiver: sends time out
        }
    }
    let mut seen = received;
    for handle in handed_back {
        for v in handle.join().unwrap() {
            assert!(seen.insert(v), "{v} was both received and handed back");
        }
    }
    assert_eq!(
        seen.len() as u64,
        producers * per_producer,
        "every value accounted for"
    );
}

/// A core whose pop makes a blocking call on another channel, an empty one:
/// once the outer receive runs its future (after the short watch that
/// comes before it, where these inner calls time out harmlessly), a
/// blocking call nested in another on the same thread.
#[diatomic_channels::async_channel(sender = NestSender, receiver = NestReceiver)]
struct Nest {
    armed: std::sync::atomic::AtomicBool,
    other: std::sync::Mutex<mpsc::Receiver<u32>>,
}

impl ChannelCore for Nest {
    type Item = u32;
    fn try_push(&self, item: u32, _: Producer<'_, Many>) -> Result<(), u32> {
        Err(item)
    }
    fn try_pop(&self, _: Consumer<'_>) -> Option<u32> {
        if !self.armed.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let mut other = self.other.lock().unwrap_or_else(|p| p.into_inner());
        other.recv_timeout(Duration::from_millis(1)).ok()
    }
}

#[test]
fn a_blocking_call_nested_in_another_is_refused_and_the_thread_goes_on() {
    let (_other_tx, other_rx) = mpsc::channel::<u32>(1);
    let (_tx, mut rx) = Nest {
        armed: true.into(),
        other: std::sync::Mutex::new(other_rx),
    }
    .into_channel();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rx.recv_blocking()));
    let message = result.unwrap_err();
    let message = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(message.contains("inside another one"), "{message}");
    // The thread's blocking calls work afterwards.
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.send_blocking(3).unwrap();
    assert_eq!(rx.recv_timeout(SHORT), Ok(3));
}
