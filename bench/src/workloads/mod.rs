//! The workloads: funnel, pinball and ping-pong over MPSC channels; the
//! pool over MPMC channels; the
//! SPSC stream; the oneshot request-reply; the watch update rate, with one
//! receiver and with many (watch-many); the broadcast fan-out; the
//! thread funnel and thread ping-pong (threads only); threads feeding a
//! task and tasks feeding a thread (mixed).
//!
//! Not run by itself: see `benches/channels.rs` for the command.

pub mod fan_out;
pub mod funnel;
pub mod mixed;
pub mod oneshot;
pub mod pinball;
pub mod ping_pong;
pub mod pool;
pub mod spsc;
pub mod thread_funnel;
pub mod thread_ping_pong;
pub mod watch;
pub mod watch_many;
mod xorshift;

use crate::run::Flavor;
use crate::workload::{Mode, Workload};

/// Every workload of the suite, at every point, in the order they run.
pub fn all(mode: Mode) -> Vec<Workload> {
    vec![
        funnel::workload(mode, funnel::CAPACITIES),
        pinball::workload(mode, pinball::BALLS),
        pool::workload(mode, pool::CAPACITIES),
        funnel::workload(mode, funnel::CAPACITIES)
            .on(Flavor::Oversubscribed, "funnel-oversubscribed"),
        pinball::workload(mode, pinball::BALLS)
            .on(Flavor::Oversubscribed, "pinball-oversubscribed"),
        funnel::workload(mode, funnel::CAPACITIES)
            .on(Flavor::CurrentThread, "funnel-current-thread"),
        pinball::workload(mode, pinball::BALLS).on(Flavor::CurrentThread, "pinball-current-thread"),
        ping_pong::workload(mode),
        spsc::workload(mode, spsc::CAPACITIES),
        oneshot::workload(mode, oneshot::CLIENTS),
        watch::workload(mode, watch::SENDERS),
        watch_many::workload(mode, watch_many::RECEIVERS),
        fan_out::workload(mode, fan_out::RECEIVERS),
        thread_funnel::workload(mode, thread_funnel::CAPACITIES),
        thread_ping_pong::workload(mode),
        mixed::threads_to_task(mode, mixed::CAPACITIES),
        mixed::tasks_to_thread(mode, mixed::CAPACITIES),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workloads that keep points under `filters`.
    fn kept(filters: &[&str]) -> Vec<&'static str> {
        let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
        all(Mode::Quick)
            .into_iter()
            .filter_map(|mut w| {
                w.filter_points(&filters);
                (!w.points.is_empty()).then_some(w.name)
            })
            .collect()
    }

    #[test]
    fn each_family_has_its_filter() {
        assert_eq!(kept(&["spsc"]), ["spsc"]);
        assert_eq!(kept(&["pool"]), ["pool"]);
        assert_eq!(kept(&["oneshot"]), ["oneshot"]);
        assert_eq!(kept(&["fan-out"]), ["fan-out"]);
        assert_eq!(kept(&["watch"]), ["watch", "watch-many"]);
        assert_eq!(
            kept(&["spsc", "oneshot", "watch"]),
            ["spsc", "oneshot", "watch", "watch-many"]
        );
        assert_eq!(
            kept(&["funnel"]),
            [
                "funnel",
                "funnel-oversubscribed",
                "funnel-current-thread",
                "thread-funnel"
            ]
        );
        assert_eq!(
            kept(&["oversubscribed"]),
            ["funnel-oversubscribed", "pinball-oversubscribed"]
        );
        assert_eq!(kept(&["thread-"]), ["thread-funnel", "thread-ping-pong"]);
        assert_eq!(kept(&["to-t"]), ["threads-to-task", "tasks-to-thread"]);
    }
}
