//! The CSV of a run: one row per workload, point, contender and sample; and
//! where the receiver does not get every message (watch), a second row for
//! the same sample whose `ops` are the values it got and whose unit is
//! [`RECEIVED_UNIT`].
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::io::{self, Write};
use std::path::Path;

use crate::run::Record;
use crate::workload::Workload;

/// The header row.
pub const HEADER: &str = "workload,point,x,contender,ours,sample,ops,nanos,value,unit";

/// The unit of the rows that count the values a receiver got.
pub const RECEIVED_UNIT: &str = "received/us";

/// Writes every record of `runs` (each workload with its records) to `path`.
pub fn write(path: &Path, runs: &[(Workload, Vec<Record>)]) -> io::Result<()> {
    let mut file = io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(file, "{HEADER}")?;
    for (workload, records) in runs {
        for r in records {
            row(&mut file, r, r.ops, r.value, workload.metric.unit())?;
            if let Some(got) = r.received {
                let per_us = got as f64 * 1e3 / r.nanos.max(1) as f64;
                row(&mut file, r, got, per_us, RECEIVED_UNIT)?;
            }
        }
    }
    file.flush()
}

/// One row: `r`'s sample, with `ops`, `value` and `unit` given.
fn row(out: &mut impl Write, r: &Record, ops: u64, value: f64, unit: &str) -> io::Result<()> {
    writeln!(
        out,
        "{},{},{},{},{},{},{},{},{:.4},{}",
        r.workload, r.point, r.x, r.contender, r.ours, r.sample, ops, r.nanos, value, unit
    )
}
