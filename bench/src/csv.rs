//! The CSV of a run: one row per workload, point, contender and sample.
//!
//! Not run by itself: see `benches/channels.rs` for the command.

use std::io::{self, Write};
use std::path::Path;

use crate::run::Record;
use crate::workload::Workload;

/// The header row.
pub const HEADER: &str = "workload,point,x,contender,ours,sample,ops,nanos,value,unit";

/// Writes every record of `runs` (each workload with its records) to `path`.
pub fn write(path: &Path, runs: &[(Workload, Vec<Record>)]) -> io::Result<()> {
    let mut file = io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(file, "{HEADER}")?;
    for (workload, records) in runs {
        for r in records {
            writeln!(
                file,
                "{},{},{},{},{},{},{},{},{:.4},{}",
                r.workload,
                r.point,
                r.x,
                r.contender,
                r.ours,
                r.sample,
                r.ops,
                r.nanos,
                r.value,
                workload.metric.unit()
            )?;
        }
    }
    file.flush()
}
