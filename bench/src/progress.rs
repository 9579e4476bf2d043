//! The progress of a run on stderr: one line rewritten in place (`\r`) on a
//! terminal; elsewhere (CI logs) one line per point, so that logs stay
//! readable.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::io::{IsTerminal, Write};

use crate::run::Progress;

/// Width of the rewritten line.
const WIDTH: usize = 72;

/// Shows [`Progress`] reports on stderr.
#[derive(Debug)]
pub struct ProgressLine {
    terminal: bool,
    last_point: String,
}

impl ProgressLine {
    /// A progress line on stderr.
    pub fn new() -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            last_point: String::new(),
        }
    }

    /// Shows `p`.
    pub fn update(&mut self, p: Progress<'_>) {
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let line = format!(
                "{}/{}: {} ({}/{})",
                p.workload,
                p.point,
                p.contender,
                p.done + 1,
                p.total
            );
            let _ = write!(err, "\r{line:<WIDTH$}");
            let _ = err.flush();
        } else {
            let point = format!("{}/{}", p.workload, p.point);
            if point != self.last_point {
                let _ = writeln!(err, "running {point} ({}/{} runs done)", p.done, p.total);
                self.last_point = point;
            }
        }
    }

    /// Clears the line, before a table is printed.
    pub fn clear(&mut self) {
        if self.terminal {
            let _ = write!(std::io::stderr(), "\r{:WIDTH$}\r", "");
        }
    }
}

impl Default for ProgressLine {
    fn default() -> Self {
        Self::new()
    }
}
