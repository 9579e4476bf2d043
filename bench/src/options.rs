//! The command line of `benches/channels.rs`: `--quick`, `--out DIR`, and
//! name filters; other `--flags` (cargo passes `--bench`) are ignored.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::path::PathBuf;

use crate::workload::Mode;

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Quick or full.
    pub mode: Mode,
    /// Substrings of `workload/point` names to run (all if empty).
    pub filters: Vec<String>,
    /// Where the CSV and the plots go.
    pub out: PathBuf,
    /// The diagnostic mode: count task polls and wakes per message
    /// (`--counts`; see [`counts`](crate::counts)).
    pub counts: bool,
}

impl Options {
    /// Parses `args` (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Options {
        let mut quick = false;
        let mut counts = false;
        let mut filters = Vec::new();
        let mut out = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => quick = true,
                "--counts" => counts = true,
                "--out" => out = args.next().map(PathBuf::from),
                _ if arg.starts_with("--out=") => out = Some(PathBuf::from(&arg[6..])),
                _ if arg.starts_with('-') => {} // `--bench` and the like
                _ => filters.push(arg),
            }
        }
        let mode = if quick { Mode::Quick } else { Mode::Full };
        Options {
            mode,
            filters,
            out: out.unwrap_or_else(|| default_out(mode)),
            counts,
        }
    }
}

/// `bench/results/` for full runs; the target directory for quick ones, so
/// that CI does not dirty the tree.
pub fn default_out(mode: Mode) -> PathBuf {
    match mode {
        Mode::Full => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results"),
        // A relative `CARGO_TARGET_DIR` is taken from the workspace root.
        Mode::Quick => workspace_root()
            .join(std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into()))
            .join("diatomic-bench"),
    }
}

/// The workspace's root directory: the parent of this crate's.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.clone(), PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Options {
        Options::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_and_filters() {
        let o = parse(&["--bench", "--quick", "funnel", "--out", "/tmp/x", "balls"]);
        assert_eq!(o.mode, Mode::Quick);
        assert_eq!(o.filters, ["funnel", "balls"]);
        assert_eq!(o.out, PathBuf::from("/tmp/x"));
        let o = parse(&["--bench"]);
        assert_eq!(o.mode, Mode::Full);
        assert!(o.filters.is_empty());
        assert!(o.out.ends_with("results"));
    }
}
