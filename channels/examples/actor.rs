//! An actor: one task owns its state and serves commands from an `mpsc`
//! channel; a command that wants an answer carries a `oneshot` sender for
//! the reply. When every handle is dropped, the actor's `recv` fails and it
//! stops.
//!
//! Run with `cargo run -p diatomic-channels --example actor`.

use diatomic_channels::{mpsc, oneshot};

/// What the actor does on request.
#[derive(Debug)]
enum Command {
    /// Adds to the counter, no reply.
    Add(u64),
    /// Replies with the counter.
    Get(oneshot::Sender<u64>),
}

/// A cheap, cloneable handle to the actor.
#[derive(Clone, Debug)]
struct Counter {
    commands: mpsc::Sender<Command>,
}

impl Counter {
    /// Starts the actor on the current runtime; its mailbox holds 32
    /// commands (senders wait when it is full: backpressure).
    fn spawn() -> (Self, tokio::task::JoinHandle<u64>) {
        let (commands, mut mailbox) = mpsc::channel::<Command>(32);
        let actor = tokio::spawn(async move {
            let mut total = 0;
            while let Ok(command) = mailbox.recv().await {
                match command {
                    Command::Add(n) => total += n,
                    // The asker may have given up: a failed reply is fine.
                    Command::Get(reply) => drop(reply.send(total)),
                }
            }
            total // every handle is gone
        });
        (Self { commands }, actor)
    }

    async fn add(&self, n: u64) {
        self.commands
            .send(Command::Add(n))
            .await
            .expect("the actor runs while a handle exists");
    }

    async fn get(&self) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Get(reply))
            .await
            .expect("the actor runs while a handle exists");
        answer.await.expect("the actor always replies")
    }
}

#[tokio::main]
async fn main() {
    let (counter, actor) = Counter::spawn();
    let workers: Vec<_> = (1..=8u64)
        .map(|w| {
            let counter = counter.clone();
            tokio::spawn(async move {
                for _ in 0..1_000 {
                    counter.add(w).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let now = counter.get().await;
    println!("counter after 8 workers x 1 000 adds: {now}");
    assert_eq!(now, 1_000 * (1..=8).sum::<u64>());
    drop(counter);
    assert_eq!(
        actor.await.unwrap(),
        now,
        "the actor stops when the handles go"
    );
}
