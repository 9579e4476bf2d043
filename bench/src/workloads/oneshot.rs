//! *Oneshot*: create a oneshot channel, send its value from another task,
//! receive it; over and over, as a request-reply does.
//!
//! One long-lived server task receives requests over a tokio bounded MPSC
//! channel (the same for every contender, with a place for each client, so
//! that only the oneshot channel differs); each request carries a number and
//! the sender of a fresh oneshot channel, and the server replies with the
//! number through it. Each client task, in a loop: creates the channel,
//! sends the request, awaits the receiver, checks the reply. The time runs
//! from the first spawn until every client has had every reply; the figure
//! is round trips per microsecond.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::time::Instant;

use tokio::runtime::Runtime;
use tokio::sync::mpsc;

use crate::contenders::{Msg, Oneshot, OneshotReceiver, OneshotSender, OursOneshot};
use crate::workload::{
    oneshot_runners, Measurement, Metric, Mode, OneshotWorkload, Plot, Point, Target, Workload,
};

/// The client counts of the full suite: one client (every round trip wakes
/// the server and the client), and enough that the server stays busy.
pub const CLIENTS: &[usize] = &[1, 16];

/// Round trips in one sample (all clients together): roughly 50 to 150 ms
/// on two cores in full mode, a fifth of that in quick mode.
fn round_trips(mode: Mode) -> u64 {
    match mode {
        Mode::Full => 200_000,
        Mode::Quick => 40_000,
    }
}

/// The oneshot request-reply with `clients` clients, and its target: ours
/// at least as fast as each peer.
pub fn workload(mode: Mode, clients: &[usize]) -> Workload {
    let points = clients
        .iter()
        .map(|&clients| Point {
            label: format!("clients={clients}"),
            x: clients as f64,
            // The request channel: a place for each client's one request.
            capacity: clients,
            balls: 0,
            tasks: clients,
            count: round_trips(mode) / clients as u64,
        })
        .collect();
    let runners = oneshot_runners::<RequestReply>();
    let targets = runners
        .iter()
        .filter(|r| !r.ours)
        .map(|peer| Target {
            ours: OursOneshot::NAME,
            against: peer.name,
            peers: vec![peer.name],
            factor: 1.0,
        })
        .collect();
    Workload {
        flavor: crate::run::Flavor::MultiThread,
        name: "oneshot",
        description: "clients -> 1 server over tokio mpsc, each reply through a new oneshot"
            .to_string(),
        metric: Metric::Rate("round-trips/us"),
        plot: Some(Plot::Bars),
        points,
        runners,
        targets,
    }
}

/// The oneshot request-reply, for any contender.
#[derive(Debug)]
pub struct RequestReply;

impl OneshotWorkload for RequestReply {
    fn run<C: Oneshot>(rt: &Runtime, point: &Point) -> Measurement {
        let (clients, per_client) = (point.tasks, point.count);
        rt.block_on(async move {
            let (requests, mut inbox) = mpsc::channel::<(Msg, C::Tx)>(point.capacity);
            let start = Instant::now();
            let server = crate::counts::spawn(async move {
                while let Some((n, reply)) = inbox.recv().await {
                    reply.send(n).expect("the client awaits the reply");
                }
            });
            let tasks: Vec<_> = (0..clients)
                .map(|client| {
                    let requests = requests.clone();
                    crate::counts::spawn(async move {
                        let first = (client as u64) << 32;
                        for n in first..first + per_client {
                            let (tx, rx) = C::channel();
                            requests.send((n, tx)).await.expect("the server is alive");
                            let reply = rx.recv().await.expect("the server replies");
                            assert_eq!(reply, n);
                        }
                    })
                })
                .collect();
            drop(requests);
            for task in tasks {
                task.await.expect("client task");
            }
            let elapsed = start.elapsed();
            server.await.expect("server task");
            Measurement::new(clients as u64 * per_client, elapsed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_makes_a_few_round_trips() {
        let rt = crate::run::runtime();
        let mut request_reply = workload(Mode::Quick, CLIENTS);
        for point in &mut request_reply.points {
            point.count = 100;
        }
        for point in &request_reply.points {
            for runner in &request_reply.runners {
                let ops = (runner.run)(&rt, point).ops;
                assert_eq!(ops, 100 * point.tasks as u64, "{}", runner.name);
            }
        }
    }
}
